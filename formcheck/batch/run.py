"""``run_batch``: discover, plan, run on the local pool or Ray, store each result as it arrives.

Why the parent alone writes the store and ``batch.csv``: workers (possibly on
other machines) only analyse and write their clip's folder; one writer per
batch keeps database connections few and the CSV consistent, and the store's
upsert (``results.save_analysis``) keeps several *batches* writing at once
safe. ``batch.csv`` is rewritten at most every ``CSV_EVERY_S`` while the batch
runs and once at the end, so a long batch can be watched and a killed one
still says what finished.

Ctrl-C (or SIGTERM, which the CLI turns into ``KeyboardInterrupt``): the runner
stops its workers (their temporary folders removed), any temporary folder a
killed worker left behind is swept, ``batch.csv`` is written with the clips not
finished marked ``interrupted``, and ``BatchInterrupted`` (exit 130) says so.
Finished clips stay: they are in the store and on disk, and the next run
skips them.

``batch.csv`` is formcheck's: a file of that name in ``--out`` that formcheck did
not write (the user's own table, or the very manifest being run) is never
replaced; the batch refuses before it starts. An ``--out`` the batch created
and left empty (a cluster it could not reach) is removed again.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.batch.discover import BatchItem, discover
from formcheck.batch.plan import PlannedVideo, plan_batch
from formcheck.batch.progress import BatchProgress
from formcheck.batch.results import CSV_COLUMNS, CsvRow, earlier_rows, save_analysis, write_csv
from formcheck.batch.work import FAULT_ENV, VideoOutcome, VideoTask
from formcheck.errors import FormcheckError, InputFileError, UsageError
from formcheck.heights import height_problem
from formcheck.output_dir import remove_abandoned
from formcheck.store.api import Store
from formcheck.store.checks import VideoAnalysisRecord

if TYPE_CHECKING:
    from formcheck.batch.local import LocalPool

log = logging.getLogger(__name__)

CSV_NAME = "batch.csv"
CSV_EVERY_S = 2.0


class BatchInterrupted(FormcheckError):
    """Ctrl-C (or SIGTERM) once the batch had started: the message says what was kept and what to do."""

    exit_code = 130


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run needs, validated once at the CLI edge."""

    source: Path
    out: Path
    db: str | None = None
    runner_from: str | None = None
    ray: str | None = None  # None: local pool; "local": private Ray instance; else a cluster address
    workers: int | None = None
    height_cm: float | None = None
    use_cache: bool = True
    show_progress: bool = True
    split_above_s: float | None = None  # Ray only: split clips longer than this (None: the default, 120 s)


@dataclass(frozen=True)
class BatchReport:
    """The batch's rows (one a clip, in discovery order) and its totals."""

    rows: tuple[CsvRow, ...]
    seconds: float
    frames: int
    csv_path: Path

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)


def _validate(options: BatchOptions) -> int:
    from formcheck.pose.parallel import default_workers

    if options.workers is not None and options.workers < 1:
        raise UsageError("--workers must be at least 1.")
    if options.height_cm is not None and (problem := height_problem(options.height_cm)):
        raise UsageError(f"--height-cm {options.height_cm:g} {problem}.")
    if options.runner_from not in (None, "folder", "column"):
        raise UsageError(f"--runner-from must be folder or column, not {options.runner_from!r}.")
    if options.out.exists() and not options.out.is_dir():
        raise UsageError(f"the output folder {options.out} is a file: give a folder for the batch's results.")
    _check_not_inside_source(options.out, options.source)
    _check_csv_target(options.out / CSV_NAME, options.source)
    return options.workers or default_workers()


def _check_not_inside_source(out: Path, source: Path) -> None:
    """Refuse an ``--out`` that is the folder of clips itself, or inside it.

    Why: the results (one folder a runner, ``batch.csv``) would mix with the clips,
    under the same runner folder names (``clips/anna/`` would hold Anna's clips and her
    results), and every later batch of that folder would walk its own results too.
    """
    if not source.is_dir():
        return
    where, root = Path(os.path.realpath(out)), Path(os.path.realpath(source))
    if where == root or root in where.parents:
        raise UsageError(f"the output folder {out} is inside the folder of clips {source}: the results would mix "
                         "with the clips; give an --out outside it.")  # fmt: skip


def _check_csv_target(csv_path: Path, source: Path) -> None:
    """Refuse to start when ``csv_path`` exists and is not a ``batch.csv`` formcheck wrote (it would be replaced)."""
    if not csv_path.exists() and not csv_path.is_symlink():
        return
    if source.is_file() and csv_path.exists() and os.path.samefile(csv_path, source):
        raise UsageError(f"the manifest {source} is where the batch writes its results: rename it, or give "
                         "another --out.")  # fmt: skip
    if csv_path.is_symlink() or not csv_path.is_file() or not _written_by_batch(csv_path):
        raise UsageError(f"{csv_path} exists and was not written by formcheck batch: move it, or give another --out.")


def _written_by_batch(path: Path) -> bool:
    """Whether ``path`` starts with the header ``write_csv`` writes (its first line, read as UTF-8)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            first = handle.readline(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return first.rstrip("\r\n") == ",".join(CSV_COLUMNS)


def _remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` (which this batch created) if nothing was written into it."""
    try:
        folder.rmdir()
    except OSError:
        pass


