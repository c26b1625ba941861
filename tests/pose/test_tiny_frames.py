"""Frames smaller than the people detector's window must never crash the process.

OpenCV's HOG ``detectMultiScale`` dies with SIGSEGV on an image smaller than its
64x128 window (measured: an 80 px tall frame). Native crashes cannot be caught
in Python, so the checks run in a child process: a signal fails the test
instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.pose.choose import HOG_WINDOW_WH, detector_scale

REPO = Path(__file__).resolve().parents[2]
VIDEOS = REPO.parent / "shared" / "data" / "videos"


def test_detector_scale_never_goes_below_the_window():
    for width, height in [(98, 80), (64, 127), (1, 1), (4000, 30), (142, 80), (1920, 1080), (360, 640)]:
        scale = detector_scale(width, height)
        if scale is not None:
            assert round(width * scale) >= HOG_WINDOW_WH[0] and round(height * scale) >= HOG_WINDOW_WH[1]
    assert detector_scale(0, 100) is None and detector_scale(10000, 2) is None
    assert detector_scale(1920, 1080) == pytest.approx(640 / 1920)


def test_people_detector_survives_tiny_and_odd_frames():
    code = (
        "import numpy as np\n"
        "from formcheck.pose.choose import detect_people\n"
        "for h, w in [(80, 142), (10, 10), (1, 2000), (60, 40), (2000, 1), (127, 64), (100, 56)]:\n"
        "    assert detect_people(np.random.default_rng(0).integers(0, 255, (h, w, 3), dtype=np.uint8)) == []\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", (result.returncode, result.stderr[-500:])


@pytest.mark.slow
def test_analyze_an_80px_tall_clip_exits_cleanly(tmp_path):
    """Two joggers (HOG runs at the start: several people) scaled to 80 px tall: a result or one line, never a signal."""
    from clip_variants import scaled_to_height, write_variant

    src = VIDEOS / "outdoor_two_joggers_oblique.mp4"
    if not src.exists():
        pytest.skip("shared clips not present")
    clip = write_variant(src, tmp_path / "joggers_80px.mp4", scaled_to_height(80), max_frames=60)
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "FORMCHECK_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-m", "formcheck.cli", "analyze", str(clip), "--out", str(tmp_path / "out"),
                             "--quiet", "--workers", "1"], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert result.stderr == "" and (tmp_path / "out" / "summary.json").exists()
    else:
        assert len([l for l in result.stderr.splitlines() if l.startswith("error:")]) == 1, result.stderr
