"""The report of a check: self-contained HTML, ``findings.json`` and the terminal summary.

``write_report`` is the one call a front end makes after the findings: it
writes ``findings.json`` (the document every later reader uses) and
``report.html`` (built from the same document plus the clips' pictures and
the run's track) into a folder that already exists, and returns the document
so the caller can print ``print_summary`` from it or store it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from formcheck.findings.model import CheckInputs, FindingsResult
from formcheck.report.html import render_html, write_html
from formcheck.report.json_doc import SCHEMA, TOP_LEVEL_KEYS, findings_to_dict, write_json
from formcheck.report.model import ReportMeta, VideoArtifacts
from formcheck.report.terminal import print_summary

__all__ = [
    "SCHEMA",
    "TOP_LEVEL_KEYS",
    "ReportMeta",
    "VideoArtifacts",
    "findings_to_dict",
    "print_summary",
    "write_report",
]


def write_report(
    out_dir: Path, result: FindingsResult, inputs: CheckInputs, videos: Sequence[VideoArtifacts], meta: ReportMeta
) -> dict[str, Any]:
    """Write ``out_dir/findings.json`` and ``out_dir/report.html``; return the findings.json document.

    The JSON is written first: it is the record, and a report that cannot be
    drawn (a bug in a plot) must not cost the runner their findings.
    """
    doc = findings_to_dict(result, inputs, videos, meta)
    write_json(out_dir / "findings.json", doc)
    write_html(out_dir / "report.html", render_html(doc, result, inputs, videos, meta))
    return doc
