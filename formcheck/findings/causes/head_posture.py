"""Cause: slouching and looking down when tired (head flexion, forward head, and their drift).

The forum theory is that a runner who tires drops the head and pokes it
forward, and the back pays for it.  No study was found that links head-down
running to low-back load (EVIDENCE.md: blogs only), so this cause never claims
it as established: it reports what the video measured (how far the head is
flexed and forward, and whether that grew from the first to the last fifth of
strides) and words the link as a plausible mechanism.  The drift weighs more
than the static angle, because "when tired" is the theory; a short clip says
little about a whole run, which the confidence and ``against`` say.
"""

from __future__ import annotations

import math

from formcheck.findings.model import CheckInputs, DriftValue, Finding, NotAssessed, VideoMeasures
from formcheck.findings.rules import Rules
from formcheck.findings.thresholds import Thresholds
from formcheck.posture.drift import MIN_STRIDES_FOR_DRIFT

CAUSE_ID = "head_posture"
TITLE = "Slouching and looking down when tired"
WHAT = "head posture (looking down and forward head, and how they change as you tire)"
FILM = "add a side-view running video, filmed at hip height, 10 s or more"
MECHANISM = ("a head that drops and pokes forward as you tire is a plausible way to load the back "
             "(a theory from runners' forums; no study has confirmed it)")  # fmt: skip


def _clip_note(inputs: CheckInputs, video: VideoMeasures, n: int) -> str:
    """Which clip the numbers come from, and why that one when there are several."""
    others = len(inputs.running_videos) - 1
    why = f", the one of {others + 1} running clips with the most strides" if others else ""
    return f"measured over {n} strides in clip {video.name}{why}"


