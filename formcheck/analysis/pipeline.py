"""``analyze_track``: one PoseTrack in, every gait and posture number out (pure, no I/O).

The order is the data flow of DESIGN.md: clean -> body -> orientation ->
events -> steps/strides -> activity -> time scale -> posture -> metrics.
Every metric is null with a reason when the view, the visible body parts,
the frame rate or the number of strides do not support it.
"""

from __future__ import annotations

import warnings as _warnings_module
from dataclasses import dataclass, field

import numpy as np

from formcheck.analysis.metrics import Metric, mean_metric, null
from formcheck.gait.activity import ActivityCall, classify_activity
from formcheck.gait.events import FootEvent, frontal_view_events, side_view_events
from formcheck.gait.orientation import Orientation, classify_orientation
from formcheck.gait.strides import Step, Stride, build_strides, steps_from_contacts
from formcheck.kinematics.body import Body, build_body
from formcheck.kinematics.filtering import FilterReport, FilterSettings, clean_xy
from formcheck.pose.landmarks import EARS, HIPS, NOSE, SHOULDERS
from formcheck.pose.track import PoseTrack
from formcheck.posture.angles import forward_head_deg, head_flexion_deg, trunk_lean_deg
from formcheck.posture.drift import Drift, fifths_drift
from formcheck.posture.upright import Uprightness, uprightness
from formcheck.video.tilt import WARN_ABOVE_DEG

MIN_RUNNING_CADENCE_SPM = 130.0
MIN_FPS_FOR_CONTACT_TIME = 50.0
LEG_LENGTH_FRACTION_OF_HEIGHT = 0.491
"""Thigh + shank = 0.245 + 0.246 of stature (Winter, Biomechanics and Motor Control of Human Movement, 4th ed., Fig. 4.1)."""
MIN_VISIBLE_FRACTION = 0.5
MIN_STEPS_FOR_CADENCE = 4
"""Two or three steps are one or two intervals: a missed or doubled contact alone decides the rate."""
CADENCE_RANGE_SPM = {"running": (130.0, 300.0), "walking": (50.0, 160.0), None: (50.0, 300.0)}
"""Physically possible step rates in real time. Running: from a slow jog to a sprinter's ~5 steps/s
(Mero, Komi & Gregor 1992, Sports Med 13:376-392, report step rates of 4.5-5 Hz at top speed);
walking: from a shuffle to a brisk walk. Outside them the steps were mis-detected."""
VIEW_WORDS = {"front": "a front view", "back": "a rear view", "oblique": "an oblique view"}


@dataclass(frozen=True)
class AnalysisOptions:
    height_cm: float | None = None
    capture_fps: float | None = None
    slowmo_tag: bool = False
    filter: FilterSettings = FilterSettings()


@dataclass(frozen=True)
class TimeScale:
    """File time vs real time: ``factor`` multiplies file seconds to give real seconds."""

    suspected: bool
    factor: float
    file_fps: float
    capture_fps: float | None
    reason: str | None
    file_rate_cadence_spm: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "slow_motion_detected": self.suspected,
            "factor": round(self.factor, 6),
            "file_fps": round(self.file_fps, 4),
            "capture_fps": self.capture_fps,
            "file_rate_cadence_spm": None if self.file_rate_cadence_spm is None else round(self.file_rate_cadence_spm, 2),
            "reason": self.reason,
            "time_metrics_reported": not self.suspected or self.capture_fps is not None,
        }


@dataclass(frozen=True)
class Analysis:
    """Everything measured from one clip; ``summary.json`` is its JSON form."""

    activity: ActivityCall
    orientation: Orientation
    time_scale: TimeScale
    metrics: dict[str, Metric]
    strides: tuple[Stride, ...]
    steps: tuple[Step, ...]
    events: tuple[FootEvent, ...]
    filter: FilterReport
    warnings: tuple[str, ...]
    drift: dict[str, Drift | None]
    body: Body = field(repr=False)
    lean_deg: np.ndarray = field(repr=False)
    head_flexion_deg: np.ndarray = field(repr=False)
    forward_head_deg: np.ndarray = field(repr=False)
    facing_sign: np.ndarray = field(repr=False)


