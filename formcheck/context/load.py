"""Running load coming into a run: ATL/CTL, acute:chronic ratio, weekly distance, single-run spike.

"Too much too soon" is the forum's commonest theory, and the evidence names
two shapes of it:

* a build-up over weeks, summarised by the acute (ATL, 7-day) and chronic
  (CTL, 42-day) exponentially weighted training loads of Banister's
  impulse-response model (Banister et al. 1975; the 7/42-day constants of the
  "performance manager" used by TrainingPeaks/GoldenCheetah) and their ratio;
* a single session much longer than usual.  Frandsen et al. (2025), "How much
  running is too much? Identifying high-risk running sessions in a 5200-person
  cohort study", Br J Sports Med 59(17):1203-1210, doi:10.1136/bjsports-2024-109380:
  in 5,205 Garmin-tracked runners, a session more than 10 % longer than the
  longest run of the previous 30 days raised the overuse-injury rate (hazard
  rate ratio 1.64 for a >10-30 % "small" spike, 1.52 for >30-100 % "moderate",
  2.28 for >100 % "large"), while the weekly acute:chronic ratio showed no
  positive association.  So ``spike_ratio`` = this run's distance / longest run
  in the 30 days before, ``spike`` is ratio > 1.10, and ``spike_category`` uses
  the paper's bands.

Load unit: TRIMP (Banister 1991: minutes x HRr x 0.64 e^(1.92 HRr), HRr =
(HRavg - HRrest)/(HRmax - HRrest)) when every run in the 42-day window has
heart rate, else minutes of running, so that one unit is used throughout a
series (mixing the two would make the ratio meaningless).  Only sport ``run``
counts; rowing is reported as alternative cardio.  All values are *coming
into* the run: runs that started before it (earlier the same day included),
evaluated on the run's day, not counting the run itself.

EWMA update per day (Banister's exponential decay, time constant tau days):
``x_d = x_(d-1) * exp(-1/tau) + L_d * (1 - exp(-1/tau))``, starting from 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from formcheck.logs.records import Run, Sport


@dataclass(frozen=True)
class LoadConfig:
    atl_days: float = 7.0
    ctl_days: float = 42.0
    spike_window_days: int = 30
    spike_threshold: float = 1.10  # Frandsen et al. 2025
    history_days: int = 180  # EWMA warm-up: after 4 x 42 days the start value no longer matters
    hr_rest_bpm: float = 60.0  # not in any file; a typical adult value
    trimp_k: float = 1.92  # Banister's coefficients for men (women: 0.86, 1.67)
    trimp_a: float = 0.64


DEFAULT_LOAD = LoadConfig()


@dataclass(frozen=True)
class HistoryRun:
    """What the load features need to know about one earlier activity (no points)."""

    start: dt.datetime
    sport: Sport
    duration_s: float
    distance_m: float | None
    avg_heart_rate_bpm: float | None

    @classmethod
    def of(cls, run: Run) -> "HistoryRun":
        return cls(run.start, run.sport, run.duration_s, run.distance_m, run.avg_heart_rate_bpm)


@dataclass(frozen=True)
class RunLoad:
    load_unit: str  # "trimp" | "duration_min"
    atl: float
    ctl: float
    acute_chronic_ratio: float | None
    weekly_distance_km: float  # runs in the 7 days (168 h) before the run
    avg_weekly_distance_km_4wk: float  # mean of the 4 weeks before
    runs_last_7d: int
    longest_run_30d_km: float | None
    spike_ratio: float | None  # this run's distance / longest of the previous 30 days
    spike: bool | None
    spike_category: str | None  # "none" (<=10 %) | "small" | "moderate" | "large" (Frandsen 2025 bands)
    alternative_cardio_7d: int  # rowing sessions in the 7 days before (not counted as running)
    alternative_cardio_min_7d: float


def ewma(daily_loads: Sequence[float], tau_days: float) -> float:
    """Banister exponential weighting of a day-by-day series (oldest first), from 0."""
    decay = math.exp(-1.0 / tau_days)
    value = 0.0
    for load in daily_loads:
        value = value * decay + load * (1.0 - decay)
    return value


def trimp(duration_s: float, avg_hr_bpm: float, hr_max_bpm: float, cfg: LoadConfig = DEFAULT_LOAD) -> float:
    """Banister's TRIMP for one session from its average heart rate."""
    hrr = (avg_hr_bpm - cfg.hr_rest_bpm) / max(hr_max_bpm - cfg.hr_rest_bpm, 1.0)
    hrr = min(max(hrr, 0.0), 1.0)
    return duration_s / 60.0 * hrr * cfg.trimp_a * math.exp(cfg.trimp_k * hrr)


