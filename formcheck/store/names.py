"""Which runner names the store accepts.

A runner's name keys everything stored for them and heads every report and
page; a blank name, or one with a line break in it, would be a runner nobody
can pick again. Checked where names come in (``import --runner``, a batch
manifest, ``check``) and once more where a runner row is created.
"""

from __future__ import annotations

import unicodedata

from formcheck.errors import UsageError

MAX_RUNNER_CHARS = 200
BREAKING_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
"""Control characters (tab, newline, NEL U+0085) and Unicode's line and paragraph separators (U+2028/9)."""


def runner_name_problem(name: str) -> str | None:
    """What makes ``name`` unusable as a runner's name (empty, a line break...), or None."""
    if not name.strip():
        return "is empty"
    if any(unicodedata.category(c) in BREAKING_CATEGORIES for c in name):
        return "holds a control character (a line break or a tab)"
    if len(name) > MAX_RUNNER_CHARS:
        return f"is longer than {MAX_RUNNER_CHARS} characters"
    return None


def require_runner_name(name: str) -> None:
    """Raise the UsageError (about the ``runner`` setting) for a name the store must never hold.

    The last guard where a runner row is created, for every way one is (an import, a check,
    a journal entry, a batch's upsert): the front ends check first, in their own words.
    """
    if problem := runner_name_problem(name):
        raise UsageError(f"the runner's name {name!r} {problem}.", settings=("runner",))
