"""End-to-end speed and memory: the naive one-process pose loop vs ``formcheck analyze``.

    python benchmarks/bench_pose.py --stages --skip-memory   # short, 3-s and 1-min clips vs the ideal split
    python benchmarks/bench_pose.py --quick          # speed ratios; memory 1 min vs 2 min
    python benchmarks/bench_pose.py                  # same, memory 1 min vs 10 min (takes a while)
    python benchmarks/bench_pose.py --clip X.mp4     # speed ratios on your own clip only
    python benchmarks/bench_pose.py --memory-only    # memory 1 min vs 10 min only
    python benchmarks/bench_pose.py --pose-stage     # also the pose stage alone (d)

Clips (all timed in the same run, so that the ratios share the machine's load): the shared
6.5-s 60 fps gym clip ("short", the usual phone clip is 5-20 s), its first 3 s re-encoded
("3-s", the shortest clip the speed goal covers) and the 1-min loop ("long").

What is timed, in one run on each clip:

(a) the naive loop: ``cv2.VideoCapture`` -> ``mp.solutions.pose.Pose(model_complexity=1).process``
    on every frame, one process;
(b) ``formcheck analyze CLIP --out TMP --no-cache --quiet``: the whole command (probe, parallel
    pose, analysis, summary/CSVs, key frames and plots), default workers;
(c) with ``--stages``: the naive loop on each core's equal share of the frames at once (one
    process each): the "ideal split", the most that splitting the naive work could give on
    this machine; the goal is (b) >= 95 % of (c)'s speed, i.e. wall(c) / wall(b) >= 0.95;
(d) with ``--pose-stage``: formcheck's parallel pose stage alone, thread and process pools.

All are timed from process start to exit (interpreter start-up and imports included for
both), ``--repeat`` times alternately (a, b, a, b: a noisy neighbour on a shared VM hits both
alike), and the ratio is taken between the medians. Each run is a fresh process group,
so peak memory is that run's alone: the parent samples the whole group every 0.1 s from
/proc and keeps the peak of the summed RSS and of the summed PSS (PSS splits shared pages
between processes; with one process the two agree).

The test clips are built once (cached in --workdir) by looping the shared
1080x1920 sample clips and re-encoding them with libx264 (preset ultrafast)
at 30 fps; they are never written into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "videos"
GYM = SHARED / "treadmill_side_gym_portrait_60fps.mp4"
SOURCES = [GYM, SHARED / "outdoor_front_jog_portrait.mp4"]
GOAL_OF_IDEAL = 0.95
SIZE = (1080, 1920)
FPS = 30


# ------------------------------------------------------------------ test clips


def build_clip(path: Path, minutes: float) -> Path:
    """A 1080x1920 H.264 clip of ``minutes`` made by looping the shared clips (kept for re-runs)."""
    import av

    frames_needed = int(minutes * 60 * FPS)
    if path.exists():
        with av.open(str(path)) as existing:
            if existing.streams.video[0].frames == frames_needed:
                return path
    tmp = path.with_suffix(".part.mp4")
    started = time.perf_counter()
    with av.open(str(tmp), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        stream.codec_context.time_base = Fraction(1, FPS)
        written = 0
        while written < frames_needed:
            for source in SOURCES:
                with av.open(str(source)) as src:
                    for frame in src.decode(video=0):
                        if written >= frames_needed:
                            break
                        image = frame.reformat(width=SIZE[0], height=SIZE[1], format="yuv420p")
                        image.pts, image.time_base = written, Fraction(1, FPS)
                        for packet in stream.encode(image):
                            out.mux(packet)
                        written += 1
        for packet in stream.encode():
            out.mux(packet)
    tmp.rename(path)
    print(f"built {path.name}: {frames_needed} frames in {time.perf_counter() - started:.0f} s")
    return path


def build_cut(path: Path, source: Path, seconds: float) -> Path:
    """The first ``seconds`` of ``source`` re-encoded (same size and rate, libx264, kept for re-runs)."""
    import av

    if path.exists():
        return path
    tmp = path.with_suffix(".part.mp4")
    with av.open(str(source)) as src, av.open(str(tmp), "w") as out:
        stream_in = src.streams.video[0]
        rate = stream_in.average_rate or Fraction(FPS)
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = stream_in.codec_context.width, stream_in.codec_context.height, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "20"}
        stream.codec_context.time_base = 1 / Fraction(rate)
        for written, frame in enumerate(src.decode(stream_in)):
            if written >= round(seconds * rate):
                break
            image = frame.reformat(format="yuv420p")
            image.pts, image.time_base = written, 1 / Fraction(rate)
            for packet in stream.encode(image):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    tmp.rename(path)
    return path


# ------------------------------------------------------------------ measured paths (child side)


def run_naive(video: str, part: int = 0, parts: int = 1) -> dict[str, float]:
    """cv2.VideoCapture -> mediapipe Pose(model_complexity=1).process, one process, every frame.

    With ``parts`` > 1, only the ``part``-th equal share of the frames (seeked to).
    """
    import cv2
    import mediapipe as mp

    capture = cv2.VideoCapture(video)
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    first, last = total * part // parts, total * (part + 1) // parts
    if first:
        capture.set(cv2.CAP_PROP_POS_FRAMES, first)
    frames = found = 0
    with mp.solutions.pose.Pose(model_complexity=1) as pose:
        while parts == 1 or frames < last - first:
            ok, bgr = capture.read()
            if not ok:
                break
            result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            frames += 1
            found += result.pose_landmarks is not None
    capture.release()
    return {"frames": frames, "found": found}


def run_naive_split(video: str, parts: int) -> dict[str, float]:
    """The naive loop on ``parts`` equal shares of the clip at once, one process each.

    The best any split of the naive work across cores could do: no seams, no stitching,
    no analysis, nothing written. It shows how much of the core count this machine
    really delivers for this workload (shared caches, memory bandwidth, a VM's vCPUs).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(parts, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(run_naive, [video] * parts, range(parts), [parts] * parts))
    return {"frames": sum(r["frames"] for r in results), "found": sum(r["found"] for r in results)}


def run_pose_stage(video: str, workers: int | None, pool: str) -> dict[str, float]:
    """formcheck's parallel pose stage alone (no analysis, no outputs), for ``--stages``."""
    from formcheck.pose.parallel import extract_pose_parallel
    from formcheck.video.probe import probe_video

    result = extract_pose_parallel(probe_video(video), workers=workers, pool=pool)
    return {"frames": result.track.n_frames, "found": int(result.track.found.sum()),
            "segments": result.segments, "workers": result.workers}


def child_main(mode: str, video: str, workers: int | None) -> None:
    if mode == "naive":
        stats = run_naive(video)
    elif mode.startswith("split:"):
        stats = run_naive_split(video, int(mode.partition(":")[2]))
    else:
        stats = run_pose_stage(video, workers, mode.partition(":")[2] or "thread")
    print("RESULT " + json.dumps(stats), flush=True)


# ------------------------------------------------------------------ parent side: run + sample memory


def _group_memory_kb(pgid: int) -> tuple[int, int, int]:
    """Summed RSS, summed PSS and the largest single RSS (kB) of the live processes in group ``pgid``.

    ``analyze`` forks (the supervisor; the plots after the pose), and a forked child shares its
    parent's pages: summed RSS counts them once per process, PSS splits them, so PSS is the
    memory the run really takes."""
    rss = pss = largest = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[2]) != pgid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                    largest = max(largest, int(line.split()[1]))
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss, largest


