"""Camera tilt from the scene's level and plumb lines: known angles, rotations, and the runner's box."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.video.tilt import estimate_tilt, fraction_inside, line_deviations

GYM = Path("/work/shared/data/videos/treadmill_side_gym_portrait_60fps.mp4")


def _room(width: int = 640, height: int = 480) -> np.ndarray:
    """A synthetic scene: door frames, shelves and a floor line, all exactly level or plumb."""
    image = np.full((height, width, 3), 200, np.uint8)
    for y in (120, 260, 400):
        cv2.line(image, (40, y), (width - 40, y), (30, 30, 30), 3)
    for x in (80, 300, 560):
        cv2.line(image, (x, 40), (x, height - 40), (30, 30, 30), 3)
    return image


def _rotated(image: np.ndarray, degrees: float, keep: float = 1.0) -> np.ndarray:
    """``image`` rotated counter-clockwise by ``degrees`` about its centre, then its central ``keep`` part."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    turned = cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
    dy, dx = int(height * (1 - keep) / 2), int(width * (1 - keep) / 2)
    return turned[dy:height - dy, dx:width - dx]


@pytest.mark.parametrize("degrees", [-4.0, 0.0, 2.5, 6.0])
def test_a_scene_rotated_by_a_known_angle_reads_that_angle(degrees: float) -> None:
    dev, length = line_deviations(_rotated(_room(), degrees))
    assert len(dev) >= 6
    assert estimate_tilt([dev], [length]).tilt_deg == pytest.approx(degrees, abs=0.3)


def test_lines_mostly_inside_the_runner_are_dropped_and_the_rest_kept() -> None:
    image = _room()
    cv2.line(image, (330, 60), (330, 420), (0, 0, 0), 5)  # the "runner": a plumb line of its own
    box = (310.0, 40.0, 350.0, 440.0)
    with_runner, _ = line_deviations(image)
    without_runner, _ = line_deviations(image, box)
    assert len(without_runner) < len(with_runner)
    _, lengths = line_deviations(image, box)
    assert lengths.max() > 300  # the shelves crossing the box are kept: most of each lies outside it


def test_moving_the_runner_s_box_by_a_few_pixels_changes_no_line_away_from_it() -> None:
    """Masking before the search made every line depend on the box (6 vs 9 lines for a 2 px shift)."""
    frame = _first_frame(GYM)
    box = (190.0, 60.0, 520.0, 740.0)
    reference = line_deviations(frame, box)
    for shift in (-3.0, -1.0, 2.0):
        moved = line_deviations(frame, tuple(v + shift for v in box))  # type: ignore[arg-type]
        np.testing.assert_array_equal(moved[0], reference[0])
        np.testing.assert_array_equal(moved[1], reference[1])


def test_rotating_a_real_frame_moves_its_tilt_by_the_rotation() -> None:
    frame = _first_frame(GYM)
    level = estimate_tilt(*map(lambda a: [a], line_deviations(_rotated(frame, 0.0, keep=0.7)))).tilt_deg
    turned = estimate_tilt(*map(lambda a: [a], line_deviations(_rotated(frame, 3.0, keep=0.7)))).tilt_deg
    assert level is not None and turned is not None
    assert turned - level == pytest.approx(3.0, abs=0.6)


def test_fraction_inside_is_exact_for_segments_whose_answer_is_known() -> None:
    box = (0.0, 0.0, 10.0, 10.0)
    seg = np.array([
        [-10.0, 5.0, 10.0, 5.0],   # half inside
        [2.0, 2.0, 8.0, 8.0],      # all inside
        [20.0, 0.0, 30.0, 10.0],   # all outside
        [5.0, -10.0, 5.0, 30.0],   # vertical, a quarter inside
        [15.0, -5.0, 15.0, 5.0],   # vertical, beside the box
        [-5.0, -5.0, 15.0, 15.0],  # diagonal through the box: half inside
    ])
    np.testing.assert_allclose(fraction_inside(seg, box), [0.5, 1.0, 0.0, 0.25, 0.0, 0.5])


def _first_frame(path: Path) -> np.ndarray:
    from formcheck.video.frames import iter_frames
    from formcheck.video.probe import probe_video

    frames = iter_frames(probe_video(path), max_side=960)
    try:
        return next(iter(frames)).image
    finally:
        close = getattr(frames, "close", None)
        if close:
            close()
