"""Plumbing shared by the Strong, Hevy and FitNotes readers: text, rows, numbers, units.

The three app readers differ only in column names and quirks; everything that
must behave the same for all of them lives here, so that a rule such as "a
weight of 0 means no external load" or "lb are converted with the exact
international factor" is written once. Nothing here knows which app wrote a
file, and nothing raises anything but :class:`~formcheck.errors.LogFormatError`
(or its subclass), because these helpers run on untrusted user files.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from formcheck.errors import LogFormatError, UnitsRequiredError, UsageError
from formcheck.logs.progress import ProgressCallback
from formcheck.logs.records import LiftSet

KG_PER_LB = 0.45359237  # exact, by the 1959 international yard and pound agreement
KG_PER_STONE = 14 * KG_PER_LB  # 1 stone = 14 lb = 6.35029318 kg (UK apps offer stones)
KG_PER_UNIT = {"kg": 1.0, "lb": KG_PER_LB, "st": KG_PER_STONE}
MAX_REPLACED_FRACTION = 0.01  # more undecodable bytes than this and it is not a text export

# Every spelling of a weight unit seen in exports (column names, FitNotes' "Weight Unit" cells),
# the ONE table both the readers and every front end's check of a given unit use.
_UNIT_WORDS = {"kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
               "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
               "st": "st", "stone": "st", "stones": "st"}
GIVEN_UNITS = ("kg", "lb")  # what a user may say for a file that does not state its unit
_DISTANCE_TO_M = {"m": 1.0, "meters": 1.0, "metres": 1.0, "km": 1000.0, "kms": 1000.0,
                  "mi": 1609.344, "mile": 1609.344, "miles": 1609.344, "ft": 0.3048, "feet": 0.3048,
                  "yd": 0.9144, "yds": 0.9144, "yards": 0.9144}


def normalise_units(units: object) -> str | None:
    """Accept None, "kg"/"kgs" or "lb"/"lbs" (any case); anything else is a usage error."""
    if units is None:
        return None
    unit = _UNIT_WORDS.get(str(units).strip().lower())
    if unit not in GIVEN_UNITS:
        raise UsageError(f"the weight unit must be kg or lb, not {units!r}", settings=("units",))
    return unit


def unit_word(text: str) -> str | None:
    """'kgs' -> 'kg', 'lbs' -> 'lb', 'stone' -> 'st'; None for anything that is not a weight unit."""
    return _UNIT_WORDS.get(text.strip().lower())


def unknown_unit(name: str, column: str, unit_text: str) -> LogFormatError:
    """The error for a weight column or cell that names a unit formcheck cannot convert."""
    return LogFormatError(
        f"{name}: the '{column}' column gives weights in {unit_text!r}, which is not kg, lb or stone; "
        "export the file in kg or lb"
    )


def distance_factor_m(unit: str) -> float | None:
    """Metres per one ``unit`` ('km', 'mi', 'm' ...), None when the unit is unknown."""
    return _DISTANCE_TO_M.get(unit.strip().lower())


def decode_text(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Bytes to text: UTF-8 (BOM dropped), tolerating a few bad bytes but not binary data.

    Exports are UTF-8 (Hevy notes carry emoji and Portuguese), but a file that
    was edited in a spreadsheet can gain a stray Latin-1 byte; replacing a handful
    keeps the sets, while a NUL or many bad bytes means this is not a CSV at all.
    """
    wide = _utf16_codec(data)
    if wide is not None:  # Excel's "Unicode Text" and some Windows tools save UTF-16
        try:
            return data.decode(wide).lstrip("\ufeff"), ()
        except UnicodeDecodeError:
            raise LogFormatError(f"{name} looks like UTF-16 text but does not decode: save it as a UTF-8 CSV") from None
    if b"\x00" in data[:65536]:
        raise LogFormatError(f"{name} is a binary file, not a CSV export")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
    if all(ord(c) < 128 or c == "\ufffd" for c in text):
        # Not one character beyond ASCII decoded as UTF-8: a legacy 8-bit export (a spreadsheet on
        # Windows saves Windows-1252), not a UTF-8 file with a stray byte. Read it as that.
        legacy = "the file is not UTF-8; it was read as Windows-1252 (Latin-1)"
        return data.decode("cp1252", errors="replace"), (legacy,)
    bad = text.count("\ufffd")
    if bad > max(3, MAX_REPLACED_FRACTION * len(text)):
        raise LogFormatError(f"{name} is not a UTF-8 text CSV export ({bad} undecodable bytes)")
    return text, (f"{bad} byte(s) were not valid UTF-8 and were replaced",)


def _utf16_codec(data: bytes) -> str | None:
    """"utf-16" (with a byte-order mark) or "utf-16-le"/"-be" when ``data`` is UTF-16 text, else None.

    Without a mark, text of mostly ASCII characters has a NUL in every other byte.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = data[: min(len(data), 4096) // 2 * 2]  # whole 2-byte code units
    if len(sample) < 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.9 * len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and not odd.count(0):
        return "utf-16-be"
    return None


def sniff_header(text: str) -> tuple[list[str], str]:
    """The header fields and the delimiter (',' or ';'), read from the first line only.

    Strong's current export is ``;``-separated with every field quoted; the others
    use ``,``. The delimiter with more fields on the first line wins.
    """
    first = text.splitlines()[0] if text else ""
    best: tuple[list[str], str] = ([], ",")
    for delimiter in (",", ";", "\t"):
        try:
            fields = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(fields) > len(best[0]):
            best = ([f.strip() for f in fields], delimiter)
    return best


def iter_rows(
    text: str, delimiter: str, name: str, progress: ProgressCallback | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Data rows (header skipped) as ``(line_number, fields)``; blank lines are skipped.

    csv errors (a NUL, an unterminated quote at a truncated end) become a
    LogFormatError naming the line, so a caller never sees ``csv.Error``.
    ``progress`` gets the fraction of the text read so far (never 1.0: the
    caller says when the whole file is done).
    """
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    size = max(1, len(text))
    try:
        next(reader, None)
        for fields in reader:
            if progress is not None and reader.line_num % 64 == 0:
                progress(0.99 * buffer.tell() / size)
            if not fields or all(not f.strip() for f in fields):
                continue
            yield reader.line_num, fields
    except csv.Error as exc:
        raise LogFormatError(f"{name}: CSV is malformed near line {reader.line_num}: {exc}") from None


