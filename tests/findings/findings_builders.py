"""Constructed :class:`CheckInputs` for the training and answers causes, with known answers.

``answers(warmup={"done": False})`` builds a validated :class:`Answers` from
plain tables, as ``answers.toml`` would; ``run_ctx(pieces, ...)`` builds the
:class:`RunContext` of a run from 1 Hz pieces (seconds, speed, cadence, HR,
grade %) with ``training_builders.profile_points``, so hills and walk breaks
are exactly known; ``deadlift_day(day)`` is a heavy session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from formcheck.answers.model import Answers
from formcheck.context import HistoryRun, RunContext, run_context
from formcheck.findings.model import CheckInputs
from formcheck.logs.records import LiftSet
from training_builders import UTC, lift, make_run, profile_points

CLASSES = {
    "Deadlift": "heavy", "Squat": "heavy", "Romanian Deadlift": "heavy", "Back Extension": "heavy",
    "Bench Press": "none", "Barbell Row": "heavy", "Walking Lunge": "moderate",
}  # fmt: skip
RUN_DAY = dt.date(2024, 6, 10)
RUN_START = dt.datetime(2024, 6, 10, 17, 0, tzinfo=UTC)


def classify(name: str) -> str | None:
    return CLASSES.get(name)


def answers(**sections: dict[str, Any]) -> Answers:
    return Answers.model_validate(sections)


def deadlift_day(day: dt.date, sets: int = 5, reps: int = 3, kg: float = 140.0, at: dt.datetime | None = None) -> list[LiftSet]:
    return [lift(day, "Deadlift", kg, reps, i + 1, at=at) for i in range(sets)]


def bench_day(day: dt.date) -> list[LiftSet]:
    return [lift(day, "Bench Press", 80.0, 5, i + 1) for i in range(3)]


def days_before(n: int, day: dt.date = RUN_DAY) -> dt.date:
    return day - dt.timedelta(days=n)


STEADY = [(1800, 3.0, 170.0, 150.0, 0.0)]


def run_ctx(
    pieces: Sequence[tuple[float, float, float | None, float | None, float]] = STEADY,
    *,
    start: dt.datetime = RUN_START,
    history: Sequence[HistoryRun] = (),
    lifts: Sequence[LiftSet] = (),
) -> RunContext:
    points = profile_points(start, pieces)
    distance = points[-1].distance_m
    run = make_run(start, minutes=len(points) / 60.0, distance_m=distance, points=points)
    return run_context(run, list(history), list(lifts), classify, hr_max_bpm=190.0)


def past_run(days: float, km: float = 5.0, minutes: float = 30.0) -> HistoryRun:
    run = make_run(RUN_START - dt.timedelta(days=days), minutes=minutes, distance_m=km * 1000.0)
    return HistoryRun.of(run)


def check(**kwargs: Any) -> CheckInputs:
    """CheckInputs with the test lumbar classes; lifts and history as tuples."""
    kwargs.setdefault("lumbar_class", CLASSES)
    for key in ("lifts", "history", "journal", "videos"):
        if key in kwargs:
            kwargs[key] = tuple(kwargs[key])
    return CheckInputs(**kwargs)
