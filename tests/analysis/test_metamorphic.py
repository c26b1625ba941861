"""Metamorphic relations on a real clip: rotate, mirror, drop frames -> predictable changes.

The transformed clips are written with PyAV (H.264, near-lossless) at half
size (angles do not depend on scale) and analysed through the whole engine;
their pose tracks are cached like any other video's.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.video import iter_frames, probe_video

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("metamorphic")]  # one worker writes the variants
CLIP = "treadmill_side_gym_portrait_60fps.mp4"


def _write(src: Path, dst: Path, transform, keep_every: int = 1) -> Path:
    if dst.exists():
        return dst
    info = probe_video(src)
    tmp = dst.with_name(f".{dst.stem}.{os.getpid()}.part.mp4")  # unique: never two writers on one file
    with av.open(str(tmp), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(int(round(info.fps)), keep_every))
        stream.width, stream.height = info.width // 2, info.height // 2
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "12", "preset": "veryfast"}
        stream.time_base = Fraction(1, 600)
        for frame in iter_frames(info, max_side=max(stream.width, stream.height)):
            if frame.index % keep_every:
                continue
            image = transform(frame.image)
            video_frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            video_frame.pts = int(round(frame.time_s * 600))
            video_frame.time_base = Fraction(1, 600)
            for packet in stream.encode(video_frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    os.replace(tmp, dst)
    return dst


def _rotate(degrees_clockwise: float):
    def apply(image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees_clockwise, 1.0)
        return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    return apply


@pytest.fixture(scope="module")
def variants(videos_dir, pose_track_of):
    root = Path(os.environ["FORMCHECK_CACHE_DIR"]) / "metamorphic"
    root.mkdir(parents=True, exist_ok=True)
    src = videos_dir / CLIP
    paths = {
        "same": _write(src, root / "same.mp4", lambda im: im),
        "rot5": _write(src, root / "rot5_cw.mp4", _rotate(5.0)),
        "mirror": _write(src, root / "mirror.mp4", lambda im: np.ascontiguousarray(im[:, ::-1])),
        "half": _write(src, root / "every_other.mp4", lambda im: im, keep_every=2),
    }
    return {name: analyze_track(pose_track_of(path)[1]) for name, path in paths.items()}


def test_rotating_toward_travel_adds_the_rotation_to_lean(variants):
    base, rotated = variants["same"], variants["rot5"]
    assert base.orientation.facing == rotated.orientation.facing == "right"
    delta = rotated.metrics["trunk_lean_deg"].value - base.metrics["trunk_lean_deg"].value
    assert delta == pytest.approx(5.0, abs=0.5)


def test_mirroring_keeps_lean_and_flips_facing(variants):
    base, mirror = variants["same"], variants["mirror"]
    assert (base.orientation.facing, mirror.orientation.facing) == ("right", "left")
    assert mirror.metrics["trunk_lean_deg"].value == pytest.approx(base.metrics["trunk_lean_deg"].value, abs=0.5)


def test_dropping_every_other_frame_keeps_cadence(variants):
    base, half = variants["same"], variants["half"]
    assert half.metrics["cadence_spm"].value == pytest.approx(base.metrics["cadence_spm"].value, rel=0.02)
