"""The person follower's decisions, on scripted detections whose right answer is known by construction.

A fake graph stands in for BlazePose: it returns the detections a test scripts,
so what is checked is the follower's logic (jump rejection, crop search, what a
scene cut changes), not the model.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.blazepose import PoseSettings
from formcheck.pose.follow import PersonFollower
from formcheck.pose.landmarks import HIPS, SHOULDERS

IMAGE = np.zeros((400, 400, 3), dtype=np.uint8)  # blank: the start-of-shot people detector finds nobody


def person_at(x: float, y: float = 200.0, torso: float = 60.0) -> np.ndarray:
    """(33, 4) landmarks of a person whose torso is centred at (x, y), ``torso`` px shoulder-to-hip."""
    out = np.zeros((33, 4))
    out[:, 0], out[:, 1], out[:, 3] = x, y, 0.9
    out[list(SHOULDERS), 1] = y - torso / 2
    out[list(HIPS), 1] = y + torso / 2
    out[:, 0] += np.linspace(-5, 5, 33)  # some spread, so a crop box has a size
    return out


class ScriptedGraph:
    """Returns the scripted detections in order (None = nobody); counts resets."""

    def __init__(self, script: list[np.ndarray | None]) -> None:
        self.script, self.calls, self.resets = list(script), 0, 0

    def detect(self, image_rgb: np.ndarray, offset_px: tuple[float, float] = (0.0, 0.0)) -> np.ndarray | None:
        self.calls += 1
        return self.script.pop(0) if self.script else None

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        pass


class ScriptedPool:
    def __init__(self, tracker: ScriptedGraph, crop: ScriptedGraph) -> None:
        self.tracker, self.crop = tracker, crop

    def get(self, settings: PoseSettings, static: bool) -> ScriptedGraph:
        return self.crop if static else self.tracker


def run(tracker_script, crop_script=(), cut_at=None):
    tracker, crop = ScriptedGraph(tracker_script), ScriptedGraph(list(crop_script))
    follower = PersonFollower(PoseSettings(), ScriptedPool(tracker, crop))  # type: ignore[arg-type]
    results = []
    for i in range(len(tracker_script)):
        if i == cut_at:
            follower.reset()
        results.append(follower.step(IMAGE, i / 30.0))
    return results, follower, tracker, crop


def test_a_jump_to_someone_else_is_rejected_and_looked_for_near_the_last_position():
    results, follower, _, crop = run([person_at(100), person_at(102), person_at(300)], crop_script=[None])
    assert [r[0] is not None for r in results] == [True, True, False]
    assert results[2][1] is True and follower.events.rejected_frames == 1
    assert crop.calls == 1  # the crop search ran once, found nobody


def test_the_crop_search_recovers_the_followed_person():
    results, follower, _, _ = run([person_at(100), person_at(300)], crop_script=[person_at(104)])
    landmarks, rejected = results[1]
    assert rejected and landmarks is not None
    assert abs(landmarks[SHOULDERS[0], 0] - person_at(104)[SHOULDERS[0], 0]) < 1e-9
    assert follower.events.recovered_by_crop == 1


def test_after_a_scene_cut_the_first_detection_is_accepted_wherever_it_is():
    # Same jump as in the rejection test, but a cut comes first: the old position means nothing.
    results, follower, tracker, crop = run([person_at(100), person_at(102), person_at(300), person_at(303)], cut_at=2)
    assert all(r[0] is not None and not r[1] for r in results)
    assert results[2][0][SHOULDERS[0], 0] > 250 and results[3][0][SHOULDERS[0], 0] > 250
    assert tracker.resets == 1 and crop.calls == 0 and follower.events.rejected_frames == 0


def test_after_a_cut_the_new_position_is_then_followed_as_usual():
    script = [person_at(100), person_at(300), person_at(100)]  # cut at 1; then a jump back is a jump again
    results, follower, _, _ = run(script, crop_script=[None], cut_at=1)
    assert [r[0] is not None for r in results] == [True, True, False]
    assert follower.events.rejected_frames == 1
