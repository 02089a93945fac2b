"""The evidence chain in the built site, both ways, for the real study and a second one.

quote -> its indicator's conclusion and the recommendations citing it;
conclusion / recommendation -> every quote it rests on, with counts a reader can check.
The expected counts are worked out here from the findings, independently of the generator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from generator.model import Findings, Ref, walk_sections
from tests.conftest import findings_of, parse_html

pytestmark = pytest.mark.slow
PREFIX = {"id": "", "en": "en/"}
# How the summary reads in each language (catalogue: evidence_summary and count_*).
SUMMARY = {
    "en": "Rests on {q} quote{qs} from {i} informant{is} in {g} group{gs}",
    "id": "Bertumpu pada {q} kutipan dari {i} informan dalam {g} kelompok",
}


@dataclass(frozen=True)
class Study:
    name: str
    findings: Findings
    site: Path


@pytest.fixture
def study(study_built: tuple[str, Path]) -> Study:
    name, site = study_built
    return Study(name, findings_of(name), site)


def page_holding(site: Path, lang: str, element_id: str) -> tuple[str, lxml.html.HtmlElement]:
    """The page (file name, tree) that holds the element with `element_id`."""
    folder = site / PREFIX[lang] if PREFIX[lang] else site
    found = [
        (p.name, parse_html(p))
        for p in sorted(folder.glob("*.html"))
        if f'id="{element_id}"' in p.read_text(encoding="utf-8")
    ]
    assert len(found) == 1, f"{element_id}: on {[name for name, _ in found]}"
    return found[0]


def expected_summary(findings: Findings, quote_ids: list[str], lang: str) -> str:
    quotes = [q for q in findings.quotes if q.id in quote_ids]
    named = {q.informant.id for q in quotes if isinstance(q.informant, Ref)}
    groups = {i.group for i in findings.informants if i.id in named}
    q, i, g = len(quotes), len(named), len(groups)
    return SUMMARY[lang].format(
        q=q,
        i=i,
        g=g,
        qs="" if q == 1 else "s",
        **{"is": "" if i == 1 else "s"},
        gs="" if g == 1 else "s",
    )


def targets(element: lxml.html.HtmlElement) -> list[str]:
    """The quote ids the links inside `element` lead to."""
    return [a.get("href").split("#", 1)[1] for a in element.iter("a") if "#q-" in a.get("href", "")]


def folded(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_quote_reaches_its_indicators_conclusion(study: Study, lang: str) -> None:
    for quote in study.findings.quotes:
        name, tree = page_holding(study.site, lang, quote.id)
        figure = tree.get_element_by_id(quote.id)
        chain = figure.getnext()
        while chain is not None and "quote__chain" not in chain.get("class", ""):
            assert chain.tag != "figure", f"{quote.id}: no chain before the next quote"
            chain = chain.getnext()
        assert chain is not None, f"{quote.id} on {name}: nothing says what rests on it"
        hrefs = [a.get("href") for a in chain.iter("a")]
        conclusion = f"#conclusion-{quote.indicator.id}"
        assert any(h.endswith(conclusion) for h in hrefs), (quote.id, hrefs)
        citing = [
            r.id for r in study.findings.recommendations if quote.id in [q.id for q in r.quotes]
        ]
        for recommendation in citing:
            assert any(h.endswith(f"#recommendation-{recommendation}") for h in hrefs)
        assert len(hrefs) == 1 + len(citing)
        # Links read as words, never as raw ids.
        assert quote.id not in folded(chain) and "recommendation-" not in folded(chain)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_conclusion_lists_all_quotes_of_its_indicator_with_counts(
    study: Study, lang: str
) -> None:
    for conclusion in study.findings.conclusions:
        indicator = conclusion.indicator.id
        _, tree = page_holding(study.site, lang, f"conclusion-{indicator}")
        paragraph = tree.get_element_by_id(f"conclusion-{indicator}")
        details = paragraph.getnext()
        assert details.tag == "details" and "evidence" in details.get("class", "")
        expected = [q.id for q in study.findings.quotes if q.indicator.id == indicator]
        assert targets(details) == expected
        summary = folded(details.find("summary"))
        assert summary.startswith(expected_summary(study.findings, expected, lang)), summary


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_recommendation_lists_its_evidence_with_counts_and_who_linked_it(
    study: Study, lang: str
) -> None:
    for recommendation in study.findings.recommendations:
        _, tree = page_holding(study.site, lang, f"recommendation-{recommendation.id}")
        box = tree.get_element_by_id(f"recommendation-{recommendation.id}")
        expected = [ref.id for ref in recommendation.quotes]
        assert targets(box) == expected
        text = folded(box)
        if expected:
            summary = folded(box.find(".//details/summary"))
            assert summary.startswith(expected_summary(study.findings, expected, lang))
        for ref in recommendation.indicators:
            assert box.xpath(f".//a[substring-after(@href, '#') = 'conclusion-{ref.id}']")
        editors = {"en": "Link drawn by the site's editors", "id": "Tautan dibuat oleh penyunting"}
        paper = {"en": "Link stated in the paper", "id": "Tautan dinyatakan dalam makalah"}
        assert (editors[lang] in text) == (recommendation.linked_by == "editors")
        assert (paper[lang] in text) == (recommendation.linked_by == "paper")
        assert not re.search(r"\bq-[a-z0-9-]+", text), "a quote shown by its id"


def test_links_of_the_chain_land_on_existing_anchors(study: Study) -> None:
    for lang in PREFIX:
        folder = study.site / PREFIX[lang] if PREFIX[lang] else study.site
        for page in folder.glob("*.html"):
            tree = parse_html(page)
            for link in tree.xpath(
                "//*[contains(@class, 'evidence') or contains(@class, 'quote__chain')]//a"
            ):
                file, _, anchor = link.get("href").partition("#")
                target = parse_html(folder / file) if file else tree
                if anchor:
                    assert target.xpath(f"//*[@id='{anchor}']"), f"{page.name}: {link.get('href')}"


# --- the findings matrix ----------------------------------------------------------------


def matrix_cells(study: Study, lang: str) -> dict[tuple[str, str], list[str]]:
    """(indicator name link target, column header) -> quote ids, read from the built page."""
    folder = study.site / PREFIX[lang] if PREFIX[lang] else study.site
    tree = parse_html(folder / "evidence-matrix.html")
    table = tree.xpath("//div[contains(@class, 'evidence-matrix')]//table")[0]
    headers = [folded(th) for th in table.xpath(".//thead//th")]
    cells: dict[tuple[str, str], list[str]] = {}
    for row in table.xpath(".//tbody/tr"):
        first, *rest = row.xpath("./td")
        indicator = first.xpath(".//a")[0].get("href").removesuffix(".html")
        for header, cell in zip(headers[1:], rest, strict=True):
            cells[(indicator, header)] = targets(cell)
            if not targets(cell):
                assert folded(cell).endswith({"en": "No evidence", "id": "Tidak ada bukti"}[lang])
    return cells


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_matrix_crosses_indicators_with_the_studys_groups(study: Study, lang: str) -> None:
    findings = study.findings
    assert findings.groups, "both studies declare their groups (the mini study uses defaults)"
    names = {g.id: g.name.values[lang] for g in findings.groups}
    group_of = {i.id: i.group for i in findings.informants}
    unnamed = {"en": "informant not named", "id": "informan tidak disebut"}[lang]
    columns = list(names.values())
    if any(not isinstance(q.informant, Ref) for q in findings.quotes):
        columns.append(unnamed)
    results = {
        s.indicator.id: s.id
        for c in findings.chapters
        for s in walk_sections(c.sections)
        if s.indicator
    }
    expected: dict[tuple[str, str], list[str]] = {
        (results[i.id], column): [] for i in findings.indicators for column in columns
    }
    for quote in findings.quotes:
        named = isinstance(quote.informant, Ref)
        column = names[group_of[quote.informant.id]] if named else unnamed  # type: ignore[union-attr]
        expected[(results[quote.indicator.id], column)].append(quote.id)
    assert matrix_cells(study, lang) == expected


# --- the informants page -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_each_informant_section_lists_exactly_that_informants_quotes(
    study: Study, lang: str
) -> None:
    folder = study.site / PREFIX[lang] if PREFIX[lang] else study.site
    tree = parse_html(folder / "informant-index.html")
    article = tree.xpath("//article")[0]
    sections: dict[str, list[str]] = {}
    current = None
    for element in article.iterchildren():
        if element.tag == "h2":
            current = element.get("id")
            sections[current] = []
        elif current is not None:
            sections[current] += targets(element)
    for informant in study.findings.informants:
        expected = [
            q.id
            for q in study.findings.quotes
            if isinstance(q.informant, Ref) and q.informant.id == informant.id
        ]
        assert sections.pop(f"informant-{informant.id}") == expected, informant.id
        heading = tree.get_element_by_id(f"informant-{informant.id}")
        assert informant.code in folded(heading)
    unattributed = [q.id for q in study.findings.quotes if not isinstance(q.informant, Ref)]
    assert sections.pop("unattributed-quotes", []) == unattributed
    assert not sections, f"unexpected sections: {list(sections)}"


def test_attributions_and_the_informants_table_link_to_the_informant_sections(
    study: Study,
) -> None:
    for lang in PREFIX:
        folder = study.site / PREFIX[lang] if PREFIX[lang] else study.site
        for page in folder.glob("*.html"):
            for link in parse_html(page).xpath(
                "//figure[contains(@class, 'quote')]//figcaption//a"
            ):
                href = link.get("href")
                if "#informant-" in href:
                    assert href.startswith("informant-index.html#informant-"), href
        method = [p for p in folder.glob("*.html") if 'id="informant-' in p.read_text()]
        table_links = [
            a.get("href")
            for p in method
            if p.name != "informant-index.html"
            for a in parse_html(p).xpath("//table//a[contains(@href, '#informant-')]")
        ]
        assert sorted(table_links) == sorted(
            f"informant-index.html#informant-{i.id}" for i in study.findings.informants
        )


# --- cite this quote -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_quote_has_a_permalink_and_a_citation_readable_without_javascript(
    study: Study, lang: str
) -> None:
    title = study.findings.study.title.values[study.findings.source_language.code]
    for quote in study.findings.quotes:
        name, tree = page_holding(study.site, lang, quote.id)
        figure = tree.get_element_by_id(quote.id)
        permalink = figure.xpath(".//a[contains(@class, 'quote__link')]")[0]
        assert permalink.get("href") == f"#{quote.id}"
        # Its accessible name is words, not "#": the sign is hidden from screen readers.
        hidden = permalink.xpath(".//*[@aria-hidden='true']")
        spoken = folded(permalink).replace(hidden[0].text_content(), "", 1).strip()
        assert spoken and spoken != "#"
        cite = figure.getnext()
        assert cite.tag == "details" and "quote__cite" in cite.get("class", "")
        assert cite.get("open") is None  # closed: opened by the reader, no script needed
        text = folded(cite.xpath(".//p[contains(@class, 'quote__citation')]")[0])
        assert title in text
        if isinstance(quote.informant, Ref):
            code = next(i.code for i in study.findings.informants if i.id == quote.informant.id)
            assert code in text
        assert text.endswith(f"{name}#{quote.id}"), text
