"""``formcheck analyze --out``: never deletes what formcheck did not write, one line when it refuses."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from formcheck.output_dir import current_umask
from test_analyze_cli import SAMPLE, error_line, run

MANIFEST = ".formcheck-manifest.json"


def test_out_with_foreign_files_is_refused_and_they_survive(tmp_path):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8 precious")
    result = run("analyze", str(SAMPLE), "--out", str(out), "--quiet")
    assert result.returncode == 4 and "did not write" in error_line(result)
    assert [p.name for p in out.iterdir()] == ["holiday.jpg"] and (out / "holiday.jpg").read_bytes() == b"\xff\xd8 precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]


def test_out_as_the_folder_holding_the_video_is_refused_and_the_video_survives(tmp_path):
    video = tmp_path / "clips" / SAMPLE.name
    video.parent.mkdir()
    shutil.copy(SAMPLE, video)
    for out in (video.parent, tmp_path):
        result = run("analyze", str(video), "--out", str(out), "--quiet")
        assert result.returncode == 4 and "contains the input" in error_line(result)
        assert video.read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clips"]


def test_out_dot_is_one_line_and_leaves_nothing(tmp_path):
    import subprocess
    import sys

    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run([sys.executable, "-m", "formcheck.cli", "analyze", str(SAMPLE), "--out", ".", "--quiet"],
                            capture_output=True, text=True, cwd=work, stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip
    assert result.returncode == 4 and "current folder" in error_line(result)
    assert list(work.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["work"]


@pytest.mark.slow
def test_rerun_replaces_own_results_then_refuses_a_user_file_and_follows_a_link(tmp_path):
    real = tmp_path / "real"
    link = tmp_path / "result"
    link.symlink_to(real.name)
    real.mkdir()
    first = run("analyze", str(SAMPLE), "--out", str(link), "--quiet")
    assert first.returncode == 0, first.stderr
    assert link.is_symlink() and (real / "summary.json").exists()
    manifest = json.loads((real / MANIFEST).read_text())
    assert {"summary.json", "strides.csv", "frames.csv"} <= set(manifest["files"])
    assert stat.S_IMODE(real.stat().st_mode) == 0o777 & ~current_umask()  # 0755 under the usual umask, not 0700
    old_inode = (real / "summary.json").stat().st_ino

    second = run("analyze", str(SAMPLE), "--out", str(link), "--quiet")
    assert second.returncode == 0, second.stderr
    assert link.is_symlink() and (real / "summary.json").stat().st_ino != old_inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "result"]

    (real / "my_notes.txt").write_text("mine")
    third = run("analyze", str(SAMPLE), "--out", str(link), "--quiet")
    assert third.returncode == 4 and "my_notes.txt" in error_line(third)
    assert (real / "my_notes.txt").read_text() == "mine" and (real / "summary.json").exists()
    assert link.is_symlink()
