"""TCX reader on Garmin, Polar, Amazfit and Google Fit exports (facts from shared/data/SOURCES.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from formcheck.logs import Sport, read_track
from formcheck.logs.tcx import read_tcx
from formcheck.logs.track_cleaning import path_length_m, raw_gain_m
from formcheck.context.track import run_gap_jumps


def _col(run, name: str) -> np.ndarray:
    return np.array([getattr(p, name) if getattr(p, name) is not None else np.nan for p in run.points], dtype=float)


def test_forerunner410_run(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_forerunner410_gps_hr.tcx")
    assert run.sport is Sport.RUN  # Sport="Running" (Notes say "Aerobics")
    assert run.source_format == "tcx"
    assert run.device == "Forerunner 410 Software Version 2.20"
    assert run.start == dt.datetime(2012, 12, 26, 21, 29, 53, tzinfo=dt.timezone.utc)
    assert run.duration_s / 60 == pytest.approx(33.2, abs=0.2)  # 3 laps
    assert run.distance_m == pytest.approx(4690, abs=20)
    assert len(run.points) == 384
    hr = _col(run, "heart_rate_bpm")
    assert np.nanmean(hr) == pytest.approx(157, abs=1)
    assert np.nanmax(hr) == 189
    # Lap averages weighted by lap time (the file's own summary): 160.2 bpm.
    assert run.avg_heart_rate_bpm == pytest.approx(160, abs=1)
    elev = _col(run, "elevation_m")
    assert np.nanmin(elev) == pytest.approx(158, abs=0.5) and np.nanmax(elev) == pytest.approx(216, abs=0.5)
    assert all(p.cadence_spm is None for p in run.points)


def test_polar_run_walk_session(tracks_dir: Path) -> None:
    (run,) = read_tcx((tracks_dir / "run_walk_polar_m400_gps_hr_cadence.tcx").read_bytes(), "read_tcx-test")
    assert run.sport is Sport.RUN  # "Hardlopen" plan, Sport="Running"
    assert run.device == "Polar M400"
    assert run.start.date() == dt.date(2019, 1, 29)
    assert len(run.points) == 3507
    # Lap totals are 58.5 min; the points span 65 min because of a 6.6-min pause.
    assert run.duration_s / 60 == pytest.approx(58.5, abs=0.2)
    span_min = (run.points[-1].time - run.points[0].time).total_seconds() / 60
    assert span_min == pytest.approx(65, abs=0.5)
    gaps = np.diff([p.time.timestamp() for p in run.points])
    assert gaps.max() / 60 == pytest.approx(6.6, abs=0.1)
    assert run.distance_m == pytest.approx(4510, abs=20)  # laps; GPS path is 4.74 km
    assert path_length_m(_col(run, "lat_deg"), _col(run, "lon_deg")) == pytest.approx(4700, abs=100)
    assert np.nanmean(_col(run, "heart_rate_bpm")) == pytest.approx(131, abs=1)
    elev = _col(run, "elevation_m")
    assert 908 < np.nanmin(elev) and np.nanmax(elev) < 945
    # Trackpoint <Cadence> is strides/min (median 63): doubled, the median is 126 steps/min.
    # Walk breaks show: 925 stopped samples (cadence 0), ~1400 at walking cadence (<130 spm,
    # median 1.2 m/s) and ~220 at running cadence (>150 spm, median 1.8 m/s).
    cad = _col(run, "cadence_spm")
    assert np.median(cad[cad > 0]) == pytest.approx(126, abs=2)
    assert np.sum(cad == 0) > 900
    assert np.sum((cad > 0) & (cad < 130)) > 1300
    assert np.sum(cad > 150) > 200


def test_amazfit_treadmill_without_gps(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_treadmill_amazfit_hr_cadence_nogps.tcx")
    assert run.sport is Sport.RUN
    assert run.device == "Amazfit Active 2 NFC (Round)"
    assert run.start == dt.datetime(2025, 12, 19, 6, 6, 25, tzinfo=dt.timezone.utc)
    assert run.duration_s / 60 == pytest.approx(45, abs=0.2)
    assert run.distance_m == 5900  # lap DistanceMeters, no per-point distance
    assert len(run.points) == 2659
    assert all(p.lat_deg is None and p.elevation_m is None and p.distance_m is None for p in run.points)
    assert run.gain_m is None
    assert run.avg_heart_rate_bpm == 148
    # Points carry strides/min (mean 78.5); doubled they match the lap's AvgRunCadence of 159 spm.
    cad = _col(run, "cadence_spm")
    assert np.nanmean(cad[cad > 0]) == pytest.approx(159, abs=4)


def test_googlefit_run_noisy_altitude_and_spike(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_googlefit_gps_2015-05-31.tcx")
    assert run.sport is Sport.RUN
    assert run.device == "Google Fit"
    assert run.start.date() == dt.date(2015, 5, 31)
    assert run.duration_s / 60 == pytest.approx(50, abs=1)
    assert run.avg_heart_rate_bpm is None
    # Two Running blocks: 1.19 km + 6.02 km by the laps, 7.44 km by the GPS path.
    assert run.distance_m == pytest.approx(7207, abs=5)
    assert path_length_m(_col(run, "lat_deg"), _col(run, "lon_deg")) == pytest.approx(7450, abs=150)
    assert [s.sport for s in run.segments] == [Sport.RUN, Sport.RUN]
    # Cumulative per-point distance does not restart at the second block.
    dist = _col(run, "distance_m")
    assert np.all(np.diff(dist[np.isfinite(dist)]) >= 0)
    elev = _col(run, "elevation_m")
    assert np.nanmin(elev) == 41 and np.nanmax(elev) == 73
    assert raw_gain_m(elev) == pytest.approx(803, abs=1)
    assert run.gain_m is not None and run.gain_m < 150  # measured 120.5 m
    assert any("Dropped 1 GPS position" in w for w in run.warnings)  # the ~88 km/h fix


def test_googlefit_walk_run_blocks_are_one_run(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "walk_run_googlefit_gps_2015-06-20.tcx")
    assert run.sport is Sport.RUN
    assert run.start.date() == dt.date(2015, 6, 20)
    sports = [s.sport for s in run.segments]
    assert len(sports) == 14
    assert sports.count(Sport.RUN) == 4 and sports.count(Sport.WALK) == 10
    assert run.segments[0].start_index == 0 and run.segments[-1].end_index == len(run.points)
    assert all(a.end_index == b.start_index for a, b in zip(run.segments, run.segments[1:]))
    span_min = (run.points[-1].time - run.points[0].time).total_seconds() / 60
    assert span_min == pytest.approx(100, abs=1)
    assert run.duration_s / 60 == pytest.approx(68, abs=0.5)  # PT1H7M58S, the lap totals
    assert run.distance_m == pytest.approx(4390, abs=10)
    # Jumps up to ~460 km/h: 10 fixes dropped, and every remaining step is humanly possible
    # or spans a signal gap.
    assert any("Dropped 10 GPS position" in w for w in run.warnings)
    # After a signal gap the phone reports network positions kilometres away (3.26 km in 5.6 min
    # in a running block, 2.16 km in 4 min while walking ...): 7 such legs, 13.4 km in all, are
    # breaks, not distance.  Summed anyway the GPS path is 17.3 km against 4.39 km of laps;
    # without them it is 3.89 km (-11 %), the rest of the gap in the samples being unrecorded.
    lat, lon = _col(run, "lat_deg"), _col(run, "lon_deg")
    assert path_length_m(lat, lon) == pytest.approx(17303, abs=20)
    jumps = run_gap_jumps(run)
    assert int(jumps.sum()) == 7
    gps_m = path_length_m(lat, lon, jumps)
    assert gps_m == pytest.approx(3887, abs=20)
    assert abs(gps_m - run.distance_m) / run.distance_m < 0.25
    (jump_warning,) = [w for w in run.warnings if "GPS jump" in w]
    assert jump_warning.startswith("Ignored 7 GPS jump(s) across signal gaps (13.42 km in all; the largest 3.26 km")


def test_googlefit_2016_four_blocks(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "walk_run_googlefit_gps_2016-10-08.tcx")
    assert run.sport is Sport.RUN
    assert [s.sport for s in run.segments] == [Sport.WALK, Sport.RUN, Sport.RUN, Sport.WALK]
    assert sum(p.lat_deg is not None for p in run.points) == 93
    assert run.avg_heart_rate_bpm is None
    assert run.distance_m == pytest.approx(1468, abs=5)


@pytest.mark.parametrize(
    "name",
    [
        "run_fenix2_gps_hr_cadence_dynamics.fit", "run_hilly_gps_hr_2013.fit", "run_fenix5_1min.fit",
        "walk_fenix5_1min.fit", "rowing_indoor_hr.fit", "run_strava_android_malformed.fit",
        "run_forerunner410_gps_hr.tcx", "run_walk_polar_m400_gps_hr_cadence.tcx",
        "run_treadmill_amazfit_hr_cadence_nogps.tcx", "run_googlefit_gps_2015-05-31.tcx",
        "walk_run_googlefit_gps_2016-10-08.tcx", "run_strava_gps_hr_cadence.gpx", "run_strava_gps_hr_51min.gpx",
    ],
)
def test_no_gap_jumps_in_the_other_files(tracks_dir: Path, name: str) -> None:
    # Their gap legs are slow (the Polar 6.6-min pause moves 1 m; Google Fit 2016 walks 1.4-1.6 m/s).
    for run in read_track(tracks_dir / name):
        assert not run_gap_jumps(run).any()
        assert not any("GPS jump" in w for w in run.warnings)


def test_distance_from_gps_when_the_file_says_zero(tmp_path: Path) -> None:
    # Lap and trackpoints all say DistanceMeters 0; three fixes 0.001 deg of latitude apart (111.2 m each),
    # 30 s apart (3.7 m/s: a run; 10 s apart would be faster than any runner and is refused by the bounds).
    points = "".join(
        f"<Trackpoint><Time>2024-05-01T06:{30 * i // 60:02d}:{30 * i % 60:02d}Z</Time><Position><LatitudeDegrees>{50 + 0.001 * i}"
        f"</LatitudeDegrees><LongitudeDegrees>4.0</LongitudeDegrees></Position><DistanceMeters>0</DistanceMeters>"
        f"</Trackpoint>"
        for i in range(3)
    )
    path = tmp_path / "zero.tcx"
    path.write_text(
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        '<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id><Lap StartTime="2024-05-01T06:00:00Z">'
        f"<TotalTimeSeconds>60</TotalTimeSeconds><DistanceMeters>0</DistanceMeters><Track>{points}</Track></Lap>"
        "</Activity></Activities></TrainingCenterDatabase>"
    )
    (run,) = read_track(path)
    assert run.distance_m == pytest.approx(222.4, abs=0.5)
    assert any("gives no distance; 0.22 km was computed from the GPS fixes" in w for w in run.warnings)
