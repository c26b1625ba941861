"""The training-log side of a check: logs in, then the context of the run that hurt.

Why reading and storing are split: every file given to a check is read (and
so validated) before anything is stored or any pose is computed, so one bad
file fails the check in seconds with its own one-line error and leaves the
store and the output folder untouched.  Storing reuses ``formcheck import``'s
path (:func:`formcheck.store.ingest.store_parsed`), so a check re-run on the
same files adds nothing.

Which run hurt: the date asked for, else the symptom date in the answers,
else the runner's latest run.  On that day (the runner's own: the zone given or stored,
else the GPS longitude's, else UTC) the longest *run* wins (a
warm-up walk the same morning is not the question), else the longest activity.
No run at all is fine: the causes that need one say "not assessed".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.context import HistoryRun, RunContext, run_context, taxonomy_classifier
from formcheck.context.lumbar import run_local_date, run_local_start
from formcheck.findings.model import JournalEntry
from formcheck.logs.records import LiftSet, ParsedLog, Sport
from formcheck.store import ImportReport, Store, StoredRun
from formcheck.store.ingest import read_file, store_parsed

StageProgress = Callable[[float, str | None], None]
HR_MAX_PLAUSIBLE_BPM = 230  # higher recorded peaks are strap glitches


@dataclass(frozen=True)
class TrainingInputs:
    """What the store says about the runner around the run that hurt."""

    run: RunContext | None = None
    run_id: int | None = None
    run_label: str | None = None
    symptom_date: dt.date | None = None
    history: tuple[HistoryRun, ...] = ()
    lifts: tuple[LiftSet, ...] = ()
    lumbar_class: dict[str, str | None] = field(default_factory=dict)
    journal: tuple[JournalEntry, ...] = ()
    lift_tz: dt.tzinfo | None = None
    notes: tuple[str, ...] = ()  # what was looked for and not found, for the report's "missing" list


def read_logs(paths: tuple[Path, ...], units: str | None, progress: StageProgress) -> list[ParsedLog]:
    """Read (and so validate) every log file; the first bad one raises its own one-line error."""
    parsed: list[ParsedLog] = []
    for number, path in enumerate(paths):
        label = f"reading {path.name}"

        def advance(fraction: float, number: int = number, label: str = label) -> None:
            progress((number + fraction) / len(paths), label)

        parsed.append(read_file(path, units=units, progress=advance))
    return parsed


def store_logs(store: Store, parsed: list[ParsedLog], runner: str, tz: str | None) -> list[ImportReport]:
    """Store each read file (one transaction each, idempotent); record the runner's zone when given."""
    if tz is not None:
        store.set_runner_tz(runner, tz)
    return [store_parsed(store, log, runner=runner) for log in parsed]


def _runner_known(store: Store, runner: str) -> bool:
    return runner in store.runners()


def _pick_run(candidates: list[StoredRun]) -> StoredRun | None:
    """The longest run of the day, else its longest activity."""
    if not candidates:
        return None
    runs = [c for c in candidates if c.run.sport == Sport.RUN] or candidates
    return max(runs, key=lambda c: (c.run.duration_s, c.run.start))


def runs_on_local_day(store: Store, runner: str, day: dt.date, zone: dt.tzinfo | None) -> list[StoredRun]:
    """The runner's activities (with points) that started on ``day`` on their own clock (:func:`run_local_date`:
    ``zone`` when known, else the GPS longitude's, else UTC), in start order.

    The UTC days either side are searched too (zones run from UTC-12 to UTC+14). The one
    lookup of "the run on the 16th" for ``check`` and ``context``.
    """
    since = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    nearby = store.runs(runner, since=since, until=since + dt.timedelta(days=3))
    return [stored for stored in nearby if run_local_date(stored.run, zone) == day]


def runner_zone(store: Store, runner: str, tz: dt.tzinfo | None) -> dt.tzinfo | None:
    """The zone of the runner's clock: the one given for this command, else the one stored (``import --tz``)."""
    if tz is not None:
        return tz
    stored_zone = store.runner_tz(runner)
    if not stored_zone:
        return None
    from zoneinfo import ZoneInfo

    return ZoneInfo(stored_zone)


