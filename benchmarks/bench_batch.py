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
the 1-worker run of the same invocation, and also against a 1-worker run pinned
to one core (``PINNED``: per-core scaling). The machine's load average and each
run's CPU time (and so the cores it really got) are printed too: on a shared
machine a second worker only helps if a second core is free, and the CPU
seconds show whether the work itself grew. ``--copies`` repeats the
clip list under new names (the same bytes are analysed again: the store's
skip only looks at what was done before the batch started).

On a machine shared with other work, ``--repeat N`` runs the configurations
in turn N times (interleaved, so a burst of someone else's load hits all of
them alike), waits before each run until the machine is nearly idle (at most
``--settle`` seconds), prints the CPU seconds *other* processes used during
each run (``others``: 0 means the run had the machine to itself) and reports
each configuration's best and median run; the ratios use the best runs.

``--ceiling`` also times the bare work itself at clip level: the naive pose
loop (``bench_pose.run_naive``: OpenCV decode -> BlazePose, nothing else) over
all the clips in one process (``naive-1``), and the same clips shared out into
one process a core, run at once (``naive-N``, balanced by frame count). Their
ratio is what this machine gives for this workload when the cores are added
(two vCPUs can share one physical core, caches and memory bandwidth), so no
batch runner can scale further on it; the batch's speed-up is printed as a
fraction of it too.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "data" / "videos"
DEFAULT_CLIPS = ("outdoor_side_grass_short.mp4", "outdoor_legs_only_closeup.mp4", "outdoor_front_jog_portrait.mp4",
                 "negative_squat_front_portrait.mp4", "negative_walking_side_far.avi", "outdoor_side_far_elevated.avi")  # fmt: skip


RAY_NOTE = " (Ray's workers are not children of the batch: their CPU counts as others')"


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


def machine_busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (``/proc/stat``, idle and iowait excluded)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def settle(max_wait_s: float, idle_cores: float = 0.25) -> float:
    """Wait (at most ``max_wait_s``) until the machine uses under ``idle_cores`` over 3 s; returns the last reading."""
    deadline = time.monotonic() + max_wait_s
    while True:
        before = machine_busy_s()
        time.sleep(3.0)
        busy = (machine_busy_s() - before) / 3.0
        if busy < idle_cores or time.monotonic() >= deadline:
            return busy


def children_cpu_s() -> float:
    """User + system CPU seconds of every waited-for descendant so far (pool workers are joined, so counted)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Run:
    """One ``formcheck batch`` process: wall and CPU seconds, clips analysed and failed, others' CPU seconds."""

    seconds: float
    analysed: int
    failed: int
    cpu_s: float
    others_cpu_s: float


PINNED = "pool-1-on-1-core"
"""One worker on one core (``sched_setaffinity``): the batch then sees a 1-core machine. An unpinned
1-worker batch on 2 cores also uses part of the second core (decoding beside the model, the forked
plots: ~1.2 cores measured), so "1 -> 2 workers" against it cannot reach 2x; this is per-core scaling."""


def run_batch(source: Path, root: Path, label: str, workers: int, ray: str | None, cache: bool) -> Run:
    """Run one ``formcheck batch`` process into a fresh output folder and store (``PINNED``: on one core)."""
    out = root / f"out-{label}"
    shutil.rmtree(out, ignore_errors=True)
    (root / f"{label}.db").unlink(missing_ok=True)
    args = [sys.executable, "-m", "formcheck.cli", "batch", str(source), "--out", str(out), "--db",
            f"sqlite:///{root / f'{label}.db'}", "--workers", str(workers), "--quiet"]  # fmt: skip
    if not cache:
        args.append("--no-cache")
    if ray == "local":
        args.append("--ray")
    elif ray:
        args += ["--ray", ray]
    tmp = root / (f"ray-{label}" if ray in (None, "local") else "ray-kept")  # a kept instance's token lives there
    env = {**os.environ, "RAY_TMPDIR": str(tmp), "RAY_USAGE_STATS_ENABLED": "0"}
    if ray not in (None, "local"):
        env["RAY_AUTH_MODE"] = "token"  # the kept instance checks the token (~/.ray/auth_token) as a cluster would
    cpu_before, busy_before, started = children_cpu_s(), machine_busy_s(), time.perf_counter()
    first_core = min(os.sched_getaffinity(0))
    pin = (lambda: os.sched_setaffinity(0, {first_core})) if label == PINNED else None
    done = subprocess.run(args, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, preexec_fn=pin)
    seconds, cpu = time.perf_counter() - started, children_cpu_s() - cpu_before
    others = machine_busy_s() - busy_before - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{label}: formcheck batch failed ({done.returncode}): {done.stderr[-2000:]}")
    with (out / "batch.csv").open() as handle:
        statuses = [row["status"] for row in csv.DictReader(handle)]
    return Run(seconds, statuses.count("analysed"), statuses.count("failed"), cpu, others)


