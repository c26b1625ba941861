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

The ledger (like the crash log) is an unlinked temporary file shared by file
descriptor (:func:`anonymous_file`): it never outlives the processes that use
it, even when both are killed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_ledger: tuple[int, int] | None = None  # (pid that opened it, file descriptor)


def anonymous_file(prefix: str) -> int:
    """A new private (0600) temporary file with no name left on disk: its descriptor (not inherited by exec)."""
    fd, path = tempfile.mkstemp(prefix=prefix)
    os.unlink(path)
    return fd


def read_all(fd: int) -> bytes:
    """Everything written to ``fd`` so far, from its start (the writer has ended, or only appends)."""
    chunks: list[bytes] = []
    offset = 0
    while chunk := os.pread(fd, 1 << 16, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def open_ledger(fd: int) -> None:
    """Note this process's temporary folders in the ledger ``fd`` from now on (called in the supervised process)."""
    import fcntl  # POSIX only, like the supervisors that call this

    global _ledger
    close_ledger()
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    _ledger = (os.getpid(), fd)


def close_ledger() -> None:
    """Stop noting folders (the supervised work is over); the descriptor stays its owner's to close."""
    global _ledger
    _ledger = None


def note(folder: Path) -> None:
    """Record that ``folder`` (absolute, created by formcheck) is being written; a no-op without a ledger."""
    if _ledger is None or _ledger[0] != os.getpid():
        return
    try:
        os.write(_ledger[1], (os.fsdecode(os.path.abspath(folder)) + "\n").encode("utf-8", "surrogateescape"))
    except OSError:
        pass  # a full disk must not fail the run; the folder is then only removed by Python exit paths


def leftovers(fd: int) -> list[Path]:
    """The folders noted in the ledger ``fd`` that still exist as real folders (not links)."""
    try:
        lines = read_all(fd).decode("utf-8", "surrogateescape").splitlines()
    except OSError:
        return []
    found: list[Path] = []
    for line in dict.fromkeys(lines):  # unique, in order
        folder = Path(line)
        if folder.is_absolute() and folder.is_dir() and not folder.is_symlink():
            found.append(folder)
    return found


def remove_leftovers(fd: int) -> list[Path]:
    """Delete the noted folders that still exist; returns those that could not be removed."""
    kept: list[Path] = []
    for folder in leftovers(fd):
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            kept.append(folder)
    return kept
