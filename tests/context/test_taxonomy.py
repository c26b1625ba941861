"""Exercise taxonomy: real names from all seven exports, borderline rules, user overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.logs import read_strength
from formcheck.context.taxonomy import (
    ENV_VAR,
    FAMILIES,
    LUMBAR_LOADS,
    TaxonomyError,
    load_taxonomy,
    normalise_name,
    unknown_exercises,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
STRENGTH = SHARED / "strength"
SAMPLES = {
    "strong_export_lbs_with_rpe.csv": "lb",
    "strong_export_old_format_kg.csv": "kg",
    "strong_export_semicolon_workout_number.csv": None,
    "hevy_export_2022_2026.csv": None,
    "hevy_export_set_types_unicode.csv": None,
    "fitnotes_export_kgs_2014_2017.csv": None,
    "fitnotes_export_weight_unit_column.csv": None,
}
# Left unknown on purpose: the name does not say what the movement is.
EXPECTED_UNKNOWN = {"GHD With Weight", "Gar Hammer", "kettlebell"}

needs_data = pytest.mark.skipif(not STRENGTH.is_dir(), reason="shared sample data not present")


@pytest.fixture(scope="module")
def table():
    return load_taxonomy(use_environment=False)


@pytest.fixture(scope="module")
def logs():
    return {name: read_strength(STRENGTH / name, units=units) for name, units in SAMPLES.items()}


def test_builtin_table_is_versioned_and_valid(table):
    assert table.version >= 1
    assert len(table.rules) > 40
    assert all(r.family in FAMILIES and r.lumbar_load in LUMBAR_LOADS for r in table.rules)


@needs_data
def test_every_sample_name_is_classified_or_reported_unknown(table, logs):
    all_names = {s.exercise for log in logs.values() for s in log.sets}
    reported = {u.name for log in logs.values() for u in unknown_exercises(log, table)}
    classified = {n for n in all_names if table.classify(n) is not None}
    assert classified | reported == all_names
    assert not classified & reported
    assert len(all_names) == 405
    assert reported == EXPECTED_UNKNOWN  # 3 of 405 names


@needs_data
def test_unknowns_are_listed_with_set_counts(table, logs):
    unknown = unknown_exercises(logs["strong_export_old_format_kg.csv"], table)
    assert [(u.name, u.sets) for u in unknown] == [("GHD With Weight", 27), ("kettlebell", 6)]  # most-used first
    unknown = unknown_exercises(logs["strong_export_semicolon_workout_number.csv"], table)
    assert [(u.name, u.sets) for u in unknown] == [("Gar Hammer", 57)]
    assert unknown_exercises(logs["fitnotes_export_kgs_2014_2017.csv"], table) == ()


HEAVY = [
    # Strong
    "Deadlift (Barbell)", "Romanian Deadlift (Barbell)", "Romanian Deadlift (Dumbbell)", "Squat (Barbell)",
    "Front Squat (Barbell)", "Pendlay Row (Barbell)", "Back Extension", "Deficit Deadlift (Barbell)",
    "Block Deadlift", "Paused Deadlift", "Paused RDL", "Stiff Leg Deadlift (Dumbbell)", "Bent Over Row (Barbell)",
    "Back Extension (Weighted Hyperextension)", "GHD Hypertension", "Clean (Barbell)", "Snatch (Barbell)",
    "Pause Squat", "Pin Squat", "Front Squat Eccentric", "Clean Pull", "Split Jerk (Barbell)",
    # Hevy
    "Deadlift (Trap bar)", "Hang Snatch (Barbell)",
    # FitNotes
    "Squat", "Deadlift", "Barbell Squat (Each Side)", "High Bar Squat", "Sumo Deadlift", "Romanian Deadlift",
    "Power Clean", "Power Snatch", "Hang Clean", "Hang Snatch", "Speed DL", "Speed DL W Bands", "Rack Pull",
    "Back Extensions", "Pendlay Row", "Barbell Row", "Overhead Squat", "Front Squat", "Clean And Jerk",
]
MODERATE = [
    "Hip Thrust (Barbell)", "Bulgarian Split Squat", "Lunge (Barbell)", "Walking Lunges (Each Side)",
    "Overhead Press (Barbell)", "Overhead Press", "Push Press", "T Bar Row", "Landmine Row", "Hack Squat (Machine)",
    "Pendulum Squat", "Squat (Smith Machine)", "One Leg Rdl", "Glute Ham Raise", "Side Bend (Dumbbell)",
    "Standing Calf Raise (Machine)", "Bent Over Row (Dumbbell)", "GHD Sit Up",
]
NONE = [
    "Bench Press (Barbell)", "Bench Press (Touch and Go)", "Incline Bench Press (Dumbbell)", "Bicep Curl (Dumbbell)",
    "Barbell Curl", "Hammer Curl (Dumbbell)", "Lying Leg Curl (Machine)", "Leg Press", "Leg Press (Machine)",
    "Leg Press Machine", "Calf Press on Leg Press", "Belt Squat ", "Lat Pulldown (Cable)", "Pull Up", "Chin Up",
    "Seated Row (Cable)", "Iso-Lateral Row (Machine)", "Bent Over One Arm Row (Dumbbell)", "Chest Press (Machine)",
    "Seated Overhead Press (Dumbbell)", "Overhead Press (Smith Machine)", "Triceps Pushdown", "Upright Row (Cable)",
    "Leg Extension (Machine)", "Plank", "Cable Crunch", "Rowing (Machine)", "Chest Fly", "Shrug (Dumbbell)",
    "Seated Calf Raise Machine", "Intensity",
]


@pytest.mark.parametrize("name", HEAVY)
def test_heavy_lumbar_loading(table, name):
    assert table.classify(name).lumbar_load == "heavy", name


@pytest.mark.parametrize("name", MODERATE)
def test_moderate_lumbar_loading(table, name):
    assert table.classify(name).lumbar_load == "moderate", name


@pytest.mark.parametrize("name", NONE)
def test_no_lumbar_loading(table, name):
    assert table.classify(name).lumbar_load == "none", name


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Romanian Deadlift (Barbell)", "hinge"),  # specific rule wins over "squat"/"deadlift" order
        ("Leg Press", "leg_press"),  # not a squat
        ("Calf Press on Seated Leg Press", "isolation"),
        ("Bulgarian Pushup", "press"),  # not a split squat
        ("Straight-Arm Cable Pushdown", "pull"),  # a lat exercise despite "pushdown"
        ("Infinity Stretch Chest Press", "press"),  # not a stretch
        ("Hanging Leg Raise", "core"),  # "hanging" is not a dead hang
        ("L-Sit Chin up", "pull"),
        ("Power Clean", "olympic"),
        ("Rowing (Machine)", "cardio"),
        ("Leg Raise (Captain´s Chair)", "core"),
    ],
)
def test_families_of_easily_confused_names(table, name, family):
    assert table.classify(name).family == family


def test_matched_rule_explains_the_decision(table):
    found = table.classify("Romanian Deadlift (Dumbbell)")
    assert "romanian" in found.matched_rule and "exercise_taxonomy.csv:" in found.matched_rule
    assert found.lumbar_rank == 2


def test_normalise_name():
    assert normalise_name("  Leg Raise (Captain´s   Chair) ") == "leg raise (captain's chair)"


@needs_data
def test_fitnotes_runner_had_heavy_lumbar_sets_before_runs(table, logs):
    import datetime as dt

    log = logs["fitnotes_export_kgs_2014_2017.csv"]
    heavy_days = {s.performed_on for s in log.sets if table.classify(s.exercise).lumbar_load == "heavy"}
    assert {dt.date(2015, 5, 29), dt.date(2015, 6, 19), dt.date(2016, 10, 7)} <= heavy_days


def test_user_file_overrides_and_extends_builtin(tmp_path):
    user = tmp_path / "mine.csv"
    user.write_text(
        "# version: 1\npattern,family,lumbar_load,note\n"
        "^kettlebell$,hinge,moderate,my kettlebell sets are swings\n"
        "leg press,leg_press,moderate,I round my back on it\n",
        encoding="utf-8",
    )
    table = load_taxonomy(user, use_environment=False)
    assert table.classify("kettlebell").family == "hinge"
    assert table.classify("Leg Press").lumbar_load == "moderate"
    assert table.classify("Deadlift (Barbell)").lumbar_load == "heavy"  # built-ins still there
    assert "mine.csv:3" in table.classify("kettlebell").matched_rule


def test_environment_variable_adds_rules(tmp_path, monkeypatch):
    user = tmp_path / "env.csv"
    user.write_text("pattern,family,lumbar_load\ngar hammer,isolation,none\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(user))
    assert load_taxonomy().classify("Gar Hammer").family == "isolation"
    assert load_taxonomy(use_environment=False).classify("Gar Hammer") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("pattern,family,lumbar_load\nsquat(,squat,heavy\n", "not a valid regular expression"),
        ("pattern,family,lumbar_load\nsquat,legs,heavy\n", "family 'legs'"),
        ("pattern,family,lumbar_load\nsquat,squat,very\n", "must be none, moderate or heavy"),
        ("name,kind\nsquat,squat\n", "header must start with"),
    ],
)
def test_bad_user_file_is_a_clear_error(tmp_path, content, message):
    user = tmp_path / "bad.csv"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message) as info:
        load_taxonomy(user, use_environment=False)
    assert "bad.csv" in str(info.value)


def test_missing_user_file_is_a_clear_error(tmp_path):
    with pytest.raises(TaxonomyError, match="does not exist"):
        load_taxonomy(tmp_path / "nope.csv", use_environment=False)
