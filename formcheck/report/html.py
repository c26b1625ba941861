"""``report.html``: one self-contained page a runner (and their physio) wants to read.

The page follows the order a worried runner reads in: anything urgent first
(red flags), then the answer in one sentence, then the causes with the
evidence for and against, then the pictures that show it, then what to do,
and last how it was measured.  Everything is inlined (CSS, pictures as
``data:`` URIs) so the file opens offline and can be mailed; Jinja2
autoescaping is on, because evidence sentences carry the runner's own
exercise names and notes.  This module gathers the view data; the layout
lives in ``templates/report.html.j2``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from formcheck.context.lumbar import run_local_start
from formcheck.findings.model import CheckInputs, Finding, FindingsResult
from formcheck.findings.thresholds import load_thresholds
from formcheck.errors import FormcheckError
from formcheck.report import plots
from formcheck.asking import where_to_give, with_where
from formcheck.report.assets import KeyFrames, read_keyframes, read_strides
from formcheck.report.calendar import calendar_days, symptom_day
from formcheck.report.model import ReportMeta, VideoArtifacts, likely_count, main_point

ANSWER_MAX_CHARS = 110  # three long cause titles make a sentence nobody reads to the end
URGENCY_ORDER = {"emergency": 0, "today": 1, "soon": 2}
URGENCY_LABEL = {"emergency": "Emergency: get help now", "today": "See a doctor today", "soon": "See a clinician soon"}
METRIC_LABELS = {
    "cadence_spm": "Cadence",
    "trunk_lean_deg": "Trunk lean (forward +)",
    "trunk_lean_drift_deg": "Trunk lean drift (last − first fifth)",
    "head_flexion_deg": "Head flexion (looking down +)",
    "forward_head_deg": "Forward head",
    "vertical_oscillation_pct_leg": "Vertical oscillation",
    "vertical_oscillation_cm": "Vertical oscillation",
    "overstride_pct_leg": "Overstride (foot ahead of hip)",
    "overstride_cm": "Overstride",
    "step_time_asymmetry_pct": "Step-time asymmetry L/R",
    "knee_flexion_at_contact_deg": "Knee flexion at contact",
    "ground_contact_ms": "Ground contact time",
}


@dataclass(frozen=True)
class ClipView:
    name: str
    description: str
    metrics: list[dict[str, Any]]
    warnings: tuple[str, ...]
    keyframes: KeyFrames | None
    keyframes_reason: str | None
    lean: plots.Chart
    cadence: plots.Chart
    not_running: str | None = None  # a clip of walking or another activity: its numbers are shown, not used


def _lower_first(title: str) -> str:
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def answer_sentence(top: Sequence[Finding], n_red: int) -> str:
    """The one-sentence answer: the top causes by name, or that none stands out."""
    if not top:
        lead = "No single cause stands out from what was given"
        return lead + (": see the red flags above first." if n_red else "; the sections below say what would tell more.")
    names = [_lower_first(f.title) for f in top[:3]]
    if sum(map(len, names)) > ANSWER_MAX_CHARS:  # one sentence must stay readable on a phone
        names = names[:2]
    sentence = f"Most likely: {names[0]}"
    if len(names) == 2:
        sentence += f", with {names[1]} also playing a part"
    elif len(names) == 3:
        sentence += f", with {names[1]} and {names[2]} also playing a part"
    return sentence + "."


PAIRED = {"vertical_oscillation_pct_leg": "vertical_oscillation_cm", "overstride_pct_leg": "overstride_cm"}


def _format_metric(m: Any) -> str:
    if m.value is None:
        return "—"
    sd = f" ± {m.sd:.1f}" if m.sd is not None else ""
    return f"{m.value:.1f} {m.unit}{sd}"


def _metric_rows(summary_metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row a measure; a measure given both relative to leg length and in cm is one row with both."""
    rows = []
    for key, label in METRIC_LABELS.items():
        m = summary_metrics.get(key)
        if m is None or (key in PAIRED.values() and any(k in summary_metrics for k, v in PAIRED.items() if v == key)):
            continue
        text = _format_metric(m)
        cm = summary_metrics.get(PAIRED.get(key, ""))
        if cm is not None and cm.value is not None and m.value is not None:
            text += f" ({_format_metric(cm)})"
        rows.append({"label": label, "value": text, "n": m.n, "reason": m.reason})
    return rows


