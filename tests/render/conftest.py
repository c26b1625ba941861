"""Render fixtures: the 60 fps treadmill clip analysed once and rendered once per session.

Everything comes from the shared pose cache (``pose_track_of`` in tests/conftest.py),
so the model only runs on a cache miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.analysis.pipeline import analyze_track
from formcheck.analysis.service import VideoResult

TREADMILL = "treadmill_side_gym_portrait_60fps.mp4"


@pytest.fixture(scope="session")
def treadmill(videos_dir, pose_track_of) -> VideoResult:
    info, track = pose_track_of(videos_dir / TREADMILL)
    return VideoResult(info, track, analyze_track(track), {}, True)


@pytest.fixture(scope="session")
def treadmill_out(treadmill, tmp_path_factory) -> tuple[Path, list[Path]]:
    """``write_visual_outputs`` with the overlay, into a fresh folder: (folder, relative paths written)."""
    from formcheck.render import write_visual_outputs

    out = tmp_path_factory.mktemp("treadmill_visuals")
    return out, write_visual_outputs(out, treadmill, overlay_video=True, height_cm=178)
