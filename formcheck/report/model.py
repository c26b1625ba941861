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


@dataclass(frozen=True)
class VideoArtifacts:
    """One analysed clip: its measures, its ``summary.json`` and the files ``analyze`` wrote for it."""

    measures: VideoMeasures
    summary: dict[str, Any]
    analysis_dir: Path | None = None  # holds strides.csv, keyframes/ (index.json, *.jpg), plots/


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
