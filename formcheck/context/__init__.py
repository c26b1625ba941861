"""Training context of a run: the lifting, load, hills, walk breaks and experience around it.

Pure functions over the typed records of ``formcheck.logs.records`` (no file
or database access): ``run_context(run, history, lifts, classify)`` computes
everything for one run; each family lives in its own module (``lumbar``,
``load``, ``hills``, ``walk_breaks``, ``experience``) over a shared 1 Hz grid
(``track``).  ``context_to_dict`` gives the JSON the CLI prints.  The training
maths only this stage uses lives here too: ``strength_load`` (e1RM, hard sets,
tonnage), ``taxonomy`` (exercise name -> movement family and lumbar load) and
the GPS gap-jump rule on stored runs (``track.run_gap_jumps``).
"""

from __future__ import annotations

from formcheck.context.experience import Experience, experience
from formcheck.context.features import DEFAULT_CONTEXT, ContextConfig, RunContext, run_context
from formcheck.context.hills import Hills, SteepSegment, measure_hills
from formcheck.context.load import HistoryRun, RunLoad, ewma, run_load, spike_category, spike_ratio, trimp
from formcheck.context.lumbar import LumbarContext, LumbarSession, LumbarWindow, TopSet, lumbar_context, taxonomy_classifier
from formcheck.context.serialize import TOP_LEVEL_KEYS, context_to_dict
from formcheck.context.track import TrackGrid, to_grid
from formcheck.context.walk_breaks import PrecededBy, WalkBreak, WalkBreakSummary, detect_walk_breaks

__all__ = [
    "DEFAULT_CONTEXT",
    "TOP_LEVEL_KEYS",
    "ContextConfig",
    "Experience",
    "Hills",
    "HistoryRun",
    "LumbarContext",
    "LumbarSession",
    "LumbarWindow",
    "PrecededBy",
    "RunContext",
    "RunLoad",
    "SteepSegment",
    "TopSet",
    "TrackGrid",
    "WalkBreak",
    "WalkBreakSummary",
    "context_to_dict",
    "detect_walk_breaks",
    "ewma",
    "experience",
    "lumbar_context",
    "measure_hills",
    "run_context",
    "run_load",
    "spike_category",
    "spike_ratio",
    "taxonomy_classifier",
    "to_grid",
    "trimp",
]
