"""The server-rendered pages: New check, the job's progress, History, Journal and the token login.

The pages are Jinja2 templates with a little vanilla JavaScript that calls the
JSON API (upload with a progress bar, live progress by Server-Sent Events with
polling as the fallback).  Each form also works without JavaScript: it posts
to a page route that does the same thing and redirects.  Pages stay out of the
OpenAPI schema: they are for people, the API is for programs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from formcheck import __version__
from formcheck.errors import FormcheckError
from formcheck.web.auth import COOKIE, token_matches
from formcheck.web.uploads import UploadError
from formcheck.web.wording import SECTION_TITLES, for_web

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

STAGES = (("import", "Reading logs"), ("analyse", "Watching the video"), ("context", "Training context"),
          ("findings", "Weighing causes"), ("report", "Writing the report"))  # fmt: skip


def _runner(request: Request) -> str:
    return _runner_or_default(request.query_params.get("runner"))


def _runner_or_default(raw: str | None) -> str:
    """The runner a page shows: the name given when the store could hold it, else ``default``."""
    from formcheck.web.submit import clean_runner

    try:
        return clean_runner(raw)
    except UploadError:
        return "default"


def _render(request: Request, name: str, page: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("runner", _runner(request))
    context.setdefault("today", dt.date.today().isoformat())  # the latest day a date field takes
    return templates.TemplateResponse(request, name, {"page": page, "version": __version__, **context},
                                      status_code=status_code)  # fmt: skip


ERROR_TITLES = {404: "Not found", 405: "Not here", 409: "Not ready yet", 401: "Token needed", 403: "Not allowed"}


def error_page(request: Request, status: int, message: str, headers: Any = None) -> HTMLResponse:
    """The site's page for an error on a page route: the sentence, and links back (the API answers JSON)."""
    if status == 404 and message == "Not Found":
        message = "There is no page at this address."
    elif status == 405:
        message = "This address is not a page to open; start from New check or History."
    response = _render(request, "error.html", "error", status, title=ERROR_TITLES.get(status, "Something went wrong"),
                       message=message)  # fmt: skip
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _sections() -> list[tuple[str, str, list[Any], bool]]:
    from formcheck.answers.fields import all_fields

    grouped: dict[str, list[Any]] = {}
    for spec in all_fields().values():
        grouped.setdefault(spec.section, []).append(spec)
    return [(name, SECTION_TITLES.get(name, name), specs, name in ("runner", "symptom"))
            for name, specs in grouped.items()]  # fmt: skip


FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" '
           'fill="#0f172a"/><path d="M20 50 L30 30 L24 18 M30 30 L42 36 M30 30 L40 46" stroke="#60a5fa" '
           'stroke-width="6" stroke-linecap="round" fill="none"/><circle cx="22" cy="12" r="6" fill="#fff"/></svg>')


@router.get("/favicon.ico")
async def favicon() -> Response:
    """A small runner icon (the report page asks for one too)."""
    return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get("/", response_class=HTMLResponse)
async def new_check(request: Request) -> HTMLResponse:
    return _render(request, "new.html", "new", sections=_sections())


@router.get("/checks/new")
async def new_check_again(request: Request) -> Response:
    """The address the no-JavaScript form posts to, opened again (a bookmark, Enter in the address bar): the form."""
    return RedirectResponse(f"/?runner={quote(_runner(request))}", status_code=303)


@router.post("/checks/new")
async def new_check_form(request: Request) -> Response:
    """The no-JavaScript path of the New check form: same checks as the API, then a redirect."""
    from formcheck.web.submit import submit

    try:
        job = await submit(request, request.app.state.settings, request.app.state.queue)
    except (UploadError, FormcheckError) as error:
        typed: dict[str, str] = getattr(error, "typed", {})
        status, message = (error.status, error.message) if isinstance(error, UploadError) else (400, for_web(error))
        if request.headers.get("content-type", "").startswith("multipart/"):  # the form: it may have held files
            message += " Your answers are kept below; choose the files again (a browser never keeps them)."
        return _render(request, "new.html", "new", status, sections=_sections(), error=message, typed=typed,
                       runner=typed.get("runner") or _runner(request))  # fmt: skip
    return RedirectResponse(f"/checks/{job.id}", status_code=303)


