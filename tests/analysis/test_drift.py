"""The drift of a per-stride series: last fifth minus first fifth, with an honest spread."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.posture.drift import fifths_drift


def test_one_stride_a_fifth_takes_the_series_spread_not_zero() -> None:
    values = [8.0, 9.5, 7.0, 10.0, 8.5, 9.0]  # 6 strides: one a fifth
    drift = fifths_drift(values)
    assert drift is not None and drift.n_each == 1
    assert drift.change == pytest.approx(9.0 - 8.0)
    assert drift.sd == pytest.approx(np.sqrt(2) * np.std(values, ddof=1))  # was 0.0


def test_several_strides_a_fifth_combine_their_own_spreads() -> None:
    values = list(np.linspace(6.0, 13.0, 15))  # 3 strides a fifth
    drift = fifths_drift(values)
    assert drift is not None and drift.n_each == 3
    first, last = np.array(values[:3]), np.array(values[-3:])
    assert drift.change == pytest.approx(last.mean() - first.mean())
    assert drift.sd == pytest.approx(np.hypot(first.std(ddof=1), last.std(ddof=1)))
    assert fifths_drift(values[:4]) is None  # under 5 strides: no drift at all
