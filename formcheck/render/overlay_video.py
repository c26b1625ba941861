"""``overlay.mp4``: every frame of the analysed window with the pose, trunk angle and running cadence.

Written while streaming (decode one frame, draw, encode, drop it) so a long
clip costs no more memory than a short one. Frames are downscaled to at most
960 px on the long side while decoding (one swscale pass): the overlay is for
looking at, and full-resolution H.264 would cost several times the encode time.

Timestamps: each output frame carries its source presentation time (in the
source stream's own time base when it is known), so a variable-frame-rate
phone clip keeps its timing and t in the overlay equals ``time_s`` in
``frames.csv``. Codec: H.264 (``libx264``) when this FFmpeg build has it,
else MPEG-4 Part 2 (``mpeg4``), which every build has.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from formcheck.analysis.pipeline import Analysis
from formcheck.errors import OutputError
from formcheck.pose.track import PoseTrack
from formcheck.render.skeleton import draw_banner, draw_pose_on
from formcheck.render.source import TrackClock
from formcheck.video.frames import iter_frames
from formcheck.video.probe import VideoInfo

log = logging.getLogger(__name__)

MAX_SIDE_PX = 960
CADENCE_STEPS = 6
"""Running cadence over the last 6 steps: short enough to follow a change, long enough to smooth one odd step."""
FALLBACK_TIME_BASE = Fraction(1, 90000)


def pick_codec() -> str:
    """``libx264`` if this FFmpeg build can encode it, else ``mpeg4``."""
    try:
        av.codec.Codec("libx264", "w")
        return "libx264"
    except (av.error.FFmpegError, ValueError):  # UnknownCodecError is a ValueError subclass in PyAV
        return "mpeg4"


def _source_time_base(info: VideoInfo) -> Fraction:
    try:
        with av.open(info.path) as container:
            base = container.streams.video[0].time_base
            return Fraction(base) if base else FALLBACK_TIME_BASE
    except av.error.FFmpegError:
        return FALLBACK_TIME_BASE


class RunningCadence:
    """Cadence (steps/min, real time) over the last ``CADENCE_STEPS`` steps finished by a time."""

    def __init__(self, analysis: Analysis) -> None:
        self._ends = np.array([s.end_s for s in analysis.steps], dtype=float)
        self._durations = np.array([s.duration_s for s in analysis.steps], dtype=float)
        self._factor = analysis.time_scale.factor
        metric = analysis.metrics["cadence_spm"]
        slow = analysis.time_scale.suspected and analysis.time_scale.capture_fps is None
        self.unavailable = "cadence n/a (slow motion suspected)" if slow else (
            None if metric.value is not None else "cadence n/a (too few steps)")  # fmt: skip

    def text_at(self, time_s: float) -> str:
        if self.unavailable:
            return self.unavailable
        done = int(np.searchsorted(self._ends, time_s + 1e-9, side="right"))
        if done < 2:
            return "cadence: counting steps..."
        recent = self._durations[max(0, done - CADENCE_STEPS):done]
        spm = 60.0 * len(recent) / (float(recent.sum()) * self._factor)
        return f"cadence {spm:.0f} steps/min (last {len(recent)} steps)"


def _lean_text(analysis: Analysis, row: int | None) -> str:
    if row is None:
        return "trunk lean: no pose in this frame"
    lean = float(analysis.lean_deg[row])
    return f"trunk lean {lean:+.1f} deg (forward +)" if np.isfinite(lean) else "trunk lean n/a"


def write_overlay_video(path: Path, info: VideoInfo, track: PoseTrack, analysis: Analysis,
                        max_side: int = MAX_SIDE_PX) -> Path:  # fmt: skip
    """Encode the analysed window with the pose drawn on every frame; returns ``path``."""
    clock = TrackClock.of(track)
    start_s, end_s = clock.window()
    cadence = RunningCadence(analysis)
    codec = pick_codec()
    time_base = _source_time_base(info)
    try:
        output = av.open(str(path), mode="w")
    except av.error.FFmpegError as error:
        raise OutputError(f"could not create {path}: {error}.") from None
    with output:
        stream = None
        last_pts = -1
        for frame in iter_frames(info, start_s, end_s, max_side=max_side):
            image = frame.image
            image = np.ascontiguousarray(image[: image.shape[0] // 2 * 2, : image.shape[1] // 2 * 2])
            if stream is None:
                stream = _open_stream(output, codec, image.shape[1], image.shape[0], info.fps, time_base)
            row = clock.row_at(frame.time_s)
            if row is not None:
                draw_pose_on(image, analysis, row, image.shape[1] / float(track.width), image.shape[0] / float(track.height))
            draw_banner(image, [f"t {frame.time_s:.2f} s  {_lean_text(analysis, row)}", cadence.text_at(frame.time_s)])
            out = av.VideoFrame.from_ndarray(image, format="rgb24")
            pts = max(int(round(frame.time_s / time_base)), last_pts + 1)
            out.pts, out.time_base, last_pts = pts, time_base, pts
            output.mux(stream.encode(out))
        if stream is not None:
            output.mux(stream.encode(None))
    if stream is None:
        path.unlink(missing_ok=True)
        raise OutputError(f"no frames could be decoded for {path.name}.")
    log.info("overlay video: %s (%s)", path, codec)
    return path


def _open_stream(output: av.container.OutputContainer, codec: str, width: int, height: int, fps: float,
                 time_base: Fraction) -> av.video.stream.VideoStream:  # fmt: skip
    rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(30)
    options = {"crf": "23", "preset": "veryfast"} if codec == "libx264" else {}
    stream = output.add_stream(codec, rate=rate, options=options)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.time_base = time_base
    if codec == "mpeg4":
        stream.bit_rate = 4_000_000
    return stream
