"""Properties of the engine over any answers and lift logs: bounded scores, ranking, flags first, plans that exist."""

from __future__ import annotations

import datetime as dt

from findings_builders import RUN_DAY, check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from training_builders import lift
from video_builders import thresholds

from formcheck.answers.model import RED_FLAG_FIELDS, Answers
from formcheck.findings.engine import assess
from formcheck.findings.plan import load_catalogue

TH = thresholds()
URGENCY = {"emergency": 0, "today": 1, "soon": 2}
seconds = st.none() | st.floats(0, 600)

answers_st = st.builds(
    lambda flags, warm, minutes, taken, ext, flex, left, right, months, per_week, onset, lasted: Answers.model_validate({
        "red_flags": flags,
        "warmup": {k: v for k, v in (("done", warm), ("minutes", minutes)) if v is not None},
        "substances": {"taken": taken},
        "endurance": {k: v for k, v in (("extensor_s", ext), ("flexor_s", flex), ("side_bridge_left_s", left),
                                         ("side_bridge_right_s", right)) if v is not None},
        "runner": {k: v for k, v in (("running_months", months), ("runs_per_week", per_week)) if v is not None},
        "symptom": {k: v for k, v in (("minute_into_run", onset), ("lasted_min", lasted)) if v is not None},
    }),
    st.dictionaries(st.sampled_from(RED_FLAG_FIELDS), st.booleans()),
    st.none() | st.booleans(), st.none() | st.floats(0, 120),
    st.lists(st.sampled_from(["oral_anabolic_steroid", "other_hormone", "stimulant_preworkout", "creatine", "none"]), unique=True),
    seconds, seconds, seconds, seconds,
    st.none() | st.floats(0, 900), st.none() | st.floats(0, 21), st.none() | st.floats(0, 600), st.none() | st.floats(0, 10080),
)  # fmt: skip
lifts_st = st.lists(
    st.builds(lambda days, name, kg, reps: lift(RUN_DAY - dt.timedelta(days=days), name, kg, reps),
              st.integers(-3, 90), st.sampled_from(["Deadlift", "Squat", "Bench Press", "Romanian Deadlift", "Mystery Lift"]),
              st.none() | st.floats(0, 300), st.none() | st.integers(0, 30)),
    max_size=40,
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_st, lifts_st, st.booleans())
def test_any_answers_and_lifts_give_a_well_formed_result(answers: Answers, lifts: list, dated: bool) -> None:
    result = assess(check(answers=answers, lifts=lifts, symptom_date=RUN_DAY if dated else None), TH)
    assert [URGENCY[f.urgency] for f in result.red_flags] == sorted(URGENCY[f.urgency] for f in result.red_flags)
    assert bool(result.red_flags) == bool(set(answers.red_flags.answered_yes()) or (answers.symptom.lasted_min or 0) >= 60)
    scores = [f.score for f in result.findings]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= f.score <= 1.0 and 0.0 <= f.confidence <= 1.0 for f in result.findings)
    assert all(f.rules_fired or f.score == 0.0 for f in result.findings)
    assert len(result.findings) + len(result.not_assessed) == 12
    catalogue = load_catalogue()
    assert all(p.id in catalogue.items and p.why and p.steps for p in result.plan)
    assert result.plan[-1].id == "film_first"  # no video in these inputs: the first film, never "film again"
    assert (result.plan[0].id == "see_clinician") == bool(result.red_flags or any(
        "see_clinician" in f.plan and f.score >= 0.25 for f in result.findings))
