"""Property tests for the points blob and the natural keys (pure, no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.logs.records import TrackPoint
from formcheck.store.codec import decode_points, encode_points, lift_key
from training_builders import UTC, lift

maybe = lambda lo, hi: st.none() | st.floats(lo, hi, allow_nan=False)  # noqa: E731

point_values = st.tuples(
    st.integers(0, 10_000_000),  # ms after the start
    maybe(-90, 90), maybe(-180, 180), maybe(-400, 9000), maybe(0, 1e6),
    maybe(0, 15), maybe(30, 230), maybe(0, 250), maybe(0, 200), maybe(0, 1000),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(point_values, max_size=40))
def test_points_survive_the_blob_exactly(values) -> None:
    t0 = dt.datetime(2020, 1, 1, tzinfo=UTC)
    points = tuple(
        TrackPoint(t0 + dt.timedelta(milliseconds=ms), *rest) for ms, *rest in sorted(values, key=lambda v: v[0])
    )
    assert decode_points(encode_points(points)) == points


def test_blob_is_compact() -> None:
    t0 = dt.datetime(2020, 1, 1, tzinfo=UTC)
    points = [TrackPoint(t0 + dt.timedelta(seconds=i), 51.0 + i * 1e-5, 3.7, 50.0, i * 3.0, 3.0, 150.0, 166.0)
              for i in range(3600)]
    assert len(encode_points(points)) < 40 * 3600  # well under a row per point


def test_lift_key_ignores_case_spacing_and_conversion_noise() -> None:
    day = dt.date(2024, 1, 1)
    assert lift_key(lift(day, "Deadlift  (Barbell)", 65.181223569, 5)) == lift_key(lift(day, "deadlift (barbell)", 65.18122, 5))
    assert lift_key(lift(day, "Deadlift", 100.0, 5, 1)) != lift_key(lift(day, "Deadlift", 100.0, 5, 2))
    assert lift_key(lift(day, "Pull Up", None, 8)) == lift_key(lift(day, "Pull Up", None, 8))
