"""Fixtures for ``run_check``: the shared real data, answers files and a fresh store per test."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_fixture import db_url, postgres_server, postgres_url  # noqa: E402,F401  (fixtures)

from check_data import FITNOTES, GOOGLEFIT_RUN, SHARED  # noqa: E402


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
