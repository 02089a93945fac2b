"""Render stage: a validated study becomes Markdown pages and MkDocs settings, per language.

Every page is rendered by the same template once per language, so the languages cannot
drift apart.  `generator.plan` decides which pages exist and where each thing sits;
`PageRenderer` holds the text helpers the templates call for one language; `generator.cite`
formats citations and `generator.mkdocs_config` each language's mkdocs.yml.
Nothing here touches the disk; `generator.write` does.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from generator.cite import ReferenceList, StudyCitation, author_label
from generator.escape import markdown_literal, neutralise_braces
from generator.evidence import EvidenceText
from generator.exports import CSV_FILES, export_files, shared_exports
from generator.figures import FlowEdge, FlowNode, render_flow_svg
from generator.labels import catalogue_languages, load_catalogue
from generator.linked_data import LinkedData
from generator.meta import page_description
from generator.mkdocs_config import mkdocs_config
from generator.model import (
    Figure,
    FigureNode,
    Findings,
    Gap,
    Informant,
    Language,
    Localized,
    Quote,
    QuoteBlock,
    Ref,
    Section,
    walk_blocks,
    walk_sections,
)
from generator.plan import (
    ABOUT_PAGE,
    OPTIONAL_PAGES,
    QUOTES_PER_PAGE,
    STUDY_PAGES,
    HandwrittenPage,
    PagePlan,
    SiteLanguage,
    SitePlan,
    all_pages,
    appended_on_page,
    plan_site,
    site_languages,
)
from generator.prose import Citation, replace_citations
from generator.reporting import ChecklistText, CorrectionText
from generator.terms import Terms
from generator.theme_strings import language_override

PACKAGE = Path(__file__).parent
# Beside a label drawn in a figure whose translation is out of date (a footnote mark: the
# notice under the figure explains it in the page's language).
STALE_MARK = "*"
TEMPLATES = PACKAGE / "templates"

__all__ = [
    "HandwrittenPage",
    "PageRenderer",
    "RenderOptions",
    "catalogue_languages",
    "render_site",
    "site_languages",
]


@dataclass(frozen=True)
class RenderOptions:
    site_url: str | None = None  # published address of the source-language root
    quotes_per_page: int = QUOTES_PER_PAGE  # more quotes than this: the page is split in parts


class PageRenderer:
    """Holds what every page of one language needs; its methods are the templates' helpers."""

    def __init__(
        self,
        findings: Findings,
        here: SiteLanguage,
        languages: list[SiteLanguage],
        plan: SitePlan,
        stale: frozenset[str] = frozenset(),
    ) -> None:
        self.f = findings
        self.site_url: str | None = None
        self.stale = stale  # addresses of fields whose translation here is out of date
        self.here = here
        self.lang = here.code
        self.source = findings.source_language.code
        self.languages = languages
        self.labels = load_catalogue(self.lang)
        self.pages = plan.pages
        self.quote_pages = plan.quote_pages
        self.appended = plan.appended
        self.include_pages = plan.include_pages
        self.informant_pages = plan.informant_pages
        self.results_page = plan.results_page
        self.section_links = plan.section_links
        self.figure_pages = plan.figure_pages
        self.quotes = {q.id: q for q in findings.quotes}
        self.informants = {i.id: i for i in findings.informants}
        self.indicators = {i.id: i for i in findings.indicators}
        self.figures = {f.id: f for f in findings.figures}
        self.references = {r.id: r for r in findings.references}
        self.language_names = {sl.code: sl.language.name for sl in languages}
        self.terms = Terms(findings.terms)
        # Indexed once: the informants table asks for every informant's quotes.
        self._quotes_by_informant: dict[str, list[Quote]] = {}
        for quote in findings.quotes:
            if isinstance(quote.informant, Ref):
                self._quotes_by_informant.setdefault(quote.informant.id, []).append(quote)
        self.cite = StudyCitation(self)
        self.refs = ReferenceList(self)
        sections = {s.id: s for c in findings.chapters for s in walk_sections(c.sections)}
        self.quote_sections = {
            b.quote.id: owner
            for owner, b in walk_blocks(findings.chapters)
            if owner is not None and isinstance(b, QuoteBlock)
        }
        for owner_id, quote_ids in plan.appended.items():
            for quote_id in quote_ids:
                if owner_id in sections:
                    self.quote_sections[quote_id] = sections[owner_id]
        self.ev = EvidenceText(self, plan.evidence)
        self.ld = LinkedData(self)  # schema.org JSON-LD of the home and Data pages
        self.csv_files = CSV_FILES  # the Data page's table lists each
        self._made: dict[str, str] = {}
        self._literals: dict[tuple[str, str], str] = {}  # literal(), by text and language
        self._owners = {c.id: c for c in findings.chapters} | sections
        self.checklist = ChecklistText(self)
        self.corrections = CorrectionText(self)

    def once(self, key: str, make: Callable[..., str], *args: Any) -> str:
        """`make(*args)`, made once for this language under `key`: a quote's block is the
        same on its page and in the print view, which repeats every page."""
        if key not in self._made:
            self._made[key] = make(*args)
        return self._made[key]

    # --- text in this page's language -------------------------------------------------

    def has(self, text: Localized | None) -> bool:
        return text is not None and text.get(self.lang) is not None

    def is_stale(self, text: Localized | None) -> bool:
        """Whether this page's translation of `text` predates a change to its original."""
        return text is not None and text.address in self.stale and self.lang != self.source

    def plain(self, text: Localized) -> str:
        """A plain-text field as literal Markdown; a missing translation is marked pending,
        an out-of-date one is followed by the current original."""
        value = text.get(self.lang)
        if value is not None and self.is_stale(text):
            original = self.literal(text.get(self.source) or "", self.source)
            return f"{self.literal(value, self.lang)} {self._stale_inline(original)}"
        if value is not None:
            return self.literal(value, self.lang)
        original = text.get(self.source) or ""
        return (
            f'<span lang="{self.source}">{self.literal(original, self.source)}</span> '
            f'<span class="pending">({markdown_literal(self.labels["translation_pending"])})</span>'
        )

    def prose(self, text: Localized) -> str:
        """A Markdown field with citations linked; a missing translation is shown pending,
        an out-of-date one is marked and followed by the current original."""
        value = text.get(self.lang)
        if value is not None and self.is_stale(text):
            original_in = self.labels["original_in"].replace(
                "{language}", self.language_names[self.source]
            )
            return (
                f'<div class="stale" markdown>\n\n{self.stale_notice()}\n\n'
                f"{self._markdown(value, self.lang)}\n\n"
                f'<div class="stale__original" lang="{self.source}" markdown>\n\n'
                f'<p class="stale__label" lang="{self.lang}">{markdown_literal(original_in)}</p>'
                f"\n\n{self._markdown(text.get(self.source) or '', self.source)}"
                "\n\n</div>\n\n</div>"
            )
        if value is not None:
            return self._markdown(value, self.lang)
        original = text.get(self.source) or ""
        return (
            f'<div class="pending" lang="{self.source}" markdown>\n\n'
            f'<p class="pending__mark" lang="{self.lang}"><strong>'
            f"{markdown_literal(self.labels['translation_pending'])}</strong> — "
            f"{markdown_literal(self.labels['translation_pending_note'])}</p>\n\n"
            f"{self._markdown(original, self.source)}\n\n</div>"
        )

    def prose_inline(self, text: Localized) -> str:
        """A one-paragraph Markdown field that continues a paragraph (after a bold name):
        a missing or out-of-date translation is marked inline, never as a block."""
        value = text.get(self.lang)
        original = self._markdown(text.get(self.source) or "", self.source)
        if value is None:
            return (
                f'<span lang="{self.source}">{original}</span> <span class="pending">'
                f"({markdown_literal(self.labels['translation_pending'])})</span>"
            )
        if self.is_stale(text):
            return f"{self._markdown(value, self.lang)} {self._stale_inline(original)}"
        return self._markdown(value, self.lang)

    def _stale_inline(self, original: str) -> str:
        before, _, after = self.labels["translation_stale_inline"].partition("{original}")
        return (
            f'<span class="stale stale--inline" role="note">({markdown_literal(before)}'
            f'<span lang="{self.source}">{original}</span>{markdown_literal(after)})</span>'
        )

    def figure_stale(self, figure: Figure) -> bool:
        """Whether any text of the figure is out of date here (the figure's notice says so)."""
        described = figure.description if isinstance(figure.description, Localized) else None
        texts = [described, figure.source_note, *(n.label for n in figure.nodes)]
        return any(self.is_stale(t) for t in [*texts, *(e.label for e in figure.edges)])

    def figure_drawing_stale(self, figure: Figure) -> bool:
        """Whether a label drawn in the figure carries the STALE_MARK."""
        labels = [*(n.label for n in figure.nodes), *(e.label for e in figure.edges)]
        return any(self.is_stale(t) for t in labels)

    def stale_notice(self, note: str = "translation_stale_note") -> str:
        """The reader's warning that a translation predates a change to its original."""
        return (
            f'<p class="stale__mark" role="note"><strong>'
            f"{markdown_literal(self.labels['translation_stale'])}</strong> — "
            f"{markdown_literal(self.labels[note])}</p>"
        )

    def stale_words(self) -> str:
        """ "(translation out of date)" in the page's language, as plain text."""
        return f"({self.labels['translation_stale_marker']})"

    def stale_marker(self) -> str:
        """ "(translation out of date)" after a translation whose current original is already
        shown just before it (a cited title, then its translation in brackets)."""
        marker = markdown_literal(self.stale_words())
        return f'<span class="stale stale--inline" role="note">{marker}</span>'

    def title_text(self, text: Localized) -> str:
        """A title as plain text, for places that hold no markup (navigation, site name,
        `<title>`, link previews): out of date, it says so in words; the page that shows
        the title in full gives the current original beside it."""
        title = self.text_or_source(text)
        if self.is_stale(text):
            title += f" {self.stale_words()}"
        return title

    def drawn(self, text: Localized) -> str:
        """A text drawn in a figure: out of date, marked with the figure's STALE_MARK (the
        notice under the figure explains it, the figure as text gives the original)."""
        drawn = self.text_or_source(text)
        return f"{drawn} {STALE_MARK}" if self.is_stale(text) else drawn

    def literal(self, value: str, language: str) -> str:
        """A plain-text field written in `language` as literal Markdown, exactly as written;
        the study's terms in another language (`languages.terms`) carry their `lang`."""
        made = self._literals.get((value, language))
        if made is None:  # names, roles and titles come back on every quote that links them
            made = self._literals[value, language] = "".join(
                markdown_literal(words)
                if code is None
                else f'<span lang="{code}">{markdown_literal(words)}</span>'
                for words, code in self.terms.pieces(value, language)
            )
        return made

    def _markdown(self, value: str, language: str) -> str:
        """A prose field written in `language`: Markdown with its citations linked, braces
        as text, and the study's terms in another language marked with their `lang`."""
        pieces = []
        for words, code in self.terms.pieces(value, language, prose=True):
            # Attribute lists ({: ...}) are a site feature, not an editor's.
            pieces.append(
                neutralise_braces(words)
                if code is None
                else f'<span lang="{code}">{markdown_literal(words)}</span>'
            )
        return replace_citations("".join(pieces), self.citation)

    def citation(self, citation: Citation) -> str:
        reference = self.references[citation.reference]
        target = f"references.md#ref-{reference.id}"
        if citation.text is not None:
            return f"[{citation.text}]({target})"
        year = self.year(reference.year)
        locator = f":{citation.locator}" if citation.locator else ""
        label = f"({author_label(reference)}, {year}{locator})"
        return f"[{markdown_literal(label)}]({target})"

    def year(self, year: str | Gap) -> str:
        return self.labels["no_date"] if isinstance(year, Gap) else year

    def date(self, value: datetime.date) -> str:
        return _format_date(value, self.labels["date_format"], self.lang)

    def partial_date(self, value: str) -> str:
        """A date as precise as it is known (YYYY, YYYY-MM, YYYY-MM-DD), in words."""
        parts = [int(part) for part in value.split("-")]
        if len(parts) == 3:
            return self.date(datetime.date(*parts))
        if len(parts) == 2:
            return str(
                format_skeleton("yMMMM", datetime.date(parts[0], parts[1], 1), locale=self.lang)
            )
        return value

    def partial_date_or_gap(self, value: str | Gap) -> str:
        return (
            f"*{self.gap(value)}*"
            if isinstance(value, Gap)
            else markdown_literal(self.partial_date(value))
        )

    def yes_no_or_gap(self, value: bool | Gap) -> str:
        if isinstance(value, Gap):
            return f"*{self.gap(value)}*"
        return markdown_literal(self.labels["answer_yes" if value else "answer_no"])

    def labelled_prose(self, label: str, text: Localized | Gap) -> str:
        """A Markdown field after a bold label: on the label's line when it is one
        paragraph, below it otherwise."""
        head = f"**{markdown_literal(label)}:**"
        if isinstance(text, Gap):
            return f"{head} *{self.gap(text)}*"
        shown = text.get(self.lang) or text.get(self.source) or ""
        original = text.get(self.source) or ""
        if "\n\n" in shown.strip() or "\n\n" in original.strip():
            return f"{head}\n\n{self.prose(text)}"
        return f"{head} {self.prose_inline(text)}"

    def translation_heading(self, language: Language) -> str:
        """ "Translation into English": the heading of one translation's statement, the
        language named in the page's language (Babel's names: "Inggris" on Indonesian
        pages), or by its own name, marked as such, when Babel has none."""
        try:
            name = Locale.parse(language.code).get_display_name(self.lang)
        except (ValueError, UnknownLocaleError):
            name = None
        named = markdown_literal(name) if name else self.language_name(language)
        before, _, after = self.labels["translation_into"].partition("{language}")
        return markdown_literal(before) + named + markdown_literal(after)

    def language_name(self, language: Language) -> str:
        """A language's own name, marked as words in that language on other pages."""
        return self.mark_language(markdown_literal(language.name), language.code)

    def mark_language(self, markdown: str, language: str) -> str:
        """Markdown written in `language`, marked with its `lang` where the page's is another."""
        return markdown if language == self.lang else f'<span lang="{language}">{markdown}</span>'

    def gap(self, gap: Gap) -> str:
        """A gap as a short phrase, with its note when it has one."""
        text = markdown_literal(self.labels[f"gap_{gap.kind}"])
        if gap.note is not None:
            text += f" — {self.plain(gap.note)}"
        return text

    # --- links between pages ----------------------------------------------------------

    def quote_link(self, quote_id: str) -> str:
        return f"{self.quote_pages.get(quote_id, '')}#{quote_id}"

    def heading(self, number: str | None, title: Localized | Gap) -> str:
        prefix = f"{markdown_literal(number)} " if number else ""
        if isinstance(title, Gap):
            return prefix + f"*{self.gap(title)}*"
        return prefix + self.plain(title)

    def heading_of(self, owner_id: str) -> str:
        """The number and title of a chapter or section, by id (Markdown)."""
        owner = self._owners[owner_id]
        return self.heading(owner.number, owner.title)

    def page_title(self, page: PagePlan) -> str:
        """The page's heading (Markdown); a part after the first says which part it is."""
        assert page.title is not None
        return self.heading(page.number, page.title) + self.part_suffix(page)

    def part_suffix(self, page: PagePlan) -> str:
        if page.part is None or page.part.number == 1:
            return ""
        return f" ({page.part.number}/{page.part.count})"

    def page_anchor(self, page: PagePlan) -> str:
        """The id of the page's heading: the chapter's or section's, or `<file stem>` on a part."""
        if page.part is None or page.part.number == 1:
            return page.owner_id
        return page.file.removesuffix(".md")

    def own_blocks(self, page: PagePlan) -> tuple[Any, ...]:
        """The blocks of the page's own chapter or section body that this page (part) shows."""
        if page.part is not None:
            return page.part.blocks
        owner = page.section or page.chapter
        return owner.body if owner else ()

    def shows_subsections(self, page: PagePlan) -> bool:
        return page.part is None or page.part.is_last

    def quote_pager(self, page: PagePlan) -> str:
        """Links to every part of a split page (finished HTML), or nothing."""
        part = page.part
        if part is None:
            return ""
        shown = self.labels["quotes_range"].format(
            first=format_decimal(part.first, locale=self.lang),
            last=format_decimal(part.last, locale=self.lang),
            total=format_decimal(part.total, locale=self.lang),
        )
        return self._pager(self.labels["quote_pages"], shown, part.files, part.number)

    def listing_pager(self, page: PagePlan) -> str:
        """Links to every part of a print view, or of an informants page, too long for one
        page (finished HTML)."""
        part = page.listing
        if part is None or len(part.files) == 1:
            return ""
        label, shown = (
            ("print_parts", "print_part_n") if page.kind == "print" else ("parts", "part_n")
        )
        shown = (
            self.labels[shown]
            .replace("{n}", format_decimal(part.number, locale=self.lang))
            .replace("{count}", format_decimal(len(part.files), locale=self.lang))
        )
        return self._pager(self.labels[label], shown, part.files, part.number)

    def _pager(self, label: str, shown: str, files: tuple[str, ...], current: int) -> str:
        items = []
        for number, file in enumerate(files, start=1):
            here = ' aria-current="page"' if number == current else ""
            href = file.removesuffix(".md") + ".html"
            items.append(f'<li><a href="{href}"{here}>{number}</a></li>')
        return (
            f'<nav class="quote-pages" aria-label="{markdown_literal(label)}">'
            f'<p class="quote-pages__range">{markdown_literal(shown)}</p>'
            f'<ol class="quote-pages__list">{"".join(items)}</ol></nav>'
        )

    def plain_or_gap(self, text: Localized | Gap) -> str:
        """A plain-text field, or the words for what the source does not give."""
        return f"<em>{self.gap(text)}</em>" if isinstance(text, Gap) else self.plain(text)

    def prose_or_gap(self, text: Localized | Gap) -> str:
        """A Markdown field, or the words for what the source does not give."""
        return f"*{self.gap(text)}*" if isinstance(text, Gap) else self.prose(text)

    def gap_words(self, gap: Gap) -> str:
        """A gap as plain text (for titles and text alternatives, where no Markdown goes)."""
        words = self.labels[f"gap_{gap.kind}"]
        if gap.note is not None:
            words += f" — {self.text_or_source(gap.note)}"
        return words

    def figure_label(self, figure: Figure) -> str:
        """'Figure 1. ' before the caption, unless the caption already starts with its number."""
        caption = self.text_or_source(figure.caption)
        if re.match(rf"\s*\S+\.?\s+{re.escape(figure.number)}\b", caption):
            return ""
        return f"{self.labels['figure']} {figure.number}. "

    def nav_title(self, page: PagePlan) -> str:
        if page.kind == "home":
            return self.labels["home"]
        if page.kind == "references":
            return self.labels["references"]
        if page.kind in STUDY_PAGES or page.kind in OPTIONAL_PAGES:
            return self.labels[f"page_{page.kind}"]
        if page.kind == "handwritten":
            return page.handwritten_titles[self.lang]
        assert page.title is not None
        if isinstance(page.title, Gap):
            title = f"({self.labels['title_missing']}: {self.labels[f'gap_{page.title.kind}']})"
        else:
            title = self.title_text(page.title)
        title += self.part_suffix(page)
        return f"{page.number} {title}" if page.number else title

    def chapter_page_entry(self, page: PagePlan) -> str:
        """The navigation entry of a chapter's own page inside the chapter's group, named by
        what it holds: "Pengantar, 4.1, 4.2" (its introduction, then its sections)."""
        chapter = page.chapter
        parts = [self.labels["chapter_introduction"]] if chapter is None or chapter.body else []
        for section in chapter.sections if chapter else ():
            if not section.own_page:
                title = section.title
                if isinstance(title, Gap):
                    name = f"({self.labels['title_missing']}: {self.labels[f'gap_{title.kind}']})"
                else:
                    name = self.title_text(title)
                number = section.number
                if number and isinstance(title, Localized) and self.is_stale(title):
                    number += f" {self.stale_words()}"
                parts.append(number or name)
        return ", ".join(parts) or self.labels["chapter_introduction"]

    def quotes_by_id(self, ids: tuple[str, ...]) -> list[Quote]:
        return [self.quotes[q] for q in ids]

    def quotes_appended(self, owner_id: str, page: PagePlan | None = None) -> list[Quote]:
        """Quotes appended to `owner_id`'s body, as far as `page` (a part) shows them."""
        ids = (
            appended_on_page(page, owner_id, self.appended)
            if page
            else self.appended.get(owner_id, [])
        )
        return [self.quotes[q] for q in ids]

    def figure_svg(self, figure: Figure) -> str:
        nodes = [FlowNode(n.id, self.drawn(n.label)) for n in figure.nodes]
        edges = [
            FlowEdge(e.source.id, e.target.id, self.drawn(e.label) if e.label else None)
            for e in figure.edges
        ]
        # The drawing's accessible name and description: marked in words, like a title.
        title = self.figure_label(figure) + self.title_text(figure.caption)
        description = (
            self.gap_words(figure.description)
            if isinstance(figure.description, Gap)
            else self.title_text(figure.description)
        )
        return render_flow_svg(
            nodes,
            edges,
            title=title,
            description=description,
            svg_id=f"svg-{figure.id}",
        )

    def node(self, figure: Figure, node_id: str) -> FigureNode:
        return next(n for n in figure.nodes if n.id == node_id)

    def quotes_of(self, informant_id: str) -> list[Quote]:
        """The informant's quotes, in the findings' order."""
        return self._quotes_by_informant.get(informant_id, [])

    def informant(self, informant: Informant) -> str:
        """The informant's code, linked to their section of the informants page."""
        code = self.informant_code(informant)
        return f"[{code}]({self.informant_page(informant)}#informant-{informant.id})"

    def informant_page(self, informant: Informant) -> str:
        """The file of the informants page's part that introduces `informant`."""
        return self.informant_pages.get(informant.id, STUDY_PAGES["informants"])

    def informant_html(self, informant: Informant) -> str:
        """`informant` as finished HTML (quote blocks are not parsed as Markdown)."""
        page = self.informant_page(informant).removesuffix(".md") + ".html"
        return f'<a href="{page}#informant-{informant.id}">{self.informant_code(informant)}</a>'

    def informant_code(self, informant: Informant) -> str:
        """The code in the source's language, marked when the editors chose it."""
        code = self.in_source_language(informant.code)
        if informant.code_by_editors:
            code += f" ({markdown_literal(self.labels['code_by_editors'])})"
        return code

    def in_source_language(self, text: str) -> str:
        """A plain source-language string (a code, a title), marked as such on other pages."""
        return self.mark_language(self.literal(text, self.source), self.source)

    def quote_label(self, quote: Quote) -> str:
        """Words a reader recognises a quote by: who said it and when."""
        if isinstance(quote.informant, Gap):
            who = markdown_literal(self.labels["informant_unknown"])
        else:
            who = self.in_source_language(self.informants[quote.informant.id].code)
        if isinstance(quote.date, Gap):
            return f"{who} ({markdown_literal(self.labels['interview_date_unknown'])})"
        return f"{who}, {markdown_literal(self.date(quote.date))}"

    def results_section(self, indicator_id: str) -> Section:
        """The section that reports an indicator's results."""
        return next(
            s
            for c in self.f.chapters
            for s in walk_sections(c.sections)
            if s.indicator and s.indicator.id == indicator_id
        )

    def definition_joiner(self, definition: Localized) -> str:
        """What goes between an indicator's name and its definition.

        A definition that starts in lower case continues the name's sentence, as the
        source writes it ("Trust Building yaitu proses ..."); otherwise a dash sets it off.
        """
        text = self.text_or_source(definition).lstrip()
        return " " if text[:1].islower() else " — "

    def quote_place(self, quote: Quote) -> str:
        """The number and title of the section a quote appears in, for link text."""
        section = self.quote_sections.get(quote.id)
        if section is None:
            return self.quote_label(quote)
        return self.heading(section.number, section.title)

    def text_or_source(self, text: Localized) -> str:
        return text.get(self.lang) or text.get(self.source) or ""

    def is_gap(self, value: object) -> bool:
        return isinstance(value, Gap)

    def block_kind(self, block: object) -> str:
        return type(block).__name__


