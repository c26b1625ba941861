"""A tracking glitch halfway through a step must not count as a contact (issue 9).

The synthetic walker's leading heel (fore-aft, leg lengths ahead of the hip)
is built frame by frame: steps alternate 16 and 20 frames at 29.58 fps (the
far walker clip's rate, a step period of ~0.61 s), and in one 20-frame step the
pose model "loses" the stance heel for five frames, so the signal dips and
rebounds exactly 10 frames after one contact and 10 before the next: the shape
measured on the followed far walker (tests/analysis/test_panning.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.gait.events import _peaks, side_view_events, step_period_s, without_split_steps
from formcheck.gait.orientation import Pass
from formcheck.kinematics.body import Body
from formcheck.pose.landmarks import HEELS, TOES

FPS = 29.583
LEG_PX = 100.0


def walker(step_frames: list[int], glitch_in_step: int | None) -> tuple[Body, list[int]]:
    """A Body whose leading heel lands 0.45 leg ahead at each contact and crosses the other foot at -0.2."""
    contacts = [5 + int(c) for c in np.cumsum([0, *step_frames])]
    n = contacts[-1] + 6
    leading = np.full(n, -0.2)
    for k, (a, b) in enumerate(zip(contacts, contacts[1:])):
        low = a + 0.65 * (b - a)
        for i in range(a, b + 1):
            leading[i] = 0.45 - 0.65 * (i - a) / (low - a) if i <= low else -0.2 + 0.65 * (i - low) / (b - low)
        if k == glitch_in_step:
            leading[a + 5:a + 10] = -0.6  # both heels put on the swing foot, far behind
    xy = np.zeros((n, 33, 2))
    lands = np.zeros(n, int)
    for k, a in enumerate(contacts):
        lands[a:] = k % 2
    for foot in (0, 1):
        x = np.where(lands == foot, leading, leading - 0.5) * LEG_PX
        xy[:, HEELS[foot], 0] = xy[:, TOES[foot], 0] = x
    time_s = np.arange(n) / FPS
    zeros2 = np.zeros((n, 2))
    body = Body(time_s, xy, zeros2, zeros2 + [0, 75], zeros2 + [0, 100], np.full(n, LEG_PX), np.full(n, 75.0),
                np.ones((n, 33)), np.zeros(n, bool))  # fmt: skip
    return body, contacts


def contact_frames(body: Body) -> list[int]:
    return [e.frame for e in side_view_events(body, (Pass(0, body.n, 1),)) if e.kind == "contact"]


def test_the_minimum_spacing_alone_lets_the_glitch_through():
    """Guard on the construction: 0.6 of the ~18-frame period is 10.7 frames, rounded down to 10."""
    body, contacts = walker([16, 20] * 6, glitch_in_step=5)
    leading = np.max(body.xy[:, list(HEELS), 0], axis=1) / LEG_PX
    period = step_period_s(leading, body.time_s)
    assert period == pytest.approx(18 / FPS, abs=1.01 / FPS)
    assert contacts[5] + 10 in _peaks(leading, body.time_s, period).tolist()
    assert contacts[6] - (contacts[5] + 10) == 10


def test_a_glitch_halfway_through_a_step_is_not_a_contact():
    body, contacts = walker([16, 20] * 6, glitch_in_step=5)
    assert contact_frames(body) == contacts


def test_without_the_glitch_every_contact_is_found():
    body, contacts = walker([16, 20] * 6, glitch_in_step=None)
    assert contact_frames(body) == contacts


TIMES = np.arange(100) / 30.0  # 30 fps; the period below is 0.5 s = 15 frames


@pytest.mark.parametrize("peaks, heights, kept", [
    ([0, 15, 22, 30, 45], [0.4, 0.4, 0.1, 0.4, 0.4], [0, 15, 30, 45]),  # 22 splits 15..30 (one step)
    ([0, 11, 30, 41, 60], [0.4] * 5, [0, 11, 30, 41, 60]),  # a limp: steps of 0.73 and 1.27 periods, pairs span 2
    ([0, 15, 22, 30], [0.4, 0.4, 0.3, 0.1], [0, 15, 22, 30]),  # middle not the lowest: which is false is unknown
    ([0, 15, 30, 37], [0.4, 0.4, 0.4, 0.1], [0, 15, 30, 37]),  # the last peak has no neighbour after it
    ([0, 7, 15, 22, 30], [0.4, 0.1, 0.4, 0.1, 0.4], [0, 15, 30]),  # two split steps in a row
])
def test_only_a_peak_lower_than_both_neighbours_one_step_apart_is_dropped(peaks, heights, kept):
    values = np.zeros(len(TIMES))
    values[peaks] = heights
    assert without_split_steps(np.array(peaks), values, TIMES, 0.5).tolist() == kept


def test_without_a_period_nothing_is_dropped():
    peaks = np.array([0, 7, 15])
    assert without_split_steps(peaks, np.array([0.4] * 16), TIMES[:16], None).tolist() == [0, 7, 15]


def test_a_step_far_shorter_than_the_others_is_a_split_one_not_a_step() -> None:
    """Far runner entering the frame: a false contact 0.2 s after a real one, then 0.5-s steps. The
    short 'step' (and the one it cut short) would pull the cadence from 120 to ~150 steps/min."""
    from formcheck.gait.events import FootEvent
    from formcheck.gait.strides import steps_from_contacts

    times = [0.0, 0.2, 0.7, 1.2, 1.7, 2.2, 2.7]
    contacts = [FootEvent(i % 2, "contact", int(t * 30), t, 0) for i, t in enumerate(times)]
    steps = steps_from_contacts(contacts)
    assert [round(s.duration_s, 2) for s in steps] == [0.5] * 5
    limp = [FootEvent(i % 2, "contact", int(t * 30), t, 0) for i, t in enumerate([0.0, 0.4, 1.0, 1.4, 2.0, 2.4])]
    assert len(steps_from_contacts(limp)) == 5  # a limp's 0.4/0.6-s steps are all kept
