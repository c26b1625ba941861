"""Exports for biomechanics tools: OpenSim marker (``.trc``) and motion (``.mot``) files.

Each exporter is ``write_xxx(path, track, analysis, height_cm)`` and writes one
file from an already computed ``Analysis`` (no stage is re-run, no video is
opened). ``EXPORTERS`` is plain data so that a new format is one more entry;
``write_exports`` is what the ``analyze`` command calls with ``--export`` kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from formcheck.analysis.pipeline import Analysis
from formcheck.errors import UsageError
from formcheck.export.mot import write_mot
from formcheck.export.trc import write_trc
from formcheck.pose.track import PoseTrack


class Exporter(Protocol):
    def __call__(self, path: Path, track: PoseTrack, analysis: Analysis, height_cm: float | None = None) -> None: ...


EXPORTERS: dict[str, Exporter] = {"trc": write_trc, "mot": write_mot}
"""Export kind (also the file extension) -> writer."""


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The requested kinds, lower-cased and de-duplicated in order; a UsageError names an unknown one."""
    out: list[str] = []
    for kind in kinds:
        key = kind.strip().lower().lstrip(".")
        if key not in EXPORTERS:
            raise UsageError(f"Unknown export {kind!r}: choose from {', '.join(sorted(EXPORTERS))}.")
        if key not in out:
            out.append(key)
    return tuple(out)


def write_exports(out_dir: Path, track: PoseTrack, analysis: Analysis, height_cm: float | None,
                  kinds: Iterable[str], stem: str) -> list[Path]:
    """Write ``out_dir/<stem>.<kind>`` for each kind (validated before anything is written); returns the paths."""
    checked = check_kinds(kinds)
    paths = []
    for kind in checked:
        path = Path(out_dir) / f"{stem}.{kind}"
        EXPORTERS[kind](path, track, analysis, height_cm)
        paths.append(path)
    return paths


__all__ = ["EXPORTERS", "Exporter", "check_kinds", "write_exports", "write_mot", "write_trc"]
