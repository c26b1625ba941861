"""One video of a batch, as a worker runs it: plain data in, plain data out.

Why a module of its own: the local process pool and the Ray tasks run exactly
this function, so the two paths cannot drift apart, and what crosses the
process (or machine) boundary is two small frozen dataclasses that pickle
cheaply -- never a pose track or a database handle. The worker writes the
clip's folder itself (atomically, through the engine's ``write_analysis``,
which uses :mod:`formcheck.output_dir`), so a cluster needs ``--out`` on a
shared filesystem but no file ever travels back through the scheduler.

Each worker analyses one clip with one pose graph (``workers=1``): a batch
has more clips than cores, so clip-level parallelism keeps every core busy
without the segment seams, lead-ins and hand-offs of the single-video split.
A worker process keeps its crop-search graph from clip to clip
(:func:`formcheck.pose.blazepose.keep_crop_graphs`: ~130 ms of model start-up
a clip). When every core runs a worker (``VideoTask.shares_cores``), a worker also keeps
its native libraries to one thread each (FFmpeg's decoder, OpenCV): their
extra threads would only contend with the neighbouring workers for the same
cores. A batch of one worker keeps them, so the 1-worker baseline is the
fastest single worker there is, not a handicapped one.

A clip that cannot be analysed (damaged, not a video, nobody in it) becomes
an outcome with a one-line error; an unexpected exception (a bug) too, with
its type, so one bad clip never ends a batch of thousands. Only a dying
process escapes, and the runners retry that.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FAULT_ENV = "FORMCHECK_BATCH_FAULT"
"""Test hook, read by the parent and passed in the task: ``die:NAME`` makes the worker analysing the clip
named NAME exit abruptly every time, ``die-once:NAME:MARKER`` only while the file MARKER does not exist
(it creates it: works across Ray's own retries too), ``die-once-writing:NAME:MARKER`` the same inside the
write step (its temporary folder half-written), ``sleep:NAME:S`` sleeps S seconds inside the engine's write
step (to interrupt a batch mid-write); several, comma-separated."""


@dataclass(frozen=True)
class VideoTask:
    """What a worker needs for one clip (paths are absolute; all plain, picklable values)."""

    index: int
    video: str
    out_dir: str
    name: str
    height_cm: float | None = None
    use_cache: bool = True
    fault: str = ""
    attempt: int = 0
    shares_cores: bool = False  # other workers run on the same machine's cores: one decoder/OpenCV thread each


@dataclass(frozen=True)
class VideoOutcome:
    """What came of one clip: ``analysed`` with its summary, or ``failed`` with a one-line error."""

    index: int
    status: str
    seconds: float = 0.0
    frames: int = 0
    sha256: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    attempts: int = 1
    segments: int = 1  # pose segments run as separate tasks (Ray, long clips)


def _fault(task: VideoTask, when: str) -> None:
    for spec in filter(None, task.fault.split(",")):
        kind, _, rest = spec.partition(":")
        name, _, arg = rest.partition(":")
        if name != task.name:
            continue
        if when == "start" and kind == "die":
            os._exit(70)
        if when == "start" and kind == "die-once" and not os.path.exists(arg):
            Path(arg).touch()
            os._exit(70)
        if when == "write" and kind == "sleep":
            time.sleep(float(arg or 30))
        if when == "write" and kind == "die-once-writing" and not os.path.exists(arg):  # its temporary folder exists
            Path(arg).touch()
            os._exit(70)


def one_thread_each() -> None:
    """Keep OpenCV to the calling thread in this process (a worker sharing the cores with others).

    OpenCV's resizes and filters otherwise split across a thread per core; with
    a worker on every core those threads can only take time from the other
    workers. Process-wide and idempotent, so each task may call it.
    """
    import cv2

    cv2.setNumThreads(1)


def _one_line(error: BaseException) -> str:
    from formcheck.errors import VideoTooLongError

    if isinstance(error, VideoTooLongError):  # a batch has no start and end to give: trim the clip
        return error.trimmed
    text = str(getattr(error, "message", None) or error).strip().splitlines()
    return text[0] if text else type(error).__name__


def analyse_task(task: VideoTask) -> VideoOutcome:
    """Analyse one clip into ``task.out_dir`` (key frames and plots included) and summarise the outcome."""
    from formcheck.analysis.service import VideoJob, VideoResult, analyze_video
    from formcheck.errors import FormcheckError

    from formcheck.pose.blazepose import keep_crop_graphs

    started = time.perf_counter()
    _fault(task, "start")
    keep_crop_graphs()  # this process analyses clip after clip: start each crop-search graph once
    if task.shares_cores:
        one_thread_each()
    job = VideoJob(video=Path(task.video), out_dir=Path(task.out_dir), height_cm=task.height_cm, workers=1,
                   use_cache=task.use_cache, decoder_threads=not task.shares_cores)  # fmt: skip

    def visuals(tmp: Path, partial: VideoResult) -> None:
        from formcheck.render import write_visual_outputs

        # every core already runs a batch worker: a forked plot process would only compete with them
        write_visual_outputs(tmp, partial, height_cm=task.height_cm, fork=False if task.shares_cores else None)
        _fault(task, "write")

    try:
        from formcheck.render import RENDER_MODULES

        result = analyze_video(job, extra_outputs=visuals, import_ahead=RENDER_MODULES)
    except FormcheckError as error:
        return VideoOutcome(task.index, "failed", time.perf_counter() - started, error=_one_line(error),
                            attempts=task.attempt + 1)  # fmt: skip
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # a bug: keep the batch going, keep the traceback in the log
        log.error("unexpected error on %s:\n%s", task.video, traceback.format_exc())
        return VideoOutcome(task.index, "failed", time.perf_counter() - started,
                            error=f"internal error ({type(error).__name__}: {_one_line(error)})",
                            attempts=task.attempt + 1)  # fmt: skip
    summary = _plain(result.summary)
    return VideoOutcome(task.index, "analysed", time.perf_counter() - started, frames=int(result.track.n_frames),
                        sha256=result.info.sha256, summary=summary, attempts=task.attempt + 1)  # fmt: skip


def _plain(value: Any) -> Any:
    """The summary as JSON types only (NumPy scalars can reach it), so it pickles small and stores as JSON."""
    import json

    from formcheck.analysis.outputs import json_default

    return json.loads(json.dumps(value, default=json_default))
