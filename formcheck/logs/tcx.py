"""Read Garmin Training Center (TCX) files: Garmin, Polar, Google Fit, Zepp/Amazfit exports.

Parsed with lxml and namespace wildcards, because exporters disagree on
prefixes.  A file may hold several ``<Activity>`` blocks: Google Fit splits a
run with walk breaks into alternating "Other" (walk) and "Running" blocks.
They are one outing, so they become ONE Run with a Segment per block (its
sport); the Run is a RUN if any block is running.  Per-point ``DistanceMeters``
restarts at 0 in each block, so it is offset to stay cumulative.  Treadmill
files have no GPS and no per-point distance; the lap totals then give the
distance.  Duration is the sum of the laps' ``TotalTimeSeconds`` (the only
total TCX has; pauses between blocks are not in it).
"""

from __future__ import annotations

import datetime as dt
import math

from lxml import etree

from formcheck.errors import LogFormatError
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import Run, Sport, TrackPoint
from formcheck.logs.track_common import (
    RunDraft,
    cadence_to_spm,
    finish_run,
    overall_sport,
    sport_from_name,
)

_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False, "remove_comments": True}


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The XML root of ``data``, or a LogFormatError that says the file is not well-formed XML."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(**_PARSER_OPTIONS))
    except (etree.LxmlError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise LogFormatError(
            f"{name} is not well-formed XML ({reason}): the export is damaged or cut; export it again."
        ) from exc
    if root is None:
        raise LogFormatError(f"{name} holds no XML element: export the activity again.")
    return root


def local_name(element: etree._Element) -> str:
    """Tag without its namespace ("{ns}Activity" -> "Activity"); comments and PIs give ""."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_tcx(data: bytes, name: str, *, progress: ProgressCallback | None = None) -> list[Run]:
    """Read a TCX file's bytes into a one-element list (all <Activity> blocks form one Run).

    ``progress`` gets the fraction done: 0.2 once lxml has parsed the XML, then
    trackpoints converted, then 1.0 once the run is cleaned.
    """
    tick = Ticker(progress)
    root = parse_xml(data, name)
    tick(0.2)
    points_tick = tick.phase(0.2, 0.9)
    total_points = max(1, len(root.findall(".//{*}Trackpoint"))) if tick.active else 1
    seen = 0
    if local_name(root) != "TrainingCenterDatabase":
        raise LogFormatError(f"{name} is XML but not TCX (root <{local_name(root)}>): export the activity as TCX.")
    activities = root.findall(".//{*}Activities/{*}Activity")
    if not activities:
        raise LogFormatError(f"{name} is a TCX file without any <Activity>: it may be a course or workout plan.")
    draft = RunDraft(sport=Sport.OTHER, device=_device(root))
    lap_seconds: list[float] = []
    lap_meters: list[float] = []
    lap_hr: list[tuple[float, float | None]] = []
    offset_m = 0.0
    for block, activity in enumerate(activities):
        sport = _activity_sport(activity)
        draft.segment_sports.append(sport)
        block_max_m = block_lap_m = 0.0
        for lap in activity.findall("{*}Lap"):
            if draft.start is None:
                draft.start = _time(lap.get("StartTime"))
            seconds, meters = _float(lap.findtext("{*}TotalTimeSeconds")), _float(lap.findtext("{*}DistanceMeters"))
            lap_seconds.append(seconds or 0.0)
            lap_meters.append(meters or 0.0)
            lap_hr.append((seconds or 0.0, _float(lap.findtext("{*}AverageHeartRateBpm/{*}Value"))))
            block_lap_m += meters or 0.0
            for tp in lap.iterfind(".//{*}Trackpoint"):
                seen += 1
                if tick.active:
                    points_tick(seen / total_points)
                point = _trackpoint(tp, sport, offset_m)
                if point is None:
                    continue
                draft.points.append(point)
                draft.point_segment.append(block)
                if point.distance_m is not None:
                    block_max_m = max(block_max_m, point.distance_m - offset_m)
        offset_m += block_max_m if block_max_m > 0 else block_lap_m
    if draft.start is None:
        draft.start = _time(activities[0].findtext("{*}Id"))
    draft.sport = overall_sport(draft.segment_sports)
    draft.duration_s = sum(lap_seconds) or None
    draft.distance_m = sum(lap_meters) or None
    if lap_hr and all(hr is not None for _, hr in lap_hr) and sum(s for s, _ in lap_hr) > 0:
        draft.avg_heart_rate_bpm = sum(s * (hr or 0.0) for s, hr in lap_hr) / sum(s for s, _ in lap_hr)
    if not draft.points:
        raise LogFormatError(
            f"{name} is a TCX file without timed track points: export the activity with its samples."
        )
    run = finish_run(draft, name, "tcx")
    tick.done()
    return [run]


def _activity_sport(activity: etree._Element) -> Sport:
    """Sport attribute first ("Running"), then Notes ("Walking") and the plan name ("Hardlopen")."""
    attr = activity.get("Sport")
    return (
        sport_from_name(attr)
        or sport_from_name(activity.findtext("{*}Notes"), activity.findtext("{*}Training/{*}Plan/{*}Name"))
        or Sport.OTHER
    )


def _device(root: etree._Element) -> str | None:
    for xpath in (".//{*}Activity/{*}Creator/{*}Name", "{*}Author/{*}Name"):
        name = root.findtext(xpath)
        if name and name.strip():
            return name.strip()
    return None


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t


def _trackpoint(tp: etree._Element, sport: Sport, offset_m: float) -> TrackPoint | None:
    t = _time(tp.findtext("{*}Time"))
    if t is None:
        return None
    lat, lon = _float(tp.findtext("{*}Position/{*}LatitudeDegrees")), _float(tp.findtext("{*}Position/{*}LongitudeDegrees"))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        lat = lon = None
    dist = _float(tp.findtext("{*}DistanceMeters"))
    cadence = _float(tp.findtext("{*}Cadence"))
    if cadence is None:
        cadence = _float(tp.findtext(".//{*}TPX/{*}RunCadence"))
    return TrackPoint(
        time=t,
        lat_deg=lat,
        lon_deg=lon,
        elevation_m=_float(tp.findtext("{*}AltitudeMeters")),
        distance_m=None if dist is None else dist + offset_m,
        speed_mps=_float(tp.findtext(".//{*}TPX/{*}Speed")),
        heart_rate_bpm=_float(tp.findtext("{*}HeartRateBpm/{*}Value")),
        cadence_spm=cadence_to_spm(cadence, sport),
    )
