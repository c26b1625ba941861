"""File-level import: decide what a file is, read it with the right reader, store it.

Detection follows the content, not the name: the track reader's own sniffing
(FIT header magic, GPX/TCX XML root) is tried first; a file it rejects goes
to the strength reader (Strong/Hevy/FitNotes header) unless its name says it
is a track (``.gpx``/``.fit``/``.tcx``), in which case the track reader's
error is the useful one ("run.fit is not a GPX, FIT or TCX file: its content
starts with b'\\xff\\xd8\\xff...'" for a JPEG).

Reading happens before the transaction is opened and writing is one
transaction per file (``Store.import_*``), so a file that fails to parse or
to store leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import InputFileError, LogFormatError
from formcheck.logs.records import Run, StrengthLog
from formcheck.store.api import DEFAULT_RUNNER, Store
from formcheck.store.importing import ImportReport, SourceInfo

TRACK_SUFFIXES = frozenset({".gpx", ".fit", ".tcx"})


@dataclass(frozen=True)
class ParsedFile:
    """A file read into records, before anything is stored."""

    path: str
    kind: str  # "track" | "strength"
    format: str
    sha256: str
    runs: tuple[Run, ...] = ()
    strength: StrengthLog | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise InputFileError(f"{path} cannot be read ({error.strerror}).") from error
    return digest.hexdigest()


def read_file(
    path: str | Path, units: str | None = None, *, progress: "Callable[[float], None] | None" = None
) -> ParsedFile:
    """Read a track or strength file, detected by content (see the module docstring).

    ``progress`` is handed to the reader: it is called with the fraction read, ending at 1.0.
    """
    from formcheck.logs.strength import read_strength
    from formcheck.logs.tracks import read_track, sniff_format

    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p} does not exist: check the path.")
    if p.is_dir():
        raise InputFileError(f"{p} is a directory: give the files inside it (e.g. {p}/*.fit).")
    try:
        track_format: str | None = sniff_format(p)
    except LogFormatError:
        if p.suffix.lower() in TRACK_SUFFIXES:
            raise
        track_format = None
    if track_format is not None:
        runs = tuple(read_track(p, progress=progress))
        if not runs:
            raise LogFormatError(f"{p} holds no activity: export the run again from the watch or app.")
        return ParsedFile(str(p), "track", track_format, _sha256(p), runs=runs)
    log = read_strength(p, units=units, progress=progress)
    return ParsedFile(str(p), "strength", log.app, _sha256(p), strength=log)


def store_parsed(store: Store, parsed: ParsedFile, runner: str = DEFAULT_RUNNER) -> ImportReport:
    """Write one parsed file in one transaction."""
    source = SourceInfo(sha256=parsed.sha256, path=str(Path(parsed.path).resolve()), format=parsed.format)
    if parsed.kind == "track":
        report = store.import_runs(parsed.runs, source, runner=runner)
    else:
        assert parsed.strength is not None
        report = store.import_strength(parsed.strength, source, runner=runner)
    # Report the path as the user gave it, not the resolved one kept in the store.
    from dataclasses import replace

    return replace(report, path=parsed.path)


def import_file(store: Store, path: str | Path, runner: str = DEFAULT_RUNNER, units: str | None = None) -> ImportReport:
    """Read ``path`` and store it for ``runner``; all of the file or, on error, nothing."""
    return store_parsed(store, read_file(path, units=units), runner=runner)
