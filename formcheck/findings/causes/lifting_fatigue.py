"""Lifting fatigue: a lumbar-loading session (deadlifts, squats, rows, good mornings ...) in the 96 h before the run.

Why 96 h: after eccentric lumbar-extensor work, strength loss peaked at
24-48 h and pain had resolved by 96 h (Pettitt et al. 2010).  Erectors still
recovering from heavy pulls have less endurance left for an hour of holding
the trunk up while running, which is the forum's commonest theory for a back
pump.  The sessions come from the run's context (hours when the logs carry
times) or, without an imported run, from the lift log against the symptom date
(days only).  The rules: a session in the window, inside the 24-48 h peak, of
the heavy class, with many hard sets, near the runner's own best, or several
sessions stacked.  Every session in the window is judged and the one the rules
score highest is the evidence, so more lifting never lowers the score; a lift
on the run's own day in a date-only log is said, not counted (its order is
unknown).
"""

from __future__ import annotations

import datetime as dt

from formcheck.context.lumbar import LumbarContext, LumbarSession
from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds
from formcheck.findings.training import classifier, day_that_hurt, lumbar_before, session_sets, weight_text, when

CAUSE_ID = "lifting_fatigue"
TITLE = "Back muscles still tired from lifting"


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    if not inputs.lifts:
        return NotAssessed(CAUSE_ID, TITLE, "give a strength-log export (Strong, Hevy or FitNotes) to assess it")
    day = day_that_hurt(inputs)
    lumbar = lumbar_before(inputs)
    if day is None or lumbar is None:
        return NotAssessed(CAUSE_ID, TITLE, "give the date of the run that hurt or its GPS track to assess it",
                           asks=("symptom.date", "date"))  # fmt: skip

    rule_out = (
        "Pumps on runs with no lumbar-loading lifting in the 4 days before (a symptom journal of every run shows it).",
        "No pump on a run 24-48 h after a heavy deadlift or squat session.",
    )
    # Each session in the window is judged and the one that argues most is the evidence: the last session need
    # not be the hardest (light rows the evening before, heavy deadlifts two days before), and logging more
    # lifting must never make this cause look less likely.
    window_h = float(th.value(f"{CAUSE_ID}.window_h"))
    judged = [_judge(inputs, th, lumbar, day, session) for session in lumbar.recent_sessions if _in_window(session, window_h)]
    if not judged:
        judged = [_judge(inputs, th, lumbar, day, lumbar.last_session)]
    r, available, expected = max(judged, key=lambda j: j[0].score)  # max keeps the first (latest) of equals
    return r.finding(CAUSE_ID, TITLE, available=available, expected=expected, rule_out=rule_out, plan=("schedule_spacing",))


def _in_window(session: LumbarSession, window_h: float) -> bool:
    """Inside the hours after which lumbar-extensor soreness had resolved (by days, for a date-only log)."""
    if session.hours_before is not None:
        return session.hours_before <= window_h
    return session.days_before <= window_h / 24.0


