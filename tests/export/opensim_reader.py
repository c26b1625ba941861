"""Strict readers for OpenSim ``.trc`` and ``.mot`` files, written from the format descriptions.

Independent of ``formcheck.export`` on purpose: they encode the rules of the
OpenSim documentation ("Marker (.trc) Files", "Motion (.mot) Files") and of the
readers OpenSim 4 runs (``TRCFileAdapter.cpp``, ``MOTFileAdapter.cpp``,
``FileAdapter::tokenize`` in opensim-org/opensim-core), so a file they accept
is a file OpenSim accepts. They are stricter where that catches our own bugs
(row count must equal NumFrames; a marker is either fully present or fully blank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TRC_KEYS = ("DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units",
            "OrigDataRate", "OrigDataStartFrame", "OrigNumFrames")  # fmt: skip


def opensim_tokens(line: str, delims: str = "\t") -> list[str]:
    """Split like ``FileAdapter::tokenize``: empty fields kept, except after a final delimiter."""
    line = line.rstrip("\r\n")
    tokens = re.split("[" + re.escape(delims) + "]", line)
    if tokens and tokens[-1] == "" and len(line) > 0 and line[-1] in delims:
        tokens.pop()
    return [t.strip() for t in tokens] if line else []


@dataclass(frozen=True)
class TrcFile:
    first_line: tuple[str, ...]
    meta: dict[str, str]
    markers: tuple[str, ...]
    frame_numbers: np.ndarray  # (n,)
    time_s: np.ndarray  # (n,)
    xyz: np.ndarray  # (n, markers, 3), NaN for a blank marker
    raw_rows: tuple[tuple[str, ...], ...]


def read_trc(path: Path) -> TrcFile:
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    first = tuple(t for t in re.split(r"[ \t\r]+", lines[0]) if t)
    if len(first) != 4 or first[0] != "PathFileType" or first[1] != "4" or first[2] != "(X/Y/Z)":
        raise ValueError(f"bad first line: {lines[0]!r}")
    keys = [t for t in opensim_tokens(lines[1]) if t]
    if tuple(keys) != TRC_KEYS:
        raise ValueError(f"metadata keys {keys} != {TRC_KEYS}")
    values = [t for t in opensim_tokens(lines[2]) if t]
    if len(values) != len(keys):
        raise ValueError("metadata values do not match keys")
    meta = dict(zip(keys, values))
    n_markers, n_frames = int(meta["NumMarkers"]), int(meta["NumFrames"])
    labels = [t for t in opensim_tokens(lines[3]) if t]
    if len(labels) != n_markers + 2 or labels[:2] != ["Frame#", "Time"]:
        raise ValueError(f"column labels: expected Frame#, Time and {n_markers} markers, got {len(labels)} labels")
    xyz_labels = [t for t in opensim_tokens(lines[4]) if t]
    expected = [f"{c}{i}" for i in range(1, n_markers + 1) for c in "XYZ"]
    if xyz_labels != expected:
        raise ValueError("X/Y/Z component labels do not match NumMarkers")
    i = 5
    while i < len(lines) and not opensim_tokens(lines[i]):  # blank line(s) between header and data
        i += 1
    rows: list[list[str]] = []
    while i < len(lines) and opensim_tokens(lines[i]):  # a blank line ends the data
        row = opensim_tokens(lines[i])
        if len(row) != 3 * n_markers + 2:
            raise ValueError(f"line {i + 1}: {len(row)} fields, expected {3 * n_markers + 2}")
        rows.append(row)
        i += 1
    if any(line.strip() for line in lines[i:]):
        raise ValueError("data after a blank line")
    if len(rows) != n_frames:
        raise ValueError(f"NumFrames says {n_frames}, found {len(rows)} rows")
    xyz = np.full((len(rows), n_markers, 3), np.nan)
    for r, row in enumerate(rows):
        for m in range(n_markers):
            fields = row[2 + 3 * m: 5 + 3 * m]
            blank = [f == "" for f in fields]
            if all(blank):
                continue
            if any(blank):
                raise ValueError(f"row {r + 1}: marker {labels[2 + m]} partly blank")
            xyz[r, m] = [float(f) for f in fields]
    return TrcFile(
        first_line=first, meta=meta, markers=tuple(labels[2:]),
        frame_numbers=np.array([int(row[0]) for row in rows], dtype=np.int64),
        time_s=np.array([float(row[1]) for row in rows]), xyz=xyz, raw_rows=tuple(tuple(r) for r in rows),
    )  # fmt: skip


@dataclass(frozen=True)
class MotFile:
    name: str
    meta: dict[str, str]
    header_text: tuple[str, ...]
    labels: tuple[str, ...]
    data: np.ndarray  # (nRows, nColumns), time first


def read_mot(path: Path) -> MotFile:
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    meta: dict[str, str] = {}
    text: list[str] = []
    end = None
    for i, line in enumerate(lines):
        if re.fullmatch(r"[ \t]*endheader[ \t]*", line):
            end = i
            break
        kv = re.fullmatch(r"(.*)=(.*)", line)
        if kv and kv.group(1) and kv.group(2):
            meta[kv.group(1).strip()] = kv.group(2).strip()
        else:
            text.append(line)
    if end is None:
        raise ValueError("no endheader line")
    if not text or not text[0].strip():
        raise ValueError("first line must be the name")
    labels = [t for t in re.split(r"[ \t]+", lines[end + 1].strip()) if t]
    if not labels or labels[0] != "time":
        raise ValueError("first column must be time")
    rows = []
    for line in lines[end + 2:]:
        if not line.strip():
            break
        fields = [t for t in re.split(r"[ \t]+", line.strip()) if t]
        if len(fields) != len(labels):
            raise ValueError(f"row has {len(fields)} fields, expected {len(labels)}")
        rows.append([float(f) for f in fields])  # like std::stod: "NaN" reads, "" would not
    data = np.array(rows, dtype=np.float64).reshape(len(rows), len(labels))
    if "nRows" in meta and int(meta["nRows"]) != data.shape[0]:
        raise ValueError("nRows does not match the data")
    if "nColumns" in meta and int(meta["nColumns"]) != data.shape[1]:
        raise ValueError("nColumns does not match the data")
    return MotFile(text[0], meta, tuple(text[1:]), tuple(labels), data)
