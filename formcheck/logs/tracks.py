"""``read_track``: one entry point for GPX, FIT and TCX, chosen by the file's content.

File names lie (a ``.gpx`` saved from a browser may be an HTML error page, a
Garmin export may have lost its extension), so the format is sniffed from the
bytes: the ".FIT" header magic, or the root element of the XML (``gpx`` or
``TrainingCenterDatabase``).  Anything else is refused with one sentence that
says what the file is not and what to do.
"""

from __future__ import annotations

from pathlib import Path

from formcheck.errors import LogFormatError
from formcheck.logs.fit import is_fit, read_fit
from formcheck.logs.gpx import read_gpx
from formcheck.logs.progress import ProgressCallback
from formcheck.logs.records import Run
from formcheck.logs.tcx import local_name, parse_xml, read_tcx
from formcheck.logs.track_common import check_readable


def sniff_format(path: str | Path) -> str:
    """"fit", "gpx" or "tcx" from the file's content; LogFormatError/InputFileError otherwise."""
    p, data = check_readable(path)
    if is_fit(data[:14]):
        return "fit"
    head = data.lstrip()[:1]
    if head == b"<" or data.startswith(b"\xef\xbb\xbf"):
        root = parse_xml(data, p)
        name = local_name(root)
        if name == "gpx":
            return "gpx"
        if name == "TrainingCenterDatabase":
            return "tcx"
        raise LogFormatError(
            f"{p} is not a GPX, FIT or TCX file: it is XML with root <{name}>. "
            f"Export the activity as GPX, FIT or TCX from the watch or app."
        )
    raise LogFormatError(
        f"{p} is not a GPX, FIT or TCX file: its content starts with {data[:8]!r}. "
        f"Export the activity as GPX, FIT or TCX from the watch or app."
    )


_READERS = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}


def read_track(path: str | Path, *, progress: ProgressCallback | None = None) -> list[Run]:
    """Read a GPX, FIT or TCX file into Runs (most files hold one; a GPX may hold several tracks).

    ``progress`` is called with the fraction done (increasing, ending at 1.0).
    """
    return _READERS[sniff_format(path)](path, progress=progress)
