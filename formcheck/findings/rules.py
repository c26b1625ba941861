"""The small scorer every cause module uses, so that a score is always the sum of named rules.

Why a helper: the issue wants "scores from the rules, not from a hidden
model", with ``findings.json`` naming each rule that fired.  A cause module
creates a :class:`Rules` for its section, calls :meth:`Rules.fire` with a rule
name (its weight is ``<section>.weights.<rule>`` in ``thresholds.toml``) and
the sentence that justifies it, adds ``against`` sentences, and finally calls
:meth:`Rules.finding`.  The score is the capped sum of the fired weights; the
confidence is the share of the evidence items the cause looked for that were
available (the module says how many it looked for).  Causes that also list
the source of each fired rule's weight set ``cite_weights``; causes whose
confidence is an average of several partial items pass ``confidence_digits``.
Causes that judge a per-stride mean against a cue use
:meth:`Rules.mean_past_cue`, so "past the cue by ``z`` standard errors" is
decided the same way for every video measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from formcheck.findings.model import Finding, MetricValue
from formcheck.findings.thresholds import Thresholds


def fmt(value: float, digits: int = 1) -> str:
    """A number for a sentence: no trailing ``.0`` on whole numbers."""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Cue(Enum):
    """Where a per-stride mean stands against a cue once its standard error is taken into account."""

    PAST = "past"  # past the cue by z standard errors: the rule fired
    UNSURE = "unsure"  # past the cue, but not by z standard errors: said against the cause
    NOT_PAST = "not past"  # on the near side of the cue


@dataclass
class Rules:
    """Accumulates fired rules, evidence and counter-evidence for one cause."""

    th: Thresholds
    section: str
    evidence: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)
    cite_weights: bool = False  # also list the source of each fired rule's weight among the finding's sources
    _score: float = 0.0
    _notes: list[str] = field(default_factory=list)

    def value(self, name: str) -> Any:
        """The threshold ``<section>.<name>``, remembering its source for the finding."""
        full = f"{self.section}.{name}"
        self.cite(self.th.source(full))
        return self.th.value(full)

    def cite(self, source: str) -> None:
        if source not in self.sources:
            self.sources.append(source)

    def fire(self, rule: str, sentence: str | None = None) -> None:
        """Add the weight of ``rule`` (``<section>.weights.<rule>``) once, and its evidence sentence each time."""
        if rule not in self.fired:
            self.fired.append(rule)
            weight = f"{self.section}.weights.{rule}"
            if self.cite_weights:
                self.cite(self.th.source(weight))
            self._score += float(self.th.value(weight))  # may be negative: a rule that argues against the cause
        if sentence:
            self.evidence.append(sentence)

    def mean_past_cue(
        self,
        rule: str,
        mean: MetricValue,
        cue: float,
        z: float,
        *,
        fired: str | None = None,
        unsure: str | None = None,
        not_past: str | None = None,
        below: bool = False,
    ) -> Cue:
        """Fire ``rule`` with ``fired`` when the per-stride ``mean`` is past ``cue`` by ``z`` standard errors.

        Why: a mean over a few scattered strides can sit past a cue by chance,
        so it counts only when ``z`` standard errors (``mean.se``) still leave it
        past; a mean past the cue but not by that much adds ``unsure`` to
        ``against`` (the runner sees the number and why it did not count), one
        on the near side adds ``not_past``.  Cues are "at or above" (a mean
        exactly at the cue is past) or, with ``below``, strictly "below" (low
        cadence), as their sentences say.  The answer lets a caller add what is
        its own: a second, higher cue, or a special case on the near side.
        """
        value = mean.value
        assert value is not None, "mean_past_cue needs a measured mean"
        margin = z * mean.se
        if below:
            clear, past = value + margin < cue, value < cue
        else:
            clear, past = value - margin >= cue, value >= cue
        if clear:
            self.fire(rule, fired)
            return Cue.PAST
        sentence, verdict = (unsure, Cue.UNSURE) if past else (not_past, Cue.NOT_PAST)
        if sentence:
            self.argue_against(sentence)
        return verdict

    def note(self, sentence: str) -> None:
        """Evidence shown as context that adds nothing to the score (listed after what fired, see ``finding``)."""
        self._notes.append(sentence)

    def argue_against(self, sentence: str) -> None:
        self.against.append(sentence)

    @property
    def score(self) -> float:
        return round(min(1.0, max(0.0, self._score)), 3)

    def finding(
        self,
        cause: str,
        title: str,
        *,
        available: float,
        expected: float,
        rule_out: Iterable[str] = (),
        plan: Iterable[str] = (),
        measures: Mapping[str, Any] | None = None,
        confidence_digits: int = 2,
    ) -> Finding:
        confidence = 0.0 if expected <= 0 else round(min(1.0, max(0.0, available / expected)), confidence_digits)
        return Finding(
            cause=cause,
            title=title,
            score=self.score,
            confidence=confidence,
            # what fired first: the plan's "why", the answer's detail and every one-line summary quote the first
            # sentence, and a note ("the logs start later than your running") is context, not the reason
            evidence=(*self.evidence, *self._notes),
            against=tuple(self.against),
            rule_out=tuple(rule_out),
            plan=tuple(plan),
            rules_fired=tuple(self.fired),
            measures=dict(self.measures, **(measures or {})),
            sources=tuple(self.sources),
        )