@cache
def _format_date(value: datetime.date, pattern: str, language: str) -> str:
    # A study names the same interview dates on many pages; Babel formats each once.
    return str(format_date(value, pattern, locale=language))


_TEMPLATE_OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": False,  # Markdown output: data is escaped explicitly with `| md`
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_compiled_templates(),
        **_TEMPLATE_OPTIONS,
    )
    env.filters["md"] = markdown_literal
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The templates compiled once, not at every run (0.08 s each time: a seventh of
    rendering a 1,000-quote study), in Jinja's per-user folder under the system's temporary
    folder (Jinja refuses one that others can write to); none when there is no such folder.

    Jinja knows a compiled template by its name and source; the options it was compiled
    with are in the file names, so changing them compiles every template again.
    """
    options = repr(sorted(_TEMPLATE_OPTIONS.items())) + jinja2.__version__
    fingerprint = hashlib.sha256(options.encode("utf-8")).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__study-{fingerprint}-%s.cache")
    except (OSError, RuntimeError):  # RuntimeError: Jinja found the folder unsafe
        return None


def render_site(
    findings: Findings,
    handwritten: tuple[HandwrittenPage, ...] = (),
    options: RenderOptions = RenderOptions(),
    base_config: Mapping[str, Any] | None = None,
    stale: frozenset[tuple[str, str]] = frozenset(),
) -> dict[str, str | bytes]:
    """Every generated file, keyed by path relative to the output folder.

    `<code>/docs/*.md` and `<code>/mkdocs.yml` per language, plus the shared theme overrides.
    `stale` holds (field address, language) of each translation to mark as out of date.
    """
    env = _environment()
    languages = site_languages(findings)
    plan = plan_site(findings, handwritten, options.quotes_per_page)
    # Where each quote is, for links made before its page was split or before it moved.
    quote_index = json.dumps(
        {q: file.removesuffix(".md") + ".html" for q, file in sorted(plan.quote_pages.items())},
        separators=(",", ":"),
    )
    handwritten_by_name = {p.name: p for p in handwritten}
    shared_downloads = shared_exports(findings)  # the same files in every language
    files: dict[str, str | bytes] = {}
    for here in languages:
        stale_here = frozenset(address for address, code in stale if code == here.code)
        r = PageRenderer(findings, here, languages, plan, stale_here)
        r.site_url = options.site_url  # for citations that give a quote's full address
        for page in all_pages(plan.pages):
            path = f"{here.code}/docs/{page.file}"
            if page.kind == "handwritten":
                written = handwritten_by_name[page.file].texts[here.code]
                if page.file == ABOUT_PAGE and findings.translations:
                    # The translation statement is data: the About page gets it generated,
                    # after what the editors wrote (their line numbers stay as they are).
                    section = env.get_template("_translation.md.j2").render(
                        r=r, f=findings, page=page, L=r.labels, lang=r.lang
                    )
                    written = written.rstrip("\n") + "\n\n" + section.lstrip("\n")
                files[path] = written
                continue
            template = env.get_template(f"{page.kind}.md.j2")
            files[path] = template.render(r=r, f=findings, page=page, L=r.labels, lang=r.lang)
        files[f"{here.code}/docs/quote-pages.json"] = quote_index
        for name, data in export_files(findings, here.code, shared_downloads).items():
            files[f"{here.code}/docs/{name}"] = data
        for asset in sorted((PACKAGE / "assets").iterdir()):
            files[f"{here.code}/docs/assets/{asset.name}"] = asset.read_text(encoding="utf-8")
        descriptions = {
            page.file: page_description(
                r,
                page,
                handwritten_by_name[page.file].texts[here.code]
                if page.kind == "handwritten"
                else None,
            )
            for page in all_pages(plan.pages)
        }
        files[f"{here.code}/mkdocs.yml"] = mkdocs_config(
            r, plan.pages, options, base_config or {}, descriptions
        )
    for override in sorted(p for p in (PACKAGE / "overrides").rglob("*") if p.is_file()):
        relative = override.relative_to(PACKAGE / "overrides").as_posix()
        files[f"overrides/{relative}"] = override.read_text(encoding="utf-8")
    for here in languages:
        strings = language_override(here.code)
        if strings is not None:
            files[f"overrides/partials/languages/{here.code}.html"] = strings
    for hook in sorted((PACKAGE / "hooks").glob("*.py")):
        files[f"hooks/{hook.name}"] = hook.read_text(encoding="utf-8")
    return files
