"""Variants of the shared clips with a known relation to the original, written with PyAV.

Scaled down (tiny frames), time-reversed (a front view becomes a runner going
away: a rear view), panned (a moving crop window, as a camera following the
runner), or flagged with a display rotation the pixels do not need. Each
variant is written once into the cache folder (so its pose track is cached by
its sha256 like any video's) and reused.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from formcheck.video import iter_frames, probe_video

FrameFn = Callable[[int, np.ndarray], np.ndarray]


def variants_dir() -> Path:
    root = Path(os.environ.get("FORMCHECK_CACHE_DIR", Path(__file__).resolve().parents[1] / ".cache")) / "variants"
    root.mkdir(parents=True, exist_ok=True)
    return root


def write_variant(src: Path, dst: Path, transform: FrameFn, *, size_wh: tuple[int, int] | None = None,
                  reverse: bool = False, max_frames: int | None = None, crf: int = 14) -> Path:
    """Re-encode ``src`` through ``transform(index, rgb)`` (H.264), keeping its timestamps (reversed when asked)."""
    if dst.exists():
        return dst
    info = probe_video(src)
    frames = []
    for frame in iter_frames(info):
        if max_frames is not None and frame.index >= max_frames:
            break
        frames.append((frame.time_s, frame.image))
    times = [t for t, _ in frames]
    images = [im for _, im in frames][::-1] if reverse else [im for _, im in frames]
    first = transform(0, images[0])
    height, width = size_wh[::-1] if size_wh else first.shape[:2]
    tmp = dst.with_name(f".{dst.stem}.{os.getpid()}.part.mp4")
    with av.open(str(tmp), "w") as out:
        stream = out.add_stream("libx264", rate=int(round(info.fps)))
        stream.width, stream.height, stream.pix_fmt = width - width % 2, height - height % 2, "yuv420p"
        stream.options = {"crf": str(crf), "preset": "veryfast"}
        stream.time_base = Fraction(1, 600)
        for i, (t, image) in enumerate(zip(times, images)):
            picture = transform(i, image)
            picture = cv2.resize(picture, (stream.width, stream.height), interpolation=cv2.INTER_AREA)
            video_frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(picture), format="rgb24")
            video_frame.pts, video_frame.time_base = int(round((t - times[0]) * 600)), Fraction(1, 600)
            for packet in stream.encode(video_frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    os.replace(tmp, dst)
    return dst


def scaled_to_height(height_px: int) -> FrameFn:
    def apply(_: int, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        return cv2.resize(image, (max(2, round(w * height_px / h)), height_px), interpolation=cv2.INTER_AREA)

    return apply


def panning_window(fraction_w: float, n_frames: int, cycles: float = 1.0) -> FrameFn:
    """A crop ``fraction_w`` of the width wide whose left edge sweeps back and forth ``cycles`` times."""

    def apply(index: int, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        crop_w = int(w * fraction_w)
        phase = (1 - np.cos(2 * np.pi * cycles * index / max(1, n_frames - 1))) / 2
        left = int(round(phase * (w - crop_w)))
        return image[:, left:left + crop_w]

    return apply


def with_display_rotation(src: Path, dst: Path, degrees: int) -> Path:
    """Copy an MP4 with its ``tkhd`` display matrix set to ``degrees`` (90, 180, 270); the pixels are untouched."""
    data = bytearray(src.read_bytes())
    at = data.find(b"tkhd")
    version = data[at + 4]
    matrix_at = at + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    one, minus_one, w = 0x00010000, 0xFFFF0000, 0x40000000
    a, b, c, d = {90: (0, one, minus_one, 0), 180: (minus_one, 0, 0, minus_one), 270: (0, minus_one, one, 0)}[degrees]
    data[matrix_at:matrix_at + 36] = struct.pack(">9I", a, b, 0, c, d, 0, 0, 0, w)
    dst.write_bytes(bytes(data))
    return dst


def shifted(n_frames: int, amplitude_px: float) -> FrameFn:
    """A camera panning to and fro: the picture slides sideways by up to ``amplitude_px`` (black edges)."""

    def apply(index: int, image: np.ndarray) -> np.ndarray:
        dx = amplitude_px * np.sin(2 * np.pi * index / n_frames)
        matrix = np.float32([[1, 0, dx], [0, 1, 0]])
        return cv2.warpAffine(image, matrix, (image.shape[1], image.shape[0]), borderMode=cv2.BORDER_CONSTANT)

    return apply


def following(hip_x_px: np.ndarray, crop_w: int, crop_h: int | None = None) -> FrameFn:
    """A camera following the runner: a ``crop_w`` wide window centred on the (smoothed) hip of each frame."""
    from scipy.ndimage import uniform_filter1d

    idx = np.arange(len(hip_x_px))
    ok = np.isfinite(hip_x_px)
    centre = uniform_filter1d(np.interp(idx, idx[ok], hip_x_px[ok]), 9)

    def apply(index: int, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        ch = crop_h or h
        left = int(np.clip(centre[min(index, len(centre) - 1)] - crop_w / 2, 0, w - crop_w))
        top = (h - ch) // 2
        return image[top:top + ch, left:left + crop_w]

    return apply


def backlit(_: int, image: np.ndarray) -> np.ndarray:
    """Against the light: darks crushed toward black and colour washed out, so the runner is near a silhouette."""
    x = image.astype(np.float32) / 255.0
    x = np.clip((x**2.5) * 0.5, 0, 1)
    x = 0.3 * x + 0.7 * x.mean(axis=2, keepdims=True)
    return (x * 255).astype(np.uint8)