def _clip_view(video: VideoArtifacts, same_name: bool = False) -> ClipView:
    """One clip's card; ``same_name`` when another clip of the check has its file name: its folder tells them apart."""
    m = video.measures
    rows, why = read_strides(video.analysis_dir)
    keyframes, kf_reason = read_keyframes(video.analysis_dir)
    description = f"{m.activity}, {m.view} view" + (f", facing {m.facing}" if m.facing not in ("", "unknown") else "")
    if m.duration_s:
        description += f", {m.duration_s:.1f} s"
    return ClipView(
        name=f"{m.name} ({video.folder})" if same_name and video.folder else m.name,
        description=description,
        metrics=_metric_rows(m.metrics),
        warnings=m.warnings,
        keyframes=keyframes,
        keyframes_reason=kf_reason,
        lean=plots.lean_chart(rows, why, video.summary),
        cadence=plots.cadence_chart(rows, why, video.summary),
        not_running=_not_running_note(m.activity),
    )


def _not_running_note(activity: str) -> str | None:
    """What a clip of walking (or of no recognisable gait) is on the page: shown as measured, used by no finding."""
    if activity == "running":
        return None
    what = f"shows {activity}, not running" if activity == "walking" else "shows no running formcheck could recognise"
    return (f"This clip {what}: the measures below are shown as measured, and no finding uses them. "
            "Film 20-30 s of running from the side to have your running form assessed.")


def _thresholds() -> tuple[list[dict[str, Any]], str | None]:
    """The thresholds file grouped by cause section: [{section, title, rows: [{name, value, listed, source}]}]."""
    try:
        th = load_thresholds()
    except FormcheckError as error:
        return [], str(error)
    groups: dict[str, list[dict[str, Any]]] = {}
    for name in th.names():
        section, _, rest = name.partition(".")
        value = th[name].value
        listed = isinstance(value, (list, tuple))  # e.g. exercise-name patterns: shown under the source, not in the narrow column
        groups.setdefault(section, []).append({
            "name": rest or name,
            "value": f"{len(value)} items" if listed else value,
            "listed": ", ".join(map(str, value)) if listed else None,
            "source": th[name].source,
        })  # fmt: skip
    out = [{"section": k, "title": k.replace("_", " ").capitalize(), "rows": v} for k, v in groups.items()]
    return out, (None if out else f"{th.origin} lists no thresholds yet")


def _thresholds_origin() -> str:
    try:
        return load_thresholds().origin
    except FormcheckError:
        return "the thresholds file"


def _run_facts(inputs: CheckInputs) -> list[tuple[str, str]]:
    if inputs.run is None:
        return []
    run, ctx = inputs.run.run, inputs.run
    start, clock = run_local_start(run, inputs.lift_tz)  # the runner's day, as the page's title and calendar
    facts = [("Date", f"{start:%a %d %b %Y, %H:%M} ({clock})")]
    if run.distance_m:
        facts.append(("Distance", f"{run.distance_m / 1000:.2f} km"))
    facts.append(("Duration", f"{run.duration_s / 60:.0f} min"))
    breaks = ctx.walk_breaks.breaks
    facts.append(("Walk breaks", "none" if not breaks else f"{len(breaks)}, first at minute {breaks[0].start_s / 60:.0f}"))
    if ctx.hills.gain_m is not None:
        facts.append(("Climb", f"{ctx.hills.gain_m:.0f} m"))
    last = ctx.lumbar.last_session
    if last is not None:
        when = f"{last.hours_before:.0f} h before" if last.hours_before is not None else f"{last.days_before} days before"
        facts.append(("Last lumbar-loading lifts", f"{', '.join(last.exercises[:3])} ({when})"))
    return facts


