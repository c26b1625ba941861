"""Impossible records never get through ``read_log``: the cases of issue 9, made from the real shared files.

Each test edits a real file the way the reported damage did (a FIT session's
distance byte, equal or reversed GPX times, strength rows with -100 kg, 1e9 kg,
-5 reps or a date in 2099, a stone column) and checks what comes out: the
samples' totals, a dropped-and-counted record, or one LogFormatError line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from mutate import set_fit_field, xml_times

from formcheck.errors import LogFormatError
from formcheck.logs import plausibility, read_log
from formcheck.logs.records import Run, Sport
from formcheck.logs.strength_csv import KG_PER_STONE

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TRACKS, STRENGTH = SHARED / "tracks", SHARED / "strength"
FENIX2 = TRACKS / "run_fenix2_gps_hr_cadence_dynamics.fit"  # 9.01 km in 47 min
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _passes_bounds(parsed) -> bool:
    records = parsed.runs if parsed.kind == "track" else parsed.strength.sets
    check = plausibility.run_problem if parsed.kind == "track" else plausibility.set_problem
    return all(check(r) is None for r in records)


# --- tracks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fix_crc", [False, True], ids=["crc-mismatch", "crc-recomputed"])
def test_fit_session_distance_byte_corrupted_to_42785_km(tmp_path: Path, fix_crc: bool) -> None:
    # The top byte of session.total_distance (cm) set to 0xFF: 900,822 cm -> 4,279,090,902 cm = 42,791 km in 47 min.
    data = set_fit_field(FENIX2.read_bytes(), "session", "total_distance", 0xFF000000 | 900822, fix_crc=fix_crc)
    parsed = read_log(_write(tmp_path, "corrupt.fit", data))
    (run,) = parsed.runs
    assert run.distance_m == pytest.approx(9008, abs=1)  # the records' odometer, not the session's byte
    assert any("does not match its samples" in w for w in run.warnings)
    assert _passes_bounds(parsed)


def test_fit_session_time_distance_and_sport_corrupted(tmp_path: Path) -> None:
    # 9 km / 47 min run -> the session says 7.3 km, 2 h 50 min, sport "generic" (0); CRC left wrong.
    data = FENIX2.read_bytes()
    data = set_fit_field(data, "session", "total_elapsed_time", 10_200_000)
    data = set_fit_field(data, "session", "total_distance", 730_000)
    data = set_fit_field(data, "session", "sport", 0)
    (run,) = read_log(_write(tmp_path, "corrupt.fit", data)).runs
    assert run.duration_s == pytest.approx(2832, abs=30)  # the samples' 47 min
    assert run.distance_m == pytest.approx(9008, abs=1)
    assert run.sport is Sport.RUN  # the laps and the sport message still say running
    assert any("altered or damaged" in w for w in run.warnings)


def test_fit_with_an_impossible_summary_and_no_samples_to_check_is_refused(tmp_path: Path) -> None:
    # The rowing file has no distance in its records: a 42,785 km session distance cannot be cross-checked,
    # so the bounds refuse the activity (one line) instead of storing it.
    rowing = (TRACKS / "rowing_indoor_hr.fit").read_bytes()
    data = set_fit_field(rowing, "session", "total_distance", 4_278_500_000, fix_crc=True)
    with pytest.raises(LogFormatError) as info:
        read_log(_write(tmp_path, "row.fit", data))
    message = info.value.message
    assert "row.fit: its only activity is impossible" in message and "42,785 km" in message and "\n" not in message


@pytest.mark.parametrize("order", ["equal", "reverse"])
def test_gpx_with_equal_or_reversed_timestamps_is_refused(tmp_path: Path, order: str) -> None:
    data = xml_times((TRACKS / "run_strava_gps_hr_51min.gpx").read_bytes(), order)
    with pytest.raises(LogFormatError) as info:
        read_log(_write(tmp_path, f"{order}.gpx", data))
    assert "duration under 10 s" in info.value.message and "\n" not in info.value.message


def test_a_multi_track_gpx_keeps_its_good_track_and_counts_the_bad_one(tmp_path: Path) -> None:
    good = (TRACKS / "run_strava_gps_hr_cadence.gpx").read_bytes()
    bad = xml_times(good, "equal")
    start, end = good.index(b"<trk>"), good.rindex(b"</trk>") + len(b"</trk>")
    two = good[:end] + bad[bad.index(b"<trk>"):bad.rindex(b"</trk>") + 6] + good[end:]
    parsed = read_log(_write(tmp_path, "two.gpx", two))
    assert len(parsed.runs) == 1 and (parsed.dropped, parsed.total) == (1, 2)
    (warning,) = parsed.warnings
    assert warning.startswith("dropped 1 of 2 activities as impossible: 1 with a duration under 10 s (e.g. 0 s")


def test_a_run_in_the_future_or_before_1990_is_impossible() -> None:
    run = Run(sport=Sport.RUN, start=dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc), duration_s=3000.0,
              distance_m=9000.0, points=())
    assert plausibility.run_problem(run).what == "a date in the future"
    old = Run(sport=Sport.RUN, start=dt.datetime(1985, 1, 1, tzinfo=dt.timezone.utc), duration_s=3000.0,
              distance_m=9000.0, points=())
    assert plausibility.run_problem(old).what == "a date before 1990"
    fast = Run(sport=Sport.WALK, start=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), duration_s=600.0,
               distance_m=9000.0, points=())
    assert "average speed over 10.5 m/s" in plausibility.run_problem(fast).what


def test_every_bound_has_a_reason() -> None:
    bounds = plausibility.load_bounds()
    assert all(b.why and len(b.why) < 140 for section in bounds.sections.values() for b in section.values())
    assert {"run", "set", "point", "dates", "file"} <= set(bounds.sections)


@pytest.mark.parametrize("name", sorted(p.name for p in TRACKS.glob("*") if p.suffix in {".fit", ".gpx", ".tcx"}))
def test_every_real_track_passes_the_bounds_untouched(name: str) -> None:
    parsed = read_log(TRACKS / name)
    assert parsed.dropped == 0 and _passes_bounds(parsed)
    assert not any("does not match its samples" in w for r in parsed.runs for w in r.warnings)


# --- strength -------------------------------------------------------------------------------------

STRONG_LB = STRENGTH / "strong_export_lbs_with_rpe.csv"


def _strong_with(rows: dict[int, tuple[str, str]]) -> bytes:
    """The lb Strong export with some rows' Weight/Reps or Date replaced: {line: (column, value)}."""
    lines = STRONG_LB.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    for line, (column, value) in rows.items():
        fields = lines[line].rstrip("\n").split(",")
        fields[header.index(column)] = value
        lines[line] = ",".join(fields) + "\n"
    return "".join(lines).encode()


