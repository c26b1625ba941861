"""The batch on Ray: one task a clip, each asking for its own CPU, results taken in completion order.

Why Ray tasks (and not actors or Ray Data): a clip is an independent,
seconds-to-minutes unit of work with no shared state, which is exactly a task;
asking ``num_cpus=1`` lets Ray's scheduler fill every core of every node with
one pose graph each, and ``ray.wait`` hands the driver whichever clip finishes
first, so the store is written as results arrive, not when the slowest clip
of a wave ends. A worker that dies (a native crash, a lost node) is retried by
Ray itself (``max_retries``, the same bound as the local pool), then reported
as failed; an error inside a clip is already an outcome (``work.analyse_task``),
so Ray never re-runs a clip that merely failed.

Clips longer than ``ray_segments.SPLIT_ABOVE_S`` become segment tasks plus a
finishing task (see :mod:`formcheck.batch.ray_segments`), so one long session
does not keep a single core busy after everything else is done.

Three ways in: no address starts a private local instance (no dashboard, no
worker logs on the terminal) and stops it afterwards; ``auto`` or
``HOST:PORT`` (the head's GCS) connects to an existing cluster and only disconnects; and
when this process has already called ``ray.init`` (tests, notebooks) that
connection is used and left open. On a cluster the workers must have
formcheck installed and the clips and ``--out`` on a shared filesystem; a
cluster that checks tokens (Ray's default) needs ``RAY_AUTH_MODE=token`` and
its token on the driver's machine, which the connection error says.

A private instance costs 6-10 s to start and stop on this 2-core machine
(``ray.init`` waits ~3 s for Ray's API server even without the dashboard,
then for the raylet; ``ray.shutdown`` ~1.4 s; ``num_gpus=0``, a small object
store or no token changed nothing measurable), where joining a running one
costs ~0.5 s: a clinic keeps one up (``ray start --head``) and points every
batch at it.

Ctrl-C cancels every task not yet finished (a running one gets
``KeyboardInterrupt``, so its temporary folder is removed by the atomic write),
waits briefly for the cancellations and shuts the local instance down.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from formcheck.batch.local import MAX_RETRIES, died_message
from formcheck.batch.ray_segments import SPLIT_ABOVE_S, plan_clip, submit_split
from formcheck.batch.work import VideoOutcome, VideoTask, analyse_task
from formcheck.errors import UsageError
from formcheck.output_dir import remove_abandoned

log = logging.getLogger(__name__)

CANCEL_GRACE_S = 10.0
LOCAL = "local"
"""The ``--ray`` value meaning "start a private instance here"."""


def _connect(address: str, num_cpus: int) -> bool:
    """Initialise Ray; True when this call started (or joined) it and so must shut it down."""
    import ray

    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no phone-home from a clinic's machine
    if address != LOCAL and (why := _unreachable(address)):
        raise UsageError(f"cannot reach the Ray cluster at {address} ({why}): check the address (the head's "
                         "HOST:6379) and that `ray start --head` runs there.")  # fmt: skip
    try:
        if address == LOCAL:
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except (ConnectionError, ValueError, RuntimeError) as error:
        raise UsageError(f"cannot connect to the Ray cluster at {address}: {str(error).splitlines()[0]}"
                         f"{AUTH_HINT if _refused_token(error) else ''}") from None
    return True


CONNECT_TIMEOUT_S = 5.0
"""How long a HOST:PORT address gets to accept a TCP connection before the batch gives up. Ray's own
``init`` keeps retrying an address nobody listens at for minutes, showing nothing."""


def _unreachable(address: str) -> str | None:
    """Why nothing answers at a ``HOST:PORT`` address, or None (``auto`` and ``ray://`` are left to Ray)."""
    import socket

    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return None
    try:
        with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=CONNECT_TIMEOUT_S):
            return None
    except socket.timeout:
        return f"no answer in {CONNECT_TIMEOUT_S:g} s"
    except OSError as error:
        return (error.strerror or str(error)).lower()


AUTH_HINT = ("; the cluster asks for its authentication token: set RAY_AUTH_MODE=token here and give this machine "
             "the cluster's token (~/.ray/auth_token or RAY_AUTH_TOKEN)")  # fmt: skip
"""Ray clusters check a token by default (Ray 2.5x), but a driver only sends one when told to."""


def _refused_token(error: BaseException) -> bool:
    cause = error.__cause__ or error.__context__
    return any(type(e).__name__ == "AuthenticationError" or "InvalidAuthToken" in str(e) for e in (error, cause) if e)


def _outcome_of(ref: Any, task: VideoTask) -> VideoOutcome:
    import ray
    from ray.exceptions import RayTaskError, TaskCancelledError, WorkerCrashedError

    try:
        return ray.get(ref)  # type: ignore[no-any-return]
    except WorkerCrashedError:
        return VideoOutcome(task.index, "failed", error=died_message(MAX_RETRIES + 1, None),
                            attempts=MAX_RETRIES + 1)  # fmt: skip
    except TaskCancelledError:
        raise KeyboardInterrupt("cancelled") from None
    except RayTaskError as error:  # only a bug or an interrupt escapes analyse_task
        cause = error.cause if isinstance(getattr(error, "cause", None), BaseException) else error
        if isinstance(cause, KeyboardInterrupt):
            raise KeyboardInterrupt("interrupted in a worker") from None
        return VideoOutcome(task.index, "failed", error=f"internal error on the Ray worker ({type(cause).__name__})")


def run_ray(tasks: list[VideoTask], on_outcome: Callable[[VideoOutcome], None], *, address: str = LOCAL,
            num_cpus: int = 1, split_above_s: float | None = SPLIT_ABOVE_S) -> None:  # fmt: skip
    """Analyse every task as a Ray task (clips over ``split_above_s`` as segment tasks); ``on_outcome`` runs
    here, in completion order."""
    import ray

    owned = _connect(address, num_cpus)
    pending: dict[Any, VideoTask] = {}
    submitted = time.time()
    try:
        remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)(analyse_task)
        for task in tasks:
            plan = plan_clip(task, split_above_s) if split_above_s is not None else None
            ref = remote.remote(task) if plan is None else submit_split(task, plan, MAX_RETRIES)
            pending[ref] = task
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            for ref in ready:
                task = pending.pop(ref)
                outcome = _outcome_of(ref, task)
                # Ray retries a crashed worker by itself: an attempt killed mid-write (no Python cleanup) left its
                # temporary folder, whatever the last attempt did, so it is swept once the clip is settled
                remove_abandoned(Path(task.out_dir), submitted)
                on_outcome(outcome)
    except KeyboardInterrupt:
        _cancel(list(pending))
        raise
    finally:
        if owned:
            ray.shutdown()


def _cancel(refs: list[Any]) -> None:
    """Cancel unfinished tasks and give running ones a moment to clean up their temporary folders."""
    import ray

    for ref in refs:
        try:
            ray.cancel(ref, force=False)
        except Exception:  # already finished or the cluster is gone: nothing left to stop
            pass
    try:
        ray.wait(refs, num_returns=len(refs), timeout=CANCEL_GRACE_S)
    except Exception:
        pass
