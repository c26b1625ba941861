"""``formcheck import``, ``runs`` and ``context``: training logs in and features out.

Heavy modules (SQLAlchemy, NumPy, the readers) are imported inside the command
functions so that ``formcheck --help`` stays fast.  Output goes to stdout
(tables, JSON); per-file problems go to stderr.  Errors are raised as
``formcheck.errors`` types and ``formcheck.cli`` turns them into one line.

Time zones: Strong and Hevy write wall-clock lift times without a zone.  The
zone is kept **per runner** (``formcheck import --tz Europe/Berlin`` records
it, also when every file was imported before, and a later ``--tz`` replaces
it), because it belongs to the person's phone, not to one export (overlapping
exports merge into one set of rows).  ``formcheck context --tz`` overrides it
for one query.  Without a zone the run's local clock is estimated from its GPS
longitude and the JSON says so (``hours_basis``).

Import policy for several files: each file is its own transaction.  A file
that cannot be read or stored is reported and leaves the store unchanged;
the other files are still imported, and the command exits non-zero (with the
failing file's exit code) if any file failed.  Ctrl-C stops at once: the file
being imported is rolled back, and the message names the files already saved.
Re-importing updates: each file reports "n new, n updated, n unchanged".

``runs`` and ``context`` only read: they never create a store (a mistyped
``--db`` gets one line saying there is no store there).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from formcheck.logs.records import Run
    from formcheck.store import ImportReport, Store, StoredRun

from formcheck.errors import FormcheckError

# show_envvar=False: typer's default makes click print "(env var: 'None')" in every
# bad-value message, e.g. for ``context --run abc``; these options have no env var.
DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db", show_envvar=False,
        help="SQLAlchemy URL of the store (default: $FORMCHECK_DB, else SQLite in the user data dir).",
    ),
]
RunnerOption = Annotated[
    str, typer.Option("--runner", show_envvar=False, help="Whose logs: each runner's data is kept apart.")
]
JsonOption = Annotated[bool, typer.Option("--json", show_envvar=False, help="Print JSON instead of a table.")]
TzOption = Annotated[
    Optional[str],
    typer.Option(
        "--tz", show_envvar=False, help="IANA time zone of the strength app's wall-clock times, e.g. Europe/Berlin."
    ),
]


class ImportInterrupted(FormcheckError):
    """Ctrl-C (or SIGTERM) during ``import``: the message says which files were saved before it."""

    exit_code = 130


def _zone(name: str) -> "dt.tzinfo":
    """``ZoneInfo(name)`` through the engine's one zone parser (the CLI adds ``--tz`` to its error)."""
    from formcheck.check.validate import zone

    return zone(name)


def _console(stderr: bool = False) -> "Console":
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _open(db: str | None, *, create: bool = True) -> "Store":
    """The store at ``db``; with ``create=False`` (read-only commands) nothing is created where none exists."""
    from formcheck.store import Store

    if not create:
        from formcheck.store.engine import require_store, resolve_db_url

        require_store(resolve_db_url(db))
    return Store.open(db)


def _describe(report: "ImportReport") -> str:
    noun = "run" if report.kind == "track" else "set"
    name = Path(report.path).name
    ids = f" (id {', '.join(map(str, report.added_run_ids))})" if report.added_run_ids else ""
    again = "; this file was imported before" if report.already_imported else ""
    dropped = f"; {report.dropped} impossible {noun}(s) not stored" if report.dropped else ""
    return (f"{name} [{report.format}]: {report.added} new{ids}, {report.updated} updated, "
            f"{report.unchanged} unchanged {noun}(s){dropped}{again}")


def _saved(report: "ImportReport") -> str:
    noun = "run" if report.kind == "track" else "set"
    return f"{Path(report.path).name} ({report.added} new, {report.updated} updated {noun}(s))"