NAIVE = "naive-"
"""Label prefix of the ``--ceiling`` runs: the naive pose loop over the clips, one process a share."""


def naive_shares(clips: list[Path], parts: int) -> list[list[Path]]:
    """The clips dealt into ``parts`` shares of nearly equal frame counts (longest first, to the lightest share)."""
    from formcheck.video.probe import probe_video

    shares: list[list[Path]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for clip, frames in sorted(((c, probe_video(c).frames) for c in clips), key=lambda cf: -cf[1]):
        lightest = loads.index(min(loads))
        shares[lightest].append(clip)
        loads[lightest] += frames
    return [share for share in shares if share]


def run_naive(clips: list[Path], parts: int) -> Run:
    """The naive loop over every clip, in ``parts`` processes started together; timed until the last ends
    (the shares are dealt before the clock starts: probing the clips is not the work being timed)."""
    shares = naive_shares(clips, parts)
    cpu_before, busy_before, started = children_cpu_s(), machine_busy_s(), time.perf_counter()
    children = [subprocess.Popen([sys.executable, __file__, "--naive-child", *map(str, share)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for share in shares]  # fmt: skip
    done = 0
    for child in children:
        out, err = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"naive loop failed ({child.returncode}): {err[-2000:]}")
        done += int(out.split()[-1])
    seconds, cpu = time.perf_counter() - started, children_cpu_s() - cpu_before
    return Run(seconds, done, 0, cpu, machine_busy_s() - busy_before - cpu)


def naive_child(clips: list[str]) -> None:
    """Child side of ``run_naive``: bench_pose's naive loop on each clip in turn; prints the clip count."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_pose import run_naive as naive_loop

    for clip in clips:
        naive_loop(clip)
    print(len(clips), flush=True)


def ray_start_stop_s(cores: int, root: Path) -> float:
    """A local Ray instance started (as ``formcheck batch --ray`` starts it) and stopped with nothing run on it."""
    code = (f"import ray; from formcheck.batch.ray_runner import _connect; _connect('local', {cores}); "
            "ray.shutdown()")  # fmt: skip
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=REPO,
                   env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_TMPDIR": str(root / "ray-fixed")})  # fmt: skip
    return time.perf_counter() - started


@contextmanager
def running_ray(cores: int, root: Path) -> Iterator[str]:
    """A Ray instance kept up by a helper process of ours (as a clinic keeps its cluster up): its GCS address.

    Not ``ray start``/``ray stop``: ``ray stop`` would stop every Ray instance on the machine, others'
    included. The instance lives in a private ``RAY_TMPDIR``, so no other ``ray.init()`` finds it, and
    stops when the helper's stdin closes.
    """
    code = ("import logging, sys, ray; info = ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False, "
            "log_to_driver=False, logging_level=logging.WARNING); print(info.address_info['gcs_address'], flush=True); "
            "sys.stdin.read(); ray.shutdown()")  # fmt: skip
    helper = subprocess.Popen([sys.executable, "-c", code, str(cores)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True,
                              env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_TMPDIR": str(root / "ray-kept")})  # fmt: skip
    try:
        assert helper.stdout is not None
        address = helper.stdout.readline().strip()
        if not address:
            raise SystemExit("could not start a Ray instance to keep running")
        yield address
    finally:
        if helper.stdin is not None:
            helper.stdin.close()
        try:
            helper.wait(timeout=60)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="+", default=list(DEFAULT_CLIPS), help="clip names in ../shared/data/videos")
    parser.add_argument("--copies", type=int, default=1, help="repeat the clip list this many times")
    parser.add_argument("--cache", action="store_true", help="take poses from the cache (default: recompute)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray runs")
    parser.add_argument("--ray-running", action="store_true",
                        help="also run on a Ray instance started beforehand (--ray ADDRESS), as on a kept-up cluster")
    parser.add_argument("--repeat", type=int, default=1, help="run the configurations in turn this many times")
    parser.add_argument("--settle", type=float, default=0.0,
                        help="before each run, wait up to this many seconds for the machine to be nearly idle")
    parser.add_argument("--ceiling", action="store_true",
                        help="also time the naive pose loop over the clips in 1 process and in one a core at once")
    parser.add_argument("--only-ceiling", action="store_true", help="time only the naive loop runs (implies --ceiling)")
    parser.add_argument("--naive-child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.naive_child:
        naive_child(options.naive_child)
        return
    options.ceiling = options.ceiling or options.only_ceiling
    cores = usable_cores()
    root = Path(tempfile.mkdtemp(prefix="fcbb-"))
    try:
        with ExitStack() as stack:
            source, frames = make_source(root, options.clips, options.copies)
            count = len(options.clips) * options.copies
            print(f"{count} clips, {frames} frames, {cores} usable cores, poses {'cached' if options.cache else 'recomputed'}, "
                  f"load average before: {load_average()}")  # fmt: skip
            configs: list[tuple[str, int, str | None]] = []
            if not options.only_ceiling:
                configs += [("pool-1", 1, None), (PINNED, 1, None), (f"pool-{cores}", cores, None)]
                if not options.no_ray:
                    configs.append((f"ray-{cores}", cores, "local"))
                if options.ray_running:
                    configs.append((f"ray-up-{cores}", cores, stack.enter_context(running_ray(cores, root))))
            if options.ceiling:
                configs += [(f"{NAIVE}1", 1, None), (f"{NAIVE}{cores}", cores, None)]
            results = measure(configs, source, root, frames, options)
        report(results, cores, count, options.repeat)
        if not options.no_ray and not options.only_ceiling:
            print(f"  a local Ray instance's start + stop alone (no task): {ray_start_stop_s(cores, root):.1f} s "
                  f"(load {load_average()})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def measure(configs: list[tuple[str, int, str | None]], source: Path, root: Path, frames: int,
            options: argparse.Namespace) -> dict[str, list[Run]]:  # fmt: skip
    """Every configuration ``options.repeat`` times, interleaved, each run printed as it ends."""
    results: dict[str, list[Run]] = {label: [] for label, _, _ in configs}
    for _ in range(options.repeat):
        for label, workers, ray in configs:
            idle = settle(options.settle) if options.settle > 0 else None
            if label.startswith(NAIVE):
                run = run_naive(sorted(source.glob("*/*")), workers)
            else:
                run = run_batch(source, root, label, workers, ray, options.cache)
            results[label].append(run)
            print(f"  {label:16s} {run.seconds:7.1f} s  {run.analysed} analysed, {run.failed} failed  "
                  f"{60 * run.analysed / run.seconds:6.1f} videos/min  {frames / run.seconds:6.1f} frames/s  "
                  f"CPU {run.cpu_s:6.1f} s = {run.cpu_s / run.seconds:.2f} cores  others {run.others_cpu_s:5.1f} CPU s"
                  f"{RAY_NOTE if ray else ''}"
                  f"{'' if idle is None else f', {idle:.2f} cores busy before'}  (load {load_average()})", flush=True)
    return results


def report(results: dict[str, list[Run]], cores: int, count: int, repeat: int) -> None:
    """Best (and median) of each configuration, and the ratios of the best runs."""
    best = {label: min(r.seconds for r in runs) for label, runs in results.items()}
    if repeat > 1:
        for label, runs in results.items():
            median = statistics.median(r.seconds for r in runs)
            print(f"  {label:16s} best {best[label]:6.1f} s ({60 * count / best[label]:.1f} videos/min), "
                  f"median {median:6.1f} s ({60 * count / median:.1f} videos/min) of {len(runs)}")
    ceiling = None
    if f"{NAIVE}1" in best:
        ceiling = best[f"{NAIVE}1"] / best[f"{NAIVE}{cores}"]
        print(f"ceiling: the naive pose loop over the clips, 1 -> {cores} processes at once: {ceiling:.2f}x "
              f"(what this machine's {cores} cores give this work)")
    if "pool-1" not in best:
        return
    base, pool = best["pool-1"], best[f"pool-{cores}"]
    of_ceiling = "" if ceiling is None else f"; {100 * (base / pool) / ceiling:.0f} % of the ceiling"
    print(f"speed-up 1 -> {cores} workers (local pool): {base / pool:.2f}x (goal >= 1.8x on 2 cores){of_ceiling}")
    if PINNED in best:
        print(f"speed-up 1 worker on 1 core -> {cores} workers on {cores} cores (local pool): {best[PINNED] / pool:.2f}x; "
              f"CPU seconds a video: {_cpu_per_video(results[PINNED], count):.1f} (1 core) vs "
              f"{_cpu_per_video(results[f'pool-{cores}'], count):.1f} ({cores} workers)")
    for label, what in ((f"ray-{cores}", "Ray, started for the batch"), (f"ray-up-{cores}", "Ray, already running")):
        if label in best:
            ray_s = best[label]
            print(f"speed-up 1 -> {cores} workers ({what}): {base / ray_s:.2f}x; vs the local pool: {ray_s / pool:.2f}x "
                  f"the time ({100 * (ray_s / pool - 1):+.0f} %; goal within 10 %)")


def _cpu_per_video(runs: list[Run], count: int) -> float:
    return min(r.cpu_s for r in runs) / count


if __name__ == "__main__":
    main()
