"""``read_strength``: one entry point for Strong, Hevy and FitNotes CSV exports.

The app is recognised from the header line, never from the file name, because
users rename exports ("workouts.csv") and the three apps' headers do not
overlap. This module owns the boundary: the path check, reading bytes once
(hashed, so a re-import can be recognised), decoding, choosing the app reader,
and turning "nothing readable" into one clear :class:`LogFormatError`. The app
modules (``strength_strong``, ``strength_hevy``, ``strength_fitnotes``) only
map columns to :class:`~formcheck.logs.records.LiftSet`.

Times: Strong and Hevy write wall-clock times without a zone; ``started_at``
is therefore a naive local datetime (FitNotes: None, date only).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from types import ModuleType

from formcheck.errors import InputFileError, LogFormatError
from formcheck.logs import strength_fitnotes, strength_hevy, strength_strong
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import StrengthLog
from formcheck.logs.strength_csv import decode_text, has_data_rows, normalise_units, sniff_header

__all__ = ["read_strength", "detect_app"]

log = logging.getLogger(__name__)

_READERS: tuple[ModuleType, ...] = (strength_strong, strength_hevy, strength_fitnotes)
MAX_BYTES = 200 * 1024 * 1024  # a decade of daily logging is a few MB; more is not an export


def detect_app(header: list[str]) -> ModuleType | None:
    """The reader module whose header signature matches, or None."""
    return next((reader for reader in _READERS if reader.matches(header)), None)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputFileError(f"{path} does not exist")
    if path.is_dir():
        raise InputFileError(f"{path} is a directory, not a CSV export")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError(f"{path} is {size // 2**20} MB, too large for a strength export")
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path} cannot be read: {exc.strerror or exc}") from None


def read_strength(path: str | Path, units: object = None, *, progress: ProgressCallback | None = None) -> StrengthLog:
    """Read a Strong, Hevy or FitNotes export into a StrengthLog, weights in kg, oldest set first.

    ``units`` ("kg" or "lb") is used only where the file does not state its unit
    (older Strong exports); without it such a file raises UnitsRequiredError.
    Rows that cannot be read are skipped and described in ``warnings``.
    ``progress`` is called with the fraction of the rows read, ending at 1.0.
    """
    tick = Ticker(progress)
    p = Path(path)
    unit = normalise_units(units)
    data = _read_bytes(p)
    name = p.name
    if not data.strip():
        raise LogFormatError(f"{name} is empty: it has no sets")
    text, decode_warnings = decode_text(data, name)
    header, delimiter = sniff_header(text)
    reader = detect_app(header)
    if reader is None:
        shown = ",".join(header[:4])[:80] if header else text[:40]
        raise LogFormatError(
            f"{name} is not a Strong, Hevy or FitNotes export: header starts with {shown!r}"
        )
    if not has_data_rows(text):
        raise LogFormatError(f"{name} is a {reader.APP.title()} export with a header but no rows: it has no sets")
    parsed = reader.parse(text, delimiter, header, unit, name, tick if tick.active else None)
    if not parsed.sets:
        detail = "; ".join(parsed.warnings) or "no readable rows"
        raise LogFormatError(f"{name} has no sets that could be read ({detail})")
    warnings = decode_warnings + parsed.warnings
    for warning in warnings:
        log.warning("%s: %s", name, warning)
    tick.done()
    return StrengthLog(
        app=reader.APP,
        sets=parsed.sets,
        source_path=str(p),
        source_sha256=hashlib.sha256(data).hexdigest(),
        recovered_rows=parsed.recovered_rows,
        warnings=warnings,
    )
