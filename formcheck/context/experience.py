"""How experienced the runner is, as far as the store can tell.

"Just beginning" is a forum theory of its own: trunk and hip muscles that are
not yet used to an hour of running fatigue first.  We can only see what was
imported, so ``first_run`` is the first run *in the store* (said so in the
field name), and a runner counts as a beginner when that is less than
``beginner_weeks`` (8) before this run or they averaged fewer than
``beginner_runs_per_week`` (1) runs a week over the last 8 weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from formcheck.context.load import HistoryRun
from formcheck.logs.records import Run, Sport


@dataclass(frozen=True)
class ExperienceConfig:
    weeks: int = 8
    beginner_weeks: int = 8
    beginner_runs_per_week: float = 1.0


DEFAULT_EXPERIENCE = ExperienceConfig()


@dataclass(frozen=True)
class Experience:
    first_run_in_store: dt.date
    days_since_first_run: int
    runs_before: int
    runs_per_week_8wk: float
    beginner: bool


def experience(run: Run, history: Sequence[HistoryRun], cfg: ExperienceConfig = DEFAULT_EXPERIENCE) -> Experience:
    """Experience features for ``run`` (which counts as the first run when nothing came before)."""
    runs = [h for h in history if h.sport is Sport.RUN and h.start < run.start]
    first = min([h.start for h in runs] + [run.start])
    recent = [h for h in runs if run.start - h.start <= dt.timedelta(weeks=cfg.weeks)]
    per_week = len(recent) / cfg.weeks
    days = (run.start - first).days
    return Experience(
        first_run_in_store=first.date(),
        days_since_first_run=days,
        runs_before=len(runs),
        runs_per_week_8wk=per_week,
        beginner=days < cfg.beginner_weeks * 7 or per_week < cfg.beginner_runs_per_week,
    )
