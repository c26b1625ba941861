"""How ``formcheck batch`` scales: the same clips with 1 worker, with every core, and on Ray.

Usage::

    .venv/bin/python benchmarks/bench_batch.py            # 6 short shared clips, poses recomputed (--no-cache)
    .venv/bin/python benchmarks/bench_batch.py --cache    # poses from the cache: the batch's own overhead
    .venv/bin/python benchmarks/bench_batch.py --clips a.mp4 b.avi --copies 2

Each run is a fresh ``formcheck batch`` process (a new output folder and a new
SQLite store, so nothing is skipped), timed from process start to exit: the
imports, the workers' start-up, a local Ray instance's start and stop, the
pose model, the analysis, key frames, plots, the store and ``batch.csv`` all
count, because a user waits for all of them. The ratios are printed against
the 1-worker run of the same invocation. The machine's load average and each
run's CPU time (and so the cores it really got) are printed too: on a shared
machine a second worker only helps if a second core is free, and the CPU
seconds show whether the work itself grew. ``--copies`` repeats the
clip list under new names (the same bytes are analysed again: the store's
skip only looks at what was done before the batch started).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "data" / "videos"
DEFAULT_CLIPS = ("outdoor_side_grass_short.mp4", "outdoor_legs_only_closeup.mp4", "outdoor_front_jog_portrait.mp4",
                 "negative_squat_front_portrait.mp4", "negative_walking_side_far.avi", "outdoor_side_far_elevated.avi")  # fmt: skip


def usable_cores() -> int:
    return len(os.sched_getaffinity(0))


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def make_source(root: Path, clips: list[str], copies: int) -> tuple[Path, int]:
    """A folder ``root/bench/`` of symlinks to the clips (one runner); returns it and the frame count."""
    sys.path.insert(0, str(REPO))
    from formcheck.video.probe import probe_video

    source = root / "in" / "bench"
    source.mkdir(parents=True)
    frames = 0
    for copy in range(copies):
        for name in clips:
            clip = VIDEOS / name
            target = source / (name if copy == 0 else f"{Path(name).stem}-copy{copy}{Path(name).suffix}")
            target.symlink_to(clip)
            frames += probe_video(clip).frames
    return source.parent, frames


def children_cpu_s() -> float:
    """User + system CPU seconds of every waited-for descendant so far (pool workers are joined, so counted)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_batch(source: Path, root: Path, label: str, workers: int, ray: bool, cache: bool) -> tuple[float, int, int, float]:
    """Wall seconds, clips analysed, clips failed and CPU seconds of one ``formcheck batch`` process."""
    out = root / f"out-{label}"
    args = [sys.executable, "-m", "formcheck.cli", "batch", str(source), "--out", str(out), "--db",
            f"sqlite:///{root / f'{label}.db'}", "--workers", str(workers), "--quiet"]  # fmt: skip
    if not cache:
        args.append("--no-cache")
    if ray:
        args.append("--ray")
    env = {**os.environ, "RAY_TMPDIR": str(root / f"ray-{label}"), "RAY_USAGE_STATS_ENABLED": "0"}
    cpu_before, started = children_cpu_s(), time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds, cpu = time.perf_counter() - started, children_cpu_s() - cpu_before
    if done.returncode not in (0, 1):
        raise SystemExit(f"{label}: formcheck batch failed ({done.returncode}): {done.stderr[-2000:]}")
    with (out / "batch.csv").open() as handle:
        statuses = [row["status"] for row in csv.DictReader(handle)]
    return seconds, statuses.count("analysed"), statuses.count("failed"), cpu


def ray_start_stop_s() -> float:
    """A local Ray instance started and stopped with nothing run on it: the fixed cost of ``--ray``."""
    code = ("import logging, ray; ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, "
            "logging_level=logging.WARNING); ray.shutdown()")  # fmt: skip
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="+", default=list(DEFAULT_CLIPS), help="clip names in ../shared/data/videos")
    parser.add_argument("--copies", type=int, default=1, help="repeat the clip list this many times")
    parser.add_argument("--cache", action="store_true", help="take poses from the cache (default: recompute)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray runs")
    options = parser.parse_args()
    cores = usable_cores()
    root = Path(tempfile.mkdtemp(prefix="fcbb-"))
    try:
        source, frames = make_source(root, options.clips, options.copies)
        count = len(options.clips) * options.copies
        print(f"{count} clips, {frames} frames, {cores} usable cores, poses {'cached' if options.cache else 'recomputed'}, "
              f"load average before: {load_average()}")  # fmt: skip
        runs = [("pool-1", 1, False), (f"pool-{cores}", cores, False)]
        if not options.no_ray:
            runs.append((f"ray-{cores}", cores, True))
        results: dict[str, tuple[float, int, int, float]] = {}
        for label, workers, ray in runs:
            results[label] = run_batch(source, root, label, workers, ray, options.cache)
            seconds, analysed, failed, cpu = results[label]
            print(f"  {label:8s} {seconds:7.1f} s  {analysed} analysed, {failed} failed  "
                  f"{60 * analysed / seconds:6.1f} videos/min  {frames / seconds:6.1f} frames/s  "
                  f"CPU {cpu:6.1f} s = {cpu / seconds:.2f} cores{' (Ray daemons partly uncounted)' if ray else ''}  "
                  f"(load {load_average()})")
        base = results["pool-1"][0]
        pool = results[f"pool-{cores}"][0]
        print(f"speed-up 1 -> {cores} workers (local pool): {base / pool:.2f}x (goal >= 1.8x on 2 cores)")
        if not options.no_ray:
            ray_s = results[f"ray-{cores}"][0]
            print(f"speed-up 1 -> {cores} workers (Ray):        {base / ray_s:.2f}x")
            print(f"Ray vs local pool, same cores: {ray_s / pool:.2f}x the time ({100 * (ray_s / pool - 1):+.0f} %; goal within 10 %)")
            fixed = ray_start_stop_s()
            print(f"  of which a local Ray instance's start + stop alone: {fixed:.1f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
