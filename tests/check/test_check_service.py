"""``run_check`` end to end on real data: what is written, what is stored, what a missing input does."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from check_data import ANSWERS_2015, FITNOTES, GOOGLEFIT_RUN, GYM_CLIP, SAMPLES, SHARED, SQUAT_CLIP

from formcheck.answers.load import load_answers
from formcheck.check.request import CheckRequest
from formcheck.check.service import STAGES, run_check
from formcheck.errors import FormcheckError, LogFormatError, OutputError, StoreError
from formcheck.store import Store
from formcheck.store.checks import checks, video_analyses


def _causes(doc: dict) -> list[str]:
    return [f["cause"] for f in doc["findings"]]


def test_fitnotes_and_googlefit_rank_lifting_fatigue_in_top_three(shared, tmp_path, store_url):
    """The same person's real logs: squats and deadlifts on 2015-05-29, the run on 2015-05-31 (no date given)."""
    stages: list[tuple[str, float]] = []
    outcome = run_check(
        CheckRequest(out_dir=tmp_path / "out", runs=(GOOGLEFIT_RUN,), lifts=(FITNOTES,), db=store_url),
        progress=lambda stage, fraction, detail: stages.append((stage, fraction)),
    )
    doc = outcome.findings
    assert "lifting_fatigue" in _causes(doc)[:3], _causes(doc)
    lifting = next(f for f in doc["findings"] if f["cause"] == "lifting_fatigue")
    evidence = " ".join(lifting["evidence"]).lower()
    assert "deadlift" in evidence or "squat" in evidence, evidence
    assert re.search(r"\b\d+(\.\d+)? ?(h|hours?|days?)\b", evidence), evidence  # FitNotes has dates only: days
    assert doc["inputs"]["symptom_date"] == "2015-05-31"  # the latest run in the store
    assert doc["run"]["last_lumbar_session"]["date"] == "2015-05-29"
    # every stage reported, each ending at 1.0 (the analyse stage too, with no clip)
    for stage in STAGES:
        assert (stage, 1.0) in stages, stage
    assert (tmp_path / "out" / "report.html").is_file()
    assert json.loads((tmp_path / "out" / "findings.json").read_text())["schema"] == "formcheck.findings/1"
    with Store.open(store_url) as store:
        stored = checks(store, "default")
    assert len(stored) == 1 and stored[0].symptom_date == dt.date(2015, 5, 31) and stored[0].run_id is not None
    assert stored[0].id == outcome.check_id and stored[0].analysis_ids == ()


@pytest.mark.slow
def test_clip_logs_and_answers_write_the_report_and_store_the_check(shared, tmp_path, store_url, write_answers):
    answers_path = write_answers(ANSWERS_2015)
    request = CheckRequest(out_dir=tmp_path / "out", videos=(GYM_CLIP,), runs=(GOOGLEFIT_RUN,), lifts=(FITNOTES,),
                           answers=load_answers(answers_path), answers_path=answers_path, db=store_url)  # fmt: skip
    outcome = run_check(request)
    out = tmp_path / "out"
    stem = GYM_CLIP.stem
    for name in ("report.html", "findings.json", f"videos/{stem}/summary.json", f"videos/{stem}/strides.csv",
                 f"videos/{stem}/keyframes/early_vs_late.jpg"):  # fmt: skip
        assert (out / name).is_file(), name
        assert Path(name) in outcome.files
    assert Path("videos") not in outcome.files and Path(f"videos/{stem}/.formcheck-manifest.json") in outcome.files
    summary = json.loads((out / "videos" / stem / "summary.json").read_text())
    assert summary["runner"]["height_cm"] == 178  # from the answers
    doc = json.loads((out / "findings.json").read_text())
    assert [v["name"] for v in doc["videos"]] == [GYM_CLIP.name]
    assert doc["inputs"]["files"] == {"videos": [GYM_CLIP.name], "runs": [GOOGLEFIT_RUN.name],
                                      "lifts": [FITNOTES.name], "answers": ["answers.toml"]}  # fmt: skip
    with Store.open(store_url) as store:
        stored = checks(store, "default")
        analyses = video_analyses(store, "default")
    assert len(analyses) == 1 and analyses[0][1] == GYM_CLIP.name
    assert analyses[0][3]["metrics"]["cadence_spm"]["value"] == summary["metrics"]["cadence_spm"]["value"]
    assert len(stored) == 1 and stored[0].analysis_ids == (analyses[0][0],)
    assert stored[0].findings["schema"] == "formcheck.findings/1"

    # the same check again: the folder is replaced, the clip's analysis updated (not added), a second check stored
    again = run_check(request)
    assert again.check_id != outcome.check_id
    with Store.open(store_url) as store:
        assert len(video_analyses(store, "default")) == 1
        assert len(checks(store, "default")) == 2
        assert store.counts()["runs"] == 1  # the logs were not imported twice
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary leftovers


