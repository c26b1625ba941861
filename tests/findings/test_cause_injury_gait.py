"""injury_gait: a reported injury with uneven steps fires; even steps argue against; nothing to go on is not assessed."""

from __future__ import annotations

import pytest
from video_builders import front_video, inputs, m, null, side_video, thresholds

from formcheck.answers.model import Answers, History, Injury
from formcheck.findings.causes import injury_gait
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()
SPRAIN = Answers(history=History(injuries=(Injury(part="ankle", side="left", months_ago=8),)))
OLD_KNEE = Answers(history=History(injuries=(Injury(part="knee", side="right", months_ago=60),)))


def assess(*videos: object, answers: Answers = Answers()) -> Finding | NotAssessed:
    return injury_gait.assess(inputs(*videos, answers=answers), TH)  # type: ignore[arg-type]


def test_sprain_with_uneven_steps_fires_every_rule() -> None:
    found = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)), answers=SPRAIN)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("injury_reported", "injury_recent", "asymmetry", "asymmetry_with_injury")
    assert found.score == pytest.approx(0.85)
    assert found.evidence[0] == "reported injury: left ankle 8 months ago"
    # cadence 170 steps/min -> 352.9 ms a step; one frame at 60 fps = 16.7 ms = 4.7 % of it
    assert found.evidence[1] == ("left and right step times differed by 14.0 % over 80 steps in clip run.mp4, at or above "
                                 "10 %; one frame (16.7 ms) is 4.7 % of a step here")  # fmt: skip
    assert "not which side" in found.evidence[2]
    assert found.plan == ("gait_rehab", "film_again")
    assert found.confidence == 1.0


def test_injury_with_even_steps_is_argued_against() -> None:
    found = assess(side_video(), answers=SPRAIN)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("injury_reported", "injury_recent", "symmetric_gait")
    assert found.score == pytest.approx(0.15 + 0.10 - 0.15)
    assert found.against == ("left and right step times differed by 2.0 % over 80 steps in clip run.mp4: under 5 %, the "
                             "steps are even; one frame (16.7 ms) is 4.7 % of a step here",)  # fmt: skip
    assert found.plan == ()


def test_old_injury_fires_less_than_a_recent_one() -> None:
    old = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)), answers=OLD_KNEE)
    recent = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)), answers=SPRAIN)
    assert isinstance(old, Finding) and isinstance(recent, Finding)
    assert "injury_recent" not in old.rules_fired and old.score < recent.score


def test_asymmetry_without_a_reported_injury_is_a_low_score() -> None:
    none = Answers(history=History(injuries=()))  # answered: no injury
    found = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)), answers=none)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("asymmetry",) and found.score == pytest.approx(0.25)
    assert "no leg, hip or back injury reported" in found.against
    assert found.confidence == 0.5


def test_injuries_not_given_are_not_read_as_none() -> None:
    """Skipping the question is not answering "no injury": it is said as what would tell, not argued against."""
    found = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)))
    assert isinstance(found, Finding) and found.rules_fired == ("asymmetry",)
    assert not any("injury reported" in s for s in found.against)
    assert any(s.startswith("past injuries not given: give your past injuries") for s in found.evidence)


def test_injury_without_a_video_asks_for_one() -> None:
    found = assess(answers=SPRAIN)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("injury_reported", "injury_recent") and found.confidence == 0.5
    assert found.against == ("no running video to measure left/right step times; add a running video of 10 s or more "
                             "(side or front view) to check for an uneven stride",)  # fmt: skip
    assert found.plan == ("gait_rehab", "film_again")  # a recent sprain nothing has cleared: its rehab, and film


def test_no_injury_and_no_video_is_not_assessed() -> None:
    result = assess()
    assert isinstance(result, NotAssessed)
    assert "past injuries" in result.needs and "running video" in result.needs and result.asks == ("history.injuries",)


def test_unmeasurable_asymmetry_without_injury_is_not_assessed_with_the_reason() -> None:
    result = assess(side_video(step_time_asymmetry_pct=null("needs at least 2 steps ending on each foot", 3)))
    assert isinstance(result, NotAssessed)
    assert result.needs.startswith("left/right step times not measurable in run.mp4: needs at least 2 steps ending on each foot")


def test_front_view_still_measures_asymmetry() -> None:
    found = assess(front_video(step_time_asymmetry_pct=m(12.0, None, 40)), answers=SPRAIN)
    assert isinstance(found, Finding) and "asymmetry_with_injury" in found.rules_fired


def test_asymmetry_below_one_frame_is_not_counted() -> None:
    coarse = side_video(step_time_asymmetry_pct=m(12.0, None, 20), fps=15.0)  # one frame = 18.9 % of a step
    found = assess(coarse, answers=SPRAIN)
    assert isinstance(found, Finding) and "asymmetry" not in found.rules_fired
    assert found.against[0].endswith("within the clip's timing resolution; one frame (66.7 ms) is 18.9 % of a step here")


def test_even_steps_are_not_claimed_when_a_frame_is_coarser_than_even() -> None:
    """At 30 fps one frame is 9.4 % of a step: a measured 3 % cannot tell "under 5 %, the steps are even"."""
    coarse = side_video(step_time_asymmetry_pct=m(3.0, None, 40), fps=30.0)
    found = assess(coarse, answers=SPRAIN)
    assert isinstance(found, Finding) and "symmetric_gait" not in found.rules_fired
    assert found.against[0].endswith("within the clip's timing resolution; one frame (33.3 ms) is 9.4 % of a step here")
    assert found.plan == ("gait_rehab",)  # the recent sprain is not cleared by a clip this coarse


def test_an_upper_body_injury_is_not_a_gait_injury() -> None:
    shoulder = Answers(history=History(injuries=(Injury(part="shoulder", side="left", months_ago=2),)))
    found = assess(side_video(step_time_asymmetry_pct=m(14.0, None, 80)), answers=shoulder)
    assert isinstance(found, Finding) and found.rules_fired == ("asymmetry",)


def test_the_clip_with_most_steps_is_used() -> None:
    few = side_video("few.mp4", step_time_asymmetry_pct=m(20.0, None, 8))
    many = side_video("many.mp4", step_time_asymmetry_pct=m(3.0, None, 60))
    found = assess(few, many, answers=SPRAIN)
    assert isinstance(found, Finding) and found.measures["clip"] == "many.mp4"
    assert "(of 2 running clips, the one with the most steps)" in found.against[0]
