"""``findings.json``: the machine-readable answer of one check (schema ``formcheck.findings/1``).

It is the one document every other output is derived from in spirit: the
terminal summary is printed from it, and the web app and the journal read it
back later, so its top-level keys are fixed (:data:`TOP_LEVEL_KEYS`) and only
ever grow inside their sections.  Red flags come first in key order as they
come first in every other output.  The document is strict JSON: NumPy scalars
become Python numbers and non-finite floats become ``null`` (a NaN would make
the file unreadable to most JSON parsers).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from formcheck.context.serialize import context_to_dict, plain
from formcheck.findings.model import CheckInputs, Finding, FindingsResult, VideoMeasures
from formcheck.report.model import ReportMeta, VideoArtifacts

SCHEMA = "formcheck.findings/1"
TOP_LEVEL_KEYS = (
    "schema",
    "created_at",
    "formcheck_version",
    "red_flags",
    "findings",
    "not_assessed",
    "plan",
    "journal",
    "inputs",
    "videos",
    "run",
    "disclaimer",
)
DISCLAIMER = (
    "formcheck is not a diagnosis: it ranks likely causes from your video, logs and answers, "
    "and a clinician who examines you can tell you what is really going on."
)

# the clip metrics a reader looks for first; any other metric the analysis gives follows them
KEY_METRICS = (
    "cadence_spm",
    "trunk_lean_deg",
    "trunk_lean_drift_deg",
    "head_flexion_deg",
    "forward_head_deg",
    "vertical_oscillation_pct_leg",
    "vertical_oscillation_cm",
    "overstride_pct_leg",
    "overstride_cm",
    "step_time_asymmetry_pct",
    "knee_flexion_at_contact_deg",
    "ground_contact_ms",
)


def _number(value: Any, digits: int = 3) -> float | int | None:
    """A finite Python number (NumPy scalars unwrapped), else None."""
    if value is None:
        return None
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, digits) if math.isfinite(number) else None


def finding_to_dict(finding: Finding, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "cause": finding.cause,
        "title": finding.title,
        "score": _number(finding.score),
        "confidence": _number(finding.confidence),
        "evidence": list(finding.evidence),
        "against": list(finding.against),
        "rule_out": list(finding.rule_out),
        "plan": list(finding.plan),
        "rules_fired": list(finding.rules_fired),
        "measures": plain(dict(finding.measures), 3),
        "sources": list(finding.sources),
    }


def video_to_dict(measures: VideoMeasures, summary: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One clip: what it shows and its key metrics, each ``{value, unit, sd, n, reason}``."""
    names = [k for k in KEY_METRICS if k in measures.metrics] + [k for k in measures.metrics if k not in KEY_METRICS]
    metrics = {
        name: {
            "value": _number(m.value),
            "unit": m.unit,
            "sd": _number(m.sd),
            "n": int(m.n),
            "reason": m.reason,
        }
        for name in names
        for m in [measures.metrics[name]]
    }
    drift = {
        name: None if d is None else {"first": _number(d.first), "last": _number(d.last), "change": _number(d.change),
                                      "sd": _number(d.sd), "n_each": int(d.n_each)}  # fmt: skip
        for name, d in measures.drift.items()
    }
    return {
        "name": measures.name,
        "activity": measures.activity,
        "view": measures.view,
        "facing": measures.facing,
        "duration_s": _number(measures.duration_s, 2),
        "sha256": measures.sha256,
        "metrics": metrics,
        "drift": drift,
        "warnings": list(measures.warnings),
        "filter": plain((summary or {}).get("filter")),
    }


def findings_to_dict(
    result: FindingsResult, inputs: CheckInputs, videos: Sequence[VideoArtifacts], meta: ReportMeta
) -> dict[str, Any]:
    """The ``findings.json`` document (plain JSON types only, finite numbers)."""
    # the clip's folder in the check's output: two clips named run.mp4 (from two folders) are videos/run, videos/run-2
    clips = [{**video_to_dict(v.measures, v.summary), "folder": v.folder} for v in videos]
    if not videos:  # the engine may have measures without artefacts (e.g. from the store)
        clips = [video_to_dict(m) for m in inputs.videos]
    symptom_date = meta.symptom_date or inputs.symptom_date
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "created_at": meta.created_at.isoformat(),
        "formcheck_version": meta.formcheck_version,
        "red_flags": [{"id": f.id, "message": f.message, "urgency": f.urgency} for f in result.red_flags],
        "findings": [finding_to_dict(f, rank) for rank, f in enumerate(result.findings, start=1)],
        "not_assessed": [{"cause": n.cause, "title": n.title, "needs": n.needs, "asks": list(n.asks)}
                         for n in result.not_assessed],  # fmt: skip
        "plan": [
            {"id": p.id, "title": p.title, "steps": list(p.steps), "why": list(p.why), "caveat": p.caveat}
            for p in result.plan
        ],
        "journal": {
            "note": result.journal_note,
            "correlations": [{**plain(c, 4), "p_value": _number(c.p_value, 4)} for c in result.correlations],
        },
        "inputs": {
            "used": list(result.inputs_used),
            "missing": list(result.inputs_missing),
            "files": {kind: list(names) for kind, names in meta.inputs.items()},
            "videos_without_runner": list(inputs.unusable_videos),  # given, analysed, nobody found: no entry in videos
            "runner": meta.runner,
            "symptom_date": None if symptom_date is None else symptom_date.isoformat(),
            "run_label": meta.run_label,
            "timings_s": {stage: _number(s, 2) for stage, s in meta.timings_s.items()},
        },
        "videos": clips,
        "run": None if inputs.run is None else context_to_dict(inputs.run, inputs.lift_tz),
        "disclaimer": DISCLAIMER,
    }
    return doc


def dumps(doc: Mapping[str, Any]) -> str:
    """Strict JSON text (raises ValueError on a NaN that slipped through: that would be a bug here)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(path: Path, doc: Mapping[str, Any]) -> Path:
    path.write_text(dumps(doc), encoding="utf-8")
    return path
