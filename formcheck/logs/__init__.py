"""Training-log readers: GPX/FIT/TCX tracks and Strong/Hevy/FitNotes strength exports.

Two entry points, both detecting the format from the content, not the file name:

* ``read_track(path) -> list[Run]`` (``formcheck.logs.tracks``)
* ``read_strength(path, units=None) -> StrengthLog`` (``formcheck.logs.strength``)

Readers raise ``formcheck.errors.LogFormatError`` (or a subclass) and never print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from formcheck.logs.records import LiftSet, Run, SetKind, Segment, Sport, StrengthLog, TrackPoint

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = [
    "LiftSet",
    "Run",
    "Segment",
    "SetKind",
    "Sport",
    "StrengthLog",
    "TrackPoint",
    "read_strength",
    "read_track",
]


def read_track(path: "str | Path", *, progress: "Callable[[float], None] | None" = None) -> list[Run]:
    """Read a GPX, FIT or TCX file into runs (lazy import keeps CLI start-up fast).

    ``progress``, if given, is called with the fraction read (increasing, ending at 1.0).
    """
    from formcheck.logs.tracks import read_track as _read_track

    return _read_track(path, progress=progress)


def read_strength(
    path: "str | Path", units: Any = None, *, progress: "Callable[[float], None] | None" = None
) -> StrengthLog:
    """Read a Strong, Hevy or FitNotes CSV export (format from the header); ``progress`` as for read_track."""
    from formcheck.logs.strength import read_strength as _read_strength

    return _read_strength(path, units=units, progress=progress)
