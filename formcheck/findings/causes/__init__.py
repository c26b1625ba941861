"""The cause families, one small module each, registered in :data:`CAUSE_MODULES` (in ranking-tie order).

A cause module exposes ``CAUSE_ID`` (stable id), ``TITLE`` and
``assess(inputs: CheckInputs, th: Thresholds) -> Finding | NotAssessed``; it is
a pure function of its inputs (no files, no database).  Adding a cause is
adding a module and a line here, plus its thresholds in ``thresholds.toml``.
Exertional compartment syndrome / rhabdomyolysis is not here on purpose: it is
a red flag (``formcheck.findings.red_flags``), never a ranked cause.
"""

from __future__ import annotations

import importlib
from types import ModuleType

CAUSE_MODULES: tuple[str, ...] = (
    "lifting_fatigue",
    "head_posture",
    "trunk_lean",
    "trunk_endurance",
    "hills_efforts",
    "load_spike",
    "too_little_rest",
    "injury_gait",
    "stride_mechanics",
    "substances",
    "posterior_chain",
    "no_warmup",
)


def cause_modules() -> list[ModuleType]:
    """Every registered cause module, imported."""
    return [importlib.import_module(f"formcheck.findings.causes.{name}") for name in CAUSE_MODULES]
