"""Progress reporting from inside a reader, without printing: a callback given the fraction done.

Readers take ``progress: Callable[[float], None] | None = None`` and call it
with a fraction in [0, 1] that never decreases and ends at exactly 1.0; the
CLI turns it into a rich progress bar.  :class:`Ticker` does the bookkeeping
(phases of a read mapped onto sub-ranges, throttling so that a 3,000-point
file does not make 3,000 calls).
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[float], None]


class Ticker:
    """Report ``start + (end - start) * f`` for a phase's own fraction ``f``, monotonic and throttled."""

    def __init__(
        self, progress: ProgressCallback | None, start: float = 0.0, end: float = 1.0, min_step: float = 0.005
    ) -> None:
        self._progress = progress
        self._start, self._end, self._min_step = start, end, min_step
        self._last = 0.0
        self._root: Ticker = self

    def phase(self, start: float, end: float) -> "Ticker":
        """A ticker for a part of this one (fractions of this ticker's own range)."""
        span = self._end - self._start
        child = Ticker(self._progress, self._start + span * start, self._start + span * end, self._min_step)
        child._root = self._root
        return child

    def __call__(self, fraction: float) -> None:
        if self._progress is None:
            return
        value = self._start + (self._end - self._start) * min(max(float(fraction), 0.0), 1.0)
        root = self._root
        if value >= 1.0 or value - root._last >= self._min_step:
            if value > root._last:
                root._last = value
                self._progress(min(value, 1.0))

    def done(self) -> None:
        """Report the end of this ticker's range (1.0 for the whole read)."""
        self(1.0)

    @property
    def active(self) -> bool:
        return self._progress is not None
