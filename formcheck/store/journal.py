"""The symptom journal in the store: one entry per runner and day, how bad the pump was.

Kept apart from :mod:`formcheck.store.api` (the ``Store`` facade is shared by
several features) and written against its ``_write``/``_read`` session helpers,
so an entry is one transaction and database errors become one ``StoreError``
line.  Each entry is checked here, on its way in (STYLE habit 11), in domain
words: the CLI and the web app both add entries, and the co-occurrence figures
the findings draw from the journal trust what they read.

A day has at most one entry (the table's unique key): adding one for a day
that already has one replaces it, and the caller learns which happened.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from formcheck.dates import date_problem
from formcheck.errors import NotFoundError, UsageError
from formcheck.findings.model import JournalEntry
from formcheck.store.api import DEFAULT_RUNNER, Store
from formcheck.store.engine import resolve_db_url
from formcheck.store.importing import get_or_create_runner
from formcheck.store.models import JournalEntryRow, RunnerRow

__all__ = ["MAX_MINUTE", "MAX_NOTE_CHARS", "add_entry", "check_entry", "entries", "open_existing"]

MAX_MINUTE = 600.0  # 10 h: longer than any run the journal is for
MAX_NOTE_CHARS = 2000


def check_entry(entry: JournalEntry, today: dt.date | None = None) -> None:
    """Raise a one-line :class:`UsageError` for an entry that cannot be right."""
    today = today or dt.date.today()
    if isinstance(entry.severity, bool) or not isinstance(entry.severity, int) or not 0 <= entry.severity <= 10:
        raise UsageError(f"severity must be a whole number from 0 (no pump) to 10 (worst), got {entry.severity!r}")
    if entry.date > today:
        raise UsageError(f"the date {entry.date} is in the future; journal a run after it happened")
    if problem := date_problem(entry.date, today):
        raise UsageError(f"the date {entry.date} {problem}; give the day of the run")
    if entry.minute is not None and not 0 <= entry.minute <= MAX_MINUTE:  # also refuses NaN
        raise UsageError(f"the minute the pump started must be between 0 and {MAX_MINUTE:g}, got {entry.minute:g}")
    if len(entry.note) > MAX_NOTE_CHARS:
        raise UsageError(f"the note is {len(entry.note)} characters long; keep it to {MAX_NOTE_CHARS}")


def _to_entry(row: JournalEntryRow) -> JournalEntry:
    return JournalEntry(date=row.date, severity=row.severity, walked=row.walked, minute=row.minute, note=row.note)


def add_entry(store: Store, runner: str, entry: JournalEntry) -> tuple[int, bool]:
    """Store ``entry`` for ``runner`` (created if new); ``(id, created)`` -- False when it replaced that day's entry."""
    check_entry(entry)

    def write(session: Session) -> tuple[int, bool]:
        owner = get_or_create_runner(session, runner)
        row = session.scalars(
            select(JournalEntryRow).where(JournalEntryRow.runner_id == owner.id, JournalEntryRow.date == entry.date)
        ).one_or_none()
        created = row is None
        if row is None:
            row = JournalEntryRow(runner_id=owner.id, date=entry.date, created_at=dt.datetime.now(dt.timezone.utc))
            session.add(row)
        row.severity, row.walked, row.minute, row.note = entry.severity, entry.walked, entry.minute, entry.note
        session.flush()
        return row.id, created

    return store._write(write)


def entry_on(store: Store, runner: str, day: dt.date) -> JournalEntry | None:
    """The entry of ``runner`` for ``day``, if any (to say what an update replaces)."""

    def read(session: Session) -> JournalEntry | None:
        row = session.scalars(
            select(JournalEntryRow).join(RunnerRow).where(RunnerRow.name == runner, JournalEntryRow.date == day)
        ).one_or_none()
        return None if row is None else _to_entry(row)

    return store._read(read)


def entries(store: Store, runner: str = DEFAULT_RUNNER) -> list[JournalEntry]:
    """All of ``runner``'s entries, oldest first (none for a runner the store does not know)."""

    def read(session: Session) -> list[JournalEntry]:
        rows = session.scalars(
            select(JournalEntryRow).join(RunnerRow).where(RunnerRow.name == runner).order_by(JournalEntryRow.date)
        )
        return [_to_entry(row) for row in rows]

    return store._read(read)


def sqlite_file(db: str | None) -> Path | None:
    """The file of a SQLite store URL (after ``$FORMCHECK_DB`` and the default), None for other databases."""
    try:
        url = make_url(resolve_db_url(db))
    except ArgumentError:
        return None  # Store.open words the bad URL
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def open_existing(db: str | None) -> Store:
    """Open a store only if it exists: reading must not leave an empty database (and folders) behind."""
    path = sqlite_file(db)
    if path is not None and not path.is_file():
        raise NotFoundError(f"no store at {path}; nothing has been journaled or imported there yet")
    return Store.open(db)
