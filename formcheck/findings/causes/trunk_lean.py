"""Cause: forward trunk lean, and lean that grows with fatigue (lean and its drift).

Why it belongs on the list: a runner who leans further forward does more
hip-extensor work (Teng & Powers 2015: 10.8 vs 3.6 deg groups), the erector
spinae already work harder while running than in a Biering-Sorensen hold
(Behm et al. 2009), and fatigue adds lean: ~4 deg in novices (Koblbauer et al.
2014), and more lean with less lumbar curve after paraspinal fatigue (Hart et
al. 2009).  So the cause fires on a high mean lean and, more strongly, on lean
that rises from the first to the last fifth of strides beyond the stride
scatter.  A tilted camera shifts the mean lean by about its tilt but cancels
out of the drift (a difference), so a tilt warning lowers the confidence of
the mean only, and is said in ``against``.
"""

from __future__ import annotations

import math

from formcheck.findings.model import CheckInputs, DriftValue, Finding, NotAssessed, VideoMeasures
from formcheck.findings.rules import Cue, Rules
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "trunk_lean"
TITLE = "Forward trunk lean, and lean that grows with fatigue"
FILM = "add a side-view running video, filmed at hip height, 10 s or more, to assess trunk lean and how it changes as you tire"

def _clip_note(inputs: CheckInputs, video: VideoMeasures, n: int) -> str:
    others = len(inputs.running_videos) - 1
    why = f", the one of {others + 1} running clips with the most strides" if others else ""
    return f"{n} strides in clip {video.name}{why}"


def _beyond_scatter(drift: DriftValue, z: float, min_each: int) -> bool:
    """True when the rise is larger than ``z`` standard errors of the difference of the fifths' means."""
    return drift.n_each >= min_each and drift.change > z * drift.sd / math.sqrt(drift.n_each)


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    """Score the mean lean and its drift on the running clip with the most strides."""
    video = inputs.running_video_for("trunk_lean_deg")
    if video is None:
        return NotAssessed(CAUSE_ID, TITLE, f"{inputs.no_running_note()}{FILM}")
    lean = video.metric("trunk_lean_deg")
    if lean is None:
        return NotAssessed(CAUSE_ID, TITLE, f"trunk lean not measurable in {video.name}: {video.why_not('trunk_lean_deg')}; {FILM}")

    r = Rules(th, CAUSE_ID, cite_weights=True)
    forward, high_group, low_group = r.value("forward_deg"), r.value("high_group_deg"), r.value("low_group_deg")
    spread = f" ± {lean.sd:.1f}" if lean.sd is not None else ""
    mean_sentence = f"trunk lean averaged {lean.value:.1f} deg{spread} over {_clip_note(inputs, video, lean.n)}"
    z_mean = r.value("mean_z")
    verdict = r.mean_past_cue(
        "lean_forward", lean, forward, z_mean,
        fired=f"{mean_sentence}: nearer the high-lean group of Teng & Powers 2015 ({high_group:g} deg, "
              f"more hip-extensor work) than the low-lean group ({low_group:g} deg)",
        unsure=f"{mean_sentence}: above {forward:g} deg, but not by {z_mean:g} standard errors (± {z_mean * lean.se:.1f} deg)",
        not_past=f"{mean_sentence}: upright or leaning back, not forward" if lean.value <= 0 else
                 f"{mean_sentence}, below {forward:g} deg (midway between the {low_group:g} and {high_group:g} deg groups "
                 "of Teng & Powers 2015)")  # fmt: skip
    if verdict is Cue.PAST:
        r.mean_past_cue("lean_high_group", lean, high_group, z_mean)  # adds weight only, and only past the lower cue

    drift = video.drift.get("trunk_lean_deg")
    if drift is None:
        r.argue_against(f"lean drift not measured in {video.name}: {video.why_not('trunk_lean_drift_deg')}")
    else:
        moved = "rose" if drift.change > 0 else "fell" if drift.change < 0 else "stayed"
        sentence = (f"trunk lean {moved} from {drift.first:.1f} deg to {drift.last:.1f} deg between the first and "
                    f"last fifth of strides (n = {drift.n_each} each)")  # fmt: skip
        big_enough = drift.change >= r.value("drift_deg")
        if big_enough and _beyond_scatter(drift, r.value("drift_z"), r.value("min_strides_each")):
            r.fire("lean_grows", f"{sentence}; fatigue added ~{r.value('drift_large_deg'):g} deg of trunk flexion in novice runners "
                                 "(Koblbauer et al. 2014), and joggers leaned further forward after their back extensors "
                                 "were tired (Hart et al. 2009)")  # fmt: skip
            if drift.change >= r.value("drift_large_deg"):
                r.fire("lean_grows_large")
        elif drift.n_each < r.value("min_strides_each"):  # no verdict either way from one stride a fifth
            r.argue_against(f"{sentence}: too few strides per fifth to tell a drift from stride-to-stride scatter")
        elif drift.change <= 0:
            r.argue_against(f"{sentence}: the lean did not grow over the clip")
        elif big_enough:
            r.argue_against(f"{sentence}: within stride-to-stride scatter (± {drift.sd:.1f} deg)")
        else:
            r.argue_against(f"{sentence}: less than {r.value('drift_deg'):g} deg")

    tilt = video.tilt_warning_deg()
    if tilt is not None:
        r.argue_against(f"the camera may be tilted by about {tilt:.1f} deg, so the mean lean may be off by as much "
                        "(the drift, a difference, is not affected)")  # fmt: skip
    short = video.is_shorter_than(r.value("short_clip_s"))
    if short and drift is not None:
        r.argue_against(f"{video.length_words()}: drift within it says little about tiring over a whole run")
    if r.fired:
        r.note("erector spinae work harder while running than in a Biering-Sorensen hold (Behm et al. 2009), "
               "and extra lean adds to that work")  # fmt: skip

    available: list[float] = [r.value("tilt_confidence") if tilt is not None else 1.0, drift is not None]
    available.append(min(1.0, lean.n / r.value("full_strides")))
    if video.real_duration_s is not None or video.slow_motion_unscaled:
        available.append(min(1.0, (video.real_duration_s or 0.0) / r.value("short_clip_s")))
    plan = ("posture_cues", "trunk_endurance_progression", "hinge_accessories", "film_again") if r.fired else (
        ("film_again",) if short or tilt is not None else ())
    rule_out = (
        f"a level camera and a side-view clip of {r.value('short_clip_s'):g} s or more late in a run, with lean under "
        f"{forward:g} deg that does not rise from the first to the last fifth of strides, would argue against it",
    )
    return r.finding(
        CAUSE_ID, TITLE, available=sum(available), expected=len(available), confidence_digits=3,
        rule_out=rule_out, plan=plan,
        measures={
            "clip": video.name,
            "strides": lean.n,
            "trunk_lean_deg": lean.value,
            "trunk_lean_sd_deg": lean.sd,
            "drift": None if drift is None else {"first": drift.first, "last": drift.last, "change": drift.change,
                                                 "sd": drift.sd, "n_each": drift.n_each},
            "camera_tilt_deg": tilt,
        },
    )
