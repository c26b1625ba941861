"""A synthetic side-view runner whose cadence, lean and drift are known by construction."""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import INDEX, LANDMARK_NAMES
from formcheck.pose.track import PoseTrack


def synthetic_track(cadence_spm: float = 168.0, lean_start_deg: float = 8.0, lean_end_deg: float = 8.0,
                    duration_s: float = 12.0, fps: float = 60.0, facing: int = 1, leg_px: float = 300.0,
                    knee_forward_leg: float = 0.4, hip_low_phase: float = 0.35) -> PoseTrack:
    """Image-coordinate landmarks (y down) of a runner on a treadmill facing ``facing`` (+1 right).

    Left heel is farthest forward at t = k / stride_hz (left contacts), right at (k + 0.5) / stride_hz.
    The hips are lowest ``hip_low_phase`` into each step (0.35: running). Lean changes linearly from start to end.
    ``knee_forward_leg``: how far the knee sits ahead of the hip-ankle midpoint (0.4 leg: ~83 deg swing
    knee flexion; smaller is a straighter, lower-lift leg).
    """
    stride_hz = cadence_spm / 120.0
    t = np.arange(0.0, duration_s, 1.0 / fps)
    n, k = len(t), len(LANDMARK_NAMES)
    xy = np.zeros((n, k, 2))
    step_s = 0.5 / stride_hz
    hip_up = -0.04 * leg_px * np.cos(2 * np.pi * (t % step_s - hip_low_phase * step_s) / step_s)
    hip = np.stack([np.full(n, 500.0), 600.0 - hip_up], axis=1)
    lean = np.radians(lean_start_deg + (lean_end_deg - lean_start_deg) * t / duration_s)
    torso = 0.75 * leg_px
    shoulder = hip + np.stack([facing * torso * np.sin(lean), -torso * np.cos(lean)], axis=1)
    for side, phase in (("left", 0.0), ("right", 0.5)):
        ahead = 0.35 * leg_px * np.cos(2 * np.pi * (stride_hz * t - phase))
        ankle = hip + np.stack([facing * ahead, np.full(n, 0.9 * leg_px)], axis=1)
        mid = (hip + ankle) / 2
        knee = mid + np.stack([np.full(n, facing * knee_forward_leg * leg_px), np.zeros(n)], axis=1)
        heel = ankle + np.stack([np.full(n, -facing * 0.06 * leg_px), np.full(n, 0.04 * leg_px)], axis=1)
        toe = ankle + np.stack([np.full(n, facing * 0.2 * leg_px), np.full(n, 0.06 * leg_px)], axis=1)
        for name, value in (("hip", hip + [0, 0]), ("knee", knee), ("ankle", ankle), ("heel", heel),
                            ("foot_index", toe), ("shoulder", shoulder)):
            xy[:, INDEX[f"{side}_{name}"]] = value
        xy[:, INDEX[f"{side}_ear"]] = shoulder + [facing * 0.05 * leg_px, -0.35 * leg_px]
        xy[:, INDEX[f"{side}_eye"]] = shoulder + [facing * 0.15 * leg_px, -0.37 * leg_px]
    xy[:, INDEX["nose"]] = shoulder + [facing * 0.2 * leg_px, -0.33 * leg_px]
    for name in LANDMARK_NAMES:
        if not xy[:, INDEX[name]].any():
            xy[:, INDEX[name]] = shoulder
    return PoseTrack(
        time_s=t, frame_index=np.arange(n), xy_px=xy, z=np.zeros((n, k)), visibility=np.ones((n, k)),
        found=np.ones(n, bool), scene_cut=np.zeros(n, bool), identity_rejected=np.zeros(n, bool),
        width=1000, height=1000, fps=fps,
    )  # fmt: skip