def test_answers_only_works_and_says_what_is_missing(tmp_path, store_url):
    answers = load_answers(SAMPLES / "answers.toml")
    outcome = run_check(CheckRequest(out_dir=tmp_path / "out", answers=answers, db=store_url))
    doc = outcome.findings
    missing = " ".join(doc["inputs"]["missing"]).lower()
    assert "video" in missing and ("run" in missing or "gpx" in missing), missing
    assert doc["videos"] == [] and doc["run"] is None
    assert doc["not_assessed"], "families without data must be listed as not assessed"
    assert (tmp_path / "out" / "report.html").is_file()


def test_a_bad_log_fails_the_check_and_writes_nothing(shared, tmp_path, store_url):
    bad = tmp_path / "broken.gpx"
    bad.write_text("<gpx><trk><trkseg><trkpt lat='x'")
    with pytest.raises(LogFormatError) as caught:
        run_check(CheckRequest(out_dir=tmp_path / "out", runs=(GOOGLEFIT_RUN, bad), lifts=(FITNOTES,), db=store_url))
    assert "broken.gpx" in caught.value.message and "\n" not in caught.value.message
    assert not (tmp_path / "out").exists()
    with Store.open(store_url) as store:
        assert store.counts()["runs"] == 0 and store.counts()["lift_sets"] == 0  # the good file was not stored either


def test_foreign_files_in_the_output_folder_are_refused_before_any_work(tmp_path, store_url):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError):
        run_check(CheckRequest(out_dir=out, answers=load_answers(SAMPLES / "answers.toml"), db=store_url))
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert not (tmp_path / "store.db").exists()  # refused before the store was even opened


def test_an_unreadable_only_clip_leaves_no_new_store_or_folders_behind(tmp_path):
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"not a video at all" * 100)
    db = tmp_path / "new" / "deeper" / "store.db"
    with pytest.raises(FormcheckError) as caught:
        run_check(CheckRequest(out_dir=tmp_path / "out", videos=(clip,), db=f"sqlite:///{db}"))
    assert "run.mp4" in caught.value.message and "\n" not in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.mp4"]  # no store, no folders, no output


def test_a_store_that_cannot_be_created_is_refused_before_any_work(tmp_path):
    (tmp_path / "a-file").write_text("mine")
    with pytest.raises(StoreError) as caught:
        run_check(CheckRequest(out_dir=tmp_path / "out", answers=load_answers(SAMPLES / "answers.toml"),
                               db=f"sqlite:///{tmp_path / 'a-file' / 'store.db'}"))  # fmt: skip
    assert "a-file is not a folder" in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"] and (tmp_path / "a-file").read_text() == "mine"


def test_an_existing_store_is_used_and_a_new_one_created_when_there_is_something_to_store(tmp_path, store_url):
    answers = load_answers(SAMPLES / "answers.toml")
    first = run_check(CheckRequest(out_dir=tmp_path / "a", answers=answers, db=store_url))
    assert (tmp_path / "store.db").is_file()
    second = run_check(CheckRequest(out_dir=tmp_path / "b", answers=answers, db=store_url))
    with Store.open(store_url) as store:
        assert [c.id for c in checks(store, "default")] == [first.check_id, second.check_id]


@pytest.mark.slow
def test_a_clip_without_running_is_a_warning_unless_it_is_the_only_input(shared, tmp_path, store_url):
    with pytest.raises(FormcheckError) as caught:
        run_check(CheckRequest(out_dir=tmp_path / "alone", videos=(SQUAT_CLIP,), db=store_url))
    assert SQUAT_CLIP.name in caught.value.message and not (tmp_path / "alone").exists()
    assert not (tmp_path / "store.db").exists()  # a check that failed on its input created no store
    outcome = run_check(CheckRequest(out_dir=tmp_path / "out", videos=(SQUAT_CLIP,), runs=(GOOGLEFIT_RUN,),
                                     db=store_url))  # fmt: skip
    missing = " ".join(outcome.findings["inputs"]["missing"])
    assert f"{SQUAT_CLIP.name} shows no running" in missing
    assert any(SQUAT_CLIP.name in w for w in outcome.warnings)


