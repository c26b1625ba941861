"""``answers.toml`` as text: the commented template, filled answers, and the trunk endurance tests.

One writer does both jobs: :func:`answers_to_toml` writes every table and
every question as a comment (what it means, its unit and what is allowed),
with the answered values as live TOML lines and the unanswered ones commented
out.  So :data:`TEMPLATE` (nothing answered) is itself a valid file that means
"every question skipped", and a file written by ``formcheck ask`` is also the
template for whatever the runner skipped.  ``tomli_w`` is not a dependency;
the TOML here is a handful of scalars and one array of tables, written by
hand and checked by a round-trip test (``load(write(a)) == a``).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from typing import Any

from formcheck.answers.fields import FieldSpec, all_fields, injury_fields, section_models
from formcheck.answers.model import Answers

__all__ = ["ENDURANCE_TESTS", "EnduranceTest", "TEMPLATE", "answers_to_toml", "toml_value"]

MCGILL_1999 = (
    "McGill SM, Childs A, Liebenson C. Endurance times for low back stabilization exercises: clinical targets "
    "for testing and training from a normal database. Arch Phys Med Rehabil 1999;80(8):941-944."
)


@dataclass(frozen=True)
class EnduranceTest:
    """How to do one of McGill's trunk endurance tests, read before the time is asked for."""

    field: str  # "endurance.extensor_s"
    name: str
    setup: tuple[str, ...]
    stop: str


_COMMON = "Warm up first, rest at least 5 minutes between tests, and stop at once if it hurts (then leave it blank)."
_SIDE = (
    "Lie on your {side} side, legs straight, the top foot in front of the lower one.",
    "Lift your hips so you rest only on your {side} elbow (under the shoulder) and your feet; "
    "body in one straight line; the top arm across the chest, hand on the opposite shoulder.",
)

ENDURANCE_TESTS: tuple[EnduranceTest, ...] = (
    EnduranceTest(
        "endurance.extensor_s", "Back extensor hold (Biering-Sorensen test)",
        ("Lie face down on a bench or a firm bed with your upper body off the edge from the hip bones up.",
         "Someone holds your ankles down (or use a strap); cross your arms over your chest.",
         "Lift the upper body until it is straight and level with your legs (horizontal), and start the clock."),
        "Stop the clock when your upper body drops below level and you cannot bring it back.",
    ),  # fmt: skip
    EnduranceTest(
        "endurance.flexor_s", "Trunk flexor hold at 60 degrees",
        ("Sit with knees and hips bent at 90 degrees, feet held down by a partner or a strap, "
         "arms crossed on your chest.",
         "Lean back against a support (a wedge or a partner's hands) so your back is at 60 degrees to the floor.",
         "Move the support 10 cm back, hold the 60-degree position on your own, and start the clock."),
        "Stop the clock when your back sinks towards the support and you can no longer hold 60 degrees.",
    ),  # fmt: skip
    EnduranceTest(
        "endurance.side_bridge_left_s", "Side bridge, LEFT side down",
        tuple(line.format(side="left") for line in _SIDE) + ("Start the clock when your hips are up.",),
        "Stop the clock when your hips drop towards the floor and you cannot straighten again.",
    ),  # fmt: skip
    EnduranceTest(
        "endurance.side_bridge_right_s", "Side bridge, RIGHT side down",
        tuple(line.format(side="right") for line in _SIDE) + ("Start the clock when your hips are up.",),
        "Stop the clock when your hips drop towards the floor and you cannot straighten again.",
    ),  # fmt: skip
)
ENDURANCE_NOTE = f"{_COMMON} Write the seconds held. Tests from McGill et al. 1999."

_EXAMPLES: dict[str, Any] = {
    "runner.age": 34, "runner.height_cm": 178, "runner.running_months": 6, "runner.runs_per_week": 3,
    "symptom.date": dt.date(2026, 12, 1), "symptom.minute_into_run": 15, "symptom.lasted_min": 20,
    "symptom.hours_sore_after": 6, "symptom.severity": 6, "warmup.minutes": 10,
    "endurance.extensor_s": 90, "endurance.flexor_s": 80, "endurance.side_bridge_left_s": 60,
    "endurance.side_bridge_right_s": 60, "substances.taken": ("creatine",),
    "part": "ankle", "side": "left", "months_ago": 8,
}  # fmt: skip


