"""Scene cuts on synthetic shots whose cut frame is known by construction."""

from __future__ import annotations

import numpy as np

from formcheck.video.scenecut import SceneCutDetector


def test_a_hard_cut_is_found_and_a_slow_pan_is_not():
    ramp = np.linspace(0, 255, 540 + 16)
    shot_a = np.repeat(np.tile(ramp, (960, 1))[:, :, None], 3, axis=2).astype(np.uint8)  # dark left, bright right
    shot_b = 255 - shot_a  # the other shot: bright left, dark right
    detector = SceneCutDetector()
    # a slow pan over shot A (1 px a frame), then a hard cut to B
    frames = [shot_a[:, k:k + 540] for k in range(8)] + [shot_b[:, :540], shot_b[:, 1:541]]
    cuts = [detector.is_cut(f) for f in frames]
    assert cuts == [False] * 8 + [True, False]
