"""Pixel checks shared by the render tests."""

from __future__ import annotations

import numpy as np


def near_colour(image_rgb: np.ndarray, x: float, y: float, colours: tuple[tuple[int, int, int], ...],
                radius: int = 5, tolerance: float = 40.0) -> bool:
    """Whether any pixel within ``radius`` of (x, y) is within ``tolerance`` (RGB distance) of a colour."""
    h, w = image_rgb.shape[:2]
    x0, x1 = max(0, int(round(x)) - radius), min(w, int(round(x)) + radius + 1)
    y0, y1 = max(0, int(round(y)) - radius), min(h, int(round(y)) + radius + 1)
    patch = image_rgb[y0:y1, x0:x1].reshape(-1, 1, 3).astype(float)
    distances = np.linalg.norm(patch - np.array(colours, dtype=float)[None, :, :], axis=2)
    return bool((distances < tolerance).any())
