"""Substances: oral anabolic steroids, other hormones, creatine, pre-workout stimulants.

Why each is worded as it is (EVIDENCE.md):

* oral anabolic steroids (e.g. methasterone, "Superdrol"): severe "back pumps"
  are widely reported by lifters, but that is lore: no peer-reviewed study of
  the mechanism was found (the taurine theory is unconfirmed).  Methasterone
  *is* documented for liver injury and kidney failure, which is why the plan
  also sends the runner to a doctor;
* creatine raised lower-leg compartment pressure 76 % at rest and 150 % after
  exercise (Schroeder et al., Clin J Sport Med 2001), measured in the leg, not
  the back; in a case report it was still raised 21 days after stopping
  (Potteiger et al., J Athl Train 2001), so the test pause is 28 days; it does
  not raise cramp or dehydration risk (Dalbo et al. 2008);
* stimulants: nothing links them to back pumps in the evidence gathered; they
  can mask fatigue, so the weight is small.
"""

from __future__ import annotations

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "substances"
TITLE = "Something you take"

_SENTENCES = {
    "oral_anabolic_steroid": (
        "You take an oral anabolic steroid: severe 'back pumps' on orals such as methasterone are widely reported "
        "among lifters, but this is lifter lore with no peer-reviewed mechanism; methasterone is documented to "
        "cause liver injury and kidney failure.",
        "Lifter reports (lore, no peer-reviewed mechanism); methasterone liver and renal harms are documented (EVIDENCE.md)",
    ),
    "other_hormone": (
        "You take another hormone: no study links it to back pumps, but tell a doctor what it is.",
        "No study found (EVIDENCE.md)",
    ),
    "creatine": (
        "You take creatine: it raised lower-leg compartment pressure 76 % at rest and 150 % after exercise "
        "(Schroeder et al. 2001, measured in the leg, not the back); in a case report it was still raised 21 days after "
        "stopping (Potteiger et al. 2001), so a test pause should last {washout} days.",
        "Schroeder et al., Clin J Sport Med 2001: +76 % resting, +150 % post-exercise lower-leg compartment pressure",
    ),
    "stimulant_preworkout": (
        "You take a pre-workout stimulant: nothing found links stimulants to back pumps, but they can mask "
        "fatigue and push the pace.",
        "No study found linking stimulants to back pumps (EVIDENCE.md)",
    ),
}


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    taken = set(inputs.answers.substances.taken)
    if not taken:
        return NotAssessed(CAUSE_ID, TITLE, "answer what you take (or \"none\") to assess it", asks=("substances.taken",))
    r = Rules(th, CAUSE_ID)
    washout = r.value("creatine_washout_days")
    r.measures["taken"] = sorted(taken - {"none"})
    for name, (sentence, source) in _SENTENCES.items():
        if name in taken:
            r.cite(source)
            r.fire(name, sentence.format(washout=fmt(float(washout), 0)))
    if taken <= {"none"}:
        r.argue_against("You take none of the substances asked about (oral steroids, other hormones, creatine, stimulants).")
    plan = ("substances_review", "see_clinician") if taken & {"oral_anabolic_steroid", "other_hormone"} else ("substances_review",)
    return r.finding(
        CAUSE_ID, TITLE, available=1, expected=1,
        rule_out=(f"Pumps that go on after {fmt(float(washout), 0)} days without the substance (journal the runs).",),
        plan=plan,
    )
