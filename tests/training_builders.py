"""Constructed training records with known answers, shared by the store, context and CLI tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from formcheck.logs.records import LiftSet, Run, SetKind, Sport, TrackPoint

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
UTC = dt.timezone.utc


def profile_points(
    start: dt.datetime,
    pieces: Sequence[tuple[float, float, float | None, float | None, float]],
) -> tuple[TrackPoint, ...]:
    """1 Hz points from pieces of (seconds, speed m/s, cadence spm, HR bpm, grade %).

    Distance and elevation are integrated exactly, so a test knows the answer.
    """
    points = []
    t = 0
    distance = 0.0
    elevation = 100.0
    for seconds, speed, cadence, hr, grade in pieces:
        for _ in range(int(seconds)):
            points.append(
                TrackPoint(
                    time=start + dt.timedelta(seconds=t),
                    distance_m=distance,
                    elevation_m=elevation,
                    speed_mps=speed,
                    heart_rate_bpm=hr,
                    cadence_spm=cadence,
                )
            )
            t += 1
            distance += speed
            elevation += speed * grade / 100.0
    return tuple(points)


def make_run(
    start: dt.datetime,
    *,
    minutes: float = 30.0,
    distance_m: float | None = 5000.0,
    sport: Sport = Sport.RUN,
    avg_hr: float | None = None,
    points: tuple[TrackPoint, ...] = (),
) -> Run:
    """A run summary (optionally with points); a minimal point pair is added so it can be stored."""
    if not points:
        points = (
            TrackPoint(time=start, distance_m=0.0, heart_rate_bpm=avg_hr),
            TrackPoint(time=start + dt.timedelta(minutes=minutes), distance_m=distance_m, heart_rate_bpm=avg_hr),
        )
    return Run(
        sport=sport,
        start=start,
        duration_s=minutes * 60.0,
        distance_m=distance_m,
        points=points,
        source_format="test",
        avg_heart_rate_bpm=avg_hr,
    )


def lift(
    day: dt.date,
    exercise: str,
    weight_kg: float | None,
    reps: int | None,
    set_index: int = 1,
    *,
    at: dt.datetime | None = None,
    kind: SetKind = SetKind.NORMAL,
) -> LiftSet:
    return LiftSet(
        performed_on=day,
        started_at=at,
        workout="test",
        exercise=exercise,
        set_index=set_index,
        kind=kind,
        weight_kg=weight_kg,
        reps=reps,
    )