def _cadence(steps: list[Step]) -> Metric:
    if len(steps) < MIN_STEPS_FOR_CADENCE:
        return null("steps/min", f"only {len(steps)} step{'s' if len(steps) != 1 else ''} measured (need {MIN_STEPS_FOR_CADENCE})",
                    len(steps))  # fmt: skip
    per_step = 60.0 / np.array([s.duration_s for s in steps])
    mean_step = float(np.mean([s.duration_s for s in steps]))
    return Metric(60.0 / mean_step, "steps/min", float(per_step.std(ddof=1)), len(steps))


def _asymmetry(steps: list[Step]) -> Metric:
    by_foot = [[s.duration_s for s in steps if s.foot == f] for f in (0, 1)]
    if min(len(b) for b in by_foot) < 2:
        return null("%", "needs at least 2 steps ending on each foot", len(steps))
    left, right = (float(np.mean(b)) for b in by_foot)
    return Metric(100.0 * abs(left - right) / ((left + right) / 2.0), "%", None, len(steps))


def _visible_reason(body: Body, indices: tuple[int, ...], what: str) -> str | None:
    """Why a measure of ``what`` is withheld for being out of view, or None.

    Counted over the frames the runner is in: frames where nobody is in the picture
    (the runner left it) say nothing about whether their shoulders could be seen.
    """
    present = np.isfinite(body.xy[:, :, 0]).any(axis=1)
    seen = body.visible_fraction(indices, frames=present)
    if seen >= MIN_VISIBLE_FRACTION:
        return None
    return f"{what} not in frame in {100 * (1 - seen):.0f}% of the frames the runner is in"


PLAUSIBLE_DEG = {"trunk_lean_deg": (-30.0, 60.0, "trunk lean"), "head_flexion_deg": (-60.0, 90.0, "head flexion"),
                 "forward_head_deg": (-45.0, 75.0, "forward head angle")}  # fmt: skip
"""Per-stride angles no runner shows (a trunk leaning back 30 deg, a head bent 90 deg down): outside them the
pose model has misplaced the upper body (shoulders put below the hips in a legs-only clip, a face turned back)."""


def _implausible_reason(strides: list[Stride], attr: str) -> str | None:
    """Why ``attr`` is withheld when a stride's value is outside what a runner can show, or None."""
    low, high, words = PLAUSIBLE_DEG[attr]
    values = [getattr(s, attr) for s in strides if np.isfinite(getattr(s, attr))]
    wild = [v for v in values if not low <= v <= high]
    if not wild:
        return None
    worst = max(wild, key=lambda v: max(low - v, v - high))
    return (f"a stride's {words} of {worst:.0f} deg is outside what a runner shows ({low:.0f} to {high:.0f}): "
            "the pose model misplaced the upper body")


def _landing_reason(strides: list[Stride]) -> str | None:
    """Why overstride and knee flexion at contact are withheld when most contacts show no landing leg, or None.

    A contact with no ankle both under the body's reach and ahead of the hip
    (``gait.strides._leading_side``) is a peak of something else: in the lab clip the
    model laid a "leg" along the treadmill's handrail, and the contacts came from it.
    """
    landed = sum(1 for s in strides if np.isfinite(s.overstride_pct_leg))
    if not strides or 2 * landed >= len(strides):
        return None
    return (f"a landing foot ahead of the hip was found at only {landed} of {len(strides)} contacts: the pose "
            "model placed a leg off the body (a treadmill's rail, a shadow), so the contacts are not landings")


MAX_BOUNCE_PCT_LEG = 20.0
"""The hips rise and fall ~6-10 cm a step in running (7-12 % of an 86-cm leg) and less in walking. Beyond
20 % of leg length the hip's height in the picture changes for another reason (a camera looking down at a
runner crossing the frame, distance), and the "bounce" would be that."""


def _bounce_reason(strides: list[Stride]) -> str | None:
    """Why vertical oscillation is withheld when its typical stride is beyond any runner's bounce, or None."""
    values = [s.vertical_oscillation_pct_leg for s in strides if np.isfinite(s.vertical_oscillation_pct_leg)]
    if not values or float(np.median(values)) <= MAX_BOUNCE_PCT_LEG:
        return None
    return (f"the hips rise and fall {float(np.median(values)):.0f}% of leg length a stride, beyond any runner's "
            f"bounce (up to {MAX_BOUNCE_PCT_LEG:.0f}%): the camera's angle or distance moves them in the picture")


