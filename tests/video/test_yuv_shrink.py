"""Shrinking 4:2:0 planes before the RGB conversion gives the pixels swscale's full-size route gives."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from formcheck.video.frames import _scaled_size, _to_rgb
from formcheck.video.yuv import shrink_to_rgb, yuv_to_rgb_matrix


def _swscale_then_area(frame: av.VideoFrame, size: tuple[int, int]) -> np.ndarray:
    """The route ``_to_rgb`` took before: swscale to full-size RGB, then area averaging."""
    return cv2.resize(frame.to_ndarray(format="rgb24"), size, interpolation=cv2.INTER_AREA)


def _first_frames(path: Path, count: int) -> list[av.VideoFrame]:
    with av.open(str(path)) as container:
        frames = []
        for frame in container.decode(video=0):
            frames.append(frame)
            if len(frames) == count:
                return frames
    return frames


def _planar_frame(y: int, cb: int, cr: int, fmt: str = "yuv420p", size: tuple[int, int] = (64, 48)) -> av.VideoFrame:
    """A uniform frame with the given Y, Cb, Cr samples (8-bit 4:2:0)."""
    width, height = size
    frame = av.VideoFrame(width, height, fmt)
    for plane, value in zip(frame.planes, (y, cb, cr)):
        plane.update(np.full(plane.buffer_size, value, np.uint8).tobytes())
    return frame


def test_every_shared_clip_matches_the_full_size_conversion_within_rounding(videos_dir: Path) -> None:
    for path in sorted(videos_dir.iterdir()):
        for frame in _first_frames(path, 3):
            size = _scaled_size(frame.width, frame.height, 960)
            if size == (frame.width, frame.height):
                size = (frame.width // 2, frame.height // 2)  # small clips are not shrunk by the pipeline: force it
            fast = shrink_to_rgb(frame, size)
            assert fast is not None, path.name  # every shared clip is 8-bit 4:2:0, BT.601 or BT.709
            difference = np.abs(fast.astype(int) - _swscale_then_area(frame, size))
            assert fast.shape == (size[1], size[0], 3)
            assert difference.mean() < 1.5 and np.percentile(difference, 99) <= 5, path.name


@pytest.mark.parametrize("colorspace, color_range", [(1, 1), (5, 1), (1, 2), (2, 0)])
def test_the_colour_tags_are_followed_as_swscale_follows_them(videos_dir: Path, colorspace: int,
                                                              color_range: int) -> None:
    frame = _first_frames(videos_dir / "treadmill_side_gym_portrait_60fps.mp4", 1)[0]
    frame.colorspace, frame.color_range = colorspace, color_range
    size = (540, 960)
    difference = np.abs(shrink_to_rgb(frame, size).astype(int) - _swscale_then_area(frame, size))
    assert difference.mean() < 1.5 and np.percentile(difference, 99) <= 5


@pytest.mark.parametrize("y, cb, cr, full, rgb", [
    (16, 128, 128, False, (0, 0, 0)),
    (235, 128, 128, False, (255, 255, 255)),
    (126, 128, 128, False, (128, 128, 128)),  # 16 + 219 * 128/255 = 125.9: mid grey
    (0, 128, 128, True, (0, 0, 0)),
    (255, 128, 128, True, (255, 255, 255)),
])
def test_greys_by_construction(y: int, cb: int, cr: int, full: bool, rgb: tuple[int, int, int]) -> None:
    frame = _planar_frame(y, cb, cr, "yuvj420p" if full else "yuv420p")
    image = shrink_to_rgb(frame, (32, 24))
    assert image.shape == (24, 32, 3)
    assert np.abs(image.astype(int) - np.array(rgb)).max() <= 1


def test_bt709_red_by_construction() -> None:
    """Pure red in BT.709 limited range: Y = 16 + 219 * 0.2126, Cr at its maximum 240, Cb = 128 - 112 * 0.2126/0.9278."""
    y, cb = 16 + 219 * 0.2126, 128 - 112 * 0.2126 / (1 - 0.0722)
    matrix = yuv_to_rgb_matrix(0.2126, 0.0722, False)
    assert matrix @ np.array([y, cb, 240.0, 1.0]) == pytest.approx([255.0, 0.0, 0.0], abs=1e-6)
    frame = _planar_frame(round(y), round(cb), 240)
    frame.colorspace = 1
    assert np.abs(shrink_to_rgb(frame, (32, 24)).astype(int) - np.array([255, 0, 0])).max() <= 2


def test_frames_it_does_not_handle_go_to_swscale() -> None:
    grey_422 = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 90, np.uint8), format="rgb24").reformat(format="yuv422p")
    assert shrink_to_rgb(grey_422, (32, 24)) is None  # 4:2:2
    bt2020 = _planar_frame(126, 128, 128)
    bt2020.colorspace = 9
    assert shrink_to_rgb(bt2020, (32, 24)) is None  # a matrix it does not carry
    assert shrink_to_rgb(_planar_frame(126, 128, 128), (128, 96)) is None  # enlarging
    image = _to_rgb(grey_422, (32, 24))  # the pipeline still gets the frame, by the swscale route
    assert image.shape == (24, 32, 3) and np.abs(image.astype(int) - 90).max() <= 2


def test_odd_sizes_and_padded_rows() -> None:
    """A 4:2:0 frame of odd size has chroma planes of (w+1)/2 x (h+1)/2 and padded rows; all are cropped."""
    frame = _planar_frame(235, 128, 128, size=(101, 77))
    assert frame.planes[0].line_size >= 101
    image = shrink_to_rgb(frame, (50, 38))
    assert image.shape == (38, 50, 3) and image.min() >= 254
