"""The JSON API (``/api/...``) and the report route: what the pages' scripts and other programs call.

Every refusal is a 4xx with ``{"detail": one sentence}``; a job id that does not
exist is a 404 whatever the route.  Database and file work runs in the thread
pool, so a slow disk never stalls the event loop that serves progress events.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, field_validator

from formcheck import __version__
from formcheck.store.names import MAX_RUNNER_CHARS, runner_name_problem
from formcheck.web.jobs import Job, JobQueue
from formcheck.web.runner import forget_check
from formcheck.web.settings import WebSettings

router = APIRouter()
RunnerQuery = Query("default", min_length=1, max_length=MAX_RUNNER_CHARS)
JOB_ID = r"^[0-9a-f]{32}$"


class CheckStatus(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str | None = None
    progress: float = Field(ge=0, le=1)
    detail: str | None = None
    error: str | None = None
    eta_s: float | None = None
    attempts: int = 0
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    report_url: str | None = None


class Submitted(BaseModel):
    id: str
    status_url: str
    page_url: str


class JournalIn(BaseModel):
    runner: str = Field("default", min_length=1, max_length=MAX_RUNNER_CHARS)
    date: dt.date
    severity: int = Field(ge=0, le=10, description="0 = no pump, 10 = worst imaginable")
    walked: bool = False
    minute: float | None = Field(None, ge=0, le=600)
    note: str = Field("", max_length=2000)

    @field_validator("runner")
    @classmethod
    def _usable_name(cls, name: str) -> str:
        """The store's rule for a runner's name (the CLI's too), not one of the web app's own."""
        if problem := runner_name_problem(name):
            raise ValueError(f"the name {problem}")
        return name


def status_of(job: Job) -> dict[str, Any]:
    """The status document, with an ETA from the elapsed time once there is enough progress to tell."""
    doc = job.status_doc()
    eta = None
    if job.status == "running" and job.started_at is not None and job.progress >= 0.03:
        elapsed = (dt.datetime.now(dt.timezone.utc) - job.started_at).total_seconds()
        eta = round(max(0.0, elapsed * (1 - job.progress) / job.progress), 1)
    doc["eta_s"] = eta
    doc["report_url"] = f"/checks/{job.id}/report" if job.status == "done" else None
    return doc


def _settings(request: Request) -> WebSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _queue(request: Request) -> JobQueue:
    return request.app.state.queue  # type: ignore[no-any-return]


async def _job(request: Request, job_id: str) -> Job:
    job = await run_in_threadpool(_queue(request).get, job_id)
    if job is None:
        raise HTTPException(404, f"no check with id {job_id}: it was deleted, or the address is wrong.")
    return job


_MULTIPART_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object",
    "properties": {
        "video": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "running clips"},
        "runs": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "GPX/FIT/TCX"},
        "lifts": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "Strong/Hevy/FitNotes CSV"},
        "answers": {"type": "string", "format": "binary", "description": "answers.toml"},
        "runner": {"type": "string"}, "date": {"type": "string", "format": "date"},
        "units": {"type": "string", "enum": ["kg", "lb"]}, "tz": {"type": "string"},
    },
    "additionalProperties": {"type": "string", "description": "questionnaire answers as section.field"},
}}}}}  # fmt: skip


@router.post("/api/checks", status_code=202, response_model=Submitted, openapi_extra=_MULTIPART_BODY,
             responses={400: {"description": "a file or answer that cannot be checked"},
                        413: {"description": "larger than the server's upload limit"}})  # fmt: skip
async def create_check(request: Request) -> dict[str, str]:
    """Queue a check: clips, logs and the questionnaire (an answers.toml file or section.field fields)."""
    from formcheck.web.submit import submit

    job = await submit(request, _settings(request), _queue(request))
    return {"id": job.id, "status_url": f"/api/checks/{job.id}", "page_url": f"/checks/{job.id}"}


@router.get("/api/checks", response_model=list[CheckStatus])
async def list_checks(request: Request, runner: str = RunnerQuery) -> list[dict[str, Any]]:
    jobs = await run_in_threadpool(_queue(request).list, runner)
    return [status_of(job) for job in jobs]


@router.get("/api/checks/{job_id}", response_model=CheckStatus, responses={404: {"description": "no such check"}})
async def check_status(request: Request, job_id: str) -> dict[str, Any]:
    return status_of(await _job(request, job_id))


@router.get("/api/checks/{job_id}/findings", responses={404: {"description": "no such check"},
                                                         409: {"description": "not finished"}})  # fmt: skip
async def check_findings(request: Request, job_id: str) -> JSONResponse:
    """The check's ``findings.json`` (schema formcheck.findings/1)."""
    job = await _job(request, job_id)
    path = _settings(request).jobs_dir / job.id / "out" / "findings.json"
    if job.status != "done" or not path.is_file():
        raise HTTPException(409, f"the check is {job.status}: findings exist once it is done.")
    return JSONResponse(json.loads(await run_in_threadpool(path.read_text, "utf-8")))


@router.get("/checks/{job_id}/report", response_class=FileResponse, tags=["pages"],
            responses={404: {"description": "no such check"}, 409: {"description": "not finished"}})  # fmt: skip
async def check_report(request: Request, job_id: str) -> FileResponse:
    """The HTML report the check wrote (the same file as the CLI's report.html)."""
    job = await _job(request, job_id)
    path = _settings(request).jobs_dir / job.id / "out" / "report.html"
    if job.status != "done" or not path.is_file():
        raise HTTPException(409, f"the check is {job.status}: the report exists once it is done.")
    return FileResponse(path, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": "default-src 'none'; img-src data:; "
                                 "style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:"})  # fmt: skip


