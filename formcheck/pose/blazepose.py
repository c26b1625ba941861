"""MediaPipe BlazePose, the pose model formcheck runs (it ships inside the mediapipe wheel).

The graph of ``mediapipe.solutions.pose`` in video (tracking) mode: the landmark
model re-uses the previous frame's region of interest and only runs the person
detector when tracking is lost, which is both faster and steadier than
detecting every frame. It runs through ``landmarks_graph.LandmarksGraph``, the
same graph asked only for the image landmarks (the same numbers, less Python a
frame). ``model_complexity=1`` is the "full" model, the only landmark model the
0.10.21 wheel carries: lite (0) and heavy (2) would be downloaded at first use,
which formcheck never does.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from formcheck.native_memory import return_freed_memory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoseSettings:
    """Everything that changes the model's output; part of the pose-cache key."""

    model_complexity: int = 1
    min_detection_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    max_side_px: int = 960  # frames are downsized to this before inference (the model sees 256 px crops)
    version: str = "mediapipe-0.10.21/follow-v4/yuv-area3/tilt-v2"  # yuv-area3: 4:2:0 planes shrunk before the RGB conversion (video.yuv); tilt-v2: level lines kept per track, box filtered after Hough

    @property
    def model_name(self) -> str:
        return {0: "blazepose-lite", 1: "blazepose-full", 2: "blazepose-heavy"}[self.model_complexity]

    def cache_key(self) -> str:
        return (
            f"{self.version.replace('/', '_')}-c{self.model_complexity}-d{self.min_detection_confidence:g}"
            f"-t{self.min_tracking_confidence:g}-s{self.max_side_px}"
        )


