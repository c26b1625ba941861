"""A child process that dies with its parent: one helper for every kind of child formcheck starts.

Why: formcheck starts children of four kinds (the supervisor's command child,
pose worker processes, batch workers, the forked plot child). If the parent is
killed outright (SIGKILL, the OOM killer) none of its cleanup runs, and a child
left behind would keep a core busy for minutes or keep writing into a folder
nobody owns. Linux can deliver a signal to a child when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere the child's own pipe to the parent
breaks at its next message, which is later but still ends it.
"""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1
"""``prctl`` option number, from Linux's <sys/prctl.h>."""


def die_with_parent(signum: int = signal.SIGKILL, parent_pid: int | None = None, exit_code: int = 1) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies.

    ``parent_pid``: the parent as the child was told it at start. If the parent
    already died before the request took effect (a race no signal can cover),
    this process leaves at once with ``exit_code``. Returns whether the request
    was accepted (False outside Linux).
    """
    try:
        accepted = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signum)) == 0
    except (OSError, AttributeError):
        accepted = False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(exit_code)
    return accepted
