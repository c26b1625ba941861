"""Which track row a decoded frame belongs to, and the pose to draw on it.

Renderers stream the video again (never hold it), so every decoded frame has to
be matched back to its row of the ``PoseTrack``. Matching is by presentation
time, not by ``Frame.index``: the index is an ordinal when not seeking and an
estimate when seeking, while ``time_s`` is the same number the pose stage
stored for that frame (both come from ``formcheck.video.frames``).

The points drawn are the *cleaned* ones the measurements were made from
(``Analysis.body``), turned back into image pixels, so the trunk line on a key
frame is exactly the segment whose angle is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.analysis.pipeline import Analysis
from formcheck.pose.track import PoseTrack


@dataclass(frozen=True)
class TrackClock:
    """Finds the track row shown at a given time (within half a frame), or None."""

    time_s: np.ndarray
    tolerance_s: float

    @classmethod
    def of(cls, track: PoseTrack) -> "TrackClock":
        steps = np.diff(track.time_s)
        frame_s = float(np.median(steps)) if len(steps) else 1.0 / max(track.fps, 1.0)
        return cls(np.asarray(track.time_s, dtype=float), 0.5 * frame_s)

    def row_at(self, time_s: float) -> int | None:
        if len(self.time_s) == 0:
            return None
        i = int(np.searchsorted(self.time_s, time_s))
        candidates = [j for j in (i - 1, i) if 0 <= j < len(self.time_s)]
        best = min(candidates, key=lambda j: abs(self.time_s[j] - time_s))
        return best if abs(self.time_s[best] - time_s) <= self.tolerance_s else None

    def window(self, rows: list[int] | None = None) -> tuple[float | None, float]:
        """``(start_s, end_s)`` for ``iter_frames`` covering ``rows`` (all rows by default).

        ``start_s`` is None at the very beginning so that no seek happens.
        """
        times = self.time_s if rows is None else self.time_s[rows]
        start = float(np.min(times)) - self.tolerance_s
        return (start if start > 0 else None), float(np.max(times)) + self.tolerance_s


def pose_px(analysis: Analysis, row: int) -> np.ndarray:
    """(33, 2) cleaned landmark positions of ``row`` in image pixels (y down), NaN where unknown."""
    xy = np.array(analysis.body.xy[row], dtype=float, copy=True)
    xy[:, 1] = -xy[:, 1]
    return xy


def trunk_px(analysis: Analysis, row: int) -> tuple[np.ndarray, np.ndarray]:
    """Hip-midpoint and shoulder-midpoint of ``row`` in image pixels: the segment trunk lean is measured on."""
    hip = np.array(analysis.body.hip_mid[row], dtype=float) * (1.0, -1.0)
    shoulder = np.array(analysis.body.shoulder_mid[row], dtype=float) * (1.0, -1.0)
    return hip, shoulder
