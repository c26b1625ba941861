"""Exact recovery of cadence, lean and drift from runners built with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.pipeline import AnalysisOptions, analyze_track
from synthetic_runner import synthetic_track


@pytest.mark.parametrize("cadence", [150.0, 168.0, 185.0])
@pytest.mark.parametrize("facing", [1, -1])
def test_cadence_and_constant_lean_are_recovered(cadence, facing):
    a = analyze_track(synthetic_track(cadence_spm=cadence, lean_start_deg=8.0, lean_end_deg=8.0, facing=facing))
    assert a.activity.activity == "running"
    assert a.orientation.view == "side" and a.orientation.facing == ("right" if facing > 0 else "left")
    assert a.metrics["cadence_spm"].value == pytest.approx(cadence, abs=0.5)
    assert a.metrics["trunk_lean_deg"].value == pytest.approx(8.0, abs=0.2)
    assert a.metrics["trunk_lean_drift_deg"].value == pytest.approx(0.0, abs=0.2)
    assert a.metrics["step_time_asymmetry_pct"].value == pytest.approx(0.0, abs=1.0)


def test_drift_is_the_difference_of_fifths():
    duration = 15.0
    a = analyze_track(synthetic_track(lean_start_deg=6.0, lean_end_deg=13.0, duration_s=duration))
    strides = a.strides
    contacts = np.array([s.contact_s for s in strides])
    stride_s = 120.0 / 168.0
    # contacts sit where the heel is farthest forward: t = k * stride (left), (k + 0.5) * stride (right)
    phase = (contacts / stride_s) % 0.5
    assert np.all(np.minimum(phase, 0.5 - phase) * stride_s < 1.5 / 60.0)
    per_stride = [6.0 + 7.0 * (s.contact_s + s.duration_s / 2) / duration for s in strides]
    kfifth = int(round(len(per_stride) / 5))
    expected = np.mean(per_stride[-kfifth:]) - np.mean(per_stride[:kfifth])
    drift = a.metrics["trunk_lean_drift_deg"]
    assert drift.value == pytest.approx(expected, abs=0.2)
    assert a.drift["trunk_lean_deg"].first_mean < 7.5 and a.drift["trunk_lean_deg"].last_mean > 11.5


def test_time_scale_multiplies_cadence_exactly():
    track = synthetic_track(cadence_spm=20.0, duration_s=40.0, fps=30.0)  # an 8x slow-motion 160 spm runner
    plain = analyze_track(track)
    assert plain.time_scale.suspected and plain.metrics["cadence_spm"].value is None
    scaled = analyze_track(track, AnalysisOptions(capture_fps=240.0))
    assert scaled.metrics["cadence_spm"].value == pytest.approx(20.0 * 8.0, abs=0.5 * 8)
    assert scaled.metrics["cadence_spm"].value == pytest.approx(plain.time_scale.file_rate_cadence_spm * 8.0, rel=1e-9)


def test_height_gives_centimetres():
    a = analyze_track(synthetic_track(), AnalysisOptions(height_cm=180.0))
    pct, cm = a.metrics["overstride_pct_leg"], a.metrics["overstride_cm"]
    assert cm.value == pytest.approx(pct.value / 100.0 * 180.0 * 0.491, rel=1e-9)


def test_lost_frames_are_reported_as_intervals():
    from dataclasses import replace

    track = synthetic_track(duration_s=6.0)
    found = track.found.copy()
    found[60:90] = False  # 1.0 s to 1.483 s at 60 fps
    found[200:203] = False
    lost = replace(track, found=found)
    assert lost.lost_intervals_s() == [(1.0, pytest.approx(89 / 60)), (pytest.approx(200 / 60), pytest.approx(202 / 60))]
    a = analyze_track(lost)
    assert any("2 stretches, longest 1.0-1.5 s" in w for w in a.warnings)


def test_contact_measures_read_the_landing_leg_whatever_its_label():
    """Metamorphic: BlazePose swaps the legs' labels in a side view. Swapping them over a stretch of frames
    (a few contacts) leaves overstride and knee flexion at contact unchanged: both are read from the
    foremost leg, the one the contact was found on -- never the trailing one (a "negative overstride")."""
    from formcheck.pose.landmarks import INDEX

    track = synthetic_track(duration_s=8.0)
    plain = analyze_track(track)
    xy = track.xy_px.copy()
    frames = slice(int(2.0 * track.fps), int(5.0 * track.fps))
    for name in ("hip", "knee", "ankle", "heel", "foot_index"):
        left, right = INDEX[f"left_{name}"], INDEX[f"right_{name}"]
        xy[frames, left], xy[frames, right] = track.xy_px[frames, right], track.xy_px[frames, left]
    from dataclasses import replace

    swapped = analyze_track(replace(track, xy_px=xy))
    assert min(s.overstride_pct_leg for s in swapped.strides) > 0
    for name in ("overstride_pct_leg", "knee_flexion_at_contact_deg"):
        assert swapped.metrics[name].value == pytest.approx(plain.metrics[name].value, abs=0.5), name
        assert swapped.metrics[name].sd == pytest.approx(plain.metrics[name].sd, abs=0.5), name


def test_an_upper_body_no_runner_can_show_is_withheld_not_averaged():
    """Shoulders put below and behind the hips (a legs-only clip's invented torso): a trunk lean of about
    -105 deg in every stride is not a measurement; the metric and its drift are withheld, saying why."""
    a = analyze_track(synthetic_track(lean_start_deg=-105.0, lean_end_deg=-105.0))
    assert min(s.trunk_lean_deg for s in a.strides) < -90
    lean = a.metrics["trunk_lean_deg"]
    assert lean.value is None and "outside what a runner shows (-30 to 60)" in (lean.reason or "")
    assert a.metrics["trunk_lean_drift_deg"].value is None and a.drift["trunk_lean_deg"] is None


def test_frames_without_the_runner_do_not_count_as_shoulders_out_of_view():
    """The runner runs out of the picture for 60 % of the clip: the trunk lean of the frames they are in is
    measured (it was withheld as 'shoulders and hips not in frame in 60 % of frames')."""
    from dataclasses import replace

    track = synthetic_track(duration_s=10.0)
    gone = np.arange(track.n_frames) >= int(0.4 * track.n_frames)
    xy = track.xy_px.copy()
    xy[gone] = np.nan
    a = analyze_track(replace(track, xy_px=xy, found=~gone, visibility=np.where(gone[:, None], 0.0, track.visibility)))
    assert a.metrics["trunk_lean_deg"].value == pytest.approx(8.0, abs=0.3)


def test_a_bounce_no_runner_has_is_withheld_as_the_cameras_doing():
    """The whole body rises and falls 0.3 leg lengths a stride in the picture (a camera looking down on a
    runner crossing it): not a vertical oscillation; the synthetic runner's own bounce (0.08 of its 300-px
    construction leg, 6.4 % of the thigh + shank length the measure divides by) is measured as such."""
    from dataclasses import replace

    track = synthetic_track(duration_s=8.0)
    plain = analyze_track(track)
    assert plain.metrics["vertical_oscillation_pct_leg"].value == pytest.approx(6.4, abs=0.5)
    sway = 0.15 * 300.0 * np.sin(2 * np.pi * (168.0 / 120.0) * track.time_s)  # +-0.15 leg, once a stride
    xy = track.xy_px.copy()
    xy[:, :, 1] += sway[:, None]
    swung = analyze_track(replace(track, xy_px=xy)).metrics["vertical_oscillation_pct_leg"]
    assert swung.value is None and "beyond any runner's bounce (up to 20%)" in (swung.reason or "")


def test_a_leg_laid_along_a_treadmill_rail_gives_no_landing_numbers():
    """The lab clip's failure, built: the model puts one "leg" at hip height ahead of the runner (along the
    treadmill's handrail), swaying with the stride a quarter cycle off the real one. Contacts come from that
    "leg", no landing foot stands ahead of the hip at them, and overstride and knee at contact are withheld,
    saying why -- not averaged from whatever ankle was foremost."""
    from dataclasses import replace

    from formcheck.pose.landmarks import INDEX

    track = synthetic_track(duration_s=8.0)
    xy = track.xy_px.copy()
    hip = xy[:, INDEX["right_hip"]]
    sway = 300.0 * (0.6 + 0.1 * np.cos(2 * np.pi * ((168.0 / 120.0) * track.time_s - 0.3)))  # the left foot behind at its peaks
    for name in ("knee", "ankle", "heel", "foot_index"):
        xy[:, INDEX[f"right_{name}"], 0] = hip[:, 0] + sway * (0.5 if name == "knee" else 1.0)
        xy[:, INDEX[f"right_{name}"], 1] = hip[:, 1]  # at hip height
    a = analyze_track(replace(track, xy_px=xy))
    for name in ("overstride_pct_leg", "knee_flexion_at_contact_deg"):
        metric = a.metrics[name]
        assert metric.value is None and "a landing foot ahead of the hip was found at only" in (metric.reason or ""), name
