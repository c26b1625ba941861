"""lifting_fatigue: a heavy lumbar session in the 96 h before the run fires, with its sets and hours; none does not."""

from __future__ import annotations

import datetime as dt

import pytest
from findings_builders import RUN_DAY, RUN_START, bench_day, check, days_before, deadlift_day, run_ctx
from video_builders import thresholds

from formcheck.findings.causes import lifting_fatigue
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def test_deadlifts_41_h_before_the_run_fire_with_sets_weight_and_hours() -> None:
    at = RUN_START - dt.timedelta(hours=41)
    lifts = deadlift_day(at.date(), at=at)
    found = lifting_fatigue.assess(check(run=run_ctx(lifts=lifts), lifts=lifts), TH)
    assert isinstance(found, Finding)
    assert found.evidence[0] == f"Deadlift 5 x 3 at 140 kg on {at.date().isoformat()}, 41 h before the run."
    assert found.rules_fired[:3] == ("session_in_window", "in_peak", "heavy_class")
    assert found.score >= 0.7 and found.measures["hours_before"] == pytest.approx(41.0)
    assert any("Pettitt" in s for s in found.sources) and "schedule_spacing" in found.plan


@pytest.mark.parametrize(("hours", "said"), [
    (22, "That is within a day: the extensors were still tired from it, and the strength loss such work causes is greatest at 24-48 h"),
    (24, "That is inside the 24-48 h when lumbar-extensor strength loss is greatest"),
    (48, "That is inside the 24-48 h when lumbar-extensor strength loss is greatest"),
])  # fmt: skip
def test_a_session_under_24_h_before_is_not_said_to_be_inside_24_48_h(hours: int, said: str) -> None:
    """22 h is not "inside the 24-48 h": it fires the same rule, worded as what it is."""
    at = RUN_START - dt.timedelta(hours=hours)
    lifts = deadlift_day(at.date(), at=at)
    found = lifting_fatigue.assess(check(run=run_ctx(lifts=lifts), lifts=lifts), TH)
    assert isinstance(found, Finding) and "in_peak" in found.rules_fired
    assert found.evidence[1].startswith(said)


