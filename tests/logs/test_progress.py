"""Readers report progress within a file: increasing fractions ending at 1.0, and the same records."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.logs import read_strength, read_track
from formcheck.logs.progress import Ticker

STRENGTH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "strength"


def _check(fractions: list[float], at_least: int) -> None:
    assert len(fractions) >= at_least  # it moves inside the file, not only at the end
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert all(a < b for a, b in zip(fractions, fractions[1:]))
    assert fractions[-1] == 1.0
    assert fractions[len(fractions) // 2] < 1.0


@pytest.mark.parametrize(
    "name",
    ["run_fenix2_gps_hr_cadence_dynamics.fit", "run_walk_polar_m400_gps_hr_cadence.tcx", "run_strava_gps_hr_51min.gpx"],
)
def test_track_readers_report_increasing_progress(tracks_dir: Path, name: str) -> None:
    fractions: list[float] = []
    runs = read_track(tracks_dir / name, progress=fractions.append)
    _check(fractions, at_least=50)
    assert runs == read_track(tracks_dir / name)  # reporting changes nothing


def test_a_fit_file_that_breaks_still_ends_at_one(tracks_dir: Path) -> None:
    fractions: list[float] = []
    (run,) = read_track(tracks_dir / "run_strava_android_malformed.fit", progress=fractions.append)
    _check(fractions, at_least=5)
    assert "breaks part-way" in run.warnings[0]


def test_strength_reader_reports_rows_read() -> None:
    if not STRENGTH.is_dir():
        pytest.skip("sample data not found")
    fractions: list[float] = []
    log = read_strength(STRENGTH / "strong_export_semicolon_workout_number.csv", progress=fractions.append)
    _check(fractions, at_least=50)
    assert len(log.sets) == len(read_strength(STRENGTH / "strong_export_semicolon_workout_number.csv").sets)


def test_ticker_phases_are_monotonic_and_throttled() -> None:
    seen: list[float] = []
    tick = Ticker(seen.append, min_step=0.1)
    tick(0.05)  # below the step: not reported
    first, second = tick.phase(0.0, 0.5), tick.phase(0.5, 1.0)
    for i in range(101):
        first(i / 100)
    second(0.0)
    second(0.5)
    first(0.2)  # going back is never reported
    tick.done()
    assert seen[-1] == 1.0 and 0.05 not in seen and 0.2 not in seen[-2:]
    assert all(b - a >= 0.1 - 1e-9 for a, b in zip([0.0] + seen, seen))
    assert seen[-2] == pytest.approx(0.75)  # half-way through the second phase
    Ticker(None)(0.5)  # no callback: nothing happens
