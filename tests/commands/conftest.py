"""Store fixtures: the PostgreSQL plugin (tests/pg_fixture.py), sample data and record builders."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_fixture import db_url, postgres_server, postgres_url  # noqa: E402,F401  (fixtures)
from training_builders import SHARED, lift, make_run  # noqa: E402,F401
