"""``formcheck batch`` from the command line: a manifest, its runner and date columns, exit codes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from formcheck.store.api import Store
from formcheck.store.models import VideoAnalysisRow

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "formcheck.cli", "batch", *args], capture_output=True, text=True,
                          env=dict(os.environ), stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip


def test_manifest_batch_stores_runner_and_date_and_exits_1_on_a_failure(clip_folder: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "clips.csv"
    manifest.write_text("path,runner,date\n"
                        f"{clip_folder / 'anna' / 'grass.mp4'},Anna K,2026-11-02\n"
                        f"{clip_folder / 'ben' / 'notes.mp4'},ben,2026-11-03\n"
                        f"{clip_folder / 'anna' / 'grass.mp4'},Anna K,2026-11-02\n"  # a repeated row
                        f"{clip_folder / 'anna' / 'grass.mp4'},Anna_K,2026-11-04\n")  # another runner, same folder name
    db = f"sqlite:///{tmp_path / 's.db'}"
    done = run(str(manifest), "--out", str(tmp_path / "out"), "--db", db, "--workers", "2")
    assert done.returncode == 1, done.stderr
    assert "1 of 3 videos failed" in done.stderr and "formcheck batch" in done.stderr  # the summary table
    assert "clips.csv line 4 repeats line 2" in done.stderr
    with (tmp_path / "out" / "batch.csv").open() as handle:
        rows = {r["runner"]: r for r in csv.DictReader(handle)}
    assert rows["Anna K"]["status"] == "analysed" and rows["ben"]["status"] == "failed"
    assert rows["Anna_K"]["status"] == "analysed" and len(rows) == 3
    assert rows["ben"]["out_dir"] == "" and rows["Anna K"]["out_dir"] == str(tmp_path / "out" / "Anna_K" / "grass")
    assert "is not a video formcheck can read (invalid data found when processing input)" in rows["ben"]["error"]
    assert (tmp_path / "out" / "Anna_K" / "grass" / "summary.json").is_file()
    assert (tmp_path / "out" / "Anna_K-2" / "grass" / "summary.json").is_file()
    with Store.open(db) as store, store.engine.connect() as conn:
        dates = sorted(str(d) for d in conn.scalars(select(VideoAnalysisRow.recorded_on)))
    assert dates == ["2026-11-02", "2026-11-04"]


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run(str(empty), "--out", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path / 's.db'}")
    assert done.returncode == 3 and done.stderr.strip() == f"error: no videos found in {empty}."
    bad = run(str(empty), "--out", str(tmp_path / "out"), "--workers", "0")
    assert bad.returncode == 2 and "--workers must be at least 1" in bad.stderr
    assert not (tmp_path / "out").exists()


def test_a_batch_csv_it_did_not_write_is_never_replaced(clip_folder: Path, tmp_path: Path) -> None:
    """The user's own ``batch.csv`` in --out, or the manifest itself named so: refused before any work."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "batch.csv").write_text("my,own,table\n1,2,3\n")
    done = run(str(clip_folder), "--out", str(mine), "--db", db, "-q")
    assert done.returncode == 2 and done.stderr.strip() == (
        f"error: {mine / 'batch.csv'} exists and was not written by formcheck batch: move it, or give another --out.")
    assert (mine / "batch.csv").read_text() == "my,own,table\n1,2,3\n" and sorted(mine.iterdir()) == [mine / "batch.csv"]
    manifest = tmp_path / "clinic" / "batch.csv"
    manifest.parent.mkdir()
    manifest.write_text(f"path,runner\n{clip_folder / 'anna' / 'grass.mp4'},anna\n")
    done = run(str(manifest), "--out", str(manifest.parent), "--db", db, "-q")
    assert done.returncode == 2 and "the manifest" in done.stderr and "rename it, or give another --out" in done.stderr
    assert manifest.read_text().startswith("path,runner") and sorted(manifest.parent.iterdir()) == [manifest]


def test_an_out_folder_inside_the_folder_of_clips_is_refused_before_any_work(clip_folder: Path, tmp_path: Path) -> None:
    before = sorted(p.relative_to(clip_folder) for p in clip_folder.rglob("*"))
    db = tmp_path / "s.db"
    for out in (clip_folder, clip_folder / "results", clip_folder / "anna"):
        done = run(str(clip_folder), "--out", str(out), "--db", f"sqlite:///{db}", "-q")
        assert done.returncode == 2 and done.stderr.count("\n") == 1
        assert "is inside the folder of clips" in done.stderr and "give an --out outside it" in done.stderr
    dot = subprocess.run([sys.executable, "-m", "formcheck.cli", "batch", ".", "--out", ".", "--db", f"sqlite:///{db}"],
                         capture_output=True, text=True, cwd=clip_folder, stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    assert dot.returncode == 2 and "is inside the folder of clips" in dot.stderr
    assert sorted(p.relative_to(clip_folder) for p in clip_folder.rglob("*")) == before and not db.exists()


def test_an_unreachable_ray_address_is_one_line_at_once_and_leaves_no_folder(clip_folder: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens at
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    done = run(str(clip_folder), "--out", str(out), "--db", f"sqlite:///{tmp_path / 's.db'}", "-q",
               "--ray", f"127.0.0.1:{port}")  # fmt: skip
    assert done.returncode == 2 and done.stderr.strip() == (
        f"error: cannot reach the Ray cluster at 127.0.0.1:{port} (connection refused): check the address "
        "(the head's HOST:6379) and that `ray start --head` runs there.")
    assert not out.exists()
