"""Running, walking or something else, from the pose itself and not from the clock.

Slow-motion clips make time-based cues (cadence) lie, so the side-view rule
uses the shape of the gait cycle: in walking the body vaults over a stiff
stance leg, so the hips are *highest* at mid-stance and lowest around foot
contact; in running the stance leg compresses like a spring, so the hips are
*lowest* at mid-stance (Cavagna et al. 1977; Novacheck 1998, Gait & Posture
7:77-95). We take, for each step, where in the step the hips are lowest:
near the contact (phase < 0.2 or > 0.8) is walking, mid-step is running.
Peak knee flexion in swing backs it up (running > ~80 deg, walking ~60-65 deg).
Without alternating steps (squats, standing) it is "other"; without a visible
body it is "unknown". A front/back view has no fore-aft axis, so there the
cadence decides (>= 140 steps/min running, <= 125 walking).
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


def classify_activity(body: Body, view: str, steps: list[Step], found_fraction: float,
                      cadence_spm: float | None) -> ActivityCall:
    """Call the activity of the tracked person (see module docstring for the rules)."""
    knee = _swing_knee_flexion(body)
    if found_fraction < 0.2 or view == "unknown":
        return ActivityCall("unknown", "the body was not visible enough to tell", None, knee)
    if len(steps) < 2:
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
    if phase is None:
        return ActivityCall("unknown", "hip height not measurable within steps", None, knee)
    running_phase = 0.2 <= phase <= 0.8
    if running_phase and (knee is None or knee >= 70):
        return ActivityCall("running", f"hips lowest at {phase:.0%} of the step (mid-stance): a bouncing gait", phase, knee)
    if not running_phase and (knee is None or knee < 90):
        return ActivityCall("walking", f"hips lowest at {phase:.0%} of the step (around foot contact): a vaulting gait", phase, knee)
    label = "running" if (knee or 0) >= 80 else "walking"
    return ActivityCall(label, f"hip phase {phase:.0%} and swing knee flexion {knee:.0f} deg disagree; knee decides", phase, knee)