def _time_scale(track: PoseTrack, activity: ActivityCall, file_cadence: float | None, factor: float,
                options: AnalysisOptions) -> TimeScale:
    reason = None
    suspected = False
    if options.slowmo_tag:
        suspected, reason = True, "the file's metadata marks it as slow motion"
    elif activity.activity == "running" and file_cadence is not None and file_cadence < MIN_RUNNING_CADENCE_SPM:
        suspected = True
        reason = (f"running at {file_cadence:.0f} steps/min by the file's clock is not a running cadence: "
                  "the clip is probably slow motion")  # fmt: skip
    return TimeScale(suspected, factor, track.fps, options.capture_fps, reason, file_cadence)


def analyze_track(track: PoseTrack, options: AnalysisOptions = AnalysisOptions()) -> Analysis:
    """Measure gait and posture from a pose track (see module docstring).

    NaN is how a lost or hidden landmark is represented, so NumPy's warnings about
    all-NaN slices are expected here and silenced; every metric is validated
    (finite or null with a reason) when it is built, see ``analysis.metrics``.
    """
    with np.errstate(divide="ignore", invalid="ignore"), _warnings_module.catch_warnings():
        _warnings_module.simplefilter("ignore", RuntimeWarning)
        return _analyze_track(track, options)


def _analyze_track(track: PoseTrack, options: AnalysisOptions) -> Analysis:
    xy, filter_report = clean_xy(track, options.filter)
    body = build_body(track, xy)
    orientation = classify_orientation(body, track.fps)
    side = orientation.view == "side"
    events = side_view_events(body, orientation.passes) if side else frontal_view_events(body)
    contacts = [e for e in events if e.kind == "contact"]
    steps = steps_from_contacts(contacts)
    factor = track.fps / options.capture_fps if options.capture_fps else 1.0  # file seconds -> real seconds
    cadence = _cadence(steps)  # by the file's clock
    activity = classify_activity(body, orientation.view, steps, track.found_fraction,
                                 None if cadence.value is None else cadence.value / factor,
                                 real_time_known=options.capture_fps is not None)  # fmt: skip
    time_scale = _time_scale(track, activity, cadence.value, factor, options)
    facing = orientation.facing_sign
    lean, head, fwd_head = trunk_lean_deg(body, facing), head_flexion_deg(body, facing), forward_head_deg(body, facing)
    median_step = float(np.median([s.duration_s for s in steps])) if steps else 2.0
    strides = build_strides(body, events, facing, lean, head, fwd_head, max_stride_s=2.0 * 1.8 * median_step) if side else []
    metrics, drift = _metrics(body, orientation, activity, time_scale, cadence, steps, strides, options)
    warnings = _warnings(track, orientation, activity, time_scale, strides, steps, metrics)
    upright = uprightness(body)
    if upright.turned:
        metrics, drift, activity, warnings = _turned_picture(upright, metrics, drift, activity, warnings)
    return Analysis(activity, orientation, time_scale, metrics, tuple(strides), tuple(steps), tuple(events),
                    filter_report, tuple(warnings), drift, body, lean, head, fwd_head, facing)  # fmt: skip


def _turned_picture(upright: Uprightness, metrics: dict[str, Metric], drift: dict[str, Drift | None],
                    activity: ActivityCall, warnings: list[str]
                    ) -> tuple[dict[str, Metric], dict[str, Drift | None], ActivityCall, list[str]]:
    """An upside-down or sideways runner: every angle and height is meaningless, so all metrics are null."""
    reason = upright.describe()
    nulled = {name: null(m.unit, reason, m.n) for name, m in metrics.items()}
    call = ActivityCall("unknown", reason, activity.hip_low_phase, activity.swing_knee_flexion_deg)
    sentence = reason[0].upper() + reason[1:]
    warning = f"{sentence}. Nothing is measured; rotate the video upright (or remove its rotation flag) and analyse it again."
    return nulled, {name: None for name in drift}, call, [warning, *warnings]


