"""Foot contacts and toe-offs from 2D kinematics.

Side view: the coordinate-based method of Zeni, Richards & Higginson (2008),
"Two simple methods for determining gait events during treadmill and
overground walking using kinematic data", Gait & Posture 27(4):710-714:
foot contact is when the heel is farthest *ahead* of the pelvis, toe-off when
the toe is farthest *behind* it. Positions are taken relative to the hip
midpoint along the direction of travel and normalised by leg length, so the
method works on a treadmill, overground and with a panning camera.

One change for 2D video: BlazePose sometimes swaps the left and right leg in a
side view (the far leg is hidden), so events are found on the *leading* heel
(the foremost of the two) and the *trailing* toe, which do not depend on the
labels; steps alternate feet, so each contact gets the foot of the parity that
agrees best with the model's labels. A pose glitch mid-step (both heels put
on one foot for a few frames) can make a false peak between two contacts; a
peak lower than both neighbours, which are under 1.5 step periods apart, is
dropped (``without_split_steps``).

Front/back view (no fore-aft axis in the image): a foot is in stance while it
is the lower one, so the alternation of the two ankles' heights gives one
event per step at a consistent phase: good for cadence, not for contact time.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from formcheck.gait.orientation import Pass
from formcheck.kinematics.body import Body

MIN_PROMINENCE_LEGS = 0.12
MIN_STEP_SPACING_S = 0.15  # a sprinter's step is ~0.22 s; slow motion only lengthens it
MAX_ONE_STEP_PERIODS = 1.5
"""Two contacts less than 1.5 step periods apart span one step, not two: a peak between them that
is lower than both split that step and is dropped. Two real steps span ~2 periods (step times vary
by a few per cent in steady gait: coefficient of variation ~2-3 % in healthy walking, Hausdorff
2005, J NeuroEng Rehabil 2:19; a limp alternating 0.8 and 1.2 periods still sums to 2); a split
step spans 1 (issue 9: a far walker followed by the camera, 0.31 + 0.33 s, period 0.60 s)."""
MIN_FOOT_SEPARATION_LEGS = 0.3
"""In a step the feet end up ~0.4-1 leg length apart fore-aft; squats keep them side by side."""


@dataclass(frozen=True)
class FootEvent:
    """A gait event of one foot at frame ``frame`` (index into the track)."""

    foot: int  # 0 left, 1 right
    kind: str  # "contact" | "toe_off"
    frame: int
    time_s: float
    pass_index: int


def step_period_s(values: np.ndarray, times: np.ndarray) -> float | None:
    """Dominant period of a once-per-step signal, from its autocorrelation.

    Needed because the same clip can be real time (steps ~0.35 s) or 8x slow
    motion (steps ~3 s): peak spacing must follow the clip, not a constant.
    """
    finite = np.isfinite(values)
    if finite.sum() < 10 or len(times) < 10:
        return None
    dt = float(np.median(np.diff(times)))
    x = np.where(finite, values - np.nanmean(values), 0.0)
    n = len(x)
    spectrum = np.fft.rfft(x, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    counts = np.correlate(finite.astype(float), finite.astype(float), "full")[n - 1 :]
    with np.errstate(invalid="ignore", divide="ignore"):
        acf = acf / np.maximum(counts, 1) / (acf[0] / max(counts[0], 1))
    lo, hi = max(1, int(MIN_STEP_SPACING_S / dt)), min(n // 2, int(6.0 / dt))
    if hi <= lo + 2:
        return None
    lags, _ = find_peaks(acf[lo:hi], height=0.1)
    return float((lags[0] + lo) * dt) if len(lags) else None


def _peaks(values: np.ndarray, times: np.ndarray, period_s: float | None = None) -> np.ndarray:
    finite = np.isfinite(values)
    if finite.sum() < 5:
        return np.empty(0, dtype=int)
    dt = float(np.median(np.diff(times))) if len(times) > 1 else 1.0
    spacing_s = max(MIN_STEP_SPACING_S, 0.6 * period_s) if period_s else MIN_STEP_SPACING_S
    filled = np.where(finite, values, np.nanmin(values[finite]) - 10.0)  # a gap never holds a peak
    peaks, _ = find_peaks(filled, prominence=MIN_PROMINENCE_LEGS, distance=max(1, int(spacing_s / dt)))
    return peaks[finite[peaks]]


def without_split_steps(peaks: np.ndarray, values: np.ndarray, times: np.ndarray, period_s: float | None) -> np.ndarray:
    """Drop every peak that splits one step in two (see ``MAX_ONE_STEP_PERIODS``).

    The minimum spacing given to ``find_peaks`` cannot do this alone: a false peak halfway through
    a step is ~0.5 period from both contacts, only a frame or two closer than 0.6 period at 30 fps
    (issue 9: 10.7 frames rounded down to 10, the false peak 10 frames from each contact). Judging
    both neighbours together needs no such margin. Only a peak lower than both neighbours goes: at
    a contact the heel is farthest ahead (Zeni 2008), so when the middle peak is the higher one the
    split is not there, and which outer peak is false is not known; such triples are left alone,
    as is a peak at the end of a pass, which has no neighbour to show a split.
    """
    if not period_s or len(peaks) < 3:
        return peaks
    kept = [int(peaks[0])]
    for b, c in zip(peaks[1:-1], peaks[2:]):
        a = kept[-1]
        one_step = times[c] - times[a] < MAX_ONE_STEP_PERIODS * period_s
        if not (one_step and values[b] < min(values[a], values[c])):
            kept.append(int(b))
    kept.append(int(peaks[-1]))
    return np.asarray(kept, dtype=peaks.dtype)


def _refined_time(values: np.ndarray, times: np.ndarray, i: int) -> float:
    """Sub-frame peak time by a parabola through the peak and its neighbours.

    At 60 fps a frame is 17 ms, ~5% of a running step; without this, step times
    alternate between whole frames and show a false left/right asymmetry.
    """
    if i <= 0 or i >= len(values) - 1 or not np.all(np.isfinite(values[i - 1 : i + 2])):
        return float(times[i])
    left, mid, right = values[i - 1], values[i], values[i + 1]
    denominator = left - 2 * mid + right
    offset = 0.5 * (left - right) / denominator if denominator != 0 else 0.0
    offset = float(np.clip(offset, -0.5, 0.5))
    neighbour = times[i + 1] if offset > 0 else times[i - 1]
    return float(times[i] + abs(offset) * (neighbour - times[i]))


def _assign_feet(raw_feet: list[int]) -> list[int]:
    """Alternate feet along the steps, choosing the parity that matches most raw labels."""
    even = sum(1 for k, f in enumerate(raw_feet) if f == k % 2)
    start = 0 if even >= len(raw_feet) - even else 1
    return [(start + k) % 2 for k in range(len(raw_feet))]


def foot_separation_legs(body: Body, sl: slice, facing_sign: int) -> np.ndarray:
    """Fore-aft distance between the two heels, in leg lengths (for "is this gait at all?")."""
    legs = np.nanmedian(body.leg_length_px[sl])
    return np.abs(body.heel(0)[sl, 0] - body.heel(1)[sl, 0]) / legs if legs > 0 else np.full(sl.stop - sl.start, np.nan)


def side_view_events(body: Body, passes: tuple[Pass, ...]) -> list[FootEvent]:
    """Zeni (2008) contacts (leading heel) and toe-offs (trailing toe) in every pass."""
    events: list[FootEvent] = []
    for p_index, p in enumerate(passes):
        sl = slice(p.start, p.end)
        legs = np.nanmedian(body.leg_length_px[sl])
        if not np.isfinite(legs) or legs <= 0:
            continue
        if np.nanpercentile(foot_separation_legs(body, sl, p.facing_sign), 90) < MIN_FOOT_SEPARATION_LEGS:
            continue
        hip_x = body.hip_mid[sl, 0]
        times = body.time_s[sl]
        heel = np.vstack([(body.heel(f)[sl, 0] - hip_x) * p.facing_sign / legs for f in (0, 1)])
        toe = np.vstack([(body.toe(f)[sl, 0] - hip_x) * p.facing_sign / legs for f in (0, 1)])
        with warnings.catch_warnings():  # frames with neither foot seen are normal: NaN, not a warning
            warnings.simplefilter("ignore", RuntimeWarning)
            leading, trailing = np.nanmax(heel, axis=0), np.nanmin(toe, axis=0)
        period = step_period_s(leading, times)
        contacts = without_split_steps(_peaks(leading, times, period), leading, times, period)
        feet = _assign_feet([int(np.nanargmax(heel[:, i])) for i in contacts])
        for i, foot in zip(contacts, feet):
            events.append(FootEvent(foot, "contact", p.start + int(i), _refined_time(leading, times, int(i)), p_index))
        for i in without_split_steps(_peaks(-trailing, times, period), -trailing, times, period):
            raw = int(np.nanargmin(toe[:, i]))
            events.append(FootEvent(raw, "toe_off", p.start + int(i), _refined_time(-trailing, times, int(i)), p_index))
    return sorted(events, key=lambda e: (e.time_s, e.kind))


def frontal_view_events(body: Body) -> list[FootEvent]:
    """One contact-phase event per step from which ankle is lower (front or back view)."""
    if not np.isfinite(np.nanmedian(body.leg_length_px)):
        return []
    diff = (body.ankle(0)[:, 1] - body.ankle(1)[:, 1]) / body.leg_length_px  # y up: negative = left lower
    period = step_period_s(np.abs(diff), body.time_s)
    events = [FootEvent(0, "contact", int(i), float(body.time_s[i]), 0) for i in _peaks(-diff, body.time_s, period and 2 * period)]
    events += [FootEvent(1, "contact", int(i), float(body.time_s[i]), 0) for i in _peaks(diff, body.time_s, period and 2 * period)]
    return sorted(events, key=lambda e: e.time_s)
