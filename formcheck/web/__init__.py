"""The web app of ``formcheck serve``: upload a video and logs in the browser, watch the check, read the report.

``create_app(settings)`` (:mod:`formcheck.web.app`) builds it; the job queue
lives in the store's ``jobs`` table (:mod:`formcheck.web.jobs`) and runs on a
background thread (:mod:`formcheck.web.worker`).
"""

from __future__ import annotations

from formcheck.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings):  # type: ignore[no-untyped-def]
    """See :func:`formcheck.web.app.create_app` (imported lazily: FastAPI is not needed for the CLI's help)."""
    from formcheck.web.app import create_app as _create_app

    return _create_app(settings)
