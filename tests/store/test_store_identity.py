"""A set is its workout start, exercise and set order: re-imports update, never duplicate (issue 9).

On the real Strong export in lb: importing it once with ``--units lb`` and
once with ``--units kg`` used to store 4,107 loaded sets twice; an export in
which one set was edited kept both versions.  Migration 0004 re-keys stores
written before, folding such duplicates into one row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from formcheck.logs.records import Sport
from formcheck.store import Store
from formcheck.store.engine import _alembic_config, create_store_engine, current_revision, head_revision
from formcheck.store.ingest import import_file
from formcheck.store.models import LiftSetRow
from training_builders import SHARED, make_run

STRONG_LB = SHARED / "strength" / "strong_export_lbs_with_rpe.csv"  # 4,690 sets, 583 without a weight
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


def _counts(report) -> tuple[int, int, int]:
    return report.added, report.updated, report.unchanged


def test_same_export_with_other_units_updates_instead_of_duplicating(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert _counts(import_file(store, STRONG_LB, units="lb")) == (4690, 0, 0)
        deadlift_lb = max(s.weight_kg or 0 for s in store.lift_sets())
        again = import_file(store, STRONG_LB, units="kg")
        assert _counts(again) == (0, 4107, 583) and again.already_imported
        assert store.counts()["lift_sets"] == 4690
        assert max(s.weight_kg or 0 for s in store.lift_sets()) == pytest.approx(deadlift_lb / 0.45359237)
        assert _counts(import_file(store, STRONG_LB, units="kg")) == (0, 0, 4690)
        assert _counts(import_file(store, STRONG_LB, units="lb")) == (0, 4107, 583)
        assert max(s.weight_kg or 0 for s in store.lift_sets()) == pytest.approx(deadlift_lb)


def test_an_edited_set_is_updated_not_kept_twice(db_url: str, tmp_path: Path) -> None:
    lines = STRONG_LB.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith('2021-07-07 18:35:21,"Push - Shoulder",31m,"Overhead Press (Barbell)",1,115.0,4,')
    lines[1] = lines[1].replace(",115.0,4,", ",120.0,5,", 1)
    edited = tmp_path / "strong_edited.csv"
    edited.write_text("".join(lines), encoding="utf-8")
    with Store.open(db_url) as store:
        import_file(store, STRONG_LB, units="lb")
        report = import_file(store, edited, units="lb")
        assert _counts(report) == (0, 1, 4689) and not report.already_imported
        first = [s for s in store.lift_sets(since=dt.date(2021, 7, 7), until=dt.date(2021, 7, 7))
                 if s.exercise == "Overhead Press (Barbell)" and s.set_index == 1]
        assert [(round(s.weight_kg, 2), s.reps) for s in first] == [(54.43, 5)]
        assert store.counts()["lift_sets"] == 4690


def test_a_run_imported_again_with_other_values_is_updated(db_url: str) -> None:
    from formcheck.store.importing import SourceInfo

    start = dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.timezone.utc)
    with Store.open(db_url) as store:
        first = store.import_runs([make_run(start, distance_m=5000.0)], SourceInfo("a" * 64, "/a.gpx", "gpx"))
        again = store.import_runs([make_run(start, distance_m=5100.0)], SourceInfo("b" * 64, "/b.gpx", "gpx"))
        same = store.import_runs([make_run(start, distance_m=5100.0)], SourceInfo("b" * 64, "/b.gpx", "gpx"))
        assert (_counts(first), _counts(again), _counts(same)) == ((1, 0, 0), (0, 1, 0), (0, 0, 1))
        assert [s.run.distance_m for s in store.runs()] == [5100.0]


def _old_lift_key(lift) -> str:
    """The natural key before revision 0004: it also held the weight and the reps."""
    when = lift.started_at.strftime("%H:%M:%S") if lift.started_at is not None else ""
    weight = "" if lift.weight_kg is None else f"{lift.weight_kg:.2f}"
    reps = "" if lift.reps is None else str(lift.reps)
    name = " ".join(lift.exercise.split()).casefold()
    return f"{lift.performed_on.isoformat()}|{when}|{name}|{lift.set_index}|{weight}|{reps}"[:400]


def test_migration_0004_rekeys_a_store_that_holds_the_duplicates(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    from formcheck.logs import read_log
    from formcheck.store import importing
    from formcheck.store.importing import SourceInfo

    # A store at revision 0003 written the old way: the lb and the kg reading of one export, 8,797 rows.
    engine = create_store_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0003")
    monkeypatch.setattr(importing, "lift_key", _old_lift_key)
    for units, sha in (("lb", "1" * 64), ("kg", "2" * 64)):
        log = read_log(STRONG_LB, units=units).strength
        with Session(engine) as session, session.begin():
            importing.add_strength(session, "default", log, SourceInfo(sha, "/strong.csv", "strong"))
    with Session(engine) as session:
        assert len(session.scalars(select(LiftSetRow.id)).all()) == 4690 + 4107
    assert current_revision(engine) == "0003"
    engine.dispose()
    monkeypatch.undo()

    with Store.open(db_url) as store:  # upgrades in place: 0004 folds the copies, the last import (kg) wins
        assert current_revision(store.engine) == head_revision()
        assert store.counts()["lift_sets"] == 4690
        kg = read_log(STRONG_LB, units="kg").strength
        assert max(s.weight_kg or 0 for s in store.lift_sets()) == pytest.approx(max(s.weight_kg or 0 for s in kg.sets))
        assert _counts(import_file(store, STRONG_LB, units="kg")) == (0, 0, 4690)


def test_another_export_of_a_stored_run_is_not_stored_twice(db_url: str) -> None:
    """A FIT (timer time 2832 s) and Strava's GPX of the same run (first to last point, 2833 s) have different
    whole-second durations: the run was stored twice and the next day's 7-day load doubled (9.0 -> 18.0 km)."""
    from formcheck.store.importing import SourceInfo

    start = dt.datetime(2015, 8, 15, 14, 45, 10, tzinfo=dt.timezone.utc)
    with Store.open(db_url) as store:
        fit = store.import_runs([make_run(start, minutes=2832 / 60, distance_m=9010.0)], SourceInfo("a" * 64, "/r.fit", "fit"))
        gpx = store.import_runs([make_run(start + dt.timedelta(seconds=1), minutes=2833 / 60, distance_m=8970.0)],
                                SourceInfo("b" * 64, "/r.gpx", "gpx"))  # fmt: skip
        assert (_counts(fit), _counts(gpx)) == ((1, 0, 0), (0, 0, 1))
        assert any("already stored (id" in w and "not stored twice" in w for w in gpx.warnings)
        assert [s.run.distance_m for s in store.runs()] == [9010.0]
        later = store.import_runs([make_run(start + dt.timedelta(minutes=50), minutes=20.0)], SourceInfo("c" * 64, "/c.gpx", "gpx"))
        longer = store.import_runs([make_run(start, minutes=2900 / 60)], SourceInfo("d" * 64, "/d.gpx", "gpx"))
        walk = store.import_runs([make_run(start, minutes=2832 / 60, sport=Sport.WALK)], SourceInfo("e" * 64, "/e.gpx", "gpx"))
        assert (_counts(later), _counts(longer), _counts(walk)) == ((1, 0, 0), (1, 0, 0), (1, 0, 0))  # other activities
