"""No warm-up: a cold start, and a pump early in the run.

Why it is a cause family at all: "did you warm up?" is one of the forum's
answers, and a pump in the first minutes of a cold run fits it.  No study of
warm-ups and back pumps was found (EVIDENCE.md has none), so the weights are
low and the report says it is a low-cost thing to try, not an established
cause.  A pump long after the start lowers the score (``late_onset``, a negative
weight): a cold start cannot explain what came once the body was warm.  Data:
``[warmup]`` done and minutes, and ``[symptom]`` minute_into_run.
"""

from __future__ import annotations

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "no_warmup"
TITLE = "Starting cold, without a warm-up"
LORE = "Forum theory; no study of warm-ups and lower-back pumps was found (EVIDENCE.md)"


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    warmup = inputs.answers.warmup
    if warmup.done is None and warmup.minutes is None:
        return NotAssessed(CAUSE_ID, TITLE, "answer whether you warmed up, and for how many minutes, to assess it",
                           asks=("warmup",))  # fmt: skip
    r = Rules(th, CAUSE_ID)
    r.cite(LORE)
    short = float(r.value("short_min"))
    minutes = warmup.minutes
    done = warmup.done if warmup.done is not None else bool(minutes)
    r.measures.update(warmup_done=done, warmup_min=minutes)
    cold = False
    if not done:
        r.fire("no_warmup", "You did not warm up before the run.")
        cold = True
    elif minutes is not None and minutes < short:
        r.fire("short_warmup", f"Your warm-up was {fmt(minutes, 0)} min, shorter than {fmt(short, 0)} min.")
        cold = True
    else:
        length = f" for {fmt(minutes, 0)} min" if minutes is not None else ""
        r.argue_against(f"You warmed up{length} before the run.")

    onset = inputs.answers.symptom.minute_into_run
    early = float(r.value("early_onset_min"))
    if onset is not None:
        r.measures["onset_min"] = onset
        if onset <= early and cold:
            r.fire("early_onset", f"The pump came {fmt(onset, 0)} min into the run, within the first {fmt(early, 0)} min.")
        elif onset > early:
            if cold:
                r.fire("late_onset")  # a negative weight: a cold start does not explain a pump after the body was warm
            r.argue_against(f"The pump came {fmt(onset, 0)} min into the run, well after the body was warm.")
    return r.finding(
        CAUSE_ID, TITLE, available=1 + (onset is not None), expected=2,
        rule_out=("The same pump on runs after a full 10-minute warm-up.",),
        plan=("warmup_routine",),
    )