def _significant(drift: DriftValue, min_change: float, z: float, min_each: int) -> bool:
    """A rise of at least ``min_change`` that is also larger than ``z`` standard errors of the difference."""
    if drift.n_each < min_each:
        return False
    se = drift.sd / math.sqrt(drift.n_each)
    return drift.change >= min_change and drift.change > z * se


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    """Score head flexion, forward head and their drift on the running clip with the most strides."""
    video = inputs.running_video_for("head_flexion_deg", "forward_head_deg")
    if video is None:
        return NotAssessed(CAUSE_ID, TITLE, f"{inputs.no_running_note()}{FILM}, to assess {WHAT}")
    flexion, forward = video.metric("head_flexion_deg"), video.metric("forward_head_deg")
    if flexion is None and forward is None:
        reason = video.why_not("head_flexion_deg")
        return NotAssessed(CAUSE_ID, TITLE, f"head posture not measurable in {video.name}: {reason}; {FILM}, to assess {WHAT}")

    r = Rules(th, CAUSE_ID, cite_weights=True)
    n = max(m.n for m in (flexion, forward) if m is not None)
    z, min_each, z_mean = r.value("drift_z"), r.value("min_strides_each"), r.value("mean_z")

    if flexion is not None:
        high = r.value("head_flexion_high_deg")
        sentence = f"head flexion (looking down) averaged {flexion.value:.1f} deg"
        sentence += f" ± {flexion.sd:.1f}" if flexion.sd is not None else ""
        margin, note = z_mean * flexion.se, _clip_note(inputs, video, n)
        r.mean_past_cue("head_flexion_high", flexion, high, z_mean, fired=f"{sentence}, at or above {high:g} deg ({note})",
                        unsure=f"{sentence}, above {high:g} deg but not by {z_mean:g} standard errors (± {margin:.1f} deg; {note})",
                        not_past=f"{sentence}, below {high:g} deg: the head was not held low ({note})")  # fmt: skip
    else:
        r.argue_against(f"head flexion not measurable in {video.name}: {video.why_not('head_flexion_deg')}")

    if forward is not None:
        high = r.value("forward_head_high_deg")
        r.mean_past_cue("forward_head_high", forward, high, z_mean,
                        fired=f"the head sat forward of the shoulders by {forward.value:.1f} deg (at or above {high:g} deg)",
                        unsure=f"forward head {forward.value:.1f} deg, above {high:g} deg but not by {z_mean:g} standard errors "
                               f"(± {z_mean * forward.se:.1f} deg)",
                        not_past=f"forward head {forward.value:.1f} deg, below {high:g} deg")  # fmt: skip

    drifts = {"head_flexion_deg": video.drift.get("head_flexion_deg"), "forward_head_deg": video.drift.get("forward_head_deg")}
    for key, label, rule, limit in (
        ("head_flexion_deg", "head flexion (looking down)", "head_drops", "head_flexion_drift_deg"),
        ("forward_head_deg", "forward head", "forward_head_grows", "forward_head_drift_deg"),
    ):
        drift = drifts[key]
        if drift is None:
            if video.metric(key) is not None:
                r.argue_against(f"{label} drift not measured: fewer than {MIN_STRIDES_FOR_DRIFT} strides in {video.name}")
            continue
        moved = "rose" if drift.change > 0 else "fell"
        sentence = (f"{label} {moved} from {drift.first:.1f} deg to {drift.last:.1f} deg between the first and "
                    f"last fifth of strides (n = {drift.n_each} each)")  # fmt: skip
        if _significant(drift, r.value(limit), z, min_each):
            r.fire(rule, sentence)
        elif drift.n_each < min_each:  # no verdict either way from one stride a fifth
            r.argue_against(f"{sentence}: too few strides per fifth to tell a drift from stride-to-stride scatter")
        elif drift.change < 0:
            r.argue_against(f"{sentence}: the head came up, not down, over the clip")
        elif drift.change < r.value(limit):
            r.argue_against(f"{sentence}: less than {r.value(limit):g} deg")
        else:
            r.argue_against(f"{sentence}: within stride-to-stride scatter (± {drift.sd:.1f} deg)")

    tilt = video.tilt_warning_deg()
    if tilt is not None:
        r.argue_against(f"the camera may be tilted by about {tilt:.1f} deg, so the head angles may be off by as much "
                        "(the drift, a difference, is not affected)")  # fmt: skip
    short = video.is_shorter_than(r.value("short_clip_s"))
    if short and any(d is not None for d in drifts.values()):
        r.argue_against(f"{video.length_words()}: drift within it says little about tiring over a whole run")
    if r.fired:
        r.note(MECHANISM)

    coverage = min(1.0, n / r.value("full_strides"))
    static = r.value("tilt_confidence") if tilt is not None else 1.0  # a tilt shifts the angles, not their drift
    available: list[float] = [static * (flexion is not None), static * (forward is not None)]
    available += [d is not None for d in drifts.values()]
    available.append(coverage)
    if video.real_duration_s is not None or video.slow_motion_unscaled:  # how much of "over the run" the clip covers
        available.append(min(1.0, (video.real_duration_s or 0.0) / r.value("short_clip_s")))
    rule_out = (
        f"a side-view clip of {r.value('short_clip_s'):g} s or more filmed late in a run, with head flexion and "
        "forward head steady from the first to the last fifth of strides, would argue against it",
    )
    plan = ("posture_cues", "trunk_endurance_progression", "film_again") if r.fired else (
        ("film_again",) if short or tilt is not None else ())
    return r.finding(
        CAUSE_ID, TITLE, available=sum(available), expected=len(available), confidence_digits=3,
        rule_out=rule_out, plan=plan,
        measures={
            "clip": video.name,
            "strides": n,
            "head_flexion_deg": None if flexion is None else flexion.value,
            "forward_head_deg": None if forward is None else forward.value,
            "camera_tilt_deg": tilt,
            "drift": {k: None if d is None else {"first": d.first, "last": d.last, "change": d.change, "n_each": d.n_each}
                      for k, d in drifts.items()},
        },
    )
