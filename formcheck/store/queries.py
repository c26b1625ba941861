"""Reading records back out of the store as the same typed records the readers return.

Features (``formcheck.context``) only see :class:`~formcheck.logs.records.Run`
and :class:`~formcheck.logs.records.LiftSet`, never ORM rows, so they can be
tested on constructed records and cannot touch the database by accident.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer, selectinload

from formcheck.errors import NotFoundError
from formcheck.logs.records import LiftSet, Run, Segment, SetKind, Sport
from formcheck.store.codec import decode_points
from formcheck.store.models import LiftSetRow, RunnerRow, RunRow



@dataclass(frozen=True)
class StoredRun:
    """A run as kept in the store: its id, the record, and the HR summary taken at import.

    ``run.points`` is empty when the run was loaded with ``with_points=False``
    (history for load features needs only the summary), which ``has_points`` says.
    """

    id: int
    run: Run
    max_heart_rate_bpm: float | None
    point_count: int
    has_points: bool


def runner_id(session: Session, name: str) -> int:
    """The id of runner ``name``, or a NotFoundError that says how runners come to exist."""
    found = session.scalars(select(RunnerRow.id).where(RunnerRow.name == name)).one_or_none()
    if found is None:
        known = sorted(session.scalars(select(RunnerRow.name)))
        hint = f" (the store has: {', '.join(known)})" if known else " (the store is empty)"
        raise NotFoundError(f"no runner named {name!r}{hint}; import their files under that name first.",
                            settings=("runner",))
    return found


def runner_tz(session: Session, name: str) -> str | None:
    """The IANA zone stored for runner ``name`` (given when their files were imported), or None."""
    return session.scalars(select(RunnerRow.tz).where(RunnerRow.id == runner_id(session, name))).one()


def runner_names(session: Session) -> list[str]:
    return sorted(session.scalars(select(RunnerRow.name)))


def _to_stored(row: RunRow, with_points: bool) -> StoredRun:
    points = decode_points(row.points_blob) if with_points else ()
    run = Run(
        sport=Sport(row.sport),
        start=row.start,
        duration_s=row.duration_s,
        distance_m=row.distance_m,
        points=points,
        segments=tuple(Segment(Sport(s.sport), s.start_index, s.end_index) for s in row.segments),
        source_format=row.source_format,
        device=row.device,
        sub_sport=row.sub_sport,
        gain_m=row.gain_m,
        loss_m=row.loss_m,
        avg_heart_rate_bpm=row.avg_heart_rate_bpm,
        warnings=tuple(json.loads(row.warnings_json or "[]")),
    )
    return StoredRun(row.id, run, row.max_heart_rate_bpm, row.point_count, with_points)


def _runs_query(rid: int) -> Select[tuple[RunRow]]:
    return select(RunRow).where(RunRow.runner_id == rid).options(selectinload(RunRow.segments))


def runs(
    session: Session,
    runner: str,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    with_points: bool = True,
) -> list[StoredRun]:
    """The runner's activities (every sport) in start order, optionally within [since, until)."""
    query = _runs_query(runner_id(session, runner))
    if since is not None:
        query = query.where(RunRow.start >= since)
    if until is not None:
        query = query.where(RunRow.start < until)
    if not with_points:
        query = query.options(defer(RunRow.points_blob))
    return [_to_stored(row, with_points) for row in session.scalars(query.order_by(RunRow.start, RunRow.id))]


def run_by_id(session: Session, runner: str, run_id: int) -> StoredRun:
    row = session.scalars(_runs_query(runner_id(session, runner)).where(RunRow.id == run_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"runner {runner!r} has no run with id {run_id}; `formcheck runs` lists them.")
    return _to_stored(row, True)


def lift_sets(
    session: Session, runner: str, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[LiftSet]:
    """The runner's sets with ``since <= performed_on <= until``, in date and set order."""
    query = select(LiftSetRow).where(LiftSetRow.runner_id == runner_id(session, runner))
    if since is not None:
        query = query.where(LiftSetRow.performed_on >= since)
    if until is not None:
        query = query.where(LiftSetRow.performed_on <= until)
    query = query.order_by(LiftSetRow.performed_on, LiftSetRow.id)
    return [_to_lift(row) for row in session.scalars(query)]


def _to_lift(row: LiftSetRow) -> LiftSet:
    return LiftSet(
        performed_on=row.performed_on,
        started_at=row.started_at_utc if row.started_at_utc is not None else row.started_at_local,
        workout=row.workout,
        exercise=row.exercise,
        set_index=row.set_index,
        kind=SetKind(row.kind),
        weight_kg=row.weight_kg,
        reps=row.reps,
        rpe=row.rpe,
        distance_m=row.distance_m,
        duration_s=row.duration_s,
        notes=row.notes,
    )
