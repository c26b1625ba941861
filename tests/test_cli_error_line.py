"""The CLI prints an error message as text: brackets quoted from a user's file are kept, not read as markup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_bracketed_values_in_error_messages_survive(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[history]\ninjuries = [true]\n")
    done = subprocess.run([sys.executable, "-m", "formcheck.cli", "check", "--answers", str(answers),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert lines[0].endswith("got [true]")
    assert not (tmp_path / "out").exists()


def test_option_errors_do_not_mention_an_absent_environment_variable(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "formcheck.cli", "analyze", str(tmp_path / "x.mp4"), "--out",
                           str(tmp_path / "o"), "--workers", "abc"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "'abc' is not a valid integer" in done.stderr
    assert "env var" not in done.stderr


def test_an_option_missing_its_value_points_at_its_own_commands_help() -> None:
    for args, command in ((["journal", "add", "--severity"], "formcheck journal add"),
                          (["check", "--out"], "formcheck check"), (["import", "--units"], "formcheck import"),
                          (["analyze", "x.mp4", "--start"], "formcheck analyze")):  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "formcheck.cli", *args], capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        option = args[-1]
        assert done.returncode == 2 and done.stderr == (
            f"error: option '{option}' requires an argument (see {command} --help).\n"), (args, done.stderr)
