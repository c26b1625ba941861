"""Per-stride plots (PNG + SVG): trunk lean with its early/late drift, cadence, vertical oscillation.

Files under ``DIR/plots/``: ``lean_per_stride``, ``cadence_per_stride`` and
``vertical_oscillation``, each as ``.png`` (for the terminal user and the
README) and ``.svg`` (for the HTML report, sharp at any size). A plot whose
measurement is null (front view, slow motion, too few strides) is still
written, empty, with the reason as its message: a missing file would look
like a bug, a blank plot without a reason like a measurement of nothing.

Times on the x axis are real seconds (file time multiplied by the time-scale
factor) whenever the clip's clock is trusted, else labelled as file time.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from formcheck.analysis.metrics import Metric
from formcheck.analysis.pipeline import LEG_LENGTH_FRACTION_OF_HEIGHT, Analysis
from formcheck.errors import OutputError
from formcheck.pose.track import PoseTrack
from formcheck.render.keyframe_plan import fifth_size

# Figures are made with matplotlib's object API, not pyplot: no global figure registry, no GUI
# backend to choose, and pyplot's import (~0.3 s of every analyze) is not paid.

FIGSIZE_IN = (8.0, 4.2)
DPI = 110
STRIDE_COLOUR = "#1f5fa8"
EARLY_COLOUR = "#2a9d55"
LATE_COLOUR = "#d1495b"


@lru_cache(maxsize=1)
def _default_font() -> object:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return FT2Font(font_manager.findfont(font_manager.FontProperties()))


def drawable(text: str) -> str:
    """``text`` with the characters the plot font lacks (CJK in a file name, say) replaced by "?".

    Matplotlib would draw an empty box for each and warn on stderr once per
    glyph and file; a "?" says the same without the noise.
    """
    font = _default_font()
    return "".join(c if c.isascii() or font.get_char_index(ord(c)) else "?" for c in text)  # type: ignore[attr-defined]


def _time_axis(analysis: Analysis) -> tuple[float, str]:
    ts = analysis.time_scale
    real = not ts.suspected or ts.capture_fps is not None
    return ts.factor, ("time in the clip (s, real time)" if real else "time in the clip (s, file clock: slow motion suspected)")


def _empty(ax: Axes, reason: str) -> None:
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(reason, 60)), ha="center", va="center", transform=ax.transAxes,
            fontsize=11, color="#555555")  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])


def _save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """PNG then SVG of one figure (fixed margins: ``MARGINS_IN``).

    zlib level 1 for the PNG: a few percent larger, a third of the compression time.
    """
    paths = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    try:
        fig.savefig(paths[0], dpi=DPI, pil_kwargs={"compress_level": 1})
        fig.savefig(paths[1], metadata={"Date": None})
    except OSError as error:
        raise OutputError(f"could not write {folder}/{stem}: {error.strerror}.") from None
    return paths


MARGINS_IN = {"left": 0.8, "right": 0.85, "top": 0.4, "bottom": 0.55}
"""Fixed margins (inches) around the axes: room for the y label and ticks of up to four characters
on the left, the oscillation plot's second axis in centimetres on the right, the title above and the
time label below. Matplotlib's constrained layout found about these margins for every plot, but
measuring every text to do so was 40 % of the plots' time (1.73 -> 1.05 s for the three, PNG + SVG):
time a user waits at the end of every analysis and a batch pays for every clip."""


TITLE_Y = 1.0
"""Passing the title's height fixes it just above the axes. Left to matplotlib, every draw measured
the axes' tick labels to lift the title over any on top (there are none): ~15 % of the plots' time."""


def _figure(title: str) -> tuple[Figure, Axes]:
    fig = Figure(figsize=FIGSIZE_IN)
    FigureCanvasAgg(fig)  # the figure's canvas: Agg, as pyplot's would be on a server
    ax = fig.subplots()
    width, height = FIGSIZE_IN
    fig.subplots_adjust(left=MARGINS_IN["left"] / width, right=1 - MARGINS_IN["right"] / width,
                        top=1 - MARGINS_IN["top"] / height, bottom=MARGINS_IN["bottom"] / height)
    ax.set_title(title, fontsize=11, y=TITLE_Y)
    ax.grid(True, alpha=0.3)
    return fig, ax


def _fifth_band(ax: Axes, times: np.ndarray, values: np.ndarray, label: str, colour: str) -> None:
    """Shade a fifth's time span, with its mean as a line and ± SD as a band."""
    mean = float(np.mean(values))
    sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    lo, hi = float(times.min()), float(times.max())
    pad = 0.15 * max(hi - lo, 0.2)
    ax.axvspan(lo - pad, hi + pad, color=colour, alpha=0.08)
    ax.fill_between([lo - pad, hi + pad], mean - sd, mean + sd, color=colour, alpha=0.25, linewidth=0)
    ax.hlines(mean, lo - pad, hi + pad, colors=colour, linewidth=2.2,
              label=f"{label}: {mean:+.1f} ± {sd:.1f} deg ({len(values)} stride{'s' if len(values) != 1 else ''})")  # fmt: skip


