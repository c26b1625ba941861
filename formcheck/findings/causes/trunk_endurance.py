"""Low trunk endurance: McGill's four holds and the ratios between them.

Why ratios and not absolute times: McGill et al. (Arch Phys Med Rehabil 1999,
31 men and 44 women, reliability > 0.97) gave targets as *balances* between
the back extensors, the flexors and the lateral flexors; the per-test mean
seconds could not be verified for this tool, so no absolute norm is used.  The
ratios used clinically: flexor:extensor below 1.0, side bridge:extensor below
0.75, and left and right side bridges about equal (the 0.95-1.05 band is a
rule of thumb we could not confirm, and is worded so).  Back extensors that
tire before the flexors are the muscles a back pump comes from: while running,
erector activity exceeded a modified Biering-Sorensen hold (Behm et al. 2009).
"""

from __future__ import annotations

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "trunk_endurance"
TITLE = "Low back-extensor endurance for the running you do"
NORMS = "McGill et al., Arch Phys Med Rehabil 1999: ratio targets from 75 healthy young adults (31 men, 44 women)"


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    e = inputs.answers.endurance
    times = {"extensor": e.extensor_s, "flexor": e.flexor_s, "left": e.side_bridge_left_s, "right": e.side_bridge_right_s}
    given = {k: v for k, v in times.items() if v is not None}
    if not given:
        return NotAssessed(CAUSE_ID, TITLE, "give your four trunk endurance hold times (the questionnaire shows each test) "
                                            "to assess it", asks=("endurance",))  # fmt: skip
    r = Rules(th, CAUSE_ID)
    r.cite(NORMS)
    r.measures.update({f"{k}_s": v for k, v in times.items()})
    ext, flex, left, right = e.extensor_s, e.flexor_s, e.side_bridge_left_s, e.side_bridge_right_s

    others_held = {name: hold for name, hold in (("flexor", flex), ("left side bridge", left), ("right side bridge", right))
                   if hold}  # fmt: skip
    if ext == 0 and others_held:  # every ratio is infinite: the worst result, not none
        held = ", ".join(f"{name} {fmt(hold, 0)} s" for name, hold in others_held.items())
        rules = [rule for rule, holds in (("flexor_extensor", (flex,)), ("side_extensor", (left, right))) if any(holds)]
        r.fire(rules[0], f"Extensor hold 0 s against {held}: your back extensors give out long before the other trunk "
                         f"muscles (every ratio far above McGill's targets).")  # fmt: skip
        for rule in rules[1:]:
            r.fire(rule)
    elif ext == 0:
        r.note("Every hold was 0 s, so no balance between them can be told; if a hold hurt, leave it blank and say so.")
    # a hold of 0 s says something only beside a longer one (every hold at 0: nothing to balance)
    informative = sum(1 for v in given.values() if v > 0) + (1 if ext == 0 and others_held else 0)
    if ext is not None and ext > 0 and flex is not None:
        ratio = flex / ext
        limit = float(r.value("flexor_extensor_max"))
        r.measures["flexor_extensor_ratio"] = round(ratio, 2)
        sentence = f"Flexor:extensor ratio {ratio:.2f} (flexor hold {fmt(flex, 0)} s, extensor hold {fmt(ext, 0)} s; target below {limit:.2f})."
        if ratio > limit:
            r.fire("flexor_extensor", sentence + " Your back extensors give out before your flexors.")
        else:
            r.argue_against(sentence)
    if ext is not None and ext > 0 and (left is not None or right is not None):
        limit = float(r.value("side_extensor_max"))
        for side, hold in (("left", left), ("right", right)):
            if hold is None:
                continue
            ratio = hold / ext
            r.measures[f"side_{side}_extensor_ratio"] = round(ratio, 2)
            sentence = f"{side.title()} side bridge:extensor ratio {ratio:.2f} ({fmt(hold, 0)} s vs {fmt(ext, 0)} s; target below {limit:.2f})."
            if ratio > limit:
                r.fire("side_extensor", sentence)
            else:
                r.argue_against(sentence)
    if left is not None and right is not None and max(left, right) > 0:
        diff = abs(left - right) / max(left, right)
        limit = float(r.value("side_asymmetry_max"))
        r.measures["side_bridge_difference"] = round(diff, 3)
        sentence = (
            f"Left and right side bridges differ by {100 * diff:.0f} % ({fmt(left, 0)} s vs {fmt(right, 0)} s); "
            f"a difference above {100 * limit:.0f} % is a clinical rule of thumb, the exact 0.95-1.05 band is unconfirmed."
        )
        if diff > limit:
            r.fire("side_asymmetry", sentence)
        else:
            r.argue_against(sentence)
    if ext is None:
        r.argue_against("Without the extensor (Biering-Sorensen) hold the ratios that matter most cannot be computed.")
    r.note("Norms used: " + NORMS + "; ratios only, no absolute times.")
    return r.finding(
        CAUSE_ID, TITLE, available=informative, expected=4,
        rule_out=("Ratios inside McGill's targets on a fresh retest, with all four holds done to form failure.",),
        plan=("trunk_endurance_progression",),
    )
