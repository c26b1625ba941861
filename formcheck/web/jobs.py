"""The job queue: create, claim, report progress, finish, re-queue and delete jobs in the ``jobs`` table.

Every state change is one short transaction, so a worker, the API and a second
server can share the table without holding locks across a whole analysis.  A
worker owns a job by a lease: :meth:`JobQueue.claim` moves one queued job to
``running`` with a single ``UPDATE ... WHERE id = :id AND status = 'queued'``
(only one claimer can win it), and every later write of that worker names its
``owner`` too, so a worker that lost its lease (the job was deleted, or judged
interrupted and handed on) finds out at its next progress write instead of
overwriting someone else's state.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from formcheck.store import Store
from formcheck.web.models import JobRow

T = TypeVar("T")
_UTC = dt.timezone.utc


def now() -> dt.datetime:
    return dt.datetime.now(_UTC)


def new_job_id() -> str:
    """128 random bits as hex: job URLs cannot be guessed or enumerated."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Job:
    """A job as the API shows it (plain values, detached from any session)."""

    id: str
    runner: str
    status: str
    stage: str | None
    progress: float
    detail: str | None
    error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    inputs: list[dict[str, Any]]
    options: dict[str, Any]
    check_id: int | None

    @classmethod
    def of(cls, row: JobRow) -> "Job":
        return cls(row.id, row.runner, row.status, row.stage, float(row.progress or 0.0), row.detail, row.error,
                   row.created_at, row.started_at, row.finished_at, row.attempts, json.loads(row.inputs_json),
                   json.loads(row.options_json), row.check_id)  # fmt: skip

    def status_doc(self) -> dict[str, Any]:
        """The body of ``GET /api/checks/{id}``."""
        return {"id": self.id, "status": self.status, "stage": self.stage, "progress": round(self.progress, 4),
                "detail": self.detail, "error": self.error, "attempts": self.attempts,
                "created_at": self.created_at.isoformat(),
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "finished_at": self.finished_at.isoformat() if self.finished_at else None}  # fmt: skip