def _sweep_temporary(video: PlannedVideo) -> None:
    """Remove what a killed worker may have left: ``output_dir``'s hidden temporary folders of this clip."""
    remove_abandoned(video.out_dir, since=0.0)  # the clip was this batch's: any of its temporary folders


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _row(video: PlannedVideo, status: str, outcome: VideoOutcome | None = None, error: str | None = None) -> CsvRow:
    summary = (outcome.summary if outcome else None) or video.done_summary or {}
    folder = str(video.out_dir) if status in ("analysed", "skipped") else ""  # a failed clip has no folder
    return CsvRow(status, video.item.runner, video.item.relative, folder, summary,
                  error or (outcome.error if outcome else None), outcome.seconds if outcome else None,
                  str(video.item.path.absolute()))  # fmt: skip


def run_batch(options: BatchOptions, on_row: Callable[[CsvRow], None] | None = None) -> BatchReport:
    """Run a whole batch and return its report (raises ``KeyboardInterrupt`` after a clean stop)."""
    workers = _validate(options)
    items = discover(options.source, options.runner_from)
    if not items:
        raise InputFileError(f"no videos found in {options.source}.")
    started = time.perf_counter()
    pool = None
    if options.ray is None:
        from formcheck.batch.local import LocalPool

        pool = LocalPool(workers)
        pool.start(len(items))  # the workers import beside the planning below
    try:
        return _run_planned(options, items, workers, pool, started, on_row)
    finally:
        if pool is not None:
            pool.close()


def _run_planned(options: BatchOptions, items: list[BatchItem], workers: int, pool: LocalPool | None, started: float,
                 on_row: Callable[[CsvRow], None] | None) -> BatchReport:  # fmt: skip
    """Plan the discovered clips against the store, run what is left (on ``pool`` when local) and report."""
    out = Path(os.path.abspath(options.out))
    csv_path = out / CSV_NAME
    with Store.open(options.db) as store:
        planned = plan_batch(items, out, store, options.height_cm)
        rows: dict[int, CsvRow] = {v.index: _row(v, "skipped") for v in planned if v.skip}
        todo = {v.index: v for v in planned if not v.skip}
        fault = os.environ.get(FAULT_ENV, "")
        # Biggest files first (longest-processing-time-first): the long clips start at once instead of
        # leaving one core busy at the end while the others idle; bytes are a free proxy for frames.
        ordered = sorted(todo.values(), key=lambda v: -_size(v.item.path))
        shares = _shares_cores(options, workers, len(ordered))
        tasks = [VideoTask(v.index, str(v.item.path.absolute()), str(v.out_dir), v.item.path.name, v.height_cm,
                           options.use_cache, fault, shares_cores=shares) for v in ordered]  # fmt: skip
        last_csv = [0.0]
        earlier = earlier_rows(csv_path, {(v.item.runner, v.item.relative) for v in planned})

        def flush(force: bool = False) -> None:
            if force or time.monotonic() - last_csv[0] >= CSV_EVERY_S:
                write_csv(csv_path, [rows[i] for i in sorted(rows)], earlier)
                last_csv[0] = time.monotonic()

        with BatchProgress(len(tasks), len(rows), enabled=options.show_progress) as progress:

            def arrived(outcome: VideoOutcome) -> None:
                # The clip leaves ``todo`` only once its row exists: interrupted while storing, it is
                # reported as interrupted (and redone next time), never lost from batch.csv.
                video = todo[outcome.index]
                status, error = outcome.status, None
                if status == "analysed":
                    record = VideoAnalysisRecord(video_sha256=outcome.sha256 or video.sha256 or "",
                                                 settings_key=video.settings_key, video_name=video.item.path.name,
                                                 summary=outcome.summary, recorded_on=video.item.recorded_on)  # fmt: skip
                    try:
                        save_analysis(store, video.item.runner, record)
                    except FormcheckError as failure:
                        status, error = "failed", failure.message
                rows[video.index] = _row(video, status, outcome, error)
                del todo[video.index]
                progress.finished(status, outcome.frames)
                if on_row is not None:
                    on_row(rows[video.index])
                flush()

            created = not out.exists()
            try:
                if tasks:
                    out.mkdir(parents=True, exist_ok=True)
                    _run(tasks, arrived, options, workers, pool)
            except KeyboardInterrupt:
                for video in todo.values():
                    _sweep_temporary(video)
                    rows[video.index] = _row(video, "interrupted")
                flush(force=True)
                finished = len(tasks) - len(todo)
                raise BatchInterrupted(f"interrupted: {finished} of {len(tasks)} videos finished and were kept; "
                                       f"{len(todo)} {'is' if len(todo) == 1 else 'are'} marked interrupted in {csv_path}. Run the same command "
                                       "again to do the rest.") from None  # fmt: skip
            except FormcheckError:
                if created:
                    _remove_if_empty(out)
                raise
            flush(force=True)
    ordered = tuple(rows[i] for i in sorted(rows))
    return BatchReport(ordered, time.perf_counter() - started, progress.frames, csv_path)


def _shares_cores(options: BatchOptions, workers: int, clips: int) -> bool:
    """Whether a worker has neighbours on its cores: more than one running here, or any Ray cluster.

    A cluster fills each node with one task a CPU; a local run starts at most one worker a clip.
    """
    from formcheck.batch.ray_runner import LOCAL

    return options.ray not in (None, LOCAL) or min(workers, clips) > 1


def _run(tasks: list[VideoTask], arrived: Callable[[VideoOutcome], None], options: BatchOptions, workers: int,
         pool: LocalPool | None) -> None:  # fmt: skip
    if pool is not None:
        pool.run(tasks, arrived)
    else:
        from formcheck.batch.ray_runner import SPLIT_ABOVE_S, run_ray

        split = SPLIT_ABOVE_S if options.split_above_s is None else options.split_above_s
        run_ray(tasks, arrived, address=options.ray, num_cpus=workers, split_above_s=split)
