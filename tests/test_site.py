"""The real study's built site, read as HTML: every finding on its page in both languages,
and the bilingual plumbing (lang, switch, hreflang, 404, search) right on every page."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import pytest

from generator.build import Project, check
from generator.model import Findings, Gap, Localized, TextBlock, walk_sections
from tests.conftest import ROOT, ServedSite


def localized(text: Localized | Gap) -> Localized:
    """The real study gives this text (it is not a gap)."""
    assert isinstance(text, Localized)
    return text


pytestmark = pytest.mark.slow
LANGUAGES = {"id": "", "en": "en/"}


@cache
def study() -> Findings:
    return check(Project(ROOT / "findings")).findings


def pages(site: Path, prefix: str) -> list[Path]:
    folder = site / prefix if prefix else site
    return sorted(p for p in folder.glob("*.html") if p.name != "404.html")


def visible_text(page: Path) -> str:
    """The page's text as a reader sees it: tags removed, entities decoded, spaces folded."""
    source = page.read_text(encoding="utf-8")
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<br\s*/?>", " ", source)
    source = re.sub(r"</?span\b[^>]*>", "", source)  # inline: no word break
    text = html.unescape(re.sub(r"<[^>]+>", " ", source))
    return " ".join(text.split())


def folded(text: str) -> str:
    return " ".join(text.split())


def site_text(site: Path, prefix: str) -> str:
    return " ".join(visible_text(p) for p in pages(site, prefix))


