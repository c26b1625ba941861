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
from formcheck.answers.model import Answers, History
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


def _form_text(value: Any) -> str:
    """An answer as a form field holds it (what :func:`answers_from_form` reads back)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float):
        short = f"{value:g}"
        return short if float(short) == value else repr(value)  # 50 rather than 50.0, never a rounded value
    return str(value)


def _seed(previous: Answers) -> dict[str, dict[str, Any]]:
    """The answers of an earlier run, in form spelling, so that Enter keeps them."""
    data: dict[str, dict[str, Any]] = {}
    for spec in all_fields().values():
        value = getattr(getattr(previous, spec.section), spec.name)
        if spec.kind == "injuries" and (value or "injuries" in previous.history.model_fields_set):  # [] = "none"
            data.setdefault("history", {})["injuries"] = [
                {name: _form_text(v) for name, v in injury.model_dump().items() if v is not None} for injury in value
            ]
        elif value not in (None, ()):
            data.setdefault(spec.section, {})[spec.name] = _form_text(value)
    return data


class Questionnaire:
    """Asks the questions on ``console``, reading with ``read``; :meth:`run` returns the :class:`Answers`.

    ``previous`` answers (from the file being replaced) are shown as "now ..."
    and kept on Enter ("-" clears one); ``only`` limits the questions to some
    tables, e.g. the endurance tests done a day later.
    """

    def __init__(self, console: Console, read: Read, previous: Answers | None = None,
                 only: frozenset[str] | None = None) -> None:  # fmt: skip
        self.console, self.read, self.only = console, read, only
        self.data: dict[str, dict[str, Any]] = _seed(previous or Answers())

    def ask(self, spec: FieldSpec, form_key: str | None = None, context: dict[str, str] | None = None,
            current: str | None = None) -> str | None:  # fmt: skip
        """Ask until the answer is valid or skipped; the answer in form spelling, ``current`` on Enter, or None."""
        if spec.help:
            self.console.print(f"  [dim]{escape(spec.help)}[/]")
        hint = _hint(spec)
        prompt = f"[bold]{escape(spec.question)}[/]" + (f" [cyan]\\[{escape(hint)}][/]" if hint else "")
        if current is not None:
            prompt += f" [green](now {escape(current)}; - clears)[/]"
        while True:
            try:
                typed = self.read(prompt + " ").strip()
            except EOFError:
                raise KeyboardInterrupt("end of input") from None
            if typed in ("", "-"):
                return current if typed == "" else None
            value = _normalise(spec, typed)
            try:
                answers_from_form({**(context or {}), form_key or spec.key: value}, source="answer")
            except AnswersError as error:
                self.console.print(f"  [red]{escape(error.message.removeprefix('answer: '))}[/] (Enter skips)")
                continue
            return value

    def yes(self, question: str) -> bool:
        return self.yes_no(question) is True

    def yes_no(self, question: str) -> bool | None:
        """True for yes, False for an explicit no, None when skipped (Enter or anything else)."""
        try:
            answer = self.read(f"[bold]{escape(question)}[/] [cyan]\\[y/N][/] ").strip().lower()
        except EOFError:
            raise KeyboardInterrupt("end of input") from None
        return True if answer in _YES else False if answer in _NO else None

    def _current(self, spec: FieldSpec) -> str | None:
        value = self.data.get(spec.section, {}).get(spec.name)
        return value if isinstance(value, str) else None

    def _store(self, spec: FieldSpec, value: str | None) -> None:
        if value is not None:
            self.data.setdefault(spec.section, {})[spec.name] = value
        else:
            self.data.get(spec.section, {}).pop(spec.name, None)

    def _ask_and_store(self, spec: FieldSpec) -> str | None:
        value = self.ask(spec, current=self._current(spec))
        self._store(spec, value)
        return value

    def _injuries(self) -> None:
        earlier = self.data.get("history", {}).get("injuries", [])
        if earlier:
            listed = "; ".join(", ".join(injury.values()) for injury in earlier)
            self.console.print(f"Injuries given before: {escape(listed)}")
            if not self.yes("Replace them?"):
                return
            self.data["history"].pop("injuries")
        keys, found = injury_fields(), []
        first = self.yes_no("Any past injury (e.g. an ankle sprain)?")
        if first is False:  # "no" is an answer (the gait cause argues from it); Enter only skips the question
            self.data.setdefault("history", {})["injuries"] = []
            return
        more = first is True
        while more:
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
            more = self.yes("Another injury?")
        if found:
            self.data.setdefault("history", {})["injuries"] = found

    def _endurance(self, spec: FieldSpec) -> None:
        test = next(t for t in ENDURANCE_TESTS if t.field == spec.key)
        steps = "\n".join(f"{n}. {escape(step)}" for n, step in enumerate(test.setup, start=1))
        self.console.print(Panel(f"{steps}\n[bold]Stop:[/] {escape(test.stop)}", title=escape(test.name), expand=False))
        self._ask_and_store(spec)

    def _red_flag(self, spec: FieldSpec) -> None:
        if self._ask_and_store(spec) == "true":
            when = "today" if spec.name in URGENT_TODAY else "soon"
            self.console.print(f"  [bold red]This is a warning sign: please see a doctor {when}"
                               f"{' (ask about a CK blood test)' if when == 'today' else ''}.[/]")  # fmt: skip

    def run(self) -> Answers:
        self.console.print("Answer what you know; press [bold]Enter[/] to skip any question, Ctrl-C to stop "
                           "(nothing is written until the end).")  # fmt: skip
        if any(self.data.values()):
            self.console.print("Your earlier answers are shown as [green](now ...)[/]: Enter keeps one, - clears it.")
        section = ""
        for key, spec in all_fields().items():
            if self.only is not None and spec.section not in self.only:
                continue  # kept as it was
            if spec.section != section:
                section = spec.section
                self.console.rule(escape(SECTION_TITLES[section]))
                if section in SECTION_NOTES:
                    self.console.print(escape(SECTION_NOTES[section]))
            if key == "warmup.minutes" and self.data.get("warmup", {}).get("done") != "true":
                if self.data.get("warmup", {}).get("done") == "false":
                    self._store(spec, None)  # no warm-up: no duration
                continue  # nothing to ask without a warm-up
            if spec.kind == "injuries":
                self._injuries()
            elif section == "endurance":
                self._endurance(spec)
            elif section == "red_flags":
                self._red_flag(spec)
            else:
                self._ask_and_store(spec)
        return self._answers()

    def _answers(self) -> Answers:
        flat = {f"{section}.{name}": value for section, values in self.data.items()
                for name, value in values.items() if name != "injuries"}  # fmt: skip
        for number, injury in enumerate(self.data.get("history", {}).get("injuries", []), start=1):
            flat.update({f"history.injuries.{number}.{name}": value for name, value in injury.items()})
        answers = answers_from_form(flat, source="answers")
        if self.data.get("history", {}).get("injuries") == []:  # "no injury", which the form spelling cannot hold
            answers = answers.model_copy(update={"history": History(injuries=())})
        return answers


def ask_answers(
    console: Console, read: Read | None = None, previous: Answers | None = None, only: frozenset[str] | None = None
) -> Answers:
    """Run the questionnaire in a terminal (``read`` defaults to ``console.input``)."""
    return Questionnaire(console, read or (lambda prompt: console.input(prompt)), previous, only).run()


def count_answered(answers: Answers) -> tuple[int, int]:
    """(questions answered, questions asked): an injury list counts as one question."""
    fields = all_fields()
    done = sum(getattr(getattr(answers, s.section), s.name) not in (None, ()) for s in fields.values())
    return done, len(fields)


__all__ = ["Questionnaire", "ask_answers", "count_answered"]
