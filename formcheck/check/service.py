"""``run_check``: one check end to end -- clips + logs + answers -> findings -> report, stored.

The order is chosen so that whatever can fail fails as early and as cheaply
as possible, and a failed check leaves nothing behind:

1. validate the request (paths, options, output folder): milliseconds;
2. read every log file (a bad one fails here, before minutes of pose work);
3. open the store (an unreachable database fails here too; a new SQLite store is only
   checked for being creatable, and created when there is something to store);
4. inside one atomic output folder: analyse the clips, store the logs, build
   the context of the run that hurt, assess, write the report, store the
   check -- and only then does the folder appear at ``out_dir``.

The front ends (CLI, web app, batch runner) only build a
:class:`~formcheck.check.request.CheckRequest` and show ``progress``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from formcheck import __version__
from formcheck.answers.model import Answers
from formcheck.check.request import CheckOutcome, CheckRequest, Progress
from formcheck.check.training import TrainingInputs, read_logs, store_logs, training_inputs
from formcheck.check.validate import effective_height_cm, validate_request, video_folder_names, zone
from formcheck.check.videos import ClipOutcome, analyse_clips
from formcheck.findings.model import CheckInputs, FindingsResult
from formcheck.findings.training import run_with_symptom_break
from formcheck.logs.records import ParsedLog
from formcheck.logs.strength_csv import normalise_units
from formcheck.output_dir import atomic_output_dir, read_manifest, target_dir
from formcheck.report.model import ReportMeta
from formcheck.store import store_when_needed
from formcheck.store.checks import save_check

log = logging.getLogger(__name__)

STAGES = ("analyse", "import", "context", "findings", "report")


def _quiet(stage: str, fraction: float, detail: str | None) -> None:
    """The progress callback when the caller wants none."""


class _Clock:
    """Seconds per stage, for the report's "how this was measured" and for tuning."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, detail: str | None = None, start: float = 0.0, end: float = 1.0) -> Iterator[None]:
        """Time a stage (or a part of one, from ``start`` to ``end`` of its bar) and report its ends."""
        started = time.perf_counter()
        self.progress(name, start, detail)
        yield
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - started, 3)
        self.progress(name, end, detail)


def _only_input_failed(request: CheckRequest, clips: list[ClipOutcome]) -> None:
    """Clips that cannot be assessed are warnings -- unless nothing else was given to check."""
    if request.runs or request.lifts or request.answers is not None:
        return
    if clips and not any(clip.running for clip in clips):
        failed = next((clip for clip in clips if clip.error is not None), None)
        if failed is not None and failed.error is not None:
            raise failed.error


def _with_notes(result: FindingsResult, clips: list[ClipOutcome], training: TrainingInputs) -> FindingsResult:
    """Add what only the check knows to the result's missing inputs: clips not assessed, a run not found."""
    notes = [clip.warning for clip in clips if clip.warning] + list(training.notes)
    missing = tuple(dict.fromkeys((*notes, *result.inputs_missing)))
    return dataclasses.replace(result, inputs_missing=missing)


def _weight_unit(given: str | None, parsed: list[ParsedLog]) -> str:
    """How weights are shown: the unit the runner gave (``--units``), else pounds when every lift export
    given was written in pounds (a Strong "Weight (lbs)" file), else kilograms."""
    unit = normalise_units(given)
    if unit is not None:
        return "lb" if unit == "lb" else "kg"
    written = {log.strength.weight_unit for log in parsed if log.strength is not None}
    return "lb" if written == {"lb"} else "kg"


def _inputs_used(request: CheckRequest) -> dict[str, list[str]]:
    used = {
        "videos": [request.shown(p) for p in request.videos],
        "runs": [request.shown(p) for p in request.runs],
        "lifts": [request.shown(p) for p in request.lifts],
        "answers": [request.answers_path.name if request.answers_path else "answers"] if request.answers else [],
    }
    return {kind: names for kind, names in used.items() if names}


