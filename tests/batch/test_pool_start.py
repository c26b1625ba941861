"""The local pool's early start and the plan's hashing: what a batch does before its first clip.

``run_batch`` spawns the workers before planning, so they import the engine
beside the parent's planning; and the plan hashes only clips that already have
results (a candidate skip), so a first batch of thousands does not read every
byte twice before starting. These check that a worker never given a clip stops
at once and that the plan hashes what it must; ``test_batch_local`` checks that
the store still gets each clip's hash (the worker's).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from formcheck.batch.discover import discover
from formcheck.batch.local import STOP_GRACE_S, LocalPool
from formcheck.batch.plan import plan_batch
from formcheck.store.api import Store
from formcheck.video.probe import file_sha256

pytestmark = pytest.mark.xdist_group("batch")


def test_workers_never_given_a_clip_stop_at_once() -> None:
    pool = LocalPool(2)
    pool.start(5)
    pool.start(5)  # idempotent: still one worker a core asked for
    processes = [slot.process for slot in pool._slots]
    assert len(processes) == 2 and all(p.is_alive() for p in processes)
    started = time.monotonic()
    pool.close()  # while they may still be importing: SIGTERM, not a wait for their first message
    assert time.monotonic() - started < STOP_GRACE_S
    assert all(not p.is_alive() for p in processes)
    assert pool._slots == []


def test_plan_hashes_only_clips_that_have_results(clip_folder: Path, tmp_path: Path) -> None:
    items = discover(clip_folder, None)
    out = tmp_path / "out"
    (out / "anna" / "grass").mkdir(parents=True)
    (out / "anna" / "grass" / "summary.json").write_text("{}")
    with Store.open(f"sqlite:///{tmp_path / 'store.db'}") as store:
        planned = {p.item.relative: p for p in plan_batch(items, out, store, None)}
    grass = planned["anna/grass.mp4"]
    assert grass.sha256 == file_sha256(clip_folder / "anna" / "grass.mp4")
    assert not grass.skip  # a folder with results but no stored row is redone
    assert [p.sha256 for name, p in planned.items() if name != "anna/grass.mp4"] == [None] * (len(planned) - 1)

