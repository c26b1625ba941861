"""Walk breaks and hills on constructed profiles with known answers, and on real tracks."""

from __future__ import annotations

import datetime as dt

import pytest

from formcheck.context import detect_walk_breaks, measure_hills, to_grid
from training_builders import SHARED, UTC, make_run, profile_points

T0 = dt.datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
RUN = (3.0, 166.0)  # m/s, spm
WALK = (1.3, 112.0)


def _run(pieces):
    points = profile_points(T0, pieces)
    return make_run(T0, minutes=len(points) / 60, distance_m=points[-1].distance_m, points=points)


def test_one_break_after_steady_running_is_the_likely_onset() -> None:
    # 15 min steady (HR creeping 150 -> 160 over the last 5 min, on a 3 % climb), walk 60 s, run 5 min.
    run = _run([(600, *RUN, 150.0, 0.0), (300, *RUN, 160.0, 3.0), (60, *WALK, 140.0, 0.0), (300, *RUN, 155.0, 0.0)])
    summary = detect_walk_breaks(to_grid(run))
    assert summary.signal == "cadence+speed"
    assert len(summary.breaks) == 1
    brk = summary.breaks[0]
    assert brk.start_s == pytest.approx(900, abs=2)
    assert brk.duration_s == pytest.approx(60, abs=3)
    assert (brk.kind, brk.likely_symptom_onset, brk.until_end, summary.pattern) == ("walk", True, False, "isolated")
    before = brk.preceded_by
    assert before.grade_pct == pytest.approx(3.0, abs=0.3)
    assert before.pace_min_per_km == pytest.approx(1000 / 3.0 / 60, abs=0.05)
    assert before.heart_rate_bpm == pytest.approx(160.0)
    assert before.hr_drift_bpm == pytest.approx(10.0)  # last minute vs the minute 5 min earlier
    assert before.cadence_spm == pytest.approx(166.0)


def test_hysteresis_and_minimum_length() -> None:
    # A 10 s dip is not a break; cadence wavering between 131 and 144 after a walk does not end it.
    run = _run([(300, *RUN, None, 0.0), (10, *WALK, None, 0.0), (300, *RUN, None, 0.0),
                (30, *WALK, None, 0.0), (20, 2.0, 138.0, None, 0.0), (300, *RUN, None, 0.0)])
    breaks = detect_walk_breaks(to_grid(run)).breaks
    assert len(breaks) == 1
    assert breaks[0].start_s == pytest.approx(610, abs=2)
    assert breaks[0].duration_s == pytest.approx(50, abs=3)


def test_speed_only_when_no_cadence_and_intervals_pattern() -> None:
    pieces = []
    for _ in range(6):
        pieces += [(240, 3.0, None, None, 0.0), (60, 1.2, None, None, 0.0)]
    summary = detect_walk_breaks(to_grid(_run(pieces)))
    assert summary.signal == "speed"
    assert len(summary.breaks) == 6
    assert summary.pattern == "intervals"
    assert not any(b.likely_symptom_onset for b in summary.breaks)


def test_steep_climb_and_a_hard_effort_on_it() -> None:
    # Flat 5 min at 3 m/s, 100 s at 3.3 m/s up 6 % (330 m), flat 5 min.
    run = _run([(300, 3.0, 166.0, 150.0, 0.0), (100, 3.3, 170.0, 182.0, 6.0), (300, 3.0, 166.0, 150.0, 0.0)])
    hills = measure_hills(run, to_grid(run), hr_max_bpm=195)
    assert len(hills.steep_segments) == 1
    seg = hills.steep_segments[0]
    assert seg.length_m == pytest.approx(330, abs=60)
    assert seg.grade_pct == pytest.approx(6.0, abs=1.0)
    assert seg.hard_effort and hills.hard_hill_efforts == 1
    gentle = _run([(300, 3.0, 166.0, 150.0, 0.0), (100, 2.4, 160.0, 150.0, 3.0), (300, 3.0, 166.0, 150.0, 0.0)])
    assert measure_hills(gentle, to_grid(gentle)).steep_segments == ()


@pytest.mark.parametrize(("climb_speed", "hard"), [(2.4, True), (2.0, False), (1.3, False)])
def test_a_climb_at_high_heart_rate_is_hard_only_if_it_was_run(climb_speed: float, hard: bool) -> None:
    """At 92 % of the maximum heart rate up 8 %: run at 0.8x the usual speed it is a hard effort; under
    0.7x (2.0 m/s against 3.0) or walked (1.3 m/s) the heart rate is high but nobody pushed."""
    run = _run([(300, 3.0, 166.0, 150.0, 0.0), (200, climb_speed, 160.0, 180.0, 8.0), (300, 3.0, 166.0, 150.0, 0.0)])
    hills = measure_hills(run, to_grid(run), hr_max_bpm=195)
    assert len(hills.steep_segments) == 1 and hills.steep_segments[0].hard_effort is hard
    assert hills.steep_segments[0].speed_vs_run_median == pytest.approx(climb_speed / 3.0, abs=0.02)


