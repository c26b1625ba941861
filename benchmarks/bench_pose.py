"""Pose inference speed and memory: the naive one-process loop vs formcheck's parallel path.

    python benchmarks/bench_pose.py --quick          # 1-min clip: speed ratio; memory 1 min vs 2 min
    python benchmarks/bench_pose.py                  # same, memory 1 min vs 10 min (takes a while)
    python benchmarks/bench_pose.py --clip X.mp4     # speed ratio on your own clip

Each measured run is a fresh child process (started in its own process group),
so peak memory is that run's alone: the parent samples the whole group (the
run plus its pose workers) every 0.1 s from /proc and keeps the peak of the
summed RSS and of the summed PSS (PSS splits shared pages such as the
MediaPipe library between processes, so it is the honest "memory this run
costs"; RSS sums count those pages once per worker). ``ru_maxrss`` from the
child (self, and the largest worker) is printed too.

The test clips are built once (cached in --workdir) by looping the shared
1080x1920 sample clips and re-encoding them with libx264 (preset ultrafast)
at 30 fps; they are never written into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "videos"
SOURCES = [SHARED / "treadmill_side_gym_portrait_60fps.mp4", SHARED / "outdoor_front_jog_portrait.mp4"]
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


# ------------------------------------------------------------------ the two measured paths (child side)


def run_naive(video: str) -> dict[str, float]:
    """cv2.VideoCapture -> mediapipe Pose(model_complexity=1).process, one process, every frame."""
    import cv2
    import mediapipe as mp

    started = time.perf_counter()
    capture = cv2.VideoCapture(video)
    frames = found = 0
    with mp.solutions.pose.Pose(model_complexity=1) as pose:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            frames += 1
            found += result.pose_landmarks is not None
    capture.release()
    return {"frames": frames, "found": found, "wall_s": time.perf_counter() - started}


def run_formcheck(video: str, workers: int | None, pool: str = "thread") -> dict[str, float]:
    from formcheck.pose.parallel import extract_pose_parallel
    from formcheck.video.probe import probe_video

    info = probe_video(video)
    started = time.perf_counter()
    result = extract_pose_parallel(info, workers=workers, pool=pool)
    wall = time.perf_counter() - started
    return {"frames": result.track.n_frames, "found": int(result.track.found.sum()), "wall_s": wall,
            "segments": result.segments, "workers": result.workers, "warnings": len(result.warnings)}


def child_main(mode: str, video: str, workers: int | None) -> None:
    stats = run_naive(video) if mode == "naive" else run_formcheck(video, workers, mode.partition(":")[2] or "thread")
    stats["maxrss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats["maxrss_largest_child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("RESULT " + json.dumps(stats), flush=True)


# ------------------------------------------------------------------ parent side: run + sample memory


def _group_memory_kb(pgid: int) -> tuple[int, int]:
    """Summed RSS and PSS (kB) of the live processes in process group ``pgid``."""
    rss = pss = 0
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
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


def measure(mode: str, video: Path, workers: int | None) -> dict[str, float]:
    """Run one path in a fresh process group and sample its memory until it ends."""
    command = [sys.executable, __file__, "_child", mode, str(video)] + (["--workers", str(workers)] if workers else [])
    env = {**os.environ, "GLOG_minloglevel": "2", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True, env=env)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss = _group_memory_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    sampler.join()
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{mode} run on {video.name} failed (exit {proc.returncode})")
    stats = json.loads(lines[-1][len("RESULT "):])
    stats.update(peak_rss_mb=peak[0] / 1024, peak_pss_mb=peak[1] / 1024, fps=stats["frames"] / stats["wall_s"])
    return stats


def _line(label: str, s: dict[str, float]) -> str:
    extra = f", {s['segments']} segments on {s['workers']} workers" if "segments" in s else ""
    return (f"{label:<28} {s['frames']:>6.0f} frames  {s['wall_s']:7.1f} s  {s['fps']:6.1f} fps  "
            f"found {s['found'] / max(1, s['frames']):5.1%}  peak tree RSS {s['peak_rss_mb']:6.0f} MB  "
            f"PSS {s['peak_pss_mb']:6.0f} MB  (maxrss self {s['maxrss_self_mb']:.0f} MB, "
            f"largest child {s['maxrss_largest_child_mb']:.0f} MB){extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, help="clip for the speed comparison (default: the 1-min test clip)")
    parser.add_argument("--workers", type=int, default=None, help="formcheck workers (default: usable cores)")
    parser.add_argument("--quick", action="store_true", help="memory check with 2 min instead of 10 min")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="skip the naive-vs-formcheck speed run")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "formcheck-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    print(f"python {sys.version.split()[0]}, {cores} usable cores")

    one_min = build_clip(args.workdir / "loop_1min_1080x1920.mp4", 1)
    clip = args.clip or one_min
    fast: dict[str, float] | None = None
    if not args.memory_only:
        naive = measure("naive", clip, None)
        fast = measure("formcheck:thread", clip, args.workers)
        procs = measure("formcheck:process", clip, args.workers)
        print(f"\nspeed on {clip.name}")
        print(_line("(a) naive cv2+Pose loop", naive))
        print(_line("(b) formcheck, threads", fast))
        print(_line("(c) formcheck, processes", procs))
        print(f"ratio b/a: {fast['fps'] / naive['fps']:.2f}x the frames per second; "
              f"c/a: {procs['fps'] / naive['fps']:.2f}x")

    if args.skip_memory:
        return
    long_min = 2 if args.quick else 10
    long_clip = build_clip(args.workdir / f"loop_{long_min}min_1080x1920.mp4", long_min)
    short = fast if fast is not None and clip == one_min else measure("formcheck:thread", one_min, args.workers)
    long = measure("formcheck:thread", long_clip, args.workers)
    print("\nmemory (formcheck path)")
    print(_line("1-min 1080p", short))
    print(_line(f"{long_min}-min 1080p", long))
    growth = long["peak_pss_mb"] / short["peak_pss_mb"] - 1
    print(f"peak PSS {long_min} min vs 1 min: {growth:+.1%} (goal: within +20 %, and < 600 MB)"
          f"; RSS-sum {long['peak_rss_mb'] / short['peak_rss_mb'] - 1:+.1%}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        workers_arg = int(sys.argv[sys.argv.index("--workers") + 1]) if "--workers" in sys.argv else None
        child_main(sys.argv[2], sys.argv[3], workers_arg)
    else:
        main()
