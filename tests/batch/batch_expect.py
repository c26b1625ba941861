"""What the batch tests share: each clip's expected status, and two small readers of a batch's results."""

from __future__ import annotations

from pathlib import Path

EXPECTED = {
    "anna/grass.mp4": "analysed",
    "anna/legs.mp4": "analysed",
    "ben/cut.mp4": "failed",  # the first 30 kB of the grass clip: truncated
    "ben/notes.mp4": "failed",  # a text file named like a video
    "ben/walk.avi": "analysed",
}


def statuses(report) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {row.video: row.status for row in report.rows}


def leftovers(out: Path) -> list[str]:
    """Temporary folders of the atomic writer anywhere under ``out`` (must be none)."""
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*tmp-*"))
