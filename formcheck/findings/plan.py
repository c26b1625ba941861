"""The plan: concrete items built from the causes that fired, each saying why it is there.

The catalogue is data (``plan.toml``) so that a coach or physiotherapist can
reword a step without touching code; this module only decides which items
apply and in which order:

1. ``see_clinician`` first whenever there is a red flag (or a substance that
   needs a doctor), because nothing else in the plan should come before it;
2. then the items of the findings that reached ``scoring.plan_min_score``,
   in the order of the ranked findings (the top cause's items first), each
   item listing every finding that asked for it;
3. always ``film_again`` last, naming what should change for each cause that
   put an item in the plan (``[recheck]``), so the runner knows what to look
   for in four weeks.

Two items are made personal when the findings carry the numbers: the cadence
target (+5-10 % of the runner's *own* cadence, never a fixed 180: Heiderscheit
et al. 2011) and the trunk-endurance hold to work toward.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, get_args

from formcheck.answers.model import Substance
from formcheck.findings.model import Finding, PlanItem, RedFlag
from formcheck.findings.rules import fmt
from formcheck.findings.thresholds import Thresholds, parse_thresholds

PLAN_IDS = (
    "see_clinician", "warmup_routine", "posture_cues", "trunk_endurance_progression", "hinge_accessories",
    "schedule_spacing", "cadence_increase", "ease_back_run_walk", "rowing_alternative", "hill_technique",
    "gait_rehab", "rest_days", "substances_review", "film_again",
)  # fmt: skip


@dataclass(frozen=True)
class CatalogueItem:
    id: str
    title: str
    steps: tuple[str, ...]
    caveat: str | None
    by_substance: Mapping[str, str] = field(default_factory=dict)  # substances_review: a step per substance
    red_flag_steps: tuple[str, ...] = ()  # see_clinician: first, only when the check raised a red flag
    few_runs_steps: tuple[str, ...] = ()  # rowing_alternative: instead of ``steps`` for a runner with no run to swap


@dataclass(frozen=True)
class Catalogue:
    items: Mapping[str, CatalogueItem]
    recheck: Mapping[str, str]
    numbers: Thresholds  # [cadence] targets, with their sources
    load_step: Mapping[str, str] = field(default_factory=dict)  # [load_step]: weekly increment by weight unit


def parse_catalogue(text: str, origin: str = "formcheck/findings/plan.toml") -> Catalogue:
    data = tomllib.loads(text)
    items = {
        key: CatalogueItem(key, str(item["title"]), tuple(item["steps"]), item.get("caveat"), dict(item.get("by_substance", {})),
                           tuple(item.get("red_flag_steps", ())), tuple(item.get("few_runs_steps", ())))  # fmt: skip
        for key, item in data.get("items", {}).items()
    }
    missing = [key for key in PLAN_IDS if key not in items]
    if missing:
        raise ValueError(f"{origin}: plan items missing: {', '.join(missing)}")
    for key, item in items.items():  # a key written under the wrong [table] (a caveat read as a substance) is lost silently
        unknown = set(item.by_substance) - set(get_args(Substance))
        if unknown:
            raise ValueError(f"{origin}: [items.{key}.by_substance] has {', '.join(sorted(unknown))}, which is not a substance")
    return Catalogue(items, dict(data.get("recheck", {})), parse_thresholds(text, origin), dict(data.get("load_step", {})))


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The shipped plan catalogue."""
    return parse_catalogue(resources.files("formcheck.findings").joinpath("plan.toml").read_text(encoding="utf-8"))


def _why(finding: Finding) -> str:
    first = f": {finding.evidence[0]}" if finding.evidence else ""
    return f"{finding.title} (score {100 * finding.score:.0f}/100){first}"  # the scale the report and terminal show


def _measure(findings: Sequence[Finding], key: str) -> Any:
    for finding in findings:
        if finding.measures.get(key) is not None:
            return finding.measures[key]
    return None


