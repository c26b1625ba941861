"""Cutting a clip into time segments for parallel pose inference, and stitching them back.

Pure bookkeeping, no model: ``formcheck.pose.parallel`` runs one segment per
worker process and hands the per-segment tracks to ``stitch``. Each segment is
decoded from a short lead-in before the frames it *owns*, so that the tracker
and its landmark smoothing have settled when its first owned frame arrives.
Ownership is by timestamp against boundaries placed half-way between two
frames, so every frame belongs to exactly one segment: a foot contact at a
seam is neither lost nor counted twice.

Frame ordinals come from a demux-only pass over the packets' timestamps
(``frame_time_table``): after a seek the decoder cannot know how many frames
came before, and ``round(time * fps)`` is off by one on some AVI files. The
same table gives the times of a failed segment's frames, so a crashed worker
costs frames reported as "not found", never a hole in the time axis.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.pose.follow import (
    MAX_JUMP_TORSOS,
    MAX_JUMP_TORSOS_PER_FRAME,
    NOMINAL_FPS,
    REACQUIRE_AFTER_S,
    SIZE_RATIO_RANGE,
    torso_center_and_length,
)
from formcheck.pose.landmarks import LANDMARK_NAMES
from formcheck.pose.track import PoseTrack
from formcheck.video.frames import open_video_stream
from formcheck.video.probe import VideoInfo
from formcheck.video.tilt import estimate_tilt

TIME_TOLERANCE_S = 1e-6
"""Same tolerance as ``iter_frames`` uses for window edges."""
SAME_PERSON_MAX_TORSOS = 0.5
"""Two trackers on the same person in the same frame agree to a few pixels; another person is ~1 torso away or more."""
OVERLAP_FRAMES_COMPARED = 10
"""The last lead-in frames (tracker settled) compared with the previous segment's frames."""


@dataclass(frozen=True)
class Segment:
    """Frames with ``own_start_s <= time < own_end_s`` belong to this segment.

    ``decode_start_s``/``decode_end_s`` are what the worker decodes (a superset:
    the lead-in before, the next segment's first frame after). ``None`` means the
    start/end of the file, as in ``extract_pose``.
    """

    index: int
    own_start_s: float
    own_end_s: float
    decode_start_s: float | None
    decode_end_s: float | None
    frames: int

    def owns(self, time_s: np.ndarray) -> np.ndarray:
        return (time_s >= self.own_start_s) & (time_s < self.own_end_s)


def frame_time_table(info: VideoInfo) -> np.ndarray:
    """Sorted presentation times (s) of every video packet, computed as ``iter_frames`` does.

    Demuxing without decoding reads ~18,000 packets of a 10-minute clip in a fraction of a second.
    """
    with open_video_stream(info) as (container, stream, time_base, origin):
        pts = [packet.pts for packet in container.demux(stream) if packet.pts is not None and packet.size]
    return np.sort(np.array([float((p - origin) * time_base) for p in pts], dtype=np.float64))


def plan_segments(times: np.ndarray, start_s: float | None, end_s: float | None, n_segments: int,
                  lead_in_s: float) -> list[Segment]:
    """Split the frames of the window into ``n_segments`` runs of (nearly) equal frame counts."""
    lo = -np.inf if start_s is None else start_s - TIME_TOLERANCE_S
    hi = np.inf if end_s is None else end_s + TIME_TOLERANCE_S
    window = times[(times >= lo) & (times <= hi)]
    n_segments = max(1, min(n_segments, len(window)))
    cuts = [int(round(i * len(window) / n_segments)) for i in range(n_segments + 1)]
    bounds = [-np.inf] + [(window[c - 1] + window[c]) / 2.0 for c in cuts[1:-1]] + [np.inf]
    segments = []
    for k in range(n_segments):
        first = k == 0
        decode_start = start_s if first else max(0.0, bounds[k] - lead_in_s)
        decode_end = end_s if k == n_segments - 1 else float(window[cuts[k + 1]])
        segments.append(Segment(k, float(bounds[k]), float(bounds[k + 1]), decode_start, decode_end,
                                cuts[k + 1] - cuts[k]))
    return segments


