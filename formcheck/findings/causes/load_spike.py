"""Beginner and load spikes: new to running, or a run much longer than the runner is used to.

Why: trunk muscles not yet used to an hour of running tire first (the
forum's "just beginning"), and a single run more than 10 % longer than the
longest of the 30 days before raised the overuse-injury rate (Frandsen et al.,
BJSM 2025, 5,205 runners: HRR 1.64 for 10-30 % longer, 1.52 for 30-100 %,
2.28 above).  The acute:chronic workload ratio is shown as context only and
never scored: it is mathematically coupled and its use is criticised (Lolli
et al. 2019; Impellizzeri et al., Sports Med 2020).  Data: the runner's
answers (months running, runs a week) and the run's context (spike, store
experience).
"""

from __future__ import annotations

from formcheck.findings.model import CheckInputs, Finding, NotAssessed
from formcheck.findings.rules import Rules, fmt
from formcheck.findings.thresholds import Thresholds

CAUSE_ID = "load_spike"
TITLE = "New to running, or a run longer than you are used to"
ACWR = "Lolli et al. 2019; Impellizzeri et al., Sports Med 2020: the acute:chronic ratio is context only"


def _band(ratio: float, spike: float, small_max: float, moderate_max: float) -> str:
    """Frandsen et al. 2025 bands from the thresholds (the context's own ``spike_category`` uses fixed ones)."""
    if ratio <= spike:
        return "none"
    if ratio <= small_max:
        return "small"
    return "moderate" if ratio <= moderate_max else "large"


def _answers(r: Rules, inputs: CheckInputs) -> bool:
    runner = inputs.answers.runner
    months, per_week = runner.running_months, runner.runs_per_week
    if months is None and per_week is None:
        return False
    if months is not None:
        r.measures["running_months"] = months
        if months < float(r.value("new_runner_months")):
            r.fire("new_runner", f"You have been running regularly for {fmt(months, 0)} months.")
        elif months >= float(r.value("experienced_months")):
            r.argue_against(f"You have been running regularly for {fmt(months, 0)} months.")
    if per_week is not None:
        r.measures["runs_per_week"] = per_week
        if per_week < float(r.value("low_runs_per_week")):
            r.fire("low_frequency", f"You run {fmt(per_week)} time{'' if per_week == 1 else 's'} in a usual week.")
    return True


def _spike(r: Rules, inputs: CheckInputs) -> bool:
    if inputs.run is None:
        return False
    load, exp = inputs.run.load, inputs.run.experience
    months = inputs.answers.runner.running_months
    if exp.beginner and exp.runs_before:
        weeks = min(8.0, max(1.0, exp.days_since_first_run / 7.0))  # the span the logs cover, at most the 8 weeks counted
        rate = exp.runs_per_week_8wk * 8.0 / weeks
        logs = (f"Your logs hold {exp.runs_before} runs before this one since {exp.first_run_in_store.isoformat()} "
                f"({rate:.1f} a week over the last {fmt(weeks, 0)} weeks)")  # fmt: skip
        if months is not None and months >= float(r.value("new_runner_months")):
            # the answers know the runner; the logs only know the export, which may start last month
            r.note(f"{logs}, but you have run for {fmt(months, 0)} months: the logs start later than your running.")
        else:
            r.fire("beginner_in_logs", logs + ".")
    km = (inputs.run.run.distance_m or 0.0) / 1000.0
    if load.spike_ratio is None or load.longest_run_30d_km is None:
        r.note("No earlier run of the 30 days before is in the logs, so this run cannot be compared with them.")
        return bool(exp.runs_before)
    ratio = r.value("spike_ratio")
    r.measures.update(spike_ratio=round(load.spike_ratio, 2),
                      run_km=round(km, 2), longest_30d_km=round(load.longest_run_30d_km, 2))
    pct = 100.0 * (load.spike_ratio - 1.0)
    compare = f"This run was {km:.1f} km, {abs(pct):.0f} % {'longer' if pct >= 0 else 'shorter'} than your longest run of the 30 days before ({load.longest_run_30d_km:.1f} km)"
    category = _band(load.spike_ratio, float(ratio), float(r.value("small_max_ratio")), float(r.value("moderate_max_ratio")))
    r.measures["spike_category"] = category
    if category != "none":
        hrr = r.value(f"hrr_{category}")
        r.fire(f"spike_{category}", f"{compare}: runs more than {100 * (ratio - 1):.0f} % longer raised the injury rate (Frandsen et al. 2025, HRR {hrr:.2f} for this band).")
    else:
        r.argue_against(f"{compare}: within the {100 * (ratio - 1):.0f} % margin of Frandsen et al. 2025.")
    if load.acute_chronic_ratio is not None:
        r.cite(ACWR)
        unit = "heart-rate-weighted minutes (TRIMP)" if load.load_unit == "trimp" else "minutes run"
        r.note(
            f"Context only (not scored): acute:chronic ratio {load.acute_chronic_ratio:.2f} of training load in {unit}; "
            f"by distance, {load.weekly_distance_km:.1f} km in the 7 days before vs {load.avg_weekly_distance_km_4wk:.1f} km "
            f"a week over 4 weeks."
        )  # fmt: skip
    return True


def assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed:
    r = Rules(th, CAUSE_ID)
    had_answers = _answers(r, inputs)
    had_logs = _spike(r, inputs)
    if not had_answers and not had_logs:
        return NotAssessed(CAUSE_ID, TITLE, "give how long you have run and how often, or the run's GPS track with your "
                                            "earlier runs, to assess it", asks=("runner",))  # fmt: skip
    return r.finding(
        CAUSE_ID, TITLE, available=had_answers + had_logs, expected=2,
        rule_out=("Pumps on runs no longer than your usual ones, after months of regular running.",),
        plan=("ease_back_run_walk", "rowing_alternative"),
    )
