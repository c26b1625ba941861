"""No posterior-chain accessory work: heavy hinges and squats without RDLs, back extensions or similar.

Why: the forum's lifters suggest that erectors trained only by a few heavy
singles and triples lack the endurance an hour of running asks for, and that
higher-rep accessory work (RDLs, back extensions, glute-ham raises) builds it.
No study threshold was found, so every number here is a formcheck design
choice and the exercise patterns that count (heavy lifts, accessory work) are
data in ``thresholds.toml`` [posterior_chain], not code.  Window: the
``lookback_days`` (8 weeks) before the day that hurt.
"""

from __future__ import annotations

import datetime as dt
import re

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules
from formcheck.findings.thresholds import Thresholds
from formcheck.findings.training import day_that_hurt
from formcheck.context.lumbar import is_hard_set  # re-exported there wherever strength_load lives

CAUSE_ID = "posterior_chain"
TITLE = "Heavy hinges and squats without posterior-chain accessory work"
LORE = "Forum theory (accessory work); no study threshold was found"


def _matcher(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    if not inputs.lifts:
        return NotAssessed(CAUSE_ID, TITLE, "give a strength-log export (Strong, Hevy or FitNotes) to assess it")
    day = day_that_hurt(inputs)
    ref = day or max(s.performed_on for s in inputs.lifts) + dt.timedelta(days=1)
    r = Rules(th, CAUSE_ID)
    r.cite(LORE)
    days = int(r.value("lookback_days"))
    heavy_re, accessory_re = _matcher(r.value("heavy_patterns")), _matcher(r.value("accessory_patterns"))
    since = ref - dt.timedelta(days=days)
    window = [s for s in inputs.lifts if since <= s.performed_on < ref and is_hard_set(s)]
    accessory = [s for s in window if accessory_re.search(s.exercise)]
    heavy = [s for s in window if heavy_re.search(s.exercise) and not accessory_re.search(s.exercise)]
    weeks = days / 7.0
    heavy_days = sorted({s.performed_on for s in heavy})
    heavy_names = ", ".join(dict.fromkeys(s.exercise for s in heavy))
    acc_names = ", ".join(dict.fromkeys(s.exercise for s in accessory))
    r.measures.update(heavy_sets=len(heavy), heavy_sessions=len(heavy_days), accessory_sets=len(accessory), weeks=weeks)
    if not window:
        r.argue_against(f"No lifting in the {weeks:.0f} weeks before the run.")
        return r.finding(CAUSE_ID, TITLE, available=0.5, expected=1, plan=("hinge_accessories",))
    if len(heavy_days) < int(r.value("min_heavy_sessions")):
        r.argue_against(f"{len(heavy_days)} heavy hinge/squat session(s) in the {weeks:.0f} weeks before: little for accessory work to balance.")
    elif not accessory:
        r.fire("no_accessory", (
            f"{len(heavy)} hard sets of heavy hinges/squats ({heavy_names}) on {len(heavy_days)} days in the {weeks:.0f} weeks "
            "before, and no RDLs, back extensions or similar accessory work."
        ))
    else:
        ratio = len(accessory) / max(len(heavy), 1)
        r.measures["accessory_ratio"] = round(ratio, 2)
        sentence = (
            f"{len(accessory)} accessory sets ({acc_names}) against {len(heavy)} heavy hinge/squat sets "
            f"in the {weeks:.0f} weeks before (ratio {ratio:.2f})."
        )
        if ratio < float(r.value("accessory_ratio_min")):
            r.fire("little_accessory", sentence)
        else:
            r.argue_against(sentence)
    if day is None:
        r.note(f"No date for the run that hurt: the weeks up to the last logged lift ({(ref - dt.timedelta(days=1)).isoformat()}) were used.")
    return r.finding(
        CAUSE_ID, TITLE, available=1, expected=1,
        rule_out=("Pumps that continue after 6-8 weeks of regular RDLs and back extensions.",),
        plan=("hinge_accessories", "trunk_endurance_progression"),
    )
