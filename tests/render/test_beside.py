"""``render.beside``: a job run in a forked child (or a thread) returns, raises and dies as promised."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.errors import OutputError
from formcheck.render.beside import Beside, fork_is_safe

LINUX = sys.platform.startswith("linux")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _raise_output_error(path: str) -> None:
    raise OutputError(f"could not write {path}: disk full.")


def _die_by_sigkill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _sleep_then_write(path: Path) -> None:
    time.sleep(30)
    path.write_text("too late")


def _print_and_return() -> str:
    print("from the child")
    sys.stderr.write("also from the child\n")
    return "done"


class _Unpicklable(Exception):
    def __reduce__(self):  # type: ignore[no-untyped-def]
        raise TypeError("no")


def _raise_unpicklable() -> None:
    raise _Unpicklable("a library's own error")


@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_forked_job_runs_in_another_process_and_returns_its_value() -> None:
    job = Beside(_pid_and, 21)
    child_pid, doubled = job.result()
    assert job.forked and child_pid != os.getpid() and doubled == 42


def test_thread_job_runs_here() -> None:
    job = Beside(_pid_and, 21, use_fork=False)
    assert not job.forked and job.result() == (os.getpid(), 42)


@pytest.mark.parametrize("use_fork", [pytest.param(True, marks=pytest.mark.skipif(not LINUX, reason="Linux")), False])
def test_the_jobs_error_is_raised_in_the_caller_with_its_type_and_message(use_fork: bool) -> None:
    job = Beside(_raise_output_error, "/x/plots", use_fork=use_fork)
    with pytest.raises(OutputError, match="could not write /x/plots: disk full."):
        job.result()


@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_an_error_that_cannot_be_pickled_still_arrives_as_one_sentence() -> None:
    with pytest.raises(OutputError, match="_Unpicklable: a library's own error"):
        Beside(_raise_unpicklable, name="plots").result()


@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_a_child_that_dies_is_an_output_error_naming_the_signal() -> None:
    with pytest.raises(OutputError, match="process drawing the plots was killed by signal SIGKILL"):
        Beside(_die_by_sigkill, name="plots").result()


@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_stop_kills_and_reaps_a_running_child(tmp_path: Path) -> None:
    target = tmp_path / "late.txt"
    job = Beside(_sleep_then_write, target)
    pid = job._pid
    assert pid is not None and Path(f"/proc/{pid}").exists()
    started = time.perf_counter()
    job.stop()
    assert time.perf_counter() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind
    assert not target.exists()
    job.stop()  # twice is harmless


@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_the_child_prints_nothing_to_the_callers_streams(capfd: pytest.CaptureFixture[str]) -> None:
    assert Beside(_print_and_return).result() == "done"
    out, err = capfd.readouterr()
    assert "from the child" not in out and "also from the child" not in err


def test_no_fork_in_a_process_connected_to_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", SimpleNamespace(is_initialized=lambda: True))
    assert not fork_is_safe()
    monkeypatch.setitem(sys.modules, "ray", SimpleNamespace(is_initialized=lambda: False))
    assert fork_is_safe() == LINUX
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not fork_is_safe()


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
def test_forked_and_threaded_plots_write_the_same_files(treadmill, tmp_path: Path) -> None:
    from formcheck.render import write_visual_outputs

    forked, threaded = tmp_path / "forked", tmp_path / "threaded"
    forked.mkdir()
    threaded.mkdir()
    written_forked = write_visual_outputs(forked, treadmill, height_cm=178, fork=True)
    written_threaded = write_visual_outputs(threaded, treadmill, height_cm=178, fork=False)
    assert sorted(written_forked) == sorted(written_threaded)
    assert {p.parts[0] for p in written_forked} == {"keyframes", "plots"}
    for path in written_forked:
        assert (forked / path).read_bytes() == (threaded / path).read_bytes(), path


_SLOW_PLOTS = """
import sys, time
from pathlib import Path
import formcheck.render as render
marker = Path(sys.argv[1])

def slow_plots(*args, **kwargs):
    marker.write_text("plots started")
    time.sleep(60)

render._plots = slow_plots
sys.argv = ["formcheck", *sys.argv[2:]]
from formcheck.cli import main
main()
"""


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the fork path is Linux-only")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_while_the_plots_draw_nothing_is_left(tmp_path: Path, signum: int) -> None:
    """Ctrl-C (the whole group) or SIGTERM (the command) while the forked plot process runs:
    exit 130, no output folder, no temporary folder, no process left behind."""
    import subprocess

    sample = Path(__file__).resolve().parents[2] / "samples" / "outdoor_side_grass_short.mp4"
    marker, out = tmp_path / "started", tmp_path / "result"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_PLOTS, str(marker), "analyze", str(sample), "--out", str(out),
                             "--visuals", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
            time.sleep(0.1)
        group = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(group) == 3, group  # the supervisor, the command and its plot process
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)
        else:
            os.kill(proc.pid, signum)
        _, stderr = proc.communicate(timeout=20)
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr
        assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["started"]
        assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split() == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _sigint_self() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)


@pytest.mark.skipif(not fork_is_safe(), reason="fork is Linux's here")
def test_a_child_killed_by_ctrl_c_is_an_interrupt_not_a_failed_output() -> None:
    with pytest.raises(KeyboardInterrupt):
        Beside(_sigint_self, use_fork=True).result()


@pytest.mark.skipif(not fork_is_safe(), reason="fork is Linux's here")
def test_a_parent_that_ignores_ctrl_c_has_a_child_that_ignores_it() -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        job = Beside(_sigint_then_value, use_fork=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert job.result() == "survived"


def _sigint_then_value() -> str:
    os.kill(os.getpid(), signal.SIGINT)
    return "survived"
