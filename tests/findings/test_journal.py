"""Journal: a constructed journal whose Fisher p is computed by hand; too few runs are said so."""

from __future__ import annotations

import datetime as dt
from math import comb

import pytest
from findings_builders import check, deadlift_day
from video_builders import thresholds

from formcheck.findings.journal import correlate
from formcheck.findings.model import JournalEntry

TH = thresholds()
BASE = dt.date(2024, 3, 1)


def journal_with_lifts(pumps_with: int, n_with: int, pumps_without: int, n_without: int):
    entries, lifts = [], []
    for i in range(n_with + n_without):
        day = BASE + dt.timedelta(days=5 * i)
        lifted = i < n_with
        pump = i < pumps_with if lifted else (i - n_with) < pumps_without
        entries.append(JournalEntry(day, 6 if pump else 0))
        if lifted:
            lifts += deadlift_day(day - dt.timedelta(days=1))
    return entries, lifts


def test_five_of_six_vs_one_of_nine_matches_the_hand_computed_fisher_p() -> None:
    entries, lifts = journal_with_lifts(5, 6, 1, 9)
    correlations, note = correlate(check(journal=entries, lifts=lifts), TH)
    (c,) = correlations
    assert (c.pumps_with, c.runs_with, c.pumps_without, c.runs_without) == (5, 6, 1, 9)
    # Hypergeometric: 15 runs, 6 pumps, 6 runs after lifting. P(k) = C(6,k) C(9,6-k) / C(15,6).
    # Two-sided: tables as or less likely than the observed k = 5 are k = 5 (54) and k = 6 (1): 55 / 5005.
    by_hand = (comb(6, 5) * comb(9, 1) + comb(6, 6) * comb(9, 0)) / comb(15, 6)
    assert by_hand == pytest.approx(55 / 5005)
    assert c.p_value == pytest.approx(by_hand)
    assert c.sentence == "Pumps on 5 of 6 runs within 48 h of a lumbar-loading lift session vs 1 of 9 otherwise, Fisher exact p = 0.01."
    assert note.startswith("15 journaled runs, 6 with a pump")


def test_an_even_split_is_called_chance() -> None:
    entries, lifts = journal_with_lifts(3, 6, 4, 8)
    (c,), _ = correlate(check(journal=entries, lifts=lifts), TH)
    assert c.p_value == pytest.approx(1.0) and "chance" in c.sentence


def test_too_few_runs_to_tell() -> None:
    entries, lifts = journal_with_lifts(2, 3, 0, 2)
    correlations, note = correlate(check(journal=entries, lifts=lifts), TH)
    assert correlations == () and note == "5 journaled runs (2 with a pump): too few to tell which factors go with the pumps (need 8)."
    assert correlate(check(journal=entries, lifts=lifts), thresholds(**{"journal.min_runs": 5}))[0]


def test_no_journal_no_note() -> None:
    assert correlate(check(), TH) == ((), None)


def test_a_significant_journal_correlation_becomes_a_rule_of_its_cause() -> None:
    from findings_builders import answers

    from formcheck.findings.engine import assess

    entries, lifts = journal_with_lifts(5, 6, 1, 9)
    last = entries[-1].date + dt.timedelta(days=5)
    inputs = check(journal=entries, lifts=lifts + deadlift_day(last - dt.timedelta(days=2)), symptom_date=last,
                   answers=answers(warmup={"done": False}))
    lifting = next(f for f in assess(inputs, TH).findings if f.cause == "lifting_fatigue")
    assert lifting.rules_fired[-1] == "journal_supports"
    assert lifting.evidence[-1].startswith("Your journal: Pumps on 5 of 6 runs within 48 h")
    without = assess(check(lifts=inputs.lifts, symptom_date=last), TH)
    assert lifting.score == pytest.approx(min(1.0, next(f.score for f in without.findings if f.cause == "lifting_fatigue") + 0.2))
