"""The same person's real logs (FitNotes 2014-2017 + Google Fit runs): lifting fatigue ranks top three, session named."""

from __future__ import annotations

import pytest
from training_builders import SHARED

from formcheck.context import HistoryRun, run_context, taxonomy_classifier
from formcheck.findings.engine import assess
from formcheck.findings.model import CheckInputs, FindingsResult
from formcheck.logs import read_log
from formcheck.logs.records import Sport

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


def _assess(track: str) -> FindingsResult:
    lifts = read_log(SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv").strength.sets
    runs = read_log(SHARED / "tracks" / track).runs
    run = next(r for r in runs if r.sport is Sport.RUN)
    classify = taxonomy_classifier()
    history = tuple(HistoryRun.of(r) for r in runs)
    return assess(CheckInputs(
        run=run_context(run, history, lifts, classify),
        history=history,
        lifts=tuple(lifts),
        lumbar_class={name: classify(name) for name in {s.exercise for s in lifts}},
    ))


def test_2015_05_31_run_ranks_lifting_fatigue_with_the_deadlift_and_squat_session_named() -> None:
    result = _assess("run_googlefit_gps_2015-05-31.tcx")
    assert "lifting_fatigue" in [f.cause for f in result.findings[:3]]
    lifting = next(f for f in result.findings if f.cause == "lifting_fatigue")
    sentence = lifting.evidence[0]
    assert sentence.startswith("Deadlift 3 sets, top set 160 kg x 1, Sumo Deadlift 3 x 6 at 110 kg, High Bar Squat 3 x 10 at 80 kg")
    assert "on 2015-05-29, 2 days before the run (the log has dates only: 24-72 h)" in sentence
    assert {"session_in_window", "in_peak", "heavy_class"} <= set(lifting.rules_fired)
    assert lifting.measures["days_before"] == 2 and lifting.measures["hours_before"] is None
    assert result.plan[0].id == "schedule_spacing"


def test_2015_06_20_run_names_the_deadlifts_of_the_day_before() -> None:
    result = _assess("walk_run_googlefit_gps_2015-06-20.tcx")
    assert "lifting_fatigue" in [f.cause for f in result.findings[:3]]
    sentence = next(f for f in result.findings if f.cause == "lifting_fatigue").evidence[0]
    assert "Deadlift 2 sets, top set 140 kg x 5" in sentence
    assert "on 2015-06-19, 1 day before the run (the log has dates only: 0-48 h)" in sentence


def test_a_fit_file_broken_after_5_minutes_reads_neither_flat_nor_free_of_walk_breaks() -> None:
    """Strava's Android FIT: samples for the first 5.2 of 59.3 minutes. The 15 m of climbing in them say
    nothing about the route, so no "flat run" against hills, no "no walk break", and a lower confidence."""
    found = next(f for f in _assess("run_strava_android_malformed.fit").findings if f.cause == "hills_efforts")
    assert not any(s.startswith("A flat run") for s in found.against)
    assert not any("No walk break" in s for s in (*found.evidence, *found.against))
    assert any("only the first 5 min of the 59-min run" in s for s in found.evidence)
    assert found.confidence < 0.2
