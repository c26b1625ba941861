"""``read_log(path)``: the one way a training-log file comes in.

Everything about a file is checked once, here, in this order:

1. the path (exists, is a file, readable, not absurdly large) -> InputFileError;
2. the bytes, read once, and their SHA-256, computed once (imports are
   idempotent by it);
3. the format, sniffed once from the content, never the name: the ".FIT"
   header magic, the XML root element (``gpx`` / ``TrainingCenterDatabase``),
   or a Strong/Hevy/FitNotes header line;
4. the typed reader for that format, which takes bytes and a name (as gpxpy
   and fitdecode do) and returns records;
5. the plausibility bounds (:mod:`formcheck.logs.plausibility`), applied to
   every record of every reader: impossible records are dropped and counted in
   one warning, a file of mostly impossible records is refused.

Readers below this point trust their input's provenance and never open files;
code after it (the store, the context features) trusts the records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import replace
from pathlib import Path

from formcheck.errors import InputFileError, LogFormatError
from formcheck.logs import plausibility
from formcheck.logs.progress import ProgressCallback, Ticker
from formcheck.logs.records import ParsedLog
from formcheck.paths import regular_file

__all__ = ["MAX_BYTES", "TRACK_FORMATS", "TRACK_SUFFIXES", "read_log", "sniff_format"]

MAX_BYTES = 200 * 1024 * 1024  # a decade of daily logging or a 24 h FIT is a few MB; more is not an export
TRACK_FORMATS = frozenset({"gpx", "fit", "tcx"})
TRACK_SUFFIXES = frozenset({".gpx", ".fit", ".tcx"})
_HELP = "Export the activity as GPX, FIT or TCX, or the lifting log as a Strong, Hevy or FitNotes CSV."


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or one InputFileError/LogFormatError sentence (missing, folder, unreadable, empty)."""
    info = regular_file(path, "training-log export")
    if info.st_size > MAX_BYTES:
        raise InputFileError(f"{path} is {info.st_size // 2**20} MB, too large for a training-log export.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path} cannot be read ({exc.strerror or exc}): check its permissions.") from None
    if not data.strip():
        raise LogFormatError(f"{path.name} is empty: export it again from the watch or app.")
    return data


def _xml_root(data: bytes) -> str | None:
    """The local name of the XML root element, from the first start tag only; None if none is found."""
    from lxml import etree

    try:
        for _event, element in etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            tag = element.tag
            return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None
    except (etree.LxmlError, ValueError):
        return None
    return None


def sniff_format(data: bytes, name: str) -> str:
    """"fit", "gpx", "tcx", "strong", "hevy" or "fitnotes" from the content; LogFormatError otherwise."""
    from formcheck.logs.fit import is_fit
    from formcheck.logs.strength import sniff_app

    if is_fit(data[:14]):
        return "fit"
    suffix = Path(name).suffix.lower()
    if data.lstrip()[:1] == b"<" or data.startswith(b"\xef\xbb\xbf<"):
        root = _xml_root(data)
        if root == "gpx":
            return "gpx"
        if root == "TrainingCenterDatabase":
            return "tcx"
        if root is None:
            from formcheck.logs.tcx import parse_xml

            parse_xml(data, name)  # raises the "not well-formed XML" error with lxml's reason
        raise LogFormatError(f"{name} is not a training log: it is XML with root <{root}>. {_HELP}")
    app = sniff_app(data)
    if app is not None:
        return app
    if suffix in TRACK_SUFFIXES:
        raise LogFormatError(
            f"{name} is not a GPX, FIT or TCX file: its content starts with {data[:8]!r}. "
            f"Export the activity as GPX, FIT or TCX from the watch or app."
        )
    return "csv"  # let the strength reader say what is wrong with the header


def read_log(
    path: str | Path,
    *,
    units: object = None,
    progress: ProgressCallback | None = None,
    now: dt.datetime | None = None,
    expect: str | None = None,
) -> ParsedLog:
    """Read one training-log file into typed records that passed the plausibility bounds.

    ``units`` ("kg"/"lb") only matters for a strength export that does not say;
    ``progress`` is called with the fraction read (increasing, ending at 1.0);
    ``now`` pins "the future" for the date bound (tests); ``expect`` ("track" or
    "strength") refuses the other kind right after sniffing.
    Raises InputFileError (path), LogFormatError (content) or UnitsRequiredError.
    """
    tick = Ticker(progress)
    p = Path(path)
    data = _read_bytes(p)
    sha256 = hashlib.sha256(data).hexdigest()
    name = p.name
    fmt = sniff_format(data, name)
    kind = "track" if fmt in TRACK_FORMATS else "strength"
    if expect == "strength" and kind == "track":
        raise LogFormatError(f"{name} is a {fmt.upper()} file, not a Strong, Hevy or FitNotes export.")
    if expect == "track" and kind == "strength":
        raise LogFormatError(f"{name} is a {fmt.title()} strength export, not a GPX, FIT or TCX file.")
    bounds = plausibility.load_bounds()
    read_tick = tick
    if fmt in TRACK_FORMATS:
        from formcheck.logs.fit import read_fit
        from formcheck.logs.gpx import read_gpx
        from formcheck.logs.tcx import read_tcx

        reader = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}[fmt]
        runs = reader(data, name, progress=read_tick if read_tick.active else None)
        kept, warning, dropped = plausibility.screen(
            runs, lambda r: plausibility.run_problem(r, bounds, now), name, "activities", bounds
        )
        kept = tuple(replace(r, source_path=str(p), source_sha256=sha256) for r in kept)
        tick.done()
        return ParsedLog(
            path=str(p), kind="track", format=fmt, sha256=sha256, runs=kept,
            warnings=(warning,) if warning else (), dropped=dropped, total=len(runs),
        )
    from formcheck.logs.strength import parse_strength

    log = parse_strength(data, name, units, progress=read_tick if read_tick.active else None)
    sets, warning, dropped = plausibility.screen(
        log.sets, lambda s: plausibility.set_problem(s, bounds, now), name, "sets", bounds
    )
    log = replace(log, sets=sets, source_path=str(p), source_sha256=sha256)
    tick.done()
    return ParsedLog(
        path=str(p), kind="strength", format=log.app, sha256=sha256, strength=log,
        warnings=(warning,) if warning else (), dropped=dropped, total=len(sets) + dropped,
    )
