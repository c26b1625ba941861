"""Red flags: most urgent first, the rhabdomyolysis pattern is 'today' with a CK test, and none becomes a cause."""

from __future__ import annotations

from findings_builders import answers, check
from video_builders import thresholds

from formcheck.findings.engine import assess
from formcheck.findings.red_flags import assess_red_flags

TH = thresholds()


def flags(**kwargs: object):
    return assess_red_flags(answers(**kwargs), TH)


def test_cauda_equina_is_an_emergency_before_everything_else() -> None:
    found = flags(red_flags={"night_pain": True, "saddle_numbness": True, "dark_urine": True})
    assert [f.urgency for f in found] == ["emergency", "today", "soon"]
    assert found[0].id == "cauda_equina" and "emergency department now" in found[0].message
    assert "NICE NG59" in found[0].message


def test_rhabdomyolysis_pattern_is_today_with_a_ck_test_and_the_long_pump() -> None:
    found = flags(red_flags={"muscles_rigid_swollen": True}, symptom={"lasted_min": 180})
    assert [(f.id, f.urgency) for f in found] == [("rhabdomyolysis_compartment", "today")]
    assert "CK (creatine kinase) blood test" in found[0].message and "the pump lasted 180 min" in found[0].message
    assert "CDC/NIOSH" in found[0].message


def test_a_long_pump_alone_is_a_soon_flag() -> None:
    found = flags(symptom={"hours_sore_after": 96})
    assert [(f.id, f.urgency) for f in found] == [("pump_not_easing", "soon")]
    assert flags(symptom={"lasted_min": 15, "hours_sore_after": 24}) == ()


def test_each_screening_flag_is_soon_and_cited() -> None:
    names = ("night_pain", "fever", "weight_loss", "cancer_history", "trauma", "leg_numbness_tingling")
    found = flags(red_flags={n: True for n in names})
    assert [f.id for f in found] == list(names) and {f.urgency for f in found} == {"soon"}
    assert all(("Chou" in f.message) or ("Verhagen" in f.message) or ("NICE" in f.message) for f in found)


def test_no_flag_when_all_answered_no() -> None:
    assert flags(red_flags={"dark_urine": False, "fever": False}) == ()


def test_red_flags_come_first_and_never_as_causes() -> None:
    result = assess(check(answers=answers(red_flags={"dark_urine": True}, warmup={"done": False})))
    assert result.red_flags[0].urgency == "today"
    assert all("rhabdo" not in f.cause and "compartment" not in f.cause for f in result.findings)
    assert result.plan[0].id == "see_clinician" and "red flag (today)" in result.plan[0].why[0]


def test_a_long_pump_is_compared_only_with_what_fits_its_answer() -> None:
    """'the pump lasted 90 min: ... and longer than ordinary muscle soreness (24-72 h)' said 90 min outlasts 24 h."""
    (pump,) = flags(symptom={"lasted_min": 90})
    assert pump.message.startswith("You reported that the pump lasted 90 min, longer than an exertional compartment pump")
    assert "24-72 h" not in pump.message
    (sore,) = flags(symptom={"hours_sore_after": 96})
    assert "the back stayed sore for 96 h, longer than ordinary muscle soreness lasts (24-72 h)." in sore.message
    assert "compartment" not in sore.message
    (both,) = flags(symptom={"lasted_min": 90, "hours_sore_after": 96})
    assert "compartment" in both.message and "24-72 h" in both.message


def test_age_over_50_strengthens_the_cancer_screen_and_is_not_a_flag_alone() -> None:
    """EVIDENCE.md lists age over 50 on the cancer screen (Chou 2007); alone it flags nothing, beside night pain it
    is said, and beside a fever (the infection screen) it is not."""
    assert flags(runner={"age": 62}) == ()
    (night,) = flags(runner={"age": 62}, red_flags={"night_pain": True})
    assert night.message.endswith("You are 62: age over 50 is on the same screening list (Chou et al. 2007), "
                                  "so do not wait for it to pass.")  # fmt: skip
    assert "You are" not in flags(runner={"age": 50}, red_flags={"night_pain": True})[0].message  # over 50, not 50
    assert "You are" not in flags(runner={"age": 62}, red_flags={"fever": True})[0].message
