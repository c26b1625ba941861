"""The console script ends without the interpreter's teardown, but with everything exit must still do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = '''
import atexit, sys, threading, time, pathlib
from formcheck.cli import exit_without_teardown
out = pathlib.Path(sys.argv[1])
atexit.register(lambda: (out / "atexit").write_text("thread first" if (out / "thread").exists() else "atexit first"))
def late():
    time.sleep(0.3)
    (out / "thread").write_text("done")
threading.Thread(target=late).start()  # not a daemon: exit waits for it, as the interpreter does
sys.stdout.write("buffered, no newline")
sys.stderr.write("also buffered")
exit_without_teardown(3)
'''


def test_threads_are_joined_then_atexit_runs_then_streams_are_flushed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stdout == "buffered, no newline" and done.stderr == "also buffered"
    assert (tmp_path / "thread").read_text() == "done"
    assert (tmp_path / "atexit").read_text() == "thread first"


def test_the_console_script_keeps_its_exit_codes_and_output(tmp_path: Path) -> None:
    formcheck = Path(sys.executable).with_name("formcheck")
    ok = subprocess.run([str(formcheck), "--help"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "journal" in ok.stdout and ok.stdout.rstrip().endswith("╯")
    missing = subprocess.run([str(formcheck), "analyze", str(tmp_path / "none.mp4"), "--out", str(tmp_path / "o")],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert missing.returncode == 3 and missing.stderr.strip().startswith("error:") and "does not exist" in missing.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
def test_results_that_cannot_reach_standard_output_are_one_line_and_exit_74(redirect: str) -> None:
    """A full disk or a closed descriptor: one line, exit 74 -- not a traceback, nor exit 0 with the results lost."""
    done = subprocess.run(["bash", "-c", f'"$0" -m formcheck.cli --version {redirect}', sys.executable],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    reason = "No space left on device" if "full" in redirect else "Bad file descriptor"
    assert (done.returncode, done.stderr) == (74, f"error: the results could not be written to standard output "
                                                  f"({reason}); give the command a file or terminal that can take them.\n")
