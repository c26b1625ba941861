"""``formcheck.output_dir``: outputs are atomic, and nothing formcheck did not write is ever deleted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from formcheck.errors import OutputError
from formcheck.output_dir import MANIFEST_NAME, atomic_output_dir, check_output_dir


def write_results(out: Path, names: tuple[str, ...] = ("summary.json", "plots/lean.png")) -> None:
    with atomic_output_dir(out) as tmp:
        for name in names:
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(name)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_folder_gets_results_and_a_manifest_listing_them(tmp_path):
    out = tmp_path / "result"
    write_results(out)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["files"] == ["plots/lean.png", "summary.json"]
    assert manifest["formcheck_version"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]


def test_a_folder_formcheck_wrote_is_replaced_whole(tmp_path):
    out = tmp_path / "result"
    write_results(out, ("summary.json", "plots/lean.png", "old_only.csv"))
    write_results(out, ("summary.json", "plots/lean.png"))
    assert set(tree(out)) == {"summary.json", "plots/lean.png", MANIFEST_NAME}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]  # no .old-/.tmp- leftovers


def test_foreign_files_are_refused_and_kept(tmp_path):
    out = tmp_path / "holiday"
    out.mkdir()
    (out / "photo.jpg").write_text("precious")
    with pytest.raises(OutputError, match="did not write") as error:
        write_results(out)
    assert "\n" not in str(error.value)
    assert tree(out) == {"photo.jpg": "precious"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holiday"]


def test_formcheck_results_plus_a_user_file_are_refused(tmp_path):
    out = tmp_path / "result"
    write_results(out)
    (out / "my_notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="my_notes.txt"):
        check_output_dir(out)
    with pytest.raises(OutputError):
        write_results(out)
    assert (out / "my_notes.txt").read_text() == "mine" and (out / "summary.json").exists()


def test_a_user_folder_inside_formcheck_results_is_refused(tmp_path):
    out = tmp_path / "result"
    write_results(out)
    (out / "mine").mkdir()
    with pytest.raises(OutputError, match="mine"):
        check_output_dir(out)


def test_a_forged_or_broken_manifest_does_not_unlock_a_folder(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    (out / MANIFEST_NAME).write_text('{"schema": "formcheck.output-manifest/1", "files": ["../thesis.tex"]}')
    with pytest.raises(OutputError):
        check_output_dir(out)
    (out / MANIFEST_NAME).write_text("not json")
    with pytest.raises(OutputError):
        check_output_dir(out)
    assert (out / "thesis.tex").read_text() == "years of work"


def test_an_empty_folder_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    write_results(out)
    assert (out / "summary.json").exists()


def test_files_added_during_the_run_are_not_lost(tmp_path):
    out = tmp_path / "result"
    write_results(out)
    with pytest.raises(OutputError):
        with atomic_output_dir(out) as tmp:
            (tmp / "summary.json").write_text("new")
            (out / "added_meanwhile.txt").write_text("keep me")
    assert (out / "added_meanwhile.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]


def test_folder_holding_the_input_is_refused(tmp_path):
    video = tmp_path / "clips" / "run.mp4"
    video.parent.mkdir()
    video.write_bytes(b"video")
    for out in (video.parent, tmp_path):
        with pytest.raises(OutputError, match="contains the input"):
            check_output_dir(out, inputs=(video,))
    assert video.read_bytes() == b"video"


def test_current_folder_and_root_are_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for out in (Path("."), Path(".."), Path("/")):
        with pytest.raises(OutputError) as error:
            check_output_dir(out)
        assert "\n" not in str(error.value)
    assert list(tmp_path.parent.glob("..old-*")) == [] and list(tmp_path.iterdir()) == []


def test_a_symlink_is_followed_and_survives(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    write_results(link)
    write_results(link)  # a second run replaces the results behind the link
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "summary.json").exists()
    (real / "mine.txt").write_text("x")
    with pytest.raises(OutputError):
        write_results(link)
    assert link.is_symlink() and (real / "mine.txt").exists()


def test_a_dangling_symlink_is_refused(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="does not exist"):
        check_output_dir(link)
    assert link.is_symlink()


def test_a_file_as_output_folder_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        check_output_dir(path)
    with pytest.raises(OutputError, match="notes.txt is a file, so no folder can be made inside it"):
        check_output_dir(path / "results" / "sub")  # not "cannot write to" (as if it were permissions)
    assert path.read_text() == "x"


def test_new_folders_follow_the_umask_not_0700(tmp_path):
    old = os.umask(0o022)
    try:
        write_results(tmp_path / "shared")
        write_results(tmp_path / "shared")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "shared" / "plots").stat().st_mode) == 0o755


def test_a_failed_run_leaves_the_previous_results(tmp_path):
    out = tmp_path / "result"
    write_results(out)
    before = tree(out)
    with pytest.raises(RuntimeError):
        with atomic_output_dir(out) as tmp:
            (tmp / "summary.json").write_text("half")
            raise RuntimeError("boom")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]


def test_an_empty_subfolder_formcheck_wrote_does_not_block_the_next_run(tmp_path):
    out = tmp_path / "result"
    with atomic_output_dir(out) as tmp:
        (tmp / "summary.json").write_text("{}")
        (tmp / "keyframes").mkdir()
    assert json.loads((out / MANIFEST_NAME).read_text())["folders"] == ["keyframes"]
    write_results(out)
    assert not (out / "keyframes").exists() and (out / "plots" / "lean.png").exists()


def test_a_big_foreign_tree_is_refused_without_walking_it(tmp_path):
    home = tmp_path / "home"
    for i in range(50):
        (home / f"project{i}" / "src").mkdir(parents=True)
        (home / f"project{i}" / "src" / "main.py").write_text("x")
    (home / MANIFEST_NAME).write_text('{"schema": "formcheck.output-manifest/1", "files": ["summary.json"]}')
    with pytest.raises(OutputError, match=r"\.\.\.") as error:
        check_output_dir(home)
    assert "\n" not in str(error.value)