@router.get("/checks/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, job_id: str) -> HTMLResponse:
    from formcheck.web.api import status_of

    job = await run_in_threadpool(request.app.state.queue.get, job_id)
    if job is None:
        raise HTTPException(404, f"no check with id {job_id}: it was deleted, or the address is wrong.")
    findings = None
    path = request.app.state.settings.jobs_dir / job.id / "out" / "findings.json"
    if job.status == "done" and path.is_file():
        findings = json.loads(await run_in_threadpool(path.read_text, "utf-8"))
    return _render(request, "job.html", "job", job=job, status=status_of(job), stages=STAGES, findings=findings,
                   runner=job.runner)  # fmt: skip


@router.get("/history", response_class=HTMLResponse)
async def history_page(request: Request) -> HTMLResponse:
    from formcheck.web.history import TRENDS, date_span, history, trend_svg

    runner = _runner(request)
    queue, store = request.app.state.queue, request.app.state.store
    doc = await run_in_threadpool(history, store, queue, runner)
    jobs = await run_in_threadpool(queue.list, runner)

    def draw() -> list[str]:
        span = date_span(doc)
        plots = [trend_svg(title, unit, doc["trends"][name], span) for name, (title, unit) in TRENDS.items()
                 if doc["trends"][name]]  # fmt: skip
        if doc["pumps"]:
            points = [{"date": p["date"], "value": p["severity"], "walked": p["walked"]} for p in doc["pumps"]]
            plots.append(trend_svg("Pumps from the journal (dark = had to walk)", "severity 0-10", points, span,
                                   bars=True))  # fmt: skip
        return plots

    plots = await run_in_threadpool(draw)
    top = {c["check_id"]: c["top_title"] or "no cause with evidence" for c in doc["checks"]}
    runners = await run_in_threadpool(store.runners)
    return _render(request, "history.html", "history", jobs=jobs, plots=plots, top=top, runners=runners)


@router.get("/journal", response_class=HTMLResponse)
async def journal_page(request: Request, saved: str | None = None, error: str | None = None) -> HTMLResponse:
    from formcheck.store.journal import entries

    rows = await run_in_threadpool(entries, request.app.state.store, _runner(request))
    shown = saved if saved and len(saved) <= 10 else None  # a date, nothing longer from the query
    return _render(request, "journal.html", "journal", entries=rows, saved=shown, error=error)


@router.post("/journal")
async def journal_form(request: Request) -> Response:
    """The Journal form: validated like the API (JournalIn), then back to the page."""
    from pydantic import ValidationError

    from formcheck.findings.model import JournalEntry
    from formcheck.store.journal import add_entry
    from formcheck.web.api import JournalIn

    form = await request.form(max_files=0, max_fields=20)
    raw = {key: str(value) for key, value in form.items() if str(value).strip() != ""}
    raw["walked"] = "true" if raw.get("walked") else "false"
    try:
        entry = JournalIn.model_validate(raw)
        await run_in_threadpool(add_entry, request.app.state.store, entry.runner,
                                JournalEntry(entry.date, entry.severity, entry.walked, entry.minute, entry.note.strip()))
    except ValidationError as error:
        first = error.errors()[0]
        return await _journal_again(request, raw, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    except FormcheckError as error:
        return await _journal_again(request, raw, for_web(error))
    target = f"/journal?runner={quote(entry.runner)}&saved={entry.date.isoformat()}"
    return RedirectResponse(target, status_code=303)


async def _journal_again(request: Request, raw: dict[str, str], error: str) -> HTMLResponse:
    """The Journal page after a refused entry: the sentence, what was typed (to correct, not retype) and the
    runs journaled so far."""
    from formcheck.store.journal import entries

    runner = _runner_or_default(raw.get("runner"))
    rows = await run_in_threadpool(entries, request.app.state.store, runner)
    return _render(request, "journal.html", "journal", 400, entries=rows, error=error, runner=runner, typed=raw)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _render(request, "login.html", "login", next=next if next.startswith("/") and not next.startswith("//") else "/")


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token and set it as an HttpOnly, SameSite=Strict cookie for the pages and their scripts."""
    form = await request.form(max_files=0, max_fields=5)
    token, target = str(form.get("token", "")), str(form.get("next", "/"))
    if not target.startswith("/") or target.startswith("//"):
        target = "/"  # never redirect off this server
    expected = request.app.state.settings.token
    if expected is None:
        return RedirectResponse(target, status_code=303)
    if not token_matches(token, expected):
        return _render(request, "login.html", "login", 401, next=target, error="That is not the token.")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        max_age=30 * 24 * 3600)  # fmt: skip
    return response
