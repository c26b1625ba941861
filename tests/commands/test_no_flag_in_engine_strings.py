"""The engine speaks in domain words: no string it can show a person names a ``--flag``, and every setting
an error names has a CLI flag (and, where the web app can set it, a form field) to be worded with.

Read from the source (every string constant that is not a docstring), so a flag typed into any new
message, warning or "not assessed" text fails here, whether or not a test ever triggers it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from formcheck.cli import CLI_FLAGS
from formcheck.errors import FormcheckError, UsageError
from formcheck.web.wording import WEB_FIELDS, for_web

PACKAGE = Path(__file__).resolve().parents[2] / "formcheck"
FRONT_ENDS = ("commands", "batch", "web")  # they word things for their own users; cli.py too
WRITTEN_FOR_THE_CLI = {
    "answers/template.py",  # the answers.toml that `formcheck ask` writes, comments and all
    "asking.py",  # the report's "where to give it" for each front end, the CLI's included
}
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
NO_WEB_FIELD = {"start_s", "end_s", "capture_fps", "workers", "db", "data_dir"}  # the web app cannot set these


def _engine_modules() -> list[Path]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in FRONT_ENDS or rel.name == "cli.py" or rel.as_posix() in WRITTEN_FOR_THE_CLI:
            continue
        found.append(path)
    return found


def _strings(tree: ast.AST) -> list[ast.Constant]:
    """Every string constant but docstrings (module, class, function and attribute ones)."""
    docs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            docs.add(id(node.value))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_the_scan_sees_the_engine() -> None:
    modules = {p.relative_to(PACKAGE).as_posix() for p in _engine_modules()}
    assert {"logs/strength_csv.py", "store/queries.py", "check/validate.py", "report/calendar.py"} <= modules
    assert not any(m.startswith(("commands/", "web/")) for m in modules)


def test_no_engine_string_names_a_cli_flag() -> None:
    offenders = [f"{p.relative_to(PACKAGE)}:{n.lineno}: {n.value[:80]!r}" for p in _engine_modules()
                 for n in _strings(ast.parse(p.read_text(encoding="utf-8"))) if FLAG.search(n.value)]  # fmt: skip
    assert offenders == []


def test_the_scan_would_catch_a_flag() -> None:
    tree = ast.parse('def f():\n    """See --tz."""\n    raise ValueError(f"pass --units kg, not {x}")\n')
    assert [n.value for n in _strings(tree) if FLAG.search(n.value)] == ["pass --units kg, not "]


def _settings_named() -> set[str]:
    """Every name in a ``settings=(...)`` given to an error anywhere in the package."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "settings" and isinstance(node.value, ast.Tuple):
                names |= {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    return names


def test_every_setting_an_error_names_has_a_flag_and_a_field_or_none_on_purpose() -> None:
    named = _settings_named()
    assert {"units", "tz", "runner", "height_cm", "start_s"} <= named
    assert named - set(CLI_FLAGS) == set()
    assert named - set(WEB_FIELDS) - NO_WEB_FIELD == set()


@pytest.mark.parametrize(("settings", "cli", "web"), [
    (("units",), "(--units).", '(the "Weights in" field).'),
    (("tz",), "(--tz).", '(the "tz" field'),
    (("start_s", "end_s"), "(--start, --end).", None),
])  # fmt: skip
def test_each_front_end_adds_its_own_name(settings: tuple[str, ...], cli: str, web: str | None) -> None:
    from formcheck.cli import _with_flags

    error: FormcheckError = UsageError("something about it is wrong.", settings=settings)
    assert _with_flags(error).endswith(cli)
    worded = for_web(error)
    assert "--" not in worded
    assert (web in worded) if web else worded == "something about it is wrong."
