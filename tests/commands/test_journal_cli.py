"""``formcheck journal add / list`` on a temporary SQLite store, and the storage functions underneath."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.errors import NotFoundError, UsageError
from formcheck.findings.model import JournalEntry
from formcheck.store import Store
from formcheck.store.journal import add_entry, check_entry, entries, open_existing

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _stderr_stays_capturable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``formcheck.cli.main`` moves fd 2 aside for MediaPipe's C++ logs; these tests read stderr via capsys."""
    monkeypatch.setenv("FORMCHECK_NATIVE_LOGS", "1")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'journal.db'}"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main([str(a) for a in args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_update_and_list(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, err = run_cli(capsys, "journal", "add", "--date", "2026-11-30", "--severity", "7", "--walked",
                             "--minute", "14", "--note", "deadlifts the day before", "--db", db)  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "journaled 2026-11-30: severity 7, walked, from minute 14, note 'deadlifts the day before'\n"
    code, out, _ = run_cli(capsys, "journal", "add", "--date", "2026-11-30", "--severity", "6", "--db", db)
    assert code == 0 and out.startswith("updated the entry for 2026-11-30: severity 6 (was: severity 7, walked,")
    assert run_cli(capsys, "journal", "add", "--date", "2026-11-25", "-s", "0", "--db", db)[0] == 0
    today = dt.date.today()  # read when the entry is added, not at import: a suite may cross midnight
    assert run_cli(capsys, "journal", "add", "-s", "2", "--db", db)[1] == f"journaled {today}: severity 2\n"

    code, out, _ = run_cli(capsys, "journal", "list", "--json", "--db", db)
    assert code == 0
    assert json.loads(out) == [
        {"date": "2026-11-25", "severity": 0, "walked": False, "minute": None, "note": ""},
        {"date": "2026-11-30", "severity": 6, "walked": False, "minute": None, "note": ""},
        {"date": today.isoformat(), "severity": 2, "walked": False, "minute": None, "note": ""},
    ]
    code, table, _ = run_cli(capsys, "journal", "--db", db)  # alone, it lists
    assert code == 0 and "symptom journal of default" in table and "2026-11-30" in table
    assert "3 run(s) journaled: 2 with a pump, 0 that ended in a walk." in table
    assert run_cli(capsys, "journal", "list", "--db", db)[1] == table


def test_runners_are_kept_apart(capsys: pytest.CaptureFixture[str], db: str) -> None:
    run_cli(capsys, "journal", "add", "-s", "4", "--db", db, "--runner", "ana")
    code, out, _ = run_cli(capsys, "journal", "--json", "--db", db, "--runner", "ben")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run_cli(capsys, "journal", "--db", db, "--runner", "ben")
    assert out.startswith("no journal entries for ben yet")
    assert len(json.loads(run_cli(capsys, "journal", "--json", "--db", db, "--runner", "ana")[1])) == 1