def test_the_date_picks_the_run_that_hurt_and_a_day_without_one_is_said(shared, tmp_path, store_url):
    hilly = SAMPLES / "demo_run_hilly_2013-02-06.fit"
    picked = run_check(CheckRequest(out_dir=tmp_path / "a", runs=(GOOGLEFIT_RUN, hilly), db=store_url,
                                    date=dt.date(2013, 2, 6)))  # fmt: skip
    assert picked.findings["inputs"]["run_label"].split(", ")[1].startswith("2013-02-06")
    assert picked.findings["run"]["run"]["start"].startswith("2013-02-06")
    latest = run_check(CheckRequest(out_dir=tmp_path / "b", db=store_url, answers=load_answers(SAMPLES / "answers.toml"),
                                    date=dt.date(2015, 5, 31)))  # fmt: skip  # --date wins over the answers' 2013-02-06
    assert latest.findings["inputs"]["symptom_date"] == "2015-05-31"
    assert latest.findings["run"]["run"]["start"].startswith("2015-05-31")
    none = run_check(CheckRequest(out_dir=tmp_path / "c", db=store_url, date=dt.date(2014, 1, 1),
                                  answers=load_answers(SAMPLES / "answers.toml")))  # fmt: skip
    assert none.findings["run"] is None and none.findings["inputs"]["symptom_date"] == "2014-01-01"
    assert any("no run recorded on 2014-01-01" in line for line in none.findings["inputs"]["missing"])
    with Store.open(store_url) as store:
        assert [c.run_id is None for c in checks(store, "default")] == [False, False, True]


def test_inputs_are_shown_by_the_names_the_person_knows(shared, tmp_path, store_url):
    """The web app stores uploads under its own names; the report and the store show the runner's names."""
    import shutil

    stored_clip, stored_run = tmp_path / "video-1.mp4", tmp_path / "runs-1.tcx"
    shutil.copyfile(GYM_CLIP, stored_clip)
    shutil.copyfile(GOOGLEFIT_RUN, stored_run)
    request = CheckRequest(out_dir=tmp_path / "out", videos=(stored_clip,), runs=(stored_run,), db=store_url,
                           shown_names={"video-1.mp4": "my treadmill run.mp4", "runs-1.tcx": "sunday.tcx"})  # fmt: skip
    doc = run_check(request).findings
    assert [v["name"] for v in doc["videos"]] == ["my treadmill run.mp4"]
    assert doc["inputs"]["files"]["videos"] == ["my treadmill run.mp4"]
    assert doc["inputs"]["files"]["runs"] == ["sunday.tcx"]
    with Store.open(store_url) as store:
        assert [row[1] for row in video_analyses(store, "default")] == ["my treadmill run.mp4"]


@pytest.mark.parametrize(("front_end", "says", "never"), [
    ("cli", ("<code>formcheck ask</code>", "in answers.toml"), ("New check page",)),
    ("web", ("the questionnaire on the New check page",), ("formcheck ask", "answers.toml")),
])  # fmt: skip
def test_the_report_says_where_to_answer_in_its_front_ends_words(tmp_path, store_url, front_end, says, never):
    """The same check (no red flags, no endurance answered) for each front end: only the 'where' differs."""
    from formcheck.answers.model import Answers, Symptom

    outcome = run_check(CheckRequest(out_dir=tmp_path / "out", answers=Answers(symptom=Symptom(kind="pump")),
                                     db=store_url, front_end=front_end))  # fmt: skip
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert all(words in html for words in says), front_end
    assert not any(words in html for words in never), front_end
    endurance = next(n for n in outcome.findings["not_assessed"] if n["cause"] == "trunk_endurance")
    assert endurance["asks"] == ["endurance"] and "formcheck" not in endurance["needs"]  # findings.json: one for both


def test_an_unknown_front_end_is_refused_before_any_work(tmp_path, store_url):
    from formcheck.errors import UsageError

    with pytest.raises(UsageError, match="front end"):
        run_check(CheckRequest(out_dir=tmp_path / "out", answers=load_answers(SAMPLES / "answers.toml"), db=store_url,
                               front_end="email"))  # type: ignore[arg-type]  # fmt: skip
    assert not (tmp_path / "out").exists()