def plain_markdown(text: str) -> str:
    """Prose as it reads once rendered: citations and emphasis markers gone."""
    text = re.sub(r"\[@[^\]]*\]", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", text, flags=re.M)
    return folded(text)


def test_every_page_declares_its_language_and_material_speaks_it(study_site: Path) -> None:
    placeholders = {"id": "Cari", "en": "Search"}
    for language, prefix in LANGUAGES.items():
        found = pages(study_site, prefix)
        assert len(found) >= 10
        for page in found:
            source = page.read_text(encoding="utf-8")
            assert f'<html lang="{language}"' in source, page
            assert f'placeholder="{placeholders[language]}"' in source, page


def test_both_languages_have_the_same_pages(study_site: Path) -> None:
    assert [p.name for p in pages(study_site, "")] == [p.name for p in pages(study_site, "en/")]


def test_language_switch_leads_to_the_same_page(study_site: Path) -> None:
    for page in pages(study_site, ""):
        source = page.read_text(encoding="utf-8")
        assert f'href="en/{page.name}" hreflang="en"' in source, page.name
    for page in pages(study_site, "en/"):
        source = page.read_text(encoding="utf-8")
        assert f'href="../{page.name}" hreflang="id"' in source, page.name


def test_head_lists_hreflang_alternates_and_canonical(served_site: ServedSite) -> None:
    for page in pages(served_site.root, "en/"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        base = served_site.url
        assert f'<link rel="alternate" hreflang="id" href="{base}{page.name}">' in head
        assert f'<link rel="alternate" hreflang="en" href="{base}en/{page.name}">' in head
        assert f'<link rel="alternate" hreflang="x-default" href="{base}{page.name}">' in head
        assert f'<link rel="canonical" href="{base}en/{page.name}">' in head


def test_sitemap_uses_the_published_address(served_site: ServedSite) -> None:
    root = (served_site.root / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{served_site.url}results-trust-building.html</loc>" in root
    assert f"<loc>{served_site.url}en/results-trust-building.html</loc>" in root


def test_root_404_speaks_both_languages(study_site: Path) -> None:
    source = (study_site / "404.html").read_text(encoding="utf-8")
    assert '<section class="not-found" lang="id">' in source
    assert '<section class="not-found" lang="en">' in source
    assert "Halaman tidak ditemukan" in source and "Page not found" in source


def test_no_page_requests_anything_from_another_site(served_site: ServedSite) -> None:
    for page in served_site.root.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in source and "fonts.gstatic" not in source, page
        for attribute in re.findall(
            r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="([^"]+)"', source
        ):
            if attribute.startswith(("http://", "https://", "//")):
                assert attribute.startswith(served_site.url), f"{page}: {attribute}"


def test_search_index_of_each_language_holds_only_that_language(study_site: Path) -> None:
    for language, prefix in LANGUAGES.items():
        index = json.loads(
            (study_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8")
        )
        locations = [doc["location"] for doc in index["docs"]]
        assert locations and not [loc for loc in locations if loc.startswith(("en/", "../"))]
        # The hand-written about page quotes the other language on purpose (glossary).
        generated = [d for d in index["docs"] if not d["location"].startswith("about")]
        text = " ".join(doc["text"] for doc in generated).lower()
        if language == "en":
            assert "mentoring" in text and "pendampingan dilakukan" not in text
        else:
            assert "pendampingan" in text and "mentoring" not in text


def test_every_quote_is_on_its_page_in_both_languages(study_site: Path) -> None:
    findings = study()
    for language, prefix in LANGUAGES.items():
        text = site_text(study_site, prefix)
        sources = " ".join(p.read_text(encoding="utf-8") for p in pages(study_site, prefix))
        for quote in findings.quotes:
            assert f'id="{quote.id}"' in sources, (language, quote.id)
            if isinstance(quote.text, str):
                assert folded(quote.text) in text, (language, quote.id)  # verbatim original
                if language == "en":
                    assert quote.translation is not None
                    assert folded(quote.translation.values["en"]) in text
            if isinstance(quote.interpretation, Localized):
                first_sentence = plain_markdown(quote.interpretation.values[language]).split(". ")[
                    0
                ]
                assert first_sentence in text, (language, quote.id)


def test_original_beside_translation_is_marked_as_indonesian(study_site: Path) -> None:
    source = (study_site / "en" / "results-trust-building.html").read_text(encoding="utf-8")
    originals = re.findall(r'<blockquote lang="id">\s*<p>(.*?)</p>', source, flags=re.S)
    assert len(originals) == 2
    assert "kita memang mesti percaya" in html.unescape(originals[0])


def test_gaps_in_the_source_are_shown_as_gaps(study_site: Path) -> None:
    id_text = visible_text(study_site / "results-commitment-to-process.html")
    en_text = visible_text(study_site / "en" / "results-commitment-to-process.html")
    assert "Kutipan tidak ada" in id_text and "terpotong dalam sumber" in id_text
    assert "Quote missing" in en_text and "cut off in the source" in en_text
    unattributed = visible_text(study_site / "en" / "results-face-to-face-dialogue.html")
    assert "Informant not named" in unattributed


def test_every_section_conclusion_recommendation_reference_and_figure_is_published(
    study_site: Path,
) -> None:
    findings = study()
    for language, prefix in LANGUAGES.items():
        text = site_text(study_site, prefix)
        sources = " ".join(p.read_text(encoding="utf-8") for p in pages(study_site, prefix))
        for chapter in findings.chapters:
            assert folded(localized(chapter.title).values[language]) in text
            for section in walk_sections(chapter.sections):
                assert folded(localized(section.title).values[language]) in text, section.id
                assert f'id="{section.id}"' in sources, section.id
        for conclusion in findings.conclusions:
            assert plain_markdown(conclusion.text.values[language])[:80] in text
        for recommendation in findings.recommendations:
            assert f'id="recommendation-{recommendation.id}"' in sources
            assert plain_markdown(recommendation.text.values[language])[:80] in text
        for reference in findings.references:
            assert f'id="ref-{reference.id}"' in sources
        for figure in findings.figures:
            assert f'<svg id="svg-{figure.id}"' in sources or f'id="svg-{figure.id}"' in sources
            assert folded(figure.caption.values[language]) in text
            for node in figure.nodes:
                assert folded(node.label.values[language]) in text
        for informant in findings.informants:
            assert f'id="informant-{informant.id}"' in sources
            assert folded(informant.role.values[language]) in text


def test_every_paragraph_of_the_paper_is_published(study_site: Path) -> None:
    findings = study()
    for language, prefix in LANGUAGES.items():
        text = site_text(study_site, prefix)
        assert plain_markdown(localized(findings.study.abstract).values[language])[:200] in text
        for chapter in findings.chapters:
            bodies = [chapter.body, *(s.body for s in walk_sections(chapter.sections))]
            for block in (b for body in bodies for b in body):
                if isinstance(block, TextBlock):
                    for paragraph in block.text.values[language].split("\n\n"):
                        assert plain_markdown(paragraph)[:60] in text, paragraph[:60]
