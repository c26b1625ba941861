"""``formcheck --version``: what a bug report needs, printed at once (no pose model loaded)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import formcheck


def test_version_names_formcheck_mediapipe_and_python() -> None:
    for flag in ("--version", "-V"):
        done = subprocess.run([sys.executable, "-m", "formcheck.cli", flag], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip
        assert done.returncode == 0 and done.stderr == ""
        assert done.stdout == (f"formcheck {formcheck.__version__} (MediaPipe {version('mediapipe')} BlazePose, "
                               f"Python {sys.version.split()[0]})\n")  # fmt: skip
    assert formcheck.__version__ == version("formcheck")  # the package's metadata and the module agree


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip


def test_usage_mistakes_are_one_line_that_points_at_the_help() -> None:
    cases = {
        ("analyze", "x.mp4"): "error: missing option '--out' / '-o' (see formcheck analyze --help).",
        ("nosuch",): "error: no such command 'nosuch' (see formcheck --help).",
        ("batch", "x", "--out", "y", "--workers", "abc"):
            "error: invalid value for '--workers': 'abc' is not a valid integer (see formcheck batch --help).",
    }  # fmt: skip
    for args, line in cases.items():
        done = _cli(*args)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")
    assert _cli().stdout.lstrip().startswith("Usage: formcheck")  # nothing at all still shows the help
