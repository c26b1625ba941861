"""The values the findings engine takes and gives: typed, frozen, and free of I/O.

Data flow (DESIGN.md): video measures + training context + answers ->
:class:`CheckInputs` -> every cause module -> :class:`Finding` or
:class:`NotAssessed`; red flags -> :class:`RedFlag`; the plan ->
:class:`PlanItem`.  The report (HTML, JSON, terminal) only reads these.

Scores are rule scores, not probabilities: each cause adds the weights of the
rules that fired (named in ``rules_fired`` so ``findings.json`` shows why), and
``confidence`` is the share of that cause's evidence that was available.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from formcheck.answers.model import Answers
from formcheck.context.features import RunContext
from formcheck.context.load import HistoryRun
from formcheck.logs.records import LiftSet

_TILT_WARNING = re.compile(r"about (\d+(?:\.\d+)?) deg off level")  # formcheck.analysis.pipeline._warnings

Urgency = Literal["emergency", "today", "soon"]
"""emergency: now (A&E / emergency department); today: same-day care; soon: see a clinician in the next days."""


@dataclass(frozen=True)
class MetricValue:
    """One number from ``summary.json["metrics"]``: value None means not measurable, with ``reason``."""

    value: float | None
    unit: str
    sd: float | None = None
    n: int = 0
    reason: str | None = None

    @property
    def se(self) -> float:
        """Standard error of the mean (sd / sqrt(n)): how far the mean itself may be off; 0 without a spread."""
        return self.sd / math.sqrt(self.n) if self.sd is not None and self.n > 0 else 0.0


@dataclass(frozen=True)
class DriftValue:
    """First-fifth vs last-fifth mean of a per-stride series (``summary.json["drift"]``)."""

    first: float
    last: float
    change: float
    sd: float
    n_each: int


@dataclass(frozen=True)
class VideoMeasures:
    """What the findings need from one analysed clip (built from its ``summary.json``)."""

    name: str  # the video's file name, for sentences ("in clip run1.mp4")
    activity: str  # running | walking | other
    view: str  # side | front | back | oblique | unknown
    facing: str
    metrics: Mapping[str, MetricValue]
    drift: Mapping[str, DriftValue | None]
    warnings: tuple[str, ...] = ()
    duration_s: float | None = None
    sha256: str | None = None
    fps: float | None = None  # the file's frame rate: how fine a timing (e.g. step-time asymmetry) can be
    time_factor: float = 1.0  # real seconds per second of file time (slow motion with a known capture rate: < 1)
    slow_motion_unscaled: bool = False  # slow motion without its capture rate: the real length is unknown (and short)

    @property
    def real_duration_s(self) -> float | None:
        """How much real time the clip covers: the file's length in real seconds, None when that is unknown."""
        if self.duration_s is None or self.slow_motion_unscaled:
            return None
        return self.duration_s * self.time_factor

    def is_shorter_than(self, seconds: float) -> bool:
        """Whether the clip covers less real time than ``seconds`` (an unscaled slow-motion clip always does)."""
        real = self.real_duration_s
        return self.slow_motion_unscaled or (real is not None and real < seconds)

    def length_words(self) -> str:
        """ "the clip lasts 6.5 s", in real time, or why its real length is unknown."""
        if self.slow_motion_unscaled:
            return (f"the clip is slow motion ({self.duration_s or 0:.0f} s of file time) without its capture rate, "
                    "so it covers only a few seconds of running")  # fmt: skip
        real = self.real_duration_s or 0.0
        return f"the clip lasts {real:.1f} s" + (" of real time" if self.time_factor != 1.0 else "")

    def metric(self, name: str) -> MetricValue | None:
        """The metric when it was measured (value not None), else None."""
        found = self.metrics.get(name)
        return found if found is not None and found.value is not None else None

    def tilt_warning_deg(self) -> float | None:
        """The camera tilt the analysis warned about (degrees, unsigned), or None when it warned of none.

        A tilt shifts every angle measured against the vertical or horizontal
        (trunk lean, head angles) by about that much, but cancels out of drifts.
        """
        for warning in self.warnings:
            found = _TILT_WARNING.search(warning)
            if found and "tilt" in warning:
                return float(found.group(1))
        return None

    def why_not(self, name: str) -> str:
        """Why a metric has no value, in the analysis's own words (or that it was not in the summary)."""
        found = self.metrics.get(name)
        if found is None:
            return "not in this clip's analysis"
        return found.reason or "not measured"

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any], name: str | None = None) -> "VideoMeasures":
        video = summary.get("video") or {}
        time_scale = summary.get("time_scale") or {}
        metrics = {
            key: MetricValue(m.get("value"), m.get("unit", ""), m.get("sd"), int(m.get("n") or 0), m.get("reason"))
            for key, m in (summary.get("metrics") or {}).items()
        }
        drift = {
            key: None if d is None else DriftValue(d["first_fifth"], d["last_fifth"], d["change"], d["sd"], d["strides_each"])
            for key, d in (summary.get("drift") or {}).items()
        }
        return cls(
            name=name or Path(str(video.get("path") or "video")).name,
            activity=str(summary.get("activity") or "unknown"),
            view=str(summary.get("view") or "unknown"),
            facing=str(summary.get("facing") or "unknown"),
            metrics=metrics,
            drift=drift,
            warnings=tuple(summary.get("warnings") or ()),
            duration_s=video.get("duration_s"),
            sha256=video.get("sha256"),
            fps=video.get("fps"),
            time_factor=float(time_scale.get("factor") or 1.0),
            slow_motion_unscaled=bool(time_scale.get("slow_motion_detected")) and not time_scale.get("capture_fps"),
        )


