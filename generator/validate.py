"""Validate stage: the rules that need the whole study (ids, cross-references, translations).

`validate()` returns every problem it finds, errors and warnings together; it changes nothing.
"""

from __future__ import annotations

import datetime
import difflib
import posixpath
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.anchors import GENERATED_ANCHOR_PREFIXES, reserved_prefix
from generator.checklist import load_checklist
from generator.errors import Position, Problem, Severity
from generator.model import (
    DEFAULT_GROUPS,
    FigureBlock,
    Findings,
    Gap,
    IncludeBlock,
    QuoteBlock,
    Ref,
    Section,
    walk_blocks,
    walk_sections,
)
from generator.plan import OPTIONAL_PAGES, STUDY_PAGES
from generator.prose import (
    browser_url,
    find_citations,
    find_language_marks,
    find_links,
    find_raw_html,
    find_unsafe_links,
    markdown_extensions,
    shown_target,
    unsafe_scheme,
)

# A chapter is a level-1 heading; Markdown has no heading below level 6.
MAX_HEADING_LEVEL = 6
# Page names the site makes itself, whatever the study: chapters and sections may not take them.
RESERVED_PAGES = frozenset(
    {"index", "references", "404", "search", "sitemap", "assets"}
    | {file.removesuffix(".md") for file in STUDY_PAGES.values()}
    | {file.removesuffix(".md") for file in OPTIONAL_PAGES.values()}
)
# Pages of every site that a reporting checklist may name as where an item is answered.
SITE_PAGES = frozenset(
    {"index", "references"} | {file.removesuffix(".md") for file in STUDY_PAGES.values()}
)


LINK_HINT = (
    "links may go to https://..., mailto:..., a page of the site (method.md#informants) "
    "or a reference ([your words](@id)), e.g. [the report](https://example.org/report.pdf)"
)


@dataclass(frozen=True)
class Options:
    """What a run allows: `draft` turns missing translations into warnings;
    `strict_translations` turns stale and unreviewed translations into errors."""

    draft: bool = False
    strict_translations: bool = False
    today: datetime.date | None = None  # no date may be after it; None: the machine's date


def validate(
    findings: Findings,
    options: Options = Options(),
    catalogue_languages: Iterable[str] = (),
    handwritten_pages: Mapping[str, Mapping[str, str]] | None = None,
    markdown: str = markdown_extensions(None),
    pages_folder: str = "pages",
) -> list[Problem]:
    """Every problem with `findings` as a whole; an empty list means it can be rendered.

    `markdown` names the site's Markdown extensions (`prose.markdown_extensions`);
    `handwritten_pages` maps each language to its hand-written pages (file name -> the path
    shown in messages); `pages_folder` is where they live.
    """
    check = _Checker(findings, options, markdown)
    check.language_rules(set(catalogue_languages))
    check.unique_ids()
    check.translations()
    check.text_content()
    check.references_between_entities()
    check.group_rules()
    check.quote_rules()
    check.quote_anchors()
    check.figure_rules()
    check.recommendation_rules()
    check.page_rules()
    if handwritten_pages is not None:
        check.handwritten(handwritten_pages, pages_folder)
    handwritten_names = {
        name.removesuffix(".md") for names in (handwritten_pages or {}).values() for name in names
    }
    check.reporting_rules(handwritten_names)
    check.correction_rules()
    check.date_rules(options.today or datetime.date.today())
    return check.problems


def _pages(findings: Findings) -> list[tuple[str, Position]]:
    ids = [(c.id, c.position) for c in findings.chapters]
    for chapter in findings.chapters:
        ids.extend((s.id, s.position) for s in walk_sections(chapter.sections))
    return ids


