"""Known-answer tests for the shared track repairs (constructed inputs, exact expectations)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from formcheck.logs.track_cleaning import (
    elevation_gain_loss,
    gap_jump_mask,
    haversine_m,
    path_length_m,
    hysteresis_gain_loss,
    raw_gain_m,
    spike_mask,
    sustained_speed_limit_mps,
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


M_PER_DEG_LAT = 111_195.0


def test_sustained_speed_limit_follows_the_world_records() -> None:
    assert sustained_speed_limit_mps(43.03, walking=False) == pytest.approx(400 / 43.03)
    assert sustained_speed_limit_mps(755.36, walking=False) == pytest.approx(5000 / 755.36)  # 6.62 m/s
    assert sustained_speed_limit_mps(10.0, walking=False) == pytest.approx(400 / 43.03)  # held below 43 s
    assert sustained_speed_limit_mps(3 * 3600.0, walking=False) == pytest.approx(42195 / 7235.0)
    limits = [sustained_speed_limit_mps(s, walking=False) for s in (60, 120, 300, 600, 1800, 3600)]
    assert limits == sorted(limits, reverse=True)
    assert sustained_speed_limit_mps(300, walking=True) == 3.0


def _legs(*legs: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixes due north from (50, 4): each leg is (seconds, metres) from the previous fix."""
    t, d = [0.0], [0.0]
    for seconds, metres in legs:
        t.append(t[-1] + seconds)
        d.append(d[-1] + metres)
    return np.array(t), 50.0 + np.array(d) / M_PER_DEG_LAT, np.full(len(t), 4.0)


def test_gap_jump_needs_a_gap_and_an_implausible_speed() -> None:
    # 2 km in 2 min (16.7 m/s, above the 800 m record pace) is a jump; 300 m in 2 min is running;
    # 500 m in 25 s is no gap at all (the spike filter's business).
    t, lat, lon = _legs((1, 3), (120, 2000), (1, 3), (120, 300), (25, 500))
    walking = np.zeros(t.size, dtype=bool)
    assert np.flatnonzero(gap_jump_mask(t, lat, lon, walking)).tolist() == [2]
    # 500 m in 2 min (4.2 m/s) is a run, but not a walk.
    t, lat, lon = _legs((1, 1.3), (120, 500))
    assert not gap_jump_mask(t, lat, lon, np.zeros(3, dtype=bool)).any()
    assert gap_jump_mask(t, lat, lon, np.ones(3, dtype=bool)).tolist() == [False, False, True]
    # Non-foot sports pass their own limit.
    assert not gap_jump_mask(t, lat, lon, np.ones(3, dtype=bool), max_speed_mps=40.0).any()


def test_gap_jump_against_the_files_own_odometer() -> None:
    # 1 km in 10 min is a plausible speed, but the odometer moved only 100 m: > 3 x 100 + 200 m.
    t, lat, lon = _legs((1, 1), (600, 1000))
    no_walk = np.zeros(3, dtype=bool)
    assert gap_jump_mask(t, lat, lon, no_walk, odometer_m=np.array([0.0, 1.0, 101.0])).tolist() == [False, False, True]
    assert not gap_jump_mask(t, lat, lon, no_walk, odometer_m=np.array([0.0, 1.0, 301.0])).any()
    # An odometer that never moves (a file that writes 0) is no evidence.
    assert not gap_jump_mask(t, lat, lon, no_walk, odometer_m=np.zeros(3)).any()


def test_path_length_skips_the_legs_that_end_at_a_break() -> None:
    t, lat, lon = _legs((1, 3), (120, 2000), (1, 3))
    assert path_length_m(lat, lon) == pytest.approx(2006, abs=0.5)
    breaks = gap_jump_mask(t, lat, lon, np.zeros(t.size, dtype=bool))
    assert path_length_m(lat, lon, breaks) == pytest.approx(6, abs=0.5)
    lat_nan = lat.copy()
    lat_nan[1] = np.nan  # a dropped fix: the break still belongs to the leg that ends at index 2
    assert path_length_m(lat_nan, lon, breaks) == pytest.approx(3, abs=0.5)
