"""Which files a batch analyses, and for whom: a folder walked by content, or a manifest CSV.

Why content and not extension: phones and transfer tools name clips ``IMG_0042``,
``.MOV``, ``.3gp`` or nothing at all, while a folder collected from many runners
also holds notes, thumbnails and ``.DS_Store``. A 16-byte sniff of the container
signature (ISO-BMFF ``ftyp``, RIFF AVI, Matroska/WebM, MPEG-PS/TS, FLV, ASF) finds
videos whatever their name and costs one small read a file, so a folder of
thousands is listed in a second. A file *named* like a video that is not one
(a text file called ``.mp4``) is still listed, so the batch reports it as a
failure instead of silently skipping what the user meant to be a clip.

The runner of a clip is the first folder level under the batch folder
(``clips/anna/2026-11-02.mp4`` -> ``anna``; clips directly in the folder belong
to the default runner) or, for a manifest, its ``runner`` column.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from formcheck.dates import date_problem
from formcheck.errors import InputFileError, UsageError
from formcheck.heights import height_problem
from formcheck.store.api import DEFAULT_RUNNER
from formcheck.store.names import runner_name_problem

log = logging.getLogger(__name__)

VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp", ".mts", ".m2ts", ".ts",
                              ".mpg", ".mpeg", ".wmv", ".flv"})  # fmt: skip
"""Names a user means as videos: listed even when the bytes say otherwise (then reported as failed)."""
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


@dataclass(frozen=True)
class BatchItem:
    """One clip to analyse: where it is, whose it is, the day it shows and the runner's height if known."""

    path: Path
    runner: str
    relative: str  # path as shown to the user (relative to the folder or manifest)
    recorded_on: dt.date | None = None
    height_cm: float | None = None


