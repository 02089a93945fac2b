"""End-to-end tests: a real headless Chromium reads the built study as a reader would.

The site is the real study (findings/), built once per session and served on 127.0.0.1 by
the `served_site` fixture (tests/conftest.py). Chromium is Debian's package, never a
downloaded browser: CHROMIUM names another executable. A missing Chromium fails the tests.

UPDATE_SCREENSHOTS=1 writes the screenshots the README shows into docs/screenshots/.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Request,
    Route,
    WebError,
    expect,
    sync_playwright,
)

from generator.build import build
from tests.conftest import (
    FIXTURES,
    ROOT,
    ServedSite,
    built_and_served,
    free_port,
    project_for,
    serving,
)

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# Where each language of the study lives, relative to the site root.
PREFIX = {"id": "", "en": "en/"}
OTHER = {"id": "en", "en": "id"}
SCREENSHOTS = ROOT / "docs" / "screenshots"


# --- browser, contexts, pages ---------------------------------------------------------------


def test_chromium_is_installed() -> None:
    """The browser tests need Debian's Chromium; without it they fail, they never skip."""
    path = Path(CHROMIUM)
    assert path.is_file() and os.access(path, os.X_OK), (
        f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) "
        "or point CHROMIUM at the executable; the tests never download a browser"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) "
            "or point CHROMIUM at the executable; the tests never download a browser",
            pytrace=False,
        )
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        except Error as error:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}", pytrace=False)
        yield launched
        launched.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


@dataclass
class Watch:
    """What every page of one browser context did that a reader should never meet."""

    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL asked for

    def foreign(self) -> list[str]:
        return sorted({url for url in self.requests if not is_local(url)})

    def assert_clean(self) -> None:
        assert not self.errors, "errors in the browser console:\n" + "\n".join(self.errors)
        assert not self.foreign(), "requests leaving 127.0.0.1:\n" + "\n".join(self.foreign())


def switch_language(page: Page, lang: str) -> None:
    """Open the language menu in the header (it shows on hover) and pick `lang`, once the
    menu has finished appearing (a click during its fade-in can miss under load)."""
    page.locator(".md-header .md-select > button").hover()
    link = page.locator(f".md-header a.md-select__link[hreflang='{lang}']")
    expect(link).to_be_visible()
    expect(page.locator(".md-header .md-select__inner")).to_have_css("opacity", "1")
    link.click()
    page.wait_for_load_state()


@dataclass
class Tab:
    """One page of a fresh browser context, on the served site."""

    page: Page
    watch: Watch
    site: ServedSite

    def url(self, path: str) -> str:
        return self.site.url + path

    def open(self, path: str, wait_until: Any = "load") -> None:
        response = self.page.goto(self.url(path), wait_until=wait_until)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    def heading(self) -> str:
        """The page's h1 as a reader sees it (without the permalink sign)."""
        h1 = self.page.locator(".md-content h1")
        expect(h1).to_have_count(1)
        return h1.inner_text().replace("¶", "").strip()

    def switch_language(self, lang: str) -> None:
        switch_language(self.page, lang)


