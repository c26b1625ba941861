"""head_posture: a head that drops and pokes forward over the clip fires, worded as a plausible (unconfirmed) mechanism."""

from __future__ import annotations

import pytest
from video_builders import d, front_video, inputs, m, null, side_video, thresholds

from formcheck.findings.causes import head_posture
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def slouching() -> Finding:
    video = side_video(
        head_flexion_deg=m(32.0, 4.0, 40), forward_head_deg=m(38.0, 3.0, 40),
        drift={"head_flexion_deg": d(24.0, 36.5, sd=3.0, n_each=8), "forward_head_deg": d(33.0, 41.0, sd=2.0, n_each=8)},
    )  # fmt: skip
    found = head_posture.assess(inputs(video), TH)
    assert isinstance(found, Finding)
    return found


def test_head_dropping_over_the_run_fires_with_the_numbers() -> None:
    found = slouching()
    assert found.rules_fired == ("head_flexion_high", "forward_head_high", "head_drops", "forward_head_grows")
    assert found.score == pytest.approx(1.0)
    assert found.evidence[0] == "head flexion (looking down) averaged 32.0 deg ± 4.0, at or above 30 deg (measured over 40 strides in clip run.mp4)"
    assert found.evidence[1] == "the head sat forward of the shoulders by 38.0 deg (at or above 35 deg)"
    assert found.evidence[2] == ("head flexion (looking down) rose from 24.0 deg to 36.5 deg between the first and last "
                                 "fifth of strides (n = 8 each)")  # fmt: skip
    assert found.evidence[3] == "forward head rose from 33.0 deg to 41.0 deg between the first and last fifth of strides (n = 8 each)"
    assert found.plan == ("posture_cues", "trunk_endurance_progression", "film_again")
    assert found.confidence == pytest.approx(1.0)


def test_the_link_to_the_back_is_worded_as_unconfirmed() -> None:
    mechanism = slouching().evidence[-1]
    assert "plausible" in mechanism and "no study has confirmed it" in mechanism
    assert any("no published running norm" in s for s in slouching().sources)


def test_drift_alone_fires_only_the_drift_rule() -> None:
    video = side_video(drift={"head_flexion_deg": d(12.0, 19.0, sd=2.0, n_each=6)})
    found = head_posture.assess(inputs(video), TH)
    assert isinstance(found, Finding) and found.rules_fired == ("head_drops",)
    assert found.score == pytest.approx(TH.value("head_posture.weights.head_drops"))


def test_steady_head_does_not_fire() -> None:
    found = head_posture.assess(inputs(side_video()), TH)
    assert isinstance(found, Finding)
    assert found.score == 0.0 and found.rules_fired == () and found.evidence == () and found.plan == ()
    assert found.against[0] == ("head flexion (looking down) averaged 15.0 deg ± 1.0, below 30 deg: the head was not held "
                                "low (measured over 40 strides in clip run.mp4)")  # fmt: skip
    assert found.against[2].endswith("(n = 8 each): less than 5 deg")


