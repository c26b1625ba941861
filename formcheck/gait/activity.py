"""Running, walking or something else: several cues combined, each stated in the reason.

No single cue decides, because each fails somewhere on real clips:

* **Cadence** (steps/min). Walking above ~140 steps/min is rare, and slow
  motion can only *lower* a file-clock cadence, so a high cadence is strong
  evidence of running whatever the clock. A low cadence counts for walking only
  when the clock is known to be real time (the capture rate was given): a
  slow-motion run looks like 18 steps/min by the file's clock.
* **Hip phase** (side view). In walking the body vaults over a stiff stance
  leg, so the hips are *highest* at mid-stance and lowest around foot contact;
  in running the stance leg compresses like a spring, so the hips are *lowest*
  at mid-stance (Cavagna et al. 1977; Novacheck 1998, Gait & Posture 7:77-95).
  For each step we take where in the step the hips are lowest.
* **Swing knee flexion**. Walking peaks at ~60-65 deg; running usually above
  ~90 deg, but a jogger with a low knee lift can stay under 70 deg, so the
  middle band says nothing.

A flight phase / double support from 2D foot heights was measured and left
out: on the shared clips, toe-off timing (Zeni) put the walkers' and the
runners' toe-offs at the same step phases (median 28 % vs 10 % of the step,
the wrong way round), and the lowest foot's clearance rose as high in a far
walker (0.18 leg lengths, perspective) as in a treadmill runner (0.10).

The cues are weighted votes (cadence 2.5, hip phase 1, knee 1 or 1.5 when
beyond what walking reaches); the sign of the sum decides, a tie is
"unknown". Without alternating steps (squats, standing) it is "other";
without a visible body it is "unknown". A front/back view has no fore-aft
axis, so there the cadence decides (>= 140 steps/min running, <= 125 walking).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.gait.strides import Step
from formcheck.kinematics.body import Body
from formcheck.kinematics.geometry import joint_angle_deg


@dataclass(frozen=True)
class ActivityCall:
    activity: str  # running | walking | other | unknown
    reason: str
    hip_low_phase: float | None
    swing_knee_flexion_deg: float | None
    too_short: bool = False  # "unknown" because the clip ends before gait can show, not because of the body


def _hip_low_phase(body: Body, steps: list[Step]) -> float | None:
    phases = []
    for step in steps:
        sel = (body.time_s >= step.start_s) & (body.time_s < step.end_s)
        y = body.hip_mid[sel, 1]
        if np.isfinite(y).sum() < 3:
            continue
        t = body.time_s[sel][int(np.nanargmin(y))]
        phases.append((t - step.start_s) / step.duration_s)
    if not phases:
        return None
    angles = np.asarray(phases) * 2 * np.pi  # circular mean: 0.95 and 0.05 are both "near contact"
    mean = np.arctan2(np.sin(angles).mean(), np.cos(angles).mean()) / (2 * np.pi)
    return float(mean % 1.0)


def _swing_knee_flexion(body: Body) -> float | None:
    flex = []
    for foot in (0, 1):
        angle = joint_angle_deg(body.hip(foot), body.knee(foot), body.ankle(foot))
        if np.isfinite(angle).sum() > 10:
            flex.append(180.0 - np.nanpercentile(angle, 5))
    return float(np.mean(flex)) if flex else None


RUNNING_CADENCE_SPM = 145.0
MAX_CADENCE_SPM = 300.0  # a sprinter's ~5 steps/s; above it the steps were mis-detected
WALKING_CADENCE_SPM = 125.0
CADENCE_WEIGHT = 2.5
HIP_PHASE_RUNNING = (0.2, 0.8)
KNEE_WALKING_MAX_DEG = 60.0
KNEE_RUNNING_MIN_DEG = 80.0
KNEE_BEYOND_WALKING_DEG = 90.0


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: ``vote`` +1 running, -1 walking, 0 silent, with its weight and wording."""

    name: str
    vote: int
    weight: float
    text: str


