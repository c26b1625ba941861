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
from collections.abc import Callable, Mapping, Sequence
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
from formcheck.asking import FrontEnd, with_where  # noqa: E402
from formcheck.report.assets import StrideRow, data_uri  # noqa: E402

ACCENT = "#2457a6"
MUTED = "#8a94a6"
INK = "#1f2933"
WALK_COLOUR = "#f2b134"
ONSET_COLOUR = "#c2362f"
SMOOTH_S = 31  # seconds in the pace running median
STYLE = {
    "svg.fonttype": "none",  # text stays text: 3x smaller and faster than glyph paths, still selectable
    "svg.hashsalt": "formcheck",  # fixed clip-path ids: the same check gives the same HTML (else random per run)
    "font.size": 9.5,
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
    "legend.fontsize": 8.5,
}


@dataclass(frozen=True)
class Chart:
    uri: str | None  # an SVG data: URI for a desktop column, None when not available
    reason: str | None = None  # why not available
    caption: str | None = None
    uri_narrow: str | None = None  # the same chart drawn for a phone (taller, larger text)


@dataclass(frozen=True)
class Layout:
    """One rendering: a desktop column is wide and short, a phone screen narrow and tall."""

    size_in: tuple[float, float]
    legend_cols: int


WIDE = Layout((7.6, 3.1), 3)
NARROW = Layout((4.2, 3.6), 1)
Draw = Callable[[plt.Axes, Layout], None]


def _svg(fig: plt.Figure) -> str:
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    return data_uri(buffer.getvalue(), "image/svg+xml")


def _render(draw: Draw, layout: Layout) -> str:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=layout.size_in, layout="constrained")
        draw(ax, layout)
        handles, labels = ax.get_legend_handles_labels()
        for other in fig.axes[1:]:
            more = other.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if handles:  # above the plot, never over the data
            fig.legend(handles, labels, loc="outside upper left", ncols=layout.legend_cols)
        return _svg(fig)


def _chart(draw: Draw, caption: str) -> Chart:
    return Chart(_render(draw, WIDE), None, caption, _render(draw, NARROW))


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
    drift = (summary.get("metrics") or {}).get("trunk_lean_drift_deg") or {}
    no_drift = drift.get("value") is None and drift.get("reason")  # too few strides: fifths would be noise
    fifths = () if no_drift else ((slice(0, k), EARLY_COLOUR, "first fifth"), (slice(-k, None), LATE_COLOUR, "last fifth"))
    means = [float(leans[sl].mean()) for sl, _, _ in fifths]
    pad = 0.25 * float(np.median(np.diff(times))) if len(times) > 1 else 0.2

    def draw(ax: plt.Axes, layout: Layout) -> None:
        ax.plot(times, leans, "o-", color=ACCENT, linewidth=1.6, markersize=4.5, label="stride mean", zorder=3)
        for (sl, colour, label), mean in zip(fifths, means):
            t = times[sl]
            ax.axvspan(t.min() - pad, t.max() + pad, color=colour, alpha=0.09, linewidth=0)
            ax.hlines(mean, t.min() - pad, t.max() + pad, colors=colour, linewidth=2.6, label=f"{label} {mean:+.1f}°")
        ax.axhline(0, color="#9aa5b1", linewidth=0.8, linestyle=":")
        ax.set_xlabel("time in the clip (s)")
        ax.set_ylabel("trunk lean (°, forward +)")
        low, high = float(leans.min()), float(leans.max())
        margin = max(high - low, 4.0) * 0.2
        ax.set_ylim(low - margin, high + margin)

    if no_drift:
        return _chart(draw, f"Mean {float(leans.mean()):+.1f}° over {len(good)} strides; 0° is upright, forward is "
                            f"positive. No drift: {drift['reason']}.")  # fmt: skip
    change = means[1] - means[0]
    return _chart(draw, f"Lean went from {means[0]:+.1f}° to {means[1]:+.1f}° ({change:+.1f}°) between the first and "
                        f"last fifth of strides ({k} each); 0° is upright, forward is positive.")  # fmt: skip


def cadence_chart(rows: Sequence[StrideRow] | None, why_not: str | None, summary: Mapping[str, Any]) -> Chart:
    """Cadence of each stride: 2 steps per stride duration, in real time (120 / duration_s).

    The +5-10 % band is a running step-up: a clip of walking gets no target, only its steps.
    """
    running = summary.get("activity", "running") == "running"
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

    def draw(ax: plt.Axes, layout: Layout) -> None:
        if running:
            ax.axhspan(mean * 1.05, mean * 1.10, color=EARLY_COLOUR, alpha=0.12, linewidth=0, label="+5-10 % target band")
        ax.plot(times, cadence, "o-", color=ACCENT, linewidth=1.6, markersize=4.5, label="per stride")
        ax.axhline(mean, color=INK, linestyle="--", linewidth=1.1, label=f"mean {mean:.0f}")
        ax.set_xlabel("time in the clip (s)")
        ax.set_ylabel("cadence (steps/min)")
        ax.set_ylim(min(float(cadence.min()), mean) - 8, max(float(cadence.max()), mean * 1.10) + 8)

    steps = f" over {int(metric['n'])} steps" if metric.get("n") else ""  # the table's n counts steps, the dots strides
    band = (" The green band is your own cadence +5-10 %, the step-up to try only if you overstride (never a fixed 180)."
            if running else " This clip is not running, so there is no running target.")
    return _chart(draw, f"Mean {mean:.0f} steps/min{steps}; each dot is one of {len(good)} strides.{band}")


