"""``formcheck ask`` as a person meets it: in a real terminal (tmux, a pty), from a script, and ``--check``."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from formcheck.answers import Answers, load_answers
from formcheck.answers.files import stamp, written_by_formcheck
from formcheck.answers.template import TEMPLATE, answers_to_toml

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "formcheck.cli"]


def formcheck(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, input=stdin if stdin is not None else "", capture_output=True, text=True,
        timeout=120, env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "250"},
    )  # fmt: skip


def test_without_a_terminal_it_writes_the_template_and_says_so(tmp_path: Path) -> None:
    result = formcheck("ask", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("no terminal to ask the questions in: wrote the questionnaire template to answers.toml")
    written = tmp_path / "answers.toml"
    assert written.read_text(encoding="utf-8").split("\n", 1)[1] == TEMPLATE
    assert written_by_formcheck(written) and load_answers(written) == Answers()
    assert written.stat().st_mode & 0o077 == 0  # health information: owner only


def test_it_never_overwrites_a_file_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "answers.toml"
    mine.write_text("[runner]\nage = 40\n", encoding="utf-8")
    result = formcheck("ask", "--out", "answers.toml", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr == (
        "error: answers.toml already exists and formcheck did not write it (or it was edited since); "
        "use --force to replace it or --out to write elsewhere.\n"
    )
    assert mine.read_text(encoding="utf-8") == "[runner]\nage = 40\n"
    assert not [p for p in tmp_path.iterdir() if p.name != "answers.toml"]  # no temporary file left behind


def test_its_own_file_is_replaced_but_not_once_edited(tmp_path: Path) -> None:
    assert formcheck("ask", cwd=tmp_path).returncode == 0
    assert formcheck("ask", cwd=tmp_path).returncode == 0  # unchanged since formcheck wrote it
    path = tmp_path / "answers.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("# age = 34", "age = 34"), encoding="utf-8")
    assert formcheck("ask", cwd=tmp_path).returncode == 4  # the person filled it in: theirs now
    assert load_answers(path).runner.age == 34
    forced = formcheck("ask", "--force", cwd=tmp_path)  # rewritten as formcheck's, the answer kept
    assert forced.returncode == 0 and "(keeping the answer it held)" in forced.stderr
    assert load_answers(path) == Answers.model_validate({"runner": {"age": 34}}) and written_by_formcheck(path)


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    assert formcheck("ask", "--out", ".", "--force", cwd=tmp_path).stderr == "error: . is a folder: give a file name, e.g. answers.toml.\n"
    result = formcheck("ask", "--out", "nowhere/answers.toml", cwd=tmp_path)
    assert result.returncode == 4 and "the folder nowhere does not exist" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[endurance]\nextensor_s = "abc"\n',
         'answers.toml: endurance.extensor_s must be a number of seconds between 0 and 600, got "abc"'),
        ("[endurance]\nextensor_s = 601\n", "answers.toml: endurance.extensor_s must be a number of seconds between 0 and 600, got 601"),
        ("[runner]\nage = true\n", "answers.toml: runner.age must be a whole number of years between 10 and 100, got true"),
        ('[symptom]\nwhere = "neck"\n', 'answers.toml: symptom.where must be one of "lower_back", "one_side", "buttock", "leg", got "neck"'),
        ('[symptom]\ndate = "28.11.2026"\n', 'answers.toml: symptom.date must be a date written YYYY-MM-DD (e.g. 2026-12-01), from 1990 on and not in the future, got "28.11.2026"'),
        ('[history]\ninjuries = ["ankle"]\n', 'answers.toml: history.injuries must be a list of tables, one per injury, each like part = "ankle", side = "left", months_ago = 6, got ["ankle"]'),
        ("[red_flag]\nfever = true\n", "answers.toml: unknown table red_flag; did you mean red_flags? the tables are runner, symptom, warmup, history, substances, endurance, red_flags"),
        ("[warmup]\nminutes = 10\nmintues = 5\n", "answers.toml: unknown key warmup.mintues; did you mean minutes? the warmup table has done, minutes"),
        ("[runner]\nage = 30\n[runner]\n", "answers.toml: not valid TOML at line 3, column 8: cannot declare ('runner',) twice"),
        (None, "answers.toml: no such file (formcheck ask writes one)"),
    ],
)
def test_check_gives_one_line_and_exit_2(tmp_path: Path, text: str | None, message: str) -> None:
    if text is not None:
        (tmp_path / "answers.toml").write_text(text, encoding="utf-8")
    result = formcheck("ask", "--check", "answers.toml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


def test_check_of_a_good_file_says_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "answers.toml").write_text("[runner]\nage = 30\n[red_flags]\ndark_urine = true\n", encoding="utf-8")
    result = formcheck("ask", "--check", "answers.toml", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("answers.toml: valid; 2 of 33 questions answered.\n")
    assert "warning signs answered yes: dark_urine -- see a clinician" in result.stdout


# -- a real terminal -------------------------------------------------------------------------------

# (text the prompt shows, what the person types); "" is Enter, i.e. skip.
SESSION = [
    ("How old are you?", "34"), ("Sex", "2"), ("How tall are you?", ""), ("running regularly?", "3"),
    ("usual week?", "abc"), ("must be a number of runs between 0 and 21", "3"),
    ("On which date", "yesterday"), ("What did it feel like?", "pump"), ("Where was it?", "1"),
    ("minutes into the run", "12"), ("slow down or walk?", "y"), ("How long did it last?", ""),
    ("sore afterwards?", ""), ("How bad was it", "7"), ("warm up before the run?", "n"),
    ("Any past injury", "y"), ("Which part was injured?", "ankle"), ("Which side?", "left"),
    ("How many months ago?", "8"), ("Another injury?", ""), ("did you take any of these?", "4"),
    ("Biering-Sorensen): seconds held", "62"), ("60 degrees: seconds held", ""),
    ("LEFT elbow: seconds held", "40"), ("RIGHT elbow: seconds held", "52.5"),
    ("saddle)?", ""), ("urine or stool?", ""), ("leg or foot", ""), ("down a leg?", ""),
    ("changing position?", "y"), ("Fever", "n"), ("Weight loss", ""), ("had cancer?", ""), ("blow to the back?", ""),
    ("Dark urine", "no"), ("would explain?", ""), ("tender to touch", ""),
]  # fmt: skip


def expected_answers() -> Answers:
    """What the scripted session should save; "yesterday" is read against today's date when the test runs."""
    return Answers.model_validate({
        "runner": {"age": 34, "sex": "male", "running_months": 3, "runs_per_week": 3},
        "symptom": {"date": dt.date.today() - dt.timedelta(days=1), "kind": "pump", "where": "lower_back",
                    "minute_into_run": 12, "forced_walk": True, "severity": 7},
        "warmup": {"done": False},
        "history": {"injuries": [{"part": "ankle", "side": "left", "months_ago": 8}]},
        "substances": {"taken": ["creatine"]},
        "endurance": {"extensor_s": 62, "side_bridge_left_s": 40, "side_bridge_right_s": 52.5},
        "red_flags": {"night_pain": True, "fever": False, "dark_urine": False},
    })  # fmt: skip


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_interactive_in_tmux(tmp_path: Path) -> None:
    socket = f"formcheck-test-{os.getpid()}"
    tmux = ["tmux", "-L", socket]
    out = tmp_path / "mine.toml"
    # The pane's own width, not an inherited COLUMNS, decides where rich wraps.
    command = f"cd {REPO} && env -u COLUMNS -u LINES {sys.executable} -m formcheck.cli ask --out {out}; echo EXIT=$?; sleep 120"
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "220", "-y", "60", command], check=True)

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-J", "-S", "-400"], capture_output=True, text=True).stdout

    def wait_for(text: str, after: int) -> int:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = screen().find(text, after)
            if found >= 0:
                return found
            time.sleep(0.05)
        raise AssertionError(f"never saw {text!r}; the screen was:\n{screen()}")

    try:
        at = 0
        for prompt, keys in SESSION:
            at = wait_for(prompt, at)
            if prompt == "Biering-Sorensen): seconds held":  # the test's instructions came first
                assert "Lie face down on a bench" in screen()[:at]
            if keys:  # -l: literally, or "left" would be the arrow key
                subprocess.run([*tmux, "send-keys", "-t", "0", "-l", keys], check=True)
            subprocess.run([*tmux, "send-keys", "-t", "0", "Enter"], check=True)
            at += len(prompt)
        wait_for("EXIT=0", at)
        text = screen()
        assert "This is a warning sign: please see a doctor soon." in text  # night pain
        assert "must be a number of runs between 0 and 21, got \"abc\"" in text
        assert f"wrote {out} (19 of 33 questions answered" in text
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert load_answers(out) == expected_answers()
    assert written_by_formcheck(out)