@router.delete("/api/checks/{job_id}", responses={404: {"description": "no such check"}})
async def delete_check(request: Request, job_id: str) -> dict[str, str]:
    """Remove the job, its uploads, its outputs and the check it stored."""
    queue, folder = _queue(request), _settings(request).jobs_dir / job_id
    job = await run_in_threadpool(queue.delete, job_id)
    if job is None:
        raise HTTPException(404, f"no check with id {job_id}: it was deleted, or the address is wrong.")
    await run_in_threadpool(forget_check, queue.store, folder / "out")
    await run_in_threadpool(shutil.rmtree, folder, True)
    return {"deleted": job_id}


@router.get("/api/checks/{job_id}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}, 404: {"description": "no such check"}})  # fmt: skip
async def check_events(request: Request, job_id: str) -> StreamingResponse:
    """Server-Sent Events: a ``progress`` event at each change, until the check is done or failed."""
    await _job(request, job_id)
    queue = _queue(request)

    async def stream() -> AsyncIterator[str]:
        last: dict[str, Any] | None = None
        quiet_since = time.monotonic()
        stopping = getattr(request.app.state, "stopping", None)
        while not await request.is_disconnected() and not (stopping is not None and stopping.is_set()):
            job = await run_in_threadpool(queue.get, job_id)
            if job is None:
                yield "event: gone\ndata: {}\n\n"
                return
            doc = status_of(job)
            if doc != last:
                yield f"event: progress\ndata: {json.dumps(doc)}\n\n"
                last, quiet_since = doc, time.monotonic()
            elif time.monotonic() - quiet_since > 15:
                yield ": still working\n\n"  # keeps proxies from closing an idle stream
                quiet_since = time.monotonic()
            if job.status in ("done", "failed"):
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/api/health")
async def health(request: Request) -> dict[str, Any]:
    counts = await run_in_threadpool(_queue(request).counts)
    worker = request.app.state.worker
    state = "off" if worker is None else "ready" if worker.ready.is_set() else "starting"
    return {"status": "ok", "version": __version__, "jobs": counts, "worker": state,
            "token_required": _settings(request).token is not None}  # fmt: skip


@router.post("/api/journal", status_code=201)
async def add_journal(request: Request, entry: JournalIn) -> dict[str, Any]:
    """Journal one run: how bad the pump was (0 = none). A second entry for a day replaces the first."""
    from formcheck.findings.model import JournalEntry
    from formcheck.store.journal import add_entry

    value = JournalEntry(date=entry.date, severity=entry.severity, walked=entry.walked, minute=entry.minute,
                         note=entry.note.strip())  # fmt: skip
    entry_id, created = await run_in_threadpool(add_entry, request.app.state.store, entry.runner, value)
    return {"id": entry_id, "created": created, "runner": entry.runner, "date": entry.date.isoformat()}


@router.get("/api/journal")
async def list_journal(request: Request, runner: str = RunnerQuery) -> list[dict[str, Any]]:
    from formcheck.store.journal import entries

    rows = await run_in_threadpool(entries, request.app.state.store, runner)
    return [{"date": e.date.isoformat(), "severity": e.severity, "walked": e.walked, "minute": e.minute,
             "note": e.note} for e in rows]  # fmt: skip


@router.get("/api/history")
async def get_history(request: Request, runner: str = RunnerQuery) -> dict[str, Any]:
    """Past checks and trends (cadence, trunk lean and drift, head flexion; pumps from the journal)."""
    from formcheck.web.history import history

    return await run_in_threadpool(history, request.app.state.store, _queue(request), runner)