def _metrics(body: Body, orientation: Orientation, activity: ActivityCall, time_scale: TimeScale, cadence: Metric,
             steps: list[Step], strides: list[Stride], options: AnalysisOptions
             ) -> tuple[dict[str, Metric], dict[str, Drift | None]]:
    m: dict[str, Metric] = {}
    time_ok = not time_scale.suspected or options.capture_fps is not None
    slow_reason = f"slow motion suspected ({time_scale.reason}); give the real capture frame rate to report real-time values"
    low, high = CADENCE_RANGE_SPM.get(activity.activity, CADENCE_RANGE_SPM[None])
    what = f"{activity.activity} cadence" if activity.activity in CADENCE_RANGE_SPM else "cadence"
    m["cadence_spm"] = (cadence.scaled(1.0 / time_scale.factor).bounded(low, high, what) if time_ok
                        else null("steps/min", slow_reason, cadence.n))  # fmt: skip
    m["step_time_asymmetry_pct"] = (_asymmetry(steps) if m["cadence_spm"].value is not None or not time_ok
                                    else null("%", m["cadence_spm"].reason or "no cadence", len(steps)))  # fmt: skip
    side_reason = None if orientation.view == "side" else (
        f"not measurable from {VIEW_WORDS[orientation.view]}: this measure needs a side view"
        if orientation.view in VIEW_WORDS else "view unknown: this measure needs a side view")
    few = None if len(strides) >= 2 else f"only {len(strides)} stride{'s' if len(strides) != 1 else ''} measured (need 2)"
    trunk_reason = (side_reason or _visible_reason(body, SHOULDERS + HIPS, "shoulders and hips") or few
                    or _implausible_reason(strides, "trunk_lean_deg"))  # fmt: skip
    head_reason = (side_reason or _visible_reason(body, EARS + (NOSE,), "head") or few
                   or _implausible_reason(strides, "head_flexion_deg") or _implausible_reason(strides, "forward_head_deg"))
    leg_reason = side_reason or few

    def per_stride(attr: str, unit: str, reason: str | None) -> Metric:
        if reason:
            return null(unit, reason, len(strides))
        return mean_metric([getattr(s, attr) for s in strides], unit)

    m["trunk_lean_deg"] = per_stride("trunk_lean_deg", "deg", trunk_reason)
    drift: dict[str, Drift | None] = {"trunk_lean_deg": None, "head_flexion_deg": None, "forward_head_deg": None}
    for name, reason in (("trunk_lean_deg", trunk_reason), ("head_flexion_deg", head_reason), ("forward_head_deg", head_reason)):
        drift[name] = None if reason else fifths_drift([getattr(s, name) for s in strides])
    lean_drift = drift["trunk_lean_deg"]
    if trunk_reason:
        m["trunk_lean_drift_deg"] = null("deg", trunk_reason, len(strides))
    elif lean_drift is None:
        m["trunk_lean_drift_deg"] = null("deg", f"drift needs at least 5 strides, got {len(strides)}", len(strides))
    else:
        m["trunk_lean_drift_deg"] = Metric(lean_drift.change, "deg", lean_drift.sd, 2 * lean_drift.n_each)
    m["head_flexion_deg"] = per_stride("head_flexion_deg", "deg", head_reason)
    m["forward_head_deg"] = per_stride("forward_head_deg", "deg", head_reason)
    m["vertical_oscillation_pct_leg"] = per_stride("vertical_oscillation_pct_leg", "% leg length",
                                                   leg_reason or _bounce_reason(strides))  # fmt: skip
    landing_reason = leg_reason or _landing_reason(strides)
    m["overstride_pct_leg"] = per_stride("overstride_pct_leg", "% leg length", landing_reason)
    m["knee_flexion_at_contact_deg"] = per_stride("knee_flexion_at_contact_deg", "deg", landing_reason)
    leg_cm = options.height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT if options.height_cm else None
    for name in ("vertical_oscillation", "overstride"):
        pct = m[f"{name}_pct_leg"]
        m[f"{name}_cm"] = pct.scaled(leg_cm / 100.0, "cm") if leg_cm else null("cm", "runner's height not given", pct.n)
    m["ground_contact_ms"] = _contact_time(strides, activity, time_scale, time_ok, slow_reason, leg_reason)
    return m, drift


