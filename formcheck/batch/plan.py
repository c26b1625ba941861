"""What a batch still has to do: each clip's output folder, content hash and settings key, and the skips.

Why the content hash and not the path or mtime: a clinic re-exports, renames
and copies clips between machines; the same bytes analysed with the same
settings (model, height, capture rate, window -- the key ``formcheck check``
already stores under) give the same result, so they are done once. A clip is
skipped only when the store has its row **and** its folder still holds that
result (its ``summary.json`` equal to the stored one): a batch killed half-way,
or run again after new clips arrived, does only the rest, while a deleted
folder, or one holding another clip's or another setting's results, is rebuilt.

Output folders are ``<out>/<runner>/<video stem>``; two clips of one runner with
the same stem (``a.mp4`` and ``a.mov``, or ``x/a.mp4`` and ``y/a.mp4``) get their
relative path spelled out instead, and any names still equal once made safe for
a file system get a ``-2`` suffix, so no clip overwrites another's results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from formcheck.batch.discover import BatchItem
from formcheck.output_dir import safe_name, unique_name
from formcheck.store.api import Store
from formcheck.store.models import RunnerRow, VideoAnalysisRow

@dataclass(frozen=True)
class PlannedVideo:
    """A discovered clip with everything decided before any worker starts."""

    index: int
    item: BatchItem
    out_dir: Path
    settings_key: str
    sha256: str | None  # None when not needed (no earlier results) or unreadable (the worker then reports why)
    height_cm: float | None
    done_summary: dict[str, Any] | None = None  # the stored summary when the clip is skipped

    @property
    def skip(self) -> bool:
        return self.done_summary is not None


def settings_key_for(height_cm: float | None) -> str:
    """The store's settings key for a whole-clip analysis at ``height_cm`` (the one ``check`` uses too)."""
    from formcheck.analysis.service import VideoJob
    from formcheck.check.videos import settings_key

    return settings_key(VideoJob(video=Path("."), out_dir=Path("."), height_cm=height_cm))


def _folder_names(items: list[BatchItem]) -> list[str]:
    """Each clip's folder under ``--out`` (``<runner>/<video>``), unique even once names are made safe.

    Distinct runners whose names clean to one folder (``x/y`` and ``x_y``; ``Anna`` and ``anna`` on a
    case-insensitive disk) get ``-2``, ``-3``... in order of first appearance, and so do two clips of one
    runner whose names do; the order is the discovery's, so a re-run finds the same folders.
    """
    runner_taken: set[str] = set()
    runner_folder: dict[str, str] = {}
    video_taken: dict[str, set[str]] = {}
    stems = Counter((item.runner, Path(item.relative).stem) for item in items)
    names = []
    for item in items:
        if item.runner not in runner_folder:
            runner_folder[item.runner] = unique_name(safe_name(item.runner), runner_taken)
        folder = runner_folder[item.runner]
        stem = Path(item.relative).stem
        video = safe_name(stem if stems[(item.runner, stem)] == 1 else item.relative.replace("/", "__"))
        names.append(f"{folder}/{unique_name(video, video_taken.setdefault(folder, set()))}")
    return names


def _hash(path: Path) -> str | None:
    from formcheck.video.probe import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return None


def _stored(store: Store, runner: str) -> dict[tuple[str, str], dict[str, Any]]:
    """``(sha256, settings_key) -> summary`` of every clip the store holds for ``runner``."""
    import json

    with store.engine.connect() as connection:
        rows = connection.execute(
            select(VideoAnalysisRow.video_sha256, VideoAnalysisRow.settings_key, VideoAnalysisRow.summary_json)
            .join(RunnerRow, RunnerRow.id == VideoAnalysisRow.runner_id)
            .where(RunnerRow.name == runner)
        )
        return {(sha, key): json.loads(summary) for sha, key, summary in rows}


def plan_batch(items: list[BatchItem], out_root: Path, store: Store, default_height_cm: float | None) -> list[PlannedVideo]:
    """Every clip with its folder, hash and key; clips already done are marked with their stored summary."""
    keys: dict[float | None, str] = {}
    stored: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    planned: list[PlannedVideo] = []
    for index, (item, name) in enumerate(zip(items, _folder_names(items))):
        height = item.height_cm if item.height_cm is not None else default_height_cm
        key = keys.setdefault(height, settings_key_for(height))
        out_dir = out_root / name
        # Only a clip whose folder already holds results can be a skip: the others are not hashed here
        # (their worker hashes the bytes it analyses), so a first batch of thousands starts at once.
        sha = _hash(item.path) if (out_dir / "summary.json").is_file() else None
        done = None
        if sha is not None:
            if item.runner not in stored:
                stored[item.runner] = _stored(store, item.runner)
            done = stored[item.runner].get((sha, key))
            if done is not None and not _folder_holds(out_dir, done):
                done = None  # the store has this clip, the folder holds something else: analyse it again
        planned.append(PlannedVideo(index, item, out_dir, key, sha, height, done))
    return planned


def _without_path(summary: dict[str, Any]) -> dict[str, Any]:
    video = summary.get("video")
    return {**summary, "video": {k: v for k, v in video.items() if k != "path"}} if isinstance(video, dict) else summary


def _folder_holds(out_dir: Path, stored: dict[str, Any]) -> bool:
    """Whether the folder's ``summary.json`` is the stored result (this clip's bytes, these settings).

    A summary.json in the folder is not enough: two clips swapped names, a clip removed so another took its
    folder, a height given and then taken back, or a folder of the user's own all left a summary that was
    another clip's or another setting's, and the batch reported "skipped" beside it with other numbers.
    The path is left out: the same bytes may sit elsewhere now.
    """
    import json

    try:
        written = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(written, dict) and _without_path(written) == _without_path(stored)
