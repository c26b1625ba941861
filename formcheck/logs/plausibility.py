"""Plausibility bounds for training-log records: what no run, walk, row or set can be.

The bounds are data (``bounds.toml`` next to this module, each with a one-line
reason) and are applied on the way in, by :func:`formcheck.logs.read_log`, to
the records of every reader, so nothing impossible reaches the store whatever
the format:

* :func:`run_problem` / :func:`set_problem` say why one record is impossible
  (or None); :func:`screen` drops such records, describes them in ONE warning
  line ("dropped 2 of 120 sets: 1 with a weight of -100 kg (a load cannot be
  negative) ...") and refuses a file where most records are impossible with one
  :class:`~formcheck.errors.LogFormatError` line;
* :func:`screen_points` blanks single track-point values that cannot be real
  (a heart rate of 255, an altitude of 40 km) and counts them; the track
  readers call it before computing totals from the points.

Nothing here reads files or prints; ``now`` is a parameter so tests can pin it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TypeVar

from formcheck.errors import LogFormatError
from formcheck.logs.records import LiftSet, Run, Sport, TrackPoint

__all__ = ["Bound", "Bounds", "Problem", "load_bounds", "run_problem", "screen", "screen_points", "set_problem"]

_UTC = dt.timezone.utc


@dataclass(frozen=True)
class Bound:
    """One limit and the sentence saying where it comes from."""

    value: float
    why: str


@dataclass(frozen=True)
class Bounds:
    """All bounds by section (``dates``, ``run``, ``point``, ``set``, ``file``) and name."""

    sections: Mapping[str, Mapping[str, Bound]]

    def __getitem__(self, key: str) -> Bound:
        section, name = key.split(".", 1)
        return self.sections[section][name]

    def value(self, key: str) -> float:
        return self[key].value


def parse_bounds(text: str, source: str = "bounds.toml") -> Bounds:
    """Bounds from TOML text; every entry must be ``{ value = number, why = "..." }``."""
    raw = tomllib.loads(text)
    sections: dict[str, dict[str, Bound]] = {}
    for section, entries in raw.items():
        sections[section] = {}
        for name, entry in entries.items():
            value, why = entry.get("value"), entry.get("why")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not isinstance(why, str) or not why:
                raise ValueError(f"{source}: [{section}] {name} needs a number 'value' and a 'why'")
            sections[section][name] = Bound(float(value), why)
    return Bounds(sections)


@functools.cache
def load_bounds() -> Bounds:
    """The bounds shipped with formcheck (``formcheck/logs/bounds.toml``)."""
    text = resources.files("formcheck.logs").joinpath("bounds.toml").read_text(encoding="utf-8")
    return parse_bounds(text)


@dataclass(frozen=True)
class Problem:
    """Why a record is impossible: a short category (grouped in the warning), an example and the reason."""

    what: str  # e.g. "a weight below 0 kg"
    example: str  # e.g. "-100 kg"
    why: str


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now(_UTC)


def _date_problem(day: dt.date, bounds: Bounds, now: dt.datetime | None) -> Problem | None:
    earliest = dt.date(int(bounds.value("dates.earliest")), 1, 1)
    latest = _now(now).date() + dt.timedelta(days=bounds.value("dates.future_slack_days"))
    if day < earliest:
        return Problem(f"a date before {earliest.year}", day.isoformat(), bounds["dates.earliest"].why)
    if day > latest:
        return Problem("a date in the future", day.isoformat(), bounds["dates.future_slack_days"].why)
    return None


def _speed_bound(sport: Sport) -> str:
    if sport in (Sport.RUN, Sport.WALK):
        return "run.max_foot_speed_mps"
    return "run.max_rowing_speed_mps" if sport is Sport.ROWING else "run.max_other_speed_mps"


def max_speed_mps(sport: Sport, bounds: Bounds | None = None) -> float:
    """The fastest average speed the bounds allow for ``sport``."""
    return (bounds or load_bounds()).value(_speed_bound(sport))


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def run_problem(run: Run, bounds: Bounds | None = None, now: dt.datetime | None = None) -> Problem | None:
    """Why ``run`` cannot be a real recording, or None when it passes every bound."""
    b = bounds or load_bounds()
    start = run.start if run.start.tzinfo else run.start.replace(tzinfo=_UTC)
    found = _date_problem(start.astimezone(_UTC).date(), b, now)
    if found:
        return found
    duration = run.duration_s
    if not _finite(duration) or duration < b.value("run.min_duration_s"):
        shown = f"{duration:g} s" if _finite(duration) else "no duration"
        return Problem(f"a duration under {b.value('run.min_duration_s'):g} s", shown, b["run.min_duration_s"].why)
    if duration > b.value("run.max_duration_s"):
        return Problem("a duration over a week", f"{duration / 3600:.0f} h", b["run.max_duration_s"].why)
    distance = run.distance_m
    if distance is not None:
        if not math.isfinite(distance) or distance < 0:
            return Problem("a negative or undefined distance", f"{distance} m", "a distance cannot be negative")
        if distance > b.value("run.max_distance_m"):
            return Problem(f"a distance over {b.value('run.max_distance_m') / 1000:,.0f} km",
                           f"{distance / 1000:,.0f} km", b["run.max_distance_m"].why)
        key = _speed_bound(run.sport)
        speed = distance / duration
        if speed > b.value(key):
            return Problem(
                f"an average speed over {b.value(key):g} m/s for sport {run.sport.value}",
                f"{distance / 1000:,.1f} km in {duration / 60:,.0f} min = {speed:,.1f} m/s", b[key].why,
            )
    hours = duration / 3600.0
    for attr, key, word in (("gain_m", "run.max_gain_m_per_h", "climb"), ("loss_m", "run.max_loss_m_per_h", "descent")):
        metres = getattr(run, attr)
        if _finite(metres) and metres / hours > b.value(key):
            return Problem(f"a {word} rate over {b.value(key):,.0f} m/h", f"{metres:,.0f} m in {duration / 60:,.0f} min",
                           b[key].why)
    return None


def set_problem(lift: LiftSet, bounds: Bounds | None = None, now: dt.datetime | None = None) -> Problem | None:
    """Why ``lift`` cannot be a real set, or None when it passes every bound."""
    b = bounds or load_bounds()
    found = _date_problem(lift.performed_on, b, now)
    if found:
        return found
    checks: tuple[tuple[float | int | None, str, str, str, str], ...] = (
        (lift.weight_kg, "set.min_weight_kg", "set.max_weight_kg", "a weight", "kg"),
        (lift.reps, "set.min_reps", "set.max_reps", "reps", ""),
        (lift.rpe, "set.min_rpe", "set.max_rpe", "an RPE", ""),
        (lift.distance_m, "", "set.max_set_distance_m", "a distance", "m"),
        (lift.duration_s, "", "set.max_set_duration_s", "a duration", "s"),
    )
    for value, low_key, high_key, noun, unit in checks:
        if value is None:
            continue
        unit_s = f" {unit}" if unit else ""
        if not math.isfinite(value):
            return Problem(f"{noun} that is not a number", str(value), "a logged number must be finite")
        if low_key and value < b.value(low_key):
            return Problem(f"{noun} below {b.value(low_key):g}{unit_s}", f"{value:g}{unit_s}", b[low_key].why)
        if value < 0:
            return Problem(f"{noun} below 0{unit_s}", f"{value:g}{unit_s}", "a distance or time cannot be negative")
        if value > b.value(high_key):
            return Problem(f"{noun} above {b.value(high_key):g}{unit_s}", f"{value:g}{unit_s}", b[high_key].why)
    return None


R = TypeVar("R", Run, LiftSet)


def screen(
    records: Sequence[R],
    problem: Callable[[R], Problem | None],
    name: str,
    noun: str,
    bounds: Bounds | None = None,
) -> tuple[tuple[R, ...], str | None, int]:
    """Keep the plausible records; describe the dropped ones in one line; refuse a mostly-impossible file.

    Returns ``(kept, warning or None, dropped)``. Raises LogFormatError when more
    than ``file.max_implausible_fraction`` of the records are impossible.
    """
    b = bounds or load_bounds()
    kept: list[R] = []
    groups: dict[str, tuple[int, Problem]] = {}
    for record in records:
        found = problem(record)
        if found is None:
            kept.append(record)
            continue
        count, first = groups.get(found.what, (0, found))
        groups[found.what] = (count + 1, first)
    dropped = len(records) - len(kept)
    if not dropped:
        return tuple(kept), None, 0
    detail = "; ".join(
        f"{count} with {what} (e.g. {first.example}: {first.why})" for what, (count, first) in groups.items()
    )
    total = len(records)
    if dropped / total > b.value("file.max_implausible_fraction"):
        singular = {"activities": "activity"}.get(noun, noun.removesuffix("s"))
        lead = f"its only {singular} is" if total == 1 else f"{dropped} of {total} {noun} are"
        raise LogFormatError(f"{name}: {lead} impossible ({detail}); the file is damaged or not an unmodified export.")
    return tuple(kept), f"dropped {dropped} of {total} {noun} as impossible: {detail}.", dropped


_POINT_LIMITS: tuple[tuple[str, str | None, str], ...] = (
    ("heart_rate_bpm", "point.min_heart_rate_bpm", "point.max_heart_rate_bpm"),
    ("elevation_m", "point.min_elevation_m", "point.max_elevation_m"),
    ("speed_mps", None, "point.max_speed_mps"),
    ("cadence_spm", None, "point.max_cadence_spm"),
    ("vertical_oscillation_mm", None, "point.max_vertical_oscillation_mm"),
    ("stance_time_ms", None, "point.max_stance_time_ms"),
)


def screen_points(
    points: Sequence[TrackPoint], bounds: Bounds | None = None
) -> tuple[list[TrackPoint], dict[str, int]]:
    """Blank point values outside the [point] bounds; per field, how many were blanked.

    A heart rate of 0 (no reading) and negative speeds or cadences are blanked
    too but not counted: devices write them for "no value".
    """
    b = bounds or load_bounds()
    limits = [(f, b.value(lo) if lo else 0.0, b.value(hi)) for f, lo, hi in _POINT_LIMITS]
    counts: dict[str, int] = {}
    out: list[TrackPoint] = []
    for p in points:
        changes: dict[str, None] = {}
        for field, low, high in limits:
            v = getattr(p, field)
            if v is None:
                continue
            if not math.isfinite(v) or v < low or v > high:
                changes[field] = None
                if math.isfinite(v) and v > 0 or field == "elevation_m" or not math.isfinite(v):
                    counts[field] = counts.get(field, 0) + 1
        out.append(replace(p, **changes) if changes else p)
    return out, counts


def describe_blanked(counts: Mapping[str, int], bounds: Bounds | None = None) -> str | None:
    """One sentence for :func:`screen_points`' counts, or None when nothing was blanked."""
    if not counts:
        return None
    b = bounds or load_bounds()
    parts = []
    for field, low, high in _POINT_LIMITS:
        if counts.get(field):
            span = f"{b.value(low):g} to {b.value(high):g}" if low else f"at most {b.value(high):g}"
            parts.append(f"{counts[field]} {field.rsplit('_', 1)[0].replace('_', ' ')} value(s) outside {span}")
    return "Blanked impossible sample values: " + ", ".join(parts) + " (the rest of those samples was kept)."
