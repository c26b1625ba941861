"""Facts about a video file (size, rotation, frame rate, duration, codec) without decoding it all.

The probe is the one place that validates a video path: later stages trust the
``VideoInfo`` it returns. Errors are phrased for the person who chose the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from formcheck.errors import InputFileError, VideoError, VideoTooLongError

MAX_DURATION_S = 30 * 60.0
"""Longest video analysed whole; longer ones need --start/--end (pose costs ~25 ms a frame)."""
STILL_IMAGE_FORMATS = ("image2", "jpeg_pipe", "png_pipe", "bmp_pipe", "tiff_pipe", "heif")
"""FFmpeg opens a photo as a one-frame "video" through these demuxers, whatever the file is called
(animated GIF/WebP are left alone: they can hold a real clip)."""
STILL_IMAGE_CODECS = ("mjpeg", "png", "bmp", "tiff", "jpeg2000")

_SLOWMO_KEYS = ("com.apple.quicktime.slowmo", "slow_motion", "slowmo", "com.android.capture.fps")


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video, with display rotation already accounted for.

    ``width``/``height`` are the upright (displayed) size. ``capture_fps_tag`` is the
    capture rate some phones store for slow-motion clips (None when absent).
    """

    path: str
    sha256: str
    width: int
    height: int
    rotation_deg: int
    fps: float
    frames: int
    duration_s: float
    codec: str
    capture_fps_tag: float | None = None
    slowmo_tag: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "width": self.width,
            "height": self.height,
            "rotation_deg": self.rotation_deg,
            "fps": round(self.fps, 4),
            "frames": self.frames,
            "duration_s": round(self.duration_s, 4),
            "codec": self.codec,
        }


def file_sha256(path: Path, chunk_bytes: int = 1 << 20) -> str:
    """Content hash used for the pose cache and the report (streams: bounded memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def check_readable_file(path: Path) -> None:
    """Raise a one-line InputFileError for the common path mistakes."""
    if not path.exists():
        raise InputFileError(f"{path} does not exist: check the path and try again.")
    if path.is_dir():
        raise InputFileError(f"{path} is a directory: give the path of a video file inside it.")
    if path.stat().st_size == 0:
        raise VideoError(f"{path} is empty (0 bytes): copy the video again from the phone.")


def _rotation_of(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int:
    """Display rotation in degrees counter-clockwise, multiple of 90, from the first frame.

    PyAV exposes the display matrix per frame (``VideoFrame.rotation``); phones write
    it instead of rotating pixels, so a portrait clip decodes sideways without it.
    """
    for frame in container.decode(stream):
        return int(round(float(getattr(frame, "rotation", 0) or 0) / 90.0)) * 90 % 360
    raise VideoError(f"{container.name} has a video stream but no decodable frame: the file is damaged.")


def _slowmo_tags(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> tuple[bool, float | None]:
    tags = {**{k.lower(): v for k, v in container.metadata.items()}, **{k.lower(): v for k, v in stream.metadata.items()}}
    capture_fps: float | None = None
    for key in ("com.android.capture.fps", "capture_fps"):
        if key in tags:
            try:
                capture_fps = float(tags[key])
            except ValueError:
                pass
    slowmo = any(key in tags for key in _SLOWMO_KEYS[:3]) or (capture_fps is not None and capture_fps > 0)
    return slowmo, capture_fps


def probe_video(path: str | Path, start_s: float | None = None, end_s: float | None = None) -> VideoInfo:
    """Open ``path``, check it is a decodable video of acceptable length, and describe it.

    ``start_s``/``end_s`` only matter for the length limit: a long video is
    accepted when they pick a part no longer than ``MAX_DURATION_S``.
    """
    path = Path(path)
    check_readable_file(path)
    try:
        container = av.open(str(path))
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError) as error:
        raise VideoError(
            f"{path} is not a video formcheck can read ({_short(error)}): export it as MP4 (H.264) and try again."
        ) from None
    with container:
        if not container.streams.video:
            raise VideoError(f"{path} has no video stream: choose the video file, not an audio or image file.")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if container.format.name in STILL_IMAGE_FORMATS or (
            stream.codec_context.name in STILL_IMAGE_CODECS and (stream.frames or 0) <= 1 and not stream.duration
        ):
            raise VideoError(f"{path} is a still image ({stream.codec_context.name.upper()}), not a video: choose the video file.")
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        if not rate or float(rate) <= 0:
            raise VideoError(f"{path} does not state a frame rate: re-export it as MP4 (H.264).")
        fps = float(rate)
        duration_s = _duration_s(container, stream)
        try:
            rotation = _rotation_of(container, stream)
        except (av.error.FFmpegError, av.error.InvalidDataError) as error:
            raise VideoError(f"{path} is damaged: no frame could be decoded ({_short(error)}).") from None
        slowmo, capture_fps = _slowmo_tags(container, stream)
        frames = int(stream.frames) if stream.frames else int(round(duration_s * fps))
        width, height = stream.codec_context.width, stream.codec_context.height
        if rotation in (90, 270):
            width, height = height, width
        codec = stream.codec_context.name
    _check_length(path, duration_s, start_s, end_s)
    return VideoInfo(
        path=str(path),
        sha256=file_sha256(path),
        width=int(width),
        height=int(height),
        rotation_deg=rotation,
        fps=fps,
        frames=frames,
        duration_s=duration_s,
        codec=codec,
        capture_fps_tag=capture_fps,
        slowmo_tag=slowmo,
    )


def _duration_s(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * Fraction(stream.time_base))
    if container.duration:
        return container.duration / 1_000_000.0
    return 0.0


def _check_length(path: Path, duration_s: float, start_s: float | None, end_s: float | None) -> None:
    if duration_s <= MAX_DURATION_S:
        return
    picked_s = (end_s if end_s is not None else duration_s) - (start_s or 0.0)
    if (start_s is None and end_s is None) or picked_s > MAX_DURATION_S:
        minutes = duration_s / 60.0
        longest = f"{path} is {minutes:.0f} min long; formcheck analyses at most {MAX_DURATION_S / 60:.0f} min"
        raise VideoTooLongError(
            f"{longest}: pick a part of it by its start and end, in seconds.",
            trimmed=f"{longest}: trim the clip to the part to look at (a video editor, or formcheck analyze with "
                    "its start and end) and give that.",
            settings=("start_s", "end_s"),
        )


def _short(error: BaseException) -> str:
    """FFmpeg's reason in words ("invalid data found when processing input"), without its errno and the path."""
    reason = getattr(error, "strerror", None)
    if isinstance(reason, str) and reason.strip():
        text = reason.strip()
        return (text[:1].lower() + text[1:])[:120]
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
