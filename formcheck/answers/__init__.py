"""The questionnaire: ``answers.toml`` read and validated (``load_answers``), written (``ask``, template)."""

from __future__ import annotations

from formcheck.answers.load import answers_from_form, load_answers
from formcheck.answers.model import RED_FLAG_FIELDS, Answers, Endurance, History, Injury, RedFlags, Runner, Substances, Symptom, Warmup

__all__ = [
    "RED_FLAG_FIELDS", "Answers", "Endurance", "History", "Injury", "RedFlags", "Runner", "Substances", "Symptom",
    "Warmup", "answers_from_form", "load_answers",
]  # fmt: skip
