"""too_little_rest: training every day before the run fires; rest days argue against."""

from __future__ import annotations

from findings_builders import RUN_DAY, bench_day, check, days_before, deadlift_day, past_run
from video_builders import thresholds

from formcheck.findings.causes import too_little_rest
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def test_lifts_and_runs_every_day_fire() -> None:
    lifts = deadlift_day(days_before(2)) + bench_day(days_before(3)) + bench_day(days_before(5))
    history = [past_run(1), past_run(4), past_run(6), past_run(7), past_run(20)]
    found = too_little_rest.assess(check(lifts=lifts, history=history, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("no_rest_day", "run_day_before", "lift_and_run_stacked", "few_rest_days_week")
    assert "the day before: run; 2 days before: lift; 3 days before: lift" in found.evidence[0]
    assert "You also ran the day before (5.0 km)." in found.evidence
    assert found.measures["rest_days_7d"] == 0 and found.score == 0.9


def test_rest_days_argue_against() -> None:
    history = [past_run(3), past_run(6), past_run(20)]
    found = too_little_rest.assess(check(lifts=bench_day(days_before(5)), history=history, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.score == 0.0 and len(found.against) == 2


def test_no_logs_is_not_assessed() -> None:
    assert isinstance(too_little_rest.assess(check(symptom_date=RUN_DAY), TH), NotAssessed)


def test_days_with_nothing_logged_are_not_called_rest_when_runs_are_missing() -> None:
    """The runner runs 3 times a week but the logs hold no run that week: 'days without running' would be false."""
    from findings_builders import answers

    history = [past_run(20)]
    lifts = bench_day(days_before(5)) + bench_day(days_before(30))
    sparse = check(lifts=lifts, history=history, symptom_date=RUN_DAY, answers=answers(runner={"runs_per_week": 3}))
    found = too_little_rest.assess(sparse, TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert ("6 days with no run or lift logged in the 7 days before, but you run 3 times a week and the logs hold "
            "0 run(s) that week: some may be missing.") in found.against  # fmt: skip
    full = too_little_rest.assess(check(lifts=lifts, history=history, symptom_date=RUN_DAY), TH)
    assert found.confidence < full.confidence
    assert "6 days with no run or lift logged in the 7 days before." in full.against
