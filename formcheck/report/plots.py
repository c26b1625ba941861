"""The report's charts as inline SVG: lean and cadence per stride, and the run that hurt.

Each function returns a :class:`Chart`: either an SVG ``data:`` URI, or no
picture and a one-line reason ("not available: no GPS speed in this run").
A missing input must read as a sentence, never as a broken image or an
empty frame, so the reason is decided here, next to the data.

The stride charts are redrawn from ``strides.csv`` (not copied from
``analyze``'s ``plots/``) so that every chart in the report shares one
quiet style that matches the page: no chart titles (the page has headings),
no top/right frame, one accent colour, early/late in the same green/red as
``formcheck.render``.  SVG keeps them sharp on a phone and printable.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers and in tests; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from formcheck.context.features import RunContext  # noqa: E402
from formcheck.context.track import to_grid  # noqa: E402
from formcheck.render.keyframe_plan import fifth_size  # noqa: E402
from formcheck.render.plots import EARLY_COLOUR, LATE_COLOUR  # noqa: E402
from formcheck.report.assets import StrideRow, data_uri  # noqa: E402

ACCENT = "#2457a6"
MUTED = "#8a94a6"
INK = "#1f2933"
WALK_COLOUR = "#f2b134"
ONSET_COLOUR = "#c2362f"
FIGSIZE_IN = (7.6, 3.0)
STYLE = {
    "svg.fonttype": "path",  # glyphs as paths: identical on every machine, no font lookups
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "axes.edgecolor": "#c5ccd6",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#52606d",
    "ytick.color": "#52606d",
    "axes.grid": True,
    "grid.color": "#e4e8ee",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "legend.fontsize": 8,
}


@dataclass(frozen=True)
class Chart:
    uri: str | None  # an SVG data: URI, None when not available
    reason: str | None = None  # why not available
    caption: str | None = None


def _svg(fig: plt.Figure) -> str:
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    return data_uri(buffer.getvalue(), "image/svg+xml")


def _figure(size: tuple[float, float] = FIGSIZE_IN) -> tuple[plt.Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def _stride_times(rows: Sequence[StrideRow], time_factor: float) -> np.ndarray:
    return np.array([(r.contact_time_s + r.duration_s / 2) * time_factor for r in rows], dtype=float)


def lean_chart(rows: Sequence[StrideRow] | None, why_not: str | None, summary: Mapping[str, Any]) -> Chart:
    """Trunk lean per stride with the first and last fifth's means (the drift) marked."""
    metric = (summary.get("metrics") or {}).get("trunk_lean_deg") or {}
    if rows is None:
        return Chart(None, why_not)
    if metric.get("value") is None and metric.get("reason"):
        return Chart(None, f"trunk lean was not measured: {metric['reason']}")
    good = [r for r in rows if np.isfinite(r.trunk_lean_deg) and np.isfinite(r.contact_time_s)]
    if len(good) < 2:
        return Chart(None, "fewer than two strides with a trunk lean in this clip")
    factor = float((summary.get("time_scale") or {}).get("factor") or 1.0)
    times, leans = _stride_times(good, factor), np.array([r.trunk_lean_deg for r in good])
    k = fifth_size(len(good))
    with plt.rc_context(STYLE):
        fig, ax = _figure()
        ax.plot(times, leans, "o-", color=ACCENT, linewidth=1.6, markersize=4.5, label="trunk lean, stride mean", zorder=3)
        means = []
        for sl, colour, label in ((slice(0, k), EARLY_COLOUR, "first fifth"), (slice(-k, None), LATE_COLOUR, "last fifth")):
            t, v = times[sl], leans[sl]
            mean = float(v.mean())
            means.append(mean)
            pad = 0.25 * float(np.median(np.diff(times))) if len(times) > 1 else 0.2
            ax.axvspan(t.min() - pad, t.max() + pad, color=colour, alpha=0.09, linewidth=0)
            ax.hlines(mean, t.min() - pad, t.max() + pad, colors=colour, linewidth=2.4,
                      label=f"{label}: {mean:+.1f}° ({len(v)} strides)")  # fmt: skip
        ax.axhline(0, color="#9aa5b1", linewidth=0.8, linestyle=":")
        ax.set_xlabel("time in the clip (s)")
        ax.set_ylabel("trunk lean (°, forward +)")
        low, high = float(leans.min()), float(leans.max())
        span = max(high - low, 4.0)
        ax.set_ylim(low - 0.25 * span, high + 0.45 * span)
        ax.legend(loc="upper left", ncols=3)
        uri = _svg(fig)
    change = means[1] - means[0]
    caption = f"Lean went from {means[0]:+.1f}° to {means[1]:+.1f}° ({change:+.1f}°) between the first and last fifth of strides ({k} each)."
    return Chart(uri, None, caption)


