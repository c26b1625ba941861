"""no_warmup: a cold start with an early pump fires; a proper warm-up argues against; no answer: not assessed."""

from __future__ import annotations

from findings_builders import answers, check
from video_builders import thresholds

from formcheck.findings.causes import no_warmup
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def test_no_warmup_and_an_early_pump_fire() -> None:
    found = no_warmup.assess(check(answers=answers(warmup={"done": False}, symptom={"minute_into_run": 6})), TH)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("no_warmup", "early_onset")
    assert "6 min into the run" in found.evidence[1]
    assert found.plan == ("warmup_routine",) and found.confidence == 1.0


def test_a_short_warmup_fires_the_short_rule_only() -> None:
    found = no_warmup.assess(check(answers=answers(warmup={"done": True, "minutes": 2})), TH)
    assert isinstance(found, Finding) and found.rules_fired == ("short_warmup",)


def test_a_real_warmup_and_a_late_pump_argue_against() -> None:
    found = no_warmup.assess(check(answers=answers(warmup={"done": True, "minutes": 12}, symptom={"minute_into_run": 35})), TH)
    assert isinstance(found, Finding) and found.score == 0.0 and len(found.against) == 2
    assert found.against[0] == "You warmed up for 12 min before the run."  # was "warmed up of 12 min"


def test_unanswered_is_not_assessed() -> None:
    assert isinstance(no_warmup.assess(check(), TH), NotAssessed)


def test_a_cold_start_with_a_late_pump_is_not_a_possible_cause() -> None:
    """'No warm-up' ranked as possible (35/100) while its own counter-evidence said the pump came at minute 22, well
    after the body was warm: that evidence now lowers the score below 'possible', so no warm-up plan follows."""
    early = no_warmup.assess(check(answers=answers(warmup={"done": False}, symptom={"minute_into_run": 6})), TH)
    unknown = no_warmup.assess(check(answers=answers(warmup={"done": False})), TH)
    late = no_warmup.assess(check(answers=answers(warmup={"done": False}, symptom={"minute_into_run": 22})), TH)
    assert early.score > unknown.score > late.score
    assert late.score < TH.value("scoring.possible") and "late_onset" in late.rules_fired
    assert any("22 min into the run, well after the body was warm" in s for s in late.against)
