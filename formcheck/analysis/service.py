"""``analyze_video``: the whole video engine behind ``formcheck analyze`` (and the web app later).

Validates options first (cheap) so that a wrong flag fails before minutes of
pose inference; then probe -> pose (cached, parallel) -> analysis -> files.

The analysis modules are not imported before the pose starts: through SciPy
they take ~1.5 s of CPU, as long as the pose of a 2-s clip, and a user waits
for all of it. They are imported on a helper thread once the first frame is
through (MediaPipe's own imports are done by then, so the two never import
the same modules at once), where it mostly uses what the pose workers leave
idle, and the main thread finds them loaded when the pose ends.
"""

from __future__ import annotations

import math

import importlib
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.errors import NoPersonError, UsageError, VideoError
from formcheck.heights import height_problem
from formcheck.output_dir import check_output_dir
from formcheck.pose import cache
from formcheck.pose.blazepose import PoseSettings
from formcheck.pose.track import PoseTrack
from formcheck.video.probe import VideoInfo, probe_video

if TYPE_CHECKING:
    from formcheck.analysis.pipeline import Analysis

log = logging.getLogger(__name__)

ANALYSIS_MODULES = ("formcheck.analysis.outputs",)
"""Imported while the pose runs (``outputs`` imports the pipeline, and with it SciPy)."""
IMPORT_AHEAD_MAX_S = 120.0
"""Longer windows import after the pose instead: there the ~1.3 s saved is under 1 % of the run,
while SciPy and matplotlib loaded beside two graphs added ~50 MB to the peak of a 10-minute clip."""
WARMUP_SWITCH_INTERVAL_S = 0.001
"""While the helper imports, threads hand the GIL over every 1 ms instead of 5 ms, so a pose
worker coming back from the model is not kept waiting by the importer."""

TRUNCATED_FRACTION = 0.9
"""Fewer decodable frames than this share of the container's count means a cut-off copy."""
MIN_ANALYSIS_S = 1.0
MIN_FRAMES = 10
"""Below about a second (two or three steps) or ten frames no gait measure exists, so a still image,
a one-frame clip or an empty window is an error, the same one whichever way it arises."""


@dataclass(frozen=True)
class VideoJob:
    video: Path
    out_dir: Path
    height_cm: float | None = None
    capture_fps: float | None = None
    start_s: float | None = None
    end_s: float | None = None
    workers: int | None = None
    use_cache: bool = True
    settings: PoseSettings = PoseSettings()
    decoder_threads: bool = True
    """False when every core already runs a pose worker (a batch): extra decoder threads would only contend."""

    def validate(self) -> None:
        if self.height_cm is not None and (problem := height_problem(self.height_cm)):
            raise UsageError(f"a runner's height of {self.height_cm:g} cm {problem}.", settings=("height_cm",))
        if self.capture_fps is not None and not 1 <= self.capture_fps <= 10000:
            raise UsageError(f"{self.capture_fps:g} is not a capture frame rate: give the phone's capture rate, e.g. 120 or 240.",
                             settings=("capture_fps",))
        for value, word, field_name in ((self.start_s, "start", "start_s"), (self.end_s, "end", "end_s")):
            if value is not None and not math.isfinite(value):  # nan and inf pass every comparison below
                raise UsageError(f"the {word} of the chosen part must be a number of seconds, not {value:g}.",
                                 settings=(field_name,))
        if self.start_s is not None and self.start_s < 0:
            raise UsageError("the start of the chosen part must be 0 or more seconds.", settings=("start_s",))
        if self.start_s is not None and self.end_s is not None and self.end_s <= self.start_s:
            raise UsageError(f"the end of the chosen part ({self.end_s:g} s) must be after its start ({self.start_s:g} s).",
                             settings=("end_s", "start_s"))
        if self.workers is not None and self.workers < 1:
            raise UsageError("the number of pose workers must be at least 1.", settings=("workers",))


@dataclass(frozen=True)
class VideoResult:
    info: VideoInfo
    track: PoseTrack
    analysis: Analysis
    summary: dict[str, object]
    from_cache: bool


def check_enough_video(job: VideoJob, info: VideoInfo) -> None:
    """One clear error when the video, or the chosen part of it, is too short for any gait measure."""
    if job.start_s is None and job.end_s is None:
        if info.frames < MIN_FRAMES or info.duration_s < MIN_ANALYSIS_S:
            raise VideoError(f"{job.video} is only {info.duration_s:.2f} s long ({info.frames} frame{'s' if info.frames != 1 else ''}): "
                             f"no gait can be measured from less than {MIN_ANALYSIS_S:g} s. Film at least 10 s of steady running.")  # fmt: skip
        return
    start = job.start_s or 0.0
    end = info.duration_s if job.end_s is None else min(job.end_s, info.duration_s)
    if end - start < MIN_ANALYSIS_S:
        raise UsageError(f"the chosen part of {job.video} ({start:.2f}-{end:.2f} s) is {max(0.0, end - start):.2f} s long: "
                         f"no gait can be measured from less than {MIN_ANALYSIS_S:g} s; choose a longer part.",
                         settings=("start_s", "end_s"))  # fmt: skip


