"""The terminal summary of a check, printed from the ``findings.json`` document.

Printed from the document rather than from the engine's objects so that what
the runner reads in the terminal is exactly what was saved.  Red flags come
first, in a red panel, before any cause.  Only rich renderables whose text
survives without colour are used (panels, plain tables), so captured output
and ``NO_COLOR`` terminals read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from formcheck.asking import with_where
from formcheck.report.model import likely_count

URGENCY_WORD = {"emergency": "EMERGENCY", "today": "TODAY", "soon": "SOON"}
EVIDENCE_LINES = 2


def _red_flags(doc: Mapping[str, Any]) -> Panel | None:
    flags = doc.get("red_flags") or []
    if not flags:
        return None
    lines = [Text.assemble((f"{URGENCY_WORD.get(f['urgency'], f['urgency'].upper())}: ", "bold"), str(f["message"])) for f in flags]
    return Panel(Group(*lines), title="Red flags: see a clinician first", title_align="left", border_style="bold red", style="red")


def _causes(doc: Mapping[str, Any]) -> list[Text]:
    """Ranked causes as indented lines (a table would wrap titles mid-word in a narrow terminal)."""
    findings = doc.get("findings") or []
    if not findings:
        return [Text("No cause could be ranked from what was given.", style="yellow")]
    shown = likely_count([float(f.get("score") or 0.0) for f in findings])  # the HTML report's rule
    if shown:
        lines = [Text("Likely causes (rule score out of 100):", style="bold")]
    else:
        lines = [Text("No single cause stands out from what was given.", style="yellow")]
    for f in findings[:shown]:
        score = 100 * (f.get("score") or 0.0)
        confidence = 100 * (f.get("confidence") or 0.0)
        lines.append(Text.assemble(f"{f.get('rank', '')}. ", (str(f["title"]), "bold"), f"  {score:.0f}/100",
                                   (f"  (confidence {confidence:.0f} %)", "dim")))  # fmt: skip
        for sentence in (f.get("evidence") or [])[:EVIDENCE_LINES]:
            lines.append(Text(f"   - {sentence}"))
    if len(findings) > shown:
        rest = ", ".join(f"{f['title']} ({100 * (f.get('score') or 0):.0f})" for f in findings[shown:])
        lines.append(Text(f"Also considered: {rest}", style="dim"))
    return lines


def print_summary(console: Console, doc: Mapping[str, Any], out_dir: Path | None) -> None:
    """Red flags, ranked causes, what was not assessed, the plan's titles and where the report is."""
    panel = _red_flags(doc)
    if panel is not None:  # wrapped inside the panel even on a soft-wrapping console: cropped, the advice was lost
        console.print(panel, soft_wrap=False)
    for line in _causes(doc):
        console.print(line)
    missing = doc.get("not_assessed") or []
    if missing:
        console.print(Text("Not assessed:", style="bold"))
        for item in missing:  # the CLI's user: where to give it is `formcheck ask` / answers.toml
            needs = with_where(str(item["needs"]), item.get("asks") or (), "cli").replace("`", "")
            console.print(Text.assemble("  ", (str(item["title"]), "bold"), f": {needs}"))
    plan = doc.get("plan") or []
    if plan:
        console.print(Text("Plan:", style="bold"))
        for i, item in enumerate(plan, start=1):
            console.print(f"  {i}. {item['title']}", markup=False, highlight=False)
    if doc.get("disclaimer"):
        console.print(Text(str(doc["disclaimer"]), style="dim"))
    if out_dir is not None:
        console.print(Text.assemble("Report: ", (str(out_dir / "report.html"), "bold"), "  findings: ", str(out_dir / "findings.json")))
