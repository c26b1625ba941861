"""What the three track readers share: naming sports, cadence units, building a Run from a draft.

Each reader (``gpx.py``, ``fit.py``, ``tcx.py``) only translates its format into
a :class:`RunDraft`: raw points plus what the file's own summary says.  Turning a
draft into a :class:`~formcheck.logs.records.Run` happens once, here, so every
format gets the same repairs (``track_cleaning``), the same fallbacks (distance
from GPS when the file says 0, average heart rate from the points when the
summary lacks it), the same cross-check of the file's own totals against its
samples (a FIT file with a few corrupted bytes once claimed 42,785 km in
46 minutes) and the same plain-sentence warnings.  Opening, hashing and
sniffing the file happen once, in :mod:`formcheck.logs.boundary`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.errors import LogFormatError
from formcheck.logs import plausibility
from formcheck.logs import track_cleaning as cleaning
from formcheck.logs.records import Run, Segment, Sport, TrackPoint

FOOT_SPORTS = frozenset({Sport.RUN, Sport.WALK})

# Words that name a sport in file metadata (TCX Sport/Notes/plan name, GPX <type>,
# FIT sport).  Polar writes the user's language ("Hardlopen" is Dutch for running);
# Strava GPX writes its numeric activity type (9 = Run, 10 = Walk).
_SPORT_WORDS: dict[Sport, tuple[str, ...]] = {
    Sport.ROWING: ("rowing", "row", "roeien", "rudern", "aviron", "remo"),
    Sport.RUN: ("running", "run", "9", "trail_running", "treadmill", "jogging", "hardlopen", "laufen", "course", "correr", "corsa"),
    Sport.WALK: ("walking", "walk", "10", "hiking", "hike", "wandelen", "gehen", "marche", "caminar"),
}


def sport_from_name(*names: str | None) -> Sport | None:
    """The first of ``names`` that names a known sport, or None when none does.

    A name is read whole ("running", "9") and then word by word, camelCase split ("Lunch Run", "TrailRun",
    "VirtualRun", "Evening walk"): Strava names its GPX tracks that way and a GPX without ``<type>`` was
    stored as "other", its cadence left at half and its load uncounted. A name whose words name two sports
    says nothing.
    """
    for name in names:
        if not name:
            continue
        key = name.strip().lower().replace(" ", "_")
        for sport, words in _SPORT_WORDS.items():
            if key in words or any(key.startswith(w + "_") for w in words if not w.isdigit()):
                return sport
        tokens = {t.lower() for t in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}
        named = {sport for sport, words in _SPORT_WORDS.items() if tokens & {w for w in words if not w.isdigit()}}
        if len(named) == 1:
            return named.pop()
    return None


RUN_SPEED_MPS = (2.0, 6.5)
"""Moving speeds a run has (a 2:34-8:20 min/km average); slower is a walk, faster is not on foot."""


def sport_from_speed(moving_speed_mps: float | None) -> Sport | None:
    """A file that names no sport: the sport its average moving speed fits, None without one."""
    if moving_speed_mps is None or not math.isfinite(moving_speed_mps) or moving_speed_mps <= 0:
        return None
    low, high = RUN_SPEED_MPS
    return Sport.WALK if moving_speed_mps < low else Sport.RUN if moving_speed_mps <= high else Sport.OTHER


def cadence_to_spm(raw: float | None, sport: Sport, fractional: float | None = None) -> float | None:
    """Steps per minute from a device cadence; the ONE place where the units are converted.

    Garmin FIT ``cadence`` for running and walking, the Garmin TrackPointExtension
    ``cad`` in Strava GPX, and the TCX trackpoint ``Cadence``/``RunCadence`` all
    count *strides* (one foot) per minute: the Fenix 5 run's 78 strides in 57 s
    average 82/min, the Amazfit treadmill points average 78 while its lap says
    159 steps/min.  So foot-sport cadence is doubled.  Rowing cadence is stroke
    rate and other sports' cadence is crank rpm: both are returned unchanged.
    ``fractional`` is FIT's ``fractional_cadence`` (1/128 resolution), added first.
    """
    if raw is None:
        return None
    try:
        value = float(raw) + (float(fractional) if fractional is not None else 0.0)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(value) or value < 0:
        return None
    return value * 2.0 if sport in FOOT_SPORTS else value


@dataclass
class RunDraft:
    """A reader's output before cleaning: points in file order and the file's own totals.

    Mutable on purpose (readers fill it while parsing); it never leaves ``logs``.
    ``point_segment`` gives, per point, the index into ``segment_sports`` of the
    block it came from, so segments survive points being dropped.
    """

    sport: Sport
    points: list[TrackPoint] = field(default_factory=list)
    start: dt.datetime | None = None
    duration_s: float | None = None
    distance_m: float | None = None
    device: str | None = None
    sub_sport: str | None = None
    avg_heart_rate_bpm: float | None = None
    segment_sports: list[Sport] = field(default_factory=list)
    point_segment: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The samples stop before the activity's end (a FIT file that breaks part-way):
    # the file's totals may then exceed what the samples cover.
    truncated: bool = False
    # The file is known to be altered (FIT CRC mismatch): its one-off totals are
    # checked against the samples more strictly.
    damaged: bool = False


def _as_utc(t: dt.datetime | None) -> dt.datetime | None:
    if t is None:
        return None
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)


def point_column(points: Sequence[TrackPoint], name: str) -> np.ndarray:
    """One TrackPoint field as a float array, NaN where the point lacks it."""
    return np.array([getattr(p, name) if getattr(p, name) is not None else np.nan for p in points], dtype=float)


_column = point_column


def gap_jumps(
    points: Sequence[TrackPoint],
    sports: Sequence[Sport],
    cfg: cleaning.CleaningConfig = cleaning.DEFAULT_CLEANING,
) -> np.ndarray:
    """Per point, True where the GPS leg ending there crosses a signal gap implausibly (see ``gap_jump_mask``).

    The reader uses it for the GPS distance and its warning; ``formcheck.context.track``
    calls it again on stored runs (``run_gap_jumps``), so both see the same breaks.
    """
    if not points:
        return np.zeros(0, dtype=bool)
    t0 = points[0].time
    times_s = np.array([(p.time - t0).total_seconds() for p in points])
    foot = all(s in FOOT_SPORTS for s in sports)
    return cleaning.gap_jump_mask(
        times_s,
        point_column(points, "lat_deg"),
        point_column(points, "lon_deg"),
        np.array([s is Sport.WALK for s in sports], dtype=bool),
        point_column(points, "distance_m"),
        max_speed_mps=None if foot else cfg.max_other_speed_mps,
        cfg=cfg,
    )


def finish_run(
    draft: RunDraft,
    name: str,
    source_format: str,
    cfg: cleaning.CleaningConfig = cleaning.DEFAULT_CLEANING,
) -> Run:
    """Clean a draft and freeze it into a Run (see the module docstring for what is repaired).

    ``name`` (the file's name) is only used in messages; the boundary fills in
    the Run's source path and hash.
    """
    warnings = list(draft.warnings)
    points, blanked = plausibility.screen_points([replace(p, time=_as_utc(p.time)) for p in draft.points])
    blanked_warning = plausibility.describe_blanked(blanked)
    if blanked_warning:
        warnings.append(blanked_warning)
    seg_ids = list(draft.point_segment) if len(draft.point_segment) == len(points) else [0] * len(points)
    start = _as_utc(draft.start)

    keep = cleaning.valid_time_mask([p.time for p in points], anchor=start, cfg=cfg)
    n_bad_time = int(len(points) - np.count_nonzero(keep))
    if n_bad_time:
        example = next(p.time for p, k in zip(points, keep) if not k)
        warnings.append(
            f"Dropped {n_bad_time} point(s) with impossible timestamps (e.g. {example:%Y-%m-%d %H:%M:%S} UTC: "
            f"far from the activity's start or going back in time)."
        )
    points = [p for p, k in zip(points, keep) if k]
    seg_ids = [s for s, k in zip(seg_ids, keep) if k]
    if not points:
        if n_bad_time and example is not None and example.year < cleaning.EARLIEST_VALID.year:
            raise LogFormatError(
                f"{name} is dated {example:%Y-%m-%d}, before {cleaning.EARLIEST_VALID.year}: the device's clock was "
                f"not set when it recorded; set the date on it (or in the exporting app) and export the activity again."
            )
        raise LogFormatError(
            f"{name} has no track points with a usable timestamp: export the activity again "
            f"with its GPS/heart-rate samples (a summary-only export cannot be analysed)."
        )

    t0 = points[0].time
    times_s = np.array([(p.time - t0).total_seconds() for p in points])
    lat, lon = _column(points, "lat_deg"), _column(points, "lon_deg")
    max_speed = cfg.max_foot_speed_mps if draft.sport in FOOT_SPORTS else cfg.max_other_speed_mps
    spikes = cleaning.spike_mask(times_s, lat, lon, max_speed, cfg)
    n_spikes = int(np.count_nonzero(spikes))
    if n_spikes:
        warnings.append(
            f"Dropped {n_spikes} GPS position(s) that implied more than {max_speed:g} m/s "
            f"(GPS spikes); heart rate and cadence at those moments were kept."
        )
        points = [replace(p, lat_deg=None, lon_deg=None) if s else p for p, s in zip(points, spikes)]
        lat[spikes] = np.nan
        lon[spikes] = np.nan

    sports = [draft.segment_sports[k] if k < len(draft.segment_sports) else draft.sport for k in seg_ids]
    jumps = gap_jumps(points, sports, cfg)
    if jumps.any():
        warnings.append(_gap_jump_warning(points, jumps, lat, lon))

    odometer_m = _odometer_m(times_s, _column(points, "distance_m"))
    gps_m = cleaning.path_length_m(lat, lon, jumps)
    sample_m = odometer_m if odometer_m is not None else (gps_m if gps_m > 0 else None)
    span_s = float(times_s[-1]) if times_s.size else 0.0

    distance_m = draft.distance_m if draft.distance_m and draft.distance_m > 0 else None
    duration_s = draft.duration_s if draft.duration_s and draft.duration_s > 0 else None
    if sample_m is not None and span_s > 0 and sample_m / span_s > plausibility.max_speed_mps(draft.sport):
        # the samples cannot be right either: nothing to check the file's totals against; said at import, since the
        # run was stored with no distance and no word why (only `context` said it, later)
        warnings.append(f"The track covers {sample_m / 1000:.2f} km in {span_s / 60:.0f} min, {sample_m / span_s:.1f} m/s on "
                        f"average: faster than a {draft.sport.value} can go "
                        f"({plausibility.max_speed_mps(draft.sport):g} m/s), so its distance was not kept. If this "
                        "was a ride or a drive, it is not a run: leave it out.")
        sample_m = None
    duration_s, distance_m = _checked_totals(draft, duration_s, distance_m, span_s, sample_m, warnings)
    if distance_m is None and sample_m is not None:
        distance_m = sample_m
        if odometer_m is None:
            warnings.append(f"The file gives no distance; {gps_m / 1000:.2f} km was computed from the GPS fixes.")

    gain_loss = cleaning.elevation_gain_loss(times_s, _column(points, "elevation_m"), cfg)
    gain_m, loss_m = gain_loss if gain_loss is not None else (None, None)

    hr = _column(points, "heart_rate_bpm")
    hr = hr[np.isfinite(hr) & (hr > 0)]
    avg_hr = draft.avg_heart_rate_bpm
    if avg_hr is not None and not (plausibility.load_bounds().value("point.min_heart_rate_bpm") <= avg_hr
                                   <= plausibility.load_bounds().value("point.max_heart_rate_bpm")):
        avg_hr = None
    if avg_hr is None and hr.size:
        avg_hr = float(np.mean(hr))

    if duration_s is None:
        duration_s = span_s

    return Run(
        sport=draft.sport,
        start=start or t0,
        duration_s=float(duration_s),
        distance_m=None if distance_m is None else float(distance_m),
        points=tuple(points),
        segments=_segments(seg_ids, draft.segment_sports),
        source_format=source_format,
        device=draft.device,
        sub_sport=draft.sub_sport,
        gain_m=gain_m,
        loss_m=loss_m,
        avg_heart_rate_bpm=avg_hr,
        warnings=tuple(warnings),
    )


def _odometer_m(times_s: np.ndarray, distance_m: np.ndarray) -> float | None:
    """How far the file's own per-point distance went, robust to a single corrupted value.

    The odometer only counts up, so the distance is the first reading plus the
    sum of the steps between readings, leaving out steps that go backwards or
    faster than any human-powered movement (``point.max_speed_mps``): one flipped
    value that reads 10,000 km no longer becomes the run's distance.  For a
    clean odometer this is exactly its last (largest) reading.
    """
    ok = np.isfinite(distance_m)
    if not ok.any():
        return None
    d, t = distance_m[ok], times_s[ok]
    limit = plausibility.load_bounds().value("point.max_speed_mps")
    steps = np.diff(d)
    good = (steps >= 0) & (steps <= limit * np.maximum(np.diff(t), 1.0))
    first = float(d[0]) if 0 <= d[0] <= limit * max(float(t[0]), 1.0) + 1000.0 else 0.0
    total = first + float(np.sum(steps[good]))
    return total if total > 0 else None


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _clock(seconds: float) -> str:
    """``1:02:05`` or ``10:05``: a duration to the second."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _checked_totals(
    draft: RunDraft,
    duration_s: float | None,
    distance_m: float | None,
    span_s: float,
    sample_m: float | None,
    warnings: list[str],
) -> tuple[float | None, float | None]:
    """The file's own duration and distance, unless its samples show them to be wrong.

    A summary is one value written once; samples are thousands.  A corrupted
    byte in the summary (or a summary from another activity) is caught by
    comparing the two: the samples cannot cover more time or distance than the
    whole activity, and when the file was read to its end they cover all of it.
    Tolerances are loose (10 % + 60 s, 50 % + 500 m) because GPS path length and
    a watch's odometer differ; they are tight (5 %) when the file is known to be
    altered (``draft.damaged``).  Where the two disagree, the samples' value is
    used and a warning says so.
    """
    strict = draft.damaged
    if duration_s is not None and span_s > 0:
        longer = duration_s > span_s + (max(60.0, 0.05 * span_s) if strict else max(60.0, 0.1 * span_s))
        shorter = duration_s < span_s * (0.95 if strict else 0.0)  # a summary may leave pauses out
        if (longer and not draft.truncated) or shorter:
            total, samples = _minutes(duration_s), _minutes(span_s)
            if total == samples:  # close enough to round alike: say the seconds, not "10 min vs 10 min"
                total, samples = _clock(duration_s), _clock(span_s)
            warnings.append(
                f"The file's total time ({total}) does not match its samples ({samples}); the samples' time was used."
            )
            duration_s = span_s
    if distance_m is not None and sample_m is not None and sample_m > 0:
        factor, slack = (1.05, 100.0) if strict else (1.5, 500.0)
        too_long = distance_m > factor * sample_m + slack and not draft.truncated
        too_short = distance_m < sample_m / factor - slack
        if too_long or too_short:
            warnings.append(
                f"The file's total distance ({distance_m / 1000:,.2f} km) does not match its samples "
                f"({sample_m / 1000:,.2f} km); the samples' distance was used."
            )
            distance_m = sample_m
    return duration_s, distance_m


