"""``Rules.mean_past_cue``: the one place a per-stride mean is judged against a cue, with its standard error.

Exact checks at the boundaries (the cue itself, the cue plus or minus ``z`` standard errors) in both
directions, what is added to the score, the evidence and ``against`` for each answer, and that a mean
without a spread (one stride, or no SD) is judged by its value alone.
"""

from __future__ import annotations

import pytest

from formcheck.findings.model import MetricValue
from formcheck.findings.rules import Cue, Rules
from formcheck.findings.thresholds import Threshold, Thresholds

TH = Thresholds({"demo.weights.high": Threshold(0.4, "paper A"), "demo.weights.higher": Threshold(0.3, "paper B")}, "test")


def mean(value: float, sd: float | None = 2.0, n: int = 16) -> MetricValue:
    """A mean whose standard error is sd / sqrt(n): 0.5 with the defaults."""
    return MetricValue(value, "deg", sd, n)


def judge(metric: MetricValue, cue: float = 10.0, *, below: bool = False) -> tuple[Cue, Rules]:
    rules = Rules(TH, "demo", cite_weights=True)
    verdict = rules.mean_past_cue("high", metric, cue, 2.0, fired="fired", unsure="unsure", not_past="not past", below=below)
    return verdict, rules


@pytest.mark.parametrize(("value", "expected"), [
    (11.0, Cue.PAST),  # cue + 2 SE exactly: "at or above" counts
    (10.999, Cue.UNSURE),
    (10.0, Cue.UNSURE),  # at the cue, within 2 SE
    (9.999, Cue.NOT_PAST),
    (-50.0, Cue.NOT_PAST),
])  # fmt: skip
def test_an_at_or_above_cue_needs_the_mean_past_it_by_z_standard_errors(value: float, expected: Cue) -> None:
    verdict, rules = judge(mean(value))
    assert verdict is expected
    if expected is Cue.PAST:
        assert (rules.fired, rules.evidence, rules.against, rules.score) == (["high"], ["fired"], [], 0.4)
        assert rules.sources == ["paper A"]  # the weight's source, cited because the cause asked for it
    else:
        assert (rules.fired, rules.evidence, rules.score) == ([], [], 0.0)
        assert rules.against == ["unsure" if expected is Cue.UNSURE else "not past"]


@pytest.mark.parametrize(("value", "expected"), [
    (8.999, Cue.PAST),
    (9.0, Cue.UNSURE),  # cue - 2 SE exactly: "below" is strict
    (9.999, Cue.UNSURE),
    (10.0, Cue.NOT_PAST),  # at the cue is not below it
    (300.0, Cue.NOT_PAST),
])  # fmt: skip
def test_a_below_cue_is_strict(value: float, expected: Cue) -> None:
    verdict, rules = judge(mean(value), below=True)
    assert verdict is expected
    assert rules.fired == (["high"] if expected is Cue.PAST else [])


@pytest.mark.parametrize("metric", [mean(10.0, None, 40), mean(10.0, 5.0, 0), mean(10.0, 0.0, 3)])
def test_without_a_spread_the_value_alone_decides(metric: MetricValue) -> None:
    assert judge(metric)[0] is Cue.PAST
    assert judge(MetricValue(9.99, "deg", metric.sd, metric.n))[0] is Cue.NOT_PAST


def test_sentences_are_optional_and_a_second_cue_adds_its_weight_once() -> None:
    rules = Rules(TH, "demo")
    assert rules.mean_past_cue("high", mean(20.0), 10.0, 2.0, fired="far forward") is Cue.PAST
    assert rules.mean_past_cue("higher", mean(20.0), 15.0, 2.0) is Cue.PAST  # weight only, no sentence
    assert rules.mean_past_cue("higher", mean(20.0), 19.5, 2.0) is Cue.UNSURE  # no unsure sentence given: nothing said
    assert (rules.fired, rules.evidence, rules.against, rules.score) == (["high", "higher"], ["far forward"], [], 0.7)


def test_a_mean_that_was_not_measured_is_a_programming_error() -> None:
    with pytest.raises(AssertionError, match="measured mean"):
        Rules(TH, "demo").mean_past_cue("high", MetricValue(None, "deg", None, 0, "no side view"), 10.0, 2.0)


def test_what_fired_leads_the_evidence_and_notes_follow() -> None:
    """The plan's 'why' and every one-line summary quote the first sentence: a note written before the rule fired
    ('the logs start later than your running') was quoted as the reason for run/walk and rowing."""
    rules = Rules(TH, "demo")
    rules.note("context one")
    rules.fire("high", "the reason")
    rules.note("context two")
    rules.fire("higher", "a second reason")
    found = rules.finding("demo", "Demo", available=1, expected=1)
    assert found.evidence == ("the reason", "a second reason", "context one", "context two")
    assert found.score == pytest.approx(0.7)
