"""What ``formcheck analyze`` imports before the pose starts: nothing it only needs afterwards.

A user waits for start-up: SciPy (through the gait modules) takes ~1.5 s of CPU to
import, as long as the pose of a 2-s clip. It is imported on a helper thread while
the pose runs (``analysis.service._ImportAhead``), so the modules loaded before the
first frame must not pull it in. Each check runs in a fresh interpreter, since this
test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(code: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_what_runs_before_the_pose_does_not_import_scipy_or_the_analysis() -> None:
    loaded = _run(
        "import json, sys\n"
        "import formcheck.cli\n"
        "from formcheck.commands import analyze\n"
        "from formcheck.commands.analyze_view import ProgressView, print_summary\n"
        "from formcheck.analysis.service import VideoJob, analyze_video, pose_track_for\n"
        "from formcheck.pose.parallel import extract_pose_parallel\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'\n"
        "                  or m.startswith(('formcheck.analysis.pipeline', 'formcheck.gait')))}))\n"
    )
    assert loaded["modules"] == []


def test_import_ahead_loads_the_analysis_and_restores_the_switch_interval() -> None:
    state = _run(
        "import json, sys\n"
        "from formcheck.analysis.service import ANALYSIS_MODULES, _ImportAhead\n"
        "before = sys.getswitchinterval()\n"
        "ahead = _ImportAhead(ANALYSIS_MODULES)\n"
        "ahead.start(); ahead.start()  # at most one helper\n"
        "ahead._thread.join()\n"
        "print(json.dumps({'loaded': all(m in sys.modules for m in ANALYSIS_MODULES),\n"
        "                  'scipy': 'scipy.signal' in sys.modules, 'restored': sys.getswitchinterval() == before}))\n"
    )
    assert state == {"loaded": True, "scipy": True, "restored": True}


def test_import_ahead_only_for_windows_up_to_two_minutes() -> None:
    from formcheck.analysis.service import ANALYSIS_MODULES, IMPORT_AHEAD_MAX_S, modules_to_import_ahead

    render = ("formcheck.render.plots",)
    assert modules_to_import_ahead(6.5, render) == ANALYSIS_MODULES + render
    assert modules_to_import_ahead(IMPORT_AHEAD_MAX_S, render) == ANALYSIS_MODULES + render
    assert modules_to_import_ahead(IMPORT_AHEAD_MAX_S + 0.1, render) == ()
    assert modules_to_import_ahead(600.0) == ()
