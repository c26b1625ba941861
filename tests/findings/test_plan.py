"""The plan: every catalogue item has steps, each planned item says why, a video to take always last (film_again, or film_first without one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from findings_builders import answers, check
from video_builders import thresholds

from formcheck.findings.causes import cause_modules
from formcheck.findings.engine import assess
from formcheck.findings.model import Finding, RedFlag
import formcheck.findings.plan as plan_module
from formcheck.findings.plan import PLAN_IDS, build_plan, load_catalogue, parse_catalogue

TH = thresholds()


def finding(cause: str, score: float, plan: tuple[str, ...], **measures: object) -> Finding:
    return Finding(cause, cause.replace("_", " "), score, 1.0, (f"{cause} evidence",), plan=plan, measures=measures)


def test_catalogue_has_every_id_with_concrete_steps() -> None:
    catalogue = load_catalogue()
    assert set(PLAN_IDS) <= set(catalogue.items)
    assert all(item.steps and item.title for item in catalogue.items.values())
    assert "flexion" in (catalogue.items["rowing_alternative"].caveat or "")
    assert any("48-72 h" in s for s in catalogue.items["schedule_spacing"].steps)
    assert any("not to a fixed 180" in s for s in catalogue.items["cadence_increase"].steps)
    assert any("side bridge" in s for s in catalogue.items["trunk_endurance_progression"].steps)


def test_items_follow_the_ranking_and_each_says_why() -> None:
    ranked = [finding("lifting_fatigue", 0.9, ("schedule_spacing",)), finding("no_warmup", 0.4, ("warmup_routine", "schedule_spacing")),
              finding("substances", 0.1, ("substances_review",))]
    plan = build_plan(ranked, (), TH)
    assert [p.id for p in plan] == ["schedule_spacing", "warmup_routine", "film_again"]
    assert len(plan[0].why) == 2 and plan[0].why[0].startswith("lifting fatigue (score 90/100): lifting_fatigue evidence")
    assert all(p.why for p in plan)
    assert any("What should change - lifting fatigue" in s for s in plan[-1].steps)


def test_red_flag_puts_see_clinician_first_and_nothing_fired_still_films_again() -> None:
    plan = build_plan([], (RedFlag("fever", "Fever: see a clinician.", "soon"),), TH)
    assert [p.id for p in plan] == ["see_clinician", "film_again"]
    assert plan[0].why == ("red flag (soon): Fever: see a clinician.",)


def test_cadence_target_is_relative_to_the_runners_own_cadence() -> None:
    plan = build_plan([finding("stride_mechanics", 0.6, ("cadence_increase",), cadence_spm=160.0)], (), TH)
    assert plan[0].steps[0] == "Your cadence was 160 steps/min: aim for 168-176 steps/min."


def test_every_cause_asks_only_for_catalogue_items() -> None:
    full = check(answers=answers(warmup={"done": False}, substances={"taken": ["oral_anabolic_steroid", "creatine"]},
                                 endurance={"extensor_s": 50, "flexor_s": 90, "side_bridge_left_s": 60, "side_bridge_right_s": 40}))
    result = assess(full)
    catalogue = load_catalogue()
    assert all(item in catalogue.items for f in result.findings for item in f.plan)
    assert result.plan[0].id == "see_clinician" and result.plan[-1].id == "film_first"  # no video given
    assert len(cause_modules()) == 12


def test_trunk_endurance_target_balances_the_longest_other_hold() -> None:
    f = finding("trunk_endurance", 0.8, ("trunk_endurance_progression",), extensor_s=58.0, flexor_s=96.0, left_s=52.0, right_s=60.0)
    steps = build_plan([f], (), TH)[0].steps
    # flexor:extensor < 1.0 needs > 96 s; side:extensor < 0.75 needs > 60 / 0.75 = 80 s: the flexor asks for more.
    assert steps[0] == ("Your back-extensor hold was 58 s: work toward 96 s or more, so that it balances your flexor hold "
                        "of 96 s (McGill et al. 1999 ratios).")  # fmt: skip
    balanced = finding("trunk_endurance", 0.8, ("trunk_endurance_progression",), extensor_s=150.0, flexor_s=90.0)
    assert build_plan([balanced], (), TH)[0].steps[0].startswith("Three times a week")


def test_substances_review_only_speaks_of_what_was_taken() -> None:
    result = assess(check(answers=answers(substances={"taken": ["creatine"]})))
    review = next(p for p in result.plan if p.id == "substances_review")
    assert review.steps[0].startswith("Creatine:") and not any("steroid" in s for s in review.steps)


def test_a_clinician_asked_for_without_a_red_flag_does_not_point_at_red_flags() -> None:
    """An oral steroid asks for a clinician; the page shows "No red flags", so the plan may not say to follow them."""
    result = assess(check(answers=answers(substances={"taken": ["oral_anabolic_steroid", "creatine"]})))
    assert result.red_flags == ()
    clinician = next(p for p in result.plan if p.id == "see_clinician")
    assert not any("red-flag" in s or "Hold the rest" in s for s in clinician.steps)
    assert clinician.steps == ("Take this report with you: it lists what you answered and what was measured.",)
    flagged = build_plan([], (RedFlag("fever", "Fever: see a clinician.", "soon"),), TH)
    assert flagged[0].steps[0].startswith("Follow the red-flag advice at the top of this report first")
    assert "Hold the rest of this plan until a clinician has seen you." in flagged[0].steps


def test_the_substance_caveat_is_shown_and_not_read_as_a_substance() -> None:
    """The caveat line sat under [by_substance] in plan.toml, so it was a 'substance' and never shown."""
    result = assess(check(answers=answers(substances={"taken": ["oral_anabolic_steroid"]})))
    review = next(p for p in result.plan if p.id == "substances_review")
    assert review.caveat is not None and "steroid back pumps are lifter lore" in review.caveat
    assert set(load_catalogue().items["substances_review"].by_substance) == {
        "oral_anabolic_steroid", "other_hormone", "creatine", "stimulant_preworkout"}
    text = (Path(plan_module.__file__).with_name("plan.toml")).read_text()
    broken = text.replace('stimulant_preworkout = "Pre', 'caveat = "x"\nstimulant_preworkout = "Pre')
    with pytest.raises(ValueError, match=r"\[items.substances_review.by_substance\] has caveat, which is not a substance"):
        parse_catalogue(broken)


def test_the_big_three_are_not_prescribed_when_the_holds_are_balanced() -> None:
    """posterior_chain asks for the trunk progression; four holds inside McGill's ratios say it is not needed."""
    accessory = finding("posterior_chain", 0.55, ("hinge_accessories", "trunk_endurance_progression"))
    balanced = Finding("trunk_endurance", "t", 0.0, 1.0, ("ratios fine",))
    assert "trunk_endurance_progression" not in [p.id for p in build_plan([accessory, balanced], (), TH)]
    assert "trunk_endurance_progression" in [p.id for p in build_plan([accessory], (), TH)]  # holds unknown: kept
    unsure = Finding("trunk_endurance", "t", 0.0, 0.5, ("one ratio fine",))  # two holds of four
    assert "trunk_endurance_progression" in [p.id for p in build_plan([accessory, unsure], (), TH)]


