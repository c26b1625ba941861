"""The store's tables as typed SQLAlchemy 2 ORM classes.

One schema serves SQLite (the default, one file in the user's data dir) and
PostgreSQL, so only portable column types are used: datetimes are stored as
naive UTC through :class:`UTCDateTime` (SQLite has no time zones), track points
as one compressed blob per run (``LargeBinary`` is BLOB on SQLite and BYTEA on
PostgreSQL), and the de-duplication keys as plain strings, because a unique
index over nullable columns treats every NULL as different and would let a
bodyweight set (weight NULL) be imported twice.

The Alembic migrations in ``migrations/versions`` create exactly these tables;
``tests/store`` checks that the two never drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC on disk on every backend.

    A naive value coming in is rejected: the caller must decide what zone it is
    in (lift times without a zone are stored in a separate local-clock column).
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to a UTC column")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RunnerRow(Base):
    """A person whose logs are kept apart from everyone else's (``--runner NAME``)."""

    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # IANA zone of the runner's strength-app wall clock (``formcheck import --tz``); None = unknown.
    tz: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SourceRow(Base):
    """One imported file, known by its SHA-256 so that importing it again is a no-op."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("runner_id", "sha256", name="uq_sources_runner_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)


class RunRow(Base):
    """One recorded activity (run, walk, row, other); only sport 'run' counts as running load."""

    __tablename__ = "runs"
    __table_args__ = (UniqueConstraint("runner_id", "natural_key", name="uq_runs_runner_natural_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    natural_key: Mapped[str] = mapped_column(String(200))
    sport: Mapped[str] = mapped_column(String(16))
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    duration_s: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    gain_m: Mapped[float | None] = mapped_column(Float)
    loss_m: Mapped[float | None] = mapped_column(Float)
    avg_heart_rate_bpm: Mapped[float | None] = mapped_column(Float)
    max_heart_rate_bpm: Mapped[float | None] = mapped_column(Float)
    device: Mapped[str | None] = mapped_column(String(200))
    sub_sport: Mapped[str | None] = mapped_column(String(64))
    source_format: Mapped[str] = mapped_column(String(16), default="")
    warnings_json: Mapped[str] = mapped_column(Text, default="[]")
    point_count: Mapped[int] = mapped_column(Integer, default=0)
    points_blob: Mapped[bytes] = mapped_column(LargeBinary)

    segments: Mapped[list["SegmentRow"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="SegmentRow.seq"
    )


class SegmentRow(Base):
    """A part of a run with one sport (Google Fit writes walk/run mixes as many activities)."""

    __tablename__ = "run_segments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    sport: Mapped[str] = mapped_column(String(16))
    start_index: Mapped[int] = mapped_column(Integer)
    end_index: Mapped[int] = mapped_column(Integer)

    run: Mapped[RunRow] = relationship(back_populates="segments")


class LiftSetRow(Base):
    """One set from a strength export, weight in kg.

    ``started_at_utc`` holds a time that came with a zone; ``started_at_local``
    a wall-clock time without one (Strong, Hevy); both NULL when the export has
    only a date (FitNotes), which the context features report as whole days.
    """

    __tablename__ = "lift_sets"
    __table_args__ = (UniqueConstraint("runner_id", "natural_key", name="uq_lift_sets_runner_natural_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    natural_key: Mapped[str] = mapped_column(String(400))
    performed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    started_at_utc: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    started_at_local: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=False))
    workout: Mapped[str] = mapped_column(Text, default="")
    exercise: Mapped[str] = mapped_column(String(300))
    set_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    reps: Mapped[int | None] = mapped_column(Integer)
    rpe: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")


class VideoAnalysisRow(Base):
    """One analysed clip's ``summary.json``, so history and trends need no re-analysis.

    Keyed by the video's content hash and the analysis settings (``settings_key``:
    height, capture fps, start/end, model), so analysing the same file again with
    the same settings updates the row instead of adding one.
    """

    __tablename__ = "video_analyses"
    __table_args__ = (
        UniqueConstraint("runner_id", "video_sha256", "settings_key", name="uq_video_analyses_runner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    video_sha256: Mapped[str] = mapped_column(String(64))
    settings_key: Mapped[str] = mapped_column(String(200))
    video_name: Mapped[str] = mapped_column(Text)
    analysed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the day the clip shows, when known
    activity: Mapped[str] = mapped_column(String(16))
    view: Mapped[str] = mapped_column(String(16))
    cadence_spm: Mapped[float | None] = mapped_column(Float, nullable=True)
    trunk_lean_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    trunk_lean_drift_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    head_flexion_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    summary_json: Mapped[str] = mapped_column(Text)


class CheckRow(Base):
    """One ``formcheck check``: what went in and the ``findings.json`` that came out."""

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    symptom_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), nullable=True)
    out_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    top_cause: Mapped[str | None] = mapped_column(String(64), nullable=True)
    red_flags: Mapped[int] = mapped_column(Integer, default=0)
    findings_json: Mapped[str] = mapped_column(Text)


class CheckVideoRow(Base):
    """Which analysed clips a check used (a check may use several, an analysis many checks)."""

    __tablename__ = "check_videos"

    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("video_analyses.id", ondelete="CASCADE"), primary_key=True)


class JournalEntryRow(Base):
    """One run in the symptom journal: how bad the pump was (0 = none), whether it forced a walk."""

    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("runner_id", "date", name="uq_journal_entries_runner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    severity: Mapped[int] = mapped_column(Integer)
    walked: Mapped[bool] = mapped_column(Boolean, default=False)
    minute: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


JOB_STATUSES = ("queued", "running", "done", "failed")


class JobRow(Base):
    """One check asked for in the browser (the web app's queue): uploads, answers, progress, outcome.

    Kept in the store so a job survives a server restart and two servers sharing one PostgreSQL
    never run it twice: a worker claims it with one atomic ``UPDATE ... WHERE status = 'queued'``
    and holds it by renewing ``heartbeat_at`` (a lease); see :mod:`formcheck.web.jobs`.
    """

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
