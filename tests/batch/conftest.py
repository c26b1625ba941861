"""Batch fixtures: a folder of short shared clips (two runners) with a damaged copy and a non-video.

The clips are symlinks to ``../shared/data/videos`` (their poses come from the
shared cache, ``FORMCHECK_CACHE_DIR``), so a whole batch costs the analysis,
not the pose model. What each clip must end as, and the helpers the tests share,
are in ``batch_expect`` (a module of its own name: ``from conftest import`` would
pick whichever conftest.py was imported first when several test folders run).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_fixture import postgres_server, postgres_url  # noqa: E402,F401  (fixtures)


@pytest.fixture(scope="session")
def clip_folder(videos_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch-clips")
    (root / "anna").mkdir()
    (root / "ben").mkdir()
    (root / "anna" / "grass.mp4").symlink_to(videos_dir / "outdoor_side_grass_short.mp4")
    (root / "anna" / "legs.mp4").symlink_to(videos_dir / "outdoor_legs_only_closeup.mp4")
    (root / "ben" / "walk.avi").symlink_to(videos_dir / "negative_walking_side_far.avi")
    (root / "ben" / "cut.mp4").write_bytes((videos_dir / "outdoor_side_grass_short.mp4").read_bytes()[:30000])
    (root / "ben" / "notes.mp4").write_text("not a video, just notes\n")
    (root / "ben" / "readme.txt").write_text("ignored: neither named nor shaped like a video\n")
    return root
