"""GPX reader on the two Strava exports, with the facts from shared/data/SOURCES.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import LogFormatError
from formcheck.logs import Sport, read_track
from formcheck.logs.gpx import read_gpx


def test_strava_run_with_hr_and_cadence(tracks_dir: Path) -> None:
    (run,) = read_track(tracks_dir / "run_strava_gps_hr_cadence.gpx")
    assert run.sport is Sport.RUN  # <type>9</type>
    assert run.source_format == "gpx"
    assert run.device == "StravaGPX"
    assert run.start == dt.datetime(2019, 9, 4, 21, 18, 27, tzinfo=dt.timezone.utc)
    assert run.duration_s / 60 == pytest.approx(33, abs=0.5)
    assert len(run.points) == 475
    # GPX has no totals: distance comes from the GPS path (measured 7.13 km) and says so.
    assert run.distance_m == pytest.approx(7100, abs=150)
    assert any("computed from the GPS" in w for w in run.warnings)
    hr = np.array([p.heart_rate_bpm for p in run.points])
    assert hr.mean() == pytest.approx(172, abs=1)
    assert hr.max() == 191
    elev = [p.elevation_m for p in run.points]
    assert 323.5 < min(elev) and max(elev) < 343.5
    # gpxtpx:cad is strides/min: the running part averages ~171 steps/min after doubling.
    cad = np.array([p.cadence_spm for p in run.points if p.cadence_spm])
    assert 160 < np.median(cad) < 185
    assert run.gain_m is not None and run.gain_m < 60  # 324-343 m range; measured 32.6 m


def test_strava_run_crossing_midnight(tracks_dir: Path) -> None:
    (run,) = read_gpx((tracks_dir / "run_strava_gps_hr_51min.gpx").read_bytes(), "read_gpx-test")
    assert run.sport is Sport.RUN  # <type>running</type>
    assert run.start.date() == dt.date(2025, 11, 16)
    assert run.points[-1].time.date() == dt.date(2025, 11, 17)
    assert len(run.points) == 3040
    assert run.duration_s / 60 == pytest.approx(51, abs=0.5)
    assert run.distance_m == pytest.approx(6900, abs=150)  # measured 6.88 km
    hr = np.array([p.heart_rate_bpm for p in run.points])
    assert hr.mean() == pytest.approx(166, abs=1)
    assert hr.max() == 183
    assert all(p.cadence_spm is None for p in run.points)


def test_gpx_without_points_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty_track.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        "<trk><name>nothing</name><trkseg></trkseg></trk></gpx>"
    )
    with pytest.raises(LogFormatError, match="without timed track points"):
        read_track(path)


def test_gpx_route_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "route.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        '<rte><rtept lat="50.0" lon="4.0"/><rtept lat="50.1" lon="4.1"/></rte></gpx>'
    )
    with pytest.raises(LogFormatError, match="not the course"):
        read_track(path)


def test_gpx_spike_is_dropped_and_counted(tmp_path: Path) -> None:
    """A constructed track: 1 Hz jog at ~3 m/s with one fix 1 km off (a GPS spike)."""
    pts = []
    for i in range(30):
        lat = 50.0 + i * 3.0 / 111_195.0
        if i == 15:
            lat += 0.009  # ~1 km north for one second
        pts.append(f'<trkpt lat="{lat:.7f}" lon="4.0"><time>2024-05-01T10:00:{i:02d}Z</time></trkpt>')
    path = tmp_path / "spike.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{''.join(pts)}</trkseg></trk></gpx>"
    )
    (run,) = read_track(path)
    assert run.points[15].lat_deg is None
    assert sum(p.lat_deg is None for p in run.points) == 1
    assert run.distance_m == pytest.approx(87, abs=3)  # 29 steps of 3 m, not +2 km
    assert any("Dropped 1 GPS position" in w for w in run.warnings)


@pytest.mark.parametrize(("names", "sport"), [
    (("Lunch Run",), Sport.RUN), (("TrailRun",), Sport.RUN), (("VirtualRun",), Sport.RUN), (("trail_running",), Sport.RUN),
    (("Evening Walk",), Sport.WALK), (("Morning Row",), Sport.ROWING), (("9",), Sport.RUN), (("Morning run and row",), None),
    (("Arrow head",), None), (("Lunch Ride",), None), ((None, "Lunch Run"), Sport.RUN),
])  # fmt: skip
def test_sport_from_a_strava_style_name(names: tuple, sport: Sport | None) -> None:
    from formcheck.logs.track_common import sport_from_name

    assert sport_from_name(*names) is sport


def _gpx(path: Path, speed_mps: float, name: str = "", cad: int | None = 85) -> Path:
    """60 fixes a second apart due north at ``speed_mps``, with Garmin's stride cadence, and no <type>."""
    ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>{cad}</gpxtpx:cad></gpxtpx:TrackPointExtension>"
           "</extensions>") if cad else ""  # fmt: skip
    pts = "".join(f'<trkpt lat="{50.0 + i * speed_mps / 111_195.0:.7f}" lon="4.0"><time>2024-05-01T10:{i // 60:02d}:'
                  f"{i % 60:02d}Z</time>{ext}</trkpt>" for i in range(120))  # fmt: skip
    path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1" '
                    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
                    f"<trk>{f'<name>{name}</name>' if name else ''}<trkseg>{pts}</trkseg></trk></gpx>")  # fmt: skip
    return path


def test_a_gpx_that_names_no_sport_is_taken_by_its_speed_and_says_so(tmp_path: Path) -> None:
    """No <type> and a name like 'Lunch Run' was stored as 'other': cadence at half (85 for 170) and no load."""
    (named,) = read_track(_gpx(tmp_path / "named.gpx", 3.0, "Lunch Run"))
    assert named.sport is Sport.RUN and named.points[5].cadence_spm == 170.0 and not any("does not say" in w for w in named.warnings)
    (jog,) = read_track(_gpx(tmp_path / "jog.gpx", 3.0))
    assert jog.sport is Sport.RUN and jog.points[5].cadence_spm == 170.0
    assert any(w.startswith("The file does not say which sport this is") and "taken as a run from its speed, 5:33 min/km" in w
               for w in jog.warnings)  # fmt: skip
    (walk,) = read_track(_gpx(tmp_path / "walk.gpx", 1.4))
    assert walk.sport is Sport.WALK
    (ride,) = read_track(_gpx(tmp_path / "ride.gpx", 8.0, cad=None))
    assert ride.sport is Sport.OTHER and any("taken as other from its speed" in w for w in ride.warnings)


def test_a_run_too_fast_to_be_one_says_why_its_distance_is_not_kept(tmp_path: Path) -> None:
    """11 m/s for 30 min typed running (1799 steps of 11 m: 19.79 km) was stored with no distance, no word why."""
    path = tmp_path / "ride.gpx"
    pts = "".join(f'<trkpt lat="{50.0 + i * 11.0 / 111_195.0:.7f}" lon="4.0"><time>2024-05-01T10:{i // 60:02d}:'
                  f"{i % 60:02d}Z</time></trkpt>" for i in range(1800))  # fmt: skip
    path.write_text('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
                    f"<trk><type>running</type><trkseg>{pts}</trkseg></trk></gpx>")  # fmt: skip
    (run,) = read_track(path)
    assert run.distance_m is None
    assert any(w.startswith("The track covers 19.79 km in 30 min, 11.0 m/s on average: faster than a run can go")
               for w in run.warnings), run.warnings  # fmt: skip