def cadence_chart(rows: Sequence[StrideRow] | None, why_not: str | None, summary: Mapping[str, Any]) -> Chart:
    """Cadence of each stride: 2 steps per stride duration, in real time (120 / duration_s)."""
    metric = (summary.get("metrics") or {}).get("cadence_spm") or {}
    if rows is None:
        return Chart(None, why_not)
    if metric.get("value") is None:
        return Chart(None, f"cadence was not measured: {metric.get('reason') or 'no strides'}")
    factor = float((summary.get("time_scale") or {}).get("factor") or 1.0)
    good = [r for r in rows if np.isfinite(r.duration_s) and r.duration_s > 0 and np.isfinite(r.contact_time_s)]
    if len(good) < 2:
        return Chart(None, "fewer than two complete strides in this clip")
    times = _stride_times(good, factor)
    cadence = np.array([120.0 / (r.duration_s * factor) for r in good])
    mean = float(metric["value"])
    with plt.rc_context(STYLE):
        fig, ax = _figure()
        ax.plot(times, cadence, "o-", color=ACCENT, linewidth=1.6, markersize=4.5, label="per stride")
        ax.axhline(mean, color=INK, linestyle="--", linewidth=1.1, label=f"clip mean {mean:.0f} steps/min")
        ax.axhspan(mean * 1.05, mean * 1.10, color=EARLY_COLOUR, alpha=0.10, linewidth=0,
                   label="+5-10 % (a gentle target if overstriding)")  # fmt: skip
        ax.set_xlabel("time in the clip (s)")
        ax.set_ylabel("cadence (steps/min)")
        ax.set_ylim(min(float(cadence.min()), mean) - 12, max(float(cadence.max()), mean * 1.10) + 14)
        ax.legend(loc="upper left", ncols=3)
        uri = _svg(fig)
    return Chart(uri, None, f"Mean {mean:.0f} steps/min over {len(good)} strides; the band is your own cadence +5-10 %.")


def _onset_s(ctx: RunContext, minute_into_run: float | None) -> tuple[float | None, str]:
    """Where the symptom most likely began: a detected onset break, the runner's minute, or the first break."""
    for b in ctx.walk_breaks.breaks:
        if b.likely_symptom_onset:
            return b.start_s, "likely onset (first walk break of a steady run)"
    if minute_into_run is not None:
        return 60.0 * minute_into_run, f"onset you reported (minute {minute_into_run:g})"
    return None, ""


def run_chart(ctx: RunContext | None, minute_into_run: float | None = None) -> Chart:
    """Pace and elevation over the run, walk breaks shaded, the likely symptom onset marked."""
    if ctx is None:
        return Chart(None, "no run was given for the day it hurt (give a GPX, FIT or TCX file)")
    grid = to_grid(ctx.run)
    if len(grid) < 60 or not np.isfinite(grid.speed_mps).any():
        return Chart(None, "this run has no distance or speed to draw a pace from")
    minutes = grid.t_s / 60.0
    speed = np.where(grid.in_gap | ~(grid.speed_mps > 0.8), np.nan, grid.speed_mps)
    pace = 1000.0 / 60.0 / speed  # min/km
    onset_s, onset_label = _onset_s(ctx, minute_into_run)
    with plt.rc_context(STYLE):
        fig, ax = _figure((7.6, 3.3))
        if grid.has_elevation:
            elev = ax.twinx()
            elev.fill_between(minutes, grid.elevation_m, np.nanmin(grid.elevation_m) - 2, color="#cfd6df", alpha=0.55, linewidth=0)
            elev.set_ylabel("elevation (m)", color="#7b8794")
            elev.tick_params(axis="y", colors="#7b8794")
            elev.grid(False)
            elev.spines["right"].set_visible(True)
            ax.set_zorder(elev.get_zorder() + 1)
            ax.patch.set_visible(False)
        ax.plot(minutes, pace, color=ACCENT, linewidth=1.3, label="pace")
        for i, b in enumerate(ctx.walk_breaks.breaks):
            ax.axvspan(b.start_s / 60, (b.start_s + b.duration_s) / 60, color=WALK_COLOUR, alpha=0.35, linewidth=0,
                       label="walk break" if i == 0 else None)  # fmt: skip
        if onset_s is not None:
            ax.axvline(onset_s / 60, color=ONSET_COLOUR, linewidth=1.8, linestyle="--", label=onset_label)
        finite = pace[np.isfinite(pace)]
        if finite.size:
            lo, hi = np.percentile(finite, [2, 98])
            ax.set_ylim(min(hi + 1.0, 16.0), max(lo - 0.8, 2.0))  # inverted: faster is higher
        ax.set_xlim(0, minutes[-1])
        ax.set_xlabel("minutes into the run")
        ax.set_ylabel("pace (min/km, faster up)")
        ax.legend(loc="upper left", ncols=3)
        uri = _svg(fig)
    n = len(ctx.walk_breaks.breaks)
    caption = f"{n} walk break{'s' if n != 1 else ''} shaded" + ("" if onset_s is None else f"; dashed line: {onset_label}") + "."
    if not grid.has_elevation:
        caption += " No elevation in this file."
    return Chart(uri, None, caption)
