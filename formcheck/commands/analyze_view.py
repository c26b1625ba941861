"""What ``formcheck analyze`` shows on the terminal: a progress bar and a readable summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from formcheck.video.probe import VideoInfo

console = Console(stderr=True)

LABELS = {
    "cadence_spm": "Cadence", "step_time_asymmetry_pct": "Step-time asymmetry L/R",
    "trunk_lean_deg": "Trunk lean (forward +)", "trunk_lean_drift_deg": "Trunk lean drift (last - first fifth)",
    "head_flexion_deg": "Head flexion (looking down +)", "forward_head_deg": "Forward head",
    "vertical_oscillation_pct_leg": "Vertical oscillation", "overstride_pct_leg": "Overstride (foot ahead of hip)",
    "knee_flexion_at_contact_deg": "Knee flexion at contact", "ground_contact_ms": "Ground contact time",
}  # fmt: skip


class ProgressView:
    """A rich progress bar over the video's seconds (frames finish out of order in parallel runs)."""

    def __init__(self, enabled: bool) -> None:
        # Only on a terminal: piped or redirected, a bar would only leave a blank line before the results.
        self._enabled = enabled and console.is_terminal
        self._progress = Progress(TextColumn("[bold]pose[/]"), BarColumn(), TextColumn("{task.completed:.1f}/{task.total:.1f} s"),
                                  TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True)  # fmt: skip
        self._task: Any = None

    def __enter__(self) -> "ProgressView":
        if self._enabled:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._enabled:
            self._progress.stop()

    def start(self, info: VideoInfo) -> None:
        if self._enabled:
            self._task = self._progress.add_task("pose", total=max(info.duration_s, 0.01))

    def advance(self, time_s: float) -> None:
        if self._enabled and self._task is not None:
            self._progress.update(self._task, completed=time_s)


def print_summary(result: Any, out: Path, extra_files: list[Path] | None = None, visuals_hint: bool = False) -> None:
    s = result.summary
    out_console = Console()
    ts = s["time_scale"]
    out_console.print(f"[bold]{escape(Path(s['video']['path']).name)}[/]: {s['activity']}, {s['view']} view, facing {s['facing']}"
                      f" - {result.track.n_frames} frames, runner found in {100 * result.track.found_fraction:.0f}%"
                      + (" (pose from cache)" if result.from_cache else ""))  # fmt: skip
    table = Table(show_header=True, header_style="bold")
    table.add_column("measure")
    table.add_column("value", justify="right", no_wrap=True)  # "168.3 steps/min ± 12.1" on one line
    table.add_column("n", justify="right")
    table.add_column("note")
    metrics = s["metrics"]
    for name, m in metrics.items():
        if name.endswith("_cm"):
            continue  # shown beside its share of leg length: one row a measure, not two rows of one label
        if m["value"] is None:
            value = "-"
        else:
            value = f"{m['value']:.1f} {m['unit']}" + (f" ± {m['sd']:.1f}" if m["sd"] is not None else "")
            cm = metrics.get(name.removesuffix("_pct_leg") + "_cm") if name.endswith("_pct_leg") else None
            if cm and cm["value"] is not None:
                value += f" ({cm['value']:.1f} cm)"
        table.add_row(LABELS.get(name, name), value, str(m["n"]), escape(m["reason"] or ""))
    out_console.print(table)
    drift = s["drift"].get("trunk_lean_deg")
    if drift:
        out_console.print(f"Trunk lean went from {drift['first_fifth']:.1f}° (first fifth of strides) to "
                          f"{drift['last_fifth']:.1f}° (last fifth): change {drift['change']:+.1f}° ± {drift['sd']:.1f}°.")  # fmt: skip
    if ts["slow_motion_detected"]:
        out_console.print(f"[yellow]time scale:[/] factor {ts['factor']:.4g}")
    for warning in s["warnings"]:
        out_console.print(f"[yellow]warning:[/] {escape(warning)}")
    out_console.print(f"Written: {escape(str(out))}/summary.json, strides.csv, frames.csv")
    if extra_files:
        from formcheck.render import describe_outputs

        out_console.print(f"Also written in {escape(str(out))}: {escape(describe_outputs(extra_files))}")
    if visuals_hint:
        out_console.print("Add --visuals for key frames (the skeleton on an early and a late stride) and per-stride plots.")