def looks_like_video(head: bytes) -> bool:
    """True when the first bytes of a file carry a video container signature."""
    if len(head) >= 8 and head[4:8] in _ISO_BOXES:
        return True
    if head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX"):
        return True
    if head[:4] in (b"\x1a\x45\xdf\xa3", b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return True
    if head[:3] == b"FLV" or head[:4] == b"\x30\x26\xb2\x75":
        return True
    return False


def _is_ts(path: Path) -> bool:
    """MPEG transport streams have no header, only a sync byte every 188 bytes."""
    try:
        with path.open("rb") as handle:
            data = handle.read(188 * 3 + 1)
    except OSError:
        return False
    return len(data) > 376 and all(data[i] == 0x47 for i in (0, 188, 376))


def is_candidate(path: Path) -> bool:
    """A file to list: a video by its bytes, or a file named like one (reported later if it is not)."""
    if path.suffix.lower() in VIDEO_EXTENSIONS:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return looks_like_video(head) or _is_ts(path)


def _runner_of(relative: Path) -> str:
    """The runner a clip's first folder names (the default runner's for a clip at the top), checked as a name."""
    if len(relative.parts) <= 1:
        return DEFAULT_RUNNER
    folder = relative.parts[0]
    if problem := runner_name_problem(folder):
        raise InputFileError(f"the folder {folder!r} cannot name a runner: the name {problem}; rename the folder "
                             "or list the clips in a manifest CSV with a runner column.")  # fmt: skip
    return folder


def discover_folder(root: Path) -> list[BatchItem]:
    """Every candidate video under ``root`` (hidden files and folders skipped), sorted by path."""
    items: list[BatchItem] = []
    seen: set[tuple[int, int]] = set()  # linked folders are followed, but a link loop is walked once
    for folder, dirs, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or not path.is_file() or not is_candidate(path):
                continue
            relative = path.relative_to(root)
            items.append(BatchItem(path=path, runner=_runner_of(relative), relative=relative.as_posix()))
    return items


def _parse_date(text: str, where: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputFileError(f"{where}: date {text!r} is not a date like 2026-11-02.") from None
    if problem := date_problem(day):
        raise InputFileError(f"{where}: the date {day} {problem}: give the day the clip was filmed.")
    return day


def _parse_height(text: str, where: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputFileError(f"{where}: height_cm {text!r} is not a number of centimetres.") from None
    if problem := height_problem(value):
        raise InputFileError(f"{where}: height_cm {value:g} {problem}.")
    return value


def _manifest_path(text: str, base: Path, where: str) -> Path:
    """A manifest row's clip path (relative ones from the manifest's folder), or a one-line error about it."""
    if not text:
        raise InputFileError(f"{where}: the path is empty.")
    if "\x00" in text:
        raise InputFileError(f"{where}: the path holds a NUL character; no file can have that name.")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~user of an unknown user
        raise InputFileError(f"{where}: the path {text!r} starts with ~ but names no user here; "
                             "give the full path.") from None  # fmt: skip
    path = path if path.is_absolute() else base / path
    if path.is_dir():
        raise InputFileError(f"{where}: {text} is a folder, not a video; give the path of a clip.")
    return path


def read_manifest(manifest: Path, runner_from: str = "column") -> list[BatchItem]:
    """The clips a manifest CSV lists (columns ``path``, ``runner``, ``date``, optional ``height_cm``).

    Relative paths are relative to the manifest's folder. Every row is checked here,
    at the boundary, so a typo fails before any video is analysed. A row that repeats an
    earlier one (the same file for the same runner, however the path is spelled) is
    dropped with a warning: analysed twice, the two copies would race for one folder.
    """
    base = manifest.parent
    try:
        with manifest.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    except UnicodeDecodeError:
        raise InputFileError(f"the manifest {manifest} is not UTF-8 text: save it as \"CSV UTF-8\" (a spreadsheet's "
                             "CSV export) and run the batch again.") from None  # fmt: skip
    except (OSError, csv.Error) as error:
        raise InputFileError(f"cannot read the manifest {manifest}: {error}") from None
    needed = {"path"} | ({"runner"} if runner_from == "column" else set())
    if runner_from == "folder" and "runner" in fields:
        log.warning("%s: its runner column is not used: the runner of each clip is its folder (--runner-from folder)",
                    manifest.name)  # fmt: skip
    if not needed <= set(fields):
        raise InputFileError(f"the manifest {manifest} needs the columns {', '.join(sorted(needed))} "
                             f"(it has {', '.join(fields) or 'none'}).")  # fmt: skip
    items: list[BatchItem] = []
    first_line: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(rows, start=2):
        where = f"{manifest.name} line {number}"
        if None in raw:  # csv.DictReader files the fields beyond the header under None
            raise InputFileError(f"{where}: more fields than the header's {len(fields)} columns; a comma inside a "
                                 'value needs the value in double quotes ("Smith, Anna").')  # fmt: skip
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        path = _manifest_path(row.get("path", ""), base, where)
        if runner_from == "column":
            runner = row.get("runner") or ""
            if problem := runner_name_problem(runner):
                raise InputFileError(f"{where}: the runner {problem}.")
        else:
            relative = Path(os.path.relpath(path, base))
            runner = DEFAULT_RUNNER if relative.parts[:1] == ("..",) else _runner_of(relative)
        item = BatchItem(path=path, runner=runner, relative=row["path"],
                         recorded_on=_parse_date(row.get("date", ""), where),
                         height_cm=_parse_height(row.get("height_cm", ""), where))  # fmt: skip
        same = first_line.setdefault((runner, os.path.realpath(path)), number)
        if same != number:
            log.warning("%s repeats line %d (%s for %s): analysed once", where, same, row["path"], runner)
            continue
        items.append(item)
    return items


def discover(source: Path, runner_from: str | None = None) -> list[BatchItem]:
    """The batch's clips from a folder or a ``.csv`` manifest; ``runner_from`` defaults to what fits the source."""
    if not source.exists():
        raise InputFileError(f"{source} does not exist: give a folder of videos or a manifest CSV.")
    if source.is_dir():
        if runner_from == "column":
            raise UsageError("the runner can come from a column only with a manifest CSV, not a folder.")
        return discover_folder(source)
    if source.suffix.lower() != ".csv":
        raise InputFileError(f"{source} is neither a folder nor a manifest .csv: give a folder of videos or a CSV "
                             "with path and runner columns.")  # fmt: skip
    return read_manifest(source, runner_from or "column")