def _gap_jump_warning(points: list[TrackPoint], jumps: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> str:
    """One sentence naming the GPS gaps whose jump was not counted, with the largest as example."""
    fixes = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    previous = {int(b): int(a) for a, b in zip(fixes[:-1], fixes[1:])}
    legs = []
    for b in np.flatnonzero(jumps):
        a = previous[int(b)]
        metres = float(cleaning.haversine_m(lat[a], lon[a], lat[b], lon[b]))
        legs.append((metres, (points[b].time - points[a].time).total_seconds(), points[a].time))
    metres, seconds, when = max(legs)
    return (
        f"Ignored {len(legs)} GPS jump(s) across signal gaps ({sum(m for m, _, _ in legs) / 1000:.2f} km in all; "
        f"the largest {metres / 1000:.2f} km in {seconds / 60:.1f} min from {when:%H:%M:%S} UTC): "
        f"too far for the time or for the file's own distance, so not counted as distance."
    )


def _segments(seg_ids: list[int], sports: list[Sport]) -> tuple[Segment, ...]:
    """Contiguous runs of the same block id as Segments; none for a single-block track."""
    if len(sports) < 2 or not seg_ids:
        return ()
    out: list[Segment] = []
    start = 0
    for i in range(1, len(seg_ids) + 1):
        if i == len(seg_ids) or seg_ids[i] != seg_ids[start]:
            out.append(Segment(sport=sports[seg_ids[start]], start_index=start, end_index=i))
            start = i
    return tuple(out)


def overall_sport(sports: list[Sport]) -> Sport:
    """A mixed walk/run track is a RUN if any block is running (its load is running load)."""
    if Sport.RUN in sports:
        return Sport.RUN
    for sport in (Sport.WALK, Sport.ROWING):
        if sport in sports:
            return sport
    return Sport.OTHER
