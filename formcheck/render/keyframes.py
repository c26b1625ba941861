"""Key-frame JPEGs: the skeleton and trunk angle on real frames, early vs late in the run.

Files (under ``DIR/keyframes/``): one JPEG per planned frame
(``early_contact.jpg`` ... ``late_toe_off.jpg``, or ``frame_1.jpg`` ... when no
strides were measured), ``early_vs_late.jpg`` (all of them side by side, early
row above late row) and ``index.json`` (what each file shows, for a report).

The planned frames come in clusters (the early stride's three phases lie within
a second, and so do the late stride's), so each cluster is reached by a seek and
a short streamed window rather than by decoding the whole clip between them.
Only the planned frames are kept, drawn on at full resolution (so lines sit
where the pose model put them) and then downscaled to at most 960 px tall;
memory stays bounded whatever the clip length.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from formcheck.analysis.pipeline import Analysis
from formcheck.pose.track import PoseTrack
from formcheck.render.keyframe_plan import KeyFrame, KeyFramePlan, plan_keyframes
from formcheck.render.skeleton import BANNER_RGB, TEXT_RGB, draw_banner, draw_pose_on, fit_height, write_jpeg
from formcheck.render.source import TrackClock
from formcheck.video.frames import iter_frames
from formcheck.video.probe import VideoInfo

log = logging.getLogger(__name__)

MAX_HEIGHT_PX = 960
SAME_WINDOW_S = 3.0
"""Planned frames closer than this share one streamed window: decoding through a
3 s gap costs about what a seek (back to the previous keyframe) would."""
COMBINED_NAME = "early_vs_late.jpg"
CAPTION_PX = 13  # caption text height in pixels (the strips are 18 px a line)
GAP_PX = 4


@dataclass(frozen=True)
class DrawnFrame:
    """A key frame drawn on and downscaled: ``image`` with its caption, ``tile`` without (for the grid)."""

    image: np.ndarray
    tile: np.ndarray


def _draw(image: np.ndarray, key: KeyFrame, analysis: Analysis, track: PoseTrack) -> DrawnFrame:
    sx, sy = image.shape[1] / float(track.width), image.shape[0] / float(track.height)
    draw_pose_on(image, analysis, key.row, sx, sy)
    tile = fit_height(image.copy(), MAX_HEIGHT_PX)
    draw_banner(image, [key.title, key.detail])
    return DrawnFrame(fit_height(image, MAX_HEIGHT_PX), tile)


def _placeholder(key: KeyFrame, track: PoseTrack) -> DrawnFrame:
    """A grey card for a planned frame the decoder did not return (corrupt packet): said, not hidden."""
    image = np.full((track.height, track.width, 3), 90, dtype=np.uint8)
    draw_banner(image, [key.title, "this frame could not be decoded"])
    small = fit_height(image, MAX_HEIGHT_PX)
    return DrawnFrame(small, small.copy())


def collect_keyframes(info: VideoInfo, track: PoseTrack, analysis: Analysis,
                      keys: Iterable[KeyFrame]) -> dict[str, DrawnFrame]:  # fmt: skip
    """The planned rows' frames, drawn; one seek and short streamed window per cluster of rows."""
    by_row: dict[int, list[KeyFrame]] = {}
    for key in keys:
        by_row.setdefault(key.row, []).append(key)
    clock = TrackClock.of(track)
    drawn: dict[str, DrawnFrame] = {}
    for cluster in _clusters(sorted(by_row), track.time_s):
        wanted = {row: by_row.pop(row) for row in cluster}
        start_s, end_s = clock.window(cluster)
        for frame in iter_frames(info, start_s, end_s, keep=lambda t: clock.row_at(t) in wanted, decoder_threads=False):
            row = clock.row_at(frame.time_s)
            if row is None or row not in wanted:
                continue
            for key in wanted.pop(row):
                drawn[key.name] = _draw(frame.image.copy(), key, analysis, track)
            if not wanted:
                break
        by_row.update(wanted)  # not decoded: reported below
    for missing in by_row.values():
        for key in missing:
            log.warning("key frame %s (t %.3f s) was not decoded", key.name, track.time_s[key.row])
            drawn[key.name] = _placeholder(key, track)
    return drawn


def _clusters(rows: list[int], time_s: np.ndarray) -> list[list[int]]:
    """Sorted ``rows`` split wherever two neighbours are more than ``SAME_WINDOW_S`` apart."""
    clusters: list[list[int]] = []
    for row in rows:
        if clusters and time_s[row] - time_s[clusters[-1][-1]] <= SAME_WINDOW_S:
            clusters[-1].append(row)
        else:
            clusters.append([row])
    return clusters