def _quiet_mediapipe() -> None:
    """MediaPipe's C++ logging (glog/absl) floods stderr; keep it to errors."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null while MediaPipe's C++ side starts up.

    Its absl/TFLite start-up lines ("Created TensorFlow Lite XNNPACK delegate",
    "Feedback manager requires ...") are written by C++ before any Python logging
    can filter them, and would bury formcheck's one-line messages. Python
    exceptions still propagate (they are raised after the descriptor is restored).
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable fd 2 (embedded interpreters): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class BlazePose:
    """One BlazePose graph; ``detect`` returns (33, 4) [x_px, y_px, z_px, visibility] or None."""

    def __init__(self, settings: PoseSettings, static: bool = False) -> None:
        _quiet_mediapipe()
        from formcheck.pose.mediapipe_import import pose_solution  # only pose work needs MediaPipe

        mp_pose = pose_solution()
        from formcheck.pose.landmarks_graph import LandmarksGraph  # imports MediaPipe: after pose_solution()

        self._settings = settings
        self._static = static
        self._warmed_up = False
        with native_stderr_silenced():
            self._pose = LandmarksGraph(
                mp_pose,
                static=static,
                model_complexity=settings.model_complexity,
                min_detection_confidence=settings.min_detection_confidence,
                min_tracking_confidence=settings.min_tracking_confidence,
            )

    def detect(self, image_rgb: np.ndarray, offset_px: tuple[float, float] = (0.0, 0.0)) -> np.ndarray | None:
        """Landmarks of the person MediaPipe picks in ``image_rgb``, in pixels.

        ``offset_px`` is where ``image_rgb`` sits in a larger frame (for crops), so
        the returned pixels refer to that frame.
        """
        height, width = image_rgb.shape[:2]
        if self._warmed_up:
            raw = self._pose.landmarks(image_rgb)
        else:  # the first inference prints TFLite/absl start-up lines from C++
            with native_stderr_silenced():
                raw = self._pose.landmarks(image_rgb)
            self._warmed_up = True
        if raw is None:
            return None
        out = np.empty_like(raw)
        out[:, 0] = raw[:, 0] * width + offset_px[0]
        out[:, 1] = raw[:, 1] * height + offset_px[1]
        out[:, 2] = raw[:, 2] * width
        out[:, 3] = raw[:, 3]
        return out

    def reset(self) -> None:
        """Forget the tracked region (after a scene cut) without building a new graph.

        A new graph costs ~150 MB that glibc does not hand back; restarting the
        existing graph's run clears its tracking state for free. The restart frees
        and re-allocates the run's tensors; trimming right after keeps the freed
        pages from piling up over a clip with many cuts and segments.
        """
        self._pose.reset()
        return_freed_memory()

    def close(self) -> None:
        self._pose.close()
        return_freed_memory()

    def __enter__(self) -> "BlazePose":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_kept_crop_graphs: dict[str, "LockedGraph"] = {}
_keep_crop_graphs = False
_kept_lock = threading.Lock()


def keep_crop_graphs() -> None:
    """Keep each static-mode (crop search) graph for the rest of the process, across clips.

    Why: a batch worker analyses clip after clip, and 5 of the 6 benchmark
    clips search a crop at least once; each built a static graph whose first
    inference (the model's start-up: ~130 ms against ~30 ms warm) was paid again for every clip.
    A static graph keeps no state between images, so reusing it gives the same
    landmarks; only a tracking graph has state, and it stays per clip. Off by
    default: one ``analyze`` builds at most one, and keeping it would only hold
    its memory after the run.
    """
    global _keep_crop_graphs
    _keep_crop_graphs = True


def release_crop_graphs() -> None:
    """Stop keeping crop graphs and close the kept ones (tests: the flag is process-wide)."""
    global _keep_crop_graphs
    with _kept_lock:
        _keep_crop_graphs = False
        kept = list(_kept_crop_graphs.values())
        _kept_crop_graphs.clear()
    for locked in kept:
        locked.graph.close()


def kept_crop_graph(settings: PoseSettings) -> "LockedGraph | None":
    """The process's static graph for ``settings`` when :func:`keep_crop_graphs` is on (built on first use), else None."""
    if not _keep_crop_graphs:
        return None
    key = settings.cache_key()
    with _kept_lock:
        locked = _kept_crop_graphs.get(key)
        if locked is None:
            locked = _kept_crop_graphs[key] = LockedGraph(BlazePose(settings, static=True))
        return locked


class GraphPool:
    """BlazePose graphs kept per thread and reused across the segments that thread runs.

    Building a graph and its first inference allocate ~150 MB that the C++ side
    does not return; a long clip cut into many segments would otherwise build a
    graph per segment and grow with the video's length. A reused tracking graph
    is ``reset()`` first, so it starts as clean as a new one (same landmarks).
    """

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[BlazePose] = []
        self._lock = threading.Lock()
        self._shared_static: LockedGraph | None = None

    def get(self, settings: PoseSettings, static: bool) -> "BlazePose | LockedGraph":
        if static:  # stateless, and needed only on rare identity checks: one for all threads
            kept = kept_crop_graph(settings)
            if kept is not None:  # the process's, outliving this pool
                return kept
            with self._lock:
                if self._shared_static is None:
                    self._shared_static = LockedGraph(BlazePose(settings, static=True))
                    self._all.append(self._shared_static.graph)
                return self._shared_static
        graphs: dict[tuple[str, bool], BlazePose] = self._local.__dict__.setdefault("graphs", {})
        key = (settings.cache_key(), static)
        graph = graphs.get(key)
        if graph is None:
            graph = graphs[key] = BlazePose(settings, static=static)
            with self._lock:
                self._all.append(graph)
        elif not static:
            graph.reset()
        return graph

    def close(self) -> None:
        with self._lock:
            graphs, self._all, self._shared_static = self._all, [], None
        for graph in graphs:
            graph.close()


class LockedGraph:
    """A static-mode graph shared by threads: one ``detect`` at a time (~150 MB saved per extra thread)."""

    def __init__(self, graph: BlazePose) -> None:
        self.graph = graph
        self._lock = threading.Lock()

    def detect(self, image_rgb: np.ndarray, offset_px: tuple[float, float] = (0.0, 0.0)) -> np.ndarray | None:
        with self._lock:
            return self.graph.detect(image_rgb, offset_px)

    def close(self) -> None:
        """Owned by the pool, which closes the graph."""
