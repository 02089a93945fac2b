"""A study too large for one page per results section, and a light first load.

A synthetic study (`python -m generator synth`) of 60 quotes is built with at most 5 quotes
a page, so each indicator's results come in parts: the same split a 10,000-quote study gets
at 100 a page, at a size a test can afford.  The search index waits until search is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from generator.plan import LISTING_PAGES_FACTOR
from generator.synth import INDICATORS, write_synthetic_study
from tests.conftest import ServedSite, built_and_served
from tests.test_browser import CHROMIUM, LAUNCH_ARGS

PER_PAGE = 5
QUOTES = 60
LANGUAGES = {"id": "", "en": "en/"}


@dataclass(frozen=True)
class PagedStudy:
    site: ServedSite
    quotes: list[dict[str, object]]  # as in quotes.yaml, in order


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PagedStudy]:
    tmp = tmp_path_factory.mktemp("paged")
    write_synthetic_study(tmp / "findings", QUOTES)
    quotes = yaml.safe_load((tmp / "findings" / "quotes.yaml").read_text(encoding="utf-8"))
    with built_and_served(tmp / "findings", tmp, quotes_per_page=PER_PAGE) as site:
        yield PagedStudy(site, quotes["quotes"])


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.quotes: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.pager: list[tuple[str, bool]] = []  # (href, is current) of the first pager
        self._pagers = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "figure" and "quote" in (a.get("class") or "").split():
            self.quotes.append(a["id"] or "")
        if tag == "nav" and a.get("class") == "quote-pages":
            self._pagers += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
            if self._pagers == 1:
                self.pager.append((a["href"] or "", a.get("aria-current") == "page"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._pagers == 1:
            self._pagers = 2


def read(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def parts_of(root: Path, stem: str) -> list[Path]:
    more = sorted(root.glob(f"{stem}--*.html"), key=lambda p: int(p.stem.rsplit("--", 1)[1]))
    return [root / f"{stem}.html", *more]


def assert_pager(page: _Page, parts: list[Path], number: int) -> None:
    """The pager links every part, in order, and marks part `number` as the current page."""
    assert [href for href, _ in page.pager] == [p.name for p in parts]
    assert [current for _, current in page.pager] == [n == number for n in range(1, len(parts) + 1)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_results_come_in_parts_that_hold_every_quote_once_in_order(
    paged: PagedStudy, lang: str
) -> None:
    root = paged.site.root / LANGUAGES[lang]
    for indicator, _, _ in INDICATORS:
        expected = [q["id"] for q in paged.quotes if q["indicator"] == indicator]
        parts = parts_of(root, f"results-{indicator}")
        assert len(parts) == -(-len(expected) // PER_PAGE), f"{indicator}: {parts}"
        shown = []
        for number, path in enumerate(parts, start=1):
            page = read(path)
            assert 0 < len(page.quotes) <= PER_PAGE, f"{path.name}: {len(page.quotes)} quotes"
            shown += page.quotes
            assert_pager(page, parts, number)
        assert shown == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_long_paper_prints_in_parts_that_hold_every_quote_once_in_order(
    paged: PagedStudy, lang: str
) -> None:
    root = paged.site.root / LANGUAGES[lang]
    limit = PER_PAGE * LISTING_PAGES_FACTOR
    parts = parts_of(root, "print")
    # Cut after every `limit`-th quote: what follows the last cut (the closing chapters)
    # may make one part more.
    assert len(parts) in (-(-QUOTES // limit), -(-QUOTES // limit) + 1)
    results = [q for indicator, _, _ in INDICATORS for q in _results_quotes(root, indicator)]
    shown = []
    for number, path in enumerate(parts, start=1):
        page = read(path)
        assert len(page.quotes) <= limit, f"{path.name}: {len(page.quotes)} quotes"
        assert page.quotes or number == len(parts), f"{path.name}: no quote"
        shown += [q.removeprefix("paper-") for q in page.quotes]
        assert_pager(page, parts, number)
        text = path.read_text(encoding="utf-8")
        assert ('id="paper-references"' in text) == (number == len(parts)), path.name
        assert ('id="paper-abstract"' in text) == (number == 1), path.name
        # "The whole paper on one page" would not be true: the pager says it comes in parts.
        assert "print-view__note" not in text, path.name
    # The paper's order: every quote once, as the results pages show them.
    assert shown == results
    assert sorted(shown) == sorted(str(q["id"]) for q in paged.quotes)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_many_quotes_put_the_informants_page_in_parts_and_links_find_each_informant(
    paged: PagedStudy, lang: str
) -> None:
    root = paged.site.root / LANGUAGES[lang]
    limit = PER_PAGE * LISTING_PAGES_FACTOR
    parts = parts_of(root, "informant-index")
    assert len(parts) == -(-QUOTES // limit)
    pages = {path.name: read(path) for path in parts}
    briefs = []
    for path in parts:
        text = path.read_text(encoding="utf-8")
        briefs += re.findall(r'<figure class="quote-brief', text)
        assert 0 < text.count('<figure class="quote-brief') <= limit, path.name
    assert len(briefs) == QUOTES  # every quote once, with its interpretation
    # A part that goes on with an informant's quotes names them again, linked to their facts.
    for path in parts[1:]:
        first = path.read_text(encoding="utf-8").split('<figure class="quote-brief', 1)[0]
        if 'id="informant-' not in first:  # not a part that starts with an informant's facts
            assert re.search(r'<a href="informant-index(--\d+)?\.html#informant-', first), path.name
    # Every link to an informant, on any page, opens the part that introduces them.
    checked = 0
    for page in root.glob("*.html"):
        for href in read(page).links:
            match = re.fullmatch(r"(informant-index(?:--\d+)?\.html)#(informant-[a-z0-9-]+)", href)
            if match:
                assert match.group(2) in pages[match.group(1)].ids, f"{page.name}: {href}"
                checked += 1
    assert checked >= QUOTES


def _results_quotes(root: Path, indicator: str) -> list[str]:
    return [q for part in parts_of(root, f"results-{indicator}") for q in read(part).quotes]


def test_both_languages_have_the_same_parts(paged: PagedStudy) -> None:
    """The language switch leads to the same file name: every part exists in both."""
    root = paged.site.root
    source = sorted(p.name for p in root.glob("*--*.html"))
    assert source, "no page was split"
    assert source == sorted(p.name for p in (root / "en").glob("*--*.html"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_to_a_quote_reaches_it(paged: PagedStudy, lang: str) -> None:
    """Informants table, recommendations, parts: a link to #q-... opens the page that holds it."""
    root = paged.site.root / LANGUAGES[lang]
    pages = {p.name: read(p) for p in root.glob("*.html")}
    checked = 0
    for name, page in pages.items():
        for href in page.links:
            match = re.fullmatch(r"([^#/:]*)#(q-[a-z0-9-]+)", href)
            if match:
                target = match.group(1) or name
                assert match.group(2) in pages[target].quotes, f"{name}: {href}"
                checked += 1
    assert checked >= QUOTES  # the informants table links every attributed quote


