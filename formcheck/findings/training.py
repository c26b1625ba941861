"""Training-log helpers the causes and the journal share: the day that hurt, lumbar lifting before it.

Why here and not in each cause: "which day hurt" and "which lifts loaded the
back" must mean the same thing for lifting fatigue, rest, accessory work and
the journal.  When the run that hurt was imported, its :class:`RunContext`
is the answer (hours when the logs have times); without it the lumbar
context is computed from the lift log against the symptom date, by date only
(a lift on the day itself is left out, because its order is unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from formcheck.answers.model import Answers
from formcheck.context.features import RunContext
from formcheck.context.lumbar import LUMBAR_CLASSES, NO_ZONE_BASIS, LumbarContext, LumbarSession, lumbar_context
from formcheck.context.walk_breaks import with_symptom_break
from formcheck.findings.model import CheckInputs
from formcheck.findings.rules import fmt
from formcheck.logs.records import LiftSet, Run, Sport
from formcheck.logs.strength_csv import KG_PER_LB
from formcheck.context.lumbar import is_hard_set  # re-exported there wherever strength_load lives


def classifier(inputs: CheckInputs) -> Callable[[str], str | None]:
    """Exercise -> lumbar class, from ``inputs.lumbar_class``; the packaged taxonomy when none was given."""
    if inputs.lumbar_class or not inputs.lifts:
        mapping = dict(inputs.lumbar_class)
        return lambda name: mapping.get(name)
    from formcheck.context.lumbar import taxonomy_classifier  # packaged data, read once per call

    return taxonomy_classifier()


def day_that_hurt(inputs: CheckInputs) -> dt.date | None:
    """The symptom date, else the date of the run that hurt."""
    if inputs.symptom_date is not None:
        return inputs.symptom_date
    return inputs.run.run.start.date() if inputs.run is not None else None


def lumbar_before(inputs: CheckInputs, day: dt.date | None = None) -> LumbarContext | None:
    """The lumbar lifting before the run that hurt (or before ``day``), None without a date."""
    if day is None and inputs.run is not None:
        return inputs.run.lumbar
    day = day or day_that_hurt(inputs)
    if day is None:
        return None
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)
    probe = Run(sport=Sport.RUN, start=noon, duration_s=0.0, distance_m=None, points=())
    dated = [replace(s, started_at=None) for s in inputs.lifts]  # date only: no hours pretended
    context = lumbar_context(probe, dated, classifier(inputs))
    timed_days = {s.performed_on for s in inputs.lifts if s.started_at is not None}

    def unanchored(session: LumbarSession | None) -> LumbarSession | None:
        """A session whose lifts had times: they are known, the run's start is not (there is no run to time against)."""
        if session is None or session.date not in timed_days:
            return session
        return replace(session, hours_basis=NO_ZONE_BASIS)

    return replace(context, last_session=unanchored(context.last_session),
                   recent_sessions=tuple(map(unanchored, context.recent_sessions)),
                   unordered_same_day=unanchored(context.unordered_same_day))  # fmt: skip


def lumbar_days(inputs: CheckInputs) -> set[dt.date]:
    """Days with at least one hard lumbar-loading set."""
    classify = classifier(inputs)
    return {s.performed_on for s in inputs.lifts if is_hard_set(s) and classify(s.exercise) in LUMBAR_CLASSES}


def weight_text(kg: float, unit: str, digits: int = 1) -> str:
    """``kg`` in the runner's unit: "140 kg", or "308.6 lb" (stored in kg; a 170-lb set reads 170 lb again)."""
    if unit == "lb":
        return f"{fmt(kg / KG_PER_LB, digits)} lb"
    return f"{fmt(kg, digits)} kg"


def _sets_sentence(name: str, sets: Sequence[LiftSet], unit: str) -> str:
    hard = [s for s in sets if is_hard_set(s)]
    weighted = [s for s in hard if s.weight_kg]
    if not weighted:
        return f"{name} {len(hard)} sets"
    if len({(s.weight_kg, s.reps) for s in weighted}) == 1:
        return f"{name} {len(weighted)} x {weighted[0].reps} at {weight_text(weighted[0].weight_kg or 0.0, unit)}"
    top = max(weighted, key=lambda s: (s.weight_kg or 0.0, s.reps or 0))
    return f"{name} {len(hard)} sets, top set {weight_text(top.weight_kg or 0.0, unit)} x {top.reps}"


def session_sets(inputs: CheckInputs, session: LumbarSession) -> list[str]:
    """The session's heavy lumbar-loading exercises ("Deadlift 5 x 3 at 140 kg"), the moderate ones by name."""
    day_sets = [s for s in inputs.lifts if s.performed_on == session.date and s.exercise in session.exercises]
    classify = classifier(inputs)
    heavy = [name for name in session.exercises if classify(name) == "heavy"]
    shown = heavy or list(session.exercises)
    parts = [_sets_sentence(name, [s for s in day_sets if s.exercise == name], inputs.weight_unit) for name in shown]
    rest = [name for name in session.exercises if name not in shown]
    if rest:
        parts.append(f"plus moderate lumbar loading ({', '.join(rest)})")
    return parts


def when(session: LumbarSession) -> str:
    """ "41 h before the run" or, for date-only logs, "2 days before the run (dates only: 24-72 h)"."""
    if session.hours_before is not None:
        basis = "" if session.hours_basis in (None, "utc") or session.hours_basis.startswith("exact") else f" ({session.hours_basis})"
        return f"{fmt(session.hours_before, 0)} h before the run{basis}"
    d = session.days_before
    span = f"{max(0, 24 * (d - 1))}-{24 * (d + 1)} h"
    why = "the log has dates only" if session.hours_basis != NO_ZONE_BASIS else "the lift times are known, not the run's start time"
    return f"{d} day{'s' if d != 1 else ''} before the run ({why}: {span})"


def activity_days(inputs: CheckInputs, sport: Sport | None = Sport.RUN) -> set[dt.date]:
    """Days of recorded activities (runs by default) in the history."""
    return {h.start.date() for h in inputs.history if sport is None or h.sport is sport}


def lift_days(lifts: Iterable[LiftSet]) -> set[dt.date]:
    return {s.performed_on for s in lifts if is_hard_set(s)}


def run_with_symptom_break(run: RunContext | None, answers: Answers) -> RunContext | None:
    """The run with its walk breaks' ``likely_symptom_onset`` on the break the findings take as the pump's.

    The track alone flags the first break after steady running; the runner's reported minute, when given, picks
    another. The report's JSON and chart read the flag and the hills cause reads ``symptom_break``: setting the
    flag from the same choice keeps them from pointing at two different breaks.
    """
    if run is None:
        return None
    from formcheck.findings.thresholds import load_thresholds

    tolerance = float(load_thresholds().value("hills_efforts.onset_tolerance_min"))
    minute = answers.symptom.minute_into_run
    return replace(run, walk_breaks=with_symptom_break(run.walk_breaks, minute, tolerance))
