"""Importing real files: detection by content, idempotency, and bad files that leave nothing behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formcheck.errors import InputFileError, LogFormatError
from formcheck.logs.records import Sport
from formcheck.store import Store
from formcheck.store.ingest import import_file, read_file
from training_builders import SHARED

TRACKS, STRENGTH = SHARED / "tracks", SHARED / "strength"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")


def test_detects_kind_by_content_not_name(tmp_path: Path) -> None:
    renamed_fit = tmp_path / "activity.dat"
    shutil.copy(TRACKS / "rowing_indoor_hr.fit", renamed_fit)
    renamed_csv = tmp_path / "export.txt"
    shutil.copy(STRENGTH / "hevy_export_set_types_unicode.csv", renamed_csv)
    assert (read_file(renamed_fit).kind, read_file(renamed_fit).format) == ("track", "fit")
    parsed = read_file(renamed_csv)
    assert (parsed.kind, parsed.format, len(parsed.strength.sets)) == ("strength", "hevy", 567)


def test_real_files_import_idempotently(db_url: str) -> None:
    files = [STRENGTH / "fitnotes_export_kgs_2014_2017.csv", TRACKS / "run_googlefit_gps_2015-05-31.tcx",
             TRACKS / "rowing_indoor_hr.fit"]
    with Store.open(db_url) as store:
        first = [import_file(store, f) for f in files]
        assert [r.added for r in first] == [5583, 1, 1]
        counts = store.counts()
        second = [import_file(store, f) for f in files]
        assert [r.added for r in second] == [0, 0, 0]
        assert [r.duplicates for r in second] == [5583, 1, 1]
        assert all(r.already_imported for r in second)
        assert store.counts() == counts
        sports = [s.run.sport for s in store.runs(with_points=False)]
        assert sports == [Sport.RUN, Sport.ROWING]


BAD_FILES = {
    "empty.csv": b"",
    "other_app.csv": b"date,steps,calories\n2024-01-01,10000,2200\n",
    "nopoints.gpx": b'<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg></trkseg></trk></gpx>',
    "photo.fit": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(200),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_one_log_format_error_and_stores_nothing(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        before = store.counts()
        with pytest.raises(LogFormatError) as info:
            import_file(store, path)
        assert name in info.value.message and "\n" not in info.value.message
        assert store.counts() == before


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        with pytest.raises(InputFileError, match="does not exist"):
            import_file(store, tmp_path / "nope.gpx")
        with pytest.raises(InputFileError, match="is a folder"):
            import_file(store, tmp_path)
