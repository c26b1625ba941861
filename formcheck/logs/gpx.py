"""Read GPX tracks (Strava, Garmin, phone apps) with gpxpy.

GPX carries positions, elevation and time; heart rate and cadence ride along in
Garmin's TrackPointExtension (``gpxtpx:hr``, ``gpxtpx:cad``).  GPX has no
summary, so duration comes from the points and distance from the GPS path.
Each ``<trk>`` with timed points becomes one Run; routes and waypoints (plans,
not recordings) are ignored.
"""

from __future__ import annotations

import math
from typing import Any

import gpxpy
import gpxpy.gpx

from formcheck.errors import LogFormatError
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import Run, Sport, TrackPoint
from formcheck.logs.track_common import RunDraft, cadence_to_spm, finish_run, sport_from_name, sport_from_speed


def read_gpx(data: bytes, name: str, *, progress: ProgressCallback | None = None) -> list[Run]:
    """Read every recorded track of a GPX file's bytes (LogFormatError when none has timed points).

    ``progress`` gets the fraction done: 0.5 once gpxpy has parsed the XML (it
    cannot report from inside), then points converted, then 1.0.
    """
    tick = Ticker(progress)
    try:
        gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except Exception as exc:  # noqa: BLE001 - gpxpy raises GPXException but also raw errors on odd values
        raise LogFormatError(
            f"{name} is not a readable GPX file ({_short(exc)}): export the activity again as GPX, FIT or TCX."
        ) from exc
    tick(0.5)
    runs: list[Run] = []
    total = max(1, gpx.get_track_points_no())
    done = 0
    for track in gpx.tracks:
        draft = _draft(track, gpx, tick.phase(0.5 + 0.45 * done / total, 0.5 + 0.45 * (done + _points(track)) / total))
        done += _points(track)
        if draft.points:
            runs.append(finish_run(draft, name, "gpx"))
    if not runs:
        raise LogFormatError(
            f"{name} is a GPX file without timed track points (maybe a planned route): "
            f"export the recorded activity, not the course."
        )
    tick.done()
    return runs


def _points(track: gpxpy.gpx.GPXTrack) -> int:
    return sum(len(segment.points) for segment in track.segments)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _sport(track: gpxpy.gpx.GPXTrack) -> tuple[Sport, str | None]:
    """The track's sport from its ``<type>`` or name, else guessed from its moving speed (with a warning saying so)."""
    named = sport_from_name(track.type, track.name)
    if named is not None:
        return named, None
    moving = track.get_moving_data()
    speed = moving.moving_distance / moving.moving_time if moving and moving.moving_time else None
    guessed = sport_from_speed(speed)
    if guessed is None:
        return Sport.OTHER, "The file does not say which sport this is (no <type>, no sport in its name): stored as 'other'."
    seconds = round(1000 / speed) if speed else 0
    pace = f", {seconds // 60}:{seconds % 60:02d} min/km moving" if speed else ""
    return guessed, (f"The file does not say which sport this is (no <type>, no sport in its name): taken as "
                     f"{'a ' if guessed is not Sport.OTHER else ''}{guessed.value} from its speed{pace}.")


def _draft(track: gpxpy.gpx.GPXTrack, gpx: gpxpy.gpx.GPX, tick: Ticker) -> RunDraft:
    sport, guess = _sport(track)
    draft = RunDraft(sport=sport, device=gpx.creator or None)
    if guess:
        draft.warnings.append(guess)
    untimed = 0
    total = max(1, _points(track))
    seen = 0
    for segment in track.segments:
        for pt in segment.points:
            seen += 1
            if tick.active:
                tick(seen / total)
            if pt.time is None:
                untimed += 1
                continue
            hr, cad = _extension_values(pt.extensions)
            draft.points.append(
                TrackPoint(
                    time=pt.time,
                    lat_deg=_coord(pt.latitude, 90.0),
                    lon_deg=_coord(pt.longitude, 180.0),
                    elevation_m=_finite(pt.elevation),
                    speed_mps=_finite(pt.speed),
                    heart_rate_bpm=hr,
                    cadence_spm=cadence_to_spm(cad, sport),
                )
            )
    if untimed:
        draft.warnings.append(f"Skipped {untimed} track point(s) without a time.")
    if draft.points:
        draft.start = draft.points[0].time
    return draft


def _finite(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _coord(value: Any, limit: float) -> float | None:
    v = _finite(value)
    return v if v is not None and abs(v) <= limit else None


def _extension_values(extensions: list[Any]) -> tuple[float | None, float | None]:
    """Heart rate and raw cadence from any TrackPointExtension-like element, whatever its prefix."""
    hr = cad = None
    for ext in extensions or []:
        for el in ext.iter():
            tag = str(el.tag).rsplit("}", 1)[-1].lower()
            if tag in ("hr", "heartrate") and hr is None:
                hr = _finite(el.text)
            elif tag in ("cad", "cadence", "runcadence") and cad is None:
                cad = _finite(el.text)
    return hr, cad
