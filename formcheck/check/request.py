"""What one check is asked to do and what it gives back: the contract of every front end.

The CLI (``formcheck check``), the web app's job runner and the batch runner
all build a :class:`CheckRequest` and call
``formcheck.check.service.run_check(request, progress)``; none of them knows
how the video engine, the store or the findings are wired together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.answers.model import Answers
from formcheck.findings.model import FindingsResult
from formcheck.asking import FrontEnd

Progress = Callable[[str, float, str | None], None]
"""``progress(stage, fraction 0-1 of that stage, detail)``; stages: analyse, import, context, findings, report."""


@dataclass(frozen=True)
class CheckRequest:
    out_dir: Path
    videos: tuple[Path, ...] = ()
    runs: tuple[Path, ...] = ()  # GPX / FIT / TCX files to import first
    lifts: tuple[Path, ...] = ()  # Strong / Hevy / FitNotes CSV exports to import first
    answers: Answers | None = None  # already validated (see formcheck.answers.load)
    answers_path: Path | None = None  # where they came from, for the report's inputs list
    date: dt.date | None = None  # the run that hurt: else answers.symptom.date, else the latest run
    db: str | None = None  # SQLAlchemy URL; None = $FORMCHECK_DB or the default SQLite file
    runner: str = "default"
    height_cm: float | None = None  # else answers.runner.height_cm
    units: str | None = None  # kg | lb for strength exports that do not say
    tz: str | None = None  # IANA zone of wall-clock lift times
    use_cache: bool = True
    workers: int | None = None
    shown_names: Mapping[str, str] = field(default_factory=dict)
    """File name -> the name the person knows it by (the web app stores uploads under its own names)."""
    front_end: FrontEnd = "cli"
    """Who will read the report: it says where to give a missing answer in that front end's words
    (``formcheck ask`` / answers.toml, or the web app's questionnaire); findings.json is the same for both."""

    def shown(self, path: Path) -> str:
        """The name to show for an input file in the report and messages."""
        return self.shown_names.get(path.name, path.name)


@dataclass(frozen=True)
class CheckOutcome:
    out_dir: Path
    result: FindingsResult
    findings: dict[str, Any]  # the findings.json document
    files: tuple[Path, ...]  # written, relative to out_dir
    check_id: int | None  # row in the store's ``checks`` table
    warnings: tuple[str, ...] = field(default=())