def _interrupted(saved: list[str], current: Path | None) -> ImportInterrupted:
    during = f"; nothing of {current.name} was written" if current is not None else ""
    if not saved:
        return ImportInterrupted(f"interrupted: nothing was written{during}.")
    return ImportInterrupted(
        f"interrupted: {len(saved)} file(s) were saved before it: {', '.join(saved)}{during}."
    )


def import_command(
    files: Annotated[
        list[Path], typer.Argument(show_envvar=False, help="GPX/FIT/TCX tracks and Strong/Hevy/FitNotes CSV exports.")
    ],
    db: DbOption = None,
    runner: RunnerOption = "default",
    units: Annotated[
        Optional[str],
        typer.Option("--units", show_envvar=False, help="kg or lb, for a strength export that does not say."),
    ] = None,
    tz: TzOption = None,
) -> None:
    """Import training logs; each file reports n new, n updated, n unchanged (nothing is stored twice).

    Impossible records (bounds in formcheck/logs/bounds.toml) are not stored and are counted.

    --tz records the runner's zone for wall-clock lift times (Strong, Hevy).
    """
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn

    from formcheck.errors import UsageError
    from formcheck.logs.strength_csv import GIVEN_UNITS, unit_word
    from formcheck.store import store_when_needed
    from formcheck.store.ingest import read_file, store_parsed
    from formcheck.store.names import runner_name_problem

    if units is not None and unit_word(units) not in GIVEN_UNITS:
        raise UsageError(f"--units must be kg or lb, not {units!r}.")
    if problem := runner_name_problem(runner):  # before the store is opened (or created)
        raise UsageError(f"the runner's name {runner!r} {problem}: give a name like --runner anna.")
    zone = _zone(tz) if tz is not None else None
    out, err = _console(), _console(stderr=True)
    failures: list[tuple[Path, FormcheckError]] = []
    saved: list[str] = []
    current: Path | None = None
    zone_stored = zone is None

    def store_zone(store: "Store") -> None:
        """Record ``--tz`` with the first file stored: a command that stores nothing changes nothing."""
        nonlocal zone_stored
        if not zone_stored:
            store.set_runner_tz(runner, str(zone))
            saved.append(f"the time zone {zone} of {runner}")
            out.print(f"time zone of {escape(runner)}'s lift times: {zone}")
            zone_stored = True

    try:
        with store_when_needed(db) as opened:  # a new store is created with the first file read well
            # One bar over all files that also moves *within* a file: the reader reports the
            # fraction it has read (bytes, points or rows), reading is 90 % of a file, storing 10 %.
            progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                console=err, transient=True, disable=not err.is_terminal,
            )
            with progress:
                task = progress.add_task("importing", total=len(files))
                for number, path in enumerate(files):
                    current = path
                    label = f"{path.name} ({number + 1}/{len(files)})"
                    progress.update(task, description=f"reading {label}", completed=number)

                    def advance(fraction: float, number: int = number) -> None:
                        progress.update(task, completed=number + 0.9 * fraction)

                    try:
                        parsed = read_file(path, units=units, progress=None if progress.disable else advance)
                        progress.update(task, description=f"storing {label}", completed=number + 0.9)
                        store_zone(opened())
                        report = store_parsed(opened(), parsed, runner=runner)
                    except FormcheckError as error:
                        current = None
                        failures.append((path, error))
                        if len(files) > 1:
                            err.print(f"[bold red]failed[/]  {escape(error.message)}")
                        progress.update(task, completed=number + 1)
                        continue
                    current = None
                    saved.append(_saved(report))
                    verb = "added   " if report.added else ("updated " if report.updated else "skipped ")
                    out.print(verb + escape(_describe(report)))
                    for warning in report.warnings:
                        out.print(f"  warning: {escape(warning)}")
                    progress.update(task, completed=number + 1)
    except KeyboardInterrupt:
        raise _interrupted(saved, current) from None
    if failures:
        first = failures[0][1]
        if len(files) == 1:
            raise first
        raise type(first)(
            f"{len(failures)} of {len(files)} files could not be imported (listed above); "
            "the store is unchanged for those files and the others were imported.",
            settings=tuple(dict.fromkeys(name for _, error in failures for name in error.settings)),  # "(--units)"
        )


