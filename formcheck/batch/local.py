"""The batch on this machine: one spawned worker process a core, one clip at a time each.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one of its processes
dies (a native crash in a decoder or in MediaPipe, the OOM killer), the whole
pool breaks and every clip in flight fails with it, so nobody knows which clip
killed it and an innocent clip could use up its retries. Here each worker has
its own pipe and the parent watches every worker's pipe *and* its process
sentinel, so a death is charged to exactly the clip that worker was running;
the clip is retried on a fresh worker up to ``MAX_RETRIES`` times and then
recorded as failed, while the other workers carry on undisturbed.

Workers are spawned (MediaPipe's threads do not survive ``fork``), load the
libraries once and keep them for every clip they are given. ``start`` spawns
them before the batch is planned, and each imports the engine, MediaPipe and
the renderers straight away (``_warm_up``, ~1.5 s), so that start-up runs
beside the parent's own planning instead of after it. They ignore
SIGINT -- Ctrl-C reaches the whole process group, and only the parent decides
-- and turn SIGTERM into ``KeyboardInterrupt``, so a clip interrupted while
its folder is being written removes its temporary folder (``output_dir``'s
atomic write) before the process ends. They also die with the parent
(``PR_SET_PDEATHSIG``), so a killed batch leaves no worker behind.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from formcheck.batch.work import VideoOutcome, VideoTask, analyse_task
from formcheck.lifeline import die_with_parent
from formcheck.output_dir import remove_abandoned

log = logging.getLogger(__name__)

MAX_RETRIES = 2
"""A clip whose worker died is tried again this many times (three attempts in all), then recorded as failed."""
STOP_GRACE_S = 10.0
"""After SIGTERM, how long workers get to remove their temporary folders before SIGKILL."""


def died_message(attempts: int, exitcode: int | None) -> str:
    """One line for the CSV: how often the clip's worker died and how (``exitcode`` None when unknown, as on Ray)."""
    how = "" if exitcode is None else f" (exit code {exitcode})" if exitcode >= 0 else f" (signal {-exitcode})"
    return f"the worker analysing it died {attempts} time{'s' if attempts != 1 else ''}{how}; not retried again"


POSE_MODULES = ("formcheck.pose.parallel", "formcheck.pose.landmarks_graph")
"""The pose engine and MediaPipe's graph, which every clip without a cached pose needs."""


def _warm_up() -> None:
    """Import what analysing a clip needs, while the parent is still planning (see the module's docstring):
    the pose engine, then what ``analyze_video`` itself imports ahead for a short clip, with the renderers."""
    import importlib

    from formcheck.analysis.service import ANALYSIS_MODULES
    from formcheck.render import RENDER_MODULES

    for name in (*POSE_MODULES, *ANALYSIS_MODULES, *RENDER_MODULES):
        importlib.import_module(name)


def _worker_main(conn: Connection, parent_pid: int) -> None:
    """A worker's life: take a task, analyse it, send the outcome back, until told to stop."""
    from formcheck.native_memory import tune_malloc

    tune_malloc()
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminate)
    die_with_parent(signal.SIGTERM, parent_pid)
    try:
        _warm_up()
        while True:
            task = conn.recv()
            if task is None:
                return
            conn.send(analyse_task(task))
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    task: VideoTask | None = None
    used: bool = False  # given a task at least once (a never-used worker may still be importing)
    given_at: float = 0.0  # when the task was sent (epoch s): a dead worker's temporary folder is newer


class LocalPool:
    """``workers`` spawned processes fed one clip at a time; outcomes are handed back as they finish."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._ctx = multiprocessing.get_context("spawn")
        self._slots: list[_Slot] = []

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, os.getpid()), daemon=True,
                                    name="formcheck-batch-worker")  # fmt: skip
        process.start()
        child.close()
        return _Slot(process, parent)

    def start(self, clips: int) -> None:
        """Spawn the workers for up to ``clips`` clips now (idempotent), so they import while the caller plans."""
        while len(self._slots) < min(self.workers, clips):
            self._slots.append(self._start())

    def run(self, tasks: list[VideoTask], on_outcome: Callable[[VideoOutcome], None]) -> None:
        """Analyse every task; ``on_outcome`` runs in this process as each clip finishes (in completion order)."""
        queue = deque(tasks)
        try:
            self.start(len(tasks))
            busy = 0
            while queue or busy:
                for slot in self._slots:
                    if slot.task is None and queue:
                        slot.task = queue.popleft()
                        slot.used = True
                        slot.given_at = time.time()
                        slot.conn.send(slot.task)
                        busy += 1
                ready = wait([s.conn for s in self._slots if s.task] + [s.process.sentinel for s in self._slots if s.task],
                             timeout=1.0)  # fmt: skip
                for slot in list(self._slots):
                    if slot.task is None or (slot.conn not in ready and slot.process.sentinel not in ready):
                        continue
                    outcome = self._collect(slot, queue)
                    busy -= 1
                    if outcome is not None:
                        on_outcome(outcome)
        finally:
            self.close()

    def _collect(self, slot: _Slot, queue: deque[VideoTask]) -> VideoOutcome | None:
        """The outcome of the slot's task, or (its worker died) a retry queued or a failure after the last one."""
        task = slot.task
        assert task is not None
        slot.task = None
        try:
            if slot.conn.poll():
                return slot.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            pass
        slot.process.join(timeout=5)
        exitcode = slot.process.exitcode
        log.warning("worker died (exit code %s) analysing %s, attempt %d", exitcode, task.video, task.attempt + 1)
        remove_abandoned(Path(task.out_dir), slot.given_at)  # its Python cleanup never ran
        slot.conn.close()
        index = self._slots.index(slot)
        self._slots[index] = self._start()
        if task.attempt < MAX_RETRIES:
            queue.appendleft(replace(task, attempt=task.attempt + 1))
            return None
        return VideoOutcome(task.index, "failed", error=died_message(task.attempt + 1, exitcode), attempts=task.attempt + 1)

    def close(self) -> None:
        """Stop every worker: a polite stop when idle, SIGTERM (temporary folders removed) then SIGKILL if busy.

        A worker never given a clip gets SIGTERM too: it may still be importing, and a batch with
        nothing left to do should not wait for that."""
        for slot in self._slots:
            try:
                if slot.task is None and slot.used and slot.process.is_alive():
                    slot.conn.send(None)
                else:
                    slot.process.terminate()
            except (OSError, ValueError):
                slot.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_S
        for slot in self._slots:
            slot.process.join(timeout=max(0.1, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(timeout=5)
            slot.conn.close()
        self._slots = []