pytestmark_data = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


@pytestmark_data
def test_walk_breaks_on_real_tracks() -> None:
    from formcheck.logs import read_track

    polar = read_track(SHARED / "tracks" / "run_walk_polar_m400_gps_hr_cadence.tcx")[0]
    fenix = read_track(SHARED / "tracks" / "run_fenix2_gps_hr_cadence_dynamics.fit")[0]
    polar_breaks = detect_walk_breaks(to_grid(polar))
    fenix_breaks = detect_walk_breaks(to_grid(fenix))
    assert polar_breaks.signal == fenix_breaks.signal == "cadence+speed"
    assert len(polar_breaks.breaks) >= 10
    assert polar_breaks.total_walk_s > 1800  # over half of the ~58 min is walking or standing
    assert len(fenix_breaks.breaks) <= 4
    first = fenix_breaks.breaks[0]
    assert first.start_s > 1800 and first.likely_symptom_onset  # 33 min of steady running first


@pytestmark_data
def test_hilly_run_has_more_steep_climbing_than_a_flat_one() -> None:
    from formcheck.logs import read_track

    hilly = read_track(SHARED / "tracks" / "run_hilly_gps_hr_2013.fit")[0]
    flat = read_track(SHARED / "tracks" / "run_strava_gps_hr_51min.gpx")[0]
    h, f = measure_hills(hilly, to_grid(hilly)), measure_hills(flat, to_grid(flat))
    assert h.gain_m_per_km > 25 > 5 > f.gain_m_per_km
    assert h.steep_climb_m > 800 and f.steep_climb_m == 0


def test_implausible_distance_is_flagged_and_not_called_an_onset() -> None:
    # 20 min at 9 m/s (a GPS mess, not a runner), then a 60 s walk.
    run = _run([(1200, 9.0, 166.0, None, 0.0), (60, *WALK, None, 0.0), (120, *RUN, None, 0.0)])
    summary = detect_walk_breaks(to_grid(run))
    assert summary.warnings and "unreliable" in summary.warnings[0]
    assert len(summary.breaks) == 1 and not summary.breaks[0].likely_symptom_onset


def test_steady_running_is_counted_from_the_end_of_a_walk_warm_up() -> None:
    # 15 min walking, 5 min running, a 60 s walk: not 20 min of steady running before it.
    short = _run([(900, *WALK, None, 0.0), (300, *RUN, None, 0.0), (60, *WALK, None, 0.0), (300, *RUN, None, 0.0)])
    (brk,) = detect_walk_breaks(to_grid(short)).breaks
    assert brk.start_s == pytest.approx(1200, abs=2) and not brk.likely_symptom_onset
    long = _run([(900, *WALK, None, 0.0), (700, *RUN, None, 0.0), (60, *WALK, None, 0.0), (300, *RUN, None, 0.0)])
    (brk,) = detect_walk_breaks(to_grid(long)).breaks
    assert brk.likely_symptom_onset


@pytestmark_data
def test_googlefit_walk_run_breaks_use_the_odometer_across_gps_jumps() -> None:
    from formcheck.logs import read_track

    dirty = read_track(SHARED / "tracks" / "walk_run_googlefit_gps_2015-06-20.tcx")[0]
    grid = to_grid(dirty)
    # The 7 GPS jumps (13.4 km) are replaced by what the step odometer moved: 4.90 km on the grid
    # (laps 4.39 km), so the distance is no longer flagged as implausible.
    assert float(grid.distance_m[-1]) == pytest.approx(4905, abs=30)
    assert grid.warnings == ()
    summary = detect_walk_breaks(grid)
    # The recording starts with 46 min of walking (Google Fit's own blocks say so), which is not
    # a break; the three breaks lie in the device's walk blocks 4651-4715 s and 4924-6002 s.
    assert [(b.start_s, b.duration_s) for b in summary.breaks] == [(4679.0, 52.0), (4917.0, 662.0), (5595.0, 408.0)]
    assert summary.breaks[-1].until_end
    # The first break is half a signal gap: inferred, said so, and not called the onset.
    assert summary.breaks[0].in_gap_s == 27.0 and summary.breaks[0].kind == "stop"
    assert not any(b.likely_symptom_onset for b in summary.breaks)
    assert any("recording gaps" in w and "inferred" in w for w in summary.warnings)