def _run_sampled(command: list[str], label: str) -> tuple[str, dict[str, float]]:
    """Run ``command`` in a fresh process group; its stdout, wall time and peak group memory."""
    env = {**os.environ, "GLOG_minloglevel": "2", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env)
    peak = [0, 0, 0]

    def sample() -> None:
        while proc.poll() is None:
            sizes = _group_memory_kb(proc.pid)
            peak[:] = [max(p, v) for p, v in zip(peak, sizes)]
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise SystemExit(f"{label} failed (exit {proc.returncode}): {tail[0]}")
    return stdout, {"wall_s": wall, "peak_rss_mb": peak[0] / 1024, "peak_pss_mb": peak[1] / 1024,
                    "peak_largest_rss_mb": peak[2] / 1024,
                    "cpu_s_total": usage.ru_utime + usage.ru_stime}


def measure_naive(video: Path) -> dict[str, float]:
    stdout, stats = _run_sampled([sys.executable, __file__, "_child", "naive", str(video)], "naive loop")
    stats.update(json.loads([ln for ln in stdout.splitlines() if ln.startswith("RESULT ")][-1][len("RESULT "):]))
    return stats


def measure_split(video: Path, parts: int) -> dict[str, float]:
    stdout, stats = _run_sampled([sys.executable, __file__, "_child", f"split:{parts}", str(video)], "naive split")
    stats.update(json.loads([ln for ln in stdout.splitlines() if ln.startswith("RESULT ")][-1][len("RESULT "):]))
    return stats


