"""Engine errors worded for a person in a browser.

The engine's messages are written for the terminal: they name the file by its
path (here a server-chosen path the runner never saw) and sometimes a CLI
flag (``--height-cm``, ``--start``/``--end``, ``--units``).  A web user can
act on neither, so every message shown by the web app passes through
:func:`for_web`, which puts the file's own name back and replaces each flag
with the form field or action that does the same thing.  Unknown flags fall
back to a neutral wording rather than leaking ``--something``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# (pattern, replacement), tried in order; the first ones are whole phrases, the last ones single flags.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"pick a part of it by its start and end, in seconds", "trim the clip to the part you want (30 min at most) and upload that"),
    (r";?\s*check --start/--end", ""),
    (r"pass --units kg or --units lb", 'choose kg or lb in the "weights in" field'),
    (r"--units (kg|lb|\S+) ignored", r'the "weights in" choice (\1) was ignored'),
    (r"--height-cm (\S+)", r"a height of \1 cm"),
    (r"--height-cm", "your height (in the questionnaire)"),
    (r"--capture-fps", "the capture frame rate"),
    (r"--start|--end", "the part of the clip"),
    (r"--units", 'the "weights in" field'),
    (r"--tz", 'the "time zone" field'),
    (r"--date", 'the "date" field'),
    (r"--runner", 'the "runner" field'),
    (r"--answers", "the questionnaire"),
    (r"--db", "the server's database"),
    (r"--out", "the output folder"),
    (r"--workers", "the number of workers"),
    (r"formcheck ask writes one", "fill in the questionnaire on the New check page"),
    (r"(?<![\w-])--([a-z][a-z0-9-]*)", r"the \1 setting"),
)


def for_web(message: str, names: Mapping[str, str] = {}, hide: str | None = None) -> str:
    """``message`` with server paths replaced by the names the runner gave, and no CLI flags.

    ``hide`` is the server's data folder: any path under it left in the text
    (a library's message may quote it cut short) becomes "the file".
    """
    text = message
    for path, shown in sorted(names.items(), key=lambda item: -len(item[0])):  # longest first: a/b before b
        if path:
            text = text.replace(path, shown)
    if hide:
        text = re.sub("['\"]?" + re.escape(hide.rstrip("/")) + "[^\\s'\")]*['\"]?", "the file", text)
    text = re.sub(r"\[Errno -?\d+\]\s*", "", text)  # FFmpeg's numeric codes mean nothing to a runner
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())
