"""The lifting before a run that loaded the lower back: last such session, each of the week before, and the 72 h before.

"Heavy deadlifts or squats the days before" is half the forum's answer to a
lower-back pump on a run.  This module finds, from the runner's own strength
log, the last session with a lumbar-loading exercise (class ``moderate`` or
``heavy`` in ``formcheck.context.taxonomy``: deadlifts, free squats, good
mornings, Olympic lifts, bent-over rows ...) before the run, and how hard it
was: hard sets, tonnage, and the top set against the runner's own best of the
previous 90 days (Epley e1RM), because a near-maximal pull two days before
matters more than a light technique session.

When it happened is said as precisely as the data allows and no more:

* lift times with a zone: ``hours_before`` exact, ``hours_basis`` "utc";
* wall-clock lift times (Strong, Hevy write no zone) when the runner's zone is
  known (``lift_tz``: ``formcheck import --tz`` stores it per runner,
  ``formcheck context --tz`` overrides it): the lift's wall-clock time is put
  in that IANA zone (daylight saving included) and ``hours_before`` is exact,
  ``hours_basis`` "exact: lift clock in Europe/Berlin";
* wall-clock lift times without a known zone (the fallback): the run's local
  clock is estimated from its GPS longitude (15 deg per hour; right to about
  an hour where zones follow geography), ``hours_basis`` "local clock, zone
  estimated from GPS longitude"; with no GPS, hours stay null and ``hours_basis``
  is ``NO_ZONE_BASIS`` (the times are there, the run's zone is not);
* date-only logs (FitNotes): ``hours_before`` null, only ``days_before``, and a
  lift on the run's own date is left out because its order is unknown (it is
  kept apart as ``unordered_same_day``, for the findings to mention).

Sessions are calendar days; a session's time is its first lumbar-loading set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from formcheck.logs.records import LiftSet, Run
from formcheck.context.strength_load import estimated_1rm_kg, is_hard_set, set_tonnage_kg

LUMBAR_CLASSES = ("moderate", "heavy")
Classifier = Callable[[str], "str | None"]  # exercise name -> "none" | "moderate" | "heavy" | None (unknown)


@dataclass(frozen=True)
class LumbarConfig:
    window_h: float = 72.0
    best_lookback_days: int = 90
    recent_days: int = 7  # sessions listed one by one (the findings' own window, 96 h, must fit inside)


DEFAULT_LUMBAR = LumbarConfig()


@dataclass(frozen=True)
class TopSet:
    exercise: str
    weight_kg: float
    reps: int
    e1rm_kg: float
    best_e1rm_kg: float | None  # best of the same exercise in the lookback before the session
    pct_of_best: float | None


@dataclass(frozen=True)
class LumbarSession:
    date: dt.date
    hours_before: float | None
    hours_basis: str | None
    days_before: int
    exercises: tuple[str, ...]  # the lumbar-loading ones, in log order
    lumbar_load: str  # "heavy" | "moderate": the heaviest class that day
    hard_sets: int
    tonnage_kg: float  # lumbar-loading sets, warm-ups excluded
    top_set: TopSet | None


@dataclass(frozen=True)
class LumbarWindow:
    hours: float
    sessions: int
    exercises: tuple[str, ...]
    hard_sets: int
    heavy_hard_sets: int
    tonnage_kg: float


@dataclass(frozen=True)
class LumbarContext:
    last_session: LumbarSession | None
    window: LumbarWindow
    unclassified_exercises: tuple[str, ...]  # names in the window no taxonomy rule knows
    recent_sessions: tuple[LumbarSession, ...] = ()
    """Every lumbar-loading session of the ``recent_days`` before the run, latest first: the last one need not be
    the hardest (light rows the evening before a heavy deadlift day two days earlier), and the findings judge each."""
    unordered_same_day: LumbarSession | None = None
    """Lumbar loading logged on the run's own day with no usable time (a date-only log): left out of the above,
    since it may have come after the run, but not to be passed over in silence -- if it came first, it was the
    closest session of all."""


def taxonomy_classifier() -> Classifier:
    """The lumbar class from the shared exercise taxonomy (user rules included)."""
    from formcheck.context.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()

    def classify(name: str) -> str | None:
        found = taxonomy.classify(name)
        return None if found is None else found.lumbar_load

    return classify


def utc_offset_from_longitude(run: Run) -> dt.timedelta | None:
    """Nominal zone offset of the run's first GPS fix (lon / 15, whole hours), None without GPS."""
    for point in run.points:
        if point.lon_deg is not None and point.lat_deg is not None:
            return dt.timedelta(hours=round(point.lon_deg / 15.0))
    return None


