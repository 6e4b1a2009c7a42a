"""The built book as a reader gets it: every page opened from file:// in headless Chromium, offline.

Run by ``scripts/test`` after the book is built (``VPT_BROWSER_TEST=1``; the
browser and its driver from ``CHROMIUM`` and ``CHROMEDRIVER``). Every network
host is unresolvable inside the browser, so a page that needs a CDN fails here.
One full-page screenshot per page goes to ``_build/screenshots/``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import vpt

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("VPT_BOOK_HTML", ROOT / "_build" / "html"))
SHOTS = ROOT / "_build" / "screenshots"

#: The pages of the book, in the order of _toc.yml.
PAGES = re.findall(r"(?:root|file):\s*(\S+)", (ROOT / "_toc.yml").read_text())

#: Pages whose notebook ends in a verdict table (read from the sources, not listed by hand).
VERDICT_PAGES = [
    p for p in PAGES if (ROOT / f"{p}.ipynb").exists() and "verdict_table(" in (ROOT / f"{p}.ipynb").read_text()
]

# Text a page must not show once MathJax is done: TeX delimiters and commands, Markdown table rules.
RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\)|\\\[|\\\]|\\(?:frac|mathcal|sum|left|right|varepsilon|epsilon|Delta|le|ge|log|max|min|cdot)\b"
    r"|(?<![\w\\])\$[^$\s][^$\n]{0,120}?[^$\s\\]\$"
)
RAW_TABLE = re.compile(r"\|\s*:?-{3,}:?\s*\|")

# Runs in the page: visible text outside code, scripts and typeset math.
VISIBLE_TEXT_JS = """
const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'MJX-CONTAINER', 'NOSCRIPT']);
const out = [];
const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  let el = node.parentElement, hidden = false;
  while (el) {
    if (skip.has(el.tagName) || el.classList.contains('highlight')) { hidden = true; break; }
    el = el.parentElement;
  }
  if (!hidden && node.textContent.trim()) out.push(node.textContent);
}
return out.join('\\n');
"""

WAIT_FOR_MATHJAX_JS = """
const done = arguments[arguments.length - 1];
const start = Date.now();
if (!Array.from(document.scripts).some(s => /mathjax/i.test(s.src))) { done('no MathJax on the page'); return; }
(function poll() {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done('typeset'), (e) => done('error: ' + e));
  } else if (Date.now() - start > 15000) {
    done(document.querySelector('.math') ? 'MathJax never started' : 'no math');
  } else { setTimeout(poll, 50); }
})();
"""

IMAGES_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
imgs.forEach(i => { i.loading = 'eager'; });
Promise.all(imgs.map(i => i.decode().then(() => [i.getAttribute('src'), i.naturalWidth],
                                           () => [i.getAttribute('src'), 0]))).then(done);
"""

MATH_JS = """
const maths = Array.from(document.querySelectorAll('main .math'));
return {
  math: maths.length,
  untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
  errors: Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
    .map(e => e.getAttribute('data-mjx-error') || e.textContent),
  mathjax_src: Array.from(document.scripts).map(s => s.src).filter(s => /mathjax/i.test(s)),
};
"""


TABLE_HEADERS_JS = """
return Array.from(document.querySelectorAll('main table'))
  .map(t => Array.from(t.querySelectorAll('th')).map(h => h.textContent.trim()));
"""


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = os.environ.get("CHROMIUM"), os.environ.get("CHROMEDRIVER")
    if not (chromium and chromedriver):
        pytest.fail("CHROMIUM and CHROMEDRIVER must name the browser and its driver (scripts/test sets them)")
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book at {HTML}: build it first (scripts/test does)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="vpt-chromium-")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
        # offline: no host resolves, so anything fetched from the network fails
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_script_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _open(driver, page: str, query: str = "") -> str:
    url = (HTML / f"{page}.html").as_uri() + query
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(url)
    return driver.execute_async_script(WAIT_FOR_MATHJAX_JS)


def _network_requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")):
                urls.append(url)
    return urls


def _screenshot(driver, page: str) -> None:
    import base64

    # the whole page at a laptop's width, laid out in one tall viewport from the top
    height = driver.execute_script(
        "window.scrollTo(0, 0); return Math.min(document.documentElement.scrollHeight, 30000)"
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}
    )
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    (SHOTS / f"{page.replace('/', '-')}.png").write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline_with_math_tables_images_and_verdict_table(browser, page):
    problems = []
    state = _open(browser, page)
    math = browser.execute_script(MATH_JS)
    if (math["math"] or math["mathjax_src"]) and state != "typeset":
        problems.append(f"MathJax: {state}")
    if math["math"] and not all(src.startswith("file:") for src in math["mathjax_src"]):
        problems.append(f"MathJax is not served from the build: {math['mathjax_src']}")
    problems += [f"math left untypeset: {m!r}" for m in math["untypeset"]]
    problems += [f"MathJax error: {e!r}" for e in math["errors"]]
    text = browser.execute_script(VISIBLE_TEXT_JS)
    problems += [f"raw TeX in the text: {m.group(0)!r}" for m in RAW_TEX.finditer(text)]
    problems += [f"raw Markdown table in the text: {m.group(0)!r}" for m in RAW_TABLE.finditer(text)]
    for src, width in browser.execute_async_script(IMAGES_JS):
        if not width:
            problems.append(f"image not loaded: {src}")
    problems += [f"console: {e['message']}" for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    problems += [f"network request: {u}" for u in _network_requests(browser)]
    if page in VERDICT_PAGES:
        headers = browser.execute_script(TABLE_HEADERS_JS)
        if ["paper says", "we find", "verdict"] not in headers:
            problems.append(f"the chapter's verdict table is not an HTML <table>; table headers: {headers}")
    if f"Built with vpt {vpt.__version__}." not in text:
        problems.append(f"the footer does not name vpt {vpt.__version__} (scripts/sphinx_tidy.py)")
    _screenshot(browser, page)
    assert not problems, f"{page}.html:\n  " + "\n  ".join(problems)


def test_search_works_offline(browser):
    _open(browser, "search", "?q=Theorem")
    found = browser.execute_async_script("""
        const done = arguments[arguments.length - 1], start = Date.now();
        (function poll() {
          const hits = document.querySelectorAll('#search-results li');
          if (hits.length || Date.now() - start > 15000) done(Array.from(hits).map(h => h.textContent.slice(0, 60)));
          else setTimeout(poll, 100);
        })();""")
    assert found, "searching the built book for 'Theorem' from file:// found nothing"


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def _parse(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_resolves():
    if not (HTML / "index.html").exists():
        pytest.fail(f"no built book at {HTML}: build it first (scripts/test does)")
    parsed: dict[Path, _Anchors] = {}
    broken = []
    for page in PAGES:
        source = HTML / f"{page}.html"
        if source not in parsed:
            parsed[source] = _parse(source)
        for href in parsed[source].links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # external: not needed to read the book
            target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
            if not target.exists():
                broken.append(f"{page}.html -> {href} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in parsed:
                    parsed[target] = _parse(target)
                if unquote(parts.fragment) not in parsed[target].ids:
                    broken.append(f"{page}.html -> {href} (no such anchor)")
    assert not broken, "broken internal links:\n  " + "\n  ".join(broken)
