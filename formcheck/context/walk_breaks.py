"""Walk breaks: where a run drops to walking or stops, and what the minutes before looked like.

"I had to slow down and walk" is the symptom the runner reports; the first
break of an otherwise steady run is where it most likely began, and the
stretch before it (a climb? a pace surge? heart rate drifting up?) is the
evidence.  A run/walk-interval session (many regular breaks) is a plan, not a
symptom, and is labelled so.

Detection on the 1 Hz grid (``formcheck.context.track``), with hysteresis so
that one slow GPS second neither starts nor ends a break:

* with cadence: walking below ``enter_cadence_spm`` (130 steps/min), running
  again above ``exit_cadence_spm`` (145).  Running cadence is rarely below
  ~150 spm and walking rarely above ~125 spm, so the band between is the
  ambiguous zone the hysteresis straddles;
* without cadence: walking below ``enter_speed_mps`` (1.8 m/s = 9:16 min/km,
  about the walk-run transition speed of ~2 m/s), running above ``exit_speed_mps``;
* a recording gap (watch auto-paused) covered slower than walking speed is a stop.

A break must last ``min_break_s`` (15 s); breaks separated by less than
``merge_gap_s`` of running are one break.  Walking in the first
``ignore_start_s`` is getting going (waiting for GPS), not a break.  When the
file's distance is implausible (``TrackGrid.warnings``), no break is called
the likely symptom onset.

"Otherwise steady" counts running from the end of the previous break, or of
the walk the recording started with: a run that begins with a 45-minute walk
and breaks 5 minutes into the running was not steady for 50 minutes.  A break
that lies mostly in a recording gap (no samples: a paused watch, or a phone
that lost its signal) is inferred from the distance before and after it, not
measured: ``in_gap_s`` says how much, it is never called the symptom onset,
and the summary warns when some breaks are inferred that way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.context.track import TrackGrid, finite_mean, moving_median_speed, true_spans


@dataclass(frozen=True)
class WalkBreakConfig:
    enter_speed_mps: float = 1.8
    exit_speed_mps: float = 2.2
    stop_speed_mps: float = 0.5
    enter_cadence_spm: float = 130.0
    exit_cadence_spm: float = 145.0
    min_break_s: float = 15.0
    merge_gap_s: float = 10.0
    ignore_start_s: float = 60.0
    lookback_s: float = 180.0  # "the previous minutes" summarised in preceded_by
    hr_drift_window_s: float = 300.0
    steady_before_s: float = 600.0  # running this long without a break = "otherwise steady"
    interval_min_breaks: int = 4
    interval_max_cv: float = 0.35  # spacing this regular = planned run/walk intervals


DEFAULT_WALK_BREAKS = WalkBreakConfig()


@dataclass(frozen=True)
class PrecededBy:
    """The running before a break: pace, grade, heart rate and its drift, cadence (None = not recorded)."""

    window_s: float
    speed_mps: float | None
    pace_min_per_km: float | None
    speed_vs_run_median: float | None  # >1 = faster than this run's typical running speed
    grade_pct: float | None
    heart_rate_bpm: float | None  # mean over the last minute
    hr_drift_bpm: float | None  # last minute's mean minus that of the minute ending hr_drift_window_s (5 min) before
    cadence_spm: float | None


@dataclass(frozen=True)
class WalkBreak:
    start_s: float  # time into the run (seconds after the first point)
    duration_s: float
    kind: str  # "walk" | "stop" (slower than stop_speed_mps, or mostly a gap in the recording)
    distance_into_run_m: float | None
    preceded_by: PrecededBy
    until_end: bool  # the run ended in this break (finished walking: cool-down or could not go on)
    likely_symptom_onset: bool
    in_gap_s: float = 0.0  # seconds of the break without any samples (inferred, not measured)

    @property
    def inferred(self) -> bool:
        """Mostly a gap in the recording: the break is inferred from the distance around it, its timing not measured."""
        return mostly_in_gap(self.in_gap_s, self.duration_s)


def mostly_in_gap(in_gap_s: float, duration_s: float) -> bool:
    """More than half of a break without samples (``WalkBreak.inferred``, also judged before the break is built)."""
    return in_gap_s > 0.5 * duration_s


@dataclass(frozen=True)
class WalkBreakSummary:
    breaks: tuple[WalkBreak, ...]
    pattern: str  # "none" | "isolated" | "intervals"
    total_walk_s: float
    first_break_s: float | None
    signal: str  # "cadence+speed" | "speed" | "cadence" | "none"
    warnings: tuple[str, ...] = ()


def _walking_mask(grid: TrackGrid, cfg: WalkBreakConfig) -> tuple[np.ndarray, str]:
    """Per second: True while walking/stopped, with hysteresis on cadence (preferred) or speed."""
    n = len(grid)
    cad, speed = grid.cadence_spm, grid.speed_mps
    use_cadence = grid.has_cadence and float(np.nanmedian(cad)) >= 100.0  # spm, not strides/min
    use_speed = bool(np.isfinite(speed).any())
    signal = "cadence+speed" if use_cadence and use_speed else "cadence" if use_cadence else "speed" if use_speed else "none"
    walking = np.zeros(n, dtype=bool)
    state = False
    for i in range(n):
        c = cad[i] if use_cadence else np.nan
        v = speed[i] if use_speed else np.nan
        if grid.in_gap[i]:
            state = bool(np.isfinite(v) and v < cfg.enter_speed_mps)
        elif np.isfinite(c):
            slow_stop = np.isfinite(v) and v < cfg.stop_speed_mps
            state = (c < cfg.exit_cadence_spm or slow_stop) if state else (c < cfg.enter_cadence_spm or slow_stop)
        elif np.isfinite(v):
            state = v < cfg.exit_speed_mps if state else v < cfg.enter_speed_mps
        walking[i] = state
    return walking, signal


def _preceded_by(grid: TrackGrid, start: int, run_median: float | None, cfg: WalkBreakConfig) -> PrecededBy:
    lo = max(0, start - int(cfg.lookback_s))
    window = slice(lo, start)
    speed = finite_mean(grid.speed_mps[window])
    grade = None
    if grid.has_elevation and grid.has_distance and start - lo >= 10:
        climbed = grid.elevation_m[start - 1] - grid.elevation_m[lo]
        covered = grid.distance_m[start - 1] - grid.distance_m[lo]
        grade = float(100.0 * climbed / covered) if covered > 20.0 else None
    last_min = grid.heart_rate_bpm[max(0, start - 60) : start]
    earlier_end = start - int(cfg.hr_drift_window_s)  # the minute ending hr_drift_window_s before the break
    earlier = grid.heart_rate_bpm[max(0, earlier_end - 60) : max(0, earlier_end)]
    hr_now, hr_then = finite_mean(last_min), finite_mean(earlier) if earlier_end - 60 >= 0 else None
    return PrecededBy(
        window_s=float(start - lo),
        speed_mps=speed,
        pace_min_per_km=(1000.0 / speed / 60.0) if speed and speed > 0.3 else None,
        speed_vs_run_median=(speed / run_median) if speed is not None and run_median else None,
        grade_pct=grade,
        heart_rate_bpm=hr_now,
        hr_drift_bpm=(hr_now - hr_then) if hr_now is not None and hr_then is not None else None,
        cadence_spm=finite_mean(grid.cadence_spm[window]) if grid.has_cadence else None,
    )


def _is_intervals(starts: list[float], cfg: WalkBreakConfig) -> bool:
    if len(starts) < cfg.interval_min_breaks:
        return False
    spacing = np.diff(np.asarray(starts))
    return bool(spacing.mean() > 0 and spacing.std() / spacing.mean() <= cfg.interval_max_cv)


def detect_walk_breaks(grid: TrackGrid, cfg: WalkBreakConfig = DEFAULT_WALK_BREAKS) -> WalkBreakSummary:
    """All walk breaks of a run, each with what preceded it, and the overall pattern."""
    if len(grid) == 0:
        return WalkBreakSummary((), "none", 0.0, None, "none")
    walking, signal = _walking_mask(grid, cfg)
    spans = true_spans(walking)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a - merged[-1][1] < cfg.merge_gap_s:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    kept = [(a, b) for a, b in merged if b - a >= cfg.min_break_s and a >= cfg.ignore_start_s]
    # Running starts once the walking the recording began with is over.
    running_from = float(grid.t_s[merged[0][1]]) if merged and merged[0][0] < cfg.ignore_start_s and merged[0][1] < len(grid) else 0.0
    run_median = moving_median_speed(grid, cfg.enter_speed_mps)
    n = len(grid)
    starts = [float(grid.t_s[a]) for a, _ in kept]
    intervals = _is_intervals(starts, cfg)
    breaks: list[WalkBreak] = []
    for k, (a, b) in enumerate(kept):
        speed = grid.speed_mps[a:b]
        steady_before = float(grid.t_s[a]) - (grid.t_s[kept[k - 1][1]] if k else running_from) >= cfg.steady_before_s
        gap_s = float(np.count_nonzero(grid.in_gap[a:b]))
        inferred = mostly_in_gap(gap_s, float(b - a))
        stopped = inferred or (np.isfinite(speed).any() and float(np.nanmedian(speed)) < cfg.stop_speed_mps)
        breaks.append(
            WalkBreak(
                start_s=float(grid.t_s[a]),
                duration_s=float(b - a),
                kind="stop" if stopped else "walk",
                distance_into_run_m=float(grid.distance_m[a]) if grid.has_distance else None,
                preceded_by=_preceded_by(grid, a, run_median, cfg),
                until_end=bool(b >= n - 1),
                likely_symptom_onset=bool(k == 0 and steady_before and not intervals and not grid.warnings and not inferred),
                in_gap_s=gap_s,
            )
        )
    pattern = "none" if not breaks else "intervals" if intervals else "isolated"
    warnings = grid.warnings
    n_inferred = sum(b.inferred for b in breaks)
    if n_inferred:
        warnings += (
            f"{n_inferred} of {len(breaks)} walk break(s) lie mostly in recording gaps (no samples): "
            f"inferred from the distance before and after, not measured, so none of them is called "
            f"the symptom onset ({sum(b.in_gap_s for b in breaks):.0f} s of break time has no samples).",
        )
    return WalkBreakSummary(
        breaks=tuple(breaks),
        pattern=pattern,
        total_walk_s=float(sum(b.duration_s for b in breaks)),
        first_break_s=breaks[0].start_s if breaks else None,
        signal=signal,
        warnings=warnings,
    )


def symptom_break(breaks: tuple[WalkBreak, ...], minute: float | None, tolerance_min: float) -> tuple[WalkBreak | None, str]:
    """The walk break the pump most likely forced, and how it was chosen (a phrase, or why none was).

    The runner's own minute wins (the break nearest to it within the tolerance); else the break the track
    flagged as the likely onset; else a lone break that was measured (one lying mostly in a recording gap was
    inferred, and its time says nothing about the pump). One function for the findings, the JSON and the chart,
    so they never point at two different breaks.
    """
    if minute is not None:
        near = [b for b in breaks if abs(b.start_s / 60.0 - minute) <= tolerance_min]
        if near:
            best = min(near, key=lambda b: abs(b.start_s / 60.0 - minute))
            return best, f" (you reported the pump at minute {minute:.0f})"
        return None, f"No walk break in the track within {tolerance_min:.0f} min of minute {minute:.0f}, when you reported the pump."
    flagged = [b for b in breaks if b.likely_symptom_onset]
    if flagged:
        return flagged[0], " (the first break after steady running)"
    measured = [b for b in breaks if not b.inferred]
    if len(breaks) == 1 and measured:
        return breaks[0], ""
    if measured:
        return None, (f"{len(breaks)} walk breaks and none stands out as the pump: give the minute it started "
                      "(with your answers about the run that hurt) to look at what came before it.")
    if breaks:
        return None, ("The only walk break lies mostly in a gap in the recording: inferred, not measured, so its "
                      "time says nothing about when the pump began.")
    return None, ""


def with_symptom_break(summary: WalkBreakSummary, minute: float | None, tolerance_min: float) -> WalkBreakSummary:
    """``summary`` with ``likely_symptom_onset`` set on exactly the break ``symptom_break`` chooses (or none)."""
    chosen, _ = symptom_break(summary.breaks, minute, tolerance_min)
    breaks = tuple(replace(b, likely_symptom_onset=b is chosen) for b in summary.breaks)
    return replace(summary, breaks=breaks)
