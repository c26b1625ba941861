"""Where to cut a clip so that every pose worker has the same amount of work.

Cutting at equal frame counts (``segments.plan_segments``) leaves the workers
unequal: every segment but the first also runs its lead-in through the model,
and its decoder starts at the keyframe before the lead-in and decodes every
frame from there. On a short clip that is a large share: on the 6.5 s gym clip
(keyframes at 0 and 4.2 s) the second of two equal halves decoded 180 frames
more than the first, and the first worker then waited with a core idle.
``plan_balanced`` gives each segment the same *cost* instead, counting a frame
that is only decoded as ``SKIP_COST`` of a frame that is also converted and
inferred, so a segment that starts in the middle of a group of pictures owns
fewer frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.pose.segments import TIME_TOLERANCE_S, Segment, plan_segments
from formcheck.video.frames import open_video_stream
from formcheck.video.probe import VideoInfo

LEAD_IN_FRAMES = 15
LEAD_IN_MIN_S = 0.25
SKIP_COST = 0.06
"""A frame only decoded (before a segment's lead-in) relative to one decoded, converted and inferred,
measured with every core busy (what the segments' wall times depend on): ~4.5 ms (non-reference
frames skipped, see ``iter_frames``) against 73-78 ms a frame inferred on two threads at once. With
0.2 (a guess against ~30 ms a frame) the second segment of the gym clip and of its first 3 s ended
2.2 s and 0.8 s before the first, with one core idle meanwhile."""
RELAX_SWEEPS = 4


@dataclass(frozen=True)
class PacketTable:
    """Every video packet's presentation time (s, sorted) and the times of the keyframes among them."""

    times: np.ndarray
    keyframe_times: np.ndarray


def read_packet_table(info: VideoInfo) -> PacketTable:
    """The packet table of ``info``, times computed as ``iter_frames`` and ``frame_time_table`` compute them.

    Demuxing without decoding reads ~18,000 packets of a 10-minute clip in a fraction of a second.
    """
    times: list[float] = []
    keys: list[float] = []
    with open_video_stream(info) as (container, stream, time_base, origin):
        for packet in container.demux(stream):
            if packet.pts is None or not packet.size:
                continue
            time_s = float((packet.pts - origin) * time_base)
            times.append(time_s)
            if packet.is_keyframe:
                keys.append(time_s)
    return PacketTable(np.sort(np.array(times, dtype=np.float64)), np.sort(np.array(keys, dtype=np.float64)))


def lead_in_frames(fps: float) -> int:
    """Frames decoded and inferred before a segment's first own frame, and then discarded.

    Measured on the 60 fps gym clip against the single-worker track (seams at frames 200
    and 300): with no lead-in the first own frames are 8-12 px off; from 15 frames on the
    agreement is as good as it gets (median 1.4-1.6 px with 15 or 30 frames: MediaPipe's
    ROI tracking never converges exactly), 5-10 frames are worse. MediaPipe's landmark
    smoothing works in time, not in frames, hence also at least ``LEAD_IN_MIN_S``.
    """
    return max(LEAD_IN_FRAMES, int(np.ceil(LEAD_IN_MIN_S * max(fps, 1.0))))


def plan_balanced(table: PacketTable, start_s: float | None, end_s: float | None, n_segments: int,
                  lead_in: int, skip_cost: float = SKIP_COST) -> list[Segment]:
    """At most ``n_segments`` segments covering the window, each about the same cost.

    The cost of a segment is the frames it decodes and infers (its own and its lead-in)
    plus ``skip_cost`` times the frames it only decodes (from the keyframe before its
    first decoded frame). First the smallest budget that ``n_segments`` segments can
    keep is found (bisection, greedy filling), then each cut is moved to where its two
    neighbours cost the most alike, which spreads the remainder the greedy left to the
    last segment. Fewer segments come back when a window is too short for all of them.
    """
    times = table.times
    lo = -np.inf if start_s is None else start_s - TIME_TOLERANCE_S
    hi = np.inf if end_s is None else end_s + TIME_TOLERANCE_S
    inside = np.flatnonzero((times >= lo) & (times <= hi))
    if len(inside) < 2 or n_segments < 2:
        return plan_segments(times, start_s, end_s, 1, 0.0)
    w0, w1 = int(inside[0]), int(inside[-1]) + 1
    n_segments = min(n_segments, w1 - w0)
    fixed = _start_costs(table, w0, w1, lead_in, skip_cost, seeks_to_window=start_s is not None)

    def cost(first: int, end: int) -> float:
        return float(fixed[first - w0] + (end - first))

    cuts = _min_max_cuts(fixed, w0, w1, n_segments)
    cuts = _relax(cuts, fixed, w0, cost)
    segments = []
    n = len(cuts) - 1
    for k in range(n):
        own_start, own_end = cuts[k], cuts[k + 1]
        first = max(0, own_start - lead_in)
        begin = -np.inf if k == 0 else (times[own_start - 1] + times[own_start]) / 2.0
        finish = np.inf if k == n - 1 else (times[own_end - 1] + times[own_end]) / 2.0
        if k == 0:
            decode_start = start_s
        else:
            decode_start = float((times[first - 1] + times[first]) / 2.0) if first > 0 else 0.0
        decode_end = end_s if k == n - 1 else float(times[own_end])
        segments.append(Segment(k, float(begin), float(finish), decode_start, decode_end, own_end - own_start))
    return segments


def _start_costs(table: PacketTable, w0: int, w1: int, lead_in: int, skip_cost: float,
                 seeks_to_window: bool) -> np.ndarray:
    """For each frame of the window: what a segment owning frames from there costs before its first own frame."""
    own_start = np.arange(w0, w1)
    first = np.maximum(0, own_start - lead_in)
    first[0] = w0  # the first segment has no lead-in
    key_index = np.searchsorted(table.times, table.keyframe_times - TIME_TOLERANCE_S)
    k = np.searchsorted(key_index, first, side="right") - 1
    preroll = first - np.where(k >= 0, key_index[np.maximum(k, 0)], 0)
    costs = skip_cost * preroll + (own_start - first)
    if not seeks_to_window:
        costs[0] = 0.0  # decoding starts at the file's start: nothing to skip
    return costs.astype(np.float64)


def _min_max_cuts(fixed: np.ndarray, w0: int, w1: int, n_segments: int) -> list[int]:
    """Cut points (w0 ... w1) of at most ``n_segments`` segments whose largest cost is smallest."""
    def within(budget: float) -> list[int] | None:
        cuts, pos = [w0], w0
        for _ in range(n_segments):
            own = int(np.floor(budget - fixed[pos - w0] + 1e-9))
            if own < 1:
                return None
            pos = min(w1, pos + own)
            cuts.append(pos)
            if pos >= w1:
                return cuts
        return None

    low, high = (w1 - w0) / n_segments, float(fixed.max() + (w1 - w0) + 1)
    best = within(high) or [w0, w1]
    for _ in range(50):
        mid = (low + high) / 2.0
        found = within(mid)
        if found is None:
            low = mid
        else:
            high, best = mid, found
    return best


def _relax(cuts: list[int], fixed: np.ndarray, w0: int, cost) -> list[int]:  # type: ignore[no-untyped-def]
    """Move each inner cut to where the larger of its two neighbours' costs is smallest (never raises the maximum)."""
    cuts = list(cuts)
    for _ in range(RELAX_SWEEPS):
        moved = False
        for k in range(1, len(cuts) - 1):
            left_start, right_end = cuts[k - 1], cuts[k + 1]
            candidates = np.arange(left_start + 1, right_end)
            left = fixed[left_start - w0] + (candidates - left_start)
            right = fixed[candidates - w0] + (right_end - candidates)
            worst = np.maximum(left, right) + 1e-6 * np.abs(left - right)
            best = int(candidates[int(np.argmin(worst))])
            if best != cuts[k]:
                cuts[k], moved = best, True
        if not moved:
            break
    return cuts
