"""The rendered reports in a real headless Chromium: they load, images decode, nothing leaves the machine."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from analysis import paths
from analysis.publish import config as build_config
from analysis.publish.render import index_name
from analysis.publish.traced import count_page
from conftest import probe_fonts

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags that keep Chromium from phoning home on start (update checks, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pages() -> list[Path]:
    entries = build_config.load_config()
    indexes = [paths.REPORTS / index_name(lang) for lang in sorted({e.lang for e in entries})]
    return [*indexes, *(e.html for e in entries), *(e.code_html for e in entries)]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


MARK_CHINESE_TEXT = """() => {
  const cjk = /[\u3400-\u9fff]/;
  let count = 0;
  for (const element of document.querySelectorAll('body *')) {
    const own = Array.from(element.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('');
    if (cjk.test(own) && count < 40) { element.setAttribute('data-cjk-probe', String(count)); count++; }
  }
  return count;
}"""


def chinese_drawn_with_the_embedded_font(page) -> list[str]:
    """Elements with Chinese text that Chromium draws with no web font (tofu on a machine without CJK)."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # provenance too
    # Let Chromium lay out what opening the blocks revealed (two frames, fonts settled) before asking
    # which fonts drew it: on a busy machine the probe otherwise saw nodes with no glyphs drawn yet.
    page.evaluate(
        "() => document.fonts.ready.then(() => new Promise(done => "
        "requestAnimationFrame(() => requestAnimationFrame(done))))"
    )
    probes = page.evaluate(MARK_CHINESE_TEXT)
    failures = []
    for probe, fonts in enumerate(probe_fonts(page, probes)):
        if not any(font["isCustomFont"] for font in fonts):
            failures.append(f"probe {probe}: {[font['familyName'] for font in fonts]}")
    return failures


@dataclass
class OpenedPage:
    page: Any
    requests: list[str]
    console_errors: list[str]


@pytest.fixture(scope="module")
def open_page(browser):
    """Each page loaded once per worker and read by every test about it (a load costs about a second)."""
    opened: dict[Path, OpenedPage] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # file pages share no state worth isolating

    def load(page_path: Path) -> OpenedPage:
        if page_path not in opened:
            assert page_path.is_file(), f"{page_path} was not built (run make reports)"
            page = context.new_page()
            loaded = OpenedPage(page, [], [])
            page.on("request", lambda request: loaded.requests.append(request.url))
            page.on(
                "console",
                lambda message: loaded.console_errors.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: loaded.console_errors.append(str(error)))
            response = page.goto(page_path.as_uri(), wait_until="load")
            assert response is None or response.ok
            opened[page_path] = loaded
        return opened[page_path]

    yield load
    context.close()


@pytest.mark.parametrize("page_path", pages(), ids=lambda p: p.name)
def test_page_loads_offline_with_every_image_decoded(open_page, page_path):
    loaded = open_page(page_path)
    page = loaded.page
    # The embedded Chinese font loads asynchronously; every face on the page must finish loading.
    statuses = page.evaluate("document.fonts.ready.then(fonts => Array.from(fonts).map(f => f.status))")
    assert all(status == "loaded" for status in statuses), statuses
    remote = [url for url in loaded.requests if not url.startswith(("file://", "data:"))]
    assert remote == [], f"requests left the machine: {remote}"
    assert loaded.console_errors == []
    assert chinese_drawn_with_the_embedded_font(page) == []
    images = page.evaluate(
        "Array.from(document.images).map(i => [i.src.slice(0, 60), i.complete && i.naturalWidth > 0])"
    )
    assert images, "no image on the page"
    assert all(ok for _, ok in images), [src for src, ok in images if not ok]
    screenshots = paths.BUILD / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / f"{page_path.stem}.png"), full_page=False)


def report_pages() -> list[Path]:
    return [e.html for e in build_config.load_config()]


def entry_of(page_path: Path):
    return next(e for e in build_config.load_config() if e.html == page_path)


@pytest.mark.parametrize("page_path", report_pages(), ids=lambda p: p.name)
def test_key_numbers_show_the_figures_their_results_name(open_page, page_path):
    entry = entry_of(page_path)
    results = json.loads(entry.results.read_text(encoding="utf-8"))
    rows = open_page(page_path).page.query_selector_all("table.key-numbers tbody tr")
    assert len(rows) == len(results["key_numbers"]), entry.name
    for row, number in zip(rows, results["key_numbers"]):
        assert row.query_selector("td.value").inner_text().strip() == number["display"]
        shown = {code.text_content() for code in row.query_selector_all("details.provenance code")}
        assert shown == set(number["figure_ids"]), (entry.name, number["key"])


CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("page_path", report_pages(), ids=lambda p: p.name)
def test_each_page_links_its_other_language_and_is_written_in_its_own(open_page, page_path):
    entry = entry_of(page_path)
    page = open_page(page_path).page
    assert page.evaluate("document.documentElement.lang") == entry.lang, entry.name
    findings = page.locator("ul.findings > li").all_inner_texts()
    headings = page.locator("h1, h2").all_inner_texts()
    assert findings and headings, entry.name
    if entry.lang == "zh":  # the narrative and every finding in Chinese
        assert all(CJK.search(text) for text in findings + headings), (entry.name, findings, headings)
    else:  # English, quoting a printed Chinese term at most (返贫)
        assert all(re.search(r"[A-Za-z]{3}", text) for text in findings + headings), (entry.name, headings)
    for lang, name in entry.translations:
        other = paths.REPORT_HTML / f"{name}.html"
        link = page.locator(f"nav.report-nav a.translation[hreflang='{lang}']")
        assert link.count() == 1, (entry.name, lang)
        assert link.evaluate("a => a.href") == other.as_uri()  # where a click goes (the index test clicks)
        back = open_page(other).page
        assert back.evaluate("document.documentElement.lang") == lang
        assert (
            back.locator(f"nav.report-nav a.translation[hreflang='{entry.lang}']").get_attribute("href")
            == f"{entry.name}.html"
        )


