"""Decoding ahead on a helper thread: same frames, errors surface, nothing left running."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from formcheck.video.frames import Frame, iter_frames, prefetched
from formcheck.video.probe import probe_video


def helpers_alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "formcheck-decode" and t.is_alive()]


def numbered(n: int, fail_at: int | None = None, closed: list[bool] | None = None):
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"corrupt frame {i}")
            yield Frame(index=i, time_s=i / 30.0, image=np.full((2, 2, 3), i % 256, dtype=np.uint8))
    finally:
        if closed is not None:
            closed.append(True)


def test_same_frames_in_the_same_order():
    assert [f.index for f in prefetched(numbered(50))] == list(range(50))
    assert not helpers_alive()


def test_real_video_frames_are_identical_with_and_without_prefetch(videos_dir):
    info = probe_video(videos_dir / "outdoor_side_grass_short.mp4")
    plain = list(iter_frames(info, end_s=1.0, max_side=320))
    ahead = list(prefetched(iter_frames(info, end_s=1.0, max_side=320)))
    assert [f.time_s for f in plain] == [f.time_s for f in ahead] and len(plain) > 10
    assert all(np.array_equal(a.image, b.image) for a, b in zip(plain, ahead))


def test_a_decoding_error_is_raised_in_the_consumer_after_the_good_frames():
    seen = []
    with pytest.raises(ValueError, match="corrupt frame 7"):
        for frame in prefetched(numbered(20, fail_at=7)):
            seen.append(frame.index)
    assert seen == list(range(7))
    assert not helpers_alive()


def test_leaving_early_stops_the_helper_and_closes_the_source():
    closed: list[bool] = []
    frames = prefetched(numbered(10_000, closed=closed), depth=2)
    for frame in frames:
        if frame.index == 3:
            break
    frames.close()
    assert closed == [True]  # the source generator's cleanup ran (its file is closed)
    deadline = time.monotonic() + 2.0
    while helpers_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not helpers_alive()
