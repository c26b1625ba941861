"""Ctrl-C during a batch: exit 130, finished clips kept, no half-written folder, no process left.

The batch runs as a real ``formcheck batch`` subprocess in its own session;
the smallest real clip (dispatched after the bigger ones) sleeps inside the engine's write step (``FORMCHECK_BATCH_FAULT``),
so the interrupt lands while its temporary folder exists. SIGINT goes to the
whole process group, as a terminal's Ctrl-C does; afterwards no process of
that group (pool workers) and none of that run's Ray instance may be alive.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from batch_expect import leftovers

from formcheck.batch.work import FAULT_ENV

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]


def _alive(pgid: int, marker: str | None) -> list[str]:
    """Processes still in the group, or whose command line names ``marker`` (a /proc scan, no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and (int(fields[2]) == pgid or (marker and marker in cmdline)):
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def _stored(db: Path) -> int:
    """Clips the batch has stored so far (its rows are committed one at a time, as clips arrive)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM video_analyses").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("ray", [False, True], ids=["pool", "ray"])
def test_ctrl_c_stops_cleanly(clip_folder: Path, tmp_path: Path, ray: bool) -> None:
    out, db = tmp_path / "out", tmp_path / "s.db"
    ray_tmp = tempfile.mkdtemp(prefix="fcray-")  # short: Ray's socket paths must fit in 107 bytes
    env = {**os.environ, FAULT_ENV: "sleep:grass.mp4:120", "RAY_TMPDIR": ray_tmp}
    args = [sys.executable, "-m", "formcheck.cli", "batch", str(clip_folder), "--out", str(out), "--db",
            f"sqlite:///{db}", "--workers", "1" if not ray else "2", "--quiet"] + (["--ray"] if ray else [])  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not list((out / "anna").glob(".grass.tmp-*")) or _stored(db) < 2:
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the batch never reached the sleeping clip"
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)
        sent = time.monotonic()
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130, stderr
        assert time.monotonic() - sent < 30
        said = re.search(r"interrupted: (\d) of 5 videos finished and were kept; (\d) (?:is|are) marked interrupted in "
                         r"\S*batch.csv. Run the same command again", stderr)  # fmt: skip
        assert said and int(said[1]) >= 2 and int(said[1]) + int(said[2]) == 5, stderr
        assert "nothing was written" not in stderr
        assert (out / "ben" / "walk" / "summary.json").is_file() and (out / "anna" / "legs" / "summary.json").is_file()
        assert not (out / "anna" / "grass").exists() and leftovers(out) == []
        with (out / "batch.csv").open() as handle:
            rows = {r["video"]: r["status"] for r in csv.DictReader(handle)}
        assert rows["ben/walk.avi"] == rows["anna/legs.mp4"] == "analysed" and rows["anna/grass.mp4"] == "interrupted"
        time.sleep(1.0)
        assert _alive(proc.pid, ray_tmp if ray else None) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(ray_tmp, ignore_errors=True)
