"""Shrinking a decoded 8-bit YUV 4:2:0 frame straight to a smaller RGB image.

Why: the pose stage wants 1080p phone frames at half size. Converting the whole
frame to RGB first (FFmpeg's swscale, 6.2 MB of output a frame) and then
shrinking it cost 1.3-3.5 ms a frame here, measured inside the decoding loop;
shrinking only the luma plane and converting at the small size costs 0.7-1.0 ms.
At half size the chroma planes already have the output's size, so they are used
as they are, which is what converting at full size (each chroma sample shared
by a 2x2 block) and then averaging each 2x2 block gives too. On the 1-minute
1080x1920 clip that saved ~1.5 s of ~30 s (both cores busy): the per-frame work
outside the model is what kept ``analyze`` short of the ideal two-core split.

The colour matrix follows the frame's tags the way swscale does (BT.709 when
tagged so, else BT.601; full range when tagged JPEG or ``yuvj420p``), so the
pixels match the full-size conversion to within rounding (mean ~1.2 levels,
99th percentile 2-5 on the shared clips). Anything else (10-bit, 4:2:2,
BT.2020) returns None and the caller converts with swscale as before.
"""

from __future__ import annotations

import functools

import av
import cv2
import numpy as np

YUV420_FORMATS = {"yuv420p": False, "yuvj420p": True}
"""8-bit planar 4:2:0 pixel formats, and whether the format itself means full range."""
KR_KB = {1: (0.2126, 0.0722), 2: (0.299, 0.114), 5: (0.299, 0.114), 6: (0.299, 0.114)}
"""Luma weights of red and blue by FFmpeg colorspace tag: 1 BT.709; 2 unspecified, 5 BT.470BG and
6 SMPTE 170M are BT.601 (swscale's default for an untagged frame)."""
JPEG_RANGE = 2
"""FFmpeg's ``AVCOL_RANGE_JPEG``: full-range 0-255 samples."""


@functools.cache
def yuv_to_rgb_matrix(kr: float, kb: float, full_range: bool) -> np.ndarray:
    """The 3 x 4 affine matrix taking (Y, Cb, Cr, 1) samples to (R, G, B), for ``cv2.transform``."""
    kg = 1.0 - kr - kb
    y_scale, y_offset, c_scale = (1.0, 0.0, 1.0) if full_range else (255.0 / 219.0, 16.0, 255.0 / 224.0)
    r_cr = 2.0 * (1.0 - kr) * c_scale
    b_cb = 2.0 * (1.0 - kb) * c_scale
    g_cb, g_cr = -b_cb * kb / kg, -r_cr * kr / kg
    return np.array([
        [y_scale, 0.0, r_cr, -y_scale * y_offset - 128.0 * r_cr],
        [y_scale, g_cb, g_cr, -y_scale * y_offset - 128.0 * (g_cb + g_cr)],
        [y_scale, b_cb, 0.0, -y_scale * y_offset - 128.0 * b_cb],
    ])


def shrink_to_rgb(frame: av.VideoFrame, size: tuple[int, int]) -> np.ndarray | None:
    """``frame`` as RGB (height x width x 3 uint8) shrunk to ``size`` (width, height), or None if not handled.

    Handled: 8-bit 4:2:0 frames with a BT.601 or BT.709 matrix, shrunk (never enlarged:
    for a frame kept at its size swscale's own conversion is faster).
    """
    full_range = YUV420_FORMATS.get(frame.format.name)
    weights = KR_KB.get(int(frame.colorspace))
    width, height = size
    if full_range is None or weights is None or width > frame.width or height > frame.height:
        return None
    luma, cb, cr = (_plane(frame, i) for i in range(3))
    luma = cv2.resize(luma, size, interpolation=cv2.INTER_AREA)
    if cb.shape[:2] != (height, width):
        shrink = width <= cb.shape[1] and height <= cb.shape[0]
        interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
        cb = cv2.resize(cb, size, interpolation=interpolation)
        cr = cv2.resize(cr, size, interpolation=interpolation)
    matrix = yuv_to_rgb_matrix(*weights, full_range or int(frame.color_range) == JPEG_RANGE)
    return cv2.transform(cv2.merge((luma, cb, cr)), matrix)


def _plane(frame: av.VideoFrame, index: int) -> np.ndarray:
    """Plane ``index`` of ``frame`` as a (rows, columns) uint8 view, without the row padding."""
    plane = frame.planes[index]
    rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
    return rows[:plane.height, :plane.width]
