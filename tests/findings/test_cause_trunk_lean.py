"""trunk_lean: a high mean lean and lean that grows over the clip fire; an upright, steady runner does not."""

from __future__ import annotations

import pytest
from video_builders import d, front_video, inputs, m, null, side_video, thresholds

from formcheck.findings.causes import trunk_lean
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()
TILT = ("The scene's straight lines are about 12.8 deg off level: the camera may be tilted, so trunk lean may be off "
        "by about 13 deg. Level the phone for a better reading.")  # fmt: skip


def leaning(**kwargs: object) -> Finding:
    video = side_video(trunk_lean_deg=m(12.0, 1.0, 45), drift={"trunk_lean_deg": d(6.1, 11.8, sd=1.5, n_each=9)}, **kwargs)
    result = trunk_lean.assess(inputs(video), TH)
    assert isinstance(result, Finding)
    return result


def test_lean_that_grows_fires_every_rule_with_the_measured_numbers() -> None:
    found = leaning()
    assert found.rules_fired == ("lean_forward", "lean_high_group", "lean_grows", "lean_grows_large")
    assert found.score == pytest.approx(1.0)
    assert found.evidence[0] == ("trunk lean averaged 12.0 deg ± 1.0 over 45 strides in clip run.mp4: nearer the high-lean "
                                 "group of Teng & Powers 2015 (10.8 deg, more hip-extensor work) than the low-lean group (3.6 deg)")  # fmt: skip
    assert found.evidence[1].startswith(
        "trunk lean rose from 6.1 deg to 11.8 deg between the first and last fifth of strides (n = 9 each)")
    assert "Koblbauer" in found.evidence[1] and "~4 deg" in found.evidence[1] and "Hart et al. 2009" in found.evidence[1]
    assert found.plan == ("posture_cues", "trunk_endurance_progression", "hinge_accessories", "film_again")
    assert found.measures["drift"]["change"] == pytest.approx(5.7)
    assert found.confidence == pytest.approx(1.0)
    assert any("Teng & Powers" in s for s in found.sources) and any("Koblbauer" in s for s in found.sources)


def test_upright_steady_runner_does_not_fire() -> None:
    found = trunk_lean.assess(inputs(side_video()), TH)
    assert isinstance(found, Finding)
    assert found.score == 0.0 and found.rules_fired == () and found.evidence == () and found.plan == ()
    assert found.against[0].endswith("below 7.2 deg (midway between the 3.6 and 10.8 deg groups of Teng & Powers 2015)")
    assert found.against[1] == ("trunk lean rose from 4.0 deg to 4.3 deg between the first and last fifth of strides "
                                "(n = 8 each): less than 2 deg")  # fmt: skip


def test_leaning_back_and_falling_lean_argue_against() -> None:
    video = side_video(trunk_lean_deg=m(-1.7, 0.5, 16), drift={"trunk_lean_deg": d(-1.5, -2.3, 0.8, 3)})
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert "upright or leaning back, not forward" in found.against[0]
    assert found.against[1].endswith("(n = 3 each): the lean did not grow over the clip")


def test_a_rise_within_the_stride_scatter_does_not_fire() -> None:
    video = side_video(drift={"trunk_lean_deg": d(4.0, 7.0, sd=8.0, n_each=2)})  # 2 SE = 11.3 deg > 3 deg
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and "lean_grows" not in found.rules_fired
    assert found.against[1].endswith("within stride-to-stride scatter (± 8.0 deg)")


def test_camera_tilt_lowers_confidence_and_is_said_but_drift_still_counts() -> None:
    level, tilted = leaning(), leaning(warnings=(TILT,))
    assert tilted.confidence < level.confidence
    assert tilted.confidence == pytest.approx((0.5 + 1 + 1 + 1) / 4)
    assert "lean_grows" in tilted.rules_fired
    assert any(s.startswith("the camera may be tilted by about 12.8 deg") for s in tilted.against)
    assert tilted.measures["camera_tilt_deg"] == 12.8
    assert side_video().tilt_warning_deg() is None and side_video(warnings=(TILT,)).tilt_warning_deg() == 12.8


def test_front_view_is_not_assessed_with_the_reason_and_what_to_film() -> None:
    result = trunk_lean.assess(inputs(front_video()), TH)
    assert isinstance(result, NotAssessed)
    assert result.needs == ("trunk lean not measurable in front.mp4: front view: this measure needs a side view; add a "
                            "side-view running video, filmed at hip height, 10 s or more, to assess trunk lean and how it "
                            "changes as you tire")  # fmt: skip


