"""Is the runner upright in the image? A wrong rotation flag turns every angle into nonsense.

Phones store a display rotation instead of turning the pixels; an editing app
that rotates the pixels but keeps (or adds) the flag makes formcheck turn an
upright runner upside down or sideways, and a trunk lean of 171 deg comes out
as if it were a measurement. A runner's trunk is never more than ~45 deg from
vertical (out of the blocks), so the body's own axes tell: when, in most
frames, the hip -> shoulder segment (trunk) AND the ankle -> hip segment (legs)
both point down (head below the hips) or both sideways, the picture is turned,
and no angle or height from it is reported.

Both axes are required because the pose model can invent a trunk: in the
shared legs-only close-up it reports a trunk lying sideways with visibility
0.99 above legs that stand upright.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.kinematics.body import Body
from formcheck.pose.landmarks import ANKLES, HIPS, SHOULDERS

UPRIGHT_MAX_DEG = 60.0
"""An axis within 60 deg of image-up is upright (running lean <= ~45 deg even out of the blocks)."""
UPSIDE_DOWN_MIN_DEG = 120.0
MIN_TURNED_SHARE = 0.5
MIN_VISIBILITY = 0.5


@dataclass(frozen=True)
class Uprightness:
    state: str  # upright | sideways | upside_down | unknown
    trunk_from_vertical_deg: float | None  # median unsigned angle of hip -> shoulder from image-up
    turned_share: float | None  # share of usable frames where trunk and legs are turned the same way

    @property
    def turned(self) -> bool:
        return self.state in ("sideways", "upside_down")

    def describe(self) -> str:
        """One sentence for the warnings and the null reasons."""
        where = "upside down (head below the hips)" if self.state == "upside_down" else "lying sideways"
        return (f"the runner is {where} in the picture (trunk {self.trunk_from_vertical_deg:.0f} deg from upright): "
                "the video's rotation is probably wrong")  # fmt: skip


def _from_up_deg(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    d = upper - lower  # y-up
    return np.degrees(np.arctan2(np.abs(d[:, 0]), d[:, 1]))  # 0 = pointing up, 180 = pointing down


def _category(angle: np.ndarray) -> np.ndarray:
    return np.where(angle <= UPRIGHT_MAX_DEG, 0, np.where(angle >= UPSIDE_DOWN_MIN_DEG, 2, 1))


def uprightness(body: Body) -> Uprightness:
    """How the trunk and the legs point in the (already display-rotated) image."""
    ankle_mid = body.xy[:, list(ANKLES), :].mean(axis=1)
    trunk = _from_up_deg(body.hip_mid, body.shoulder_mid)
    legs = _from_up_deg(ankle_mid, body.hip_mid)
    seen = np.all(body.visibility[:, list(SHOULDERS + HIPS + ANKLES)] >= MIN_VISIBILITY, axis=1)
    valid = seen & np.isfinite(trunk) & np.isfinite(legs)
    if valid.sum() < max(3, 0.2 * body.n):
        return Uprightness("unknown", None, None)
    trunk_cat, legs_cat = _category(trunk[valid]), _category(legs[valid])
    median = float(np.median(trunk[valid]))
    for state, cat in (("upside_down", 2), ("sideways", 1)):
        share = float(np.mean((trunk_cat == cat) & (legs_cat == cat)))
        if share >= MIN_TURNED_SHARE:
            return Uprightness(state, median, share)
    return Uprightness("upright", median, float(np.mean((trunk_cat != 0) & (legs_cat == trunk_cat))))