def hr_max_besides(history_rows: list[StoredRun], target_id: int) -> float | None:
    """The highest plausible heart-rate peak of the runner's activities, if any other than the target has one.

    Why not with the target: against its own peak, a run's hardest minutes all look "near maximum".
    """
    peaks = {s.id: s.max_heart_rate_bpm for s in history_rows
             if s.max_heart_rate_bpm and s.max_heart_rate_bpm <= HR_MAX_PLAUSIBLE_BPM}  # fmt: skip
    return max(peaks.values()) if set(peaks) - {target_id} else None


def _target(store: Store, runner: str, day: dt.date | None, history: list[StoredRun],
            zone: dt.tzinfo | None) -> tuple[StoredRun | None, str | None]:  # fmt: skip
    """The run that hurt (with its points) and, when there is none, a sentence saying what was looked for."""
    if day is not None:
        candidates = runs_on_local_day(store, runner, day, zone)
        if not candidates:
            return None, (f"no run recorded on {day.isoformat()}: export that run from the watch or app "
                          "(GPX, FIT or TCX) to assess hills, pace, walk breaks and load.")  # fmt: skip
        return _pick_run(candidates), None
    running = [s for s in history if s.run.sport == Sport.RUN] or history
    if not running:
        return None, "no run recorded: export the run that hurt (GPX, FIT or TCX) to assess hills, pace, walk breaks and load."
    return store.run(running[-1].id, runner), None


def _label(stored: StoredRun, zone: dt.tzinfo | None) -> str:
    """E.g. "run 12, 2025-11-16 18:50 (America/Los_Angeles), 6.9 km, 51 min": on the runner's clock where known."""
    run = stored.run
    km = f", {run.distance_m / 1000:.1f} km" if run.distance_m else ""
    minutes = f", {run.duration_s / 60:.0f} min"
    start, clock = run_local_start(run, zone)
    return f"run {stored.id}, {start:%Y-%m-%d %H:%M} ({clock}){km}{minutes}"


def _journal(store: Store, runner: str) -> tuple[JournalEntry, ...]:
    from formcheck.store.journal import entries

    return tuple(entries(store, runner))


def training_inputs(store: Store, runner: str, day: dt.date | None, tz: dt.tzinfo | None) -> TrainingInputs:
    """History, lifts, journal and the context of the run that hurt (``day``, else the latest run)."""
    if not _runner_known(store, runner):
        note = "no training logs: export runs (GPX, FIT, TCX) and lifts (Strong, Hevy, FitNotes) to assess load and lifting."
        return TrainingInputs(symptom_date=day, lift_tz=tz, notes=(note,))
    zone = runner_zone(store, runner, tz)
    history_rows = store.runs(runner, with_points=False)
    history = tuple(HistoryRun.of(s.run) for s in history_rows)
    lifts = tuple(store.lift_sets(runner))
    classify = taxonomy_classifier()
    lumbar_class = {name: classify(name) for name in sorted({lift.exercise for lift in lifts})}
    journal = _journal(store, runner)
    target, note = _target(store, runner, day, history_rows, zone)
    if target is None:
        return TrainingInputs(symptom_date=day, history=history, lifts=lifts, lumbar_class=lumbar_class,
                              journal=journal, lift_tz=zone, notes=(note,) if note else ())  # fmt: skip
    hr_max = hr_max_besides(history_rows, target.id)
    run_day = run_local_date(target.run, zone)
    until = run_day + dt.timedelta(days=1)  # lifts after the run cannot explain it
    context = run_context(target.run, history, [lift for lift in lifts if lift.performed_on <= until], classify,
                          run_id=target.id, hr_max_bpm=hr_max, lift_tz=zone)  # fmt: skip
    return TrainingInputs(run=context, run_id=target.id, run_label=_label(target, zone), symptom_date=day or run_day,
                          history=history, lifts=lifts, lumbar_class=lumbar_class, journal=journal, lift_tz=zone)  # fmt: skip
