"""Web app fixtures: an app per test on its own folder and SQLite store, and real servers in subprocesses.

Most API tests run without the worker thread (``run_worker=False``): jobs are
queued and inspected, never run, so they take milliseconds.  Tests that need a
real check run it on the shortest shared clip, with the shared pose cache.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_fixture import db_url, postgres_server, postgres_url  # noqa: E402,F401  (fixtures)
from web_support import Server  # noqa: E402

from formcheck.web.app import create_app  # noqa: E402
from formcheck.web.settings import WebSettings  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    return WebSettings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'store.db'}", run_worker=False)


@pytest.fixture
def make_client(settings: WebSettings) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**setting_overrides)``: a TestClient (lifespan entered) on this test's folder and store."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(replace(settings, **overrides)))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def make(env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Server:
        server = Server(tmp_path, env, args)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
