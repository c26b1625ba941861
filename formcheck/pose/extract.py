"""From a video file to a ``PoseTrack``: stream frames, follow one person, note cuts and tilt.

This is the only stage that looks at pixels; everything after it works on
the track. Frames are pulled one at a time (bounded memory whatever the
length) and landmarks are scaled back to the pixels of the upright original
frame, so downsizing for speed does not change any angle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from formcheck.pose.blazepose import GraphPool, PoseSettings
from formcheck.pose.follow import PersonFollower
from formcheck.pose.landmarks import LANDMARK_NAMES
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

TILT_SAMPLE_EVERY_S = 1.0
TILT_MAX_SAMPLES = 12


def extract_pose(
    info: VideoInfo,
    settings: PoseSettings = PoseSettings(),
    start_s: float | None = None,
    end_s: float | None = None,
    progress: ProgressFn | None = None,
    stats: DecodeStats | None = None,
    pool: GraphPool | None = None,
    decoder_threads: bool = True,
    tilt_samples: int = TILT_MAX_SAMPLES,
) -> PoseTrack:
    """Run BlazePose over ``info``'s frames between ``start_s`` and ``end_s``.

    ``pool`` lends graphs reused across calls (parallel segments); without it the
    graphs are built for this call and closed at its end. ``decoder_threads=False``
    when every core already runs a pose worker (see ``iter_frames``). ``tilt_samples``:
    at most this many frames (one a second) are searched for level lines; a parallel
    segment takes its share of the whole clip's ``TILT_MAX_SAMPLES``.
    """
    follower = PersonFollower(settings, pool)
    cuts = SceneCutDetector()
    rows: list[_Row] = []
    tilt_dev: list[np.ndarray] = []
    tilt_len: list[np.ndarray] = []
    next_tilt_s = start_s or 0.0
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
            if frame.time_s >= next_tilt_s and len(tilt_dev) < tilt_samples:
                dev, length = line_deviations(frame.image, _body_box(landmarks))
                tilt_dev.append(dev)
                tilt_len.append(length)
                next_tilt_s = frame.time_s + TILT_SAMPLE_EVERY_S
            if progress is not None:
                progress(frame.time_s)
    finally:
        frames.close()  # stops the decoding helper now, even when leaving on an exception
        follower.close()
    tilt = estimate_tilt(tilt_dev, tilt_len)
    return _assemble(rows, info, settings, scale or (1.0, 1.0), tilt.tilt_deg, tilt.lines)


def _body_box(landmarks: np.ndarray | None) -> tuple[float, float, float, float] | None:
    if landmarks is None:
        return None
    xy = landmarks[:, :2]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = 0.15 * max(x1 - x0, y1 - y0)
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _assemble(rows: list[_Row], info: VideoInfo,
              settings: PoseSettings, scale: tuple[float, float], tilt_deg: float | None, tilt_lines: int) -> PoseTrack:
    n, k = len(rows), len(LANDMARK_NAMES)
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
        tilt_deg=tilt_deg,
        tilt_lines=tilt_lines,
    )
