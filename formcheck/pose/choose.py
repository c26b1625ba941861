"""Which person to follow when a clip starts with several people in view.

MediaPipe's pose solution reports one person: whoever its detector scores
highest, which in a race or a park is not necessarily the runner being filmed.
The person filmed is, almost always, the largest and most central one, so at
the first acquisition we find every person with OpenCV's HOG people detector
(Dalal & Triggs 2005; its model ships inside OpenCV, nothing is downloaded) and
pick the box that maximises size times centrality.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

DETECT_MAX_SIDE_PX = 640
MIN_HEIGHT_FRACTION = 0.12  # smaller boxes are far-away passers-by
HOG_WINDOW_WH = (64, 128)
"""OpenCV's people detector window: ``detectMultiScale`` on a smaller image crashes natively (SIGSEGV),
so smaller frames are upscaled to it, and absurd shapes are not searched at all."""
MAX_UPSCALED_SIDE_PX = 4 * DETECT_MAX_SIDE_PX


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)

    def iou(self, other: "Box") -> float:
        ix = max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))
        iy = max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))
        inter = ix * iy
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0


def runner_score(box: Box, width: int, height: int) -> float:
    """Size (share of the frame height) times centrality (1 at the centre, 0 at a corner)."""
    cx, cy = (box.x0 + box.x1) / 2 / width, (box.y0 + box.y1) / 2 / height
    centrality = 1.0 - min(1.0, float(np.hypot(cx - 0.5, cy - 0.5)) / float(np.hypot(0.5, 0.5)))
    return (box.y1 - box.y0) / height * (0.25 + 0.75 * centrality)


def choose_runner(boxes: list[Box], width: int, height: int) -> Box | None:
    """The box of the person most likely being filmed, or None when there is none."""
    big = [b for b in boxes if (b.y1 - b.y0) >= MIN_HEIGHT_FRACTION * height]
    if not big:
        return None
    return max(big, key=lambda b: runner_score(b, width, height))


def detector_scale(width: int, height: int) -> float | None:
    """The resize factor for the people detector: large frames shrink to 640 px, small ones grow to its window.

    None when the frame cannot be searched safely (empty, or so thin that the
    window would need it blown up past ``MAX_UPSCALED_SIDE_PX``).
    """
    if width <= 0 or height <= 0:
        return None
    scale = min(1.0, DETECT_MAX_SIDE_PX / max(height, width))
    scale = max(scale, HOG_WINDOW_WH[0] / width, HOG_WINDOW_WH[1] / height)
    if max(width, height) * scale > MAX_UPSCALED_SIDE_PX:
        return None
    return scale


def detect_people(image_rgb: np.ndarray) -> list[Box]:
    """Person boxes in pixels of ``image_rgb`` (HOG + linear SVM, non-maximum suppressed)."""
    height, width = image_rgb.shape[:2]
    scale = detector_scale(width, height)
    if scale is None:
        return []
    size = (max(HOG_WINDOW_WH[0], round(width * scale)), max(HOG_WINDOW_WH[1], round(height * scale)))
    small = cv2.resize(image_rgb, size) if size != (width, height) else image_rgb
    sx, sy = size[0] / width, size[1] / height
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    rects, weights = hog.detectMultiScale(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), winStride=(8, 8), padding=(8, 8), scale=1.05)
    if len(rects) == 0:
        return []
    keep = cv2.dnn.NMSBoxes([list(map(int, r)) for r in rects], [float(w) for w in np.ravel(weights)], 0.3, 0.4)
    out = []
    for i in np.ravel(keep):
        x, y, w, h = rects[int(i)]
        out.append(Box(x / sx, y / sy, (x + w) / sx, (y + h) / sy))
    return out


def landmarks_box(landmarks: np.ndarray) -> Box:
    xy = landmarks[:, :2][np.isfinite(landmarks[:, 0])]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    return Box(float(x0), float(y0), float(x1), float(y1))
