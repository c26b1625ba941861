"""Long clips on Ray: their pose as segment tasks spread over the cluster, then one task to finish.

Why: one Ray task a clip keeps every core busy while many clips wait, but a
batch's one 20-minute treadmill session would run on a single core long after
the short clips are done. Clips longer than ``split_above_s`` are therefore
cut into time segments exactly as the single-video engine cuts them
(``formcheck.pose.segments.plan_segments``, with its 0.5 s lead-in), each
segment is a Ray task with its own CPU, and a finishing task stitches them
(``segments.stitch``: the same seams, the same identity check), puts the track
into the pose cache of its node, and runs the ordinary clip analysis, which
then takes the pose from that cache. The clip's folder and summary are thus
byte-for-byte what the one-task path writes.

If a segment fails for good, or a seam shows the segments followed different
people, the finishing task falls back to analysing the clip in one piece:
splitting is an optimisation and must never change a result.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Any

from formcheck.batch.work import VideoOutcome, VideoTask, analyse_task

log = logging.getLogger(__name__)

SPLIT_ABOVE_S = 120.0
"""Clips longer than this are split; shorter ones gain little (their pose takes about as long as a worker's start-up)."""
SEGMENT_S = 60.0
"""Segment length on Ray: the engine's maximum (``MAX_SEGMENT_S``), few seams and a 0.8 % lead-in overhead."""


def _duration_s(path: str) -> float:
    """The container's duration without decoding or hashing (0 when unknown): the cheap test for every clip."""
    import av

    try:
        with av.open(path) as container:
            return float(container.duration or 0) / 1_000_000
    except Exception:  # any unreadable file: the one-task path reports it
        return 0.0


def plan_clip(task: VideoTask, split_above_s: float) -> tuple[Any, list[Any], Any] | None:
    """``(info, segments, frame table)`` of a clip worth splitting, or None (unreadable or short: one task).

    Segments are ``SEGMENT_S`` long, or half the threshold when that is lower, so a clip over the threshold
    always makes at least two."""
    from pathlib import Path

    from formcheck.errors import FormcheckError
    from formcheck.pose.parallel import LEAD_IN_S
    from formcheck.pose.segments import frame_time_table, plan_segments
    from formcheck.video.probe import probe_video

    if _duration_s(task.video) <= split_above_s:
        return None
    try:
        info = probe_video(Path(task.video))
        table = frame_time_table(info)
    except (FormcheckError, OSError):
        return None  # the one-task path reports the problem in the engine's own words
    span_s = float(table[-1] - table[0]) if len(table) > 1 else 0.0
    n_segments = int(span_s // min(SEGMENT_S, split_above_s / 2))
    if n_segments < 2:
        return None
    return info, plan_segments(table, None, None, n_segments, LEAD_IN_S), table


def segment_task(info: Any, segment: Any, settings: Any) -> Any:
    """One segment's pose, lead-in included (the stitch compares the lead-in across the seam, then drops it).

    It searches for level lines in the frames of the whole clip's tilt grid that it owns, so the
    stitched camera tilt is the one a single machine finds."""
    from formcheck.pose.extract import TiltGrid, extract_segment

    return extract_segment(info, settings, segment, TiltGrid.for_window(info, None, None), decoder_threads=False)


def finish_task(task: VideoTask, info: Any, segments: list[Any], table: Any, refs: list[Any]) -> VideoOutcome:
    """Stitch the segments, cache the track on this node, analyse the clip (or, on any doubt, analyse it whole)."""
    import tempfile

    import ray

    from formcheck.pose import cache
    from formcheck.pose.blazepose import PoseSettings
    from formcheck.pose.segments import stitch

    settings = PoseSettings()
    outputs, failed = {}, []
    for segment, ref in zip(segments, refs):
        try:
            outputs[segment.index] = ray.get(ref)
        except Exception as error:  # a segment whose worker died for good, or a decode error
            failed.append(f"segment {segment.index + 1}: {type(error).__name__}")
    if failed:
        log.warning("%s: %s; analysing it in one piece", task.video, ", ".join(failed))
        return analyse_task(task)
    track, seam_warnings = stitch(info, segments, outputs, table, settings.model_name)
    if seam_warnings:
        log.warning("%s: %s; analysing it in one piece", task.video, "; ".join(seam_warnings))
        return analyse_task(task)
    previous = os.environ.get("FORMCHECK_CACHE_DIR")
    private = None if task.use_cache else tempfile.mkdtemp(prefix="formcheck-batch-pose-")
    try:
        if private is not None:  # --no-cache: the stitched track is handed over privately, then forgotten
            os.environ["FORMCHECK_CACHE_DIR"] = private
        cache.store(cache.cache_path(info.sha256, settings, None, None), track)
        return replace(analyse_task(replace(task, use_cache=True)), segments=len(segments))
    finally:
        if private is not None:
            import shutil

            if previous is None:
                os.environ.pop("FORMCHECK_CACHE_DIR", None)
            else:
                os.environ["FORMCHECK_CACHE_DIR"] = previous
            shutil.rmtree(private, ignore_errors=True)


def submit_split(task: VideoTask, plan: tuple[Any, list[Any], Any], max_retries: int) -> Any:
    """Submit a long clip's segment tasks and its finishing task; returns the finishing task's reference."""
    import ray

    from formcheck.pose.blazepose import PoseSettings

    info, segments, table = plan
    segment_remote = ray.remote(num_cpus=1, max_retries=max_retries)(segment_task)
    refs = [segment_remote.remote(info, segment, PoseSettings()) for segment in segments]
    finish_remote = ray.remote(num_cpus=1, max_retries=max_retries)(finish_task)
    # The segment references travel inside a list, so Ray does not resolve them (and fail the whole clip
    # on one bad segment) before the finishing task starts: it gets each one itself.
    return finish_remote.remote(task, info, segments, table, refs)
