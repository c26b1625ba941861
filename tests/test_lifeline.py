"""``die_with_parent``: a child it was called in ends when its parent is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from formcheck.lifeline import die_with_parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

_GRANDCHILD = """
import os, signal, sys, time
from formcheck.lifeline import die_with_parent
die_with_parent(signal.SIGKILL, int(sys.argv[1]))
print(os.getpid(), flush=True)
time.sleep(60)
"""
_MIDDLE = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())], stdout=subprocess.PIPE, text=True)
print(child.stdout.readline().strip(), flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_child_is_killed_when_its_parent_is_sigkilled() -> None:
    middle = subprocess.Popen([sys.executable, "-c", _MIDDLE, _GRANDCHILD], stdout=subprocess.PIPE, text=True)
    assert middle.stdout is not None
    grandchild = int(middle.stdout.readline())
    assert _alive(grandchild)
    middle.send_signal(signal.SIGKILL)
    middle.wait()
    deadline = time.monotonic() + 10
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_parent_already_gone_ends_the_child_with_the_given_code() -> None:
    pid = os.fork()
    if pid == 0:  # the child: told a parent that is not its own, as if that one had died
        die_with_parent(signal.SIGTERM, parent_pid=os.getppid() + 1_000_000, exit_code=42)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 42


def test_the_request_is_accepted_on_linux() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0 if die_with_parent(signal.SIGTERM) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
