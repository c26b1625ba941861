"""Report fixtures: a real analysed clip and a real run with its lifts (the same person's logs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.answers.model import Answers
from formcheck.findings.model import CheckInputs, VideoMeasures
from formcheck.report.model import VideoArtifacts
from report_builders import CLIP, LIFTS, REPO, SYMPTOM_DATE, TRACK


@pytest.fixture(scope="session")
def analysis_dir(tmp_path_factory) -> Path:
    """A real ``formcheck analyze`` output folder (pose cached after the first run)."""
    if not CLIP.is_file():
        pytest.skip("shared sample clip not found")
    out = tmp_path_factory.mktemp("analysis") / "clip"
    env = {**os.environ, "FORMCHECK_CACHE_DIR": os.environ.get("FORMCHECK_CACHE_DIR", str(REPO / ".cache"))}
    cli = Path(sys.executable).with_name("formcheck")
    subprocess.run([str(cli), "analyze", str(CLIP), "--out", str(out), "--height-cm", "178", "--workers", "1", "--visuals"],
                   check=True, env=env, capture_output=True, timeout=600)  # fmt: skip
    return out


@pytest.fixture(scope="session")
def real_video(analysis_dir: Path) -> VideoArtifacts:
    summary = json.loads((analysis_dir / "summary.json").read_text())
    return VideoArtifacts(VideoMeasures.from_summary(summary), summary, analysis_dir)


@pytest.fixture(scope="session")
def real_inputs(real_video: VideoArtifacts) -> CheckInputs:
    """The same person's run (Google Fit TCX) and FitNotes lifts, with the run's context."""
    if not TRACK.is_file() or not LIFTS.is_file():
        pytest.skip("shared sample logs not found")
    from formcheck.context import HistoryRun, run_context, taxonomy_classifier
    from formcheck.logs import read_strength, read_track

    run = read_track(TRACK)[0]
    lifts = tuple(read_strength(LIFTS).sets)
    classify = taxonomy_classifier()
    history = (HistoryRun.of(run),)
    ctx = run_context(run, history, lifts, classify)
    return CheckInputs(
        answers=Answers(),
        videos=(real_video.measures,),
        run=ctx,
        history=history,
        lifts=lifts,
        lumbar_class={name: classify(name) for name in {s.exercise for s in lifts}},
        symptom_date=SYMPTOM_DATE,
    )