def test_date_only_log_without_a_track_says_days_and_the_hour_range() -> None:
    lifts = deadlift_day(days_before(2)) + bench_day(days_before(1))
    found = lifting_fatigue.assess(check(lifts=lifts, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding)
    assert "2 days before the run (the log has dates only: 24-72 h)" in found.evidence[0]
    assert found.measures["hours_before"] is None and found.measures["days_before"] == 2
    assert "in_peak" in found.rules_fired


def test_lifting_a_week_before_argues_against() -> None:
    lifts = deadlift_day(days_before(7)) + bench_day(days_before(1))
    found = lifting_fatigue.assess(check(lifts=lifts, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.score == 0.0 and not found.rules_fired
    assert "past the 96 h" in found.against[0]


def test_only_non_lumbar_lifting_argues_against() -> None:
    found = lifting_fatigue.assess(check(lifts=bench_day(days_before(1)), symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert "No lumbar-loading lifts" in found.against[-1]


def test_an_old_log_lowers_confidence() -> None:
    found = lifting_fatigue.assess(check(lifts=deadlift_day(days_before(60)), symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.confidence == pytest.approx(0.5)
    assert any("may not cover" in s for s in found.against)


def test_no_lift_log_or_no_date_is_not_assessed() -> None:
    assert isinstance(lifting_fatigue.assess(check(), TH), NotAssessed)
    missing_date = lifting_fatigue.assess(check(lifts=deadlift_day(days_before(2))), TH)
    assert isinstance(missing_date, NotAssessed) and "date" in missing_date.needs


def test_a_narrower_window_from_the_thresholds_changes_the_result() -> None:
    lifts = deadlift_day(days_before(3))
    inputs = check(lifts=lifts, symptom_date=RUN_DAY)
    assert lifting_fatigue.assess(inputs, TH).score > 0
    narrow = thresholds(**{"lifting_fatigue.window_h": 48})
    assert lifting_fatigue.assess(inputs, narrow).score == 0.0


def test_a_timed_log_without_the_runs_zone_is_not_called_date_only() -> None:
    """Strong writes wall-clock times; with no GPS and no zone the hours are unknown, but not for want of times."""
    at = (RUN_START - dt.timedelta(hours=41)).replace(tzinfo=None)  # wall clock, no zone (as Strong writes it)
    lifts = deadlift_day(at.date(), at=at)
    found = lifting_fatigue.assess(check(run=run_ctx(lifts=lifts), lifts=lifts), TH)  # the run has no GPS fixes
    assert isinstance(found, Finding) and found.measures["hours_before"] is None
    assert "before the run (the lift times are known, not the run's start time: " in found.evidence[0]
    assert "dates only" not in found.evidence[0]


def test_weights_are_shown_in_the_runners_unit() -> None:
    """--units lb: a 140-kg set (stored in kg) reads 308.6 lb, and the plan's weekly step is in pounds."""
    from dataclasses import replace

    from formcheck.findings.model import Finding as F
    from formcheck.findings.plan import build_plan

    at = RUN_START - dt.timedelta(hours=41)
    lifts = deadlift_day(at.date(), sets=6, at=at)
    inputs = replace(check(run=run_ctx(lifts=lifts), lifts=lifts), weight_unit="lb")
    found = lifting_fatigue.assess(inputs, TH)
    assert isinstance(found, Finding)
    assert found.evidence[0].startswith("Deadlift 6 x 3 at 308.6 lb on ")
    assert "6 hard lumbar-loading sets, 5556 lb lifted in them." in found.evidence  # 6 x 3 x 140 kg = 2520 kg = 5555.7 lb
    hinge = F("posterior_chain", "p", 0.5, 1.0, ("e",), plan=("hinge_accessories",))
    steps = {unit: next(p for p in build_plan([hinge], (), TH, weight_unit=unit) if p.id == "hinge_accessories").steps
             for unit in ("kg", "lb")}  # fmt: skip
    assert "Add 5-10 lb (or 2 reps) a week while the last rep stays clean." in steps["lb"]
    assert "Add 2.5-5 kg (or 2 reps) a week while the last rep stays clean." in steps["kg"]


def test_timed_lifts_without_a_run_track_are_not_called_date_only() -> None:
    at = dt.datetime.combine(days_before(1), dt.time(18))  # Strong's wall clock, no run to time it against
    lifts = deadlift_day(at.date(), at=at)
    found = lifting_fatigue.assess(check(lifts=lifts, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding)
    assert "1 day before the run (the lift times are known, not the run's start time: 0-48 h)" in found.evidence[0]
    dated = lifting_fatigue.assess(check(lifts=deadlift_day(days_before(1)), symptom_date=RUN_DAY), TH)
    assert "(the log has dates only: 0-48 h)" in dated.evidence[0]


def _rows(day: dt.date, at: dt.datetime | None, kg: float = 40.0) -> list:
    from training_builders import lift

    return [lift(day, "Barbell Row", kg, 10, i + 1, at=at) for i in range(2)]


@pytest.mark.parametrize("timed", [True, False])
def test_light_work_after_a_heavy_session_never_lowers_the_score_or_takes_the_evidence(timed: bool) -> None:
    """Heavy deadlifts 42 h before and light rows 16 h before: the deadlifts stay the evidence (the QA run saw 0.90
    drop to 0.80 and quote the rows, since only the last session was judged) and the score can only rise."""
    heavy_at = RUN_START - dt.timedelta(hours=42) if timed else None
    light_at = RUN_START - dt.timedelta(hours=16) if timed else None
    heavy = deadlift_day(heavy_at.date() if timed else days_before(2), sets=6, kg=150.0, at=heavy_at)
    light = _rows(light_at.date() if timed else days_before(1), light_at)

    def judged(lifts: list) -> Finding:
        inputs = check(run=run_ctx(lifts=lifts), lifts=lifts) if timed else check(lifts=lifts, symptom_date=RUN_DAY)
        found = lifting_fatigue.assess(inputs, TH)
        assert isinstance(found, Finding)
        return found

    alone, both = judged(heavy), judged(heavy + light)
    assert both.score >= alone.score and "stacked_sessions" in both.rules_fired
    assert both.evidence[0].startswith("Deadlift 6 x 3 at 150 kg") and "Barbell Row" not in both.evidence[0]
    assert both.measures["session_date"] == heavy[0].performed_on.isoformat()
    assert judged(light).score < both.score  # the light rows alone argue less: they were not what was judged


def test_a_deadlift_on_the_run_day_of_a_date_only_log_is_said_not_passed_over() -> None:
    """FitNotes logs dates only: a session on the run's own day may have come after the run, so it is not counted,
    but the finding says it is there instead of 'the last session was 20 days before'."""
    lifts = deadlift_day(days_before(20), sets=2, reps=5) + deadlift_day(RUN_DAY, sets=3, kg=150.0)
    found = lifting_fatigue.assess(check(lifts=lifts, symptom_date=RUN_DAY), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert any(s.startswith(f"Deadlift 3 x 3 at 150 kg is logged on the day of the run ({RUN_DAY.isoformat()}) without a time")
               for s in found.evidence)  # fmt: skip
    assert "last lumbar-loading session known to be before the run" in found.against[0]
    assert found.confidence == pytest.approx(0.75)  # the log covers the day; the nearest session's order is unknown
