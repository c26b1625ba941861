"""Where the store lives and how it is opened: URL resolution, engine, migrations.

The URL is, in order: an explicit ``--db`` value, the ``FORMCHECK_DB``
environment variable, else SQLite at ``platformdirs.user_data_dir("formcheck")
/formcheck.db``. Any SQLAlchemy URL works (``postgresql+psycopg://...``).

Opening always brings the schema to the newest Alembic revision shipped in
``formcheck/store/migrations`` with a ``Config`` built in code, so an old store
is upgraded in place and a user never sees an ``alembic.ini``.  Migrations are
all-or-nothing: every revision runs in ONE transaction, on SQLite too (its
driver would otherwise commit each ``CREATE TABLE`` on its own, so a failure
half-way left a store no command could open).  Before anything is changed, a
database that holds tables formcheck did not create is refused, and
:func:`require_store` lets read-only commands refuse a location where no store
exists instead of creating one.  Every failure (unreachable server, bad URL, a
store written by a newer formcheck) becomes one
:class:`~formcheck.errors.StoreError` sentence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from formcheck.errors import StoreError

ENV_VAR = "FORMCHECK_DB"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def default_db_url() -> str:
    """SQLite in the per-user data directory (created on first use)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('formcheck')) / 'formcheck.db'}"


def resolve_db_url(db: str | None = None) -> str:
    """``db`` if given, else ``$FORMCHECK_DB``, else the default SQLite file."""
    if db:
        return db
    env = os.environ.get(ENV_VAR, "").strip()
    return env or default_db_url()


def describe_url(url: str) -> str:
    """The URL without its password, safe for error messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


LOCK_WAIT_MS = 30_000
"""How long a SQLite connection waits for another writer's lock before "database is locked".

Why 30 s, not the driver's 5 s: the web server's job processes, its progress
reports and a CLI import may write to one file at once; on a loaded machine a
commit's fsync alone has taken seconds, and a check failing (or being queued
again) for a wait that would have ended is worse than a longer wait."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, locks waited for (:data:`LOCK_WAIT_MS`), and SQLAlchemy (not the driver) opens transactions, so DDL is transactional.

    Python's sqlite3 driver opens a transaction only before INSERT/UPDATE/DELETE
    and runs ``CREATE TABLE`` outside one; with ``isolation_level = None`` it
    stays out of the way and :func:`_sqlite_begin` emits the BEGIN (the recipe
    in SQLAlchemy's SQLite dialect documentation).
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
    cursor.close()
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _sqlite_file(parsed: URL) -> Path | None:
    """The file of a file-backed SQLite URL, None for memory/URI databases and other backends."""
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def new_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names if it does not exist yet (opening the store would create it), else None.

    None too for an unparsable URL: :meth:`Store.open` words that error.
    """
    try:
        file = _sqlite_file(make_url(url))
    except ArgumentError:
        return None
    return file if file is not None and not file.exists() else None


def check_creatable(file: Path) -> None:
    """Raise the StoreError that creating a SQLite store at ``file`` would raise -- creating nothing.

    Why: a command that may still fail on its inputs (``check`` with an unreadable
    clip) must not leave a new empty database, or its folders, behind; it checks
    here first and creates the store only when it has something to store.
    """
    folder = file.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise StoreError(f"cannot create the folder for the store {file}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"cannot create the store {file}: no permission to write in {folder}.")


def _not_a_url(url: str) -> StoreError:
    """The one sentence for a store location that SQLAlchemy cannot parse (about the ``db`` setting)."""
    return StoreError(f"{url!r} is not a database URL for the store; give one like sqlite:///path/formcheck.db.",
                      settings=("db",))


def require_store(url: str) -> None:
    """Raise StoreError unless a formcheck store exists at ``url``; creates and changes nothing.

    For read-only commands: a mistyped path must not leave folders or an empty
    database behind.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise _not_a_url(url) from error
    where = describe_url(url)
    file = _sqlite_file(parsed)
    if file is not None:
        if not file.is_file():
            raise StoreError(f"there is no training store at {file} (no such file); import files into it first.")
        if file.stat().st_size == 0:
            raise StoreError(f"there is no training store at {file} (the file is empty); import files into it first.")
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open the store {where}: {_first_line(error)}") from error
    finally:
        engine.dispose()
    if "alembic_version" not in names:
        if names:
            raise _foreign(where, names)
        raise StoreError(f"there is no training store at {where} (the database is empty); import files into it first.")


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite files the parent directory is created."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise _not_a_url(url) from error
    if parsed.get_backend_name() == "sqlite" and (parsed.database or ":memory:") == ":memory:":
        raise StoreError(f"{describe_url(url)} is an in-memory database, gone when the command ends: give a file "
                         "(sqlite:///path/formcheck.db) or a server's URL.", settings=("db",))  # fmt: skip
    file = _sqlite_file(parsed)
    if file is not None and not file.parent.is_dir():
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder for the store {file}: {error.strerror}.") from error
    try:
        engine = create_engine(parsed, future=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as error:
        raise StoreError(f"cannot use the store {describe_url(url)}: {error}") from error
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this formcheck ships."""
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a store is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_alembic_config(None)).walk_revisions()}


def _foreign(where: str, names: set[str]) -> StoreError:
    shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
    return StoreError(
        f"the database {where} holds tables formcheck did not create ({shown}); nothing was changed. "
        "Use a new file or an empty database for the training store."
    )


def _refuse_foreign_tables(connection: Any, where: str) -> None:
    """StoreError, before any change, when the database is not empty and not a formcheck store."""
    from alembic.runtime.migration import MigrationContext

    names = set(inspect(connection).get_table_names())
    if not names:
        return
    if "alembic_version" not in names:
        raise _foreign(where, names)
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is not None and revision not in _known_revisions() and not {"runners", "runs", "lift_sets"} <= names:
        raise _foreign(where, names - {"alembic_version"})


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision in one transaction (a no-op when it is already there).

    Refuses (StoreError, nothing changed) a database holding tables formcheck
    did not create.  A failure part-way rolls every revision of this upgrade back.
    """
    from alembic import command
    from alembic.util.exc import CommandError

    url = describe_url(engine.url.render_as_string(hide_password=False))
    try:
        if current_revision(engine) == head_revision():
            return
        with engine.begin() as connection:
            _refuse_foreign_tables(connection, url)
            command.upgrade(_alembic_config(connection), "head")
    except CommandError as error:
        raise StoreError(
            f"the store {url} has a schema this formcheck does not know ({error}); upgrade formcheck."
        ) from error
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open the store {url}: {_first_line(error)}; nothing was changed.") from error


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
