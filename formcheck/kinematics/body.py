"""Body points and per-frame quantities every later stage shares (computed once).

``Body`` holds the cleaned, y-up coordinates and the derived per-frame signals
(hip/shoulder midpoints, leg length, facing), so gait and posture code never
re-derive them differently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.kinematics.geometry import quiet_nanmean, y_up
from formcheck.pose.landmarks import ANKLES, EARS, HEELS, HIPS, INDEX, KNEES, NOSE, SHOULDERS, TOES
from formcheck.pose.track import PoseTrack



@dataclass(frozen=True)
class Body:
    """Cleaned y-up pixel coordinates of one tracked person, frame by frame."""

    time_s: np.ndarray
    xy: np.ndarray  # (n, 33, 2) y-up pixels, NaN where unknown
    hip_mid: np.ndarray  # (n, 2)
    shoulder_mid: np.ndarray  # (n, 2)
    ear_mid: np.ndarray  # (n, 2)
    leg_length_px: np.ndarray  # (n,) thigh + shank, mean of both legs
    torso_length_px: np.ndarray  # (n,)
    visibility: np.ndarray  # (n, 33) raw model visibility
    scene_cut: np.ndarray  # (n,)

    @property
    def n(self) -> int:
        return int(len(self.time_s))

    def point(self, name: str) -> np.ndarray:
        return self.xy[:, INDEX[name], :]

    def side(self, group: tuple[int, int], foot: int) -> np.ndarray:
        """(n, 2) of one landmark of a left/right pair; ``foot`` 0 = left, 1 = right."""
        return self.xy[:, group[foot], :]

    def knee(self, foot: int) -> np.ndarray:
        return self.side(KNEES, foot)

    def ankle(self, foot: int) -> np.ndarray:
        return self.side(ANKLES, foot)

    def heel(self, foot: int) -> np.ndarray:
        return self.side(HEELS, foot)

    def toe(self, foot: int) -> np.ndarray:
        return self.side(TOES, foot)

    def hip(self, foot: int) -> np.ndarray:
        return self.side(HIPS, foot)

    @property
    def nose(self) -> np.ndarray:
        return self.xy[:, NOSE, :]

    def visible_fraction(self, indices: tuple[int, ...], threshold: float = 0.5,
                         frames: np.ndarray | None = None) -> float:  # fmt: skip
        """Share of frames (of ``frames``, a mask, when given) in which all ``indices`` were seen with
        confidence (for honest nulls)."""
        seen = np.all(self.visibility[:, list(indices)] >= threshold, axis=1) & np.all(
            np.isfinite(self.xy[:, list(indices), 0]), axis=1
        )
        if frames is not None:
            seen = seen[frames]
        return float(seen.mean()) if len(seen) else 0.0


def build_body(track: PoseTrack, cleaned_xy_px: np.ndarray) -> Body:
    """Derive the shared per-frame quantities from cleaned image-pixel coordinates."""
    xy = y_up(cleaned_xy_px)
    hip_mid = xy[:, list(HIPS), :].mean(axis=1)
    shoulder_mid = xy[:, list(SHOULDERS), :].mean(axis=1)
    ear_mid = xy[:, list(EARS), :].mean(axis=1)
    legs = []
    for foot in (0, 1):
        thigh = np.linalg.norm(xy[:, HIPS[foot]] - xy[:, KNEES[foot]], axis=1)
        shank = np.linalg.norm(xy[:, KNEES[foot]] - xy[:, ANKLES[foot]], axis=1)
        legs.append(thigh + shank)
    leg_length = quiet_nanmean(np.vstack(legs), axis=0) if track.n_frames else np.empty(0)
    torso = np.linalg.norm(shoulder_mid - hip_mid, axis=1)
    return Body(track.time_s, xy, hip_mid, shoulder_mid, ear_mid, leg_length, torso, track.visibility, track.scene_cut)
