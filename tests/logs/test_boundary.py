"""``read_log`` checks a file once: one read of the bytes, one hash, one sniff, then the typed reader."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from formcheck.errors import InputFileError, LogFormatError
from formcheck.logs import boundary, read_log

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="shared sample data not found")
FILES = ["tracks/run_fenix5_1min.fit", "tracks/run_strava_gps_hr_cadence.gpx",
         "tracks/walk_run_googlefit_gps_2016-10-08.tcx", "strength/hevy_export_set_types_unicode.csv"]


@pytest.mark.parametrize("name", FILES)
def test_one_read_one_hash_one_sniff(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"read_bytes": 0, "sha256": 0, "sniff": 0}
    real_read, real_sha, real_sniff = Path.read_bytes, hashlib.sha256, boundary.sniff_format

    def read_bytes(self: Path) -> bytes:
        calls["read_bytes"] += 1
        return real_read(self)

    def sha256(*args: object):
        calls["sha256"] += 1
        return real_sha(*args)

    def sniff(*args: object) -> str:
        calls["sniff"] += 1
        return real_sniff(*args)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(boundary.hashlib, "sha256", sha256)
    monkeypatch.setattr(boundary, "sniff_format", sniff)
    parsed = read_log(SHARED / name)
    assert calls == {"read_bytes": 1, "sha256": 1, "sniff": 1}
    assert parsed.sha256 == real_sha(real_read(SHARED / name)).hexdigest()
    sources = [r.source_sha256 for r in parsed.runs] or [parsed.strength.source_sha256]
    assert set(sources) == {parsed.sha256}


def test_path_problems_are_one_input_file_error_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        read_log(tmp_path / "nope.fit")
    with pytest.raises(InputFileError, match="is a folder"):
        read_log(tmp_path)
    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="is not a regular file"):
        read_log(fifo)
    monkeypatch.setattr(boundary, "MAX_BYTES", 1000)
    with pytest.raises(InputFileError, match="too large for a training-log export"):
        read_log(SHARED / "tracks" / "run_fenix5_1min.fit")


def test_the_kind_is_checked_right_after_sniffing() -> None:
    with pytest.raises(LogFormatError, match="is a FIT file, not a Strong, Hevy or FitNotes export"):
        read_log(SHARED / "tracks" / "run_fenix5_1min.fit", expect="strength")
    with pytest.raises(LogFormatError, match="is a Hevy strength export, not a GPX, FIT or TCX file"):
        read_log(SHARED / "strength" / "hevy_export_set_types_unicode.csv", expect="track")
