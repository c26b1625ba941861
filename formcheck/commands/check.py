"""``formcheck check``: the main job -- video(s), logs and answers in, the ranked answer out.

This module only words the command line: it parses options, loads the
answers (one line naming a wrong field), shows one progress bar per stage on a
terminal, and prints the summary.  Everything else is
:func:`formcheck.check.service.run_check`, which the web app calls too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from formcheck.commands.training import DbOption, RunnerOption, TzOption

STAGE_LABELS = {
    "import": "import logs", "analyse": "analyse video", "context": "run context",
    "findings": "findings", "report": "report",
}  # fmt: skip


class StageBars:
    """One rich bar per stage, created when the stage starts; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        from formcheck.commands.analyze_view import console

        self._progress = Progress(TextColumn("[bold]{task.fields[label]:<14}[/]"), BarColumn(), TaskProgressColumn(),
                                  TimeElapsedColumn(), TextColumn("{task.fields[detail]}"), console=console,
                                  transient=True, disable=not (enabled and console.is_terminal))  # fmt: skip
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> "StageBars":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, stage: str, fraction: float, detail: str | None) -> None:
        if self._progress.disable:
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=1.0, label=STAGE_LABELS.get(stage, stage), detail="")
        fields = {"detail": detail} if detail is not None else {}
        self._progress.update(self._tasks[stage], completed=max(0.0, min(fraction, 1.0)), **fields)


def _date(text: str | None) -> dt.date | None:
    from formcheck.errors import UsageError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date like 2015-05-31.") from None


TRACK_SUFFIXES = {".gpx", ".fit", ".tcx"}
NOTHING_TO_CHECK = ("nothing to check: give a video, a run (--runs), a lift export (--lifts), --answers, or --date "
                    "for a run already imported")


def _sort_files(files: list[Path], runs: list[Path], lifts: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Positional files by kind: tracks join the runs, CSVs the lifts, the rest are videos.

    Click options take one value each, so ``--runs a.fit b.fit`` leaves ``b.fit``
    among the positional files; sorting by suffix makes that (and
    ``formcheck check clip.mp4 run.fit lifts.csv``) do what was meant.
    """
    videos = [f for f in files if f.suffix.lower() not in TRACK_SUFFIXES | {".csv"}]
    runs = runs + [f for f in files if f.suffix.lower() in TRACK_SUFFIXES]
    lifts = lifts + [f for f in files if f.suffix.lower() == ".csv"]
    return videos, runs, lifts


def check(
    videos: Annotated[Optional[list[Path]], typer.Argument(help="Running video(s), side view best; .gpx/.fit/.tcx and .csv files given here count as --runs and --lifts.", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for report.html, findings.json and videos/ (required).")] = None,
    runs: Annotated[Optional[list[Path]], typer.Option("--runs", help="GPX/FIT/TCX of the run that hurt and earlier runs (repeatable).")] = None,
    lifts: Annotated[Optional[list[Path]], typer.Option("--lifts", help="Strong/Hevy/FitNotes CSV export (repeatable).")] = None,
    answers: Annotated[Optional[Path], typer.Option("--answers", help="answers.toml (formcheck ask writes one).")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD of the run that hurt (else the answers', else the latest run).")] = None,
    db: DbOption = None,
    runner: RunnerOption = "default",
    height_cm: Annotated[Optional[float], typer.Option("--height-cm", help="Runner's height (else the answers'): distances in cm.")] = None,
    units: Annotated[Optional[str], typer.Option("--units", help="kg or lb: for a strength export that does not say, and the unit weights are shown in.")] = None,
    tz: TzOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute the pose even if cached.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Pose workers (default: usable cores).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summary; errors only.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print findings.json to stdout.")] = False,
) -> None:
    """Why did my lower back pump up on the run? Ranks the causes (red flags first) and writes a report."""
    from formcheck.errors import UsageError

    videos, runs, lifts = _sort_files(videos or [], runs or [], lifts or [])
    if not (videos or runs or lifts or answers or date):  # before the heavy imports: this answer is instant
        raise UsageError(NOTHING_TO_CHECK)
    if out is None:
        raise UsageError("give --out DIR: the folder for report.html and findings.json (e.g. --out results).")
    from formcheck.check.request import CheckRequest
    from formcheck.check.service import run_check
    from formcheck.check.validate import NothingToCheckError

    loaded = None
    if answers is not None:
        from formcheck.answers.load import load_answers

        loaded = load_answers(answers)
    request = CheckRequest(out_dir=out, videos=tuple(videos), runs=tuple(runs), lifts=tuple(lifts),
                           answers=loaded, answers_path=answers, date=_date(date), db=db, runner=runner,
                           height_cm=height_cm, units=units, tz=tz, use_cache=not no_cache, workers=workers)  # fmt: skip
    try:
        with StageBars(enabled=not quiet and not json_out) as bars:
            outcome = run_check(request, progress=bars.update)
    except NothingToCheckError:
        raise UsageError(NOTHING_TO_CHECK) from None
    if json_out:
        typer.echo(json.dumps(outcome.findings, indent=2))
        return
    if quiet:
        return
    from rich.console import Console

    from formcheck.report import print_summary

    console = Console(highlight=False, soft_wrap=True)
    print_summary(console, outcome.findings, out)  # red flags first; ends with where the report is
    from rich.markup import escape

    for warning in outcome.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
