"""The questionnaire asked in a terminal, one question at a time; Enter skips any question.

Each answer is checked the moment it is typed, with the same validator and the
same words as a hand-written ``answers.toml`` (:func:`answers_from_form` on
that one field), and the question is asked again after a wrong value -- so the
person never reaches the end to learn that question 3 was wrong.  Choices are
numbered and may be typed as a number or a name; the instructions of each
trunk endurance test are shown before its time is asked; a "yes" to a warning
sign is answered straight away with what to do, because formcheck is not a
diagnosis and that advice must not wait for the report.

``read`` is the input function (``Console.input`` in the CLI) so the flow can
be driven without a terminal; end of input aborts (nothing is written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from formcheck.answers.fields import FieldSpec, all_fields, injury_fields
from formcheck.answers.load import answers_from_form
from formcheck.answers.model import Answers
from formcheck.answers.template import ENDURANCE_NOTE, ENDURANCE_TESTS
from formcheck.errors import AnswersError

Read = Callable[[str], str]

SECTION_TITLES = {
    "runner": "About you",
    "symptom": "The run that hurt",
    "warmup": "Before that run",
    "history": "Past injuries",
    "substances": "Supplements and drugs",
    "endurance": "Trunk endurance tests",
    "red_flags": "Warning signs",
}
SECTION_NOTES = {
    "substances": "Some are known among lifters to cause back pumps. Your answers stay on this computer.",
    "endurance": f"Skip these if you have not done the tests. {ENDURANCE_NOTE}",
    "red_flags": "formcheck is not a diagnosis. These questions are here so that anything that needs a doctor "
                 "is not explained away as a training problem.",
}  # fmt: skip
URGENT_TODAY = {"dark_urine", "muscles_rigid_swollen", "pain_far_worse_than_effort"}
_YES, _NO = {"y", "yes", "true", "1"}, {"n", "no", "false", "0"}


def _choice(text: str, choices: tuple[str, ...]) -> str:
    """A typed number (1-based) or a unique prefix of a choice -> the choice; else the text unchanged."""
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    matches = [c for c in choices if c.startswith(text.lower())]
    return matches[0] if len(matches) == 1 else text


def _normalise(spec: FieldSpec, text: str) -> str:
    """Shortcuts a terminal user expects (y/n, numbers for choices, "today") -> the file's spelling."""
    lowered = text.strip().lower()
    if spec.kind == "bool":
        return "true" if lowered in _YES else "false" if lowered in _NO else text
    if spec.kind == "enum":
        return _choice(lowered, spec.choices)
    if spec.kind == "enum_list":
        return ", ".join(_choice(part.strip(), spec.choices) for part in lowered.replace(" ", ",").split(",") if part)
    if spec.kind == "date" and lowered in ("today", "yesterday"):
        return (dt.date.today() - dt.timedelta(days=1 if lowered == "yesterday" else 0)).isoformat()
    return text.strip()


def _hint(spec: FieldSpec) -> str:
    if spec.kind == "bool":
        return "y/n"
    if spec.kind in ("enum", "enum_list"):
        listed = "  ".join(f"{n}) {c}" for n, c in enumerate(spec.choices, start=1))
        return listed + ("  (several: 1,4)" if spec.kind == "enum_list" else "")
    if spec.kind == "date":
        return "YYYY-MM-DD, today, yesterday"
    if spec.unit:
        return spec.unit
    if spec.kind == "integer":
        return f"{spec.low:g}-{spec.high:g}"
    return ""