def _require_stored_logs(request: CheckRequest) -> None:
    """A check of a run already imported (only a date given): the store is its one input, so it must exist
    and hold the runner's logs -- checked without creating anything."""
    from formcheck.errors import NotFoundError
    from formcheck.store import Store
    from formcheck.store.engine import require_store, resolve_db_url

    url = resolve_db_url(request.db)
    require_store(url)
    with Store.open(url) as store:
        known = request.runner in store.runners()
    if not known:
        raise NotFoundError(f"nothing is stored for the runner {request.runner!r}: import their runs first "
                            "(formcheck import), or give the run's file.")  # fmt: skip


def run_check(request: CheckRequest, progress: Progress | None = None) -> CheckOutcome:
    """Run one check (see the module docstring for the order and its reasons)."""
    from formcheck.findings.engine import assess
    from formcheck.report import write_report

    clock = _Clock(progress or _quiet)
    validate_request(request)
    if not (request.videos or request.runs or request.lifts or request.answers is not None):
        _require_stored_logs(request)
    answers = request.answers if request.answers is not None else Answers()
    tz = zone(request.tz) if request.tz is not None else None
    day = request.date or answers.symptom.date
    inputs_read = (*request.videos, *request.runs, *request.lifts)

    with clock.stage("import", "reading logs", end=0.5):
        parsed = read_logs((*request.runs, *request.lifts), request.units,
                           lambda f, d: clock.progress("import", 0.5 * f, d))  # fmt: skip
    with store_when_needed(request.db) as store, atomic_output_dir(request.out_dir, inputs=inputs_read) as tmp:
        with clock.stage("analyse"):
            clips = analyse_clips(request.videos, video_folder_names(request.videos), tmp,
                                  height_cm=effective_height_cm(request), workers=request.workers,
                                  use_cache=request.use_cache, progress=lambda f, d: clock.progress("analyse", f, d),
                                  shown=request.shown)  # fmt: skip
        _only_input_failed(request, clips)
        with clock.stage("import", "storing logs", start=0.5):
            reports = store_logs(store(), parsed, request.runner, str(tz) if tz else None)
        with clock.stage("context"):
            training = training_inputs(store(), request.runner, day, tz)
        artifacts = tuple(clip.artifacts for clip in clips if clip.artifacts is not None)
        run = run_with_symptom_break(training.run, answers)
        inputs = CheckInputs(answers=answers, videos=tuple(a.measures for a in artifacts), run=run,
                             history=training.history, lifts=training.lifts, lumbar_class=training.lumbar_class,
                             journal=training.journal, symptom_date=training.symptom_date, lift_tz=training.lift_tz,
                             weight_unit=_weight_unit(request.units, parsed),
                             unusable_videos=tuple(request.shown(c.path) for c in clips if c.artifacts is None))  # fmt: skip
        with clock.stage("findings"):
            result = _with_notes(assess(inputs), clips, training)
        meta = ReportMeta(created_at=dt.datetime.now(dt.timezone.utc), formcheck_version=__version__,
                          runner=request.runner, symptom_date=training.symptom_date, run_label=training.run_label,
                          inputs=_inputs_used(request), timings_s=dict(clock.timings),
                          front_end=request.front_end)  # fmt: skip
        with clock.stage("report"):
            doc = write_report(tmp, result, inputs, artifacts, meta)
            findings = doc.get("findings") or []
            check_id, _ = save_check(
                store(), request.runner, analyses=[c.record for c in clips if c.record is not None], findings=doc,
                symptom_date=training.symptom_date, run_id=training.run_id, out_dir=str(target_dir(request.out_dir)),
                top_cause=findings[0].get("cause") if findings else None, red_flags=len(result.red_flags),
            )  # fmt: skip
    log_warnings = (f"{Path(r.path).name}: {w}" for r in reports for w in r.warnings)
    warnings = tuple(w for w in (*(c.warning for c in clips), *log_warnings) if w)
    target = target_dir(request.out_dir)
    files = tuple(Path(name) for name in read_manifest(target) or () if not (target / name).is_dir())
    log.info("check %s written to %s in %s", check_id, request.out_dir, clock.timings)
    return CheckOutcome(out_dir=request.out_dir, result=result, findings=doc, files=files, check_id=check_id,
                        warnings=warnings)  # fmt: skip
