"""End to end in a real browser: Debian's headless Chromium uploads a clip and a track, watches, reads the report.

Never downloads a browser: Selenium is pointed at /usr/bin/chromium and
/usr/bin/chromedriver (skipped when they are missing).  Screenshots of each
page go to the test's folder, or to $FORMCHECK_WEB_SCREENSHOTS (the README's
``docs/web_*.png`` are made with ``FORMCHECK_WEB_SCREENSHOTS=docs``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_support import REPO, SHORT_CLIP, TRACK

pytestmark = pytest.mark.slow
CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1100,900"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _shoot(driver, name: str, folder: Path, width: int = 1100, max_height: int = 4000) -> None:  # noqa: ANN001
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + 90, 600), max_height))
    driver.save_screenshot(str(folder / f"web_{name}.png"))
    driver.set_window_size(1100, 900)


def _console_errors(driver) -> list[str]:  # noqa: ANN001
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_upload_watch_and_read_the_report_in_chromium(browser, server_factory, tmp_path: Path) -> None:  # noqa: ANN001
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import Select, WebDriverWait

    shots = Path(os.environ.get("FORMCHECK_WEB_SCREENSHOTS") or tmp_path / "shots")
    shots = shots if shots.is_absolute() else REPO / shots
    shots.mkdir(parents=True, exist_ok=True)
    server = server_factory(env={"FORMCHECK_CACHE_DIR": str(REPO / ".cache")}).start()
    driver = browser
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()

    for days, severity in ((9, 2), (6, 0), (4, 5)):  # earlier runs, so the history has pumps to plot
        earlier = (dt.date.today() - dt.timedelta(days=days)).isoformat()
        httpx.post(f"{server.url}/api/journal", json={"date": earlier, "severity": severity}, timeout=10)
    driver.get(f"{server.url}/journal")  # today's run through the form
    driver.find_element(By.ID, "date").send_keys(dt.date.fromisoformat(day).strftime("%m%d%Y"))
    driver.execute_script("var s = document.getElementById('severity'); s.value = 7; s.oninput();")
    driver.find_element(By.NAME, "walked").click()
    driver.find_element(By.ID, "note").send_keys("deadlifts two days before; hilly loop")
    driver.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(driver, 20).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".alert.ok")))
    _shoot(driver, "journal", shots)

    driver.get(f"{server.url}/")
    driver.find_element(By.ID, "video").send_keys(str(SHORT_CLIP))
    driver.find_element(By.ID, "runs").send_keys(str(TRACK))
    Select(driver.find_element(By.ID, "symptom.kind")).select_by_value("pump")
    Select(driver.find_element(By.ID, "symptom.where")).select_by_value("lower_back")
    Select(driver.find_element(By.ID, "symptom.forced_walk")).select_by_value("yes")
    driver.find_element(By.ID, "runner.height_cm").send_keys("178")
    driver.find_element(By.ID, "runner.age").send_keys("34")
    _shoot(driver, "new_check", shots)
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 60).until(seen.url_contains("/checks/"))
    job_url = driver.current_url
    driver.back()  # the form again, as the browser kept it: it must be usable, not "Uploading… 100%" for ever
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(
        "var b = document.getElementById('submit'); return !!b && document.readyState === 'complete';"))
    assert driver.execute_script("return document.getElementById('submit').disabled") is False
    assert driver.execute_script("return document.getElementById('sending').hidden") is True
    driver.get(job_url)
    # The job page reloads itself when the job ends, so every wait reads the DOM in one script call
    # (no element handle survives a reload) and ignores a handle that went stale in between.
    patient = {"ignored_exceptions": (StaleElementReferenceException, NoSuchElementException)}
    WebDriverWait(driver, 120, **patient).until(
        lambda d: d.execute_script(
            "var p = document.getElementById('pill'), t = document.getElementById('detail'),"
            " b = document.getElementById('bar');"
            " return !!p && (p.textContent.trim() === 'done' || (t && t.textContent.indexOf('frame') >= 0)"
            " || (b && parseFloat(getComputedStyle(b).width) > 0));"))
    driver.set_window_size(420, 900)  # the job page as a phone shows it, while it works
    driver.save_screenshot(str(shots / "web_job_running_phone.png"))
    driver.set_window_size(1100, 900)
    # data-status is rendered by the server, so it reads "done" only on the page reloaded after the job ended.
    WebDriverWait(driver, 300, **patient).until(lambda d: d.execute_script(
        "var b = document.getElementById('status'); return b ? b.dataset.status : '';") in ("done", "failed"))
    WebDriverWait(driver, 30, **patient).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
        and d.find_element(By.ID, "report").is_displayed())
    assert driver.find_element(By.ID, "pill").text == "done"
    _shoot(driver, "job_done", shots)
    assert not _console_errors(driver), _console_errors(driver)

    driver.find_element(By.ID, "report").click()
    WebDriverWait(driver, 30).until(seen.url_contains("/report"))
    assert "formcheck" in driver.page_source.lower()
    _shoot(driver, "report", shots, width=1000, max_height=2600)
    report_errors = _console_errors(driver)

    driver.get(f"{server.url}/history")
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".plot svg")))
    assert len(driver.find_elements(By.CSS_SELECTOR, ".plot svg")) >= 2  # a clip measure and the pumps
    assert job_url.rsplit("/", 1)[1] in driver.page_source
    _shoot(driver, "history", shots)
    driver.set_window_size(390, 900)  # a phone: nothing runs off the side of the page
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    driver.set_window_size(1100, 900)
    assert not _console_errors(driver) and not report_errors, report_errors
    if shots != tmp_path / "shots":
        shutil.rmtree(tmp_path / "shots", ignore_errors=True)
