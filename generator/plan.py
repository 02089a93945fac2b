"""Plan stage of rendering: which pages the site has and where each thing sits on them.

The plan is the same for every language: pages sit flat at the root of each language's
site and carry the same file name in every language (the language switch and the anchors
rely on that).  Nothing here formats text; `generator.render` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.evidence import EvidenceIndex
from generator.model import (
    Chapter,
    Findings,
    IncludeBlock,
    Language,
    Localized,
    QuoteBlock,
    Section,
    walk_blocks,
    walk_sections,
)


@dataclass(frozen=True)
class PagePlan:
    """One page of the site, the same in every language."""

    file: str
    kind: str  # home | chapter | section | references | handwritten
    chapter: Chapter | None = None
    section: Section | None = None
    number: str | None = None
    title: Localized | None = None
    children: tuple[PagePlan, ...] = ()
    handwritten_titles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HandwrittenText:
    """One language's version of a hand-written page, and the path shown in messages."""

    text: str
    path: str


@dataclass(frozen=True)
class HandwrittenPage:
    """A page an editor wrote under <findings>/pages/<language>/, copied as it is."""

    name: str
    texts: Mapping[str, str]  # language -> Markdown
    paths: Mapping[str, str] = field(default_factory=dict)  # language -> path for messages

    def title(self, language: str) -> str:
        """The page's first `# ` heading, without an attribute list such as `{ #about }`."""
        for line in self.texts[language].splitlines():
            if line.startswith("# "):
                return re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip()
        return self.name.removesuffix(".md").replace("-", " ").capitalize()


def plan_pages(findings: Findings, handwritten: tuple[HandwrittenPage, ...] = ()) -> list[PagePlan]:
    """The site's pages in navigation order (home, chapters with their own-page sections, ...)."""
    pages = [PagePlan("index.md", "home")]
    for chapter in findings.chapters:
        children = tuple(
            PagePlan(f"{s.id}.md", "section", chapter, s, s.number, s.title)
            for s in walk_sections(chapter.sections)
            if s.own_page
        )
        pages.append(
            PagePlan(
                f"{chapter.id}.md",
                "chapter",
                chapter,
                None,
                chapter.number,
                chapter.title,
                children,
            )
        )
    pages.append(PagePlan("references.md", "references"))
    for page in handwritten:
        pages.append(
            PagePlan(
                page.name,
                "handwritten",
                handwritten_titles={lang: page.title(lang) for lang in page.texts},
            )
        )
    return pages


def all_pages(pages: list[PagePlan]) -> Iterator[PagePlan]:
    """Every page, children after their parent."""
    for page in pages:
        yield page
        yield from page.children


def quote_placement(findings: Findings) -> dict[str, list[str]]:
    """Quotes of each section that has any: placed ones in place, the rest appended.

    A quote no section places explicitly goes to the end of its indicator's results
    section, so adding a quote to quotes.yaml is enough to publish it.
    """
    placed = {b.quote.id for _, b in walk_blocks(findings.chapters) if isinstance(b, QuoteBlock)}
    appended: dict[str, list[str]] = {}
    results = results_sections(findings)
    for quote in findings.quotes:
        if quote.id not in placed and quote.indicator.id in results:
            appended.setdefault(results[quote.indicator.id], []).append(quote.id)
    return appended


def results_sections(findings: Findings) -> dict[str, str]:
    """The id of the section (and page) that reports each indicator's results."""
    return {
        s.indicator.id: s.id
        for c in findings.chapters
        for s in walk_sections(c.sections)
        if s.indicator
    }


@dataclass(frozen=True)
class SitePlan:
    """What every language of the site shares: its pages and where each thing sits."""

    pages: list[PagePlan]
    appended: dict[str, list[str]]  # section id -> quotes no section places explicitly
    quote_pages: dict[str, str]  # quote id -> page file
    include_pages: dict[str, str]  # "informants", ... -> page file that includes it
    results_page: dict[str, str]  # indicator id -> page file of its results
    evidence: EvidenceIndex  # the links between quotes, conclusions and recommendations


def plan_site(findings: Findings, handwritten: tuple[HandwrittenPage, ...] = ()) -> SitePlan:
    """Plan the pages once, for every language."""
    pages = plan_pages(findings, handwritten)
    appended = quote_placement(findings)
    return SitePlan(
        pages=pages,
        appended=appended,
        quote_pages=page_of_quotes(pages, appended),
        include_pages={
            block.include: page.file
            for page in all_pages(pages)
            for _, body in bodies_on_page(page)
            for block in body
            if isinstance(block, IncludeBlock)
        },
        results_page={
            indicator: f"{section}.md" for indicator, section in results_sections(findings).items()
        },
        evidence=EvidenceIndex(findings),
    )


def page_of_quotes(pages: list[PagePlan], appended: dict[str, list[str]]) -> dict[str, str]:
    """The page file each quote appears on."""
    located: dict[str, str] = {}
    for page in all_pages(pages):
        for section_or_chapter, body in bodies_on_page(page):
            for block in body:
                if isinstance(block, QuoteBlock):
                    located[block.quote.id] = page.file
            for quote_id in appended.get(section_or_chapter, []):
                located[quote_id] = page.file
    return located


def bodies_on_page(page: PagePlan) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if page.kind == "chapter" and page.chapter:
        yield page.chapter.id, page.chapter.body
        yield from _section_bodies(page.chapter.sections)
    elif page.kind == "section" and page.section:
        yield page.section.id, page.section.body
        yield from _section_bodies(page.section.sections)


def _section_bodies(sections: tuple[Section, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    for section in sections:
        if section.own_page:
            continue
        yield section.id, section.body
        yield from _section_bodies(section.sections)


@dataclass(frozen=True)
class SiteLanguage:
    """A language as one MkDocs site: where it lives relative to the source-language root."""

    language: Language
    prefix: str  # "" for the source language, "en/" for a translation

    @property
    def code(self) -> str:
        return self.language.code


def site_languages(findings: Findings) -> list[SiteLanguage]:
    """The source language at the root, each translation under /<code>/."""
    return [SiteLanguage(findings.source_language, "")] + [
        SiteLanguage(t, f"{t.code}/") for t in findings.translations
    ]
