"""Repairs shared by the GPX, FIT and TCX readers: bad timestamps, GPS spikes, noisy altitude.

Watch and phone recordings are not trusted as they come. This module owns the
three repairs every track needs, as pure functions over NumPy arrays, so that
each reader only parses and the same rules apply whatever the file format:

* timestamps that cannot be real (a FIT file that breaks and yields a year-2085
  record, points that go back in time) are dropped;
* GPS fixes that imply a speed no runner or walker reaches are dropped
  (the position only: heart rate and cadence at that moment are still good);
* a fix that comes after a signal gap and lies further away than the sport
  could have gone in that time (or much further than the file's own odometer
  moved) starts a new piece of path: that leg is a *break*, not distance;
* elevation gain is summed only after smoothing, because GPS altitude (and the
  integer altitude Google Fit writes) jitters by several metres every second
  and a plain sum of the ups turns a flat 50-minute run into 800 m of climbing.

The thresholds live in :class:`CleaningConfig` with where each number comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from formcheck.dates import EARLIEST_DATE

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres

EARLIEST_VALID = dt.datetime.combine(EARLIEST_DATE, dt.time(), tzinfo=dt.timezone.utc)  # FIT epoch is 1989-12-31


@dataclass(frozen=True)
class CleaningConfig:
    """Thresholds for the repairs, each with the reason for its value.

    ``max_foot_speed_mps`` 12.5 m/s (45 km/h) is above the fastest human sprint
    (Bolt's peak ~12.3 m/s), so any GPS step faster than this while running or
    walking is a position error, not the runner.  ``max_other_speed_mps`` covers
    sports we do not model (cycling, rowing machines without GPS): 40 m/s.

    Elevation: a centred running median over ``elevation_window_s`` removes
    spikes and jitter, then a dead band (hysteresis) counts a climb only once
    the altitude has left the last turning point by the threshold.  This "smooth,
    then threshold" approach is what Strava describes for its elevation gain ("we
    smooth the data ... elevation changes may not be enough to pass a threshold")
    and what GoldenCheetah exposes as its *elevation hysteresis* setting.  The
    threshold adapts to the recording: ``hysteresis_noise_factor`` times the
    altitude's own noise (mean absolute residual from a ``noise_window_s``
    median, top 5 % ignored), kept between ``min_hysteresis_m`` and
    ``max_hysteresis_m``.  A barometric watch (noise ~0.1 m) gets 1 m; Google
    Fit's integer GPS altitude (noise ~1.1 m) gets ~4.3 m.  Checked on the
    sample files: Fenix 2 gives 60 m (watch says 64 m), the 2013 hilly run 165 m
    (watch says 168 m), and the Google Fit 2015-05-31 run 120 m instead of the
    raw 803 m.
    """

    max_foot_speed_mps: float = 12.5
    max_other_speed_mps: float = 40.0
    elevation_window_s: float = 20.0
    noise_window_s: float = 30.0
    hysteresis_noise_factor: float = 4.0
    min_hysteresis_m: float = 1.0
    max_hysteresis_m: float = 10.0
    max_points_dropped_in_a_row: int = 5
    latest_valid_offset: dt.timedelta = dt.timedelta(days=2)
    gap_s: float = 30.0
    max_walk_speed_mps: float = 3.0
    odometer_factor: float = 3.0
    odometer_slack_m: float = 200.0


# Fastest average speed any runner has held for a duration: men's world records
# (World Athletics) 400 m 43.03 s, 800 m 1:40.91, 1500 m 3:26.00, 3000 m 7:20.67,
# 5000 m 12:35.36, 10,000 m 26:11.00, half marathon 57:30, marathon 2:00:35.
# Between records the limit is interpolated in log(duration); past the ends it is held.
_RECORD_DURATION_S = np.array([43.03, 100.91, 206.0, 440.67, 755.36, 1571.0, 3450.0, 7235.0])
_RECORD_SPEED_MPS = np.array([400, 800, 1500, 3000, 5000, 10000, 21097.5, 42195.0]) / _RECORD_DURATION_S


DEFAULT_CLEANING = CleaningConfig()


def sustained_speed_limit_mps(duration_s: float, walking: bool, cfg: "CleaningConfig | None" = None) -> float:
    """The fastest average speed a runner (or walker) can hold for ``duration_s`` seconds.

    Running: the world-record speed for that duration (9.3 m/s over 43 s down to
    5.8 m/s over two hours), so only a distance no human covers is refused.
    Walking: ``max_walk_speed_mps`` (3 m/s, 1.5 x the ~2 m/s walk-run transition
    speed): a block the device itself labelled walking that went faster for the
    whole gap did not happen on foot.
    """
    cfg = cfg or DEFAULT_CLEANING
    if walking:
        return cfg.max_walk_speed_mps
    log_t = np.log(np.clip(duration_s, _RECORD_DURATION_S[0], _RECORD_DURATION_S[-1]))
    return float(np.interp(log_t, np.log(_RECORD_DURATION_S), _RECORD_SPEED_MPS))


def haversine_m(lat1_deg: np.ndarray, lon1_deg: np.ndarray, lat2_deg: np.ndarray, lon2_deg: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres between paired points (vectorised haversine formula)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    a = np.sin((lat2 - lat1) / 2.0) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def path_length_m(lat_deg: np.ndarray, lon_deg: np.ndarray, breaks: np.ndarray | None = None) -> float:
    """Length of a polyline of fixes in metres; NaN fixes are skipped, not bridged to zero.

    ``breaks`` (per point, from :func:`gap_jump_mask`) marks fixes that start a new
    piece of path: the leg that ends at such a fix is not counted.
    """
    lat = np.asarray(lat_deg, dtype=float)
    lon = np.asarray(lon_deg, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[ok], lon[ok]
    if lat.size < 2:
        return 0.0
    legs = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    if breaks is not None:
        legs = np.where(np.asarray(breaks, dtype=bool)[ok][1:], 0.0, legs)
    return float(np.sum(legs))


def gap_jump_mask(
    times_s: np.ndarray,
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    walking: np.ndarray,
    odometer_m: np.ndarray | None = None,
    max_speed_mps: float | None = None,
    cfg: CleaningConfig = DEFAULT_CLEANING,
) -> np.ndarray:
    """True at a fix that ends a leg across a signal gap that cannot be real movement (a *break*).

    Only legs longer than ``gap_s`` (30 s) between consecutive fixes are judged
    (shorter ones are the spike filter's job).  Such a leg is a break when

    * its average speed is above what the sport can hold for that long
      (:func:`sustained_speed_limit_mps`; ``walking`` says, per point, whether the
      fix belongs to walking; ``max_speed_mps`` replaces the limit for sports
      that are not on foot), or
    * the file has its own odometer (``odometer_m``, per point) and the leg is
      longer than ``odometer_factor`` x what the odometer moved plus
      ``odometer_slack_m``: phones report a coarse network position when the
      GPS signal returns, kilometres from where the step counter says the runner is.

    The fix after a break is kept (it starts the next piece of path); the leg is
    simply not distance.  Fixes with NaN position are never breaks.
    """
    t = np.asarray(times_s, dtype=float)
    lat = np.asarray(lat_deg, dtype=float)
    lon = np.asarray(lon_deg, dtype=float)
    walk = np.asarray(walking, dtype=bool)
    odo = None if odometer_m is None else np.asarray(odometer_m, dtype=float)
    if odo is not None and not (np.isfinite(odo).any() and np.nanmax(odo) > 0):
        odo = None
    breaks = np.zeros(t.size, dtype=bool)
    idx = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    for a, b in zip(idx[:-1], idx[1:]):
        gap = float(t[b] - t[a])
        if gap <= cfg.gap_s:
            continue
        dist = float(haversine_m(lat[a], lon[a], lat[b], lon[b]))
        limit = max_speed_mps if max_speed_mps is not None else sustained_speed_limit_mps(gap, bool(walk[b]), cfg)
        too_fast = dist / gap > limit
        too_far = (
            odo is not None
            and np.isfinite(odo[a])
            and np.isfinite(odo[b])
            and dist > cfg.odometer_factor * max(float(odo[b] - odo[a]), 0.0) + cfg.odometer_slack_m
        )
        breaks[b] = bool(too_fast or too_far)
    return breaks


def valid_time_mask(
    times: list[dt.datetime | None],
    anchor: dt.datetime | None = None,
    cfg: CleaningConfig = DEFAULT_CLEANING,
) -> np.ndarray:
    """Which timestamps are believable: present, after 1990, near the activity, never going back.

    ``anchor`` is the start the file states (FIT session start, TCX lap start);
    without it the median time is used, so one garbage stamp cannot move it.
    A point more than ``latest_valid_offset`` after the anchor, or earlier than
    the last kept point, is dropped: a track is recorded forwards in time.
    """
    n = len(times)
    keep = np.zeros(n, dtype=bool)
    stamps = [t for t in times if t is not None and t >= EARLIEST_VALID]
    if not stamps:
        return keep
    if anchor is None or anchor < EARLIEST_VALID:
        anchor = sorted(stamps)[len(stamps) // 2]
    earliest = anchor - dt.timedelta(hours=1)
    latest = anchor + cfg.latest_valid_offset
    last_kept: dt.datetime | None = None
    for i, t in enumerate(times):
        if t is None or t < earliest or t > latest:
            continue
        if last_kept is not None and t < last_kept:
            continue
        keep[i] = True
        last_kept = t
    return keep


def spike_mask(
    times_s: np.ndarray,
    lat_deg: np.ndarray,
    lon_deg: np.ndarray,
    max_speed_mps: float,
    cfg: CleaningConfig = DEFAULT_CLEANING,
) -> np.ndarray:
    """True where a GPS fix is a spike: reaching it from the last good fix needs > ``max_speed_mps``.

    Each fix is compared with the last fix that was kept, so a single wild fix
    (and a short burst of them) is dropped while the track goes on from where it
    really was.  If more than ``max_points_dropped_in_a_row`` fixes in a row are
    rejected, the *reference* was the bad one (or the runner really moved during
    a signal gap), so the current fix is accepted as the new reference instead of
    throwing the rest of the run away.  Fixes with NaN position are never spikes.
    """
    t = np.asarray(times_s, dtype=float)
    lat = np.asarray(lat_deg, dtype=float)
    lon = np.asarray(lon_deg, dtype=float)
    spikes = np.zeros(t.size, dtype=bool)
    ref: int | None = None
    rejected_in_a_row = 0
    for i in range(t.size):
        if not (np.isfinite(lat[i]) and np.isfinite(lon[i])):
            continue
        if ref is None:
            ref = i
            continue
        dist = float(haversine_m(lat[ref], lon[ref], lat[i], lon[i]))
        dt_s = t[i] - t[ref]
        # Two fixes within the same second are judged as if one second apart.
        speed = dist / max(dt_s, 1.0)
        if speed > max_speed_mps and rejected_in_a_row < cfg.max_points_dropped_in_a_row:
            spikes[i] = True
            rejected_in_a_row += 1
            continue
        ref = i
        rejected_in_a_row = 0
    return spikes


def _finite_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two arrays as floats, keeping only the positions where both are finite."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    return a[ok], b[ok]


def smoothed_elevation(times_s: np.ndarray, elevation_m: np.ndarray, window_s: float) -> np.ndarray:
    """Centred running median over ``window_s`` seconds (by time, since sampling is irregular).

    A median rather than a mean, because altitude errors come as steps and
    outliers (a 55 m -> 142 m jump at a FIT file's second record) that a mean
    would smear into a fake hill.  NaN elevations are ignored.
    """
    t, z = _finite_pairs(times_s, elevation_m)
    if z.size == 0:
        return z
    half = window_s / 2.0
    lo = np.searchsorted(t, t - half, side="left")
    hi = np.searchsorted(t, t + half, side="right")
    return np.array([np.median(z[a:b]) for a, b in zip(lo, hi)])


def hysteresis_gain_loss(elevation_m: np.ndarray, threshold_m: float) -> tuple[float, float]:
    """Total climb and descent counting only moves larger than ``threshold_m`` from the last turning point."""
    z = np.asarray(elevation_m, dtype=float)
    z = z[np.isfinite(z)]
    if z.size < 2:
        return 0.0, 0.0
    gain = loss = 0.0
    anchor = float(z[0])
    for value in z[1:]:
        delta = float(value) - anchor
        if delta >= threshold_m:
            gain += delta
            anchor = float(value)
        elif delta <= -threshold_m:
            loss -= delta
            anchor = float(value)
    return gain, loss


def altitude_noise_m(times_s: np.ndarray, elevation_m: np.ndarray, window_s: float) -> float:
    """Typical jitter of an altitude series: mean |residual| from a running median, top 5 % ignored."""
    t, z = _finite_pairs(times_s, elevation_m)
    if z.size < 3:
        return 0.0
    resid = np.abs(z - smoothed_elevation(t, z, window_s))
    return float(np.mean(resid[resid <= np.quantile(resid, 0.95)]))


def elevation_gain_loss(
    times_s: np.ndarray, elevation_m: np.ndarray, cfg: CleaningConfig = DEFAULT_CLEANING
) -> tuple[float, float] | None:
    """Smoothed gain and loss in metres, or None when the track has fewer than two altitudes."""
    t, z = _finite_pairs(times_s, elevation_m)
    if z.size < 2:
        return None
    noise = altitude_noise_m(t, z, cfg.noise_window_s)
    threshold = float(np.clip(cfg.hysteresis_noise_factor * noise, cfg.min_hysteresis_m, cfg.max_hysteresis_m))
    return hysteresis_gain_loss(smoothed_elevation(t, z, cfg.elevation_window_s), threshold)


def raw_gain_m(elevation_m: np.ndarray) -> float:
    """Plain sum of every rise, the number that noisy altitude inflates (kept for warnings and tests)."""
    z = np.asarray(elevation_m, dtype=float)
    z = z[np.isfinite(z)]
    if z.size < 2:
        return 0.0
    d = np.diff(z)
    return float(np.sum(d[d > 0]))