def _partial(run: "Run") -> str:
    """" (first 5 min)" after a count from a track that holds only the start of the activity, else ""."""
    from formcheck.context.track import partial_minutes

    minutes = partial_minutes(run.elapsed_s, run.duration_s)
    return "" if minutes is None else f" (first {minutes:.0f} min)"


def _walk_break_count(stored: "StoredRun") -> int:
    from formcheck.context import detect_walk_breaks, to_grid

    return len(detect_walk_breaks(to_grid(stored.run)).breaks)


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def runs_command(db: DbOption = None, runner: RunnerOption = "default", as_json: JsonOption = False) -> None:
    """List the runner's activities with distance, duration, climbing and walk breaks.

    Start times are on the runner's clock, the day `check --date` and `context --date` take: the zone
    stored by `import --tz`, else the one the GPS longitude gives, else UTC (each row says which).
    """
    from formcheck.check.training import runner_zone
    from formcheck.context.lumbar import GPS_CLOCK, run_local_start

    with _open(db, create=False) as store:
        stored = store.runs(runner)
        zone = runner_zone(store, runner, None)
    clocks = [run_local_start(s.run, zone) for s in stored]
    rows = [
        {
            "id": s.id,
            "start": s.run.start.isoformat(),
            "local_start": local.isoformat(timespec="minutes"),
            "clock": clock,
            "sport": s.run.sport.value,
            "distance_km": None if s.run.distance_m is None else round(s.run.distance_m / 1000.0, 2),
            "duration_s": round(s.run.duration_s, 1),
            "elapsed_s": None if s.run.elapsed_s is None else round(s.run.elapsed_s, 1),
            "gain_m": None if s.run.gain_m is None else round(s.run.gain_m, 1),
            "walk_breaks": _walk_break_count(s) if s.run.sport.value == "run" else None,  # runs only
        }
        for s, (local, clock) in zip(stored, clocks)
    ]
    out = _console()
    if as_json:
        out.print_json(json.dumps(rows)) if out.is_terminal else typer.echo(json.dumps(rows, indent=2))
        return
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    one_clock = len({clock for _, clock in clocks}) <= 1
    caption = f"start times: {clocks[0][1]}" if clocks and one_clock else None
    table = Table(title=f"runs of {escape(runner)}", caption=caption, box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False)  # no rules between columns: fits 80 columns
    columns = [("id", "right"), ("start", "left"), ("sport", "left"), ("km", "right"), ("duration", "right"),
               ("gain m", "right"), ("walk breaks", "right")]  # fmt: skip
    if not one_clock:
        columns.insert(2, ("clock", "left"))
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=name in ("start", "clock", "duration"))  # type: ignore[arg-type]
    for row, s in zip(rows, stored):
        cells = [
            str(row["id"]),
            str(row["local_start"]).replace("T", " "),
            row["sport"],
            "-" if row["distance_km"] is None else f"{row['distance_km']:.2f}",
            _duration(s.run.duration_s),
            "-" if row["gain_m"] is None else f"{row['gain_m']:.0f}" + _partial(s.run),
            "-" if row["walk_breaks"] is None else str(row["walk_breaks"]) + _partial(s.run),
        ]
        if not one_clock:
            # kept narrow: the JSON says the clock in full
            cells.insert(2, "GPS est." if row["clock"] == GPS_CLOCK else str(row["clock"]))
        table.add_row(*cells)
    out.print(table)


