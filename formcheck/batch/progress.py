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
from pathlib import Path
from types import TracebackType

from rich.cells import cell_len
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


NARROW_COLUMNS = 100
"""Below this terminal width the table leaves out activity and view (``batch.csv`` keeps them): nine
columns and their borders need ~90 characters before any name or error shows."""


def summary_table(rows: Sequence[CsvRow], seconds: float, frames: int, width: int = 120) -> Table:
    """One line per clip (status, runner, video, the headline measures or the error) and a totals caption.

    Status and numbers are never cut; runner, video and the note share what is left of ``width``
    (the terminal's), the widest cut first, with an ellipsis. Errors and warnings are cut to one
    line here; ``batch.csv`` holds them whole, which is why a note does not repeat the clip's path."""
    wide = width >= NARROW_COLUMNS
    names = ["status", "runner", "video"] + (["activity", "view"] if wide else []) + list(_NUMBERS) + [_NOTE]
    body = [_cells(row) for row in rows]
    natural = {name: max([len(name)] + [cell_len(cells[name]) for cells in body]) for name in names}  # CJK: 2 a char
    flexible = {name: min(natural[name], cap) for name, cap in _FLEXIBLE.items()}
    room = width - (3 * len(names) + 1) - sum(natural[n] for n in names if n not in _FLEXIBLE)
    widths = {**natural, **_share(flexible, room)}
    table = Table(title="formcheck batch", show_lines=False)
    for name in names:
        table.add_column(name, no_wrap=True, overflow="ellipsis", width=widths[name],
                         justify="right" if name in _NUMBERS else "left")  # fmt: skip
    colours = {"analysed": "green", "skipped": "cyan", "failed": "red"}
    for row, cells in zip(rows, body):
        colour = colours.get(row.status, "yellow")
        table.add_row(*(f"[{colour}]{cells[n]}[/]" if n == "status" else escape(cells[n]) for n in names))
    table.caption = _caption(rows, seconds, frames)
    return table


def _share(wanted: dict[str, int], room: int, floor: int = 5) -> dict[str, int]:
    """``wanted`` widths cut, widest first, until they fit in ``room`` (none below ``floor``)."""
    widths = dict(wanted)
    while sum(widths.values()) > room:
        name = max(widths, key=lambda n: widths[n])
        if widths[name] <= floor:
            break
        widths[name] -= 1
    return widths


_NUMBERS = ("cadence", "lean", "drift")
_NOTE = "error / warnings"
_FLEXIBLE = {"runner": 16, "video": 28, _NOTE: 48}
"""The columns cut to fit the terminal, and the most each may take."""


def _cells(row: CsvRow) -> dict[str, str]:
    data = row.as_dict()
    warnings = len(row.summary.get("warnings") or [])
    note = _without_path(str(data["error"]), row.path) or (
        f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
    return {"status": row.status, "runner": row.runner, "video": row.video, "activity": str(data["activity"]),
            "view": str(data["view"]), "cadence": _num(data["cadence_spm"], "{:.0f}"),
            "lean": _num(data["trunk_lean_deg"], "{:.1f}"), "drift": _num(data["trunk_lean_drift_deg"], "{:+.1f}"),
            _NOTE: note}  # fmt: skip


def _without_path(error: str, path: str) -> str:
    """``error`` with the clip's full path shortened to its name: the video column already says which clip."""
    return error.replace(path, Path(path).name) if error and path else error


def _caption(rows: Sequence[CsvRow], seconds: float, frames: int) -> str:
    counts = Counter(row.status for row in rows)
    done = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if not counts["analysed"]:
        return f"{done} in {seconds:.1f} s: nothing new analysed"
    rate = counts["analysed"] / (seconds / 60) if seconds > 0 else 0.0
    return f"{done} in {seconds:.1f} s: {rate:.1f} videos/min, {frames / seconds if seconds else 0:.1f} frames/s"


def _num(value: object, form: str) -> str:
    if value in (None, ""):
        return "-"
    try:
        return form.format(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
