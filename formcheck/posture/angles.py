"""Trunk and head angles per frame, signed by the direction of travel (DESIGN.md conventions).

- Trunk lean: hip-midpoint -> shoulder-midpoint vs vertical, positive = leaning
  in the direction of travel.
- Forward head: shoulder-midpoint -> ear-midpoint vs vertical, positive = head ahead.
- Head flexion: ear -> nose line below the horizontal, positive = looking down.
"""

from __future__ import annotations

import numpy as np

from formcheck.kinematics.body import Body
from formcheck.kinematics.geometry import angle_below_horizontal_deg, angle_from_vertical_deg


def trunk_lean_deg(body: Body, facing_sign: np.ndarray) -> np.ndarray:
    sign = np.where(facing_sign == 0, np.nan, facing_sign)
    return angle_from_vertical_deg(body.hip_mid, body.shoulder_mid, sign)


def forward_head_deg(body: Body, facing_sign: np.ndarray) -> np.ndarray:
    sign = np.where(facing_sign == 0, np.nan, facing_sign)
    return angle_from_vertical_deg(body.shoulder_mid, body.ear_mid, sign)


def head_flexion_deg(body: Body, facing_sign: np.ndarray) -> np.ndarray:
    sign = np.where(facing_sign == 0, np.nan, facing_sign)
    return angle_below_horizontal_deg(body.ear_mid, body.nose, sign)
