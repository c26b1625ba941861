"""Writing parsed records into the store: one transaction per file, idempotent by content.

Idempotency has two layers.  A file whose SHA-256 the runner already imported
is recognised as such; and every record carries a *natural key*
(:func:`formcheck.store.codec.run_key`, :func:`~formcheck.store.codec.lift_key`),
unique per runner in the database, so two overlapping exports (January–June
and March–September from the same app) merge: the overlap is counted as
duplicates and only the new records are added.

The caller hands over a whole file's records and this module writes them in a
single transaction: if anything fails, nothing of that file is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from formcheck.logs.records import LiftSet, Run, StrengthLog
from formcheck.store.codec import encode_points, lift_key, run_key
from formcheck.store.models import LiftSetRow, RunnerRow, RunRow, SegmentRow, SourceRow

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

    ``added`` and ``duplicates`` count runs for a track and sets for a strength
    export; ``added_run_ids`` lets the CLI point at what is new;
    ``already_imported`` is True when this exact file (same bytes) was imported before.
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


def get_or_create_runner(session: Session, name: str) -> RunnerRow:
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


def _existing_keys(
    session: Session, model: type[RunRow] | type[LiftSetRow], runner_id: int, keys: Sequence[str]
) -> set[str]:
    """Which of ``keys`` this runner already has (queried in chunks to bound the IN list)."""
    found: set[str] = set()
    unique = sorted(set(keys))
    for start in range(0, len(unique), _KEY_CHUNK):
        chunk = unique[start : start + _KEY_CHUNK]
        found.update(
            session.scalars(
                select(model.natural_key).where(model.runner_id == runner_id, model.natural_key.in_(chunk))
            )
        )
    return found


def _finite_or_none(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _heart_rate_summary(run: Run) -> tuple[float | None, float | None]:
    """Mean and max HR: the file's average if it has one, else from the points (Fenix 2 sessions lack it)."""
    rates = [p.heart_rate_bpm for p in run.points if p.heart_rate_bpm is not None and p.heart_rate_bpm > 0]
    peak = max(rates) if rates else None
    mean = run.avg_heart_rate_bpm if run.avg_heart_rate_bpm is not None else (sum(rates) / len(rates) if rates else None)
    return _finite_or_none(mean), _finite_or_none(peak)


def _run_row(run: Run, key: str, runner_id: int, source_id: int) -> RunRow:
    mean_hr, max_hr = _heart_rate_summary(run)
    row = RunRow(
        runner_id=runner_id,
        source_id=source_id,
        natural_key=key,
        sport=run.sport.value,
        start=run.start if run.start.tzinfo else run.start.replace(tzinfo=_UTC),
        duration_s=float(run.duration_s),
        distance_m=_finite_or_none(run.distance_m),
        gain_m=_finite_or_none(run.gain_m),
        loss_m=_finite_or_none(run.loss_m),
        avg_heart_rate_bpm=mean_hr,
        max_heart_rate_bpm=max_hr,
        device=run.device,
        sub_sport=run.sub_sport,
        source_format=run.source_format,
        warnings_json=json.dumps(list(run.warnings)),
        point_count=len(run.points),
        points_blob=encode_points(run.points),
    )
    row.segments = [
        SegmentRow(seq=i, sport=seg.sport.value, start_index=seg.start_index, end_index=seg.end_index)
        for i, seg in enumerate(run.segments)
    ]
    return row


def add_runs(session: Session, runner_name: str, runs: Sequence[Run], info: SourceInfo) -> ImportReport:
    """Add the runs of one track file; call inside a transaction (the caller commits or rolls back)."""
    runner = get_or_create_runner(session, runner_name)
    source, seen = _source(session, runner, info)
    keys = [run_key(run) for run in runs]
    existing = _existing_keys(session, RunRow, runner.id, keys)
    added_rows: list[RunRow] = []
    duplicates = 0
    for run, key in zip(runs, keys):
        if key in existing:
            duplicates += 1
            continue
        existing.add(key)
        row = _run_row(run, key, runner.id, source.id)
        session.add(row)
        added_rows.append(row)
    session.flush()
    _count(source, seen, len(added_rows), duplicates)
    warnings = tuple(w for run in runs for w in run.warnings)
    return ImportReport(
        path=info.path,
        kind="track",
        format=info.format,
        runner=runner_name,
        added=len(added_rows),
        duplicates=duplicates,
        warnings=warnings,
        already_imported=seen,
        added_run_ids=tuple(row.id for row in added_rows),
    )


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
    """Add the sets of one strength export; call inside a transaction."""
    runner = get_or_create_runner(session, runner_name)
    source, seen = _source(session, runner, info)
    keys = [lift_key(lift) for lift in log.sets]
    existing = _existing_keys(session, LiftSetRow, runner.id, keys)
    rows: list[dict[str, object]] = []
    duplicates = 0
    for lift, key in zip(log.sets, keys):
        if key in existing:
            duplicates += 1
            continue
        existing.add(key)
        rows.append(_lift_values(lift, key, runner.id, source.id))
    if rows:
        session.execute(insert(LiftSetRow), rows)
    _count(source, seen, len(rows), duplicates)
    return ImportReport(
        path=info.path,
        kind="strength",
        format=info.format,
        runner=runner_name,
        added=len(rows),
        duplicates=duplicates,
        warnings=tuple(log.warnings),
        already_imported=seen,
    )


def _count(source: SourceRow, seen: bool, added: int, duplicates: int) -> None:
    if not seen:
        source.added = added
        source.duplicates = duplicates