def has_data_rows(text: str) -> bool:
    """True when anything but blank lines follows the header line."""
    return any(line.strip() for line in text.splitlines()[1:])


def parse_float(text: str) -> float | None:
    """'' -> None; '65,5' (decimal comma) -> 65.5; raises ValueError on anything else or on NaN/inf."""
    t = text.strip()
    if not t:
        return None
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def parse_int(text: str) -> int | None:
    """'' -> None; '8' or '8.0' -> 8; raises ValueError for fractions or junk."""
    value = parse_float(text)
    if value is None:
        return None
    if value != int(value):
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


def weight_to_kg(value: float | None, unit: str) -> float | None:
    """A logged weight in ``unit`` to kg; 0 and empty both mean "no external load" -> None.

    Strong and FitNotes write 0 for bodyweight or timed exercises where Hevy leaves
    the cell empty; one meaning for "no load" keeps tonnage honest across apps.
    """
    if value is None or value == 0:
        return None
    return value * KG_PER_UNIT[unit]


def require_units(stated: str | None, given: str | None, name: str, column: str) -> tuple[str, tuple[str, ...]]:
    """The unit to use for weights: the file's own statement wins over the one the person gave.

    Returns the unit and any warning (when the given unit disagrees with the file).
    Raises UnitsRequiredError, about the ``units`` setting, when neither says.
    """
    if stated is not None:
        if given is not None and given != stated:
            return stated, (f"the weight unit given ({given}) was ignored: the '{column}' column says {stated}",)
        return stated, ()
    if given is None:
        raise UnitsRequiredError(
            f"{name} does not say whether weights are kg or lb (its '{column}' column has no unit); "
            "say which of the two it uses",
            settings=("units",),
        )
    return given, ()


@dataclass
class RowProblems:
    """Rows skipped while reading, grouped by reason, turned into one warning per reason."""

    by_reason: dict[str, list[int]] = field(default_factory=dict)

    def skip(self, reason: str, line: int) -> None:
        self.by_reason.setdefault(reason, []).append(line)

    @property
    def count(self) -> int:
        return sum(len(lines) for lines in self.by_reason.values())

    def warnings(self) -> tuple[str, ...]:
        out = []
        for reason, lines in self.by_reason.items():
            shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
            out.append(f"skipped {len(lines)} row(s) {reason} (line {shown})")
        return tuple(out)


@dataclass(frozen=True)
class ParsedSets:
    """What an app reader hands back to the dispatcher before it becomes a StrengthLog."""

    sets: tuple[LiftSet, ...]
    warnings: tuple[str, ...] = ()
    recovered_rows: int = 0
    weight_unit: str | None = None  # the unit the file's weights were written in, when it is one ("kg", "lb", "st")


def column_index(header: Sequence[str]) -> dict[str, int]:
    """Header name (case-folded, trimmed) -> position; the first occurrence wins."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip().casefold(), i)
    return index


def missing_columns(index: dict[str, int], required: Sequence[str]) -> list[str]:
    return [c for c in required if c.casefold() not in index]


def require_columns(index: dict[str, int], required: Sequence[str], name: str, app: str) -> None:
    """LogFormatError naming the columns an app's export must have but this file lacks."""
    missing = missing_columns(index, required)
    if missing:
        raise LogFormatError(f"{name} looks like a {app} export but has no {', '.join(missing)} column")


def chronological(sets: list[LiftSet]) -> tuple[LiftSet, ...]:
    """Oldest first (a stable sort, so file order survives within a session) and numbered.

    Hevy writes newest workouts first; Strong and FitNotes oldest first. After
    sorting, ``set_index`` is the 1-based position of a set within its exercise in
    its session (the workout's start; the exercise name compared as the store's
    set identity compares it), in file order, warm-ups included. That one rule works for every
    app, including Strong rows whose Set Order is "WARM_UP" instead of a number
    and FitNotes, which has no set number at all.
    """
    ordered = sorted(sets, key=lambda s: (s.performed_on, s.started_at or dt.datetime.min))
    counters: dict[tuple[object, ...], int] = {}
    numbered = []
    for s in ordered:
        key = (s.performed_on, s.started_at, " ".join(s.exercise.split()).casefold())
        counters[key] = counters.get(key, 0) + 1
        numbered.append(dataclasses.replace(s, set_index=counters[key]))
    return tuple(numbered)


def too_broken(problems: RowProblems, kept: int, name: str) -> None:
    """Refuse a file where most rows were unreadable: that is not a partial read but a wrong file."""
    if problems.count > 10 and problems.count > kept:
        first = next(iter(problems.by_reason))
        raise LogFormatError(
            f"{name}: {problems.count} of {problems.count + kept} rows are unreadable ({first}); "
            "is this an unmodified export?"
        )
