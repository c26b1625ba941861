"""substances: each substance fires with its own wording (lore said as lore); none argues against."""

from __future__ import annotations

from findings_builders import answers, check
from video_builders import thresholds

from formcheck.findings.causes import substances
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def taken(*names: str) -> Finding | NotAssessed:
    return substances.assess(check(answers=answers(substances={"taken": list(names)})), TH)


def test_oral_steroid_is_called_lore_and_sends_to_a_doctor() -> None:
    found = taken("oral_anabolic_steroid")
    assert isinstance(found, Finding) and found.rules_fired == ("oral_anabolic_steroid",)
    assert "lore" in found.evidence[0] and "liver" in found.evidence[0]
    assert found.plan == ("substances_review", "see_clinician")


def test_creatine_cites_schroeder_and_the_28_day_test_pause() -> None:
    found = taken("creatine")
    assert isinstance(found, Finding) and found.rules_fired == ("creatine",)
    assert "76 %" in found.evidence[0] and "21 days" in found.evidence[0] and "28 days" in found.evidence[0]
    assert any("Schroeder" in s for s in found.sources)


def test_none_argues_against_and_unanswered_is_not_assessed() -> None:
    found = taken("none")
    assert isinstance(found, Finding) and found.score == 0.0 and found.against
    assert isinstance(substances.assess(check(), TH), NotAssessed)
