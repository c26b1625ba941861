"""``PoseTrack``: the one value that carries a person's pose through every later stage.

Arrays are indexed [frame, landmark, ...]. Coordinates are image PIXELS of the
upright frame (x right, y down, as the model returns them, scaled by the frame
size) so that angles are not distorted by a non-square normalisation; the y-up
conversion happens once, in ``formcheck.kinematics.geometry``. Frames where the
person was not found hold NaN and ``found == False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.pose.landmarks import LANDMARK_NAMES


@dataclass(frozen=True)
class PoseTrack:
    """One person's landmarks over a clip, plus what is known about each frame.

    - ``time_s`` (n,): presentation time of each analysed frame (real timestamps, VFR-safe)
    - ``frame_index`` (n,): the frame's ordinal in the file
    - ``xy_px`` (n, 33, 2): landmark positions in pixels of the upright frame
    - ``z`` (n, 33): MediaPipe's relative depth (hip-centred, same scale as x)
    - ``visibility`` (n, 33): the model's visibility score in [0, 1]
    - ``found`` (n,): the followed person was detected in that frame
    - ``scene_cut`` (n,): a hard cut happens just before this frame (a break in every signal)
    - ``identity_rejected`` (n,): a detection was dropped because it jumped to someone else
    - ``level_lines``: (deviation deg, length px) of every scene line behind ``tilt_deg``, so that
      parallel segments combine into exactly the estimate one pass gives (None: not kept)
    - ``damaged`` (n,): the file's data for this frame was damaged (the decoder flagged it, or the
      packet before it failed): it was decoded with concealed errors, so its pose is less sure
    """

    time_s: np.ndarray
    frame_index: np.ndarray
    xy_px: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    found: np.ndarray
    scene_cut: np.ndarray
    identity_rejected: np.ndarray
    width: int
    height: int
    fps: float
    model: str = "blazepose-full"
    landmark_names: tuple[str, ...] = field(default=LANDMARK_NAMES)
    tilt_deg: float | None = None
    tilt_lines: int = 0
    damaged: np.ndarray | None = None  # None -> no frame damaged (tracks built before it was recorded)
    level_lines: tuple[np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        n = len(self.time_s)
        if self.damaged is None:
            object.__setattr__(self, "damaged", np.zeros(n, dtype=bool))
        for name in ("frame_index", "found", "scene_cut", "identity_rejected", "damaged"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"PoseTrack.{name} must have shape ({n},)")
        if self.xy_px.shape != (n, len(self.landmark_names), 2):
            raise ValueError(f"PoseTrack.xy_px must have shape ({n}, {len(self.landmark_names)}, 2)")
        if self.visibility.shape != (n, len(self.landmark_names)) or self.z.shape != self.visibility.shape:
            raise ValueError("PoseTrack.visibility and z must have shape (frames, landmarks)")

    @property
    def n_frames(self) -> int:
        return int(len(self.time_s))

    @property
    def found_fraction(self) -> float:
        return float(self.found.mean()) if self.n_frames else 0.0

    def lost_intervals_s(self) -> list[tuple[float, float]]:
        """(first, last) times of each run of frames where the followed person was not found."""
        lost = np.concatenate([[False], ~self.found, [False]]).astype(np.int8)
        edges = np.flatnonzero(np.diff(lost))
        return [(float(self.time_s[a]), float(self.time_s[b - 1])) for a, b in zip(edges[::2], edges[1::2])]

    def subset(self, mask: np.ndarray) -> "PoseTrack":
        """The frames selected by a boolean mask or index array, as a new track."""
        return replace(
            self,
            time_s=self.time_s[mask],
            frame_index=self.frame_index[mask],
            xy_px=self.xy_px[mask],
            z=self.z[mask],
            visibility=self.visibility[mask],
            found=self.found[mask],
            scene_cut=self.scene_cut[mask],
            identity_rejected=self.identity_rejected[mask],
            damaged=self.damaged[mask],
        )

    def with_time_scale(self, factor: float) -> "PoseTrack":
        """Timestamps multiplied by ``factor`` (slow motion: file time -> real time)."""
        return replace(self, time_s=self.time_s * factor, fps=self.fps / factor)

    def to_npz_dict(self) -> dict[str, np.ndarray]:
        meta = np.array([self.width, self.height, self.fps, np.nan if self.tilt_deg is None else self.tilt_deg, self.tilt_lines])
        return {
            "time_s": self.time_s, "frame_index": self.frame_index, "xy_px": self.xy_px, "z": self.z,
            "visibility": self.visibility, "found": self.found, "scene_cut": self.scene_cut,
            "identity_rejected": self.identity_rejected, "damaged": self.damaged, "meta": meta,
            "model": np.array(self.model), "landmark_names": np.array(self.landmark_names),
            **({"level_line_deg": self.level_lines[0], "level_line_px": self.level_lines[1]} if self.level_lines else {}),
        }  # fmt: skip

    @classmethod
    def from_npz_dict(cls, data: dict[str, np.ndarray]) -> "PoseTrack":
        width, height, fps, tilt, tilt_lines = data["meta"].tolist()
        return cls(
            time_s=data["time_s"], frame_index=data["frame_index"], xy_px=data["xy_px"], z=data["z"],
            visibility=data["visibility"], found=data["found"].astype(bool),
            scene_cut=data["scene_cut"].astype(bool), identity_rejected=data["identity_rejected"].astype(bool),
            width=int(width), height=int(height), fps=float(fps), model=str(data["model"]),
            landmark_names=tuple(str(n) for n in data["landmark_names"]),
            tilt_deg=None if np.isnan(tilt) else float(tilt), tilt_lines=int(tilt_lines),
            damaged=data["damaged"].astype(bool) if "damaged" in data else None,
            level_lines=(data["level_line_deg"], data["level_line_px"]) if "level_line_deg" in data else None,
        )  # fmt: skip

