"""The engine: red flags first, findings ranked (ties in registry order), not-assessed, inputs used and missing."""

from __future__ import annotations

from findings_builders import RUN_DAY, answers, check, days_before, deadlift_day
from video_builders import thresholds

from formcheck.findings.causes import CAUSE_MODULES
from formcheck.findings.engine import assess
from formcheck.findings.model import FindingsResult

TH = thresholds()


def test_no_inputs_assesses_nothing_and_says_what_each_input_would_add() -> None:
    result = assess(check(), TH)
    assert isinstance(result, FindingsResult)
    assert result.red_flags == () and result.findings == ()
    assert [n.cause for n in result.not_assessed] == list(CAUSE_MODULES)
    assert all(n.needs for n in result.not_assessed)
    assert any(m.startswith("a side-view running video") and "trunk lean" in m for m in result.inputs_missing)
    assert any("strength-log export" in m for m in result.inputs_missing)
    assert result.inputs_used == () and [p.id for p in result.plan] == ["film_first"]  # no video: the first film, not "again"


def test_findings_are_ranked_by_score_with_ties_in_registry_order() -> None:
    a = answers(warmup={"done": True, "minutes": 15}, substances={"taken": ["none"]},
                endurance={"extensor_s": 50, "flexor_s": 90, "side_bridge_left_s": 30, "side_bridge_right_s": 31})
    result = assess(check(answers=a, lifts=deadlift_day(days_before(1)), symptom_date=RUN_DAY), TH)
    scores = [f.score for f in result.findings]
    assert scores == sorted(scores, reverse=True)
    assert result.findings[0].cause == "lifting_fatigue"
    zero = [f.cause for f in result.findings if f.score == 0.0]
    assert zero == [c for c in CAUSE_MODULES if c in zero]  # ties keep the registry order
    assert "your trunk endurance answers" in result.inputs_used
    assert any(u.startswith("5 lift sets on 1 days") for u in result.inputs_used)


def test_red_flags_always_come_first_even_with_strong_causes() -> None:
    a = answers(red_flags={"saddle_numbness": True, "fever": True}, warmup={"done": False})
    result = assess(check(answers=a, lifts=deadlift_day(days_before(1)), symptom_date=RUN_DAY), TH)
    assert [f.urgency for f in result.red_flags] == ["emergency", "soon"]
    assert result.findings[0].score > 0.5  # still assessed, after the flags
    assert result.plan[0].id == "see_clinician"


def test_thresholds_file_from_the_environment_changes_a_result(tmp_path, monkeypatch) -> None:
    from importlib import resources

    inputs = check(lifts=deadlift_day(days_before(3)), symptom_date=RUN_DAY)
    shipped = assess(inputs)
    assert shipped.findings[0].cause == "lifting_fatigue" and shipped.findings[0].score > 0
    text = resources.files("formcheck.findings").joinpath("thresholds.toml").read_text(encoding="utf-8")
    old = 'window_h = { value = 96,'
    assert text.count(old) == 1
    path = tmp_path / "thresholds.toml"
    path.write_text(text.replace(old, 'window_h = { value = 48,'), encoding="utf-8")
    monkeypatch.setenv("FORMCHECK_THRESHOLDS", str(path))
    changed = assess(inputs)
    lifting = next(f for f in changed.findings if f.cause == "lifting_fatigue")
    assert lifting.score == 0.0 and "past the 48 h" in lifting.against[0]


def test_verdict_words_follow_the_scoring_thresholds() -> None:
    from formcheck.findings.engine import verdict
    from formcheck.findings.model import Finding

    def at(score: float) -> str:
        return verdict(Finding("x", "x", score, 1.0, ()), TH)

    assert (at(0.9), at(0.3), at(0.1)) == ("likely", "possible", "unlikely")
    assert verdict(Finding("x", "x", 0.3, 1.0, ()), thresholds(**{"scoring.possible": 0.4})) == "unlikely"


def test_a_clip_from_behind_is_asked_for_only_when_the_side_clip_could_not_time_the_steps() -> None:
    from video_builders import inputs, null, side_video

    def missing(video) -> list[str]:
        return [line for line in assess(inputs(video)).inputs_missing if "from behind or in front" in line]

    assert missing(side_video()) == []  # the side clip measured left/right step times
    assert len(missing(side_video(step_time_asymmetry_pct=null("needs at least 2 steps ending on each foot", 3)))) == 1


def test_a_clips_real_length_comes_from_its_time_scale() -> None:
    from formcheck.findings.model import VideoMeasures

    def measures(time_scale: dict) -> VideoMeasures:
        return VideoMeasures.from_summary({"video": {"duration_s": 31.7, "path": "lab.mp4"}, "time_scale": time_scale})

    unscaled = measures({"slow_motion_detected": True, "factor": 1.0, "capture_fps": None})
    assert unscaled.slow_motion_unscaled and unscaled.real_duration_s is None and unscaled.is_shorter_than(10)
    scaled = measures({"slow_motion_detected": True, "factor": 0.125, "capture_fps": 240})
    assert not scaled.slow_motion_unscaled and abs(scaled.real_duration_s - 3.9625) < 1e-9 and scaled.is_shorter_than(10)
    plain = measures({"slow_motion_detected": False, "factor": 1.0})
    assert plain.real_duration_s == 31.7 and not plain.is_shorter_than(10)
