"""Several processes storing the same clips at once: no error, no duplicate, every row complete.

This is the case a shared database meets when two batches (two machines of a
clinic, or a batch and a ``check``) store the same runner's clips: each
process upserts the same (runner, video, settings) keys in a different order.
Real SQLite file and real PostgreSQL, real processes (spawned), no mocks.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from formcheck.batch.results import save_analysis
from formcheck.store.api import Store
from formcheck.store.checks import VideoAnalysisRecord
from formcheck.store.models import RunnerRow, VideoAnalysisRow

WRITERS = 4
CLIPS = 12
RUNNERS = ("anna", "ben", "carl")


def _record(i: int, writer: int) -> VideoAnalysisRecord:
    summary = {"activity": "running", "view": "side", "warnings": [], "writer": writer,
               "metrics": {"cadence_spm": {"value": 160.0 + i}, "trunk_lean_deg": {"value": 5.0}}}  # fmt: skip
    return VideoAnalysisRecord(video_sha256=f"{i:064x}", settings_key="k", video_name=f"clip{i}.mp4", summary=summary)


def _writer(url: str, writer: int, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    with Store.open(url) as store:
        start.wait(30)
        order = list(range(CLIPS))[writer % 3 :: 1] + list(range(CLIPS))[: writer % 3]
        for i in order if writer % 2 else reversed(order):
            save_analysis(store, RUNNERS[i % len(RUNNERS)], _record(i, writer))


def _race(url: str) -> None:
    Store.open(url).close()  # the schema exists before the race (migrations are not what is tested here)
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(url, w, start)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    with Store.open(url) as store, store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(RunnerRow)) == len(RUNNERS)
        assert conn.scalar(select(func.count()).select_from(VideoAnalysisRow)) == CLIPS
        cadences = sorted(conn.scalars(select(VideoAnalysisRow.cadence_spm)))
    assert cadences == [160.0 + i for i in range(CLIPS)]


def test_concurrent_writers_sqlite(tmp_path: Path) -> None:
    _race(f"sqlite:///{tmp_path / 'shared.db'}")


@pytest.mark.postgres
def test_concurrent_writers_postgresql(postgres_url: str) -> None:
    _race(postgres_url)


def test_upsert_keeps_a_known_date(tmp_path: Path) -> None:
    import datetime as dt
    from dataclasses import replace

    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        first = save_analysis(store, "anna", replace(_record(1, 0), recorded_on=dt.date(2026, 11, 2)))
        again = save_analysis(store, "anna", _record(1, 1))
        with store.engine.connect() as conn:
            day = conn.scalar(select(VideoAnalysisRow.recorded_on))
    assert first == again and day == dt.date(2026, 11, 2)
