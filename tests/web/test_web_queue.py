"""The queue on both backends (racing claims), deleting a running job, and errors worded for the web."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import TRACK, leftovers

from formcheck.errors import (FormcheckError, NoPersonError, NotFoundError, UnitsRequiredError, UsageError,
                              VideoTooLongError)
from formcheck.store import Store
from formcheck.web import models as _models  # noqa: F401
from formcheck.web.jobs import JobQueue, new_job_id
from formcheck.web.settings import WebSettings
from formcheck.web.wording import for_web


def test_racing_workers_claim_each_job_once(db_url: str) -> None:
    """Eight threads claim from 20 queued jobs at once: every job is claimed by exactly one of them."""
    with Store.open(db_url) as store:
        queue = JobQueue(store)
        ids = {queue.create(new_job_id(), "default", [], {}).id for _ in range(20)}
        won: list[tuple[str, str]] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def claim_all(owner: str) -> None:
            try:
                while (job := queue.claim(owner)) is not None:
                    with lock:
                        won.append((job.id, owner))
            except BaseException as error:  # a lock conflict must be retried inside claim, never reach a worker
                errors.append(error)

        threads = [threading.Thread(target=claim_all, args=(f"worker-{n}",)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(job_id for job_id, _ in won) == sorted(ids)
        assert all(queue.get(job_id).status == "running" and queue.get(job_id).attempts == 1 for job_id in ids)


def test_deleting_a_running_job_takes_the_lease_away(client: TestClient, settings: WebSettings) -> None:
    job_id = client.post("/api/checks", files=[("runs", ("run.gpx", TRACK.read_bytes()))]).json()["id"]
    queue = client.app.state.queue  # type: ignore[attr-defined]
    assert queue.claim("busy-worker").id == job_id
    assert client.delete(f"/api/checks/{job_id}").status_code == 200
    assert leftovers(settings) == []
    assert queue.report(job_id, "busy-worker", "analyse", 0.4, None) is False  # the worker stops at its next report
    assert queue.finish(job_id, "busy-worker", 1) is False


def test_a_strength_export_without_units_asks_for_the_form_field(client: TestClient, tmp_path: Path,
                                                                 settings: WebSettings) -> None:  # fmt: skip
    csv = (b"Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
           b"2026-11-28 18:00:00,Legs,Deadlift (Barbell),1,100,5,0,0,,,\n")  # fmt: skip
    response = client.post("/api/checks", files=[("lifts", ("strong.csv", csv))])
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "--" not in detail and detail.endswith('say which of the two it uses (the "Weights in" field).'), detail
    assert leftovers(settings) == []
    ok = client.post("/api/checks", files=[("lifts", ("strong.csv", csv))], data={"units": "kg"})
    assert ok.status_code == 202, ok.text


@pytest.mark.parametrize(("engine", "web"), [
    (UsageError("a height of 20 cm is not a human height: give it in centimetres (50-250).", settings=("height_cm",)),
     'a height of 20 cm is not a human height: give it in centimetres (50-250) (your height under "About you").'),
    (VideoTooLongError("/srv/data/jobs/ab/uploads/video-1.mp4 is 45 min long; formcheck analyses at most 30 min: "
                       "pick a part of it by its start and end, in seconds.", settings=("start_s", "end_s")),
     "my run.mp4 is 45 min long; formcheck analyses at most 30 min: trim the clip to the part you want (30 min at "
     "most) and upload that."),
    (NoPersonError("video-1.mp4: no frames in the chosen part of the video; choose another part.",
                   settings=("start_s", "end_s")),
     "my run.mp4: no frames in the chosen part of the video."),
    (UnitsRequiredError("x.csv does not say whether weights are kg or lb; say which of the two it uses",
                        settings=("units",)),
     'x.csv does not say whether weights are kg or lb; say which of the two it uses (the "Weights in" field).'),
    (NotFoundError("no runner named 'ann'; import their files under that name first.", settings=("runner",)),
     """no runner named 'ann'; import their files under that name first (the "Runner" field)."""),
    ("--frobnicate must be positive", "the frobnicate setting must be positive"),  # a library's text, not ours
])  # fmt: skip
def test_engine_messages_are_worded_for_the_web(engine: str | FormcheckError, web: str) -> None:
    names = {"/srv/data/jobs/ab/uploads/video-1.mp4": "my run.mp4", "video-1.mp4": "my run.mp4"}
    assert for_web(engine, names, "/srv/data") == web
    assert "--" not in for_web(engine, names, "/srv/data")
