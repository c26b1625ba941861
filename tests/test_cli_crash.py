"""A native crash in the ``formcheck`` command is one line and an exit code, never a silent death or a half-written folder.

The crashes are real (``formcheck.crash_hook``: a read of address 0, ``abort()``,
SIGKILL) and happen inside the real pipeline, in the pose model's frame loop of
``formcheck check`` while its output folder's temporary twin exists. Each test
also runs the same crash without the supervisor where that shows what the
supervisor is for (a silent SIGSEGV and a stray temporary folder).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck import crash_hook, inflight
from formcheck.supervisor import crash_line

REPO = Path(__file__).resolve().parents[1]
CLIP = REPO.parent / "shared" / "data" / "videos" / "outdoor_side_grass_short.mp4"  # 1.7 s


def _check(tmp_path: Path, crash_at: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``formcheck check CLIP`` in ``tmp_path/work`` with a cold private cache and store, crashing at ``crash_at``."""
    if not CLIP.exists():
        pytest.skip("shared clips not present")
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    environment = {**os.environ, "FORMCHECK_CACHE_DIR": str(tmp_path / "cache"), "FORMCHECK_CRASH_AT": crash_at,
                   "TMPDIR": str(tmp_path / "tmp"), **env}  # fmt: skip
    (tmp_path / "tmp").mkdir(exist_ok=True)
    command = [sys.executable, "-m", "formcheck.cli", "check", str(CLIP), "--out", str(work / "result"),
               "--db", f"sqlite:///{tmp_path / 'store.db'}", "--no-cache", "--workers", "1"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=work, timeout=300,
                          stdin=subprocess.DEVNULL)  # fmt: skip


def test_a_segfault_mid_pose_is_one_line_exit_70_and_leaves_nothing(tmp_path: Path) -> None:
    done = _check(tmp_path, "pose:5")
    assert done.returncode == 70, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith('error: a native library crashed (SIGSEGV, segmentation fault) while running '
                               '"formcheck check"; nothing was written. Please report it with the input file; details: ')
    details = Path(lines[0].rsplit("details: ", 1)[1])
    assert details.parent == tmp_path / "cache" / "crashes"
    log = details.read_text()
    assert "Fatal Python error: Segmentation fault" in log and "formcheck/pose/extract.py" in log
    assert "ended by: SIGSEGV" in log and f"command: formcheck check {CLIP}" in log
    assert os.listdir(tmp_path / "work") == []  # no result folder, no hidden .result.tmp-* folder
    assert os.listdir(tmp_path / "tmp") == []  # the crash log moved, the ledger removed


def test_without_the_supervisor_the_same_crash_is_silent_and_leaves_a_temporary_folder(tmp_path: Path) -> None:
    done = _check(tmp_path, "pose:5", FORMCHECK_NO_SUPERVISOR="1")
    assert done.returncode == -signal.SIGSEGV
    assert "error:" not in done.stderr
    leftovers = os.listdir(tmp_path / "work")
    assert len(leftovers) == 1 and leftovers[0].startswith(".result.tmp-")


def test_an_abort_is_named_and_a_kill_blames_memory(tmp_path: Path) -> None:
    aborted = _check(tmp_path, "pose:3:abort")
    assert aborted.returncode == 70
    assert "(SIGABRT, aborted)" in aborted.stderr and "details: " in aborted.stderr
    killed = _check(tmp_path, "pose:3:kill")
    assert killed.returncode == 137
    assert killed.stderr.strip() == ('error: formcheck was killed (SIGKILL), most likely by the system running out '
                                     'of memory, while running "formcheck check"; nothing was written.')  # fmt: skip
    assert os.listdir(tmp_path / "work") == [] and os.listdir(tmp_path / "tmp") == []


def test_the_command_line_module_imports_nothing_heavy_before_the_fork() -> None:
    """The parent keeps only what ``formcheck.cli`` imports: the native libraries load in the child."""
    code = ("import sys, threading, formcheck.cli; "
            "print(threading.active_count(), sorted(m for m in ('numpy', 'cv2', 'mediapipe', 'matplotlib', "
            "'sqlalchemy', 'av', 'pandas', 'scipy') if m in sys.modules))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "1 []", done.stdout + done.stderr


def test_exit_codes_and_output_pass_through(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "formcheck.cli", "journal", "list", "--db",
                           f"sqlite:///{tmp_path / 'none.db'}"], capture_output=True, text=True, timeout=60)  # fmt: skip
    unsupervised = subprocess.run(done.args, capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "FORMCHECK_NO_SUPERVISOR": "1"})  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (unsupervised.returncode, unsupervised.stdout,
                                                           unsupervised.stderr)  # fmt: skip
    bad = subprocess.run([sys.executable, "-m", "formcheck.cli", "runs"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "FORMCHECK_CRASH_AT": "decode:2"})  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "error: FORMCHECK_CRASH_AT: unknown stage 'decode'; use one of pose, plots")


def test_crash_line_wording() -> None:
    assert crash_line(signal.SIGBUS, "formcheck analyze", "nothing was written", Path("/c/x.log")) == (
        'a native library crashed (SIGBUS, bus error) while running "formcheck analyze"; nothing was written. '
        "Please report it with the input file; details: /c/x.log")
    assert crash_line(signal.SIGFPE, "formcheck check", "nothing was written", None).endswith(
        "(SIGFPE, floating point exception) while running \"formcheck check\"; nothing was written. "
        "Please report it with the input file")


def test_crash_hook_spec() -> None:
    assert crash_hook.parse("pose") == ("pose", 1, "segv")
    assert crash_hook.parse("plots:7:abort") == ("plots", 7, "abort")
    for bad in ("pose:0", "pose:x", "pose:2:explode", "nowhere:1"):
        with pytest.raises(ValueError, match="FORMCHECK_CRASH_AT"):
            crash_hook.parse(bad)


def test_the_ledger_notes_only_this_process_and_removes_only_what_still_exists(tmp_path: Path) -> None:
    ledger = inflight.anonymous_file("formcheck-test-ledger-")
    written, renamed, other = tmp_path / ".a.tmp-1", tmp_path / ".b.tmp-2", tmp_path / ".c.tmp-3"
    for folder in (written, renamed, other):
        folder.mkdir()
    (written / "frames.csv").write_text("1\n")
    inflight.open_ledger(ledger)
    try:
        inflight.note(written)
        inflight.note(renamed)
        pid = os.fork()
        if pid == 0:  # a forked worker's folders are not this process's
            inflight.note(other)
            os._exit(0)
        os.waitpid(pid, 0)
    finally:
        inflight.close_ledger()
    renamed.rename(tmp_path / "b")  # finished: moved into place, no longer at the noted path
    inflight.note(other)  # no ledger open: ignored
    assert inflight.leftovers(ledger) == [written]
    assert inflight.remove_leftovers(ledger) == []
    os.close(ledger)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".c.tmp-3", "b"]
