"""What a batch shows while it runs (rich progress bar) and when it ends (a summary table).

Why counts of videos and not a per-frame bar: in a batch many clips run at
once on many cores (or nodes), so the useful questions are "how many are done,
how many failed, how many are left, and when will it end". Frames per second
is over the whole batch (frames of finished clips / wall time), the figure to
compare with the single-video engine; the ETA is rich's estimate from the
rate at which clips finish. Progress goes to stderr, never to stdout.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from formcheck.batch.results import CsvRow


class BatchProgress:
    """A context manager around a rich ``Progress``; ``finished`` is called once per clip that ran."""

    def __init__(self, total: int, skipped: int, *, enabled: bool = True, console: Console | None = None) -> None:
        self.total, self.skipped = total, skipped
        self.counts: Counter[str] = Counter()
        self.frames = 0
        self.started = time.perf_counter()
        self.console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, disable=not enabled, transient=False,
        )  # fmt: skip
        self._task = self._progress.add_task("batch", total=max(total, 1), detail=self._detail())

    def _detail(self) -> str:
        done, failed = self.counts["analysed"], self.counts["failed"]
        remaining = self.total - done - failed
        return (f"[green]{done} done[/] [red]{failed} failed[/] {remaining} left"
                f"{f' ({self.skipped} skipped)' if self.skipped else ''} {self.frames_per_second():.1f} frames/s")  # fmt: skip

    def frames_per_second(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.frames / elapsed if elapsed > 0 else 0.0

    def finished(self, status: str, frames: int) -> None:
        self.counts[status] += 1
        self.frames += frames
        self._progress.update(self._task, advance=1, detail=self._detail())

    def __enter__(self) -> "BatchProgress":
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()


def summary_table(rows: Sequence[CsvRow], seconds: float, frames: int) -> Table:
    """One line per clip (status, runner, video, the headline measures or the error) and a totals caption.

    Errors and warnings are cut to one line here; ``batch.csv`` holds them whole."""
    table = Table(title="formcheck batch", show_lines=False)
    for name in ("status", "runner", "video", "activity", "view", "cadence", "lean", "drift"):
        table.add_column(name, no_wrap=True, overflow="ellipsis", min_width=min(len(name), 8), max_width=24)
    table.add_column("error / warnings", no_wrap=True, overflow="ellipsis", max_width=40)
    colours = {"analysed": "green", "skipped": "cyan", "failed": "red"}
    for row in rows:
        data = row.as_dict()
        colour = colours.get(row.status, "yellow")
        warnings = len(row.summary.get("warnings") or [])
        note = str(data["error"]) or (f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
        table.add_row(f"[{colour}]{row.status}[/]", escape(row.runner), escape(row.video), str(data["activity"]),
                      str(data["view"]), _num(data["cadence_spm"]), _num(data["trunk_lean_deg"]),
                      _num(data["trunk_lean_drift_deg"]), escape(note))  # fmt: skip
    counts = Counter(row.status for row in rows)
    minutes = seconds / 60
    rate = counts["analysed"] / minutes if minutes > 0 else 0.0
    table.caption = (", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
                     + f" in {seconds:.1f} s: {rate:.1f} videos/min, {frames / seconds if seconds else 0:.1f} frames/s")  # fmt: skip
    return table


def _num(value: object) -> str:
    return "-" if value in (None, "") else f"{value}"
