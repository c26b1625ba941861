"""Read ``answers.toml`` (or a web form) into a validated :class:`Answers`, or say in one line what is wrong.

This is the questionnaire's only way in, so it is where every value is checked
(STYLE habit 11): the findings trust what they get.  A person fills this file
by hand, so each problem is worded for them -- the field's dotted name, what
is allowed (from the model's own bounds, via :mod:`formcheck.answers.fields`)
and what they wrote::

    answers.toml: endurance.extensor_s must be a number of seconds between 0 and 600, got "abc"

Only the first problem is reported (a single line is what the CLI promises);
fixing it reveals the next.  Unknown tables and keys are errors, not ignored,
because a typo (``extenser_s``) would silently drop an answer; they come with a
did-you-mean.  Messages hold no ``[word]`` (the CLI prints them with rich, which
reads that as markup).  Numbers written as strings ("45") and yes/no strings for
booleans are accepted, as a web form sends them; a boolean where a number
belongs is not (Python would read ``true`` as 1 second).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from formcheck.answers.fields import FieldSpec, _num, all_fields, injury_fields, section_models
from formcheck.answers.model import Answers
from formcheck.dates import date_problem
from formcheck.errors import AnswersError

__all__ = ["answers_from_dict", "answers_from_form", "load_answers", "salvage_answers"]


def load_answers(path: Path, source: str | None = None) -> Answers:
    """The answers in the TOML file at ``path``; :class:`AnswersError` (one line) for any problem.

    Messages start with ``source`` (default: the path as given), e.g. the name
    a web upload had on the person's computer rather than its temporary path.
    """
    source = str(path) if source is None else source
    return answers_from_dict(_read_toml(path, source), source)


def salvage_answers(path: Path) -> tuple[Answers, tuple[str, ...]]:
    """The answers of a file that does not load whole, each valid one kept, and a line per answer left out.

    Why: ``formcheck ask`` re-asks a file and writes it back; one mistyped value
    (``extensor_s = "abc"``) must cost that value, not every other answer in the
    file. Answers are added one at a time, in the file's order, each kept if the
    answers so far still validate (so of two that contradict each other, the
    first stays). A file that is not TOML at all has nothing to salvage:
    :class:`AnswersError`, as :func:`load_answers` words it.
    """
    source = str(path)
    data = _read_toml(path, source)
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    for table, values in data.items():
        items = values.items() if isinstance(values, Mapping) else [(None, values)]
        for key, value in items:
            trial = {**kept, table: value} if key is None else {**kept, table: {**kept.get(table, {}), key: value}}
            try:
                answers_from_dict(trial, source)
            except AnswersError as error:
                left_out.append(error.message.removeprefix(f"{source}: "))
                continue
            kept = trial
    return answers_from_dict(kept, source), tuple(left_out)


def _read_toml(path: Path, source: str) -> dict[str, Any]:
    """The parsed TOML of ``path``, or the one-line AnswersError of a file that cannot be read as TOML."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise AnswersError(f"{source}: no such file (formcheck ask writes one)") from None
    except IsADirectoryError:
        raise AnswersError(f"{source} is a folder, not an answers file: give the answers.toml inside it "
                           "(formcheck ask writes one)") from None
    except OSError as error:
        raise AnswersError(f"cannot read {source}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AnswersError(f"{source}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AnswersError(f"{source}: not valid TOML {_toml_where(str(error))}") from None


def _toml_where(message: str) -> str:
    """``Invalid value (at line 3, column 14)`` -> ``at line 3, column 14: invalid value``."""
    found = re.match(r"(?s)(.*?)\s*\((at line \d+, column \d+|at end of document)\)\s*$", message)
    if not found:
        return f": {message}"
    what = found.group(1)
    return f"{found.group(2)}: {what[:1].lower()}{what[1:]}"


def _show(value: Any) -> str:
    """A value as the person wrote it in TOML: strings quoted, booleans lower case, lists bracketed."""
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 42 else shown[:38] + '..."'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_show(v) for v in value[:4]) + (", ..." if len(value) > 4 else "")
        return f"[{inner}]"
    if isinstance(value, Mapping):
        return "a table"
    return str(value)


