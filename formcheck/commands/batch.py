"""``formcheck batch (DIR | MANIFEST.csv) --out DIR``: every clip of a collection analysed and stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from typer.core import TyperCommand


def batch(
    source: Annotated[Path, typer.Argument(help="A folder of videos (runner = first subfolder) or a manifest CSV "
                                                "(columns path, runner, date, optional height_cm).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results go to OUT/<runner>/<video>/, plus OUT/batch.csv.")],
    db: Annotated[Optional[str], typer.Option("--db", help="Store URL (default: $FORMCHECK_DB or the SQLite file).")] = None,
    runner_from: Annotated[Optional[str], typer.Option("--runner-from", help="folder (first folder level) or column (manifest).")] = None,
    ray: Annotated[Optional[str], typer.Option("--ray", metavar="[ADDRESS]",
                                               help="Run on Ray: alone, a private local instance; 'auto' or "
                                                    "HOST:PORT (the head's, e.g. 10.0.0.5:6379), a running "
                                                    "cluster. Put it after SOURCE.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Clips analysed at once (default: usable cores).")] = None,
    height_cm: Annotated[Optional[float], typer.Option("--height-cm", help="Runners' height when the manifest gives none.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute poses even if cached.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary table.")] = False,
) -> None:
    """Analyse every video of a folder or manifest; skip the ones already done; exit 1 if any failed."""
    from rich.console import Console

    from formcheck.batch import BatchOptions, run_batch
    from formcheck.batch.progress import summary_table

    options = BatchOptions(source=source, out=out, db=db, runner_from=runner_from, ray=ray, workers=workers,
                           height_cm=height_cm, use_cache=not no_cache, show_progress=not quiet)  # fmt: skip
    report = run_batch(options)
    console = Console(stderr=True)
    if not quiet:
        console.print(summary_table(report.rows, report.seconds, report.frames, console.width))
        console.print(f"results: {report.csv_path}", markup=False, highlight=False)
    failed = report.count("failed")
    if failed:
        console.print(f"{failed} of {len(report.rows)} videos failed; their errors are in {report.csv_path}.",
                      markup=False, highlight=False)  # fmt: skip
        raise typer.Exit(1)


class _BatchCommand(TyperCommand):
    """``--ray`` with no value means a private local instance: click's optional-value option, which
    Typer cannot declare (it drops ``flag_value``), so it is switched on here once the command exists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option) and "--ray" in param.opts:
                param._flag_needs_value = True  # type: ignore[attr-defined]
                param.flag_value = "local"


def register(app: typer.Typer) -> None:
    app.command("batch", cls=_BatchCommand)(batch)
