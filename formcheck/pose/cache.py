"""Pose tracks cached on disk, keyed by the video's content and the model settings.

Pose inference is ~25 ms a frame a core; everything after it takes
milliseconds. Re-analysing a clip (new height, new thresholds, a test suite)
should not pay for the model again. The key is the video's sha256 plus every
setting that changes the model output plus the time window; files are written
atomically so that a killed run never leaves a half-written entry.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import platformdirs

from formcheck.pose.blazepose import PoseSettings
from formcheck.pose.track import PoseTrack


def cache_dir() -> Path:
    """``$FORMCHECK_CACHE_DIR/pose`` when set, else the user's cache dir (platformdirs)."""
    root = os.environ.get("FORMCHECK_CACHE_DIR")
    base = Path(root) if root else Path(platformdirs.user_cache_dir("formcheck"))
    return base / "pose"


def cache_path(video_sha256: str, settings: PoseSettings, start_s: float | None, end_s: float | None) -> Path:
    window = f"{start_s if start_s is not None else 'start'}-{end_s if end_s is not None else 'end'}"
    return cache_dir() / f"{video_sha256[:32]}-{settings.cache_key()}-{window}.npz"


def load_cached(path: Path) -> PoseTrack | None:
    """The cached track, or None when absent or unreadable (a damaged entry is just recomputed)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return PoseTrack.from_npz_dict({key: data[key] for key in data.files})
    except (OSError, ValueError, KeyError):
        return None


def store(path: Path, track: PoseTrack) -> None:
    """Write atomically: a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez_compressed(out, **track.to_npz_dict())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
