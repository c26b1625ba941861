"""A batch on the local process pool over real short clips, a damaged copy and a non-video.

One batch per module (poses from the shared cache, ~30 s on 2 cores); the tests
read its statuses, folders, store rows and ``batch.csv``, then run it again
(resume), on PostgreSQL (the two stores must agree) and with dying workers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from batch_expect import EXPECTED, leftovers, statuses

from formcheck.batch import BatchOptions, run_batch
from formcheck.store.api import Store
from formcheck.store.checks import video_analyses

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]


@pytest.fixture(scope="module")
def first(clip_folder: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("batch-local")
    options = BatchOptions(source=clip_folder, out=base / "out", db=f"sqlite:///{base / 'store.db'}", workers=2,
                           show_progress=False)  # fmt: skip
    return options, run_batch(options)


def test_statuses_folders_and_errors(first) -> None:  # type: ignore[no-untyped-def]
    options, report = first
    assert statuses(report) == EXPECTED
    errors = {row.video: row.error for row in report.rows if row.error}
    assert "truncated or damaged" in errors["ben/cut.mp4"]
    assert "not a video" in errors["ben/notes.mp4"]
    assert all("\n" not in e for e in errors.values())
    out = options.out
    for name in ("anna/grass", "anna/legs", "ben/walk"):
        summary = json.loads((out / name / "summary.json").read_text())
        assert summary["schema"] == "formcheck.analysis/1"
        assert (out / name / "keyframes" / "index.json").is_file() and (out / name / "plots").is_dir()
    assert not (out / "ben" / "cut").exists() and not (out / "ben" / "notes").exists()
    assert leftovers(out) == []
    walk = next(r for r in report.rows if r.video == "ben/walk.avi").as_dict()
    assert walk["activity"] == "walking" and walk["view"] == "side"


def test_store_rows_and_csv(first) -> None:  # type: ignore[no-untyped-def]
    options, report = first
    with Store.open(options.db) as store:
        assert sorted(store.runners()) == ["anna", "ben"]
        anna = video_analyses(store, "anna")
        ben = video_analyses(store, "ben")
    assert sorted(name for _, name, _, _ in anna) == ["grass.mp4", "legs.mp4"]
    assert [name for _, name, _, _ in ben] == ["walk.avi"]
    assert anna[0][2].startswith("full") or "|h=-|" in anna[0][2]
    with report.csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["video"]: r["status"] for r in rows} == EXPECTED
    assert {r["video"]: r["activity"] for r in rows}["ben/walk.avi"] == "walking"


def test_store_gets_each_clips_hash_from_its_worker(first, clip_folder: Path) -> None:  # type: ignore[no-untyped-def]
    options, report = first
    from sqlalchemy import select

    from formcheck.store.models import VideoAnalysisRow
    from formcheck.video.probe import file_sha256

    with Store.open(options.db) as store, store.engine.connect() as connection:
        stored = {name: sha for name, sha in connection.execute(select(VideoAnalysisRow.video_name, VideoAnalysisRow.video_sha256))}
    analysed = [row.video for row in report.rows if row.status == "analysed"]
    assert sorted(stored) == sorted(Path(v).name for v in analysed) and len(analysed) == 3
    for video in analysed:  # the plan no longer hashes new clips: this is the worker's hash of what it analysed
        assert stored[Path(video).name] == file_sha256(clip_folder / video)


def test_resumed_batch_skips_the_done_ones(first) -> None:  # type: ignore[no-untyped-def]
    options, report = first
    again = run_batch(options)
    assert statuses(again) == {v: ("skipped" if s == "analysed" else s) for v, s in EXPECTED.items()}
    assert [r.as_dict()["cadence_spm"] for r in again.rows] == [r.as_dict()["cadence_spm"] for r in report.rows]
    assert again.frames == 0  # nothing but the two failures went to a worker, and they decode no frame
    with Store.open(options.db) as store:
        assert len(video_analyses(store, "anna")) == 2 and len(video_analyses(store, "ben")) == 1


def test_deleted_folder_is_rebuilt(first, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    options, _ = first
    import shutil

    shutil.rmtree(options.out / "anna" / "legs")
    again = run_batch(options)
    assert statuses(again)["anna/legs.mp4"] == "analysed" and statuses(again)["anna/grass.mp4"] == "skipped"
    assert (options.out / "anna" / "legs" / "summary.json").is_file()


def test_a_folder_holding_another_result_is_not_skipped(first) -> None:  # type: ignore[no-untyped-def]
    """A summary.json is not enough: after two clips swapped names (or a height was given and taken back) the
    folder held another clip's result, and the batch said 'skipped' beside it with the stored numbers."""
    options, _ = first
    legs = options.out / "anna" / "legs" / "summary.json"
    grass = json.loads((options.out / "anna" / "grass" / "summary.json").read_text())
    own_sha = json.loads(legs.read_text())["video"]["sha256"]
    legs.write_text(json.dumps(grass))  # the grass clip's result in the legs clip's folder
    again = run_batch(options)
    assert statuses(again)["anna/legs.mp4"] == "analysed" and statuses(again)["anna/grass.mp4"] == "skipped"
    assert json.loads(legs.read_text())["video"]["sha256"] == own_sha
    assert statuses(run_batch(options))["anna/legs.mp4"] == "skipped"  # its own result again: a skip


@pytest.mark.postgres
def test_sqlite_and_postgresql_agree(first, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    options, _ = first
    from dataclasses import replace

    pg = replace(options, out=tmp_path / "out", db=postgres_url)
    report = run_batch(pg)
    assert statuses(report) == EXPECTED

    def rows(url: str) -> dict[tuple[str, str], tuple[str, str, dict]]:
        with Store.open(url) as store:
            found = {}
            for runner in ("anna", "ben"):
                for _, name, key, summary in video_analyses(store, runner):
                    summary = {k: v for k, v in summary.items() if k != "video"}  # the path differs, nothing else
                    found[(runner, name)] = (key, summary["activity"], summary)
            return found

    assert rows(options.db) == rows(postgres_url)
