"""trunk_endurance: McGill's ratios out of balance fire; balanced holds argue against; no times: not assessed."""

from __future__ import annotations

import pytest
from findings_builders import answers, check
from video_builders import thresholds

from formcheck.findings.causes import trunk_endurance
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()


def holds(ext: float | None, flex: float | None, left: float | None, right: float | None) -> Finding | NotAssessed:
    e = {"extensor_s": ext, "flexor_s": flex, "side_bridge_left_s": left, "side_bridge_right_s": right}
    return trunk_endurance.assess(check(answers=answers(endurance={k: v for k, v in e.items() if v is not None})), TH)


def test_weak_extensors_fire_every_ratio_rule_with_the_numbers() -> None:
    found = holds(60, 90, 70, 50)
    assert isinstance(found, Finding)
    assert found.rules_fired == ("flexor_extensor", "side_extensor", "side_asymmetry")
    assert any("Flexor:extensor ratio 1.50 (flexor hold 90 s, extensor hold 60 s; target below 1.00)" in s for s in found.evidence)
    assert any("unconfirmed" in s for s in found.evidence)
    assert any("McGill" in s for s in found.sources) and found.evidence[-1].startswith("Norms used: McGill")
    assert found.confidence == 1.0 and found.plan == ("trunk_endurance_progression",)


def test_balanced_holds_argue_against() -> None:
    found = holds(150, 100, 80, 81)
    assert isinstance(found, Finding) and found.score == 0.0
    assert len(found.against) == 4


def test_partial_answers_lower_confidence() -> None:
    found = holds(60, 90, None, None)
    assert isinstance(found, Finding) and found.confidence == pytest.approx(0.5)
    assert found.rules_fired == ("flexor_extensor",)


def test_no_times_is_not_assessed() -> None:
    result = trunk_endurance.assess(check(), TH)
    assert isinstance(result, NotAssessed) and "endurance" in result.needs


def test_both_side_bridges_over_the_ratio_are_both_said_and_weighed_once() -> None:
    found = holds(58, 40, 52, 60)
    assert isinstance(found, Finding) and found.rules_fired.count("side_extensor") == 1
    assert sum(s.startswith(("Left side bridge", "Right side bridge")) for s in found.evidence) == 2


def test_an_extensor_hold_of_zero_is_the_worst_balance_not_no_result() -> None:
    """0 s against a 60-s flexor hold: every ratio is infinite. It scored 0/100 at full confidence."""
    found = holds(0, 60, None, None)
    assert isinstance(found, Finding) and found.rules_fired == ("flexor_extensor",) and found.score > 0.3
    assert found.evidence[0] == ("Extensor hold 0 s against flexor 60 s: your back extensors give out long before the "
                                 "other trunk muscles (every ratio far above McGill's targets).")  # fmt: skip
    with_sides = holds(0, 60, 40, 0)
    assert isinstance(with_sides, Finding) and with_sides.rules_fired[:2] == ("flexor_extensor", "side_extensor")
    assert "flexor 60 s, left side bridge 40 s" in with_sides.evidence[0]
    nothing_held = holds(0, 0, 0, 0)
    assert isinstance(nothing_held, Finding) and nothing_held.score == 0.0 and nothing_held.confidence == 0.0
    assert found.confidence == 0.5  # two holds of four, both telling
    assert any(s.startswith("Every hold was 0 s") for s in nothing_held.evidence)