def test_head_coming_up_argues_against() -> None:
    video = side_video(head_flexion_deg=m(26.4, 5.5, 16), drift={"head_flexion_deg": d(29.3, 17.9, sd=2.5, n_each=3)})
    found = head_posture.assess(inputs(video), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert ("head flexion (looking down) fell from 29.3 deg to 17.9 deg between the first and last fifth of strides "
            "(n = 3 each): the head came up, not down, over the clip") in found.against  # fmt: skip


def test_a_rise_within_scatter_or_from_one_stride_a_fifth_does_not_fire() -> None:
    noisy = side_video(drift={"head_flexion_deg": d(15.0, 22.0, sd=9.0, n_each=3)})  # 2 SE = 10.4 deg > 7 deg
    single = side_video(drift={"head_flexion_deg": d(15.0, 25.0, sd=0.0, n_each=1)})
    reasons = ("within stride-to-stride scatter (± 9.0 deg)", "too few strides per fifth to tell a drift from stride-to-stride scatter")
    for video, reason in zip((noisy, single), reasons):
        found = head_posture.assess(inputs(video), TH)
        assert isinstance(found, Finding) and "head_drops" not in found.rules_fired
        assert found.against[2].endswith(reason)


def test_short_clip_says_drift_is_not_the_whole_run_and_lowers_confidence() -> None:
    long, short = side_video(), side_video(duration_s=6.5)
    found_long, found_short = (head_posture.assess(inputs(v), TH) for v in (long, short))
    assert isinstance(found_short, Finding) and isinstance(found_long, Finding)
    assert "the clip lasts 6.5 s: drift within it says little about tiring over a whole run" in found_short.against
    assert found_short.confidence < found_long.confidence
    assert found_short.plan == ("film_again",)


def test_front_view_is_not_assessed_with_its_reason() -> None:
    result = head_posture.assess(inputs(front_video()), TH)
    assert isinstance(result, NotAssessed)
    assert result.needs.startswith("head posture not measurable in front.mp4: front view: this measure needs a side view; "
                                   "add a side-view running video, filmed at hip height, 10 s or more, to assess head posture")  # fmt: skip


def test_head_out_of_frame_reason_is_passed_on() -> None:
    video = side_video(head_flexion_deg=null("head not in frame in 70% of frames"), forward_head_deg=null("head not in frame in 70% of frames"))
    result = head_posture.assess(inputs(video), TH)
    assert isinstance(result, NotAssessed) and "head not in frame in 70% of frames" in result.needs


def test_no_video_is_not_assessed() -> None:
    result = head_posture.assess(inputs(), TH)
    assert isinstance(result, NotAssessed) and result.needs.startswith("add a side-view running video")


def test_missing_drift_lowers_confidence() -> None:
    video = side_video(drift={"head_flexion_deg": None, "forward_head_deg": None})
    found = head_posture.assess(inputs(video), TH)
    assert isinstance(found, Finding)
    assert found.confidence == pytest.approx((1 + 1 + 0 + 0 + 1 + 1) / 6, abs=1e-3)
    assert "head flexion (looking down) drift not measured: fewer than 5 strides in run.mp4" in found.against


def test_camera_tilt_is_said_and_lowers_the_weight_of_the_angles_not_the_drift() -> None:
    tilt = ("The scene's straight lines are about 6.0 deg off level: the camera may be tilted, so trunk lean may be off by "
            "about 6 deg. Level the phone for a better reading.")  # fmt: skip
    level = slouching()
    video = side_video(
        head_flexion_deg=m(32.0, 4.0, 40), forward_head_deg=m(38.0, 3.0, 40), warnings=(tilt,),
        drift={"head_flexion_deg": d(24.0, 36.5, sd=3.0, n_each=8), "forward_head_deg": d(33.0, 41.0, sd=2.0, n_each=8)},
    )  # fmt: skip
    tilted = head_posture.assess(inputs(video), TH)
    assert isinstance(tilted, Finding) and tilted.rules_fired == level.rules_fired
    assert tilted.confidence == pytest.approx((0.5 + 0.5 + 1 + 1 + 1 + 1) / 6, abs=1e-3)
    assert "the camera may be tilted by about 6.0 deg, so the head angles may be off by as much (the drift, a difference, is not affected)" in tilted.against


def test_walking_clip_is_named_in_what_is_needed() -> None:
    result = head_posture.assess(inputs(side_video("walk.mp4", activity="walking")), TH)
    assert isinstance(result, NotAssessed) and result.needs.startswith("walk.mp4 shows walking, not running; add a side-view")


def test_a_scattered_head_angle_does_not_fire() -> None:
    video = side_video(head_flexion_deg=m(33.0, 8.0, 9))  # 2 SE = 5.3 deg: 33 - 5.3 < 30
    found = head_posture.assess(inputs(video), TH)
    assert isinstance(found, Finding) and found.rules_fired == ()
    assert found.against[0].startswith("head flexion (looking down) averaged 33.0 deg ± 8.0, above 30 deg but not by 2 "
                                       "standard errors (± 5.3 deg;")  # fmt: skip
