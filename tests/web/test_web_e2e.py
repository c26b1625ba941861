"""Real checks through the web app: a shared clip and a track in, the report and the history out.

``test_restart_*`` starts ``formcheck serve`` in a subprocess, kills it (SIGKILL)
in the middle of the pose model, starts it again and expects the job to finish
exactly once: one stored check, two attempts, the report in place.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from web_support import GYM_CLIP, SHORT_CLIP, TRACK, leftovers, wait_done

from formcheck.web.settings import WebSettings

pytestmark = pytest.mark.slow


def _files(clip: Path) -> list[tuple[str, tuple[str, bytes]]]:
    return [("video", (f"My run {clip.name}", clip.read_bytes())), ("runs", ("Evening Run.gpx", TRACK.read_bytes()))]


def test_a_clip_and_a_track_become_a_report_a_history_and_can_be_deleted(make_client, settings: WebSettings) -> None:  # noqa: ANN001
    client = make_client(run_worker=True, poll_s=0.1)
    answers = {"symptom.kind": "pump", "symptom.forced_walk": "yes", "runner.height_cm": "178"}
    response = client.post("/api/checks", files=_files(SHORT_CLIP), data=answers)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    seen: set[str] = set()

    def status() -> dict:
        doc = client.get(f"/api/checks/{job_id}").json()
        seen.add(doc["stage"] or "")
        return doc

    final = wait_done(status, 300)
    assert final["status"] == "done" and final["progress"] == 1.0 and final["error"] is None, final
    assert {"analyse", "report"} & seen
    findings = client.get(f"/api/checks/{job_id}/findings").json()
    assert findings["schema"] == "formcheck.findings/1" and findings["videos"]
    report = client.get(f"/checks/{job_id}/report")
    assert report.status_code == 200 and "<html" in report.text.lower()
    assert report.content == (settings.jobs_dir / job_id / "out" / "report.html").read_bytes()
    history = client.get("/api/history").json()
    assert history["checks"][0]["job_id"] == job_id
    lean = history["trends"]["trunk_lean_deg"]
    assert lean and lean[0]["video"] == f"My run {SHORT_CLIP.name}"  # the runner's name for the clip
    assert "<svg" in client.get("/history").text
    assert client.delete(f"/api/checks/{job_id}").status_code == 200
    assert leftovers(settings) == []
    assert client.get("/api/history").json()["checks"] == []


def test_restart_mid_job_completes_it_exactly_once(server_factory, tmp_path: Path) -> None:  # noqa: ANN001
    env = {"FORMCHECK_CACHE_DIR": str(tmp_path / "pose-cache")}  # a cold cache: the pose model must run
    server = server_factory(env=env).start()
    assert "listening on http://127.0.0.1:" in server.log.read_text()
    assert "no token required" in server.log.read_text()
    response = httpx.post(f"{server.url}/api/checks", files=_files(GYM_CLIP), data={"symptom.kind": "pump"}, timeout=60)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        doc = httpx.get(f"{server.url}/api/checks/{job_id}", timeout=10).json()
        if doc["stage"] == "analyse" and doc["progress"] >= 0.15:
            break
        assert doc["status"] in ("queued", "running"), doc
        time.sleep(0.1)
    else:
        pytest.fail("the job never reached the pose model")
    server.kill()
    out = tmp_path / "data" / "jobs" / job_id / "out"
    assert not out.exists()  # the check's folder is atomic: nothing half-written
    restarted = server_factory(env=env)
    restarted.port, restarted.url = server.port, server.url
    restarted.start()
    final = wait_done(lambda: httpx.get(f"{server.url}/api/checks/{job_id}", timeout=10).json(), 400)
    assert final["status"] == "done", final
    assert final["attempts"] == 2
    assert (out / "report.html").is_file() and json.loads((out / "findings.json").read_text())["findings"] is not None
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("select count(*) from checks").fetchone()[0] == 1
        assert db.execute("select count(*) from jobs where status = 'done'").fetchone()[0] == 1


def test_stopping_with_a_job_page_watching_queues_the_job_again_and_claims_no_other(server_factory,  # noqa: ANN001
                                                                                    tmp_path: Path) -> None:
    """SIGTERM while a job page streams A's progress and B waits: A goes back to the queue at once and
    B is never claimed -- not A finished and B started while uvicorn waited for the stream to close."""
    import threading

    env = {"FORMCHECK_CACHE_DIR": str(tmp_path / "pose-cache")}  # cold: A runs long enough to be stopped
    server = server_factory(env=env).start()
    first = httpx.post(f"{server.url}/api/checks", files=_files(GYM_CLIP), data={"symptom.kind": "pump"}, timeout=60)
    second = httpx.post(f"{server.url}/api/checks", data={"symptom.kind": "pump"}, timeout=60)
    a, b = first.json()["id"], second.json()["id"]
    deadline = time.monotonic() + 240
    while httpx.get(f"{server.url}/api/checks/{a}", timeout=10).json()["stage"] != "analyse":
        assert time.monotonic() < deadline, "A never reached the pose model"
        time.sleep(0.1)
    events: list[str] = []

    def watch() -> None:
        try:
            with httpx.stream("GET", f"{server.url}/api/checks/{a}/events", timeout=60) as stream:
                for line in stream.iter_lines():
                    events.append(line)
        except httpx.HTTPError:
            pass

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    while not events:
        time.sleep(0.05)
    assert server.process is not None
    server.process.terminate()
    server.process.wait(60)
    watcher.join(10)
    assert not watcher.is_alive()  # the stream ended with the server
    with sqlite3.connect(tmp_path / "store.db") as db:
        rows = dict(db.execute("select id, status || ' ' || attempts from jobs").fetchall())
    assert rows[a].startswith("queued") and rows[b] == "queued 0", rows