@pytest.fixture
def new_tab(browser: Browser, served_site: ServedSite) -> Iterator[Callable[..., Tab]]:
    """Opens tabs, each in a fresh context that records errors and blocks foreign requests."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP, device_scale_factor: float = 1) -> Tab:
        context = browser.new_context(
            viewport=viewport,  # type: ignore[arg-type]
            device_scale_factor=device_scale_factor,
            color_scheme="light",
            reduced_motion="reduce",  # Material then drops its transitions: faster, steadier
            locale="en-US",
            service_workers="block",
        )
        contexts.append(context)
        watch = Watch()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                watch.errors.append(f"{message.page and message.page.url}: {message.text}")

        def web_error(error: WebError) -> None:
            watch.errors.append(f"{error.page and error.page.url}: {error.error}")

        def request(req: Request) -> None:
            watch.requests.append(req.url)

        def block(route: Route) -> None:
            route.abort("blockedbyclient")

        context.on("console", console)
        context.on("weberror", web_error)
        context.on("request", request)
        # Nothing may reach the network: such a request is recorded above, then refused here.
        context.route(lambda url: not is_local(url), block)
        return Tab(context.new_page(), watch, served_site)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_tab: Callable[..., Tab]) -> Tab:
    return new_tab()


@pytest.fixture(scope="module")
def pages(served_site: ServedSite) -> dict[str, list[str]]:
    """The page file names of each language, discovered from the built site."""
    found: dict[str, list[str]] = {lang: [] for lang in PREFIX}
    for path in sorted(served_site.root.rglob("*.html")):
        relative = path.relative_to(served_site.root).as_posix()
        lang = "en" if relative.startswith("en/") else "id"
        name = relative.removeprefix(PREFIX[lang])
        if name == "404.html" or name.split("/")[0] in ("search", "assets"):
            continue
        found[lang].append(name)
    assert found["id"], "no page found in the built site"
    assert found["id"] == found["en"], (
        f"the languages have different pages: only id {set(found['id']) - set(found['en'])}, "
        f"only en {set(found['en']) - set(found['id'])}"
    )
    return found


def section_number(heading: str) -> str:
    match = re.match(r"\d+(\.\d+)*", heading)
    return match.group(0) if match else ""


# --- 1. the language switch -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_language_switch_leads_to_the_same_page_in_the_other_language(
    tab: Tab, pages: dict[str, list[str]], lang: str
) -> None:
    other = OTHER[lang]
    failures: list[str] = []
    for name in pages[lang]:
        try:
            tab.open(PREFIX[lang] + name)
            assert tab.lang() == lang
            before = tab.heading()
            assert before, "empty h1"
            tab.switch_language(other)
            expect(tab.page).to_have_url(tab.url(PREFIX[other] + name))
            expect(tab.page.locator("html")).to_have_attribute("lang", other)
            after = tab.heading()
            assert after, "the counterpart has an empty h1"
            assert after != before, f"the h1 is not translated: {after!r}"
            assert section_number(after) == section_number(before), (
                f"section numbers differ: {before!r} / {after!r}"
            )
            current = tab.page.locator("a.md-select__link[aria-current='true']")
            expect(current).to_have_attribute("hreflang", other)
        except AssertionError as error:
            failures.append(f"{PREFIX[lang]}{name}: {error}")
    assert not failures, "\n\n".join(failures)
    tab.watch.assert_clean()


# Hand-written pages (findings/pages/<lang>/*.md) get their sidebar label and <title> from
# their first heading: an attribute list there ("# About { #about }") must not reach the reader.
ATTR_LIST_RESIDUE = re.compile(r"\{\s*[#.:][^}]*\}")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_navigation_labels_and_titles_show_no_markup(
    tab: Tab, pages: dict[str, list[str]], lang: str
) -> None:
    tab.open(PREFIX[lang] + "index.html")
    labels = tab.page.locator(".md-nav--primary .md-nav__link").all_text_contents()
    shown = [" ".join(label.split()) for label in labels]
    assert any(shown), "the sidebar has no entry"
    problems = [f"sidebar entry {label!r}" for label in shown if ATTR_LIST_RESIDUE.search(label)]
    for name in pages[lang]:
        html = (tab.site.root / PREFIX[lang] / name).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        if title and ATTR_LIST_RESIDUE.search(title.group(1)):
            problems.append(f"{PREFIX[lang]}{name}: <title> {title.group(1).strip()!r}")
    assert not problems, "\n".join(problems)
    tab.watch.assert_clean()


# --- 2. a quote's anchor across languages ---------------------------------------------------

QUOTE = "q-trust-lsm"
QUOTE_PAGE = "results-trust-building.html"


def target_id(page: Page) -> str | None:
    result: str | None = page.evaluate("document.querySelector(':target')?.id ?? null")
    return result


def test_quote_anchor_works_on_the_english_page(tab: Tab) -> None:
    # The quote's own permalink ("#" after the attribution) scrolls it into view...
    tab.open(f"en/{QUOTE_PAGE}")
    quote = tab.page.locator(f"figure.quote#{QUOTE}")
    expect(quote).to_have_count(1)
    quote.locator("a.quote__link").click()
    expect(tab.page).to_have_url(tab.url(f"en/{QUOTE_PAGE}#{QUOTE}"))
    assert target_id(tab.page) == QUOTE
    expect(quote).to_be_in_viewport()
    # ...and so does a link to it from elsewhere.
    tab.open("en/index.html")
    tab.open(f"en/{QUOTE_PAGE}#{QUOTE}")
    assert target_id(tab.page) == QUOTE
    expect(quote).to_be_in_viewport()
    expect(quote.locator("details.quote__original blockquote[lang='id']")).to_be_visible()
    tab.watch.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_language_switch_keeps_the_quote_anchor(tab: Tab, lang: str) -> None:
    other = OTHER[lang]
    tab.open(f"{PREFIX[lang]}{QUOTE_PAGE}#{QUOTE}")
    assert target_id(tab.page) == QUOTE
    expect(tab.page.locator(f"#{QUOTE}")).to_be_in_viewport()
    tab.switch_language(other)
    expect(tab.page).to_have_url(tab.url(f"{PREFIX[other]}{QUOTE_PAGE}#{QUOTE}"))
    expect(tab.page.locator("html")).to_have_attribute("lang", other)
    assert target_id(tab.page) == QUOTE, "the reader does not land on the quote"
    expect(tab.page.locator(f"#{QUOTE}")).to_be_in_viewport()
    tab.watch.assert_clean()


# --- 3. search ------------------------------------------------------------------------------


def search(tab: Tab, lang: str, word: str) -> list[str]:
    """Type `word` into the header's search box of `lang`'s home page; the result links."""
    tab.open(PREFIX[lang] + "index.html", wait_until="networkidle")
    box = tab.page.locator("input.md-search__input")
    box.click()
    tab.page.keyboard.type(word, delay=20)
    config = tab.page.locator("#__config").text_content() or "{}"
    none = json.loads(config)["translations"]["search.result.none"]
    meta = tab.page.locator(".md-search-result__meta")
    links = tab.page.locator(".md-search-result__list a")
    # Done when the results carry the whole word (Material adds ?h=<query>), or none match:
    # a shorter prefix matching nothing means the whole word matches nothing either.
    whole = tab.page.locator(f".md-search-result__list a[href*='h={word}']").first
    expect(whole.or_(meta.get_by_text(none, exact=True))).to_be_visible()
    hrefs: list[str] = links.evaluate_all("links => links.map(a => a.href)")
    return hrefs


def language_of(url: str, site: ServedSite) -> str:
    return "en" if url.startswith(site.url + "en/") else "id"


@pytest.mark.parametrize(("lang", "word"), [("id", "pelatihan"), ("en", "training")])
def test_search_finds_pages_of_its_own_language(tab: Tab, lang: str, word: str) -> None:
    hrefs = search(tab, lang, word)
    assert hrefs, f"searching {word!r} on the {lang} site shows no result"
    assert tab.page.locator(".md-search-result__item").count() > 0
    elsewhere = [h for h in hrefs if not h.startswith(tab.site.url)]
    other = [h for h in hrefs if language_of(h, tab.site) != lang]
    assert not elsewhere, f"results outside the site: {elsewhere}"
    assert not other, f"results in the other language: {other}"
    # A reader opens the first result: a page of the same language, the word highlighted.
    tab.page.locator(".md-search-result__link").first.click()
    tab.page.wait_for_load_state()
    expect(tab.page.locator("html")).to_have_attribute("lang", lang)
    expect(tab.page.locator(".md-content mark").first).to_be_visible()
    tab.watch.assert_clean()


def test_english_word_finds_no_english_page_on_the_indonesian_site(tab: Tab) -> None:
    hrefs = search(tab, "id", "training")
    english = [h for h in hrefs if language_of(h, tab.site) == "en"]
    assert not english, f"the Indonesian search returns English pages: {english}"
    tab.watch.assert_clean()


# --- 4. no console errors, nothing leaves 127.0.0.1 ------------------------------------------

FULL_LOAD = {"index.html", "results-trust-building.html"}


def test_no_console_error_and_no_foreign_request_on_any_page(
    tab: Tab, pages: dict[str, list[str]]
) -> None:
    visited = 0
    for lang, prefix in PREFIX.items():
        for name in pages[lang]:
            tab.open(prefix + name, wait_until="networkidle" if name in FULL_LOAD else "load")
            visited += 1
    tab.open("404.html", wait_until="networkidle")
    assert visited == 2 * len(pages["id"])
    # The search index waits until search is used (assets/search-on-demand.js).
    index = [url for url in tab.watch.requests if url.endswith("search_index.json")]
    assert not index, f"a page load downloaded the search index: {index}"
    tab.watch.assert_clean()


# --- 5. quote blocks on English pages --------------------------------------------------------


def findings_quotes() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((ROOT / "findings" / "quotes.yaml").read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["quotes"]}


def words(text: str) -> str:
    return " ".join(text.split())


def test_english_quotes_show_translation_and_original(tab: Tab) -> None:
    quotes = findings_quotes()
    tab.open("en/results-face-to-face-dialogue.html")
    figures = tab.page.locator("figure.quote:not(.quote--missing)")
    ids = [figures.nth(i).get_attribute("id") or "" for i in range(figures.count())]
    expected = [
        q["id"]
        for q in quotes.values()
        if q["indicator"] == "face-to-face-dialogue" and isinstance(q["text"], str)
    ]
    assert ids == expected, "the page does not show the study's quotes in order"
    for quote_id in ids:
        figure = tab.page.locator(f"figure#{quote_id}")
        translation = figure.locator("blockquote.quote__text")
        expect(translation).to_be_visible()
        assert words(translation.inner_text()) == words(quotes[quote_id]["translation"]["en"])
        assert translation.get_attribute("lang") in (None, "en")
        original = figure.locator("details.quote__original")
        expect(original).to_have_attribute("open", re.compile(".*"))
        expect(original.locator("summary")).to_have_text("Original (Bahasa Indonesia)")
        source = original.locator("blockquote")
        expect(source).to_have_attribute("lang", "id")
        expect(source).to_be_visible()
        assert words(source.inner_text()) == words(quotes[quote_id]["text"])
    tab.watch.assert_clean()


MISSING_WORDING = {
    "id": ("Kutipan tidak ada", "terpotong dalam sumber"),
    "en": ("Quote missing", "cut off in the source"),
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("quote_id", "page"),
    [
        ("q-commitment-lsm", "results-commitment-to-process.html"),
        ("q-understanding-kasi", "results-shared-understanding.html"),
    ],
)
def test_cut_off_quote_says_it_is_missing(tab: Tab, quote_id: str, page: str, lang: str) -> None:
    tab.open(PREFIX[lang] + page)
    figure = tab.page.locator(f"figure.quote#{quote_id}")
    expect(figure).to_have_class(re.compile(r"\bquote--missing\b"))
    title, reason = MISSING_WORDING[lang]
    gap = figure.locator(".quote__gap")
    expect(gap).to_be_visible()
    expect(gap.locator("strong")).to_have_text(title)
    expect(gap).to_contain_text(reason)
    expect(figure.locator("blockquote")).to_have_count(0)
    expect(figure.locator("details.quote__original")).to_have_count(0)
    tab.watch.assert_clean()


# --- 6. the 404 page ------------------------------------------------------------------------

NOT_FOUND = {
    "id": ("Halaman tidak ditemukan", "Ke beranda"),
    "en": ("Page not found", "Go to the home page"),
}
# GitHub Pages answers every missing path with the root 404.html, whatever the folder;
# http.server does not, so a route serves it the same way for the made-up paths.
MISSING_PATHS = ["404.html", "no-such-page.html", "en/no-such-page.html"]


def serve_missing_pages_like_github_pages(tab: Tab) -> None:
    body = (tab.site.root / "404.html").read_bytes()
    tab.page.context.route(
        tab.url("**/no-such-page.html"),
        lambda route: route.fulfill(status=404, body=body, content_type="text/html"),
    )


def open_not_found(tab: Tab, path: str) -> None:
    tab.page.goto(tab.url(path), wait_until="networkidle")
    if path != "404.html":  # the browser logs the 404 status of the page itself: expected
        expected = (
            f"{tab.url(path)}: Failed to load resource: the server responded with a status of 404"
        )
        tab.watch.errors = [e for e in tab.watch.errors if not e.startswith(expected)]


@pytest.mark.parametrize("path", MISSING_PATHS)
def test_not_found_page_speaks_both_languages(tab: Tab, path: str) -> None:
    serve_missing_pages_like_github_pages(tab)
    open_not_found(tab, path)
    # Styled: the theme's stylesheet is found from wherever the page is served.
    expect(tab.page.locator(".md-header")).to_have_css("position", "sticky")
    for lang, (title, home) in NOT_FOUND.items():
        section = tab.page.locator(f"section.not-found[lang='{lang}']")
        expect(section).to_have_count(1)
        expect(section.locator("h1, h2")).to_have_text(title)
        expect(section.locator("p").first).not_to_be_empty()
        expect(section.get_by_role("link")).to_contain_text(home)
    tab.watch.assert_clean()


@pytest.mark.parametrize("path", MISSING_PATHS)
def test_not_found_page_links_to_both_homes(tab: Tab, path: str) -> None:
    home_links = [(f"section.not-found[lang='{lang}'] a", lang) for lang in NOT_FOUND] + [
        (f".md-header a.md-select__link[hreflang='{lang}']", lang) for lang in NOT_FOUND
    ]
    serve_missing_pages_like_github_pages(tab)
    for selector, lang in home_links:
        open_not_found(tab, path)
        link = tab.page.locator(selector)
        if "md-select" in selector:
            tab.page.locator(".md-header .md-select > button").hover()
        link.click()
        tab.page.wait_for_load_state()
        assert tab.page.url == tab.url(PREFIX[lang] + "index.html"), (
            f"{selector} on {path} leads to {tab.page.url}"
        )
        expect(tab.page.locator("html")).to_have_attribute("lang", lang)
    tab.watch.assert_clean()


# --- 7. phone layout ------------------------------------------------------------------------

PHONE_PAGES = [
    "index.html",
    "results-trust-building.html",  # an indicator's results
    "method.html",  # the informants table
    "concepts.html",  # a figure
    "results-shared-understanding.html",  # a figure
]
PAGE_WIDTH_JS = """() => {
  const limit = window.innerWidth + 1;
  const outside = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit)
    .filter(e => {  // what a scrolling (or clipping) box holds does not widen the page
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return false;
      return true;
    })
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} reaches `
      + `${Math.round(e.getBoundingClientRect().right)}px`);
  return {width: document.documentElement.scrollWidth, outside};
}"""
CONTENT_JS = """() => {
  const limit = window.innerWidth + 1;
  const problems = [];
  const container = document.querySelector('.md-container');
  if (container.scrollWidth > limit)
    problems.push(`the page content is ${container.scrollWidth}px wide`);
  for (const table of document.querySelectorAll('.md-content table')) {
    const wrap = table.closest('.md-typeset__scrollwrap');
    const box = table.getBoundingClientRect();
    if (box.width <= window.innerWidth) continue;
    if (!wrap || !['auto', 'scroll'].includes(getComputedStyle(wrap).overflowX))
      problems.push(`a ${Math.round(box.width)}px table does not scroll in a wrapper`);
    else if (wrap.getBoundingClientRect().right > limit)
      problems.push(`a table's scrolling wrapper reaches ${wrap.getBoundingClientRect().right}px`);
  }
  for (const svg of document.querySelectorAll('.md-content figure svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width > window.innerWidth || box.right > limit || box.left < -1)
      problems.push(`a figure's SVG spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
  }
  return {
    problems,
    tables: document.querySelectorAll('.md-content table').length,
    svgs: document.querySelectorAll('.md-content figure svg').length,
  };
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_phone_content_fits_the_screen(new_tab: Callable[..., Tab], lang: str) -> None:
    tab = new_tab(PHONE)
    tables = svgs = 0
    problems: list[str] = []
    for name in PHONE_PAGES:
        tab.open(PREFIX[lang] + name)
        found: dict[str, Any] = tab.page.evaluate(CONTENT_JS)
        problems += [f"{PREFIX[lang]}{name}: {p}" for p in found["problems"]]
        tables += found["tables"]
        svgs += found["svgs"]
    assert not problems, "\n".join(problems)
    assert tables and svgs, "the pages checked no longer hold a table and a figure"
    tab.watch.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_phone_page_does_not_scroll_sideways(new_tab: Callable[..., Tab], lang: str) -> None:
    tab = new_tab(PHONE)
    problems: list[str] = []
    for name in PHONE_PAGES:
        tab.open(PREFIX[lang] + name)
        found: dict[str, Any] = tab.page.evaluate(PAGE_WIDTH_JS)
        if found["width"] > PHONE["width"] + 1:
            problems.append(
                f"{PREFIX[lang]}{name}: {found['width']}px wide; " + "; ".join(found["outside"])
            )
    assert not problems, "\n".join(problems)


# --- 8. screenshots -------------------------------------------------------------------------

SHOTS = {
    "home": "index.html",
    "trust-building": "results-trust-building.html",
    # A quote in view: on English pages, the translation with the original beside it.
    "quote": "results-trust-building.html#q-trust-kasi",
}
DEVICES = {"desktop": (DESKTOP, 1), "phone": (PHONE, 2)}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is no PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("shot", list(SHOTS))
def test_screenshot(
    new_tab: Callable[..., Tab], tmp_path: Path, shot: str, lang: str, device: str
) -> None:
    viewport, scale = DEVICES[device]
    tab = new_tab(viewport, device_scale_factor=scale)
    tab.open(PREFIX[lang] + SHOTS[shot], wait_until="networkidle")
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{shot}-{lang}-{device}.png"
    tab.page.screenshot(path=path, animations="disabled", caret="hide")
    assert png_size(path) == (viewport["width"] * scale, viewport["height"] * scale)
    assert path.stat().st_size > 5_000, f"{path} looks blank"
    tab.watch.assert_clean()


# --- 9. a project subpath and a plain folder --------------------------------------------------


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The study published under a project path, as on https://user.github.io/repo/."""
    tmp = tmp_path_factory.mktemp("subpath")
    port = free_port()
    url = f"http://127.0.0.1:{port}/repo/"
    build(project_for(ROOT / "findings", tmp), tmp / "www" / "repo", site_url=url)
    with serving(tmp / "www", port):
        yield ServedSite(tmp / "www" / "repo", url)


def test_site_works_under_a_project_subpath(browser: Browser, subpath_site: ServedSite) -> None:
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")  # type: ignore[arg-type]
    watch = Watch()
    context.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    context.on("request", lambda r: watch.requests.append(r.url))
    page = context.new_page()
    tab = Tab(page, watch, subpath_site)
    try:
        tab.open("en/method.html", wait_until="networkidle")
        assert tab.lang() == "en"
        tab.switch_language("id")
        assert page.url == subpath_site.url + "method.html"
        assert tab.lang() == "id"
        page.wait_for_load_state("networkidle")
        watch.assert_clean()
        assert all(urlsplit(u).path.startswith("/repo/") for u in watch.requests), watch.requests
    finally:
        context.close()


def test_site_opened_from_a_plain_folder_switches_language(
    browser: Browser, study_site: Path
) -> None:
    # No web server at all: the files opened straight from the disk (file://).
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto((study_site / "en" / "results-trust-building.html").as_uri())
        assert page.locator("html").get_attribute("lang") == "en"
        href = page.locator("a.md-select__link[hreflang='id']").get_attribute("href")
        assert href == "../results-trust-building.html"
        page.goto((study_site / "en" / "results-trust-building.html").as_uri() + "#q-trust-lsm")
        switch_language(page, "id")
        assert page.url == (study_site / "results-trust-building.html").as_uri() + "#q-trust-lsm"
        assert page.locator("html").get_attribute("lang") == "id"
        expect(page.locator("#q-trust-lsm")).to_be_visible()
    finally:
        context.close()


# --- a study in three languages -------------------------------------------------------------


@pytest.fixture(scope="module")
def trilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """tests/fixtures/trilingual (English at /, French at /fr/, Indonesian at /id/), served."""
    with built_and_served(FIXTURES / "trilingual", tmp_path_factory.mktemp("trilingual")) as site:
        yield site


def test_language_switch_walks_among_three_languages(
    browser: Browser, trilingual_site: ServedSite
) -> None:
    prefix = {"en": "", "fr": "fr/", "id": "id/"}
    quote = {"en": "we agree the price", "fr": "on fixe le prix", "id": "kami sepakati harganya"}
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")  # type: ignore[arg-type]
    watch = Watch()
    context.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    context.on("request", lambda r: watch.requests.append(r.url))
    tab = Tab(context.new_page(), watch, trilingual_site)
    try:
        tab.open("prices.html#V1-a")
        # Every ordered pair of languages once: en→fr→id→en→id→fr→en.
        walk = ["en", "fr", "id", "en", "id", "fr", "en"]
        for here, there in itertools.pairwise(walk):
            assert tab.lang() == here
            tab.switch_language(there)
            assert tab.page.url == trilingual_site.url + prefix[there] + "prices.html#V1-a"
            assert tab.lang() == there
            expect(tab.page.locator("#V1-a .quote__text")).to_contain_text(quote[there])
            names = tab.page.locator(".md-header a.md-select__link").all_text_contents()
            assert [n.strip() for n in names] == ["English", "Français", "Bahasa Indonesia"]
        watch.assert_clean()
    finally:
        context.close()


# --- 10. accessibility: axe-core, keyboard ---------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = ("light", "dark")
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def axe_problems(page: Page) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as shown."""
    from axe_playwright_python.base import AXE_SCRIPT  # type: ignore[import-untyped]

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result: dict[str, Any] = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'].splitlines()[-1]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_serious_violation_on_any_page(
    browser: Browser, served_site: ServedSite, pages: dict[str, list[str]], scheme: str
) -> None:
    """Every page of both languages and the 404 pages, at desktop and phone width."""
    context = browser.new_context(
        viewport=DESKTOP,  # type: ignore[arg-type]
        color_scheme=scheme,  # type: ignore[arg-type]
        reduced_motion="reduce",
        service_workers="block",
    )
    page = context.new_page()
    expected = "slate" if scheme == "dark" else "default"
    paths = [PREFIX[lang] + name for lang in PREFIX for name in pages[lang]]
    paths += [PREFIX[lang] + "404.html" for lang in PREFIX]
    problems: list[str] = []
    try:
        for path in paths:
            page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
            page.goto(served_site.url + path)
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)  # type: ignore[arg-type]
                problems += [f"{path} {width}: {p}" for p in axe_problems(page)]
    finally:
        context.close()
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(
        problems[:40]
    )


def focused(page: Page) -> str:
    """What has the keyboard focus, as a short description."""
    described: str = page.evaluate(
        """() => {
          const e = document.activeElement;
          if (!e || e === document.body) return 'body';
          const name = e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40);
          return `${e.tagName.toLowerCase()}${e.className ? '.' + [...e.classList].join('.') : ''}`
            + ` [${name}]`;
        }"""
    )
    return described


def tab_until(page: Page, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until `selector` has the focus; the stops on the way (fails after `limit`)."""
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return stops
    raise AssertionError(f"Tab never reached {selector}; stops: {stops}")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_keyboard_walks_the_header_and_switches_language(tab: Tab, lang: str) -> None:
    other = OTHER[lang]
    tab.open(f"{PREFIX[lang]}{QUOTE_PAGE}#{QUOTE}")
    stops = tab_until(tab.page, ".md-header .md-select > button")
    assert any("md-logo" in s for s in stops), f"the logo link is not on the way: {stops}"
    # The menu opens for the keyboard (focus within), and its links come next.
    expect(tab.page.locator(".md-header .md-select__inner")).to_be_visible()
    link = f".md-header a.md-select__link[hreflang='{other}']"
    tab_until(tab.page, link, limit=3)
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_load_state()
    expect(tab.page).to_have_url(tab.url(f"{PREFIX[other]}{QUOTE_PAGE}#{QUOTE}"))
    expect(tab.page.locator("html")).to_have_attribute("lang", other)
    tab.watch.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_keyboard_opens_search_on_a_phone(new_tab: Callable[..., Tab], lang: str) -> None:
    tab = new_tab(PHONE)
    tab.open(PREFIX[lang] + "index.html", wait_until="networkidle")
    dialog = tab.page.get_by_role("dialog")
    expect(dialog).to_have_accessible_name(re.compile(r"\S"))
    button = ".md-header button[data-study-toggle='__search']"
    tab_until(tab.page, button)
    expect(tab.page.locator(button)).to_have_attribute("aria-expanded", "false")
    tab.page.keyboard.press("Enter")
    expect(tab.page.locator("input.md-search__input")).to_be_focused()
    expect(tab.page.locator(button)).to_have_attribute("aria-expanded", "true")
    tab.page.keyboard.type({"id": "pelatihan", "en": "training"}[lang], delay=20)
    expect(tab.page.locator(".md-search-result__item").first).to_be_visible()
    tab.watch.assert_clean()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_keyboard_opens_and_closes_the_phone_drawer(new_tab: Callable[..., Tab], lang: str) -> None:
    tab = new_tab(PHONE)
    tab.open(PREFIX[lang] + "method.html")
    drawer = tab.page.locator(".md-sidebar--primary")
    button = ".md-header button[data-study-toggle='__drawer']"
    # Closed, the drawer is off-screen: Tab goes from the header into the page, never into it.
    stops = tab_until(tab.page, ".md-content a[href]")
    in_drawer = tab.page.evaluate(
        "() => [...document.querySelectorAll('.md-sidebar--primary a, .md-sidebar--primary label')]"
        ".filter(e => e.checkVisibility({visibilityProperty: true})).length"
    )
    assert in_drawer == 0, f"{in_drawer} drawer links can take the focus while it is closed"
    assert any("study-toggle" in s for s in stops), stops
    # Open it from its button: the focus moves into the drawer.
    tab.page.locator(button).focus()
    expect(tab.page.locator(button)).to_have_accessible_name(re.compile(r"\S"))
    tab.page.keyboard.press("Enter")
    expect(drawer).to_be_in_viewport()
    expect(tab.page.locator(button)).to_have_attribute("aria-expanded", "true")
    assert tab.page.evaluate(
        "() => document.querySelector('.md-sidebar--primary').contains(document.activeElement)"
    ), f"the focus stayed at {focused(tab.page)}"
    # A link in the drawer works from the keyboard.
    tab_until(tab.page, ".md-sidebar--primary a[href$='references.html']")
    tab.page.keyboard.press("Escape")
    expect(tab.page.locator(button)).to_be_focused()
    expect(tab.page.locator(button)).to_have_attribute("aria-expanded", "false")
    expect(drawer).not_to_be_in_viewport()
    tab.watch.assert_clean()


def test_quote_permalink_has_a_name_in_the_page_language(tab: Tab) -> None:
    for lang, name in (("id", "Tautan ke kutipan ini"), ("en", "Link to this quote")):
        tab.open(PREFIX[lang] + QUOTE_PAGE)
        link = tab.page.locator(f"#{QUOTE} a.quote__link")
        expect(link).to_have_accessible_name(name)
    tab.watch.assert_clean()


def test_a_page_load_fetches_no_sitemap_and_nothing_twice(tab: Tab) -> None:
    """Material asks for sitemap.xml once per hreflang link at start-up: never needed here."""
    problems: list[str] = []
    for path in ("index.html", "en/index.html", QUOTE_PAGE, "en/" + QUOTE_PAGE, "en/method.html"):
        start = len(tab.watch.requests)
        tab.open(path, wait_until="networkidle")
        requests = tab.watch.requests[start:]
        problems += [f"{path}: fetches {url}" for url in requests if "sitemap" in url]
        problems += [
            f"{path}: fetches {url} twice" for url in set(requests) if requests.count(url) > 1
        ]
        # The hreflang links are back in the head once the page has started.
        links = tab.page.locator("link[rel='alternate'][hreflang]")
        assert links.count() == 3, f"{path}: {links.count()} hreflang links in the head"
    assert not problems, "\n".join(problems)
    tab.watch.assert_clean()


@pytest.fixture(scope="module")
def addressless_site(study_site: Path) -> Iterator[ServedSite]:
    """The study built without any address, served at a server's root."""
    with serving(study_site) as url:
        yield ServedSite(study_site, url)


def test_site_without_an_address_loads_cleanly_and_its_404_pages_work(
    browser: Browser, addressless_site: ServedSite
) -> None:
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")  # type: ignore[arg-type]
    watch = Watch()
    context.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    context.on("request", lambda r: watch.requests.append(r.url))
    tab = Tab(context.new_page(), watch, addressless_site)
    try:
        for lang in PREFIX:
            tab.open(PREFIX[lang] + "index.html", wait_until="networkidle")
            tab.open(PREFIX[lang] + QUOTE_PAGE, wait_until="networkidle")
            expect(tab.page.locator(".md-header")).to_have_css("position", "sticky")
        for lang in PREFIX:
            for target in PREFIX:  # each 404 page links to both homes
                tab.open(PREFIX[lang] + "404.html", wait_until="networkidle")
                expect(tab.page.locator(".md-header")).to_have_css("position", "sticky")
                tab.page.locator(f"section.not-found[lang='{target}'] a").click()
                tab.page.wait_for_load_state()
                assert tab.page.url == tab.url(PREFIX[target] + "index.html")
            # The navigation of a language's 404 page leads to that language's pages.
            tab.open(PREFIX[lang] + "404.html")
            first = tab.page.locator(".md-nav--primary a.md-nav__link[href$='.html']").first
            assert (first.get_attribute("href") or "").startswith("/" + PREFIX[lang])
        assert not [url for url in watch.requests if "sitemap" in url]
        watch.assert_clean()
    finally:
        context.close()


# --- 11. print ------------------------------------------------------------------------------


def squeezed(text: str) -> str:
    """Text as a PDF gives it back: ligatures unfolded, no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_printed_results_page_reads_like_the_paper(tab: Tab, lang: str) -> None:
    from pypdf import PdfReader

    page_name = "results-face-to-face-dialogue.html"
    tab.open(PREFIX[lang] + page_name, wait_until="networkidle")
    config = json.loads(tab.page.locator("#__config").text_content() or "{}")
    assert config  # the page is Material's
    quotes: list[str] = tab.page.locator("figure.quote:not(.quote--missing)").evaluate_all(
        "figures => figures.map(f => [...f.querySelectorAll('blockquote')]"
        ".map(b => b.innerText).join('\\n'))"
    )
    assert len(quotes) >= 3
    study_title = tab.page.locator(".study-print-header__title").text_content() or ""
    heading = tab.heading()
    pdf = PdfReader(io.BytesIO(tab.page.pdf(format="A4")))
    pages = [squeezed(p.extract_text()) for p in pdf.pages]
    assert len(pages) >= 2, "the page fits on one sheet: the test proves nothing about breaks"
    assert squeezed(study_title) in pages[0], "the study's title is not on the first sheet"
    assert squeezed(heading) in pages[0]
    assert not [i for i, text in enumerate(pages) if "¶" in text], "permalink marks printed"
    split = [q[:60] for q in quotes if not any(squeezed(q) in text for text in pages)]
    assert not split, f"quotes split across sheets (or missing): {split}"
    if lang == "en":  # the original is printed beside each translation
        originals = tab.page.locator("details.quote__original blockquote").all_inner_texts()
        assert originals and all(any(squeezed(o) in t for t in pages) for o in originals)
    # Captions are smaller than the body text, both sized from it.
    tab.page.emulate_media(media="print")
    sizes = tab.page.evaluate(
        """() => [getComputedStyle(document.querySelector('.md-typeset > p:not([class])')).fontSize,
                  getComputedStyle(document.querySelector('figure.quote figcaption')).fontSize]"""
    )
    body, caption = (float(size.removesuffix("px")) for size in sizes)
    assert caption < body, f"caption {caption}px, body {body}px"
    tab.watch.assert_clean()


# --- 11. stale translations: marked, accessible, on a phone ---------------------------------


@pytest.fixture(scope="module")
def stale_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The mini study with every kind of stale translation (tests/test_translations.py)."""
    from tests.test_translations import CONTENT_EDITS, stale_titles_study

    tmp = tmp_path_factory.mktemp("stale-served")
    with built_and_served(stale_titles_study(tmp, *CONTENT_EDITS), tmp) as site:
        yield site


STALE_PAGES = [
    "index.html",  # site name, short title, the study's citation
    "introduction.html",  # a figure with a stale drawn label and caption
    "method.html",  # a stale page title, plain and inline fields
    "results.html",  # stale prose
    "results-dialogue.html",  # a stale quote, stale prose, a stale page title
    "references.html",  # a stale translated title
]


def test_stale_marks_are_accessible_and_fit_a_phone(
    browser: Browser, stale_served: ServedSite
) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")  # type: ignore[arg-type]
    page = context.new_page()
    problems: list[str] = []
    try:
        for name in STALE_PAGES:
            page.set_viewport_size(PHONE)  # type: ignore[arg-type]
            page.goto(stale_served.url + "en/" + name)
            marks = page.locator(".stale__mark, .stale--inline").count()
            assert marks, f"en/{name} shows no stale mark"
            found: dict[str, Any] = page.evaluate(PAGE_WIDTH_JS)
            if found["width"] > PHONE["width"] + 1:
                problems.append(f"en/{name}: {found['width']}px wide; {found['outside']}")
            problems += [f"en/{name} phone: {p}" for p in axe_problems(page)]
            page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
            problems += [f"en/{name} desktop: {p}" for p in axe_problems(page)]
    finally:
        context.close()
    assert not problems, "\n".join(problems)