@dataclass(frozen=True)
class JournalEntry:
    """One run in the symptom journal (``formcheck journal add``)."""

    date: dt.date
    severity: int  # 0 = no pump, 10 = worst
    walked: bool = False
    minute: float | None = None
    note: str = ""


@dataclass(frozen=True)
class CheckInputs:
    """Everything one check knows; any part may be missing (then causes say "not assessed")."""

    answers: Answers = Answers()
    videos: tuple[VideoMeasures, ...] = ()
    run: RunContext | None = None  # the run that hurt, with its context
    history: tuple[HistoryRun, ...] = ()  # the runner's activities (summaries), any dates
    lifts: tuple[LiftSet, ...] = ()  # the runner's lift sets, any dates
    lumbar_class: Mapping[str, str | None] = field(default_factory=dict)  # exercise -> none|moderate|heavy|None
    journal: tuple[JournalEntry, ...] = ()
    symptom_date: dt.date | None = None  # the day that hurt: the check's date, else answers, else the run's date
    lift_tz: dt.tzinfo | None = None  # zone of wall-clock lift times, when known
    weight_unit: str = "kg"  # how weights are shown: "lb" when the runner gave their logs in pounds (--units lb)
    unusable_videos: tuple[str, ...] = ()  # clips given that gave no measures (nobody found): never "no video given"

    @property
    def running_videos(self) -> tuple[VideoMeasures, ...]:
        return tuple(v for v in self.videos if v.activity == "running")

    def no_running_note(self) -> str:
        """Why no clip counts ("walk.mp4 shows walking, not running; "), or "" when one does or none was given."""
        if self.running_videos or not (self.videos or self.unusable_videos):
            return ""
        shown = [f"{v.name} shows {v.activity}" for v in self.videos]
        unusable = [f"no runner was found in {name}" for name in self.unusable_videos]
        return f"{', '.join(shown)}, not running; " if not unusable else f"{', '.join([*shown, *unusable])}; "

    def running_video_for(self, *metric_names: str) -> VideoMeasures | None:
        """The running clip that measured the named metrics over the most strides (None without running clips).

        A clip that measured any of them beats one that measured none; then the
        larger ``n`` wins (more strides, a steadier mean and drift); then the
        longer clip.  With no running clip measuring them, the clip returned
        still carries the reasons (``why_not``) to tell the runner.
        """
        def rank(video: VideoMeasures) -> tuple[bool, int, float]:
            measured = [m for m in (video.metric(name) for name in metric_names) if m is not None]
            return bool(measured), max((m.n for m in measured), default=0), video.duration_s or 0.0

        clips = self.running_videos
        return max(clips, key=rank) if clips else None


@dataclass(frozen=True)
class Finding:
    """One ranked theory with the measurements and answers behind it."""

    cause: str  # stable id, e.g. "lifting_fatigue"
    title: str
    score: float  # 0-1, from the rules that fired
    confidence: float  # 0-1, share of this cause's evidence that was available
    evidence: tuple[str, ...]  # sentences with numbers
    against: tuple[str, ...] = ()  # what argues against it
    rule_out: tuple[str, ...] = ()  # what would rule it out
    plan: tuple[str, ...] = ()  # plan item ids (formcheck/findings/plan.toml)
    rules_fired: tuple[str, ...] = ()
    measures: Mapping[str, Any] = field(default_factory=dict)  # key numbers for plots and JSON
    sources: tuple[str, ...] = ()  # citations of the thresholds used


@dataclass(frozen=True)
class NotAssessed:
    """A cause family with no data behind it: never guessed, only what would assess it."""

    cause: str
    title: str
    needs: str  # "give X to assess it", in domain words: no command, file or form named
    asks: tuple[str, ...] = ()
    """Where X is given, as data: a questionnaire section or field by its ``Answers`` name ("endurance",
    "history.injuries"), "date" (the check's date of the run that hurt) or "journal".  Each front end words
    how to give it (:mod:`formcheck.asking`): ``formcheck ask`` and answers.toml for the CLI's user,
    the questionnaire of the New check page for the web app's."""


@dataclass(frozen=True)
class RedFlag:
    id: str
    message: str
    urgency: Urgency


@dataclass(frozen=True)
class PlanItem:
    id: str
    title: str
    steps: tuple[str, ...]
    why: tuple[str, ...]  # the findings (titles or sentences) that put it here
    caveat: str | None = None


@dataclass(frozen=True)
class Correlation:
    """A factor vs pumps across journaled runs, with a Fisher exact test."""

    factor: str
    pumps_with: int
    runs_with: int
    pumps_without: int
    runs_without: int
    p_value: float | None
    sentence: str


@dataclass(frozen=True)
class FindingsResult:
    red_flags: tuple[RedFlag, ...]
    findings: tuple[Finding, ...]  # ranked, highest score first
    not_assessed: tuple[NotAssessed, ...]
    plan: tuple[PlanItem, ...]
    correlations: tuple[Correlation, ...]
    journal_note: str | None  # e.g. "3 journaled runs: too few to tell (need 8)"
    inputs_used: tuple[str, ...]
    inputs_missing: tuple[str, ...]  # each with what it would add
