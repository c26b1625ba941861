"""Output folders that formcheck may create, fill atomically and replace -- and nothing else.

Every command that writes a folder of results (``analyze``, ``check``) goes
through :func:`check_output_dir` (before any long work) and
:func:`atomic_output_dir` (to write). The rules, chosen to match what users of
``git clone``, ``cargo new`` or ``django-admin startproject`` expect (refuse a
non-empty folder they do not own) and of build tools (a folder the tool built
itself is rebuilt in place):

* formcheck never deletes or overwrites a file it did not write. Every folder it
  writes holds a manifest, ``.formcheck-manifest.json``, listing the files (and subfolders) it
  wrote and the formcheck version that wrote them.
* An existing folder is replaced only when it is empty, or when it holds a valid
  manifest and exactly the files that manifest lists (a file a user added, or a
  listed file removed, means someone else has been there: refused). A refusal
  is one :class:`~formcheck.errors.OutputError` sentence saying what to do;
  nothing is written into a subfolder behind the user's back.
* The output folder may not contain an input (the video being analysed), be the
  current working folder or one of its parents (renaming it would pull the
  folder out from under the shell), or be a filesystem root.
* A symbolic link to a folder is followed: the results replace the folder the
  link points to (under the same rules) and the link itself survives. A link to
  nothing is refused.
* Writing is atomic: files go into a hidden temporary folder beside the target,
  which is renamed into place only once complete; the previous formcheck folder
  is moved aside first and then only the files its manifest lists are removed.
* New folders get the usual permissions (0777 minus the umask, typically 0755),
  not ``mkdtemp``'s private 0700, because results are meant to be shared.

Messages speak of "the output folder", never of a command-line option: the
CLI decides how the folder was given.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from formcheck import __version__, inflight
from formcheck.errors import OutputError

log = logging.getLogger(__name__)

MANIFEST_NAME = ".formcheck-manifest.json"
MANIFEST_SCHEMA = "formcheck.output-manifest/1"


_UNSAFE = re.compile(r"[^\w.@+-]+")
"""Runs of characters kept out of folder names: separators, spaces, emoji, shell and Windows specials."""


def safe_name(text: str) -> str:
    """``text`` as one visible folder name: a runner name from a CSV may hold slashes or start with a dot,
    and a clip named ``..mp4`` has the stem ``.``, which as a folder name is the parent folder itself."""
    cleaned = _UNSAFE.sub("_", text).strip("._") or "_"
    return cleaned[:120]


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... if a folder of that name is in ``taken`` (compared in any letter
    case: two names differing only so are one folder on macOS and Windows); the result is added to ``taken``."""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate.casefold())
    return candidate


def target_dir(out_dir: Path) -> Path:
    """The absolute folder that will be replaced: a symlink is followed, so the link itself survives."""
    absolute = Path(os.path.abspath(out_dir))
    if absolute.is_symlink():
        resolved = absolute.resolve()
        if not resolved.exists():
            raise OutputError(f"the output folder {out_dir} is a link to {resolved}, which does not exist: "
                              "create that folder or choose another output folder.")  # fmt: skip
        return resolved
    # Resolve the parent (it may contain links) but keep the last name as given.
    return absolute.parent.resolve() / absolute.name if absolute.name else absolute


def _entries(folder: Path) -> set[str]:
    """Every file, link and subfolder under ``folder`` as a POSIX path relative to it (links not followed)."""
    found: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel_root = Path(root).relative_to(folder)
        for name in dirs + files:
            found.add((rel_root / name).as_posix())
    return found


def _unexpected(folder: Path, expected: set[str], limit: int = 4) -> tuple[list[str], set[str]]:
    """Up to ``limit`` entries under ``folder`` that are not ``expected``, and the expected ones present.

    Unexpected subfolders are not entered and the walk stops at ``limit``, so a
    mistaken output folder such as a home directory is refused at once.
    """
    extra: list[str] = []
    present: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel_root = Path(root).relative_to(folder)
        for name in list(dirs) + files:
            rel = (rel_root / name).as_posix()
            if rel in expected:
                present.add(rel)
            else:
                extra.append(rel)
        dirs[:] = [d for d in dirs if (rel_root / d).as_posix() in expected]
        if len(extra) >= limit:
            break
    return sorted(extra), present


