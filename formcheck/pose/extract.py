"""From a video file to a ``PoseTrack``: stream frames, follow one person, note cuts and tilt.

This is the only stage that looks at pixels; everything after it works on
the track. Frames are pulled one at a time (bounded memory whatever the
length) and landmarks are scaled back to the pixels of the upright original
frame, so downsizing for speed does not change any angle.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from formcheck.native_memory import return_freed_memory
from formcheck.pose.blazepose import GraphPool, PoseSettings
from formcheck.pose.follow import PersonFollower
from formcheck.pose.landmarks import LANDMARK_NAMES
from formcheck.pose.segments import Segment
from formcheck.pose.track import PoseTrack
from formcheck.video.frames import DecodeStats, iter_frames, prefetched
from formcheck.video.probe import VideoInfo
from formcheck.video.scenecut import SceneCutDetector
from formcheck.video.tilt import estimate_tilt, line_deviations


class _Row(NamedTuple):
    """What one frame gave, kept until the track is assembled."""

    index: int
    time_s: float
    landmarks: np.ndarray | None
    cut: bool
    rejected: bool
    damaged: bool


ProgressFn = Callable[[float], None]
"""Called with the time (s) of each processed frame, for progress bars."""

TRIM_EVERY_FRAMES = 150
"""How often a pose loop hands freed heap pages back to the OS (``malloc_trim``, ~0.2 ms).

