"""``formcheck analyze --overlay-video``: pictures land in DIR together with summary.json, atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.analysis.service import VideoJob, analyze_video
from formcheck.render import write_visual_outputs

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "outdoor_side_grass_short.mp4"
EXPECTED = ({"summary.json", "strides.csv", "frames.csv", "overlay.mp4", ".formcheck-manifest.json"}
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
                             "--overlay-video", "--quiet"], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert files_in(out) == EXPECTED
    assert all((out / name).stat().st_size > 0 for name in EXPECTED)
    assert [p.name for p in tmp_path.iterdir()] == ["result"]  # no temporary folder left beside it


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
