"""The :class:`Store` facade: open (and migrate) a database, import records, read them back.

Each import method is one transaction: a file's records are all written or,
on any error, none are. Database errors become :class:`StoreError`; errors
that are bugs (a record that is not what the type says) still propagate, after
the rollback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from formcheck.errors import StoreError
from formcheck.logs.records import LiftSet, Run, StrengthLog
from formcheck.store import importing, queries
from formcheck.store.engine import (check_creatable, create_store_engine, describe_url, migrate, new_sqlite_file,
                                    resolve_db_url)
from formcheck.store.importing import ImportReport, SourceInfo
from formcheck.store.models import LiftSetRow, RunnerRow, RunRow, SourceRow
from formcheck.store.queries import StoredRun

T = TypeVar("T")

DEFAULT_RUNNER = "default"


class Store:
    """A training store at one SQLAlchemy URL; use :meth:`open` (or ``with Store.open(...)``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db: str | None = None) -> "Store":
        """Open the store at ``db`` / ``$FORMCHECK_DB`` / the default SQLite file, migrating it."""
        url = resolve_db_url(db)
        engine = create_store_engine(url)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def url(self) -> str:
        return describe_url(self.engine.url.render_as_string(hide_password=False))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def _write(self, action: Callable[[Session], T]) -> T:
        try:
            with self._sessions.begin() as session:
                return action(session)
        except SQLAlchemyError as error:
            raise StoreError(f"could not write to the store {self.url}: {_first_line(error)}; nothing was saved.") from error

    def import_runs(self, runs: Sequence[Run], source: SourceInfo, runner: str = DEFAULT_RUNNER) -> ImportReport:
        """Store the runs of one track file in one transaction: new ones added, known ones updated if they differ."""
        return self._write(lambda s: importing.add_runs(s, runner, runs, source))

    def import_strength(self, log: StrengthLog, source: SourceInfo, runner: str = DEFAULT_RUNNER) -> ImportReport:
        """Store the sets of one strength export in one transaction: a set already stored (same workout start,
        exercise and set order) is updated when its values differ, never added twice."""
        return self._write(lambda s: importing.add_strength(s, runner, log, source))

    def set_runner_tz(self, runner: str, tz: str) -> None:
        """Record the IANA zone of ``runner``'s strength-app wall clock (creating the runner if new)."""

        def write(session: Session) -> None:
            importing.get_or_create_runner(session, runner).tz = tz

        self._write(write)

    # -- reading ---------------------------------------------------------------------------

    def _read(self, action: Callable[[Session], T]) -> T:
        try:
            with self._sessions() as session:
                return action(session)
        except SQLAlchemyError as error:
            raise StoreError(f"could not read the store {self.url}: {_first_line(error)}") from error

    def runners(self) -> list[str]:
        return self._read(queries.runner_names)

    def runner_tz(self, runner: str = DEFAULT_RUNNER) -> str | None:
        """The zone set with ``import --tz`` for ``runner``, None when never given."""
        return self._read(lambda s: queries.runner_tz(s, runner))

    def runs(
        self,
        runner: str = DEFAULT_RUNNER,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        with_points: bool = True,
    ) -> list[StoredRun]:
        return self._read(lambda s: queries.runs(s, runner, since=since, until=until, with_points=with_points))

    def run(self, run_id: int, runner: str = DEFAULT_RUNNER) -> StoredRun:
        return self._read(lambda s: queries.run_by_id(s, runner, run_id))

    def lift_sets(
        self, runner: str = DEFAULT_RUNNER, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[LiftSet]:
        return self._read(lambda s: queries.lift_sets(s, runner, since=since, until=until))

    def counts(self) -> dict[str, int]:
        """Rows per table (runners, sources, runs, lift_sets): what tests compare before and after."""

        def count(session: Session) -> dict[str, int]:
            return {
                name: int(session.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in (
                    ("runners", RunnerRow),
                    ("sources", SourceRow),
                    ("runs", RunRow),
                    ("lift_sets", LiftSetRow),
                )
            }

        return self._read(count)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@contextmanager
def store_when_needed(db: str | None = None) -> Iterator[Callable[[], Store]]:
    """A getter of the store at ``db`` that creates a new SQLite store only when first called.

    Why: ``check`` opens its store before minutes of pose work, so an unreachable
    database fails first -- but a check that then fails on its inputs (the only
    clip unreadable) must leave no new empty database behind. An existing store
    or a server database is opened (and migrated) at once; a SQLite file that
    does not exist yet is only checked for being creatable, and created by the
    first call. Nothing is ever deleted, so a second command creating the same
    file at the same moment loses nothing.
    """
    opened: list[Store] = []
    url = resolve_db_url(db)
    new_file = new_sqlite_file(url)
    if new_file is None:
        opened.append(Store.open(url))
    else:
        check_creatable(new_file)

    def get() -> Store:
        if not opened:
            opened.append(Store.open(url))
        return opened[0]

    try:
        yield get
    finally:
        for store in opened:
            store.close()
