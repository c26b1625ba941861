"""Streaming decoded frames upright, with their real timestamps.

Why streaming: a 10-minute 1080p clip is ~36,000 frames (~200 GB as RGB), so
every consumer pulls one frame at a time. Why timestamps: phones record with a
variable frame rate, so ``index / fps`` drifts; the presentation time is the truth.
Decoding is per packet so that one corrupt packet costs a frame, not the run.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from av.container import InputContainer
from av.video.stream import VideoStream

from formcheck.errors import VideoError
from formcheck.video.probe import VideoInfo
from formcheck.video.yuv import shrink_to_rgb

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frame:
    """One upright RGB frame (``image`` is H x W x 3 uint8) and when it was shown.

    ``damaged``: the decoder flagged the frame as corrupt, or the packet before it
    could not be decoded; FFmpeg conceals such errors (smeared or blocky areas),
    so the frame is usable but less trustworthy.
    """

    index: int
    time_s: float
    image: np.ndarray = field(repr=False)
    damaged: bool = False


@dataclass
class DecodeStats:
    """What went wrong while streaming, filled in as frames are pulled."""

    corrupt_packets: int = 0
    first_error: str | None = None
    frames: int = 0


def _upright(image: np.ndarray, rotation_deg: int) -> np.ndarray:
    """Apply the display rotation (counter-clockwise degrees) the container asks for."""
    turns = (rotation_deg // 90) % 4
    return np.ascontiguousarray(np.rot90(image, k=turns)) if turns else image


def _scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / float(max(width, height))
    return max(2, int(round(width * scale / 2)) * 2), max(2, int(round(height * scale / 2)) * 2)


@contextmanager
def open_video_stream(
    info: VideoInfo, decoder_threads: bool = True
) -> Iterator[tuple[InputContainer, VideoStream, Fraction, int]]:
    """The probed file's container and first video stream, with its time base and first timestamp.

    Times everywhere are ``(pts - origin) * time_base``, so every reader of packets or
    frames (this module, the parallel segment planner) opens the stream the same way.
    ``decoder_threads=False`` decodes on the calling thread only: when every core
    already runs a pose worker, FFmpeg's extra decoding threads add no speed, only
    their frame buffers (~12 MB per decoder at 1080p).
    """
    try:
        container = av.open(info.path)
    except av.error.FFmpegError as error:
        raise VideoError(f"{info.path} could not be opened again ({error}).") from None
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO" if decoder_threads else "NONE"
        time_base = Fraction(stream.time_base) if stream.time_base else Fraction(1, 1000)
        yield container, stream, time_base, stream.start_time or 0


def iter_frames(
    info: VideoInfo,
    start_s: float | None = None,
    end_s: float | None = None,
    max_side: int | None = None,
    stats: DecodeStats | None = None,
    keep: Callable[[float], bool] | None = None,
    decoder_threads: bool = True,
    skip_unneeded: bool = True,
) -> Iterator[Frame]:
    """Yield upright frames of ``info.path`` between ``start_s`` and ``end_s`` (seconds).

    ``max_side`` downsizes after converting (area-averaging, the right filter for
    shrinking: :func:`_to_rgb`) because the pose model works on 256 px crops: decoding 4K to full-size RGB would
    waste time and memory.
    ``time_s`` is measured from the stream's first timestamp, so ``--start 2`` yields
    frames with ``time_s >= 2``. ``keep(time_s)`` lets a caller that needs a few frames
    (key frames) skip the RGB conversion of all the others, the costly part of a pass.

    A seek lands on the keyframe before ``start_s``, and every frame from there is
    decoded to reach it. Frames that no other frame refers to (most B-frames) are
    not needed for that, so with ``skip_unneeded`` the decoder skips them while the
    packets are before ``start_s`` or (with ``keep``) not kept: the frames yielded are
    bit-for-bit the same, and reaching a segment start in the middle of a group of
    pictures costs about half the decoding (measured on the 60 fps gym clip: 3.7
    instead of 6.3 ms a frame). Only after a seek or with ``keep``, where
    ``Frame.index`` comes from the time: otherwise it counts decoded frames, which
    skipping would upset.
    """
    stats = stats if stats is not None else DecodeStats()
    with open_video_stream(info, decoder_threads) as (container, stream, time_base, origin_pts):
        seeking = bool(start_s and start_s > 0)
        skipping = (seeking or keep is not None) and skip_unneeded
        index_from_time = seeking or skipping
        skip_mode = "DEFAULT"
        if seeking:
            target = int((start_s or 0.0) / time_base) + origin_pts
            container.seek(target, stream=stream, backward=True, any_frame=False)
        coded_w, coded_h = stream.codec_context.width, stream.codec_context.height
        out_w, out_h = _scaled_size(coded_w, coded_h, max_side)
        shrink = (out_w, out_h) != (coded_w, coded_h)
        ordinal = 0
        last_time = -1.0
        after_failed_packet = False
        for packet in container.demux(stream):
            if skipping:
                mode = "DEFAULT" if _needed(packet.pts, origin_pts, time_base, start_s, keep) else "NONREF"
                if mode != skip_mode:  # per packet: the decoder applies it to the frame this packet holds
                    stream.codec_context.skip_frame = skip_mode = mode
            try:
                decoded = packet.decode()
            except (av.error.InvalidDataError, av.error.FFmpegError) as error:
                stats.corrupt_packets += 1
                stats.first_error = stats.first_error or str(error)
                after_failed_packet = True
                continue
            for frame in decoded:
                if frame.pts is not None:
                    time_s = float((frame.pts - origin_pts) * time_base)
                else:
                    time_s = last_time + 1.0 / info.fps if last_time >= 0 else 0.0
                if time_s <= last_time:  # duplicated or out-of-order timestamp: keep time monotonic
                    time_s = last_time + 1e-6
                if start_s is not None and time_s < start_s - 1e-6:
                    continue
                if end_s is not None and time_s > end_s + 1e-6:
                    return
                last_time = time_s
                if keep is not None and not keep(time_s):
                    ordinal += 1
                    continue
                image = _to_rgb(frame, (out_w, out_h) if shrink else None)
                index = int(round(time_s * info.fps)) if index_from_time else ordinal
                ordinal += 1
                stats.frames += 1
                damaged = bool(frame.is_corrupt) or after_failed_packet
                after_failed_packet = False
                yield Frame(index=index, time_s=time_s, image=_upright(image, info.rotation_deg), damaged=damaged)
        if stats.corrupt_packets:
            log.warning("%s: %d corrupt packets skipped", Path(info.path).name, stats.corrupt_packets)


def _to_rgb(frame: av.VideoFrame, size: tuple[int, int] | None) -> np.ndarray:
    """The frame as RGB, shrunk to ``size`` (width, height) by area averaging when given.

    Shrinking an 8-bit 4:2:0 frame (nearly every phone clip) goes through
    :func:`formcheck.video.yuv.shrink_to_rgb`: shrink the planes, then convert.
    Other frames are converted by swscale at full size, then area-averaged: swscale
    converting and area-shrinking in one pass took 5.3 ms a 1080x1920 frame here,
    these two steps 2.9 ms (the same colour matrix; pixels differ by ~1 level on average).
    """
    if size is not None:
        shrunk = shrink_to_rgb(frame, size)
        if shrunk is not None:
            return shrunk
    image = frame.to_ndarray(format="rgb24")
    if size is None:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _needed(pts: int | None, origin_pts: int, time_base: Fraction, start_s: float | None,
            keep: Callable[[float], bool] | None) -> bool:
    """Whether the frame in a packet with this ``pts`` may be yielded (then it must be decoded, referenced or not)."""
    if pts is None:
        return True
    time_s = float((pts - origin_pts) * time_base)
    return (start_s is None or time_s >= start_s - 1e-6) and (keep is None or keep(time_s))


class _End:
    """The producer's last word: the stream ended, or ``error`` was raised while decoding."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def prefetched(frames: Iterator[Frame], depth: int = 2) -> Generator[Frame, None, None]:
    """Decode ``frames`` on a helper thread, up to ``depth`` frames ahead of the consumer.

    Why: a pose worker alternates decoding (~4 ms, GIL released) and the model
    (~15 ms, on MediaPipe's threads); done in turn, every hand-over leaves a core
    waiting. Decoding the next frame while the model runs measured ~3 % more
    frames per second with two workers on two cores. Memory grows by ``depth``
    frames only. Errors raised while decoding are re-raised in the consumer, and
    closing the consumer early (a ``break``, Ctrl-C) stops the helper before returning.
    """
    slots: queue.Queue[Frame | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Frame | _End) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for frame in frames:
                if not put(frame):
                    return
            put(_End())
        except BaseException as error:  # handed to the consumer, which raises it
            put(_End(error))
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                close()

    helper = threading.Thread(target=produce, name="formcheck-decode", daemon=True)
    helper.start()
    try:
        while True:
            item = slots.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        helper.join()
