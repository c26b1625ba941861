"""All training-context features of one run, computed together from plain records.

``run_context`` is a pure function: the run (with points), the runner's other
activities (summaries are enough) and lift sets in, one frozen
:class:`RunContext` out.  The CLI fetches the inputs from the store; tests
build them by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from formcheck.context.experience import DEFAULT_EXPERIENCE, Experience, ExperienceConfig, experience
from formcheck.context.hills import DEFAULT_HILLS, HillConfig, Hills, measure_hills
from formcheck.context.load import DEFAULT_LOAD, HistoryRun, LoadConfig, RunLoad, run_load
from formcheck.context.lumbar import DEFAULT_LUMBAR, Classifier, LumbarConfig, LumbarContext, lumbar_context
from formcheck.context.track import DEFAULT_GRID, GridConfig, to_grid
from formcheck.context.walk_breaks import DEFAULT_WALK_BREAKS, WalkBreakConfig, WalkBreakSummary, detect_walk_breaks
from formcheck.logs.records import LiftSet, Run


@dataclass(frozen=True)
class ContextConfig:
    """Every threshold in one typed object (each sub-config documents its numbers)."""

    grid: GridConfig = DEFAULT_GRID
    walk_breaks: WalkBreakConfig = DEFAULT_WALK_BREAKS
    hills: HillConfig = DEFAULT_HILLS
    load: LoadConfig = DEFAULT_LOAD
    lumbar: LumbarConfig = DEFAULT_LUMBAR
    experience: ExperienceConfig = DEFAULT_EXPERIENCE


DEFAULT_CONTEXT = ContextConfig()


@dataclass(frozen=True)
class RunContext:
    run_id: int | None
    run: Run = field(repr=False)
    lumbar: LumbarContext
    load: RunLoad
    hills: Hills
    walk_breaks: WalkBreakSummary
    experience: Experience
    hr_max_bpm: float | None


def run_context(
    run: Run,
    history: Sequence[HistoryRun],
    lifts: Sequence[LiftSet],
    classify: Classifier,
    *,
    run_id: int | None = None,
    hr_max_bpm: float | None = None,
    lift_tz: dt.tzinfo | None = None,
    cfg: ContextConfig = DEFAULT_CONTEXT,
) -> RunContext:
    """Features of ``run``; ``hr_max_bpm`` is the runner's highest recorded HR (TRIMP and hard efforts).

    ``lift_tz`` is the zone wall-clock lift times are in (``--tz``); None = estimate it from GPS.
    """
    grid = to_grid(run, cfg.grid)
    return RunContext(
        run_id=run_id,
        run=run,
        lumbar=lumbar_context(run, lifts, classify, cfg.lumbar, lift_tz=lift_tz),
        load=run_load(run, history, hr_max_bpm, cfg.load),
        hills=measure_hills(run, grid, hr_max_bpm, cfg.hills),
        walk_breaks=detect_walk_breaks(grid, cfg.walk_breaks),
        experience=experience(run, history, cfg.experience),
        hr_max_bpm=hr_max_bpm,
    )
