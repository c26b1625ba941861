"""hills_efforts: a walk break right after a steep climb or a surge fires; a flat steady run argues against."""

from __future__ import annotations

from findings_builders import check, run_ctx
from video_builders import thresholds

from formcheck.findings.causes import hills_efforts
from formcheck.findings.model import Finding, NotAssessed

TH = thresholds()
WALK = (120, 1.3, 110.0, 140.0, 0.0)


def test_walk_break_after_a_steep_climb_fires_with_the_grade() -> None:
    ctx = run_ctx([(900, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)])
    found = hills_efforts.assess(check(run=ctx), TH)
    assert isinstance(found, Finding)
    assert {"hilly", "steep_climbs", "climb_before_break"} <= set(found.rules_fired)
    sentence = next(s for s in found.evidence if s.startswith("The walk break 25 min"))
    assert "+8.0 % grade" in sentence
    assert found.score >= 0.5 and "hill_technique" in found.plan


def test_walk_break_after_a_surge_on_the_flat_fires_the_surge_rule() -> None:
    ctx = run_ctx([(900, 3.0, 170.0, 150.0, 0.0), (180, 4.2, 180.0, 175.0, 0.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)])
    found = hills_efforts.assess(check(run=ctx), TH)
    assert isinstance(found, Finding) and "surge_before_break" in found.rules_fired
    assert "climb_before_break" not in found.rules_fired and "hilly" not in found.rules_fired


def test_heart_rate_rising_in_the_first_minutes_is_not_a_surge() -> None:
    """A steady flat run whose heart rate climbs 150 -> 175 over its first minutes (as every run's does)
    and a walk break at minute 7: not a "harder effort". The same rise before a break at minute 20 is."""
    early = run_ctx([(120, 3.0, 170.0, 150.0, 0.0), (300, 3.0, 170.0, 175.0, 0.0), WALK, (600, 3.0, 170.0, 175.0, 0.0)])
    found = hills_efforts.assess(check(run=early), TH)
    assert isinstance(found, Finding) and "surge_before_break" not in found.rules_fired
    assert any("7 min into the run" in s and "steady running" in s for s in found.against)
    late = run_ctx([(900, 3.0, 170.0, 150.0, 0.0), (300, 3.0, 170.0, 175.0, 0.0), WALK, (600, 3.0, 170.0, 175.0, 0.0)])
    found = hills_efforts.assess(check(run=late), TH)
    assert isinstance(found, Finding) and "surge_before_break" in found.rules_fired


def test_flat_steady_run_argues_against() -> None:
    ctx = run_ctx([(900, 3.0, 170.0, 150.0, 0.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)])
    found = hills_efforts.assess(check(run=ctx), TH)
    assert isinstance(found, Finding) and found.score == 0.0
    assert any(s.startswith("A flat run") for s in found.against)
    assert any("steady running" in s for s in found.against)


def test_no_track_is_not_assessed() -> None:
    assert isinstance(hills_efforts.assess(check(), TH), NotAssessed)


def test_the_reported_minute_picks_the_break_and_a_far_one_is_said() -> None:
    from findings_builders import answers

    pieces = [(300, 3.0, 170.0, 150.0, 0.0), WALK, (600, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0),
              WALK, (600, 3.0, 170.0, 150.0, 0.0)]  # breaks at 5 and 27 min
    ctx = run_ctx(pieces)
    at_27 = hills_efforts.assess(check(run=ctx, answers=answers(symptom={"minute_into_run": 28})), TH)
    assert "climb_before_break" in at_27.rules_fired
    assert any("The walk break 27 min into the run (you reported the pump at minute 28)" in s for s in at_27.evidence)
    far = hills_efforts.assess(check(run=ctx, answers=answers(symptom={"minute_into_run": 18})), TH)
    assert "climb_before_break" not in far.rules_fired
    assert any(s.startswith("No walk break in the track within 5 min of minute 18") for s in far.evidence)


