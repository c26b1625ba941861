"""e1RM, hard sets and tonnage: constructed sets with known answers, then one real log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.logs import LiftSet, SetKind, read_strength
from formcheck.context.strength_load import estimated_1rm_kg, is_hard_set, set_tonnage_kg, tonnage_kg

STRENGTH = Path(__file__).resolve().parents[3] / "shared" / "data" / "strength"


def lift(weight_kg=100.0, reps=5, kind=SetKind.NORMAL) -> LiftSet:
    return LiftSet(dt.date(2024, 1, 1), None, "", "Squat", 1, kind, weight_kg, reps)


def test_epley_known_values():
    assert estimated_1rm_kg(100.0, 1) == 100.0
    assert estimated_1rm_kg(100.0, 5) == pytest.approx(116.6667, abs=1e-4)
    assert estimated_1rm_kg(100.0, 10) == pytest.approx(133.3333, abs=1e-4)
    assert estimated_1rm_kg(100.0, 0) == 0.0
    with pytest.raises(ValueError):
        estimated_1rm_kg(-1.0, 5)


@settings(max_examples=40, deadline=None)
@given(w=st.floats(1, 500), reps=st.integers(1, 50))
def test_epley_is_at_least_the_lifted_weight_and_grows_with_reps(w, reps):
    assert estimated_1rm_kg(w, reps) >= w
    assert estimated_1rm_kg(w, reps + 1) > estimated_1rm_kg(w, reps)


def test_hard_set_rule():
    assert is_hard_set(lift())
    assert is_hard_set(lift(kind=SetKind.FAILURE))
    assert is_hard_set(lift(kind=SetKind.DROPSET))
    assert is_hard_set(lift(weight_kg=None, reps=8))  # bodyweight chin-ups count
    assert not is_hard_set(lift(kind=SetKind.WARMUP))
    assert not is_hard_set(lift(reps=0))
    assert not is_hard_set(lift(reps=None))


def test_tonnage_excludes_bodyweight_and_can_exclude_warmups():
    sets = [lift(100.0, 5), lift(None, 10), lift(60.0, 5, SetKind.WARMUP), lift(100.0, None)]
    assert set_tonnage_kg(sets[1]) == 0.0
    assert tonnage_kg(sets) == 800.0
    assert tonnage_kg(sets, include_warmups=False) == 500.0


@pytest.mark.skipif(not STRENGTH.is_dir(), reason="shared sample data not present")
def test_hevy_hard_sets_are_all_but_warmups():
    log = read_strength(STRENGTH / "hevy_export_2022_2026.csv")
    hard = [s for s in log.sets if is_hard_set(s)]
    assert len(hard) == 4063 - 186  # every non-warm-up set has reps in this export
    assert tonnage_kg(log.sets) > tonnage_kg(hard)
