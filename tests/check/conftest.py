"""Fixtures for ``run_check``: the shared real data, answers files and a fresh store per test."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_fixture import db_url, postgres_server, postgres_url  # noqa: E402,F401  (fixtures)

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
FITNOTES = SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv"
GOOGLEFIT_RUN = SHARED / "tracks" / "run_googlefit_gps_2015-05-31.tcx"
GYM_CLIP = SHARED / "videos" / "treadmill_side_gym_portrait_60fps.mp4"
SQUAT_CLIP = SHARED / "videos" / "negative_squat_front_portrait.mp4"
SAMPLES = REPO / "samples"

ANSWERS_2015 = """
[runner]
height_cm = 178
running_months = 8

[symptom]
date = 2015-05-31
kind = "pump"
where = "lower_back"
forced_walk = true

[endurance]
extensor_s = 60
flexor_s = 95
"""


@pytest.fixture(scope="session")
def shared() -> Path:
    if not FITNOTES.is_file() or not GOOGLEFIT_RUN.is_file():
        pytest.skip("../shared/data is not present")
    return SHARED


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A fresh SQLite store for one test (never the user's real one)."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[[str], Path]:
    """Function: TOML text -> path of an answers file holding it."""

    def write(text: str, name: str = "answers.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
