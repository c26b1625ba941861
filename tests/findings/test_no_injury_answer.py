"""A "no" to the injury question is an answer, kept apart from a skipped question all the way to the cause.

The gait cause argues against itself from "no leg, hip or back injury
reported"; a runner who only pressed Enter has not said that.
"""

from __future__ import annotations

import io

from rich.console import Console
from video_builders import inputs, m, side_video, thresholds

from formcheck.answers import load_answers
from formcheck.answers.ask import Questionnaire
from formcheck.answers.template import answers_to_toml
from formcheck.findings.causes import injury_gait


def _asked(injury_reply: str, previous=None):
    """Every question skipped except the injury one, answered ``injury_reply``."""
    def read(prompt: str) -> str:
        return injury_reply if "Any past injury" in prompt else ""

    return Questionnaire(Console(file=io.StringIO()), read, previous=previous, only=frozenset({"history"})).run()


def test_no_is_kept_as_none_and_enter_as_not_given(tmp_path) -> None:
    said_no, skipped = _asked("n"), _asked("")
    assert said_no.history.injuries == () and "injuries" in said_no.history.model_fields_set
    assert "injuries" not in skipped.history.model_fields_set

    written = tmp_path / "answers.toml"
    written.write_text(answers_to_toml(said_no), encoding="utf-8")
    assert "injuries = []  # answered: none" in written.read_text(encoding="utf-8")
    reread = load_answers(written)
    assert "injuries" in reread.history.model_fields_set
    assert "injuries" in _asked("", previous=reread).history.model_fields_set  # Enter keeps the earlier "no"

    clip = side_video(step_time_asymmetry_pct=m(14.0, None, 80))
    th = thresholds()
    assert "no leg, hip or back injury reported" in injury_gait.assess(inputs(clip, answers=said_no), th).against
    assert "no leg, hip or back injury reported" not in injury_gait.assess(inputs(clip, answers=skipped), th).against
