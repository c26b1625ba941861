"""Runs queued checks from background threads of the server process, a bounded number at once.

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

Each check itself runs in a child process (:mod:`formcheck.web.job_process`),
which reports its progress and outcome to its thread here; all writes to the
jobs table stay in this process.  A native crash of the child (SIGSEGV in the
decoder or the pose model, an abort, the out-of-memory killer) fails that job
with one line; its temporary folders are removed, and the server and the
other jobs carry on -- the job is failed, not re-queued, so a clip that
crashes cannot crash-loop the next server either.

One failing job never affects another: every exception of a job (a user's bad
file, or a bug) is caught here and stored as that job's error.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import threading
import time
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from formcheck import inflight
from formcheck.errors import FormcheckError, StoreError
from formcheck.web.job_process import STOP_SIGNAL, InheritedFd, Interrupted, JobSpec, child_main, job_context
from formcheck.web.job_process import ready as _ready_child
from formcheck.web.jobs import Job, JobQueue
from formcheck.web.runner import forget_check, names_of
from formcheck.web.settings import WebSettings
from formcheck.web.wording import for_web

log = logging.getLogger(__name__)

# Share of the whole bar each stage of run_check fills (the pose model dominates a check with a clip).
STAGE_WEIGHTS = {"starting": 0.0, "import": 0.1, "analyse": 0.7, "context": 0.05, "findings": 0.05, "report": 0.1}
_REPORT_EVERY_S = 0.5
STOP_GRACE_S = 15.0
"""After the stop signal, how long a job's process gets to reach its next progress report and clean up before SIGKILL."""
_CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT})


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
        """Start the fork server, which imports the check pipeline (seconds of CPU) once, before the first job."""
        try:
            process = job_context().Process(target=_ready_child, name="formcheck-warm-up")
            process.start()
            process.join()
        except Exception:  # a broken install shows up as the first job's error instead
            log.exception("could not start the process that runs checks")
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

    def begin_stop(self) -> None:
        """Claim no more jobs and interrupt the running ones (queued again), without waiting: the server calls
        this the moment a stop is asked, before it waits for open connections (a job page's live progress)."""
        self._stop.set()

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
            forget_check(self.queue.store, folder / "out")  # a check stored by an interrupted earlier attempt
            outcome, exitcode = self._run_in_child(job, folder, progress)
        except Interrupted:
            outcome, exitcode = ("interrupted",), 0
        except Exception as error:  # could not even start the child: keep the server going, say so plainly
            log.exception("job %s could not be started", job.id)
            outcome, exitcode = ("bug", type(error).__name__, ""), 0
        self._record(job, owner, folder, names, outcome, exitcode)

    def _run_in_child(self, job: Job, folder: Path, progress: "_Progress") -> tuple[tuple[Any, ...] | None, int]:
        """Run the check in a child process; its outcome message (None if it sent none) and its exit code.

        Progress messages go to ``progress``; when that says stop (the server
        stopping, the lease lost), the child gets STOP_SIGNAL, then SIGKILL after
        :data:`STOP_GRACE_S`. The child's unfinished temporary folders are
        removed here whatever happened (only a native death leaves any).
        """
        context = job_context()
        ledger = inflight.anonymous_file("formcheck-job-inflight-")
        crash_log = inflight.anonymous_file("formcheck-job-crash-")
        receiver, sender = context.Pipe(duplex=False)
        spec = JobSpec(job=job, settings=self.settings, folder=folder, env=dict(os.environ), cwd=os.getcwd(),
                       ledger=InheritedFd(ledger), crash_log=InheritedFd(crash_log))  # fmt: skip
        process = context.Process(target=child_main, args=(spec, sender), name=f"formcheck-job-{job.id[:8]}")
        outcome: tuple[Any, ...] | None = None
        stopped_at: float | None = None
        listening = True  # until the child's end of the pipe is closed

        def drain() -> None:
            nonlocal outcome, stopped_at, listening
            while listening and receiver.poll():
                try:
                    message = receiver.recv()
                except (EOFError, OSError):
                    listening = False
                    return
                if message[0] != "progress":
                    outcome = message
                elif stopped_at is None:
                    try:
                        progress(*message[1:])
                    except Interrupted:
                        stopped_at = _stop(process)

        try:
            process.start()
            sender.close()
            while True:
                ready = wait([process.sentinel, *([receiver] if listening else [])], timeout=0.5)
                drain()
                if process.sentinel in ready:
                    drain()
                    break
                if stopped_at is None and self._stop.is_set():
                    stopped_at = _stop(process)
                elif stopped_at is not None and time.monotonic() - stopped_at > STOP_GRACE_S:
                    log.warning("job %s: its process did not stop within %.0f s; killed", job.id, STOP_GRACE_S)
                    process.kill()
            process.join()
            exitcode = process.exitcode if process.exitcode is not None else 0
            if outcome is None and stopped_at is not None:
                outcome = ("interrupted",)  # ended by our stop signal or SIGKILL before it could say so
            if outcome is None and exitcode < 0:
                _log_crash(job, exitcode, crash_log)
            return outcome, exitcode
        finally:
            if process.is_alive():  # only on an error in this thread: never leave a check running unwatched
                process.kill()
                process.join()
            receiver.close()
            kept = inflight.remove_leftovers(ledger)
            if kept:
                log.warning("job %s: could not remove %s", job.id, ", ".join(map(str, kept)))
            os.close(ledger)
            os.close(crash_log)

    def _record(self, job: Job, owner: str, folder: Path, names: dict[str, str], outcome: tuple[Any, ...] | None,
                exitcode: int) -> None:  # fmt: skip
        """Store what came of the job: done, failed with one line, or back in the queue."""
        kind = outcome[0] if outcome else "died"
        if kind == "done":
            if not self.queue.finish(job.id, owner, outcome[1]):  # type: ignore[index]
                forget_check(self.queue.store, folder / "out")  # deleted in the last moment: drop what it wrote
                shutil.rmtree(folder, ignore_errors=True)
            return
        if kind == "interrupted":
            if self._stop.is_set() and self.queue.release(job.id, owner):
                log.info("job %s interrupted by the server stopping: queued again", job.id)
            elif self.queue.get(job.id) is None:  # deleted while running: leave nothing behind
                forget_check(self.queue.store, folder / "out")
                shutil.rmtree(folder, ignore_errors=True)
            return  # else the lease was handed on: the job runs again from its uploads
        if kind == "error":
            _, message, settings, is_store = outcome  # type: ignore[misc]
            error = (StoreError if is_store else FormcheckError)(message, settings=tuple(settings))
            if is_store and "locked" in message and job.attempts < self.settings.max_attempts:
                log.warning("job %s: the store was locked; queued again", job.id)  # transient: the check saved nothing
                self.queue.release(job.id, owner, count=True)
                return
            text = for_web(error, names, str(self.settings.data_dir))
        elif kind == "bug":
            _, type_name, details = outcome  # type: ignore[misc]
            log.error("job %s failed:\n%s", job.id, details or type_name)
            text = f"formcheck failed unexpectedly ({type_name}); the server log has the details."
        else:
            text = died_message(job, exitcode)
        if not self.queue.fail(job.id, owner, text) and self.queue.get(job.id) is None:
            forget_check(self.queue.store, folder / "out")  # deleted while it failed: leave nothing behind
            shutil.rmtree(folder, ignore_errors=True)