def _personal_steps(item_id: str, asking: Sequence[Finding], catalogue: Catalogue, th: Thresholds) -> tuple[str, ...]:
    """Steps that use the runner's own numbers, placed before the catalogue's steps."""
    if item_id == "cadence_increase":
        cadence = _measure(asking, "cadence_spm")
        if cadence:
            lo = cadence * (1 + catalogue.numbers.value("cadence.increase_low_pct") / 100.0)
            hi = cadence * (1 + catalogue.numbers.value("cadence.increase_high_pct") / 100.0)
            return (f"Your cadence was {cadence:.0f} steps/min: aim for {lo:.0f}-{hi:.0f} steps/min.",)
    if item_id == "substances_review":
        taken = _measure(asking, "taken") or []
        item = catalogue.items[item_id]
        return tuple(item.by_substance[name] for name in item.by_substance if name in taken)
    if item_id == "trunk_endurance_progression":
        extensor = _measure(asking, "extensor_s")
        if extensor is None:
            return ()
        needs = []  # (extensor hold that would meet the ratio, which hold asks for it)
        flexor = _measure(asking, "flexor_s")
        if flexor is not None:
            needs.append((flexor / float(th.value("trunk_endurance.flexor_extensor_max")), f"your flexor hold of {fmt(flexor, 0)} s"))
        for side in ("left", "right"):
            hold = _measure(asking, f"{side}_s")
            if hold is not None:
                needs.append((hold / float(th.value("trunk_endurance.side_extensor_max")), f"your {side} side bridge of {fmt(hold, 0)} s"))
        target, because = max(needs, default=(0.0, ""))
        if target > extensor:
            return (
                f"Your back-extensor hold was {fmt(extensor, 0)} s: work toward {target:.0f} s or more, so that it "
                f"balances {because} (McGill et al. 1999 ratios).",
            )
    return ()


PROGRESSION = "trunk_endurance_progression"


def _balanced_holds(findings: Sequence[Finding], floor: float) -> bool:
    """True when at least three of McGill's holds were given and none of their ratios is out of balance."""
    held = next((f for f in findings if f.cause == "trunk_endurance"), None)
    return held is not None and held.score < floor and not held.rules_fired and held.confidence >= 0.75


def _runs_per_week(findings: Sequence[Finding]) -> float | None:
    value = _measure(findings, "runs_per_week")
    return float(value) if value is not None else None


def build_plan(
    findings: Sequence[Finding],
    red_flags: Sequence[RedFlag],
    th: Thresholds,
    catalogue: Catalogue | None = None,
    weight_unit: str = "kg",
    filmed: bool = True,
) -> tuple[PlanItem, ...]:
    """The plan for ranked ``findings`` (highest first) and ``red_flags``; always ends with a video to take.

    ``filmed`` False (no running clip was measured): that last item is the first film ("film_first"), since
    "film again ... compare the two reports" asks for a second of something the runner never made.
    """
    catalogue = catalogue or load_catalogue()
    floor = float(th.value("scoring.plan_min_score"))
    fired = [f for f in findings if f.score >= floor]
    asked: dict[str, list[Finding]] = {}
    for finding in fired:
        for item_id in finding.plan:
            if item_id not in catalogue.items:
                raise KeyError(f"cause {finding.cause} asks for plan item {item_id!r}, which plan.toml does not have")
            asked.setdefault(item_id, []).append(finding)

    if _balanced_holds(findings, floor) and not any(f.cause == "trunk_endurance" for f in asked.get(PROGRESSION, [])):
        asked.pop(PROGRESSION, None)  # another cause asked for it, but the holds measured it is not needed

    order: list[str] = []
    whys: dict[str, list[str]] = {}
    clinician_asked = asked.pop("see_clinician", [])
    if red_flags or clinician_asked:
        order.append("see_clinician")
        whys["see_clinician"] = [f"red flag ({flag.urgency}): {flag.message}" for flag in red_flags]
        whys["see_clinician"] += [_why(f) for f in clinician_asked]
    for item_id, asking in asked.items():
        if item_id == "film_again":
            continue
        order.append(item_id)
        whys[item_id] = [_why(f) for f in asking]

    per_week = _runs_per_week(findings)
    few_runs = per_week is not None and per_week < float(th.value("load_spike.low_runs_per_week"))
    load_step = catalogue.load_step.get(weight_unit) or catalogue.load_step.get("kg", "")
    plan = []
    for item_id in order:
        item = catalogue.items[item_id]
        usual = item.few_runs_steps if few_runs and item.few_runs_steps else item.steps
        steps = _personal_steps(item_id, asked.get(item_id, []), catalogue, th) + usual
        if red_flags:
            steps = item.red_flag_steps + steps
        steps = tuple(s.replace("{load_step}", load_step) for s in steps)
        plan.append(PlanItem(item_id, item.title, steps, tuple(whys[item_id]), item.caveat))

    if not filmed:
        first = catalogue.items["film_first"]
        why = ("no running video was measured: trunk lean, head posture, cadence and overstride were not assessed",)
        plan.append(PlanItem("film_first", first.title, first.steps, why, first.caveat))
        return tuple(plan)
    film = catalogue.items["film_again"]
    changes = [f"{f.title}: {catalogue.recheck[f.cause]}" for f in fired if f.cause in catalogue.recheck]
    if changes:
        steps = film.steps + tuple(f"What should change - {c}." for c in changes)
        why = ("to see whether the plan changed what this check found",)
    else:
        steps = film.steps
        why = ("to compare against this check: nothing reached the plan threshold this time",)
    plan.append(PlanItem("film_again", film.title, steps, why, film.caveat))
    return tuple(plan)
