"""Taking a check in: receive the form, check every file and answer, and only then create the job.

Order matters for "nothing left on disk": everything is received into a
private staging folder under ``incoming/``; each file is checked by content,
the questionnaire and the options are validated, and only when all of that
passed is the folder moved to ``jobs/<id>/uploads`` and the job row written.
Any refusal removes the staging folder before the 4xx is sent.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request

from formcheck.answers.model import Answers
from formcheck.dates import date_problem
from formcheck.errors import AnswersError, FormcheckError
from formcheck.store.names import runner_name_problem
from formcheck.web.jobs import Job, JobQueue, new_job_id
from formcheck.web.settings import WebSettings
from formcheck.web.uploads import Received, UploadError, check_upload, receive

OPTION_FIELDS = ("runner", "date", "units", "tz")


def clean_runner(raw: str | None) -> str:
    """A runner name, by the store's rule (:mod:`formcheck.store.names`), blank meaning ``default``.

    The same rule as the CLI's: the web app shares the store, so a runner the CLI
    created ("Anna O'Brien (club)") must be one the web app can show and add to.
    The name never becomes a path; pages escape it and links quote it.
    """
    name = (raw or "").strip() or "default"
    if problem := runner_name_problem(name):
        raise UploadError(f"runner: the name {problem}.")
    return name


def _options(fields: dict[str, str]) -> dict[str, Any]:
    """The non-questionnaire fields, validated; AnswersError-style sentences naming the field."""
    from formcheck.web.uploads import FILE_FIELDS

    for key in FILE_FIELDS:
        if fields.pop(key, "").strip():
            raise UploadError(f"{key} must be sent as a file, not as text.")
    unknown = [key for key in fields if "." not in key and key not in OPTION_FIELDS]
    if unknown:
        raise UploadError(f"unknown form field {unknown[0]!r}: the fields are {', '.join(OPTION_FIELDS)} "
                          "and the questionnaire's section.field names.")  # fmt: skip
    options: dict[str, Any] = {"runner": clean_runner(fields.get("runner"))}
    day = fields.get("date", "").strip()
    if day:
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            raise UploadError(f"date must be written YYYY-MM-DD (e.g. 2026-12-01), got {day[:40]!r}") from None
        if problem := date_problem(parsed):
            raise UploadError(f"date {parsed} {problem}: give the day of the run that hurt.")
        options["date"] = parsed.isoformat()
    units = fields.get("units", "").strip().lower()
    if units:
        if units not in ("kg", "lb"):
            raise UploadError(f'units must be "kg" or "lb", got {units[:20]!r}')
        options["units"] = units
    tz = fields.get("tz", "").strip()
    if tz:
        from formcheck.check.validate import zone

        zone(tz)  # UsageError worded for everyone: "time zone 'x' is not a known IANA name"
        options["tz"] = tz
    return options


def _answers(received: Received) -> Answers | None:
    from formcheck.answers.load import answers_from_form, load_answers

    files = [upload for upload in received.files if upload.kind == "answers"]
    if len(files) > 1:
        raise UploadError("send one answers file (answers.toml), not several.")
    form = {key: value for key, value in received.fields.items() if "." in key}
    try:
        if files:
            if any(value.strip() for value in form.values()):
                raise UploadError("send the questionnaire either as an answers.toml file or as form fields, not both.")
            answers = load_answers(files[0].path)
        else:
            answers = answers_from_form(form, source="questionnaire")
    except AnswersError as error:
        message = error.message
        if files:
            message = message.replace(str(files[0].path), files[0].shown or "answers.toml")
        else:
            from formcheck.web.wording import with_question

            message = with_question(message)
        raise UploadError(message) from None
    return None if answers == Answers() else answers


def _check_all(received: Received, options: dict[str, Any], hide: str) -> Answers | None:
    for upload in received.files:
        check_upload(upload, options.get("units"), hide)
    answers = _answers(received)
    if not any(u.kind in ("video", "runs", "lifts") for u in received.files) and answers is None:
        raise UploadError("nothing to check: add a video, a run or lift export, or answer the questionnaire.")
    return answers


async def submit(request: Request, settings: WebSettings, queue: JobQueue) -> Job:
    """Receive, check and queue one check; UploadError (4xx) with nothing left on disk otherwise."""
    staging = settings.incoming_dir / secrets.token_hex(16)
    uploads = staging / "uploads"
    uploads.mkdir(parents=True)
    received = None
    try:
        received = await receive(request, uploads, settings.max_upload_bytes)
        options = _options(received.fields)
        answers = await run_in_threadpool(_check_all, received, options, str(settings.data_dir))
        options["answers"] = answers.model_dump(mode="json") if answers is not None else None
        inputs = [{"kind": u.kind, "name": u.path.name, "shown": u.shown or u.path.name, "size": u.size,
                   "format": u.format, "frames": u.frames} for u in received.files if u.kind != "answers"]  # fmt: skip
        job_id = new_job_id()
        folder: Path = settings.jobs_dir / job_id
        staging.rename(folder)
        try:
            return await run_in_threadpool(queue.create, job_id, options.pop("runner"), inputs, options)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    except (UploadError, FormcheckError) as error:
        error.typed = dict(received.fields) if received is not None else {}  # type: ignore[attr-defined]
        raise  # the form without JavaScript shows the fields again, filled in as they were sent
    finally:
        shutil.rmtree(staging, ignore_errors=True)
