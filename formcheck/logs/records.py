"""The typed records that every training-log reader returns and the store keeps.

Readers (``gpx.py``, ``fit.py``, ``tcx.py``, ``strength.py``) turn files into
these; the store persists them; ``context`` derives features from them. Nothing
here parses or prints: it is the contract between those stages.

Units are in the field names. Times are timezone-aware UTC datetimes where the
file gives a zone; ``None`` where the file gives no time of day (FitNotes
exports only a date), which ``has_time_of_day`` makes explicit so that features
can say "2 days before" instead of pretending to know hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Sport(str, Enum):
    """What a track records. Only RUN counts as running load; ROWING is alternative cardio."""

    RUN = "run"
    WALK = "walk"
    ROWING = "rowing"
    OTHER = "other"


@dataclass(frozen=True)
class TrackPoint:
    """One sample of a recorded activity; every measurement is optional because files differ."""

    time: dt.datetime
    lat_deg: float | None = None
    lon_deg: float | None = None
    elevation_m: float | None = None
    distance_m: float | None = None
    speed_mps: float | None = None
    heart_rate_bpm: float | None = None
    cadence_spm: float | None = None  # steps per minute, both feet (FIT strides are converted once)
    vertical_oscillation_mm: float | None = None
    stance_time_ms: float | None = None


@dataclass(frozen=True)
class Segment:
    """A contiguous part of a track with one sport (a multi-<Activity> TCX has several)."""

    sport: Sport
    start_index: int  # index into Run.points, inclusive
    end_index: int  # exclusive


@dataclass(frozen=True)
class Run:
    """One recorded activity as read from a GPX/FIT/TCX file (a run, walk, row or other).

    ``warnings`` lists what was repaired or dropped (GPS spikes, a FIT file that
    broke part-way) in plain sentences; ``source_sha256`` lets imports be idempotent.
    """

    sport: Sport
    start: dt.datetime
    duration_s: float
    distance_m: float | None
    points: tuple[TrackPoint, ...]
    segments: tuple[Segment, ...] = ()
    source_path: str = ""
    source_format: str = ""  # "gpx" | "fit" | "tcx"
    source_sha256: str = ""
    device: str | None = None
    sub_sport: str | None = None
    gain_m: float | None = None
    loss_m: float | None = None
    avg_heart_rate_bpm: float | None = None
    warnings: tuple[str, ...] = ()

    @property
    def elapsed_s(self) -> float | None:
        """First to last recorded point, pauses included: the clock walk breaks are placed on.

        ``duration_s`` is the file's own total, which for FIT and TCX is timer time (pauses
        left out): a break 35 minutes long in a 19-minute run is a pause, not an error, and
        this is the time that shows it. None with fewer than two points.
        """
        if len(self.points) < 2:
            return None
        return (self.points[-1].time - self.points[0].time).total_seconds()


class SetKind(str, Enum):
    """How a set was logged; warm-ups are not hard sets."""

    NORMAL = "normal"
    WARMUP = "warmup"
    FAILURE = "failure"
    DROPSET = "dropset"


@dataclass(frozen=True)
class LiftSet:
    """One set of one exercise from a strength-app export, weights always in kg."""

    performed_on: dt.date
    started_at: dt.datetime | None  # None when the export has no time of day (FitNotes)
    workout: str
    exercise: str
    set_index: int
    kind: SetKind
    weight_kg: float | None  # None for bodyweight sets
    reps: int | None
    rpe: float | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    notes: str = ""

    @property
    def has_time_of_day(self) -> bool:
        return self.started_at is not None


@dataclass(frozen=True)
class StrengthLog:
    """Everything read from one strength export, with what had to be recovered."""

    app: str  # "strong" | "hevy" | "fitnotes"
    sets: tuple[LiftSet, ...]
    source_path: str = ""
    source_sha256: str = ""
    recovered_rows: int = 0  # rows repaired (e.g. an unquoted comma in an exercise name)
    weight_unit: str | None = None  # the unit the export wrote weights in ("kg", "lb", "st"), None if mixed or none
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ParsedLog:
    """One training-log file as read by ``formcheck.logs.read_log``: typed, plausible records.

    ``kind`` is "track" (``runs``) or "strength" (``strength``); ``format`` the
    sniffed format ("gpx", "fit", "tcx", "strong", "hevy", "fitnotes");
    ``sha256`` the hash of the file's bytes.  ``dropped`` records (of ``total``
    read) failed the plausibility bounds; ``warnings`` says which and why.
    """

    path: str
    kind: str
    format: str
    sha256: str
    runs: tuple[Run, ...] = ()
    strength: StrengthLog | None = None
    warnings: tuple[str, ...] = ()
    dropped: int = 0
    total: int = 0

    @property
    def record_warnings(self) -> tuple[str, ...]:
        """What the reader repaired or skipped in the records, then what the bounds dropped."""
        inner = tuple(w for run in self.runs for w in run.warnings)
        if self.strength is not None:
            inner += self.strength.warnings
        return inner + self.warnings