def test_a_runner_who_runs_once_a_week_is_not_told_to_swap_a_run_for_rowing() -> None:
    rowing = load_catalogue().items["rowing_alternative"]
    once = finding("load_spike", 0.5, ("rowing_alternative",), runs_per_week=1)
    steps = next(p for p in build_plan([once], (), TH) if p.id == "rowing_alternative").steps
    assert steps == rowing.few_runs_steps and steps[0].startswith("Keep your runs, and add")
    often = finding("load_spike", 0.5, ("rowing_alternative",), runs_per_week=4)
    assert next(p for p in build_plan([often], (), TH) if p.id == "rowing_alternative").steps[0].startswith("Swap one run")


def test_without_a_running_video_the_last_item_is_the_first_film_not_film_again() -> None:
    """With no video, the only plan item was 'Film again in 4 weeks ... compare the two reports'."""
    from formcheck.findings.engine import assess
    from formcheck.findings.model import CheckInputs

    first = build_plan([], (), TH, filmed=False)
    assert [p.id for p in first] == ["film_first"] and first[0].title == "Film your running"
    assert not any("compare the two reports" in s for s in first[0].steps)
    assert "no running video was measured" in first[0].why[0]
    assert assess(CheckInputs()).plan[-1].id == "film_first"
    assert build_plan([], (), TH)[-1].id == "film_again"
