"""Writing parsed records into the store: one transaction per file; re-imports update, never duplicate.

Every record has an *identity* (its natural key, unique per runner in the
database): a run is its start second, sport and whole-second duration
(:func:`formcheck.store.codec.run_key`); a set is its workout's start, its
exercise and its order in that exercise (:func:`~formcheck.store.codec.lift_key`).
Weights, reps and the rest are the record's values.  Importing a file
therefore sorts each record into one of three piles:

* **new**: no record with that identity yet -> inserted;
* **updated**: the same identity with other values (an export in which one
  set was edited, or the same export read with other units) -> the stored
  record takes the new values (last import wins), so no set exists twice;
* **unchanged**: the same identity and values -> nothing is written.

A file whose SHA-256 the runner already imported is also recognised as such.
The caller hands over a whole file's records and this module writes them in a
single transaction: if anything fails, nothing of that file is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from formcheck.logs.records import LiftSet, Run, StrengthLog
from formcheck.store.codec import as_utc, encode_points, lift_key, run_key
from formcheck.store.models import LiftSetRow, RunnerRow, RunRow, SegmentRow, SourceRow
from formcheck.store.names import require_runner_name

_UTC = dt.timezone.utc
_KEY_CHUNK = 500  # bound on IN (...) lists; SQLite allows 32k parameters, be modest


@dataclass(frozen=True)
class SourceInfo:
    """What the store records about an imported file."""

    sha256: str
    path: str
    format: str  # "gpx" | "fit" | "tcx" | "strong" | "hevy" | "fitnotes"


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing one file for one runner.

    ``added`` (new), ``updated`` and ``duplicates`` (unchanged) count runs for a
    track and sets for a strength export; ``dropped`` counts records the
    plausibility bounds refused before storing; ``added_run_ids`` lets the CLI
    point at what is new; ``already_imported`` is True when this exact file
    (same bytes) was imported before.
    """

    path: str
    kind: str  # "track" | "strength"
    format: str
    runner: str
    added: int
    duplicates: int
    warnings: tuple[str, ...] = ()
    already_imported: bool = False
    added_run_ids: tuple[int, ...] = ()
    updated: int = 0
    dropped: int = 0

    @property
    def unchanged(self) -> int:
        """Records already stored with the same values (``duplicates``, by its older name)."""
        return self.duplicates


def get_or_create_runner(session: Session, name: str) -> RunnerRow:
    require_runner_name(name)
    runner = session.scalars(select(RunnerRow).where(RunnerRow.name == name)).one_or_none()
    if runner is None:
        runner = RunnerRow(name=name, created_at=dt.datetime.now(_UTC))
        session.add(runner)
        session.flush()
    return runner


def _source(session: Session, runner: RunnerRow, info: SourceInfo) -> tuple[SourceRow, bool]:
    """The source row for this file, and whether it existed already."""
    existing = session.scalars(
        select(SourceRow).where(SourceRow.runner_id == runner.id, SourceRow.sha256 == info.sha256)
    ).one_or_none()
    if existing is not None:
        return existing, True
    row = SourceRow(
        runner_id=runner.id,
        sha256=info.sha256,
        path=info.path,
        format=info.format,
        imported_at=dt.datetime.now(_UTC),
        added=0,
        duplicates=0,
    )
    session.add(row)
    session.flush()
    return row, False


def _existing_rows(
    session: Session, model: type[RunRow] | type[LiftSetRow], runner_id: int, keys: Sequence[str]
) -> dict[str, Any]:
    """This runner's stored rows among ``keys``, by key (queried in chunks to bound the IN list)."""
    found: dict[str, Any] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), _KEY_CHUNK):
        chunk = unique[start : start + _KEY_CHUNK]
        for row in session.scalars(select(model).where(model.runner_id == runner_id, model.natural_key.in_(chunk))):
            found[row.natural_key] = row
    return found


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return a == b


