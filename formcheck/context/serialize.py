"""A :class:`RunContext` as plain JSON-ready data (the ``formcheck context --json`` contract).

Top-level keys are fixed: ``run``, ``last_lumbar_session``, ``load``,
``hills``, ``walk_breaks``, ``experience``.  ``last_lumbar_session`` is null
when no lumbar-loading lift precedes the run; it carries the 72-hour window
as ``last_72h``.  Floats are rounded for reading, not for computing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from typing import Any

from formcheck.context.features import RunContext

TOP_LEVEL_KEYS = ("run", "last_lumbar_session", "load", "hills", "walk_breaks", "experience")


def plain(value: Any, digits: int = 2) -> Any:
    """Dataclasses, enums, dates and tuples to JSON types; floats rounded, NaN to None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), digits) for f in dataclasses.fields(value) if f.repr}
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (list, tuple, dict)):
        value = value.item()  # NumPy scalar -> Python scalar
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, digits)
    if isinstance(value, (list, tuple)):
        return [plain(v, digits) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, digits) for k, v in value.items()}
    return str(value)


def context_to_dict(ctx: RunContext, zone: dt.tzinfo | None = None) -> dict[str, Any]:
    """The JSON document for one run; ``zone`` is the runner's (None: estimated from GPS, else UTC).

    ``run.local_start`` and ``run.clock`` give the start on the runner's own clock, the day ``check --date`` takes:
    a reader should not have to re-derive it from the UTC ``start`` (16:10 on the 16th is 00:10 UTC on the 17th).
    """
    from formcheck.context.lumbar import run_local_start

    run = ctx.run
    local, clock = run_local_start(run, zone)
    lumbar = None
    if ctx.lumbar.last_session is not None:
        lumbar = plain(ctx.lumbar.last_session)
        lumbar["last_72h"] = plain(ctx.lumbar.window)
        lumbar["unclassified_exercises_72h"] = list(ctx.lumbar.unclassified_exercises)
    walk_breaks = []
    for b in ctx.walk_breaks.breaks:
        item = plain(b)
        walk_breaks.append(
            {"start_s": item.pop("start_s"), "duration_s": item.pop("duration_s"), "preceded_by": item.pop("preceded_by"), **item}
        )
    return {
        "run": {
            "id": ctx.run_id,
            "start": run.start.isoformat(),
            "local_start": local.isoformat(timespec="minutes"),
            "clock": clock,
            "sport": run.sport.value,
            "distance_km": None if run.distance_m is None else round(run.distance_m / 1000.0, 3),
            "duration_s": round(run.duration_s, 1),
            "elapsed_s": plain(run.elapsed_s, 1),
            "avg_heart_rate_bpm": plain(run.avg_heart_rate_bpm, 1),
            "device": run.device,
            "warnings": list(run.warnings) + list(ctx.walk_breaks.warnings),
        },
        "last_lumbar_session": lumbar,
        "load": plain(ctx.load),
        "hills": plain(ctx.hills),
        "walk_breaks": walk_breaks,
        "experience": plain(ctx.experience),
    }
