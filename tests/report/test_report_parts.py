"""The report's parts on their own: the 14-day calendar, the stride charts' numbers, the key frames."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from formcheck.findings.model import CheckInputs
from formcheck.logs.records import LiftSet, SetKind
from formcheck.report.assets import read_keyframes, read_strides
from formcheck.report.calendar import calendar_days
from formcheck.report.plots import cadence_chart, lean_chart

END = dt.date(2015, 5, 31)


def _lift(day: dt.date, exercise: str, weight: float, reps: int, kind: SetKind = SetKind.NORMAL, i: int = 1) -> LiftSet:
    return LiftSet(performed_on=day, started_at=None, workout="w", exercise=exercise, set_index=i, kind=kind,
                   weight_kg=weight, reps=reps)  # fmt: skip


def test_calendar_marks_lumbar_days_and_the_day_it_hurt() -> None:
    lifts = (
        _lift(END - dt.timedelta(days=2), "Bench Press", 80, 8),
        _lift(END - dt.timedelta(days=2), "Deadlift", 60, 5, SetKind.WARMUP, 1),
        _lift(END - dt.timedelta(days=2), "Deadlift", 160, 1, i=2),
        _lift(END - dt.timedelta(days=2), "Deadlift", 140, 3, i=3),
        _lift(END - dt.timedelta(days=20), "Deadlift", 150, 3),  # outside the two weeks
    )
    inputs = CheckInputs(lifts=lifts, lumbar_class={"Deadlift": "heavy", "Bench Press": "none"})
    days, reason = calendar_days(inputs, END)
    assert reason is None and len(days) == 14
    assert days[0].date == END - dt.timedelta(days=13) and days[-1].date == END and days[-1].days_before == 0
    lifted = days[-3]
    assert lifted.lumbar and [d for d in days if d.lumbar] == [lifted]
    deadlift = lifted.lifts[0]  # lumbar-loading first
    assert (deadlift.exercise, deadlift.sets, deadlift.top, deadlift.lumbar) == ("Deadlift", 2, "160 kg × 1", "heavy")


def test_calendar_says_why_not() -> None:
    assert calendar_days(CheckInputs(), None)[1].startswith("no date for the run that hurt")
    assert calendar_days(CheckInputs(), END)[1].startswith("no training logs were given")


def test_stride_charts_from_the_real_clip(analysis_dir: Path) -> None:
    rows, reason = read_strides(analysis_dir)
    summary = json.loads((analysis_dir / "summary.json").read_text())
    assert reason is None and len(rows) >= 10
    lean = lean_chart(rows, reason, summary)
    assert lean.uri.startswith("data:image/svg+xml;base64,") and lean.uri_narrow and "first and last fifth" in lean.caption
    drift = summary["drift"]["trunk_lean_deg"]
    assert f"{drift['first_fifth']:+.1f}°" in lean.caption  # the same fifths as analyze's drift
    cadence = cadence_chart(rows, reason, summary)
    metric = summary["metrics"]["cadence_spm"]
    # the table's n counts steps; the dots are strides: both said, so "16 strides" never reads as a second n
    assert f"Mean {metric['value']:.0f} steps/min over {metric['n']} steps; each dot is one of " in cadence.caption
    slow = {**summary, "metrics": {**summary["metrics"], "cadence_spm": {"value": None, "reason": "slow motion suspected"}}}
    assert cadence_chart(rows, None, slow).reason == "cadence was not measured: slow motion suspected"


def test_keyframes_with_captions(analysis_dir: Path, tmp_path: Path) -> None:
    frames, reason = read_keyframes(analysis_dir)
    assert reason is None and frames.combined_uri.startswith("data:image/jpeg;base64,")
    assert len(frames.combined_uri) < 400_000 and len(frames.captions) == 6 and frames.strides_based
    # without the combined picture, the early and late contact frames are put side by side
    copy = tmp_path / "keyframes"
    copy.mkdir()
    for name in ("early_contact.jpg", "late_contact.jpg"):
        (copy / name).write_bytes((analysis_dir / "keyframes" / name).read_bytes())
    pair, reason = read_keyframes(tmp_path)
    assert reason is None and pair.combined_uri.startswith("data:image/jpeg") and pair.captions == ()


def test_where_to_give_an_answer_for_each_front_end() -> None:
    from formcheck.asking import where_to_give, with_where

    assert where_to_give(("endurance",), "cli") == "`formcheck ask`, or [endurance] in answers.toml"
    assert where_to_give(("endurance",), "web") == 'the questionnaire on the New check page: "Trunk endurance tests (McGill)"'
    assert where_to_give(("symptom.date", "date"), "cli") == "`--date`, or `formcheck ask`, or [symptom] date in answers.toml"
    assert where_to_give(("symptom.date", "date"), "web") == 'the questionnaire on the New check page: "The run that hurt"'
    assert where_to_give(("journal",), "web") == "the Journal page"
    assert with_where("give X to assess it", (), "web") == "give X to assess it"
    assert with_where("give X", ("history.injuries",), "cli") == "give X (`formcheck ask`, or [history] injuries in answers.toml)"


def test_calendar_weights_in_the_runners_unit_and_runs_on_the_runners_day() -> None:
    """A pounds log showed '149.685 kg × 8' (the README promises pounds), and a run at 16:10 in a UTC-8 zone
    (00:10 UTC the next day) sat on the square after the day it hurt."""
    from zoneinfo import ZoneInfo

    from formcheck.context.load import HistoryRun
    from formcheck.logs.records import Sport
    from formcheck.logs.strength_csv import KG_PER_LB

    lifts = (_lift(END - dt.timedelta(days=1), "Deadlift", 330 * KG_PER_LB, 8),)
    late = dt.datetime.combine(END + dt.timedelta(days=1), dt.time(0, 10), tzinfo=dt.timezone.utc)  # 16:10 local on END
    history = (HistoryRun(late, Sport.RUN, 1800.0, 5000.0, None),)
    inputs = CheckInputs(lifts=lifts, history=history, lumbar_class={"Deadlift": "heavy"}, weight_unit="lb",
                         lift_tz=ZoneInfo("America/Los_Angeles"))  # fmt: skip
    days, _ = calendar_days(inputs, END)
    assert days[-2].lifts[0].top == "330 lb × 8"
    assert [r.label for r in days[-1].runs] == ["Run 5.0 km, 30 min"]
    utc = calendar_days(CheckInputs(lifts=lifts, history=history), END + dt.timedelta(days=1))[0]
    assert utc[-1].runs and utc[-3].lifts[0].top.endswith(" kg × 8")  # no zone, no run with GPS: UTC days, kilograms
