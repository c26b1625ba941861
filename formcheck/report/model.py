"""What the report writers need besides the findings: the clips' artefacts and the check's metadata.

The report is an I/O edge: it may read the analysis files a check wrote (the
per-stride CSV, the key-frame PNGs) to draw and embed them, but it never
re-runs any stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.findings.model import VideoMeasures
from formcheck.asking import FrontEnd


LIKELY_MIN_SCORE = 0.25
"""Below this rule score a cause is listed under "also considered", not as a likely cause."""
LIKELY_MAX = 4
"""At most this many likely causes: more is a list nobody acts on."""


def likely_count(scores: list[float]) -> int:
    """How many of the ranked causes (``scores`` in rank order) are the likely ones.

    One rule for every output, so the terminal, the HTML report and the web app
    never disagree on which causes are "likely" (the terminal used to list the
    top five whatever their scores, 0/100 included).
    """
    count = 0
    for score in scores[:LIKELY_MAX]:
        if score < LIKELY_MIN_SCORE:
            break
        count += 1
    return count


def main_point(score: float, evidence: list[str], against: list[str]) -> str:
    """The one sentence that sums up a cause in a list: what fired if anything did, else what argues against it."""
    if score > 0 and evidence:
        return evidence[0]
    return (against or evidence or ["no rule fired"])[0]


@dataclass(frozen=True)
class VideoArtifacts:
    """One analysed clip: its measures, its ``summary.json`` and the files ``analyze`` wrote for it."""

    measures: VideoMeasures
    summary: dict[str, Any]
    analysis_dir: Path | None = None  # holds strides.csv, keyframes/ (index.json, *.jpg), plots/

    @property
    def folder(self) -> str | None:
        """The clip's folder in the check's output (``videos/run-2``): what tells two clips of one name apart."""
        return None if self.analysis_dir is None else f"videos/{self.analysis_dir.name}"


@dataclass(frozen=True)
class ReportMeta:
    created_at: dt.datetime
    formcheck_version: str
    runner: str = "default"
    symptom_date: dt.date | None = None
    run_label: str | None = None  # e.g. "run 12, 2015-05-31 07:42, 8.4 km"
    inputs: dict[str, list[str]] = field(default_factory=dict)  # kind -> file names used
    timings_s: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    front_end: FrontEnd = "cli"
    """Who reads this report: it says where to give a missing answer in that front end's words (see asking)."""
