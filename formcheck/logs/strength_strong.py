"""Strong (iOS/Android) CSV exports, in the three layouts Strong has written over the years.

* old: ``Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes``
* comma with ``Duration`` ("1h 45m") and ``RPE``
* current: ``;``-separated, all quoted, with ``Workout #``, ``Duration (sec)``,
  ``Weight (kg)``, ``Distance (meters)``, and Set Order "WARM_UP"/"FAILURE" markers

Columns are found by name, not position, so all three go through one loop. The
old layouts do not state the weight unit ("Weight"), which is why ``units``
exists: Strong exports whatever the user's display unit was, and a 420 read as
kg instead of lb would make a deadlift 2.2 times too heavy.
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
    distance_factor_m,
    iter_rows,
    parse_float,
    parse_int,
    require_columns,
    require_units,
    too_broken,
    unit_word,
    unknown_unit,
    weight_to_kg,
)

APP = "strong"
_REQUIRED = ("Date", "Exercise Name", "Set Order", "Reps")
_UNIT_IN_NAME = re.compile(r"\(\s*([a-z]+)\s*\)", re.IGNORECASE)
_KINDS = {
    "warm_up": SetKind.WARMUP, "warmup": SetKind.WARMUP, "w": SetKind.WARMUP,
    "failure": SetKind.FAILURE, "f": SetKind.FAILURE,
    "drop_set": SetKind.DROPSET, "dropset": SetKind.DROPSET, "d": SetKind.DROPSET,
}


def matches(header: Sequence[str]) -> bool:
    """Strong is the only app with both 'Exercise Name' and 'Set Order' columns."""
    names = {h.strip().casefold() for h in header}
    return {"exercise name", "set order"} <= names


def _find(index: dict[str, int], prefix: str) -> tuple[int | None, str]:
    """Column whose name is ``prefix`` or ``prefix (unit)``: its position and full name."""
    for name, i in index.items():
        if name == prefix or name.startswith(prefix + " ("):
            return i, name
    return None, prefix


def _unit_of(column: str) -> str | None:
    found = _UNIT_IN_NAME.search(column)
    return found.group(1).lower() if found else None


def parse(
    text: str,
    delimiter: str,
    header: Sequence[str],
    units: str | None,
    name: str,
    progress: ProgressCallback | None = None,
) -> ParsedSets:
    """All sets in a Strong export; unreadable rows are skipped and counted, not guessed."""
    index = column_index(header)
    require_columns(index, _REQUIRED, name, "Strong")
    weight_i, weight_col = _find(index, "weight")
    dist_i, dist_col = _find(index, "distance")
    warnings: list[str] = []
    unit = "kg"
    if weight_i is not None:
        unit_text = _unit_of(weight_col)
        stated = unit_word(unit_text or "")
        if unit_text and stated is None:
            raise unknown_unit(name, header[weight_i].strip(), unit_text)
        unit, extra = require_units(stated, units, name, header[weight_i].strip())
        warnings.extend(extra)
    if dist_i is not None:
        dist_col = header[dist_i].strip()
    dist_unit = _unit_of(dist_col) if dist_i is not None else None
    dist_factor = distance_factor_m(dist_unit) if dist_unit else None
    cols = {k: index.get(k.casefold()) for k in ("Date", "Workout Name", "Exercise Name", "Set Order",
                                                 "Reps", "RPE", "Seconds", "Notes")}
    width = len(header)
    problems = RowProblems()
    sets: list[LiftSet] = []
    undistanced = 0
    for line, row in iter_rows(text, delimiter, name, progress):
        if len(row) != width:
            problems.skip(f"with {len(row)} fields instead of {width}", line)
            continue
        get = lambda key: row[cols[key]].strip() if cols[key] is not None else ""  # noqa: E731
        try:
            started = dt.datetime.fromisoformat(get("Date"))
        except ValueError:
            problems.skip("with an unreadable date", line)
            continue
        exercise = get("Exercise Name")
        if not exercise:
            problems.skip("without an exercise name", line)
            continue
        try:
            weight = parse_float(row[weight_i]) if weight_i is not None else None
            reps = parse_int(get("Reps"))
            rpe = parse_float(get("RPE"))
            seconds = parse_float(get("Seconds"))
            distance = parse_float(row[dist_i]) if dist_i is not None else None
        except ValueError:
            problems.skip("with an unreadable number", line)
            continue
        if distance and dist_factor is None:
            undistanced += 1
        order = get("Set Order").casefold()
        sets.append(LiftSet(
            performed_on=started.date(),
            started_at=started,
            workout=get("Workout Name"),
            exercise=exercise,
            set_index=0,
            kind=_KINDS.get(order, SetKind.NORMAL),
            weight_kg=weight_to_kg(weight, unit),
            reps=reps,
            rpe=rpe or None,
            distance_m=distance * dist_factor if distance and dist_factor else None,
            duration_s=seconds or None,
            notes=get("Notes"),
        ))
    too_broken(problems, len(sets), name)
    if undistanced:
        warnings.append(f"{undistanced} set(s) have a distance but '{dist_col}' gives no unit; distance dropped")
    return ParsedSets(sets=chronological(sets), warnings=tuple(warnings) + problems.warnings(),
                      weight_unit=unit if weight_i is not None else None)