@pytest.mark.parametrize("page_path", report_pages(), ids=lambda p: p.name)
def test_a_region_page_links_its_topics_comparison_in_its_language(open_page, page_path):
    from analysis.publish.config import COMPARISON_NOTEBOOK

    entry = entry_of(page_path)
    link = open_page(page_path).page.locator("nav.report-nav a.comparison")
    if "region" not in entry.parameters or entry.notebook == COMPARISON_NOTEBOOK:
        assert link.count() == 0, entry.name
        return
    assert link.count() == 1, entry.name
    target = Path(unquote(link.evaluate("a => a.href").removeprefix("file://")))
    compared = entry_of(target)
    assert compared.notebook == COMPARISON_NOTEBOOK and compared.lang == entry.lang
    assert compared.reads[0] == entry.reads[0]  # the topic's table: the same region's rows, beside the others'
    assert open_page(target).page.evaluate("document.documentElement.lang") == entry.lang


def test_the_index_of_each_language_links_the_other(browser):
    page = browser.new_context().new_page()
    page.goto((paths.REPORTS / "index.html").as_uri(), wait_until="load")
    page.locator("a.translation[hreflang='zh']").first.click()
    assert page.url.endswith("/index.zh.html")
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert CJK.search(page.locator("h1").inner_text())
    titles = page.locator("section.report h2 a").all_inner_texts()
    assert titles and all(CJK.search(t) for t in titles), titles
    page.context.close()


def test_every_finding_key_number_and_caption_carries_provenance():
    """Counted on the rendered pages (analysis.publish.traced): tables are reported by the count, not required."""
    for entry in build_config.load_config():
        counts = {c.kind: c for c in count_page(entry.html.read_text(encoding="utf-8"))}
        for kind in ("finding", "key number", "caption"):
            assert counts[kind].traced == counts[kind].total, (entry.name, counts[kind])
        assert counts["finding"].total and counts["key number"].total, entry.name


@pytest.mark.parametrize("name", ["poverty_exit_beijing", "poverty_exit_beijing_zh"])
def test_screenshot_a_provenance_block_open_in_each_language(browser, name):
    """build/screenshots/<name>_provenance.png: a key number's and a figure's provenance opened, for the note."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto((paths.REPORT_HTML / f"{name}.html").as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready")
    first = page.locator("table.key-numbers details.provenance").first
    first.locator("summary").click()
    assert first.locator("li code").count() >= 1 and first.locator("li code").first.is_visible()
    first.scroll_into_view_if_needed()
    (paths.BUILD / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(paths.BUILD / "screenshots" / f"{name}_key_number_provenance.png"))
    block = page.locator("details.sources-processing").first
    block.locator("summary").click()
    block.scroll_into_view_if_needed()
    assert block.locator("li").count() >= 1
    page.screenshot(path=str(paths.BUILD / "screenshots" / f"{name}_sources_and_processing.png"))
    page.context.close()


def test_the_changes_page_draws_both_languages_offline(browser, tmp_path):
    """A changes page (as `make diff` writes it) for a reference whose key numbers differ in one report per language."""
    from analysis.publish import diff

    reference = tmp_path / "reference"
    shutil.copytree(paths.REPORT_RESULTS, reference / "reports/results")
    shutil.copytree(paths.REPORT_FIGURES, reference / "reports/figures")
    for name in ("poverty_exit_beijing", "poverty_exit_beijing_zh"):
        path = reference / "reports/results" / f"{name}.json"
        results = json.loads(path.read_text(encoding="utf-8"))
        results["key_numbers"][0].update(value=0.5, display="1/2 = 50.0%")
        path.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    first = json.loads((paths.REPORT_RESULTS / "poverty_exit_beijing_zh.json").read_text(encoding="utf-8"))[
        "key_numbers"
    ][0]
    edited = first["figure_ids"][0]
    raw = [diff.RawChange("figures.csv", edited, "edited", {"value": ("1", "2")})]
    reports = diff.report_changes(reference, paths.ROOT, raw)
    assert {r["report"] for r in reports} == {"poverty_exit_beijing", "poverty_exit_beijing_zh"}
    page_path = tmp_path / "changes.html"
    page_path.write_text(diff.html("HEAD", "0" * 40, raw, reports), encoding="utf-8")
    page = browser.new_context().new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready")
    assert [url for url in requests if not url.startswith(("file://", "data:"))] == []
    rows = page.locator("table tr td:first-child").all_inner_texts()
    assert first["label"] in rows and any(not CJK.search(r) for r in rows)
    assert page.locator(f"text={edited}").count() >= 2  # the raw row, and the numbers it caused
    assert chinese_drawn_with_the_embedded_font(page) == []
    page.screenshot(path=str(paths.BUILD / "screenshots" / "changes_both_languages.png"), full_page=True)
    page.context.close()
