"""What each questionnaire field is, in words: its kind, bounds, unit, question and allowed values.

The pydantic model (:mod:`formcheck.answers.model`) is the contract: types and
bounds.  This module reads those bounds back out of the model and adds what only
people need -- the question asked, the unit, a short help text -- so that the
error messages of :mod:`~formcheck.answers.load`, the comments of the template
and the prompts of ``formcheck ask`` all say the same thing and can never drift
from the bounds the model enforces.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel

from formcheck.answers.model import Answers, Injury

Kind = Literal["number", "integer", "bool", "enum", "date", "text", "enum_list", "injuries"]


@dataclass(frozen=True)
class FieldSpec:
    """One answer: where it lives (``section.name``), what it may hold and how it is asked."""

    section: str
    name: str
    kind: Kind
    question: str
    unit: str | None = None  # plural noun: "seconds", "years"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    def allowed(self) -> str:
        """What a valid value looks like, as the end of "x must be ..."."""
        return allowed_text(self.kind, self.unit, self.low, self.high, self.choices)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def allowed_text(kind: Kind, unit: str | None, low: float | None, high: float | None, choices: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{c}"' for c in choices)
    of_unit = f" of {unit}" if unit else ""
    if kind in ("number", "integer"):
        noun = "a number" if kind == "number" else "a whole number"
        return f"{noun}{of_unit} between {_num(low)} and {_num(high)}"
    if kind == "bool":
        return "true or false"
    if kind == "enum":
        return f"one of {quoted}"
    if kind == "date":
        return "a date written YYYY-MM-DD (e.g. 2026-12-01), from 1990 on and not in the future"
    if kind == "text":
        return f"text of {_num(low)} to {_num(high)} characters"
    if kind == "enum_list":
        example = [c for c in choices if c != "none"][-1]
        return f'a list of any of {quoted}, e.g. ["{example}"]'
    return 'a list of tables, one per injury, each like part = "ankle", side = "left", months_ago = 6'


Words = dict[str, tuple[str, str | None, str]]  # key -> (question, unit, help)

# (question, unit, help) per "section.field"; kinds, bounds and choices come from the model.
_WORDS: Words = {
    "runner.age": ("How old are you?", "years", ""),
    "runner.sex": ("Sex", None, "norms for the endurance tests differ between women and men"),
    "runner.height_cm": ("How tall are you?", "centimetres", "scales the video's measurements to real lengths"),
    "runner.running_months": ("How long have you been running regularly?", "months", "0 if you are just starting"),
    "runner.runs_per_week": ("How many runs do you do in a usual week?", "runs", ""),
    "symptom.date": ("On which date was the run that hurt?", None, "picks the run from your logs"),
    "symptom.kind": ("What did it feel like?", None,
                     "pump = muscles swollen, tight and 'full' like after heavy sets; tightness = stiff; pain = hurts"),
    "symptom.where": ("Where was it?", None,
                      "lower_back = both sides of the spine; one_side = one side only; buttock; leg = down a leg"),
    "symptom.minute_into_run": ("How many minutes into the run did it start?", "minutes", ""),
    "symptom.forced_walk": ("Did it make you slow down or walk?", None, ""),
    "symptom.lasted_min": ("How long did it last?", "minutes", ""),
    "symptom.hours_sore_after": ("How many hours was your back sore afterwards?", "hours", "0 if not at all"),
    "symptom.severity": ("How bad was it at its worst?", None, "0 = nothing, 10 = worst imaginable"),
    "warmup.done": ("Did you warm up before the run?", None, "walking, easy jogging, drills or mobility"),
    "warmup.minutes": ("For how many minutes did you warm up?", "minutes", ""),
    "history.injuries": ("Any past injuries (e.g. an ankle sprain, a knee or back injury)?", None,
                         ""),
    "substances.taken": ("In the weeks before the run, did you take any of these?", None,
                         "oral_anabolic_steroid = e.g. methasterone ('Superdrol'); other_hormone = e.g. injected "
                         "testosterone, thyroid; stimulant_preworkout = caffeine/pre-workout; none = none of these"),
    "endurance.extensor_s": ("Back extensor hold (Biering-Sorensen): seconds held", "seconds", ""),
    "endurance.flexor_s": ("Trunk flexor hold at 60 degrees: seconds held", "seconds", ""),
    "endurance.side_bridge_left_s": ("Side bridge on your LEFT elbow: seconds held", "seconds", ""),
    "endurance.side_bridge_right_s": ("Side bridge on your RIGHT elbow: seconds held", "seconds", ""),
    "red_flags.saddle_numbness": (
        "Numbness around the groin, genitals, buttocks or inner thighs (where you would sit on a saddle)?", None, ""),
    "red_flags.bladder_bowel_change": ("Any new trouble passing or holding urine or stool?", None, ""),
    "red_flags.leg_weakness": ("New weakness in a leg or foot (tripping, a foot that slaps down)?", None, ""),
    "red_flags.leg_numbness_tingling": ("Numbness or pins and needles running down a leg?", None, ""),
    "red_flags.night_pain": ("Back pain at night that does not ease with rest or changing position?", None, ""),
    "red_flags.fever": ("Fever, chills or feeling generally unwell with the back pain?", None, ""),
    "red_flags.weight_loss": ("Weight loss you cannot explain?", None, ""),
    "red_flags.cancer_history": ("Have you ever had cancer?", None, ""),
    "red_flags.trauma": ("A recent fall, crash or blow to the back?", None, ""),
    "red_flags.dark_urine": ("Dark urine (tea- or cola-coloured) in the day after the run?", None, ""),
    "red_flags.pain_far_worse_than_effort": ("Pain far worse than the effort of the run would explain?", None, ""),
    "red_flags.muscles_rigid_swollen": ("Back muscles rigid, swollen or very tender to touch for hours?", None, ""),
}  # fmt: skip

INJURY_WORDS: Words = {
    "part": ("Which part was injured?", None, "e.g. ankle, knee, hip, hamstring, back"),
    "side": ("Which side?", None, ""),
    "months_ago": ("How many months ago?", "months", ""),
}


def _bounds(info: Any) -> tuple[float | None, float | None]:
    low = high = None
    for item in info.metadata:
        if isinstance(item, Ge):
            low = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, Le):
            high = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, MinLen):
            low = float(item.min_length)
        elif isinstance(item, MaxLen):
            high = float(item.max_length)
    return low, high


def _kind(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    """The field's kind and its allowed values, from its type (``X | None`` unwrapped)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = args[0]
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "enum", tuple(typing.get_args(annotation))
    if origin is tuple:
        item = typing.get_args(annotation)[0]
        if item is Injury:
            return "injuries", ()
        return "enum_list", tuple(typing.get_args(item))
    simple: dict[Any, Kind] = {bool: "bool", int: "integer", float: "number", dt.date: "date", str: "text"}
    return simple[annotation], ()


def spec_of(model: type[BaseModel], section: str, name: str, words: Words) -> FieldSpec:
    info = model.model_fields[name]
    kind, choices = _kind(info.annotation)
    low, high = _bounds(info)
    question, unit, help_ = words.get(name if words is INJURY_WORDS else f"{section}.{name}", (name, None, ""))
    return FieldSpec(section, name, kind, question, unit, low, high, choices, help_)


def section_models() -> dict[str, type[BaseModel]]:
    """Table name -> its pydantic model, in the order of :class:`Answers`."""
    return {name: info.annotation for name, info in Answers.model_fields.items()}  # type: ignore[misc]


def all_fields() -> dict[str, FieldSpec]:
    """Every answer as ``"section.field" -> FieldSpec``, in questionnaire order."""
    return {
        f"{section}.{name}": spec_of(model, section, name, _WORDS)
        for section, model in section_models().items()
        for name in model.model_fields
    }


def injury_fields() -> dict[str, FieldSpec]:
    """The keys of one ``[[history.injuries]]`` table."""
    return {name: spec_of(Injury, "history.injuries", name, INJURY_WORDS) for name in Injury.model_fields}