def spike_ratio(distance_m: float | None, previous: Sequence[HistoryRun]) -> tuple[float | None, float | None]:
    """(ratio, longest km) against the longest previous run; None when there is nothing to compare."""
    lengths = [r.distance_m for r in previous if r.distance_m]
    if not lengths or not distance_m:
        return None, (max(lengths) / 1000.0 if lengths else None)
    longest = max(lengths)
    return distance_m / longest, longest / 1000.0


def spike_category(ratio: float | None) -> str | None:
    """Frandsen et al. 2025 bands: <=1.10 none, <=1.30 small, <=2.00 moderate, above that large."""
    if ratio is None:
        return None
    if ratio <= 1.10:
        return "none"
    if ratio <= 1.30:
        return "small"
    return "moderate" if ratio <= 2.00 else "large"


def run_load(
    run: Run,
    history: Sequence[HistoryRun],
    hr_max_bpm: float | None = None,
    cfg: LoadConfig = DEFAULT_LOAD,
) -> RunLoad:
    """Load features for ``run`` from the runner's other activities (any order, any sport)."""
    before = sorted((h for h in history if h.start < run.start), key=lambda h: h.start)
    runs = [h for h in before if h.sport is Sport.RUN]
    day = run.start.date()
    first_day = day - dt.timedelta(days=cfg.history_days)
    window = [h for h in runs if h.start.date() >= first_day]
    chronic = [h for h in runs if (day - h.start.date()).days < cfg.ctl_days]
    use_trimp = bool(chronic) and hr_max_bpm is not None and all(h.avg_heart_rate_bpm for h in chronic)

    daily = [0.0] * (cfg.history_days + 1)
    for h in window:
        index = (h.start.date() - first_day).days
        if use_trimp:
            assert hr_max_bpm is not None and h.avg_heart_rate_bpm is not None
            daily[index] += trimp(h.duration_s, h.avg_heart_rate_bpm, hr_max_bpm, cfg)
        else:
            daily[index] += h.duration_s / 60.0
    atl, ctl = ewma(daily, cfg.atl_days), ewma(daily, cfg.ctl_days)

    def within(days: float) -> list[HistoryRun]:
        return [h for h in runs if run.start - h.start <= dt.timedelta(days=days)]

    last7 = within(7)
    weekly_km = sum(h.distance_m or 0.0 for h in last7) / 1000.0
    four_weeks_km = sum(h.distance_m or 0.0 for h in within(28)) / 1000.0 / 4.0
    ratio, longest_km = spike_ratio(run.distance_m, within(cfg.spike_window_days))
    rows = [h for h in before if h.sport is Sport.ROWING and run.start - h.start <= dt.timedelta(days=7)]
    return RunLoad(
        load_unit="trimp" if use_trimp else "duration_min",
        atl=atl,
        ctl=ctl,
        acute_chronic_ratio=(atl / ctl) if ctl > 1e-9 else None,
        weekly_distance_km=weekly_km,
        avg_weekly_distance_km_4wk=four_weeks_km,
        runs_last_7d=len(last7),
        longest_run_30d_km=longest_km,
        spike_ratio=ratio,
        spike=None if ratio is None else ratio > cfg.spike_threshold,
        spike_category=spike_category(ratio),
        alternative_cardio_7d=len(rows),
        alternative_cardio_min_7d=sum(h.duration_s for h in rows) / 60.0,
    )
