"""The store on SQLite and a real PostgreSQL: migrations, round trips, idempotency, rollback, runners."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

from formcheck.errors import NotFoundError, StoreError
from formcheck.logs.records import Segment, SetKind, Sport, StrengthLog, TrackPoint
from formcheck.store import SourceInfo, Store
from formcheck.store.engine import current_revision, head_revision, resolve_db_url
from training_builders import UTC, lift, make_run, profile_points

T0 = dt.datetime(2024, 3, 1, 7, 30, tzinfo=UTC)


def _source(name: str, fmt: str = "test") -> SourceInfo:
    return SourceInfo(sha256=name.ljust(64, "0")[:64], path=f"/data/{name}", format=fmt)


def _log(*sets) -> StrengthLog:
    return StrengthLog(app="test", sets=tuple(sets))


def test_open_migrates_to_head_and_schema_matches_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from formcheck.store.models import Base

    with Store.open(db_url) as store:
        assert current_revision(store.engine) == head_revision() >= "0003"
        assert set(inspect(store.engine).get_table_names()) >= {"runners", "sources", "runs", "run_segments", "lift_sets",
                                                                  "video_analyses", "checks", "check_videos", "journal_entries"}
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
        assert diff == []
    with Store.open(db_url) as again:  # opening an up-to-date store is a no-op
        assert again.counts()["runs"] == 0


def test_run_round_trip_keeps_points_segments_and_utc(db_url: str) -> None:
    points = profile_points(T0, [(90, 3.0, 166.0, 150.0, 2.0), (30, 1.2, 110.0, 140.0, 0.0)])
    points = points[:-1] + (TrackPoint(time=points[-1].time, lat_deg=51.05, lon_deg=3.75, vertical_oscillation_mm=81.5),)
    run = make_run(T0, minutes=2, distance_m=300.0, points=points)
    run = type(run)(**{**run.__dict__, "segments": (Segment(Sport.RUN, 0, 90), Segment(Sport.WALK, 90, 120)),
                       "device": "Test Watch", "warnings": ("one warning",)})
    with Store.open(db_url) as store:
        report = store.import_runs([run], _source("a"), runner="ann")
        assert (report.added, report.duplicates, report.kind) == (1, 0, "track")
        back = store.run(report.added_run_ids[0], runner="ann")
    assert back.run.points == run.points
    assert back.run.start == T0 and back.run.start.tzinfo is not None
    assert back.run.segments == run.segments
    assert (back.run.device, back.run.warnings, back.max_heart_rate_bpm) == ("Test Watch", ("one warning",), 150.0)


def test_same_file_twice_adds_nothing(db_url: str) -> None:
    runs = [make_run(T0), make_run(T0 + dt.timedelta(days=1))]
    sets = _log(lift(dt.date(2024, 2, 28), "Deadlift", 140.0, 5), lift(dt.date(2024, 2, 28), "Deadlift", 140.0, 5, 2))
    with Store.open(db_url) as store:
        first = store.import_runs(runs, _source("runs"))
        first_sets = store.import_strength(sets, _source("sets"))
        before = store.counts()
        second = store.import_runs(runs, _source("runs"))
        second_sets = store.import_strength(sets, _source("sets"))
        assert (first.added, second.added, second.duplicates, second.already_imported) == (2, 0, 2, True)
        assert (first_sets.added, second_sets.added, second_sets.duplicates) == (2, 0, 2)
        assert store.counts() == before == {"runners": 1, "sources": 2, "runs": 2, "lift_sets": 2}


def test_overlapping_exports_merge_by_content(db_url: str) -> None:
    """January-March and February-April exports of one app: the overlap is stored once."""
    day = dt.date(2024, 1, 1)
    all_sets = [lift(day + dt.timedelta(days=7 * w), "Squat", 100.0 + w, 5, i) for w in range(16) for i in (1, 2)]
    bodyweight = lift(day, "Back Extension", None, 12)  # NULL weight must still de-duplicate
    early = _log(*all_sets[:20], bodyweight)
    late = _log(*all_sets[10:], bodyweight)
    runs_a = [make_run(T0 + dt.timedelta(days=d)) for d in range(0, 6)]
    runs_b = [make_run(T0 + dt.timedelta(days=d)) for d in range(3, 9)]
    with Store.open(db_url) as store:
        assert store.import_strength(early, _source("early")).added == 21
        merged = store.import_strength(late, _source("late"))
        assert (merged.added, merged.duplicates, merged.already_imported) == (12, 11, False)
        assert store.import_runs(runs_a, _source("ra")).added == 6
        assert (store.import_runs(runs_b, _source("rb")).added, store.counts()["runs"]) == (3, 9)
        assert len(store.lift_sets()) == 33


def test_failed_import_rolls_back_the_whole_file(db_url: str) -> None:
    good = make_run(T0)
    broken = make_run(T0 + dt.timedelta(days=1))
    broken = type(broken)(**{**broken.__dict__, "points": (TrackPoint(time=None),)})  # type: ignore[arg-type]
    with Store.open(db_url) as store:
        store.import_runs([make_run(T0 - dt.timedelta(days=3))], _source("earlier"))
        before = store.counts()
        with pytest.raises((TypeError, AttributeError)):
            store.import_runs([good, broken], _source("bad"))
        assert store.counts() == before  # neither the good run, nor the source row, nor a new runner
        assert [s.run.start for s in store.runs()] == [T0 - dt.timedelta(days=3)]


def test_database_error_becomes_store_error_and_rolls_back(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.import_runs([make_run(T0)], _source("x"))
        before = store.counts()
        # Same natural key twice inside one file is handled; a clash at the DB level is not
        # possible through the API, so provoke one directly: a second runner row with the same name.
        from formcheck.store.models import RunnerRow

        def clash(session):
            session.add(RunnerRow(name="default", created_at=T0))
            session.flush()

        with pytest.raises(StoreError, match="nothing was saved"):
            store._write(clash)
        assert store.counts() == before


def test_runners_are_isolated(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.import_runs([make_run(T0)], _source("same-file"), runner="ann")
        bob = store.import_runs([make_run(T0)], _source("same-file"), runner="bob")
        assert (bob.added, bob.already_imported) == (1, False)  # the same file is new for another runner
        store.import_strength(_log(lift(T0.date(), "Deadlift", 100.0, 5)), _source("s"), runner="ann")
        assert store.runners() == ["ann", "bob"]
        assert len(store.runs("ann")) == len(store.runs("bob")) == 1
        assert store.lift_sets("bob") == []
        ann_run = store.runs("ann")[0].id
        with pytest.raises(NotFoundError):
            store.run(ann_run, runner="bob")
        with pytest.raises(NotFoundError, match="no runner named 'carol'"):
            store.runs("carol")


def test_lift_times_keep_their_kind(db_url: str) -> None:
    day = dt.date(2024, 3, 1)
    sets = _log(
        lift(day, "Deadlift", 100.0, 5, 1, at=dt.datetime(2024, 3, 1, 18, 5)),  # wall clock, no zone
        lift(day, "Deadlift", 100.0, 5, 2, at=dt.datetime(2024, 3, 1, 17, 5, tzinfo=UTC)),
        lift(day, "Deadlift", 100.0, 5, 3, kind=SetKind.WARMUP),
    )
    with Store.open(db_url) as store:
        store.import_strength(sets, _source("s"))
        back = store.lift_sets(since=day, until=day)
    assert back == list(sets.sets)


def test_runs_on_the_runners_own_day_and_none_on_another(db_url: str) -> None:
    from zoneinfo import ZoneInfo

    from formcheck.check.training import runs_on_local_day

    evening_la = dt.datetime(2024, 3, 2, 2, 50, tzinfo=UTC)  # 18:50 on 1 March in Los Angeles
    with Store.open(db_url) as store:
        store.import_runs([make_run(T0), make_run(T0 + dt.timedelta(hours=10)), make_run(T0 + dt.timedelta(days=1)),
                           make_run(evening_la)], _source("r"))  # fmt: skip
        assert [s.run.start for s in runs_on_local_day(store, "default", T0.date(), None)] == [
            T0, T0 + dt.timedelta(hours=10)]  # no zone, no GPS: the UTC day
        la = runs_on_local_day(store, "default", T0.date(), ZoneInfo("America/Los_Angeles"))
        # 07:30 UTC is 29 Feb there, and 2 March 07:30 UTC still 1 March
        assert [s.run.start for s in la] == [T0 + dt.timedelta(hours=10), evening_la, T0 + dt.timedelta(days=1)]
        assert runs_on_local_day(store, "default", dt.date(2024, 2, 1), None) == []
        assert store.runs(with_points=False)[0].run.points == ()


def test_url_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCHECK_DB", "sqlite:////tmp/from-env.db")
    assert resolve_db_url("sqlite:///explicit.db") == "sqlite:///explicit.db"
    assert resolve_db_url(None) == "sqlite:////tmp/from-env.db"
    monkeypatch.delenv("FORMCHECK_DB")
    assert resolve_db_url(None).endswith("formcheck.db") and resolve_db_url(None).startswith("sqlite:///")


def test_unreachable_or_bad_url_is_one_store_error(tmp_path) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("not a url")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(f"postgresql+psycopg://nobody@/x?host={tmp_path}&port=1")


def test_a_0001_store_is_upgraded_and_keeps_its_rows(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from formcheck.store.engine import _alembic_config, create_store_engine

    engine = create_store_engine(resolve_db_url(db_url))
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
        connection.execute(text("INSERT INTO runners (name, created_at) VALUES ('old', '2024-01-01 00:00:00')"))
    assert current_revision(engine) == "0001"
    engine.dispose()
    with Store.open(db_url) as store:
        assert current_revision(store.engine) == head_revision()
        assert store.runners() == ["old"] and store.runner_tz("old") is None


def test_runner_time_zone_is_kept_per_runner(db_url: str) -> None:
    with Store.open(db_url) as store:
        store.import_runs([make_run(T0)], _source("a"), runner="ann")
        assert store.runner_tz("ann") is None
        store.set_runner_tz("ann", "Europe/Berlin")
        store.set_runner_tz("bob", "America/New_York")  # a runner may be created by --tz alone
        store.set_runner_tz("ann", "Europe/Lisbon")  # a later --tz replaces the zone
        assert (store.runner_tz("ann"), store.runner_tz("bob")) == ("Europe/Lisbon", "America/New_York")
        with pytest.raises(NotFoundError):
            store.runner_tz("nobody")
