"""From a stored job to a :class:`CheckRequest`, and the bookkeeping around re-runs and deletion.

A job keeps only what the web form gave (server file names, answers as JSON,
the options); this module turns that back into the one request every front
end builds, so a job re-run after a restart asks exactly the same question as
the first time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from formcheck.answers.model import Answers
from formcheck.check.request import CheckRequest
from formcheck.store import Store
from formcheck.store.models import CheckRow
from formcheck.web.jobs import Job
from formcheck.web.settings import WebSettings


def build_request(job: Job, folder: Path, settings: WebSettings) -> CheckRequest:
    """The check this job asks for; its files live in ``folder/uploads``, its results go to ``folder/out``."""
    uploads = folder / "uploads"

    def paths(kind: str) -> tuple[Path, ...]:
        return tuple(uploads / item["name"] for item in job.inputs if item["kind"] == kind)

    options: dict[str, Any] = job.options
    answers = Answers.model_validate(options["answers"]) if options.get("answers") is not None else None
    day = dt.date.fromisoformat(options["date"]) if options.get("date") else None
    return CheckRequest(out_dir=folder / "out", videos=paths("video"), runs=paths("runs"), lifts=paths("lifts"),
                        answers=answers, date=day, db=settings.db, runner=job.runner, units=options.get("units"),
                        tz=options.get("tz"), use_cache=settings.use_cache, front_end="web",
                        shown_names={item["name"]: item["shown"] for item in job.inputs})  # fmt: skip


def names_of(job: Job, folder: Path) -> dict[str, str]:
    """Server path (and bare server name) -> the name the runner gave, for wording messages."""
    names: dict[str, str] = {str(folder / "out"): "the results folder"}
    for item in job.inputs:
        names[str(folder / "uploads" / item["name"])] = item["shown"]
        names[item["name"]] = item["shown"]
    return names


def forget_check(store: Store, out_dir: Path) -> int:
    """Delete the stored check whose results went to ``out_dir`` (a re-run or a deleted job); rows removed."""
    from formcheck.output_dir import target_dir

    with store.engine.begin() as connection:
        result = connection.execute(delete(CheckRow).where(CheckRow.out_dir == str(target_dir(out_dir))))
        return int(result.rowcount or 0)
