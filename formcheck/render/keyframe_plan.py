"""Which frames become key frames, and what each one is honestly called (pure, no I/O).

A key frame pair "early vs late" should show the drift, not a lucky or unlucky
stride, so each side shows a *typical* stride: the stride in the first (last)
fifth of strides whose trunk lean is closest to that fifth's median. The fifth
has the same size as in ``formcheck.posture.drift`` (round(n / 5), at least 1),
so the pictures match the drift numbers in ``summary.json``.

Phases of a stride (rows of the track):
- contact: the stride's first frame (Zeni contact of that foot);
- toe-off: the same foot's next toe-off inside the stride;
- mid-stance: halfway between the two, or 20% into the stride when no toe-off
  was found (and the toe-off picture is then labelled as an estimate at 40%).

Without strides (front view, too short a clip) the key frames are evenly spaced
frames where the runner was found, and their titles say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.pipeline import Analysis
from formcheck.gait.strides import Stride
from formcheck.pose.track import PoseTrack

PHASES = ("contact", "midstance", "toe_off")
PHASE_LABELS = {"contact": "contact", "midstance": "mid-stance", "toe_off": "toe-off"}
MIDSTANCE_WITHOUT_TOE_OFF = 0.2
TOE_OFF_ESTIMATE = 0.4
"""Share of the stride where toe-off is drawn when none was detected (running: ~0.3-0.4 of the cycle)."""
SAMPLE_FRAMES = 6


@dataclass(frozen=True)
class KeyFrame:
    """One picture to write: ``name`` is the file stem, ``row`` the track row shown."""

    name: str
    row: int
    group: str  # "early" | "late" | "sample"
    phase: str  # one of PHASES, or "frame"
    title: str
    detail: str
    stride_number: int | None = None  # 1-based, in time order


@dataclass(frozen=True)
class KeyFramePlan:
    frames: tuple[KeyFrame, ...]
    heading: str  # what the combined picture shows
    strides_based: bool

    @property
    def rows(self) -> list[int]:
        return sorted({k.row for k in self.frames})


def fifth_size(n: int) -> int:
    """Strides in a fifth, as ``formcheck.posture.drift.fifths_drift`` counts them."""
    return max(1, int(round(n / 5)))


def typical_stride(strides: list[Stride]) -> Stride:
    """The stride whose trunk lean is closest to the group's median (the middle one if none has a lean)."""
    leans = np.array([s.trunk_lean_deg for s in strides], dtype=float)
    finite = np.isfinite(leans)
    if not finite.any():
        return strides[len(strides) // 2]
    median = float(np.median(leans[finite]))
    distance = np.where(finite, np.abs(leans - median), np.inf)
    return strides[int(np.argmin(distance))]


def stride_phases(stride: Stride, analysis: Analysis) -> dict[str, tuple[int, bool]]:
    """Row of each phase and whether it was measured (False = placed at a fixed share of the stride).

    A running foot leaves the ground before the other one lands (there is a flight phase), so in a run the
    toe-off is looked for only before the next contact: a later "toe-off" of the same label is the other foot's
    (BlazePose swaps the legs' labels) and drew the front foot already down as the stance foot's push-off.
    """
    span = stride.end_frame - stride.start_frame
    last = stride.end_frame
    if analysis.activity.activity == "running":
        last = min((e.frame for e in analysis.events
                    if e.kind == "contact" and stride.start_frame < e.frame < stride.end_frame), default=last)  # fmt: skip
    toe_offs = [e.frame for e in analysis.events
                if e.kind == "toe_off" and e.foot == stride.foot and stride.start_frame < e.frame < last]  # fmt: skip
    if toe_offs:
        toe_off, measured = toe_offs[0], True
        mid = (stride.start_frame + toe_off) // 2
    else:
        toe_off, measured = stride.start_frame + int(round(TOE_OFF_ESTIMATE * span)), False
        mid = stride.start_frame + int(round(MIDSTANCE_WITHOUT_TOE_OFF * span))
    return {"contact": (stride.start_frame, True), "midstance": (mid, measured), "toe_off": (toe_off, measured)}


def _stride_frames(group: str, stride: Stride, number: int, total: int, analysis: Analysis,
                   track: PoseTrack) -> list[KeyFrame]:  # fmt: skip
    frames = []
    contact_time = analysis.metrics.get("ground_contact_ms")
    toe_off_doubtful = contact_time is not None and contact_time.value is None and "toe-off" in (contact_time.reason or "")
    for phase, (row, measured) in stride_phases(stride, analysis).items():
        label = PHASE_LABELS[phase]
        if measured and phase == "toe_off" and toe_off_doubtful:
            label += " (uncertain in this clip)"  # the contact time was withheld for it: the picture says so too
        elif not measured and phase == "toe_off":
            label += f" (not detected: {100 * TOE_OFF_ESTIMATE:.0f}% of stride)"
        elif not measured and phase == "midstance":
            label += f" ({100 * MIDSTANCE_WITHOUT_TOE_OFF:.0f}% of stride)"
        lean = float(analysis.lean_deg[row])
        lean_text = f"{lean:+.1f} deg" if np.isfinite(lean) else "n/a"
        frames.append(KeyFrame(
            name=f"{group}_{phase}", row=row, group=group, phase=phase,
            title=f"{group.upper()} stride {number}/{total}: {label}",
            detail=f"t {track.time_s[row]:.2f} s  trunk lean {lean_text} (stride mean {stride.trunk_lean_deg:+.1f})",
            stride_number=number,
        ))  # fmt: skip
    return frames


def _why_no_strides(analysis: Analysis) -> str:
    view = analysis.orientation.view
    if view != "side":
        return f"no strides measured ({view} view)"
    n = len(analysis.strides)
    return f"only {n} stride{'s' if n != 1 else ''} measured"


def plan_keyframes(track: PoseTrack, analysis: Analysis) -> KeyFramePlan:
    """Typical early and late stride (3 phases each), or evenly spaced frames without strides."""
    strides = list(analysis.strides)
    if analysis.orientation.view == "side" and len(strides) >= 2:
        k = fifth_size(len(strides))
        early, late = typical_stride(strides[:k]), typical_stride(strides[-k:])
        number = {id(s): i + 1 for i, s in enumerate(strides)}
        frames = (_stride_frames("early", early, number[id(early)], len(strides), analysis, track)
                  + _stride_frames("late", late, number[id(late)], len(strides), analysis, track))  # fmt: skip
        drift = analysis.drift.get("trunk_lean_deg")
        if drift is not None:
            heading = (f"trunk lean {drift.first_mean:+.1f} deg (first fifth) -> {drift.last_mean:+.1f} deg "
                       f"(last fifth), {drift.n_each} strides each")  # fmt: skip
        else:
            heading = (f"stride {number[id(early)]} lean {early.trunk_lean_deg:+.1f} deg vs stride "
                       f"{number[id(late)]} lean {late.trunk_lean_deg:+.1f} deg (too few strides for drift)")  # fmt: skip
        return KeyFramePlan(tuple(frames), heading, True)
    found = np.flatnonzero(track.found)
    if len(found) == 0:
        found = np.arange(track.n_frames)
    picks = sorted({int(found[int(round(i))]) for i in np.linspace(0, len(found) - 1, min(SAMPLE_FRAMES, len(found)))})
    why = _why_no_strides(analysis)
    frames = []
    for i, row in enumerate(picks):
        lean = float(analysis.lean_deg[row])
        frames.append(KeyFrame(
            name=f"frame_{i + 1}", row=row, group="sample", phase="frame",
            title=f"{why}: frame at t {track.time_s[row]:.2f} s",
            detail=f"trunk lean {lean:+.1f} deg (one frame, not a stride mean)" if np.isfinite(lean) else "trunk lean n/a",
        ))  # fmt: skip
    return KeyFramePlan(tuple(frames), f"{why}: evenly spaced frames", False)