def _shifted_gpx(source: Path, target: Path, hours: int) -> Path:
    """``source`` with every timestamp moved by ``hours`` (an evening run instead of an afternoon one)."""
    def later(match: re.Match[str]) -> str:
        moved = dt.datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + dt.timedelta(hours=hours)
        return f"<time>{moved:%Y-%m-%dT%H:%M:%SZ}</time>"

    target.write_text(re.sub(r"<time>([^<]+)</time>", later, source.read_text()))
    return target


@pytest.mark.parametrize(("tz", "day", "found", "clock"), [
    (None, "2025-11-16", True, "2025-11-16 18:50 (local time estimated from GPS)"),  # San Francisco: lon -122 -> UTC-8
    (None, "2025-11-17", False, None),  # its UTC day, not the runner's
    ("America/Los_Angeles", "2025-11-16", True, "2025-11-16 18:50 (America/Los_Angeles)"),
    ("Asia/Tokyo", "2025-11-17", True, "2025-11-17 11:50 (Asia/Tokyo)"),
])  # fmt: skip
def test_the_run_that_hurt_is_found_on_the_runners_own_day(tmp_path, store_url, tz, day, found, clock):
    """An 18:50 run in San Francisco starts at 02:50 UTC the next day; "the run on the 16th" is that run."""
    evening = _shifted_gpx(SHARED / "tracks" / "run_strava_gps_hr_51min.gpx", tmp_path / "evening.gpx", hours=3)
    outcome = run_check(CheckRequest(out_dir=tmp_path / "out", runs=(evening,), db=store_url, tz=tz,
                                     date=dt.date.fromisoformat(day)))  # fmt: skip
    inputs = outcome.findings["inputs"]
    assert (outcome.findings["run"] is not None) is found
    if found:
        assert inputs["run_label"].split(", ")[1] == clock
        assert any(line.startswith(f"the GPS track of the run that hurt ({day}") for line in inputs["used"])
    else:
        assert any(f"no run recorded on {day}" in line for line in inputs["missing"])


def test_a_heart_rate_maximum_needs_runs_other_than_the_one_judged(tmp_path, store_url):
    """Against the demo run's own peak (171 bpm) its walked climbs read as "near maximum": 3 hard efforts.
    With only that run there is no maximum to judge by; with another run's peak beside it there is."""
    hilly = SAMPLES / "demo_run_hilly_2013-02-06.fit"
    alone = run_check(CheckRequest(out_dir=tmp_path / "a", runs=(hilly,), db=store_url, date=dt.date(2013, 2, 6)))
    assert alone.findings["run"]["hills"]["hard_hill_efforts"] == 0
    assert not any("run hard" in s for f in alone.findings["findings"] for s in f["evidence"])
    from formcheck.check.training import training_inputs

    with Store.open(store_url) as store:
        assert training_inputs(store, "default", dt.date(2013, 2, 6), None).run.hr_max_bpm is None
    strava = SHARED / "tracks" / "run_strava_gps_hr_51min.gpx"
    run_check(CheckRequest(out_dir=tmp_path / "b", runs=(strava,), db=store_url, date=dt.date(2025, 11, 16)))
    with Store.open(store_url) as store:
        both = training_inputs(store, "default", dt.date(2013, 2, 6), None).run
        peaks = [s.max_heart_rate_bpm for s in store.runs("default", with_points=False) if s.max_heart_rate_bpm]
    assert len(peaks) == 2 and both.hr_max_bpm == max(peaks)


STRONG_LBS = (
    '"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (lbs)";"Reps";"RPE";'
    '"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
    + "".join(f'"1";"2025-11-15 18:00:00";"Lower";"3600";"Deadlift (Barbell)";"{i}";"170";"5";"8";"";"";"";""\n'
              for i in (1, 2, 3))
)  # fmt: skip


@pytest.mark.parametrize(("units", "shown"), [(None, "3 x 5 at 170 lb"), ("kg", "3 x 5 at 77.1 kg"), ("lb", "3 x 5 at 170 lb")])
def test_weights_are_shown_in_the_unit_the_export_was_written_in(tmp_path, store_url, units, shown):
    """A Strong export in "Weight (lbs)" reads in pounds without --units; --units says otherwise when given."""
    lifts = tmp_path / "strong.csv"
    lifts.write_text(STRONG_LBS)
    outcome = run_check(CheckRequest(out_dir=tmp_path / "out", lifts=(lifts,), db=store_url, units=units,
                                     date=dt.date(2025, 11, 16)))  # fmt: skip
    lifting = next(f for f in outcome.findings["findings"] if f["cause"] == "lifting_fatigue")
    assert lifting["evidence"][0].startswith(f"Deadlift (Barbell) {shown} on 2025-11-15")
