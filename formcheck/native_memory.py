"""Keeping the C heap of a pose run small: fewer malloc arenas, freed pages handed back.

Why: MediaPipe's graph threads and FFmpeg's decoder threads each allocate from
their own glibc malloc arena (up to 8 per core). Every graph restart (a scene
cut, a new segment) frees and re-allocates ~100 MB of tensors, and spread over
many arenas the freed pages stay resident: measured, 100 restarts of one graph
took RSS from 294 to ~420 MB with the default arenas and kept it at ~285 MB
with two. Both calls are no-ops where glibc is not the C library.

Large blocks: glibc serves a block over ``M_MMAP_THRESHOLD`` with its own mmap and
unmaps it on free, but by default the threshold *rises* to the size of any such
block freed (up to 32 MB), after which full-size decoded frames (1080x1920 RGB:
6.2 MB, one a frame since the frames are shrunk by OpenCV after FFmpeg's RGB
conversion) come from the heap and leave it fragmented. A fixed threshold keeps
them mapped and returned at once.
"""

from __future__ import annotations

import ctypes
import functools

M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
"""``mallopt`` parameter numbers, from glibc's <malloc.h>."""
ARENAS = 2
MMAP_THRESHOLD_BYTES = 4 << 20
"""Blocks of 4 MiB or more are mapped on their own: full-size frames are; the 960-px frames
(1.5 MB) and everything smaller stay on the heap as before."""


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def tune_malloc(arenas: int = ARENAS) -> bool:
    """Cap the number of malloc arenas and fix the mmap threshold; call before worker threads allocate.

    Arenas that already exist are kept, so the earlier in the process the better
    (the CLI calls it first thing). Returns whether glibc accepted both.
    """
    libc = _libc()
    try:
        return bool(libc is not None and libc.mallopt(M_ARENA_MAX, int(arenas))
                    and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
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
