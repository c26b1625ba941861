"""The training store: runners, imported files, runs and lift sets in SQLite or PostgreSQL.

``Store.open(db)`` resolves the URL (``--db`` > ``$FORMCHECK_DB`` > SQLite in the
user data dir), brings the schema up to date with the Alembic migrations that
ship in this package, and offers one-transaction, idempotent imports plus
reads that return the same record types the log readers produce.
``import_file`` (in :mod:`formcheck.store.ingest`) is the file-level entry point
the CLI uses: it detects the kind of file, reads it and imports it.
"""

from __future__ import annotations

from formcheck.store.api import DEFAULT_RUNNER, Store, store_when_needed
from formcheck.store.engine import ENV_VAR, default_db_url, resolve_db_url
from formcheck.store.importing import ImportReport, SourceInfo
from formcheck.store.queries import StoredRun

__all__ = [
    "DEFAULT_RUNNER",
    "ENV_VAR",
    "ImportReport",
    "SourceInfo",
    "Store",
    "StoredRun",
    "default_db_url",
    "resolve_db_url",
    "store_when_needed",
]