def _with_parents(files: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in files:
        path = Path(name)
        out.add(path.as_posix())
        out.update(p.as_posix() for p in path.parents if p != Path("."))
    return out


def read_manifest(folder: Path) -> list[str] | None:
    """The files and subfolders listed by ``folder``'s manifest, or None when it has no valid one."""
    try:
        document = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("schema") != MANIFEST_SCHEMA:
        return None
    files, folders = document.get("files"), document.get("folders", [])
    if not isinstance(files, list) or not isinstance(folders, list):
        return None
    names = files + folders
    if not all(isinstance(f, str) for f in names):
        return None
    safe = [f for f in names if f and not Path(f).is_absolute() and ".." not in Path(f).parts]
    return safe if len(safe) == len(names) else None


def write_manifest(folder: Path) -> list[str]:
    """List every file (and subfolder) now in ``folder`` in its manifest, itself excluded; return the files."""
    entries = _entries(folder) - {MANIFEST_NAME}
    folders = sorted(e for e in entries if (folder / e).is_dir() and not (folder / e).is_symlink())
    files = sorted(entries - set(folders))
    document = {"schema": MANIFEST_SCHEMA, "written_by": "formcheck", "formcheck_version": __version__,
                "files": files, "folders": folders}  # fmt: skip
    (folder / MANIFEST_NAME).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return files


def _refusal(out_dir: Path, target: Path) -> str | None:
    """Why the existing folder ``target`` may not be replaced, or None when it may."""
    if not target.exists() and not target.is_symlink():
        return None
    if not target.is_dir():
        return f"the output folder {out_dir} is a file: give a folder path for the results."
    with os.scandir(target) as listing:
        if next(listing, None) is None:
            return None
    listed = read_manifest(target)
    if listed is None:
        return (f"the output folder {out_dir} already holds files formcheck did not write: "
                "choose a new or empty folder (formcheck never deletes files it did not write).")  # fmt: skip
    expected = _with_parents(listed) | {MANIFEST_NAME}
    extra, present = _unexpected(target, expected)
    if extra:
        return (f"the output folder {out_dir} holds formcheck results plus files formcheck did not write "
                f"({', '.join(extra[:3])}{', ...' if len(extra) > 3 else ''}): move them away or choose another folder.")  # fmt: skip
    missing = sorted(expected - present)
    if missing:
        return (f"the output folder {out_dir} holds formcheck results that were changed since ({', '.join(missing[:3])} "
                "missing): delete the folder yourself or choose another folder.")  # fmt: skip
    return None


def check_output_dir(out_dir: Path, *, inputs: Iterable[Path] = ()) -> None:
    """Fail early, with one OutputError sentence, when ``out_dir`` may not be written or replaced.

    ``inputs`` are files the run reads (the video): the output folder may not hold them.
    """
    target = target_dir(out_dir)
    if target.parent == target:
        raise OutputError(f"the output folder {out_dir} is a filesystem root: give a new folder for the results.")
    try:
        cwd = Path.cwd().resolve()
    except OSError:
        cwd = None
    if cwd is not None and (cwd == target or target in cwd.parents):
        raise OutputError(f"the output folder {out_dir} is the current folder or contains it: "
                          "give a new folder name for the results, e.g. results.")  # fmt: skip
    for source in inputs:
        resolved = Path(os.path.abspath(source)).resolve()
        if resolved == target or target in resolved.parents:
            raise OutputError(f"the output folder {out_dir} contains the input {source}: "
                              "choose another folder for the results, e.g. a new one beside it.")  # fmt: skip
    reason = _refusal(out_dir, target)
    if reason is not None:
        raise OutputError(reason)
    probe_parent = target.parent
    while not probe_parent.exists():
        probe_parent = probe_parent.parent
    if not probe_parent.is_dir():
        raise OutputError(f"{probe_parent} is a file, so no folder can be made inside it: choose another output folder.")
    if not os.access(probe_parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to {probe_parent}: choose another output folder you can write to.")


def current_umask() -> int:
    """The process umask, read without changing it when Linux tells it (``os.umask`` swaps it briefly)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_listed(old: Path) -> None:
    """Delete a moved-aside formcheck folder: only the files its manifest lists, then empty subfolders."""
    listed = read_manifest(old) or []
    for name in [*listed, MANIFEST_NAME]:
        path = old / name
        if path.is_file() or path.is_symlink():
            path.unlink(missing_ok=True)
    for name in sorted(_with_parents(listed), key=lambda n: -n.count("/")):
        try:
            (old / name).rmdir()
        except OSError:
            pass
    try:
        old.rmdir()
    except OSError:
        pass


@contextmanager
def atomic_output_dir(out_dir: Path, *, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary folder; on success its contents (plus a manifest) become ``out_dir``, on failure it vanishes.

    The checks of :func:`check_output_dir` are repeated just before the swap, so
    files added to ``out_dir`` during a long run are not lost either.
    """
    inputs = tuple(inputs)
    check_output_dir(out_dir, inputs=inputs)
    target = target_dir(out_dir)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
        inflight.note(tmp)  # removed by the supervisor if a native crash skips the cleanup below
        os.chmod(tmp, 0o777 & ~current_umask())
    except OSError as error:
        raise OutputError(f"cannot create {out_dir}: {error.strerror}. Choose another output folder.") from None
    try:
        yield tmp
        write_manifest(tmp)
        check_output_dir(out_dir, inputs=inputs)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap_into_place(tmp, target)
    except OSError as error:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {out_dir}: {error.strerror or error}. Choose another output folder.") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_abandoned(out_dir: Path, since: float) -> list[Path]:
    """Remove the temporary folders :func:`atomic_output_dir` began for ``out_dir`` at or after ``since`` (epoch s).

    For a writer that died without running any Python (a batch worker killed with SIGKILL, or by the kernel when
    memory ran out): its ``.<name>.tmp-*`` folder stayed beside the results for good, even after a retry wrote
    them. Only folders of that exact pattern, created since the dead writer was handed the clip, are removed:
    an older one may be another live process's.
    """
    target = target_dir(out_dir)
    removed = []
    try:
        candidates = list(target.parent.glob(f".{glob.escape(target.name)}.tmp-*"))
    except OSError:
        return []
    for folder in candidates:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_ctime >= since - 1.0:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; a checked previous ``target`` is moved aside first and then emptied."""
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.replace(target, old / "previous")
    try:
        os.replace(tmp, target)
    except BaseException:
        os.replace(old / "previous", target)
        old.rmdir()
        raise
    _remove_listed(old / "previous")
    try:
        old.rmdir()
    except OSError:
        log.warning("kept %s: it holds files formcheck did not write", old)
