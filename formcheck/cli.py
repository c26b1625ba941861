"""The ``formcheck`` command: subcommands are registered from ``formcheck.commands``.

This module owns only the translation of :class:`FormcheckError` into one
line on stderr and a non-zero exit code; each subcommand lives in its own
module so that the video engine and the training-log commands grow apart.
"""

from __future__ import annotations

import atexit
import errno
import io
import os
import signal
import sys
import threading
import time
from typing import Annotated, Any, NoReturn

import click
import typer
from rich.console import Console
from rich.markup import escape

from formcheck.commands import register_all
from formcheck.errors import FormcheckError, VideoTooLongError
from formcheck.native_memory import tune_malloc
from formcheck.supervisor import supervise

app = typer.Typer(
    name="formcheck",
    help="Watches a runner's video, reads their training logs and explains a lower-back pump.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
register_all(app)


def _print_version(value: bool) -> None:
    """``--version``: formcheck's and the pose model's (a bug report needs both; read from metadata, no import)."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from formcheck import __version__

    try:
        model = f"MediaPipe {version('mediapipe')} BlazePose"
    except PackageNotFoundError:
        model = "MediaPipe not installed"
    typer.echo(f"formcheck {__version__} ({model}, Python {sys.version.split()[0]})")
    raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[bool, typer.Option("--version", "-V", help="Print the version and exit.",
                                               callback=_print_version, is_eager=True)] = False,
) -> None:
    """Watches a runner's video, reads their training logs and explains a lower-back pump."""


_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _keep_native_logs_off_the_terminal() -> None:
    """Give Python its own copy of stderr and point file descriptor 2 at /dev/null.

    MediaPipe's C++ (absl, TFLite) writes start-up chatter straight to fd 2 at
    moments Python cannot predict, burying the one-line messages this CLI
    promises. Python's ``sys.stderr`` (errors, progress bars, tracebacks) keeps
    the real terminal. Set FORMCHECK_NATIVE_LOGS=1 to see the C++ logs.
    """
    if os.environ.get("FORMCHECK_NATIVE_LOGS") or sys.stderr is not sys.__stderr__:
        return  # asked for, or stderr is already redirected (an embedding program, a test's capture)
    try:
        sys.stderr.flush()
        real = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    sys.stderr = os.fdopen(real, "w", buffering=1, encoding=getattr(sys.stderr, "encoding", None) or "utf-8",
                           errors="backslashreplace")  # fmt: skip
    os.dup2(devnull, 2)
    os.close(devnull)


CLI_FLAGS = {"height_cm": "--height-cm", "capture_fps": "--capture-fps", "start_s": "--start", "end_s": "--end",
             "workers": "--workers", "units": "--units", "tz": "--tz", "runner": "--runner", "db": "--db",
             "date": "--date", "data_dir": "--data-dir"}  # fmt: skip
"""How this front end names the engine's settings (``FormcheckError.settings``)."""


def _with_flags(error: FormcheckError, options: frozenset[str] | None = None) -> str:
    """The engine's message, followed by the options it is about that the command has: "... (--start, --end)".

    ``options``: the running command's option names (None: all of this CLI's). A video too
    long for ``check``, which has no --start/--end, is told to be trimmed instead.
    """
    message = error.message
    if isinstance(error, VideoTooLongError) and options is not None and "--start" not in options:
        message = error.trimmed
    flags = [CLI_FLAGS[name] for name in error.settings if name in CLI_FLAGS and (options is None or CLI_FLAGS[name] in options)]
    if not flags:
        return message
    return f"{message.rstrip('.')} ({', '.join(flags)})."


def _invoked(argv: list[str] | None) -> tuple[click.Command, str]:
    """The (sub)command ``argv`` runs and its path ("formcheck journal add"), found by walking its words
    down the command groups (click's own context is gone when a parse error is raised without one)."""
    command: click.Command = _click_command()
    path = "formcheck"
    for word in sys.argv[1:] if argv is None else argv:
        sub = command.commands.get(word) if isinstance(command, click.Group) else None
        if sub is None and not word.startswith("-"):
            break
        if sub is not None:
            command, path = sub, f"{path} {word}"
    return command, path


def _option_names(command: click.Command) -> frozenset[str]:
    return frozenset(name for param in command.params for name in getattr(param, "opts", ()) if name.startswith("--"))


_last_sigterm_s = -1e9


def _sigterm_as_interrupt(signum: int, _frame: object) -> None:
    """``kill`` and service managers send SIGTERM: clean up exactly as for Ctrl-C.

    One stop often arrives twice (a service manager signals the whole group, and
    the supervisor forwards its copy): a second SIGTERM within 2 s is the same
    request and must not interrupt the cleanup the first one started.
    """
    global _last_sigterm_s
    now = time.monotonic()
    if now - _last_sigterm_s < 2.0:
        return
    _last_sigterm_s = now
    raise KeyboardInterrupt(f"signal {signum}")


def _hide_absent_envvars(command: click.Command) -> None:
    """Typer marks every option ``show_envvar``; click then prints "(env var: 'None')" in errors for
    options that have no variable. Switch that off where there is none, in every subcommand."""
    for param in command.params:
        if getattr(param, "envvar", None) is None and hasattr(param, "show_envvar"):
            param.show_envvar = False  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        _hide_absent_envvars(sub)


def _click_command() -> click.Command:
    command = typer.main.get_command(app)
    _hide_absent_envvars(command)
    return command


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning user errors into one line.

    Run as the ``formcheck`` command (``argv`` None), the command runs in a
    supervised child process that a native crash cannot take down silently
    (see :mod:`formcheck.supervisor`) and ends with ``exit_without_teardown``;
    called with ``argv`` (tests, embedding programs) it runs in this process and
    returns or raises ``SystemExit`` as before.
    """
    if argv is None:
        supervise(sys.argv[1:])  # returns in the child only, before any thread or heavy import
        try:
            _run(None)
            code: int = 0
        except SystemExit as done:
            code = _exit_code(done)
        exit_without_teardown(code)
    _run(argv)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command was started with it closed (``>&-``): writing fails, as to any
    closed file, so the command ends with one line instead of its results vanishing with exit code 0."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


class _WatchedOutput:
    """Standard output as the command sees it, remembering the first write that failed.

    Why: a full disk (``> /dev/full``) or a closed descriptor surfaces as an ``OSError``
    from deep inside rich or click; this is how ``_run`` tells it from any other.
    Everything else is the real stream's (``isatty``, ``encoding``, ``fileno``...).
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            self.failed = self.failed or error
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            self.failed = self.failed or error
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


STDOUT_FAILED = 74
"""Exit code when the results could not be written to standard output (sysexits' EX_IOERR)."""


def _run(argv: list[str] | None) -> None:
    """Run one command, ending with ``SystemExit`` on any error (one line on stderr, non-zero code).

    Results that cannot reach standard output (``> /dev/full``, ``>&-``) are an error of their own,
    one line and exit code 74, not a traceback or a silent exit 0; a reader that stopped early
    (``| head``) ends the command quietly with the shell's code for it, 141.
    """
    real = sys.stdout
    watched = _WatchedOutput(real if real is not None else _ClosedOutput())
    sys.stdout = watched  # type: ignore[assignment]
    try:
        try:
            _run_command(argv)
        except OSError:
            if watched.failed is None:
                raise
        else:
            try:
                watched.flush()
            except OSError:
                pass
        if watched.failed is None:
            return
    finally:
        sys.stdout = real if watched.failed is None else open(os.devnull, "w")  # the last flush must not fail too
    if watched.failed.errno == errno.EPIPE:
        sys.exit(141)
    reason = os.strerror(watched.failed.errno) if watched.failed.errno else str(watched.failed)
    _stderr.print(f"[bold red]error:[/] the results could not be written to standard output ({escape(reason)}); "
                  "give the command a file or terminal that can take them.")  # fmt: skip
    sys.exit(STDOUT_FAILED)


def _run_command(argv: list[str] | None) -> None:
    """Run one command, ending with ``SystemExit`` on any error (one line on stderr, non-zero code)."""
    tune_malloc()  # before any thread allocates: see formcheck.native_memory
    _keep_native_logs_off_the_terminal()
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        code = _click_command().main(args=argv, prog_name="formcheck", standalone_mode=False)
        # Non-standalone click returns exit codes instead of exiting; it also turns
        # KeyboardInterrupt (Ctrl-C, and SIGTERM via the handler above) into code 130.
        if isinstance(code, int) and code != 0:
            if code == 130:
                _stderr.print("[bold red]error:[/] interrupted; nothing was written.")
            sys.exit(code)
    except FormcheckError as error:
        options = _option_names(_invoked(argv)[0])
        _stderr.print(f"[bold red]error:[/] {escape(_with_flags(error, options))}")  # a message may quote "[...]" from a file
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        _stderr.print("[bold red]error:[/] interrupted; nothing was written.")
        sys.exit(130)
    except click.UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # the help itself, asked for by giving nothing
            error.show()
            sys.exit(error.exit_code)
        _stderr.print(f"[bold red]error:[/] {escape(_usage_line(error, argv))}")
        sys.exit(error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        _stderr.print("[bold red]error:[/] interrupted; nothing was written.")
        sys.exit(130)


def _usage_line(error: click.UsageError, argv: list[str] | None = None) -> str:
    """Click's usage error as this CLI's one line: what is wrong, then where the command's help is."""
    message = error.format_message().strip().rstrip(".")
    message = message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message
    command = error.ctx.command_path if error.ctx is not None else _invoked(argv)[1]
    return f"{message} (see {command} --help)."


def _exit_code(done: SystemExit) -> int:
    if done.code is None or isinstance(done.code, int):
        return done.code or 0
    sys.stderr.write(f"{done.code}\n")  # sys.exit("message"): Python prints it and exits 1
    return 1


def exit_without_teardown(code: int) -> NoReturn:
    """End the process as the interpreter would, minus freeing everything it built.

    Why: after a command's last line, Python's finalisation (every module, and the native
    objects MediaPipe, TFLite and OpenCV hold, freed one by one) took ~0.4 s of the 11.6 s
    a 3-s clip's ``analyze`` takes: time the user waits at the prompt for nothing. What
    exit must still do runs in the interpreter's own order: non-daemon threads are joined,
    then every ``atexit`` handler (Ray's shutdown, multiprocessing's children, temporary
    folders' finalisers, logging's flush), then the standard streams are flushed. The
    operating system frees the rest at once. Only the console script takes this path (a
    test or an embedding program calling ``main(argv)`` keeps its interpreter).
    """
    join_threads = getattr(threading, "_shutdown", None)  # what Py_FinalizeEx calls first
    if join_threads is not None:
        join_threads()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe or stream: nothing more can reach it anyway
    os._exit(code)


if __name__ == "__main__":
    main()
