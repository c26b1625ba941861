"""The same person's real logs (FitNotes 2014-2017 + a Google Fit run of 2015-05-31): lifting fatigue ranks top three."""

from __future__ import annotations

import pytest
from training_builders import SHARED

from formcheck.context import HistoryRun, run_context, taxonomy_classifier
from formcheck.findings.engine import assess
from formcheck.findings.model import CheckInputs
from formcheck.logs import read_log

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


def test_fitnotes_and_google_fit_rank_lifting_fatigue_with_the_session_named() -> None:
    lifts = read_log(SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv").strength.sets
    (run,) = read_log(SHARED / "tracks" / "run_googlefit_gps_2015-05-31.tcx").runs
    classify = taxonomy_classifier()
    history = (HistoryRun.of(run),)
    inputs = CheckInputs(
        run=run_context(run, history, lifts, classify),
        history=history,
        lifts=tuple(lifts),
        lumbar_class={name: classify(name) for name in {s.exercise for s in lifts}},
    )
    result = assess(inputs)
    top3 = [f.cause for f in result.findings[:3]]
    assert "lifting_fatigue" in top3
    lifting = next(f for f in result.findings if f.cause == "lifting_fatigue")
    sentence = lifting.evidence[0]
    assert "Deadlift" in sentence and "Squat" in sentence and "2015-05-29" in sentence
    assert "2 days before the run (the log has dates only: 24-72 h)" in sentence
    assert {"session_in_window", "in_peak", "heavy_class"} <= set(lifting.rules_fired)
    assert result.plan[0].id == "schedule_spacing"
