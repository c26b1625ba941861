"""One web job's check, run in a process of its own so that a native crash ends that job and not the server.

Why a process: the pose model, the video decoder and the plots are C/C++
libraries; a fault in one of them (SIGSEGV, a C++ assertion's abort) kills the
process it happens in, and the server's threads would all die with it (and,
after a restart, the lease would hand the same job to the next server, which
could crash again). In a child the crash is just that child's exit status:
:mod:`formcheck.web.worker` fails the job with one line and carries on.

Why ``forkserver``: the server has threads (uvicorn, the job and lease threads)
and must not ``fork`` itself; ``spawn`` would import the pipeline (seconds of
CPU) for every job. A fork server is a clean process started once, which
imports the pipeline once (:data:`PRELOAD`) and forks a ready child per job.

The child only computes: it runs ``run_check`` and sends its progress and its
outcome to the job's thread through a pipe; every write to the jobs table
stays in the server (leases, re-queueing and deletion work as before). The
server stops the child with :data:`STOP_SIGNAL` (the server stopping, the job
deleted), which the child turns into :class:`Interrupted` at its next progress
report, so the check's atomic folder is removed on the way out. The fork
server and its children live in a process group of their own
(:mod:`formcheck.web.fork_server`): Ctrl-C on ``formcheck serve`` and a
service manager's stop reach the server, which decides what becomes of its
jobs (re-queued, not half-interrupted behind its back). When the server is
gone (killed), the child's next progress report finds the pipe closed and
stops the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from formcheck.web.jobs import Job
from formcheck.web.settings import WebSettings

PRELOAD = ["formcheck.web.fork_server", "formcheck.web.job_process", "formcheck.check.service", "formcheck.cli"]
"""Imported once by the fork server: first :mod:`formcheck.web.fork_server` (a process group of its own), then
the pipeline, so that a job's child starts with it loaded, and the CLI's modules (a child re-runs the main
module, ``formcheck.cli`` under ``formcheck serve``)."""

STOP_SIGNAL = signal.SIGUSR1
"""How the server asks a job's process to stop at its next progress report (SIGTERM still ends it at once)."""
_context_lock = threading.Lock()


class Interrupted(Exception):
    """Raised inside run_check's progress callback: the server is stopping or the job was deleted."""


class InheritedFd:
    """A file descriptor handed to a job's process: multiprocessing duplicates it into the child, like a Pipe's end.

    Why descriptors and not paths: the ledger and the crash log are unlinked
    temporary files (:func:`formcheck.inflight.anonymous_file`), so nothing is
    left in the temp folder even when the server and the job are both killed.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, ...]:
        from multiprocessing import reduction

        return (_rebuild_fd, (reduction.DupFd(self.fd),))


def _rebuild_fd(duplicate: Any) -> InheritedFd:
    return InheritedFd(duplicate.detach())


@dataclass(frozen=True)
class JobSpec:
    """What the child needs (all picklable): the job, where things are, and the server's current environment.

    ``env`` and ``cwd`` are the server's at the moment the job starts: the fork
    server was started earlier and may have another environment (tests change
    ``FORMCHECK_CACHE_DIR``), and a thread of the server would have seen these.
    """

    job: Job
    settings: WebSettings
    folder: Path
    env: dict[str, str]
    cwd: str
    ledger: InheritedFd
    crash_log: InheritedFd


def job_context() -> BaseContext:
    """The multiprocessing context for job processes: a fork server with the pipeline preloaded where possible."""
    with _context_lock:
        if "forkserver" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            return context
        return multiprocessing.get_context("spawn")  # not POSIX: slower to start, same isolation


def ready() -> None:
    """A child that does nothing: starting one makes the fork server import the pipeline (the warm-up)."""


def child_main(spec: JobSpec, conn: Connection) -> None:
    """The job's process: run the check, sending ``("progress", stage, fraction, detail)`` and one outcome.

    Outcomes: ``("done", check_id)``, ``("interrupted",)``, ``("error", message,
    settings, is_store_error)`` for a FormcheckError, ``("bug", type name, traceback)``.
    A native crash sends nothing: the parent reads the exit status.
    """
    stopping = threading.Event()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the fork server's own choice; only the server stops a job
    signal.signal(STOP_SIGNAL, lambda _signum, _frame: stopping.set())
    os.environ.clear()
    os.environ.update(spec.env)
    os.chdir(spec.cwd)

    def progress(stage: str, fraction: float, detail: str | None) -> None:
        if stopping.is_set():
            raise Interrupted("stopping")
        try:
            conn.send(("progress", stage, fraction, detail))
        except OSError:  # the server is gone (killed): nobody wants this check any more
            raise Interrupted("server gone") from None

    outcome: tuple[Any, ...]
    try:
        _arm_crash_reporting(spec)
        from formcheck.check.service import run_check
        from formcheck.errors import FormcheckError, StoreError
        from formcheck.web.runner import build_request

        try:
            result = run_check(build_request(spec.job, spec.folder, spec.settings), progress)
            outcome = ("done", result.check_id)
        except Interrupted:
            outcome = ("interrupted",)
        except FormcheckError as error:
            outcome = ("error", error.message, tuple(error.settings), isinstance(error, StoreError))
    except Exception as error:  # a bug: the server logs the traceback and fails the job
        outcome = ("bug", type(error).__name__, traceback.format_exc())
    try:
        conn.send(outcome)
    except OSError:  # the server is gone: nobody to tell
        pass


def _arm_crash_reporting(spec: JobSpec) -> None:
    """Fault stacks to the job's crash log, temporary folders noted, and the test hook armed if asked."""
    import faulthandler

    from formcheck import crash_hook, inflight

    global _crash_log_file
    _crash_log_file = os.fdopen(spec.crash_log.fd, "w", encoding="utf-8", errors="backslashreplace")
    faulthandler.enable(file=_crash_log_file, all_threads=True)
    inflight.open_ledger(spec.ledger.fd)
    crash_hook.install_from_env()  # FORMCHECK_CRASH_AT, for tests: see formcheck.crash_hook


_crash_log_file: Any = None  # kept open for faulthandler for the life of the child
