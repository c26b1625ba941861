"""A run's points as evenly sampled NumPy arrays: the one shape every track feature works on.

Files sample at 1 s (Polar, Fenix 2), every few seconds (Garmin "smart
recording") or irregularly (Google Fit); walk breaks and steep stretches are
defined over seconds and metres, so features would each have to cope with
that.  Instead the run is put once on a 1 Hz grid: distance is interpolated
(from the file's own distance, else from the GPS fixes), speed is the centred
difference of that distance over ``speed_window_s`` (GPS jitter averages out),
heart rate and cadence are carried forward from the last sample, and seconds
inside a recording gap longer than ``max_gap_s`` are marked ``in_gap`` (the
watch was paused or lost everything), so nothing is invented there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcheck.logs.records import Run, Segment, Sport
from formcheck.logs.track_cleaning import haversine_m, smoothed_elevation
from formcheck.logs.track_common import gap_jumps, point_column


def point_sports(n_points: int, sport: Sport, segments: Sequence[Segment]) -> list[Sport]:
    """The sport of each point: its segment's when the track has segments, else the track's."""
    sports = [sport] * n_points
    for seg in segments:
        sports[seg.start_index : seg.end_index] = [seg.sport] * max(0, min(seg.end_index, n_points) - seg.start_index)
    return sports


def run_gap_jumps(run: Run) -> np.ndarray:
    """Per point, True where the GPS leg ending there crosses a signal gap implausibly (the reader's rule).

    The same :func:`formcheck.logs.track_common.gap_jumps` the reader used for the
    run's distance, with segment sports taken from ``run.segments``.
    """
    return gap_jumps(run.points, point_sports(len(run.points), run.sport, run.segments))


@dataclass(frozen=True)
class GridConfig:
    """How the grid is built. ``speed_window_s`` 10 s smooths ~3 m GPS noise to ~0.3 m/s."""

    speed_window_s: float = 10.0
    implausible_speed_mps: float = 7.0  # 2:23 min/km: faster than this for long is bad distance data
    implausible_fraction: float = 0.05
    max_gap_s: float = 20.0
    elevation_window_s: float = 30.0


DEFAULT_GRID = GridConfig()
_SMOOTH_DISTANCE_FRACTION = 0.6


@dataclass(frozen=True)
class TrackGrid:
    """Per-second arrays over the run (index i = i seconds after the first point); NaN = unknown."""

    t_s: np.ndarray
    distance_m: np.ndarray  # cumulative; NaN when the run has no distance at all (treadmill without it)
    speed_mps: np.ndarray
    elevation_m: np.ndarray  # smoothed (running median), NaN without altitude
    heart_rate_bpm: np.ndarray
    cadence_spm: np.ndarray
    in_gap: np.ndarray  # bool: inside a recording gap
    warnings: tuple[str, ...] = ()

    @property
    def has_distance(self) -> bool:
        return bool(np.isfinite(self.distance_m).any())

    @property
    def has_elevation(self) -> bool:
        return bool(np.isfinite(self.elevation_m).any())

    @property
    def has_heart_rate(self) -> bool:
        return bool(np.isfinite(self.heart_rate_bpm).any())

    @property
    def has_cadence(self) -> bool:
        return bool(np.isfinite(self.cadence_spm).any())

    def __len__(self) -> int:
        return int(self.t_s.size)


def _column(run: Run, name: str) -> np.ndarray:
    return point_column(run.points, name)


def true_spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index pairs of the runs of True in a boolean array."""
    padded = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def finite_mean(values: np.ndarray) -> float | None:
    """Mean of the finite values, None when there are none."""
    ok = values[np.isfinite(values)]
    return float(ok.mean()) if ok.size else None


def _cumulative_distance(run: Run, t: np.ndarray) -> np.ndarray:
    """Distance at each point: the file's own if it moves smoothly, else summed GPS steps.

    Watches write a filtered distance on every point, which beats re-summing
    jittery fixes; but Google Fit writes a step function (the same value for
    ~30 s, then a jump), which would turn every step into a fake stop.  The
    file's distance is trusted when it increases on at least
    ``_SMOOTH_DISTANCE_FRACTION`` of the points (or when there is no GPS at all).
    """
    file_d = _column(run, "distance_m")
    lat, lon = _column(run, "lat_deg"), _column(run, "lon_deg")
    gps = np.isfinite(lat) & np.isfinite(lon)
    has_file = np.isfinite(file_d).sum() >= 2 and np.nanmax(file_d) > 0
    if has_file:
        ok = np.isfinite(file_d)
        steps = np.diff(file_d[ok])
        smooth = np.count_nonzero(steps > 0) >= _SMOOTH_DISTANCE_FRACTION * max(steps.size, 1)
        if smooth or gps.sum() < 2:
            return np.maximum.accumulate(np.interp(t, t[ok], file_d[ok]))
    if gps.sum() < 2:
        return np.full(t.size, np.nan)
    idx = np.flatnonzero(gps)
    steps_m = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
    jumps = run_gap_jumps(run)[idx[1:]]
    if jumps.any():
        # A GPS jump across a signal gap is not distance: the file's own odometer says
        # how far the runner went meanwhile (0 when the file has none).
        odometer = file_d if has_file else np.zeros(t.size)
        moved = np.nan_to_num(odometer[idx[1:]] - odometer[idx[:-1]], nan=0.0)
        steps_m = np.where(jumps, np.maximum(moved, 0.0), steps_m)
    d_fix = np.concatenate([[0.0], np.cumsum(steps_m)])
    return np.interp(t, t[idx], d_fix)


def _hold(t_points: np.ndarray, values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Last known value at or before each grid time (zero-order hold), NaN before the first."""
    ok = np.isfinite(values)
    if not ok.any():
        return np.full(grid.size, np.nan)
    tp, vp = t_points[ok], values[ok]
    pos = np.searchsorted(tp, grid, side="right") - 1
    out = np.where(pos >= 0, vp[np.clip(pos, 0, None)], np.nan)
    return out


def to_grid(run: Run, cfg: GridConfig = DEFAULT_GRID) -> TrackGrid:
    """Put ``run`` on a 1 Hz grid (empty arrays for a run without points)."""
    if len(run.points) == 0:
        empty = np.zeros(0)
        return TrackGrid(empty, empty, empty, empty, empty, empty, np.zeros(0, dtype=bool))
    t0 = run.points[0].time
    t = np.array([(p.time - t0).total_seconds() for p in run.points])
    t = np.maximum.accumulate(t)
    grid = np.arange(0.0, float(np.floor(t[-1])) + 1.0)

    dist_points = _cumulative_distance(run, t)
    distance = np.interp(grid, t, dist_points) if np.isfinite(dist_points).all() else np.full(grid.size, np.nan)

    half = cfg.speed_window_s / 2.0
    lo = np.clip(grid - half, 0, grid[-1])
    hi = np.clip(grid + half, 0, grid[-1])
    span = np.maximum(hi - lo, 1.0)
    speed = (np.interp(hi, grid, distance) - np.interp(lo, grid, distance)) / span if distance.size else distance
    if not np.isfinite(distance).any():
        file_speed = _column(run, "speed_mps")
        speed = _hold(t, file_speed, grid)

    elevation = _column(run, "elevation_m")
    ok = np.isfinite(elevation)
    if ok.sum() >= 2:
        smooth = smoothed_elevation(t[ok], elevation[ok], cfg.elevation_window_s)
        elev_grid = np.interp(grid, t[ok], smooth)
    else:
        elev_grid = np.full(grid.size, np.nan)

    gaps = np.zeros(grid.size, dtype=bool)
    for k in np.flatnonzero(np.diff(t) > cfg.max_gap_s):
        gaps[(grid > t[k]) & (grid < t[k + 1])] = True

    hr = _hold(t, _column(run, "heart_rate_bpm"), grid)
    cadence = _hold(t, _column(run, "cadence_spm"), grid)
    hr[gaps] = np.nan
    cadence[gaps] = np.nan
    warnings: tuple[str, ...] = ()
    fast = np.count_nonzero(np.nan_to_num(speed, nan=0.0) > cfg.implausible_speed_mps)
    if grid.size and fast > cfg.implausible_fraction * grid.size:
        warnings = (
            f"The distance in this file implies faster than {cfg.implausible_speed_mps:g} m/s for "
            f"{fast} s ({100.0 * fast / grid.size:.0f}% of the run): pace and walk breaks are unreliable.",
        )
    return TrackGrid(grid, distance, speed, elev_grid, hr, cadence, gaps, warnings)


def moving_median_speed(grid: TrackGrid, min_speed_mps: float = 1.8) -> float | None:
    """Median speed while actually running (above walking speed): the run's own yardstick for efforts."""
    speed = grid.speed_mps[np.isfinite(grid.speed_mps) & ~grid.in_gap]
    moving = speed[speed >= min_speed_mps]
    return float(np.median(moving)) if moving.size else None


PARTIAL_TRACK = 0.9
"""A track whose samples span less than this share of the activity's duration holds only part of it."""


def partial_minutes(elapsed_s: float | None, duration_s: float | None) -> float | None:
    """Minutes a partial track covers (its samples span under ``PARTIAL_TRACK`` of the duration), else None.

    From the two durations alone, so the ``runs``/``context`` tables (which read the JSON) and the hills
    measures (which read the ``Run``) judge a track partial by one rule.
    """
    if elapsed_s is None or not duration_s or duration_s <= 0 or elapsed_s / duration_s >= PARTIAL_TRACK:
        return None
    return elapsed_s / 60.0


def sampled_fraction(run: Run) -> float | None:
    """How much of the activity's own duration its samples span (1.0 when all of it, or more with pauses).

    Below 1 the file lost the rest (a FIT file that broke part-way keeps its session totals):
    climbs and walk breaks after the last sample are not in the track, and a cause must not
    read "flat" or "no walk break" from the part that is.
    """
    elapsed = run.elapsed_s
    if elapsed is None or run.duration_s <= 0:
        return None
    return elapsed / run.duration_s
