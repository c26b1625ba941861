"""Where the store lives and how it is opened: URL resolution, engine, migrations.

The URL is, in order: an explicit ``--db`` value, the ``FORMCHECK_DB``
environment variable, else SQLite at ``platformdirs.user_data_dir("formcheck")
/formcheck.db``. Any SQLAlchemy URL works (``postgresql+psycopg://...``).

Opening always brings the schema to the newest Alembic revision shipped in
``formcheck/store/migrations`` with a ``Config`` built in code, so an old store
is upgraded in place and a user never sees an ``alembic.ini``.  Every failure
(unreachable server, bad URL, a store written by a newer formcheck) becomes one
:class:`~formcheck.errors.StoreError` sentence.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
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


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite files the parent directory is created."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"--db {url!r} is not a database URL (e.g. sqlite:///path/formcheck.db).") from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder for the store {database}: {error.strerror}.") from error
    try:
        engine = create_engine(parsed, future=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as error:
        raise StoreError(f"cannot use the store {describe_url(url)}: {error}") from error
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
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


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (a no-op when it is already there)."""
    from alembic import command
    from alembic.util.exc import CommandError

    url = describe_url(engine.url.render_as_string(hide_password=False))
    try:
        if current_revision(engine) == head_revision():
            return
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    except CommandError as error:
        raise StoreError(
            f"the store {url} has a schema this formcheck does not know ({error}); upgrade formcheck."
        ) from error
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open the store {url}: {_first_line(error)}") from error


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
