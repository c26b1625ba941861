"""read_strength on files a user might really pass: empty, foreign, binary, damaged.

The contract: a FormcheckError with one clear sentence, or a partial StrengthLog
whose warnings say what was skipped. Never a csv/ValueError/IndexError traceback.
The property tests mutate the real sample exports (truncate, flip bytes, drop a
column, shuffle rows) to hold the readers to that.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.errors import FormcheckError, InputFileError, LogFormatError, UnitsRequiredError, UsageError
from formcheck.logs import StrengthLog, read_strength

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
STRENGTH = SHARED / "strength"

pytestmark = pytest.mark.skipif(not STRENGTH.is_dir(), reason="shared sample data not present")

SAMPLES = {
    "strong_export_lbs_with_rpe.csv": "lb",
    "strong_export_old_format_kg.csv": "kg",
    "strong_export_semicolon_workout_number.csv": None,
    "hevy_export_2022_2026.csv": None,
    "hevy_export_set_types_unicode.csv": None,
    "fitnotes_export_kgs_2014_2017.csv": None,
    "fitnotes_export_weight_unit_column.csv": None,
}
SMALL = ["hevy_export_set_types_unicode.csv", "fitnotes_export_weight_unit_column.csv", "strong_export_old_format_kg.csv"]
_BYTES = {name: (STRENGTH / name).read_bytes() for name in SAMPLES} if STRENGTH.is_dir() else {}


def _write(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        read_strength(tmp_path / "nope.csv")
    with pytest.raises(InputFileError, match="is a folder"):
        read_strength(tmp_path)


def test_zero_byte_file_has_no_sets(tmp_path):
    with pytest.raises(LogFormatError, match="is empty"):
        read_strength(_write(tmp_path, b""))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_header_only_export_has_no_sets(tmp_path, name):
    header = _BYTES[name].split(b"\n", 1)[0] + b"\n"
    with pytest.raises(LogFormatError, match="has no sets") as info:
        read_strength(_write(tmp_path, header))
    assert not isinstance(info.value, UnitsRequiredError)  # nothing to convert yet


def test_csv_from_another_app_names_its_header(tmp_path):
    other = b"timestamp,heart_rate,cadence\n2020-01-01T00:00:00,120,80\n"
    with pytest.raises(LogFormatError, match=r"not a Strong, Hevy or FitNotes export: header starts with 'timestamp,heart_rate"):
        read_strength(_write(tmp_path, other))


def test_a_track_file_is_not_a_strength_export(tmp_path):
    gpx = b'<?xml version="1.0"?>\n<gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>\n'
    with pytest.raises(LogFormatError, match="run.gpx is a GPX file, not a Strong, Hevy or FitNotes export"):
        read_strength(_write(tmp_path, gpx, "run.gpx"))


def test_binary_garbage_is_a_log_format_error(tmp_path):
    rng = random.Random(4)
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(LogFormatError):
        read_strength(_write(tmp_path, garbage))
    with pytest.raises(LogFormatError, match="binary"):
        read_strength(_write(tmp_path, b"PK\x03\x04\x00\x00" + garbage))


def test_bad_units_option_is_a_usage_error():
    with pytest.raises(UsageError, match="must be kg or lb"):
        read_strength(STRENGTH / "hevy_export_set_types_unicode.csv", units="stone")


def test_units_accepts_plural_and_case(tmp_path):
    log = read_strength(STRENGTH / "strong_export_old_format_kg.csv", units="KGS")
    assert len(log.sets) == 2995


def test_a_few_bad_rows_are_skipped_and_reported(tmp_path):
    lines = _BYTES["fitnotes_export_kgs_2014_2017.csv"].split(b"\n")
    lines[5] = b"not-a-date,Squat,Legs,100.0,5,,,"
    lines[6] = b"2014-02-13,Squat,Legs,heavy,5,,,"
    log = read_strength(_write(tmp_path, b"\n".join(lines)))
    assert len(log.sets) == 5581
    assert any("unreadable date" in w and "line 6" in w for w in log.warnings)
    assert any("unreadable number" in w for w in log.warnings)


def test_a_file_of_mostly_broken_rows_is_refused(tmp_path):
    head = _BYTES["hevy_export_set_types_unicode.csv"].split(b"\n", 1)[0]
    rows = [b'"t","yesterday-ish","","","Squat",,"",0,"normal",100,5,,,'] * 40
    with pytest.raises(LogFormatError, match="unreadable"):
        read_strength(_write(tmp_path, b"\n".join([head, *rows])))


def test_latin1_byte_in_a_note_is_replaced_not_fatal(tmp_path):
    data = _BYTES["strong_export_old_format_kg.csv"].replace(b'"Afternoon Workout"', b'"Afternoon Workout \xe9"', 1)
    log = read_strength(_write(tmp_path, data), units="kg")
    assert len(log.sets) == 2995
    assert any("not valid UTF-8" in w for w in log.warnings)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_export_reads_the_same_as_its_utf8_original(tmp_path, codec):
    """Excel's "Unicode Text" and some Windows tools save UTF-16: same sets, no warning (the Hevy file has emoji)."""
    name = "hevy_export_set_types_unicode.csv"
    original = read_strength(STRENGTH / name, units=SAMPLES[name])
    wide = read_strength(_write(tmp_path, _BYTES[name].decode("utf-8-sig").encode(codec)), units=SAMPLES[name])
    assert wide.sets == original.sets and wide.warnings == original.warnings


