"""Which causes every output calls likely, and the one sentence that sums up each of the others."""

from __future__ import annotations

from formcheck.report.model import LIKELY_MAX, LIKELY_MIN_SCORE, likely_count, main_point


def test_likely_are_the_top_scores_over_the_floor_at_most_four() -> None:
    assert likely_count([0.9, 0.5, 0.25, 0.24, 0.1]) == 3
    assert likely_count([0.9] * 6) == LIKELY_MAX == 4
    assert likely_count([0.0, 0.0]) == 0 and likely_count([]) == 0
    assert likely_count([LIKELY_MIN_SCORE]) == 1


def test_a_cause_that_fired_is_summed_up_by_what_fired() -> None:
    """Overstride scored 40 but the report's table showed its first argument against (the oscillation)."""
    evidence, against = ["Heel lands 14 % of leg length ahead of the hip."], ["The hips rose and fell 9.1 %, under 12 %."]
    assert main_point(0.4, evidence, against) == evidence[0]
    assert main_point(0.0, evidence, against) == against[0]  # nothing fired: why not
    assert main_point(0.0, evidence, []) == evidence[0]
    assert main_point(0.3, [], against) == against[0]
    assert main_point(0.0, [], []) == "no rule fired"
