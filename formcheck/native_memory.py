"""Keeping the C heap of a pose run small: fewer malloc arenas, freed pages handed back.

Why: MediaPipe's graph threads and FFmpeg's decoder threads each allocate from
their own glibc malloc arena (up to 8 per core). Every graph restart (a scene
cut, a new segment) frees and re-allocates ~100 MB of tensors, and spread over
many arenas the freed pages stay resident: measured, 100 restarts of one graph
took RSS from 294 to ~420 MB with the default arenas and kept it at ~285 MB
with two. Both calls are no-ops where glibc is not the C library.

Not done: fixing glibc's mmap threshold (``M_MMAP_THRESHOLD``) so that full-size
decoded frames (6.2 MB) are mapped and unmapped on their own. Tried on the 10-minute
1080x1920 clip: the peak was 652-661 MB with it and 669 MB without it (one run each,
within the run-to-run spread), so it bought nothing and fixing the threshold also turns
off glibc's own tuning of the trim threshold.
"""

from __future__ import annotations

import ctypes
import functools

M_ARENA_MAX = -8
"""``mallopt`` parameter number, from glibc's <malloc.h>."""
ARENAS = 2


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def tune_malloc(arenas: int = ARENAS) -> bool:
    """Cap the number of malloc arenas; call before worker threads allocate.

    Arenas that already exist are kept, so the earlier in the process the better
    (the CLI calls it first thing). Returns whether glibc accepted it.
    """
    libc = _libc()
    try:
        return bool(libc is not None and libc.mallopt(M_ARENA_MAX, int(arenas)))
    except AttributeError:
        return False


def return_freed_memory() -> None:
    """Ask glibc to give freed heap pages back to the OS (after a graph closes or a segment ends)."""
    libc = _libc()
    try:
        if libc is not None:
            libc.malloc_trim(0)
    except AttributeError:
        pass
