"""The symptom journal across runs: which factors come with the pumps, with a Fisher exact test.

Why: one run cannot tell "the deadlifts two days before" from chance, but a
journal of runs can.  For each journaled run (a :class:`JournalEntry`: date,
severity, walked) each factor is computed from the logs alone (nothing the
runner has to remember), the runs are split into a 2 x 2 table (factor yes/no
x pump yes/no) and tested with ``scipy.stats.fisher_exact`` (two-sided),
exact for the small counts a journal has.  A pump is a severity at or above
``journal.pump_severity`` or a forced walk.

Factors (only what :class:`CheckInputs` can compute):

* a lumbar-loading lift session 1-2 days before (``journal.lift_within_days``;
  the lumbar-extensor strength-loss peak of Pettitt et al. 2010);
* a run the day before (back-to-back running days);
* a run more than 10 % longer than the longest of the 30 days before
  (Frandsen et al. 2025), when that day's run is in the history.

Below ``journal.min_runs`` journaled runs, or when a factor is present on all
or none of them, nothing is tested and the note says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from scipy.stats import fisher_exact

from formcheck.findings.model import CheckInputs, Correlation, Finding, JournalEntry
from formcheck.findings.thresholds import Thresholds
from formcheck.findings.training import activity_days, lumbar_days
from formcheck.logs.records import Sport

Factor = Callable[[dt.date], "bool | None"]  # None: cannot tell for that day
CAUSE_OF_FACTOR = {"lumbar_lift_48h": "lifting_fatigue", "run_day_before": "too_little_rest", "long_run_spike": "load_spike"}


def _factors(inputs: CheckInputs, th: Thresholds) -> list[tuple[str, str, Factor]]:
    within = int(th.value("journal.lift_within_days"))
    out: list[tuple[str, str, Factor]] = []
    if inputs.lifts:
        lumbar = lumbar_days(inputs)

        def after_lift(day: dt.date) -> bool:
            return any(day - dt.timedelta(days=k) in lumbar for k in range(1, within + 1))

        out.append(("lumbar_lift_48h", f"within {24 * within} h of a lumbar-loading lift session", after_lift))
    if inputs.history:
        run_days = activity_days(inputs, Sport.RUN)
        first = min(run_days, default=None)

        def day_before(day: dt.date) -> bool | None:
            if first is None or day <= first:
                return None
            return day - dt.timedelta(days=1) in run_days

        out.append(("run_day_before", "the day after another run", day_before))

        runs = [h for h in inputs.history if h.sport is Sport.RUN and h.distance_m]
        ratio = float(th.value("load_spike.spike_ratio"))

        def spike(day: dt.date) -> bool | None:
            today = [h.distance_m for h in runs if h.start.date() == day]
            before = [h.distance_m for h in runs if dt.timedelta(0) < day - h.start.date() <= dt.timedelta(days=30)]
            if not today or not before:
                return None
            return max(today) > ratio * max(before)  # type: ignore[operator]

        out.append(("long_run_spike", "more than 10 % longer than the longest run of the 30 days before", spike))
    return out


def _is_pump(entry: JournalEntry, th: Thresholds) -> bool:
    return entry.severity >= int(th.value("journal.pump_severity")) or entry.walked


def _p_text(p: float) -> str:
    if p >= 0.01:
        return f"p = {p:.2f}"
    return f"p = {p:.3f}" if p >= 0.001 else "p < 0.001"


def correlate(inputs: CheckInputs, th: Thresholds) -> tuple[tuple[Correlation, ...], str | None]:
    """Correlations of log factors with journaled pumps, and a note when there is too little to tell."""
    entries = sorted({e.date: e for e in inputs.journal}.values(), key=lambda e: e.date)
    need = int(th.value("journal.min_runs"))
    if not entries:
        return (), None
    pumps = sum(_is_pump(e, th) for e in entries)
    if len(entries) < need:
        return (), f"{len(entries)} journaled runs ({pumps} with a pump): too few to tell which factors go with the pumps (need {need})."
    factors = _factors(inputs, th)
    if not factors:
        return (), f"{len(entries)} journaled runs, but no lift log or run history to compare them with."
    out: list[Correlation] = []
    notes: list[str] = []
    for _key, label, factor in factors:
        known = [(e, factor(e.date)) for e in entries]
        known = [(e, f) for e, f in known if f is not None]
        with_ = [e for e, f in known if f]
        without = [e for e, f in known if not f]
        pw, pwo = sum(_is_pump(e, th) for e in with_), sum(_is_pump(e, th) for e in without)
        if len(known) < need or not with_ or not without:
            notes.append(f"runs {label}: {len(with_)} of {len(known)} comparable runs, nothing to compare")
            continue
        _, p = fisher_exact([[pw, len(with_) - pw], [pwo, len(without) - pwo]], alternative="two-sided")
        p = float(p)
        sentence = f"Pumps on {pw} of {len(with_)} runs {label} vs {pwo} of {len(without)} otherwise, Fisher exact {_p_text(p)}."
        if p >= float(th.value("journal.alpha")):
            sentence += " Not enough to tell apart from chance yet."
        out.append(Correlation(label, pw, len(with_), pwo, len(without), p, sentence))
    note = f"{len(entries)} journaled runs, {pumps} with a pump."
    if notes:
        note += " " + "; ".join(notes) + "."
    return tuple(out), note


def attach(findings: Sequence[Finding], correlations: Sequence[Correlation], inputs: CheckInputs, th: Thresholds) -> list[Finding]:
    """Findings with their journal correlation added: a significant excess of pumps with the factor is a rule
    (``journal.weights.supports``); a significant deficit argues against; anything else is shown as context."""
    causes = {label: CAUSE_OF_FACTOR[key] for key, label, _ in _factors(inputs, th)}
    alpha, weight = float(th.value("journal.alpha")), float(th.value("journal.weights.supports"))
    out = []
    for finding in findings:
        for c in (c for c in correlations if causes.get(c.factor) == finding.cause):
            more = c.pumps_with / c.runs_with > c.pumps_without / c.runs_without
            significant = c.p_value is not None and c.p_value < alpha
            if significant and more:
                finding = replace(
                    finding,
                    score=round(min(1.0, finding.score + weight), 3),
                    evidence=(*finding.evidence, f"Your journal: {c.sentence}"),
                    rules_fired=(*finding.rules_fired, "journal_supports"),
                    sources=(*finding.sources, th.source("journal.weights.supports")),
                )
            elif significant:
                finding = replace(finding, against=(*finding.against, f"Your journal: {c.sentence}"))
            else:
                finding = replace(finding, evidence=(*finding.evidence, f"Your journal (context only): {c.sentence}"))
        out.append(finding)
    return out
