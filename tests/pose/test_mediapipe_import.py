"""The pose solution is loaded without the rest of MediaPipe, and MediaPipe stays whole for everyone else.

Each case runs in a fresh interpreter: what matters is which modules a process
has loaded, and pytest's own process may have imported MediaPipe already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _run(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"GLOG_minloglevel": "2", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


LIGHT_THEN_FULL = """
import json, sys
import numpy as np
from formcheck.pose.mediapipe_import import pose_solution
pose = pose_solution()
light = {"pyplot": "matplotlib.pyplot" in sys.modules, "tasks": "mediapipe.tasks" in sys.modules,
         "drawing_utils": "mediapipe.python.solutions.drawing_utils" in sys.modules}
with pose.Pose(model_complexity=1) as graph:
    found = graph.process(np.zeros((96, 64, 3), np.uint8)).pose_landmarks is not None
import mediapipe as mp
print(json.dumps({"light": light, "found_on_black": found, "version": mp.__version__,
                  "same_module": mp.solutions.pose is pose, "same_class": mp.solutions.pose.Pose is pose.Pose,
                  "hands": mp.solutions.hands.__name__, "drawing": mp.solutions.drawing_utils.__name__,
                  "tasks": mp.tasks.BaseOptions.__name__, "landmarks": len(mp.solutions.pose.PoseLandmark)}))
"""


def test_the_pose_solution_loads_without_pyplot_or_the_tasks_api_and_mediapipe_stays_whole():
    out = _run(LIGHT_THEN_FULL)
    assert out["light"] == {"pyplot": False, "tasks": False, "drawing_utils": False}
    assert out["found_on_black"] is False  # a real graph ran on a real (empty) frame
    assert out["version"] == "0.10.21"
    assert out["same_module"] is True and out["same_class"] is True
    assert out["hands"] == "mediapipe.python.solutions.hands"
    assert out["drawing"] == "mediapipe.python.solutions.drawing_utils"
    assert out["tasks"] == "BaseOptions"
    assert out["landmarks"] == 33


FULL_THEN_LIGHT = """
import json
import mediapipe as mp
from formcheck.pose.mediapipe_import import pose_solution
print(json.dumps({"same": pose_solution() is mp.solutions.pose}))
"""


def test_a_mediapipe_imported_in_full_before_is_used_as_it_is():
    assert _run(FULL_THEN_LIGHT) == {"same": True}


CONCURRENT = """
import json, threading
from formcheck.pose.mediapipe_import import pose_solution
got, errors = [], []
def load():
    try:
        got.append(pose_solution())
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=load) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps({"errors": errors, "distinct": len({id(m) for m in got}), "n": len(got)}))
"""


def test_pose_workers_starting_at_once_share_one_module():
    assert _run(CONCURRENT) == {"errors": [], "distinct": 1, "n": 4}
