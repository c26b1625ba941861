"""Strides and steps from foot events, with the per-stride measurements the report uses.

A *step* runs from one foot's contact to the other foot's next contact; a
*stride* from one foot's contact to the same foot's next contact (two steps).
Posture is averaged over a stride because trunk lean oscillates within it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.gait.events import MIN_STEP_SPACING_S, FootEvent
from formcheck.kinematics.body import Body
from formcheck.kinematics.geometry import joint_angle_deg

MAX_STEP_GAP_FACTOR = 1.8
"""A step more than 1.8x the median step has a missed contact inside: not a step."""
MIN_STEP_FRACTION = 0.65
"""A step under 0.65x the median step is one step split by a false contact (a runner entering or leaving the
frame edge: 0.19, 0.23 and 0.28 s beside 0.48-0.54 s steps), not a step: steady gait varies by a few per
cent (Hausdorff 2005), and even a limp alternating 0.8 and 1.2 periods has its short step at 0.8x the median."""


@dataclass(frozen=True)
class Step:
    foot: int  # the foot that lands at the end of the step
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Stride:
    """One gait cycle of ``foot``, frames [start_frame, end_frame), with its measurements."""

    foot: int
    start_frame: int
    end_frame: int
    contact_s: float
    duration_s: float
    facing_sign: int
    trunk_lean_deg: float
    head_flexion_deg: float
    forward_head_deg: float
    knee_flexion_at_contact_deg: float
    overstride_pct_leg: float
    vertical_oscillation_pct_leg: float
    contact_time_s: float
    leg_length_px: float


def steps_from_contacts(contacts: list[FootEvent]) -> list[Step]:
    """Consecutive alternating contacts in the same pass, without missed contacts between.

    A "step" shorter than the quickest sprinter's (or of zero length, from repeated
    timestamps) is two detections of one contact, not a step: it is dropped, so
    no step duration can be zero and no rate derived from steps can be infinite.
    """
    steps = [
        Step(b.foot, a.time_s, b.time_s)
        for a, b in zip(contacts, contacts[1:])
        if a.foot != b.foot and a.pass_index == b.pass_index and b.time_s - a.time_s >= MIN_STEP_SPACING_S
    ]
    if not steps:
        return steps
    median = float(np.median([s.duration_s for s in steps]))
    return [s for s in steps if MIN_STEP_FRACTION * median <= s.duration_s <= MAX_STEP_GAP_FACTOR * median]


def _nanmean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if len(finite) else float("nan")


MIN_ANKLE_DROP_LEGS = 0.5
"""At a contact the landing ankle is well below the hip (~0.9 leg lengths; never above half a leg). A "leg"
whose ankle is higher is one the model laid along something else (a treadmill's handrail, in the lab clip)."""


def _leading_side(body: Body, frame: int, sign: int, legs: float) -> int | None:
    """The leg whose ankle is foremost at ``frame`` among those that can be standing: the one landing at a
    contact; None when neither ankle is low enough to be on the ground, or the foremost is behind the hip.

    Why not the stride's ``foot``: contacts are found on the *leading* heel whatever
    its label (BlazePose swaps the legs in a side view), and ``foot`` is the parity
    label that agrees best with the model's labels over the pass. Where the labels
    are swapped at a contact, the labelled foot is the trailing one, and its ankle,
    behind the hip, gave a "negative overstride" no contact can have.
    """
    hip = body.hip_mid[frame]
    if not np.all(np.isfinite(hip)):
        return None
    best, best_ahead = None, -np.inf
    for side in (0, 1):
        ankle = body.ankle(side)[frame]
        if not np.all(np.isfinite(ankle)):
            continue
        if hip[1] - ankle[1] < MIN_ANKLE_DROP_LEGS * legs:  # y up: a standing ankle is far below the hip
            continue
        ahead = (ankle[0] - hip[0]) * sign
        if ahead > best_ahead:
            best, best_ahead = side, ahead
    return best if best_ahead > 0 else None  # a foot landing behind the hip: not a landing this frame shows


def build_strides(body: Body, events: list[FootEvent], facing_sign: np.ndarray, lean_deg: np.ndarray,
                  head_flexion_deg: np.ndarray, forward_head_deg: np.ndarray, max_stride_s: float) -> list[Stride]:
    """Every contact-to-contact cycle of one foot, measured."""
    contacts = [e for e in events if e.kind == "contact"]
    toe_offs = [e for e in events if e.kind == "toe_off"]
    strides: list[Stride] = []
    for foot in (0, 1):
        mine = [c for c in contacts if c.foot == foot]
        for a, b in zip(mine, mine[1:]):
            duration = b.time_s - a.time_s
            if a.pass_index != b.pass_index or duration > max_stride_s:
                continue
            sl = slice(a.frame, b.frame)
            sign = int(facing_sign[a.frame]) or 1
            legs = float(np.nanmedian(body.leg_length_px[sl]))
            landing = _leading_side(body, a.frame, sign, legs)
            if landing is None:
                knee, overstride = float("nan"), float("nan")
            else:
                knee = joint_angle_deg(body.hip(landing)[a.frame], body.knee(landing)[a.frame],
                                       body.ankle(landing)[a.frame])  # fmt: skip
                overstride = (body.ankle(landing)[a.frame, 0] - body.hip_mid[a.frame, 0]) * sign / legs * 100.0
            hip_y = body.hip_mid[sl, 1]
            oscillation = (np.nanmax(hip_y) - np.nanmin(hip_y)) / legs * 100.0 if np.isfinite(hip_y).any() else np.nan
            next_off = [t for t in toe_offs if a.time_s < t.time_s < a.time_s + 0.5 * duration]  # before the other foot lands
            contact_time = next_off[0].time_s - a.time_s if next_off else float("nan")
            strides.append(Stride(
                foot=foot, start_frame=a.frame, end_frame=b.frame, contact_s=a.time_s, duration_s=duration,
                facing_sign=sign, trunk_lean_deg=_nanmean(lean_deg[sl]), head_flexion_deg=_nanmean(head_flexion_deg[sl]),
                forward_head_deg=_nanmean(forward_head_deg[sl]), knee_flexion_at_contact_deg=float(180.0 - knee),
                overstride_pct_leg=float(overstride), vertical_oscillation_pct_leg=float(oscillation),
                contact_time_s=float(contact_time), leg_length_px=legs,
            ))  # fmt: skip
    return sorted(strides, key=lambda s: s.contact_s)
