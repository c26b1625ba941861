"""A check whose process crashes natively fails alone, in one line; the server and the other checks carry on.

The crashes are real (``formcheck.crash_hook``: a read of address 0 or SIGKILL
in the pose model's frame loop of the job's own process), so these tests show
what a SIGSEGV in MediaPipe or FFmpeg would do to ``formcheck serve``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from web_support import GYM_CLIP, SHORT_CLIP, TRACK, wait_done

from formcheck.web.jobs import Job
from formcheck.web.settings import WebSettings
from formcheck.web.worker import died_message

pytestmark = pytest.mark.slow


def _clip_and_track() -> list[tuple[str, tuple[str, bytes]]]:
    return [("video", (f"My run {SHORT_CLIP.name}", SHORT_CLIP.read_bytes())), ("runs", ("Evening Run.gpx", TRACK.read_bytes()))]


def test_a_segfault_fails_its_job_in_one_line_and_the_server_runs_the_next(server_factory, tmp_path: Path) -> None:  # noqa: ANN001
    env = {"FORMCHECK_CACHE_DIR": str(tmp_path / "pose-cache"), "FORMCHECK_CRASH_AT": "pose:5"}  # cold: the model runs
    server = server_factory(env=env).start()
    crashed = httpx.post(f"{server.url}/api/checks", files=_clip_and_track(), timeout=60).json()["id"]
    track_only = httpx.post(f"{server.url}/api/checks", files=[("runs", ("Morning Run.gpx", TRACK.read_bytes()))],
                            data={"symptom.kind": "pump"}, timeout=60).json()["id"]  # fmt: skip
    failed = wait_done(lambda: httpx.get(f"{server.url}/api/checks/{crashed}", timeout=10).json(), 240)
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert failed["error"] == (f"formcheck crashed inside a native library while analysing My run {SHORT_CLIP.name} "
                               "(SIGSEGV); the other checks are not affected. Please report it.")  # fmt: skip
    done = wait_done(lambda: httpx.get(f"{server.url}/api/checks/{track_only}", timeout=10).json(), 240)
    assert done["status"] == "done", done
    assert httpx.get(f"{server.url}/api/health", timeout=10).json()["worker"] == "ready"
    job_folder = tmp_path / "data" / "jobs" / crashed
    assert sorted(p.name for p in job_folder.iterdir()) == ["uploads"]  # no out/, no .out.tmp-* left by the crash
    log = server.log.read_text()
    assert "Fatal Python error: Segmentation fault" in log and "crash_hook.py" in log  # the stacks, for the report
    server.stop()
    assert server.process is not None and server.process.returncode in (0, 130), server.log.read_text()[-2000:]
    again = server_factory(env=env)
    again.port, again.url = server.port, server.url
    again.start()
    time.sleep(1.5)  # three poll intervals: a re-queued job would have been claimed by now
    after = httpx.get(f"{server.url}/api/checks/{crashed}", timeout=10).json()
    assert after["status"] == "failed" and after["attempts"] == 1  # failed for good: no crash loop after a restart


def test_a_killed_job_process_blames_memory_and_the_next_video_check_completes(make_client, settings: WebSettings,  # noqa: ANN001
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(run_worker=True, poll_s=0.1, use_cache=False)  # the pose model runs: the hook fires in it
    monkeypatch.setenv("FORMCHECK_CRASH_AT", "pose:3:kill")  # each job's process gets the server's environment
    killed = client.post("/api/checks", files=_clip_and_track()).json()["id"]
    failed = wait_done(lambda: client.get(f"/api/checks/{killed}").json(), 240)
    assert failed["error"] == (f"formcheck was stopped by the system while analysing My run {SHORT_CLIP.name} "
                               "(SIGKILL), most likely for lack of memory; the other checks are not affected. "
                               "Try a shorter clip.")  # fmt: skip
    monkeypatch.delenv("FORMCHECK_CRASH_AT")
    fine = client.post("/api/checks", files=_clip_and_track(), data={"runner.height_cm": "178"}).json()["id"]
    done = wait_done(lambda: client.get(f"/api/checks/{fine}").json(), 240)
    assert done["status"] == "done", done
    assert (settings.jobs_dir / fine / "out" / "report.html").is_file()
    assert sorted(p.name for p in (settings.jobs_dir / killed).iterdir()) == ["uploads"]


def test_died_message_wording() -> None:
    job = Job(id="x", runner="default", status="running", stage=None, progress=0.0, detail=None, error=None,
              created_at=None, started_at=None, finished_at=None, attempts=1,  # type: ignore[arg-type]
              inputs=[{"kind": "video", "name": "video-1.mp4", "shown": "Run.mov"},
                      {"kind": "runs", "name": "runs-1.gpx", "shown": "a.gpx"}], options={}, check_id=None)  # fmt: skip
    assert died_message(job, -signal.SIGABRT) == ("formcheck crashed inside a native library while analysing Run.mov "
                                                  "(SIGABRT); the other checks are not affected. Please report it.")  # fmt: skip
    assert died_message(job, 3) == ("formcheck failed unexpectedly while analysing Run.mov (its process exited with "
                                    "code 3); the server log has the details.")  # fmt: skip
    no_video = Job(**{**job.__dict__, "inputs": [{"kind": "runs", "name": "runs-1.gpx", "shown": "a.gpx"}]})
    assert died_message(no_video, -signal.SIGBUS).startswith(
        "formcheck crashed inside a native library while running this check (SIGBUS)")


def test_deleting_a_check_stops_its_process_and_leaves_nothing(make_client, settings: WebSettings) -> None:  # noqa: ANN001
    client = make_client(run_worker=True, poll_s=0.1, use_cache=False)
    files = [("video", ("gym.mp4", GYM_CLIP.read_bytes()))]  # 6.5 s: its pose takes far longer than a stop
    job_id = client.post("/api/checks", files=files).json()["id"]
    deadline = time.monotonic() + 120
    while (client.get(f"/api/checks/{job_id}").json()["progress"] or 0) < 0.15:  # inside the pose model
        assert time.monotonic() < deadline, "the check never reached the pose model"
        time.sleep(0.05)
    assert client.delete(f"/api/checks/{job_id}").status_code == 200
    deleted = time.monotonic()
    # One job at a time: the next check can only run once the deleted one's process has stopped.
    track_only = client.post("/api/checks", files=[("runs", ("run.gpx", TRACK.read_bytes()))]).json()["id"]
    done = wait_done(lambda: client.get(f"/api/checks/{track_only}").json(), 60)
    assert done["status"] == "done" and time.monotonic() - deleted < 8.0, time.monotonic() - deleted
    assert not (settings.jobs_dir / job_id).exists()  # nothing of the deleted check came back
    assert [c["job_id"] for c in client.get("/api/history").json()["checks"]] == [track_only]


def test_a_stop_sent_to_the_whole_process_group_puts_the_running_check_back(tmp_path: Path) -> None:
    """A service manager's SIGTERM reaches the whole process group: the server re-queues the running check
    (attempt not counted) instead of its fork server dying first and every job looking dead."""
    import sqlite3
    import subprocess

    from web_support import PYTHON, REPO, free_port

    port = free_port()
    env = {**os.environ, "FORMCHECK_CACHE_DIR": str(tmp_path / "pose-cache")}  # cold: the pose model runs
    command = [str(PYTHON), "-m", "formcheck.cli", "serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 's.db'}",
               "--data-dir", str(tmp_path / "data")]  # fmt: skip
    with open(tmp_path / "server.log", "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO,
                                  start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{url}/api/health", timeout=1).json()["worker"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        files = [("video", ("gym.mp4", GYM_CLIP.read_bytes()))]
        job_id = httpx.post(f"{url}/api/checks", files=files, timeout=60).json()["id"]
        while (httpx.get(f"{url}/api/checks/{job_id}", timeout=10).json()["progress"] or 0) < 0.15:
            assert time.monotonic() < deadline, "the check never reached the pose model"
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
        while left := _processes_with(str(tmp_path)):
            assert time.monotonic() < deadline, left  # the server, its fork server and the job's process all end
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    with sqlite3.connect(tmp_path / "s.db") as db:
        row = db.execute("select status, attempts, detail from jobs where id = ?", (job_id,)).fetchone()
    assert row == ("queued", 0, "interrupted; queued again"), row
    assert sorted(p.name for p in (tmp_path / "data" / "jobs" / job_id).iterdir()) == ["uploads"]


def _processes_with(text: str) -> list[int]:
    """Processes whose environment mentions ``text`` (a test's private folder): what a server left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found
