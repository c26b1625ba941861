"""Reading what ``analyze`` wrote for a clip, and turning pictures into ``data:`` URIs.

The report must be one file that opens offline, on a phone, years later, so
every picture is inlined.  The key frames ``analyze`` writes are full-size
PNG photographs (~0.5-0.8 MB each); inlined as they are, three clips would
make a report too heavy to mail.  They are scaled down to what a report
column shows and stored as JPEG (a photograph compresses ~10x better than
PNG at no visible loss); plots stay vector SVG.  Any file that is missing
or unreadable gives ``None`` plus a reason, never an exception: a report
with one picture missing is still a report.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_WIDTH_PX = 1100  # a desktop report column is ~900 CSS px; a phone at 3x needs no more
JPEG_QUALITY = 80


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def photo_data_uri(path: Path, max_width_px: int = MAX_IMAGE_WIDTH_PX) -> str | None:
    """A picture file as a scaled-down JPEG ``data:`` URI, or None when it cannot be read."""
    try:
        with Image.open(path) as image:
            return _jpeg_uri(image.convert("RGB"), max_width_px)
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def _jpeg_uri(image: Image.Image, max_width_px: int = MAX_IMAGE_WIDTH_PX) -> str:
    if image.width > max_width_px:
        height = round(image.height * max_width_px / image.width)
        image = image.resize((max_width_px, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return data_uri(buffer.getvalue(), "image/jpeg")


@dataclass(frozen=True)
class StrideRow:
    """One row of ``strides.csv`` (NaN where the CSV cell was empty)."""

    stride: int
    contact_time_s: float
    duration_s: float
    trunk_lean_deg: float


def _float(text: str | None) -> float:
    try:
        value = float(text) if text not in (None, "") else math.nan
    except ValueError:
        return math.nan
    return value


def read_strides(analysis_dir: Path | None) -> tuple[list[StrideRow] | None, str | None]:
    """The clip's strides, or (None, why not)."""
    if analysis_dir is None:
        return None, "no analysis folder for this clip"
    path = analysis_dir / "strides.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = [
                StrideRow(
                    stride=int(row.get("stride") or i + 1),
                    contact_time_s=_float(row.get("contact_time_s")),
                    duration_s=_float(row.get("duration_s")),
                    trunk_lean_deg=_float(row.get("trunk_lean_deg")),
                )
                for i, row in enumerate(csv.DictReader(handle))
            ]
    except FileNotFoundError:
        return None, "strides.csv was not written for this clip"
    except (OSError, ValueError, csv.Error) as error:
        return None, f"strides.csv could not be read ({error})"
    if not rows:
        return None, "no strides were found in this clip"
    return rows, None


@dataclass(frozen=True)
class KeyFrames:
    """The early-vs-late picture of one clip, with the captions ``keyframes/index.json`` gives."""

    combined_uri: str | None
    heading: str | None
    captions: tuple[str, ...]  # one per frame in the picture, in index order
    strides_based: bool


def read_keyframes(analysis_dir: Path | None) -> tuple[KeyFrames | None, str | None]:
    """The clip's early-vs-late key frames, or (None, why not)."""
    if analysis_dir is None:
        return None, "no analysis folder for this clip"
    folder = analysis_dir / "keyframes"
    try:
        index: dict[str, Any] = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    combined = folder / str(index.get("combined") or "early_vs_late.jpg")
    uri = photo_data_uri(combined) if combined.is_file() else None
    if uri is None:  # no combined picture: the early and late contact frames side by side
        names = [f"{frame}.{ext}" for frame in ("early_contact", "late_contact") for ext in ("jpg", "png")]  # png: before 2026-12
        uri = _pair([folder / name for name in names if (folder / name).is_file()])
    if uri is None:
        return None, "no key frames were written for this clip"
    return KeyFrames(uri, index.get("heading"), tuple(_captions(index)), bool(index.get("strides_based"))), None


def _captions(index: dict[str, Any]) -> list[str]:
    out = []
    for frame in index.get("frames") or []:
        title = str(frame.get("title") or frame.get("file") or "")
        detail = str(frame.get("detail") or "")
        out.append(f"{title}: {detail}" if detail else title)
    return out


def _pair(frames: list[Path]) -> str | None:
    """Pictures stitched side by side at a common height, as a JPEG ``data:`` URI."""
    if not frames:
        return None
    images = []
    try:
        for path in frames:
            with Image.open(path) as image:
                images.append(image.convert("RGB"))
    except (OSError, UnidentifiedImageError):
        return None
    height = min(im.height for im in images)
    scaled = [im.resize((round(im.width * height / im.height), height)) for im in images]
    sheet = Image.new("RGB", (sum(im.width for im in scaled), height), "white")
    x = 0
    for im in scaled:
        sheet.paste(im, (x, 0))
        x += im.width
    return _jpeg_uri(sheet)
