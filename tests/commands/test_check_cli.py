"""``formcheck check`` from the command line: one-line errors, red flags first, --json, and the run.sh demo."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared" / "data"
FITNOTES = SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv"
GOOGLEFIT_RUN = SHARED / "tracks" / "run_googlefit_gps_2015-05-31.tcx"

RED_FLAG_ANSWERS = """
[symptom]
date = 2015-05-31
kind = "pump"
lasted_min = 300
hours_sore_after = 30

[red_flags]
dark_urine = true
muscles_rigid_swollen = true
pain_far_worse_than_effort = true
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "FORMCHECK_CACHE_DIR": str(REPO / ".cache")}
    env.pop("FORMCHECK_DB", None)
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=900, cwd=cwd)  # fmt: skip


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and "Traceback" not in result.stderr
    return lines[0]


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {table: connection.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("runners", "runs", "lift_sets", "checks", "video_analyses")}  # fmt: skip


def test_check_with_no_inputs_is_one_line_and_exit_2(tmp_path):
    result = run("check", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert error_line(result) == (
        "error: nothing to check: give a video, a run (--runs), a lift export (--lifts), --answers, or --date for a "
        "run already imported"
    )
    assert result.stdout == "" and not (tmp_path / "out").exists()
    assert run("check").returncode == 2  # not even --out: still the same one line
    assert "nothing to check" in error_line(run("check"))


def test_a_video_too_long_is_told_to_be_trimmed_as_check_has_no_start_and_end(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from long_video import write_four_hour_clip

    clip = write_four_hour_clip(tmp_path / "long.mp4")
    result = run("check", str(clip), "--out", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path / 's.db'}")
    assert result.returncode == 5 and "trim the clip to the part to look at" in error_line(result)
    assert "--start" not in error_line(result) and not (tmp_path / "out").exists() and not (tmp_path / "s.db").exists()


def test_missing_out_is_one_line(tmp_path):
    result = run("check", "--answers", str(SAMPLES / "answers.toml"))
    assert result.returncode == 2 and "--out" in error_line(result)


def test_bad_answers_name_the_field_exit_2_and_change_nothing(tmp_path):
    db = tmp_path / "store.db"
    first = run("check", "--runs", str(SAMPLES / "demo_run_hilly_2013-02-06.fit"), "--db", f"sqlite:///{db}",
                "--out", str(tmp_path / "first"), "--quiet")  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = _counts(db)
    bad = tmp_path / "answers.toml"
    bad.write_text('[endurance]\nextensor_s = "abc"\n')
    result = run("check", "--runs", str(GOOGLEFIT_RUN), "--answers", str(bad), "--db", f"sqlite:///{db}",
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 2
    line = error_line(result)
    assert "endurance.extensor_s" in line and "abc" in line
    assert not (tmp_path / "out").exists()
    assert _counts(db) == before


def test_red_flags_come_first_in_the_terminal_and_the_json(tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text(RED_FLAG_ANSWERS)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    text = run("check", "--answers", str(answers), "--lifts", str(SAMPLES / "demo_lifts_strong.csv"), "--db", db,
               "--out", str(tmp_path / "out"))  # fmt: skip
    assert text.returncode == 0, text.stderr
    lines = [line for line in text.stdout.splitlines() if line.strip()]
    first_flag = next(i for i, line in enumerate(lines) if re.search(r"clinician|doctor|today", line, re.I))
    assert first_flag <= 2, text.stdout  # at the top, before any cause
    for finding in json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]:
        assert all(finding["title"] not in line for line in lines[: first_flag + 1])
    assert "report.html" in text.stdout

    as_json = run("check", "--answers", str(answers), "--db", db, "--out", str(tmp_path / "out2"), "--json")
    assert as_json.returncode == 0, as_json.stderr
    doc = json.loads(as_json.stdout)
    assert list(doc)[:4] == ["schema", "created_at", "formcheck_version", "red_flags"]
    assert doc["red_flags"] and {flag["urgency"] for flag in doc["red_flags"]} & {"today", "emergency"}
    assert doc == json.loads((tmp_path / "out2" / "findings.json").read_text())


def test_rerun_replaces_the_folder_and_foreign_files_are_refused(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    out = tmp_path / "out"
    args = ("check", "--answers", str(SAMPLES / "answers.toml"), "--db", db, "--out", str(out), "--quiet")
    assert run(*args).returncode == 0
    stamp = (out / "findings.json").stat().st_mtime_ns
    time.sleep(0.01)
    again = run(*args)
    assert again.returncode == 0, again.stderr
    assert (out / "findings.json").stat().st_mtime_ns != stamp
    (out / "my notes.txt").write_text("keep me")
    refused = run(*args)
    assert refused.returncode == 4 and "did not write" in error_line(refused)
    assert (out / "my notes.txt").read_text() == "keep me"


@pytest.mark.slow
def test_run_sh_demo_command_writes_the_report(tmp_path):
    """The exact command run.sh runs (its clip, run, lifts and answers), with a temporary out and store."""
    script = (REPO / "run.sh").read_text()
    command = script[script.index(".venv/bin/formcheck check"):].replace("\\\n", " ")
    shared_clip = REPO.parent / "shared" / "data" / "videos" / "treadmill_side_gym_portrait_60fps.mp4"
    clip = shared_clip if shared_clip.is_file() else REPO / "samples" / "outdoor_side_grass_short.mp4"
    assert "shared_clip=../shared/data/videos/treadmill_side_gym_portrait_60fps.mp4" in script
    argv = command.split('"$@"')[0].replace('"$clip"', str(clip)).split()
    out, db = tmp_path / "demo", tmp_path / "demo.db"
    argv = argv[1:]  # drop ".venv/bin/formcheck", keep "check"
    argv[argv.index("--out") + 1] = str(out)
    argv[argv.index("--db") + 1] = f"sqlite:///{db}"
    started = time.perf_counter()
    result = run(*argv, cwd=REPO)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert f"{out / 'report.html'}" in result.stdout
    doc = json.loads((out / "findings.json").read_text())
    assert doc["red_flags"] == [] and doc["findings"]
    assert "lifting_fatigue" in [f["cause"] for f in doc["findings"]][:3]
    assert doc["inputs"]["symptom_date"] == "2013-02-06"
    assert (out / "report.html").stat().st_size > 10_000
    assert [v["name"] for v in doc["videos"]] == [clip.name]
    again = run(*argv, cwd=REPO)  # re-runnable: same store, same folder
    assert again.returncode == 0, again.stderr
    assert _counts(db)["runs"] == 1 and _counts(db)["checks"] == 2
    print(f"demo check: {seconds:.1f} s, report.html {(out / 'report.html').stat().st_size / 1024:.0f} KiB")


def _run_in_terminal(*args: str) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; return the exit code and all it drew."""
    import pty

    env = {**os.environ, "PYTHONWARNINGS": "ignore", "FORMCHECK_CACHE_DIR": str(REPO / ".cache"), "TERM": "xterm",
           "COLUMNS": "120"}  # fmt: skip
    env.pop("FORMCHECK_DB", None)
    env.pop("NO_COLOR", None)
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "formcheck.cli", *args], stdin=subprocess.DEVNULL,
                               stdout=secondary, stderr=secondary, env=env)  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the process is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=600), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode(errors="replace"))


def test_progress_bars_per_stage_on_a_terminal_and_none_otherwise(tmp_path):
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, drawn = _run_in_terminal("check", "--answers", str(SAMPLES / "answers.toml"), "--lifts",
                                   str(SAMPLES / "demo_lifts_strong.csv"), "--db", db, "--out", str(tmp_path / "tty"))  # fmt: skip
    assert code == 0, drawn
    for label in ("import logs", "run context", "findings"):
        assert label in drawn, drawn
    plain = run("check", "--answers", str(SAMPLES / "answers.toml"), "--db", db, "--out", str(tmp_path / "pipe"))
    assert plain.returncode == 0 and plain.stderr == ""  # not a terminal: no bars, no escape codes
    assert "report.html" in plain.stdout


def test_log_files_after_one_flag_or_as_arguments_are_sorted_by_kind(shared_data_present, tmp_path):
    """Click gives an option one value: ``--runs a.tcx b.tcx lifts.csv`` must still mean what it says."""
    db = tmp_path / "store.db"
    result = run("check", "--runs", str(GOOGLEFIT_RUN), str(SAMPLES / "demo_run_hilly_2013-02-06.fit"), str(FITNOTES),
                 "--date", "2015-05-31", "--db", f"sqlite:///{db}", "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _counts(db)["runs"] == 2 and _counts(db)["lift_sets"] > 5000
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert doc["inputs"]["files"]["lifts"] == [FITNOTES.name] and "videos" not in doc["inputs"]["files"]
    assert f"warning: {GOOGLEFIT_RUN.name}: Dropped" in result.stdout  # import warnings name their file

    # A run already imported is checked by its date alone: the store is the input.
    again = run("check", "--date", "2015-05-31", "--db", f"sqlite:///{db}", "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    redo = json.loads((tmp_path / "again" / "findings.json").read_text())
    assert redo["run"]["run"]["id"] == doc["run"]["run"]["id"] and redo["inputs"]["files"] == {}
    nobody = run("check", "--date", "2015-05-31", "--runner", "nobody", "--db", f"sqlite:///{db}", "--out",
                 str(tmp_path / "n"))  # fmt: skip
    assert nobody.returncode != 0 and "nothing is stored for the runner 'nobody'" in error_line(nobody)
    fresh = run("check", "--date", "2015-05-31", "--db", f"sqlite:///{tmp_path / 'new.db'}", "--out", str(tmp_path / "f"))
    assert fresh.returncode != 0 and "there is no training store at" in error_line(fresh)
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "n").exists() and not (tmp_path / "f").exists()


@pytest.fixture
def shared_data_present() -> None:
    if not FITNOTES.is_file() or not GOOGLEFIT_RUN.is_file():
        pytest.skip("../shared/data is not present")
