"""Report test builders: a hand-built FindingsResult and ReportMeta, and where the real samples are.

The findings engine is not needed to test the report: the values it returns
are plain frozen dataclasses, built here with sentences like the engine's.
The clip and the run are real (``../shared/data``), so the pictures, plots
and calendar are drawn from what ``analyze`` and the log readers really give.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from formcheck.findings.model import (
    Correlation,
    Finding,
    FindingsResult,
    NotAssessed,
    PlanItem,
    RedFlag,
)
from formcheck.report.model import ReportMeta

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
CLIP = SHARED / "videos" / "treadmill_side_gym_portrait_60fps.mp4"
TRACK = SHARED / "tracks" / "run_googlefit_gps_2015-05-31.tcx"
LIFTS = SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv"
SYMPTOM_DATE = dt.date(2015, 5, 31)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def make_result(*, red_flags: bool = True) -> FindingsResult:
    flags = (
        RedFlag("exertional_rhabdo", "Dark urine with a pump far worse than the effort: get a CK blood test today.", "today"),
        RedFlag("leg_numbness", "Numbness or tingling down a leg: see a clinician in the next days.", "soon"),
    )
    findings = (
        Finding(
            cause="lifting_fatigue",
            title="Lifting fatigue",
            score=0.82,
            confidence=0.9,
            evidence=(
                "Deadlift 1 x 1 at 160 kg (90 % of your best) 2 days before the run.",
                "15 hard lumbar-loading sets (9,040 kg) in that session.",
            ),
            against=("No lumbar-loading lift in the 24 h before the run.",),
            rule_out=("A run at the same pace with no heavy hinge in the 96 h before that does not pump.",),
            plan=("schedule", "hinge_accessories"),
            rules_fired=("lumbar_session_within_72h", "heavy_top_set"),
            measures={"hours_before": float("nan"), "days_before": 2, "tonnage_kg": 9040.0},
            sources=("Pettitt et al. 2010",),
        ),
        Finding(
            cause="head_posture",
            title="Looking down when tired",
            score=0.41,
            confidence=0.6,
            evidence=("Head flexion 26.4 deg ± 5.5 (n = 16), looking down.",),
            against=("Head flexion fell by 11.4 deg from the first to the last fifth of strides.",),
            rule_out=("A longer clip with head flexion under 15 deg throughout.",),
            plan=("posture_cues",),
            rules_fired=("head_flexion_high",),
        ),
        Finding(
            cause="trunk_lean",
            title="Forward trunk lean",
            score=0.08,
            confidence=1.0,
            evidence=("Trunk lean -1.7 deg ± 0.5 (n = 16).",),
            against=(f"Lean is upright and did not grow (change -0.7 deg). Note: {HOSTILE}",),
        ),
    )
    return FindingsResult(
        red_flags=flags if red_flags else (),
        findings=findings,
        not_assessed=(
            NotAssessed("trunk_endurance", "Low trunk endurance", "give the four hold times to assess it", asks=("endurance",)),
            NotAssessed("substances", "Substances", "answer what you take to assess it", asks=("substances.taken",)),
        ),
        plan=(
            PlanItem("schedule", "Space heavy hinges and hard runs", ("Put deadlift and squat days at least 48-72 h before a hard run.",),
                     ("Lifting fatigue",), None),
            PlanItem("posture_cues", "Posture cues", ("Chest up.", "Eyes on the horizon, 20-30 m ahead."), ("Looking down when tired",),
                     "Cues change form for a while; film again to see whether they stuck."),
        ),
        correlations=(
            Correlation("lift_within_48h", 5, 6, 1, 9, 0.011,
                        "Pumps on 5 of 6 runs within 48 h of deadlifts vs 1 of 9 otherwise (Fisher exact p = 0.01)."),
        ),
        journal_note="15 journaled runs.",
        inputs_used=("video treadmill_side_gym_portrait_60fps.mp4", "run 2015-05-31", "FitNotes export"),
        inputs_missing=("your trunk endurance answers: add them to assess your trunk endurance ratios",),
    )


def make_meta(**changes) -> ReportMeta:
    meta = ReportMeta(
        created_at=dt.datetime(2026, 12, 2, 19, 0, tzinfo=dt.timezone.utc),
        formcheck_version="0.1.0",
        symptom_date=SYMPTOM_DATE,
        run_label="2015-05-31 07:00, 7.2 km",
        inputs={"videos": [CLIP.name], "runs": [TRACK.name], "lifts": [LIFTS.name]},
    )
    return replace(meta, **changes)




def demo_answers():
    """A runner's answers for the real run (the kind ``formcheck ask`` writes): no red flags, endurance times given."""
    from formcheck.answers.model import Answers

    return Answers.model_validate(
        {
            "runner": {"age": 27, "sex": "male", "height_cm": 178, "running_months": 5, "runs_per_week": 2},
            "symptom": {"date": SYMPTOM_DATE, "kind": "pump", "where": "lower_back", "minute_into_run": 31,
                        "forced_walk": True, "lasted_min": 20, "hours_sore_after": 4, "severity": 7},  # fmt: skip
            "warmup": {"done": False},
            "history": {"injuries": [{"part": "ankle", "side": "right", "months_ago": 14}]},
            "substances": {"taken": ["creatine"]},
            "endurance": {"extensor_s": 62, "flexor_s": 95, "side_bridge_left_s": 55, "side_bridge_right_s": 61},
            "red_flags": {name: False for name in ("saddle_numbness", "bladder_bowel_change", "leg_weakness",
                          "leg_numbness_tingling", "night_pain", "fever", "weight_loss", "cancer_history", "trauma",
                          "dark_urine", "pain_far_worse_than_effort", "muscles_rigid_swollen")},  # fmt: skip
        }
    )
