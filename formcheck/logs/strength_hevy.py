"""Hevy CSV exports (``title,start_time,...,set_type,weight_kg,reps,...``).

Hevy's quirks: rows are newest workout first (the shared sorter puts them
oldest first, keeping the in-workout order), dates are "9 Apr 2026, 17:18" in
English whatever the phone's language (parsed with our own month table, because
``strptime('%b')`` follows the process locale), bodyweight sets have an empty
weight, and titles and notes are free UTF-8 text (emoji, Greek, Portuguese).
The unit is in the column name (``weight_kg`` or ``weight_lbs``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from formcheck.logs.progress import ProgressCallback
from formcheck.logs.records import LiftSet, SetKind
from formcheck.logs.strength_csv import (
    ParsedSets,
    RowProblems,
    chronological,
    column_index,
    iter_rows,
    parse_float,
    parse_int,
    require_columns,
    require_units,
    too_broken,
    weight_to_kg,
)

APP = "hevy"
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_HEVY_DATE = re.compile(r"^\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_KINDS = {"warmup": SetKind.WARMUP, "failure": SetKind.FAILURE, "dropset": SetKind.DROPSET}
_WEIGHT_COLUMNS = {"weight_kg": "kg", "weight_lbs": "lb", "weight_lb": "lb", "weight_st": "st"}
_DISTANCE_COLUMNS = {"distance_km": 1000.0, "distance_miles": 1609.344, "distance_m": 1.0}


def matches(header: Sequence[str]) -> bool:
    """Hevy's snake_case 'exercise_title' and 'set_type' appear in no other app's export."""
    names = {h.strip().casefold() for h in header}
    return {"exercise_title", "set_type"} <= names or {"exercise_title", "start_time"} <= names


def parse_hevy_time(text: str) -> dt.datetime:
    """'9 Apr 2026, 17:18' (or ISO 8601) -> naive local datetime; ValueError otherwise."""
    found = _HEVY_DATE.match(text)
    if found is None:
        return dt.datetime.fromisoformat(text.strip())
    day, month, year, hour, minute, second = found.groups()
    month_no = _MONTHS.get(month.lower())
    if month_no is None:
        raise ValueError(f"unknown month in {text!r}")
    return dt.datetime(int(year), month_no, int(day), int(hour), int(minute), int(second or 0))


def parse(
    text: str,
    delimiter: str,
    header: Sequence[str],
    units: str | None,
    name: str,
    progress: ProgressCallback | None = None,
) -> ParsedSets:
    """All sets in a Hevy export, oldest first."""
    index = column_index(header)
    require_columns(index, ("start_time", "exercise_title", "reps"), name, "Hevy")
    weight_col = next((c for c in _WEIGHT_COLUMNS if c in index), None)
    stated = _WEIGHT_COLUMNS[weight_col] if weight_col else None
    warnings: list[str] = []
    unit = "kg"
    if weight_col is not None:
        unit, extra = require_units(stated, units, name, weight_col)
        warnings.extend(extra)
    dist_col = next((c for c in _DISTANCE_COLUMNS if c in index), None)
    width = len(header)
    problems = RowProblems()
    sets: list[LiftSet] = []
    for line, row in iter_rows(text, delimiter, name, progress):
        if len(row) != width:
            problems.skip(f"with {len(row)} fields instead of {width}", line)
            continue
        get = lambda key: row[index[key]].strip() if key in index else ""  # noqa: E731
        try:
            started = parse_hevy_time(get("start_time"))
        except ValueError:
            problems.skip("with an unreadable start_time", line)
            continue
        exercise = get("exercise_title")
        if not exercise:
            problems.skip("without an exercise_title", line)
            continue
        try:
            weight = parse_float(get(weight_col)) if weight_col else None
            reps = parse_int(get("reps"))
            rpe = parse_float(get("rpe"))
            distance = parse_float(get(dist_col)) if dist_col else None
            duration = parse_float(get("duration_seconds"))
        except ValueError:
            problems.skip("with an unreadable number", line)
            continue
        sets.append(LiftSet(
            performed_on=started.date(),
            started_at=started,
            workout=get("title"),
            exercise=exercise,
            set_index=0,
            kind=_KINDS.get(get("set_type").casefold(), SetKind.NORMAL),
            weight_kg=weight_to_kg(weight, unit),
            reps=reps,
            rpe=rpe or None,
            distance_m=distance * _DISTANCE_COLUMNS[dist_col] if distance and dist_col else None,
            duration_s=duration or None,
            notes=get("exercise_notes"),
        ))
    too_broken(problems, len(sets), name)
    return ParsedSets(sets=chronological(sets), warnings=tuple(warnings) + problems.warnings(),
                      weight_unit=unit if weight_col is not None else None)