def test_no_running_clip_is_not_assessed() -> None:
    assert isinstance(trunk_lean.assess(inputs(), TH), NotAssessed)
    walking = side_video("walk.mp4", activity="walking", trunk_lean_deg=m(15.0))
    result = trunk_lean.assess(inputs(walking), TH)
    assert isinstance(result, NotAssessed)
    assert result.needs.startswith("walk.mp4 shows walking, not running; add a side-view running video")


def test_too_few_strides_for_drift_says_why_and_lowers_confidence() -> None:
    video = side_video(trunk_lean_deg=m(9.0, 1.0, 3), trunk_lean_drift_deg=null("drift needs at least 5 strides, got 3", 3),
                       drift={"trunk_lean_deg": None}, duration_s=3.0)  # fmt: skip
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and found.rules_fired == ("lean_forward",)
    assert "lean drift not measured in run.mp4: drift needs at least 5 strides, got 3" in found.against
    assert found.confidence == pytest.approx((1 + 0 + 3 / 25 + 3 / 30) / 4, abs=1e-3)


def test_the_clip_with_most_strides_is_used_and_named() -> None:
    short = side_video("short.mp4", trunk_lean_deg=m(2.0, 1.0, 6))
    long = side_video("long.mp4", trunk_lean_deg=m(9.0, 1.0, 30))
    found = trunk_lean.assess(inputs(short, long, front_video()), TH)
    assert isinstance(found, Finding) and found.measures["clip"] == "long.mp4"
    assert "30 strides in clip long.mp4, the one of 3 running clips with the most strides" in found.evidence[0]


def test_thresholds_come_from_the_data_file() -> None:
    found = trunk_lean.assess(inputs(side_video()), thresholds(**{"trunk_lean.forward_deg": 3.0}))
    assert isinstance(found, Finding) and found.rules_fired == ("lean_forward",)
    assert found.score == pytest.approx(TH.value("trunk_lean.weights.lean_forward"))


def test_a_mean_past_the_cue_within_its_uncertainty_does_not_fire() -> None:
    video = side_video(trunk_lean_deg=m(8.4, 1.5, 2))  # 2 SE = 2.1 deg: 8.4 - 2.1 < 7.2
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and "lean_forward" not in found.rules_fired
    assert found.against[0] == ("trunk lean averaged 8.4 deg ± 1.5 over 2 strides in clip run.mp4: above 7.2 deg, but not "
                                "by 2 standard errors (± 2.1 deg)")  # fmt: skip


def test_one_stride_per_fifth_cannot_show_a_drift() -> None:
    video = side_video(drift={"trunk_lean_deg": d(4.0, 9.0, sd=0.0, n_each=1)})
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and "lean_grows" not in found.rules_fired
    assert found.against[1].endswith("(n = 1 each): too few strides per fifth to tell a drift from stride-to-stride scatter")


def test_one_stride_per_fifth_gives_no_verdict_either_way() -> None:
    """A fall from 9 to 4 deg over one stride a fifth is not "the lean did not grow": no verdict at all."""
    video = side_video(drift={"trunk_lean_deg": d(9.0, 4.0, sd=0.0, n_each=1)})
    found = trunk_lean.assess(inputs(video), TH)
    assert isinstance(found, Finding) and not any("did not grow" in s for s in found.against)
    assert any(s.endswith("(n = 1 each): too few strides per fifth to tell a drift from stride-to-stride scatter")
               for s in found.against)  # fmt: skip


def test_slow_motion_is_as_short_as_the_real_time_it_covers() -> None:
    """31.7 s of 4x slow motion is 7.9 s of running: the short-clip caveat applies, in real seconds; without
    the capture rate the real length is unknown, and the clip is still taken as short."""
    from dataclasses import replace

    slow = replace(side_video(duration_s=31.7), time_factor=0.25)
    found = trunk_lean.assess(inputs(slow), TH)
    assert any(s.startswith("the clip lasts 7.9 s of real time: drift within it") for s in found.against)
    unscaled = replace(side_video(duration_s=31.7), slow_motion_unscaled=True)
    found_unscaled = trunk_lean.assess(inputs(unscaled), TH)
    assert any(s.startswith("the clip is slow motion (32 s of file time) without its capture rate") for s in found_unscaled.against)
    real_time = trunk_lean.assess(inputs(side_video(duration_s=31.7)), TH)
    assert not any("the clip lasts" in s for s in real_time.against)
    assert found_unscaled.confidence < found.confidence < real_time.confidence
