"""``formcheck serve``: the web app on this machine (or, with a token, on the network).

Localhost by default, because the server accepts uploads and runs the pose
model: anyone who can reach it can use the machine's CPU and read the reports.
Binding to any other address therefore needs a token (``--token`` or
``$FORMCHECK_TOKEN``); the refusal is one ``error:`` line.  The startup line
says where it listens, whether a token is required and how many checks run at
once (``--jobs``, :attr:`WebSettings.max_running`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer


def max_jobs() -> int:
    """The most checks ``--jobs`` may run at once: 4 a core.

    One check already keeps every core busy while its pose model runs, so more
    than one at a time only helps while checks wait on the disk, the database
    or a short clip's start-up; far more than the cores would only thrash.
    """
    return 4 * (os.cpu_count() or 1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but localhost needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    db: Annotated[Optional[str], typer.Option("--db", show_envvar=False,
                  help="SQLAlchemy URL of the store (default: $FORMCHECK_DB, else SQLite in the user data dir).")] = None,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Where uploads and reports are kept "
                        "(default: the user data dir's web/).")] = None,
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", min=1, help="Largest upload accepted, in MB.")] = 2048,
    token: Annotated[Optional[str], typer.Option("--token", show_envvar=False, help="Require this token on every "
                     "request (default: $FORMCHECK_TOKEN; required when --host is not localhost).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="Checks run at once (default 1: one video at a time, "
                    "using every core; more only helps when many short checks queue up).")] = 1,
) -> None:  # fmt: skip
    """Serve the web app: upload a video and logs in the browser, watch the check, read the report."""

    from formcheck.errors import UsageError
    from formcheck.web.app import create_app, stopping_server
    from formcheck.web.settings import TOKEN_ENV, WebSettings, default_data_dir, is_loopback

    most = max_jobs()
    if not 1 <= jobs <= most:
        raise UsageError(f"--jobs must be between 1 and {most} (4 a core on this machine), not {jobs}.")
    token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    if token is not None and len(token.strip()) < 8:
        raise UsageError("the token must be at least 8 characters (a long random one is best).")
    if not is_loopback(host) and token is None:
        raise UsageError(f"listening on {host} lets other machines in: give a token with --token or ${TOKEN_ENV}, "
                         "or keep the default --host 127.0.0.1.")  # fmt: skip
    settings = WebSettings(data_dir=(data_dir or default_data_dir()).expanduser().resolve(), db=db,
                           max_upload_bytes=max_upload_mb * 1024 * 1024, token=token, max_running=jobs)  # fmt: skip
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    gate = "a token is required" if token else "no token required (this machine only)"
    at_once = "1 check at a time" if jobs == 1 else f"{jobs} checks at once"
    typer.echo(f"formcheck serve: listening on http://{shown}:{port}/ - {gate}; {at_once}; data in {settings.data_dir}",
               err=True)  # fmt: skip
    stopping_server(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=20).run()
