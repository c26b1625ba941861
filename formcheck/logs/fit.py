"""Read Garmin FIT activity files (watches, Strava, rowing machines) with fitdecode.

FIT is a binary stream of messages; we keep ``record`` (one sample per second
or per "smart recording" change), ``session``/``lap`` (the device's own totals)
and ``file_id``/``device_info`` (which device).  Files that break part-way
(a Strava Android build writes an undefined local message ~5 minutes in) are
kept up to the break with a warning, because five good minutes of a run are
still evidence; a file whose very first bytes are wrong is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings as pywarnings
from dataclasses import replace
from typing import Any

import fitdecode

from formcheck.errors import LogFormatError
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import Run, Sport, TrackPoint
from formcheck.logs.track_common import RunDraft, cadence_to_spm, finish_run, sport_from_name

SEMICIRCLE_TO_DEG = 180.0 / 2**31

FIT_MAGIC = b".FIT"

_RECORD_FIELDS = (
    "timestamp", "position_lat", "position_long", "enhanced_altitude", "altitude", "distance",
    "enhanced_speed", "speed", "heart_rate", "cadence", "fractional_cadence",
    "vertical_oscillation", "stance_time",
)


def is_fit(head: bytes) -> bool:
    """A FIT file says ".FIT" at bytes 8-11 of its 12- or 14-byte header."""
    return len(head) >= 12 and head[0] in (12, 14) and head[8:12] == FIT_MAGIC


def read_fit(data: bytes, name: str, *, progress: ProgressCallback | None = None) -> list[Run]:
    """Read one FIT activity (its bytes; ``name`` for messages) into a one-element list of Runs.

    Raises LogFormatError if unreadable. ``progress`` gets the fraction done:
    bytes decoded, then 1.0 once the run is cleaned.
    """
    tick = Ticker(progress)
    if not is_fit(data[:14]):
        raise LogFormatError(f"{name} is not a FIT file (no '.FIT' header): export the activity as FIT, GPX or TCX.")
    messages, problem, broke = _decode(data, tick.phase(0.0, 0.85))
    records = _merge_same_time(messages["record"])
    if not records:
        why = f" ({problem})" if problem else ""
        raise LogFormatError(
            f"{name} is a FIT file without any activity records{why}: it may be a settings/course file "
            f"or damaged; export the activity again."
        )
    draft = _draft(messages, records)
    draft.truncated = broke
    draft.damaged = problem is not None
    run = finish_run(draft, name, "fit")
    if problem and broke:
        covered_s = run.elapsed_s or 0.0
        note = (
            f"The FIT file breaks part-way ({problem}); kept the {len(run.points)} samples recorded "
            f"before the break (up to {run.points[-1].time:%H:%M:%S} UTC)."
        )
        run = replace(run, warnings=(note,) + run.warnings)
        if run.duration_s > covered_s + 60:
            run = replace(
                run,
                warnings=run.warnings
                + (
                    f"Only the first {covered_s / 60:.1f} min of the {run.duration_s / 60:.1f} min activity "
                    f"have samples; duration and distance are the file's own session totals.",
                ),
            )
    elif problem:
        note = (
            f"The FIT file was altered or damaged ({problem}); its totals were checked against "
            f"its {len(run.points)} samples."
        )
        run = replace(run, warnings=(note,) + run.warnings)
    tick.done()
    return [run]


def _decode(
    data: bytes, tick: Ticker | None = None
) -> tuple[dict[str, list[dict[str, Any]]], str | None, bool]:
    """All data messages by name, the parser's complaint (if any), and whether it stopped early."""
    tick = tick or Ticker(None)
    stream = io.BytesIO(data)
    messages: dict[str, list[dict[str, Any]]] = {k: [] for k in ("record", "session", "lap", "file_id", "device_info", "sport")}
    problem: str | None = None
    broke = False
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        try:
            reader = fitdecode.FitReader(
                stream,
                check_crc=fitdecode.CrcCheck.WARN,
                error_handling=fitdecode.ErrorHandling.WARN,
            )
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in messages:
                    messages[frame.name].append(_fields(frame))
                if tick.active:
                    tick(stream.tell() / len(data))
        except fitdecode.FitError as exc:
            problem, broke = (str(exc).strip() or type(exc).__name__)[:200], True
        except Exception as exc:  # noqa: BLE001 - fitdecode raises raw errors on corrupt bytes
            problem, broke = f"{type(exc).__name__}: {exc}".strip()[:200], True
    crc = [str(w.message) for w in caught if "crc" in str(w.message).lower()]
    if crc and problem is None:
        problem = "CRC mismatch: the file was altered or cut"
    return messages, problem, broke


