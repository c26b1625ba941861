"""The errors formcheck tells a user about.

Every error a person can cause (a wrong file, a bad option, a video with nobody
in it) is a :class:`FormcheckError` carrying one plain sentence that says what
is wrong and what to do. The CLI catches only this family and prints the
message on one line with the class's exit code; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations


class FormcheckError(Exception):
    """Base of every user-facing error; ``exit_code`` is what the CLI returns."""

    exit_code: int = 1

    def __init__(self, message: str, *, settings: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        # The settings the message is about, by their domain names ("height_cm", "start_s"): the engine
        # speaks in domain words, and each front end names its own option for them (the CLI a --flag,
        # the web app a form field), so no engine message has to know about either.
        self.settings = settings

    def __str__(self) -> str:
        return self.message


class UsageError(FormcheckError):
    """An option or argument that cannot work (bad range, missing value)."""

    exit_code = 2


class InputFileError(FormcheckError):
    """A path that is missing, a directory, or unreadable."""

    exit_code = 3


class OutputError(FormcheckError):
    """The output location cannot be written."""

    exit_code = 4


class VideoError(FormcheckError):
    """A file that is not a decodable video (wrong format, truncated, no frames)."""

    exit_code = 5


class VideoTooLongError(VideoError):
    """A video longer than the limit, with no start and end to pick a part of it.

    ``trimmed`` is the same sentence for a front end with no start and end to
    give (``check``, ``batch``): it says to trim the clip instead.
    """

    def __init__(self, message: str, *, trimmed: str | None = None, settings: tuple[str, ...] = ()) -> None:
        super().__init__(message, settings=settings)
        self.trimmed = trimmed or message


class NoPersonError(FormcheckError):
    """The pose model found nobody in the frames that were analysed."""

    exit_code = 6


class LogFormatError(FormcheckError):
    """A training-log file (GPX/FIT/TCX/CSV) that cannot be read as what it claims."""

    exit_code = 7


class UnitsRequiredError(LogFormatError):
    """A strength export that does not say kg or lb; the person must say which (the ``units`` setting)."""


class StoreError(FormcheckError):
    """The training store cannot be opened, migrated or written."""

    exit_code = 8


class NotFoundError(FormcheckError):
    """A run, date or runner that the store does not hold."""

    exit_code = 9


class AnswersError(UsageError):
    """An ``answers.toml`` (or questionnaire form) that is missing, not TOML, or holds a value not allowed."""