def measure_stage(video: Path, workers: int | None, pool: str) -> dict[str, float]:
    command = [sys.executable, __file__, "_child", f"stage:{pool}", str(video)]
    stdout, stats = _run_sampled(command + (["--workers", str(workers)] if workers else []), f"pose stage ({pool})")
    stats.update(json.loads([ln for ln in stdout.splitlines() if ln.startswith("RESULT ")][-1][len("RESULT "):]))
    return stats


def measure_analyze(video: Path, workers: int | None, workdir: Path) -> dict[str, float]:
    """``formcheck analyze`` as a user runs it (the console script of this interpreter's venv)."""
    out = workdir / "analyze-out"
    shutil.rmtree(out, ignore_errors=True)
    script = Path(sys.executable).with_name("formcheck")
    command = [str(script), "analyze", str(video), "--out", str(out), "--no-cache", "--quiet"]
    _, stats = _run_sampled(command + (["--workers", str(workers)] if workers else []), "formcheck analyze")
    pose = json.loads((out / "summary.json").read_text())["pose"]
    stats.update(frames=pose["frames_analysed"], found=pose["frames_with_person"])
    shutil.rmtree(out, ignore_errors=True)
    return stats


def _with_cpu(before: float, stats: dict[str, float]) -> dict[str, float]:
    """Turn the cumulative children CPU time into this run's CPU seconds."""
    stats["cpu_s"] = stats.pop("cpu_s_total") - before
    stats["fps"] = stats["frames"] / stats["wall_s"]
    return stats


def _line(label: str, s: dict[str, float]) -> str:
    extra = f", {s['segments']} segments on {s['workers']} workers" if "segments" in s else ""
    return (f"{label:<34} {s['frames']:>6.0f} frames  {s['wall_s']:7.1f} s  {s['fps']:6.1f} fps  "
            f"CPU {s['cpu_s'] / s['wall_s']:4.2f} cores  found {s['found'] / max(1, s['frames']):5.1%}  "
            f"peak PSS {s['peak_pss_mb']:5.0f} MB  RSS {s['peak_rss_mb']:5.0f} MB summed, "
            f"{s['peak_largest_rss_mb']:5.0f} MB largest process{extra}")


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    return _with_cpu(before.ru_utime + before.ru_stime, fn(*args))


