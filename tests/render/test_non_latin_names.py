"""A file name in Chinese or Japanese draws as "?" in the plots, with nothing on stderr (issue 9)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.render.plots import drawable

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "outdoor_side_grass_short.mp4"


def test_characters_the_font_lacks_become_question_marks():
    assert drawable("跑步テスト_café–run.mp4") == "?????_café–run.mp4"
    assert drawable("plain.mp4") == "plain.mp4"


@pytest.mark.slow
def test_cjk_file_name_gives_no_glyph_warnings(tmp_path):
    clip = tmp_path / "跑步テスト.mp4"
    shutil.copy(SAMPLE, clip)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    result = subprocess.run([sys.executable, "-m", "formcheck.cli", "analyze", str(clip), "--out", str(tmp_path / "out"),
                             "--visuals", "--quiet"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "out" / "plots" / "lean_per_stride.png").exists()
