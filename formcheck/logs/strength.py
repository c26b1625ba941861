"""Strong, Hevy and FitNotes CSV exports: from a file's bytes to a :class:`StrengthLog`.

The app is recognised from the header line, never from the file name, because
users rename exports ("workouts.csv") and the three apps' headers do not
overlap. This module decodes the bytes, chooses the app reader and turns
"nothing readable" into one clear :class:`LogFormatError`; the path, the hash
and the plausibility of the sets are checked once, in
:mod:`formcheck.logs.boundary`. The app modules (``strength_strong``,
``strength_hevy``, ``strength_fitnotes``) only map columns to
:class:`~formcheck.logs.records.LiftSet`.

Times: Strong and Hevy write wall-clock times without a zone; ``started_at``
is therefore a naive local datetime (FitNotes: None, date only).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from formcheck.errors import LogFormatError
from formcheck.logs import strength_fitnotes, strength_hevy, strength_strong
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import StrengthLog
from formcheck.logs.strength_csv import decode_text, has_data_rows, normalise_units, sniff_header

__all__ = ["detect_app", "parse_strength", "sniff_app"]

_READERS: tuple[ModuleType, ...] = (strength_strong, strength_hevy, strength_fitnotes)


def detect_app(header: Sequence[str]) -> ModuleType | None:
    """The reader module whose header signature matches, or None."""
    return next((reader for reader in _READERS if reader.matches(header)), None)


def sniff_app(data: bytes) -> str | None:
    """"strong", "hevy" or "fitnotes" when the first line is that app's header, else None (never raises)."""
    head = data[:4096]
    if b"\x00" in head:
        return None
    text = head.decode("utf-8-sig", errors="replace")
    header, _ = sniff_header(text)
    reader = detect_app(header)
    return None if reader is None else str(reader.APP)


def parse_strength(
    data: bytes, name: str, units: object = None, *, progress: ProgressCallback | None = None
) -> StrengthLog:
    """A Strong, Hevy or FitNotes export's bytes as a StrengthLog, weights in kg, oldest set first.

    ``units`` ("kg" or "lb") is used only where the file does not state its unit
    (older Strong exports); without it such a file raises UnitsRequiredError.
    Rows that cannot be read are skipped and described in ``warnings``.
    ``progress`` is called with the fraction of the rows read, ending at 1.0.
    """
    tick = Ticker(progress)
    unit = normalise_units(units)
    if not data.strip():
        raise LogFormatError(f"{name} is empty: it has no sets; export the workouts from the app again")
    text, decode_warnings = decode_text(data, name)
    header, delimiter = sniff_header(text)
    reader = detect_app(header)
    if reader is None:
        shown = ",".join(header[:4])[:80] if header else text[:40]
        raise LogFormatError(
            f"{name} is not a Strong, Hevy or FitNotes export: header starts with {shown!r}"
        )
    if not has_data_rows(text):
        raise LogFormatError(f"{name} is a {reader.APP.title()} export with a header but no rows: it has no sets; "
                             "export again once workouts are logged")
    parsed = reader.parse(text, delimiter, header, unit, name, tick if tick.active else None)
    if not parsed.sets:
        detail = "; ".join(parsed.warnings) or "no readable rows"
        raise LogFormatError(f"{name} has no sets that could be read ({detail})")
    tick.done()
    return StrengthLog(
        app=reader.APP,
        sets=parsed.sets,
        recovered_rows=parsed.recovered_rows,
        warnings=decode_warnings + parsed.warnings,
        weight_unit=parsed.weight_unit,
    )
