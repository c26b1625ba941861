"""read_strength on the seven real exports in shared/data/strength, checked against SOURCES.md.

Each test reads like a usage example: read a file, then assert a fact a person
could check by opening the CSV (set and session counts, date range, heaviest
lift, units, ordering, recovered rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest

from formcheck.errors import UnitsRequiredError
from formcheck.logs import SetKind, read_strength
from formcheck.logs.strength_csv import KG_PER_LB

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
STRENGTH = SHARED / "strength"

pytestmark = pytest.mark.skipif(not STRENGTH.is_dir(), reason="shared sample data not present")


def _read(name: str, units: str | None = None):
    return read_strength(STRENGTH / name, units=units)


def _max_kg(log, exercise: str) -> float:
    return max(s.weight_kg for s in log.sets if s.exercise == exercise and s.weight_kg is not None)


def _sessions(log) -> int:
    return len({(s.performed_on, s.started_at) for s in log.sets})


def _assert_oldest_first(log) -> None:
    keys = [(s.performed_on, s.started_at or dt.datetime.min) for s in log.sets]
    assert keys == sorted(keys)


# ---------------------------------------------------------------- Strong


def test_strong_lb_export_needs_units_and_converts_lb_to_kg():
    with pytest.raises(UnitsRequiredError, match="say which of the two it uses"):
        _read("strong_export_lbs_with_rpe.csv")
    log = _read("strong_export_lbs_with_rpe.csv", units="lb")
    assert log.app == "strong"
    assert len(log.sets) == 4690
    assert _sessions(log) == 312
    assert log.sets[0].started_at == dt.datetime(2021, 7, 7, 18, 35, 21)
    assert log.sets[-1].performed_on == dt.date(2022, 12, 6)
    assert _max_kg(log, "Deadlift (Barbell)") == pytest.approx(420 * KG_PER_LB)
    assert _max_kg(log, "Deadlift (Barbell)") == pytest.approx(190.5, abs=0.01)
    assert _max_kg(log, "Squat (Barbell)") == pytest.approx(355 * KG_PER_LB)
    assert {"Romanian Deadlift (Barbell)", "Pendlay Row (Barbell)", "Back Extension"} <= {s.exercise for s in log.sets}
    assert [s.rpe for s in log.sets if s.rpe is not None] == [9.0]
    # Rowing distances have no unit in this layout: dropped and said so, not guessed.
    assert any("distance" in w and "128" in w for w in log.warnings)
    assert all(s.distance_m is None for s in log.sets)
    _assert_oldest_first(log)


def test_strong_same_file_read_as_kg_is_2_2_times_lighter():
    as_lb = _read("strong_export_lbs_with_rpe.csv", units="lb")
    as_kg = _read("strong_export_lbs_with_rpe.csv", units="kg")
    assert _max_kg(as_kg, "Deadlift (Barbell)") == 420.0
    assert _max_kg(as_lb, "Deadlift (Barbell)") / _max_kg(as_kg, "Deadlift (Barbell)") == pytest.approx(KG_PER_LB)


def test_strong_old_layout_without_duration_or_rpe():
    with pytest.raises(UnitsRequiredError):
        _read("strong_export_old_format_kg.csv")
    log = _read("strong_export_old_format_kg.csv", units="kg")
    assert len(log.sets) == 2995
    assert _sessions(log) == 137
    assert log.sets[0].performed_on == dt.date(2017, 5, 12)
    assert log.sets[-1].performed_on == dt.date(2019, 7, 12)
    assert _max_kg(log, "Deadlift (Barbell)") == 120.0
    assert _max_kg(log, "Squat (Barbell)") == 110.0
    assert all(s.rpe is None for s in log.sets)
    assert log.warnings == ()


def test_strong_semicolon_layout_states_kg_and_marks_warmups():
    log = _read("strong_export_semicolon_workout_number.csv")  # no units needed: "Weight (kg)"
    assert len(log.sets) == 8004
    assert _sessions(log) == 574
    assert log.sets[0].started_at == dt.datetime(2020, 1, 20, 11, 43, 41)
    assert log.sets[-1].started_at == dt.datetime(2025, 9, 20, 13, 9, 59)
    kinds = Counter(s.kind for s in log.sets)
    assert kinds[SetKind.WARMUP] == 1230 and kinds[SetKind.FAILURE] == 243
    assert log.sets[0].weight_kg == pytest.approx(65.181223569)
    assert _max_kg(log, "Romanian Deadlift (Barbell)") == pytest.approx(102.05828325)
    # multi-line quoted notes stay inside one set
    multi = [s for s in log.sets if s.exercise == "Incline Chest Press (Machine)" and s.performed_on == dt.date(2024, 6, 24)]
    assert multi and all(s.started_at == dt.datetime(2024, 6, 24, 19, 7, 39) for s in multi)
    # WARM_UP rows have no number; every set still gets a 1-based index within its exercise
    first_workout = [s for s in log.sets if s.performed_on == dt.date(2020, 1, 20) and s.exercise == "Push Up"]
    assert [s.set_index for s in first_workout] == [1, 2, 3, 4]
    assert log.warnings == ()


def test_strong_units_option_conflicting_with_header_is_ignored_with_a_warning():
    log = _read("strong_export_semicolon_workout_number.csv", units="lb")
    assert log.sets[0].weight_kg == pytest.approx(65.181223569)
    assert any("the weight unit given (lb) was ignored" in w for w in log.warnings)


# ---------------------------------------------------------------- Hevy


def test_hevy_newest_first_file_comes_out_oldest_first():
    log = _read("hevy_export_2022_2026.csv")
    assert log.app == "hevy"
    assert len(log.sets) == 4063
    assert _sessions(log) == 232
    assert log.sets[0].performed_on == dt.date(2022, 2, 4)
    assert log.sets[-1].started_at == dt.datetime(2026, 4, 9, 17, 18)
    _assert_oldest_first(log)
    assert _max_kg(log, "Deadlift (Barbell)") == 130.0
    assert {"Romanian Deadlift (Barbell)", "Squat (Barbell)"} <= {s.exercise for s in log.sets}
    kinds = Counter(s.kind for s in log.sets)
    assert kinds == {SetKind.NORMAL: 3691, SetKind.WARMUP: 186, SetKind.FAILURE: 112, SetKind.DROPSET: 74}
    assert sum(1 for s in log.sets if s.weight_kg is None) == 88
    # within a workout the file's exercise and set order survives the re-ordering
    last = [s for s in log.sets if s.started_at == dt.datetime(2026, 4, 9, 17, 18)]
    assert last[0].exercise == "Hack Squat (Machine)"
    assert [s.set_index for s in last[:3]] == [1, 2, 3]
    assert [s.reps for s in last[:3]] == [6, 6, 12]


def test_hevy_unicode_titles_notes_and_bodyweight_sets():
    log = _read("hevy_export_set_types_unicode.csv")
    assert len(log.sets) == 567
    assert _sessions(log) == 37
    assert log.sets[0].performed_on == dt.date(2025, 7, 8)
    assert log.sets[-1].performed_on == dt.date(2026, 4, 8)
    assert any("🌙" in s.workout for s in log.sets)
    assert any("como q eu vou voltar pra casa" in s.notes for s in log.sets)
    pull_ups = [s for s in log.sets if s.exercise == "Pull Up"]
    assert pull_ups and all(s.weight_kg is None for s in pull_ups)
    assert sum(1 for s in log.sets if s.weight_kg is None) == 27
    assert sum(1 for s in log.sets if s.reps is None) == 1
    kinds = Counter(s.kind for s in log.sets)
    assert kinds == {SetKind.NORMAL: 498, SetKind.WARMUP: 48, SetKind.DROPSET: 11, SetKind.FAILURE: 10}


def test_hevy_with_a_byte_order_mark_reads_the_same(tmp_path):
    src = STRENGTH / "hevy_export_set_types_unicode.csv"
    bom = tmp_path / "export.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + src.read_bytes())
    assert read_strength(bom).sets == read_strength(src).sets


# ---------------------------------------------------------------- FitNotes


def test_fitnotes_old_header_kgs_no_time_of_day():
    log = _read("fitnotes_export_kgs_2014_2017.csv")
    assert log.app == "fitnotes"
    assert len(log.sets) == 5583
    assert len({s.performed_on for s in log.sets}) == 520
    assert log.sets[0].performed_on == dt.date(2014, 2, 11)
    assert log.sets[-1].performed_on == dt.date(2017, 2, 14)
    assert all(s.started_at is None and not s.has_time_of_day for s in log.sets)
    assert _max_kg(log, "Squat") == 150.0
    assert _max_kg(log, "Deadlift") == 200.0
    assert {"Power Clean", "Power Snatch"} <= {s.exercise for s in log.sets}
    assert log.recovered_rows == 0


def test_fitnotes_same_person_lifted_before_the_google_fit_runs():
    log = _read("fitnotes_export_kgs_2014_2017.csv")
    on = lambda day: {s.exercise for s in log.sets if s.performed_on == dt.date.fromisoformat(day)}  # noqa: E731
    assert {"Deadlift", "High Bar Squat"} <= on("2015-05-29")  # two days before the 2015-05-31 run
    assert "Deadlift" in on("2015-06-19")  # the day before the 2015-06-20 walk/run
    assert {"Deadlift", "Squat"} <= on("2016-10-07")  # the day before the 2016-10-08 walk/run


def test_fitnotes_numbers_sets_within_day_and_exercise():
    log = _read("fitnotes_export_kgs_2014_2017.csv")
    first_day = [s for s in log.sets if s.performed_on == dt.date(2014, 2, 11)]
    by_exercise: dict[str, list[int]] = {}
    for s in first_day:
        by_exercise.setdefault(s.exercise, []).append(s.set_index)
    assert all(idx == list(range(1, len(idx) + 1)) for idx in by_exercise.values())


def test_fitnotes_weight_unit_column_recovers_99_comma_split_rows():
    log = _read("fitnotes_export_weight_unit_column.csv")
    # SOURCES.md says 1,623 sets; the file has 1,624 data rows (1,525 + 99 recovered).
    assert len(log.sets) == 1624
    assert len({s.performed_on for s in log.sets}) == 78
    assert log.sets[0].performed_on == dt.date(2025, 4, 29)
    assert log.sets[-1].performed_on == dt.date(2025, 9, 16)
    assert log.recovered_rows == 99
    assert any("recovered 99 row(s)" in w for w in log.warnings)
    names = Counter(s.exercise for s in log.sets)
    assert names["Overhead Press (Each Side, Dumbbells)"] == 84
    assert names["Bench Press (With Bar, Each Side)"] == 9
    assert names["Rear Delt Pulling (Each Side, Cable In Front Of Eyes Area)"] == 6
    assert not any(name.startswith(" ") or name.endswith("(Each Side") for name in names)
    recovered = next(s for s in log.sets if s.exercise == "Overhead Press (Each Side, Dumbbells)")
    assert (recovered.weight_kg, recovered.reps) == (8.0, 5)


# ---------------------------------------------------------------- all files


ALL = [
    ("strong_export_lbs_with_rpe.csv", "lb"),
    ("strong_export_old_format_kg.csv", "kg"),
    ("strong_export_semicolon_workout_number.csv", None),
    ("hevy_export_2022_2026.csv", None),
    ("hevy_export_set_types_unicode.csv", None),
    ("fitnotes_export_kgs_2014_2017.csv", None),
    ("fitnotes_export_weight_unit_column.csv", None),
]


@pytest.mark.parametrize(("name", "units"), ALL)
def test_every_export_is_detected_by_header_not_name(tmp_path, name, units):
    renamed = tmp_path / "workouts.csv"
    shutil.copyfile(STRENGTH / name, renamed)
    log = read_strength(renamed, units=units)
    assert log.app == name.split("_")[0]
    assert log.source_path == str(renamed)
    assert log.source_sha256 == hashlib.sha256((STRENGTH / name).read_bytes()).hexdigest()
    assert all(s.weight_kg is None or s.weight_kg > 0 for s in log.sets)
    assert all(s.set_index >= 1 for s in log.sets)
    assert all(s.exercise == s.exercise.strip() and s.exercise for s in log.sets)
