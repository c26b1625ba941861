"""BlazePose's 33 landmarks by name, and the groups the metrics use.

Names follow MediaPipe's ``PoseLandmark`` enum so that files written by
formcheck read the same as MediaPipe's own documentation.
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip

INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

NOSE = INDEX["nose"]
EARS = (INDEX["left_ear"], INDEX["right_ear"])
SHOULDERS = (INDEX["left_shoulder"], INDEX["right_shoulder"])
HIPS = (INDEX["left_hip"], INDEX["right_hip"])
KNEES = (INDEX["left_knee"], INDEX["right_knee"])
ANKLES = (INDEX["left_ankle"], INDEX["right_ankle"])
HEELS = (INDEX["left_heel"], INDEX["right_heel"])
TOES = (INDEX["left_foot_index"], INDEX["right_foot_index"])
SIDES = ("left", "right")

SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31), (24, 26), (26, 28), (28, 30),
    (30, 32), (28, 32), (0, 7), (0, 8),
)  # fmt: skip
"""Bones drawn on overlays (a subset of MediaPipe's POSE_CONNECTIONS without face detail)."""

MIRROR: tuple[int, ...] = tuple(
    INDEX[n.replace("left", "#").replace("right", "left").replace("#", "right")] for n in LANDMARK_NAMES
)
"""Index of each landmark's left/right twin: mirroring a video swaps the body's sides."""
