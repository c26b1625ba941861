"""The metric record of ``summary.json`` and small helpers that build honest ones.

Every metric is ``{"value", "unit", "sd", "n", "reason"}``: ``n`` is the strides
(or steps, frames) behind it and ``reason`` says why ``value`` is null.

A metric is valid by construction, because strict JSON (and every reader of
``summary.json``) has no NaN or infinity: a non-finite value becomes null with
a reason, a non-finite spread becomes null, and a null value always carries a
reason. One zero-length step or an all-NaN slice can then never crash the
writing of the results or leak ``NaN`` into a report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _as_float(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


@dataclass(frozen=True)
class Metric:
    value: float | None
    unit: str
    sd: float | None = None
    n: int = 0
    reason: str | None = None

    def __post_init__(self) -> None:
        value, sd = _as_float(self.value), _as_float(self.sd)
        reason = self.reason
        if value is not None and not math.isfinite(value):
            reason = reason or f"not a finite number ({value}): the measurements behind it are degenerate"
            value, sd = None, None
        if sd is not None and (not math.isfinite(sd) or value is None):
            sd = None
        if value is None and not reason:
            reason = "not measured"
        if value is not None:
            reason = None
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "sd", sd)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "n", max(0, int(self.n)))

    def as_json(self) -> dict[str, object]:
        return {
            "value": None if self.value is None else round(self.value, 3),
            "unit": self.unit,
            "sd": None if self.sd is None else round(self.sd, 3),
            "n": self.n,
            "reason": self.reason,
        }

    def scaled(self, factor: float, unit: str | None = None) -> "Metric":
        if self.value is None:
            return Metric(None, unit or self.unit, None, self.n, self.reason)
        sd = None if self.sd is None else self.sd * abs(factor)
        return Metric(self.value * factor, unit or self.unit, sd, self.n, self.reason)

    def bounded(self, low: float, high: float, what: str) -> "Metric":
        """Null with a reason when the value is outside ``[low, high]`` (physically impossible for ``what``)."""
        if self.value is None or low <= self.value <= high:
            return self
        return null(self.unit, f"{self.value:.0f} {self.unit} is not a possible {what} ({low:g}-{high:g}): "
                               "the steps were mis-detected", self.n)  # fmt: skip


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
