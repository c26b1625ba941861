"""``formcheck analyze`` end to end: files written, exact keys, one-line errors, nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "outdoor_side_grass_short.mp4"
METRICS = {"cadence_spm", "step_time_asymmetry_pct", "trunk_lean_deg", "trunk_lean_drift_deg", "head_flexion_deg",
           "forward_head_deg", "vertical_oscillation_pct_leg", "vertical_oscillation_cm", "overstride_pct_leg",
           "overstride_cm", "knee_flexion_at_contact_deg", "ground_contact_ms"}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=600)  # fmt: skip


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
def test_analyze_writes_summary_strides_and_frames(tmp_path):
    out = tmp_path / "result"
    result = run("analyze", str(SAMPLE), "--out", str(out), "--height-cm", "165", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # --quiet: errors only (no native logs, no Python warnings)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema"] == "formcheck.analysis/1"
    for key in ("video", "activity", "view", "facing", "time_scale", "warnings", "metrics", "filter"):
        assert key in summary
    assert set(summary["video"]) >= {"path", "sha256", "width", "height", "rotation_deg", "fps", "frames", "duration_s", "codec"}
    assert set(summary["metrics"]) == METRICS
    for metric in summary["metrics"].values():
        assert set(metric) == {"value", "unit", "sd", "n", "reason"}
        assert (metric["value"] is None) == (metric["reason"] is not None)
    assert summary["video"]["width"] == 480 and summary["video"]["frames"] == 47
    assert summary["filter"]["cutoff_hz"] > 0
    frames = summary["video"]["frames"]
    assert 0 <= summary["filter"]["landmark_frames_left_nan"] <= 33 * frames  # landmark-frames, named so
    assert "frames_left_nan" not in summary["filter"]
    strides = (out / "strides.csv").read_text().splitlines()
    frames = (out / "frames.csv").read_text().splitlines()
    assert strides[0].startswith("stride,foot,facing,contact_frame") and len(frames) == 48
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]  # no temporary leftovers


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _tiny_video(path: Path, seconds_between_frames: float, frames: int = 2) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        stream.time_base = Fraction(1, 30)
        for i, t in enumerate(seconds_between_frames * k for k in range(frames)):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), 40 * i, np.uint8), format="rgb24")
            frame.pts = int(t * 30)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.mark.parametrize(
    "make, expected_code, words",
    [
        (lambda d: d / "missing.mp4", 3, "does not exist"),
        (lambda d: d, 3, "is a directory"),
        (lambda d: _file(d / "notes.mp4", b"not a video"), 5, "not a video"),
        (lambda d: _file(d / "empty.mp4", b""), 5, "empty"),
        (lambda d: _file(d / "cut.mp4", SAMPLE.read_bytes()[:30000]), 5, "truncated"),
        (lambda d: _tiny_video(d / "long.mp4", 31 * 60), 5, "pick a part of it by its start and end, in seconds (--start, --end)."),
        (lambda d: _tiny_video(d / "nobody.mp4", 0.1, frames=15), 6, "nobody was found"),
        (lambda d: _tiny_video(d / "two_frames.mp4", 0.1), 5, "long (2 frames): no gait can be measured"),
    ],
)
def test_bad_videos_get_one_line_and_nothing_written(tmp_path, make, expected_code, words):
    source = make(tmp_path)
    out = tmp_path / "out"
    result = run("analyze", str(source), "--out", str(out), "--quiet", "--no-cache")
    assert result.returncode == expected_code, result.stderr
    assert words in error_line(result)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_unwritable_out_and_bad_options(tmp_path):
    result = run("analyze", str(SAMPLE), "--out", "/proc/formcheck-out", "--quiet")
    assert result.returncode == 4 and "cannot" in error_line(result)
    result = run("analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--height-cm", "5")
    assert result.returncode == 2 and "centimetres" in error_line(result)
    result = run("analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--start", "3", "--end", "1")
    assert result.returncode == 2 and "--end" in error_line(result)
    result = run("analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--start", "nan")  # was a traceback
    assert (result.returncode, result.stderr) == (
        2, "error: the start of the chosen part must be a number of seconds, not nan (--start).\n")
    result = run("analyze", str(SAMPLE), "--out", str(tmp_path / "o"), "--capture-fps", "10")  # the file plays at 29.97
    assert result.returncode == 2 and "a capture rate of 10 fps is below the 29.97 fps the file plays at" in error_line(result)
    assert error_line(result).endswith("(--capture-fps).") and not (tmp_path / "o").exists()


def test_without_quiet_but_piped_stderr_holds_nothing_but_errors(tmp_path, monkeypatch):
    """No progress bar (nor the blank line it left) when stderr is not a terminal: the results alone, on stdout.

    The clip's name and the folder are shown as written, brackets and all (rich would read them as markup)."""
    clip = tmp_path / "[red]x.mp4"
    clip.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("COLUMNS", "300")  # lines unwrapped
    result = run("analyze", str(clip), "--out", str(tmp_path / "[b]o"))
    assert result.returncode == 0 and result.stderr == "" and "running" in result.stdout
    assert "[red]x.mp4: running" in result.stdout and f"Written: {tmp_path / '[b]o'}/summary.json" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("signum, pool_workers", [(15, "2"), (2, "2")])
