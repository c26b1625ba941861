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
from rich.table import Table
from rich.text import Text

URGENCY_WORD = {"emergency": "EMERGENCY", "today": "TODAY", "soon": "SOON"}
SHOW_CAUSES = 5
EVIDENCE_LINES = 2


def _red_flags(doc: Mapping[str, Any]) -> Panel | None:
    flags = doc.get("red_flags") or []
    if not flags:
        return None
    lines = [Text.assemble((f"{URGENCY_WORD.get(f['urgency'], f['urgency'].upper())}: ", "bold"), str(f["message"])) for f in flags]
    return Panel(Group(*lines), title="Red flags: see a clinician first", title_align="left", border_style="bold red", style="red")


def _causes(doc: Mapping[str, Any]) -> Table | Text:
    findings = doc.get("findings") or []
    if not findings:
        return Text("No cause could be ranked from what was given.", style="yellow")
    table = Table(title="Likely causes (rule scores, 0-100)", title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("cause")
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("evidence")
    for f in findings[:SHOW_CAUSES]:
        score = f.get("score") or 0.0
        evidence = "\n".join(f"- {e}" for e in (f.get("evidence") or [])[:EVIDENCE_LINES]) or "-"
        table.add_row(str(f.get("rank", "")), str(f["title"]), f"{100 * score:.0f}", evidence)
    if len(findings) > SHOW_CAUSES:
        rest = ", ".join(f"{f['title']} ({100 * (f.get('score') or 0):.0f})" for f in findings[SHOW_CAUSES:])
        table.caption = f"also considered: {rest}"
        table.caption_justify = "left"
    return table


def print_summary(console: Console, doc: Mapping[str, Any], out_dir: Path | None) -> None:
    """Red flags, ranked causes, what was not assessed, the plan's titles and where the report is."""
    panel = _red_flags(doc)
    if panel is not None:
        console.print(panel)
    console.print(_causes(doc))
    missing = doc.get("not_assessed") or []
    if missing:
        console.print(Text("Not assessed:", style="bold"))
        for item in missing:
            console.print(Text.assemble("  ", (str(item["title"]), "bold"), f": {item['needs']}"))
    plan = doc.get("plan") or []
    if plan:
        console.print(Text("Plan:", style="bold"))
        for i, item in enumerate(plan, start=1):
            console.print(f"  {i}. {item['title']}", markup=False, highlight=False)
    if doc.get("disclaimer"):
        console.print(Text(str(doc["disclaimer"]), style="dim"))
    if out_dir is not None:
        console.print(Text.assemble("Report: ", (str(out_dir / "report.html"), "bold"), "  findings: ", str(out_dir / "findings.json")))
