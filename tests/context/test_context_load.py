"""Run load on constructed histories with hand-computed answers."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from formcheck.context import HistoryRun, ewma, run_load, spike_category, trimp
from formcheck.context.experience import experience
from formcheck.logs.records import Sport
from training_builders import UTC, make_run

RUN_DAY = dt.datetime(2024, 6, 30, 8, 0, tzinfo=UTC)


def _h(days_before: float, km: float, minutes: float = 30.0, sport: Sport = Sport.RUN, hr: float | None = None) -> HistoryRun:
    return HistoryRun.of(make_run(RUN_DAY - dt.timedelta(days=days_before), minutes=minutes, distance_m=km * 1000, sport=sport, avg_hr=hr))


def test_ewma_of_a_constant_load_approaches_it() -> None:
    # x_n = L (1 - e^(-n/tau)) for a constant daily load L from 0.
    assert ewma([50.0] * 7, 7.0) == pytest.approx(50.0 * (1 - math.exp(-1.0)))
    assert ewma([50.0] * 42, 42.0) == pytest.approx(50.0 * (1 - math.exp(-1.0)))
    assert ewma([], 7.0) == 0.0


def test_atl_ctl_after_one_session_three_days_ago() -> None:
    # One 60-minute run 3 days before; the run's own day adds 0 (the run itself is excluded).
    # ATL = 60 (1 - e^(-1/7)) e^(-3/7)  = 60 * 0.133122 * 0.651439 = 5.2033
    # CTL = 60 (1 - e^(-1/42)) e^(-3/42) = 60 * 0.023529 * 0.931063 = 1.3144
    load = run_load(make_run(RUN_DAY), [_h(3, 10, minutes=60)])
    assert load.load_unit == "duration_min"
    assert load.atl == pytest.approx(5.2033, abs=1e-3)
    assert load.ctl == pytest.approx(1.3144, abs=1e-3)
    assert load.acute_chronic_ratio == pytest.approx(5.2033 / 1.3144, rel=1e-3)


def test_trimp_is_used_when_every_recent_run_has_heart_rate() -> None:
    # Banister: 30 min, HRavg 150, rest 60, max 190 -> HRr = 90/130; 30 * HRr * 0.64 * e^(1.92 HRr)
    hrr = 90 / 130
    expected = 30 * hrr * 0.64 * math.exp(1.92 * hrr)
    assert trimp(1800, 150, 190) == pytest.approx(expected)
    with_hr = run_load(make_run(RUN_DAY), [_h(1, 5, hr=150)], hr_max_bpm=190)
    without = run_load(make_run(RUN_DAY), [_h(1, 5, hr=150), _h(2, 5)], hr_max_bpm=190)
    assert (with_hr.load_unit, without.load_unit) == ("trimp", "duration_min")


def test_single_run_spike_against_longest_of_previous_30_days() -> None:
    """Frandsen et al. 2025: compare with the longest run of the previous 30 days only."""
    history = [_h(40, 12), _h(20, 8), _h(5, 6)]  # the 12 km is outside the window
    load = run_load(make_run(RUN_DAY, distance_m=10_000), history)
    assert load.longest_run_30d_km == pytest.approx(8.0)
    assert load.spike_ratio == pytest.approx(1.25)
    assert (load.spike, load.spike_category) == (True, "small")
    steady = run_load(make_run(RUN_DAY, distance_m=8_800), history)
    assert (steady.spike_ratio, steady.spike, steady.spike_category) == (pytest.approx(1.10), False, "none")
    assert run_load(make_run(RUN_DAY), []).spike_ratio is None
    assert [spike_category(r) for r in (1.0, 1.2, 1.5, 2.5)] == ["none", "small", "moderate", "large"]


def test_rowing_is_alternative_cardio_not_running() -> None:
    history = [_h(2, 6), _h(1, 0, minutes=28, sport=Sport.ROWING), _h(3, 0, minutes=20, sport=Sport.ROWING)]
    load = run_load(make_run(RUN_DAY, distance_m=5000), history)
    only_run = run_load(make_run(RUN_DAY, distance_m=5000), history[:1])
    assert (load.runs_last_7d, load.weekly_distance_km) == (1, pytest.approx(6.0))
    assert (load.atl, load.ctl) == (only_run.atl, only_run.ctl)
    assert (load.alternative_cardio_7d, load.alternative_cardio_min_7d) == (2, pytest.approx(48.0))
    assert experience(make_run(RUN_DAY), history).runs_before == 1


def test_weekly_distance_counts_only_the_168_hours_before() -> None:
    history = [_h(0.5, 5), _h(6.9, 7), _h(7.5, 9), _h(-1, 20)]  # the last one is after the run
    load = run_load(make_run(RUN_DAY), history)
    assert load.weekly_distance_km == pytest.approx(12.0)
    assert load.avg_weekly_distance_km_4wk == pytest.approx(21.0 / 4)


def test_experience_beginner_and_regular() -> None:
    regular = [_h(d, 5) for d in range(2, 120, 3)]  # every third day for four months
    exp = experience(make_run(RUN_DAY), regular)
    assert exp.first_run_in_store == (RUN_DAY - dt.timedelta(days=119)).date()
    assert exp.runs_per_week_8wk == pytest.approx(19 / 8)
    assert not exp.beginner
    fresh = experience(make_run(RUN_DAY), [_h(10, 3), _h(20, 3)])
    assert fresh.beginner and fresh.runs_before == 2
    assert experience(make_run(RUN_DAY), []).days_since_first_run == 0
