"""Everything about a :class:`CheckRequest` that can be checked in milliseconds, checked first.

A check may spend minutes on pose inference; a typo in a path, an impossible
height or an output folder that may not be replaced must fail before that,
with one sentence and nothing written (neither files nor store rows).  The
messages speak of inputs, not command-line flags: the CLI and the web app word
their own options (see ``NothingToCheckError``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from formcheck.asking import FRONT_ENDS
from formcheck.check.request import CheckRequest
from formcheck.dates import date_problem
from formcheck.errors import InputFileError, UsageError
from formcheck.heights import height_problem
from formcheck.output_dir import check_output_dir, safe_name, unique_name
from formcheck.paths import regular_file
from formcheck.store.names import runner_name_problem


class NothingToCheckError(UsageError):
    """A check with no video, no log and no answers: there is nothing to reason from."""

    def __init__(self) -> None:
        super().__init__("nothing to check: give a video, a run, a lift export, the questionnaire answers, or the "
                         "date of a run already imported.")


def zone(name: str) -> dt.tzinfo:
    """The IANA zone ``name``, or a one-line UsageError about the ``tz`` setting.

    The one parser of zone names for every front end (check, import, context,
    the web form): each adds its own name for the setting (``--tz``, the
    "time zone" field) from ``settings``.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise UsageError(f"time zone {name!r} is not a known IANA name; use one like Europe/Berlin or "
                         "America/New_York.", settings=("tz",)) from None


def effective_height_cm(request: CheckRequest) -> float | None:
    """The height the clips are scaled with: the request's, else the one in the answers."""
    if request.height_cm is not None:
        return request.height_cm
    return request.answers.runner.height_cm if request.answers is not None else None


def validate_request(request: CheckRequest) -> None:
    """Raise one FormcheckError for the first thing that cannot work; return quietly otherwise."""
    if not (request.videos or request.runs or request.lifts or request.answers is not None or request.date):
        raise NothingToCheckError()
    for path in request.videos:
        regular_file(path, "video")
    for path in request.runs:
        regular_file(path, "run file")
    for path in request.lifts:
        regular_file(path, "lift export")
    if request.units is not None and request.units.strip().lower() not in {"kg", "kgs", "lb", "lbs"}:
        raise UsageError(f"the weight unit must be kg or lb, not {request.units!r}.", settings=("units",))
    if request.tz is not None:
        zone(request.tz)
    height = effective_height_cm(request)
    if height is not None and (problem := height_problem(height)):
        raise UsageError(f"a height of {height:g} cm {problem}.", settings=("height_cm",))
    if request.workers is not None and request.workers < 1:
        raise UsageError("the number of pose workers must be at least 1.", settings=("workers",))
    if request.front_end not in FRONT_ENDS:
        raise UsageError(f"the report's front end must be one of {', '.join(FRONT_ENDS)}, not {request.front_end!r}.")
    if problem := runner_name_problem(request.runner):
        raise UsageError(f"the runner's name {problem}.", settings=("runner",))
    if request.date is not None and (problem := date_problem(request.date)):
        raise UsageError(f"the date {request.date} {problem}: give the day of the run that hurt.", settings=("date",))
    check_output_dir(request.out_dir, inputs=(*request.videos, *request.runs, *request.lifts,
                                              *((request.answers_path,) if request.answers_path else ())))  # fmt: skip


def video_folder_names(videos: tuple[Path, ...]) -> tuple[str, ...]:
    """``videos/<stem>/`` folder names, made unique when two clips share a stem (``run``, ``run-2``).

    Compared in any letter case: ``Run.mp4`` and ``run.mov`` would share one folder on a
    case-insensitive disk (macOS, Windows), and the second clip's results replace the first's.
    Names are made safe as ``batch`` makes them (``..mp4`` would otherwise be the folder ``videos/.``).
    """
    taken: set[str] = set()
    return tuple(unique_name(safe_name(path.stem or "video"), taken) for path in videos)
