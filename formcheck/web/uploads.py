"""Uploads: streamed to disk under server-chosen names, limited in size, then checked by content.

Why not ``await request.form()``: Starlette would spool every file to a
temporary file *before* any limit is applied, so a 50 GB body would fill the
disk before it could be refused.  Here the multipart stream is parsed as it
arrives (python-multipart, the parser Starlette itself uses) and written in
chunks straight into the job's staging folder; the byte count is checked on
every chunk and the request is refused the moment it passes the limit.

A file's name as sent by the browser is only ever *shown* (cleaned of folders
and control characters); on disk it is ``video-1.upload`` until its content
says what it is (a video container PyAV can open, a GPX/FIT/TCX track, a
Strong/Hevy/FitNotes CSV, a TOML questionnaire), and then gets the extension of
what it really is.  A file whose content is not what its field asks for is
refused with the engine's own sentence, worded for the web.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import anyio
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from formcheck.errors import FormcheckError, UnitsRequiredError
from formcheck.web.wording import for_web

FILE_FIELDS = ("video", "runs", "lifts", "answers")
MAX_FILES = 20
MAX_FIELDS = 200
MAX_FIELD_BYTES = 64 * 1024
_VIDEO_EXT = {"mov": ".mp4", "mp4": ".mp4", "avi": ".avi", "matroska": ".mkv", "webm": ".webm"}


class UploadError(Exception):
    """A request the client must fix: ``status`` (400 or 413) and one sentence."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Upload:
    """One file part written to disk: its field, the server's path and the name the runner gave."""

    kind: str
    path: Path
    shown: str
    size: int = 0
    format: str = ""
    frames: int = 0  # a video's frame count, for "frame i of n" while it is analysed


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def shown_name(raw: str) -> str:
    """A file name fit to show: the last path component, printable, at most 120 characters."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:120] or "upload"


class _Parts:
    """python-multipart callbacks: headers per part, file data into files, text fields into memory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.received = Received()
        self._headers: dict[bytes, bytes] = {}
        self._name = b""
        self._value = b""
        self._field: str | None = None
        self._text: bytearray | None = None
        self._file: BinaryIO | None = None
        self._upload: Upload | None = None
        self._counts: dict[str, int] = {}

    def callbacks(self) -> dict[str, Any]:
        return {"on_part_begin": self._begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._data, "on_part_end": self._end}  # fmt: skip

    def _begin(self) -> None:
        self._headers, self._name, self._value = {}, b"", b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name, self._value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.received.fields) >= MAX_FIELDS:
                raise UploadError(f"too many form fields (at most {MAX_FIELDS}).")
            self._field, self._text = name, bytearray()
            return
        if name not in FILE_FIELDS:
            raise UploadError(f"unknown file field {name!r}: files go in video, runs, lifts or answers.")
        if len(self.received.files) >= MAX_FILES:
            raise UploadError(f"too many files (at most {MAX_FILES} in one check).")
        number = self._counts[name] = self._counts.get(name, 0) + 1
        path = self.folder / f"{name}-{number}.upload"  # the server's name; the sent one is only shown
        shown = shown_name(options[b"filename"].decode("utf-8", "replace"))
        self._upload = Upload(name, path, shown if options[b"filename"] else "")
        self._file = open(path, "wb")  # noqa: SIM115 - closed in _end or by close()

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None and self._upload is not None:
            self._file.write(data[start:end])
            self._upload.size += end - start
        elif self._text is not None:
            self._text += data[start:end]
            if len(self._text) > MAX_FIELD_BYTES:
                raise UploadError(f"the form field {self._field!r} is longer than {MAX_FIELD_BYTES // 1024} KB.")

    def _end(self) -> None:
        if self._file is not None and self._upload is not None:
            self._file.close()
            self._file = None
            if self._upload.size == 0 and not self._upload.shown:
                self._upload.path.unlink(missing_ok=True)  # a file input left empty: browsers still send the part
                self._counts[self._upload.kind] -= 1
            else:
                self.received.files.append(self._upload)
            self._upload = None
        elif self._text is not None and self._field is not None:
            value = self._text.decode("utf-8", "replace")
            earlier = self.received.fields.get(self._field)  # checkboxes send one part per ticked box
            self.received.fields[self._field] = value if earlier is None else f"{earlier},{value}"
            self._field, self._text = None, None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def _urlencoded(request: Request) -> Received:
    """A questionnaire-only check sent as a plain form: small, read whole (at most 1 MB)."""
    from urllib.parse import parse_qsl

    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > 1024 * 1024:
            raise UploadError("a form without files is at most 1 MB; send files as multipart/form-data.", 413)
    received = Received()
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    for key, value in pairs:
        earlier = received.fields.get(key)
        received.fields[key] = value if earlier is None else f"{earlier},{value}"
    return received


