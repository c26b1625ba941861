"""The video stage of a check: each clip analysed as ``formcheck analyze`` would, into the check's folder.

Why here and not in the service: a check tolerates a clip that cannot speak
to the question (nobody in it, or walking instead of running) as long as
something else can -- the clip becomes a warning in the report ("not
assessed") instead of ending the check.  The service decides whether that
leaves anything to check; this module only analyses and says what happened.

Each clip goes to ``<check folder>/videos/<stem>/`` with exactly the files
``analyze`` writes (``summary.json``, ``strides.csv``, ``frames.csv``, key
frames, plots), using the same pose cache, so a clip checked twice costs its
pose inference once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from formcheck.errors import FormcheckError, NoPersonError
from formcheck.findings.model import VideoMeasures
from formcheck.report.model import VideoArtifacts
from formcheck.store.checks import VideoAnalysisRecord

if TYPE_CHECKING:  # the video engine (SciPy, OpenCV, MediaPipe) is imported only when a clip is given
    from formcheck.analysis.service import VideoJob, VideoResult
    from formcheck.video.probe import VideoInfo

StageProgress = Callable[[float, str | None], None]
"""``progress(fraction 0-1 of the stage, detail)``."""
ClipProgress = Callable[[float, str], None]
"""``progress(fraction 0-1 of one clip, what it is doing)``."""


class NotRunningError(FormcheckError):
    """The only input is a clip that shows no running: nothing in the check could be assessed."""

    exit_code = 6


@dataclass(frozen=True)
class ClipOutcome:
    """One clip of a check: its artefacts when it was analysed, and what the report must say about it."""

    path: Path
    folder: str  # relative to the check's folder: videos/<name>
    artifacts: VideoArtifacts | None  # None when nobody was found
    record: VideoAnalysisRecord | None  # what the store keeps of it
    warning: str | None  # why it was not (fully) assessed
    error: FormcheckError | None = None  # the engine's own error, re-raised when the clip was the only input
    seconds: float = 0.0

    @property
    def running(self) -> bool:
        return self.artifacts is not None and self.artifacts.measures.activity == "running"


def settings_key(job: VideoJob) -> str:
    """What makes two analyses of the same bytes differ: model settings, height, capture rate, window."""
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    return (f"{job.settings.cache_key()}|h={fmt(job.height_cm)}|fps={fmt(job.capture_fps)}"
            f"|win={fmt(job.start_s)}-{fmt(job.end_s)}")  # fmt: skip


POSE_SHARE = 0.85
"""Share of a clip's bar for the pose (by video seconds); the rest is the analysis, key frames and plots,
which take seconds of their own and would otherwise leave the bar stuck at 100 %."""


def _analyse_one(job: VideoJob, on_fraction: ClipProgress) -> VideoResult:
    from formcheck.analysis.service import analyze_video

    duration = [0.0]

    def probed(info: VideoInfo) -> None:
        duration[0] = max(info.duration_s, 1e-6)
        on_fraction(0.0, "pose")

    def advanced(time_s: float) -> None:
        on_fraction(POSE_SHARE * (min(time_s / duration[0], 1.0) if duration[0] else 0.0), "pose")

    def visuals(tmp: Path, partial: VideoResult) -> None:
        from formcheck.render import write_visual_outputs

        on_fraction(POSE_SHARE + 0.05, "key frames and plots")
        write_visual_outputs(tmp, partial, height_cm=job.height_cm)

    from formcheck.render import RENDER_MODULES

    return analyze_video(job, progress=advanced, on_probe=probed, extra_outputs=visuals, import_ahead=RENDER_MODULES)


def analyse_clip(path: Path, folder: str, check_dir: Path, *, height_cm: float | None, workers: int | None,
                 use_cache: bool, on_fraction: ClipProgress, shown: str | None = None) -> ClipOutcome:  # fmt: skip
    """Analyse one clip into ``check_dir / folder``; a clip with nobody in it becomes a warning, not an error.

    ``shown`` is the clip's name as the person knows it (default: the file name).
    """
    from formcheck.analysis.service import VideoJob

    name = shown or path.name
    started = time.perf_counter()
    out_dir = check_dir / folder
    job = VideoJob(video=path, out_dir=out_dir, height_cm=height_cm, workers=workers, use_cache=use_cache)
    try:
        result = _analyse_one(job, on_fraction)
    except NoPersonError as error:
        seconds = time.perf_counter() - started
        warning = f"{name}: nobody was found in the clip, so it was not assessed; film the whole body, side on, in good light."
        return ClipOutcome(path, folder, None, None, warning, error, seconds)
    seconds = time.perf_counter() - started
    summary = dict(result.summary)
    measures = VideoMeasures.from_summary(summary, name=name)
    artifacts = VideoArtifacts(measures=measures, summary=summary, analysis_dir=out_dir)
    record = VideoAnalysisRecord(video_sha256=result.info.sha256, settings_key=settings_key(job),
                                 video_name=name, summary=summary)  # fmt: skip
    warning = None
    seen = "walking" if measures.activity == "walking" else "no running"
    if measures.activity != "running":
        warning = (f"{name} shows {seen}, so its gait and posture were not assessed; "
                   "film a few strides of running, side on.")  # fmt: skip
    error = NotRunningError(f"{name} shows {seen}: film a run, side on, to check it.")
    return ClipOutcome(path, folder, artifacts, record, warning, error if warning else None, seconds)


def analyse_clips(videos: tuple[Path, ...], folders: tuple[str, ...], check_dir: Path, *, height_cm: float | None,
                  workers: int | None, use_cache: bool, progress: StageProgress,
                  shown: Callable[[Path], str] = lambda path: path.name) -> list[ClipOutcome]:  # fmt: skip
    """Every clip in turn (each already uses the cores in parallel); progress is the share of all clips' frames."""
    outcomes: list[ClipOutcome] = []
    count = len(videos)
    for number, (path, folder) in enumerate(zip(videos, folders)):
        label = f"{shown(path)} ({number + 1}/{count})" if count > 1 else shown(path)

        def on_fraction(fraction: float, step: str, number: int = number, label: str = label) -> None:
            progress((number + fraction) / count, f"{label}: {step}")

        outcomes.append(analyse_clip(path, f"videos/{folder}", check_dir, height_cm=height_cm, workers=workers,
                                     use_cache=use_cache, on_fraction=on_fraction, shown=shown(path)))  # fmt: skip
        progress((number + 1) / count, label)
    return outcomes