def _key(name: str) -> str:
    """A key as TOML would need it written: bare when it can be, else quoted (no newline reaches the line)."""
    return name if re.fullmatch(r"[A-Za-z0-9_.-]+", name) else _show(name)


def _suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"did you mean {close[0]}? " if close else ""


def _wrong(source: str, where: str, spec: FieldSpec, value: Any) -> AnswersError:
    return AnswersError(f"{source}: {where} must be {spec.allowed()}, got {_show(value)}")


def _check_keys(source: str, data: Mapping[str, Any]) -> None:
    """Refuse unknown tables and keys (with a did-you-mean) and values of the wrong shape."""
    models, fields = section_models(), all_fields()
    for key, value in data.items():
        if key not in models:
            if not isinstance(value, Mapping):
                owners = [k for k in fields if k.endswith(f".{key}")]
                hint = f"did you mean {owners[0]} (in the {owners[0].split('.')[0]} table)? " if owners else ""
                raise AnswersError(f"{source}: unknown key {_key(key)} outside any table; {hint}"
                                   f"the tables are {', '.join(models)}")  # fmt: skip
            raise AnswersError(f"{source}: unknown table {_key(key)}; {_suggest(key, list(models))}"
                               f"the tables are {', '.join(models)}")  # fmt: skip
        if not isinstance(value, Mapping):
            raise AnswersError(f"{source}: {key} must be a table of {', '.join(models[key].model_fields)}, "
                               f"got {_show(value)}")  # fmt: skip
        names = list(models[key].model_fields)
        for name, item in value.items():
            if name not in names:
                elsewhere = [k for k in fields if k.endswith(f".{name}")]
                hint = _suggest(name, names) or (f"did you mean {elsewhere[0]}? " if elsewhere else "")
                raise AnswersError(f"{source}: unknown key {key}.{_key(name)}; {hint}"
                                   f"the {key} table has {', '.join(names)}")  # fmt: skip
            _check_shape(source, fields[f"{key}.{name}"], item)


def _check_shape(source: str, spec: FieldSpec, value: Any) -> None:
    if isinstance(value, bool) and spec.kind in ("number", "integer", "date", "text", "enum"):
        raise _wrong(source, spec.key, spec, value)
    if spec.kind == "enum_list" and not isinstance(value, (list, tuple)):
        raise _wrong(source, spec.key, spec, value)
    if spec.kind != "injuries":
        return
    if isinstance(value, Mapping):
        raise AnswersError(f"{_wrong(source, spec.key, spec, value).message}; give each injury its own table "
                           "headed history.injuries in double brackets")  # fmt: skip
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, Mapping) for v in value):
        raise _wrong(source, spec.key, spec, value)
    keys = injury_fields()
    for number, injury in enumerate(value, start=1):
        for name, item in injury.items():
            if name not in keys:
                raise AnswersError(f"{source}: history.injuries, injury {number}: unknown key {_key(name)}; "
                                   f"{_suggest(name, list(keys))}an injury has {', '.join(keys)}")  # fmt: skip
            if isinstance(item, bool) and keys[name].kind != "bool":
                raise _wrong(source, f"history.injuries, injury {number}: {name}", keys[name], item)


def _from_validation_error(source: str, error: ValidationError) -> AnswersError:
    first = error.errors()[0]
    loc = first["loc"]
    fields = all_fields()
    spec = fields[f"{loc[0]}.{loc[1]}"] if len(loc) >= 2 else None
    where = ".".join(str(part) for part in loc[:2])
    if spec is not None and spec.kind == "injuries" and len(loc) >= 4 and isinstance(loc[2], int):
        spec = injury_fields()[str(loc[3])]
        where = f"history.injuries, injury {loc[2] + 1}: {loc[3]}"
    elif spec is not None and spec.kind == "enum_list" and len(loc) >= 3:
        pass  # one bad item: show the whole list against what is allowed
    if spec is None:  # not reachable after _check_keys; keep the one-line promise anyway
        return AnswersError(f"{source}: {where or 'answers'}: {first['msg']}")
    if first["type"] == "missing":
        return AnswersError(f"{source}: {where} is required ({spec.question.rstrip('?').lower()}: {spec.help})")
    value = first["input"]
    if spec.kind == "enum_list" and len(loc) >= 3:
        close = difflib.get_close_matches(str(value), list(spec.choices), n=1, cutoff=0.6)
        hint = f" (did you mean \"{close[0]}\"?)" if close else ""
        return AnswersError(f"{source}: {where} must be {spec.allowed()}, got {_show(value)}{hint}")
    return _wrong(source, where, spec, value)