def plot_lean(folder: Path, track: PoseTrack, analysis: Analysis, clip: str) -> list[Path]:
    """Trunk lean per stride over time, the per-frame lean behind it, first/last fifth marked."""
    fig, ax = _figure(f"{clip}: trunk lean per stride (forward +)")
    metric = analysis.metrics["trunk_lean_deg"]
    factor, xlabel = _time_axis(analysis)
    strides = [s for s in analysis.strides if np.isfinite(s.trunk_lean_deg)]
    if metric.value is None or not strides:
        _empty(ax, f"Trunk lean not measured: {metric.reason or 'no strides'}")
        return _save(fig, folder, "lean_per_stride")
    # per-frame lean only over the strides' span: outside it the runner may be crouched in blocks, turning, half seen
    span = (track.time_s >= strides[0].contact_s) & (track.time_s <= strides[-1].contact_s + strides[-1].duration_s)
    per_frame = np.where((analysis.facing_sign != 0) & span, analysis.lean_deg, np.nan)
    ax.plot(track.time_s * factor, per_frame, color="#999999", linewidth=0.8, alpha=0.7, label="per frame (oscillates within a stride)")
    times = np.array([(s.contact_s + s.duration_s / 2) * factor for s in strides])
    leans = np.array([s.trunk_lean_deg for s in strides])
    ax.plot(times, leans, "o-", color=STRIDE_COLOUR, linewidth=1.5, markersize=5, label="stride mean", zorder=3)
    k = fifth_size(len(strides))
    if len(strides) >= 2:
        _fifth_band(ax, times[:k], leans[:k], "first fifth", EARLY_COLOUR)
        _fifth_band(ax, times[-k:], leans[-k:], "last fifth", LATE_COLOUR)
    drift = analysis.metrics.get("trunk_lean_drift_deg")
    if drift is not None and drift.value is not None:
        ax.set_title(f"{clip}: trunk lean per stride (forward +), drift {drift.value:+.1f} ± {drift.sd or 0:.1f} deg", fontsize=11, y=TITLE_Y)
    spread = np.percentile(np.concatenate([per_frame[np.isfinite(per_frame)], leans]), [2, 98])
    ax.set_ylim(min(spread[0], leans.min()) - 2, max(spread[1], leans.max()) + 2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("trunk lean from vertical (deg)")
    ax.legend(fontsize=8, loc="best")
    return _save(fig, folder, "lean_per_stride")


def _per_stride(folder: Path, stem: str, title: str, ylabel: str, analysis: Analysis, metric: Metric,
                values: np.ndarray, what: str) -> tuple[Figure, Axes] | list[Path]:  # fmt: skip
    fig, ax = _figure(title)
    if metric.value is None or not np.isfinite(values).any():
        _empty(ax, f"{what} not measured: {metric.reason or 'no strides'}")
        return _save(fig, folder, stem)
    factor, xlabel = _time_axis(analysis)
    times = np.array([(s.contact_s + s.duration_s / 2) * factor for s in analysis.strides])
    ax.plot(times, values, "o-", color=STRIDE_COLOUR, linewidth=1.5, markersize=5, label="per stride")
    sd = f" ± {metric.sd:.1f}" if metric.sd is not None else ""
    ax.axhline(metric.value, color="#333333", linestyle="--", linewidth=1.2,
               label=f"mean {metric.value:.1f}{sd} {metric.unit} (n={metric.n})")  # fmt: skip
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="best")
    return fig, ax


def plot_cadence(folder: Path, analysis: Analysis, clip: str) -> list[Path]:
    """Cadence of each stride, 2 steps / stride duration in real time (null in unscaled slow motion)."""
    metric = analysis.metrics["cadence_spm"]
    factor = analysis.time_scale.factor
    values = np.array([120.0 / (s.duration_s * factor) for s in analysis.strides], dtype=float)
    out = _per_stride(folder, "cadence_per_stride", f"{clip}: cadence per stride", "cadence (steps/min, both feet)",
                      analysis, metric, values, "Cadence")  # fmt: skip
    if isinstance(out, list):
        return out
    fig, ax = out
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    ax.set_ylim(min(low, metric.value or low) - 10, max(high, metric.value or high) + 10)
    return _save(fig, folder, "cadence_per_stride")


def plot_oscillation(folder: Path, analysis: Analysis, clip: str, height_cm: float | None) -> list[Path]:
    """Hip rise-and-fall per stride as % of leg length, with centimetres on the right when height is known."""
    metric = analysis.metrics["vertical_oscillation_pct_leg"]
    values = np.array([s.vertical_oscillation_pct_leg for s in analysis.strides], dtype=float)
    out = _per_stride(folder, "vertical_oscillation", f"{clip}: vertical oscillation of the hips per stride",
                      "vertical oscillation (% of leg length)", analysis, metric, values, "Vertical oscillation")  # fmt: skip
    if isinstance(out, list):
        return out
    fig, ax = out
    ax.set_ylim(0, max(float(np.nanmax(values)), metric.value or 0.0) * 1.25)
    if height_cm:
        leg_cm = height_cm * LEG_LENGTH_FRACTION_OF_HEIGHT
        right = ax.secondary_yaxis("right", functions=(lambda p: p * leg_cm / 100.0, lambda c: c * 100.0 / leg_cm))
        right.set_ylabel(f"cm (leg {leg_cm:.0f} cm from height {height_cm:g} cm)")
    return _save(fig, folder, "vertical_oscillation")


def write_plots(out_dir: Path, track: PoseTrack, analysis: Analysis, clip: str,
                height_cm: float | None = None) -> list[Path]:  # fmt: skip
    """Write the three plots (PNG + SVG each) into ``out_dir/plots``."""
    clip = drawable(clip)
    folder = out_dir / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    # a fixed salt for the SVG's element ids (random by default): the same analysis gives the same files
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "formcheck", "font.size": 9}):
        return (plot_lean(folder, track, analysis, clip) + plot_cadence(folder, analysis, clip)
                + plot_oscillation(folder, analysis, clip, height_cm))  # fmt: skip
