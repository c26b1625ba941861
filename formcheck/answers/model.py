"""The runner's answers (``answers.toml``) as one validated pydantic model.

The questionnaire is the third input of a check, beside the video and the
logs: what only the runner knows (experience, past injuries, substances, trunk
endurance test times, and the red-flag symptoms that must come before any
theory).  Every field is optional, because every question is skippable; a value
that *is* given must be possible (an age of 300 or an endurance hold of -5 s is
refused with the field's name and what is allowed), so the findings can trust
what they read.  Unknown keys are refused too: a typo like ``extenser_s`` would
otherwise silently drop an answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from formcheck.heights import HEIGHT_RANGE_CM

SCHEMA = "formcheck.answers/1"

Substance = Literal["oral_anabolic_steroid", "other_hormone", "stimulant_preworkout", "creatine", "none"]
SymptomKind = Literal["pump", "tightness", "pain"]
SymptomWhere = Literal["lower_back", "one_side", "buttock", "leg"]
Sex = Literal["female", "male", "other"]
Side = Literal["left", "right", "both", "none"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Runner(_Section):
    age: int | None = Field(None, ge=10, le=100, description="years")
    sex: Sex | None = None
    height_cm: float | None = Field(None, ge=HEIGHT_RANGE_CM[0], le=HEIGHT_RANGE_CM[1], description="centimetres")
    running_months: float | None = Field(None, ge=0, le=900, description="months of regular running")
    runs_per_week: float | None = Field(None, ge=0, le=21, description="runs in a usual week")


class Symptom(_Section):
    date: dt.date | None = Field(None, description="date of the run that hurt, YYYY-MM-DD")
    kind: SymptomKind | None = None
    where: SymptomWhere | None = None
    minute_into_run: float | None = Field(None, ge=0, le=600, description="minutes after the start")
    forced_walk: bool | None = None
    lasted_min: float | None = Field(None, ge=0, le=10080, description="minutes the pump lasted")
    hours_sore_after: float | None = Field(None, ge=0, le=720, description="hours the back stayed sore")
    severity: int | None = Field(None, ge=0, le=10, description="0 (nothing) to 10 (worst imaginable)")


class Warmup(_Section):
    done: bool | None = None
    minutes: float | None = Field(None, ge=0, le=120)


class Injury(_Section):
    part: str = Field(..., min_length=1, max_length=60, description="e.g. ankle, knee, hip, back")
    side: Side | None = None
    months_ago: float | None = Field(None, ge=0, le=900)


class History(_Section):
    injuries: tuple[Injury, ...] = ()


class Substances(_Section):
    taken: tuple[Substance, ...] = ()


class Endurance(_Section):
    """McGill's trunk endurance tests, seconds held (McGill et al. 1999)."""

    extensor_s: float | None = Field(None, ge=0, le=600, description="Biering-Sorensen hold")
    flexor_s: float | None = Field(None, ge=0, le=600, description="60-degree trunk flexor hold")
    side_bridge_left_s: float | None = Field(None, ge=0, le=600)
    side_bridge_right_s: float | None = Field(None, ge=0, le=600)


RED_FLAG_FIELDS = (
    "saddle_numbness", "bladder_bowel_change", "leg_weakness", "leg_numbness_tingling", "night_pain", "fever",
    "weight_loss", "cancer_history", "trauma", "dark_urine", "pain_far_worse_than_effort", "muscles_rigid_swollen",
)  # fmt: skip


class RedFlags(_Section):
    saddle_numbness: bool | None = None
    bladder_bowel_change: bool | None = None
    leg_weakness: bool | None = None
    leg_numbness_tingling: bool | None = None
    night_pain: bool | None = None
    fever: bool | None = None
    weight_loss: bool | None = None
    cancer_history: bool | None = None
    trauma: bool | None = None
    dark_urine: bool | None = None
    pain_far_worse_than_effort: bool | None = None
    muscles_rigid_swollen: bool | None = None

    def answered_yes(self) -> tuple[str, ...]:
        return tuple(name for name in RED_FLAG_FIELDS if getattr(self, name) is True)

    def answered(self) -> int:
        return sum(getattr(self, name) is not None for name in RED_FLAG_FIELDS)


class Answers(_Section):
    """Everything the runner said; an empty ``Answers()`` means "skipped every question"."""

    runner: Runner = Runner()
    symptom: Symptom = Symptom()
    warmup: Warmup = Warmup()
    history: History = History()
    substances: Substances = Substances()
    endurance: Endurance = Endurance()
    red_flags: RedFlags = RedFlags()
