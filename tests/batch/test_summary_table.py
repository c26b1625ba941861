"""The batch's end-of-run table: readable on an 80-column terminal, numbers never cut (no pose model)."""

from __future__ import annotations

import io

from rich.console import Console

from formcheck.batch.progress import summary_table
from formcheck.batch.results import CsvRow


def _summary(cadence: float | None, lean: float | None, drift: float | None, warnings: int) -> dict[str, object]:
    metric = lambda v: {"value": v}  # noqa: E731
    return {"activity": "running", "view": "side", "warnings": ["w"] * warnings,
            "metrics": {"cadence_spm": metric(cadence), "trunk_lean_deg": metric(lean),
                        "trunk_lean_drift_deg": metric(drift)}}  # fmt: skip


ROWS = [
    CsvRow("analysed", "Anna Katharina Longname-Smith", "anna/2026-11-02 long run at the lake.mp4", "/o/a",
           _summary(171.64, 8.456, 2.04, 2), None, 3.1),
    CsvRow("failed", "ben", "ben/notes.mp4", "/o/b", {},
           "/srv/clinic clips/ben/notes.mp4 is not a video formcheck can read (no video stream): export it again.",
           0.2, "/srv/clinic clips/ben/notes.mp4"),
    CsvRow("skipped", "default", "b.mp4", "/o/c", _summary(None, None, None, 1), None, None),
]  # fmt: skip


def _render(width: int, rows: list[CsvRow] = ROWS, seconds: float = 30.0) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(summary_table(rows, seconds, 900, width))
    return out.getvalue().splitlines()


def test_an_80_column_terminal_gets_every_number_and_status_whole() -> None:
    lines = _render(80)
    assert max(len(line) for line in lines) <= 80
    assert "status" in lines[2] and "activity" not in lines[2]  # left out when narrow: batch.csv keeps it
    anna, ben, default = (next(line for line in lines if word in line) for word in ("analysed", "failed", "skipped"))
    assert "172" in anna and "8.5" in anna and "+2.0" in anna and "…" in anna  # the long names are cut, not the numbers
    assert "notes.mp4 i" in ben and "/srv" not in ben  # the video column already says where the clip is
    assert "1 warning " in default + " " and default.count("-") >= 3
    assert lines[-1].strip() == "1 analysed, 1 failed, 1 skipped in 30.0 s: 2.0 videos/min, 30.0 frames/s"


def test_a_wide_terminal_shows_activity_view_and_whole_errors_with_names_capped() -> None:
    lines = _render(160)
    assert "activity" in lines[2] and "view" in lines[2]
    assert any("notes.mp4 is not a video formcheck can read" in line for line in lines)
    anna = next(line for line in lines if "analysed" in line)
    assert "│ Anna Katharina … │ anna/2026-11-02 long run at… │ running  │ side │     172 │  8.5 │  +2.0 │" in anna
    assert max(len(line) for line in lines) <= 160


def test_a_run_that_analysed_nothing_says_so_instead_of_zero_a_minute() -> None:
    assert _render(100, ROWS[2:], 2.3)[-1].strip() == "1 skipped in 2.3 s: nothing new analysed"
