"""MediaPipe's BlazePose graph, asked only for what formcheck reads: the 33 image landmarks.

Why not ``mediapipe.solutions.pose.Pose.process``: on every frame it builds a new
namedtuple class (~0.3 ms), fetches and parses the world landmarks formcheck
never reads, clears a field on all 66 landmarks one by one in Python, and the
graph calls back into Python (taking the GIL from the other pose thread) for
three output streams where one is needed. That is ~0.5 ms a frame on the pose
threads, ~1.5 % of a frame's CPU, and the pose threads' Python is what two
graphs on two cores wait on.

The graph file, its calculator options and its side packets are exactly those
``Pose`` builds (``Pose.__init__`` in MediaPipe 0.10.21), so the landmarks are
the same, bit for bit (tested frame by frame against ``Pose.process``). Only
``model_complexity=1`` is used: the wheel carries only that landmark model and
``Pose`` would download the others, which formcheck never does.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
from mediapipe.framework.formats import landmark_pb2
from mediapipe.python import packet_getter, solution_base

LANDMARKS_STREAM = "pose_landmarks"


class LandmarksGraph(solution_base.SolutionBase):
    """One BlazePose graph (tracking or static mode) that returns normalized landmarks as an array."""

    def __init__(self, pose_module: ModuleType, *, static: bool, model_complexity: int,
                 min_detection_confidence: float, min_tracking_confidence: float) -> None:
        super().__init__(
            binary_graph_path=pose_module._BINARYPB_FILE_PATH,
            side_inputs={
                "model_complexity": model_complexity,
                "smooth_landmarks": not static,
                "enable_segmentation": False,
                "smooth_segmentation": not static,
                "use_prev_landmarks": not static,
            },
            calculator_params={
                "posedetectioncpu__TensorsToDetectionsCalculator.min_score_thresh": min_detection_confidence,
                "poselandmarkbyroicpu__tensorstoposelandmarksandsegmentation__ThresholdingCalculator.threshold":
                    min_tracking_confidence,
            },
            outputs=[LANDMARKS_STREAM],
        )
        self._image_type = self._input_stream_type_info["image"]

    def landmarks(self, image_rgb: np.ndarray) -> np.ndarray | None:
        """(33, 4) normalized [x, y, z, visibility] of the person in ``image_rgb``, or None.

        The same steps as ``SolutionBase.process`` (a packet at the next simulated
        30 fps timestamp, then wait for the graph), minus what formcheck does not read.
        """
        if image_rgb.ndim != 3 or image_rgb.shape[2] != 3:
            raise ValueError("Input image must contain three channel rgb data.")
        self._graph_outputs.clear()
        self._simulated_timestamp += 33333
        packet = self._make_packet(self._image_type, image_rgb).at(self._simulated_timestamp)
        self._graph.add_packet_to_input_stream(stream="image", packet=packet)
        self._graph.wait_until_idle()
        output = self._graph_outputs.get(LANDMARKS_STREAM)
        if output is None or output.is_empty():
            return None
        found: landmark_pb2.NormalizedLandmarkList = packet_getter.get_proto(output)
        return np.array([[p.x, p.y, p.z, p.visibility] for p in found.landmark], dtype=np.float64)