def test_killing_analyze_leaves_no_output_and_no_process(tmp_path, signum, pool_workers):
    import signal
    import time

    clip = REPO.parent / "shared" / "data" / "videos" / "treadmill_side_lab_slowmo.mp4"
    if not clip.exists():
        pytest.skip("shared clips not present")
    out = tmp_path / "result"
    env = {**os.environ, "FORMCHECK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "formcheck.cli", "analyze", str(clip), "--out", str(out),
                             "--workers", pool_workers, "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True, stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        time.sleep(6.0)  # imports done, pose running on the segments (the whole run takes ~20 s)
        assert proc.poll() is None, proc.communicate()[1]
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # Ctrl-C reaches the whole foreground group
        else:
            os.kill(proc.pid, signum)
        sent = time.monotonic()
        _, stderr = proc.communicate(timeout=15)
        assert time.monotonic() - sent < 5.0
        assert proc.returncode == 130
        assert "interrupted" in error_line(proc_result(proc, stderr))
        assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name != "cache"] == []
        children = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert children == []
    finally:
        if proc.poll() is None:
            proc.kill()


def proc_result(proc: subprocess.Popen, stderr: str) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", stderr)


@pytest.mark.slow
def test_export_flags_write_opensim_files_atomically(tmp_path):
    out = tmp_path / "result"
    result = run("analyze", str(SAMPLE), "--out", str(out), "--export", "trc", "--export", "mot", "--height-cm", "165", "--quiet")
    assert result.returncode == 0, result.stderr
    trc, mot = out / "outdoor_side_grass_short.trc", out / "outdoor_side_grass_short.mot"
    assert trc.read_text().startswith("PathFileType\t4\t(X/Y/Z)")
    assert "endheader" in mot.read_text()
    bad = run("analyze", str(SAMPLE), "--out", str(tmp_path / "other"), "--export", "c3d")
    assert bad.returncode == 2 and "c3d" in error_line(bad) and not (tmp_path / "other").exists()


@pytest.mark.slow
def test_a_file_damaged_in_the_middle_still_gives_the_analysis_with_a_warning(damaged_clip, tmp_path):
    out = tmp_path / "damaged"
    result = run("analyze", str(damaged_clip), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert 1 <= summary["pose"]["damaged_frames"] <= 30
    assert summary["pose"]["frames_analysed"] == 388
    assert any("damaged in the file" in w for w in summary["warnings"])
    assert summary["metrics"]["cadence_spm"]["value"] is not None  # the rest of the analysis is there


def test_summary_table_has_one_row_a_measure_and_keeps_values_on_one_line(tmp_path, capsys, monkeypatch):
    """'Vertical oscillation' and 'Overstride' each appeared twice (% and cm rows with one label), and at 80 columns
    '± 12.1' wrapped away from '168.3 steps/min'."""
    from types import SimpleNamespace

    from formcheck.commands.analyze_view import print_summary

    monkeypatch.setenv("COLUMNS", "80")
    metric = lambda v, unit, sd=None, n=12, reason=None: {"value": v, "unit": unit, "sd": sd, "n": n, "reason": reason}  # noqa: E731
    summary = {
        "video": {"path": "clip.mp4"}, "activity": "running", "view": "side", "facing": "right",
        "time_scale": {"slow_motion_detected": False, "factor": 1.0}, "warnings": [], "drift": {},
        "metrics": {
            "cadence_spm": metric(168.3, "steps/min", 12.1),
            "vertical_oscillation_pct_leg": metric(9.6, "% leg length", 4.1),
            "vertical_oscillation_cm": metric(8.1, "cm", 3.5),
            "overstride_pct_leg": metric(37.5, "% leg length", 18.4),
            "overstride_cm": metric(None, "cm", reason="runner's height not given"),
        },
    }  # fmt: skip
    result = SimpleNamespace(summary=summary, track=SimpleNamespace(n_frames=100, found_fraction=1.0), from_cache=True)
    print_summary(result, tmp_path)
    out = capsys.readouterr().out
    assert out.count("Vertical oscillation") == 1 and out.count("Overstride") == 1
    assert "9.6 % leg length ± 4.1 (8.1 cm)" in out and "168.3 steps/min ± 12.1" in out
    assert "37.5 % leg length ± 18.4 " in out and "(" not in out.split("37.5 % leg length ± 18.4")[1].split("\n")[0]
