"""A worker process that dies is retried on a fresh one, twice, then its clip is recorded as failed.

The deaths are real (``os._exit`` inside the worker, through the
``FORMCHECK_BATCH_FAULT`` hook); the other clip of the batch must not be
blamed or disturbed, on the local pool as on Ray (see test_batch_ray.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_expect import leftovers, statuses

from formcheck.batch import BatchOptions, run_batch
from formcheck.batch.work import FAULT_ENV

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]


@pytest.fixture
def two_clips(clip_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "in" / "anna"
    folder.mkdir(parents=True)
    for name in ("grass.mp4", "legs.mp4"):
        (folder / name).symlink_to((clip_folder / "anna" / name).resolve())
    return tmp_path / "in"


def test_dying_worker_is_retried_then_failed(two_clips: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "legs-died-once"
    monkeypatch.setenv(FAULT_ENV, f"die:grass.mp4,die-once:legs.mp4:{marker}")
    options = BatchOptions(source=two_clips, out=tmp_path / "out", db=f"sqlite:///{tmp_path / 's.db'}", workers=2,
                           show_progress=False)  # fmt: skip
    report = run_batch(options)
    assert statuses(report) == {"anna/grass.mp4": "failed", "anna/legs.mp4": "analysed"}
    grass = next(r for r in report.rows if r.video == "anna/grass.mp4")
    assert grass.error == "the worker analysing it died 3 times (exit code 70); not retried again"
    assert marker.exists() and (tmp_path / "out" / "anna" / "legs" / "summary.json").is_file()
    assert leftovers(tmp_path / "out") == []


def test_a_worker_dying_mid_write_leaves_no_temporary_folder(two_clips: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A worker killed while writing (SIGKILL, out of memory) runs no Python cleanup: its half-written
    '.legs.tmp-*' folder stayed for good, beside the results the retry wrote."""
    marker = tmp_path / "legs-died-writing"
    monkeypatch.setenv(FAULT_ENV, f"die-once-writing:legs.mp4:{marker}")
    options = BatchOptions(source=two_clips, out=tmp_path / "out", db=f"sqlite:///{tmp_path / 's.db'}", workers=1,
                           show_progress=False)  # fmt: skip
    report = run_batch(options)
    assert marker.exists() and statuses(report) == {"anna/grass.mp4": "analysed", "anna/legs.mp4": "analysed"}
    assert leftovers(tmp_path / "out") == [] and (tmp_path / "out" / "anna" / "legs" / "summary.json").is_file()


def test_a_second_batch_into_the_same_out_keeps_the_first_ones_rows(clip_folder: Path, tmp_path: Path) -> None:
    """batch.csv was replaced by the next batch into the same --out, and with it the only record of the first
    batch's failures (they are not stored)."""
    import csv

    first = tmp_path / "first" / "zoe"
    first.mkdir(parents=True)
    (first / "notes.mp4").write_text("not a video\n")
    second = tmp_path / "second" / "anna"
    second.mkdir(parents=True)
    (second / "grass.mp4").symlink_to((clip_folder / "anna" / "grass.mp4").resolve())
    common = dict(out=tmp_path / "out", db=f"sqlite:///{tmp_path / 's.db'}", workers=1, show_progress=False)
    run_batch(BatchOptions(source=tmp_path / "first", **common))
    report = run_batch(BatchOptions(source=tmp_path / "second", **common))
    run_batch(BatchOptions(source=tmp_path / "second", **common))  # again: its own row is replaced, not added
    with report.csv_path.open(newline="", encoding="utf-8") as handle:
        rows = [(r["runner"], r["video"], r["status"], bool(r["error"])) for r in csv.DictReader(handle)]
    assert rows == [("zoe", "zoe/notes.mp4", "failed", True), ("anna", "anna/grass.mp4", "skipped", False)]
