"""Too little video for any gait measure is one clear error, however it arises (issue 9).

A photo renamed .mp4, a one-frame clip, an end at 0 s or a window past the end
used to be "analysed" as one frame with exit 0.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from test_analyze_cli import SAMPLE, error_line, run

REPO = Path(__file__).resolve().parents[2]
PHOTO = REPO / "docs" / "keyframe_late_contact.png"


def _photo_as_mp4(tmp: Path, ext: str) -> Path:
    image = cv2.imread(str(PHOTO))
    still = tmp / f"photo.{ext}"
    cv2.imwrite(str(still), image)
    renamed = tmp / f"photo_{ext}.mp4"
    shutil.move(still, renamed)
    return renamed


def _one_frame_mp4(tmp: Path) -> Path:
    path = tmp / "one_frame.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for packet in stream.encode(av.VideoFrame.from_ndarray(np.full((240, 320, 3), 90, np.uint8), format="rgb24")):
            out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.mark.parametrize(
    "make, extra, code, words",
    [
        (lambda d: _photo_as_mp4(d, "jpg"), [], 5, "is a still image (MJPEG), not a video"),
        (lambda d: _photo_as_mp4(d, "png"), [], 5, "is a still image (PNG), not a video"),
        (_one_frame_mp4, [], 5, "(1 frame): no gait can be measured"),
        (lambda d: SAMPLE, ["--end", "0"], 2, "0.00 s long: no gait can be measured"),
        (lambda d: SAMPLE, ["--end", "0.5"], 2, "0.50 s long: no gait can be measured"),
        (lambda d: SAMPLE, ["--start", "1.5"], 2, "no gait can be measured"),
    ],
)
def test_too_little_video_is_one_clear_error_and_nothing_written(tmp_path, make, extra, code, words):
    video = make(tmp_path)
    out = tmp_path / "out"
    result = run("analyze", str(video), "--out", str(out), "--quiet", *extra)
    assert result.returncode == code, result.stderr
    assert words in error_line(result)
    assert not out.exists()


def test_a_long_enough_window_is_still_analysed(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", str(SAMPLE), "--out", str(out), "--quiet", "--start", "0.2", "--end", "1.3")
    assert result.returncode == 0, result.stderr
    assert (out / "summary.json").exists()
