"""Runs queued checks on background threads of the server process, a bounded number at once.

Why threads in the server and not a separate queue service: one runner on a
laptop should need one command.  The pose model already uses every core for one
clip, so the default is one job at a time (``max_running``); more threads would
only make each slower.  Each worker thread claims a job through the database
(:meth:`JobQueue.claim`, atomic), so two servers sharing a store never run one
job twice; a heartbeat thread renews the lease of the running jobs and
re-queues jobs whose lease ran out (their server died).  Stopping the server
interrupts the running check at its next progress report, discards its
half-written output (the check's folder is atomic) and puts it back in the
queue, to be re-run from its stored uploads on the next start.

One failing job never affects another: every exception of a job (a user's bad
file, or a bug) is caught here and stored as that job's error.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from formcheck.errors import FormcheckError, StoreError
from formcheck.web.jobs import Job, JobQueue
from formcheck.web.runner import build_request, forget_check, names_of
from formcheck.web.settings import WebSettings
from formcheck.web.wording import for_web

log = logging.getLogger(__name__)

# Share of the whole bar each stage of run_check fills (the pose model dominates a check with a clip).
STAGE_WEIGHTS = {"starting": 0.0, "import": 0.1, "analyse": 0.7, "context": 0.05, "findings": 0.05, "report": 0.1}
_REPORT_EVERY_S = 0.5


class Interrupted(Exception):
    """Raised inside run_check's progress callback: the server is stopping or the job was deleted."""


class Worker:
    """``max_running`` job threads plus one lease thread; ``start()`` on app start, ``stop()`` on shutdown."""

    def __init__(self, queue: JobQueue, settings: WebSettings) -> None:
        self.queue = queue
        self.settings = settings
        self.owner = f"{secrets.token_hex(6)}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[str, str] = {}  # job id -> owner token of the thread running it
        self._lock = threading.Lock()
        self.ready = threading.Event()  # set once the check pipeline is imported (health says so)

    def _warm_up(self) -> None:
        """Import the check pipeline (pose model, plots: seconds of CPU) once, before the first job, not during it."""
        try:
            import formcheck.check.service  # noqa: F401
        except Exception:  # a broken install shows up as the first job's error instead
            log.exception("could not import the check pipeline")
        self.ready.set()

    def start(self) -> None:
        # Only jobs whose lease has run out: another live server may share this database (even a SQLite file).
        self.queue.requeue_stale(self.settings.lease_s, self.settings.max_attempts)
        for number in range(self.settings.max_running):
            thread = threading.Thread(target=self._loop, name=f"formcheck-job-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        lease = threading.Thread(target=self._lease_loop, name="formcheck-lease", daemon=True)
        lease.start()
        self._threads.append(lease)

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _lease_loop(self) -> None:
        interval = max(0.2, self.settings.lease_s / 4)
        while not self._stop.wait(interval):
            try:
                with self._lock:
                    running = dict(self._running)
                for job_id, owner in running.items():
                    self.queue.heartbeat(job_id, owner)
                self.queue.requeue_stale(self.settings.lease_s, self.settings.max_attempts)
            except Exception:  # the database may be briefly unreachable; keep renewing
                log.exception("job lease renewal failed")

    def _loop(self) -> None:
        self._warm_up()
        while not self._stop.is_set():
            try:
                owner = f"{self.owner}-{secrets.token_hex(4)}"
                job = self.queue.claim(owner)
            except Exception:
                log.exception("could not claim a job")
                job = None
            if job is None:
                self._stop.wait(self.settings.poll_s)
                continue
            with self._lock:
                self._running[job.id] = owner
            try:
                self.run(job, owner)
            except Exception:  # never let one job end the thread that runs all the others
                log.exception("job %s: the worker could not record its outcome", job.id)
            finally:
                with self._lock:
                    self._running.pop(job.id, None)

    def run(self, job: Job, owner: str) -> None:
        """Run one claimed job to done, failed or back to the queue."""
        folder = self.settings.jobs_dir / job.id
        names = names_of(job, folder)
        progress = _Progress(self, job, owner, names)
        try:
            progress("starting", 1.0, "loading the pose model and reading the uploads")
            from formcheck.check.service import run_check  # heavy (pose model, plots): first use only

            forget_check(self.queue.store, folder / "out")  # a check stored by an interrupted earlier attempt
            outcome = run_check(build_request(job, folder, self.settings), progress)
        except Interrupted:
            if self._stop.is_set() and self.queue.release(job.id, owner):
                log.info("job %s interrupted by the server stopping: queued again", job.id)
            elif self.queue.get(job.id) is None:  # deleted while running: leave nothing behind
                forget_check(self.queue.store, folder / "out")
                shutil.rmtree(folder, ignore_errors=True)
            return  # else the lease was handed on: the job runs again from its uploads
        except StoreError as error:
            if "locked" in error.message and job.attempts < self.settings.max_attempts:
                log.warning("job %s: the store was locked; queued again", job.id)  # transient: the check saved nothing
                self.queue.release(job.id, owner, count=True)
            else:
                self.queue.fail(job.id, owner, for_web(error.message, names, str(self.settings.data_dir)))
            return
        except FormcheckError as error:
            self.queue.fail(job.id, owner, for_web(error.message, names, str(self.settings.data_dir)))
            return
        except Exception as error:  # a bug: keep the server and the other jobs going, say so plainly
            log.exception("job %s failed", job.id)
            self.queue.fail(job.id, owner, f"formcheck failed unexpectedly ({type(error).__name__}); "
                                           "the server log has the details.")  # fmt: skip
            return
        if not self.queue.finish(job.id, owner, outcome.check_id):
            forget_check(self.queue.store, folder / "out")  # deleted in the last moment: drop what it wrote
            shutil.rmtree(folder, ignore_errors=True)


class _Progress:
    """run_check's progress callback: overall fraction from stage weights, written at most twice a second."""

    def __init__(self, worker: Worker, job: Job, owner: str, names: dict[str, str]) -> None:
        self.worker, self.job_id, self.owner, self.names = worker, job.id, owner, names
        self.frames = sum(int(item.get("frames") or 0) for item in job.inputs if item["kind"] == "video")
        self.done: dict[str, float] = {}
        self.last_write = 0.0
        self.last_stage: str | None = None

    def __call__(self, stage: str, fraction: float, detail: str | None) -> None:
        if self.worker._stop.is_set():
            raise Interrupted("server stopping")
        self.done[stage] = max(self.done.get(stage, 0.0), min(max(fraction, 0.0), 1.0))
        overall = sum(STAGE_WEIGHTS.get(name, 0.0) * value for name, value in self.done.items())
        clock = time.monotonic()
        if stage == self.last_stage and clock - self.last_write < _REPORT_EVERY_S and fraction < 1.0:
            return
        self.last_write, self.last_stage = clock, stage
        text = for_web(detail, self.names) if detail else None
        if stage == "analyse" and self.frames and 0 < fraction < 1:
            text = f"{text + ': ' if text else ''}frame {int(fraction * self.frames)} of {self.frames}"
        try:
            held = self.worker.queue.report(self.job_id, self.owner, stage, min(overall, 0.99), text)
        except SQLAlchemyError:  # a busy database must not fail the check: the next report will get through
            log.warning("job %s: progress not recorded (database busy)", self.job_id)
            return
        if not held:
            raise Interrupted("lease lost")
