"""Writing ``answers.toml``: only over a file formcheck wrote and nobody has edited since, and atomically.

A filled-in questionnaire is a person's work (and health information), so
``formcheck ask`` must never overwrite one by accident -- including a template
formcheck wrote that the person then filled in by hand.  Every file formcheck
writes starts with a stamp line holding the SHA-256 of the rest of the file;
a file is formcheck's to replace only while that hash still matches.  This
mirrors the manifest rule of :mod:`formcheck.output_dir` for one file.

The file is written to a temporary file in the same folder and moved into
place with ``os.replace``, so a crash or Ctrl-C never leaves half a file; it is
created readable by its owner only (0600), because it may name drugs and
symptoms.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from formcheck import __version__
from formcheck.errors import OutputError

_STAMP = re.compile(r"# written by formcheck \S+; sha256 of the rest: ([0-9a-f]{64})\n")


def stamp(text: str) -> str:
    """``text`` with the first line that marks it as formcheck's (and unedited)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"# written by formcheck {__version__}; sha256 of the rest: {digest}\n{text}"


def written_by_formcheck(path: Path) -> bool:
    """True when ``path`` is a file formcheck wrote and nobody changed since (so it may be replaced)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    found = _STAMP.match(text)
    if found is None:
        return False
    return hashlib.sha256(text[found.end() :].encode("utf-8")).hexdigest() == found.group(1)


def may_write(path: Path) -> str | None:
    """None when ``path`` may be (over)written; else why not, as the end of a sentence about the file."""
    if path.is_dir():
        return f"is a folder: give a file name, e.g. {path / 'answers.toml'}"
    if not path.parent.is_dir():
        return f"cannot be written: the folder {path.parent} does not exist"
    if path.exists() or path.is_symlink():
        if not written_by_formcheck(path):
            return "already exists and formcheck did not write it (or it was edited since)"
    return None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file and ``os.replace``; owner-only permissions."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        raise
