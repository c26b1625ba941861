"""Load test of ``formcheck serve``: 20 concurrent API clients against the real server on 127.0.0.1.

Each client polls job status (``GET /api/checks/{id}``) and every
``--upload-every``-th request submits a small check (a 5.6 kB FIT run plus two
answers), with a short think time between requests; the server's own worker
runs the queued checks meanwhile, as it would for real users.  It reports the
status route's latency (p50/p95/p99), request counts, errors (any 5xx or
transport error, or an unexpected status), the server's resident memory
(start, peak, end, sampled every 0.5 s from /proc) and the upload throughput
of one large streamed body (refused by its content once received, so nothing
heavy runs on it).

Bounded and self-stopping: the server is a subprocess on a free port with its
own temporary folder and store, and is stopped (then waited for) at the end
whatever happens.  Only 127.0.0.1 is contacted.

    .venv/bin/python benchmarks/web_load.py [--duration 30] [--clients 20] [--big-upload-mb 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
SMALL_RUN = REPO.parent / "shared" / "data" / "tracks" / "run_fenix5_1min.fit"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """RSS of the server: the supervised child of the process started (``formcheck.supervisor``), if it has one."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0] if children else pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Sampler(threading.Thread):
    """RSS of the server every 0.5 s, until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples = pid, []
        self.stopped = threading.Event()

    def run(self) -> None:
        self.samples.append(_rss_mb(self.pid))  # the started server, before any load
        while not self.stopped.wait(0.5):
            self.samples.append(_rss_mb(self.pid))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


async def _client(url: str, stop_at: float, job_ids: list[str], stats: dict[str, Any], upload_every: int,
                  think_s: float, payload: bytes) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        count = 0
        while time.monotonic() < stop_at:
            count += 1
            started = time.perf_counter()
            try:
                if count % upload_every == 1 or not job_ids:
                    response = await client.post("/api/checks", files=[("runs", ("run.fit", payload))],
                                                 data={"symptom.kind": "pump", "runner.age": "34"})  # fmt: skip
                    kind, expected = "upload", 202
                    if response.status_code == 202:
                        job_ids.append(response.json()["id"])
                else:
                    response = await client.get(f"/api/checks/{job_ids[count % len(job_ids)]}")
                    kind, expected = "status", 200
                stats[kind].append(time.perf_counter() - started)
                if response.status_code != expected:
                    stats["errors"].append(f"{kind}: {response.status_code} {response.text[:120]}")
            except httpx.HTTPError as error:
                stats["errors"].append(f"transport: {type(error).__name__}: {error}")
            await asyncio.sleep(think_s)


def _big_upload(url: str, megabytes: int) -> float:
    """MB/s of one streamed upload of ``megabytes`` (a body that is not a video: refused after it is received)."""
    chunk = b"\0" * (1 << 20)

    def body() -> Any:
        for _ in range(megabytes):
            yield chunk

    boundary = "formcheckloadtestboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"big.mp4\"\r\n"
            "Content-Type: video/mp4\r\n\r\n").encode()  # fmt: skip
    tail = f"\r\n--{boundary}--\r\n".encode()

    def stream() -> Any:
        yield head
        yield from body()
        yield tail

    started = time.perf_counter()
    response = httpx.post(f"{url}/api/checks", content=stream(), timeout=600,
                          headers={"content-type": f"multipart/form-data; boundary={boundary}"})  # fmt: skip
    seconds = time.perf_counter() - started
    if response.status_code != 400:
        raise RuntimeError(f"the big upload should be refused by its content, got {response.status_code}")
    return megabytes / seconds


def run_load(duration_s: float = 30.0, clients: int = 20, upload_every: int = 10, think_s: float = 0.05,
             big_upload_mb: int = 200) -> dict[str, Any]:  # fmt: skip
    """Start a server, load it, stop it; the figures as a dict (also printed by ``main``)."""
    tmp = Path(tempfile.mkdtemp(prefix="formcheck-load-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "formcheck.cli", "serve", "--port", str(port), "--db",
               f"sqlite:///{tmp / 'store.db'}", "--data-dir", str(tmp / "data"),
               "--max-upload-mb", str(max(big_upload_mb + 1, 16))]  # fmt: skip
    env = {**os.environ, "FORMCHECK_CACHE_DIR": str(tmp / "cache")}
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
    sampler = _Sampler(server.pid)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{url}/api/health", timeout=1)
                if health.status_code == 200 and health.json()["worker"] == "ready":
                    break
                time.sleep(0.2)
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        sampler.start()
        stats: dict[str, Any] = {"status": [], "upload": [], "errors": []}
        job_ids: list[str] = []
        payload = SMALL_RUN.read_bytes()

        async def everyone() -> None:
            stop_at = time.monotonic() + duration_s
            await asyncio.gather(*(_client(url, stop_at, job_ids, stats, upload_every, think_s, payload)
                                   for _ in range(clients)))  # fmt: skip

        started = time.perf_counter()
        asyncio.run(everyone())
        elapsed = time.perf_counter() - started
        throughput = _big_upload(url, big_upload_mb) if big_upload_mb else None
        health = httpx.get(f"{url}/api/health", timeout=10).json()
        listed = httpx.get(f"{url}/api/checks", timeout=30).json()
        failed_jobs = sorted({job["error"] for job in listed if job["status"] == "failed"})
    finally:
        sampler.stopped.set()
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    status_ms = [s * 1000 for s in stats["status"]]
    upload_ms = [s * 1000 for s in stats["upload"]]
    return {
        "clients": clients, "duration_s": round(elapsed, 1),
        "requests": len(status_ms) + len(upload_ms), "status_requests": len(status_ms), "uploads": len(upload_ms),
        "requests_per_s": round((len(status_ms) + len(upload_ms)) / elapsed, 1),
        "status_p50_ms": round(statistics.median(status_ms), 1) if status_ms else None,
        "status_p95_ms": round(_percentile(status_ms, 0.95), 1), "status_p99_ms": round(_percentile(status_ms, 0.99), 1),
        "upload_p95_ms": round(_percentile(upload_ms, 0.95), 1),
        "errors": stats["errors"], "jobs": health["jobs"], "failed_jobs": failed_jobs,
        "rss_start_mb": round(sampler.samples[0], 1), "rss_peak_mb": round(max(sampler.samples), 1),
        "rss_end_mb": round(sampler.samples[-1], 1),
        "big_upload_mb": big_upload_mb, "upload_mb_per_s": round(throughput, 1) if throughput else None,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--upload-every", type=int, default=10)
    parser.add_argument("--think-s", type=float, default=0.05)
    parser.add_argument("--big-upload-mb", type=int, default=200)
    args = parser.parse_args()
    result = run_load(args.duration, args.clients, args.upload_every, args.think_s, args.big_upload_mb)
    errors = result.pop("errors")
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    print(f"{'errors':>18}: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
