"""A runner's history: past checks, measured trends across clips, and pumps from the journal.

Read from what the store already keeps (``video_analyses``: one row per
analysed clip and settings, with its headline numbers; ``checks``; ``journal_entries``), so
the history costs no re-analysis. A clip analysed again with other settings (another
height) has a row for each; the trends show its latest, once.  A clip's date is the day it shows when
known, else the day it was analysed.  The plots are small inline SVGs drawn
with matplotlib's object API (no pyplot: no global state shared between the
server's threads).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import select

from formcheck.store import Store
from formcheck.store.models import CheckRow, CheckVideoRow, RunnerRow, VideoAnalysisRow
from formcheck.web.jobs import JobQueue

TRENDS = {  # column -> (title, unit)
    "cadence_spm": ("Cadence", "steps/min"),
    "trunk_lean_deg": ("Trunk lean (forward +)", "deg"),
    "trunk_lean_drift_deg": ("Trunk lean drift (last - first fifth)", "deg"),
    "head_flexion_deg": ("Head flexion (looking down +)", "deg"),
}


def history(store: Store, queue: JobQueue, runner: str) -> dict[str, Any]:
    """The ``GET /api/history`` document."""
    from formcheck.store.journal import entries

    jobs = {job.check_id: job for job in queue.list(runner) if job.check_id is not None}
    jobs_by_check = {check_id: job.id for check_id, job in jobs.items()}
    with store.engine.connect() as connection:
        clips = connection.execute(
            select(VideoAnalysisRow).join(RunnerRow).where(RunnerRow.name == runner, VideoAnalysisRow.activity == "running")
            .order_by(VideoAnalysisRow.analysed_at)
        ).all()  # fmt: skip
        links = dict(connection.execute(select(CheckVideoRow.analysis_id, CheckVideoRow.check_id)
                                        .order_by(CheckVideoRow.check_id)).all())  # fmt: skip
        checks = connection.execute(
            select(CheckRow).join(RunnerRow).where(RunnerRow.name == runner).order_by(CheckRow.created_at.desc())
        ).all()
    trends: dict[str, list[dict[str, Any]]] = {name: [] for name in TRENDS}
    latest = {clip.video_sha256: clip for clip in clips}  # analysed_at order: the last analysis of each clip wins
    for clip in sorted(latest.values(), key=lambda row: row.analysed_at):  # one point a clip, however often analysed
        day = clip.recorded_on or clip.analysed_at.date()
        job = jobs.get(links.get(clip.id))
        shown = {item["name"]: item["shown"] for item in job.inputs} if job else {}
        video = shown.get(clip.video_name, clip.video_name)  # the name the runner gave, not the server's
        for name in TRENDS:
            value = getattr(clip, name)
            if value is not None:
                trends[name].append({"date": day.isoformat(), "value": round(float(value), 2), "video": video})
    pumps = [{"date": e.date.isoformat(), "severity": e.severity, "walked": e.walked, "minute": e.minute, "note": e.note}
             for e in entries(store, runner)]  # fmt: skip
    past = [{"check_id": row.id, "job_id": jobs_by_check.get(row.id), "created_at": row.created_at.isoformat(),
             "symptom_date": row.symptom_date.isoformat() if row.symptom_date else None, "top_cause": row.top_cause,
             "top_title": _top_title(row.findings_json), "red_flags": row.red_flags} for row in checks]  # fmt: skip
    return {"runner": runner, "checks": past, "trends": trends, "pumps": pumps}


def _top_title(findings_json: str) -> str | None:
    """The title of the check's first-ranked cause with a score above zero (None when none had evidence)."""
    import json

    try:
        ranked = json.loads(findings_json).get("findings") or []
    except ValueError:
        return None
    return next((f.get("title") for f in ranked if (f.get("score") or 0) > 0), None)


def date_span(doc: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """One date range for every plot of a history, so that they line up one under the other."""
    days = [dt.date.fromisoformat(p["date"]) for points in doc["trends"].values() for p in points]
    days += [dt.date.fromisoformat(p["date"]) for p in doc["pumps"]]
    first, last = (min(days), max(days)) if days else (dt.date.today(), dt.date.today())
    pad = max(dt.timedelta(days=2), (last - first) * 0.05)
    return first - pad, last + pad


def trend_svg(title: str, unit: str, points: list[dict[str, Any]], span: tuple[dt.date, dt.date] | None = None,
              *, bars: bool = False) -> str:
    """One small inline SVG: values over dates (line and dots, labelled when few), or bars for journal severities."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.3), dpi=100)
    axes = figure.add_subplot()
    days = [dt.date.fromisoformat(p["date"]) for p in points]
    values = [p["value"] for p in points]
    if bars:
        colours = ["#c2410c" if p.get("walked") else "#f59e0b" for p in points]
        axes.bar(days, values, width=0.8, color=colours)
        axes.set_ylim(0, 10.5)
    else:
        axes.plot(days, values, "-o", color="#2563eb", markersize=6, linewidth=1.8)
        if len(values) <= 8:
            for day, value in zip(days, values):
                axes.annotate(f"{value:g}", (day, value), textcoords="offset points", xytext=(0, 7), ha="center",
                              fontsize=8, color="#1e3a8a")  # fmt: skip
        low, high = min(values), max(values)
        room = max((high - low) * 0.25, abs(high) * 0.05, 1.0)
        axes.set_ylim(low - room, high + room)
    if span is not None:
        axes.set_xlim(span[0], span[1])
    locator = AutoDateLocator(minticks=2, maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_title(title, loc="left", fontsize=11, color="#111827")
    axes.set_ylabel(unit, fontsize=9, color="#4b5563")
    axes.tick_params(labelsize=8, colors="#4b5563")
    axes.grid(axis="y", color="#e5e7eb", linewidth=0.8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]
