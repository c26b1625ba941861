"""Shared fixtures for the track-reader tests: where the real sample files live."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TRACKS = SHARED / "tracks"


@pytest.fixture(scope="session")
def tracks_dir() -> Path:
    if not TRACKS.is_dir():
        pytest.skip(f"sample data not found at {TRACKS}")
    return TRACKS
