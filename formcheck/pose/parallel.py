"""Pose inference on every core: one BlazePose graph per worker, one time segment per task.

A MediaPipe graph runs its model on about one core, so a 10-minute clip on
an 8-core laptop would leave 7 cores idle. ``extract_pose_parallel`` cuts the
window into contiguous segments (``formcheck.pose.segments``), runs
``extract_pose`` on each in a pool of worker threads (the default: MediaPipe
releases the GIL, and the libraries are loaded once) or of *spawned* processes
(``pool="process"``; MediaPipe's threads do not survive ``fork``), and stitches
the results into one ``PoseTrack`` indistinguishable in shape from the
single-process one.

Robustness is part of the contract, because a pose run takes minutes:

- Ctrl-C / SIGTERM: workers ignore SIGINT (the parent decides), the parent
  turns SIGTERM into ``PoseInterrupted`` (a ``KeyboardInterrupt``), cancels
  the queued segments and terminates the workers before re-raising; workers
  also get SIGTERM from the kernel if the parent dies without cleaning up
  (Linux ``PR_SET_PDEATHSIG``), so no orphan keeps a core busy.
- A segment whose worker raises, or whose process dies, becomes a warning in
  ``ParallelResult.warnings`` and not-found frames in the track; the run goes
  on. A dying process breaks the whole pool (``BrokenProcessPool``), so the
  segments that were running are re-run one per process to find the culprit,
  and the ones that had not started are re-queued.

Known limit: each segment starts its own person follower. A segment that locks
on to someone else is detected at the seam (the lead-in frames are compared with
the previous segment's) and its frames are marked ``identity_rejected`` until that
lock ends, but they are not re-analysed for the right person.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

import numpy as np

from formcheck.lifeline import die_with_parent
from formcheck.native_memory import tune_malloc
from formcheck.pose.blazepose import GraphPool, PoseSettings
from formcheck.pose.extract import ProgressFn, TiltGrid, extract_pose, extract_segment
from formcheck.pose.balance import lead_in_frames, plan_balanced, read_packet_table
from formcheck.pose.segments import Segment, stitch
from formcheck.pose.track import PoseTrack
from formcheck.video.probe import VideoInfo

log = logging.getLogger(__name__)

LEAD_IN_S = 0.5
"""The lead-in of Ray's segment tasks (``formcheck.batch.ray_segments``); this engine's own segments
use ``balance.lead_in_frames`` (15 frames, at least 0.25 s), measured to agree as well at the seams."""
MIN_SEGMENT_S = 1.5
"""A 3-s clip still runs on two cores: a segment's start costs ~15 frames of lead-in plus the decoding
from the keyframe before it, which the planner gives back by making that segment shorter."""
MAX_SEGMENT_S = 60.0
"""Longer clips get more segments than workers (a 10-min clip: 10), so no segment's track is huge."""
POLL_S = 0.2
FAULT_ENV = "FORMCHECK_PARALLEL_FAULT"
"""Test hook: "raise:K" makes the worker for segment K raise, "exit:K" makes its process die."""


@dataclass(frozen=True)
class ParallelResult:
    """The stitched track and what went wrong on the way (one sentence per problem, for the report)."""

    track: PoseTrack
    warnings: tuple[str, ...] = ()
    segments: int = 1
    workers: int = 1


