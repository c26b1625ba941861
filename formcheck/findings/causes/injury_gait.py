"""Cause: gait after an injury (left/right step-time asymmetry with a reported past injury).

The theory: after an ankle sprain (or a knee, hip or back injury) a runner may
keep favouring one side, and an uneven stride loads the back unevenly.  The
video gives the size of the left/right step-time difference (not which side
is longer), the answers give the injury.  Both together are the pattern; an
injury with even steps argues against it (a negative-weight rule, and said in
``against``); asymmetry with no injury reported is only a low score.  Step
times from video are only as fine as one frame, so an asymmetry smaller than
one frame's share of a step is not counted.
"""

from __future__ import annotations

from formcheck.answers.model import Injury
from formcheck.findings.model import CheckInputs, Finding, MetricValue, NotAssessed, VideoMeasures
from formcheck.findings.rules import Rules
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "injury_gait"
TITLE = "Gait after an injury"
FILM = "a running video of 10 s or more (side or front view)"
ASK = "your past injuries (body part, side, how many months ago)"
ASKS = ("history.injuries",)  # where they are given: each front end says how (formcheck.asking)


def _describe(injury: Injury) -> str:
    side = f"{injury.side} " if injury.side not in (None, "none") else ""
    when = f" {injury.months_ago:g} months ago" if injury.months_ago is not None else ""
    return f"{side}{injury.part}{when}".strip()


def frame_share_pct(video: VideoMeasures, cadence: MetricValue | None) -> float | None:
    """One video frame as a percentage of one step: the finest step-time difference the clip can show."""
    if video.fps is None or video.fps <= 0 or cadence is None or not cadence.value:
        return None
    step_s = 60.0 / cadence.value
    return 100.0 * (1.0 / video.fps) / step_s


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    """Combine the reported injuries with the step-time asymmetry of the running clip with the most steps."""
    r = Rules(th, CAUSE_ID, cite_weights=True)
    parts = tuple(p.lower() for p in r.value("lower_body_parts"))
    relevant = [i for i in inputs.answers.history.injuries if any(p in i.part.lower() for p in parts)]
    video = inputs.running_video_for("step_time_asymmetry_pct")
    asym = None if video is None else video.metric("step_time_asymmetry_pct")
    if not relevant and asym is None:
        if video is None:
            return NotAssessed(CAUSE_ID, TITLE, f"{inputs.no_running_note()}give {ASK} or add {FILM} to assess it", asks=ASKS)
        reason = video.why_not("step_time_asymmetry_pct")
        return NotAssessed(CAUSE_ID, TITLE, f"left/right step times not measurable in {video.name}: {reason}; "
                                            f"add {FILM} and give {ASK} to assess it", asks=ASKS)  # fmt: skip

    for injury in relevant:  # one sentence per injury, the weight once
        r.fire("injury_reported", f"reported injury: {_describe(injury)}")
    if relevant:
        recent = [i for i in relevant if i.months_ago is not None and i.months_ago <= r.value("recent_months")]
        if recent:
            r.fire("injury_recent")
    elif "injuries" in inputs.answers.history.model_fields_set:  # answered, with no injury (or none below the waist)
        r.argue_against("no leg, hip or back injury reported")
    else:  # not asked is not "none": say what would tell
        r.note(f"past injuries not given: give {ASK} to weigh the stride against them")

    if asym is None:
        why = ("no running video to measure left/right step times" if video is None else
               f"left/right step times not measurable in {video.name}: {video.why_not('step_time_asymmetry_pct')}")
        r.argue_against(f"{why}; add {FILM} to check for an uneven stride")
    else:
        cadence = video.metric("cadence_spm")
        frame = frame_share_pct(video, cadence)
        limit, even = r.value("asymmetry_pct"), r.value("symmetric_below_pct")
        resolved = frame is None or asym.value >= r.value("min_frames") * frame
        fine_enough = frame is None or frame < even  # a frame coarser than "even" cannot show even steps
        sentence = f"left and right step times differed by {asym.value:.1f} % over {asym.n} steps in clip {video.name}"
        if len(inputs.running_videos) > 1:
            sentence += f" (of {len(inputs.running_videos)} running clips, the one with the most steps)"
        frame_note = "" if frame is None else f"; one frame ({1000.0 / video.fps:.1f} ms) is {frame:.1f} % of a step here"
        if asym.value >= limit and resolved:
            r.fire("asymmetry", f"{sentence}, at or above {limit:g} %{frame_note}")
            if relevant:
                r.fire("asymmetry_with_injury")
            r.note("the video gives the size of the difference, not which side takes the longer step")
        elif asym.value < even and fine_enough:
            r.fire("symmetric_gait")  # a negative weight: even steps argue against the cause
            r.argue_against(f"{sentence}: under {even:g} %, the steps are even{frame_note}")
        else:
            reason = f"below {limit:g} %" if resolved and fine_enough else "within the clip's timing resolution"
            r.argue_against(f"{sentence}: {reason}{frame_note}")

    steps_ok = 0.0 if asym is None else 1.0
    if "asymmetry" in r.fired:
        plan: tuple[str, ...] = ("gait_rehab", "film_again")
    elif "injury_recent" in r.fired and "symmetric_gait" not in r.fired:  # a recent injury the video did not clear
        plan = ("gait_rehab",) if asym is not None else ("gait_rehab", "film_again")
    else:
        plan = ("film_again",) if asym is None else ()
    rule_out = (
        f"even left/right step times (under {r.value('symmetric_below_pct'):g} %) on a running clip of 10 s or more, "
        "or a physiotherapist's gait assessment finding no side-to-side difference, would argue against it",
    )
    return r.finding(
        CAUSE_ID, TITLE, available=bool(relevant) + steps_ok, expected=2.0, confidence_digits=3,
        rule_out=rule_out, plan=plan,
        measures={
            "clip": None if video is None else video.name,
            "step_time_asymmetry_pct": None if asym is None else asym.value,
            "steps": None if asym is None else asym.n,
            "injuries": [_describe(i) for i in relevant],
        },
    )
