"""``create_app(settings)``: the FastAPI application of ``formcheck serve``, built from one settings value.

The app owns one :class:`~formcheck.store.Store` (migrated on open, so the
``jobs`` table exists), one :class:`~formcheck.web.jobs.JobQueue` over it and,
unless ``settings.run_worker`` is False, one :class:`~formcheck.web.worker.Worker`
started and stopped with the app's lifespan (stopping puts a running check back
in the queue).  Everything is reached through ``app.state`` so that two apps in
one process (tests) never share a folder, a database or a worker.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.exc import OperationalError
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from formcheck import __version__
from formcheck.errors import FormcheckError, OutputError, StoreError
from formcheck.store import Store
from formcheck.web.auth import TokenGate
from formcheck.web.jobs import JobQueue
from formcheck.web.settings import WebSettings
from formcheck.web.uploads import UploadError
from formcheck.web.wording import for_web

log = logging.getLogger(__name__)


def create_app(settings: WebSettings) -> FastAPI:
    """A ready app: store opened and migrated, folders made, worker started on startup when asked."""
    from formcheck.web.api import router as api_router
    from formcheck.web.pages import router as pages_router
    from formcheck.web.worker import Worker

    _warm_up_readers()
    # Private by default: uploads are a person's videos, runs and health answers (other local users keep out).
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        settings.jobs_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.rmtree(settings.incoming_dir, ignore_errors=True)  # half-received uploads of a stopped server
        settings.incoming_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        if settings.data_dir.exists() and not settings.data_dir.is_dir():
            raise OutputError(f"{settings.data_dir} is a file, not a folder for the server's data: give a folder.",
                              settings=("data_dir",)) from None  # fmt: skip
        raise OutputError(f"cannot keep the server's data in {settings.data_dir}: {error.strerror or error} "
                          f"({error.filename or settings.data_dir}); give a folder it can create and write.",
                          settings=("data_dir",)) from None  # fmt: skip
    store = Store.open(settings.db)
    _sqlite_for_a_server(store)
    queue = JobQueue(store)
    worker = Worker(queue, settings) if settings.run_worker else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            store.close()

    app = FastAPI(title="formcheck", version=__version__, lifespan=lifespan,
                  description="Upload a running video, training logs and the questionnaire; get ranked causes of a "
                              "lower-back pump, the evidence and a plan.")  # fmt: skip
    app.state.settings = settings
    app.state.store = store
    app.state.queue = queue
    app.state.worker = worker
    app.state.stopping = threading.Event()  # set by serve's server the moment a stop is asked (StoppingServer)

    def begin_stop() -> None:
        app.state.stopping.set()
        if worker is not None:
            worker.begin_stop()

    app.state.begin_stop = begin_stop
    app.include_router(api_router)
    app.include_router(pages_router)
    _add_error_handlers(app)
    if settings.token is not None:
        app.add_middleware(TokenGate, token=settings.token)
    return app


def _sqlite_for_a_server(store: Store) -> None:
    """Put a SQLite store in WAL mode (every SQLite connection already waits 30 s for a lock: store.engine).

    Why: in SQLite's default (rollback journal) mode every status poll holds a
    read lock that blocks a writer's commit; with twenty clients polling, the
    running check's own write (its logs, its findings) waited past the driver's
    5 s and failed with "database is locked" (measured in benchmarks/web_load.py).
    In WAL mode readers never block the writer.  The mode is stored in the file
    (the CLI then uses it too, which is harmless on a local disk).
    """
    database = store.engine.url.database or ""
    if store.engine.url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return

    raw = store.engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def _warm_up_readers() -> None:
    """Import what checking an upload needs (log readers, PyAV, the questionnaire) now, not in the first request.

    Twenty first uploads arriving at once would otherwise each wait on the same
    imports, holding the interpreter lock, while status requests queue behind them.
    """
    import formcheck.answers.load  # noqa: F401
    import formcheck.logs.boundary  # noqa: F401
    import formcheck.logs.fit  # noqa: F401
    import formcheck.logs.gpx  # noqa: F401
    import formcheck.logs.strength  # noqa: F401
    import formcheck.logs.tcx  # noqa: F401
    import formcheck.video.probe  # noqa: F401


def _add_error_handlers(app: FastAPI) -> None:
    """Every refusal is JSON ``{"detail": one sentence}`` with a 4xx code (5xx only for the database)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        """The API's errors stay JSON; a page a person opened (a deleted check, a mistyped address)
        gets the site's own page with the sentence and a way back."""
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return await http_exception_handler(request, error)
        from formcheck.web.pages import error_page

        return error_page(request, error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(UploadError)
    async def upload_error(_request: Request, error: UploadError) -> JSONResponse:
        return JSONResponse({"detail": error.message}, status_code=error.status)

    @app.exception_handler(FormcheckError)
    async def formcheck_error(_request: Request, error: FormcheckError) -> JSONResponse:
        status = 503 if isinstance(error, StoreError) else 400
        return JSONResponse({"detail": for_web(error)}, status_code=status)

    @app.exception_handler(OperationalError)
    async def database_busy(_request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database error: %s", error)
        return JSONResponse({"detail": "the database is busy or unreachable; try again in a moment."},
                            status_code=503, headers={"Retry-After": "2"})  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
        message = f"{where}: {first.get('msg', 'invalid value')}" if where else str(first.get("msg", "invalid request"))
        return JSONResponse({"detail": message}, status_code=422)


def stopping_server(app: FastAPI, **config: Any) -> Any:
    """A uvicorn server for ``app`` that tells it the moment a stop is asked (Ctrl-C, SIGTERM).

    Why: uvicorn first waits (up to ``timeout_graceful_shutdown``) for open connections
    -- a job page's live progress stream among them -- and only then runs the app's
    shutdown. Meanwhile the worker would finish its job and claim the next one. Here
    the worker stops claiming and queues its running job again at once, and the progress
    streams end, so the server stops in seconds.
    """
    import uvicorn

    class StoppingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            app.state.begin_stop()
            super().handle_exit(sig, frame)

    return StoppingServer(uvicorn.Config(app, **config))
