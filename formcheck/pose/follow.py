"""Following one person through a clip without silently jumping to someone else.

MediaPipe's pose solution reports a single person: in tracking mode it stays
on whoever it locked on to, but after losing them its detector may pick a
different person (another jogger, an official). ``PersonFollower`` accepts a
detection only if its torso is where the followed person could have moved to
and about the same size; otherwise it looks again inside a crop around the
last accepted position (a second graph in static mode), and if that fails the
frame is reported as lost. After a long absence (the runner left the frame)
the first detection is accepted again and the re-acquisition is reported.
A scene cut is treated like the start of the clip: positions in the old shot
say nothing about the new one, so the first detection after it is accepted
(largest, most central person first) instead of being judged against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.pose.blazepose import BlazePose, GraphPool, LockedGraph, PoseSettings, kept_crop_graph
from formcheck.pose.choose import Box, choose_runner, detect_people, landmarks_box
from formcheck.pose.landmarks import HIPS, SHOULDERS

MAX_JUMP_TORSOS_PER_FRAME = 0.8
"""A sprinter at 10 m/s filmed at 30 fps moves ~0.33 m a frame, ~0.6 torso lengths."""
MAX_JUMP_TORSOS = 1.5
SIZE_RATIO_RANGE = (0.6, 1.65)
REACQUIRE_AFTER_S = 0.5
NOMINAL_FPS = 30.0
"""Jump limits are per 1/30 s: a 60 fps clip allows half the jump per frame."""
MIN_TORSO_VISIBILITY = 0.3


@dataclass
class FollowEvents:
    """What the follower had to decide, for the report's warnings."""

    rejected_frames: int = 0
    recovered_by_crop: int = 0
    reacquisitions: list[float] = field(default_factory=list)
    start_choice_overrides: int = 0


def torso_center_and_length(landmarks: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Torso midpoint and shoulder-to-hip length (pixels) of a (33, >=2) landmark array."""
    shoulders = landmarks[list(SHOULDERS), :2].mean(axis=0)
    hips = landmarks[list(HIPS), :2].mean(axis=0)
    length = float(np.linalg.norm(shoulders - hips))
    if not np.isfinite(length) or length < 1.0:
        return None
    return (shoulders + hips) / 2.0, length


class PersonFollower:
    """Runs BlazePose frame by frame and keeps only the person it started with."""

    def __init__(self, settings: PoseSettings, pool: GraphPool | None = None) -> None:
        """``pool`` lends graphs that outlive this follower (parallel segments); else it owns its own."""
        self._settings = settings
        self._pool = pool
        self._tracker = pool.get(settings, static=False) if pool else BlazePose(settings, static=False)
        self._crop_model: BlazePose | LockedGraph | None = None
        self._last: np.ndarray | None = None
        self._last_time = -np.inf
        self._new_shot = True
        self.events = FollowEvents()

    def close(self) -> None:
        if self._pool is not None:
            return  # the pool's graphs serve the next segment
        self._tracker.close()
        if self._crop_model is not None:
            self._crop_model.close()

    def reset(self) -> None:
        """After a scene cut: the tracker's region of interest and the last position mean nothing in the new shot."""
        self._tracker.reset()
        self._new_shot = True

    def step(self, image_rgb: np.ndarray, time_s: float) -> tuple[np.ndarray | None, bool]:
        """Landmarks (33, 4) of the followed person in this frame (or None), and whether a detection was rejected."""
        candidate = self._tracker.detect(image_rgb)
        if self._new_shot or time_s - self._last_time > REACQUIRE_AFTER_S:
            if candidate is not None and torso_center_and_length(candidate) is not None:
                if self._last is not None:
                    self.events.reacquisitions.append(time_s)
                if self._new_shot:
                    candidate = self._largest_central_person(image_rgb, candidate)
                    self._new_shot = False
                return self._accept(candidate, time_s), False
            return None, False
        if candidate is not None and self._consistent(candidate, time_s):
            return self._accept(candidate, time_s), False
        rejected = candidate is not None
        if rejected:
            self.events.rejected_frames += 1
        recovered = self._look_near_last(image_rgb, time_s)
        if recovered is not None:
            self.events.recovered_by_crop += 1
            return self._accept(recovered, time_s), rejected
        return None, rejected

    def _accept(self, landmarks: np.ndarray, time_s: float) -> np.ndarray:
        self._last, self._last_time = landmarks, time_s
        return landmarks

    def _consistent(self, candidate: np.ndarray, time_s: float) -> bool:
        assert self._last is not None
        now, before = torso_center_and_length(candidate), torso_center_and_length(self._last)
        if now is None or before is None:
            return False
        frames_gap = max(1.0, (time_s - self._last_time) * NOMINAL_FPS)
        jump = float(np.linalg.norm(now[0] - before[0])) / before[1]
        ratio = now[1] / before[1]
        limit = min(MAX_JUMP_TORSOS, MAX_JUMP_TORSOS_PER_FRAME * frames_gap)
        return jump <= limit and SIZE_RATIO_RANGE[0] <= ratio <= SIZE_RATIO_RANGE[1]

    def _largest_central_person(self, image_rgb: np.ndarray, candidate: np.ndarray) -> np.ndarray:
        """At the start, prefer the largest, most central person over MediaPipe's first pick.

        Only overrides when the people detector sees several people, one of them is
        the candidate, and the pose model confirms a person inside the chosen box.
        """
        people = detect_people(image_rgb)
        if len(people) < 2:
            return candidate
        height, width = image_rgb.shape[:2]
        mine = landmarks_box(candidate)
        if max(box.iou(mine) for box in people) < 0.3:
            return candidate  # the detector missed the candidate: too unsure to override
        chosen = choose_runner(people, width, height)
        if chosen is None or chosen.iou(mine) >= 0.3:
            return candidate
        found = self._detect_in_box(image_rgb, chosen)
        if found is None:
            return candidate
        self.events.start_choice_overrides += 1
        return found

    def _detect_in_box(self, image_rgb: np.ndarray, box: Box, margin: float = 0.3) -> np.ndarray | None:
        height, width = image_rgb.shape[:2]
        pad_x, pad_y = (box.x1 - box.x0) * margin, (box.y1 - box.y0) * margin
        left, top = int(max(0, box.x0 - pad_x)), int(max(0, box.y0 - pad_y))
        right, bottom = int(min(width, box.x1 + pad_x)), int(min(height, box.y1 + pad_y))
        if right - left < 32 or bottom - top < 32:
            return None
        if self._crop_model is None:
            static = True
            if self._pool is not None:
                self._crop_model = self._pool.get(self._settings, static)
            else:  # the process's kept graph (a batch worker), else one of its own
                self._crop_model = kept_crop_graph(self._settings) or BlazePose(self._settings, static)
        return self._crop_model.detect(np.ascontiguousarray(image_rgb[top:bottom, left:right]), offset_px=(left, top))

    def _look_near_last(self, image_rgb: np.ndarray, time_s: float) -> np.ndarray | None:
        """Search a crop around the last accepted body box with a static-mode graph."""
        assert self._last is not None
        pts = self._last[:, :2][np.isfinite(self._last[:, 0])]
        if len(pts) < 5:
            return None
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half = max(x1 - x0, y1 - y0) * 0.8 + 8
        found = self._detect_in_box(image_rgb, Box(cx - half, cy - half, cx + half, cy + half), margin=0.0)
        if found is not None and self._consistent(found, time_s):
            return found
        return None
