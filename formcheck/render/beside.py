"""Run one rendering job beside this thread, in a forked child process where that is safe.

Why a process: after the pose, ``analyze`` draws key frames (decoding, OpenCV)
and plots (matplotlib, which is mostly Python). On threads the two share the
GIL, so side by side they took 1.45-2.1 s where the slower alone takes 1.1 s;
in a forked child the plots run on the other core for real. Forking also costs
nothing to set up: the child shares the parent's memory (the track, the
analysis, the libraries already imported) copy-on-write, so nothing is
pickled on the way in, and only the list of written paths comes back.

When a fork is not safe the job runs on a thread instead (the old behaviour,
same files): on platforms without ``fork``, outside Linux (macOS's system
frameworks do not survive a fork of a threaded process), and in a process
connected to Ray (its gRPC threads must not be copied into a child).

The child runs nothing but the job: its SIGINT is the default (Ctrl-C, sent to
the whole process group, ends it at once; the parent handles the interrupt),
it dies with the parent (``PR_SET_PDEATHSIG``), its standard streams go to
``/dev/null`` (a lock another thread held at the fork must never be waited
for), and it leaves by ``os._exit`` (no ``atexit`` handler of the parent's runs
twice). Its result or exception is pickled back through a pipe; a child that
dies without one (a native crash, a kill) is an ``OutputError`` naming how it
ended. ``stop`` kills and reaps a child still running, so that a failing or
interrupted parent never removes the output folder under a live writer.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from formcheck.errors import OutputError
from formcheck.lifeline import die_with_parent

T = TypeVar("T")


def fork_is_safe() -> bool:
    """Whether a child forked now could run Python safely (see the module docstring)."""
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return False
    ray = sys.modules.get("ray")
    try:
        return not (ray is not None and ray.is_initialized())
    except Exception:  # noqa: BLE001 - a half-imported Ray: do not gamble
        return False


class Beside(Generic[T]):
    """``fn(*args)`` started beside the caller; ``result()`` waits for it, ``stop()`` abandons it."""

    def __init__(self, fn: Callable[..., T], *args: Any, name: str = "formcheck-beside",
                 use_fork: bool | None = None) -> None:  # fmt: skip
        self._name = name
        self._pid: int | None = None
        self._read_fd: int | None = None
        self._future: Future[T] | None = None
        self.forked = False
        """True when the job runs in a forked process (tests check which path ran)."""
        if use_fork is None:
            use_fork = fork_is_safe()
        if use_fork:
            self._start_child(fn, args)
        else:
            self._start_thread(fn, args)

    def _start_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(fn(*args))
            except BaseException as error:  # noqa: BLE001 - handed to result()
                future.set_exception(error)

        self._future = future
        threading.Thread(target=run, name=self._name, daemon=True).start()

    def _start_child(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        read_fd, write_fd = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()  # or the child's copy of the buffer could be written twice
            except (OSError, ValueError, AttributeError):
                pass
        ignores_ctrl_c = signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # a batch worker: its parent decides
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _run_child(fn, args, write_fd, ignores_ctrl_c)
        os.close(write_fd)
        self._pid, self._read_fd, self.forked = pid, read_fd, True

    def result(self) -> T:
        """The job's return value; its exception re-raised here; an ``OutputError`` if the child died."""
        if self._future is not None:
            return self._future.result()
        assert self._read_fd is not None and self._pid is not None
        chunks = []
        with os.fdopen(self._read_fd, "rb") as pipe:
            self._read_fd = None
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        payload = b"".join(chunks)
        if not payload:
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT:
                # Ctrl-C went to the whole process group: this process got it too, and that is the
                # outcome (exit 130), not a failed output; its own handler may simply not have run yet.
                raise KeyboardInterrupt
            how = (f"was killed by signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
                   else f"exited with code {os.WEXITSTATUS(status)}")  # fmt: skip
            raise OutputError(f"the process drawing the {self._name} {how} before finishing; run the command again.")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Kill and reap a child still running (no-op after ``result()`` or on a thread)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._read_fd is not None:
            os.close(self._read_fd)
            self._read_fd = None


def _run_child(fn: Callable[..., Any], args: tuple[Any, ...], write_fd: int, ignores_ctrl_c: bool = False) -> None:
    """In the forked child: run the job, send (ok, value) back, leave without the parent's exit handlers."""
    code = 0
    try:
        # Ctrl-C ends the child at once, unless the parent ignores it (a batch worker, whose own
        # parent stops the batch): then a Ctrl-C must not turn a finished clip into a failed one.
        signal.signal(signal.SIGINT, signal.SIG_IGN if ignores_ctrl_c else signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        die_with_parent(signal.SIGKILL)
        devnull = open(os.devnull, "w")  # noqa: SIM115 - lives until os._exit
        sys.stdout = sys.stderr = devnull
        try:
            payload = pickle.dumps((True, fn(*args)))
        except BaseException as error:  # noqa: BLE001 - sent to the parent
            try:
                payload = pickle.dumps((False, error))
            except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                payload = pickle.dumps((False, OutputError(f"{type(error).__name__}: {error}")))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
        code = 1
    finally:
        os._exit(code)
