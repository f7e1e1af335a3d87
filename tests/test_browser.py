"""The briefings in a real browser: Debian's chromium (``/usr/bin/chromium``, installed by
``make test`` with apt) driven by Playwright for Python. No browser is ever downloaded
(``playwright install`` is never run) and the pages fetch nothing.

A module fixture builds the default briefing (HTML) and a batch of two (``briefing batch
--recipients "Nigeria, Chad" --format html``) once, side by side; set ``BRIEFING_BROWSER_PAGES``
to a folder holding ``briefing.html`` and ``batch/index.html`` from earlier builds to reuse them.
Each page is then loaded at 1280 px and at 390 px (a phone) and checked: no horizontal page
scroll, ``lang`` set, alt text that states something, a data link after every chart whose file
exists, a skip link that moves the focus to the key findings, headings in order; and the batch
index's map links point at the briefings written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (1280, 390)
GENERIC_ALT = {"chart", "image", "figure", "graph", "map", "plot", "picture"}

pytestmark = pytest.mark.slow


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs the browser tests: {why}")
    pytest.skip(why)


def _briefing(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", *args, "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def built(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ``briefing.html`` (the default briefing) and ``batch/`` (Nigeria, Chad)."""
    reuse = os.environ.get("BRIEFING_BROWSER_PAGES")
    if reuse and (Path(reuse) / "briefing.html").is_file() and (Path(reuse) / "batch" / "index.html").is_file():
        return Path(reuse)
    out = tmp_path_factory.mktemp("browser-pages")
    jobs = [
        _briefing("build", "--format", "html", "--out", str(out)),
        _briefing("batch", "--recipients", "Nigeria, Chad", "--format", "html", "--workers", "1", "--out", str(out / "batch")),
    ]
    for job in jobs:
        _, err = job.communicate(timeout=1200)
        assert job.returncode == 0, err[-3000:]
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _pages(built: Path) -> list[Path]:
    return [built / "briefing.html", built / "batch" / "nigeria.html", built / "batch" / "chad.html"]


def _open(browser: object, path: Path, width: int) -> object:
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 500 else 844})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri(), wait_until="load")
    page.requests = requests  # what the page fetched beyond itself: nothing
    return page


def _local(page_path: Path, href: str) -> Path:
    return (page_path.parent / unquote(urlsplit(href).path)).resolve()


NO_PAGE_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"
WIDE = """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .filter(e => !e.closest('.table-scroll, .nb-html, svg')).slice(0, 5).map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("width", WIDTHS)
def test_briefings_at_desktop_and_phone_width(built: Path, browser: object, width: int) -> None:
    for path in _pages(built):
        page = _open(browser, path, width)
        try:
            where = f"{path.name} at {width} px"
            assert page.evaluate(NO_PAGE_SCROLL), f"{where}: page scrolls sideways ({page.evaluate(WIDE)})"
            assert page.evaluate("document.documentElement.lang") == "en"
            alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))")
            assert alts, f"{where}: no chart"
            for alt in alts:
                assert alt and len(alt) > 30 and alt.strip().lower() not in GENERIC_ALT, f"{where}: alt {alt!r}"
            # every chart figure ends with its data link, and the file is there
            links = page.eval_on_selector_all(
                "figure.chart",
                "els => els.map(f => { const a = f.querySelector('figcaption a.data-link');"
                " return a ? a.getAttribute('href') : null; })",
            )
            assert links and all(links), f"{where}: a chart without its data link"
            for href in links:
                assert _local(path, href).is_file(), f"{where}: {href} not written"
            # charts take the column's width (less a pixel), never more
            ratio = page.evaluate("""() => { const i = document.querySelector('figure.chart img');
                return i.getBoundingClientRect().width / i.closest('section').getBoundingClientRect().width; }""")
            assert 0.95 <= ratio <= 1.0, f"{where}: chart is {ratio:.0%} of the column"
            levels = page.eval_on_selector_all(
                "main h1, main h2, main h3, main h4, main h5, main h6", "els => els.map(e => +e.tagName[1])"
            )
            assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{where}: {levels}"
            assert page.requests == [], f"{where}: fetched {page.requests[:3]}"
        finally:
            page.close()


def test_the_skip_link_moves_the_focus_to_the_key_findings(built: Path, browser: object) -> None:
    page = _open(browser, built / "briefing.html", 390)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
        assert first == ["skip-link", "#key-findings"]
        box = page.locator("a.skip-link").bounding_box()
        assert box and box["y"] >= 0 and box["x"] + box["width"] <= 390  # seen once focused
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#key-findings"
        assert page.evaluate("document.activeElement.id") == "key-findings"
        top = page.evaluate("document.getElementById('key-findings').getBoundingClientRect().top")
        assert abs(top) < 5
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_batch_index_map_links_to_the_briefings(built: Path, browser: object, width: int) -> None:
    index = built / "batch" / "index.html"
    page = _open(browser, index, width)
    try:
        assert page.evaluate(NO_PAGE_SCROLL), f"index at {width} px scrolls sideways ({page.evaluate(WIDE)})"
        assert page.evaluate("document.documentElement.lang") == "en"
        states = page.eval_on_selector_all(
            "svg.site-map a.state",
            "els => els.map(a => [a.getAttribute('href'), a.querySelector('title').textContent,"
            " a.querySelector('path').getAttribute('fill')])",
        )
        assert sorted(h for h, _, _ in states) == ["chad.html", "nigeria.html"]
        for href, title, fill in states:
            assert _local(index, href).is_file()
            assert title.startswith(("Chad: main supplier ", "Nigeria: main supplier ")) and fill.startswith("#")
        # the map is on screen at the column's width, above the table
        svg = page.locator("svg.site-map").bounding_box()
        table = page.locator("table.batch").bounding_box()
        assert svg and table and svg["width"] >= min(width - 40, 400) and svg["y"] < table["y"]
        # the map's link opens the briefing
        page.locator('svg.site-map a.state[href="chad.html"]').click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/chad.html")
        assert page.requests == []
    finally:
        page.close()


def test_screenshots_for_a_look(built: Path, browser: object, tmp_path: Path) -> None:
    """Screenshots at both widths (set ``BRIEFING_SCREENSHOTS`` to keep them in a folder)."""
    folder = Path(os.environ.get("BRIEFING_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for path in [*_pages(built)[:1], built / "batch" / "index.html"]:
        for width in WIDTHS:
            page = _open(browser, path, width)
            try:
                shot = folder / f"{path.parent.name}-{path.stem}-{width}.png"
                page.screenshot(path=str(shot))
                assert shot.stat().st_size > 10_000
            finally:
                page.close()
    if folder == tmp_path:
        shutil.rmtree(folder, ignore_errors=True)