def speed_runs(clips: list[tuple[str, Path]], args: argparse.Namespace, cores: int) -> dict[str, dict[str, float]]:
    """Each path on each clip ``--repeat`` times, alternating (a, b, c on clip 1, then clip 2, ...)."""
    runs: dict[str, dict[str, list[dict[str, float]]]] = {name: {"a": [], "b": [], "c": []} for name, _ in clips}
    for i in range(max(1, args.repeat)):
        for name, clip in clips:
            runs[name]["a"].append(_timed(measure_naive, clip))
            runs[name]["b"].append(_timed(measure_analyze, clip, args.workers, args.workdir))
            if args.stages:
                runs[name]["c"].append(_timed(measure_split, clip, cores))
            walls = ", ".join(f"{k} {v[-1]['wall_s']:.1f} s" for k, v in runs[name].items() if v)
            print(f"  run {i + 1} on {name}: {walls} (load {os.getloadavg()[0]:.1f})", flush=True)
    medians: dict[str, dict[str, float]] = {}
    for name, clip in clips:
        r = runs[name]
        print(f"\nspeed on {clip.name} ({name}; each path {len(r['a'])}x, alternating)")
        for i in range(len(r["a"])):
            print(_line(f"(a) naive cv2+Pose loop, run {i + 1}", r["a"][i]))
            print(_line(f"(b) formcheck analyze, run {i + 1}", r["b"][i]))
            if r["c"]:
                print(_line(f"(c) naive loop in {cores} parts, run {i + 1}", r["c"][i]))
        naive, fast = _median(r["a"]), _median(r["b"])
        medians[name] = {"a": naive["wall_s"], "b": fast["wall_s"], "b_stats": fast}  # type: ignore[dict-item]
        print(f"ratio b/a (median wall {naive['wall_s']:.1f} s / {fast['wall_s']:.1f} s): "
              f"{naive['wall_s'] / fast['wall_s']:.2f}x end to end")
        if r["c"]:
            split = _median(r["c"])
            medians[name]["c"] = split["wall_s"]
            print(f"ratio c/a: {naive['wall_s'] / split['wall_s']:.2f}x, the most any split of the naive work "
                  f"reaches on this machine; b reaches {split['wall_s'] / fast['wall_s']:.0%} of it")
        if args.pose_stage:
            for pool in ("thread", "process"):
                print(_line(f"(d) pose stage only, {pool} pool", _timed(measure_stage, clip, args.workers, pool)))
    if args.stages:
        print(f"\nformcheck analyze vs the ideal split (median walls; goal: >= {GOAL_OF_IDEAL:.0%} of the ideal's speed)")
        print(f"{'clip':<8} {'naive (a)':>10} {'analyze (b)':>12} {'ideal (c)':>10} {'c/b':>6}  goal")
        for name, clip in clips:
            m = medians[name]
            share = m["c"] / m["b"]
            print(f"{name:<8} {m['a']:9.1f}s {m['b']:11.1f}s {m['c']:9.1f}s {share:6.0%}  "
                  f"{'met' if share >= GOAL_OF_IDEAL else 'NOT met'}")
    return {name: m["b_stats"] for name, m in medians.items()}  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, help="time only this clip (default: the short, 3-s and 1-min clips)")
    parser.add_argument("--only", default="short,3-s,long", help="which of the default clips to time (comma-separated)")
    parser.add_argument("--workers", type=int, default=None, help="formcheck workers (default: usable cores)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each path (median is used)")
    parser.add_argument("--quick", action="store_true", help="memory check with 2 min instead of 10 min")
    parser.add_argument("--stages", action="store_true", help="also time the naive loop split across the cores (the ideal split)")
    parser.add_argument("--pose-stage", action="store_true", help="also time formcheck's pose stage alone (thread and process pools)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="skip the naive-vs-formcheck speed run")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "formcheck-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    print(f"python {sys.version.split()[0]}, {cores} usable cores, {platform.processor() or platform.machine()}, "
          f"load average at start {os.getloadavg()[0]:.2f}")

    one_min = build_clip(args.workdir / "loop_1min_1080x1920.mp4", 1)
    if args.clip:
        clips = [(args.clip.stem[:8], args.clip)]
    else:
        clips = [("short", GYM), ("3-s", build_cut(args.workdir / "gym_first_3s.mp4", GYM, 3.0)), ("long", one_min)]
        clips = [(name, clip) for name, clip in clips if name in args.only.split(",")]
    fast: dict[str, dict[str, float]] = {}
    if not args.memory_only:
        fast = speed_runs(clips, args, cores)
        print(f"load average at the end {os.getloadavg()[0]:.2f}")

    if args.skip_memory:
        return
    long_min = 2 if args.quick else 10
    long_clip = build_clip(args.workdir / f"loop_{long_min}min_1080x1920.mp4", long_min)
    short = fast.get("long") or _timed(measure_analyze, one_min, args.workers, args.workdir)
    long = _timed(measure_analyze, long_clip, args.workers, args.workdir)
    print("\nmemory (formcheck analyze, whole process tree)")
    print(_line("1-min 1080p", short))
    print(_line(f"{long_min}-min 1080p", long))
    growth = long["peak_pss_mb"] / short["peak_pss_mb"] - 1
    print(f"peak PSS {long_min} min vs 1 min: {growth:+.1%} (goal: within +20 %, and < 600 MB); "
          f"largest process's RSS {long['peak_largest_rss_mb'] / short['peak_largest_rss_mb'] - 1:+.1%}")


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median wall time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        workers_arg = int(sys.argv[sys.argv.index("--workers") + 1]) if "--workers" in sys.argv else None
        child_main(sys.argv[2], sys.argv[3], workers_arg)
    else:
        main()
