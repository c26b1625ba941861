"""Red flags: the answers that must send the runner to a clinician before any theory is read.

Why a separate module: a pump with dark urine, or numbness in the saddle
area, is not a "cause" to rank against a forward lean; it is a reason to stop
reading and get seen.  So these never become :class:`Finding` values; the
engine puts them first in every output, most urgent first:

* ``emergency``: cauda equina signs (saddle numbness, a new bladder or bowel
  change, severe or progressive leg weakness): AHCPR guideline table; NICE
  NG59 asks to screen for cauda equina first.
* ``today``: the exertional rhabdomyolysis / lumbar paraspinal compartment
  pattern (muscle pain far worse than the effort, rigid swollen back muscles,
  dark tea- or cola-coloured urine), more so with a pump that lasted long
  after stopping: CDC/NIOSH says seek care the same day and only a CK blood
  test confirms it; the paraspinal form is rare but documented after heavy
  deadlifts (LaGreca et al. 2024; J Orthop Surg Res 2024).
* ``soon``: the serious-pathology screen (night pain, fever, weight loss, a
  history of cancer, trauma, leg numbness): Chou et al. 2007 (ACP);
  Verhagen et al. 2016.  A pump that lasted far longer than a compartment
  pump eases is also worth a clinician's look.  Age over 50 is on the same
  cancer screen but is not specific alone (most runners over 50 with a back
  pump have no cancer), so it is not a flag by itself: it is said with the
  cancer-screen flags it strengthens (night pain, weight loss, cancer history).
"""

from __future__ import annotations

from formcheck.answers.model import Answers
from formcheck.findings.model import RedFlag
from formcheck.findings.rules import fmt
from formcheck.findings.thresholds import Thresholds

_ORDER = {"emergency": 0, "today": 1, "soon": 2}
_CANCER_SCREEN = ("night_pain", "weight_loss", "cancer_history")  # the flags age over 50 strengthens (Chou 2007)

_CAUDA = {
    "saddle_numbness": "numbness in the saddle area",
    "bladder_bowel_change": "a new change in bladder or bowel control",
    "leg_weakness": "leg weakness",
}
_RHABDO = {
    "dark_urine": "dark (tea- or cola-coloured) urine",
    "muscles_rigid_swollen": "rigid, swollen back muscles",
    "pain_far_worse_than_effort": "pain far worse than the effort would explain",
}
_SOON = {
    "night_pain": (
        "Night pain: back pain at night that does not ease with position is one of the screening signs "
        "for serious causes (Chou et al., Ann Intern Med 2007). See a clinician in the next few days."
    ),
    "fever": (
        "Fever: back pain with fever or chills can mean an infection (Chou et al., Ann Intern Med 2007). "
        "See a clinician in the next few days, sooner if you feel unwell."
    ),
    "weight_loss": (
        "Unexplained weight loss: listed among the most important red flags for back pain "
        "(Verhagen et al., Eur Spine J 2016). See a clinician in the next few days."
    ),
    "cancer_history": (
        "A history of cancer: with back pain it is one of the most listed red flags (Verhagen et al., "
        "Eur Spine J 2016; Chou et al. 2007). See a clinician in the next few days and mention it."
    ),
    "trauma": (
        "Trauma: back pain after a fall or a blow needs a fracture ruled out (Chou et al., Ann Intern Med "
        "2007). See a clinician in the next few days, today if the pain is severe."
    ),
    "leg_numbness_tingling": (
        "Leg numbness or tingling: a nerve may be involved (AHCPR guideline; NICE NG59). See a clinician "
        "in the next few days, and go now if the saddle area goes numb or the legs get weak."
    ),
}


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _long_pump_parts(answers: Answers, th: Thresholds) -> tuple[bool, bool]:
    """(the pump lasted too long, the soreness lasted too long)."""
    lasted, sore = answers.symptom.lasted_min, answers.symptom.hours_sore_after
    return (lasted is not None and lasted >= th.value("red_flags.pump_lasting_min"),
            sore is not None and sore >= th.value("red_flags.sore_after_h"))  # fmt: skip


def _long_pump(answers: Answers, th: Thresholds) -> list[str]:
    """Sentences for a pump that lasted longer than a compartment pump or ordinary soreness should."""
    lasted, sore = _long_pump_parts(answers, th)
    out = [f"the pump lasted {fmt(answers.symptom.lasted_min or 0, 0)} min"] if lasted else []
    return out + ([f"the back stayed sore for {fmt(answers.symptom.hours_sore_after or 0, 0)} h"] if sore else [])


def assess_red_flags(answers: Answers, th: Thresholds) -> tuple[RedFlag, ...]:
    """Every red flag in the answers, most urgent first (empty when none was answered yes)."""
    yes = set(answers.red_flags.answered_yes())
    flags: list[RedFlag] = []
    cauda = [text for name, text in _CAUDA.items() if name in yes]
    if cauda:
        flags.append(RedFlag(
            "cauda_equina",
            f"You reported {_joined(cauda)}. With back pain these are signs of cauda equina compression "
            "(AHCPR guideline; NICE NG59): go to an emergency department now. Do not run until you have been seen.",
            "emergency",
        ))
    rhabdo = [text for name, text in _RHABDO.items() if name in yes]
    long_pump = _long_pump(answers, th)
    if rhabdo:
        extra = f", and {_joined(long_pump)}" if long_pump else ""
        flags.append(RedFlag(
            "rhabdomyolysis_compartment",
            f"You reported {_joined(rhabdo)}{extra}. This is the pattern of exertional rhabdomyolysis or the "
            "rare lumbar paraspinal compartment syndrome (CDC/NIOSH; LaGreca et al., JOCR 2024): see a doctor "
            "today and ask for a CK (creatine kinase) blood test, which is the only way to confirm it. "
            "Drink water, and do not run or lift until you have been seen.",
            "today",
        ))
    elif long_pump:
        # each comparison beside the answer it fits: "90 min ... longer than soreness (24-72 h)" contradicted itself
        lasted, sore = _long_pump_parts(answers, th)
        said = [f"{long_pump[0]}, longer than an exertional compartment pump usually takes to ease (10-20 min "
                "after stopping, in the lower leg)"] if lasted else []
        said += [f"{long_pump[-1]}, longer than ordinary muscle soreness lasts (24-72 h)"] if sore else []
        flags.append(RedFlag(
            "pump_not_easing",
            f"You reported that {'; and that '.join(said)}. See a clinician in the next few days; "
            "go today if your urine turns dark or the muscles become rigid and swollen (CDC/NIOSH).",
            "soon",
        ))
    age = answers.runner.age
    older = age is not None and age > th.value("red_flags.screening_age")
    for name, message in _SOON.items():
        if name in yes:
            if older and name in _CANCER_SCREEN:
                message += (f" You are {fmt(age, 0)}: age over {fmt(th.value('red_flags.screening_age'), 0)} is on the "
                            "same screening list (Chou et al. 2007), so do not wait for it to pass.")
            flags.append(RedFlag(name, message, "soon"))
    return tuple(sorted(flags, key=lambda f: _ORDER[f.urgency]))
