"""Which files a batch picks up and for whom: content sniffing, runners, manifests (no pose model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.batch.discover import discover, looks_like_video
from formcheck.batch.plan import _folder_names
from formcheck.output_dir import safe_name
from formcheck.errors import InputFileError, UsageError


def test_folder_lists_videos_by_content_and_names_like_videos(clip_folder: Path, tmp_path: Path) -> None:
    items = discover(clip_folder)
    assert [(i.relative, i.runner) for i in items] == [
        ("anna/grass.mp4", "anna"), ("anna/legs.mp4", "anna"), ("ben/cut.mp4", "ben"),
        ("ben/notes.mp4", "ben"), ("ben/walk.avi", "ben"),
    ]  # fmt: skip
    # a clip without an extension is found by its bytes; a loose clip belongs to the default runner
    (tmp_path / "IMG_0042").write_bytes((clip_folder / "anna" / "grass.mp4").read_bytes())
    (tmp_path / ".hidden.mp4").write_bytes(b"x")
    (tmp_path / "thumb.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(20))
    assert [(i.relative, i.runner) for i in discover(tmp_path)] == [("IMG_0042", "default")]
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "back").symlink_to(tmp_path)  # a link loop is walked once, not forever
    assert [i.relative for i in discover(tmp_path)] == ["IMG_0042"]


@pytest.mark.parametrize("head, video", [
    (b"\x00\x00\x00\x20ftypisom", True), (b"RIFF\x00\x00\x00\x00AVI LIST", True), (b"\x1a\x45\xdf\xa3\x01", True),
    (b"hello world, a note", False), (b"\x89PNG\r\n\x1a\n", False), (b"", False),
])  # fmt: skip
def test_container_signatures(head: bytes, video: bool) -> None:
    assert looks_like_video(head) is video


def test_manifest_gives_runner_date_and_height(clip_folder: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "clips.csv"
    manifest.write_text("path,runner,date,height_cm\n"
                        f"{clip_folder / 'anna' / 'grass.mp4'},Anna K,2026-11-02,171\n"
                        f"{clip_folder / 'ben' / 'walk.avi'},ben,,\n")  # fmt: skip
    items = discover(manifest)
    assert [(i.runner, str(i.recorded_on), i.height_cm) for i in items] == [("Anna K", "2026-11-02", 171.0),
                                                                            ("ben", "None", None)]  # fmt: skip


@pytest.mark.parametrize("body, words", [
    ("path,date\nx.mp4,2026-01-01\n", "columns path, runner"),
    ("path,runner,date\nx.mp4,a,02/11/2026\n", "line 2: date '02/11/2026'"),
    ("path,runner,date,height_cm\nx.mp4,a,,6\n", "height_cm 6 is not a human height"),
    ("path,runner\n,a\n", "line 2: the path is empty"),
    ("path,runner\nx.mp4,\n", "line 2: the runner is empty"),
    ('path,runner\nx.mp4,"a\nb"\n', "line 2: the runner holds a control character"),
    ("path,runner,date\nx.mp4,a,2099-01-01\n", "line 2: the date 2099-01-01 is in the future"),
    ("path,runner,date\nx.mp4,a,1926-05-01\n", "line 2: the date 1926-05-01 is before 1990"),
    ("path,runner,date\nx.mp4,a,2026-11-30,extra\n", "line 2: more fields than the header's 3 columns"),
    ("path,runner\nx.mp4,Smith, Anna\n", "line 2: more fields than the header's 2 columns"),
    ("path,runner\n.,a\n", "line 2: . is a folder, not a video"),
    ("path,runner\nx\x00.mp4,a\n", "line 2: the path holds a NUL character"),
    ("path,runner\n~nosuchuser42/x.mp4,a\n", "line 2: the path '~nosuchuser42/x.mp4' starts with ~ but names no user"),
    ("path,runner\nx.mp4,a\u2028b\n", "line 2: the runner holds a control character"),
])  # fmt: skip
def test_bad_manifest_is_one_error_before_any_work(tmp_path: Path, body: str, words: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(body)
    with pytest.raises(InputFileError, match=words.replace("(", r"\(")):
        discover(manifest)


@pytest.mark.parametrize("folder", [" ", "a\nb", "tab\there", "nel\u0085x"])
def test_a_folder_that_cannot_name_a_runner_is_refused_before_any_work(tmp_path: Path, folder: str) -> None:
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "clip.mp4").write_bytes(b"x")
    with pytest.raises(InputFileError, match=r"cannot name a runner: the name (is empty|holds a control character)"):
        discover(tmp_path)


def test_manifest_dot_path_with_runner_from_folder_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("path\n.\n")
    with pytest.raises(InputFileError, match="line 2: . is a folder, not a video"):
        discover(tmp_path / "m.csv", "folder")


def test_source_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        discover(tmp_path / "nope")
    with pytest.raises(UsageError, match="manifest CSV"):
        discover(tmp_path, "column")
    (tmp_path / "a.mp4").write_text("x")
    with pytest.raises(InputFileError, match="neither a folder nor a manifest"):
        discover(tmp_path / "a.mp4")


def test_folder_names_never_collide(tmp_path: Path) -> None:
    from formcheck.batch.discover import BatchItem

    items = [BatchItem(Path("a"), "r", "r/x/run.mp4"), BatchItem(Path("b"), "r", "r/y/run.mp4"),
             BatchItem(Path("c"), "r", "r/run.mov"), BatchItem(Path("d"), "s", "s/run.mp4")]  # fmt: skip
    names = _folder_names(items)
    assert names == ["r/r__x__run.mp4", "r/r__y__run.mp4", "r/r__run.mov", "s/run"]
    assert safe_name("../..") == "_" and safe_name(".hidden/x") == "hidden_x"


def test_runners_and_clips_that_clean_to_one_name_get_their_own_folders() -> None:
    """``x/y`` and ``x_y`` are two runners but one safe name; ``Anna``/``anna`` one folder on macOS."""
    from formcheck.batch.discover import BatchItem

    items = [BatchItem(Path("1"), "x/y", "a.mp4"), BatchItem(Path("2"), "x_y", "a.mp4"),
             BatchItem(Path("3"), "Anna", "run.mp4"), BatchItem(Path("4"), "anna", "run.mp4"),
             BatchItem(Path("5"), "x/y", "b c.mp4"), BatchItem(Path("6"), "x/y", "b_c.mp4"),
             BatchItem(Path("7"), "x_y-2", "a.mp4")]  # fmt: skip
    names = _folder_names(items)
    assert names == ["x_y/a", "x_y-2/a", "Anna/run", "anna-2/run", "x_y/b_c", "x_y/b_c-2", "x_y-2-2/a"]
    assert len({n.casefold() for n in names}) == len(items)
    assert _folder_names(items) == names  # the same list, the same folders: a re-run resumes into them


def test_a_manifest_row_repeating_an_earlier_one_is_analysed_once(clip_folder: Path, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    clip = clip_folder / "anna" / "grass.mp4"
    (tmp_path / "link.mp4").symlink_to(clip)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,runner\n{clip},anna\nlink.mp4,anna\n{clip},ben\n{clip},anna\n")
    with caplog.at_level("WARNING"):
        items = discover(manifest)
    assert [(i.runner, i.relative) for i in items] == [("anna", str(clip)), ("ben", str(clip))]
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["m.csv line 3 repeats line 2",
                                                                       "m.csv line 5 repeats line 2"]  # fmt: skip
    bad = tmp_path / "bad.csv"  # a repeated row is still checked like any other
    bad.write_text(f"path,runner,height_cm\n{clip},anna,170\n{clip},anna,17\n")
    with pytest.raises(InputFileError, match="line 3: height_cm 17 "):
        discover(bad)


def test_a_manifest_that_is_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_bytes("path,runner\nséance.mp4,anna\n".encode("cp1252"))
    with pytest.raises(InputFileError, match=r'is not UTF-8 text: save it as "CSV UTF-8"'):
        discover(manifest)


def test_runner_from_folder_on_a_manifest_says_its_runner_column_is_not_used(clip_folder: Path, tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    (tmp_path / "anna").mkdir()
    (tmp_path / "anna" / "grass.mp4").symlink_to(clip_folder / "anna" / "grass.mp4")
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,runner\nanna/grass.mp4,someone\n")
    with caplog.at_level("WARNING"):
        items = discover(manifest, "folder")
    assert [i.runner for i in items] == ["anna"]
    assert [r.getMessage() for r in caplog.records] == [
        "m.csv: its runner column is not used: the runner of each clip is its folder (--runner-from folder)"]
