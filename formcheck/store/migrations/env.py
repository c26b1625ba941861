"""Alembic environment used programmatically: the caller passes an open connection.

``formcheck.store.engine.migrate`` builds the Alembic ``Config`` in code and puts
the connection in ``config.attributes["connection"]``, so users never need an
``alembic.ini``. Logging is left alone (no ``fileConfig``): the CLI owns output.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from formcheck.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: object) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # pragma: no cover - only for maintainers running the alembic CLI by hand
    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
