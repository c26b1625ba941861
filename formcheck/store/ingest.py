"""File-level import: read a file through the logs boundary, then store its records.

Reading (path, bytes, hash, format, plausibility) happens once, in
:func:`formcheck.logs.read_log`; this module only hands the typed result to
the store.  Reading happens before the transaction is opened and writing is
one transaction per file (``Store.import_*``), so a file that fails to parse
or to store leaves the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from formcheck.logs import read_log
from formcheck.logs.records import ParsedLog
from formcheck.store.api import DEFAULT_RUNNER, Store
from formcheck.store.importing import ImportReport, SourceInfo

__all__ = ["ParsedFile", "import_file", "read_file", "store_parsed"]

ParsedFile = ParsedLog  # the name this module used before the logs had one boundary


def read_file(
    path: str | Path, units: str | None = None, *, progress: "Callable[[float], None] | None" = None
) -> ParsedLog:
    """Read a track or strength file (see :func:`formcheck.logs.read_log`)."""
    return read_log(path, units=units, progress=progress)


def store_parsed(store: Store, parsed: ParsedLog, runner: str = DEFAULT_RUNNER) -> ImportReport:
    """Write one parsed file in one transaction."""
    source = SourceInfo(sha256=parsed.sha256, path=str(Path(parsed.path).resolve()), format=parsed.format)
    if parsed.kind == "track":
        report = store.import_runs(parsed.runs, source, runner=runner)
    else:
        assert parsed.strength is not None
        report = store.import_strength(parsed.strength, source, runner=runner)
    # Report the path as the user gave it (not the resolved one kept in the store), and what the bounds dropped.
    return replace(report, path=parsed.path, warnings=report.warnings + parsed.warnings, dropped=parsed.dropped)


def import_file(store: Store, path: str | Path, runner: str = DEFAULT_RUNNER, units: str | None = None) -> ImportReport:
    """Read ``path`` and store it for ``runner``; all of the file or, on error, nothing."""
    return store_parsed(store, read_file(path, units=units), runner=runner)
