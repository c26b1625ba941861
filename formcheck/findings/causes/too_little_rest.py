"""Too little rest: back-to-back training days, lifts and runs stacked in the days before.

Why: muscles that never get a day off carry fatigue into the next session;
a heavy lift and a run in the two days before the run that hurt stack two
kinds of back load.  This family counts days, not effort (the logs rarely
tell how hard a session felt): which of the days before had a run, a lift,
or nothing, from the run history and the lift log, against the day that hurt
(calendar dates; a lift or run on that day itself is not counted, its order
being unknown).
"""

from __future__ import annotations

import datetime as dt

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds
from formcheck.findings.training import activity_days, day_that_hurt, lift_days
from formcheck.logs.records import Sport

CAUSE_ID = "too_little_rest"
TITLE = "Too little rest in the days before"
LORE = "Forum theory (too little rest); rule thresholds are formcheck design choices, no study threshold was found"


def _label(day: dt.date, ref: dt.date) -> str:
    n = (ref - day).days
    return "the day before" if n == 1 else f"{n} days before"


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    ref = day_that_hurt(inputs)
    if ref is None or (not inputs.history and not inputs.lifts):
        return NotAssessed(CAUSE_ID, TITLE, "give your runs and your lift log for the week before the run that hurt (with its date) to assess it")
    r = Rules(th, CAUSE_ID)
    r.cite(LORE)
    runs = activity_days(inputs, Sport.RUN)
    other = activity_days(inputs, None) - runs
    lifts = lift_days(inputs.lifts)
    look = int(r.value("days_before"))
    days = [ref - dt.timedelta(days=k) for k in range(1, 8)]

    def what(day: dt.date) -> list[str]:
        return [name for name, group in (("run", runs), ("lift", lifts), ("other activity", other)) if day in group]

    busy = {day: what(day) for day in days}
    rest_7 = [day for day in days if not busy[day]]
    r.measures.update(rest_days_7d=len(rest_7), days_before={(ref - d).days: busy[d] for d in days})
    recent = days[:look]
    summary = "; ".join(f"{_label(d, ref)}: {' + '.join(busy[d]) or 'nothing logged'}" for d in recent)
    if all(busy[d] for d in recent):
        r.fire("no_rest_day", f"You trained on each of the {look} days before the run ({summary}).")
    else:
        r.argue_against(f"The {look} days before included days with no training logged ({summary}).")
    if days[0] in runs:
        km = sum((h.distance_m or 0.0) for h in inputs.history if h.sport is Sport.RUN and h.start.date() == days[0]) / 1000.0
        length = f" ({km:.1f} km)" if km > 0 else ""
        r.fire("run_day_before", f"You also ran the day before{length}.")
    two = days[:2]
    if any(d in lifts for d in two) and any(d in runs for d in two):
        r.fire("lift_and_run_stacked", "A lift session and a run both fell in the 2 days before the run.")
    need = int(r.value("week_min_rest_days"))
    if len(rest_7) < need:
        r.fire("few_rest_days_week", f"Only {len(rest_7)} day(s) with no run or lift logged in the 7 days before (fewer than {need}).")
    partial = [] if any(day < ref for day in runs | other) else ["earlier runs"]
    partial += [] if any(day < ref for day in lifts) else ["lifts"]
    said = inputs.answers.runner.runs_per_week
    logged = sum(1 for day in days if day in runs)
    missing_runs = said is not None and logged < said - 1  # the runner runs more than the logs show
    if len(rest_7) >= need:
        doubt = (f", but you run {fmt(said, 0)} times a week and the logs hold {logged} run(s) that week: some may be missing"
                 if missing_runs else "")  # fmt: skip
        r.argue_against(f"{len(rest_7)} days with no run or lift logged in the 7 days before{doubt}.")
    if partial:
        r.argue_against(f"No {' or '.join(partial)} in the logs: days that look like rest may not have been.")
    return r.finding(
        CAUSE_ID, TITLE, available=2 - len(partial) - (0.5 if missing_runs and not partial else 0.0), expected=2,
        rule_out=("The same pump on runs after two full rest days.",),
        plan=("rest_days", "schedule_spacing"),
    )
