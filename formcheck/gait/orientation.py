"""View (side/front/back/oblique) and facing, from the pose itself.

Facing in a side view: overground, the runner goes where the hips travel
(used whenever the hips move by more than ``MIN_TRAVEL_LEGS_PER_S``); on a
treadmill or with a panning camera the body stays put in the image, so the
anatomical cues decide: the feet point forward (toe ahead of heel) and so
does the nose relative to the ears. Votes are smoothed over half a second; runs of one direction
are *passes*, so a runner crossing the frame both ways gets each pass signed
on its own.

View: in a side view the two shoulders (and hips) nearly overlap
horizontally; facing the camera they are about a torso-length apart. The
ratio of shoulder+hip width to torso length separates side (< 0.35), oblique
and front/back (> 0.6). Front vs back: seen from the front, the person's left
shoulder is on the image's right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter

from formcheck.kinematics.body import Body
from formcheck.kinematics.geometry import quiet_nanmean
from formcheck.pose.landmarks import EARS, HIPS, NOSE, SHOULDERS

SIDE_MAX_WIDTH_RATIO = 0.35
FRONT_MIN_WIDTH_RATIO = 0.45
MIN_PASS_S = 0.5
MIN_TRAVEL_LEGS_PER_S = 0.4



@dataclass(frozen=True)
class Pass:
    """A stretch of frames [start, end) with one facing direction (+1 right, -1 left)."""

    start: int
    end: int
    facing_sign: int

    @property
    def facing(self) -> str:
        return "right" if self.facing_sign > 0 else "left"


@dataclass(frozen=True)
class Orientation:
    view: str  # side | front | back | oblique | unknown
    facing: str  # left | right | toward | away | mixed | unknown
    width_ratio: float | None
    facing_sign: np.ndarray  # (n,) +1 / -1 / 0 (unknown), per frame
    passes: tuple[Pass, ...]


def _width_ratio(body: Body) -> np.ndarray:
    sh = np.abs(body.xy[:, SHOULDERS[0], 0] - body.xy[:, SHOULDERS[1], 0])
    hp = np.abs(body.xy[:, HIPS[0], 0] - body.xy[:, HIPS[1], 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sh + hp) / 2.0 / body.torso_length_px


def _facing_votes(body: Body) -> np.ndarray:
    """Per-frame vote in [-1, 1]: feet direction (twice) and nose-ahead-of-ears."""
    votes = []
    for foot in (0, 1):
        d = body.toe(foot)[:, 0] - body.heel(foot)[:, 0]
        votes.append(np.sign(d))
    head = body.xy[:, NOSE, 0] - body.xy[:, list(EARS), 0].mean(axis=1)
    votes.append(np.sign(head))
    stacked = np.vstack(votes)
    with np.errstate(invalid="ignore"):
        vote = quiet_nanmean(np.where(np.isnan(stacked), np.nan, stacked), axis=0) if stacked.size else stacked
    return np.nan_to_num(vote, nan=0.0)


def _travel_votes(body: Body, fps: float) -> np.ndarray:
    """+1/-1 where the hips travel clearly across the image (overground, static camera), else 0."""
    x = body.hip_mid[:, 0]
    half = max(1, int(round(0.25 * fps)))
    vote = np.zeros(body.n)
    for i in range(body.n):
        a, b = max(0, i - half), min(body.n - 1, i + half)
        if b <= a or not (np.isfinite(x[a]) and np.isfinite(x[b])):
            continue
        legs = np.nanmedian(body.leg_length_px[a : b + 1])
        speed = (x[b] - x[a]) / (body.time_s[b] - body.time_s[a]) / legs if legs > 0 else 0.0
        if abs(speed) >= MIN_TRAVEL_LEGS_PER_S:
            vote[i] = np.sign(speed)
    return vote


def _smooth_sign(vote: np.ndarray, window: int) -> np.ndarray:
    if len(vote) == 0:
        return vote.astype(int)
    smoothed = median_filter(vote, size=max(1, window | 1), mode="nearest")
    return np.sign(smoothed).astype(int)


def _passes(sign: np.ndarray, body: Body, fps: float) -> tuple[Pass, ...]:
    passes: list[Pass] = []
    start = 0
    for i in range(1, len(sign) + 1):
        if i == len(sign) or sign[i] != sign[start] or body.scene_cut[i]:
            if sign[start] != 0 and (i - start) >= MIN_PASS_S * fps:
                passes.append(Pass(start, i, int(sign[start])))
            start = i
    return tuple(passes)


def classify_orientation(body: Body, fps: float) -> Orientation:
    """View, overall facing and per-direction passes of the tracked person."""
    ratio = _width_ratio(body)
    valid = np.isfinite(ratio)
    if valid.sum() < max(5, 0.2 * body.n):
        return Orientation("unknown", "unknown", None, np.zeros(body.n, dtype=int), ())
    median_ratio = float(np.median(ratio[valid]))
    if median_ratio < SIDE_MAX_WIDTH_RATIO:
        travel = _travel_votes(body, fps)
        vote = np.where(travel != 0, travel, _facing_votes(body))
        sign = _smooth_sign(vote, int(round(0.5 * fps)))
        passes = _passes(sign, body, fps)
        directions = {p.facing for p in passes}
        facing = directions.pop() if len(directions) == 1 else ("mixed" if directions else "unknown")
        return Orientation("side", facing, median_ratio, sign, passes)
    left_on_right = np.nanmedian(body.xy[:, SHOULDERS[0], 0] - body.xy[:, SHOULDERS[1], 0]) > 0
    if median_ratio >= FRONT_MIN_WIDTH_RATIO:
        view, facing = ("front", "toward") if left_on_right else ("back", "away")
    else:
        view, facing = "oblique", ("toward" if left_on_right else "away")
    return Orientation(view, facing, median_ratio, np.zeros(body.n, dtype=int), ())
