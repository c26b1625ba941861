"""An upside-down or sideways runner (a wrong rotation flag) is detected, warned about, and not measured.

Issue 9: upright frames carrying a 180 deg rotation flag gave a trunk lean of
171.6 deg with no warning.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.pipeline import analyze_track
from synthetic_runner import synthetic_track

REPO = Path(__file__).resolve().parents[2]
GRASS = REPO / "samples" / "outdoor_side_grass_short.mp4"


def turned(track, quarter_turns: int):
    """The same track as if the picture were rotated by ``quarter_turns`` x 90 deg (counter-clockwise)."""
    xy = track.xy_px.copy()
    w, h = track.width, track.height
    for _ in range(quarter_turns % 4):
        xy = np.stack([xy[..., 1], w - xy[..., 0]], axis=-1)
        w, h = h, w
    return replace(track, xy_px=xy, width=w, height=h)


def test_upright_synthetic_runner_is_measured():
    a = analyze_track(synthetic_track(168))
    assert a.metrics["trunk_lean_deg"].value == pytest.approx(8.0, abs=0.3)
    assert not any("rotation" in w for w in a.warnings)


@pytest.mark.parametrize("quarter_turns, words", [(2, "upside down"), (1, "lying sideways"), (3, "lying sideways")])
def test_turned_runner_is_warned_about_and_nothing_is_measured(quarter_turns, words):
    a = analyze_track(turned(synthetic_track(168), quarter_turns))
    assert words in a.warnings[0] and "rotation" in a.warnings[0]
    assert a.activity.activity == "unknown"
    for name, metric in a.metrics.items():
        assert metric.value is None and words in metric.reason, name
    assert all(d is None for d in a.drift.values())


@pytest.mark.slow
def test_a_180_degree_flag_on_an_upright_clip_is_caught(tmp_path):
    from clip_variants import with_display_rotation

    from formcheck.analysis.service import VideoJob, analyze_video

    clip = with_display_rotation(GRASS, tmp_path / "grass_flag180.mp4", 180)
    result = analyze_video(VideoJob(video=clip, out_dir=tmp_path / "out", workers=1))
    assert result.info.rotation_deg == 180
    lean = result.summary["metrics"]["trunk_lean_deg"]
    assert lean["value"] is None and "upside down" in lean["reason"]
    assert "upside down" in result.summary["warnings"][0]


@pytest.mark.slow
def test_a_90_degree_flag_is_caught_and_upright_shared_clips_are_not(pose_track_of, videos_dir, tmp_path):
    from clip_variants import variants_dir, with_display_rotation

    clip = with_display_rotation(videos_dir / "treadmill_side_gym_portrait_60fps.mp4", variants_dir() / "gym_flag90.mp4", 90)
    _, track = pose_track_of(clip)
    a = analyze_track(track)
    assert "lying sideways" in a.warnings[0] and a.metrics["cadence_spm"].value is None
    for name in ("treadmill_side_gym_portrait_60fps.mp4", "outdoor_legs_only_closeup.mp4", "track_sprint_broadcast_multi.mp4",
                 "negative_squat_front_portrait.mp4"):
        a = analyze_track(pose_track_of(videos_dir / name)[1])
        assert not any("rotation is probably wrong" in w for w in a.warnings), name