ESTIMATED_BASIS = "local clock, zone estimated from GPS longitude"
GPS_CLOCK = "local time estimated from GPS"
"""Which clock :func:`run_local_start` gives when no zone is known but the track's longitude is."""
NO_ZONE_BASIS = "lift times known, not the run's start on the same clock"


@dataclass(frozen=True)
class _RunClock:
    """When the run started, on the clocks lift times may be written in."""

    start: dt.datetime  # UTC
    local: dt.datetime | None  # estimated local wall clock (GPS longitude), when no zone is given
    run_date: dt.date  # the run's local date, for days_before
    lift_tz: dt.tzinfo | None  # the zone wall-clock lift times are in, when known

    def hours_before(self, lift_time: dt.datetime | None) -> tuple[float | None, str | None]:
        """Hours from ``lift_time`` to the run start, and how exact that is (None, None if unknowable)."""
        if lift_time is None:
            return None, None
        if lift_time.tzinfo is not None:
            return (self.start - lift_time).total_seconds() / 3600.0, "utc"
        if self.lift_tz is not None:
            aware = lift_time.replace(tzinfo=self.lift_tz)
            return (self.start - aware).total_seconds() / 3600.0, f"exact: lift clock in {self.lift_tz}"
        if self.local is None:
            return None, None
        return (self.local - lift_time).total_seconds() / 3600.0, ESTIMATED_BASIS

    def before_run(self, lift: LiftSet) -> bool:
        """True when the set certainly happened before the run started."""
        hours, _ = self.hours_before(lift.started_at)
        if hours is None:
            return lift.performed_on < self.run_date
        return hours > 0


def _run_clock(run: Run, lift_tz: dt.tzinfo | None = None) -> _RunClock:
    start = run.start if run.start.tzinfo else run.start.replace(tzinfo=dt.timezone.utc)
    if lift_tz is not None:
        return _RunClock(start, None, start.astimezone(lift_tz).date(), lift_tz)
    offset = utc_offset_from_longitude(run)
    local = (start + offset).replace(tzinfo=None) if offset is not None else None
    return _RunClock(start, local, (local or start).date(), None)


def run_local_date(run: Run, zone: dt.tzinfo | None = None) -> dt.date:
    """The runner's calendar day the run started on: in ``zone`` when known, else the GPS longitude's, else UTC.

    Why not the UTC date: a run at 18:50 in San Francisco starts at 02:50 UTC the
    next day, and a runner asking about "the run on the 16th" means their own day.
    """
    return _run_clock(run, zone).run_date


def run_local_start(run: Run, zone: dt.tzinfo | None = None) -> tuple[dt.datetime, str]:
    """The run's start on the runner's wall clock, and which clock that is (the zone, estimated, or UTC)."""
    clock = _run_clock(run, zone)
    if zone is not None:
        return clock.start.astimezone(zone).replace(tzinfo=None), str(zone)
    if clock.local is not None:
        return clock.local, GPS_CLOCK
    return clock.start.astimezone(dt.timezone.utc).replace(tzinfo=None), "UTC"


def _e1rm(lift: LiftSet) -> float | None:
    if lift.weight_kg is None or not lift.reps or lift.weight_kg <= 0:
        return None
    return estimated_1rm_kg(lift.weight_kg, lift.reps)


