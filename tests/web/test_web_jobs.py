"""The job queue and the worker: atomic claims, leases, re-queueing, and one failure never stopping the rest."""

from __future__ import annotations

import datetime as dt
import time

from fastapi.testclient import TestClient
from sqlalchemy import update
from web_support import TRACK, wait_done

from formcheck.web.models import JobRow
from formcheck.web.settings import WebSettings


def test_the_migration_creates_exactly_the_jobs_table_of_the_model(client: TestClient) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from formcheck.store.engine import current_revision
    from formcheck.store.models import Base

    store = client.app.state.store  # type: ignore[attr-defined]
    assert current_revision(store.engine) == "0005"
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}), Base.metadata)
    assert diff == []


def test_stale_running_jobs_are_queued_again_and_failed_after_too_many_tries(client: TestClient) -> None:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    first = client.post("/api/checks", data={"symptom.kind": "pump"}).json()["id"]
    assert queue.claim("dead-server").id == first
    assert queue.requeue_stale(60.0, 3) == 0  # its lease is fresh: another server may be running it
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=120)
    with queue.store.engine.begin() as connection:
        connection.execute(update(JobRow).values(heartbeat_at=old))
    assert queue.requeue_stale(60.0, 3) == 1
    job = queue.get(first)
    assert job.status == "queued" and job.attempts == 1 and job.detail == "interrupted; queued again"
    for attempt in (2, 3):
        assert queue.claim(f"server-{attempt}").attempts == attempt
        with queue.store.engine.begin() as connection:
            connection.execute(update(JobRow).values(heartbeat_at=old))
        queue.requeue_stale(60.0, 3)
    job = queue.get(first)
    assert job.status == "failed" and "stopped 3 times" in (job.error or "")


def test_a_failing_job_does_not_stop_the_next_one(make_client, settings: WebSettings) -> None:  # noqa: ANN001
    client = make_client(run_worker=False)
    broken = client.post("/api/checks", files=[("runs", ("Morning Run.gpx", TRACK.read_bytes()))]).json()["id"]
    (settings.jobs_dir / broken / "uploads" / "runs-1.gpx").unlink()  # the disk lost it: run_check must fail
    fine = client.post("/api/checks", data={"symptom.kind": "pump", "red_flags.dark_urine": "yes"}).json()["id"]
    client.__exit__(None, None, None)
    worker_client = make_client(run_worker=True, poll_s=0.1)
    failed = wait_done(lambda: worker_client.get(f"/api/checks/{broken}").json(), 120)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("Morning Run.gpx does not exist"), failed["error"]
    assert str(settings.data_dir) not in failed["error"]
    done = wait_done(lambda: worker_client.get(f"/api/checks/{fine}").json(), 120)
    assert done["status"] == "done", done
    findings = worker_client.get(f"/api/checks/{fine}/findings").json()
    assert findings["schema"] == "formcheck.findings/1" and findings["red_flags"]
    report = worker_client.get(f"/checks/{fine}/report")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    page = worker_client.get(f"/checks/{fine}").text
    assert "See a clinician" in page and "Open the report" in page


def test_stopping_the_server_puts_the_running_job_back(make_client, settings: WebSettings) -> None:  # noqa: ANN001
    client = make_client(run_worker=True, poll_s=0.05)
    job_id = client.post("/api/checks", files=[("runs", ("run.gpx", TRACK.read_bytes()))]).json()["id"]
    deadline = time.monotonic() + 60
    while client.get(f"/api/checks/{job_id}").json()["status"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.02)
    client.__exit__(None, None, None)  # lifespan shutdown: the worker stops at the next progress report
    job = client.app.state.queue.get(job_id)  # type: ignore[attr-defined]
    if job.status != "done":  # it may have finished in the moment before the stop
        assert job.status == "queued" and job.attempts == 0 and job.detail == "interrupted; queued again"
        assert (settings.jobs_dir / job_id / "uploads" / "runs-1.gpx").is_file()
        assert not (settings.jobs_dir / job_id / "out").exists()


def test_the_web_report_says_where_to_answer_in_the_browser(make_client) -> None:  # noqa: ANN001
    """A web check's report points at the New check page's questionnaire, never at `formcheck ask` or answers.toml."""
    client = make_client(run_worker=True, poll_s=0.1)
    job_id = client.post("/api/checks", data={"symptom.kind": "pump"}).json()["id"]
    assert wait_done(lambda: client.get(f"/api/checks/{job_id}").json(), 120)["status"] == "done"
    html = client.get(f"/checks/{job_id}/report").text
    for cli_words in ("formcheck ask", "answers.toml", "formcheck journal", "<code>--"):
        assert cli_words not in html, cli_words
    assert 'the questionnaire on the New check page: &#34;Trunk endurance tests (McGill)&#34;' in html
    assert "Answer them (the questionnaire on the New check page: &#34;Warning signs&#34;)" in html
    assert "(the Journal page)" in html
    endurance = next(n for n in client.get(f"/api/checks/{job_id}/findings").json()["not_assessed"]
                     if n["cause"] == "trunk_endurance")  # fmt: skip
    assert endurance["asks"] == ["endurance"] and "answers.toml" not in endurance["needs"]  # the same for every front end
