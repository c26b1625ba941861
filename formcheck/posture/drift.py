"""How posture changes as the runner tires: last fifth of strides minus first fifth.

"Lean rose from 6 to 13 degrees" must be a measured statement, so the drift
carries both means, the stride counts and the spread of the difference
(standard deviations combined as for a difference of two independent means).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_STRIDES_FOR_DRIFT = 5


@dataclass(frozen=True)
class Drift:
    first_mean: float
    last_mean: float
    change: float
    sd: float
    n_each: int

    def as_json(self) -> dict[str, float | int]:
        return {"first_fifth": round(self.first_mean, 2), "last_fifth": round(self.last_mean, 2),
                "change": round(self.change, 2), "sd": round(self.sd, 2), "strides_each": self.n_each}  # fmt: skip


def fifths_drift(values: list[float]) -> Drift | None:
    """Drift of a per-stride series in time order; None when fewer than 5 strides."""
    series = np.array([v for v in values if np.isfinite(v)], dtype=float)
    if len(series) < MIN_STRIDES_FOR_DRIFT:
        return None
    k = max(1, int(round(len(series) / 5)))
    first, last = series[:k], series[-k:]
    # One stride a fifth has no spread of its own; the stride-to-stride spread of the whole series stands in
    # for it (it was reported as 0.0: "+0.2 deg +- 0.0", a certainty one stride a fifth cannot give).
    whole = float(series.std(ddof=1))
    sd_first = float(first.std(ddof=1)) if k > 1 else whole
    sd_last = float(last.std(ddof=1)) if k > 1 else whole
    return Drift(float(first.mean()), float(last.mean()), float(last.mean() - first.mean()),
                 float(np.sqrt(sd_first**2 + sd_last**2)), k)  # fmt: skip
