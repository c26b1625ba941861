"""``formcheck serve``: localhost by default, a token required elsewhere, the startup line; the app on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from web_support import PYTHON, REPO, SHORT_CLIP, TRACK, wait_done

from formcheck.web.app import create_app
from formcheck.web.settings import WebSettings, is_loopback


def test_binding_beyond_localhost_needs_a_token(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([str(PYTHON), "-m", "formcheck.cli", "serve", "--host", "0.0.0.0", "--data-dir",
                             str(tmp_path / "data"), "--db", f"sqlite:///{tmp_path / 's.db'}"],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=60)  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: listening on 0.0.0.0 lets other machines in")
    assert not (tmp_path / "data").exists()  # refused before anything was created
    short = subprocess.run([str(PYTHON), "-m", "formcheck.cli", "serve", "--token", "abc"], capture_output=True,
                           text=True, env=env, cwd=REPO, timeout=60)  # fmt: skip
    assert short.returncode == 2 and "at least 8 characters" in short.stderr


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("mine")
    result = subprocess.run([str(PYTHON), "-m", "formcheck.cli", "serve", "--data-dir", str(tmp_path / where),
                             "--db", f"sqlite:///{tmp_path / 's.db'}", "--port", "1"],
                            capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 4 and len(lines) == 1 and lines[0].endswith("(--data-dir).")
    assert lines[0].startswith(f"error: {tmp_path / 'a-file'} is a file" if where == "a-file"
                               else f"error: cannot keep the server's data in {tmp_path / where}")  # fmt: skip
    assert (tmp_path / "a-file").read_text() == "mine" and not (tmp_path / "s.db").exists()


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("127.3.4.5", True), ("::1", True),
                                             ("localhost", True), ("0.0.0.0", False), ("192.168.1.20", False),
                                             ("::", False), ("example.org", False)])  # fmt: skip
def test_which_addresses_count_as_this_machine(host: str, local: bool) -> None:
    assert is_loopback(host) is local


def test_a_server_with_a_token_says_so_and_asks_for_it(server_factory) -> None:  # noqa: ANN001
    server = server_factory(env={"FORMCHECK_TOKEN": "a-long-test-token"}).start()
    line = server.log.read_text()
    assert f"listening on http://127.0.0.1:{server.port}/ - a token is required" in line
    assert httpx.get(f"{server.url}/api/health", timeout=10).status_code == 401
    assert httpx.get(f"{server.url}/api/health", headers=server.headers(), timeout=10).json()["token_required"]


@pytest.mark.postgres
def test_the_app_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    app = create_app(WebSettings(data_dir=tmp_path / "data", db=postgres_url, run_worker=False))
    with TestClient(app) as client:
        job_id = client.post("/api/checks", files=[("runs", ("run.gpx", TRACK.read_bytes()))]).json()["id"]
        assert client.get(f"/api/checks/{job_id}").json()["status"] == "queued"
        assert client.get("/api/health").json()["jobs"]["queued"] == 1
        assert client.delete(f"/api/checks/{job_id}").status_code == 200
        assert client.get("/api/checks").json() == []


def test_progress_events_stream_from_the_real_server_until_done(server_factory) -> None:  # noqa: ANN001
    import json

    server = server_factory().start()
    job_id = httpx.post(f"{server.url}/api/checks", data={"symptom.kind": "pump"}, timeout=30).json()["id"]
    events = []
    with httpx.stream("GET", f"{server.url}/api/checks/{job_id}/events", timeout=180) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[-1]["status"] == "done", events[-1]
    assert len(events) >= 2 and events[0]["status"] in ("queued", "running")
    assert [e["progress"] for e in events] == sorted(e["progress"] for e in events)  # never goes backwards


@pytest.mark.slow
def test_a_large_upload_is_streamed_to_disk_not_held_in_memory(server_factory, tmp_path: Path) -> None:  # noqa: ANN001
    """300 MB through the real server: its memory grows by a small fraction of that, and nothing stays on disk."""
    import threading

    import time

    server = server_factory(args=("--max-upload-mb", "400")).start()
    while httpx.get(f"{server.url}/api/health", timeout=10).json()["worker"] != "ready":
        time.sleep(0.2)  # the worker imports the pose model first: its memory is not the upload's
    time.sleep(1.0)
    before, peak = server.rss_kb(), [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], server.rss_kb())

    boundary = "streamedboundary"

    def body():  # noqa: ANN202
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"long.mp4\"\r\n\r\n").encode()
        for _ in range(300):
            yield b"\1" * (1 << 20)
        yield f"\r\n--{boundary}--\r\n".encode()

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        response = httpx.post(f"{server.url}/api/checks", content=body(), timeout=300,
                              headers={"content-type": f"multipart/form-data; boundary={boundary}"})  # fmt: skip
    finally:
        done.set()
        sampler.join()
    print(f"300 MB upload: server RSS +{(peak[0] - before) / 1024:.1f} MB")
    assert response.status_code == 400 and response.json()["detail"].startswith("long.mp4 is not a video")
    assert (peak[0] - before) / 1024 < 60, f"RSS grew by {(peak[0] - before) / 1024:.0f} MB for a 300 MB upload"
    assert [p for p in (tmp_path / "data").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("jobs", ["0", "100000"])
def test_jobs_out_of_range_is_one_line(tmp_path: Path, jobs: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([str(PYTHON), "-m", "formcheck.cli", "serve", "--jobs", jobs, "--data-dir",
                             str(tmp_path / "data")], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: --jobs must be between 1 and {4 * (os.cpu_count() or 1)}") and jobs in lines[0]
    assert not (tmp_path / "data").exists()


def test_with_jobs_2_two_checks_run_at_once(server_factory) -> None:  # noqa: ANN001
    """Two short-clip checks sent together: with --jobs 2 their running times overlap (with 1 they never do)."""
    import datetime as dt

    server = server_factory(args=("--jobs", "2")).start()
    assert "2 checks at once" in server.log.read_text()
    clip = SHORT_CLIP.read_bytes()
    ids = [httpx.post(f"{server.url}/api/checks", files=[("video", (f"run{i}.mp4", clip))], timeout=60).json()["id"]
           for i in range(2)]  # fmt: skip
    done = [wait_done(lambda job_id=job_id: httpx.get(f"{server.url}/api/checks/{job_id}", timeout=10).json(), 240)
            for job_id in ids]  # fmt: skip
    assert [d["status"] for d in done] == ["done", "done"], done
    (start_a, end_a), (start_b, end_b) = [(dt.datetime.fromisoformat(d["started_at"]),
                                           dt.datetime.fromisoformat(d["finished_at"])) for d in done]  # fmt: skip
    assert start_b < end_a and start_a < end_b, done  # the two intervals overlap