def _stop(process: Any) -> float:
    """Ask a job's process to stop at its next progress report; when it was asked."""
    try:
        if process.pid is not None:
            os.kill(process.pid, STOP_SIGNAL)
    except OSError:  # already gone
        pass
    return time.monotonic()


def died_message(job: Job, exitcode: int) -> str:
    """The job's one-line error when its process ended without a word: a native crash, a kill, an odd exit."""
    videos = [str(item.get("shown") or item["name"]) for item in job.inputs if item["kind"] == "video"]
    where = f"while analysing {', '.join(videos)}" if videos else "while running this check"
    if exitcode >= 0:
        return f"formcheck failed unexpectedly {where} (its process exited with code {exitcode}); the server log has the details."
    signum = -exitcode
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    if signum == signal.SIGKILL:
        return (f"formcheck was stopped by the system {where} ({name}), most likely for lack of memory; "
                "the other checks are not affected. Try a shorter clip.")  # fmt: skip
    if signum in _CRASH_SIGNALS:
        return (f"formcheck crashed inside a native library {where} ({name}); the other checks are not affected. "
                "Please report it.")  # fmt: skip
    return f"formcheck's process for this check ended {where} ({name}); the other checks are not affected."


def _log_crash(job: Job, exitcode: int, crash_log: int) -> None:
    """Put the dead child's fault stacks (faulthandler) in the server log, where the message says to look."""
    try:
        stacks = inflight.read_all(crash_log).decode("utf-8", "replace").strip()
    except OSError:
        stacks = ""
    log.error("job %s: its process died (exit code %d)%s", job.id, exitcode, f":\n{stacks}" if stacks else "")


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
