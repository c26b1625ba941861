"""A throw-away PostgreSQL server for the store tests (Debian's binaries, private socket).

``postgres_server`` (session scope) runs ``initdb`` into a fresh directory,
starts ``postgres`` listening only on a unix socket in that directory (no TCP,
so parallel xdist workers and other users cannot collide) and stops it at the
end.  PostgreSQL refuses to run as root, so when the tests run as root the
server runs as the ``postgres`` system user via ``runuser``.  The fixture
skips the tests only when the server binaries are not installed
(``scripts/test_services.sh`` installs them).

``postgres_url`` gives each test its own new database (CREATE DATABASE from
template0 takes ~0.1 s), so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=self.socket_dir, port=self.port, user=self.user, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port_number() -> int:
    # Only used to name the socket file (.s.PGSQL.<port>); no TCP listener is opened.
    return 20000 + (os.getpid() % 20000)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (run scripts/test_services.sh)")
    prefix: list[str] = []
    owner: tuple[int, int] | None = None
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        prefix = ["runuser", "-u", "postgres", "--"]
        owner = (entry.pw_uid, entry.pw_gid)
    # Under /tmp, not pytest's tmp_path: the latter is 0700 root-only, unreachable for 'postgres'.
    base = Path(tempfile.mkdtemp(prefix=f"formcheck-pg-{os.getpid()}-"))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if owner is not None:
        for path in (base, sock):
            os.chown(path, *owner)
    port = _free_port_number()
    user = "formcheck"

    def run(*args: str) -> None:
        done = subprocess.run(prefix + list(args), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}\n{done.stderr}\n{log.read_text() if log.exists() else ''}")

    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-c listen_addresses='' -k {sock} -p {port} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=40 -c shared_buffers=16MB"
        )
        run(pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
        yield PostgresServer(str(sock), port, user)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(prefix + [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres_server.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'formcheck.db'}"
    return str(request.getfixturevalue("postgres_url"))