class PoseInterrupted(KeyboardInterrupt):
    """SIGTERM arrived during a parallel run; raised after the workers were stopped."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


def default_workers() -> int:
    """Cores this process may run on (respects taskset/cgroup affinity, unlike ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def extract_pose_parallel(
    info: VideoInfo,
    settings: PoseSettings = PoseSettings(),
    start_s: float | None = None,
    end_s: float | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    *,
    segment_s: float | None = None,
    lead_in: int | None = None,
    pool: str = "thread",
    decoder_threads: bool = True,
) -> ParallelResult:
    """``extract_pose`` over ``start_s``..``end_s`` using ``workers`` processes (default: usable cores).

    By default there is one segment per worker (more when a segment would exceed
    ``MAX_SEGMENT_S``), each the same amount of work: a segment that starts with a
    lead-in and a seek owns fewer frames (``balance.plan_balanced``), so the workers
    end together and no core idles at the end. ``segment_s`` asks for segments of
    about that length instead (tests cut a short clip into many). ``lead_in`` overrides
    the frames decoded before each segment (``balance.lead_in_frames``). One worker,
    or a window shorter than two ``MIN_SEGMENT_S``, runs ``extract_pose`` in this process. ``progress`` gets a time that grows
    from the window start to its end as frames are done (segments finish out of order,
    so it is "how far a sequential run would be", not the time of the latest frame).

    ``pool="thread"`` (default) runs the segments on threads of this process: MediaPipe
    releases the GIL while its graph runs, so two graphs on two threads use two cores
    (measured 1.87x on 2 cores) while the ~140 MB of imported libraries exist once,
    not once per worker. ``pool="process"`` isolates each graph in a spawned process
    (a native crash then costs one segment, not the run) at about 300 MB more per worker.

    A parallel run caps this process's glibc malloc arenas at two (process-wide, see
    ``formcheck.native_memory``): with the default of 8 per core, the tensors freed by
    every graph restart stayed resident and a 10-minute clip grew past 700 MB.
    """
    if pool not in ("thread", "process"):
        raise ValueError(f"pool must be 'thread' or 'process', not {pool!r}")
    workers = default_workers() if workers is None else max(1, workers)
    packets = read_packet_table(info)
    table = packets.times
    lo = -np.inf if start_s is None else start_s - 1e-6
    hi = np.inf if end_s is None else end_s + 1e-6
    window = table[(table >= lo) & (table <= hi)]
    n_segments = segment_count(window, workers, segment_s)
    segments = plan_balanced(packets, start_s, end_s, n_segments,
                             lead_in_frames(info.fps) if lead_in is None else lead_in) if n_segments >= 2 else []
    if len(segments) < 2:
        return ParallelResult(extract_pose(info, settings, start_s, end_s, progress=progress,
                                           decoder_threads=decoder_threads))
    tune_malloc()
    n_workers = min(workers, len(segments))
    log.info("pose: %d segments (%s frames) on %d %s workers", len(segments),
             "/".join(str(s.frames) for s in segments), n_workers, pool)
    reporter = _Reporter(segments, window, progress)
    grid = TiltGrid.for_window(info, start_s, end_s)  # the whole window's: the segments search one pass's frames
    with _sigterm_raises():
        if pool == "thread":
            outputs, failures = _run_all_threads(info, settings, segments, n_workers, reporter, grid, decoder_threads)
        else:
            outputs, failures = _run_all(info, settings, segments, n_workers, reporter, grid)
    track, seam_warnings = stitch(info, segments, outputs, table, settings.model_name)
    reporter.finish()
    warnings = [
        f"pose segment {s.index + 1} of {len(segments)} failed ({failures[s.index]}): "
        f"its {s.frames} frames are reported as not found"
        for s in segments if s.index in failures
    ] + seam_warnings
    for warning in warnings:
        log.warning(warning)
    return ParallelResult(track, tuple(warnings), len(segments), n_workers)


def segment_count(window: np.ndarray, workers: int, segment_s: float | None = None) -> int:
    """How many segments the window's frame times (s) are cut into (< 2: not worth splitting).

    One per worker: with segments of equal work (see ``plan_balanced``) more of them would
    only add seams (each ~15 frames of lead-in and a seek); more only when a segment would
    exceed ``MAX_SEGMENT_S``, never pieces shorter than ``MIN_SEGMENT_S``.
    """
    if workers < 2 or len(window) < 2:
        return 1
    steps = np.diff(window)
    span_s = float(window[-1] - window[0] + np.median(steps))
    if segment_s:
        return int(span_s // segment_s)
    wanted = max(workers, int(np.ceil(span_s / MAX_SEGMENT_S)))
    return min(wanted, int(span_s // MIN_SEGMENT_S))


# ---------------------------------------------------------------- parent side


class _Reporter:
    """Turns the workers' shared frame counters into ``progress(time_s)`` calls."""

    def __init__(self, segments: list[Segment], window: np.ndarray, progress: ProgressFn | None) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self.started = self._ctx.RawArray(ctypes.c_int, len(segments))
        self.frames = self._ctx.RawArray(ctypes.c_long, len(segments))
        self.n_segments = len(segments)
        self._window, self._progress, self._last = window, progress, -1

    def report(self) -> None:
        done = min(int(sum(self.frames)), len(self._window))
        if self._progress is not None and done > self._last and done > 0:
            self._last = done
            self._progress(float(self._window[done - 1]))

    def finish(self) -> None:
        if self._progress is not None and len(self._window):
            self._progress(float(self._window[-1]))

    def reset(self, segments: list[Segment]) -> None:
        for segment in segments:
            self.started[segment.index] = 0
            self.frames[segment.index] = 0


def _run_all(info: VideoInfo, settings: PoseSettings, segments: list[Segment], n_workers: int,
             reporter: _Reporter, grid: TiltGrid) -> tuple[dict[int, PoseTrack], dict[int, str]]:
    """Every segment, each either a track or a failure reason; re-runs the segments a dead worker took down."""
    ctx = multiprocessing.get_context("spawn")
    outputs: dict[int, PoseTrack] = {}
    failures: dict[int, str] = {}
    queue = list(segments)
    while queue:
        reporter.reset(queue)
        done, errors, lost = _drive(ctx, info, settings, [queue], [n_workers], reporter, grid)
        outputs.update(done)
        failures.update(errors)
        if not lost:
            break
        suspects = [s for s in lost if reporter.started[s.index]] or lost
        queue = [s for s in lost if s not in suspects]
        log.warning("a pose worker process died; re-running segments %s one per process",
                    ", ".join(str(s.index + 1) for s in suspects))
        reporter.reset(suspects)
        done, errors, died = _drive(ctx, info, settings, [[s] for s in suspects], [1] * len(suspects), reporter,
                                     grid)
        outputs.update(done)
        failures.update(errors)
        failures.update({s.index: "its worker process died" for s in died})
    return outputs, failures


class _Stopped(Exception):
    """Raised inside a pose thread when the run is being abandoned (Ctrl-C, SIGTERM)."""


def _run_all_threads(info: VideoInfo, settings: PoseSettings, segments: list[Segment], n_workers: int,
                     reporter: _Reporter, grid: TiltGrid, allow_decoder_threads: bool = True
                     ) -> tuple[dict[int, PoseTrack], dict[int, str]]:
    """Every segment on a thread pool; an exception in one segment becomes that segment's failure.

    Threads cannot be killed, so on Ctrl-C/SIGTERM a shared event makes every
    running segment stop at its next frame (tens of milliseconds) before the
    interrupt propagates: nothing keeps running behind the caller's back.
    """
    stop = threading.Event()
    decoder_threads = allow_decoder_threads and n_workers < default_workers()  # else every core runs a pose graph
    graphs = GraphPool()  # one tracking (+ crop) graph per thread, reused by its segments

    def run(segment: Segment) -> PoseTrack:
        reporter.started[segment.index] = 1
        _inject_fault(segment.index)

        def on_frame(time_s: float) -> None:
            if stop.is_set():
                raise _Stopped()
            if segment.own_start_s <= time_s < segment.own_end_s:
                reporter.frames[segment.index] += 1

        return extract_segment(info, settings, segment, grid, progress=on_frame, pool=graphs,
                               decoder_threads=decoder_threads)

    done: dict[int, PoseTrack] = {}
    errors: dict[int, str] = {}
    executor = ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="formcheck-pose")
    futures = {executor.submit(run, segment): segment for segment in segments}
    try:
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            reporter.report()
            for future in finished:
                segment, error = futures[future], future.exception()
                if error is None:
                    done[segment.index] = future.result()
                else:
                    log.error("pose segment %d raised", segment.index + 1, exc_info=error)
                    errors[segment.index] = f"{type(error).__name__}: {error}"
    except BaseException:
        stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
        graphs.close()
        raise
    executor.shutdown(wait=True)
    graphs.close()
    return done, errors


def _drive(ctx: BaseContext, info: VideoInfo, settings: PoseSettings, groups: list[list[Segment]],
           sizes: list[int], reporter: _Reporter, grid: TiltGrid) -> tuple[dict[int, PoseTrack], dict[int, str], list[Segment]]:
    """Run each group of segments in its own pool; results, errors, and segments lost to a broken pool."""
    executors: list[ProcessPoolExecutor] = []
    futures: dict[Future[PoseTrack], Segment] = {}
    done: dict[int, PoseTrack] = {}
    errors: dict[int, str] = {}
    lost: list[Segment] = []
    decoder_threads = sum(sizes) < default_workers()
    try:
        for group, size in zip(groups, sizes):
            executor = ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_init_worker,
                                           initargs=(reporter.started, reporter.frames, os.getpid()))
            executors.append(executor)
            for segment in group:
                futures[executor.submit(_run_segment, info, settings, segment, decoder_threads, grid)] = segment
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            reporter.report()
            for future in finished:
                segment = futures[future]
                error = future.exception()
                if error is None:
                    done[segment.index] = future.result()
                elif isinstance(error, BrokenProcessPool):
                    lost.append(segment)
                else:
                    log.error("pose segment %d raised", segment.index + 1, exc_info=error)
                    errors[segment.index] = f"{type(error).__name__}: {error}"
        for executor in executors:
            executor.shutdown(wait=True)
    except BaseException:
        _stop(executors)
        raise
    return done, errors, sorted(lost, key=lambda s: s.index)


def _stop(executors: list[ProcessPoolExecutor]) -> None:
    """Cancel queued segments and end every worker now (SIGTERM, then SIGKILL after 2 s).

    ``shutdown(cancel_futures=True)`` alone would wait for the running segments
    to finish, minutes away; Python 3.11 has no public way to terminate a pool's
    workers, hence ``_processes``. Signals are blocked meanwhile so that a
    second Ctrl-C cannot interrupt the cleanup half-way.
    """
    blocked = {signal.SIGINT, signal.SIGTERM}
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if in_main else None
    try:
        processes = [p for executor in executors for p in (getattr(executor, "_processes", None) or {}).values()]
        for executor in executors:
            executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + 2.0
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises ``PoseInterrupted`` in the main thread, once, while the pool runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = False

    def handler(signum: int, _frame: Any) -> None:
        nonlocal fired
        if not fired:
            fired = True
            raise PoseInterrupted(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


# ---------------------------------------------------------------- worker side

_STARTED: Any = None
_FRAMES: Any = None


def _init_worker(started: Any, frames: Any, parent_pid: int) -> None:
    """Runs once in each worker: the parent owns Ctrl-C, and the worker dies with the parent."""
    global _STARTED, _FRAMES
    tune_malloc()  # each segment builds and frees a graph here: see formcheck.native_memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STARTED, _FRAMES = started, frames
    die_with_parent(signal.SIGTERM, parent_pid)  # not Linux: the pool's broken pipe ends it after its segment


def _run_segment(info: VideoInfo, settings: PoseSettings, segment: Segment, decoder_threads: bool,
                 grid: TiltGrid) -> PoseTrack:
    """One segment, lead-in included (the parent compares the lead-in across the seam, then drops it)."""
    _STARTED[segment.index] = 1
    _inject_fault(segment.index)

    def on_frame(time_s: float) -> None:
        if segment.own_start_s <= time_s < segment.own_end_s:
            _FRAMES[segment.index] += 1

    return extract_segment(info, settings, segment, grid, progress=on_frame, decoder_threads=decoder_threads)


def _inject_fault(index: int) -> None:
    kind, _, which = os.environ.get(FAULT_ENV, "").partition(":")
    if not which or int(which) != index:
        return
    if kind == "raise":
        raise RuntimeError(f"injected fault in segment {index + 1} ({FAULT_ENV})")
    if kind == "exit":
        os._exit(70)
