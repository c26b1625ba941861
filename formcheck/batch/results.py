"""Where a batch's results go: one store row a clip (as it arrives) and ``batch.csv``.

Why not :func:`formcheck.store.checks.save_check`: it looks a row up and then
inserts it, which is right for one ``check`` at a time but lets two batches
(two machines of a clinic sharing one PostgreSQL, or two terminals on one
SQLite file) both see "no row" and then both insert -- a unique-constraint
error for one of them. Here every write is a single ``INSERT ... ON CONFLICT``
(the runner: do nothing; the clip: update) keyed by the same unique
constraint, so concurrent writers neither fail nor duplicate, on both
backends. SQLite's writer lock can still be busy for a moment; the
transaction is retried then. The row's columns and JSON are the ones
``check`` writes (``VideoAnalysisRecord``), so history and trends read batch
and check clips alike.

``batch.csv`` is rewritten atomically (temporary file, then rename) so a
reader or an interrupted batch never sees half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from formcheck.errors import StoreError
from formcheck.store.api import Store
from formcheck.store.checks import VideoAnalysisRecord
from formcheck.store.models import RunnerRow, VideoAnalysisRow
from formcheck.store.names import require_runner_name

LOCK_RETRIES = 8
CSV_COLUMNS = ("status", "runner", "video", "activity", "view", "facing", "cadence_spm", "trunk_lean_deg",
               "trunk_lean_drift_deg", "warnings", "error", "out_dir", "seconds")  # fmt: skip


def _insert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise StoreError(f"batch stores into SQLite or PostgreSQL, not {dialect}.")
    return insert


def _columns(record: VideoAnalysisRecord, now: dt.datetime) -> dict[str, Any]:
    return {
        "video_name": record.video_name,
        "analysed_at": now,
        "recorded_on": record.recorded_on,
        "activity": str(record.summary.get("activity") or "unknown"),
        "view": str(record.summary.get("view") or "unknown"),
        "cadence_spm": record.metric_value("cadence_spm"),
        "trunk_lean_deg": record.metric_value("trunk_lean_deg"),
        "trunk_lean_drift_deg": record.metric_value("trunk_lean_drift_deg"),
        "head_flexion_deg": record.metric_value("head_flexion_deg"),
        "summary_json": json.dumps(record.summary, allow_nan=False),
    }


def save_analysis(store: Store, runner: str, record: VideoAnalysisRecord) -> int:
    """Upsert one clip's row (and its runner) in one transaction; returns the row id. Safe under concurrency."""
    require_runner_name(runner)  # the discovery refuses these; the store never holds one
    insert = _insert(store.engine.dialect.name)
    runners, analyses = RunnerRow.__table__, VideoAnalysisRow.__table__
    for attempt in range(LOCK_RETRIES):
        now = dt.datetime.now(dt.timezone.utc)
        values = _columns(record, now)
        try:
            with store.engine.begin() as connection:
                # The first statement writes, so SQLite takes its writer lock at once (waiting its busy
                # timeout) instead of upgrading a read lock, which fails immediately under contention.
                connection.execute(insert(runners).values(name=runner, created_at=now)
                                   .on_conflict_do_nothing(index_elements=["name"]))  # fmt: skip
                runner_id = connection.execute(select(runners.c.id).where(runners.c.name == runner)).scalar_one()
                update = dict(values)
                statement = insert(analyses).values(runner_id=runner_id, video_sha256=record.video_sha256,
                                                    settings_key=record.settings_key, **values)  # fmt: skip
                update["recorded_on"] = func.coalesce(statement.excluded.recorded_on, analyses.c.recorded_on)
                statement = statement.on_conflict_do_update(
                    index_elements=["runner_id", "video_sha256", "settings_key"], set_=update)
                connection.execute(statement)
                return int(connection.execute(
                    select(analyses.c.id).where(analyses.c.runner_id == runner_id,
                                                analyses.c.video_sha256 == record.video_sha256,
                                                analyses.c.settings_key == record.settings_key)).scalar_one())  # fmt: skip
        except OperationalError as error:
            if "locked" not in str(error).lower() or attempt == LOCK_RETRIES - 1:
                raise _store_error(store, error) from error
            time.sleep(0.05 * (2**attempt) * (0.5 + random.random()))
        except SQLAlchemyError as error:
            raise _store_error(store, error) from error
    raise AssertionError("unreachable")


def _store_error(store: Store, error: SQLAlchemyError) -> StoreError:
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return StoreError(f"could not write to the store {store.url}: {text[0] if text else type(error).__name__}.")


def _metric(summary: Mapping[str, Any], name: str) -> float | None:
    value = ((summary.get("metrics") or {}).get(name) or {}).get("value")
    return None if value is None else round(float(value), 2)


@dataclass(frozen=True)
class CsvRow:
    """One line of ``batch.csv``: what happened to a clip and, when analysed, its headline measures."""

    status: str
    runner: str
    video: str
    out_dir: str
    summary: Mapping[str, Any]
    error: str | None = None
    seconds: float | None = None
    path: str = ""  # the file as the worker opened it (absolute), so the summary table can shorten it in errors

    def as_dict(self) -> dict[str, object]:
        s = self.summary
        return {
            "status": self.status, "runner": self.runner, "video": self.video,
            "activity": s.get("activity", ""), "view": s.get("view", ""), "facing": s.get("facing", ""),
            "cadence_spm": _metric(s, "cadence_spm"), "trunk_lean_deg": _metric(s, "trunk_lean_deg"),
            "trunk_lean_drift_deg": _metric(s, "trunk_lean_drift_deg"),
            "warnings": " | ".join(str(w) for w in s.get("warnings") or []),
            "error": self.error or "", "out_dir": self.out_dir,
            "seconds": "" if self.seconds is None else f"{self.seconds:.1f}",
        }  # fmt: skip


def earlier_rows(path: Path, now: set[tuple[str, str]]) -> list[dict[str, str]]:
    """The rows of an earlier ``batch.csv`` at ``path`` for clips this batch does not list (``now``: runner, video).

    Two batches of other folders into one ``--out`` share its ``batch.csv``: the second replaced the first's, and
    with it the only record of the first's failures (failures are not stored). They are kept, as written.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != list(CSV_COLUMNS):
                return []
            return [row for row in reader if (row.get("runner", ""), row.get("video", "")) not in now]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def write_csv(path: Path, rows: Iterable[CsvRow], earlier: Iterable[Mapping[str, str]] = ()) -> None:
    """Replace ``path`` with ``earlier`` rows (kept as they were) then ``rows``, atomically (a temporary file, a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(earlier)
            writer.writerows(row.as_dict() for row in rows)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    from formcheck.output_dir import current_umask

    return current_umask()
