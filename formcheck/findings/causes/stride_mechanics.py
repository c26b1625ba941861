"""Cause: overstride, low cadence and large vertical oscillation, with a cadence target relative to the runner.

Why: a long reaching stride lands the foot far ahead of the hips, brakes each
step and bounces the body; raising step rate by 5-10 % of the runner's own
cadence lowered joint energy absorption, centre-of-mass vertical excursion and
braking (Heiderscheit et al. 2011).  The target is therefore always relative
("raise 158 to 166-174 steps/min"), never a fixed 180: cadence depends on
speed and height, and fixed targets are a known complaint.  Overstride and
oscillation are read in % of leg length (always measured on a side view) and
in cm when the runner's height was given.  Cadence works from any view; the
other two need a side view, which ``against`` says when they are missing.
"""

from __future__ import annotations

import math

from formcheck.findings.model import CheckInputs, Finding, MetricValue, NotAssessed, VideoMeasures
from formcheck.findings.rules import Cue, Rules
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "stride_mechanics"
TITLE = "Overstride, low cadence, large vertical oscillation"
FILM = "add a side-view running video, filmed at hip height, 10 s or more"
SIDE_METRICS = ("overstride_pct_leg", "vertical_oscillation_pct_leg")


def cadence_target_spm(cadence_spm: float, raise_low: float, raise_high: float) -> tuple[int, int]:
    """+raise_low..+raise_high of the runner's own cadence, to whole steps/min: 158 -> (166, 174)."""
    return math.floor(cadence_spm * (1.0 + raise_low) + 0.5), math.floor(cadence_spm * (1.0 + raise_high) + 0.5)


def _choose(inputs: CheckInputs) -> VideoMeasures | None:
    """The side-view metrics' best clip when any clip measured them, else the clip with the most steps."""
    video = inputs.running_video_for(*SIDE_METRICS)
    if video is not None and not any(video.metric(m) for m in SIDE_METRICS):
        video = inputs.running_video_for("cadence_spm")
    return video


def _with_cm(pct: MetricValue, cm: MetricValue | None) -> str:
    spread = f" ± {pct.sd:.1f}" if pct.sd is not None else ""
    return f"{pct.value:.1f}{spread} % of leg length" + (f" ({cm.value:.1f} cm)" if cm is not None else "")


PARTS = (("overstride", "overstride"), ("low_cadence", "low cadence"), ("large_oscillation", "large vertical oscillation"))


