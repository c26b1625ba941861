"""Any measurement, however odd, gives each video cause a finding that keeps the invariants (score, confidence, ids).

One property test for the four video causes, parametrised by the metric each one scores.
"""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from video_builders import check_bounds, d, inputs, m, side_video, thresholds

from formcheck.findings.causes import head_posture, injury_gait, stride_mechanics, trunk_lean

TH = thresholds()
TILT = ("The scene's straight lines are about 4.0 deg off level: the camera may be tilted, so trunk lean may be "
        "off by about 4 deg. Level the phone for a better reading.",)  # fmt: skip


@pytest.mark.parametrize(("cause", "metric", "drift"), [
    (head_posture, "head_flexion_deg", "head_flexion_deg"),
    (trunk_lean, "trunk_lean_deg", "trunk_lean_deg"),
    (injury_gait, "step_time_asymmetry_pct", "trunk_lean_deg"),
    (stride_mechanics, "overstride_pct_leg", "trunk_lean_deg"),
])  # fmt: skip
@settings(max_examples=150, deadline=None)
@given(
    a=st.floats(-40, 80), b=st.floats(0, 30), n=st.integers(2, 200),
    first=st.floats(-40, 80), last=st.floats(-40, 80), n_each=st.integers(1, 40),
    tilt=st.booleans(), duration=st.one_of(st.none(), st.floats(0.5, 600)),
)  # fmt: skip
def test_any_measurement_keeps_the_finding_invariants(cause: ModuleType, metric: str, drift: str, a: float, b: float,
                                                      n: int, first: float, last: float, n_each: int, tilt: bool,
                                                      duration: float | None) -> None:  # fmt: skip
    video = side_video(duration_s=duration, warnings=TILT if tilt else (), **{metric: m(a, b, n)},
                       drift={drift: d(first, last, sd=b, n_each=n_each)})  # fmt: skip
    check_bounds(cause.assess(inputs(video), TH), cause.CAUSE_ID)
