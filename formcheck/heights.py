"""The heights formcheck accepts for a runner: one range for every way a height comes in.

Why one place: the height scales the video's lengths (oscillation in cm,
overstride) and is given on the command line (``analyze``, ``check``,
``batch``), in a batch manifest, in ``answers.toml`` and on the web form. Two
ranges meant a height that ``--height-cm`` took was refused in
``answers.toml``. The range holds every adult and child who runs (adults with
dwarfism from about 70 cm, the tallest recorded people under 250 cm) and
refuses what is a typo or another unit (5.9 feet, 1.78 metres, 1780 mm).
"""

from __future__ import annotations

import math

HEIGHT_RANGE_CM = (50.0, 250.0)


def height_problem(height_cm: float) -> str | None:
    """What is wrong with ``height_cm`` as a runner's height ("is not a human height...") or None."""
    low, high = HEIGHT_RANGE_CM
    if not math.isfinite(height_cm) or not low <= height_cm <= high:
        return f"is not a human height in centimetres ({low:g}-{high:g})"
    return None
