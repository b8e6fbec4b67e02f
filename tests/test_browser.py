"""The rendered reports in a real headless Chromium: they load, images decode, nothing leaves the machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import build, paths

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags that keep Chromium from phoning home on start (update checks, sync, field trials).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pages() -> list[Path]:
    entries = build.load_config()
    return [paths.REPORT_INDEX, *(e.html for e in entries), *(e.code_html for e in entries)]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("page_path", pages(), ids=lambda p: p.name)
def test_page_loads_offline_with_every_image_decoded(browser, page_path, tmp_path):
    assert page_path.is_file(), f"{page_path} was not built (run make reports)"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, console_errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    response = page.goto(page_path.as_uri(), wait_until="load")
    assert response is None or response.ok
    remote = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert remote == [], f"requests left the machine: {remote}"
    assert console_errors == []
    images = page.evaluate("Array.from(document.images).map(i => [i.src.slice(0, 60), i.complete && i.naturalWidth > 0])")
    assert images, "no image on the page"
    assert all(ok for _, ok in images), [src for src, ok in images if not ok]
    screenshots = paths.BUILD / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / f"{page_path.stem}.png"), full_page=False)
    context.close()
