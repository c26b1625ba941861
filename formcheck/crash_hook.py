"""Test hook: make a supervised formcheck process crash natively at a named point of the real pipeline.

Why a hook at all: the promise "a native crash becomes a one-line error and
leaves nothing half-written" can only be tested with a real native crash in
the middle of a real run, and no input is known to crash MediaPipe or FFmpeg
on purpose. This module is the one place that does it.

``FORMCHECK_CRASH_AT=STAGE[:N[:HOW]]``, read only by a supervised process (the
``formcheck`` command's child, a web job's process) when it starts:

* ``STAGE`` is where: ``pose`` (the N-th frame given to the pose model,
  ``PersonFollower.step``) or ``plots`` (the N-th figure saved by matplotlib,
  while the results' temporary folder is being filled).
* ``N`` (default 1) counts calls in this process, whatever thread makes them.
* ``HOW`` is ``segv`` (default: read address 0, a real SIGSEGV), ``abort``
  (``abort()``, SIGABRT, as a failed C++ assertion does) or ``kill`` (SIGKILL,
  as the kernel's out-of-memory killer does).

Example: ``FORMCHECK_CRASH_AT=pose:5 formcheck analyze clip.mp4 --out o --no-cache``.
The hook wraps the named method when the process starts; unset, it costs nothing.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

CRASH_ENV = "FORMCHECK_CRASH_AT"

STAGES: dict[str, tuple[str, str, str]] = {
    "pose": ("formcheck.pose.follow", "PersonFollower", "step"),
    "plots": ("matplotlib.figure", "Figure", "savefig"),
}
"""Stage name -> (module, class, method) whose N-th call crashes."""

HOWS = ("segv", "abort", "kill")


def parse(spec: str) -> tuple[str, int, str]:
    """``"pose:5:abort"`` -> ``("pose", 5, "abort")``; a ValueError names what is wrong."""
    stage, _, rest = spec.strip().partition(":")
    count_text, _, how = rest.partition(":")
    if stage not in STAGES:
        raise ValueError(f"{CRASH_ENV}: unknown stage {stage!r}; use one of {', '.join(STAGES)}")
    try:
        count = int(count_text or 1)
    except ValueError:
        raise ValueError(f"{CRASH_ENV}: the count must be a whole number, got {count_text!r}") from None
    how = how or "segv"
    if count < 1 or how not in HOWS:
        raise ValueError(f"{CRASH_ENV}: expected STAGE[:N>=1[:{'|'.join(HOWS)}]], got {spec!r}")
    return stage, count, how


def crash(how: str) -> None:
    """Die by a real native fault: no Python exception, no cleanup."""
    if how == "abort":
        os.abort()
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    ctypes.string_at(0)  # reads address 0: SIGSEGV


def install_from_env() -> None:
    """Wrap the stage named by ``FORMCHECK_CRASH_AT`` (if set) so that its N-th call crashes this process."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    stage, count, how = parse(spec)
    module_name, class_name, method_name = STAGES[stage]
    owner = getattr(importlib.import_module(module_name), class_name)
    original: Callable[..., Any] = getattr(owner, method_name)
    calls = 0
    lock = threading.Lock()

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        with lock:
            calls += 1
            now = calls
        if now == count:
            crash(how)
        return original(*args, **kwargs)

    setattr(owner, method_name, wrapped)
