"""Drawing a pose on a frame: skeleton, trunk line with its angle, caption banner.

Shared by the key frames and the overlay video so that both look the same and
a reader learns one picture. Images are RGB ``uint8`` (as ``iter_frames``
yields them) and are drawn on in place; sizes (line width, text) follow the
image size so a 480 px clip and a 1080 px clip read alike. Everything is
OpenCV primitives (lines, circles, putText): fast enough for every frame of
a video, and no font files to ship.

Why one colour for both legs: BlazePose swaps the left and right leg in side
views (see ``formcheck.gait.events``), so left/right colours would flicker
and mislead; the measurements do not rely on the labels either.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from formcheck.analysis.pipeline import Analysis
from formcheck.errors import OutputError
from formcheck.pose.landmarks import SKELETON_EDGES
from formcheck.render.source import pose_px, trunk_px

BONE_RGB = (0, 230, 255)
JOINT_RGB = (255, 40, 255)
TRUNK_RGB = (255, 200, 0)
VERTICAL_RGB = (255, 255, 255)
TEXT_RGB = (255, 255, 255)
BANNER_RGB = (20, 20, 20)
SKELETON_COLOURS_RGB = (BONE_RGB, JOINT_RGB, TRUNK_RGB)
"""Colours a test (or a reader) can look for to know the pose was really drawn."""

JOINTS = tuple(sorted({i for edge in SKELETON_EDGES for i in edge}))
FONT = cv2.FONT_HERSHEY_SIMPLEX


def line_px(image: np.ndarray) -> int:
    """Line thickness that stays visible after the file is downscaled to <= 960 px."""
    return max(2, int(round(max(image.shape[:2]) / 400)))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _finite(p: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(p)))


def draw_skeleton(image: np.ndarray, points_px: np.ndarray) -> None:
    """Bones and joints of one pose; points are (33, 2) in ``image`` pixels, NaN = not drawn."""
    width = line_px(image)
    for a, b in SKELETON_EDGES:
        if _finite(points_px[a]) and _finite(points_px[b]):
            cv2.line(image, _pt(points_px[a]), _pt(points_px[b]), BONE_RGB, width, cv2.LINE_AA)
    radius = max(3, int(round(1.6 * width)))
    for j in JOINTS:
        if _finite(points_px[j]):
            cv2.circle(image, _pt(points_px[j]), radius, JOINT_RGB, -1, cv2.LINE_AA)


def draw_trunk(image: np.ndarray, hip_px: np.ndarray, shoulder_px: np.ndarray, lean_deg: float | None) -> None:
    """The hip-mid -> shoulder-mid line, a plumb line from the hip, and the angle between them.

    The plumb line is drawn so the angle can be seen, not just read: trunk lean is
    defined against the vertical (DESIGN.md).
    """
    if not (_finite(hip_px) and _finite(shoulder_px)):
        return
    width = line_px(image)
    length = float(np.hypot(*(shoulder_px - hip_px)))
    top = hip_px - np.array([0.0, 1.15 * length])
    cv2.line(image, _pt(hip_px), _pt(top), VERTICAL_RGB, max(1, width // 2), cv2.LINE_AA)
    cv2.line(image, _pt(hip_px), _pt(shoulder_px), TRUNK_RGB, 2 * width, cv2.LINE_AA)
    cv2.circle(image, _pt(hip_px), 2 * width, TRUNK_RGB, -1, cv2.LINE_AA)
    if lean_deg is not None and np.isfinite(lean_deg):
        # beside the middle of the trunk, to its left: clear of the head, which sits above the shoulders
        scale = text_scale(image)
        text = f"{lean_deg:+.1f} deg"
        text_w = cv2.getTextSize(text, FONT, scale, max(1, int(round(2 * scale))))[0][0]
        middle = (hip_px + shoulder_px) / 2.0
        at = np.array([min(hip_px[0], shoulder_px[0]) - 3.0 * width - text_w, middle[1]])
        draw_text(image, text, at, scale, TRUNK_RGB)


def draw_pose_on(image: np.ndarray, analysis: Analysis, row: int, sx: float = 1.0, sy: float = 1.0) -> None:
    """Skeleton + trunk line + angle of track ``row`` on ``image`` (track pixels scaled by ``sx, sy``)."""
    scale = np.array([sx, sy])
    draw_skeleton(image, pose_px(analysis, row) * scale)
    hip, shoulder = trunk_px(analysis, row)
    lean = float(analysis.lean_deg[row])
    draw_trunk(image, hip * scale, shoulder * scale, lean if np.isfinite(lean) else None)


def text_scale(image: np.ndarray) -> float:
    """putText scale proportional to the image width (about 40 characters across)."""
    return max(0.4, image.shape[1] / 950.0)


def draw_text(image: np.ndarray, text: str, at: np.ndarray, scale: float, colour: tuple[int, int, int]) -> None:
    """Text with a dark outline so it reads on any background; clamped inside the image."""
    thick = max(1, int(round(2 * scale)))
    (w, h), _ = cv2.getTextSize(text, FONT, scale, thick)
    x = int(min(max(0.0, float(at[0])), image.shape[1] - w - 1))
    y = int(min(max(float(h + 2), float(at[1])), image.shape[0] - 2))
    cv2.putText(image, text, (x, y), FONT, scale, BANNER_RGB, thick + 3, cv2.LINE_AA)
    cv2.putText(image, text, (x, y), FONT, scale, colour, thick, cv2.LINE_AA)


def draw_banner(image: np.ndarray, lines: list[str], scale: float | None = None) -> None:
    """Caption lines on a dark strip across the top of the image."""
    if not lines:
        return
    scale = scale or text_scale(image)
    thick = max(1, int(round(1.6 * scale)))
    line_h = int(cv2.getTextSize("Hg", FONT, scale, thick)[0][1] * 1.9)
    height = line_h * len(lines) + line_h // 2
    strip = image[:height]
    strip[:] = (0.35 * strip + 0.65 * np.array(BANNER_RGB)).astype(np.uint8)
    for i, text in enumerate(lines):
        cv2.putText(image, text, (line_h // 3, line_h * (i + 1)), FONT, scale, TEXT_RGB, thick, cv2.LINE_AA)


def fit_height(image: np.ndarray, max_height: int) -> np.ndarray:
    """Downscale (area-averaged) to at most ``max_height`` pixels tall; never upscale."""
    h, w = image.shape[:2]
    if h <= max_height:
        return image
    scale = max_height / float(h)
    return cv2.resize(image, (max(1, int(round(w * scale))), max_height), interpolation=cv2.INTER_AREA)


JPEG_QUALITY = 90
"""Key frames are photographs: as JPEG at quality 90 a 540 x 960 frame is ~100 KB and takes ~4 ms to
encode; as PNG (zlib level 1) it was ~500 KB and 45 ms, seven of them ~0.35 s of every ``analyze``.
At 90 the skeleton's anti-aliased lines show no visible ringing."""


def write_jpeg(path: Path, image_rgb: np.ndarray, quality: int = JPEG_QUALITY) -> None:
    """Write an RGB image as JPEG (OpenCV wants BGR); a failed write is an OutputError."""
    ok = cv2.imwrite(str(path), cv2.cvtColor(image_rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise OutputError(f"could not write {path}: check free space and permissions of the output folder.")
