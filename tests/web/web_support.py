"""Helpers shared by the web tests: sample paths, leftovers on disk, a real server in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from formcheck.web.settings import WebSettings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
SHORT_CLIP = SHARED / "videos" / "outdoor_side_grass_short.mp4"  # 1.7 s
GYM_CLIP = SHARED / "videos" / "treadmill_side_gym_portrait_60fps.mp4"  # 6.5 s
TRACK = SHARED / "tracks" / "run_strava_gps_hr_cadence.gpx"
STRENGTH = SHARED / "strength" / "fitnotes_export_kgs_2014_2017.csv"
PYTHON = REPO / ".venv" / "bin" / "python"


def leftovers(settings: WebSettings) -> list[Path]:
    """Every file under the app's data folder (an empty list means nothing was left behind)."""
    return sorted(p for p in settings.data_dir.rglob("*") if p.is_file())



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``formcheck serve`` in a subprocess on 127.0.0.1; stopped (and waited for) by the fixture."""

    def __init__(self, tmp: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> None:
        self.tmp, self.port = tmp, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.args = args
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tmp / f"server-{self.port}.log"

    def start(self, timeout_s: float = 60.0) -> "Server":
        command = [str(PYTHON), "-m", "formcheck.cli", "serve", "--port", str(self.port), "--db",
                   f"sqlite:///{self.tmp / 'store.db'}", "--data-dir", str(self.tmp / "data"), *self.args]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1, headers=self.headers()).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def headers(self) -> dict[str, str]:
        token = self.env.get("FORMCHECK_TOKEN")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to put its job back (a crash, a power cut)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_kb(self) -> int:
        """Resident memory of the server process: the supervised child of the process started (formcheck.supervisor)."""
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0] if children else pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def wait_done(get: Callable[[], dict[str, Any]], timeout_s: float = 300.0) -> dict[str, Any]:
    """Poll a status document until done or failed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = get()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"job not finished after {timeout_s} s: {status}")
