"""``formcheck analyze --visuals / --overlay-video``: pictures land in DIR together with summary.json, atomically;
without ``--visuals`` no picture is drawn and matplotlib is never imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.analysis.service import VideoJob, analyze_video
from formcheck.render import write_visual_outputs

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "outdoor_side_grass_short.mp4"
DATA = {"summary.json", "strides.csv", "frames.csv", ".formcheck-manifest.json"}
EXPECTED = (DATA | {"overlay.mp4"}
            | {f"keyframes/{g}_{p}.jpg" for g in ("early", "late") for p in ("contact", "midstance", "toe_off")}
            | {"keyframes/early_vs_late.jpg", "keyframes/index.json"}
            | {f"plots/{s}.{e}" for s in ("lean_per_stride", "cadence_per_stride", "vertical_oscillation") for e in ("png", "svg")})  # fmt: skip


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_cli_writes_pictures_and_overlay(tmp_path):
    out = tmp_path / "result"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-m", "formcheck.cli", "analyze", str(SAMPLE), "--out", str(out),
                             "--visuals", "--overlay-video", "--quiet"], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert files_in(out) == EXPECTED
    assert all((out / name).stat().st_size > 0 for name in EXPECTED)
    assert [p.name for p in tmp_path.iterdir()] == ["result"]  # no temporary folder left beside it


def _analyze_in_process(out: Path, *flags: str) -> dict[str, object]:
    """``formcheck analyze`` in a fresh interpreter; its stdout, exit code and whether matplotlib got imported."""
    code = ("import contextlib, io, json, sys\n"
            "from formcheck.cli import main\n"
            "buffer = io.StringIO()\n"
            "with contextlib.redirect_stdout(buffer):\n"
            "    try:\n"
            "        main(sys.argv[1:]); code = 0\n"
            "    except SystemExit as done:\n"
            "        code = done.code\n"
            "print(json.dumps({'code': code, 'stdout': buffer.getvalue(), 'matplotlib': 'matplotlib' in sys.modules}))\n")
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", code, "analyze", str(SAMPLE), "--out", str(out), *flags],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=300, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_visuals_only_the_measurements_are_written_and_matplotlib_is_not_loaded(tmp_path):
    out = tmp_path / "result"
    ran = _analyze_in_process(out)
    assert ran["code"] in (0, None)
    assert files_in(out) == DATA
    assert ran["matplotlib"] is False  # the ~0.5 s import is not paid when nothing is drawn
    assert "Add --visuals for key frames" in ran["stdout"] and "Also written" not in ran["stdout"]


@pytest.mark.slow
def test_overlay_video_alone_draws_no_key_frames_or_plots(tmp_path):
    out = tmp_path / "result"
    ran = _analyze_in_process(out, "--overlay-video", "--quiet")
    assert ran["code"] in (0, None) and ran["stdout"] == ""
    assert files_in(out) == DATA | {"overlay.mp4"} and (out / "overlay.mp4").stat().st_size > 0
    assert ran["matplotlib"] is False


@pytest.mark.slow
def test_a_failure_while_rendering_leaves_no_dir(tmp_path):
    out = tmp_path / "result"

    def render_then_fail(tmp: Path, partial) -> None:
        write_visual_outputs(tmp, partial, overlay_video=True)
        assert (tmp / "overlay.mp4").exists() and (tmp / "keyframes" / "early_vs_late.jpg").exists()
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError, match="disk pulled out"):
        analyze_video(VideoJob(video=SAMPLE, out_dir=out), extra_outputs=render_then_fail)
    assert list(tmp_path.iterdir()) == []
