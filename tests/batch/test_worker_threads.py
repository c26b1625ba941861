"""A worker that shares the cores with other workers keeps its native libraries to one thread each.

When that applies (``run._shares_cores``: more than one local worker, or any
Ray cluster) and that it changes nothing but speed: the same clip decoded on
one thread or on FFmpeg's threads gives the same pose and the same measures.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from formcheck.batch.run import BatchOptions, _shares_cores
from formcheck.batch.work import VideoTask, analyse_task
from formcheck.pose.blazepose import release_crop_graphs


@pytest.mark.parametrize(("ray", "workers", "clips", "shares"), [
    (None, 1, 10, False),  # the 1-worker baseline keeps every thread it can use
    (None, 2, 10, True),
    (None, 2, 1, False),  # one clip starts one worker: it has the machine to itself
    ("local", 1, 5, False),
    ("local", 2, 5, True),
    ("auto", 1, 1, True),  # a cluster fills every node's cores with tasks
    ("ray://head:10001", 4, 1, True),
])  # fmt: skip
def test_when_a_worker_shares_the_cores(ray: str | None, workers: int, clips: int, shares: bool) -> None:
    options = BatchOptions(source=Path("in"), out=Path("out"), ray=ray, workers=workers)
    assert _shares_cores(options, workers, clips) is shares


@pytest.mark.slow
def test_one_decoder_thread_gives_the_same_analysis(videos_dir: Path, tmp_path: Path) -> None:
    clip = str(videos_dir / "outdoor_side_grass_short.mp4")
    threads_before = cv2.getNumThreads()
    try:
        alone = analyse_task(VideoTask(0, clip, str(tmp_path / "alone"), "grass.mp4", use_cache=False))
        assert cv2.getNumThreads() == threads_before
        shared = analyse_task(VideoTask(1, clip, str(tmp_path / "shared"), "grass.mp4", use_cache=False, shares_cores=True))
        assert cv2.getNumThreads() == 1
    finally:
        cv2.setNumThreads(threads_before)
        release_crop_graphs()  # analyse_task keeps this process's crop graph, as a batch worker does
    assert (alone.status, shared.status) == ("analysed", "analysed")
    assert alone.frames == shared.frames > 0 and alone.sha256 == shared.sha256
    assert shared.summary["metrics"] == alone.summary["metrics"]
    assert (tmp_path / "shared" / "summary.json").read_text() == (tmp_path / "alone" / "summary.json").read_text()
