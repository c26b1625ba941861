"""No NaN or infinity reaches a metric or ``summary.json``: by construction, on every view.

The real rear-view clip of issue 9 crashed on a zero-length step (inf cadence);
a rear view is built here from a front-view track the way the pose model
reports one (the body's left on the image's left: labels swapped) and run
backwards in time (the runner going away), with repeated timestamps as a VFR
file can have.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.metrics import Metric, mean_metric, null
from formcheck.analysis.outputs import summary_dict
from formcheck.analysis.pipeline import AnalysisOptions, analyze_track
from formcheck.gait.events import FootEvent
from formcheck.gait.strides import steps_from_contacts
from formcheck.pose.landmarks import MIRROR
from formcheck.pose.track import PoseTrack
from formcheck.video.probe import probe_video

SIDE_ONLY = ("trunk_lean_deg", "trunk_lean_drift_deg", "head_flexion_deg", "forward_head_deg",
             "vertical_oscillation_pct_leg", "overstride_pct_leg", "knee_flexion_at_contact_deg", "ground_contact_ms")  # fmt: skip


def strict_json(document: object) -> object:
    """Serialise and parse back the way a strict reader does: NaN/Infinity are errors."""

    def refuse(constant: str) -> object:
        raise ValueError(f"non-standard JSON constant {constant}")

    text = json.dumps(document, allow_nan=False, default=lambda v: v.item())
    return json.loads(text, parse_constant=refuse)


def assert_all_metrics_valid(summary: dict) -> None:
    for name, metric in summary["metrics"].items():
        assert (metric["value"] is None) == (metric["reason"] is not None), name
        for key in ("value", "sd"):
            assert metric[key] is None or math.isfinite(metric[key]), (name, metric)


@pytest.mark.parametrize("value, sd", [(math.nan, 1.0), (math.inf, None), (-math.inf, 2.0), (np.float64("nan"), np.nan)])
def test_a_non_finite_value_becomes_null_with_a_reason(value, sd):
    metric = Metric(value, "steps/min", sd, 3)
    assert metric.value is None and metric.sd is None and metric.reason
    strict_json(metric.as_json())


def test_a_non_finite_spread_is_dropped_and_a_null_always_has_a_reason():
    metric = Metric(np.float32(170.0), "steps/min", math.inf, 5)
    assert metric.value == 170.0 and metric.sd is None and metric.reason is None
    assert Metric(None, "deg").reason == "not measured"
    assert Metric(170.0, "steps/min").scaled(math.inf).value is None
    assert mean_metric([1.0, math.inf, math.nan], "deg").value is None  # one finite value: null, not NaN
    assert null("deg", "why").as_json() == {"value": None, "unit": "deg", "sd": None, "n": 0, "reason": "why"}


def test_bounds_null_an_impossible_cadence():
    assert Metric(463.0, "steps/min", 10.0, 2).bounded(130, 300, "running cadence").value is None
    assert "not a possible running cadence" in Metric(463.0, "steps/min").bounded(130, 300, "running cadence").reason
    assert Metric(170.0, "steps/min").bounded(130, 300, "running cadence").value == 170.0


def test_zero_length_steps_are_not_steps():
    contacts = [FootEvent(i % 2, "contact", i, t, 0) for i, t in enumerate([0.0, 0.35, 0.35, 0.70, 1.05, 1.05, 1.40])]
    steps = steps_from_contacts(contacts)
    assert steps and all(s.duration_s > 0.1 for s in steps)


def rear_view(track: PoseTrack) -> PoseTrack:
    """The track a pose model gives for the same runner seen from behind going away."""
    order = np.arange(track.n_frames)[::-1]
    return replace(track, xy_px=track.xy_px[order][:, MIRROR], z=track.z[order][:, MIRROR],
                   visibility=track.visibility[order][:, MIRROR], found=track.found[order],
                   scene_cut=np.roll(track.scene_cut[order], 1), identity_rejected=track.identity_rejected[order],
                   damaged=track.damaged[order])  # fmt: skip


def with_repeated_timestamps(track: PoseTrack, every: int = 7) -> PoseTrack:
    times = track.time_s.copy()
    times[every::every] = times[every - 1 :: every][: len(times[every::every])]
    return replace(track, time_s=times)


CLIPS = ["outdoor_front_jog_portrait.mp4", "outdoor_front_road_pace_cuts.mp4", "outdoor_two_joggers_oblique.mp4"]


@pytest.mark.slow
@pytest.mark.parametrize("name", CLIPS)
@pytest.mark.parametrize("variant", ["as filmed", "rear view", "rear view, repeated timestamps"])
def test_front_rear_and_oblique_clips_give_strict_json(pose_track_of, videos_dir, name, variant):
    info, track = pose_track_of(videos_dir / name)
    if variant != "as filmed":
        track = rear_view(track)
    if "repeated" in variant:
        track = with_repeated_timestamps(track)
    analysis = analyze_track(track, AnalysisOptions())
    summary = strict_json(summary_dict(info, track, analysis, AnalysisOptions()))
    assert_all_metrics_valid(summary)
    view = analysis.orientation.view
    assert view in ("front", "back", "oblique"), view
    words = {"front": "front view", "back": "rear view", "oblique": "oblique view"}[view]
    for metric in SIDE_ONLY:
        assert summary["metrics"][metric]["value"] is None
        assert f"not measurable from a{'n' if view == 'oblique' else ''} {words}" in summary["metrics"][metric]["reason"]


@pytest.mark.slow
def test_a_rear_view_is_called_rear_and_still_gets_its_cadence(pose_track_of, videos_dir):
    _, track = pose_track_of(videos_dir / "outdoor_front_road_pace_cuts.mp4")
    analysis = analyze_track(rear_view(track), AnalysisOptions())
    assert (analysis.orientation.view, analysis.orientation.facing) == ("back", "away")
    assert analysis.metrics["trunk_lean_deg"].reason.startswith("not measurable from a rear view")
    cadence = analysis.metrics["cadence_spm"]
    assert cadence.value is not None and 150 <= cadence.value <= 195 and cadence.n >= 10


@pytest.mark.slow
def test_time_reversed_front_clip_through_the_engine_writes_strict_json(tmp_path):
    """The whole engine (pose, analysis, files) on a re-encoded clip of a runner going away."""
    from clip_variants import variants_dir, write_variant

    from formcheck.analysis.service import VideoJob, analyze_video

    src = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "videos" / "outdoor_front_road_pace_cuts.mp4"
    if not src.exists():
        pytest.skip("shared clips not present")
    clip = write_variant(src, variants_dir() / "front_road_reversed.mp4", lambda i, im: im, reverse=True)
    assert probe_video(clip).frames == probe_video(src).frames
    out = tmp_path / "out"
    analyze_video(VideoJob(video=clip, out_dir=out, workers=1))
    summary = json.loads((out / "summary.json").read_text(), parse_constant=lambda c: pytest.fail(c))
    assert_all_metrics_valid(summary)
