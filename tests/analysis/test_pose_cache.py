"""A second analysis of the same video skips pose inference; --no-cache recomputes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.service import VideoJob, analyze_video
from formcheck.pose import cache

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "outdoor_side_grass_short.mp4"


@pytest.mark.slow
def test_second_run_uses_the_cache_and_no_cache_bypasses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    first = analyze_video(VideoJob(SAMPLE, tmp_path / "a", workers=1))
    entries = list((tmp_path / "cache" / "pose").glob("*.npz"))
    assert not first.from_cache and len(entries) == 1
    assert first.info.sha256[:32] in entries[0].name

    calls: list[object] = []
    monkeypatch.setattr("formcheck.pose.parallel.extract_pose_parallel", lambda *a, **k: calls.append(a))
    second = analyze_video(VideoJob(SAMPLE, tmp_path / "b", workers=1))
    assert second.from_cache and calls == []  # the model was not run again
    np.testing.assert_array_equal(second.track.xy_px, first.track.xy_px)
    assert second.summary["metrics"] == first.summary["metrics"]
    monkeypatch.undo()

    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    third = analyze_video(VideoJob(SAMPLE, tmp_path / "c", workers=1, use_cache=False))
    assert not third.from_cache


def test_damaged_cache_entry_is_recomputed_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path))
    path = tmp_path / "pose" / "x.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an npz")
    assert cache.load_cached(path) is None


def test_per_frame_flags_survive_the_cache_and_subsets(tmp_path):
    from formcheck.pose.track import PoseTrack

    n = 6
    damaged = np.array([False, False, True, True, False, False])
    track = PoseTrack(time_s=np.arange(n) / 30.0, frame_index=np.arange(n), xy_px=np.zeros((n, 33, 2)),
                      z=np.zeros((n, 33)), visibility=np.ones((n, 33)), found=np.ones(n, dtype=bool),
                      scene_cut=np.zeros(n, dtype=bool), identity_rejected=np.zeros(n, dtype=bool),
                      width=100, height=100, fps=30.0, damaged=damaged)
    path = tmp_path / "t.npz"
    cache.store(path, track)
    loaded = cache.load_cached(path)
    np.testing.assert_array_equal(loaded.damaged, damaged)
    np.testing.assert_array_equal(loaded.subset(np.arange(n) >= 3).damaged, [True, False, False])
    old_style = track.to_npz_dict()
    del old_style["damaged"]  # a track stored before frames were flagged: none damaged
    assert not PoseTrack.from_npz_dict(old_style).damaged.any()