def _placeholder(times: np.ndarray, segment: Segment, info: VideoInfo, model: str) -> PoseTrack:
    """Not-found frames at the table times a failed segment owned (ordinals filled in by ``stitch``)."""
    keep = segment.owns(times)
    if segment.decode_start_s is not None:
        keep &= times >= segment.decode_start_s - TIME_TOLERANCE_S
    if segment.decode_end_s is not None:
        keep &= times <= segment.decode_end_s + TIME_TOLERANCE_S
    own = times[keep]
    n, k = len(own), len(LANDMARK_NAMES)
    return PoseTrack(
        time_s=own, frame_index=np.full(n, -1, dtype=np.int64), xy_px=np.full((n, k, 2), np.nan),
        z=np.full((n, k), np.nan), visibility=np.zeros((n, k)), found=np.zeros(n, dtype=bool),
        scene_cut=np.zeros(n, dtype=bool), identity_rejected=np.zeros(n, dtype=bool),
        width=info.width, height=info.height, fps=info.fps, model=model,
    )  # fmt: skip


def _concat(parts: list[PoseTrack]) -> dict[str, np.ndarray]:
    names = ("time_s", "frame_index", "xy_px", "z", "visibility", "found", "scene_cut", "identity_rejected", "damaged")
    return {name: np.concatenate([getattr(part, name) for part in parts]) for name in names}


