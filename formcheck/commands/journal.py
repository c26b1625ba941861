"""``formcheck journal``: a line after each run -- how bad the back pump was -- and the list of them.

The journal is what lets a check say which habits go with the pumps (lifting
the day before, hills, no warm-up) across many runs instead of guessing from
one.  ``journal add`` writes one entry per day (a second one for the same day
replaces it and says so); ``journal`` / ``journal list`` shows them and never
creates a store just to show that it is empty.  Options are parsed here, as
plain strings and numbers, so that every wrong value is one ``error:`` line
(click's own range errors are a multi-line usage block); the entry itself is
checked in :func:`formcheck.store.journal.check_entry`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from formcheck.findings.model import JournalEntry

DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db", help="SQLAlchemy URL of the store (default: $FORMCHECK_DB, else SQLite in the user data dir)."
    ),
]
RunnerOption = Annotated[str, typer.Option("--runner", help="Whose journal: each runner's data is kept apart.")]

journal_app = typer.Typer(
    help="The symptom journal: how bad the back pump was on each run.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _console(stderr: bool = False, soft_wrap: bool = True) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=soft_wrap)


def _day(text: str | None) -> dt.date:
    from formcheck.errors import UsageError

    if text is None or text.strip().lower() == "today":
        return dt.date.today()
    if text.strip().lower() == "yesterday":
        return dt.date.today() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--date must be a date written YYYY-MM-DD (or today, yesterday), got {text!r}") from None


def _number(option: str, text: str | None, whole: bool) -> float | int | None:
    from formcheck.errors import UsageError

    if text is None:
        return None
    try:
        value = float(text.strip())
        if whole and value.is_integer():
            return int(value)
        if whole:
            raise ValueError
        return value
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise UsageError(f"{option} must be {kind}, got {text!r}") from None


def _describe(entry: "JournalEntry") -> str:
    parts = [f"severity {entry.severity}"]
    if entry.walked:
        parts.append("walked")
    if entry.minute is not None:
        parts.append(f"from minute {entry.minute:g}")
    if entry.note:
        parts.append(f"note {entry.note[:40]!r}" + ("..." if len(entry.note) > 40 else ""))
    return ", ".join(parts)


@journal_app.command("add")
def add_command(
    severity: Annotated[
        Optional[str], typer.Option("--severity", "-s", help="How bad the pump was: 0 (none) to 10 (worst).")
    ] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Day of the run, YYYY-MM-DD (default: today).")] = None,
    walked: Annotated[bool, typer.Option("--walked", help="The pump made you slow down to a walk.")] = False,
    minute: Annotated[Optional[str], typer.Option("--minute", help="Minutes into the run when it started.")] = None,
    note: Annotated[str, typer.Option("--note", help="Anything else (what you did the day before, the route).")] = "",
    db: DbOption = None,
    runner: RunnerOption = "default",
) -> None:
    """Journal a run: how bad the back pump was (0 = none). A second entry for the same day replaces the first."""
    from rich.markup import escape

    from formcheck.errors import UsageError
    from formcheck.findings.model import JournalEntry
    from formcheck.store import Store
    from formcheck.store.journal import add_entry, check_entry, entry_on
    from formcheck.store.names import runner_name_problem

    if severity is None:
        raise UsageError("--severity is required: how bad the pump was, 0 (none) to 10 (worst)")
    entry = JournalEntry(
        date=_day(date), severity=_number("--severity", severity, whole=True), walked=walked,  # type: ignore[arg-type]
        minute=_number("--minute", minute, whole=False), note=note.strip(),
    )  # fmt: skip
    check_entry(entry)  # before the store is opened (or created) for a value that cannot be stored
    if problem := runner_name_problem(runner):
        raise UsageError(f"the runner's name {runner!r} {problem}: give a name like --runner anna.")
    with Store.open(db) as store:
        before = entry_on(store, runner, entry.date)
        _, created = add_entry(store, runner, entry)
    out = _console()
    if created:
        out.print(f"journaled {entry.date}: {escape(_describe(entry))}")
    else:
        out.print(f"updated the entry for {entry.date}: {escape(_describe(entry))} "
                  f"(was: {escape(_describe(before)) if before else 'unknown'})")  # fmt: skip


@journal_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOption = None,
    runner: RunnerOption = "default",
) -> None:
    """List the journal, oldest first."""
    from rich.markup import escape
    from rich.table import Table

    from formcheck.store.journal import entries, open_existing

    with open_existing(db) as store:
        found = entries(store, runner)
    if as_json:
        rows = [{"date": e.date.isoformat(), "severity": e.severity, "walked": e.walked, "minute": e.minute,
                 "note": e.note} for e in found]  # fmt: skip
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    out = _console()
    if not found:
        out.print(f"no journal entries for {escape(runner)} yet; add one after a run with "
                  "formcheck journal add --severity 0-10")  # fmt: skip
        return
    table = Table(title=f"symptom journal of {escape(runner)}")
    for name, justify in (("date", "left"), ("severity", "right"), ("", "left"), ("walked", "left"),
                          ("minute", "right"), ("note", "left")):  # fmt: skip
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for e in found:
        colour = "green" if e.severity == 0 else "yellow" if e.severity <= 4 else "red"
        table.add_row(
            e.date.isoformat(), str(e.severity), f"[{colour}]{'#' * e.severity}[/]", "yes" if e.walked else "",
            "" if e.minute is None else f"{e.minute:g}", escape(e.note),
        )  # fmt: skip
    out.print(table)
    pumps, walks = sum(e.severity > 0 for e in found), sum(e.walked for e in found)
    out.print(f"{len(found)} run(s) journaled: {pumps} with a pump, {walks} that ended in a walk.")


@journal_app.callback()
def journal_callback(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOption = None,
    runner: RunnerOption = "default",
) -> None:
    """The symptom journal: `journal add` after each run, `journal` (or `journal list`) to see it."""
    if ctx.invoked_subcommand is None:
        list_command(as_json=as_json, db=db, runner=runner)
        return
    # `journal --runner bob add ...`: the group's options become the subcommand's defaults (click reads
    # them when it builds the subcommand's context, right after this), so they are never silently dropped;
    # an option given after the subcommand still wins.
    from click.core import ParameterSource

    chosen = {name: ctx.params[name] for name in ("runner", "db", "as_json")
              if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)}  # fmt: skip
    ctx.default_map = {"add": {k: v for k, v in chosen.items() if k != "as_json"}, "list": chosen}


def register(app: typer.Typer) -> None:
    """Add the ``journal`` group (``add``, ``list``; alone it lists) to the app."""
    app.add_typer(journal_app, name="journal")