def test_impossible_sets_are_dropped_and_counted_in_one_line(tmp_path: Path) -> None:
    data = _strong_with({
        1: ("Weight", "-220.5"),  # -100 kg in lb
        2: ("Weight", "2204622621.8"),  # 1e9 kg in lb
        3: ("Reps", "-5"),
        4: ("Date", "2099-07-07 18:35:21"),
    })
    parsed = read_log(_write(tmp_path, "strong.csv", data), units="lb")
    assert (parsed.dropped, parsed.total, len(parsed.strength.sets)) == (4, 4690, 4686)
    (warning,) = parsed.warnings
    assert warning.startswith("dropped 4 of 4690 sets as impossible: ")
    for part in ("a weight below 0 kg (e.g. -100.017 kg", "a weight above 1000 kg", "reps below 0 (e.g. -5",
                 "a date in the future (e.g. 2099-07-07"):
        assert part in warning
    assert _passes_bounds(parsed)


def test_a_file_of_mostly_impossible_sets_fails_with_one_line(tmp_path: Path) -> None:
    lines = STRONG_LB.read_text(encoding="utf-8").splitlines(keepends=True)[:41]
    data = "".join(lines[:1] + [line.replace("2021-", "2099-", 1) for line in lines[1:30]] + lines[30:]).encode()
    with pytest.raises(LogFormatError) as info:
        read_log(_write(tmp_path, "future.csv", data), units="lb")
    assert info.value.message.startswith("future.csv: 29 of 40 sets are impossible (29 with a date in the future")
    assert "\n" not in info.value.message


def test_the_future_is_relative_to_now() -> None:
    # The Hevy export runs to April 2026: read "in" January 2026, its last months are the future.
    parsed = read_log(STRENGTH / "hevy_export_2022_2026.csv", now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert 0 < parsed.dropped < parsed.total / 2 and "a date in the future" in parsed.warnings[0]
    assert max(s.performed_on for s in parsed.strength.sets) <= dt.date(2026, 1, 2)
    with pytest.raises(LogFormatError, match="sets are impossible"):  # read in 2024: most of it
        read_log(STRENGTH / "hevy_export_2022_2026.csv", now=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))


