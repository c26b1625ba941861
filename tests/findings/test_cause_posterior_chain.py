"""posterior_chain: heavy hinges/squats without accessory work fire; regular RDLs and back extensions do not."""

from __future__ import annotations

from findings_builders import RUN_DAY, check, days_before, deadlift_day
from training_builders import lift
from video_builders import thresholds

from formcheck.findings.causes import posterior_chain
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def heavy_weeks(weeks: int = 6) -> list:
    return [s for w in range(weeks) for s in deadlift_day(days_before(3 + 7 * w))]


def test_heavy_pulls_and_no_accessory_work_fire() -> None:
    found = posterior_chain.assess(check(lifts=heavy_weeks(), symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.rules_fired == ("no_accessory",)
    assert "30 hard sets of heavy hinges/squats (Deadlift) on 6 days in the 8 weeks before" in found.evidence[0]
    assert "hinge_accessories" in found.plan


def test_weekly_rdls_and_back_extensions_argue_against() -> None:
    extra = [lift(days_before(2 + 7 * w), name, 60.0, 10, i) for w in range(6) for name in ("Romanian Deadlift", "Back Extension") for i in range(3)]
    found = posterior_chain.assess(check(lifts=heavy_weeks() + extra, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert "Romanian Deadlift, Back Extension" in found.against[0]


def test_the_patterns_are_data() -> None:
    lifts = heavy_weeks() + [lift(days_before(2), "Reverse Plank Pull", 10.0, 10)]
    only = thresholds(**{"posterior_chain.accessory_patterns": ["reverse plank"]})
    assert posterior_chain.assess(check(lifts=lifts, symptom_date=RUN_DAY), TH).rules_fired == ("no_accessory",)
    assert posterior_chain.assess(check(lifts=lifts, symptom_date=RUN_DAY), only).rules_fired == ("little_accessory",)


def test_no_lift_log_is_not_assessed() -> None:
    assert isinstance(posterior_chain.assess(check(symptom_date=RUN_DAY), TH), NotAssessed)


def test_without_a_run_date_the_weeks_before_the_last_lift_are_used_and_said() -> None:
    found = posterior_chain.assess(check(lifts=heavy_weeks()), TH)
    assert found.rules_fired == ("no_accessory",)
    assert found.evidence[-1].startswith("No date for the run that hurt: the weeks up to the last logged lift (2024-06-07)")
