"""The metric record of ``summary.json`` and small helpers that build honest ones.

Every metric is ``{"value", "unit", "sd", "n", "reason"}``: ``n`` is the strides
(or steps, frames) behind it and ``reason`` says why ``value`` is null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Metric:
    value: float | None
    unit: str
    sd: float | None = None
    n: int = 0
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "value": None if self.value is None else round(float(self.value), 3),
            "unit": self.unit,
            "sd": None if self.sd is None else round(float(self.sd), 3),
            "n": int(self.n),
            "reason": self.reason,
        }

    def scaled(self, factor: float, unit: str | None = None) -> "Metric":
        if self.value is None:
            return Metric(None, unit or self.unit, None, self.n, self.reason)
        sd = None if self.sd is None else self.sd * abs(factor)
        return Metric(self.value * factor, unit or self.unit, sd, self.n, self.reason)


def null(unit: str, reason: str, n: int = 0) -> Metric:
    return Metric(None, unit, None, n, reason)


def mean_metric(values: list[float] | np.ndarray, unit: str, what: str = "strides", minimum: int = 2) -> Metric:
    """Mean and SD of the finite values; null with a reason when fewer than ``minimum``."""
    array = np.asarray(values, dtype=float)
    finite = array[np.isfinite(array)]
    if len(finite) < minimum:
        return null(unit, f"only {len(finite)} {what[:-1] if len(finite) == 1 else what} measurable (need {minimum})", len(finite))
    sd = float(finite.std(ddof=1)) if len(finite) > 1 else None
    return Metric(float(finite.mean()), unit, sd, len(finite))
