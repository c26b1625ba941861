"""The first module the fork server of the web checks imports: it moves that process into a process group of its own.

Why: Ctrl-C in a terminal and a service manager's stop are sent to the whole
process group of ``formcheck serve``. The server handles them (its worker
stops the running checks and puts them back in the queue), but the fork
server (:mod:`formcheck.web.job_process`) would die of them at once, and every
job's exit status reaches the server through the fork server: its death makes
each running job look dead (exit code 255), failed instead of re-queued. In a
group of its own it only ends when the server does. The job processes it
forks inherit the group, so they too are stopped by the server alone
(:data:`formcheck.web.job_process.STOP_SIGNAL`), or by their own next progress
report when the server is gone.

The move happens only inside a fork server (``python -c "from
multiprocessing.forkserver import main; ..."``); imported anywhere else, this
module does nothing.
"""

from __future__ import annotations

import os
import sys


def in_fork_server() -> bool:
    """True in a multiprocessing fork server process (started as ``python -c``, running that module)."""
    return sys.argv == ["-c"] and "multiprocessing.forkserver" in sys.modules


if in_fork_server() and hasattr(os, "setpgid"):
    try:
        os.setpgid(0, 0)
    except OSError:  # already a group leader, or not allowed: group signals then reach it as before
        pass