def _finite_or_none(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _heart_rate_summary(run: Run) -> tuple[float | None, float | None]:
    """Mean and max HR: the file's average if it has one, else from the points (Fenix 2 sessions lack it)."""
    rates = [p.heart_rate_bpm for p in run.points if p.heart_rate_bpm is not None and p.heart_rate_bpm > 0]
    peak = max(rates) if rates else None
    mean = run.avg_heart_rate_bpm if run.avg_heart_rate_bpm is not None else (sum(rates) / len(rates) if rates else None)
    return _finite_or_none(mean), _finite_or_none(peak)


def _run_values(run: Run, key: str = "", runner_id: int = 0, source_id: int = 0) -> dict[str, object]:
    """The stored columns of a run that are its values (what a re-import compares and updates)."""
    mean_hr, max_hr = _heart_rate_summary(run)
    return {
        "sport": run.sport.value,
        "start": run.start if run.start.tzinfo else run.start.replace(tzinfo=_UTC),
        "duration_s": float(run.duration_s),
        "distance_m": _finite_or_none(run.distance_m),
        "gain_m": _finite_or_none(run.gain_m),
        "loss_m": _finite_or_none(run.loss_m),
        "avg_heart_rate_bpm": mean_hr,
        "max_heart_rate_bpm": max_hr,
        "device": run.device,
        "sub_sport": run.sub_sport,
        "source_format": run.source_format,
        "warnings_json": json.dumps(list(run.warnings)),
        "point_count": len(run.points),
        "points_blob": encode_points(run.points),
    }


def _segment_rows(run: Run) -> list[SegmentRow]:
    return [
        SegmentRow(seq=i, sport=seg.sport.value, start_index=seg.start_index, end_index=seg.end_index)
        for i, seg in enumerate(run.segments)
    ]


def _run_row(run: Run, key: str, runner_id: int, source_id: int) -> RunRow:
    row = RunRow(runner_id=runner_id, source_id=source_id, natural_key=key, **_run_values(run))
    row.segments = _segment_rows(run)
    return row


_Record = TypeVar("_Record", Run, LiftSet)


@dataclass
class _Batch(Generic[_Record]):
    """One file's records sorted by identity into new, updated and unchanged, with its source row."""

    runner: RunnerRow
    source: SourceRow
    seen: bool  # the same file (same bytes) was imported before
    new: list[tuple[_Record, str]]  # (record, natural key) not yet in the store
    changed: list[tuple[_Record, str, Any]]  # (record, key, stored row) with other values
    unchanged: int


def _batch(
    session: Session,
    runner_name: str,
    info: SourceInfo,
    model: type[RunRow] | type[LiftSetRow],
    records: Sequence[_Record],
    keys: Sequence[str],
    values: Callable[[_Record, str, int, int], dict[str, object]],
) -> _Batch[_Record]:
    """Find the runner and source, and sort the records by identity (a key repeated in the file: last wins)."""
    runner = get_or_create_runner(session, runner_name)
    source, seen = _source(session, runner, info)
    existing = _existing_rows(session, model, runner.id, keys)
    last = {key: i for i, key in enumerate(keys)}
    new: list[tuple[_Record, str]] = []
    changed: list[tuple[_Record, str, Any]] = []
    unchanged = 0
    for i, (record, key) in enumerate(zip(records, keys)):
        if last[key] != i:
            continue  # the same record twice in one file: the later one stands
        row = existing.get(key)
        if row is None:
            new.append((record, key))
            continue
        wanted = values(record, key, runner.id, source.id)
        if all(_same(getattr(row, name), value) for name, value in wanted.items() if name not in _NOT_VALUES):
            unchanged += 1
        else:
            changed.append((record, key, row))
    return _Batch(runner, source, seen, new, changed, unchanged)


_NOT_VALUES = frozenset({"runner_id", "source_id", "natural_key", "segments"})


def _report(
    batch: _Batch[Any], info: SourceInfo, kind: str, runner_name: str, warnings: tuple[str, ...],
    run_ids: tuple[int, ...] = (),
) -> ImportReport:
    """Record the counts on a new source row and describe the outcome."""
    if not batch.seen:
        batch.source.added = len(batch.new)
        batch.source.duplicates = batch.unchanged
    return ImportReport(
        path=info.path,
        kind=kind,
        format=info.format,
        runner=runner_name,
        added=len(batch.new),
        duplicates=batch.unchanged,
        warnings=warnings,
        already_imported=batch.seen,
        added_run_ids=run_ids,
        updated=len(batch.changed),
    )


TWIN_START_S = 2.0
"""Two files of one run start within this of each other (formats round the first point's time differently)."""
TWIN_DURATION_S = 3.0
"""...and last within this, or 1 %, of each other: a FIT says timer time (2832 s), the same run's GPX from Strava
first-to-last point (2833 s), so the whole-second duration in ``run_key`` alone stored one run twice."""


def _stored_twin(session: Session, runner_id: int, run: Run) -> RunRow | None:
    """The stored run this one is another export of (same sport, start and length within the margins), if any."""
    start = as_utc(run.start)
    margin = dt.timedelta(seconds=TWIN_START_S)
    near = select(RunRow).where(RunRow.runner_id == runner_id, RunRow.sport == run.sport.value,
                                RunRow.start >= start - margin, RunRow.start <= start + margin)  # fmt: skip
    for row in session.scalars(near):
        if abs(row.duration_s - run.duration_s) <= max(TWIN_DURATION_S, 0.01 * run.duration_s):
            return row
    return None


def add_runs(session: Session, runner_name: str, runs: Sequence[Run], info: SourceInfo) -> ImportReport:
    """Add or update the runs of one track file; call inside a transaction (the caller commits or rolls back).

    A run already stored from another file (another export of it: ``_stored_twin``) is not stored again: it
    counts as unchanged, with a warning naming the stored run, so load and history never count it twice.
    """
    batch = _batch(session, runner_name, info, RunRow, runs, [run_key(run) for run in runs], _run_values)
    twins: list[str] = []
    fresh = []
    for run, key in batch.new:
        twin = _stored_twin(session, batch.runner.id, run)
        if twin is None:
            fresh.append((run, key))
        else:
            twins.append(f"the {run.sport.value} of {as_utc(run.start):%Y-%m-%d %H:%M} UTC is already stored (id {twin.id}, "
                         f"{twin.source_format or 'another'} file): not stored twice")
    batch.new = fresh
    batch.unchanged += len(twins)
    rows = [_run_row(run, key, batch.runner.id, batch.source.id) for run, key in batch.new]
    session.add_all(rows)
    for run, _key, row in batch.changed:
        for name, value in _run_values(run).items():
            setattr(row, name, value)
        row.source_id = batch.source.id
        row.segments = _segment_rows(run)
    session.flush()
    warnings = tuple(w for run in runs for w in run.warnings) + tuple(twins)
    return _report(batch, info, "track", runner_name, warnings, tuple(row.id for row in rows))


def _lift_values(lift: LiftSet, key: str, runner_id: int, source_id: int) -> dict[str, object]:
    moment = lift.started_at
    aware = moment is not None and moment.tzinfo is not None
    return {
        "runner_id": runner_id,
        "source_id": source_id,
        "natural_key": key,
        "performed_on": lift.performed_on,
        "started_at_utc": moment if aware else None,
        "started_at_local": moment if (moment is not None and not aware) else None,
        "workout": lift.workout or "",
        "exercise": lift.exercise,
        "set_index": int(lift.set_index),
        "kind": lift.kind.value,
        "weight_kg": _finite_or_none(lift.weight_kg),
        "reps": lift.reps,
        "rpe": _finite_or_none(lift.rpe),
        "distance_m": _finite_or_none(lift.distance_m),
        "duration_s": _finite_or_none(lift.duration_s),
        "notes": lift.notes or "",
    }


def add_strength(session: Session, runner_name: str, log: StrengthLog, info: SourceInfo) -> ImportReport:
    """Add or update the sets of one strength export; call inside a transaction."""
    keys = [lift_key(lift) for lift in log.sets]
    batch = _batch(session, runner_name, info, LiftSetRow, log.sets, keys, _lift_values)
    rows = [_lift_values(lift, key, batch.runner.id, batch.source.id) for lift, key in batch.new]
    if rows:
        session.execute(insert(LiftSetRow), rows)
    changes = [
        {"id": row.id, **_lift_values(lift, key, batch.runner.id, batch.source.id)} for lift, key, row in batch.changed
    ]
    if changes:
        session.execute(update(LiftSetRow), changes)
    return _report(batch, info, "strength", runner_name, tuple(log.warnings))
