"""Constructed :class:`VideoMeasures` with known answers, for the video cause tests.

``side_video()`` is an unremarkable side-view run (every metric measured,
nothing that should fire any video cause); a test overrides only the numbers
it is about: ``side_video(trunk_lean_deg=m(12.0), drift={"trunk_lean_deg": d(6.1, 11.8, n_each=9)})``.
``None`` for a metric makes it unmeasurable with a reason, as the analysis
does.  ``front_video()`` nulls the side-view-only metrics with the analysis's
own front-view reason.
"""

from __future__ import annotations

from formcheck.findings.model import CheckInputs, DriftValue, MetricValue, VideoMeasures
from formcheck.findings.thresholds import Threshold, Thresholds, load_thresholds

UNITS = {
    "cadence_spm": "steps/min", "step_time_asymmetry_pct": "%", "trunk_lean_deg": "deg", "trunk_lean_drift_deg": "deg",
    "head_flexion_deg": "deg", "forward_head_deg": "deg", "vertical_oscillation_pct_leg": "% leg length",
    "vertical_oscillation_cm": "cm", "overstride_pct_leg": "% leg length", "overstride_cm": "cm",
    "knee_flexion_at_contact_deg": "deg", "ground_contact_ms": "ms",
}  # fmt: skip
SIDE_ONLY = tuple(name for name in UNITS if name not in ("cadence_spm", "step_time_asymmetry_pct"))
FRONT_REASON = "front view: this measure needs a side view"


def m(value: float, sd: float | None = 1.0, n: int = 40) -> MetricValue:
    """A measured metric (the unit is filled in by the builder)."""
    return MetricValue(value, "", sd, n)


def null(reason: str, n: int = 0) -> MetricValue:
    return MetricValue(None, "", None, n, reason)


def d(first: float, last: float, sd: float = 1.0, n_each: int = 8) -> DriftValue:
    return DriftValue(first, last, round(last - first, 2), sd, n_each)


def _defaults() -> dict[str, MetricValue]:
    return {
        "cadence_spm": m(170.0, 4.0, 80), "step_time_asymmetry_pct": m(2.0, None, 80),
        "trunk_lean_deg": m(4.0), "trunk_lean_drift_deg": m(0.3, 1.0, 16),
        "head_flexion_deg": m(15.0), "forward_head_deg": m(20.0),
        "vertical_oscillation_pct_leg": m(9.0), "vertical_oscillation_cm": m(7.9),
        "overstride_pct_leg": m(20.0), "overstride_cm": m(17.5),
        "knee_flexion_at_contact_deg": m(20.0), "ground_contact_ms": m(260.0, 20.0),
    }  # fmt: skip


def _default_drift() -> dict[str, DriftValue | None]:
    return {"trunk_lean_deg": d(4.0, 4.3), "head_flexion_deg": d(15.0, 15.2), "forward_head_deg": d(20.0, 20.1)}


def side_video(
    name: str = "run.mp4",
    *,
    view: str = "side",
    activity: str = "running",
    duration_s: float | None = 60.0,
    fps: float | None = 60.0,
    warnings: tuple[str, ...] = (),
    drift: dict[str, DriftValue | None] | None = None,
    **metrics: MetricValue | None,
) -> VideoMeasures:
    """A clip; ``metrics`` override the defaults (``None`` = not measurable, 'reason given in test')."""
    values = _defaults()
    for key, metric in metrics.items():
        assert key in UNITS, key
        values[key] = null(f"{key} not measured (test)") if metric is None else metric
    values = {k: MetricValue(v.value, UNITS[k], v.sd, v.n, v.reason) for k, v in values.items()}
    drifts = _default_drift()
    drifts.update(drift or {})
    return VideoMeasures(name, activity, view, "right", values, drifts, warnings, duration_s, None, fps)


def front_video(name: str = "front.mp4", **metrics: MetricValue | None) -> VideoMeasures:
    """A front-view running clip: cadence and asymmetry only, the rest null with the analysis's reason."""
    nulls: dict[str, MetricValue | None] = {k: null(FRONT_REASON, 30) for k in SIDE_ONLY}
    nulls.update(metrics)
    video = side_video(name, view="front", drift={k: None for k in _default_drift()}, **nulls)
    return video


def inputs(*videos: VideoMeasures, **kwargs: object) -> CheckInputs:
    return CheckInputs(videos=videos, **kwargs)  # type: ignore[arg-type]


def thresholds(**overrides: object) -> Thresholds:
    """The shipped thresholds with some values replaced: ``thresholds(**{"trunk_lean.forward_deg": 3.0})``."""
    shipped = load_thresholds()
    entries = {name: shipped[name] for name in shipped.names()}
    for name, value in overrides.items():
        assert name in entries, name
        entries[name] = Threshold(value, "test override")
    return Thresholds(entries, "test")


def check_bounds(result: object, section: str) -> None:
    """Invariants every video finding keeps: score and confidence in [0, 1], each fired rule has a weight, numbers finite."""
    import math
    import re

    from formcheck.findings.model import Finding

    if not isinstance(result, Finding):
        return
    assert 0.0 <= result.score <= 1.0 and 0.0 <= result.confidence <= 1.0
    weights = {name.rsplit(".", 1)[1] for name in load_thresholds().names() if name.startswith(f"{section}.weights.")}
    assert set(result.rules_fired) <= weights
    assert len(set(result.rules_fired)) == len(result.rules_fired)
    assert not any(re.search(r"\b(nan|inf)\b", s) for s in result.evidence + result.against)
    assert all(math.isfinite(v) for v in result.measures.values() if isinstance(v, float))