def report_context(
    doc: Mapping[str, Any], result: FindingsResult, inputs: CheckInputs, videos: Sequence[VideoArtifacts], meta: ReportMeta
) -> dict[str, Any]:
    """Everything the template shows, computed here so the template stays layout only."""
    top = list(result.findings[:likely_count([f.score for f in result.findings])])
    others = [f for f in result.findings if f not in top]
    red = sorted(result.red_flags, key=lambda f: URGENCY_ORDER.get(f.urgency, 9))
    answered = inputs.answers.red_flags.answered()
    end = symptom_day(inputs, meta.symptom_date)
    days, days_reason = calendar_days(inputs, end)
    if end is None and days_reason:  # the one reason the runner fixes by answering: where, in their front end
        days_reason = with_where(days_reason, ("date", "symptom.date"), meta.front_end)
    thresholds, thresholds_reason = _thresholds()
    plan_titles = {p.id: p.title for p in result.plan}
    return {
        "doc": doc,
        "meta": meta,
        "red_flags": red,
        "red_flags_answered": answered,
        "urgency_label": URGENCY_LABEL,
        "most_urgent": red[0].urgency if red else None,
        "answer": answer_sentence(top, len(red)),
        "answer_detail": top[0].evidence[0] if top and top[0].evidence else None,
        "top": top,
        "others": others,
        "other_points": {f.cause: main_point(f.score, list(f.evidence), list(f.against)) for f in others},
        "not_assessed": [dataclasses.replace(n, needs=with_where(n.needs, n.asks, meta.front_end))
                         for n in result.not_assessed],  # fmt: skip
        "where_red_flags": where_to_give(("red_flags",), meta.front_end),
        "where_journal": where_to_give(("journal",), meta.front_end),
        "plan": result.plan,
        "plan_titles": plan_titles,
        "clips": [_clip_view(v, [w.measures.name for w in videos].count(v.measures.name) > 1) for v in videos],
        "unusable_videos": inputs.unusable_videos,
        "run_chart": plots.run_chart(inputs.run, inputs.answers.symptom.minute_into_run, meta.front_end),
        "run_facts": _run_facts(inputs),
        "days": days,
        "days_reason": days_reason,
        "symptom_date": end,
        "correlations": result.correlations,
        "journal_note": result.journal_note,
        "thresholds": thresholds,
        "thresholds_reason": thresholds_reason,
        "thresholds_origin": _thresholds_origin(),
        "filter": next((v.summary.get("filter") for v in videos if v.summary.get("filter")), None),
        "inputs_used": result.inputs_used,
        "inputs_missing": result.inputs_missing,
        "files": meta.inputs,
        "disclaimer": doc["disclaimer"],
    }


def _starts_with_file_name(text: str) -> bool:
    """ "negative_walking_side_studio.mp4 shows walking": a file's name keeps its own case (it names a real file)."""
    first = text.split(" ", 1)[0].rstrip(":,;")
    return bool(re.search(r"\.[A-Za-z0-9]{2,4}$", first) or "_" in first or "/" in first)


def inline_code(text: Any, capitalise: bool = True) -> markupsafe.Markup:
    """A sentence for the page: capitalised, escaped, then the engine's `backticked` commands shown as code.

    ``capitalise=False`` (the ``code_in`` filter) for a phrase set inside a sentence of the template.
    """
    text = str(text)
    if capitalise and not _starts_with_file_name(text):
        text = text[:1].upper() + text[1:]  # sentences from the rules may start lower-case ("the foot landed ...")
    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("formcheck.report", "templates"),
        autoescape=True,  # every string is escaped, .j2 extension or not
        undefined=jinja2.StrictUndefined,  # a typo in the template fails the tests, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = inline_code
    env.filters["code_in"] = lambda text: inline_code(text, capitalise=False)
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f} %"
    env.filters["score_pct"] = lambda x: f"{max(0.0, min(1.0, float(x))) * 100:.0f}"
    env.filters["confidence_word"] = lambda x: "high" if x >= 0.75 else "medium" if x >= 0.4 else "low"
    return env


def render_html(
    doc: Mapping[str, Any], result: FindingsResult, inputs: CheckInputs, videos: Sequence[VideoArtifacts], meta: ReportMeta
) -> str:
    return _environment().get_template("report.html.j2").render(**report_context(doc, result, inputs, videos, meta))


def write_html(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path
