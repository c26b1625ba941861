"""Engine errors worded for a person in a browser.

The engine speaks in domain words: its messages name a file by its path (here
a server-chosen path the runner never saw) and say which settings they are
about in ``FormcheckError.settings`` ("units", "height_cm"), never by a CLI
flag.  :func:`for_web` puts the file's own name back and adds the form field
that sets each setting (:data:`WEB_FIELDS`), the web app's counterpart of the
CLI's ``CLI_FLAGS``.  Two phrases about picking a part of a clip are reworded,
because the web app has no start and end fields; a ``--flag`` that still
slips through (a library's message) becomes "the x setting", never a flag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from formcheck.errors import FormcheckError

SECTION_TITLES = {"runner": "About you", "symptom": "The run that hurt", "warmup": "Warm-up",
                  "history": "Past injuries", "substances": "Supplements and substances",
                  "endurance": "Trunk endurance tests (McGill)", "red_flags": "Warning signs"}  # fmt: skip
"""The questionnaire's sections as the New check page titles them (the report points at them too)."""

WEB_FIELDS = {
    "units": 'the "Weights in" field',
    "runner": 'the "Runner" field',
    "tz": 'the "tz" field (your browser\'s time zone)',
    "date": 'the date under "The run that hurt"',
    "height_cm": 'your height under "About you"',
}
"""How this front end names the engine's settings; settings it has no field for (start_s, db) get none."""

_PHRASES: tuple[tuple[str, str], ...] = (
    (r"pick a part of it by its start and end, in seconds", "trim the clip to the part you want (30 min at most) and upload that"),
    (r";\s*choose another part(?= of the clip|\.|$)", ""),
    (r"(?<![\w-])--([a-z][a-z0-9-]*)", r"the \1 setting"),
)  # fmt: skip


def fields_of(settings: tuple[str, ...]) -> list[str]:
    """The web form fields for ``settings``, in order, each once."""
    return list(dict.fromkeys(WEB_FIELDS[name] for name in settings if name in WEB_FIELDS))


def for_web(error: str | FormcheckError, names: Mapping[str, str] = {}, hide: str | None = None) -> str:
    """``error``'s message with server paths replaced by the names the runner gave, and the form fields it is about.

    ``hide`` is the server's data folder: any path under it left in the text
    (a library's message may quote it cut short) becomes "the file".  Given a
    FormcheckError (not only its message), the fields that set its
    ``settings`` are added: "... (the "Weights in" field)."
    """
    text = error.message if isinstance(error, FormcheckError) else error
    for path, shown in sorted(names.items(), key=lambda item: -len(item[0])):  # longest first: a/b before b
        if path:
            text = text.replace(path, shown)
    if hide:
        text = re.sub("['\"]?" + re.escape(hide.rstrip("/")) + "[^\\s'\")]*['\"]?", "the file", text)
    text = re.sub(r"\[Errno -?\d+\]\s*", "", text)  # FFmpeg's numeric codes mean nothing to a runner
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text)
    text = " ".join(text.split())
    fields = fields_of(error.settings) if isinstance(error, FormcheckError) else []
    if fields:
        text = f"{text.rstrip('.')} ({', '.join(fields)})."
    return text


def with_question(message: str, source: str = "questionnaire") -> str:
    """A questionnaire error as the New check page shows it: the question's words and its section first,
    the field's key after (programs posting to the API send keys).

    ``questionnaire: symptom.date 2099-05-01 is in the future`` -> ``questionnaire, The run that hurt:
    "On which date was the run that hurt?" (symptom.date) 2099-05-01 is in the future``.
    """
    from formcheck.answers.fields import all_fields

    found = re.match(rf"{re.escape(source)}: (?:unknown field )?([a-z_]+)\.([a-z_]+)\b", message)
    spec = all_fields().get(f"{found.group(1)}.{found.group(2)}") if found else None
    if found is None or spec is None or message[found.end():].startswith("."):
        return message
    where = f'{SECTION_TITLES.get(spec.section, spec.section)}: "{spec.question}" ({spec.key})'
    return f"{source}, {where}{message[found.end():]}"