def _judge(inputs: CheckInputs, th: Thresholds, lumbar: LumbarContext, day: dt.date,
           session: LumbarSession | None) -> tuple[Rules, float, float]:  # fmt: skip
    """The rules on one session (None: no lumbar loading logged before the run), with the evidence available."""
    r = Rules(th, CAUSE_ID)
    window_h = float(r.value("window_h"))
    peak_h = float(r.value("peak_h"))
    peak_from_h = float(r.value("peak_from_h"))
    available, expected = 2.0, 2.0  # the lift log covering the days before; the session's timing
    last_logged = max((s.performed_on for s in inputs.lifts if s.performed_on <= day), default=None)
    gap_days = float(r.value("log_gap_days"))
    if last_logged is None or (day - last_logged).days > gap_days:
        available -= 1.0
        since = "no lift before that day" if last_logged is None else f"the last one is {(day - last_logged).days} days before it"
        r.argue_against(f"The lift log may not cover the days before the run: {since}.")
    unordered = lumbar.unordered_same_day
    if unordered is not None:
        available -= 0.5  # the nearest session's order against the run is unknown
        r.note(
            f"{'; '.join(session_sets(inputs, unordered))} is logged on the day of the run ({unordered.date.isoformat()}) "
            "without a time, so whether it came before the run is not known and it is not counted; "
            "if it did come first, it was the closest lumbar-loading session of all."
        )
    if session is None:
        r.argue_against("No lumbar-loading lifts (deadlifts, squats, rows, good mornings, back extensions) are in the log before the run.")
        return r, available, expected

    hours = session.hours_before
    in_window = _in_window(session, window_h)
    sets = ", ".join(session_sets(inputs, session))
    r.measures.update(
        session_date=session.date.isoformat(), hours_before=hours, hours_basis=session.hours_basis,
        days_before=session.days_before, hard_sets=session.hard_sets, tonnage_kg=round(session.tonnage_kg, 1),
        exercises=list(session.exercises),
    )
    if not in_window:
        known = " known to be before the run" if unordered is not None else ""
        r.argue_against(
            f"The last lumbar-loading session{known} ({sets} on {session.date.isoformat()}) was {when(session)}: "
            f"past the {fmt(window_h, 0)} h by which pain and disability had resolved after lumbar eccentric work (Pettitt et al. 2010)."
        )
        return r, available, expected

    r.fire("session_in_window", f"{sets} on {session.date.isoformat()}, {when(session)}.")
    peak = hours <= peak_h if hours is not None else session.days_before <= peak_h / 24.0
    if peak and hours is not None and hours < peak_from_h:  # "inside 24-48 h" would be false; the fatigue is not less
        r.fire("in_peak", f"That is within a day: the extensors were still tired from it, and the strength loss such work "
                          f"causes is greatest at {fmt(peak_from_h, 0)}-{fmt(peak_h, 0)} h (Pettitt et al. 2010).")  # fmt: skip
    elif peak:
        where = "is inside" if hours is not None else "overlaps"
        r.fire("in_peak", f"That {where} the 24-{fmt(peak_h, 0)} h when lumbar-extensor strength loss is greatest (Pettitt et al. 2010).")
    else:
        r.note(f"That is after the 24-{fmt(peak_h, 0)} h peak of strength loss but inside the {fmt(window_h, 0)} h before symptoms resolved (Pettitt et al. 2010).")
    if session.lumbar_load == "heavy":
        classify = classifier(inputs)
        heavy = [name for name in session.exercises if classify(name) == "heavy"]
        r.fire("heavy_class", f"{', '.join(heavy)}: the exercise taxonomy counts {'these' if len(heavy) > 1 else 'this'} as heavy lumbar loading.")
    many = int(r.value("many_hard_sets"))
    if session.hard_sets >= many:
        r.fire("high_volume", f"{session.hard_sets} hard lumbar-loading sets, {weight_text(session.tonnage_kg, inputs.weight_unit, 0)} lifted in them.")
    top = session.top_set
    if top is not None and top.pct_of_best is not None:
        r.measures["top_set_pct_of_best"] = round(top.pct_of_best, 1)
        if top.pct_of_best >= float(r.value("near_max_pct")):
            r.fire("near_max", (
                f"Top set {top.exercise} {weight_text(top.weight_kg, inputs.weight_unit)} x {top.reps}: {fmt(top.pct_of_best, 0)} % of your best "
                f"estimated 1RM of the 90 days before."
            ))
    if lumbar.window.sessions >= 2:
        r.fire("stacked_sessions", (
            f"{lumbar.window.sessions} lumbar-loading sessions in the {fmt(lumbar.window.hours, 0)} h before the run "
            f"({lumbar.window.hard_sets} hard sets)."
        ))
    if lumbar.unclassified_exercises:
        r.argue_against(
            f"Exercises the taxonomy does not know ({', '.join(lumbar.unclassified_exercises)}) were left out; "
            "some may have loaded the back too."
        )
    return r, available, expected
