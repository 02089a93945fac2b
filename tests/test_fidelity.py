"""The Muara Pantun findings against the paper they come from (tests/paper/).

Every Indonesian word the site shows as the paper's must be the paper's, character for
character once whitespace is folded: quotes, interpretations, paragraphs, indicator
definitions with their connecting words, roles, conclusions and recommendations. What the
editors add or change instead (codes, headings, a split paragraph) must be marked as theirs.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from generator.build import Project, check
from generator.model import (
    EditorsNoteBlock,
    Findings,
    Gap,
    Localized,
    TextBlock,
    walk_blocks,
    walk_sections,
)
from tests.conftest import ROOT


def localized(text: Localized | Gap) -> Localized:
    """The real study gives this text (it is not a gap)."""
    assert isinstance(text, Localized)
    return text


PAPER = ROOT / "tests" / "paper" / "paper-muara-pantun.txt"


def fold(text: str) -> str:
    return " ".join(text.split())


@cache
def paper() -> str:
    """The paper's text, whitespace folded, without the word processor's bookmarks."""
    text = PAPER.read_text(encoding="utf-8")
    text = re.sub(r"\[bookmark: [^\]]*\]\s*", "", text)
    text = re.sub(r"^\s*·\s*", "", text, flags=re.M)  # its bullets; Markdown has "- "
    return fold(text)


@cache
def study() -> Findings:
    return check(Project(ROOT / "findings")).findings


def as_shown(markdown: str) -> str:
    """Indonesian prose as a reader sees it: citations in their printed form, no list marks."""
    references = {r.id: r for r in study().references}

    def parenthetical(match: re.Match[str]) -> str:
        reference_id, _, locator = match.group(1).partition(",")
        reference = references[reference_id.strip()]
        names = [a.split(",")[0] for a in reference.authors]
        year = reference.year if isinstance(reference.year, str) else ""
        return f"({' & '.join(names)}, {year}" + (f":{locator.strip()}" if locator else "") + ")"

    text = re.sub(r"\[@([^\]]*)\]", parenthetical, markdown)
    text = re.sub(r"\[([^\]]+)\]\(@[^)]*\)", r"\1", text)
    text = re.sub(r"^\s*-\s+", "", text, flags=re.M)
    return fold(text)


def assert_in_paper(text: str, what: str) -> None:
    assert fold(text) in paper(), f"{what} is not the paper's wording: {fold(text)[:120]!r}"


def test_every_quote_is_verbatim_from_the_paper() -> None:
    quotes = [q for q in study().quotes if isinstance(q.text, str)]
    assert len(quotes) == 9
    for quote in quotes:
        assert_in_paper(f"“{quote.text}”", quote.id)


def test_every_indonesian_paragraph_interpretation_and_recommendation_is_the_papers() -> None:
    findings = study()
    assert_in_paper(as_shown(localized(findings.study.abstract).values["id"]), "the abstract")
    for section, block in walk_blocks(findings.chapters):
        if isinstance(block, TextBlock):
            for paragraph in block.text.values["id"].split("\n\n"):
                assert_in_paper(as_shown(paragraph), section.id if section else "a chapter")
    for quote in findings.quotes:
        if isinstance(quote.interpretation, Localized):
            assert_in_paper(as_shown(quote.interpretation.values["id"]), quote.id)
    for recommendation in findings.recommendations:
        assert_in_paper(recommendation.text.values["id"], recommendation.id)


def test_indicator_definitions_keep_the_papers_connecting_words() -> None:
    # 3.5 reads "Face to Face Dialogue (dialog/tatap muka) yakni diantara stakeholders ...".
    for indicator in study().indicators:
        name, definition = indicator.name.values["id"], indicator.definition.values["id"]
        assert definition.split()[0] in {"yakni", "yaitu"}, indicator.id
        assert_in_paper(f"{name} {definition}", indicator.id)


def test_the_conclusions_read_as_the_papers_single_paragraph_and_the_split_is_marked() -> None:
    findings = study()
    section = next(
        s for c in findings.chapters for s in walk_sections(c.sections) if s.id == "conclusion"
    )
    lead_in = next(b for b in section.body if isinstance(b, TextBlock)).text.values["id"]
    assert not lead_in.rstrip().endswith(":")
    whole = " ".join([lead_in, *(c.text.values["id"] for c in findings.conclusions)])
    assert_in_paper(whole, "5.1")
    assert any(isinstance(b, EditorsNoteBlock) for b in section.body), "split not marked"


def test_headings_are_the_papers_or_marked_as_the_editors() -> None:
    for chapter in study().chapters:
        for section in walk_sections(chapter.sections):
            title = fold(localized(section.title).values["id"])
            marked = any(isinstance(b, EditorsNoteBlock) for b in section.body)
            # The paper's capitals ("4.2. HASIL PENELITIAN") are written in normal case.
            assert marked or title in paper() or title.upper() in paper(), section.id


def test_roles_are_the_papers_and_codes_it_does_not_use_are_marked() -> None:
    for informant in study().informants:
        assert_in_paper(informant.role.values["id"], informant.id)
        in_paper = re.search(rf"\b{re.escape(informant.code)}\b", paper()) is not None
        assert in_paper or informant.code_by_editors, informant.code
        assert not (in_paper and informant.code_by_editors), informant.code


def test_figure_captions_are_the_papers_and_every_figure_says_it_is_redrawn() -> None:
    for figure in study().figures:
        assert_in_paper(f"Gambar {figure.number}. {figure.caption.values['id']}", figure.id)
        assert figure.source_note is not None, figure.id


# --- the same, as readers see it on the built site --------------------------------------


def article_text(page: Path) -> str:
    """The visible text of a page's article, outside any closed <details>."""
    source = page.read_text(encoding="utf-8")
    source = source[source.index("<article") : source.index("</article>")]
    source = re.sub(r"<(script|style|svg|details)\b.*?</\1>", " ", source, flags=re.S)
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", source)))


@pytest.mark.slow
def test_editors_choices_and_inferences_are_visible_in_both_languages(study_site: Path) -> None:
    marks = {
        "": ("Catatan penyunting", "kode dari penyunting", "Digambar ulang dari teks makalah"),
        "en/": ("Editors' note", "editors' code", "Redrawn from the paper's text"),
    }
    for prefix, (note, code, redrawn) in marks.items():
        site = study_site / prefix if prefix else study_site
        for page in ("conclusions.html", "discussion-of-results.html"):
            assert note in article_text(site / page), (prefix, page)
        trust = article_text(site / "results-trust-building.html")
        assert f"Ketua LSM ({code})" in trust and note in trust
        commitment = article_text(site / "results-commitment-to-process.html")
        assert commitment.count(note) == 1  # under the NGO's missing quote
        for page, figures in (("concepts.html", 1), ("results-intermediate-outcome.html", 1)):
            # The notice is in the caption, not inside the folded text version.
            assert article_text(site / page).count(redrawn) == figures, (prefix, page)


@pytest.mark.slow
def test_the_citation_does_not_claim_a_publication_type(study_site: Path) -> None:
    home = (study_site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'class="citation-bibtex"[^>]*>(.*?)</pre>', home, re.S)
    assert match is not None
    bibtex = html.unescape(match[1])
    assert "@misc{" in bibtex and "@techreport" not in bibtex
