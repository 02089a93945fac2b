"""The evidence pages in a real Chromium on a 360 px phone: the findings matrix, the
informants page, the reporting checklist and the corrections read as lists without sideways
scrolling, in both languages, for the real study and the second fixture study.
(Browser fixtures: tests/test_browser.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import ServedSite, serving
from tests.test_browser import PHONE, PREFIX, browser  # noqa: F401

pytestmark = pytest.mark.browser

# Anything on the page that scrolls sideways or reaches past the viewport's right edge.
SIDEWAYS_JS = """() => {
  const limit = window.innerWidth + 1;
  const problems = [];
  if (document.documentElement.scrollWidth > limit)
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  for (const e of document.querySelectorAll('.md-content *')) {
    const style = getComputedStyle(e);
    if (['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
      problems.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} scrolls sideways`);
    const box = e.getBoundingClientRect();
    const name = `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`;
    if (box.width > 0 && box.right > limit) problems.push(`${name} reaches ${box.right}px`);
  }
  return problems.slice(0, 10);
}"""


@pytest.fixture(scope="module", params=["muara-pantun", "harbour"])
def site_url(request: pytest.FixtureRequest, study_site: Path, harbour_site: Path) -> Iterator[str]:
    site = study_site if request.param == "muara-pantun" else harbour_site
    with serving(site) as url:
        yield url


@pytest.mark.parametrize(
    "page",
    [
        "evidence-matrix.html",
        "informant-index.html",
        "reporting-checklist.html",
        "corrections.html",
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_evidence_pages_do_not_scroll_sideways_on_a_phone(
    browser: Browser,  # noqa: F811
    site_url: str,
    page: str,
    lang: str,
) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")  # type: ignore[arg-type]
    try:
        tab = context.new_page()
        tab.goto(site_url + PREFIX[lang] + page)
        expect(tab.locator("html")).to_have_attribute("lang", lang)
        assert tab.evaluate(SIDEWAYS_JS) == []
        if page == "evidence-matrix.html":
            # Each cell names its group, since the column headers are gone on a phone.
            first_label = tab.locator(".evidence-matrix .matrix__group").first
            expect(first_label).to_be_visible()
            expect(tab.locator(".evidence-matrix thead")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_quotes_citation_can_be_revealed_and_copied(
    browser: Browser,  # noqa: F811
    served_site: ServedSite,
    lang: str,
) -> None:
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")  # type: ignore[arg-type]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.url[:-1])
    try:
        tab = context.new_page()
        tab.goto(served_site.url + PREFIX[lang] + "results-trust-building.html")
        cite = tab.locator("#q-trust-lsm + details.quote__cite")
        citation = cite.locator(".quote__citation")
        expect(citation).to_be_hidden()
        cite.locator("summary").click()
        expect(citation).to_be_visible()
        address = served_site.url + PREFIX[lang] + "results-trust-building.html#q-trust-lsm"
        expect(citation).to_contain_text(address)  # the full address, as served
        shown = " ".join(citation.inner_text().split())
        button = cite.locator("button.quote__copy")
        expect(button).to_be_visible()
        button.click()
        expect(button).to_have_text({"en": "Copied", "id": "Tersalin"}[lang])
        copied = tab.evaluate("() => navigator.clipboard.readText()")
        assert copied == shown
        assert "Collaborative Governance dalam meningkatkan" in copied
    finally:
        context.close()