def answers_from_dict(data: Mapping[str, Any], source: str = "answers") -> Answers:
    """Validate parsed TOML (or any nested mapping); ``source`` starts every message."""
    _check_keys(source, data)
    try:
        answers = Answers.model_validate(data)
    except ValidationError as error:
        raise _from_validation_error(source, error) from None
    day = answers.symptom.date
    if day is not None and (problem := date_problem(day)):  # written right, but not a day a run could have been on
        raise AnswersError(f"{source}: symptom.date {day} {problem}: give the day of the run that hurt")
    age, months = answers.runner.age, answers.runner.running_months
    if age is not None and months is not None and months > (age - MIN_RUNNING_AGE) * 12:
        raise AnswersError(f"{source}: runner.running_months is {_num(months)} ({months / 12:.0f} years) "
                           f"but runner.age is {age}: give the months of regular running, at most "
                           f"{max(age - MIN_RUNNING_AGE, 0) * 12} at that age")  # fmt: skip
    for injury in answers.history.injuries:
        if age is not None and injury.months_ago is not None and injury.months_ago > age * 12:
            raise AnswersError(f"{source}: the {injury.part} injury was {_num(injury.months_ago)} months ago, "
                               f"before a {age}-year-old was born: give how many months ago it happened")  # fmt: skip
    taken = answers.substances.taken
    if "none" in taken and len(taken) > 1:
        others = _show([t for t in taken if t != "none"])
        raise AnswersError(f'{source}: substances.taken lists "none" together with {others}; '
                           'keep "none" alone or remove it')  # fmt: skip
    return answers


MIN_RUNNING_AGE = 4
"""Running months counted from age 4 at the earliest: more than that is a typo (or the age is)."""


def _as_number(spec: FieldSpec, value: Any) -> Any:
    """A form's "45" as 45 for a numeric field, so a message says ``got 300`` (not ``got "300"``)."""
    if spec.kind not in ("number", "integer") or not isinstance(value, str):
        return value
    try:
        number = float(value)
    except ValueError:
        return value  # not a number: the validator words it, quoted
    return int(number) if spec.kind == "integer" and number.is_integer() else number


def answers_from_form(form: Mapping[str, str], source: str = "form") -> Answers:
    """Answers from flat web-form fields; empty strings mean "skipped".

    Keys are ``section.field`` (``endurance.extensor_s``); injuries are
    ``history.injuries.N.part`` / ``.side`` / ``.months_ago`` with N counted
    from 1 (an injury whose fields are all empty is skipped);
    ``substances.taken`` is a comma-separated list.  Messages are worded as for
    the TOML file.
    """
    fields = all_fields()
    data: dict[str, dict[str, Any]] = {}
    injuries: dict[int, dict[str, str]] = {}
    for key, raw in form.items():
        value = raw.strip() if isinstance(raw, str) else raw
        found = re.fullmatch(r"history\.injuries\.(\d+)\.(\w+)", key)
        if found:
            if value != "":
                spec = injury_fields().get(found.group(2))
                number = _as_number(spec, value) if spec else value
                injuries.setdefault(int(found.group(1)), {})[found.group(2)] = number
            continue
        if key not in fields:
            hint = _suggest(key, list(fields))
            raise AnswersError(f"{source}: unknown field {_key(key)}" + (f"; {hint.strip()}" if hint else ""))
        if value == "":
            continue
        if fields[key].kind == "enum_list" and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        value = _as_number(fields[key], value)
        section, name = key.split(".", 1)
        data.setdefault(section, {})[name] = value
    if injuries:
        data.setdefault("history", {})["injuries"] = [injuries[n] for n in sorted(injuries)]
    return answers_from_dict(data, source)
