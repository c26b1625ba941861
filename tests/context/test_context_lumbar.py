"""Lumbar-loading lifting before a run: constructed logs with known answers, then the real person."""

from __future__ import annotations

import datetime as dt

import pytest

from formcheck.context import HistoryRun, lumbar_context, run_context, taxonomy_classifier
from formcheck.logs.records import SetKind, TrackPoint
from formcheck.store import Store
from formcheck.store.ingest import import_file
from training_builders import SHARED, UTC, lift, make_run

RUN_START = dt.datetime(2024, 6, 10, 17, 0, tzinfo=UTC)
CLASSES = {"Deadlift": "heavy", "Back Squat": "heavy", "Walking Lunge": "moderate", "Bench Press": "none"}


def classify(name: str) -> str | None:
    return CLASSES.get(name)


def _run_at(start: dt.datetime, lon_deg: float | None = None):
    points = (TrackPoint(time=start, lat_deg=None if lon_deg is None else 48.0, lon_deg=lon_deg, distance_m=0.0),
              TrackPoint(time=start + dt.timedelta(minutes=30), distance_m=5000.0))
    return make_run(start, points=points)


def test_exact_hours_when_both_times_have_a_zone() -> None:
    at = RUN_START - dt.timedelta(hours=26)
    day = at.date()
    lifts = [
        lift(day, "Deadlift", 60.0, 5, 1, at=at, kind=SetKind.WARMUP),
        lift(day, "Deadlift", 150.0, 3, 2, at=at),
        lift(day, "Deadlift", 150.0, 3, 3, at=at),
        lift(day, "Bench Press", 100.0, 5, 1, at=at),
        lift(day - dt.timedelta(days=30), "Deadlift", 160.0, 3, 1, at=at - dt.timedelta(days=30)),
    ]
    ctx = lumbar_context(_run_at(RUN_START), lifts, classify)
    last = ctx.last_session
    assert last is not None
    assert (last.hours_before, last.hours_basis, last.days_before) == (pytest.approx(26.0), "utc", 1)
    assert (last.exercises, last.hard_sets, last.lumbar_load) == (("Deadlift",), 2, "heavy")
    assert last.tonnage_kg == pytest.approx(900.0)  # 2 x 150 x 3; warm-up and bench excluded
    top = last.top_set
    assert top.e1rm_kg == pytest.approx(150 * (1 + 3 / 30))  # Epley: 165
    assert top.best_e1rm_kg == pytest.approx(160 * 1.1)  # 176, 30 days earlier
    assert top.pct_of_best == pytest.approx(100 * 165 / 176)
    assert (ctx.window.sessions, ctx.window.hard_sets, ctx.window.heavy_hard_sets) == (1, 2, 2)


def test_date_only_log_gives_days_and_null_hours() -> None:
    lifts = [
        lift(dt.date(2024, 6, 8), "Back Squat", 120.0, 5),
        lift(dt.date(2024, 6, 9), "Bench Press", 80.0, 5),
        lift(dt.date(2024, 6, 10), "Deadlift", 200.0, 1),  # same day, order unknown: left out
        lift(dt.date(2024, 6, 2), "Walking Lunge", 40.0, 10),
    ]
    ctx = lumbar_context(_run_at(RUN_START), lifts, classify)
    assert ctx.last_session.date == dt.date(2024, 6, 8)
    assert (ctx.last_session.hours_before, ctx.last_session.hours_basis, ctx.last_session.days_before) == (None, None, 2)
    assert (ctx.window.sessions, ctx.window.exercises) == (1, ("Back Squat",))  # 2 Jun is outside 72 h


def test_wall_clock_lift_time_uses_the_zone_of_the_gps_longitude() -> None:
    # Run at 17:00 UTC at 30 deg E (nominal UTC+2, i.e. 19:00 local); lift at 07:00 local that day.
    lifts = [lift(dt.date(2024, 6, 10), "Deadlift", 100.0, 5, at=dt.datetime(2024, 6, 10, 7, 0))]
    with_gps = lumbar_context(_run_at(RUN_START, lon_deg=30.0), lifts, classify)
    assert with_gps.last_session.hours_before == pytest.approx(12.0)
    assert with_gps.last_session.hours_basis.startswith("local clock")
    # Without GPS the order within the day is unknown: the same-day lift is not claimed to be before.
    assert lumbar_context(_run_at(RUN_START), lifts, classify).last_session is None