def _fields(frame: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in frame.fields:
        if f.value is not None and f.name not in out:
            out[f.name] = f.value
    return out


def _num(value: Any) -> float | None:
    """A finite float, or None for missing/invalid values (fitdecode can yield tuples on bad data)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def _merge_same_time(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join the two halves of one sample: Strava writes position and distance as two records.

    Only records with the same timestamp and no field in common are joined; two
    full records within one second (smart recording does this) both stay.
    """
    merged: list[dict[str, Any]] = []
    for rec in records:
        if (
            merged
            and rec.get("timestamp") is not None
            and rec.get("timestamp") == merged[-1].get("timestamp")
            and set(rec) & set(merged[-1]) == {"timestamp"}
        ):
            for k, v in rec.items():
                merged[-1].setdefault(k, v)
        else:
            merged.append(dict(rec))
    return merged


def fit_sport(sport: Any, sub_sport: Any) -> Sport:
    """FIT sport/sub_sport names to a Sport; indoor rowing is fitness_equipment + indoor_rowing."""
    sport_s = str(sport).lower() if sport is not None else ""
    sub_s = str(sub_sport).lower() if sub_sport is not None else ""
    if "rowing" in sport_s or "rowing" in sub_s:
        return Sport.ROWING
    if sport_s == "fitness_equipment" and sub_s == "treadmill":
        return Sport.RUN
    return sport_from_name(sport_s) or Sport.OTHER


def _other_sport_evidence(
    messages: dict[str, list[dict[str, Any]]], records: list[dict[str, Any]]
) -> tuple[Sport, str | None]:
    """A sport for a file whose summary names none: another message's, or running from running dynamics.

    The session's sport is one byte; the ``sport`` message and every lap carry it
    again, and only a running stride produces vertical oscillation and stance
    time.  Without such evidence the activity stays OTHER.
    """
    for message in ("sport", "lap"):
        for found in messages[message]:
            sport = fit_sport(found.get("sport"), found.get("sub_sport"))
            if sport is not Sport.OTHER:
                return sport, f"The session names no known sport; the file's {message} message says {sport.value}."
    with_dynamics = sum(1 for r in records if _num(r.get("stance_time")) or _num(r.get("vertical_oscillation")))
    if with_dynamics >= max(10, len(records) // 2):
        return Sport.RUN, (
            "The session names no known sport; its samples carry running dynamics "
            "(stance time, vertical oscillation), which only running produces: read as a run."
        )
    return Sport.OTHER, None


def _device(messages: dict[str, list[dict[str, Any]]]) -> str | None:
    fid = messages["file_id"][0] if messages["file_id"] else {}
    maker = fid.get("manufacturer")
    product = fid.get("garmin_product") or fid.get("product_name") or fid.get("product")
    name = " ".join(str(x) for x in (maker, product) if x is not None) or None
    for info in messages["device_info"]:
        model = info.get("device_model")
        if model:
            phone = " ".join(str(x) for x in (info.get("device_manufacturer"), model) if x)
            return f"{phone} ({name})" if name else phone
    return name


def _draft(messages: dict[str, list[dict[str, Any]]], records: list[dict[str, Any]]) -> RunDraft:
    session = messages["session"][0] if messages["session"] else {}
    source = session or (messages["sport"][0] if messages["sport"] else {}) or (messages["lap"][0] if messages["lap"] else {})
    sport = fit_sport(source.get("sport"), source.get("sub_sport"))
    sport_note = None
    if sport is Sport.OTHER:
        sport, sport_note = _other_sport_evidence(messages, records)
    laps = messages["lap"]
    duration = _num(session.get("total_elapsed_time"))
    if duration is None and laps:
        lap_times = [_num(lap.get("total_elapsed_time")) for lap in laps]
        duration = sum(t for t in lap_times if t) or None
    distance = _num(session.get("total_distance"))
    if distance is None and laps:
        distance = sum(d for d in (_num(lap.get("total_distance")) for lap in laps) if d) or None
    start = session.get("start_time") if isinstance(session.get("start_time"), dt.datetime) else None
    sub = source.get("sub_sport")
    draft = RunDraft(
        sport=sport,
        start=start,
        duration_s=duration,
        distance_m=distance,
        device=_device(messages),
        sub_sport=str(sub) if sub not in (None, "generic") else None,
        avg_heart_rate_bpm=_num(session.get("avg_heart_rate")),
    )
    no_time = 0
    for rec in records:
        t = rec.get("timestamp")
        if not isinstance(t, dt.datetime):
            no_time += 1
            continue
        draft.points.append(_point(rec, t, sport))
    if no_time:
        draft.warnings.append(f"Skipped {no_time} record(s) without a timestamp.")
    if sport_note:
        draft.warnings.append(sport_note)
    if len(messages["session"]) > 1:
        draft.warnings.append(
            f"The file holds {len(messages['session'])} sessions (multisport); they were read as one activity "
            f"with the first session's sport and totals."
        )
    return draft


def _point(rec: dict[str, Any], t: dt.datetime, sport: Sport) -> TrackPoint:
    lat, lon = _num(rec.get("position_lat")), _num(rec.get("position_long"))
    lat_deg = lat * SEMICIRCLE_TO_DEG if lat is not None else None
    lon_deg = lon * SEMICIRCLE_TO_DEG if lon is not None else None
    if lat_deg is None or lon_deg is None or abs(lat_deg) > 90 or abs(lon_deg) > 180:
        lat_deg = lon_deg = None
    altitude = _num(rec.get("enhanced_altitude"))
    speed = _num(rec.get("enhanced_speed"))
    return TrackPoint(
        time=t,
        lat_deg=lat_deg,
        lon_deg=lon_deg,
        elevation_m=altitude if altitude is not None else _num(rec.get("altitude")),
        distance_m=_num(rec.get("distance")),
        speed_mps=speed if speed is not None else _num(rec.get("speed")),
        heart_rate_bpm=_num(rec.get("heart_rate")),
        cadence_spm=cadence_to_spm(_num(rec.get("cadence")), sport, _num(rec.get("fractional_cadence"))),
        vertical_oscillation_mm=_num(rec.get("vertical_oscillation")),
        stance_time_ms=_num(rec.get("stance_time")),
    )
