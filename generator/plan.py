"""Plan stage of rendering: which pages the site has and where each thing sits on them.

The plan is the same for every language: pages sit flat at the root of each language's
site and carry the same file name in every language (the language switch and the anchors
rely on that).  Nothing here formats text; `generator.render` does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from generator.evidence import EvidenceIndex
from generator.model import (
    Chapter,
    FigureBlock,
    Findings,
    Gap,
    IncludeBlock,
    Informant,
    Language,
    Localized,
    QuoteBlock,
    Ref,
    Section,
    walk_blocks,
    walk_sections,
)

# A results page holds at most this many quotes by default; the rest go to further parts.
QUOTES_PER_PAGE = 100
# The pages that list the whole study (the print view, the informants) hold this many
# times as many quotes (400: at most about 260 KB compressed in a translation, which shows the
# original beside each quote); the rest go to further parts, `print--2.md` and so on.
LISTING_PAGES_FACTOR = 4


@dataclass(frozen=True)
class PagePart:
    """One part of a chapter or section whose quotes do not fit on one page.

    Part 1 keeps the page's own file (and its place in the navigation); part n is
    `<id>--<n>.md` (ids cannot hold "--").  The owner's body is cut after every
    `QUOTES_PER_PAGE`-th quote, so the text that introduces a quote stays with it.
    """

    number: int  # 1-based
    files: tuple[str, ...]  # every part's file, in order
    blocks: tuple[Any, ...]  # the owner's body blocks on this part
    appended: tuple[str, ...]  # ids of appended quotes on this part
    first: int  # number of the part's first quote among the owner's quotes (1-based)
    last: int
    total: int

    @property
    def count(self) -> int:
        return len(self.files)

    @property
    def is_last(self) -> bool:
        return self.number == len(self.files)


@dataclass(frozen=True)
class PrintSegment:
    """A heading (`level` > 0) or a run of a body, in the order the paper reads."""

    owner: Chapter | Section
    level: int = 0
    blocks: tuple[Any, ...] = ()  # body blocks of the run
    appended: tuple[str, ...] = ()  # ids of appended quotes of the run


@dataclass(frozen=True)
class PrintPart:
    """One page of the print view: the whole paper, or a share of it when it is long."""

    number: int  # 1-based
    files: tuple[str, ...]  # every part's file, in order
    segments: tuple[PrintSegment, ...]

    @property
    def is_last(self) -> bool:
        return self.number == len(self.files)


@dataclass(frozen=True)
class InformantSegment:
    """An informant's quotes on one part of the informants page (`informant` None: the
    quotes no named informant is given for); `head` when the part shows their facts."""

    informant: Informant | None
    quotes: tuple[str, ...]
    head: bool = True


@dataclass(frozen=True)
class InformantPart:
    """One page of the informants page: every informant, or a share when there are many."""

    number: int  # 1-based
    files: tuple[str, ...]
    segments: tuple[InformantSegment, ...]


@dataclass(frozen=True)
class PagePlan:
    """One page of the site, the same in every language."""

    file: str
    kind: str  # home | chapter | section | references | handwritten | one of STUDY_PAGES
    chapter: Chapter | None = None
    section: Section | None = None
    number: str | None = None
    title: Localized | Gap | None = None
    children: tuple[PagePlan, ...] = ()
    handwritten_titles: Mapping[str, str] = field(default_factory=dict)
    part: PagePart | None = None  # set when the page's quotes are split over several parts
    parts: tuple[PagePlan, ...] = ()  # on part 1: the further parts (not in the navigation)
    # the print view's share of the paper, or the informants page's share of the informants
    listing: PrintPart | InformantPart | None = None

    @property
    def owner_id(self) -> str:
        """The id of the chapter or section the page shows."""
        owner = self.section or self.chapter
        return owner.id if owner else ""


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


# The hand-written page that explains the site (pages/<lang>/about.md): the generator adds
# the translation statement to it.
ABOUT_PAGE = "about.md"

# Pages every study gets, made from its findings (generator/templates/<kind>.md.j2), with
# their file names; validate reserves the names.
STUDY_PAGES: dict[str, str] = {
    "matrix": "evidence-matrix.md",
    "informants": "informant-index.md",
    "data": "open-data.md",
    "print": "print.md",  # the whole paper on one page, for print and PDF
}
# Pages a study gets when its findings hold what they show (`reporting:`, `corrections:`).
OPTIONAL_PAGES: dict[str, str] = {
    "reporting": "reporting-checklist.md",
    "corrections": "corrections.md",
}


def optional_pages(findings: Findings) -> dict[str, str]:
    """The optional pages this study has, by kind."""
    present = {
        "reporting": findings.reporting is not None,
        "corrections": bool(findings.corrections),
    }
    return {kind: file for kind, file in OPTIONAL_PAGES.items() if present[kind]}


def plan_pages(
    findings: Findings,
    handwritten: tuple[HandwrittenPage, ...] = (),
    appended: Mapping[str, list[str]] | None = None,
    quotes_per_page: int = QUOTES_PER_PAGE,
) -> list[PagePlan]:
    """The site's pages in navigation order (home, chapters with their own-page sections, ...).

    A chapter or section with more than `quotes_per_page` quotes (placed and `appended`)
    is split into parts.
    """
    appended = appended if appended is not None else quote_placement(findings)
    pages = [PagePlan("index.md", "home")]
    for chapter in findings.chapters:
        children = tuple(
            _split(
                PagePlan(f"{s.id}.md", "section", chapter, s, s.number, s.title),
                s.body,
                appended.get(s.id, []),
                quotes_per_page,
            )
            for s in walk_sections(chapter.sections)
            if s.own_page
        )
        pages.append(
            _split(
                PagePlan(
                    f"{chapter.id}.md",
                    "chapter",
                    chapter,
                    None,
                    chapter.number,
                    chapter.title,
                    children,
                ),
                chapter.body,
                appended.get(chapter.id, []),
                quotes_per_page,
            )
        )
    pages.append(PagePlan("references.md", "references"))
    limit = quotes_per_page * LISTING_PAGES_FACTOR
    for kind, file in STUDY_PAGES.items():
        if kind == "print":
            pages.append(_print_view(findings, appended, limit))
        elif kind == "informants":
            pages.append(_informants_page(findings, limit))
        else:
            pages.append(PagePlan(file, kind))
    pages += [PagePlan(file, kind) for kind, file in optional_pages(findings).items()]
    for page in handwritten:
        pages.append(
            PagePlan(
                page.name,
                "handwritten",
                handwritten_titles={lang: page.title(lang) for lang in page.texts},
            )
        )
    return pages


def _split(
    page: PagePlan, body: tuple[Any, ...], appended: list[str], quotes_per_page: int
) -> PagePlan:
    """`page` as part 1 of several when its owner has more than `quotes_per_page` quotes."""
    items: list[Any] = [*body, *appended]  # blocks, then appended quote ids (str)
    quote_at = [i for i, item in enumerate(items) if isinstance(item, (QuoteBlock, str))]
    if len(quote_at) <= quotes_per_page:
        return page
    cuts = [
        0,
        *(quote_at[n - 1] + 1 for n in range(quotes_per_page, len(quote_at), quotes_per_page)),
    ]
    cuts.append(len(items))
    stem = page.file.removesuffix(".md")
    files = tuple(page.file if n == 0 else f"{stem}--{n + 1}.md" for n in range(len(cuts) - 1))
    parts = []
    for n, (start, end) in enumerate(itertools.pairwise(cuts)):
        chunk = items[start:end]
        first = n * quotes_per_page + 1
        quotes = sum(isinstance(item, (QuoteBlock, str)) for item in chunk)
        part = PagePart(
            number=n + 1,
            files=files,
            blocks=tuple(item for item in chunk if not isinstance(item, str)),
            appended=tuple(item for item in chunk if isinstance(item, str)),
            first=first,
            last=first + quotes - 1,
            total=len(quote_at),
        )
        parts.append(replace(page, file=files[n], part=part, children=(), parts=()))
    return replace(parts[0], children=page.children, parts=tuple(parts[1:]))


def _print_view(findings: Findings, appended: Mapping[str, list[str]], limit: int) -> PagePlan:
    """The print view: every chapter and section in order, on one page or, past `limit`
    quotes, on several (cut after a quote, so the text that introduces one stays with it)."""
    parts: list[list[PrintSegment]] = [[]]
    count = 0
    for owner, level in _paper_order(findings.chapters):
        parts[-1].append(PrintSegment(owner, level))
        run: list[Any] = []
        for item in [*owner.body, *appended.get(owner.id, [])]:
            run.append(item)
            if isinstance(item, (QuoteBlock, str)):
                count += 1
                if count == limit:
                    parts[-1].append(_run(owner, run))
                    parts.append([])
                    run, count = [], 0
        if run:
            parts[-1].append(_run(owner, run))
    return _in_parts("print", parts, PrintPart)


def _informants_page(findings: Findings, limit: int) -> PagePlan:
    """The informants page: each informant with their quotes, then the unattributed ones;
    past `limit` quotes on several pages (an informant's quotes may go on to the next)."""
    by_informant: dict[str | None, list[str]] = {i.id: [] for i in findings.informants}
    by_informant[None] = []
    for quote in findings.quotes:
        key = quote.informant.id if isinstance(quote.informant, Ref) else None
        by_informant.setdefault(key, []).append(quote.id)
    people: list[Informant | None] = [*findings.informants]
    if by_informant[None]:
        people.append(None)
    parts: list[list[InformantSegment]] = [[]]
    count = 0
    for informant in people:
        quotes = by_informant[informant.id if informant else None]
        head = True
        while True:
            room = limit - count
            share, quotes = quotes[:room], quotes[room:]
            parts[-1].append(InformantSegment(informant, tuple(share), head))
            count += len(share)
            if count < limit:
                break
            parts.append([])
            count, head = 0, False
            if not quotes:
                break
    return _in_parts("informants", parts, InformantPart)


def _in_parts(
    kind: str,
    shares: list[list[Any]],
    part: type[PrintPart] | type[InformantPart],
) -> PagePlan:
    """A study page (`STUDY_PAGES[kind]`) as one page per share: the first keeps the file
    and the place in the navigation, the others are `<stem>--2.md`... (its `parts`)."""
    if not shares[-1] and len(shares) > 1:
        shares.pop()  # the last share was full
    file = STUDY_PAGES[kind]
    stem = file.removesuffix(".md")
    files = tuple(file if n == 0 else f"{stem}--{n + 1}.md" for n in range(len(shares)))
    pages = [
        PagePlan(files[n], kind, listing=part(n + 1, files, tuple(share)))
        for n, share in enumerate(shares)
    ]
    return replace(pages[0], parts=tuple(pages[1:]))


def informant_pages(pages: list[PagePlan]) -> dict[str, str]:
    """The page file that holds each informant's heading (the first share of their quotes)."""
    located: dict[str, str] = {}
    for page in all_pages(pages):
        if not isinstance(page.listing, InformantPart):
            continue
        for segment in page.listing.segments:
            if segment.informant is not None and segment.head:
                located[segment.informant.id] = page.file
    return located


def _paper_order(
    chapters: tuple[Chapter, ...],
) -> Iterator[tuple[Chapter | Section, int]]:
    """Each chapter (level 2) and every section below it (3, 4, ...), as the paper reads."""

    def below(sections: tuple[Section, ...], level: int) -> Iterator[tuple[Section, int]]:
        for section in sections:
            yield section, level
            yield from below(section.sections, level + 1)

    for chapter in chapters:
        yield chapter, 2
        yield from below(chapter.sections, 3)


def _run(owner: Chapter | Section, items: list[Any]) -> PrintSegment:
    return PrintSegment(
        owner,
        blocks=tuple(item for item in items if not isinstance(item, str)),
        appended=tuple(item for item in items if isinstance(item, str)),
    )


def all_pages(pages: list[PagePlan]) -> Iterator[PagePlan]:
    """Every page: each part after the first of its page, children after their parent."""
    for page in pages:
        yield page
        yield from page.parts
        yield from all_pages(list(page.children))


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
    informant_pages: dict[str, str]  # informant id -> the informants page's part with them
    results_page: dict[str, str]  # indicator id -> page file of its results
    evidence: EvidenceIndex  # the links between quotes, conclusions and recommendations
    # chapter or section id -> its link: `<id>.md` (a page of its own) or `<page>.md#<id>`
    section_links: dict[str, str] = field(default_factory=dict)
    figure_pages: dict[str, str] = field(default_factory=dict)  # figure id -> page file


def plan_site(
    findings: Findings,
    handwritten: tuple[HandwrittenPage, ...] = (),
    quotes_per_page: int = QUOTES_PER_PAGE,
) -> SitePlan:
    """Plan the pages once, for every language."""
    appended = quote_placement(findings)
    pages = plan_pages(findings, handwritten, appended, quotes_per_page)
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
        informant_pages=informant_pages(pages),
        results_page={
            indicator: f"{section}.md" for indicator, section in results_sections(findings).items()
        },
        evidence=EvidenceIndex(findings),
        section_links=section_links(pages),
        figure_pages={
            block.figure.id: page.file
            for page in reversed(list(all_pages(pages)))
            for _, body in bodies_on_page(page)
            for block in body
            if isinstance(block, FigureBlock)
        },
    )