def toml_value(value: Any) -> str:
    """One value in TOML syntax (the types :class:`Answers` holds: str, bool, int, float, date, tuples)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # JSON's escapes are a subset of TOML basic-string escapes; TOML also forbids a raw DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _example(spec: FieldSpec, key: str) -> Any:
    if key in _EXAMPLES:
        return _EXAMPLES[key]
    return {"bool": False, "enum": spec.choices[0] if spec.choices else ""}.get(spec.kind, 0)


def _comment(spec: FieldSpec) -> list[str]:
    """The question (with its help) and, indented below it, what is allowed."""
    text = spec.question + (f" ({spec.help})" if spec.help else "")
    return [f"# {line}" for line in textwrap.wrap(text, 96)] + [f"#   {spec.allowed()}"]


def _field_lines(spec: FieldSpec, value: Any, key: str) -> list[str]:
    answered = value is not None and value != ()
    line = f"{spec.name} = {toml_value(value if answered else _example(spec, key))}"
    return ["", *_comment(spec), line if answered else f"# {line}"]


def _endurance_lines(field: str) -> list[str]:
    """How to do the test whose time ``field`` holds, as comments above it."""
    test = next(t for t in ENDURANCE_TESTS if t.field == field)
    lines = [f"# {test.name}:"]
    for number, step in enumerate((*test.setup, test.stop), start=1):
        wrapped = textwrap.wrap(step, 92)
        lines += [f"#   {number}. {wrapped[0]}", *(f"#      {part}" for part in wrapped[1:])]
    return lines


_HEADINGS = {
    "runner": "About you.",
    "symptom": "The run that hurt.",
    "warmup": "Before that run.",
    "history": "Past injuries: copy the [[history.injuries]] block once per injury and remove its #.",
    "substances": "Supplements and drugs (asked because some are known to cause back pumps; "
                  "this file stays on your computer).",
    "endurance": "Trunk endurance tests: seconds each position was held.",
    "red_flags": ("Warning signs: true or false. formcheck is not a diagnosis; any true answer here means: "
                  "see a doctor or physiotherapist before trying to explain the pump yourself."),
}  # fmt: skip

_PREAMBLE = """\
# formcheck answers: what only you know about the run that hurt your lower back.
#
# Every question is optional. A line starting with # is skipped: to answer one,
# remove the "# " in front of its key and change the value. Text goes in
# "quotes", dates are written 2026-12-01, true/false without quotes.
# Check the file with:  formcheck ask --check answers.toml
"""


def answers_to_toml(answers: Answers) -> str:
    """The whole questionnaire as TOML: answered values live, the rest as commented examples."""
    fields, injury_keys = all_fields(), injury_fields()
    lines = [_PREAMBLE.rstrip("\n")]
    for section, model in section_models().items():
        lines += ["", *(f"# {part}" for part in textwrap.wrap(f"-- {_HEADINGS[section]}", 98))]
        lines.append(f"[{section}]")
        if section == "endurance":
            lines += [f"# {part}" for part in textwrap.wrap(ENDURANCE_NOTE, 98)]
            lines += [f"#   {part}" for part in textwrap.wrap(MCGILL_1999, 96)]
        part = getattr(answers, section)
        for name in model.model_fields:
            key = f"{section}.{name}"
            if fields[key].kind == "injuries":
                lines += _injury_lines(answers, fields[key], injury_keys)
            elif section == "endurance":
                lines += ["", *_endurance_lines(key), *_field_lines(fields[key], getattr(part, name), key)[1:]]
            else:
                lines += _field_lines(fields[key], getattr(part, name), key)
    return "\n".join(lines) + "\n"


def _injury_lines(answers: Answers, spec: FieldSpec, keys: dict[str, FieldSpec]) -> list[str]:
    lines = ["", *_comment(spec)]
    if not answers.history.injuries and "injuries" in answers.history.model_fields_set:
        lines.append("injuries = []  # answered: none (delete this line to list injuries below)")
    for injury in answers.history.injuries:
        lines.append("[[history.injuries]]")
        for name in keys:
            value = getattr(injury, name)
            if value is not None:
                lines.append(f"{name} = {toml_value(value)}")
    lines.append("# [[history.injuries]]")
    for name, sub in keys.items():
        lines += [f"#   {c[2:]}" for c in _comment(sub)] + [f"# {name} = {toml_value(_example(sub, name))}"]
    return lines


TEMPLATE = answers_to_toml(Answers())