async def receive(request: Request, folder: Path, limit_bytes: int) -> Received:
    """Stream the multipart body of ``request`` into ``folder``; UploadError (413) past ``limit_bytes``."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type == b"application/x-www-form-urlencoded":
        try:
            return await _urlencoded(request)
        except ValueError:  # parse_qsl: more than MAX_FIELDS fields
            raise UploadError(f"too many form fields (at most {MAX_FIELDS}).") from None
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError("send the check as multipart/form-data (a form with files).", 415)
    too_big = f"the upload is larger than this server's limit of {limit_bytes / 2**20:g} MB."
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit_bytes + 64 * 1024:
        raise UploadError(too_big, 413)
    parts = _Parts(folder)
    parser = MultipartParser(params[b"boundary"], parts.callbacks())  # type: ignore[arg-type]
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit_bytes + 64 * 1024:  # files plus a little room for the form's own fields
                raise UploadError(too_big, 413)
            if chunk:
                await anyio.to_thread.run_sync(parser.write, chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as error:  # python-multipart's MultipartParseError and friends: a malformed body
        raise UploadError(f"the form could not be read ({type(error).__name__}); send it again.") from None
    finally:
        parts.close()
    if sum(upload.size for upload in parts.received.files) > limit_bytes:
        raise UploadError(too_big, 413)
    return parts.received


def check_upload(upload: Upload, units: str | None, hide: str | None = None) -> None:
    """Check one file by its content and rename it to what it is; UploadError with the reason otherwise."""
    name = upload.shown or f"the {upload.kind} file"
    if upload.size == 0:
        raise UploadError(f"{name} is empty (0 bytes): choose the file again.")
    names = {str(upload.path): name, upload.path.name: name}
    try:
        if upload.kind == "video":
            ext, upload.format, upload.frames = _video_kind(upload.path)
        elif upload.kind == "answers":
            from formcheck.answers.load import load_answers

            load_answers(upload.path)
            ext, upload.format = ".toml", "toml"
        else:
            ext, upload.format = _log_kind(upload, units, name)
    except UnitsRequiredError as error:
        raise UploadError(for_web(error, names, hide)) from None
    except FormcheckError as error:
        raise UploadError(for_web(error, names, hide)) from None
    final = upload.path.with_suffix(ext)
    upload.path.rename(final)
    upload.path = final


def _video_kind(path: Path) -> tuple[str, str, int]:
    import av

    from formcheck.video.probe import probe_video

    info = probe_video(path)  # a real, decodable video stream of an acceptable length, or VideoError
    with av.open(str(path)) as container:
        formats = container.format.name.split(",")
    return next((_VIDEO_EXT[f] for f in formats if f in _VIDEO_EXT), ".video"), formats[0], info.frames


def _log_kind(upload: Upload, units: str | None, name: str) -> tuple[str, str]:
    from formcheck.batch.discover import looks_like_video
    from formcheck.logs import read_log

    with upload.path.open("rb") as handle:
        if looks_like_video(handle.read(16)):  # a clip in the wrong field: say where it belongs, not "binary file"
            what = "run (GPX, FIT or TCX)" if upload.kind == "runs" else "lift export"
            raise UploadError(f"{name} is a video, not a {what}: add it under videos.")
    parsed = read_log(upload.path, units=units)
    if upload.kind == "runs" and parsed.kind != "track":
        raise UploadError(f"{name} is a {parsed.format.title()} strength export, not a run: add it under lifts.")
    if upload.kind == "lifts" and parsed.kind == "track":
        raise UploadError(f"{name} is a {parsed.format.upper()} activity, not a lift export: add it under runs.")
    ext = {"gpx": ".gpx", "fit": ".fit", "tcx": ".tcx"}.get(parsed.format, ".csv")
    return ext, parsed.format
