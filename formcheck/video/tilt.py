"""How far the camera is off level, from the scene's long straight lines.

Trunk lean is measured against the image vertical, so a phone propped 4°
off level adds 4° to every lean. The scene usually holds long lines that are
truly level or plumb (treadmill deck, door frames, the horizon, fences):
we find them (Canny edges + probabilistic Hough transform), keep those within
15° of horizontal or vertical and away from the runner, and take the
length-weighted median of their deviation. It is only used to WARN: the lean
is never silently corrected, so a rotated video still changes the lean.

Sign: positive = the scene is rotated counter-clockwise in the image (its
level lines rise to the right), which makes a right-facing runner's lean
read smaller by about that much.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_DEVIATION_DEG = 15.0
WARN_ABOVE_DEG = 2.0
MIN_LINES = 3
MAX_INSIDE_RUNNER = 0.5  # a line mostly inside the runner's box is the runner, not the scene


@dataclass(frozen=True)
class TiltEstimate:
    """Median deviation of level/plumb lines from the image axes, and how many lines backed it."""

    tilt_deg: float | None
    lines: int


def line_deviations(image_rgb: np.ndarray, exclude_box: tuple[float, float, float, float] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Deviation (deg, CCW positive) and length (px) of long near-level/near-plumb lines in one frame.

    Lines are found in the whole frame and those lying mostly inside ``exclude_box``
    (the runner) are dropped afterwards. Masking the box's edges out before the
    search made every line depend on the box: the probabilistic Hough transform
    visits edge points in a pseudo-random order over the whole edge set, so a box
    2 px wider gave 9 lines instead of 6 on the same frame, and a clip's tilt moved
    by 0.8 deg with the number of pose workers. Filtering after keeps each line's
    fate local: a small shift of the box changes only lines at its border.
    """
    gray = cv2.cvtColor(image_rgb, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 50, 150)
    min_length = 0.2 * min(width, height)
    lines = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=60, minLineLength=min_length, maxLineGap=6)
    if lines is None:
        return np.empty(0), np.empty(0)
    seg = lines[:, 0, :].astype(np.float64)
    dx, dy = seg[:, 2] - seg[:, 0], -(seg[:, 3] - seg[:, 1])  # y up
    angle = np.degrees(np.arctan2(dy, dx))
    angle = (angle + 90.0) % 180.0 - 90.0  # (-90, 90]: direction of a line, not a vector
    length = np.hypot(dx, dy)
    horizontal = np.abs(angle) <= MAX_DEVIATION_DEG
    vertical = np.abs(np.abs(angle) - 90.0) <= MAX_DEVIATION_DEG
    deviation = np.where(horizontal, angle, np.where(angle > 0, angle - 90.0, angle + 90.0))
    margin = 4.0  # letterbox bars and the frame's own edge are not scene lines
    on_border = (
        (np.maximum(seg[:, 0], seg[:, 2]) < margin) | (np.minimum(seg[:, 0], seg[:, 2]) > width - 1 - margin)
        | (np.maximum(seg[:, 1], seg[:, 3]) < margin) | (np.minimum(seg[:, 1], seg[:, 3]) > height - 1 - margin)
    )
    keep = (horizontal | vertical) & ~on_border
    if exclude_box is not None:
        keep &= fraction_inside(seg, exclude_box) < MAX_INSIDE_RUNNER
    return deviation[keep], length[keep]


def fraction_inside(seg: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """For segments (n, 4: x0 y0 x1 y1), the fraction of each one's length inside ``box`` (Liang-Barsky clip)."""
    x0, y0, x1, y1 = box
    p0, d = seg[:, :2], seg[:, 2:] - seg[:, :2]
    enter, leave = np.zeros(len(seg)), np.ones(len(seg))
    for axis, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        step, start = d[:, axis], p0[:, axis]
        flat = step == 0
        outside = flat & ((start < lo) | (start > hi))
        with np.errstate(divide="ignore", invalid="ignore"):
            t_lo, t_hi = (lo - start) / step, (hi - start) / step
        near, far = np.minimum(t_lo, t_hi), np.maximum(t_lo, t_hi)
        enter = np.where(flat, enter, np.maximum(enter, near))
        leave = np.where(flat, leave, np.minimum(leave, far))
        leave = np.where(outside, 0.0, leave)
    return np.clip(leave - enter, 0.0, 1.0)


def estimate_tilt(deviations: list[np.ndarray], lengths: list[np.ndarray]) -> TiltEstimate:
    """Length-weighted median over lines collected from several frames."""
    if not deviations:
        return TiltEstimate(None, 0)
    dev, weight = np.concatenate(deviations), np.concatenate(lengths)
    if len(dev) < MIN_LINES:
        return TiltEstimate(None, int(len(dev)))
    order = np.argsort(dev)
    cumulative = np.cumsum(weight[order])
    median = float(dev[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])
    return TiltEstimate(round(median, 2), int(len(dev)))
