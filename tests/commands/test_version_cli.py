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
