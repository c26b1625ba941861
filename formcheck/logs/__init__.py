"""Training-log readers: GPX/FIT/TCX tracks and Strong/Hevy/FitNotes strength exports.

One entry point, :func:`read_log` (``formcheck.logs.boundary``): it checks the
path, reads the bytes once, hashes them once, sniffs the format from the
content once, hands bytes and a name to the typed reader, and applies the
plausibility bounds (``bounds.toml``) to every record. ``read_track`` and
``read_strength`` are the same read, narrowed to one kind of file.

Readers raise ``formcheck.errors.LogFormatError`` (or a subclass) or
``InputFileError`` and never print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from formcheck.logs.records import LiftSet, ParsedLog, Run, SetKind, Segment, Sport, StrengthLog, TrackPoint

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable
    from pathlib import Path

__all__ = [
    "LiftSet",
    "ParsedLog",
    "Run",
    "Segment",
    "SetKind",
    "Sport",
    "StrengthLog",
    "TrackPoint",
    "read_log",
    "read_strength",
    "read_track",
]


def read_log(
    path: "str | Path",
    *,
    units: Any = None,
    progress: "Callable[[float], None] | None" = None,
    expect: str | None = None,
    now: "dt.datetime | None" = None,
) -> ParsedLog:
    """Read any training-log file (format from its content) into plausible typed records.

    See :func:`formcheck.logs.boundary.read_log`; ``expect`` ("track"/"strength") refuses the other kind.
    """
    from formcheck.logs.boundary import read_log as _read_log

    return _read_log(path, units=units, progress=progress, expect=expect, now=now)


def read_track(path: "str | Path", *, progress: "Callable[[float], None] | None" = None) -> list[Run]:
    """Read a GPX, FIT or TCX file into runs; ``progress`` gets the fraction read, ending at 1.0."""
    parsed = read_log(path, progress=progress, expect="track")
    if parsed.warnings:
        from dataclasses import replace

        return [replace(r, warnings=r.warnings + parsed.warnings) for r in parsed.runs]
    return list(parsed.runs)


def read_strength(
    path: "str | Path", units: Any = None, *, progress: "Callable[[float], None] | None" = None
) -> StrengthLog:
    """Read a Strong, Hevy or FitNotes CSV export (format from the header); ``progress`` as for read_track."""
    parsed = read_log(path, units=units, progress=progress, expect="strength")
    assert parsed.strength is not None
    log = parsed.strength
    if parsed.warnings:
        from dataclasses import replace

        log = replace(log, warnings=log.warnings + parsed.warnings)
    return log
