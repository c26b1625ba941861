"""Angles in the runner's frame: the one place image coordinates turn y-up.

Image pixels have y pointing down; every angle here is computed after
flipping y so that "up" is positive, and horizontal directions are
multiplied by the facing sign (+1 = travelling toward image-right, -1 =
toward image-left) so that "forward" is positive whichever way the runner goes.
"""

from __future__ import annotations

import warnings

import numpy as np


def y_up(xy_px: np.ndarray) -> np.ndarray:
    """Same points with y pointing up (x unchanged); works on (..., 2) arrays."""
    out = np.array(xy_px, dtype=np.float64, copy=True)
    out[..., 1] = -out[..., 1]
    return out


def angle_from_vertical_deg(lower: np.ndarray, upper: np.ndarray, facing_sign: np.ndarray | float) -> np.ndarray:
    """Angle of the lower->upper segment from vertical, positive when ``upper`` is ahead (forward).

    Inputs are y-up (..., 2) points; the result is in degrees in (-180, 180].
    """
    d = upper - lower
    return np.degrees(np.arctan2(d[..., 0] * facing_sign, d[..., 1]))


def angle_below_horizontal_deg(back: np.ndarray, front: np.ndarray, facing_sign: np.ndarray | float) -> np.ndarray:
    """Angle of the back->front line below the forward horizontal (looking down = positive)."""
    d = front - back
    return np.degrees(np.arctan2(-d[..., 1], d[..., 0] * facing_sign))


def joint_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Interior angle at ``b`` between b->a and b->c (180 = straight), in degrees."""
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def quiet_nanmean(values: np.ndarray, axis: int) -> np.ndarray:
    """nanmean giving NaN for all-NaN columns without a RuntimeWarning (lost frames are normal)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)
