"""FIT reader on the real sample files, with the facts from shared/data/SOURCES.md."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from formcheck.logs import Sport, read_track
from formcheck.logs.fit import SEMICIRCLE_TO_DEG, read_fit
from formcheck.logs.track_common import cadence_to_spm
from formcheck.logs.track_cleaning import raw_gain_m


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def _csv_time(text: str) -> dt.datetime:
    # "Sun Jun 11 07:34:09 PDT 2017": the reference was written in US Pacific daylight time.
    naive = dt.datetime.strptime(text.replace(" PDT", ""), "%a %b %d %H:%M:%S %Y")
    return (naive + dt.timedelta(hours=7)).replace(tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("name", "sport", "points"),
    [("run_fenix5_1min", Sport.RUN, 21), ("walk_fenix5_1min", Sport.WALK, 17)],
)
def test_fenix5_points_match_the_reference_csv(tracks_dir: Path, name: str, sport: Sport, points: int) -> None:
    (run,) = read_fit((tracks_dir / f"{name}.fit").read_bytes(), "read_fit-test")
    ref = _csv_rows(tracks_dir / f"{name}.records.csv")
    assert run.sport is sport
    assert len(run.points) == len(ref) == points
    for p, row in zip(run.points, ref):
        assert p.time == _csv_time(row["timestamp"])
        assert p.heart_rate_bpm == float(row["heart_rate"])
        # The CSV holds FIT's raw strides/min; the reader gives steps/min (x2, plus fractional cadence).
        assert p.cadence_spm is not None
        assert 2 * float(row["cadence"]) <= p.cadence_spm <= 2 * (float(row["cadence"]) + 1)
        assert p.speed_mps == pytest.approx(float(row["speed"]), abs=1e-3)
        assert p.distance_m == pytest.approx(float(row["distance"]), abs=1e-2)
        assert p.lat_deg == pytest.approx(int(row["position_lat"]) * SEMICIRCLE_TO_DEG, abs=1e-9)
        assert p.lon_deg == pytest.approx(int(row["position_long"]) * SEMICIRCLE_TO_DEG, abs=1e-9)
        assert p.elevation_m == pytest.approx(float(row["altitude"]), abs=1e-6)


def test_fenix5_run_summary(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_fenix5_1min.fit")
    assert run.source_format == "fit"
    assert run.start == dt.datetime(2017, 6, 11, 14, 34, 9, tzinfo=dt.timezone.utc)
    assert run.duration_s == pytest.approx(57, abs=1)
    assert run.distance_m == pytest.approx(158, abs=1)
    assert run.avg_heart_rate_bpm == 90
    assert run.device == "garmin fenix5"
    assert any(p.vertical_oscillation_mm for p in run.points)
    assert any(p.stance_time_ms for p in run.points)
    assert len(run.source_sha256) == 64


def test_walk_summary(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "walk_fenix5_1min.fit")
    assert run.sport is Sport.WALK
    assert run.duration_s == pytest.approx(45, abs=1)
    assert run.distance_m == pytest.approx(68, abs=1)


def test_fenix2_run_with_dynamics(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_fenix2_gps_hr_cadence_dynamics.fit")
    assert run.sport is Sport.RUN
    assert run.start.date() == dt.date(2015, 8, 15)
    assert run.duration_s / 60 == pytest.approx(47, abs=0.5)
    assert run.distance_m == pytest.approx(9010, abs=10)
    assert len(run.points) == 2809
    # The session has no avg_heart_rate: the reader averages the records (measured 154.0 bpm).
    assert run.avg_heart_rate_bpm == pytest.approx(154.0, abs=0.5)
    cadence = np.array([p.cadence_spm for p in run.points if p.cadence_spm])
    assert np.mean(cadence) == pytest.approx(162, abs=3)  # 81 strides/min
    assert sum(p.vertical_oscillation_mm is not None for p in run.points) > 2500
    assert sum(p.stance_time_ms is not None for p in run.points) > 2500
    # Watch says 64 m; raw altitude has a 55 -> 142 m spike at the start (raw gain 257 m).
    assert raw_gain_m(np.array([p.elevation_m for p in run.points], dtype=float)) > 200
    assert run.gain_m == pytest.approx(64, rel=0.15)  # measured 60.2 m
    assert any("GPS spike" in w for w in run.warnings)  # 3 fixes


def test_hilly_run_gain_and_hr(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_hilly_gps_hr_2013.fit")
    assert run.sport is Sport.RUN
    assert run.start.date() == dt.date(2013, 2, 6)
    assert run.duration_s / 60 == pytest.approx(43.8, abs=0.2)
    assert run.distance_m == pytest.approx(4835, abs=5)
    assert len(run.points) == 590
    assert run.avg_heart_rate_bpm == 147
    assert run.gain_m == pytest.approx(168, rel=0.1)  # measured 164.5 m
    assert all(p.cadence_spm is None for p in run.points)


def test_rowing_is_not_a_run_and_cadence_is_stroke_rate(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "rowing_indoor_hr.fit")
    assert run.sport is Sport.ROWING
    assert run.sub_sport == "indoor_rowing"
    assert run.start.date() == dt.date(2017, 5, 18)
    assert run.duration_s / 60 == pytest.approx(28.5, abs=0.2)
    assert run.avg_heart_rate_bpm == 132
    assert all(p.lat_deg is None for p in run.points)
    strokes = [p.cadence_spm for p in run.points if p.cadence_spm]
    # Not doubled: the session's max_cadence is 66 per minute, doubling would give ~132.
    assert 60 < max(strokes) <= 67


def test_malformed_strava_file_is_kept_up_to_the_break(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_strava_android_malformed.fit")
    assert run.sport is Sport.RUN
    assert run.device is not None and "Moto X4" in run.device
    assert 230 <= len(run.points) <= 240  # ~237 GPS samples before the break, 2085 stamp dropped
    assert all(p.time.year == 2021 for p in run.points)
    assert run.warnings[0].startswith("The FIT file breaks part-way")
    assert "local message 11 not defined" in run.warnings[0]
    assert any("2085" in w for w in run.warnings)
    # Session totals describe the whole run; the warning says the samples cover only 5 minutes.
    assert run.duration_s / 60 == pytest.approx(59.3, abs=0.1)
    assert run.distance_m == pytest.approx(11274, abs=1)
    assert any("Only the first 5.2 min" in w for w in run.warnings)


@pytest.mark.parametrize(
    ("raw", "fractional", "sport", "spm"),
    [(81, None, Sport.RUN, 162.0), (53, 0.5, Sport.WALK, 107.0), (30, 0.5, Sport.ROWING, 30.5), (90, None, Sport.OTHER, 90.0), (None, None, Sport.RUN, None)],
)
def test_cadence_is_converted_in_one_place(raw, fractional, sport, spm) -> None:
    assert cadence_to_spm(raw, sport, fractional) == spm
