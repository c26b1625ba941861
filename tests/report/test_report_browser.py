"""report.html in a real browser: every section renders, no console error, no network, screenshots.

Headless Debian Chromium driven by Selenium (never a downloaded browser).
The page is opened from a ``file://`` URL; every picture must come from a
``data:`` URI, so the browser's network log may hold the page itself and
nothing else.  Screenshots (1280 px desktop, 390 px phone, full page height)
go to the test's tmp folder and, when ``FORMCHECK_SCREENSHOTS=dir`` is set,
there too, cut to the top of the page for committing (``docs/report_desktop.png``, ``docs/report_phone.png``).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from report_builders import demo_answers, make_meta, make_result
from formcheck.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SECTIONS = ("red-flags", "answer", "causes", "other-causes", "not-assessed", "keyframes", "plots", "run-plot", "calendar",
            "plan", "journal", "methods", "inputs", "disclaimer")  # fmt: skip
WIDTHS = {"desktop": 1280, "phone": 390}
DOCS_MAX_BYTES = 400_000

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()), reason="Debian chromium/chromedriver not installed")


@pytest.fixture(scope="module")
def driver(tmp_path_factory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory, real_inputs, real_video) -> dict[str, Path]:
    """Two pages: constructed findings with red flags, and the real engine on the real clip, run and lifts."""
    from dataclasses import replace

    from formcheck.findings.engine import assess

    out: dict[str, Path] = {}
    engine_inputs = replace(real_inputs, answers=demo_answers())
    for kind, result, inputs in (("red_flags", make_result(), real_inputs), ("engine", assess(engine_inputs), engine_inputs)):
        folder = tmp_path_factory.mktemp(f"browser-{kind}")
        write_report(folder, result, inputs, [real_video], make_meta())
        out[kind] = folder / "report.html"
        print(f"report.html ({kind}) on the real clip and run: {out[kind].stat().st_size / 1e6:.2f} MB")
    return out


def _open(driver, path: Path, width: int) -> None:
    driver.set_window_size(width, 1000)
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get(path.as_uri())


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _shrink_for_docs(png: bytes, target: Path) -> None:
    """The top of the page, full width, palette PNG: as much of the page as fits in DOCS_MAX_BYTES.

    A whole report (13,000 px tall on a desktop) does not fit in 400 KB at a
    legible scale, and a README reader looks at the top (red flags, the answer,
    the causes) anyway; the full-height screenshots stay in the test's folder.
    """
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = image.height
    while True:
        part = image.crop((0, 0, image.width, height)).quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        part.save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= DOCS_MAX_BYTES or height <= 800:
            target.write_bytes(buffer.getvalue())
            return
        height = int(height * 0.9)


@pytest.mark.parametrize("kind", ["red_flags", "engine"])
@pytest.mark.parametrize("view", list(WIDTHS))
def test_report_renders_in_chromium(driver, reports: dict[str, Path], tmp_path: Path, view: str, kind: str) -> None:
    from selenium.webdriver.common.by import By

    report, width = reports[kind], WIDTHS[view]
    _open(driver, report, width)

    for section in SECTIONS:
        element = driver.find_element(By.ID, section)
        assert element.is_displayed() and element.size["height"] > 0, section
    # red flags come before any cause in the page
    assert driver.execute_script(
        "return !!(document.getElementById('red-flags').compareDocumentPosition(document.querySelector('[id^=cause-]'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    if kind == "red_flags":
        assert "see a doctor today" in driver.find_element(By.ID, "red-flags").text.lower()
    # every picture loaded, from a data: URI
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc.slice(0, 30), i.complete, i.naturalWidth])"
    )
    assert len(images) >= 4
    assert all(src.startswith("data:image/") and done and w > 0 for src, done, w in images), images
    # nothing but the page itself was requested
    requests = _requests(driver)
    assert requests and all(url == report.as_uri() or url.startswith("data:") for url in requests), requests
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith("data:") for name in resources), resources
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    # no sideways scrolling on a phone
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width + 1
    # the key frames stay legible on a phone (about 4-px labels when shrunk to fit): they pan inside their own box
    frames = driver.execute_script("const i = document.querySelector('figure.photo .pan img'); const b = i.parentElement;"
                                   " return [i.getBoundingClientRect().width, b.clientWidth, b.scrollWidth];")
    if width < 700:
        assert frames[0] >= 700 and frames[2] > frames[1], frames
    else:
        assert frames[0] <= frames[1] + 1, frames

    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, height)
    png = driver.get_screenshot_as_png()
    shot = tmp_path / f"report_{view}.png"
    shot.write_bytes(png)
    print(f"{kind} {view} screenshot: {shot} ({width} x {height} px)")
    target_dir = os.environ.get("FORMCHECK_SCREENSHOTS")
    if target_dir and kind == "engine":  # the docs show what the real engine says on real data
        target = Path(target_dir)
        target.mkdir(parents=True, exist_ok=True)
        _shrink_for_docs(png, target / f"report_{view}.png")