Why: each frame allocates and frees megabytes (the full-size RGB frame, the model's
tensors) on the two malloc arenas the pose threads share, and pages freed in the middle
of a heap stay resident until trimmed. Sampled on the 10-minute 1080x1920 clip, that
freed-but-resident part of RSS was ~75-90 MB without this and ~40-60 MB with it."""
TILT_SAMPLE_EVERY_S = 1.0
TILT_MAX_SAMPLES = 12


@dataclass(frozen=True)
class TiltGrid:
    """Which frames are searched for level lines: the first frame of each of ``samples`` slots.

    The slots are fixed by the whole analysed window (``origin_s``, one every
    ``every_s``), and whether a frame is the first of its slot depends only on
    its own time and the frame before it. So a clip cut into parallel segments
    (each decoding a lead-in before the part it owns) searches the very frames
    a single pass does, and the camera-tilt estimate, the warning it raises and
    the pose cache entry do not depend on how many workers ran.
    """

    origin_s: float
    every_s: float
    samples: int = TILT_MAX_SAMPLES

    @classmethod
    def for_window(cls, info: VideoInfo, start_s: float | None, end_s: float | None) -> "TiltGrid":
        """One slot a second for short clips, spread evenly over longer ones (a tilt is the whole clip's)."""
        origin = start_s or 0.0
        end = end_s if end_s is not None else info.duration_s
        return cls(origin, max(TILT_SAMPLE_EVERY_S, (end - origin) / TILT_MAX_SAMPLES))

    def slot(self, time_s: float) -> int | None:
        """The slot ``time_s`` falls in, or None outside the grid."""
        k = math.floor((time_s - self.origin_s) / self.every_s + 1e-9)
        return k if 0 <= k < self.samples else None


class TiltSampler:
    """Says, frame by frame in decoding order, whether to search this frame for level lines.

    ``own``: the times this decoder owns (a parallel segment: its lead-in is
    decoded but sampled by the segment before it). ``decode_start_s``: where
    decoding begins; a segment with no lead-in takes the slot just before it as
    already sampled, so a slot cut by a seam is still sampled once.
    """

    def __init__(self, grid: TiltGrid, own: tuple[float, float] | None, decode_start_s: float | None) -> None:
        self._grid = grid
        self._own = own or (-math.inf, math.inf)
        self._last = grid.slot((decode_start_s or 0.0) - 1e-6)

    def wants(self, time_s: float) -> bool:
        slot = self._grid.slot(time_s)
        first_of_slot = slot is not None and slot != self._last
        self._last = slot
        return first_of_slot and self._own[0] <= time_s < self._own[1]


def extract_pose(
    info: VideoInfo,
    settings: PoseSettings = PoseSettings(),
    start_s: float | None = None,
    end_s: float | None = None,
    progress: ProgressFn | None = None,
    stats: DecodeStats | None = None,
    pool: GraphPool | None = None,
    decoder_threads: bool = True,
    tilt_grid: TiltGrid | None = None,
    tilt_own: tuple[float, float] | None = None,
) -> PoseTrack:
    """Run BlazePose over ``info``'s frames between ``start_s`` and ``end_s``.

    ``pool`` lends graphs reused across calls (parallel segments); without it the
    graphs are built for this call and closed at its end. ``decoder_threads=False``
    when every core already runs a pose worker (see ``iter_frames``). A parallel
    segment passes the whole window's ``tilt_grid`` and the times it owns
    (``tilt_own``, lead-in excluded), so that the segments together search the
    frames one pass over the window would (see ``TiltGrid``).
    """
    follower = PersonFollower(settings, pool)
    cuts = SceneCutDetector()
    rows: list[_Row] = []
    tilt_dev: list[np.ndarray] = []
    tilt_len: list[np.ndarray] = []
    sampler = TiltSampler(tilt_grid or TiltGrid.for_window(info, start_s, end_s), tilt_own, start_s)
    scale: tuple[float, float] | None = None
    frames = prefetched(iter_frames(info, start_s, end_s, max_side=settings.max_side_px, stats=stats,
                                    decoder_threads=decoder_threads))
    try:
        for frame in frames:
            if scale is None:
                h, w = frame.image.shape[:2]
                scale = (info.width / w, info.height / h)
            cut = cuts.is_cut(frame.image)
            if cut:
                follower.reset()
            landmarks, rejected = follower.step(frame.image, frame.time_s)
            rows.append(_Row(frame.index, frame.time_s, landmarks, cut, rejected, frame.damaged))
            if sampler.wants(frame.time_s):
                dev, length = line_deviations(frame.image, _body_box(landmarks))
                tilt_dev.append(dev)
                tilt_len.append(length)
            if progress is not None:
                progress(frame.time_s)
            if len(rows) % TRIM_EVERY_FRAMES == 0:
                return_freed_memory()
    finally:
        frames.close()  # stops the decoding helper now, even when leaving on an exception
        follower.close()
    return _assemble(rows, info, settings, scale or (1.0, 1.0), tilt_dev, tilt_len)


def extract_segment(info: VideoInfo, settings: PoseSettings, segment: Segment, tilt_grid: TiltGrid,
                    **options: Any) -> PoseTrack:
    """One parallel segment's pose, lead-in included (the stitch compares it across the seam, then drops it).

    The one place the thread pool, the process pool and Ray's segment tasks turn a
    ``Segment`` into an ``extract_pose`` call: its decode range, and the frames of
    the whole window's ``tilt_grid`` it owns. ``options``: ``progress``, ``pool``,
    ``decoder_threads``.
    """
    return extract_pose(info, settings, segment.decode_start_s, segment.decode_end_s, tilt_grid=tilt_grid,
                        tilt_own=(segment.own_start_s, segment.own_end_s), **options)


def _body_box(landmarks: np.ndarray | None) -> tuple[float, float, float, float] | None:
    if landmarks is None:
        return None
    xy = landmarks[:, :2]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = 0.15 * max(x1 - x0, y1 - y0)
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _assemble(rows: list[_Row], info: VideoInfo,
              settings: PoseSettings, scale: tuple[float, float],
              tilt_dev: list[np.ndarray], tilt_len: list[np.ndarray]) -> PoseTrack:
    n, k = len(rows), len(LANDMARK_NAMES)
    level_lines = (np.concatenate(tilt_dev), np.concatenate(tilt_len)) if tilt_dev else (np.empty(0), np.empty(0))
    tilt = estimate_tilt([level_lines[0]], [level_lines[1]])
    xy = np.full((n, k, 2), np.nan)
    z = np.full((n, k), np.nan)
    visibility = np.zeros((n, k))
    for i, row in enumerate(rows):
        landmarks = row.landmarks
        if landmarks is not None:
            xy[i, :, 0] = landmarks[:, 0] * scale[0]
            xy[i, :, 1] = landmarks[:, 1] * scale[1]
            z[i] = landmarks[:, 2] * scale[0]
            visibility[i] = landmarks[:, 3]
    return PoseTrack(
        time_s=np.array([r.time_s for r in rows], dtype=np.float64),
        frame_index=np.array([r.index for r in rows], dtype=np.int64),
        xy_px=xy,
        z=z,
        visibility=visibility,
        found=np.array([r.landmarks is not None for r in rows], dtype=bool),
        scene_cut=np.array([r.cut for r in rows], dtype=bool),
        identity_rejected=np.array([r.rejected for r in rows], dtype=bool),
        damaged=np.array([r.damaged for r in rows], dtype=bool),
        width=info.width,
        height=info.height,
        fps=info.fps,
        model=settings.model_name,
        tilt_deg=tilt.tilt_deg,
        tilt_lines=tilt.lines,
        level_lines=level_lines,
    )