def test_further_parts_stay_out_of_the_navigation(paged: PagedStudy) -> None:
    home = read(paged.site.root / "index.html")
    assert "results-trust-building.html" in home.links
    assert not [link for link in home.links if "--" in link]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(service_workers="block", reduced_motion="reduce")
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_an_old_link_to_a_quote_finds_it_on_its_part(paged: PagedStudy, page: Page) -> None:
    """A link made before the page was split (page 1 + the quote's anchor) still finds it."""
    quote = [q["id"] for q in paged.quotes if q["indicator"] == "trust-building"][-1]
    page.goto(f"{paged.site.url}en/results-trust-building.html#{quote}")
    expect(page).to_have_url(re.compile(rf"/en/results-trust-building--\d+\.html#{quote}$"))
    expect(page.locator(f"#{quote}")).to_be_in_viewport()


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "word"), [("id", "pelatihan"), ("en", "training")])
def test_search_index_loads_only_when_search_is_used(
    served_site: ServedSite, page: Page, lang: str, word: str
) -> None:
    """The real study: no page load fetches the index; the first focus on search does."""
    asked: list[str] = []

    def record(request: Request) -> None:
        asked.append(request.url)

    page.on("request", record)
    page.goto(f"{served_site.url}{LANGUAGES[lang]}index.html", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert not [url for url in asked if "search_index" in url]
    box = page.locator("input.md-search__input")
    box.click()
    page.keyboard.type(word, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    index = [url for url in asked if url.endswith("search/search_index.json")]
    assert index == [f"{served_site.url}{LANGUAGES[lang]}search/search_index.json"]
