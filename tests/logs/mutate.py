"""Edits of real training-log files for tests and the fuzz benchmark: one FIT field, bit flips, shuffled times.

Nothing here reads ``../shared/data`` by itself; callers pass the bytes.
"""

from __future__ import annotations

import io
import random
import re
import struct

import fitdecode
from fitdecode.utils import compute_crc

_FORMATS = {1: "B", 2: "H", 4: "I"}


def fit_field_offset(data: bytes, message: str, field: str, occurrence: int = 0) -> tuple[int, int, str]:
    """(byte offset, size, struct byte order) of ``field`` in the ``occurrence``-th ``message`` of a FIT file."""
    seen = 0
    reader = fitdecode.FitReader(io.BytesIO(data), keep_raw_chunks=True, check_crc=fitdecode.CrcCheck.DISABLED)
    for frame in reader:
        if not (isinstance(frame, fitdecode.FitDataMessage) and frame.name == message):
            continue
        if seen < occurrence:
            seen += 1
            continue
        offset = frame.chunk.offset + 1  # the record header byte
        for field_def in frame.def_mesg.field_defs:
            if field_def.name == field:
                return offset, field_def.size, "<" if frame.def_mesg.endian == "<" else ">"
            offset += field_def.size
        break
    raise KeyError(f"no {message}.{field} in this FIT file")


def fix_fit_crc(data: bytes) -> bytes:
    """The file with its trailing CRC recomputed (as a tool that rewrites a FIT file would)."""
    body = data[:-2]
    return body + struct.pack("<H", compute_crc(body))


def set_fit_field(data: bytes, message: str, field: str, raw: int, *, fix_crc: bool = False, occurrence: int = 0) -> bytes:
    """``data`` with one raw field value replaced (e.g. session.total_distance in cm)."""
    offset, size, order = fit_field_offset(data, message, field, occurrence)
    out = bytearray(data)
    out[offset : offset + size] = struct.pack(order + _FORMATS[size], raw)
    return fix_fit_crc(bytes(out)) if fix_crc else bytes(out)


def flip_bits(data: bytes, rng: random.Random, flips: int, start: int = 0) -> bytes:
    """``flips`` random single-bit flips at or after byte ``start``."""
    out = bytearray(data)
    for _ in range(flips):
        where = rng.randrange(start, len(out))
        out[where] ^= 1 << rng.randrange(8)
    return bytes(out)


_XML_TIME = re.compile(rb"(<(?:time|Time)>)([^<]*)(</(?:time|Time)>)")


def xml_times(data: bytes, order: str, rng: random.Random | None = None) -> bytes:
    """GPX/TCX with its point times all equal ("equal"), reversed ("reverse") or shuffled ("shuffle")."""
    times = [m.group(2) for m in _XML_TIME.finditer(data)]
    if order == "equal":
        new = [times[0]] * len(times)
    elif order == "reverse":
        new = times[::-1]
    else:
        new = list(times)
        (rng or random.Random(0)).shuffle(new)
    it = iter(new)
    return _XML_TIME.sub(lambda m: m.group(1) + next(it) + m.group(3), data)


def fit_shuffled_timestamps(data: bytes, rng: random.Random, fraction: float = 1.0) -> bytes:
    """FIT with the timestamps of a ``fraction`` of its records permuted among themselves (CRC fixed)."""
    spots: list[tuple[int, int, str]] = []
    values: list[bytes] = []
    reader = fitdecode.FitReader(io.BytesIO(data), keep_raw_chunks=True, check_crc=fitdecode.CrcCheck.DISABLED)
    for frame in _frames_until_error(reader):
        if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
            offset = frame.chunk.offset + 1
            for field_def in frame.def_mesg.field_defs:
                if field_def.name == "timestamp":
                    spots.append((offset, field_def.size, frame.def_mesg.endian))
                    values.append(data[offset : offset + field_def.size])
                    break
                offset += field_def.size
    chosen = [i for i in range(len(spots)) if rng.random() < fraction]
    permuted = [values[i] for i in chosen]
    rng.shuffle(permuted)
    out = bytearray(data)
    for i, value in zip(chosen, permuted):
        offset, size, _ = spots[i]
        out[offset : offset + size] = value
    return fix_fit_crc(bytes(out))


def _frames_until_error(reader: "fitdecode.FitReader") -> "list[object]":
    frames = []
    try:
        for frame in reader:
            frames.append(frame)
    except fitdecode.FitError:
        pass  # a file that breaks part-way (the Strava one): shuffle what comes before the break
    return frames


def csv_shuffled_dates(data: bytes, rng: random.Random) -> bytes:
    """A strength CSV with the date fields of its rows permuted (header kept)."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    head, rows = lines[:1], lines[1:]
    dates = [re.search(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?|\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", r) for r in rows]
    found = [m.group(0) for m in dates if m]
    rng.shuffle(found)
    it = iter(found)
    out = [r.replace(m.group(0), next(it), 1) if m else r for r, m in zip(rows, dates)]
    return "".join(head + out).encode()


# --- the fuzz cases shared by tests/logs/test_fuzz_readers.py and benchmarks/fuzz_logs.py ------------

# One real file per reader (small ones, so a case takes milliseconds); CSVs are cut to their first rows.
FUZZ_FILES = {
    "fit": ("tracks", "run_fenix5_1min.fit"),
    "fit_broken": ("tracks", "run_strava_android_malformed.fit"),
    "gpx": ("tracks", "run_strava_gps_hr_cadence.gpx"),
    "tcx": ("tracks", "walk_run_googlefit_gps_2016-10-08.tcx"),
    "strong": ("strength", "strong_export_lbs_with_rpe.csv"),
    "hevy": ("strength", "hevy_export_set_types_unicode.csv"),
    "fitnotes": ("strength", "fitnotes_export_weight_unit_column.csv"),
}
CSV_ROWS = 300
KINDS = ("truncate", "flip", "shuffle")


def fuzz_base(shared_data: "object", reader: str) -> bytes:
    """The bytes a reader's fuzz cases start from."""
    folder, name = FUZZ_FILES[reader]
    data = (shared_data / folder / name).read_bytes()  # type: ignore[operator]
    if name.endswith(".csv"):
        data = b"".join(data.splitlines(keepends=True)[: CSV_ROWS + 1])
    return data


def mutate(reader: str, kind: str, data: bytes, rng: random.Random) -> bytes:
    """One fuzz case: a truncation, 1-8 bit flips, or shuffled timestamps of ``data``."""
    if kind == "truncate":
        return data[: rng.randrange(0, len(data))]
    if kind == "flip":
        return flip_bits(data, rng, rng.randint(1, 8))
    if reader.startswith("fit"):
        return fit_shuffled_timestamps(data, rng, fraction=rng.choice([0.05, 0.3, 1.0]))
    if reader in ("gpx", "tcx"):
        return xml_times(data, rng.choice(["shuffle", "shuffle", "reverse", "equal"]), rng)
    return csv_shuffled_dates(data, rng)
