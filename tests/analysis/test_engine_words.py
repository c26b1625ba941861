"""The engine speaks in domain words: its errors name the setting, never a CLI flag (each front end does that)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.analysis.service import VideoJob
from formcheck.errors import UsageError


@pytest.mark.parametrize(("job", "settings"), [
    (dict(height_cm=20), ("height_cm",)),
    (dict(capture_fps=0.5), ("capture_fps",)),
    (dict(start_s=-1), ("start_s",)),
    (dict(start_s=float("nan")), ("start_s",)),  # nan passes every comparison: refused as not a number
    (dict(end_s=float("inf")), ("end_s",)),
    (dict(start_s=5, end_s=2), ("end_s", "start_s")),
    (dict(workers=0), ("workers",)),
])  # fmt: skip
def test_job_errors_name_the_setting_not_a_flag(job: dict, settings: tuple[str, ...]) -> None:
    with pytest.raises(UsageError) as raised:
        VideoJob(video=Path("v.mp4"), out_dir=Path("o"), **job).validate()
    assert "--" not in raised.value.message
    assert raised.value.settings == settings


def test_the_cli_names_its_own_flags() -> None:
    from formcheck.cli import _with_flags

    error = UsageError("the end of the chosen part (2 s) must be after its start (5 s).", settings=("end_s", "start_s"))
    assert _with_flags(error) == "the end of the chosen part (2 s) must be after its start (5 s) (--end, --start)."
    assert _with_flags(UsageError("plain.")) == "plain."