def ordinals(time_s: np.ndarray, decoded_index: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Frame ordinals in the file: the time's position in the packet table, else the decoder's guess.

    Made strictly increasing so that ``frame_index`` never holds a duplicate,
    even for a file whose timestamps the table cannot match.
    """
    out = decoded_index.astype(np.int64).copy()
    if len(table):
        pos = np.clip(np.searchsorted(table, time_s - TIME_TOLERANCE_S), 0, len(table) - 1)
        matched = np.abs(table[pos] - time_s) <= TIME_TOLERANCE_S * 2
        out[matched] = pos[matched]
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            out[i] = out[i - 1] + 1
    return out


def _torso(track: PoseTrack, i: int) -> tuple[np.ndarray, float] | None:
    return torso_center_and_length(track.xy_px[i]) if track.found[i] else None


def _same_person_in_overlap(before: PoseTrack, after_full: PoseTrack, boundary_s: float) -> bool | None:
    """Do the two segments follow the same person in the frames both decoded? None: no frame to compare."""
    lead = np.flatnonzero((after_full.time_s < boundary_s) & after_full.found)
    keys_before = {round(t * 1e6): i for i, t in enumerate(before.time_s)}
    distances, ratios = [], []
    for j in lead[::-1]:
        i = keys_before.get(round(after_full.time_s[j] * 1e6))
        a, b = (_torso(before, i) if i is not None else None), _torso(after_full, j)
        if a is None or b is None:
            continue
        distances.append(float(np.linalg.norm(a[0] - b[0])) / a[1])
        ratios.append(b[1] / a[1])
        if len(distances) >= OVERLAP_FRAMES_COMPARED:
            break
    if not distances:
        return None
    ratio = float(np.median(ratios))
    return float(np.median(distances)) <= SAME_PERSON_MAX_TORSOS and SIZE_RATIO_RANGE[0] <= ratio <= SIZE_RATIO_RANGE[1]


def _continuous_across_seam(before: PoseTrack, after: PoseTrack) -> bool:
    """The follower's own rule, applied between the last frame before and the first frame after a seam."""
    prev = np.flatnonzero(before.found)
    nxt = np.flatnonzero(after.found)
    if not len(prev) or not len(nxt):
        return True
    i, j = int(prev[-1]), int(nxt[0])
    gap_s = float(after.time_s[j] - before.time_s[i])
    if gap_s > REACQUIRE_AFTER_S:
        return True  # the follower itself would accept whoever shows up after this long
    a, b = _torso(before, i), _torso(after, j)
    if a is None or b is None:
        return True
    limit = min(MAX_JUMP_TORSOS, MAX_JUMP_TORSOS_PER_FRAME * max(1.0, gap_s * NOMINAL_FPS))
    ratio = b[1] / a[1]
    return float(np.linalg.norm(b[0] - a[0])) / a[1] <= limit and SIZE_RATIO_RANGE[0] <= ratio <= SIZE_RATIO_RANGE[1]


def _lock_length(after: PoseTrack) -> int:
    """Frames (from the start, up to its last detection) for which the segment stays on whoever it locked on to.

    The lock ends where the follower would re-acquire anyway: a scene cut, or
    the person lost for longer than ``REACQUIRE_AFTER_S``.
    """
    last: int | None = None
    for i in range(after.n_frames):
        if i > 0 and after.scene_cut[i]:
            break
        if after.found[i]:
            if last is not None and after.time_s[i] - after.time_s[last] > REACQUIRE_AFTER_S:
                break
            last = i
    return 0 if last is None else last + 1


def seam_rejections(before: PoseTrack, after: PoseTrack, after_full: PoseTrack | None, boundary_s: float) -> int:
    """How many of ``after``'s first frames follow a different person than ``before`` (0 when consistent)."""
    if after.n_frames == 0 or after.scene_cut[0]:
        return 0
    same = _same_person_in_overlap(before, after_full, boundary_s) if after_full is not None else None
    if same is None:
        same = _continuous_across_seam(before, after)
    return 0 if same else _lock_length(after)


def reject_frames(track: PoseTrack, count: int) -> PoseTrack:
    """The first ``count`` frames turned into "rejected: someone else" (NaN landmarks, not found)."""
    xy, z, vis = track.xy_px.copy(), track.z.copy(), track.visibility.copy()
    found, rejected = track.found.copy(), track.identity_rejected.copy()
    rejected[:count] |= found[:count]
    xy[:count], z[:count], vis[:count], found[:count] = np.nan, np.nan, 0.0, False
    return replace(track, xy_px=xy, z=z, visibility=vis, found=found, identity_rejected=rejected)


def stitch(info: VideoInfo, segments: list[Segment], outputs: dict[int, PoseTrack], table: np.ndarray,
           model: str) -> tuple[PoseTrack, list[str]]:
    """One track from per-segment tracks (keys: segment index; a missing key = failed segment).

    Returns the track and warnings about seams where a segment followed someone else.
    """
    warnings: list[str] = []
    owned: list[PoseTrack] = []
    for segment in segments:
        full = outputs.get(segment.index)
        part = full.subset(segment.owns(full.time_s)) if full is not None else None
        if part is None:
            part = _placeholder(table, segment, info, model)
        elif owned and owned[-1].n_frames and segment.index - 1 in outputs:
            count = seam_rejections(owned[-1], part, full, segment.own_start_s)
            if count:
                part = reject_frames(part, count)
                span_s = float(part.time_s[count - 1] - part.time_s[0]) if count else 0.0
                warnings.append(
                    f"segment {segment.index + 1} (from {part.time_s[0]:.2f} s) followed a different person than "
                    f"the segment before it: {count} frames ({span_s:.1f} s) marked as not found")
        owned.append(part)
    arrays = _concat(owned)
    arrays["frame_index"] = ordinals(arrays["time_s"], arrays["frame_index"], table)
    # every segment's level lines, one median over all: the estimate one pass over the window gives
    parts = [outputs[k].level_lines or (np.empty(0), np.empty(0)) for k in sorted(outputs)]
    level_lines = (np.concatenate([np.empty(0)] + [dev for dev, _ in parts]),
                   np.concatenate([np.empty(0)] + [px for _, px in parts]))
    tilt = estimate_tilt([level_lines[0]], [level_lines[1]])
    track = PoseTrack(**arrays, width=info.width, height=info.height, fps=info.fps, model=model,
                      tilt_deg=tilt.tilt_deg, tilt_lines=tilt.lines, level_lines=level_lines)
    return track, warnings
