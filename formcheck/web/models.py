"""The ``jobs`` table: the web app's queue, kept in the same database as everything else.

Why in the database and not in memory: a job must survive a server restart
(re-run from its stored uploads) and must never run twice at once, also when
two servers share one PostgreSQL store.  A worker claims a job with one atomic
``UPDATE ... WHERE status = 'queued'`` and holds it by renewing ``heartbeat_at``
(a lease); a running job whose lease has expired was interrupted and is queued
again.  The class uses the store's ``Base`` so that there is one metadata and
the migration ``0005_jobs`` creates exactly this table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from formcheck.store.models import Base, UTCDateTime

STATUSES = ("queued", "running", "done", "failed")


class JobRow(Base):
    """One check asked for in the browser: its uploads, answers, progress and outcome."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex: not guessable, not a counter
    runner: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str | None] = mapped_column(String(32), nullable=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the worker holding the lease
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    inputs_json: Mapped[str] = mapped_column(Text)  # stored uploads: kind, server name, shown name, format
    options_json: Mapped[str] = mapped_column(Text)  # answers and the other form options
    check_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # row in ``checks`` once done