def test_a_stone_column_is_converted_even_with_units_kg(tmp_path: Path) -> None:
    text = (STRENGTH / "strong_export_old_format_kg.csv").read_text(encoding="utf-8")
    stone = text.replace("Set Order,Weight,Reps", "Set Order,Weight (st),Reps", 1)
    kg = read_log(STRENGTH / "strong_export_old_format_kg.csv", units="kg").strength
    st = read_log(_write(tmp_path, "stone.csv", stone.encode()), units="kg")
    assert any("the weight unit given (kg) was ignored: the 'Weight (st)' column says st" in w for w in st.strength.warnings)
    def key(s):
        return (s.started_at, s.exercise, s.set_index)

    as_kg = {key(s): s.weight_kg for s in kg.sets if s.weight_kg}
    pairs = [(as_kg[key(s)], s.weight_kg) for s in st.strength.sets if s.weight_kg]
    assert len(pairs) > 1000 and all(b == pytest.approx(a * KG_PER_STONE) for a, b in pairs)
    # 50 "st" is 317.5 kg; rows over 157 st (1,000 kg) leave the bounds and are dropped, not stored
    assert st.dropped == sum(1 for w in as_kg.values() if w * KG_PER_STONE > 1000) > 0


def test_an_unknown_weight_unit_is_refused(tmp_path: Path) -> None:
    text = (STRENGTH / "strong_export_old_format_kg.csv").read_text(encoding="utf-8")
    path = _write(tmp_path, "ounces.csv", text.replace("Set Order,Weight,Reps", "Set Order,Weight (oz),Reps", 1).encode())
    with pytest.raises(LogFormatError, match=r"ounces.csv: the 'Weight \(oz\)' column gives weights in 'oz'"):
        read_log(path, units="kg")


def test_fitnotes_row_with_an_unknown_unit_is_skipped_not_read_as_kg(tmp_path: Path) -> None:
    text = (STRENGTH / "fitnotes_export_weight_unit_column.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(",kgs,", ",stones,", 1)
    lines[2] = lines[2].replace(",kgs,", ",oz,", 1)
    parsed = read_log(_write(tmp_path, "fitnotes.csv", "".join(lines).encode()), units="kg")
    first = [s for s in parsed.strength.sets if s.performed_on == dt.date(2025, 4, 29)][0]
    assert first.weight_kg == pytest.approx(7.5 * KG_PER_STONE)
    assert any("Weight Unit that is not kg, lb or stone ('oz')" in w for w in parsed.strength.warnings)


@pytest.mark.parametrize("name", sorted(p.name for p in STRENGTH.glob("*.csv")))
def test_every_real_strength_export_passes_the_bounds_untouched(name: str) -> None:
    parsed = read_log(STRENGTH / name, units="lb")
    assert parsed.dropped == 0 and _passes_bounds(parsed)


def test_impossible_sample_values_are_blanked_and_counted(tmp_path: Path) -> None:
    data = (TRACKS / "run_strava_gps_hr_cadence.gpx").read_text(encoding="utf-8")
    clean = read_log(TRACKS / "run_strava_gps_hr_cadence.gpx").runs[0]
    marker = "<gpxtpx:hr>"
    at = [i for i in range(len(data)) if data.startswith(marker, i)][10:13]
    for i in reversed(at):  # three heart rates of 255 bpm (a sensor's "invalid" byte)
        end = data.index("<", i + len(marker))
        data = data[: i + len(marker)] + "255" + data[end:]
    data = data.replace("<ele>", "<ele>9", 2)  # two altitudes above Everest (335.2 m -> 9335.2 m)
    (run,) = read_log(_write(tmp_path, "sensor.gpx", data.encode())).runs
    rates = [p.heart_rate_bpm for p in run.points if p.heart_rate_bpm is not None]
    assert max(rates) <= 250 and len(rates) == len([p for p in clean.points if p.heart_rate_bpm]) - 3
    assert ("Blanked impossible sample values: 3 heart rate value(s) outside 25 to 250, 2 elevation value(s) outside "
            "-450 to 9000 (the rest of those samples was kept).") in run.warnings
    assert run.avg_heart_rate_bpm == pytest.approx(clean.avg_heart_rate_bpm, abs=1.0)
