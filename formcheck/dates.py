"""The days a date a user types may fall on: not in the future, not before 1990.

Why one place: a run's date, a journal entry, a clip in a batch manifest and
the day ``check`` is about are all typed by hand, and a typo (2099, 1926)
stored once skews every "days since the last heavy deadlift" and every trend
after it. No run, lift or clip formcheck reads is older than 1990 (the FIT
epoch is 1989-12-31), so an earlier date is a typo too.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(1990, 1, 1)


def date_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """What is wrong with ``day`` as the day something happened ("is in the future", ...), or None."""
    today = today or dt.date.today()
    if day > today:
        return "is in the future"
    if day < EARLIEST_DATE:
        return f"is before {EARLIEST_DATE.year}"
    return None
