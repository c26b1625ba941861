"""The ``formcheck`` command runs in a forked child; a tiny parent turns the child's native crash into one line.

Why: MediaPipe, OpenCV, FFmpeg (PyAV), matplotlib and SQLite are C/C++ code. A
fault inside one of them (SIGSEGV, a failed C++ assertion's SIGABRT) ends the
process without running any Python: no ``except`` clause, no message, no
cleanup. Guarding every input of every native call is necessary but can never
be proven complete, so the command itself runs in a child process and this
parent, which only waits, reports how the child ended:

* a normal exit: the parent exits with the child's code (everything the child
  printed is already on the terminal: stdin, stdout and the tty are inherited,
  so ``formcheck ask`` and the progress bars work as before);
* a native crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT): one ``error:``
  line naming the signal and the command, exit code 70 (``EX_SOFTWARE``). The
  child's ``faulthandler`` wrote the Python stacks of all its threads to a
  crash log (not to the terminal), which the line names when it has content;
* SIGKILL (most often the kernel's out-of-memory killer): one line, exit 137;
* any other signal (SIGINT, SIGTERM, SIGHUP ...): the parent ends by the same
  signal, exactly as an unsupervised process would have.

After any ending, the temporary result folders the child noted
(:mod:`formcheck.inflight`) and that still exist are removed, so a crash
mid-run leaves neither a result folder nor a half-written temporary one.

Signals: Ctrl-C reaches the whole foreground process group, so the child gets
it from the terminal and the parent ignores SIGINT (forwarding it too would
interrupt the child's cleanup with a second KeyboardInterrupt). SIGTERM and
SIGHUP are sent to a process, so the parent forwards them; programs that want
to stop formcheck should send SIGTERM. If the parent itself is killed, the
child is killed too (``PR_SET_PDEATHSIG``, Linux), as if they were one process.

The fork happens first thing in ``formcheck.cli.main``, before any thread
exists and before the heavy libraries (NumPy, OpenCV, MediaPipe, matplotlib,
SQLAlchemy: all imported by the commands when they run) are loaded; the parent
holds only what ``formcheck.cli`` imports (typer, rich: ~200 ms; 24 MB RSS, 16 MB
PSS, mostly shared copy-on-write with the child). Measured cost: ``formcheck
--help`` took a median 598 ms supervised vs 563 ms not (5 alternating runs,
load ~6 on 2 cores), i.e. a few tens of ms a command.

Crash logs are kept as ``crashes/crash-<time>-<pid>.log`` in the pose cache's
folder (``$FORMCHECK_CACHE_DIR``, else the user's cache folder); nothing else
of the supervisor's (its ledger, an empty crash log) is ever left on disk.

``FORMCHECK_NO_SUPERVISOR=1`` runs the command in-process (for a debugger or a
profiler); platforms without ``fork`` always do. The test hook that makes the
child crash on purpose is :mod:`formcheck.crash_hook`.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

NO_SUPERVISOR_ENV = "FORMCHECK_NO_SUPERVISOR"
CRASH_SIGNALS = frozenset({signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT})
EXIT_CRASHED = 70  # sysexits.h EX_SOFTWARE: an internal software error
EXIT_KILLED = 128 + signal.SIGKILL  # what a shell reports for a process killed by SIGKILL
_FORWARDED = (signal.SIGTERM, signal.SIGHUP)
_BLOCKED_AROUND_FORK = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}

_crash_log = None  # the child's crash-log file object, kept open for faulthandler


def _enabled() -> bool:
    """Supervise only where it is possible and safe: POSIX fork, one thread, not switched off."""
    if os.environ.get(NO_SUPERVISOR_ENV, "").strip() not in ("", "0"):
        return False
    if not hasattr(os, "fork") or not hasattr(signal, "pthread_sigmask"):
        return False
    return threading.active_count() == 1  # forking a process with threads could deadlock the child


def supervise(argv: list[str]) -> None:
    """Fork: return in the child, which then runs the command; in the parent wait, report and exit.

    ``argv`` is the command line after the program name, used only to name the
    command in the crash line and the crash log. Where supervision is off, this
    returns at once in this process. Either way the test hook
    (``FORMCHECK_CRASH_AT``) is armed in the process that runs the command, so a
    test can also show what a crash does without the supervisor.
    """
    if _enabled():
        _fork_and_watch(argv)
    from formcheck import crash_hook

    try:
        crash_hook.install_from_env()
    except ValueError as error:
        sys.stderr.write(f"error: {error}\n")
        sys.stderr.flush()
        sys.exit(2)


def _fork_and_watch(argv: list[str]) -> None:
    """Return in the child; in the parent wait for it and exit as it did (see the module docstring)."""
    from formcheck.inflight import anonymous_file

    try:
        log_fd = anonymous_file("formcheck-crash-")
    except OSError:
        return  # no writable temp folder: run unsupervised rather than not at all
    try:
        ledger_fd = anonymous_file("formcheck-inflight-")
    except OSError:
        os.close(log_fd)
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # or the child would print the parent's buffered text a second time
        except (OSError, ValueError, AttributeError):
            pass
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED_AROUND_FORK)
    parent_pid = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        os.close(log_fd)
        os.close(ledger_fd)
        return
    if pid == 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        _start_child(parent_pid, log_fd, ledger_fd)
        return
    _watch(pid, argv, log_fd, ledger_fd, previous_mask)


def _start_child(parent_pid: int, log_fd: int, ledger_fd: int) -> None:
    """In the child: die with the parent, send fault stacks to the crash log, note temporary folders."""
    global _crash_log
    import faulthandler

    from formcheck import inflight

    from formcheck.lifeline import die_with_parent

    die_with_parent(signal.SIGKILL, parent_pid, EXIT_KILLED)  # not Linux: an orphaned child runs to its end
    _crash_log = os.fdopen(log_fd, "w", encoding="utf-8", errors="backslashreplace")
    faulthandler.enable(file=_crash_log, all_threads=True)
    inflight.open_ledger(ledger_fd)


def _forward(pid: int) -> object:
    def handler(signum: int, _frame: FrameType | None) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    return handler


def _watch(pid: int, argv: list[str], log_fd: int, ledger_fd: int, mask: set[signal.Signals]) -> None:
    """In the parent: wait for the child, clean up after it, report a crash, exit as it did. Never returns."""
    from formcheck import inflight

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal's Ctrl-C reaches the child directly
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)  # Ctrl-\ too; the child's death is reported below
    for signum in _FORWARDED:
        signal.signal(signum, _forward(pid))  # type: ignore[arg-type]
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a SIGTERM that came during the fork is forwarded now
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:  # cannot happen unless someone reaped it for us
            status = 0
            break
    kept = inflight.remove_leftovers(ledger_fd)
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        _exit(code)
    signum = -code
    command = _command_name(argv)
    if signum in CRASH_SIGNALS or signum == signal.SIGKILL:
        details = _keep_crash_log(log_fd, argv, signum) if signum != signal.SIGKILL else None
        _say(crash_line(signum, command, _outcome(argv, kept), details))
        _exit(EXIT_CRASHED if signum != signal.SIGKILL else EXIT_KILLED)
    _die_like(signum)


def crash_line(signum: int, command: str, outcome: str, details: Path | None) -> str:
    """The one line for a child that died by ``signum``: what happened, where, what is left, where to look."""
    name = signal.Signals(signum).name
    if signum == signal.SIGKILL:
        return (f"formcheck was killed ({name}), most likely by the system running out of memory, "
                f"while running \"{command}\"; {outcome}.")  # fmt: skip
    what = (signal.strsignal(signum) or name).lower()
    where = f"; details: {details}" if details is not None else ""
    return (f"a native library crashed ({name}, {what}) while running \"{command}\"; {outcome}. "
            f"Please report it with the input file{where}")  # fmt: skip


def _command_name(argv: list[str]) -> str:
    words = [word for word in argv if not word.startswith("-")][:1]
    return " ".join(["formcheck", *words])


def _outcome(argv: list[str], kept: list[Path]) -> str:
    """What the crash left: normally nothing (outputs are atomic, temporary folders were removed)."""
    if kept:
        return f"its unfinished temporary folder {kept[0]} could not be removed: delete it"
    words = [word for word in argv if not word.startswith("-")]
    if words[:1] == ["batch"]:
        return "the clips finished before it are kept; run the same command again to do the rest"
    if words[:1] == ["serve"]:
        return "the server stopped; queued checks run when it is started again"
    return "nothing was written"


def _keep_crash_log(log_fd: int, argv: list[str], signum: int) -> Path | None:
    """Save the child's fault stacks, with what was run, in the user's cache folder (``crashes/``); its path.

    None when faulthandler wrote nothing (then the line names no file).
    """
    from formcheck import __version__
    from formcheck.inflight import read_all

    try:
        stacks = read_all(log_fd).decode("utf-8", "backslashreplace")
    except OSError:
        return None
    if not stacks.strip():
        return None
    text = (f"{stacks.rstrip()}\n\nformcheck {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n"
            f"command: formcheck {' '.join(argv)}\nended by: {signal.Signals(signum).name}\n")  # fmt: skip
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"crash-{stamp}-{os.getpid()}.log"
    for folder in (_cache_dir() / "crashes", Path(_temp_dir())):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            target = folder / name
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
                out.write(text)
            return target
        except OSError:
            continue
    return None


def _temp_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def _cache_dir() -> Path:
    """The same cache folder as the pose cache: ``$FORMCHECK_CACHE_DIR``, else the user's cache folder."""
    root = os.environ.get("FORMCHECK_CACHE_DIR")
    if root:
        return Path(root)
    import platformdirs

    return Path(platformdirs.user_cache_dir("formcheck"))


def _say(line: str) -> None:
    """One ``error:`` line on stderr, red on a terminal like the CLI's own errors."""
    tty = sys.stderr.isatty()
    color = tty and not os.environ.get("NO_COLOR")
    prefix = "\x1b[1;31merror:\x1b[0m" if color else "error:"
    # On a terminal the child may have died in the middle of a progress bar: show the cursor it hid, new line.
    restore = "\x1b[?25h\n" if tty else ""
    try:
        sys.stderr.write(f"{restore}{prefix} {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _die_like(signum: int) -> None:
    """End this process by ``signum`` (default action), so the caller sees what it would have seen without us."""
    try:
        signal.signal(signum, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
        os.kill(os.getpid(), signum)
    except (OSError, ValueError):
        pass
    _exit(128 + signum)  # a signal whose default action does not end a process


def _exit(code: int) -> None:
    """Exit without Python's shutdown: the parent owns nothing to clean, and the child's atexit work is the child's."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)