class Questionnaire:
    """Asks every question on ``console``, reading with ``read``; :meth:`run` returns the :class:`Answers`."""

    def __init__(self, console: Console, read: Read) -> None:
        self.console, self.read = console, read
        self.data: dict[str, dict[str, Any]] = {}

    def ask(self, spec: FieldSpec, form_key: str | None = None, context: dict[str, str] | None = None) -> str | None:
        """Ask until the answer is valid or skipped; the answer in the file's spelling, or None."""
        if spec.help:
            self.console.print(f"  [dim]{escape(spec.help)}[/]")
        hint = _hint(spec)
        prompt = f"[bold]{escape(spec.question)}[/]" + (f" [cyan]\\[{escape(hint)}][/]" if hint else "") + " "
        while True:
            try:
                typed = self.read(prompt).strip()
            except EOFError:
                raise KeyboardInterrupt("end of input") from None
            if typed == "":
                return None
            value = _normalise(spec, typed)
            try:
                answers_from_form({**(context or {}), form_key or spec.key: value}, source="answer")
            except AnswersError as error:
                self.console.print(f"  [red]{escape(error.message.removeprefix('answer: '))}[/] (Enter skips)")
                continue
            return value

    def yes(self, question: str) -> bool:
        try:
            return self.read(f"[bold]{escape(question)}[/] [cyan]\\[y/N][/] ").strip().lower() in _YES
        except EOFError:
            raise KeyboardInterrupt("end of input") from None

    def _store(self, spec: FieldSpec, value: str | None) -> None:
        if value is not None:
            self.data.setdefault(spec.section, {})[spec.name] = value

    def _injuries(self) -> None:
        keys, found = injury_fields(), []
        while self.yes("Any past injury (e.g. an ankle sprain)?" if not found else "Another injury?"):
            number = len(found) + 1
            part = self.ask(keys["part"], f"history.injuries.{number}.part")
            if part is None:
                break
            injury = {"part": part}
            for name in ("side", "months_ago"):
                context = {f"history.injuries.{number}.part": part}
                value = self.ask(keys[name], f"history.injuries.{number}.{name}", context)
                if value is not None:
                    injury[name] = value
            found.append(injury)
        if found:
            self.data.setdefault("history", {})["injuries"] = found

    def _endurance(self, spec: FieldSpec) -> None:
        test = next(t for t in ENDURANCE_TESTS if t.field == spec.key)
        steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(test.setup, start=1))
        self.console.print(Panel(f"{steps}\n[bold]Stop:[/] {escape(test.stop)}", title=escape(test.name), expand=False))
        self._store(spec, self.ask(spec))

    def _red_flag(self, spec: FieldSpec) -> None:
        value = self.ask(spec)
        self._store(spec, value)
        if value == "true":
            when = "today" if spec.name in URGENT_TODAY else "soon"
            self.console.print(f"  [bold red]This is a warning sign: please see a doctor {when}"
                               f"{' (ask about a CK blood test)' if when == 'today' else ''}.[/]")  # fmt: skip

    def run(self) -> Answers:
        self.console.print("Answer what you know; press [bold]Enter[/] to skip any question, Ctrl-C to stop "
                           "(nothing is written until the end).")  # fmt: skip
        section = ""
        for key, spec in all_fields().items():
            if spec.section != section:
                section = spec.section
                self.console.rule(escape(SECTION_TITLES[section]))
                if section in SECTION_NOTES:
                    self.console.print(escape(SECTION_NOTES[section]))
            if key == "warmup.minutes" and self.data.get("warmup", {}).get("done") != "true":
                continue  # no warm-up (or not said): no duration to ask
            if spec.kind == "injuries":
                self._injuries()
            elif section == "endurance":
                self._endurance(spec)
            elif section == "red_flags":
                self._red_flag(spec)
            else:
                self._store(spec, self.ask(spec))
        return self._answers()

    def _answers(self) -> Answers:
        flat = {f"{section}.{name}": value for section, values in self.data.items()
                for name, value in values.items() if name != "injuries"}  # fmt: skip
        for number, injury in enumerate(self.data.get("history", {}).get("injuries", []), start=1):
            flat.update({f"history.injuries.{number}.{name}": value for name, value in injury.items()})
        return answers_from_form(flat, source="answers")


def ask_answers(console: Console, read: Read | None = None) -> Answers:
    """Run the questionnaire in a terminal (``read`` defaults to ``console.input``)."""
    return Questionnaire(console, read or (lambda prompt: console.input(prompt))).run()


def count_answered(answers: Answers) -> tuple[int, int]:
    """(questions answered, questions asked): an injury list counts as one question."""
    fields = all_fields()
    done = sum(getattr(getattr(answers, s.section), s.name) not in (None, ()) for s in fields.values())
    return done, len(fields)


__all__ = ["Questionnaire", "ask_answers", "count_answered"]
