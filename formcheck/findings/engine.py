"""The findings engine: red flags first, then every registered cause, ranked, with the plan and the journal.

``assess(inputs)`` is the one entry point the check and the report use.  It
is pure: it reads no file except the packaged thresholds and plan catalogue
(or ``$FORMCHECK_THRESHOLDS``), so the same inputs always give the same
answer.  The order of work mirrors what a clinician would do:

1. red flags from the answers (never ranked as causes, always first);
2. every cause module in :data:`CAUSE_MODULES` order: a :class:`Finding` with
   its score from the rules, or :class:`NotAssessed` when it has no data;
3. journal correlations joined to their causes (a significant excess of
   pumps with a factor is a rule of its cause);
4. findings ranked by score, ties kept in registry order (a stable sort),
   and the plan from the findings that fired;
5. what inputs were used, and for each missing one what it would add.
"""

from __future__ import annotations

from formcheck.context.lumbar import run_local_date
from formcheck.findings.causes import cause_modules
from formcheck.findings.journal import attach, correlate
from formcheck.findings.model import CheckInputs, Finding, FindingsResult, NotAssessed
from formcheck.findings.plan import build_plan
from formcheck.findings.red_flags import assess_red_flags
from formcheck.findings.thresholds import Thresholds, load_thresholds
from formcheck.findings.rules import fmt


def assess(inputs: CheckInputs, th: Thresholds | None = None) -> FindingsResult:
    """Red flags, ranked findings, not-assessed families, plan, journal and inputs for one check."""
    th = th or load_thresholds()
    flags = assess_red_flags(inputs.answers, th)
    findings: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    for module in cause_modules():
        result = module.assess(inputs, th)
        if isinstance(result, NotAssessed):
            not_assessed.append(result)
        else:
            findings.append(result)
    correlations, journal_note = correlate(inputs, th)
    findings = attach(findings, correlations, inputs, th)
    ranked = sorted(findings, key=lambda f: -f.score)  # stable: ties keep registry order
    used, missing = inputs_report(inputs)
    return FindingsResult(
        red_flags=flags,
        findings=tuple(ranked),
        not_assessed=tuple(not_assessed),
        plan=build_plan(ranked, flags, th, weight_unit=inputs.weight_unit, filmed=bool(inputs.running_videos)),
        correlations=correlations,
        journal_note=journal_note,
        inputs_used=tuple(used),
        inputs_missing=tuple(missing),
    )


def verdict(finding: Finding, th: Thresholds) -> str:
    """ "likely", "possible" or "unlikely" for a finding's score (``scoring.likely`` / ``scoring.possible``)."""
    if finding.score >= float(th.value("scoring.likely")):
        return "likely"
    return "possible" if finding.score >= float(th.value("scoring.possible")) else "unlikely"


def _video_inputs(inputs: CheckInputs, used: list[str], missing: list[str]) -> None:
    running = inputs.running_videos
    for video in inputs.videos:
        length = f", {video.duration_s:.1f} s" if video.duration_s else ""  # as the clip card says it (6.5 s, not 6 s)
        used.append(f"video {video.name} ({video.activity}, {video.view} view{length})")
    views = {v.view for v in running}
    if not running:
        what = ("no running was found in the video given" if inputs.videos
                else f"no runner was found in {', '.join(inputs.unusable_videos)}" if inputs.unusable_videos else "no video")
        missing.append(f"a side-view running video ({what}): add one to assess trunk lean, head posture, cadence and overstride")
    elif "side" not in views:
        missing.append("a side-view running video: add one to assess trunk lean, head posture and overstride")
    measured = inputs.running_video_for("step_time_asymmetry_pct")
    asymmetry = measured is not None and measured.metric("step_time_asymmetry_pct") is not None
    if running and not views & {"front", "back"} and not asymmetry:  # a side clip with steps measures it too
        missing.append("a running video from behind or in front: add one to assess left/right gait asymmetry")


def inputs_report(inputs: CheckInputs) -> tuple[list[str], list[str]]:
    """What this check used, and each missing input with what it would add."""
    used: list[str] = []
    missing: list[str] = []
    _video_inputs(inputs, used, missing)
    if inputs.run is not None:
        run = inputs.run.run
        km = f", {run.distance_m / 1000.0:.1f} km" if run.distance_m else ""
        used.append(f"the GPS track of the run that hurt ({run_local_date(run, inputs.lift_tz).isoformat()}{km})")
    else:
        missing.append("the GPS track of the run that hurt (GPX/FIT/TCX): add it to assess hills, sudden efforts and the walk break")
    if inputs.history:
        n = len(inputs.history)
        used.append(f"{n} recorded {'activity' if n == 1 else 'activities'}")
    else:
        missing.append("your earlier runs: add them to assess load spikes and rest days")
    if inputs.lifts:
        days = len({s.performed_on for s in inputs.lifts})
        used.append(f"{len(inputs.lifts)} lift sets on {days} days")
    else:
        missing.append("a strength-log export (Strong, Hevy or FitNotes): add it to assess lifting fatigue and accessory work")
    a = inputs.answers
    if a.red_flags.answered():
        used.append(f"answers to {a.red_flags.answered()} red-flag questions")
    else:
        missing.append("the red-flag questions: answer them so that serious causes are ruled out first")
    sections = {
        "runner": (a.runner.running_months, a.runner.runs_per_week, a.runner.age),
        "symptom": (a.symptom.date, a.symptom.minute_into_run, a.symptom.lasted_min, a.symptom.kind),
        "warm-up": (a.warmup.done, a.warmup.minutes),
        "trunk endurance": (a.endurance.extensor_s, a.endurance.flexor_s, a.endurance.side_bridge_left_s, a.endurance.side_bridge_right_s),
    }
    adds = {
        "runner": "how long you have run and how often (beginner and load)",
        "symptom": "when the pump started and how long it lasted",
        "warm-up": "whether a cold start fits",
        "trunk endurance": "your trunk endurance ratios",
    }
    for name, values in sections.items():
        if any(v is not None for v in values):
            used.append(f"your {name} answers")
        else:
            missing.append(f"your {name} answers: add them to assess {adds[name]}")
    if a.substances.taken:
        used.append("your substances answer")
    else:
        missing.append("your substances answer: add it (or \"none\") to assess creatine, steroids and stimulants")
    if inputs.journal:
        used.append(f"{len(inputs.journal)} journaled runs")
    else:
        missing.append("a symptom journal (a line after each run): it shows which factors come with the pumps")
    return used, missing