def _top_set(day_sets: Sequence[LiftSet], history: Sequence[LiftSet], day: dt.date, lookback_days: int) -> TopSet | None:
    candidates = [(e, s) for s in day_sets if is_hard_set(s) and (e := _e1rm(s)) is not None]
    if not candidates:
        return None
    e1rm, top = max(candidates, key=lambda pair: pair[0])
    name = " ".join(top.exercise.split()).casefold()
    since = day - dt.timedelta(days=lookback_days)
    previous = [
        e for s in history
        if since <= s.performed_on < day and " ".join(s.exercise.split()).casefold() == name
        and is_hard_set(s) and (e := _e1rm(s)) is not None
    ]
    best = max(previous) if previous else None
    assert top.weight_kg is not None and top.reps is not None
    return TopSet(top.exercise, top.weight_kg, top.reps, e1rm, best, 100.0 * e1rm / best if best else None)


def _distinct(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def lumbar_context(
    run: Run,
    lifts: Sequence[LiftSet],
    classify: Classifier,
    cfg: LumbarConfig = DEFAULT_LUMBAR,
    lift_tz: dt.tzinfo | None = None,
) -> LumbarContext:
    """Last lumbar-loading session before ``run`` and the lumbar lifting in the ``window_h`` before it.

    ``lift_tz`` is the zone of wall-clock lift times (Strong, Hevy) when known;
    without it the zone is estimated from the run's GPS longitude.
    """
    clock = _run_clock(run, lift_tz)
    run_date = clock.run_date
    classes = {name: classify(name) for name in {s.exercise for s in lifts}}
    before = [s for s in lifts if clock.before_run(s)]
    loading = [s for s in before if classes[s.exercise] in LUMBAR_CLASSES]

    by_day: dict[dt.date, list[LiftSet]] = defaultdict(list)
    for s in loading:
        by_day[s.performed_on].append(s)

    def session(day_sets: list[LiftSet]) -> LumbarSession:
        day = day_sets[0].performed_on
        timed = [s.started_at for s in day_sets if s.started_at is not None]
        hours, basis = clock.hours_before(min(timed)) if timed else (None, None)
        if timed and hours is None:  # not a date-only log: say what is missing instead
            basis = NO_ZONE_BASIS
        return LumbarSession(
            date=day,
            hours_before=hours,
            hours_basis=basis,
            days_before=(run_date - day).days,
            exercises=_distinct([s.exercise for s in day_sets]),
            lumbar_load="heavy" if any(classes[s.exercise] == "heavy" for s in day_sets) else "moderate",
            hard_sets=sum(is_hard_set(s) for s in day_sets),
            tonnage_kg=sum(set_tonnage_kg(s) for s in day_sets if is_hard_set(s)),
            top_set=_top_set(day_sets, before, day, cfg.best_lookback_days),
        )

    def in_window(s: LiftSet) -> bool:
        hours, _ = clock.hours_before(s.started_at)
        if hours is not None:
            return 0 < hours <= cfg.window_h
        return 1 <= (run_date - s.performed_on).days <= round(cfg.window_h / 24.0)

    window_sets = [s for s in before if in_window(s)]
    window_loading = [s for s in window_sets if classes[s.exercise] in LUMBAR_CLASSES]
    window = LumbarWindow(
        hours=cfg.window_h,
        sessions=len({s.performed_on for s in window_loading}),
        exercises=_distinct([s.exercise for s in window_loading]),
        hard_sets=sum(is_hard_set(s) for s in window_loading),
        heavy_hard_sets=sum(is_hard_set(s) and classes[s.exercise] == "heavy" for s in window_loading),
        tonnage_kg=sum(set_tonnage_kg(s) for s in window_loading if is_hard_set(s)),
    )
    unknown = _distinct([s.exercise for s in window_sets if classes[s.exercise] is None])
    last = session(by_day[max(by_day)]) if by_day else None
    recent_days = sorted((day for day in by_day if (run_date - day).days <= cfg.recent_days), reverse=True)
    unordered = [s for s in lifts if s.performed_on == run_date and classes[s.exercise] in LUMBAR_CLASSES
                 and clock.hours_before(s.started_at)[0] is None]  # fmt: skip
    return LumbarContext(last, window, unknown, tuple(session(by_day[day]) for day in recent_days),
                         session(unordered) if unordered else None)