def test_wall_clock_lift_time_is_exact_with_a_zone() -> None:
    from zoneinfo import ZoneInfo

    # Madrid keeps Central European time although it lies at 3.7 deg W: in June the clock is
    # UTC+2 while the longitude suggests UTC+0.  Run 17:00 UTC; deadlift 07:00 on the Madrid clock
    # = 05:00 UTC, so exactly 12 h before; the longitude estimate says 10 h.
    lifts = [lift(dt.date(2024, 6, 10), "Deadlift", 100.0, 5, at=dt.datetime(2024, 6, 10, 7, 0))]
    run = _run_at(RUN_START, lon_deg=-3.7)
    estimated = lumbar_context(run, lifts, classify).last_session
    assert (estimated.hours_before, estimated.hours_basis) == (pytest.approx(10.0), "local clock, zone estimated from GPS longitude")
    exact = lumbar_context(run, lifts, classify, lift_tz=ZoneInfo("Europe/Madrid")).last_session
    assert (exact.hours_before, exact.hours_basis) == (pytest.approx(12.0), "exact: lift clock in Europe/Madrid")
    # Without GPS there is no estimate, but the zone still makes the same-day lift certain.
    no_gps = lumbar_context(_run_at(RUN_START), lifts, classify, lift_tz=ZoneInfo("Europe/Madrid")).last_session
    assert no_gps.hours_before == pytest.approx(12.0)


def test_zone_includes_the_daylight_saving_change() -> None:
    from zoneinfo import ZoneInfo

    # Berlin springs forward on 31 March 2024.  Deadlift 30 March 20:00 CET (19:00 UTC), run
    # 31 March 17:00 UTC (19:00 CEST): 22 h, although the wall clocks are 23 h apart.
    lifts = [lift(dt.date(2024, 3, 30), "Deadlift", 100.0, 5, at=dt.datetime(2024, 3, 30, 20, 0))]
    run = _run_at(dt.datetime(2024, 3, 31, 17, 0, tzinfo=UTC), lon_deg=13.4)
    exact = lumbar_context(run, lifts, classify, lift_tz=ZoneInfo("Europe/Berlin")).last_session
    assert (exact.hours_before, exact.days_before) == (pytest.approx(22.0), 1)
    assert lumbar_context(run, lifts, classify).last_session.hours_before == pytest.approx(22.0)  # UTC+1 guess
    # Lifting at 20:00 on the run's day on the Berlin clock is after a 17:00 UTC run: not before it.
    later = [lift(dt.date(2024, 3, 31), "Deadlift", 100.0, 5, at=dt.datetime(2024, 3, 31, 20, 0))]
    assert lumbar_context(run, later, classify, lift_tz=ZoneInfo("Europe/Berlin")).last_session is None


def test_lifts_after_the_run_and_non_lumbar_days_are_ignored() -> None:
    lifts = [lift(dt.date(2024, 6, 9), "Bench Press", 100.0, 5), lift(dt.date(2024, 6, 11), "Deadlift", 180.0, 3)]
    ctx = lumbar_context(_run_at(RUN_START), lifts, classify)
    assert ctx.last_session is None and ctx.window.hard_sets == 0


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")
@pytest.mark.parametrize(
    ("track", "days_before", "must_have"),
    [
        ("run_googlefit_gps_2015-05-31.tcx", 2, ("deadlift", "squat")),
        ("walk_run_googlefit_gps_2015-06-20.tcx", 1, ("deadlift",)),
    ],
)
def test_same_person_fitnotes_then_google_fit(tmp_path, track: str, days_before: int, must_have) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        import_file(store, SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv")
        run_id = import_file(store, SHARED / "tracks" / track).added_run_ids[0]
        stored = store.run(run_id)
        history = [HistoryRun.of(s.run) for s in store.runs(with_points=False)]
        ctx = run_context(stored.run, history, store.lift_sets(), taxonomy_classifier(), run_id=run_id)
    last = ctx.lumbar.last_session
    assert last.days_before == days_before and last.hours_before is None
    names = " ".join(last.exercises).lower()
    assert all(word in names for word in must_have)
    assert last.lumbar_load == "heavy" and last.hard_sets > 0 and last.tonnage_kg > 0