def pose_track_for(job: VideoJob, info: VideoInfo, progress: Callable[[float], None] | None = None
                   ) -> tuple[PoseTrack, tuple[str, ...], bool]:
    """The pose track of the job's window: from the cache when possible, else computed and cached."""
    path = cache.cache_path(info.sha256, job.settings, job.start_s, job.end_s)
    if job.use_cache:
        cached = cache.load_cached(path)
        if cached is not None:
            log.info("pose track from cache: %s", path)
            return cached, (), True
    from formcheck.pose.parallel import extract_pose_parallel

    result = extract_pose_parallel(info, job.settings, job.start_s, job.end_s, workers=job.workers, progress=progress,
                                    decoder_threads=job.decoder_threads)
    if not result.warnings:  # a track with failed segments is not worth keeping
        cache.store(path, result.track)
    return result.track, result.warnings, False


def modules_to_import_ahead(window_s: float, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What to import beside the pose of a ``window_s``-second window: all of it for short clips, none for long."""
    return ANALYSIS_MODULES + tuple(extra) if window_s <= IMPORT_AHEAD_MAX_S else ()


class _ImportAhead:
    """Imports ``modules`` on a daemon thread, started at most once; the importer's errors are left
    for the main thread's own import to raise (a failed import is retried there)."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        self._modules = modules
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None or all(name in sys.modules for name in self._modules):
            return
        self._thread = threading.Thread(target=self._run, name="formcheck-import-ahead", daemon=True)
        self._thread.start()

    _lock = threading.Lock()
    _running = 0
    _previous_interval = 0.005

    def _run(self) -> None:
        with _ImportAhead._lock:  # the interval is process-wide: the first importer sets it, the last restores it
            if _ImportAhead._running == 0:
                _ImportAhead._previous_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(_ImportAhead._previous_interval, WARMUP_SWITCH_INTERVAL_S))
            _ImportAhead._running += 1
        try:
            for name in self._modules:
                importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the main thread imports again and reports
            log.debug("importing ahead failed", exc_info=True)
        finally:
            with _ImportAhead._lock:
                _ImportAhead._running -= 1
                if _ImportAhead._running == 0:
                    sys.setswitchinterval(_ImportAhead._previous_interval)


def analyze_video(job: VideoJob, progress: Callable[[float], None] | None = None,
                  on_probe: Callable[[VideoInfo], None] | None = None,
                  extra_outputs: Callable[[Path, VideoResult], None] | None = None,
                  import_ahead: tuple[str, ...] = ()) -> VideoResult:
    """Run the video engine for ``job`` and write its files atomically into ``job.out_dir``.

    ``import_ahead``: modules ``extra_outputs`` will need, imported while the pose runs
    (with the analysis's own), so that their import is not waited for after it; only for
    windows up to ``IMPORT_AHEAD_MAX_S``, where that wait is a noticeable share of the run.
    """
    job.validate()
    check_output_dir(job.out_dir, inputs=(job.video,))
    info = probe_video(job.video, job.start_s, job.end_s)
    if job.start_s is not None and job.start_s >= info.duration_s:
        raise UsageError(f"the chosen start, {job.start_s:g} s, is past the end of the video ({info.duration_s:.1f} s).",
                         settings=("start_s",))
    check_enough_video(job, info)
    if job.capture_fps is not None and job.capture_fps < 0.99 * info.fps:
        raise UsageError(f"a capture rate of {job.capture_fps:g} fps is below the {info.fps:.4g} fps the file plays "
                         "at; slow motion is captured faster than it plays: give the phone's capture rate (e.g. 120 "
                         "or 240), or leave it out for a clip filmed at normal speed.", settings=("capture_fps",))  # fmt: skip
    if on_probe is not None:
        on_probe(info)
    window_s = (job.end_s if job.end_s is not None else info.duration_s) - (job.start_s or 0.0)
    ahead = _ImportAhead(modules_to_import_ahead(window_s, import_ahead))

    def on_frame(time_s: float) -> None:
        ahead.start()
        if progress is not None:
            progress(time_s)

    track, pose_warnings, from_cache = pose_track_for(job, info, on_frame)
    from formcheck.analysis.outputs import write_analysis
    from formcheck.analysis.pipeline import AnalysisOptions, analyze_track

    whole = job.start_s is None and job.end_s is None
    if whole and info.frames > 10 and track.n_frames < TRUNCATED_FRACTION * info.frames:
        raise VideoError(
            f"{job.video} is truncated or damaged: only {track.n_frames} of its {info.frames} frames could be decoded. "
            "Copy the complete file from the phone again."
        )
    if track.n_frames == 0:
        raise NoPersonError(f"{job.video}: no frames in the chosen part of the video; choose another part.",
                            settings=("start_s", "end_s"))
    if track.n_frames < MIN_FRAMES:
        raise VideoError(f"{job.video}: only {track.n_frames} frame{'s' if track.n_frames != 1 else ''} could be analysed; "
                         f"no gait can be measured from fewer than {MIN_FRAMES}. Film at least 10 s of steady running.")  # fmt: skip
    if not track.found.any():
        raise NoPersonError(f"{job.video}: nobody was found in {track.n_frames} frames; film the whole body, side on, in good light.")
    options = AnalysisOptions(height_cm=job.height_cm, capture_fps=job.capture_fps, slowmo_tag=info.slowmo_tag)
    analysis = analyze_track(track, options)
    if pose_warnings:
        analysis = replace(analysis, warnings=tuple(pose_warnings) + analysis.warnings)
    partial = VideoResult(info, track, analysis, {}, from_cache)
    extra = (lambda tmp: extra_outputs(tmp, partial)) if extra_outputs else None
    summary = write_analysis(job.out_dir, info, track, analysis, options, extra)
    return replace(partial, summary=summary)
