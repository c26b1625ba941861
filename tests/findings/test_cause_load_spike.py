"""load_spike: a run much longer than the 30 days before, or a new runner, fires; the ACWR is context only."""

from __future__ import annotations

import pytest
from findings_builders import answers, check, past_run, run_ctx
from video_builders import thresholds

from formcheck.findings.causes import load_spike
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()
TEN_KM = [(3333, 3.0, 170.0, 150.0, 0.0)]  # 9.999 km


def weeks_of_5k(weeks: int = 10) -> list:
    return [past_run(d) for d in range(2, 7 * weeks, 3)]


def test_a_run_twice_the_longest_of_the_month_fires_the_large_band() -> None:
    history = weeks_of_5k()
    found = load_spike.assess(check(run=run_ctx(TEN_KM, history=history), history=history), TH)
    assert isinstance(found, Finding) and "spike_large" not in found.rules_fired  # 2.0x is the moderate band's top
    assert found.rules_fired == ("spike_moderate",)
    assert "This run was 10.0 km, 100 % longer than your longest run of the 30 days before (5.0 km)" in found.evidence[0]
    assert "HRR 1.52" in found.evidence[0]
    assert any(s.startswith("Context only (not scored): acute:chronic") for s in found.evidence)
    assert found.measures["spike_ratio"] == pytest.approx(2.0, abs=0.01)


def test_a_small_spike_cites_hrr_164() -> None:
    history = weeks_of_5k()
    ctx = run_ctx([(2000, 3.0, 170.0, 150.0, 0.0)], history=history)  # 6.0 km = +20 %
    found = load_spike.assess(check(run=ctx, history=history), TH)
    assert found.rules_fired == ("spike_small",) and "HRR 1.64" in found.evidence[0]


def test_a_usual_run_by_a_seasoned_runner_argues_against() -> None:
    history = weeks_of_5k()
    ctx = run_ctx([(1600, 3.0, 170.0, 150.0, 0.0)], history=history)  # 4.8 km
    a = answers(runner={"running_months": 48, "runs_per_week": 3})
    found = load_spike.assess(check(run=ctx, history=history, answers=a), TH)
    assert isinstance(found, Finding) and found.score == 0.0 and len(found.against) == 2


def test_answers_alone_assess_a_new_runner() -> None:
    found = load_spike.assess(check(answers=answers(runner={"running_months": 2, "runs_per_week": 1})), TH)
    assert isinstance(found, Finding) and found.rules_fired == ("new_runner", "low_frequency")
    assert found.confidence == pytest.approx(0.5)
    assert found.evidence[1] == "You run 1 time in a usual week."  # was "1 times"


def test_nothing_known_is_not_assessed() -> None:
    assert isinstance(load_spike.assess(check(), TH), NotAssessed)


def test_the_bands_are_read_from_the_thresholds() -> None:
    history = weeks_of_5k()
    inputs = check(run=run_ctx(TEN_KM, history=history), history=history)
    wider = thresholds(**{"load_spike.moderate_max_ratio": 3.0, "load_spike.small_max_ratio": 2.5})
    assert load_spike.assess(inputs, wider).rules_fired == ("spike_small",)


def test_a_short_export_does_not_make_a_seasoned_runner_a_beginner() -> None:
    """8 runs over the 4 weeks an export covers: "2.0 a week over the last 4 weeks", and a beginner only
    when the answers do not say otherwise (36 months of running: the logs start later than the running)."""
    history = [past_run(d) for d in range(2, 30, 3)][:8]  # 8 runs, the first 23 days before
    ctx = run_ctx(TEN_KM, history=history)
    alone = load_spike.assess(check(run=ctx, history=history), TH)
    assert isinstance(alone, Finding) and "beginner_in_logs" in alone.rules_fired
    said = next(s for s in alone.evidence if s.startswith("Your logs hold 8 runs"))
    assert said.endswith("(2.4 a week over the last 3 weeks).")  # 8 runs in 23 days, not "1.0 a week over 8 weeks"
    seasoned = load_spike.assess(check(run=ctx, history=history, answers=answers(runner={"running_months": 36})), TH)
    assert isinstance(seasoned, Finding) and "beginner_in_logs" not in seasoned.rules_fired
    assert any("but you have run for 36 months: the logs start later than your running" in s for s in seasoned.evidence)


def test_the_acute_chronic_note_names_the_load_it_is_a_ratio_of() -> None:
    """A ratio of 1.59 beside "6.4 km vs 6.4 km" read as a contradiction: the ratio is of load, not distance."""
    history = weeks_of_5k()
    found = load_spike.assess(check(run=run_ctx(TEN_KM, history=history), history=history), TH)
    note = next(s for s in found.evidence if s.startswith("Context only"))
    assert "acute:chronic ratio 1.09 of training load in minutes run; by distance, 10.0 km in the 7 days" in note