@lru_cache(maxsize=1)
def _caption_font() -> ImageFont.FreeTypeFont:
    """DejaVu Sans, the font matplotlib ships: OpenCV's Hershey fonts are ASCII only ("Läufer" became "L??ufer")."""
    from matplotlib import font_manager

    return ImageFont.truetype(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans")), CAPTION_PX)


def _caption(width: int, lines: list[str]) -> np.ndarray:
    from formcheck.render.plots import drawable  # matplotlib's font check, imported only when a caption is drawn

    line_h = 18
    image = Image.new("RGB", (width, line_h * len(lines) + 8), BANNER_RGB)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):  # glyphs the font lacks (CJK in a file name) become "?", not empty boxes
        draw.text((6, line_h * (i + 1) - 3), drawable(text), font=_caption_font(), fill=TEXT_RGB, anchor="ls")
    return np.asarray(image).copy()


def _tile_caption(key: KeyFrame, analysis: Analysis, track: PoseTrack) -> list[str]:
    lean = float(analysis.lean_deg[key.row])
    lean_text = f"lean {lean:+.1f} deg" if np.isfinite(lean) else "lean n/a"
    if key.group == "sample":
        return [f"t {track.time_s[key.row]:.2f} s", lean_text]
    head = key.title.split(": ", 1)[-1].split(" (")[0]
    return [f"{key.group.upper()} {head}", f"{lean_text}  t {track.time_s[key.row]:.2f}s"]


def compose_grid(plan: KeyFramePlan, drawn: dict[str, DrawnFrame], analysis: Analysis, track: PoseTrack,
                 clip_name: str) -> np.ndarray:  # fmt: skip
    """Early row above late row (or the sample frames, 3 a row), with a heading; <= 960 px tall."""
    keys = list(plan.frames)
    rows = [keys[i:i + 3] for i in range(0, len(keys), 3)]
    header = [f"{clip_name}: {'early (top) vs late (bottom) stride' if plan.strides_based else 'key frames'}", plan.heading]
    caption_h, header_h = 18 * 2 + 8, 18 * len(header) + 8
    room = MAX_HEIGHT_PX - header_h - GAP_PX * (len(rows) - 1)
    tile_h = min(drawn[keys[0].name].tile.shape[0], room // max(1, len(rows)) - caption_h)
    grid_rows = []
    for row_keys in rows:
        tiles = []
        for key in row_keys:
            tile = drawn[key.name].tile
            scale = tile_h / float(tile.shape[0])
            tile = cv2.resize(tile, (max(1, int(round(tile.shape[1] * scale))), tile_h), interpolation=cv2.INTER_AREA)
            tiles.append(np.vstack([tile, _caption(tile.shape[1], _tile_caption(key, analysis, track))]))
        while len(tiles) < 3:
            tiles.append(np.zeros_like(tiles[0]))
        grid_rows.append(np.hstack(_with_gaps(tiles, axis=1)))
    body = np.vstack(_with_gaps(grid_rows, axis=0))
    return np.vstack([_caption(body.shape[1], header), body])


def _with_gaps(images: list[np.ndarray], axis: int, gap_px: int = GAP_PX) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    for i, image in enumerate(images):
        if i:
            shape = (image.shape[0], gap_px, 3) if axis == 1 else (gap_px, image.shape[1], 3)
            out.append(np.full(shape, 255, dtype=np.uint8))
        out.append(image)
    return out


def write_keyframes(out_dir: Path, info: VideoInfo, track: PoseTrack, analysis: Analysis) -> list[Path]:
    """Write every key frame, the combined picture and ``index.json`` into ``out_dir/keyframes``."""
    folder = out_dir / "keyframes"
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_keyframes(track, analysis)
    if not plan.frames:
        return []
    drawn = collect_keyframes(info, track, analysis, plan.frames)
    written = []
    for key in plan.frames:
        path = folder / f"{key.name}.jpg"
        write_jpeg(path, drawn[key.name].image)
        written.append(path)
    clip = Path(info.path).name
    combined = folder / COMBINED_NAME
    write_jpeg(combined, compose_grid(plan, drawn, analysis, track, clip))
    written.append(combined)
    index = folder / "index.json"
    index.write_text(json.dumps(_manifest(plan, track, analysis, clip), indent=2) + "\n")
    written.append(index)
    return written


def _manifest(plan: KeyFramePlan, track: PoseTrack, analysis: Analysis, clip: str) -> dict[str, object]:
    """What each picture shows, so a report can caption it without re-deriving the choice."""
    def lean(row: int) -> float | None:
        value = float(analysis.lean_deg[row])
        return round(value, 2) if np.isfinite(value) else None

    return {
        "video": clip,
        "strides_based": plan.strides_based,
        "heading": plan.heading,
        "combined": COMBINED_NAME,
        "frames": [{
            "file": f"{k.name}.jpg", "group": k.group, "phase": k.phase, "stride": k.stride_number,
            "frame": int(track.frame_index[k.row]), "time_s": round(float(track.time_s[k.row]), 4),
            "trunk_lean_deg": lean(k.row), "title": k.title, "detail": k.detail,
        } for k in plan.frames],
    }  # fmt: skip
