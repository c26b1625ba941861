"""``formcheck import / runs / context`` end to end on the shared sample files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.context import TOP_LEVEL_KEYS
from formcheck.store import Store
from training_builders import SHARED

TRACKS, STRENGTH = SHARED / "tracks", SHARED / "strength"
FITNOTES = STRENGTH / "fitnotes_export_kgs_2014_2017.csv"
RUN_0531 = TRACKS / "run_googlefit_gps_2015-05-31.tcx"
RUN_0620 = TRACKS / "walk_run_googlefit_gps_2015-06-20.tcx"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


@pytest.fixture(autouse=True)
def _stderr_stays_capturable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``formcheck.cli.main`` moves fd 2 aside for MediaPipe's C++ logs; these tests read stderr via capsys."""
    monkeypatch.setenv("FORMCHECK_NATIVE_LOGS", "1")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main([str(a) for a in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_import_twice_then_runs(capsys, sqlite_url: str) -> None:
    files = [FITNOTES, RUN_0531, TRACKS / "rowing_indoor_hr.fit"]
    code, out, _ = run_cli(capsys, "import", *files, "--db", sqlite_url)
    assert code == 0
    assert ": 5583 new, 0 updated, 0 unchanged set(s)" in out and ": 1 new (id 1), 0 updated" in out and "GPS spike" in out
    code, out, _ = run_cli(capsys, "import", *files, "--db", sqlite_url)
    assert code == 0
    assert out.count("skipped ") == 3 and "0 new, 0 updated, 5583 unchanged set(s)" in out and "imported before" in out
    code, out, _ = run_cli(capsys, "runs", "--json", "--db", sqlite_url)
    rows = json.loads(out)
    assert [(r["sport"], r["distance_km"]) for r in rows] == [("run", 7.21), ("rowing", None)]
    assert set(rows[0]) == {"id", "start", "local_start", "clock", "sport", "distance_km", "duration_s", "elapsed_s",
                            "gain_m", "walk_breaks"}  # fmt: skip
    assert rows[0]["clock"] == "local time estimated from GPS" and rows[1]["clock"] == "UTC"  # indoor rowing: no GPS
    code, out, _ = run_cli(capsys, "runs", "--db", sqlite_url)
    assert code == 0 and "2015-05-31" in out and "rowing" in out and "clock" in out  # two clocks: a column says which


def test_context_json_for_the_same_person(capsys, db_url: str) -> None:
    code, _, err = run_cli(capsys, "import", FITNOTES, RUN_0531, RUN_0620, "--db", db_url, "--runner", "lab")
    assert code == 0, err
    code, out, err = run_cli(capsys, "context", "--date", "2015-05-31", "--json", "--db", db_url, "--runner", "lab")
    assert code == 0, err
    doc = json.loads(out)
    assert tuple(doc) == TOP_LEVEL_KEYS == ("run", "last_lumbar_session", "load", "hills", "walk_breaks", "experience")
    assert {"id", "start", "sport", "distance_km", "duration_s"} <= set(doc["run"])
    lumbar = doc["last_lumbar_session"]
    assert {"date", "hours_before", "days_before", "exercises", "hard_sets", "tonnage_kg"} <= set(lumbar)
    assert (lumbar["date"], lumbar["hours_before"], lumbar["days_before"]) == ("2015-05-29", None, 2)
    assert any("Deadlift" in e for e in lumbar["exercises"]) and any("Squat" in e for e in lumbar["exercises"])
    assert lumbar["hard_sets"] == 15 and lumbar["tonnage_kg"] == pytest.approx(9040.0)
    assert all({"start_s", "duration_s", "preceded_by"} <= set(b) for b in doc["walk_breaks"])
    assert {"atl", "ctl", "acute_chronic_ratio", "weekly_distance_km", "spike_ratio"} <= set(doc["load"])
    assert {"gain_m", "gain_m_per_km", "steep_segments"} <= set(doc["hills"])

    code, out, _ = run_cli(capsys, "context", "--date", "2015-06-20", "--json", "--db", db_url, "--runner", "lab")
    later = json.loads(out)
    assert (later["last_lumbar_session"]["date"], later["last_lumbar_session"]["days_before"]) == ("2015-06-19", 1)
    assert "Deadlift" in later["last_lumbar_session"]["exercises"]
    # 7.21 km on 31 May is the longest run of the 30 days before 20 June: 4.39 / 7.21
    assert later["load"]["spike_ratio"] == pytest.approx(4.39 / 7.21, abs=0.01)
    assert later["experience"]["runs_before"] == 1

    code, out, _ = run_cli(capsys, "context", "--run", str(later["run"]["id"]), "--db", db_url, "--runner", "lab")
    assert code == 0 and "1 day(s) before" in out


def test_polar_walk_breaks_in_context(capsys, sqlite_url: str) -> None:
    run_cli(capsys, "import", TRACKS / "run_walk_polar_m400_gps_hr_cadence.tcx", "--db", sqlite_url)
    code, out, _ = run_cli(capsys, "context", "--run", "1", "--json", "--db", sqlite_url)
    doc = json.loads(out)
    assert code == 0 and doc["last_lumbar_session"] is None
    assert len(doc["walk_breaks"]) >= 10
    assert doc["walk_breaks"][0]["preceded_by"]["heart_rate_bpm"] > 100


def test_bad_files_fail_alone_and_leave_nothing(capsys, tmp_path: Path, sqlite_url: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    jpeg = tmp_path / "watch.fit"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100))
    code, out, err = run_cli(capsys, "import", empty, "--db", sqlite_url)
    assert code == 7 and err.count("\n") == 1 and "empty.csv" in err

    code, out, err = run_cli(capsys, "import", empty, RUN_0531, jpeg, "--db", sqlite_url)
    assert code == 7
    assert ": 1 new (id" in out
    assert "empty.csv" in err and "watch.fit is not a GPX, FIT or TCX file" in err and "2 of 3 files" in err
    with Store.open(sqlite_url) as store:
        assert store.counts() == {"runners": 1, "sources": 1, "runs": 1, "lift_sets": 0}


def test_usage_and_not_found_errors(capsys, sqlite_url: str) -> None:
    assert run_cli(capsys, "context", "--db", sqlite_url)[0] == 2
    assert run_cli(capsys, "context", "--run", "1", "--date", "2015-05-31", "--db", sqlite_url)[0] == 2
    assert run_cli(capsys, "context", "--date", "31/05/2015", "--db", sqlite_url)[0] == 2
    for day, problem in (("2099-01-01", "is in the future"), ("1980-01-01", "is before 1990")):
        code, _, err = run_cli(capsys, "context", "--date", day, "--db", sqlite_url)
        assert code == 2 and f"the date {day} {problem}" in err and err.count("\n") == 1
    code, _, err = run_cli(capsys, "runs", "--db", sqlite_url, "--runner", "nobody")
    assert code == 8 and "there is no training store at" in err and err.count("\n") == 1
    run_cli(capsys, "import", RUN_0531, "--db", sqlite_url)
    code, _, err = run_cli(capsys, "runs", "--db", sqlite_url, "--runner", "nobody")
    assert code == 9 and "no runner named 'nobody'" in err
    code, _, err = run_cli(capsys, "context", "--date", "2015-06-01", "--db", sqlite_url)
    assert code == 9 and "no activity on 2015-06-01" in err
    assert run_cli(capsys, "import", RUN_0531, "--units", "stone", "--db", sqlite_url)[0] == 2
    for blank in ("", "   ", "a\nb"):  # a runner nobody could pick again is never created
        code, _, err = run_cli(capsys, "import", RUN_0531, "--runner", blank, "--db", sqlite_url)
        assert code == 2 and "give a name like --runner anna" in err and err.count("\n") == 1


def test_import_progress_moves_within_a_file_on_a_terminal(capsys, monkeypatch, sqlite_url: str) -> None:
    import formcheck.store.ingest as ingest

    seen: list[float] = []
    real_read_file = ingest.read_file

    def spy(path, units=None, *, progress=None):
        assert progress is not None  # a terminal: the bar is on and the reader reports to it
        return real_read_file(path, units=units, progress=lambda f: (seen.append(f), progress(f)))

    monkeypatch.setattr(ingest, "read_file", spy)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich treats stderr as a terminal
    code, out, _ = run_cli(capsys, "import", TRACKS / "run_walk_polar_m400_gps_hr_cadence.tcx", "--db", sqlite_url)
    assert code == 0 and ": 1 new (id" in out
    assert len(seen) > 50 and seen[-1] == 1.0 and all(a < b for a, b in zip(seen, seen[1:]))


def test_import_without_a_terminal(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "import", str(RUN_0531), str(FITNOTES), "--db", f"sqlite:///{tmp_path / 'p.db'}"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert ": 1 new (id" in done.stdout and ": 5583 new, 0 updated" in done.stdout
    assert "\x1b[" not in done.stdout + done.stderr and "reading" not in done.stderr  # no bar, no escape codes


HEVY_HEADER = ('"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
               '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n')


def test_tz_makes_wall_clock_lift_times_exact(capsys, tmp_path: Path, sqlite_url: str) -> None:
    # Strava run in San Francisco, 2025-11-16 23:50:18 UTC (15:50 PST); a Hevy deadlift at 08:00 that day.
    hevy = tmp_path / "hevy.csv"
    hevy.write_text(HEVY_HEADER + '"Legs","16 Nov 2025, 08:00","16 Nov 2025, 09:00","","Deadlift (Barbell)",,"",0,"normal",120,5,,,\n')
    run_gpx = TRACKS / "run_strava_gps_hr_51min.gpx"

    code, out, err = run_cli(capsys, "import", hevy, run_gpx, "--db", sqlite_url)
    assert code == 0, err
    code, out, _ = run_cli(capsys, "context", "--date", "2025-11-16", "--json", "--db", sqlite_url)
    lumbar = json.loads(out)["last_lumbar_session"]
    # No zone: the longitude (-122.4 deg, UTC-8) gives the estimate, labelled as such.
    assert lumbar["hours_basis"] == "local clock, zone estimated from GPS longitude"
    assert lumbar["hours_before"] == pytest.approx(7.84, abs=0.01)

    code, out, _ = run_cli(capsys, "import", hevy, "--tz", "America/Los_Angeles", "--db", sqlite_url)
    assert code == 0 and "America/Los_Angeles" in out and "imported before" in out
    code, out, _ = run_cli(capsys, "context", "--date", "2025-11-16", "--json", "--db", sqlite_url)
    lumbar = json.loads(out)["last_lumbar_session"]
    assert lumbar["hours_basis"] == "exact: lift clock in America/Los_Angeles"
    assert lumbar["hours_before"] == pytest.approx(7.84, abs=0.01)  # 08:00 PST = 16:00 UTC

    code, out, _ = run_cli(capsys, "runs", "--db", sqlite_url)  # the runner's clock, as --date takes it
    assert code == 0 and "2025-11-16 15:50" in out and "start times: America/Los_Angeles" in out
    code, out, _ = run_cli(capsys, "runs", "--json", "--db", sqlite_url)
    row = json.loads(out)[0]
    assert (row["start"][:16], row["local_start"], row["clock"]) == (
        "2025-11-16T23:50", "2025-11-16T15:50", "America/Los_Angeles")

    # context --tz overrides the stored zone, for the day too: the run starts at 08:50 on the 17th in Tokyo,
    # and 08:00 on the 16th in Tokyo is 23:00 UTC the day before.
    code, _, err = run_cli(capsys, "context", "--date", "2025-11-16", "--tz", "Asia/Tokyo", "--db", sqlite_url)
    assert code != 0 and err.count("\n") == 1 and "no activity on 2025-11-16 (Asia/Tokyo)" in err
    code, out, _ = run_cli(capsys, "context", "--date", "2025-11-17", "--json", "--tz", "Asia/Tokyo", "--db", sqlite_url)
    doc = json.loads(out)
    assert (doc["run"]["local_start"], doc["run"]["clock"]) == ("2025-11-17T08:50", "Asia/Tokyo")
    lumbar = doc["last_lumbar_session"]
    assert (lumbar["hours_basis"], lumbar["hours_before"]) == ("exact: lift clock in Asia/Tokyo", pytest.approx(24.84, abs=0.01))


@pytest.mark.parametrize("command", ["import", "context"])
def test_bad_zone_name_is_one_line(capsys, sqlite_url: str, command: str) -> None:
    args = [RUN_0531] if command == "import" else ["--run", "1"]
    code, out, err = run_cli(capsys, command, *args, "--tz", "Mars/Olympus_Mons", "--db", sqlite_url)
    assert code == 2 and err.count("\n") == 1 and "not a known IANA name" in err and err.rstrip().endswith("(--tz).") and out == ""
    code, _, err = run_cli(capsys, command, *args, "--tz", "../../etc/passwd", "--db", sqlite_url)
    assert code == 2 and err.count("\n") == 1
    with Store.open(sqlite_url) as store:
        assert store.counts()["runs"] == 0  # nothing imported when the zone is wrong


SAMPLE_RUNS = {  # file: (sport, km, duration s) as `runs --json` gives them
    "run_hilly_gps_hr_2013.fit": ("run", 4.84, 2625),
    "run_forerunner410_gps_hr.tcx": ("run", 4.69, 1993),
    "run_googlefit_gps_2015-05-31.tcx": ("run", 7.21, 2972),
    "walk_run_googlefit_gps_2015-06-20.tcx": ("run", 4.39, 4078),
    "run_fenix2_gps_hr_cadence_dynamics.fit": ("run", 9.01, 2832),
    "walk_run_googlefit_gps_2016-10-08.tcx": ("run", 1.47, 1151),
    "rowing_indoor_hr.fit": ("rowing", None, 1707),
    "walk_fenix5_1min.fit": ("walk", 0.07, 45),
    "run_fenix5_1min.fit": ("run", 0.16, 57),
    "run_walk_polar_m400_gps_hr_cadence.tcx": ("run", 4.51, 3510),
    "run_strava_gps_hr_cadence.gpx": ("run", 7.13, 1982),
    "run_strava_android_malformed.fit": ("run", 11.27, 3558),
    "run_strava_gps_hr_51min.gpx": ("run", 6.88, 3044),
    "run_treadmill_amazfit_hr_cadence_nogps.tcx": ("run", 5.9, 2706),
}
SAMPLE_SETS = {  # file: sets (SOURCES.md; FitNotes' newer export: 1,623 rows + 99 recovered from unquoted commas = 1,624 sets)
    "fitnotes_export_kgs_2014_2017.csv": 5583,
    "fitnotes_export_weight_unit_column.csv": 1624,
    "hevy_export_2022_2026.csv": 4063,
    "hevy_export_set_types_unicode.csv": 567,
    "strong_export_lbs_with_rpe.csv": 4690,
    "strong_export_old_format_kg.csv": 2995,
    "strong_export_semicolon_workout_number.csv": 8004,
}


def test_every_sample_file_imports_through_the_cli(capsys, db_url: str) -> None:
    files = [TRACKS / name for name in SAMPLE_RUNS] + [STRENGTH / name for name in SAMPLE_SETS]
    code, out, err = run_cli(capsys, "import", *files, "--units", "lb", "--db", db_url, "--runner", "all")
    assert code == 0, err
    for name, sets in SAMPLE_SETS.items():
        assert f"{name} [" in out and f": {sets} new, 0 updated, 0 unchanged set(s)" in out
    assert "recovered 99 row(s) whose exercise name contains an unquoted comma" in out
    assert "breaks part-way" in out and "Ignored 7 GPS jump(s)" in out
    code, out, _ = run_cli(capsys, "runs", "--json", "--db", db_url, "--runner", "all")
    rows = json.loads(out)
    expected = sorted(SAMPLE_RUNS.values(), key=lambda v: v)  # compare as multisets
    got = sorted(((r["sport"], r["distance_km"], round(r["duration_s"])) for r in rows), key=lambda v: (v[0], v[1] or 0, v[2]))
    assert got == sorted(expected, key=lambda v: (v[0], v[1] or 0, v[2]))
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert all((r["walk_breaks"] is None) == (r["sport"] != "run") for r in rows)
    with Store.open(db_url) as store:
        assert store.counts()["lift_sets"] == sum(SAMPLE_SETS.values())


def test_treadmill_without_gps_gives_duration_hr_and_cadence(capsys, sqlite_url: str) -> None:
    run_cli(capsys, "import", TRACKS / "run_treadmill_amazfit_hr_cadence_nogps.tcx", "--db", sqlite_url)
    code, out, _ = run_cli(capsys, "context", "--run", "1", "--json", "--db", sqlite_url)
    doc = json.loads(out)
    assert code == 0
    assert (doc["run"]["distance_km"], doc["run"]["duration_s"], doc["run"]["avg_heart_rate_bpm"]) == (5.9, 2706.0, 148.0)
    assert doc["hills"]["gain_m"] is None and doc["hills"]["steep_segments"] == []
    assert doc["load"]["load_unit"] in ("trimp", "duration_min")
    with Store.open(sqlite_url) as store:
        (stored,) = store.runs()
    import numpy as np

    from formcheck.context import detect_walk_breaks, to_grid

    grid = to_grid(stored.run)
    # No GPS and no per-point distance: the belt speed the watch writes (TPX Speed, median 2.2 m/s)
    # and the cadence (median 159 spm) decide; the 45 minutes have no walk break.
    assert not grid.has_distance and float(np.nanmedian(grid.speed_mps)) == pytest.approx(2.2, abs=0.05)
    assert float(np.nanmedian(grid.cadence_spm)) == pytest.approx(160, abs=4)
    summary = detect_walk_breaks(grid)
    assert summary.signal == "cadence+speed" and summary.breaks == () and doc["walk_breaks"] == []


def test_context_date_with_several_runs_gives_a_list(capsys, sqlite_url: str) -> None:
    import datetime as dt

    from formcheck.store import SourceInfo
    from training_builders import UTC, make_run

    morning = dt.datetime(2024, 5, 4, 6, 0, tzinfo=UTC)
    with Store.open(sqlite_url) as store:
        store.import_runs([make_run(morning), make_run(morning + dt.timedelta(hours=10), distance_m=8000.0)],
                          SourceInfo(sha256="a" * 64, path="/x.gpx", format="gpx"))
    code, out, _ = run_cli(capsys, "context", "--date", "2024-05-04", "--json", "--db", sqlite_url)
    docs = json.loads(out)
    assert code == 0 and isinstance(docs, list) and len(docs) == 2
    assert all(tuple(d) == TOP_LEVEL_KEYS for d in docs)
    assert [d["run"]["distance_km"] for d in docs] == [5.0, 8.0]
    assert docs[1]["load"]["spike_ratio"] == pytest.approx(8.0 / 5.0)  # the morning run counts as history
    code, out, _ = run_cli(capsys, "context", "--date", "2024-05-04", "--db", sqlite_url)
    assert out.count("run 1") == 1 and out.count("run 2") == 1


BAD_INPUTS = {
    "empty.csv": b"",
    "other_app.csv": b"date,steps,calories\n2024-01-01,10000,2200\n",
    "nopoints.gpx": b'<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
                    b"<trk><trkseg></trkseg></trk></gpx>",
    "watch.fit": b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_input_is_one_line_and_nothing_stored(capsys, tmp_path: Path, sqlite_url: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    code, out, err = run_cli(capsys, "import", path, "--db", sqlite_url)
    assert code != 0 and err.count("\n") == 1 and name in err and out == ""
    with Store.open(sqlite_url) as store:
        assert store.counts() == {"runners": 0, "sources": 0, "runs": 0, "lift_sets": 0}


# --- issue 9: messages that are true, and read-only commands that create nothing -------------------


def test_ctrl_c_during_import_says_what_was_saved(capsys, monkeypatch, sqlite_url: str) -> None:
    from formcheck.store import importing

    real_add_strength = importing.add_strength

    def interrupted(*args, **kwargs):
        real_add_strength(*args, **kwargs)  # the sets are written inside the transaction ...
        raise KeyboardInterrupt  # ... and Ctrl-C arrives before it commits

    monkeypatch.setattr(importing, "add_strength", interrupted)
    code, out, err = run_cli(capsys, "import", RUN_0531, FITNOTES, TRACKS / "rowing_indoor_hr.fit", "--db", sqlite_url)
    assert code == 130 and err.count("\n") == 1
    assert "nothing was written" not in err.replace(f"nothing of {FITNOTES.name} was written", "")
    assert (f"interrupted: 1 file(s) were saved before it: {RUN_0531.name} (1 new, 0 updated run(s)); "
            f"nothing of {FITNOTES.name} was written.") in err
    with Store.open(sqlite_url) as store:
        assert (store.counts()["runs"], store.counts()["lift_sets"]) == (1, 0)  # exactly what the message says


def test_ctrl_c_before_anything_is_saved(capsys, monkeypatch, sqlite_url: str) -> None:
    import formcheck.store.ingest as ingest

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "read_file", interrupted)
    code, _, err = run_cli(capsys, "import", RUN_0531, "--db", sqlite_url)
    assert code == 130 and f"interrupted: nothing was written; nothing of {RUN_0531.name} was written." in err


def test_a_bad_option_value_does_not_mention_env_var_none(capsys, sqlite_url: str) -> None:
    code, _, err = run_cli(capsys, "context", "--run", "abc", "--db", sqlite_url)
    assert code == 2 and "'abc' is not a valid integer" in err and "env var" not in err


@pytest.mark.parametrize("command", [["runs"], ["context", "--run", "1"], ["context", "--date", "2015-05-31"]])
def test_read_only_commands_create_no_store(capsys, tmp_path: Path, monkeypatch, command: list[str]) -> None:
    typo = tmp_path / "tpyo" / "formcheck.db"
    code, out, err = run_cli(capsys, *command, "--db", f"sqlite:///{typo}")
    assert code == 8 and out == "" and err.count("\n") == 1
    assert f"there is no training store at {typo} (no such file); import files into it first." in err
    assert not (tmp_path / "tpyo").exists()
    monkeypatch.setenv("FORMCHECK_DB", f"sqlite:///{typo}")  # the same through the environment
    assert run_cli(capsys, *command)[0] == 8 and not (tmp_path / "tpyo").exists()


def test_import_refuses_a_database_of_another_program(capsys, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, route TEXT)")
    code, out, err = run_cli(capsys, "import", RUN_0531, "--db", f"sqlite:///{other}")
    assert code == 8 and err.count("\n") == 1 and "holds tables formcheck did not create (runs)" in err
    with sqlite3.connect(other) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["runs"]


def test_reimport_with_other_units_reports_updates(capsys, sqlite_url: str) -> None:
    strong = STRENGTH / "strong_export_lbs_with_rpe.csv"
    assert run_cli(capsys, "import", strong, "--units", "lb", "--db", sqlite_url)[0] == 0
    code, out, _ = run_cli(capsys, "import", strong, "--units", "kg", "--db", sqlite_url)
    assert code == 0 and out.startswith("updated strong_export_lbs_with_rpe.csv [strong]: 0 new, 4107 updated, "
                                        "583 unchanged set(s); this file was imported before")
    with Store.open(sqlite_url) as store:
        assert store.counts()["lift_sets"] == 4690


def test_impossible_records_are_counted_in_the_import_line(capsys, tmp_path: Path, sqlite_url: str) -> None:
    lines = (STRENGTH / "strong_export_old_format_kg.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",50,10,", ",-100,10,", 1)
    lines[2] = lines[2].replace("2017-05-12", "2099-05-12", 1)
    path = tmp_path / "strong_kg.csv"
    path.write_text("".join(lines), encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", path, "--units", "kg", "--db", sqlite_url)
    assert code == 0 and "2993 new, 0 updated, 0 unchanged set(s); 2 impossible set(s) not stored" in out
    assert "warning: dropped 2 of 2995 sets as impossible: 1 with a weight below 0 kg (e.g. -100 kg" in out
    with Store.open(sqlite_url) as store:
        assert min(s.weight_kg for s in store.lift_sets() if s.weight_kg is not None) >= 0
        assert max(s.performed_on for s in store.lift_sets()).year < 2099


def test_the_cli_names_its_own_flags_for_the_engine_settings(capsys, sqlite_url: str, tmp_path: Path) -> None:
    """The engine says what is missing ("say which unit"); only the CLI adds which of its options sets it."""
    unitless = tmp_path / "strong.csv"
    unitless.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
                        "2015-05-29 18:00:00,Legs,Deadlift (Barbell),1,100,5,0,0,,,\n")  # fmt: skip
    code, out, err = run_cli(capsys, "import", str(unitless), "--db", sqlite_url)
    assert code == 7 and err.count("\n") == 1 and out == ""
    assert "does not say whether weights are kg or lb" in err and err.rstrip().endswith("(--units).")
    code, _, err = run_cli(capsys, "import", str(unitless), RUN_0531, "--db", sqlite_url)
    assert code == 7 and err.rstrip().endswith("the others were imported (--units).")  # the summary line too
    code, _, err = run_cli(capsys, "runs", "--db", sqlite_url, "--runner", "nobody")
    assert code == 9 and err.rstrip().endswith("import their files under that name first (--runner).")
    code, _, err = run_cli(capsys, "runs", "--db", "not a url")
    assert "--" not in err.split("(")[0] and err.rstrip().endswith("(--db).")


@pytest.mark.parametrize("runner", ["[/red]", "Anna [club]"])
def test_runner_names_with_brackets_are_shown_as_written(capsys, sqlite_url: str, runner: str) -> None:
    assert run_cli(capsys, "import", RUN_0531, "--runner", runner, "--db", sqlite_url)[0] == 0
    code, out, err = run_cli(capsys, "runs", "--runner", runner, "--db", sqlite_url)
    assert code == 0 and f"runs of {runner}" in out, err


def test_a_failed_import_creates_no_store_and_a_zone_is_stored_only_with_a_file(capsys, tmp_path: Path) -> None:
    empty = tmp_path / "empty.gpx"
    empty.write_bytes(b"")
    db = tmp_path / "new" / "s.db"
    for files in ([tmp_path / "missing.gpx"], [empty]):
        code, _, err = run_cli(capsys, "import", *files, "--tz", "Europe/Berlin", "--db", f"sqlite:///{db}")
        assert code != 0 and err.count("\n") == 1
    assert not (tmp_path / "new").exists()
    code, out, _ = run_cli(capsys, "import", empty, RUN_0531, "--tz", "Europe/Berlin", "--db", f"sqlite:///{db}")
    assert code != 0 and "time zone of default's lift times: Europe/Berlin" in out and ": 1 new (id 1)" in out
    with Store.open(f"sqlite:///{db}") as store:
        assert store.counts()["runs"] == 1 and store.runner_tz("default") == "Europe/Berlin"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_store_is_refused_not_reported_as_saved(capsys, url: str) -> None:
    code, out, err = run_cli(capsys, "import", RUN_0531, "--db", url)
    assert code != 0 and out == "" and "is an in-memory database, gone when the command ends" in err
    assert err.count("\n") == 1


def test_walk_breaks_are_on_the_clock_with_pauses_and_the_run_says_both_times(capsys, sqlite_url: str) -> None:
    """Google Fit's 2016-10-08 walk/run: 19:11 of timer time and a 35-min pause, 38:42 from start to finish."""
    run_cli(capsys, "import", TRACKS / "walk_run_googlefit_gps_2016-10-08.tcx", "--db", sqlite_url)
    code, out, _ = run_cli(capsys, "context", "--run", "1", "--json", "--db", sqlite_url)
    doc = json.loads(out)
    assert (doc["run"]["duration_s"], doc["run"]["elapsed_s"]) == (pytest.approx(1151, abs=1), pytest.approx(2322, abs=1))
    assert max(b["start_s"] + b["duration_s"] for b in doc["walk_breaks"]) <= doc["run"]["elapsed_s"] + 1
    code, out, _ = run_cli(capsys, "context", "--run", "1", "--db", sqlite_url)
    assert "in 0:19:11 of timer time, 0:38:42 from start to finish with pauses" in out


def test_context_says_the_runs_zone_is_missing_not_the_lift_times(capsys, sqlite_url: str) -> None:
    """Hevy logs clock times; the treadmill run has no GPS, so only the run's zone is missing. The table said
    'no time of day in the log' while the JSON said the times were known."""
    hevy = STRENGTH / "hevy_export_2022_2026.csv"
    run_cli(capsys, "import", hevy, TRACKS / "run_treadmill_amazfit_hr_cadence_nogps.tcx", "--db", sqlite_url)
    code, out, _ = run_cli(capsys, "context", "--date", "2025-12-19", "--db", sqlite_url)
    assert code == 0 and "no time of day in the log" not in out
    assert "(the lift times are known, the run's zone is not: give it with --tz for hours)" in " ".join(out.split())


def test_a_track_that_breaks_part_way_is_counted_over_what_it_holds(capsys, sqlite_url: str, monkeypatch) -> None:
    """The malformed Strava FIT keeps 5 of its 59 minutes (0.93 of 11.27 km): its 15 m of climbing was given as
    1.3 m/km of the whole run and its walk breaks as a plain 0."""
    monkeypatch.setenv("COLUMNS", "120")
    run_cli(capsys, "import", TRACKS / "run_strava_android_malformed.fit", "--db", sqlite_url)
    code, out, _ = run_cli(capsys, "runs", "--db", sqlite_url)
    assert code == 0 and "15 (first 5 min)" in out and "0 (first 5 min)" in out
    code, out, _ = run_cli(capsys, "context", "--run", "1", "--db", sqlite_url)
    assert "walk breaks: 0 in the first 5 min the track holds" in out
    doc = json.loads(run_cli(capsys, "context", "--run", "1", "--json", "--db", sqlite_url)[1])
    assert doc["hills"]["gain_m_per_km"] == pytest.approx(16.4, abs=0.2)  # 15.2 m over the 0.93 km sampled
