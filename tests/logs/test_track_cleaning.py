"""Known-answer tests for the shared track repairs (constructed inputs, exact expectations)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from formcheck.logs.track_cleaning import (
    elevation_gain_loss,
    haversine_m,
    hysteresis_gain_loss,
    raw_gain_m,
    spike_mask,
    valid_time_mask,
)

UTC = dt.timezone.utc


def test_haversine_one_degree_of_latitude() -> None:
    assert float(haversine_m(50.0, 4.0, 51.0, 4.0)) == pytest.approx(111_195, rel=1e-3)


def test_bad_timestamps_are_dropped() -> None:
    t0 = dt.datetime(2021, 9, 27, 14, 13, 10, tzinfo=UTC)
    times = [t0, t0 + dt.timedelta(seconds=1), dt.datetime(2085, 12, 21, tzinfo=UTC), t0 - dt.timedelta(seconds=5), t0 + dt.timedelta(seconds=2)]
    assert valid_time_mask(times, anchor=t0).tolist() == [True, True, False, False, True]


def test_single_spike_dropped_but_a_long_move_is_accepted() -> None:
    t = np.arange(20, dtype=float)
    lat = 50.0 + t * 3.0 / 111_195.0
    lat[5] += 0.01  # one fix 1.1 km away
    lon = np.full(20, 4.0)
    assert np.flatnonzero(spike_mask(t, lat, lon, 12.5)).tolist() == [5]
    # A whole track shifted after index 10 (reference was wrong): at most 5 rejections, then accepted.
    lat2 = 50.0 + t * 3.0 / 111_195.0
    lat2[10:] += 0.05
    assert np.count_nonzero(spike_mask(t, lat2, lon, 12.5)) == 5


def test_hysteresis_ignores_jitter_and_counts_real_climbs() -> None:
    jitter = np.array([50, 52, 50, 52, 50, 52, 50], dtype=float)
    assert hysteresis_gain_loss(jitter, 3.0) == (0.0, 0.0)
    assert raw_gain_m(jitter) == 6.0
    climb = np.concatenate([np.linspace(0, 100, 101), np.linspace(100, 40, 61)])
    gain, loss = hysteresis_gain_loss(climb, 3.0)
    assert gain == pytest.approx(99, abs=3) and loss == pytest.approx(60, abs=3)


def test_smoothed_gain_of_noisy_flat_track_is_small() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(3000, dtype=float)
    z = np.round(50 + rng.normal(0, 3, t.size))  # integer altitude, flat route
    gain, _ = elevation_gain_loss(t, z)
    assert raw_gain_m(z) > 3000
    assert gain < 25
