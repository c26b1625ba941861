"""Pure per-set load numbers that the context features build on: e1RM, hard sets, tonnage.

They only need a :class:`LiftSet` and mean the same thing for every app; the
context stage (``lumbar``) decides which sets and which days to sum.
"""

from __future__ import annotations

from collections.abc import Iterable

from formcheck.logs.records import LiftSet, SetKind

__all__ = ["estimated_1rm_kg", "is_hard_set", "set_tonnage_kg", "tonnage_kg"]

EPLEY_REPS_DIVISOR = 30.0  # Epley (1985): 1RM = w * (1 + reps / 30)


def estimated_1rm_kg(weight_kg: float, reps: int) -> float:
    """Epley estimate of the one-repetition maximum; a single is its own 1RM.

    Epley rather than Brzycki because Brzycki's 37/(37 - reps) explodes near 37
    reps, and logs do contain 30+ rep sets. Estimates beyond ~10 reps are rough;
    callers that compare days should prefer sets of similar reps.
    """
    if weight_kg < 0 or reps < 0:
        raise ValueError(f"weight and reps must be non-negative, got {weight_kg} kg x {reps}")
    if reps <= 1:
        return float(weight_kg) if reps == 1 else 0.0
    return weight_kg * (1.0 + reps / EPLEY_REPS_DIVISOR)


def is_hard_set(lift: LiftSet) -> bool:
    """A set that counts as training stress: not a warm-up and at least one rep done.

    Why this rule: warm-ups are flagged explicitly by Strong (WARM_UP) and Hevy
    (warmup), and a 0-rep row is a placeholder or a timed hold with no reps
    logged. Failure and drop sets *are* hard. Load is not part of the rule: a
    bodyweight chin-up to near failure is a hard set, and no export tells us
    proximity to failure reliably (RPE is mostly empty).
    """
    return lift.kind is not SetKind.WARMUP and (lift.reps or 0) > 0


def set_tonnage_kg(lift: LiftSet) -> float:
    """weight x reps for one set; 0 for bodyweight (weight None) or no reps."""
    if lift.weight_kg is None or not lift.reps:
        return 0.0
    return lift.weight_kg * lift.reps


def tonnage_kg(sets: Iterable[LiftSet], *, include_warmups: bool = True) -> float:
    """Σ weight·reps in kg; bodyweight sets add nothing because their external load is unknown."""
    return sum(set_tonnage_kg(s) for s in sets if include_warmups or s.kind is not SetKind.WARMUP)
