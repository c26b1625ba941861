"""Bad and damaged inputs: one typed error with a useful sentence, or Runs with warnings, never a crash.

The property tests mutate the real sample files (truncate, flip bytes, drop XML
elements) and require ``read_track`` to either return Runs or raise a
``FormcheckError``; any other exception is a parser error leaking out.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from formcheck.errors import FormcheckError, InputFileError, LogFormatError
from formcheck.logs import Run, read_track
from formcheck.logs.boundary import sniff_format

TRACKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tracks"
pytestmark = pytest.mark.skipif(not TRACKS.is_dir(), reason="shared sample data missing")

# Small files of each format keep the property tests fast.
SAMPLES = {
    "fit": "run_fenix5_1min.fit",
    "fit_broken": "run_strava_android_malformed.fit",
    "gpx": "run_strava_gps_hr_cadence.gpx",
    "tcx": "walk_run_googlefit_gps_2016-10-08.tcx",
}
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_counter = itertools.count()


def _bytes(key: str) -> bytes:
    return (TRACKS / SAMPLES[key]).read_bytes()


def _read_mutant(tmp_dir: Path, data: bytes, suffix: str) -> None:
    path = tmp_dir / f"mutant_{next(_counter)}{suffix}"
    path.write_bytes(data)
    try:
        runs = read_track(path)
    except FormcheckError as exc:
        assert exc.message and path.name in exc.message and "\n" not in exc.message
        return
    finally:
        path.unlink(missing_ok=True)
    assert runs and all(isinstance(r, Run) for r in runs)
    for run in runs:
        assert run.points and run.duration_s >= 0
        assert all(a.time <= b.time for a, b in zip(run.points, run.points[1:]))


# --- one clear error per kind of bad input -------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        read_track(tmp_path / "nope.fit")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is a folder"):
        read_track(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.gpx"
    path.write_bytes(b"")
    with pytest.raises(LogFormatError, match="is empty"):
        read_track(path)


def test_jpeg_named_fit(tmp_path: Path) -> None:
    path = tmp_path / "photo.fit"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200))
    with pytest.raises(LogFormatError, match="is not a GPX, FIT or TCX file"):
        read_track(path)


def test_other_xml(tmp_path: Path) -> None:
    path = tmp_path / "page.gpx"
    path.write_text("<html><body>Error 404</body></html>")
    with pytest.raises(LogFormatError, match=r"is not a training log: it is XML with root <html>"):
        read_track(path)


def test_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "cut.tcx"
    path.write_bytes(_bytes("tcx")[:3000])
    with pytest.raises(LogFormatError, match="not well-formed XML"):
        read_track(path)


def test_fit_header_only(tmp_path: Path) -> None:
    path = tmp_path / "header.fit"
    path.write_bytes(_bytes("fit")[:14])
    with pytest.raises(LogFormatError, match="without any activity records"):
        read_track(path)


def test_format_is_sniffed_from_content_not_name(tmp_path: Path) -> None:
    for key, expected in (("fit", "fit"), ("gpx", "gpx"), ("tcx", "tcx")):
        path = tmp_path / f"misnamed_{key}.txt"
        path.write_bytes(_bytes(key))
        assert sniff_format(path.read_bytes(), path.name) == expected
        assert read_track(path)[0].source_format == expected


def test_same_bytes_same_hash(tmp_path: Path) -> None:
    copy = tmp_path / "copy.fit"
    copy.write_bytes(_bytes("fit"))
    assert read_track(copy)[0].source_sha256 == read_track(TRACKS / SAMPLES["fit"])[0].source_sha256


# --- property tests on mutated real files --------------------------------------------------


@PROPERTY
@given(key=st.sampled_from(sorted(SAMPLES)), fraction=st.floats(0.0, 1.0))
def test_truncated_files(tmp_path: Path, key: str, fraction: float) -> None:
    data = _bytes(key)
    _read_mutant(tmp_path, data[: int(len(data) * fraction)], ".bin")


@PROPERTY
@given(
    key=st.sampled_from(["fit", "fit_broken"]),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_fit_with_flipped_bytes(tmp_path: Path, key: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_bytes(key))
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    _read_mutant(tmp_path, bytes(data), ".fit")


@PROPERTY
@given(
    key=st.sampled_from(["gpx", "tcx"]),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_xml_with_flipped_bytes(tmp_path: Path, key: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_bytes(key))
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    _read_mutant(tmp_path, bytes(data), ".xml")


@PROPERTY
@given(key=st.sampled_from(["gpx", "tcx"]), picks=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=30))
def test_xml_with_dropped_elements(tmp_path: Path, key: str, picks: list[float]) -> None:
    root = etree.fromstring(_bytes(key))
    for pick in picks:
        elements = [e for e in root.iter() if e is not root and isinstance(e.tag, str)]
        if not elements:
            break
        victim = elements[int(pick * len(elements))]
        victim.getparent().remove(victim)
    _read_mutant(tmp_path, etree.tostring(root, xml_declaration=True, encoding="UTF-8"), ".xml")


@PROPERTY
@given(key=st.sampled_from(["gpx", "tcx"]), picks=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=10), junk=st.sampled_from(["", "abc", "-1", "1e400", "NaN", "9999-99-99T99:99:99Z", "2085-12-21T16:46:58Z"]))
def test_xml_with_garbage_values(tmp_path: Path, key: str, picks: list[float], junk: str) -> None:
    root = etree.fromstring(_bytes(key))
    leaves = [e for e in root.iter() if isinstance(e.tag, str) and len(e) == 0 and e.text and e.text.strip()]
    for pick in picks:
        leaves[int(pick * len(leaves))].text = junk
    _read_mutant(tmp_path, etree.tostring(root, xml_declaration=True, encoding="UTF-8"), ".xml")


def test_a_total_time_that_rounds_like_the_samples_is_given_to_the_second(tmp_path: Path) -> None:
    """The first 30 % of a real FIT: 9:39 of samples against the session's total -- never "10 min vs 10 min"."""
    data = (TRACKS / "run_hilly_gps_hr_2013.fit").read_bytes()[:5377]
    (run,) = read_track(_write(tmp_path, "cut.fit", data))
    said = [w for w in run.warnings if "total time" in w]
    assert said == ["The file's total time (9:39) does not match its samples (10:27); the samples' time was used."]


def test_a_track_dated_1970_says_the_clock_was_not_set(tmp_path: Path) -> None:
    points = "".join(f'<trkpt lat="45.{i:05d}" lon="7.0"><time>1970-01-01T08:00:{i:02d}Z</time></trkpt>' for i in range(30))
    gpx = ('<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
           f"<trk><trkseg>{points}</trkseg></trk></gpx>")  # fmt: skip
    with pytest.raises(LogFormatError, match=r"old\.gpx is dated 1970-01-01, before 1990: the device's clock was not set"):
        read_track(_write(tmp_path, "old.gpx", gpx.encode()))


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
