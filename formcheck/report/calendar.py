"""The two weeks before the day it hurt, day by day: lifts (lumbar-loading ones marked) and runs.

Drawn as HTML, not as a chart: a runner reads a calendar as a grid of days
with words in them ("Deadlift 5 sets"), and HTML wraps on a phone where a
picture would shrink to illegible.  This module only arranges the data;
the template draws it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from formcheck.context.lumbar import run_local_date, run_local_start
from formcheck.findings.model import CheckInputs
from formcheck.findings.training import weight_text
from formcheck.logs.records import SetKind

DAYS = 14
LUMBAR_CLASSES = ("heavy", "moderate")


@dataclass(frozen=True)
class LiftEntry:
    exercise: str
    sets: int  # working sets (warm-ups not counted)
    top: str | None  # e.g. "140 kg x 3"
    lumbar: str | None  # heavy | moderate | none | None (unknown)


@dataclass(frozen=True)
class RunEntry:
    label: str  # "Run 7.2 km, 50 min"
    sport: str
    is_symptom_run: bool


@dataclass(frozen=True)
class Day:
    date: dt.date
    days_before: int
    lifts: tuple[LiftEntry, ...]
    runs: tuple[RunEntry, ...]

    @property
    def lumbar(self) -> bool:
        return any(lift.lumbar in LUMBAR_CLASSES for lift in self.lifts)


def symptom_day(inputs: CheckInputs, fallback: dt.date | None = None) -> dt.date | None:
    if inputs.symptom_date is not None:
        return inputs.symptom_date
    if fallback is not None:
        return fallback
    return None if inputs.run is None else run_local_date(inputs.run.run, inputs.lift_tz)


def _local_day(inputs: CheckInputs) -> Callable[[dt.datetime], dt.date]:
    """An activity's day on the runner's clock, the one the title, the lifts and ``check --date`` use.

    The runner's zone when known; else the offset the run that hurt gives (its GPS longitude: the same runner
    mostly runs in one zone); else UTC. Runs were put on their UTC day: a 16:10 run in California sat on the
    next day's square.
    """
    if inputs.lift_tz is not None:
        zone = inputs.lift_tz
        return lambda start: start.astimezone(zone).date()
    offset = dt.timedelta(0)
    if inputs.run is not None:
        local, _ = run_local_start(inputs.run.run)
        offset = local - inputs.run.run.start.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return lambda start: (start.astimezone(dt.timezone.utc) + offset).date()


def _lift_entries(sets: list, classes: dict, unit: str) -> tuple[LiftEntry, ...]:
    by_exercise: dict[str, list] = defaultdict(list)
    for s in sets:
        by_exercise[s.exercise].append(s)
    out = []
    for exercise, rows in by_exercise.items():
        working = [s for s in rows if s.kind != SetKind.WARMUP] or rows
        weighted = [s for s in working if s.weight_kg is not None and s.reps]
        top = max(weighted, key=lambda s: (s.weight_kg, s.reps), default=None)
        top_text = None if top is None else f"{weight_text(top.weight_kg, unit)} × {top.reps}"  # the runner's unit
        out.append(LiftEntry(exercise, len(working), top_text, classes.get(exercise)))
    # lumbar-loading exercises first: they are what the reader looks for
    return tuple(sorted(out, key=lambda e: (e.lumbar not in LUMBAR_CLASSES, e.lumbar != "heavy")))


def _run_label(sport: str, distance_m: float | None, duration_s: float) -> str:
    """"Run 7.2 km, 50 min" (distance only when the file has one)."""
    name = "Run" if sport == "run" else sport.replace("_", " ").capitalize()
    parts = ([f"{distance_m / 1000:.1f} km"] if distance_m else []) + [f"{duration_s / 60:.0f} min"]
    return f"{name} {', '.join(parts)}"


def calendar_days(inputs: CheckInputs, end: dt.date | None) -> tuple[list[Day] | None, str | None]:
    """The 14 days ending on the symptom day (oldest first), or (None, why not)."""
    if end is None:
        return None, "no date for the run that hurt: give its date, or its GPS track"
    if not inputs.lifts and not inputs.history and inputs.run is None:
        return None, "no training logs were given (give a run export and a Strong, Hevy or FitNotes export)"
    start = end - dt.timedelta(days=DAYS - 1)
    lifts_by_day: dict[dt.date, list] = defaultdict(list)
    for s in inputs.lifts:
        if start <= s.performed_on <= end:
            lifts_by_day[s.performed_on].append(s)
    runs_by_day: dict[dt.date, list[RunEntry]] = defaultdict(list)
    symptom_start = None if inputs.run is None else inputs.run.run.start
    seen = set()
    day_of = _local_day(inputs)
    if inputs.run is not None:
        r = inputs.run.run
        runs_by_day[day_of(r.start)].append(RunEntry(_run_label(r.sport.value, r.distance_m, r.duration_s), r.sport.value, True))
        seen.add(r.start)
    for h in inputs.history:
        if h.start in seen or not start <= day_of(h.start) <= end:
            continue
        seen.add(h.start)
        runs_by_day[day_of(h.start)].append(RunEntry(_run_label(h.sport.value, h.distance_m, h.duration_s), h.sport.value, h.start == symptom_start))
    classes = dict(inputs.lumbar_class)
    days = [
        Day(d, (end - d).days, _lift_entries(lifts_by_day.get(d, []), classes, inputs.weight_unit), tuple(runs_by_day.get(d, [])))
        for d in (start + dt.timedelta(days=i) for i in range(DAYS))
    ]
    return days, None