class _Checker:
    def __init__(self, findings: Findings, options: Options, markdown: str) -> None:
        self.f = findings
        self.options = options
        self.markdown = markdown
        self.problems: list[Problem] = []
        self.codes = [language.code for language in findings.languages]
        self.indicators = {i.id for i in findings.indicators}
        self.informants = {i.id: i for i in findings.informants}
        self.quotes = {q.id: q for q in findings.quotes}
        self.figures = {f.id: f for f in findings.figures}
        self.references = {r.id for r in findings.references}

    def error(self, position: Position, message: str, hint: str = "") -> None:
        self.problems.append(Problem(position, message, hint))

    def once(
        self,
        seen: dict[str, Position],
        key: str,
        position: Position,
        message: str,
        advice: str = "keep only one",
    ) -> None:
        """Remember where `key` first appeared; a second time is an error naming the first."""
        if key in seen:
            self.error(position, message, hint=f"the first is at {seen[key]}; {advice}")
        else:
            seen[key] = position

    def _unknown(
        self, ref: Ref, kind: str, known: Iterable[str], otherwise: str | None = None
    ) -> None:
        """`ref` names one of `known`, else an error suggesting the nearest, or `otherwise`
        (by default: add it under '<kind>s')."""
        if ref.id in known:
            return
        guess = difflib.get_close_matches(ref.id, sorted(known), n=1)
        hint = (
            f"did you mean '{guess[0]}'?"
            if guess
            else (otherwise or f"add it under '{kind}s' first")
        )
        self.error(ref.position, f"unknown {kind} '{ref.id}'", hint)

    def language_rules(self, catalogue: set[str]) -> None:
        seen: set[str] = set()
        for language in self.f.languages:
            if language.code in seen:
                self.error(language.position, f"language '{language.code}' is listed twice")
            seen.add(language.code)
            if catalogue and language.code not in catalogue:
                self.error(
                    language.position,
                    f"no interface labels for language '{language.code}'",
                    hint=f"add generator/catalogue/{language.code}.yaml: a translated copy of "
                    f"one of {', '.join(f'{c}.yaml' for c in sorted(catalogue))}",
                )
        first: dict[str, Position] = {}
        languages_of: dict[str, str] = {}
        for term in self.f.terms:
            words = " ".join(term.words.split())
            if term.language not in self.codes:
                self.error(
                    term.position,
                    f"'{term.words}' is listed under '{term.language}', which is not a "
                    "language of this study",
                    hint=f"list terms under one of: {', '.join(self.codes)}",
                )
            elif not words:
                self.error(term.position, "a term must hold words", hint="remove the empty entry")
            elif words in languages_of and languages_of[words] != term.language:
                self.error(
                    term.position,
                    f"'{term.words}' is listed as '{languages_of[words]}' and as '{term.language}'",
                    hint=f"the first is at {first[words]}; a term has one language",
                )
            else:
                self.once(first, words, term.position, f"'{term.words}' is listed twice")
                languages_of[words] = term.language

    def unique_ids(self) -> None:
        groups: list[tuple[str, list[tuple[str, Position]]]] = [
            ("indicator", [(i.id, i.position) for i in self.f.indicators]),
            ("informant", [(i.id, i.position) for i in self.f.informants]),
            ("quote", [(q.id, q.position) for q in self.f.quotes]),
            ("figure", [(f.id, f.position) for f in self.f.figures]),
            ("recommendation", [(r.id, r.position) for r in self.f.recommendations]),
            ("reference", [(r.id, r.position) for r in self.f.references]),
            ("group", [(g.id, g.position) for g in self.f.groups]),
            ("correction", [(c.id, c.position) for c in self.f.corrections]),
            ("chapter or section", _pages(self.f)),
        ]
        for figure in self.f.figures:
            groups.append(
                (f"node of figure '{figure.id}'", [(n.id, n.position) for n in figure.nodes])
            )
        for kind, entries in groups:
            seen: dict[str, Position] = {}
            for entry_id, position in entries:
                message = f"duplicate {kind} id '{entry_id}'"
                self.once(seen, entry_id, position, message, "ids must be unique")
        informant_codes: dict[str, Position] = {}
        for informant in self.f.informants:
            if informant.code in informant_codes:
                self.error(
                    informant.position,
                    f"two informants share the code '{informant.code}'",
                    hint="readers tell informants apart by their code",
                )
            informant_codes.setdefault(informant.code, informant.position)

    def group_rules(self) -> None:
        """Each informant's group is a declared one (a default one when none is declared)."""
        declared = [g.id for g in self.f.groups] or list(DEFAULT_GROUPS)
        for informant in self.f.informants:
            if informant.group in declared:
                continue
            guess = difflib.get_close_matches(informant.group, declared, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            if self.f.groups:
                hint += "declare it under 'groups' (with its name in every language)"
            else:
                hint += f"use one of {', '.join(DEFAULT_GROUPS)}, or declare the study's own "
                hint += "under 'groups'"
            self.error(
                informant.group_position or informant.position,
                f"unknown group '{informant.group}' for informant '{informant.id}'",
                hint,
            )

    def _missing_translation(self, position: Position, what: str, language: str) -> None:
        severity = Severity.WARNING if self.options.draft else Severity.ERROR
        hint = (
            "the page shows the source text marked 'translation pending'"
            if self.options.draft
            else f"add '{language}: ...' (or build with --draft to publish it as pending)"
        )
        self.problems.append(
            Problem(position, f"{what} has no '{language}' translation", hint, severity)
        )

    def translations(self) -> None:
        source = self.f.source_language.code
        translation_codes = [t.code for t in self.f.translations]
        quote_translations = {id(q.translation) for q in self.f.quotes if q.translation}
        # A translated title is given for the languages that want one, none required.
        optional = {id(r.translated_title) for r in self.f.references if r.translated_title}
        for text in self.f.localized:
            expected = translation_codes if id(text) in quote_translations else self.codes
            for language in text.values:
                if language not in expected:
                    self.error(
                        text.position,
                        f"unknown language '{language}' in '{text.field}'",
                        hint=f"'{text.field}' takes: {', '.join(expected)}",
                    )
            for language in expected:
                if language not in text.values and id(text) not in optional:
                    if language == source and id(text) not in quote_translations:
                        self.error(
                            text.position,
                            f"'{text.field}' has no '{source}' (source language) version",
                        )
                    else:
                        self._missing_translation(text.position, f"'{text.field}'", language)
        for quote in self.f.quotes:
            if isinstance(quote.text, str) and quote.translation is None:
                for language in translation_codes:
                    self._missing_translation(quote.position, f"quote '{quote.id}'", language)
            if isinstance(quote.text, Gap) and quote.translation is not None:
                self.error(
                    quote.translation.position,
                    f"quote '{quote.id}' has no text but a translation",
                    hint="a quote missing in the source cannot be translated; remove 'translation'",
                )

    def text_content(self) -> None:
        for site in self.f.texts:
            # Plain text is shown exactly as written, '<b>' included; only prose is Markdown.
            if not site.markdown:
                continue
            for mark in find_language_marks(site.text):
                self.problems.append(
                    Problem(
                        site.at(mark.start()),
                        f"'{mark.group()}' is shown as written: the site reads no language "
                        "mark inside a text",
                        hint="list words in another language once, under 'languages: terms:' "
                        "in study.yaml (see the format guide), and write them plainly here",
                        severity=Severity.WARNING,
                    )
                )
            offset = find_raw_html(site.text)
            if offset is not None:
                end = site.text.find(">", offset)
                end = end + 1 if 0 <= end - offset < 60 else offset + 30
                snippet = site.text[offset:end].split("\n")[0]
                self.error(
                    site.at(offset),
                    f"raw HTML is not allowed in Markdown prose: '{snippet}'",
                    hint="for a literal '<' before a letter write '&lt;' "
                    f"(here: '&lt;{snippet[1:]}'); for a link use [text](https://...)",
                )
            for unsafe in find_unsafe_links(site.text, self.markdown):
                self.error(
                    site.position, f"link target '{shown_target(unsafe)}' is not allowed", LINK_HINT
                )
            for citation in find_citations(site.text):
                if not citation.well_formed:
                    self.error(
                        site.position,
                        f"citation '{citation.source}' is not in a form the site understands",
                        hint="write [@id] or [@id, page] (e.g. [@sukidjo-2012, 34]), "
                        "or [your words](@id); ids are lowercase with hyphens",
                    )
                else:
                    self._unknown(
                        Ref(citation.reference, site.position), "reference", self.references
                    )

    def references_between_entities(self) -> None:
        if self.f.framework is not None and isinstance(self.f.framework.reference, Ref):
            self._unknown(self.f.framework.reference, "reference", self.references)
        for quote in self.f.quotes:
            self._unknown(quote.indicator, "indicator", self.indicators)
            if isinstance(quote.informant, Ref):
                self._unknown(quote.informant, "informant", self.informants)
        concluded: dict[str, Position] = {}
        for conclusion in self.f.conclusions:
            self._unknown(conclusion.indicator, "indicator", self.indicators)
            indicator = conclusion.indicator
            message = f"indicator '{indicator.id}' has two conclusions"
            self.once(concluded, indicator.id, indicator.position, message, "merge them")
        for chapter in self.f.chapters:
            for section in walk_sections(chapter.sections):
                if section.indicator:
                    self._unknown(section.indicator, "indicator", self.indicators)

    def quote_anchors(self) -> None:
        """A quote's id is its anchor: it may not be another anchor of the page it sits on."""
        pages = dict(_pages(self.f))
        for quote in self.f.quotes:
            if quote.id in pages:
                self.error(
                    quote.id_position,
                    f"quote id '{quote.id}' is also the id of a chapter or section "
                    f"(at {pages[quote.id]})",
                    hint="a quote's id is its address on the page, like a section's; "
                    "give one of them another id",
                )
            prefix = reserved_prefix(quote.id)
            if prefix:
                self.error(
                    quote.id_position,
                    f"quote id '{quote.id}' starts with '{prefix}', which the site keeps for "
                    f"the anchors of {GENERATED_ANCHOR_PREFIXES[prefix]}",
                    hint="choose an id that starts with none of: "
                    + ", ".join(GENERATED_ANCHOR_PREFIXES),
                )

    def quote_rules(self) -> None:
        quoted = Counter(q.indicator.id for q in self.f.quotes)
        for indicator in self.f.indicators:
            if not quoted[indicator.id]:
                self.error(
                    indicator.position,
                    f"indicator '{indicator.id}' has no quotes",
                    hint="every indicator rests on at least one quote; "
                    "record a quote missing in the source as 'text: {gap: cut-off}'",
                )
        results: dict[str, Position] = {}
        for chapter in self.f.chapters:
            for section in walk_sections(chapter.sections):
                if section.indicator:
                    reported = section.indicator.id
                    message = f"indicator '{reported}' already has a results section"
                    self.once(results, reported, section.position, message)
        placed: dict[str, Position] = {}
        for owner, block in walk_blocks(self.f.chapters):
            if not isinstance(block, QuoteBlock):
                continue
            ref = block.quote
            self._unknown(ref, "quote", self.quotes)
            self.once(placed, ref.id, ref.position, f"quote '{ref.id}' is placed twice")
            quote = self.quotes.get(ref.id)
            if quote and owner and owner.indicator and owner.indicator.id != quote.indicator.id:
                self.error(
                    ref.position,
                    f"quote '{ref.id}' (indicator '{quote.indicator.id}') is placed in the "
                    f"results of '{owner.indicator.id}'",
                    hint=f"place it in the results of '{quote.indicator.id}', "
                    "or correct the quote's indicator",
                )
        for indicator in self.f.indicators:
            if indicator.id not in results and quoted[indicator.id]:
                self.error(
                    indicator.position,
                    f"no section reports the results of indicator '{indicator.id}'",
                    hint=f"add a section with 'indicator: {indicator.id}' to a chapter",
                )
        for quote in self.f.quotes:
            informant = (
                self.informants.get(quote.informant.id)
                if isinstance(quote.informant, Ref)
                else None
            )
            if informant is None or isinstance(quote.date, Gap) or not informant.interviews:
                continue
            if quote.date not in informant.interviews:
                shown = ", ".join(d.isoformat() for d in informant.interviews)
                self.error(
                    quote.date_position,
                    f"quote '{quote.id}' is dated {quote.date.isoformat()}, but informant "
                    f"'{informant.id}' was interviewed on {shown}",
                    hint="correct the date, or add it to the informant's 'interviews'",
                )

    def figure_rules(self) -> None:
        placed: dict[str, Position] = {}
        for _, block in walk_blocks(self.f.chapters):
            if isinstance(block, FigureBlock):
                ref = block.figure
                self._unknown(ref, "figure", self.figures)
                self.once(placed, ref.id, ref.position, f"figure '{ref.id}' is placed twice")
        for figure in self.f.figures:
            if figure.id not in placed:
                self.error(
                    figure.position,
                    f"figure '{figure.id}' is not placed in any section",
                    hint=f"add '- figure: {figure.id}' to the body of the section that shows it",
                )
            nodes = {n.id for n in figure.nodes}
            for edge in figure.edges:
                self._unknown(edge.source, "node", nodes)
                self._unknown(edge.target, "node", nodes)

    def recommendation_rules(self) -> None:
        for recommendation in self.f.recommendations:
            if not recommendation.indicators and not recommendation.quotes:
                self.error(
                    recommendation.position,
                    f"recommendation '{recommendation.id}' rests on nothing",
                    hint="name the indicators and/or quotes it rests on under 'rests_on'",
                )
            for ref in recommendation.indicators:
                self._unknown(ref, "indicator", self.indicators)
            for ref in recommendation.quotes:
                self._unknown(ref, "quote", self.quotes)

    def page_rules(self) -> None:
        for page_id, position in _pages(self.f):
            if page_id in RESERVED_PAGES:
                self.error(
                    position,
                    f"'{page_id}' is the name of a page the site makes itself",
                    hint="choose another id for this chapter or section",
                )
            prefix = reserved_prefix(page_id)
            if prefix:
                self.error(
                    position,
                    f"id '{page_id}' starts with '{prefix}', which the site keeps for the "
                    f"anchors of {GENERATED_ANCHOR_PREFIXES[prefix]}",
                    hint="choose an id that starts with none of: "
                    + ", ".join(GENERATED_ANCHOR_PREFIXES)
                    + f" (e.g. '{page_id.removeprefix(prefix)}')",
                )
        for chapter in self.f.chapters:
            self._heading_depth(chapter.sections, 2)
        included: dict[str, Position] = {}
        for _, block in walk_blocks(self.f.chapters):
            if isinstance(block, IncludeBlock):
                message = f"'include: {block.include}' appears twice"
                self.once(included, block.include, block.position, message)

    def reporting_rules(self, handwritten: set[str]) -> None:
        """Each item is one of the guideline's, given once; each place it names exists."""
        reporting = self.f.reporting
        if reporting is None:
            return
        checklist = load_checklist(reporting.guideline.id)
        numbers = checklist.numbers
        pages = {page_id for page_id, _ in _pages(self.f)} | SITE_PAGES | handwritten
        seen: dict[str, Position] = {}
        for item in reporting.items:
            if item.number not in numbers:
                self.error(
                    item.position,
                    f"{checklist.id.upper()} has no item {item.number}",
                    hint=f"its items are numbered {numbers[0]} to {numbers[-1]}",
                )
            message = f"item {item.number} is mapped twice"
            self.once(seen, str(item.number), item.position, message, "merge them")
            if isinstance(item.where, Gap):
                continue
            for ref in item.where:
                self._unknown(
                    ref,
                    "chapter, section or page",
                    pages,
                    "name a chapter's or section's id, or a page such as 'informant-index'",
                )

    def date_rules(self, today: datetime.date) -> None:
        """No interview and no correction is dated after today: 2062 was meant as 2026."""
        # An editor east of the build machine may already be on the next day.
        latest = today + datetime.timedelta(days=1)
        hint = f"dates are written year-month-day (today is {today.isoformat()})"
        for quote in self.f.quotes:
            if isinstance(quote.date, datetime.date) and quote.date > latest:
                message = f"interview date {quote.date.isoformat()} is in the future"
                self.error(quote.date_position, message, hint)
        for informant in self.f.informants:
            for date in informant.interviews:
                if date > latest:
                    message = (
                        f"interview date {date.isoformat()} of informant '{informant.id}' "
                        "is in the future"
                    )
                    self.error(informant.position, message, hint)
        for correction in self.f.corrections:
            if correction.date > latest:
                dated = correction.date.isoformat()
                message = f"correction '{correction.id}' is dated {dated}, in the future"
                self.error(correction.position, message, hint)

    def correction_rules(self) -> None:
        """Every item a correction touches exists (a conclusion by its indicator's id)."""
        known: dict[str, Iterable[str]] = {
            "quote": self.quotes,
            "informant": self.informants,
            "indicator": self.indicators,
            "conclusion": {c.indicator.id for c in self.f.conclusions},
            "recommendation": {r.id for r in self.f.recommendations},
            "section": {page_id for page_id, _ in _pages(self.f)},
            "figure": self.figures,
        }
        for correction in self.f.corrections:
            for target in correction.where:
                if target.kind == "conclusion" and target.ref.id not in known["conclusion"]:
                    self.error(
                        target.ref.position,
                        f"no conclusion on indicator '{target.ref.id}'",
                        hint="a conclusion is named by its indicator's id; "
                        + ", ".join(sorted(known["conclusion"]))
                        if known["conclusion"]
                        else "the study has no conclusions",
                    )
                    continue
                if target.kind == "section":
                    otherwise = "name a chapter or section by its id"
                    self._unknown(target.ref, "chapter or section", known["section"], otherwise)
                    continue
                self._unknown(target.ref, target.kind, known[target.kind])

    def _heading_depth(self, sections: tuple[Section, ...], level: int) -> None:
        """A section on its parent's page is a heading one level down; Markdown stops at 6."""
        for section in sections:
            if section.own_page:
                self._heading_depth(section.sections, 2)
                continue
            if level > MAX_HEADING_LEVEL:
                self.error(
                    section.position,
                    f"section '{section.id}' would be a heading of level {level}; "
                    f"pages have {MAX_HEADING_LEVEL} levels of headings",
                    hint="move it up a level, or give a section above it a page of its own "
                    "('page: true')",
                )
                continue  # its subsections are deeper still: one error is enough
            self._heading_depth(section.sections, level + 1)

    def handwritten(self, pages: Mapping[str, Mapping[str, str]], folder: str) -> None:
        every = sorted({name for names in pages.values() for name in names})
        generated = {f"{page_id}.md" for page_id, _ in _pages(self.f)} | {
            f"{name}.md" for name in RESERVED_PAGES
        }
        for name in every:
            shown = next(pages[lang][name] for lang in sorted(pages) if name in pages[lang])
            for language in self.codes:
                if name not in pages.get(language, {}):
                    self.error(
                        Position(shown, 1, 1),
                        f"hand-written page '{name}' has no '{language}' version",
                        hint=f"add {folder}/{language}/{name}: the language switch needs it",
                    )
            if name in generated:
                for language in self.codes:
                    if name in pages.get(language, {}):
                        self.error(
                            Position(pages[language][name], 1, 1),
                            f"hand-written page '{name}' has the name of a page the site makes "
                            "from the findings",
                            hint="rename the file",
                        )


def page_link_problems(findings: Findings, pages: set[str], markdown: str) -> list[Problem]:
    """Links in prose to a page or file the site will not have, at the field that holds them.

    `pages` holds every file a language's site has (`method.md`, `images/map.png`); pages
    are the same in every language.  Anchors (`#...`) are left to MkDocs' strict build.
    """
    problems = []
    for site in findings.texts:
        if not site.markdown:
            continue
        for target in dict.fromkeys(find_links(site.text, markdown).targets):
            url = browser_url(target)
            if not url or url.startswith(("#", "@", "//")) or unsafe_scheme(url) is not None:
                continue
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
                continue  # http, https, mailto
            path = urllib.parse.unquote(url.split("#", 1)[0].split("?", 1)[0])
            if path.startswith("/"):
                problems.append(
                    Problem(
                        site.position,
                        f"link '{shown_target(target)}' starts with '/'; the site may not live "
                        "at the root of its address",
                        hint=f"write it relative, e.g. [{path.lstrip('/')}]({path.lstrip('/')})",
                    )
                )
            elif posixpath.normpath(path) not in pages:
                guess = difflib.get_close_matches(path, sorted(pages), n=1)
                problems.append(
                    Problem(
                        site.position,
                        f"link '{shown_target(target)}' leads to no page of the site",
                        hint=f"did you mean '{guess[0]}'?"
                        if guess
                        else "link a page by its file name, e.g. index.md or references.md",
                    )
                )
    return problems