def _contact_time(strides: list[Stride], activity: ActivityCall, time_scale: TimeScale, time_ok: bool,
                  slow_reason: str, leg_reason: str | None) -> Metric:
    real_fps = time_scale.capture_fps or time_scale.file_fps
    if leg_reason:
        return null("ms", leg_reason, len(strides))
    if not time_ok:
        return null("ms", slow_reason, len(strides))
    if real_fps < MIN_FPS_FOR_CONTACT_TIME:
        return null("ms", f"{real_fps:.0f} fps is too coarse for contact time (needs at least {MIN_FPS_FOR_CONTACT_TIME:.0f} fps)", len(strides))
    if activity.activity != "running":
        return null("ms", "contact time is only derived for running (toe-off pairing assumes a flight phase)", len(strides))
    metric = mean_metric([s.contact_time_s * 1000.0 for s in strides], "ms").scaled(time_scale.factor)
    if metric.value is not None and metric.sd is not None and metric.sd > 0.35 * metric.value:
        return null("ms", f"toe-off too uncertain in this clip (contact times vary by ±{metric.sd:.0f} ms)", metric.n)
    return metric


def _warnings(track: PoseTrack, orientation: Orientation, activity: ActivityCall, time_scale: TimeScale,
              strides: list[Stride], steps: list[Step], metrics: dict[str, Metric]) -> list[str]:
    out: list[str] = []
    if time_scale.suspected:
        if time_scale.capture_fps:
            out.append(f"Slow motion: {time_scale.reason}; times were scaled by {time_scale.factor:.4g} using the capture frame rate of {time_scale.capture_fps:g} fps.")
        else:
            out.append(f"Slow motion suspected: {time_scale.reason}. Cadence and contact time are left out; give the phone's capture frame rate (e.g. 240) to get them.")
    lost = 1.0 - track.found_fraction
    if lost > 0.05:
        gaps = track.lost_intervals_s()
        first, last = max(gaps, key=lambda g: g[1] - g[0])
        out.append(f"The runner was not found in {100 * lost:.0f}% of frames ({len(gaps)} stretch{'es' if len(gaps) != 1 else ''}, "
                   f"longest {first:.1f}-{last:.1f} s); those frames are left out.")  # fmt: skip
    damaged = np.flatnonzero(track.damaged)
    if len(damaged):
        times = track.time_s[damaged]
        where = f"at {times[0]:.1f} s" if times[-1] - times[0] < 0.05 else f"between {times[0]:.1f} and {times[-1]:.1f} s"
        out.append(f"{len(damaged)} frame{'s' if len(damaged) != 1 else ''} {where} {'are' if len(damaged) != 1 else 'is'} damaged in the file "
                   "(decoded with concealed errors): measurements there may be off. Copy the original video from the phone again.")  # fmt: skip
    rejected = int(track.identity_rejected.sum())
    if rejected:
        out.append(f"{rejected} detection{'s' if rejected != 1 else ''} of another person {'were' if rejected != 1 else 'was'} ignored to keep following the same runner.")
    cuts = track.time_s[track.scene_cut]
    if len(cuts):
        out.append(f"{len(cuts)} scene cut{'s' if len(cuts) != 1 else ''} at {', '.join(f'{t:.1f}' for t in cuts)} s: signals are broken there, not bridged.")
    if track.tilt_deg is not None and abs(track.tilt_deg) > WARN_ABOVE_DEG:
        out.append(f"The scene's straight lines are about {abs(track.tilt_deg):.1f} deg off level: the camera may be tilted, so trunk lean may be off by about {abs(track.tilt_deg):.0f} deg. Level the phone for a better reading.")
    if orientation.view in ("front", "back", "oblique"):
        out.append(f"{orientation.view.capitalize()} view: trunk lean, head angles, overstride and oscillation need a side view; film from the side, at hip height, for those.")
    if orientation.facing == "mixed":
        directions = ", ".join(f"{track.time_s[p.start]:.1f}-{track.time_s[p.end - 1]:.1f} s {p.facing}" for p in orientation.passes)
        out.append(f"The runner crosses the frame both ways ({directions}); each pass is measured in its own direction.")
    if activity.activity in ("running", "walking") and len(strides) < 2 and orientation.view == "side":
        out.append(f"Too short: only {len(strides)} full stride{'s' if len(strides) != 1 else ''} ({len(steps)} steps) measured; film at least 10 s of steady running.")
    if activity.activity == "other":
        out.append("This does not look like running or walking (no alternating steps): gait numbers are left out.")
    elif activity.too_short:
        out.append(f"{activity.reason[:1].upper()}{activity.reason[1:]}.")
    return out