def _contexts(store: "Store", targets: list["StoredRun"], runner: str, zone: "dt.tzinfo | None") -> list[dict[str, Any]]:
    """The JSON document of each target run (history and lifts fetched once), as ``check`` builds its context.

    ``zone``: the runner's clock (``context --tz``, else the zone stored by ``import --tz``).
    """
    from formcheck.check.training import hr_max_besides
    from formcheck.context import HistoryRun, context_to_dict, run_context, taxonomy_classifier

    history_rows = store.runs(runner, with_points=False)
    history = [HistoryRun.of(s.run) for s in history_rows]
    classify = taxonomy_classifier()
    last_day = max(t.run.start for t in targets).date() + dt.timedelta(days=1)
    lifts = store.lift_sets(runner, until=last_day)
    docs = []
    for target in targets:
        docs.append(context_to_dict(run_context(target.run, history, lifts, classify, run_id=target.id,
                                                hr_max_bpm=hr_max_besides(history_rows, target.id), lift_tz=zone),
                                    zone))  # fmt: skip
    return docs


def _fmt(value: Any, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _print_context(out: "Console", doc: dict[str, Any]) -> None:
    from rich.markup import escape

    from formcheck.context.lumbar import NO_ZONE_BASIS
    from formcheck.context.track import partial_minutes

    run, lumbar, load, hills, exp = doc["run"], doc["last_lumbar_session"], doc["load"], doc["hills"], doc["experience"]
    paused = run["elapsed_s"] is not None and run["elapsed_s"] - run["duration_s"] >= 60  # walk breaks are on this clock
    out.print(f"[bold]run {run['id']}[/] {run['local_start'].replace('T', ' ')} ({escape(run['clock'])}) {run['sport']} {_fmt(run['distance_km'], ' km', 2)} "
              f"in {_duration(run['duration_s'])}"
              + (f" of timer time, {_duration(run['elapsed_s'])} from start to finish with pauses" if paused else ""))
    if lumbar is None:
        out.print("  lumbar lifting before: none in the store")
    else:
        if lumbar["hours_before"] is not None:
            when = f"{lumbar['hours_before']:.0f} h before ({lumbar['hours_basis']})"
        elif lumbar["hours_basis"] == NO_ZONE_BASIS:  # timed lifts, a run without GPS: the zone is what is missing
            when = (f"{lumbar['days_before']} day(s) before (the lift times are known, the run's zone is not: "
                    "give it with --tz for hours)")
        else:
            when = f"{lumbar['days_before']} day(s) before (no time of day in the log)"
        out.print(f"  last lumbar-loading session: {lumbar['date']}, {when}: "
                  f"{escape(', '.join(lumbar['exercises']))}; {lumbar['hard_sets']} hard sets, "
                  f"{lumbar['tonnage_kg']:.0f} kg tonnage")
        top = lumbar.get("top_set")
        if top:
            vs = f", {top['pct_of_best']:.0f}% of 90-day best e1RM" if top["pct_of_best"] is not None else ""
            out.print(f"    top set {escape(top['exercise'])} {top['weight_kg']:g} kg x {top['reps']} "
                      f"(e1RM {top['e1rm_kg']:.0f} kg{vs})")
        w = lumbar["last_72h"]
        out.print(f"    72 h before the run: {w['sessions']} session(s), {w['hard_sets']} hard sets, "
                  f"{w['tonnage_kg']:.0f} kg")
    out.print(f"  load ({load['load_unit']}): ATL {_fmt(load['atl'])}, CTL {_fmt(load['ctl'])}, "
              f"ratio {_fmt(load['acute_chronic_ratio'], digits=2)}; {load['weekly_distance_km']:.1f} km in the last 7 days")
    out.print(f"    vs longest run of the previous 30 days: {_fmt(load['spike_ratio'], 'x', 2)} "
              f"(spike: {load['spike_category'] or 'no earlier run'})")
    if load["alternative_cardio_7d"]:
        out.print(f"    rowing in the last 7 days: {load['alternative_cardio_7d']} session(s), "
                  f"{load['alternative_cardio_min_7d']:.0f} min (not counted as running)")
    out.print(f"  hills: gain {_fmt(hills['gain_m'], ' m', 0)} ({_fmt(hills['gain_m_per_km'], ' m/km')}), "
              f"{len(hills['steep_segments'])} steep climb(s) >4%, {hills['hard_hill_efforts']} hard, "
              f"{hills['speed_bursts']} speed burst(s)")
    breaks = doc["walk_breaks"]
    minutes = partial_minutes(run["elapsed_s"], run["duration_s"])
    part = "" if minutes is None else f" in the first {minutes:.0f} min the track holds"
    out.print(f"  walk breaks: {len(breaks)}{part}")
    for warning in doc["run"]["warnings"]:
        if "walk breaks" in warning:
            out.print(f"    warning: {escape(warning)}")
    for b in breaks[:10]:
        p = b["preceded_by"]
        onset = "  [bold]<- likely symptom onset[/]" if b["likely_symptom_onset"] else ""
        out.print(f"    at {_duration(b['start_s'])} for {b['duration_s']:.0f} s ({b['kind']}); before: "
                  f"pace {_fmt(p['pace_min_per_km'], ' min/km', 2)}, grade {_fmt(p['grade_pct'], '%')}, "
                  f"HR {_fmt(p['heart_rate_bpm'], '', 0)} (drift {_fmt(p['hr_drift_bpm'], ' bpm', 0)}){onset}")
    if len(breaks) > 10:
        out.print(f"    ... {len(breaks) - 10} more (see --json)")
    out.print(f"  experience: first run in the store {exp['first_run_in_store']}, "
              f"{exp['runs_per_week_8wk']:.1f} runs/week over 8 weeks"
              + (" (beginner)" if exp["beginner"] else ""))


def context_command(
    run_id: Annotated[
        Optional[int], typer.Option("--run", show_envvar=False, help="The run's id (see `formcheck runs`).")
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option("--date", show_envvar=False,
                     help="YYYY-MM-DD: every activity that started that day on the runner's clock (--tz, else the "
                          "stored zone, else the GPS longitude's, else UTC), as `check --date` finds the run."),
    ] = None,
    db: DbOption = None,
    runner: RunnerOption = "default",
    as_json: JsonOption = False,
    tz: TzOption = None,
) -> None:
    """Training context of a run: lifting before it, load, hills, walk breaks, experience.

    --tz gives the zone of wall-clock lift times for this query (else the one stored with
    import --tz, else estimated from the run's GPS longitude).

    With --json: one object for one run, a list when --date matches several.
    """
    from formcheck.check.training import runner_zone, runs_on_local_day
    from formcheck.dates import date_problem
    from formcheck.errors import NotFoundError, UsageError

    if (run_id is None) == (date is None):
        raise UsageError("give exactly one of --run ID or --date YYYY-MM-DD.")
    given = _zone(tz) if tz is not None else None  # a bad name fails before the store is opened
    day = None
    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date like 2015-05-31.") from None
        if problem := date_problem(day):
            raise UsageError(f"the date {day} {problem}: give the day of the run.", settings=("date",))
    with _open(db, create=False) as store:
        zone = runner_zone(store, runner, given)
        if day is None:
            targets = [store.run(run_id, runner)]  # type: ignore[arg-type]
        elif not (targets := runs_on_local_day(store, runner, day, zone)):
            clock = str(zone) if zone is not None else "days from each run's GPS longitude, else UTC"
            raise NotFoundError(f"runner {runner!r} has no activity on {day.isoformat()} ({clock}); "
                                "`formcheck runs` lists them, with their days.")  # fmt: skip
        docs = _contexts(store, targets, runner, zone)
    out = _console()
    if as_json:
        payload = docs[0] if len(docs) == 1 else docs
        typer.echo(json.dumps(payload, indent=2))
        return
    for doc in docs:
        _print_context(out, doc)


def register(app: typer.Typer) -> None:
    """Add ``import``, ``runs`` and ``context`` to the app."""
    app.command("import")(import_command)
    app.command("runs")(runs_command)
    app.command("context")(context_command)
