"""`make lab` in headless Chromium: a notebook opens unmodified, runs clean, draws Chinese with the bundled face
and picks up helper edits without a kernel restart."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.environment import KERNEL_NAME
from analysis.publish.lab import FONT_FAMILY
from conftest import ROOT, copy_repository, probe_fonts
from test_lab import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOTEBOOK = "notebooks/01_poverty_exit.ipynb"
TOKEN = "policy-research-desk"
HELPER = "src/analysis/topics/poverty.py"
PROBE = '\n\ndef desk_probe() -> str:\n    """Test probe."""\n    return "{}"\n'
SCREENSHOTS = ROOT / "build" / "screenshots"

MARK_VISIBLE_CHINESE = """() => {
  const cjk = /[\u3400-\u9fff]/;
  const markdown = [];
  for (const element of document.querySelectorAll('.jp-Notebook *')) {
    const own = Array.from(element.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('');
    const box = element.getBoundingClientRect();
    const visible = box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
    if (cjk.test(own) && visible && markdown.length < 40) {
      element.setAttribute('data-cjk-probe', String(markdown.length));
      markdown.push(!!element.closest('.jp-MarkdownCell'));
    }
  }
  return markdown;
}"""


def wait_for(condition, what: str, seconds: float = 120):
    """Poll `condition` until it returns something truthy; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)
    return result


def serving(base: str, lab: subprocess.Popen) -> bool:
    """Whether JupyterLab answers; fails at once if `make lab` died."""
    try:
        with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
            return True
    except OSError:
        assert lab.poll() is None, lab.stderr.read().decode()[-2000:]
        return False


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of the repository with its notebooks normalised and a probe function in a helper module."""
    repo = copy_repository(tmp_path_factory.mktemp("desk") / "repo")
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "analysis.publish.notebooks", "normalise"], cwd=repo, env=env, check=True
    )
    with (repo / HELPER).open("a", encoding="utf-8") as helper:
        helper.write(PROBE.format("before the edit"))
    return repo


@pytest.fixture(scope="module")
def lab_url(scratch):
    """`make lab` serving the scratch copy on a free port with a token."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium when run as root)")
    pytest.importorskip("playwright", reason="Playwright is not installed in .venv")
    port = free_port()
    args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN}"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    lab = subprocess.Popen(
        ["make", "--no-print-directory", f"VENV={ROOT / '.venv'}", "lab", f"LAB_ARGS={args}"],
        cwd=scratch,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: serving(base, lab), "JupyterLab to start", 90)
        yield base
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)


@pytest.fixture(scope="module")
def page(lab_url):
    """The notebook open in Lab (fresh workspace) with its kernel connected and idle."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(f"{lab_url}/lab/tree/{NOTEBOOK}?token={TOKEN}&reset")
        tab.wait_for_selector(".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown", timeout=90_000)
        wait_for(lambda: "| Idle" in tab.inner_text(".jp-StatusBar-Widget"), "the kernel to be idle")
        time.sleep(2)  # the kernel_info reply updates the notebook's metadata just after connecting
        yield tab
        browser.close()


def notebook_tab_classes(page) -> str:
    """Classes of the notebook's document tab."""
    return page.locator(".lm-TabBar-tab", has_text=Path(NOTEBOOK).name).first.get_attribute("class")


def save(page, path: Path) -> None:
    """Save the open notebook with Ctrl+S and wait until the file is rewritten."""
    before = path.stat().st_mtime_ns
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    wait_for(lambda: path.stat().st_mtime_ns != before, "the notebook to be saved", 30)
    time.sleep(0.5)


def chinese_fonts(page) -> list[tuple[bool, list[str], list[str]]]:
    """For each visible element with Chinese text: in a markdown cell?, its web fonts, all its platform fonts."""
    markdown = page.evaluate(MARK_VISIBLE_CHINESE)
    found = []
    for in_markdown, fonts in zip(markdown, probe_fonts(page, len(markdown))):
        found.append(
            (in_markdown, [f["familyName"] for f in fonts if f["isCustomFont"]], [f["familyName"] for f in fonts])
        )
    return found


def run_all(page) -> None:
    """Run every cell from the Run menu and wait until the kernel is idle with every cell counted."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        wait_for(
            lambda: "| Idle" in page.inner_text(".jp-StatusBar-Widget") and not pending_cells(page),
            "every cell to finish",
            300,
        )
    except AssertionError:
        page.screenshot(path=str(SCREENSHOTS / "lab_run_all_timeout.png"))
        raise AssertionError(f"cells still pending: {pending_cells(page)}") from None


def pending_cells(page) -> list[str]:
    """Prompts of cells still queued or running, or ['last'] while the last code cell has not run.

    Lab renders only the cells near the viewport, so prompts further away read as empty.
    """
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    running = [p for p in prompts.all_inner_texts() if "*" in p]
    return running or ([] if any(ch.isdigit() for ch in prompts.last.inner_text()) else ["last"])


def run_new_cell(page, code: str) -> str:
    """Run `code` in the last cell (added once below the notebook) and return its output text."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    if "desk_probe" not in cells.last.inner_text():
        cells.last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type(code)
    else:
        cells.last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    wait_for(lambda: "| Idle" in page.inner_text(".jp-StatusBar-Widget") and not pending_cells(page), "the cell", 60)
    return cells.last.locator(".jp-OutputArea-output").inner_text()


def test_notebook_opens_unmodified_and_saves_byte_identical(page, scratch):
    path = scratch / NOTEBOOK
    committed = path.read_text(encoding="utf-8")
    assert "jp-mod-dirty" not in notebook_tab_classes(page)
    save(page, path)
    assert path.read_text(encoding="utf-8") == committed


def test_no_news_prompt(page):
    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert page.locator(".jp-Notification-Toast", has_text="news").count() == 0


def test_runs_clean_on_the_project_kernel_and_draws_chinese_with_the_bundled_face(page, scratch):
    assert f"Python 3.11 ({KERNEL_NAME})" in page.inner_text(".jp-NotebookPanel-toolbar")
    run_all(page)
    save(page, scratch / NOTEBOOK)
    saved = json.loads((scratch / NOTEBOOK).read_text(encoding="utf-8"))
    errors = [o for c in saved["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == []
    page.locator(".jp-Notebook").first.evaluate("n => n.scrollTop = 0")
    page.locator(".jp-Notebook .jp-Cell").first.click()
    time.sleep(1)
    assert page.locator(".jp-OutputArea-output table").first.is_visible()  # the screenshot shows a table
    page.screenshot(path=str(SCREENSHOTS / "lab_01_poverty_exit.png"))
    drawn = chinese_fonts(page)
    assert any(markdown for markdown, _, _ in drawn), "no Chinese markdown visible"
    assert [fonts for _, web, fonts in drawn if not any("Noto Sans SC" in f for f in web)] == [], FONT_FAMILY


def test_helper_edit_shows_on_the_next_run_without_restart(page, scratch):
    assert run_new_cell(page, "print(poverty.desk_probe())").strip() == "before the edit"
    helper = scratch / HELPER
    helper.write_text(helper.read_text(encoding="utf-8").replace("before the edit", "after the edit"), encoding="utf-8")
    later = time.time() + 2
    os.utime(helper, (later, later))  # autoreload compares modification times
    assert run_new_cell(page, "print(poverty.desk_probe())").strip() == "after the edit"
