"""``overlay.mp4``: every frame of the window, the source's timestamps, the pose drawn."""

from __future__ import annotations

import av
import numpy as np
import pytest

from formcheck.render.overlay_video import CADENCE_STEPS, RunningCadence, pick_codec
from formcheck.render.skeleton import SKELETON_COLOURS_RGB
from formcheck.render.source import pose_px
from render_helpers import near_colour

pytestmark = pytest.mark.slow


def test_overlay_keeps_every_frame_and_its_timestamp(treadmill, treadmill_out):
    out, written = treadmill_out
    assert "overlay.mp4" in {str(p) for p in written}
    track, analysis = treadmill.track, treadmill.analysis
    times, hits, checked = [], 0, 0
    with av.open(str(out / "overlay.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == ("h264" if pick_codec() == "libx264" else "mpeg4")
        for frame in container.decode(stream):
            times.append(float(frame.pts * frame.time_base))
            row = len(times) - 1
            if row % 40 == 0 and track.found[row]:
                image = frame.to_ndarray(format="rgb24")
                assert max(image.shape[:2]) <= 960
                scale = image.shape[0] / track.height
                checked += 1
                hits += near_colour(image, *(pose_px(analysis, row)[23] * scale), SKELETON_COLOURS_RGB, radius=6)
    assert len(times) == track.n_frames == treadmill.info.frames
    assert np.max(np.abs(np.array(times) - track.time_s)) < 1e-3
    assert checked >= 8 and hits == checked


def test_running_cadence_uses_the_last_six_steps(treadmill):
    analysis = treadmill.analysis
    cadence = RunningCadence(analysis)
    steps = analysis.steps
    assert cadence.text_at(steps[0].end_s) == "cadence: counting steps..."
    last = steps[-CADENCE_STEPS:]
    expected = 60.0 * len(last) / sum(s.duration_s for s in last)
    assert cadence.text_at(steps[-1].end_s + 0.1) == f"cadence {expected:.0f} steps/min (last {CADENCE_STEPS} steps)"
    assert abs(expected - analysis.metrics["cadence_spm"].value) < 15