def test_a_windows_1252_export_keeps_its_accents(tmp_path):
    """A legacy 8-bit file (no UTF-8 beyond ASCII in it) is read as Windows-1252, not filled with U+FFFD."""
    name = "strong_export_old_format_kg.csv"
    text = _BYTES[name].decode("utf-8").replace('"Afternoon Workout"', '"Séance d\'été"', 1)
    log = read_strength(_write(tmp_path, text.encode("cp1252")), units="kg")
    assert len(log.sets) == 2995 and "\ufffd" not in repr(log.sets)
    assert any("Séance d'été" in repr(s) for s in log.sets)
    assert any("read as Windows-1252" in w for w in log.warnings)


# ---------------------------------------------------------------- property tests

PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_mutated(data: bytes, name: str) -> StrengthLog | None:
    """Read mutated bytes; a FormcheckError is an allowed outcome (returns None)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.csv"
        path.write_bytes(data)
        try:
            log = read_strength(path, units=SAMPLES[name])
        except FormcheckError as exc:
            assert str(exc).strip()
            return None
    assert log.sets, "a StrengthLog is only returned when it has sets"
    return log


@PROPERTY
@given(name=st.sampled_from(sorted(SAMPLES)), fraction=st.floats(0.0, 1.0))
def test_truncated_exports_give_typed_errors_or_fewer_sets(name, fraction):
    data = _BYTES[name]
    cut = int(len(data) * fraction)
    log = _read_mutated(data[:cut], name)
    if log is not None:
        full = len(read_strength(STRENGTH / name, units=SAMPLES[name]).sets)
        assert len(log.sets) <= full


@PROPERTY
@given(name=st.sampled_from(SMALL), flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), min_size=1, max_size=20))
def test_flipped_bytes_give_typed_errors_or_partial_logs(name, flips):
    data = bytearray(_BYTES[name])
    for where, value in flips:
        data[int(where * len(data))] = value
    _read_mutated(bytes(data), name)


@PROPERTY
@given(name=st.sampled_from(sorted(SAMPLES)), column=st.integers(0, 13))
def test_dropping_a_column_gives_typed_errors_or_a_log(name, column):
    text = _BYTES[name].decode("utf-8-sig")
    delimiter = ";" if "semicolon" in name else ","
    out = []
    for line in text.split("\n"):
        fields = line.split(delimiter)  # crude on purpose: quoted delimiters get cut too
        if column < len(fields):
            del fields[column]
        out.append(delimiter.join(fields))
    _read_mutated("\n".join(out).encode(), name)


@PROPERTY
@given(name=st.sampled_from([n for n in SAMPLES if "semicolon" not in n]), seed=st.integers(0, 2**32 - 1))
def test_shuffled_rows_give_the_same_sets(name, seed):
    """Metamorphic: row order does not change which sets are read (the reader sorts them)."""
    header, *rows = _BYTES[name].rstrip(b"\n").split(b"\n")
    random.Random(seed).shuffle(rows)
    log = _read_mutated(b"\n".join([header, *rows]), name)
    assert log is not None
    original = read_strength(STRENGTH / name, units=SAMPLES[name])
    key = lambda s: (s.performed_on, s.started_at, s.exercise, s.weight_kg, s.reps, s.kind)  # noqa: E731
    assert Counter(map(key, log.sets)) == Counter(map(key, original.sets))
    assert log.recovered_rows == original.recovered_rows


@PROPERTY
@given(junk=st.binary(min_size=0, max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_formcheck_errors(junk):
    _read_mutated(junk, "hevy_export_2022_2026.csv")


def test_two_fitnotes_rows_run_together_are_not_recovered_as_one_name(tmp_path):
    """A lost line break also gives too many fields; that must be skipped, not 'recovered'."""
    lines = _BYTES["fitnotes_export_kgs_2014_2017.csv"].split(b"\n")
    lines[3] = lines[3] + lines.pop(4)
    log = read_strength(_write(tmp_path, b"\n".join(lines)))
    assert log.recovered_rows == 0
    assert len(log.sets) == 5581
    assert any("15 fields instead of 8" in w for w in log.warnings)
