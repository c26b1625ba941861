"""Per-frame 2D sagittal joint angles of the legs, for the ``.mot`` export.

The metrics stage only needs knee flexion at contact; a biomechanics tool wants
the whole curve of every joint. These are PLANAR angles in the image plane of a
side view (the camera's projection of the joints, not 3D joint coordinates),
computed from the cleaned y-up points of ``Body``. Horizontal components are
multiplied by the frame's facing sign, so "forward" is the direction of travel
whichever way the runner goes; frames whose direction is unknown
(``facing_sign == 0``) get NaN, as the trunk and head angles do.

Sign conventions follow OpenSim's gait models where a model coordinate exists
(hip flexion and ankle dorsiflexion positive), except the knee, reported as
FLEXION (positive when bent), the opposite sign of OpenSim's ``knee_angle``:

- hip flexion: from the trunk line continued downward (shoulder-midpoint ->
  hip-midpoint) to the thigh (hip -> knee); positive = knee ahead of the trunk
  line. Relative to the trunk, not the vertical, because that is what the joint
  does: leaning forward with a vertical thigh is hip flexion.
- knee flexion: from the thigh direction (hip -> knee) to the shank
  (knee -> ankle); 0 = straight, positive = ankle behind the thigh line,
  negative = hyperextended.
- ankle angle: from the shank-perpendicular to the foot (heel -> toe); 0 = foot
  at right angles to the shank, positive = dorsiflexion (toes toward the shin).
  BlazePose's heel and toe points are not a calibrated sole line, so expect a
  constant offset of a few degrees against a lab measurement.
"""

from __future__ import annotations

import numpy as np

from formcheck.kinematics.body import Body
from formcheck.pose.landmarks import ANKLES, HEELS, HIPS, KNEES, SIDES, TOES


def signed_angle_deg(u: np.ndarray, v: np.ndarray, facing_sign: np.ndarray | float) -> np.ndarray:
    """Angle that turns ``u`` onto ``v`` in the (forward, up) plane, counter-clockwise positive, in (-180, 180].

    Inputs are y-up (..., 2) vectors; x is multiplied by ``facing_sign`` first,
    so rotating from "down" toward "forward" is positive whichever way the runner travels.
    """
    ux, uy = u[..., 0] * facing_sign, u[..., 1]
    vx, vy = v[..., 0] * facing_sign, v[..., 1]
    return np.degrees(np.arctan2(ux * vy - uy * vx, ux * vx + uy * vy))


def _wrap_deg(angle: np.ndarray) -> np.ndarray:
    return (angle + 180.0) % 360.0 - 180.0


def leg_angles_deg(body: Body, facing_sign: np.ndarray) -> dict[str, np.ndarray]:
    """``hip_flexion_l/r``, ``knee_flexion_l/r``, ``ankle_angle_l/r`` per frame, in degrees (see module docstring)."""
    sign = np.where(facing_sign == 0, np.nan, facing_sign).astype(np.float64)
    trunk_down = body.hip_mid - body.shoulder_mid
    out: dict[str, np.ndarray] = {}
    for foot, side in enumerate(SIDES):
        hip, knee, ankle = body.xy[:, HIPS[foot]], body.xy[:, KNEES[foot]], body.xy[:, ANKLES[foot]]
        thigh, shank = knee - hip, ankle - knee
        foot_line = body.xy[:, TOES[foot]] - body.xy[:, HEELS[foot]]
        suffix = side[0]
        out[f"hip_flexion_{suffix}"] = signed_angle_deg(trunk_down, thigh, sign)
        out[f"knee_flexion_{suffix}"] = -signed_angle_deg(thigh, shank, sign)
        out[f"ankle_angle_{suffix}"] = _wrap_deg(signed_angle_deg(shank, foot_line, sign) - 90.0)
    return out
