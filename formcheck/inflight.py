"""Temporary folders being written right now, noted in a ledger file so they can be removed after a native crash.

Why: results are written atomically (``formcheck.output_dir``: a hidden
temporary folder renamed into place), and every Python exit path removes the
temporary folder. A native crash (SIGSEGV in a decoder, MediaPipe or
matplotlib) runs no Python at all, so the folder would stay behind. The process
that supervises the crashed one (``formcheck.supervisor`` for the CLI,
``formcheck.web.worker`` for a web job) opens a ledger for it before it starts;
the crashed process has noted each temporary folder it created, and the
supervisor removes the ones that still exist.

Only the process that opened the ledger writes to it (a worker it spawned or
forked does not: its folders are its own runner's business), one ``O_APPEND``
line per folder, so nothing is lost if the process dies between two writes.
A folder that was renamed into place is no longer at the noted path, so
removing "what still exists" never touches finished results.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_ledger: tuple[int, int] | None = None  # (pid that opened it, file descriptor)


def open_ledger(path: str | os.PathLike[str]) -> None:
    """Note this process's temporary folders in ``path`` from now on (called in the supervised process)."""
    global _ledger
    close_ledger()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    _ledger = (os.getpid(), fd)


def close_ledger() -> None:
    """Stop noting folders (the supervised work is over)."""
    global _ledger
    if _ledger is not None and _ledger[0] == os.getpid():
        try:
            os.close(_ledger[1])
        except OSError:
            pass
    _ledger = None


def note(folder: Path) -> None:
    """Record that ``folder`` (absolute, created by formcheck) is being written; a no-op without a ledger."""
    if _ledger is None or _ledger[0] != os.getpid():
        return
    try:
        os.write(_ledger[1], (os.fsdecode(os.path.abspath(folder)) + "\n").encode("utf-8", "surrogateescape"))
    except OSError:
        pass  # a full disk must not fail the run; the folder is then only removed by Python exit paths


def leftovers(path: str | os.PathLike[str]) -> list[Path]:
    """The folders noted in the ledger ``path`` that still exist as real folders (not links)."""
    try:
        lines = Path(path).read_bytes().decode("utf-8", "surrogateescape").splitlines()
    except OSError:
        return []
    found: list[Path] = []
    for line in dict.fromkeys(lines):  # unique, in order
        folder = Path(line)
        if folder.is_absolute() and folder.is_dir() and not folder.is_symlink():
            found.append(folder)
    return found


def remove_leftovers(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the noted folders that still exist; returns those that could not be removed."""
    kept: list[Path] = []
    for folder in leftovers(path):
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            kept.append(folder)
    return kept