def test_a_lone_break_inferred_from_a_recording_gap_is_not_taken_as_the_pumps() -> None:
    """A 35-min 'stop' that is mostly a gap in the recording (the 2016-10-08 TCX) fired climb-before-break: its
    timing is inferred, not measured, so it says nothing about when the pump began."""
    from dataclasses import replace

    ctx = run_ctx([(600, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)])
    (brk,) = ctx.walk_breaks.breaks
    assert "climb_before_break" in hills_efforts.assess(check(run=ctx), TH).rules_fired  # measured: used
    gap = replace(brk, in_gap_s=brk.duration_s, likely_symptom_onset=False)
    inferred = replace(ctx, walk_breaks=replace(ctx.walk_breaks, breaks=(gap,)))
    found = hills_efforts.assess(check(run=inferred), TH)
    assert "climb_before_break" not in found.rules_fired and "walk_break_min" not in found.measures
    assert any(s.startswith("The only walk break lies mostly in a gap in the recording") for s in found.evidence)


def test_the_flagged_break_is_the_one_the_finding_uses() -> None:
    """The track flags the first break after steady running; a reported minute picks another. The JSON and chart
    read the flag, so it must move to the finding's break (the QA run showed 10.4 min flagged, 32 min used)."""
    from findings_builders import answers

    from formcheck.findings.training import run_with_symptom_break

    pieces = [(600, 3.0, 170.0, 150.0, 0.0), WALK, (600, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0),
              WALK, (600, 3.0, 170.0, 150.0, 0.0)]  # breaks at 10 and 32 min
    ctx = run_ctx(pieces)
    assert [b.likely_symptom_onset for b in ctx.walk_breaks.breaks] == [True, False]  # the track's own guess
    reported = answers(symptom={"minute_into_run": 33})
    moved = run_with_symptom_break(ctx, reported)
    assert [b.likely_symptom_onset for b in moved.walk_breaks.breaks] == [False, True]
    found = hills_efforts.assess(check(run=moved, answers=reported), TH)
    flagged = next(b for b in moved.walk_breaks.breaks if b.likely_symptom_onset)
    assert found.measures["walk_break_min"] == round(flagged.start_s / 60.0, 1)
    far = run_with_symptom_break(ctx, answers(symptom={"minute_into_run": 50}))
    assert not any(b.likely_symptom_onset for b in far.walk_breaks.breaks)  # no break near the minute: none is the pump's
    assert run_with_symptom_break(ctx, answers()).walk_breaks == ctx.walk_breaks  # no minute: the track's guess stands


def test_hills_ask_for_hill_technique_not_the_posture_cues_a_video_must_justify() -> None:
    """Posture cues were prescribed because of 165 m of climbing, beside a clip that measured an upright trunk and
    a level head; hill technique carries its own 'lean from the ankles' cue."""
    pieces = [(600, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)]
    found = hills_efforts.assess(check(run=run_ctx(pieces)), TH)
    assert found.score > 0 and found.plan == ("hill_technique",)


def test_hill_sprints_and_steep_climbs_say_what_each_counts() -> None:
    """'1 steep climb(s)' beside '6 sprint(s) on a steep climb' read as a contradiction: a steep climb is 100 m or
    longer, a hill sprint any stretch over the grade."""
    from dataclasses import replace

    pieces = [(600, 3.0, 170.0, 150.0, 0.0), (600, 2.6, 168.0, 165.0, 8.0), WALK, (600, 3.0, 170.0, 150.0, 0.0)]
    ctx = run_ctx(pieces)
    sprinted = replace(ctx, hills=replace(ctx.hills, hill_sprints=6))
    found = hills_efforts.assess(check(run=sprinted), TH)
    assert any(s.startswith("6 sprint(s) up a grade over 4 % (") for s in found.evidence)
    assert any(" steep climb(s) of 100 m or more over 4 % grade, " in s for s in found.evidence)
