"""How one web server is configured: where it keeps things, how big an upload may be, who may use it.

One frozen value built by ``formcheck serve`` (or a test) and handed to
:func:`formcheck.web.app.create_app`, so that nothing in the web package reads
the environment behind the caller's back and two apps in one test process can
use different folders, databases and limits.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD_MB = 2048
TOKEN_ENV = "FORMCHECK_TOKEN"


def default_data_dir() -> Path:
    """The per-user data folder's ``web/`` (uploads and results of every job)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("formcheck")) / "web"


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    """Everything a web app instance needs; defaults are the safe local ones."""

    data_dir: Path
    db: str | None = None  # SQLAlchemy URL; None = $FORMCHECK_DB or the default SQLite file
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    token: str | None = None  # None = no token asked (only allowed on a loopback address)
    max_running: int = 1  # analyses at once: each already uses every core
    run_worker: bool = True  # False: jobs are queued but never run (schema tests, API tests)
    use_cache: bool = True  # the pose cache (FORMCHECK_CACHE_DIR)
    lease_s: float = 10.0  # a running job whose heartbeat is older than this was interrupted
    max_attempts: int = 3  # a job interrupted this often is failed, not re-run forever
    poll_s: float = 0.5  # how often an idle worker looks for queued jobs

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"

    @property
    def incoming_dir(self) -> Path:
        return self.data_dir / "incoming"
