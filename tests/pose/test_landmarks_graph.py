"""formcheck's lean BlazePose graph gives exactly the landmarks of MediaPipe's own ``Pose.process``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.pose.blazepose import BlazePose, PoseSettings
from formcheck.video import iter_frames, probe_video

REPO = Path(__file__).resolve().parents[2]


def _mediapipe_pose_landmarks(pose, image: np.ndarray) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    result = pose.process(image)
    if result.pose_landmarks is None:
        return None
    return np.array([[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks.landmark])


@pytest.mark.parametrize("static", [False, True])
def test_same_landmarks_as_mediapipe_pose_frame_by_frame(videos_dir: Path, static: bool) -> None:
    from formcheck.pose.landmarks_graph import LandmarksGraph
    from formcheck.pose.mediapipe_import import pose_solution

    mp_pose = pose_solution()
    settings = PoseSettings()
    info = probe_video(videos_dir / "treadmill_side_gym_portrait_60fps.mp4")
    frames = [f.image for f in iter_frames(info, end_s=1.0 if not static else 0.2, max_side=settings.max_side_px)]
    lean = LandmarksGraph(mp_pose, static=static, model_complexity=1, min_detection_confidence=0.5,
                          min_tracking_confidence=0.5)
    with mp_pose.Pose(static_image_mode=static, model_complexity=1, smooth_landmarks=not static) as reference:
        found = 0
        for image in frames:
            ours, theirs = lean.landmarks(image), _mediapipe_pose_landmarks(reference, image)
            assert (ours is None) == (theirs is None)
            if ours is not None:
                np.testing.assert_array_equal(ours, theirs)  # the same graph and options: bit for bit
                found += 1
        lean.reset()  # a restarted run starts over as a new one would
        reference.reset()
        np.testing.assert_array_equal(lean.landmarks(frames[0]), _mediapipe_pose_landmarks(reference, frames[0]))
    lean.close()
    assert found == len(frames) >= 12


def test_blazepose_scales_the_lean_graph_s_landmarks_to_pixels(videos_dir: Path) -> None:
    info = probe_video(videos_dir / "treadmill_side_gym_portrait_60fps.mp4")
    image = next(iter_frames(info, max_side=960)).image
    with BlazePose(PoseSettings(), static=True) as pose:
        crop = np.ascontiguousarray(image[100:900, 50:500])
        full, cropped = pose.detect(image), pose.detect(crop, offset_px=(50.0, 100.0))
        with pytest.raises(ValueError, match="three channel"):
            pose.detect(image[:, :, 0])
    assert full is not None and cropped is not None and full.shape == (33, 4)
    assert 0 <= np.nanmin(full[:, 0]) and np.nanmax(full[:, 0]) <= image.shape[1]
    assert np.median(np.abs(full[:, :2] - cropped[:, :2])) < 15  # the crop's pixels map back onto the frame's


def test_loading_the_lean_graph_does_not_import_all_of_mediapipe() -> None:
    code = (
        "import sys\n"
        "from formcheck.pose.blazepose import BlazePose, PoseSettings\n"
        "BlazePose(PoseSettings()).close()\n"
        "heavy = [m for m in ('matplotlib.pyplot', 'mediapipe.tasks', 'sounddevice') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