def _rolling_median(values: np.ndarray, window: int) -> np.ndarray:
    """Centred running median ignoring NaN: phone GPS pace jumps second to second, the runner did not."""
    if values.size < window:
        return values
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)
    enough = np.isfinite(windows).sum(axis=1) >= max(3, window // 3)
    out = np.full(values.shape, np.nan)
    if enough.any():
        out[enough] = np.nanmedian(windows[enough], axis=1)
    return np.where(np.isfinite(values), out, np.nan)


def _onsets(ctx: RunContext, minute_into_run: float | None) -> list[tuple[float, str, str]]:
    """Where the symptom began: the minute the runner reported, else the break the findings took as the pump's.

    With a reported minute the flagged break is the one nearest it (``findings.training.run_with_symptom_break``):
    one line, not two that seem to disagree.
    """
    if minute_into_run is not None:
        return [(60.0 * minute_into_run, f"you felt it (minute {minute_into_run:g})", ONSET_COLOUR)]
    for b in ctx.walk_breaks.breaks:
        if b.likely_symptom_onset:
            return [(b.start_s, "likely onset (the walk break taken as the pump's)", "#7a1f1a")]
    return []


def run_chart(ctx: RunContext | None, minute_into_run: float | None = None, front_end: FrontEnd = "cli") -> Chart:
    """Pace and elevation over the run, walk breaks shaded, the likely symptom onset marked.

    ``front_end`` words where the runner gives the minute the pump started, when the chart cannot tell it.
    """
    if ctx is None:
        return Chart(None, "no run was given for the day it hurt (give a GPX, FIT or TCX file)")
    grid = to_grid(ctx.run)
    if len(grid) < 60 or not np.isfinite(grid.speed_mps).any():
        return Chart(None, "this run has no distance or speed to draw a pace from")
    minutes = grid.t_s / 60.0
    speed = _rolling_median(np.where(grid.in_gap, np.nan, grid.speed_mps), SMOOTH_S)
    pace = 1000.0 / 60.0 / np.where(speed > 0.8, speed, np.nan)  # min/km; slower than ~21 min/km is standing
    onsets = _onsets(ctx, minute_into_run)
    breaks = ctx.walk_breaks.breaks

    def draw(ax: plt.Axes, layout: Layout) -> None:
        if grid.has_elevation:
            elev = ax.twinx()
            base = float(np.nanmin(grid.elevation_m)) - 2
            elev.fill_between(minutes, grid.elevation_m, base, color="#dde3ea", linewidth=0, label="elevation")
            elev.set_ylabel("elevation (m)", color="#7b8794")
            elev.tick_params(axis="y", colors="#7b8794")
            elev.grid(False)
            elev.spines["right"].set_visible(True)
            ax.set_zorder(elev.get_zorder() + 1)
            ax.patch.set_visible(False)
        for i, b in enumerate(breaks):
            ax.axvspan(b.start_s / 60, (b.start_s + b.duration_s) / 60, color=WALK_COLOUR, alpha=0.45, linewidth=0,
                       label="walk break" if i == 0 else None)  # fmt: skip
        ax.plot(minutes, pace, color=ACCENT, linewidth=1.3, label="pace (30 s median)")
        for at_s, label, colour in onsets:
            ax.axvline(at_s / 60, color=colour, linewidth=1.8, linestyle="--", label=label)
        finite = pace[np.isfinite(pace)]
        if finite.size:
            lo, hi = np.percentile(finite, [1, 99])
            ax.set_ylim(min(hi + 0.8, 16.0), max(lo - 0.5, 2.0))  # inverted: faster is higher
        ax.set_xlim(0, minutes[-1])
        ax.set_xlabel("minutes into the run")
        ax.set_ylabel("pace (min/km)")

    n = len(breaks)
    caption = f"Pace is plotted faster-up. {n} walk break{'s' if n != 1 else ''} shaded"
    caption += "." if not onsets else "; dashed: " + " and ".join(label for _, label, _ in onsets) + "."
    if not onsets and n:
        caption += " No break could be called the symptom onset (see the run's warnings); " + with_where(
            "the minute into the run you felt it would mark it", ("symptom.minute_into_run",), front_end) + "."
    if not grid.has_elevation:
        caption += " No elevation in this file."
    return _chart(draw, caption)
