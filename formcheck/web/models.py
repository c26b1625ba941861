"""The ``jobs`` table the web app queues checks in: defined with the other tables in
:mod:`formcheck.store.models` (one metadata, one schema check), named here for the web modules."""

from __future__ import annotations

from formcheck.store.models import JOB_STATUSES as STATUSES
from formcheck.store.models import JobRow

__all__ = ["STATUSES", "JobRow"]
