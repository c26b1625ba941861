"""Hills and sprints: how much climbing, how steep, and whether the runner pushed on it.

"Hill sprints" and "a hilly route" are forum theories for a lumbar pump:
running uphill leans the trunk forward and loads the back extensors, and a
hard effort on a climb (running faster than the run's own typical pace, or
at high heart rate) loads them most.  This module measures exactly that.

Steep means a grade above ``steep_grade_pct`` (4 %) held for at least
``min_steep_m`` (100 m) of distance, with grade measured over ``grade_window_m``
(50 m) on elevation smoothed by a 30 s running median (``context.track``), so
that GPS altitude jitter does not create fake "walls".  Gain and loss are the
reader's (smoothed, with hysteresis) when the file was read by formcheck, else
computed the same way here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.context.track import TrackGrid, finite_mean, moving_median_speed, partial_minutes, true_spans
from formcheck.logs.records import Run


@dataclass(frozen=True)
class HillConfig:
    steep_grade_pct: float = 4.0
    grade_window_m: float = 50.0
    min_steep_m: float = 100.0
    hard_speed_ratio: float = 1.0  # on a >4 % climb, at or above the run's flat-ish median pace = hard
    hard_hr_fraction: float = 0.90  # or mean HR above 90 % of the runner's max HR ...
    walked_speed_ratio: float = 0.7  # ... unless climbed under 70 % of the median running speed: walked, not pushed
    burst_speed_ratio: float = 1.3  # a speed burst: 30 % above the run's median running speed ...
    burst_min_s: float = 8.0  # ... for at least this long (strides, sprints)


DEFAULT_HILLS = HillConfig()


@dataclass(frozen=True)
class SteepSegment:
    start_s: float
    duration_s: float
    length_m: float
    gain_m: float
    grade_pct: float
    speed_mps: float | None
    speed_vs_run_median: float | None
    heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    hard_effort: bool


@dataclass(frozen=True)
class Hills:
    gain_m: float | None
    loss_m: float | None
    gain_m_per_km: float | None
    steep_segments: tuple[SteepSegment, ...]
    steep_climb_m: float  # total length of steep uphill stretches
    steep_descent_m: float  # total length of stretches steeper than -4 % (eccentric load)
    hard_hill_efforts: int
    speed_bursts: int
    hill_sprints: int  # speed bursts that happened on a steep climb


def _grade_pct(grid: TrackGrid, window_m: float) -> np.ndarray:
    """Grade at each second: elevation change over the ``window_m`` of distance centred on it."""
    d, z = grid.distance_m, grid.elevation_m
    if not (grid.has_distance and grid.has_elevation) or d[-1] - d[0] < window_m:
        return np.full(len(grid), np.nan)
    # Elevation as a function of distance (distance is non-decreasing; dedupe for interp).
    keep = np.concatenate([[True], np.diff(d) > 0])
    dd, zz = d[keep], z[keep]
    half = window_m / 2.0
    lo = np.clip(d - half, dd[0], dd[-1])
    hi = np.clip(d + half, dd[0], dd[-1])
    span = hi - lo
    grade = 100.0 * (np.interp(hi, dd, zz) - np.interp(lo, dd, zz)) / np.where(span > 0, span, np.nan)
    grade[span < window_m * 0.5] = np.nan
    return grade


def _nanmax(values: np.ndarray) -> float | None:
    ok = values[np.isfinite(values)]
    return float(ok.max()) if ok.size else None


def _gain_loss(run: Run, grid: TrackGrid) -> tuple[float | None, float | None]:
    if run.gain_m is not None:
        return run.gain_m, run.loss_m
    if not grid.has_elevation:
        return None, None
    from formcheck.logs.track_cleaning import hysteresis_gain_loss

    gain, loss = hysteresis_gain_loss(grid.elevation_m, 3.0)
    return gain, loss


def measure_hills(
    run: Run, grid: TrackGrid, hr_max_bpm: float | None = None, cfg: HillConfig = DEFAULT_HILLS
) -> Hills:
    """Climbing, steep stretches, hard efforts on them and speed bursts for one run."""
    gain, loss = _gain_loss(run, grid)
    km = (run.distance_m or 0.0) / 1000.0
    if partial_minutes(run.elapsed_s, run.duration_s) is not None and grid.has_distance:
        # the climbing is counted from the samples: per km of the distance they cover (a FIT file that broke
        # 5 min into a 59-min run gave its 15 m over 0.93 km as 1.3 m per km of the whole 11.27 km)
        km = float(np.nanmax(grid.distance_m) - np.nanmin(grid.distance_m)) / 1000.0
    grade = _grade_pct(grid, cfg.grade_window_m)
    median_speed = moving_median_speed(grid)
    segments: list[SteepSegment] = []
    steep_climb_m = steep_descent_m = 0.0
    for sign, mask in ((1, grade > cfg.steep_grade_pct), (-1, grade < -cfg.steep_grade_pct)):
        for a, b in true_spans(np.nan_to_num(mask, nan=0).astype(bool)):
            length = float(grid.distance_m[b - 1] - grid.distance_m[a])
            if length < cfg.min_steep_m:
                continue
            if sign < 0:
                steep_descent_m += length
                continue
            steep_climb_m += length
            duration = float(b - a)
            speed = length / duration if duration > 0 else None
            ratio = speed / median_speed if speed is not None and median_speed else None
            hr = finite_mean(grid.heart_rate_bpm[a:b])
            # a walked climb raises the heart rate too, but it is not the hard running effort this theory is about
            walked = ratio is not None and ratio < cfg.walked_speed_ratio
            hard = (ratio is not None and ratio >= cfg.hard_speed_ratio) or (
                not walked and hr is not None and hr_max_bpm is not None and hr >= cfg.hard_hr_fraction * hr_max_bpm
            )
            climbed = float(grid.elevation_m[b - 1] - grid.elevation_m[a])
            segments.append(
                SteepSegment(
                    start_s=float(grid.t_s[a]),
                    duration_s=duration,
                    length_m=length,
                    gain_m=climbed,
                    grade_pct=100.0 * climbed / length,
                    speed_mps=speed,
                    speed_vs_run_median=ratio,
                    heart_rate_bpm=hr,
                    max_heart_rate_bpm=_nanmax(grid.heart_rate_bpm[a:b]),
                    hard_effort=hard,
                )
            )
    segments.sort(key=lambda s: s.start_s)
    bursts = hill_sprints = 0
    if median_speed:
        fast = np.nan_to_num(grid.speed_mps, nan=0.0) >= cfg.burst_speed_ratio * median_speed
        steep = np.nan_to_num(grade, nan=0.0) > cfg.steep_grade_pct
        for a, b in true_spans(fast & ~grid.in_gap):
            if b - a >= cfg.burst_min_s:
                bursts += 1
                hill_sprints += int(steep[a:b].mean() >= 0.5)
    return Hills(
        gain_m=gain,
        loss_m=loss,
        gain_m_per_km=(gain / km) if gain is not None and km > 0.1 else None,
        steep_segments=tuple(segments),
        steep_climb_m=steep_climb_m,
        steep_descent_m=steep_descent_m,
        hard_hill_efforts=sum(s.hard_effort for s in segments),
        speed_bursts=bursts,
        hill_sprints=hill_sprints,
    )