def section_links(pages: list[PagePlan]) -> dict[str, str]:
    """Where each chapter and section is: its own page, or its heading on its parent's page
    (on the first part of a split page that shows it)."""
    links: dict[str, str] = {}
    for page in all_pages(pages):
        if page.kind not in ("chapter", "section"):
            continue
        if page.part is None or page.part.number == 1:
            links[page.owner_id] = page.file
        for owner_id, _ in bodies_on_page(page):
            links.setdefault(owner_id, f"{page.file}#{owner_id}")
    return links


def page_of_quotes(pages: list[PagePlan], appended: dict[str, list[str]]) -> dict[str, str]:
    """The page file each quote appears on."""
    located: dict[str, str] = {}
    for page in all_pages(pages):
        for section_or_chapter, body in bodies_on_page(page):
            for block in body:
                if isinstance(block, QuoteBlock):
                    located[block.quote.id] = page.file
            for quote_id in appended_on_page(page, section_or_chapter, appended):
                located[quote_id] = page.file
    return located


def appended_on_page(
    page: PagePlan, owner_id: str, appended: Mapping[str, list[str]]
) -> Sequence[str]:
    """The appended quotes of `owner_id` that `page` shows (a part shows its own share)."""
    if page.part and owner_id == page.owner_id:
        return page.part.appended
    return appended.get(owner_id, [])


def bodies_on_page(page: PagePlan) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(owner id, blocks) of each chapter or section body the page shows, in order.

    A part shows its share of its owner's body; the sections below come on the last part.
    """
    owner = page.section if page.kind == "section" else page.chapter
    if page.kind not in ("chapter", "section") or owner is None:
        return
    yield owner.id, page.part.blocks if page.part else owner.body
    if page.part is None or page.part.is_last:
        yield from _section_bodies(owner.sections)


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
