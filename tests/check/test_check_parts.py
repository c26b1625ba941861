"""The small parts of a check: request validation, clip folder names, and the store's check tables."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from check_data import GOOGLEFIT_RUN, SAMPLES

from formcheck.answers.model import Answers, Runner
from formcheck.check.request import CheckRequest
from formcheck.check.validate import NothingToCheckError, validate_request, video_folder_names
from formcheck.errors import InputFileError, UsageError
from formcheck.store import Store
from formcheck.store.checks import VideoAnalysisRecord, checks, save_check, video_analyses


def test_nothing_to_check_is_one_usage_error(tmp_path):
    with pytest.raises(NothingToCheckError) as caught:
        validate_request(CheckRequest(out_dir=tmp_path / "out"))
    assert caught.value.exit_code == 2 and "nothing to check" in caught.value.message


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"videos": (Path("no/such/clip.mp4"),)}, InputFileError, "clip.mp4 does not exist"),
        ({"runs": (SAMPLES,)}, InputFileError, "is a folder"),
        ({"units": "stone"}, UsageError, "kg or lb"),
        ({"tz": "Mars/Olympus"}, UsageError, "Mars/Olympus"),
        ({"height_cm": 17.8}, UsageError, "17.8 cm"),
        ({"workers": 0}, UsageError, "at least 1"),
        ({"date": dt.date(2099, 1, 1)}, UsageError, "the date 2099-01-01 is in the future"),
        ({"date": dt.date(1926, 5, 1)}, UsageError, "the date 1926-05-01 is before 1990"),
        ({"runner": "  "}, UsageError, "the runner's name is empty"),
        ({"runner": "a\nb"}, UsageError, "the runner's name holds a control character"),
    ],
)
def test_wrong_requests_fail_with_one_sentence(tmp_path, change, error, words):
    request = CheckRequest(out_dir=tmp_path / "out", answers=Answers(), **change)
    with pytest.raises(error) as caught:
        validate_request(request)
    assert words in caught.value.message and "\n" not in caught.value.message


def test_height_from_the_answers_is_checked_too(tmp_path):
    answers = Answers(runner=Runner(height_cm=178))
    validate_request(CheckRequest(out_dir=tmp_path / "out", answers=answers))
    validate_request(CheckRequest(out_dir=tmp_path / "out", answers=answers, height_cm=165))


def test_the_output_folder_may_not_hold_an_input(tmp_path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"x")
    with pytest.raises(Exception, match="contains the input"):
        validate_request(CheckRequest(out_dir=tmp_path, videos=(clip,)))


def test_clip_folders_are_unique_per_check():
    names = video_folder_names((Path("a/run.mp4"), Path("b/run.mov"), Path("run-2.mp4"), Path("side.mp4")))
    assert names == ("run", "run-2", "run-2-2", "side")
    # one folder on a case-insensitive disk (macOS, Windows): kept apart everywhere
    assert video_folder_names((Path("Run.mp4"), Path("run.mov"))) == ("Run", "run-2")
    # made safe as batch makes them: "..mp4" has the stem ".", which as a folder is videos/ itself
    assert video_folder_names((Path("..mp4"), Path("🏃 run.mp4"), Path("a b.mp4"), Path(".mp4"))) == ("_", "run", "a_b", "mp4")


def _record(sha: str, cadence: float) -> VideoAnalysisRecord:
    summary = {"activity": "running", "view": "side", "metrics": {"cadence_spm": {"value": cadence, "unit": "steps/min"},
                                                                  "trunk_lean_deg": {"value": None}}}  # fmt: skip
    return VideoAnalysisRecord(video_sha256=sha, settings_key="k|h=178", video_name="run.mp4", summary=summary)


def test_checks_and_clip_analyses_are_stored_in_one_transaction_and_upserted(db_url):
    with Store.open(db_url) as store:
        first, ids = save_check(store, "ana", analyses=[_record("a" * 64, 160.0)], findings={"schema": "x", "findings": []},
                                symptom_date=dt.date(2015, 5, 31), run_id=None, out_dir="/tmp/o", top_cause=None,
                                red_flags=0)  # fmt: skip
        second, ids2 = save_check(store, "ana", analyses=[_record("a" * 64, 170.0), _record("a" * 64, 170.0)],
                                  findings={"schema": "x", "findings": [{"cause": "lifting_fatigue"}]},
                                  symptom_date=None, run_id=None, out_dir=None, top_cause="lifting_fatigue", red_flags=1)  # fmt: skip
        assert ids2 == (ids[0], ids[0])  # same clip, same settings: the same row, updated
        stored = checks(store, "ana")
        analyses = video_analyses(store, "ana")
        assert checks(store, "nobody") == [] and video_analyses(store, "nobody") == []
    assert [c.id for c in stored] == [first, second]
    assert stored[1].top_cause == "lifting_fatigue" and stored[1].red_flags == 1 and stored[1].analysis_ids == ids[:1]
    assert len(analyses) == 1 and analyses[0][3]["metrics"]["cadence_spm"]["value"] == 170.0


def test_a_check_with_a_run_links_to_it(db_url):
    from formcheck.store.ingest import import_file

    with Store.open(db_url) as store:
        report = import_file(store, GOOGLEFIT_RUN)
        run_id = report.added_run_ids[0]
        check_id, _ = save_check(store, "default", analyses=[], findings={}, symptom_date=None, run_id=run_id,
                                 out_dir=None, top_cause=None, red_flags=0)  # fmt: skip
        assert checks(store, "default")[0].run_id == run_id and checks(store, "default")[0].id == check_id


def test_concurrent_checks_of_the_same_clip_neither_fail_nor_double_it(db_url):
    """The web app runs checks side by side: the same clip and a new runner stored at once by several threads."""
    from concurrent.futures import ThreadPoolExecutor

    with Store.open(db_url) as store:

        def one(number: int) -> tuple[int, tuple[int, ...]]:
            return save_check(store, "new runner", analyses=[_record("b" * 64, 150.0 + number)], findings={"n": number},
                              symptom_date=None, run_id=None, out_dir=f"/tmp/o{number}", top_cause=None, red_flags=0)  # fmt: skip

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(one, range(12)))
        assert len({analysis for _, ids in results for analysis in ids}) == 1
        assert len(checks(store, "new runner")) == 12 and len(video_analyses(store, "new runner")) == 1
        assert store.runners() == ["new runner"]


@pytest.mark.parametrize("make", [
    lambda tmp: tmp / "missing.gpx",  # not there
    lambda tmp: tmp,  # a folder
])  # fmt: skip
def test_a_path_mistake_reads_the_same_for_a_check_and_an_import(tmp_path: Path, make) -> None:  # noqa: ANN001
    """One path check (formcheck.paths) behind both: the same mistake gives the same kind of sentence."""
    from formcheck.logs.boundary import read_log

    path = make(tmp_path)
    with pytest.raises(InputFileError) as by_check:
        validate_request(CheckRequest(out_dir=tmp_path / "out", runs=(path,)))
    with pytest.raises(InputFileError) as by_import:
        read_log(path)
    check_words, import_words = by_check.value.message, by_import.value.message
    assert re.split("[:,]", check_words)[0] == re.split("[:,]", import_words)[0]  # "<path> does not exist", "<path> is a folder"
    assert check_words.startswith(str(path)) and "\n" not in check_words and "--" not in check_words


def test_the_zone_error_names_the_setting_not_a_flag(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        validate_request(CheckRequest(out_dir=tmp_path / "out", answers=Answers(), tz="Mars/Olympus"))
    assert caught.value.settings == ("tz",) and "--" not in caught.value.message
