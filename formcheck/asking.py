"""Where a person gives a missing answer, worded for the front end that shows the report.

The findings engine says WHAT would assess a cause, in domain words, and
WHERE it lives as a structured reference (``NotAssessed.asks``): a
questionnaire section or field by its :class:`~formcheck.answers.model.Answers`
name ("endurance", "history.injuries", "symptom.date"), "date" for the check's
date of the run that hurt, "journal" for the symptom journal.  Only here is
that turned into HOW, because the answer differs by front end: a terminal
user runs ``formcheck ask`` or edits ``answers.toml``; a browser user fills in
the questionnaire on the New check page and never sees either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

FrontEnd = Literal["cli", "web"]
"""Who reads the report: the CLI's user (terminal, answers.toml) or the web app's (forms)."""

FRONT_ENDS: tuple[FrontEnd, ...] = ("cli", "web")
DATE, JOURNAL = "date", "journal"


def _toml(ref: str) -> str:
    """"endurance" -> "[endurance]"; "history.injuries" -> "[history] injuries" (as answers.toml writes them)."""
    section, _, field = ref.partition(".")
    return f"[{section}] {field}".rstrip()


def _for_cli(asks: tuple[str, ...]) -> list[str]:
    ways: list[str] = []
    if DATE in asks:
        ways.append("`--date`")
    refs = [_toml(a) for a in asks if a not in (DATE, JOURNAL)]
    if refs:
        ways += ["`formcheck ask`", f"{' and '.join(refs)} in answers.toml"]
    if JOURNAL in asks:
        ways.append("`formcheck journal add --severity 0-10`")
    return ways


def _for_web(asks: tuple[str, ...]) -> list[str]:
    from formcheck.web.wording import SECTION_TITLES

    sections = dict.fromkeys("symptom" if a == DATE else a.partition(".")[0] for a in asks if a != JOURNAL)
    ways: list[str] = []
    if sections:
        titles = ", ".join(f'"{SECTION_TITLES.get(s, s)}"' for s in sections)
        ways.append(f"the questionnaire on the New check page: {titles}")
    if JOURNAL in asks:
        ways.append("the Journal page")
    return ways


def where_to_give(asks: Iterable[str], front_end: FrontEnd) -> str:
    """The ways to give ``asks`` in this front end, "" when there is nothing to point at.

    CLI: "`formcheck ask`, or [endurance] in answers.toml"; web: 'the
    questionnaire on the New check page: "Trunk endurance tests (McGill)"'.
    """
    asks = tuple(asks)
    if not asks:
        return ""
    return ", or ".join(_for_cli(asks) if front_end == "cli" else _for_web(asks))


def with_where(sentence: str, asks: Iterable[str], front_end: FrontEnd) -> str:
    """``sentence`` followed by where to give what it asks for, in parentheses (or unchanged)."""
    where = where_to_give(asks, front_end)
    return f"{sentence} ({where})" if where else sentence
