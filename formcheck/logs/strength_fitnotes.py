"""FitNotes (Android) CSV exports, old and new header.

* old: ``Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time``
* new: ``Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time``

FitNotes gives a date but no time of day (``started_at`` stays None so later
stages say "2 days before", not "50 hours before") and no set number (sets are
numbered within day and exercise in file order by the shared sorter).

Its real-world bug: an exercise name containing a comma is written unquoted, so
``Overhead Press (Each Side, Dumbbells)`` splits into two fields. Such a row has
too many fields; because dates, categories and numbers never contain commas,
the extra fields can only belong to the name, and the Category column (a small
vocabulary) confirms where the name ends. Those rows are re-joined and counted
in ``recovered_rows`` rather than dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from formcheck.errors import LogFormatError
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

APP = "fitnotes"
# FitNotes' built-in categories; users can add their own, so a category outside
# this list is still accepted when the field after it is a number.
KNOWN_CATEGORIES = frozenset({
    "abs", "back", "biceps", "calves", "cardio", "chest", "forearms", "full body", "glutes",
    "hamstrings", "legs", "olympic lifts", "quadriceps", "shoulders", "triceps", "traps", "neck",
})
_OLD_WEIGHT = {"weight (kgs)": "kg", "weight (kg)": "kg", "weight (lbs)": "lb", "weight (lb)": "lb"}


def matches(header: Sequence[str]) -> bool:
    """FitNotes starts ``Date,Exercise,Category``; nobody else has a bare 'Exercise' + 'Category'."""
    names = [h.strip().casefold() for h in header]
    return names[:3] == ["date", "exercise", "category"] or {"exercise", "category", "reps"} <= set(names)


def _seconds(text: str) -> float | None:
    """'0:01:30' or '01:30' or '90' -> seconds; '' -> None."""
    t = text.strip()
    if not t:
        return None
    total = 0.0
    for part in t.split(":"):
        total = total * 60 + float(part)
    return total or None


def _rejoin(row: list[str], width: int, ex_i: int, cat_i: int) -> list[str] | None:
    """Undo the split of an unquoted comma inside the exercise name; None if it does not fit."""
    extra = len(row) - width
    if extra <= 0 or cat_i != ex_i + 1:
        return None
    category = row[cat_i + extra].strip()
    after = row[cat_i + extra + 1] if cat_i + extra + 1 < len(row) else ""
    plausible = category.casefold() in KNOWN_CATEGORIES
    if not plausible and category:
        try:
            parse_float(after)
            plausible = not _is_number(category)
        except ValueError:
            plausible = False
    if not plausible:
        return None
    # Pieces of a split name are words like " Dumbbells)"; an empty piece, a number
    # or a category means two rows ran together (a lost line break), not a comma.
    for piece in row[ex_i + 1:ex_i + extra + 1]:
        if not piece.strip() or _is_number(piece) or piece.strip().casefold() in KNOWN_CATEGORIES:
            return None
    name = ",".join(row[ex_i:ex_i + extra + 1])
    return row[:ex_i] + [name] + row[ex_i + extra + 1:]


def _is_number(text: str) -> bool:
    try:
        return parse_float(text) is not None
    except ValueError:
        return False


def parse(
    text: str,
    delimiter: str,
    header: Sequence[str],
    units: str | None,
    name: str,
    progress: ProgressCallback | None = None,
) -> ParsedSets:
    """All sets in a FitNotes export, with comma-split names recovered and counted."""
    index = column_index(header)
    require_columns(index, ("Date", "Exercise", "Reps"), name, "FitNotes")
    old_col = next((c for c in _OLD_WEIGHT if c in index), None)
    if old_col is None:
        other = next((c for c in index if c.startswith("weight (") and c.endswith(")")), None)
        if other is not None:
            if unit_word(other[len("weight ("):-1]) is None:
                raise unknown_unit(name, header[index[other]].strip(), other[len("weight ("):-1])
            old_col = other
    weight_i = index[old_col] if old_col else index.get("weight")
    unit_i = index.get("weight unit")
    warnings: list[str] = []
    file_unit = "kg"
    if weight_i is not None and unit_i is None:
        stated = _OLD_WEIGHT.get(old_col or "") or (unit_word(old_col[len("weight ("):-1]) if old_col else None)
        file_unit, extra = require_units(stated, units, name, header[weight_i])
        warnings.extend(extra)
    ex_i, cat_i = index["exercise"], index.get("category", -1)
    width = len(header)
    problems = RowProblems()
    row_units: set[str] = set()
    recovered: list[str] = []
    sets: list[LiftSet] = []
    for line, row in iter_rows(text, delimiter, name, progress):
        if len(row) > width:
            fixed = _rejoin(row, width, ex_i, cat_i)
            if fixed is None:
                problems.skip(f"with {len(row)} fields instead of {width}", line)
                continue
            row = fixed
            recovered.append(row[ex_i])
        elif len(row) < width:
            problems.skip(f"with {len(row)} fields instead of {width}", line)
            continue
        get = lambda i: row[i].strip() if i is not None else ""  # noqa: E731
        try:
            day = dt.date.fromisoformat(get(index["date"]))
        except ValueError:
            problems.skip("with an unreadable date", line)
            continue
        exercise = get(ex_i)
        if not exercise:
            problems.skip("without an exercise name", line)
            continue
        unit = file_unit
        if unit_i is not None:
            row_unit = unit_word(get(unit_i))
            if row_unit is None and get(unit_i):
                problems.skip(f"with a Weight Unit that is not kg, lb or stone ({get(unit_i)!r})", line)
                continue
            if row_unit is None and get(weight_i) not in ("", "0", "0.0"):
                try:
                    row_unit, _ = require_units(None, units, name, "Weight Unit")
                except LogFormatError:
                    problems.skip("with a weight but no Weight Unit", line)
                    continue
            unit = row_unit or "kg"
            if row_unit is not None:
                row_units.add(row_unit)
        try:
            weight = parse_float(get(weight_i))
            reps = parse_int(get(index["reps"]))
            distance = parse_float(get(index.get("distance")))
            seconds = _seconds(get(index.get("time")))
        except ValueError:
            problems.skip("with an unreadable number", line)
            continue
        factor = distance_factor_m(get(index.get("distance unit")) or "m") if distance else None
        sets.append(LiftSet(
            performed_on=day,
            started_at=None,
            workout="",
            exercise=exercise,
            set_index=0,
            kind=SetKind.NORMAL,
            weight_kg=weight_to_kg(weight, unit),
            reps=reps,
            distance_m=distance * factor if distance and factor else None,
            duration_s=seconds,
        ))
    too_broken(problems, len(sets), name)
    if recovered:
        examples = ", ".join(repr(n) for n in dict.fromkeys(recovered).keys() if n)
        warnings.append(
            f"recovered {len(recovered)} row(s) whose exercise name contains an unquoted comma ({examples})"
        )
    if unit_i is not None:  # a unit a row: the file's only if every row says the same
        file_weight_unit = next(iter(row_units)) if len(row_units) == 1 else None
    else:
        file_weight_unit = file_unit if weight_i is not None else None
    return ParsedSets(sets=chronological(sets), warnings=tuple(warnings) + problems.warnings(),
                      recovered_rows=len(recovered), weight_unit=file_weight_unit)
