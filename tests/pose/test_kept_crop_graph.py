"""A batch worker keeps its crop-search (static) graph from clip to clip: the same landmarks, one start-up.

The short grass clip loses its runner often enough to search a crop 14 times,
so each run below uses the static graph; what is checked is that a graph kept
from an earlier clip changes no number, and that only one is ever built.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import formcheck.pose.blazepose as blazepose
from formcheck.pose.blazepose import PoseSettings, keep_crop_graphs, kept_crop_graph, release_crop_graphs
from formcheck.pose.extract import extract_pose
from formcheck.pose.track import PoseTrack
from formcheck.video.probe import probe_video


@pytest.fixture
def static_graphs_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Every BlazePose built while the test runs, as its ``static`` flag; the kept graphs released after."""
    built: list[bool] = []
    original = blazepose.BlazePose.__init__

    def counting(self: blazepose.BlazePose, settings: PoseSettings, static: bool = False) -> None:
        built.append(static)
        original(self, settings, static)

    monkeypatch.setattr(blazepose.BlazePose, "__init__", counting)
    release_crop_graphs()  # an earlier test in this process may have asked to keep them (analyse_task does)
    try:
        yield built
    finally:
        release_crop_graphs()


def _same(a: PoseTrack, b: PoseTrack) -> None:
    assert np.array_equal(a.found, b.found) and np.array_equal(a.identity_rejected, b.identity_rejected)
    np.testing.assert_array_equal(a.xy_px, b.xy_px)
    np.testing.assert_array_equal(a.visibility, b.visibility)


@pytest.mark.slow
def test_a_kept_crop_graph_gives_the_same_landmarks_and_starts_once(videos_dir: Path,
                                                                   static_graphs_built: list[bool]) -> None:
    info = probe_video(videos_dir / "outdoor_side_grass_short.mp4")
    fresh = extract_pose(info, decoder_threads=False)
    assert static_graphs_built.count(True) == 1  # this clip searches crops, with a graph of its own
    assert kept_crop_graph(PoseSettings()) is None  # nothing is kept unless asked

    keep_crop_graphs()
    first, second = extract_pose(info, decoder_threads=False), extract_pose(info, decoder_threads=False)
    assert static_graphs_built.count(True) == 2  # one more, kept for both clips
    assert static_graphs_built.count(False) == 3  # tracking graphs stay per clip (they hold state)
    assert kept_crop_graph(PoseSettings()) is kept_crop_graph(PoseSettings())
    _same(fresh, first)
    _same(fresh, second)

    release_crop_graphs()
    assert kept_crop_graph(PoseSettings()) is None