def cadence_cue(cadence_spm: float | None, real_time_known: bool) -> Cue:
    if cadence_spm is None:
        return Cue("cadence", 0, 0.0, "cadence not measured")
    if cadence_spm > MAX_CADENCE_SPM:
        return Cue("cadence", 0, 0.0, f"cadence {cadence_spm:.0f} steps/min is not possible: not used")
    if cadence_spm >= RUNNING_CADENCE_SPM:
        return Cue("cadence", 1, CADENCE_WEIGHT, f"cadence {cadence_spm:.0f} steps/min (walking rarely exceeds 140): running")
    if cadence_spm <= WALKING_CADENCE_SPM and real_time_known:
        return Cue("cadence", -1, CADENCE_WEIGHT, f"cadence {cadence_spm:.0f} steps/min in real time: walking")
    if cadence_spm <= WALKING_CADENCE_SPM:
        return Cue("cadence", 0, 0.0, f"cadence {cadence_spm:.0f} steps/min by the file's clock: not used (slow motion lowers it)")
    return Cue("cadence", 0, 0.0, f"cadence {cadence_spm:.0f} steps/min: between walking and running")


def hip_phase_cue(phase: float | None) -> Cue:
    if phase is None:
        return Cue("hip phase", 0, 0.0, "hip height not measurable within steps")
    if HIP_PHASE_RUNNING[0] <= phase <= HIP_PHASE_RUNNING[1]:
        return Cue("hip phase", 1, 1.0, f"hips lowest at {phase:.0%} of the step (mid-stance, a bouncing gait): running")
    return Cue("hip phase", -1, 1.0, f"hips lowest at {phase:.0%} of the step (around contact, a vaulting gait): walking")


def knee_cue(knee_deg: float | None) -> Cue:
    if knee_deg is None:
        return Cue("knee", 0, 0.0, "swing knee flexion not measurable")
    if knee_deg >= KNEE_BEYOND_WALKING_DEG:
        return Cue("knee", 1, 1.5, f"swing knee flexion {knee_deg:.0f} deg (beyond walking's ~65): running")
    if knee_deg >= KNEE_RUNNING_MIN_DEG:
        return Cue("knee", 1, 1.0, f"swing knee flexion {knee_deg:.0f} deg: running")
    if knee_deg <= KNEE_WALKING_MAX_DEG:
        return Cue("knee", -1, 1.0, f"swing knee flexion {knee_deg:.0f} deg: walking")
    return Cue("knee", 0, 0.0, f"swing knee flexion {knee_deg:.0f} deg: a walker's or a low-lift jogger's, not used")


def combine(cues: list[Cue]) -> tuple[str, str]:
    """The activity the weighted votes give, and a reason naming every cue."""
    score = sum(c.vote * c.weight for c in cues)
    activity = "running" if score > 0 else "walking" if score < 0 else "unknown"
    verdict = "cues disagree evenly" if activity == "unknown" else f"{activity} by {abs(score):g} weighted votes"
    return activity, f"{verdict}: " + "; ".join(c.text for c in cues)


TOO_SHORT_TO_TELL_S = 4.0
"""A clip this short with a step in it may simply end before the next one (a 2.8-s jog toward the camera
showed one): too short to call "no alternating steps"; a longer one with under two steps is not gait."""


def classify_activity(body: Body, view: str, steps: list[Step], found_fraction: float,
                      cadence_spm: float | None, real_time_known: bool = False) -> ActivityCall:
    """Call the activity of the tracked person (see module docstring for the rules).

    ``cadence_spm`` is in real time when ``real_time_known`` (the capture rate was
    given), else by the file's clock.
    """
    knee = _swing_knee_flexion(body)
    if found_fraction < 0.2 or view == "unknown":
        return ActivityCall("unknown", "the body was not visible enough to tell", None, knee)
    if len(steps) < 2:
        span_s = float(body.time_s[-1] - body.time_s[0]) if body.n > 1 else 0.0
        if steps and span_s < TOO_SHORT_TO_TELL_S:
            return ActivityCall("unknown", f"only {len(steps)} step in {span_s:.1f} s: too short to tell walking, "
                                "running or anything else; film at least 10 s", None, knee, too_short=True)  # fmt: skip
        return ActivityCall("other", "no alternating steps: the feet do not move like walking or running", None, knee)
    if view != "side":
        if cadence_spm is None:
            return ActivityCall("unknown", "front/back view without a cadence", None, knee)
        if cadence_spm >= 140:
            return ActivityCall("running", f"front/back view, cadence {cadence_spm:.0f} steps/min", None, knee)
        if cadence_spm <= 125:
            return ActivityCall("walking", f"front/back view, cadence {cadence_spm:.0f} steps/min", None, knee)
        return ActivityCall("unknown", f"front/back view, cadence {cadence_spm:.0f} steps/min is between walking and running", None, knee)
    phase = _hip_low_phase(body, steps)
    activity, reason = combine([cadence_cue(cadence_spm, real_time_known), hip_phase_cue(phase), knee_cue(knee)])
    return ActivityCall(activity, reason, phase, knee)
