"""The store never damages a database it does not own, and migrations are all-or-nothing (issue 9).

Before: ``--db`` at an SQLite file holding an unrelated ``runs`` table created
``runners`` and ``sources``, failed on ``runs`` and left a file every later
command refused; a mistyped ``--db`` for ``runs``/``context`` created folders
and an empty database.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from formcheck.errors import StoreError
from formcheck.store import Store
from formcheck.store import engine as store_engine


def _unrelated_sqlite(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, route TEXT, minutes REAL)")
        db.execute("INSERT INTO runs (route, minutes) VALUES ('river loop', 42.5)")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_with_other_tables_is_refused_before_anything_changes(tmp_path: Path) -> None:
    path = tmp_path / "other_app.db"
    before = _unrelated_sqlite(path)
    with pytest.raises(StoreError) as info:
        Store.open(f"sqlite:///{path}")
    message = info.value.message
    assert "holds tables formcheck did not create (runs)" in message and "nothing was changed" in message
    assert "\n" not in message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with sqlite3.connect(path) as db:  # still the other program's database, fully usable
        assert db.execute("SELECT route, minutes FROM runs").fetchall() == [("river loop", 42.5)]


@pytest.mark.postgres
def test_a_postgres_database_with_other_tables_is_refused(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE runs (id serial PRIMARY KEY, route text)"))
    with pytest.raises(StoreError, match="holds tables formcheck did not create"):
        Store.open(postgres_url)
    assert set(inspect(engine).get_table_names()) == {"runs"}
    engine.dispose()


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the refusal, the clash on `runs` happens part-way through revision 0001: every table
    # created before it must be rolled back with it (SQLite DDL inside one transaction).
    path = tmp_path / "clash.db"
    _unrelated_sqlite(path)
    monkeypatch.setattr(store_engine, "_refuse_foreign_tables", lambda connection, where: None)
    with pytest.raises(StoreError, match="table runs already exists"):
        Store.open(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["runs"]


def test_an_empty_database_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(f"sqlite:///{path}") as store:
        assert store_engine.current_revision(store.engine) == store_engine.head_revision()


def test_require_store_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "deeper" / "formcheck.db"
    with pytest.raises(StoreError, match=r"there is no training store at .*formcheck.db \(no such file\)"):
        store_engine.require_store(f"sqlite:///{missing}")
    assert not (tmp_path / "typo").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="the file is empty"):
        store_engine.require_store(f"sqlite:///{empty}")
    assert empty.stat().st_size == 0
    other = tmp_path / "other.db"
    _unrelated_sqlite(other)
    with pytest.raises(StoreError, match="holds tables formcheck did not create"):
        store_engine.require_store(f"sqlite:///{other}")
    with Store.open(f"sqlite:///{tmp_path / 'real.db'}"):
        pass
    store_engine.require_store(f"sqlite:///{tmp_path / 'real.db'}")  # a store: no error


def test_a_writer_waits_for_another_writers_lock_instead_of_failing(tmp_path: Path) -> None:
    """The driver's 5 s failed a web check whose commit met a progress report's lock under load: 6 s is waited out."""
    path = tmp_path / "store.db"
    with Store.open(f"sqlite:///{path}") as store:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == store_engine.LOCK_WAIT_MS
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        release = threading.Timer(6.0, holder.execute, args=("COMMIT",))
        release.start()
        try:
            with store.engine.begin() as connection:  # waits ~6 s for the lock, then writes
                connection.exec_driver_sql("CREATE TABLE waited (x INTEGER)")
        finally:
            release.join()
            holder.close()
    assert "waited" in inspect(create_engine(f"sqlite:///{path}")).get_table_names()
