"""Pure conversions between record objects and what the store keeps.

* Track points go into one compressed blob per run, stored column-wise
  (``{"t_us": [...], "lat_deg": [...], ...}`` as JSON, then zlib): a 65-minute
  1 Hz run is ~4,000 points, and a row per point would make the points table
  the whole database for no query we need (features read whole runs).  Floats
  survive exactly (JSON uses the shortest repr that round-trips) and the blob
  is a plain ``LargeBinary``, so SQLite and PostgreSQL store the same bytes.
* Natural keys say when two records are the same thing seen in two exports
  (see :func:`run_key`, :func:`lift_key`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zlib
from dataclasses import fields

from formcheck.logs.records import LiftSet, Run, TrackPoint

POINTS_FORMAT_VERSION = 1
_POINT_FIELDS = tuple(f.name for f in fields(TrackPoint) if f.name != "time")
_UTC = dt.timezone.utc


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC; a naive value is taken as UTC already."""
    return value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)


def encode_points(points: tuple[TrackPoint, ...] | list[TrackPoint]) -> bytes:
    """Column-wise JSON of the points, zlib-compressed; times as integer µs after the first point.

    Naive point times are taken as UTC (readers give UTC); all-empty columns are left out.
    """
    if not points:
        return zlib.compress(json.dumps({"v": POINTS_FORMAT_VERSION, "n": 0}).encode())
    t0 = as_utc(points[0].time)
    payload: dict[str, object] = {
        "v": POINTS_FORMAT_VERSION,
        "n": len(points),
        "t0": t0.isoformat(),
        "t_us": [_micros(as_utc(p.time) - t0) for p in points],
    }
    for name in _POINT_FIELDS:
        column = [getattr(p, name) for p in points]
        if any(value is not None for value in column):
            # NaN/inf have no JSON form; an unknown value is None everywhere else too.
            payload[name] = [None if v is None or not math.isfinite(v) else float(v) for v in column]
    return zlib.compress(json.dumps(payload, separators=(",", ":"), allow_nan=False).encode(), 6)


def decode_points(blob: bytes) -> tuple[TrackPoint, ...]:
    """Inverse of :func:`encode_points` (times come back as aware UTC)."""
    payload = json.loads(zlib.decompress(blob))
    if payload.get("v") != POINTS_FORMAT_VERSION:
        raise ValueError(f"unknown points format {payload.get('v')!r}")
    n = int(payload["n"])
    if n == 0:
        return ()
    t0 = dt.datetime.fromisoformat(payload["t0"])
    columns = {name: payload.get(name) or [None] * n for name in _POINT_FIELDS}
    return tuple(
        TrackPoint(
            time=t0 + dt.timedelta(microseconds=payload["t_us"][i]),
            **{name: columns[name][i] for name in _POINT_FIELDS},
        )
        for i in range(n)
    )


def _micros(delta: dt.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def run_key(run: Run) -> str:
    """Runner-local identity of an activity: start (to the second, UTC), sport, whole-second duration.

    The same run exported twice (a FIT from the watch and a GPX from Strava)
    starts at the same second and lasts the same time, whatever the file
    format, so it is stored once.
    """
    start = as_utc(run.start).replace(microsecond=0)
    return f"{start.strftime('%Y-%m-%dT%H:%M:%SZ')}|{run.sport.value}|{round(run.duration_s)}"


def lift_key(lift: LiftSet) -> str:
    """Identity of one set: its workout's start (date, and time of day when known), exercise, set order.

    Weight, reps and the rest are the set's *values*, not its identity: the same
    export imported once with ``--units lb`` and once with ``--units kg``, or
    re-exported after one set was edited, names the same sets, so a re-import
    updates them instead of adding a second copy.  Names compare
    case-insensitively with runs of spaces collapsed.
    """
    when = ""
    if lift.started_at is not None:
        moment = lift.started_at
        when = as_utc(moment).strftime("%H:%M:%SZ") if moment.tzinfo else moment.strftime("%H:%M:%S")
    name = " ".join(lift.exercise.split()).casefold()
    return f"{lift.performed_on.isoformat()}|{when}|{name}|{lift.set_index}"[:400]
