"""Keeping checks in the store: each analysed clip and each ``formcheck check`` with its findings.

Why a module of its own (beside :class:`~formcheck.store.api.Store`): the
check is the only writer of these tables, and keeping its SQL here lets the
store facade stay small.  Everything a check stores goes in **one**
transaction (the clips' analyses, the check, the links between them), so a
failure leaves no half-recorded check; a clip analysed again with the same
settings updates its row (keyed by runner, video SHA-256 and settings) instead
of adding one, so history counts clips, not re-runs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from formcheck.errors import StoreError
from formcheck.store.api import Store
from formcheck.store.importing import get_or_create_runner
from formcheck.store.models import CheckRow, CheckVideoRow, RunnerRow, VideoAnalysisRow

T = TypeVar("T")
_UTC = dt.timezone.utc


@dataclass(frozen=True)
class VideoAnalysisRecord:
    """One clip's analysis as the store keeps it (the whole ``summary.json`` plus a few columns to query)."""

    video_sha256: str
    settings_key: str
    video_name: str
    summary: Mapping[str, Any]
    recorded_on: dt.date | None = None

    def metric_value(self, name: str) -> float | None:
        metric = (self.summary.get("metrics") or {}).get(name) or {}
        value = metric.get("value")
        return None if value is None else float(value)


@dataclass(frozen=True)
class StoredCheck:
    """A check read back: enough for history, the journal and tests."""

    id: int
    created_at: dt.datetime
    symptom_date: dt.date | None
    run_id: int | None
    out_dir: str | None
    top_cause: str | None
    red_flags: int
    findings: dict[str, Any]
    analysis_ids: tuple[int, ...]


RETRIES = 8
"""Tries for one check's transaction when a concurrent writer got there first (see ``_transaction``)."""


def _transaction(store: Store, action: Callable[[Session], T], verb: str) -> T:
    """Run ``action`` in one transaction, retried when a concurrent writer got in the way.

    The web app runs several checks at once and two may store the same clip
    (or create the same runner): both look the row up, see nothing and insert,
    and one hits the unique constraint. Retrying the whole transaction then
    finds the other's row and updates it, so neither check fails and no row is
    doubled. SQLite's single writer lock ("database is locked") is retried the
    same way, after a short random back-off.
    """
    sessions = sessionmaker(store.engine, expire_on_commit=False)
    for attempt in range(RETRIES):
        try:
            with sessions.begin() as session:
                return action(session)
        except (IntegrityError, OperationalError) as error:
            locked = isinstance(error, OperationalError) and "locked" in str(error).lower()
            raced = isinstance(error, IntegrityError) and attempt < 2  # a real constraint bug fails on the 3rd try
            if not (locked or raced) or attempt == RETRIES - 1:
                raise _store_error(store, error, verb) from error
            time.sleep(0.02 * (2**attempt) * (0.5 + random.random()))
        except SQLAlchemyError as error:
            raise _store_error(store, error, verb) from error
    raise AssertionError("unreachable")


def _store_error(store: Store, error: SQLAlchemyError, verb: str) -> StoreError:
    first = str(getattr(error, "orig", None) or error).strip().splitlines()
    detail = first[0] if first else type(error).__name__
    return StoreError(f"could not {verb} the store {store.url}: {detail}; nothing was saved.")


def _upsert_analysis(session: Session, runner_id: int, record: VideoAnalysisRecord, now: dt.datetime) -> int:
    row = session.scalars(
        select(VideoAnalysisRow).where(
            VideoAnalysisRow.runner_id == runner_id,
            VideoAnalysisRow.video_sha256 == record.video_sha256,
            VideoAnalysisRow.settings_key == record.settings_key,
        )
    ).one_or_none()
    if row is None:
        row = VideoAnalysisRow(runner_id=runner_id, video_sha256=record.video_sha256, settings_key=record.settings_key)
        session.add(row)
    row.video_name = record.video_name
    row.analysed_at = now
    row.recorded_on = record.recorded_on if record.recorded_on is not None else row.recorded_on
    row.activity = str(record.summary.get("activity") or "unknown")
    row.view = str(record.summary.get("view") or "unknown")
    row.cadence_spm = record.metric_value("cadence_spm")
    row.trunk_lean_deg = record.metric_value("trunk_lean_deg")
    row.trunk_lean_drift_deg = record.metric_value("trunk_lean_drift_deg")
    row.head_flexion_deg = record.metric_value("head_flexion_deg")
    row.summary_json = json.dumps(record.summary, allow_nan=False, default=_plain)
    session.flush()
    return row.id


def _plain(value: object) -> object:
    """NumPy scalars can reach a summary; JSON wants plain numbers."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def save_check(
    store: Store,
    runner: str,
    *,
    analyses: Sequence[VideoAnalysisRecord],
    findings: Mapping[str, Any],
    symptom_date: dt.date | None,
    run_id: int | None,
    out_dir: str | None,
    top_cause: str | None,
    red_flags: int,
) -> tuple[int, tuple[int, ...]]:
    """Store the clips' analyses (upserted) and the check linking them, in one transaction.

    Returns the check's id and the analyses' ids (in the order given).
    """

    def write(session: Session) -> tuple[int, tuple[int, ...]]:
        now = dt.datetime.now(_UTC)
        runner_row = get_or_create_runner(session, runner)
        ids = tuple(_upsert_analysis(session, runner_row.id, record, now) for record in analyses)
        check = CheckRow(
            runner_id=runner_row.id,
            created_at=now,
            symptom_date=symptom_date,
            run_id=run_id,
            out_dir=out_dir,
            top_cause=top_cause,
            red_flags=red_flags,
            findings_json=json.dumps(findings, allow_nan=False, default=_plain),
        )
        session.add(check)
        session.flush()
        for analysis_id in dict.fromkeys(ids):  # the same clip given twice is one link
            session.add(CheckVideoRow(check_id=check.id, analysis_id=analysis_id))
        return check.id, ids

    return _transaction(store, write, "write to")


def _runner_id(session: Session, runner: str) -> int | None:
    return session.scalars(select(RunnerRow.id).where(RunnerRow.name == runner)).one_or_none()


def checks(store: Store, runner: str) -> list[StoredCheck]:
    """The runner's checks, oldest first (an unknown runner has none)."""

    def read(session: Session) -> list[StoredCheck]:
        rid = _runner_id(session, runner)
        if rid is None:
            return []
        rows = session.scalars(select(CheckRow).where(CheckRow.runner_id == rid).order_by(CheckRow.created_at, CheckRow.id))
        out = []
        for row in rows:
            links = session.scalars(select(CheckVideoRow.analysis_id).where(CheckVideoRow.check_id == row.id))
            out.append(StoredCheck(row.id, row.created_at, row.symptom_date, row.run_id, row.out_dir, row.top_cause,
                                   row.red_flags, json.loads(row.findings_json), tuple(sorted(links))))  # fmt: skip
        return out

    return _transaction(store, read, "read")


def video_analyses(store: Store, runner: str) -> list[tuple[int, str, str, dict[str, Any]]]:
    """The runner's stored clip analyses as ``(id, video_name, settings_key, summary)``, oldest first."""

    def read(session: Session) -> list[tuple[int, str, str, dict[str, Any]]]:
        rid = _runner_id(session, runner)
        if rid is None:
            return []
        rows = session.scalars(
            select(VideoAnalysisRow).where(VideoAnalysisRow.runner_id == rid).order_by(VideoAnalysisRow.id)
        )
        return [(row.id, row.video_name, row.settings_key, json.loads(row.summary_json)) for row in rows]

    return _transaction(store, read, "read")
