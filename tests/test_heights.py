"""One height range for every way a height comes in (CLI, manifest, answers.toml, web form)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from formcheck.analysis.service import VideoJob
from formcheck.answers.load import answers_from_dict
from formcheck.errors import AnswersError, UsageError
from formcheck.heights import height_problem


@pytest.mark.parametrize("cm", [50.0, 120.0, 178.0, 240.0, 250.0])
def test_human_heights_pass_everywhere(cm: float) -> None:
    assert height_problem(cm) is None
    VideoJob(video=Path("x.mp4"), out_dir=Path("o"), height_cm=cm).validate()
    assert answers_from_dict({"runner": {"height_cm": cm}}).runner.height_cm == cm


@pytest.mark.parametrize("cm", [49.9, 5.9, 1.78, 250.1, 1780.0, math.nan, math.inf])
def test_typos_and_other_units_fail_everywhere_with_the_same_range(cm: float) -> None:
    assert height_problem(cm) == "is not a human height in centimetres (50-250)"
    with pytest.raises(UsageError, match=r"is not a human height in centimetres \(50-250\)"):
        VideoJob(video=Path("x.mp4"), out_dir=Path("o"), height_cm=cm).validate()
    with pytest.raises(AnswersError, match="between 50 and 250"):
        answers_from_dict({"runner": {"height_cm": cm}})

