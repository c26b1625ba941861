"""Every API route with good and bad input: a clear 4xx with one sentence, and nothing left on disk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi.testclient import TestClient
from web_support import SHORT_CLIP, STRENGTH, TRACK, leftovers

from formcheck.web.settings import WebSettings


def _post(client: TestClient, files: list[tuple[str, tuple[str, bytes]]] | None = None,
          data: dict[str, str] | None = None):  # noqa: ANN202
    return client.post("/api/checks", files=files or [("video", ("", b""))], data=data or {})


def test_health_says_ok_and_how_many_jobs(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["jobs"]["queued"] == 0 and body["token_required"] is False
    assert body["worker"] == "off"


def test_a_check_is_queued_shown_listed_and_deleted_with_everything_it_stored(client: TestClient,
                                                                             settings: WebSettings) -> None:
    response = _post(client, [("runs", ("../../../etc/passwd.gpx", TRACK.read_bytes()))],
                     {"symptom.kind": "pump", "runner.age": "34", "substances.taken": "creatine"})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    status = client.get(f"/api/checks/{job_id}").json()
    assert status["status"] == "queued" and status["progress"] == 0 and status["error"] is None
    stored = leftovers(settings)
    assert [p.name for p in stored] == ["runs-1.gpx"]  # the server's name, never the one sent
    assert stored[0].is_relative_to(settings.jobs_dir / job_id / "uploads")
    assert not Path("/etc/passwd.gpx").exists()
    listed = client.get("/api/checks").json()
    assert [item["id"] for item in listed] == [job_id]
    page = client.get(f"/checks/{job_id}")
    assert page.status_code == 200 and "passwd.gpx" in page.text and "../" not in page.text.split("<main>")[1][:600]
    assert client.get(f"/api/checks/{job_id}/findings").status_code == 409
    assert client.get(f"/checks/{job_id}/report").status_code == 409
    assert client.delete(f"/api/checks/{job_id}").json() == {"deleted": job_id}
    assert leftovers(settings) == []
    assert client.get(f"/api/checks/{job_id}").status_code == 404


def test_questionnaire_only_check_as_a_plain_form(client: TestClient) -> None:
    response = client.post("/api/checks", data={"symptom.kind": "pump", "red_flags.dark_urine": "no"})
    assert response.status_code == 202, response.text


def test_nothing_to_check(client: TestClient, settings: WebSettings) -> None:
    response = _post(client)  # an empty file input and no answers, as a browser sends an untouched form
    assert response.status_code == 400
    assert response.json()["detail"].startswith("nothing to check")
    assert client.post("/api/checks", data={"symptom.kind": ""}).status_code == 400
    assert leftovers(settings) == []


def test_zero_byte_video(client: TestClient, settings: WebSettings) -> None:
    response = _post(client, [("video", ("run.mp4", b""))])
    assert response.status_code == 400
    assert response.json()["detail"] == "run.mp4 is empty (0 bytes): choose the file again."
    assert leftovers(settings) == []


def test_a_text_file_named_mp4_is_refused_by_its_content(client: TestClient, settings: WebSettings) -> None:
    response = _post(client, [("video", ("holiday.mp4", b"this is not a video, only text\n" * 50))])
    detail = response.json()["detail"]
    assert response.status_code == 400 and detail.startswith("holiday.mp4 is not a video formcheck can read")
    assert str(settings.data_dir) not in detail and "incoming" not in detail and "Errno" not in detail
    assert leftovers(settings) == []


def test_a_video_sent_as_a_run_and_a_run_sent_as_lifts(client: TestClient, settings: WebSettings) -> None:
    response = _post(client, [("runs", ("clip.gpx", SHORT_CLIP.read_bytes()))])
    assert response.status_code == 400
    assert response.json()["detail"] == "clip.gpx is a video, not a run (GPX, FIT or TCX): add it under videos."
    response = _post(client, [("lifts", ("lifts.csv", TRACK.read_bytes()))])
    assert response.status_code == 400 and "add it under runs" in response.json()["detail"]
    response = _post(client, [("runs", ("lifts.csv", STRENGTH.read_bytes()))])
    assert response.status_code == 400 and "add it under lifts" in response.json()["detail"]
    assert leftovers(settings) == []


def test_oversize_upload_is_refused_while_streaming(make_client, settings: WebSettings) -> None:  # noqa: ANN001
    client = make_client(max_upload_bytes=200_000)
    response = _post(client, [("video", ("big.mp4", b"\0" * 600_000))])
    assert response.status_code == 413
    assert "limit of 0.19" in response.json()["detail"]
    assert leftovers(settings) == []


def test_path_traversal_names_are_only_shown(client: TestClient, settings: WebSettings) -> None:
    response = _post(client, [("video", ("..\\..\\..\\windows\\evil.mp4", b"not a video" * 10))])
    assert response.status_code == 400 and response.json()["detail"].startswith("evil.mp4 is not a video")
    response = _post(client, [("runs", ("/tmp/../../x\x00y.gpx", TRACK.read_bytes()))])
    assert response.status_code == 202
    job = client.get("/api/checks").json()[0]["id"]
    assert [p.name for p in leftovers(settings)] == ["runs-1.gpx"]
    page = client.get(f"/checks/{job}").text
    assert "y.gpx" in page and "/tmp/" not in page and "../" not in page


def test_bad_questionnaire_values_name_the_field(client: TestClient, settings: WebSettings) -> None:
    response = _post(client, [("runs", ("run.gpx", TRACK.read_bytes()))], {"endurance.extensor_s": "abc"})
    assert response.status_code == 400
    assert response.json()["detail"] == ('questionnaire, Trunk endurance tests (McGill): "Back extensor hold '
                                         '(Biering-Sorensen): seconds held" (endurance.extensor_s) must be a number '
                                         'of seconds between 0 and 600, got "abc"')
    future = _post(client, [], {"symptom.date": "2099-05-01"}).json()["detail"]
    assert future == ('questionnaire, The run that hurt: "On which date was the run that hurt?" (symptom.date) '
                      "2099-05-01 is in the future: give the day of the run that hurt")
    assert client.post("/api/checks", data={"endurance.extenser_s": "40"}).json()["detail"].startswith(
        "questionnaire: unknown field endurance.extenser_s")
    toml = b'[runner]\nage = 300\n'
    response = _post(client, [("answers", ("my answers.toml", toml))])
    assert response.status_code == 400 and response.json()["detail"].startswith("my answers.toml: runner.age must be")
    assert _post(client, [("answers", ("a.toml", b"[runner\n"))]).json()["detail"].startswith("a.toml: not valid TOML")
    assert leftovers(settings) == []


def test_bad_options(client: TestClient, settings: WebSettings) -> None:
    base = {"symptom.kind": "pump"}
    cases = {"date": "yesterday", "units": "stone", "tz": "Mars/Olympus", "runner": "Anna\tK", "colour": "red"}
    expected = {"date": "date must be written YYYY-MM-DD", "units": 'units must be "kg" or "lb"',
                "tz": "time zone 'Mars/Olympus' is not a known IANA name", "runner": "runner: the name holds a control character",
                "colour": "unknown form field 'colour'"}
    for key, value in cases.items():
        response = client.post("/api/checks", data={**base, key: value})
        assert response.status_code == 400, (key, response.text)
        assert response.json()["detail"].startswith(expected[key]), response.json()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert "in the future" in client.post("/api/checks", data={**base, "date": future}).json()["detail"]
    response = client.post("/api/checks", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 415
    assert leftovers(settings) == []


def test_unknown_job_id_is_404_everywhere(client: TestClient) -> None:
    for method, url in [("GET", "/api/checks/nope"), ("GET", "/api/checks/nope/findings"),
                        ("GET", "/checks/nope/report"), ("GET", "/api/checks/nope/events"),
                        ("DELETE", "/api/checks/nope"), ("GET", "/checks/" + "0" * 32)]:
        response = client.request(method, url)
        assert response.status_code == 404, url
        if url.startswith("/api"):
            assert "no check with id" in response.json()["detail"]


def test_progress_events_end_when_the_job_ends(client: TestClient) -> None:
    job_id = client.post("/api/checks", data={"symptom.kind": "pump"}).json()["id"]
    queue = client.app.state.queue  # type: ignore[attr-defined]
    claimed = queue.claim("test-owner")
    assert claimed is not None and claimed.id == job_id
    assert queue.claim("another-owner") is None  # one claim wins
    assert queue.report(job_id, "another-owner", "analyse", 0.5, None) is False  # only the holder writes
    queue.fail(job_id, "test-owner", "a bad day")
    with client.stream("GET", f"/api/checks/{job_id}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    event = [line for line in text.splitlines() if line.startswith("data: ")]
    assert len(event) == 1 and json.loads(event[0][6:])["status"] == "failed"
    assert json.loads(event[0][6:])["error"] == "a bad day"


def test_journal_round_trip_and_bad_values(client: TestClient) -> None:
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = client.post("/api/journal", json={"date": day, "severity": 7, "walked": True, "minute": 25})
    assert response.status_code == 201 and response.json()["created"] is True
    again = client.post("/api/journal", json={"date": day, "severity": 5})
    assert again.json()["created"] is False  # one entry a day: replaced
    assert client.get("/api/journal").json() == [{"date": day, "severity": 5, "walked": False, "minute": None,
                                                  "note": ""}]  # fmt: skip
    assert client.post("/api/journal", json={"date": day, "severity": 11}).status_code == 422
    assert client.post("/api/journal", json={"date": "someday", "severity": 1}).status_code == 422
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post("/api/journal", json={"date": future, "severity": 1})
    assert response.status_code == 400 and "in the future" in response.json()["detail"]
    assert client.get("/api/journal", params={"runner": "someone else"}).json() == []
    history = client.get("/api/history").json()
    assert history["pumps"][0]["severity"] == 5 and history["checks"] == []


def test_any_name_the_cli_takes_works_on_the_web(client: TestClient) -> None:
    """The web app shares the store with the CLI: a runner named there must have a history page here
    (the page used to fall back to the "default" runner's history for a name with an apostrophe)."""
    name, day = "Anna O'Brien (club)", (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert client.post("/api/journal", json={"runner": name, "date": day, "severity": 6}).status_code == 201
    client.post("/api/journal", json={"date": day, "severity": 2})  # the default runner's, not to be shown
    assert [e["severity"] for e in client.get("/api/journal", params={"runner": name}).json()] == [6]
    page = client.get("/history", params={"runner": name})
    assert page.status_code == 200 and "History of Anna O&#39;Brien (club)" in page.text
    journal = client.get("/journal", params={"runner": name})
    assert 'value="Anna O&#39;Brien (club)"' in journal.text
    refused = client.post("/api/journal", json={"runner": " ", "date": day, "severity": 1})
    assert refused.status_code == 422 and "the name is empty" in refused.text


def test_a_page_that_is_not_there_is_a_page_and_the_api_stays_json(client: TestClient) -> None:
    for url, status, words in (("/checks/" + "0" * 32, 404, "it was deleted, or the address is wrong"),
                               ("/nope", 404, "There is no page at this address."),
                               ("/checks/" + "0" * 32 + "/report", 404, "it was deleted, or the address is wrong")):  # fmt: skip
        page = client.get(url, headers={"accept": "text/html,application/xhtml+xml"})
        assert page.status_code == status and page.headers["content-type"].startswith("text/html"), url
        assert words in page.text and 'href="/history?runner=default"' in page.text
    again = client.get("/checks/new?runner=Full%20Q", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/?runner=Full%20Q"
    api = client.get("/api/checks/nope", headers={"accept": "text/html"})
    assert api.status_code == 404 and "no check with id" in api.json()["detail"]


def test_a_refused_journal_entry_keeps_what_was_typed_and_the_runs_so_far(client: TestClient) -> None:
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    assert client.post("/api/journal", json={"runner": "Full Q", "date": day, "severity": 4}).status_code in (200, 201)
    bad = client.post("/journal", data={"runner": "Full Q", "date": "2099-01-01", "severity": "6", "minute": "12",
                                        "walked": "yes", "note": "hilly loop"})  # fmt: skip
    assert bad.status_code == 400 and "2099-01-01" in bad.text
    assert 'value="2099-01-01"' in bad.text and 'value="6"' in bad.text and 'value="12"' in bad.text
    assert ">hilly loop</textarea>" in bad.text and " checked>" in bad.text
    assert f"<td>{day}</td><td>4/10</td>" in bad.text and "Nothing journaled yet" not in bad.text


def test_every_page_links_new_check_for_the_runner_it_shows(client: TestClient) -> None:
    for url in ("/history?runner=Full%20Q", "/journal?runner=Full%20Q"):
        page = client.get(url).text
        assert page.count('href="/?runner=Full%20Q"') >= 2, url  # the logo and "New check"


def test_pages_render(client: TestClient) -> None:
    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    client.post("/api/journal", json={"date": day, "severity": 4, "walked": True})
    new = client.get("/")
    assert new.status_code == 200 and 'name="endurance.extensor_s"' in new.text and 'name="red_flags.dark_urine"' in new.text
    assert f'name="symptom.date" value="" min="1990-01-01" max="{dt.date.today().isoformat()}"' in new.text
    history = client.get("/history")
    assert history.status_code == 200 and "<svg" in history.text  # the journal's pump plot
    journal = client.post("/journal", data={"runner": "default", "date": day, "severity": "6", "note": "hills"},
                          follow_redirects=False)  # fmt: skip
    assert journal.status_code == 303
    assert "hills" in client.get(journal.headers["location"]).text
    bad = client.post("/journal", data={"runner": "default", "date": day, "severity": "12"})
    assert bad.status_code == 400 and "severity" in bad.text


def test_a_refused_form_without_javascript_comes_back_filled_in(client: TestClient) -> None:
    bad = client.post("/checks/new", files=[("runs", ("run.gpx", TRACK.read_bytes()))],
                      data={"runner": "Anna", "runner.height_cm": "5000", "runner.age": "34", "symptom.kind": "pump",
                            "symptom.date": "2026-11-30", "substances.taken": ["creatine", "stimulant_preworkout"],
                            "units": "lb", "history.injuries.1.part": "ankle"})  # fmt: skip
    assert bad.status_code == 400 and "5000" in bad.text and "choose the files again" in bad.text
    page = bad.text
    assert 'id="runner" name="runner" value="Anna"' in page and 'name="runner.age" inputmode="decimal"' in page
    for shown in ('value="34"', 'value="5000"', 'value="pump" selected', 'value="2026-11-30"',
                  'value="creatine" checked', 'value="stimulant_preworkout" checked', 'value="lb" selected',
                  'value="ankle"'):  # fmt: skip
        assert shown in page, shown
    assert 'value="oral_anabolic_steroid" checked' not in page


def test_no_javascript_form_path(client: TestClient, settings: WebSettings) -> None:
    response = client.post("/checks/new", files=[("runs", ("run.gpx", TRACK.read_bytes()))],
                           data={"symptom.kind": "pump"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"].startswith("/checks/")
    bad = client.post("/checks/new", files=[("video", ("x.mp4", b"text"))])
    assert bad.status_code == 400 and "x.mp4 is not a video" in bad.text


def test_token_is_required_when_set(make_client) -> None:  # noqa: ANN001
    client = make_client(token="s3cret-token")
    assert client.get("/api/health").status_code == 401
    assert "needs a token" in client.get("/api/health").json()["detail"]
    assert client.get("/api/health", headers={"Authorization": "Bearer wrong-token"}).json()["detail"] == "wrong token"
    assert client.get("/api/health", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/api/health", headers={"X-Formcheck-Token": "s3cret-token"}).status_code == 200
    assert client.post("/api/checks", data={"symptom.kind": "pump"}).status_code == 401
    assert client.get("/openapi.json").status_code == 401
    page = client.get("/history", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fhistory"
    assert client.post("/login", data={"token": "nope", "next": "/history"}).status_code == 401
    login = client.post("/login", data={"token": "s3cret-token", "next": "https://evil.example/"}, follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/history").status_code == 200  # the cookie is kept by the client
    assert client.get("/api/health").status_code == 200


def test_openapi_schema_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/checks", "/api/checks/{job_id}", "/api/checks/{job_id}/findings", "/api/checks/{job_id}/events",
            "/api/health", "/api/journal", "/api/history", "/checks/{job_id}/report"} <= set(paths)
    assert "multipart/form-data" in paths["/api/checks"]["post"]["requestBody"]["content"]


def test_the_data_folder_is_private(client: TestClient, settings: WebSettings) -> None:
    for folder in (settings.data_dir, settings.jobs_dir, settings.incoming_dir):
        assert folder.stat().st_mode & 0o077 == 0, folder


def test_a_clip_analysed_again_with_another_height_is_one_point_in_the_trends(client: TestClient) -> None:
    """A batch re-run with another --height-cm keeps a row per settings (upserted by clip and settings);
    the history shows the clip once, with its latest numbers."""
    from formcheck.batch.results import save_analysis
    from formcheck.store.checks import VideoAnalysisRecord

    store = client.app.state.store  # type: ignore[attr-defined]
    for key, cadence in (("k|h=175", 166.0), ("k|h=180", 167.0)):
        summary = {"activity": "running", "metrics": {"cadence_spm": {"value": cadence}}}
        save_analysis(store, "Anna", VideoAnalysisRecord("a" * 64, key, "run.mp4", summary, dt.date(2026, 11, 2)))
    save_analysis(store, "Anna", VideoAnalysisRecord("b" * 64, "k|h=175", "later.mp4",
                                                     {"activity": "running", "metrics": {"cadence_spm": {"value": 170.0}}},
                                                     dt.date(2026, 11, 9)))  # fmt: skip
    points = client.get("/api/history", params={"runner": "Anna"}).json()["trends"]["cadence_spm"]
    assert [(p["video"], p["value"]) for p in points] == [("run.mp4", 167.0), ("later.mp4", 170.0)]