def test_group_options_before_the_subcommand_are_honoured(capsys: pytest.CaptureFixture[str], db: str,
                                                          tmp_path: Path) -> None:  # fmt: skip
    """``journal --runner bob add``: the runner (and store, and --json for list) given before ``add``/``list``."""
    assert run_cli(capsys, "journal", "--runner", "bob", "--db", db, "add", "-s", "6")[0] == 0
    code, out, _ = run_cli(capsys, "journal", "--runner", "bob", "--db", db, "--json", "list")
    assert code == 0 and [e["severity"] for e in json.loads(out)] == [6]
    assert run_cli(capsys, "journal", "--json", "--db", db, "list", "--runner", "default")[1].strip() == "[]"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run_cli(capsys, "journal", "--db", other, "add", "-s", "2")[0] == 0 and (tmp_path / "other.db").exists()
    assert len(json.loads(run_cli(capsys, "journal", "--json", "--db", other, "--runner", "default")[1])) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--severity", "11"], "severity must be a whole number from 0 (no pump) to 10 (worst), got 11"),
        (["--severity", "-1"], "severity must be a whole number from 0 (no pump) to 10 (worst), got -1"),
        (["--severity", "high"], "--severity must be a whole number, got 'high'"),
        (["--severity", "4.5"], "--severity must be a whole number, got '4.5'"),
        ([], "--severity is required: how bad the pump was, 0 (none) to 10 (worst)"),
        (["-s", "3", "--date", "2999-01-01"], "the date 2999-01-01 is in the future; journal a run after it happened"),
        (["-s", "3", "--date", "1900-01-01"], "the date 1900-01-01 is before 1990; give the day of the run"),
        (["-s", "3", "--date", "30/11/2026"], "--date must be a date written YYYY-MM-DD (or today, yesterday), got '30/11/2026'"),
        (["-s", "3", "--minute", "601"], "the minute the pump started must be between 0 and 600, got 601"),
        (["-s", "3", "--minute", "nan"], "the minute the pump started must be between 0 and 600, got nan"),
        (["-s", "3", "--note", "x" * 2001], "the note is 2001 characters long; keep it to 2000"),
        (["-s", "3", "--runner", "a\nb"], "the runner's name 'a\\nb' holds a control character (a line break or a tab): "
                                          "give a name like --runner anna."),
        (["-s", "3", "--runner", " "], "the runner's name ' ' is empty: give a name like --runner anna."),
    ],
)
def test_bad_values_are_one_line_exit_2_and_create_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str, args: list[str], message: str
) -> None:
    code, out, err = run_cli(capsys, "journal", "add", *args, "--db", db)
    assert (code, out, err) == (2, "", f"error: {message}\n")
    assert not (tmp_path / "journal.db").exists()


def test_bad_severity_through_the_console_script(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "journal", "add", "--severity", "12", "--db", f"sqlite:///{tmp_path / 'j.db'}"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: severity must be a whole number from 0 (no pump) to 10 (worst), got 12\n"


def test_listing_a_store_that_does_not_exist_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    where = tmp_path / "nowhere" / "formcheck.db"
    for args in (["journal"], ["journal", "list", "--json"]):
        code, out, err = run_cli(capsys, *args, "--db", f"sqlite:///{where}")
        assert (code, out) == (9, "")
        assert err == f"error: no store at {where}; nothing has been journaled or imported there yet\n"
    assert not (tmp_path / "nowhere").exists()


def test_the_default_store_is_not_created_by_listing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORMCHECK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    code, _, err = run_cli(capsys, "journal")
    assert code == 9 and err.startswith("error: no store at ")
    assert not (tmp_path / "data").exists() and not (tmp_path / "home").exists()


def test_storage_functions(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        first, created = add_entry(store, "ana", JournalEntry(dt.date(2026, 11, 1), 5, walked=True, minute=9.5))
        assert created
        again, created = add_entry(store, "ana", JournalEntry(dt.date(2026, 11, 1), 2, note="easier"))
        assert (again, created) == (first, False)
        add_entry(store, "ana", JournalEntry(dt.date(2026, 10, 1), 0))
        add_entry(store, "ben", JournalEntry(dt.date(2026, 10, 2), 9))
        assert entries(store, "ana") == [JournalEntry(dt.date(2026, 10, 1), 0),
                                         JournalEntry(dt.date(2026, 11, 1), 2, note="easier")]  # fmt: skip
        assert entries(store, "nobody") == []
        with pytest.raises(UsageError):
            add_entry(store, "ana", JournalEntry(dt.date(2026, 11, 2), True))  # type: ignore[arg-type]
    with open_existing(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert [e.severity for e in entries(store, "ben")] == [9]
    with pytest.raises(NotFoundError):
        open_existing(f"sqlite:///{tmp_path / 'missing.db'}")


def test_check_entry_bounds() -> None:
    today = dt.date(2026, 12, 3)
    check_entry(JournalEntry(today, 0, minute=0.0, note="x" * 2000), today)
    check_entry(JournalEntry(today, 10, minute=600.0), today)
    with pytest.raises(UsageError, match="in the future"):
        check_entry(JournalEntry(today + dt.timedelta(days=1), 3), today)