def _title(fired: list[str]) -> str:
    """The family's title, or only the parts that fired ("Overstride"): the answer sentence names a cause by its title,
    and "overstride, low cadence, large vertical oscillation also playing a part" claimed three for one."""
    parts = [words for rule, words in PARTS if rule in fired]
    if not parts:
        return TITLE
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    """Score overstride, cadence and oscillation on one running clip, and give the relative cadence target."""
    video = _choose(inputs)
    if video is None:
        return NotAssessed(CAUSE_ID, TITLE, f"{inputs.no_running_note()}{FILM}, to assess overstride, cadence and vertical oscillation")
    cadence = video.metric("cadence_spm")
    overstride, bounce = video.metric("overstride_pct_leg"), video.metric("vertical_oscillation_pct_leg")
    if cadence is None and overstride is None and bounce is None:
        return NotAssessed(CAUSE_ID, TITLE, f"cadence not measurable in {video.name}: {video.why_not('cadence_spm')}; "
                                            f"overstride: {video.why_not('overstride_pct_leg')}; {FILM}, to assess it")  # fmt: skip

    r = Rules(th, CAUSE_ID, cite_weights=True)
    clips = len(inputs.running_videos)
    raise_low, raise_high = r.value("cadence_raise_low"), r.value("cadence_raise_high")
    where = f"clip {video.name}" + (f" (of {clips} running clips, the one with the most strides)" if clips > 1 else "")

    z = r.value("mean_z")  # a mean must pass its cue by z standard errors to count

    def uncertain(side: str, metric: MetricValue) -> str:
        return f", {side} but not by {z:g} standard errors (± {z * metric.se:.1f} over {metric.n})"

    if overstride is not None:
        limit = r.value("overstride_pct_leg")
        sentence = f"the foot landed {_with_cm(overstride, video.metric('overstride_cm'))} ahead of the hips at contact"
        r.mean_past_cue("overstride", overstride, limit, z,
                        fired=f"{sentence}, over {overstride.n} strides in {where} (cue: {limit:g} %)",
                        unsure=sentence + uncertain(f"above {limit:g} %", overstride),
                        not_past=f"{sentence}, under {limit:g} %: no overstride")  # fmt: skip
    if bounce is not None:
        limit = r.value("vertical_oscillation_pct_leg")
        sentence = f"the hips rose and fell {_with_cm(bounce, video.metric('vertical_oscillation_cm'))} each stride"
        r.mean_past_cue("large_oscillation", bounce, limit, z, fired=f"{sentence} (cue: {limit:g} %)",
                        unsure=sentence + uncertain(f"above {limit:g} %", bounce), not_past=f"{sentence}, under {limit:g} %")  # fmt: skip
    if overstride is None and bounce is None:
        r.argue_against(f"overstride and vertical oscillation not measurable in {video.name}: "
                        f"{video.why_not('overstride_pct_leg')}; {FILM}, to assess them")  # fmt: skip

    target: tuple[int, int] | None = None
    if cadence is not None:
        low = r.value("low_cadence_spm")
        target = cadence_target_spm(cadence.value, raise_low, raise_high)
        spread = f" ± {cadence.sd:.0f}" if cadence.sd is not None else ""
        sentence = f"cadence {cadence.value:.0f}{spread} steps/min over {cadence.n} steps"
        sprinting = cadence.value >= r.value("max_target_cadence_spm")
        sprint_note = (f"{sentence}: a sprinting cadence, outside the endurance running that the "
                       f"+{100 * raise_low:g}-{100 * raise_high:g} % cadence studies cover, so no cadence change is proposed")  # fmt: skip
        verdict = r.mean_past_cue(
            "low_cadence", cadence, low, z, below=True,
            fired=f"{sentence}, below {low:g} (a screening cue that depends on speed and height, not a target)",
            unsure=sentence + uncertain(f"below {low:g}", cadence),
            not_past=sprint_note if sprinting else f"{sentence}, not low (at or above {low:g})")  # fmt: skip
        if sprinting and verdict is Cue.NOT_PAST:
            target = None  # no cadence change proposed for a sprint
        if target is not None and z * cadence.se >= raise_low * cadence.value:  # cannot tell +5 % from today
            target = None
            r.argue_against(f"cadence too uncertain in {video.name} (± {z * cadence.se:.0f} steps/min) for a "
                            f"+{100 * raise_low:g}-{100 * raise_high:g} % target: film 10 s or more of steady running")  # fmt: skip
        if r.fired and target is not None:
            r.note(
                f"cadence target: raise {math.floor(cadence.value + 0.5)} to {target[0]}-{target[1]} steps/min "
                f"(+{100 * raise_low:g}-{100 * raise_high:g} % of your own cadence; Heiderscheit et al. 2011: less "
                "joint loading, vertical excursion and braking), not a fixed 180")  # fmt: skip
    else:
        r.argue_against(f"cadence not measurable in {video.name}: {video.why_not('cadence_spm')}")

    strides = max([m.n for m in (overstride, bounce) if m is not None] + [cadence.n / 2 if cadence else 0])  # 2 steps a stride
    # each measure counts only as far as the strides behind it go: 3 measures from 4 strides are not 85 % sure
    coverage = min(1.0, strides / r.value("full_strides"))
    available = [coverage * (m is not None) for m in (cadence, overstride, bounce)]
    side_missing = overstride is None and bounce is None
    rule_out = (
        "a side-view clip of 10 s or more with the foot landing near the hips, little bounce and a cadence "
        f"that is not low would argue against it; so would the pump staying the same after weeks at "
        f"+{100 * raise_low:g}-{100 * raise_high:g} % cadence",
    )
    plan = (("cadence_increase", "film_again") if target is not None else ("film_again",)) if r.fired else (
        ("film_again",) if side_missing else ())
    return r.finding(
        CAUSE_ID, _title(r.fired), available=sum(available), expected=len(available), confidence_digits=3,
        rule_out=rule_out, plan=plan,
        measures={
            "clip": video.name,
            "cadence_spm": None if cadence is None else cadence.value,
            "cadence_target_spm": None if target is None else list(target),
            "overstride_pct_leg": None if overstride is None else overstride.value,
            "overstride_cm": None if video.metric("overstride_cm") is None else video.metric("overstride_cm").value,
            "vertical_oscillation_pct_leg": None if bounce is None else bounce.value,
            "vertical_oscillation_cm": (None if video.metric("vertical_oscillation_cm") is None
                                        else video.metric("vertical_oscillation_cm").value),  # fmt: skip
            "strides": strides,
        },
    )
