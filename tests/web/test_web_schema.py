"""Property-based API tests from the app's own OpenAPI schema (schemathesis): no input makes a 5xx.

The app runs without its worker thread: submitted checks are queued, never run,
so the heavy pose path stays out of a test that sends hundreds of requests.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from formcheck.web.app import create_app
from formcheck.web.settings import WebSettings

_TMP = Path(tempfile.mkdtemp(prefix="formcheck-schema-"))
atexit.register(shutil.rmtree, _TMP, True)
APP = create_app(WebSettings(data_dir=_TMP / "data", db=f"sqlite:///{_TMP / 'store.db'}", run_worker=False,
                             max_upload_bytes=2 * 1024 * 1024))  # fmt: skip
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
