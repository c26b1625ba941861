"""The terminal summary: red flags first, causes with evidence, plain text when captured."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from report_builders import make_meta, make_result
from formcheck.findings.model import CheckInputs, RedFlag
from formcheck.report import findings_to_dict, print_summary


def _captured(doc, out_dir: Path | None = Path("/tmp/out")) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
    print_summary(console, doc, out_dir)
    return buffer.getvalue()


def test_red_flags_print_before_any_cause() -> None:
    text = _captured(findings_to_dict(make_result(), CheckInputs(), [], make_meta()))
    assert "\x1b[" not in text  # no escape codes when captured
    flag = text.index("Red flags: see a clinician first")
    assert flag < text.index("TODAY: Dark urine") < text.index("Lifting fatigue")
    assert text.index("TODAY") < text.index("SOON")
    for expected in ("Likely causes", "1. Lifting fatigue  82/100", "Deadlift 1 x 1 at 160 kg", "Not assessed:", "Low trunk endurance",
                     "Plan:", "1. Space heavy hinges and hard runs", "formcheck is not a diagnosis",
                     "/tmp/out/report.html"):  # fmt: skip
        assert expected in text, expected


def test_no_red_flags_no_panel_and_narrow_terminal() -> None:
    doc = findings_to_dict(replace(make_result(), red_flags=()), CheckInputs(), [], make_meta())
    buffer = io.StringIO()
    print_summary(Console(file=buffer, width=40, color_system=None), doc, None)
    text = buffer.getvalue()
    assert "Red flags" not in text and "Lifting fatigue" in text and "report.html" not in text


def test_nothing_ranked() -> None:
    empty = replace(make_result(), findings=(), plan=(), red_flags=())
    text = _captured(findings_to_dict(empty, CheckInputs(), [], make_meta()))
    assert "No cause could be ranked" in text and "Plan:" not in text


def test_red_flag_advice_is_never_cut_on_the_clis_console() -> None:
    """The CLI prints with ``soft_wrap=True`` (paths stay whole); a panel on such a console cropped
    each flag at its border, so "go to an emergency department now" was lost."""
    advice = ("You reported numbness in the saddle area. With back pain these are signs of cauda equina "
              "compression: go to an emergency department now. Do not run until you have been seen.")  # fmt: skip
    result = replace(make_result(), red_flags=(RedFlag("saddle_numbness", advice, "emergency"),))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False, soft_wrap=True)
    print_summary(console, findings_to_dict(result, CheckInputs(), [], make_meta()), None)
    panel = buffer.getvalue().split("Likely causes")[0]
    words = " ".join(line.strip("│ ") for line in panel.splitlines()[1:-1])
    assert advice in " ".join(words.split())
    assert max(len(line) for line in panel.splitlines()) <= 100


def test_likely_causes_are_the_html_reports_and_the_rest_also_considered() -> None:
    text = _captured(findings_to_dict(replace(make_result(), red_flags=()), CheckInputs(), [], make_meta()))
    likely, _, rest = text.partition("Also considered:")
    assert "1. Lifting fatigue  82/100" in likely and "41/100" in likely
    assert "8/100" not in likely and "(8)" in rest.splitlines()[0]  # under LIKELY_MIN_SCORE: not a likely cause
    low = [replace(f, score=0.0) for f in make_result().findings]
    text = _captured(findings_to_dict(replace(make_result(), findings=tuple(low), red_flags=()), CheckInputs(), [], make_meta()))
    assert "Likely causes" not in text and "No single cause stands out" in text