class Pty:
    """``formcheck`` on a pseudo-terminal 200 columns wide: type lines, wait for what it shows."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))  # no wrapping
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "TERM": "xterm"}  # "dumb" means 80 columns
        env.pop("COLUMNS", None)
        self.process = subprocess.Popen([*CLI, *args], cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        close_fds=True)  # fmt: skip
        os.close(slave)
        self.seen = b""

    def wait_for(self, text: bytes, times: int = 1) -> None:
        """Until ``text`` was shown ``times`` times (keys typed before a prompt reads them may be flushed)."""
        deadline = time.monotonic() + 60
        while self.seen.count(text) < times:
            assert time.monotonic() < deadline, self.seen.decode(errors="replace")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:
                    break
        assert self.seen.count(text) >= times, self.seen.decode(errors="replace")

    def answer(self, prompt: bytes, keys: bytes) -> None:
        self.wait_for(prompt)
        os.write(self.master, keys + b"\n")

    def close(self) -> int:
        try:
            return self.process.wait(timeout=30)
        finally:
            self.process.kill() if self.process.poll() is None else None
            os.close(self.master)


def test_interactive_in_a_pty_end_of_input_writes_nothing(tmp_path: Path) -> None:
    """A pseudo-terminal: a wrong value is asked again, Enter skips, Ctrl-D stops with nothing written."""
    pty = Pty(["ask", "--out", "p.toml"], tmp_path)
    try:
        pty.answer(b"How old are you?", b"300")
        pty.wait_for(b"must be a whole number of years between 10 and 100, got 300 (Enter skips)")
        pty.wait_for(b"How old are you?", times=2)  # asked again
        os.write(pty.master, b"\n")  # skip
        pty.answer(b"[1) female  2) male  3) other]", b"\x04")  # Ctrl-D
        pty.wait_for(b"interrupted; nothing was written.")
    finally:
        code = pty.close()
    assert code == 130
    assert not (tmp_path / "p.toml").exists() and list(tmp_path.iterdir()) == []


def test_asked_again_it_keeps_earlier_answers_and_can_ask_one_table(tmp_path: Path) -> None:
    """``ask --only endurance`` a day later: Enter keeps a time, "-" clears one, the other tables stay."""
    path = tmp_path / "answers.toml"
    earlier = Answers.model_validate({"runner": {"age": 34}, "endurance": {"extensor_s": 50, "side_bridge_left_s": 30}})
    path.write_text(stamp(answers_to_toml(earlier)), encoding="utf-8")
    pty = Pty(["ask", "--only", "endurance"], tmp_path)
    try:
        pty.wait_for(b"Enter keeps one, - clears it.")
        pty.answer(b"(now 50; - clears)", b"")
        pty.answer(b"60 degrees: seconds held", b"70")
        pty.answer(b"(now 30; - clears)", b"-")
        pty.answer(b"RIGHT elbow: seconds held", b"45")
        pty.wait_for(b"questions answered")
    finally:
        code = pty.close()
    assert code == 0
    assert b"How old are you?" not in pty.seen and b"Warning signs" not in pty.seen
    assert load_answers(path) == Answers.model_validate(
        {"runner": {"age": 34}, "endurance": {"extensor_s": 50, "flexor_s": 70, "side_bridge_right_s": 45}}
    )


def test_without_a_terminal_an_earlier_answer_file_keeps_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    earlier = Answers.model_validate({"runner": {"age": 34}, "red_flags": {"fever": False}})
    path.write_text(stamp(answers_to_toml(earlier)), encoding="utf-8")
    result = formcheck("ask", cwd=tmp_path)
    assert result.returncode == 0 and "(keeping the 2 answers it held)" in result.stderr
    assert load_answers(path) == earlier


def test_only_names_a_table(tmp_path: Path) -> None:
    result = formcheck("ask", "--only", "endurnce", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "error: --only 'endurnce' is not a table of the questionnaire; "
                                                     "use one of runner, symptom, warmup, history, substances, "
                                                     "endurance, red_flags\n")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_one_bad_value_costs_that_value_not_the_other_answers(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_text('[runner]\nage = 34\nheight_cm = 178\n[symptom]\ndate = 2026-11-30\nkind = "pump"\n'
                    '[endurance]\nextensor_s = "abc"\nflexor_s = 80\n', encoding="utf-8")  # fmt: skip
    result = formcheck("ask", "--only", "endurance", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'note: left out of answers.toml: endurance.extensor_s must be a number of seconds between 0 and 600, got "abc"' \
        in result.stderr and "(keeping the 5 answers it held)" in result.stderr
    assert load_answers(path) == Answers.model_validate({
        "runner": {"age": 34, "height_cm": 178}, "symptom": {"date": dt.date(2026, 11, 30), "kind": "pump"},
        "endurance": {"flexor_s": 80}})  # fmt: skip


def test_a_file_that_is_not_toml_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    text = "[runner]\nage = 34\nheight_cm = = 178\n"
    path.write_text(text, encoding="utf-8")
    result = formcheck("ask", "--force", cwd=tmp_path)
    assert result.returncode != 0 and result.stderr.count("\n") == 1
    assert "answers.toml: not valid TOML at line 3" in result.stderr and "nothing was written" in result.stderr
    assert path.read_text(encoding="utf-8") == text and list(tmp_path.iterdir()) == [path]
