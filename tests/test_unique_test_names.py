"""Test modules need unique file names across ``tests/``.

Why: the test folders are not packages (pytest's default "prepend" import mode), so two files named alike
in different folders make a single-process run fail at collection ("import file mismatch") even when a
parallel run happened to pass; CI once failed on exactly that.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_two_test_modules_share_a_file_name() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in TESTS.rglob("*.py"):
        if path.name != "conftest.py" and "__pycache__" not in path.parts:
            by_name[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert clashes == {}