class JobQueue:
    """The ``jobs`` table of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sessions = sessionmaker(store.engine, expire_on_commit=False)

    def _tx(self, action: Callable[[Session], T]) -> T:
        """Run ``action`` in one transaction, retried a few times when SQLite reports a lock conflict.

        SQLite answers "database is locked" at once, without waiting, when two
        connections that both read want to write (each would wait for the other):
        two workers claiming at the same moment.  The transaction rolled back, so
        trying again shortly is safe.
        """
        for attempt in range(10):
            try:
                with self._sessions.begin() as session:
                    return action(session)
            except OperationalError as error:
                if "locked" not in str(error.orig) or attempt == 9:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def create(self, job_id: str, runner: str, inputs: list[dict[str, Any]], options: dict[str, Any]) -> Job:
        row = JobRow(id=job_id, runner=runner, status="queued", progress=0.0, created_at=now(), attempts=0,
                     inputs_json=json.dumps(inputs), options_json=json.dumps(options))  # fmt: skip

        def write(session: Session) -> Job:
            session.add(row)
            session.flush()
            return Job.of(row)

        return self._tx(write)

    def get(self, job_id: str) -> Job | None:
        def read(session: Session) -> Job | None:
            row = session.get(JobRow, job_id)
            return Job.of(row) if row is not None else None

        return self._tx(read)

    def list(self, runner: str | None = None, limit: int = 200) -> list[Job]:
        """Newest first."""

        def read(session: Session) -> list[Job]:
            query = select(JobRow).order_by(JobRow.created_at.desc()).limit(limit)
            if runner is not None:
                query = query.where(JobRow.runner == runner)
            return [Job.of(row) for row in session.scalars(query)]

        return self._tx(read)

    def claim(self, owner: str) -> Job | None:
        """Move the oldest queued job to running for ``owner``; None when there is none (or another won it).

        A queued job always has fewer than the maximum attempts: :meth:`requeue_stale`
        fails a job instead of queueing it again once it has had them all.
        """

        def write(session: Session) -> Job | None:
            candidates = session.scalars(
                select(JobRow.id).where(JobRow.status == "queued").order_by(JobRow.created_at).limit(5)
            ).all()
            for job_id in candidates:
                won = session.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.status == "queued")
                    .values(status="running", owner=owner, started_at=now(), heartbeat_at=now(),
                            attempts=JobRow.attempts + 1, error=None)  # fmt: skip
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won == 1:
                    row = session.get(JobRow, job_id)
                    assert row is not None
                    session.refresh(row)
                    return Job.of(row)
            return None

        return self._tx(write)

    def _owned(self, job_id: str, holder: str, **values: Any) -> bool:
        """Write ``values`` if ``holder`` still holds the job; False when the lease is lost (deleted, handed on)."""

        def write(session: Session) -> bool:
            result = session.execute(
                update(JobRow).where(JobRow.id == job_id, JobRow.owner == holder, JobRow.status == "running")
                .values(heartbeat_at=now(), **values).execution_options(synchronize_session=False)
            )  # fmt: skip
            return result.rowcount == 1

        return self._tx(write)

    def heartbeat(self, job_id: str, owner: str) -> bool:
        return self._owned(job_id, owner)

    def report(self, job_id: str, owner: str, stage: str, progress: float, detail: str | None) -> bool:
        return self._owned(job_id, owner, stage=stage, progress=progress, detail=detail)

    def finish(self, job_id: str, owner: str, check_id: int | None) -> bool:
        return self._owned(job_id, owner, status="done", stage="done", progress=1.0, detail=None,
                           finished_at=now(), check_id=check_id, owner=None)  # fmt: skip

    def fail(self, job_id: str, owner: str, message: str) -> bool:
        return self._owned(job_id, owner, status="failed", error=message, detail=None, finished_at=now(), owner=None)

    def release(self, job_id: str, owner: str, *, count: bool = False) -> bool:
        """Give a job back to the queue (the server is stopping): it runs again from its uploads.

        ``count``: the attempt counts toward ``max_attempts`` (a transient failure, not a stop).
        """
        attempts = JobRow.attempts if count else JobRow.attempts - 1
        return self._owned(job_id, owner, status="queued", stage=None, progress=0.0, detail="interrupted; queued again",
                           owner=None, started_at=None, attempts=attempts)  # fmt: skip

    def requeue_stale(self, lease_s: float, max_attempts: int) -> int:
        """Queue again the running jobs whose worker stopped renewing its lease (the server died).

        A job interrupted ``max_attempts`` times is failed instead: something in
        it (a clip that exhausts memory, say) keeps killing the server.
        """
        cutoff = now() - dt.timedelta(seconds=lease_s)

        def write(session: Session) -> int:
            stale = (JobRow.status == "running") & ((JobRow.heartbeat_at < cutoff) | (JobRow.heartbeat_at.is_(None)))
            failed = session.execute(
                update(JobRow).where(stale, JobRow.attempts >= max_attempts)
                .values(status="failed", owner=None, finished_at=now(),
                        error=f"the server stopped {max_attempts} times while running this check; it was not tried again.")
                .execution_options(synchronize_session=False)
            ).rowcount  # fmt: skip
            queued = session.execute(
                update(JobRow).where(stale)
                .values(status="queued", owner=None, stage=None, progress=0.0, detail="interrupted; queued again")
                .execution_options(synchronize_session=False)
            ).rowcount  # fmt: skip
            return int(failed or 0) + int(queued or 0)

        return self._tx(write)

    def delete(self, job_id: str) -> Job | None:
        """Remove the row; returns what it was (None for an unknown id)."""

        def write(session: Session) -> Job | None:
            row = session.get(JobRow, job_id)
            if row is None:
                return None
            job = Job.of(row)
            session.execute(delete(JobRow).where(JobRow.id == job_id))
            return job

        return self._tx(write)

    def counts(self) -> dict[str, int]:
        def read(session: Session) -> dict[str, int]:
            out = {status: 0 for status in ("queued", "running", "done", "failed")}
            for status, count in session.execute(select(JobRow.status, func.count()).group_by(JobRow.status)):
                out[status] = int(count)
            return out

        return self._tx(read)
