"""Every shared clip analysed, with the outcome SOURCES.md leads us to expect."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.pipeline import AnalysisOptions, analyze_track

pytestmark = pytest.mark.slow


def analyse(pose_track_of, videos_dir, name, **options):
    info, track = pose_track_of(videos_dir / name)
    return info, track, analyze_track(track, AnalysisOptions(**options))


def test_gym_treadmill_60fps_is_running_side_right_with_real_cadence(pose_track_of, videos_dir):
    _, _, a = analyse(pose_track_of, videos_dir, "treadmill_side_gym_portrait_60fps.mp4")
    assert (a.activity.activity, a.orientation.view, a.orientation.facing) == ("running", "side", "right")
    cadence = a.metrics["cadence_spm"]
    assert 160 <= cadence.value <= 175 and cadence.n >= 12
    assert a.metrics["trunk_lean_deg"].value is not None and -10 < a.metrics["trunk_lean_deg"].value < 15
    assert a.metrics["trunk_lean_drift_deg"].value is not None and a.metrics["trunk_lean_drift_deg"].sd is not None
    assert a.drift["trunk_lean_deg"].n_each >= 2
    assert not a.time_scale.suspected


def test_lab_clip_is_detected_as_slow_motion_and_time_metrics_are_null(pose_track_of, videos_dir):
    _, _, a = analyse(pose_track_of, videos_dir, "treadmill_side_lab_slowmo.mp4")
    assert a.activity.activity == "running" and a.orientation.facing == "right"
    assert a.time_scale.suspected
    # Measured: ~18 steps/min by the file's clock (a step lasts ~3 s in the file; see the issue note).
    assert a.time_scale.file_rate_cadence_spm < 130
    assert a.metrics["cadence_spm"].value is None and "slow motion" in a.metrics["cadence_spm"].reason
    assert a.metrics["ground_contact_ms"].value is None
    assert a.metrics["trunk_lean_deg"].value is not None  # angles do not depend on the clock
    assert any("Slow motion suspected" in w for w in a.warnings)


def test_capture_fps_scales_time_metrics_exactly(pose_track_of, videos_dir):
    _, _, slow = analyse(pose_track_of, videos_dir, "treadmill_side_lab_slowmo.mp4", capture_fps=240.0)
    _, _, fast = analyse(pose_track_of, videos_dir, "treadmill_side_lab_slowmo.mp4", capture_fps=480.0)
    assert slow.metrics["cadence_spm"].value is not None
    assert fast.metrics["cadence_spm"].value == pytest.approx(2.0 * slow.metrics["cadence_spm"].value, rel=1e-9)
    assert fast.metrics["cadence_spm"].sd == pytest.approx(2.0 * slow.metrics["cadence_spm"].sd, rel=1e-9)
    assert fast.time_scale.factor == pytest.approx(slow.time_scale.factor / 2.0, rel=1e-12)
    assert fast.metrics["trunk_lean_deg"].value == slow.metrics["trunk_lean_deg"].value


def test_legs_only_closeup_has_no_trunk_or_head_numbers(pose_track_of, videos_dir):
    _, _, a = analyse(pose_track_of, videos_dir, "outdoor_legs_only_closeup.mp4")
    for name in ("trunk_lean_deg", "trunk_lean_drift_deg", "head_flexion_deg", "forward_head_deg"):
        assert a.metrics[name].value is None and a.metrics[name].reason


@pytest.mark.parametrize("name", ["outdoor_front_jog_portrait.mp4", "outdoor_front_road_pace_cuts.mp4"])
def test_front_view_clips_give_front_view_and_null_side_metrics(pose_track_of, videos_dir, name):
    _, _, a = analyse(pose_track_of, videos_dir, name)
    assert a.orientation.view == "front" and a.orientation.facing == "toward"
    for metric in ("trunk_lean_deg", "head_flexion_deg", "overstride_pct_leg", "vertical_oscillation_pct_leg"):
        assert a.metrics[metric].value is None and "side view" in a.metrics[metric].reason


def test_a_jog_too_short_to_tell_is_called_that_not_no_alternating_steps(pose_track_of, videos_dir):
    """2.8 s of a jog toward the camera holds one step: the clip ends before the next, so the activity
    cannot be told -- it is not 'other (no alternating steps)', which is for clips long enough to show gait."""
    _, _, a = analyse(pose_track_of, videos_dir, "outdoor_front_jog_portrait.mp4")
    assert a.activity.activity == "unknown" and a.activity.reason.startswith("only 1 step in 2.8 s: too short to tell")
    assert not any("no alternating steps" in w for w in a.warnings)
    assert any(w.startswith("Only 1 step in 2.8 s") and w.endswith("film at least 10 s.") for w in a.warnings)


def test_front_road_clip_finds_the_four_cuts_and_a_running_cadence(pose_track_of, videos_dir):
    _, track, a = analyse(pose_track_of, videos_dir, "outdoor_front_road_pace_cuts.mp4")
    assert np.allclose(track.time_s[track.scene_cut], [2.5, 5.0, 7.5, 10.0], atol=0.1)
    assert a.activity.activity == "running" and 150 <= a.metrics["cadence_spm"].value <= 195


@pytest.mark.parametrize("name", ["negative_walking_side_studio.mp4", "negative_walking_side_far.avi"])
def test_walking_clips_are_walking_in_both_directions(pose_track_of, videos_dir, name):
    _, _, a = analyse(pose_track_of, videos_dir, name)
    assert a.activity.activity == "walking" and a.orientation.view == "side"
    assert {p.facing for p in a.orientation.passes} == {"left", "right"}
    assert 85 <= a.metrics["cadence_spm"].value <= 130


def test_squat_clip_is_not_running(pose_track_of, videos_dir):
    _, _, a = analyse(pose_track_of, videos_dir, "negative_squat_front_portrait.mp4")
    assert a.activity.activity == "other" and a.metrics["cadence_spm"].value is None


def test_far_elevated_avi_decodes_and_finds_both_directions(pose_track_of, videos_dir):
    info, track, a = analyse(pose_track_of, videos_dir, "outdoor_side_far_elevated.avi")
    assert info.codec == "msmpeg4v2" and track.n_frames >= 220
    assert a.orientation.facing == "mixed" and {p.facing for p in a.orientation.passes} == {"left", "right"}
    assert a.activity.activity == "running"


@pytest.mark.parametrize("name", ["outdoor_two_joggers_oblique.mp4", "track_sprint_broadcast_multi.mp4"])
def test_multi_person_clips_follow_one_person_without_jumps(pose_track_of, videos_dir, name):
    from formcheck.pose.follow import torso_center_and_length

    _, track, _ = analyse(pose_track_of, videos_dir, name)
    found = np.flatnonzero(track.found)
    assert len(found) > 0.5 * track.n_frames
    jumps = 0
    for a, b in zip(found, found[1:]):
        if b != a + 1 or track.scene_cut[b]:
            continue
        ca, cb = torso_center_and_length(track.xy_px[a]), torso_center_and_length(track.xy_px[b])
        if ca and cb and np.linalg.norm(ca[0] - cb[0]) > 1.6 * ca[1]:
            jumps += 1
    assert jumps == 0


def test_short_grass_clip_says_too_few_strides(pose_track_of, videos_dir):
    _, _, a = analyse(pose_track_of, videos_dir, "outdoor_side_grass_short.mp4")
    assert a.orientation.facing == "right"
    assert a.metrics["trunk_lean_drift_deg"].value is None and "5 strides" in a.metrics["trunk_lean_drift_deg"].reason
    assert len(a.strides) <= 2
