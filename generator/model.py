"""Model stage: the study as frozen dataclasses, built from structurally valid source files.

Every human-readable string is a `Localized` text keyed by language; anything the source
does not give is a `Gap`, never an invented value.  References between entities keep
their position so the validate stage can point at them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from generator.errors import FindingsError, Position, Problem
from generator.load import DataPath, SourceFile

GapKind = Literal["not-stated", "cut-off", "not-in-source"]
Include = Literal["informants", "indicators", "conclusions", "recommendations"]
LinkedBy = Literal["paper", "editors"]
# Stakeholder groups an informant may belong to when a study declares no `groups:` of its
# own; their names are interface labels (catalogue key `group_<id>`).
DEFAULT_GROUPS = ("government", "ngo", "community", "private-sector", "academia")


@dataclass(frozen=True)
class Localized:
    """One text in several languages (Markdown or plain, depending on the field)."""

    values: Mapping[str, str]
    position: Position
    field: str = "text"  # the field that holds it, for messages ("interpretation", "label"...)
    # Where it lives in the study, whatever the file or line: "quote:q-x/interpretation".
    address: str = ""

    def get(self, language: str) -> str | None:
        """The text in `language`, or None when that translation is missing."""
        return self.values.get(language)


@dataclass(frozen=True)
class TextSite:
    """Where a string was written, and whether it is Markdown prose or plain text."""

    position: Position
    text: str
    markdown: bool
    source: SourceFile | None = field(default=None, repr=False, compare=False)
    path: DataPath = field(default=(), repr=False, compare=False)

    def at(self, offset: int) -> Position:
        """The position of the character at `offset` of the text, as written in its file."""
        if self.source is None:
            return self.position
        return self.source.position_in_value(self.path, self.text, offset)


@dataclass(frozen=True)
class Gap:
    """Something the source does not give: shown to readers as a gap, never filled in."""

    kind: GapKind
    note: Localized | None
    position: Position


@dataclass(frozen=True)
class Ref:
    """A reference to another entity by id, with where it was written."""

    id: str
    position: Position


@dataclass(frozen=True)
class TranslationStatement:
    """How one translation of the study was made: who, how, when, and whether (and by whom,
    how, when) it was reviewed.  Anything the study does not state is a Gap."""

    translated_by: Localized | Gap  # plain text
    method: Localized | Gap  # Markdown
    date: str | Gap  # YYYY, YYYY-MM or YYYY-MM-DD
    reviewed: bool | Gap
    reviewed_by: Localized | Gap | None  # None: not reviewed, so nobody to name
    review: Localized | Gap | None  # Markdown: how it was reviewed, what came of it
    review_date: str | Gap | None
    position: Position


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    position: Position
    statement: TranslationStatement | None = None  # a translation's statement, when given


@dataclass(frozen=True)
class Term:
    """Words that texts keep in another language (`languages.terms`), and that language."""

    words: str
    language: str
    position: Position


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: Localized | None


@dataclass(frozen=True)
class Publication:
    type: str | Gap
    venue: Localized | Gap
    url: str | Gap | None


@dataclass(frozen=True)
class Study:
    title: Localized
    short_title: Localized | None
    authors: tuple[Author, ...] | Gap
    year: str | Gap
    publication: Publication
    keywords: tuple[Localized, ...]
    abstract: Localized | Gap
    position: Position
    site_url: str | None = None  # the published address of the site (its root), if given


@dataclass(frozen=True)
class Framework:
    name: Localized | Gap
    reference: Ref | Gap


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Localized
    definition: Localized
    position: Position


@dataclass(frozen=True)
class StakeholderGroup:
    """A stakeholder group a study declares (`groups:`), named in every language."""

    id: str
    name: Localized
    position: Position


@dataclass(frozen=True)
class Informant:
    id: str
    code: str
    role: Localized
    group: str  # a declared group's id, or one of DEFAULT_GROUPS when the study declares none
    initials: str | Gap | None
    interviews: tuple[datetime.date, ...]
    position: Position
    code_by_editors: bool = False  # the source does not use this code; the site's editors do
    note: Localized | None = None  # the editors' note on this informant
    group_position: Position | None = None


@dataclass(frozen=True)
class Quote:
    id: str
    indicator: Ref
    informant: Ref | Gap
    date: datetime.date | Gap
    text: str | Gap
    translation: Localized | None
    interpretation: Localized | Gap
    position: Position
    date_position: Position
    id_position: Position
    attribution_note: Localized | None = None  # the editors' note on who said it


@dataclass(frozen=True)
class TextBlock:
    text: Localized


@dataclass(frozen=True)
class EditorsNoteBlock:
    """A note by the site's editors (not the paper's words), shown as such."""

    note: Localized


@dataclass(frozen=True)
class QuoteBlock:
    quote: Ref


@dataclass(frozen=True)
class FigureBlock:
    figure: Ref


@dataclass(frozen=True)
class IncludeBlock:
    include: Include
    position: Position


Block = TextBlock | EditorsNoteBlock | QuoteBlock | FigureBlock | IncludeBlock


@dataclass(frozen=True)
class Section:
    id: str
    number: str | None
    title: Localized | Gap
    indicator: Ref | None
    own_page: bool
    body: tuple[Block, ...]
    sections: tuple[Section, ...]
    position: Position


@dataclass(frozen=True)
class Chapter:
    id: str
    number: str | None
    title: Localized | Gap
    body: tuple[Block, ...]
    sections: tuple[Section, ...]
    position: Position


@dataclass(frozen=True)
class FigureNode:
    id: str
    label: Localized
    position: Position


@dataclass(frozen=True)
class FigureEdge:
    source: Ref
    target: Ref
    label: Localized | None


@dataclass(frozen=True)
class Figure:
    id: str
    number: str
    caption: Localized
    description: Localized | Gap
    source_note: Localized | None
    nodes: tuple[FigureNode, ...]
    edges: tuple[FigureEdge, ...]
    position: Position


@dataclass(frozen=True)
class Conclusion:
    indicator: Ref
    text: Localized


@dataclass(frozen=True)
class Recommendation:
    id: str
    text: Localized
    indicators: tuple[Ref, ...]
    quotes: tuple[Ref, ...]
    note: Localized | None
    position: Position
    linked_by: LinkedBy | None = None  # who drew the link to the evidence, when known


@dataclass(frozen=True)
class Reference:
    id: str
    authors: tuple[str, ...]
    year: str | Gap
    title: str | Gap
    container: str | Gap | None
    pages: str | None
    note: Localized | None
    position: Position
    volume: str | None = None
    issue: str | None = None
    publisher: str | Gap | None = None
    edition: str | None = None
    doi: str | None = None
    url: str | None = None
    translated_title: Localized | None = None


@dataclass(frozen=True)
class ReportingItem:
    """Where the study answers one item of a reporting guideline, or a gap: not reported."""

    number: int
    where: tuple[Ref, ...] | Gap  # chapters, sections or pages of the site that answer it
    note: Localized | None
    position: Position  # of the item's number


@dataclass(frozen=True)
class Reporting:
    """The study mapped onto a reporting guideline (COREQ); items it leaves out are not
    reported."""

    guideline: Ref  # the guideline's id (generator/checklists/<id>.yaml)
    items: tuple[ReportingItem, ...]
    position: Position


# What a correction may touch, by the key an editor writes.
CorrectionKind = Literal[
    "quote", "informant", "indicator", "conclusion", "recommendation", "section", "figure"
]
CORRECTION_TARGETS: tuple[CorrectionKind, ...] = get_args(CorrectionKind)


@dataclass(frozen=True)
class CorrectionTarget:
    """One item a correction touches: a quote, a section (or chapter), ... by its id."""

    kind: CorrectionKind
    ref: Ref


@dataclass(frozen=True)
class Correction:
    """A dated change to the findings after they were published: what, where and why."""

    id: str
    date: datetime.date
    what: Localized
    why: Localized
    where: tuple[CorrectionTarget, ...]
    position: Position


@dataclass(frozen=True)
class Findings:
    """A whole study, gathered from all its files."""

    source_language: Language
    translations: tuple[Language, ...]
    study: Study
    framework: Framework | None
    indicators: tuple[Indicator, ...]
    informants: tuple[Informant, ...]
    quotes: tuple[Quote, ...]
    chapters: tuple[Chapter, ...]
    figures: tuple[Figure, ...]
    conclusions: tuple[Conclusion, ...]
    recommendations: tuple[Recommendation, ...]
    references: tuple[Reference, ...]
    groups: tuple[StakeholderGroup, ...] = ()
    terms: tuple[Term, ...] = ()
    reporting: Reporting | None = None
    corrections: tuple[Correction, ...] = ()
    # Every string with its position and whether it is Markdown, and every Localized
    # value: for checks that look at all text (raw HTML, citations, missing translations).
    texts: tuple[TextSite, ...] = field(default=(), repr=False)
    localized: tuple[Localized, ...] = field(default=(), repr=False)

    @property
    def languages(self) -> tuple[Language, ...]:
        """The source language first, then the translations."""
        return (self.source_language, *self.translations)


class _Cursor:
    """Reads one value of a source file, knowing its data path for positions."""

    def __init__(
        self,
        source: SourceFile,
        path: DataPath,
        texts: list[TextSite],
        localized: list[Localized],
    ) -> None:
        self.source = source
        self.path = path
        self.texts = texts
        self.all_localized = localized

    @property
    def value(self) -> Any:
        node: Any = self.source.data
        for part in self.path:
            if isinstance(node, dict) and part not in node:
                return None  # an optional field the study leaves out
            node = node[part]
        return node

    @property
    def position(self) -> Position:
        return self.source.position(self.path)

    def __getitem__(self, key: str | int) -> _Cursor:
        return _Cursor(self.source, (*self.path, key), self.texts, self.all_localized)

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and self.value.get(key) is not None

    def items(self) -> Iterator[_Cursor]:
        for index in range(len(self.value or ())):
            yield self[index]

    def text(self) -> str:
        value: str = self.value
        self.texts.append(TextSite(self.position, value, False, self.source, self.path))
        return value

    def localized(self, *, markdown: bool = False) -> Localized:
        values = dict(self.value)
        for language, text in values.items():
            where = self[language]
            self.texts.append(TextSite(where.position, text, markdown, self.source, where.path))
        names = [part for part in self.path if isinstance(part, str)]
        # Point at the field's key (`interpretation:`), not at its first language line.
        position = self.source.key_position(self.path)
        address = field_address(self.source.data, self.path)
        localized = Localized(values, position, names[-1] if names else "text", address)
        self.all_localized.append(localized)
        return localized

    def localized_or_gap(self, *, markdown: bool = False) -> Localized | Gap:
        return self.gap() if self.is_gap() else self.localized(markdown=markdown)

    def optional_localized(self, key: str, *, markdown: bool = False) -> Localized | None:
        return self[key].localized(markdown=markdown) if self.has(key) else None

    def is_gap(self) -> bool:
        return isinstance(self.value, dict) and "gap" in self.value

    def gap(self) -> Gap:
        return Gap(self.value["gap"], self.optional_localized("note"), self.position)

    def ref(self) -> Ref:
        return Ref(self.value, self.position)

    def refs(self) -> tuple[Ref, ...]:
        return tuple(item.ref() for item in self.items())

    def text_or_gap(self) -> str | Gap:
        return self.gap() if self.is_gap() else self.text()

    def partial_date(self, problems: list[Problem]) -> str:
        """A date as precise as the source knows it: YYYY, YYYY-MM or YYYY-MM-DD."""
        value: str = self.value
        parts = value.split("-")
        try:
            datetime.date(
                int(parts[0]),
                int(parts[1]) if len(parts) > 1 else 1,
                int(parts[2]) if len(parts) > 2 else 1,
            )
        except (ValueError, IndexError):
            problems.append(
                Problem(
                    self.position, f"'{value}' is not a real calendar date", "check day and month"
                )
            )
        return value

    def date(self, problems: list[Problem]) -> datetime.date:
        try:
            return datetime.date.fromisoformat(self.value)
        except ValueError:
            problems.append(
                Problem(
                    self.position,
                    f"'{self.value}' is not a real calendar date",
                    "check day and month",
                )
            )
            return datetime.date.min


_SINGLETONS = ("languages", "study", "framework", "reporting")
_REQUIRED = ("languages", "study")
_LISTS = (
    "indicators",
    "informants",
    "quotes",
    "chapters",
    "figures",
    "conclusions",
    "recommendations",
    "references",
    "groups",
    "corrections",
)


def build_model(sources: list[SourceFile]) -> Findings:
    """Gather all source files into one Findings, or raise FindingsError."""
    problems: list[Problem] = []
    texts: list[TextSite] = []
    all_localized: list[Localized] = []
    singletons: dict[str, _Cursor] = {}
    lists: dict[str, list[_Cursor]] = {name: [] for name in _LISTS}
    for source in sources:
        root = _Cursor(source, (), texts, all_localized)
        for name in _SINGLETONS:
            if name not in source.data:
                continue
            if name in singletons:
                first = singletons[name].position
                problems.append(
                    Problem(
                        source.key_position((name,)),
                        f"'{name}' is given twice",
                        hint=f"it is already set in {first}; keep only one",
                    )
                )
                continue
            singletons[name] = root[name]
        for name in _LISTS:
            if name in source.data:
                lists[name].extend(root[name].items())
    # No file holds it: point at the start of the first file, where it usually goes.
    anchor = Position(sources[0].path, 1, 1) if sources else Position("findings")
    for name in _REQUIRED:
        if name not in singletons:
            problems.append(
                Problem(
                    anchor,
                    f"no file gives '{name}'",
                    hint=f"add a top-level '{name}:' section to one file (usually study.yaml)",
                )
            )
    if problems:
        raise FindingsError(problems)

    languages = singletons["languages"]
    findings = Findings(
        source_language=_language(languages["source"]),
        translations=tuple(_language(item, problems) for item in languages["translations"].items()),
        study=_study(singletons["study"]),
        framework=_framework(singletons["framework"]) if "framework" in singletons else None,
        indicators=tuple(_indicator(c) for c in lists["indicators"]),
        informants=tuple(_informant(c, problems) for c in lists["informants"]),
        quotes=tuple(_quote(c, problems) for c in lists["quotes"]),
        chapters=tuple(_chapter(c) for c in lists["chapters"])
        or results_chapter(lists["indicators"], singletons["languages"]),
        figures=tuple(_figure(c) for c in lists["figures"]),
        conclusions=tuple(
            Conclusion(c["indicator"].ref(), c["text"].localized(markdown=True))
            for c in lists["conclusions"]
        ),
        recommendations=tuple(_recommendation(c) for c in lists["recommendations"]),
        references=tuple(_reference(c) for c in lists["references"]),
        groups=tuple(
            StakeholderGroup(c["id"].value, c["name"].localized(), c.position)
            for c in lists["groups"]
        ),
        terms=_terms(languages),
        reporting=_reporting(singletons["reporting"]) if "reporting" in singletons else None,
        corrections=tuple(_correction(c, problems) for c in lists["corrections"]),
        texts=tuple(texts),
        localized=tuple(all_localized),
    )
    if problems:
        raise FindingsError(problems)
    return findings


def _terms(languages: _Cursor) -> tuple[Term, ...]:
    if not languages.has("terms"):
        return ()
    terms = languages["terms"]
    return tuple(
        Term(item.text(), code, item.position)
        for code in terms.value
        for item in terms[code].items()
    )


def _language(c: _Cursor, problems: list[Problem] | None = None) -> Language:
    statement = None
    if c.has("statement") and problems is not None:
        statement = _statement(c["statement"], problems)
    return Language(c["code"].value, c["name"].text(), c.position, statement)


def _statement(c: _Cursor, problems: list[Problem]) -> TranslationStatement:
    """A translation statement; a field left out is not stated (a review's details only
    when it was reviewed)."""
    unstated = Gap("not-stated", None, c.position)

    def text(key: str, *, markdown: bool = False) -> Localized | Gap:
        return c[key].localized_or_gap(markdown=markdown) if c.has(key) else unstated

    def date(key: str) -> str | Gap:
        if not c.has(key):
            return unstated
        return c[key].gap() if c[key].is_gap() else c[key].partial_date(problems)

    reviewed: bool | Gap = unstated
    if c.has("reviewed"):
        reviewed = c["reviewed"].gap() if c["reviewed"].is_gap() else bool(c["reviewed"].value)
    was_reviewed = reviewed is not False
    for key in ("reviewed_by", "review", "review_date"):
        if not was_reviewed and c.has(key):
            problems.append(
                Problem(
                    c[key].position,
                    f"'{key}' is given, but 'reviewed' is false",
                    hint="remove it, or write 'reviewed: true' if the translation was reviewed",
                )
            )
    return TranslationStatement(
        translated_by=text("translated_by"),
        method=text("method", markdown=True),
        date=date("date"),
        reviewed=reviewed,
        reviewed_by=text("reviewed_by") if was_reviewed else None,
        review=text("review", markdown=True) if was_reviewed else None,
        review_date=date("review_date") if was_reviewed else None,
        position=c.position,
    )


def _study(c: _Cursor) -> Study:
    # What the study leaves out is not stated in its source: shown as a gap, never invented.
    unstated = Gap("not-stated", None, c.position)
    authors: tuple[Author, ...] | Gap = unstated
    if c["authors"].is_gap():
        authors = c["authors"].gap()
    elif c.has("authors"):
        authors = tuple(
            Author(a["name"].text(), a.optional_localized("affiliation"))
            for a in c["authors"].items()
        )
    publication = c["publication"] if c.has("publication") else None
    url: str | Gap | None = None
    if publication is not None and publication.has("url"):
        url = publication["url"].text_or_gap()
    return Study(
        title=c["title"].localized(),
        short_title=c.optional_localized("short_title"),
        authors=authors,
        year=c["year"].text_or_gap() if c.has("year") else unstated,
        publication=Publication(
            publication["type"].text_or_gap()
            if publication is not None and publication.has("type")
            else unstated,
            publication["venue"].localized_or_gap()
            if publication is not None and publication.has("venue")
            else unstated,
            url,
        ),
        keywords=tuple(k.localized() for k in c["keywords"].items()) if c.has("keywords") else (),
        abstract=c["abstract"].localized_or_gap(markdown=True) if c.has("abstract") else unstated,
        position=c.position,
        site_url=_site_url(c["site_url"].text()) if c.has("site_url") else None,
    )


def _framework(c: _Cursor) -> Framework:
    reference = c["reference"]
    return Framework(
        c["name"].localized_or_gap(),
        reference.gap()
        if reference.is_gap()
        else reference.ref()
        if c.has("reference")
        else Gap("not-stated", None, c.position),
    )


def results_chapter(indicators: list[_Cursor], languages: _Cursor) -> tuple[Chapter, ...]:
    """A study that writes no chapters gets one: the results, a page per indicator.

    Its title is the interface label for results in each language of the study.
    """
    from generator.labels import catalogue_languages, load_catalogue

    if not indicators:
        return ()
    codes = [languages["source"]["code"].value] + [
        t["code"].value for t in languages["translations"].items()
    ]
    known = set(catalogue_languages())
    title = {code: load_catalogue(code)["indicator_results"] for code in codes if code in known}
    position = indicators[0].position
    sections = tuple(
        Section(
            id=f"results-{c['id'].value}",
            number=None,
            title=Localized(dict(c["name"].value), c.position, "name"),
            indicator=Ref(c["id"].value, c.position),
            own_page=True,
            body=(),
            sections=(),
            position=c.position,
        )
        for c in indicators
    )
    return (Chapter("results", None, Localized(title, position), (), sections, position),)


def _site_url(address: str) -> str:
    """The published address as the root of the site: always ends with a slash."""
    return address if address.endswith("/") else address + "/"


def _indicator(c: _Cursor) -> Indicator:
    return Indicator(
        c["id"].value, c["name"].localized(), c["definition"].localized(markdown=True), c.position
    )


def _informant(c: _Cursor, problems: list[Problem]) -> Informant:
    initials = c["initials"].text_or_gap() if c.has("initials") else None
    return Informant(
        id=c["id"].value,
        code=c["code"].text(),
        role=c["role"].localized(),
        group=c["group"].value,
        initials=initials,
        interviews=tuple(d.date(problems) for d in c["interviews"].items()),
        position=c.position,
        code_by_editors=c.has("code_by_editors") and bool(c["code_by_editors"].value),
        note=c.optional_localized("note"),
        group_position=c["group"].position,
    )


def _quote(c: _Cursor, problems: list[Problem]) -> Quote:
    informant = c["informant"]
    date = c["date"]
    interpretation = c["interpretation"]
    return Quote(
        id=c["id"].value,
        indicator=c["indicator"].ref(),
        informant=informant.gap() if informant.is_gap() else informant.ref(),
        date=date.gap() if date.is_gap() else date.date(problems),
        text=c["text"].text_or_gap(),
        translation=c.optional_localized("translation"),
        interpretation=(
            interpretation.gap()
            if interpretation.is_gap()
            else interpretation.localized(markdown=True)
        ),
        position=c.position,
        date_position=date.position,
        id_position=c["id"].position,
        attribution_note=c.optional_localized("attribution_note"),
    )


def _body(c: _Cursor) -> tuple[Block, ...]:
    if not c.has("body"):
        return ()
    blocks: list[Block] = []
    for item in c["body"].items():
        if item.has("text"):
            blocks.append(TextBlock(item["text"].localized(markdown=True)))
        elif item.has("editors_note"):
            blocks.append(EditorsNoteBlock(item["editors_note"].localized(markdown=True)))
        elif item.has("quote"):
            blocks.append(QuoteBlock(item["quote"].ref()))
        elif item.has("figure"):
            blocks.append(FigureBlock(item["figure"].ref()))
        else:
            blocks.append(IncludeBlock(item["include"].value, item.position))
    return tuple(blocks)


def _sections(c: _Cursor) -> tuple[Section, ...]:
    if not c.has("sections"):
        return ()
    return tuple(
        Section(
            id=s["id"].value,
            number=s["number"].value if s.has("number") else None,
            title=s["title"].localized_or_gap(),
            indicator=s["indicator"].ref() if s.has("indicator") else None,
            own_page=s.has("indicator") or (s.has("page") and bool(s["page"].value)),
            body=_body(s),
            sections=_sections(s),
            position=s.position,
        )
        for s in c["sections"].items()
    )


def _chapter(c: _Cursor) -> Chapter:
    return Chapter(
        id=c["id"].value,
        number=c["number"].value if c.has("number") else None,
        title=c["title"].localized_or_gap(),
        body=_body(c),
        sections=_sections(c),
        position=c.position,
    )


def _figure(c: _Cursor) -> Figure:
    return Figure(
        id=c["id"].value,
        number=c["number"].value,
        caption=c["caption"].localized(),
        description=c["description"].localized_or_gap(),
        source_note=c.optional_localized("source_note"),
        nodes=tuple(
            FigureNode(n["id"].value, n["label"].localized(), n.position)
            for n in c["nodes"].items()
        ),
        edges=tuple(
            FigureEdge(e["from"].ref(), e["to"].ref(), e.optional_localized("label"))
            for e in c["edges"].items()
        ),
        position=c.position,
    )


def _recommendation(c: _Cursor) -> Recommendation:
    basis = c["rests_on"]
    return Recommendation(
        id=c["id"].value,
        text=c["text"].localized(markdown=True),
        indicators=basis["indicators"].refs() if basis.has("indicators") else (),
        quotes=basis["quotes"].refs() if basis.has("quotes") else (),
        note=basis.optional_localized("note"),
        position=c.position,
        linked_by=basis["linked_by"].value if basis.has("linked_by") else None,
    )


def _reference(c: _Cursor) -> Reference:
    return Reference(
        id=c["id"].value,
        authors=tuple(a.text() for a in c["authors"].items()),
        year=c["year"].text_or_gap(),
        title=c["title"].text_or_gap(),
        container=c["container"].text_or_gap() if c.has("container") else None,
        pages=c["pages"].text() if c.has("pages") else None,
        note=c.optional_localized("note", markdown=False),
        position=c.position,
        volume=c["volume"].text() if c.has("volume") else None,
        issue=c["issue"].text() if c.has("issue") else None,
        publisher=c["publisher"].text_or_gap() if c.has("publisher") else None,
        edition=c["edition"].text() if c.has("edition") else None,
        doi=c["doi"].text() if c.has("doi") else None,
        url=c["url"].text() if c.has("url") else None,
        translated_title=c.optional_localized("translated_title"),
    )


def _reporting(c: _Cursor) -> Reporting:
    items = []
    for item in c["items"].items():
        where = item["where"]
        items.append(
            ReportingItem(
                number=int(item["item"].value),
                where=where.gap() if where.is_gap() else where.refs(),
                note=item.optional_localized("note"),
                position=item["item"].position,
            )
        )
    return Reporting(c["guideline"].ref(), tuple(items), c.position)


def _correction(c: _Cursor, problems: list[Problem]) -> Correction:
    targets = []
    for target in c["where"].items():
        kind = next(k for k in CORRECTION_TARGETS if k in target.value)
        targets.append(CorrectionTarget(kind, target[kind].ref()))
    return Correction(
        id=c["id"].value,
        date=c["date"].date(problems),
        what=c["what"].localized(),
        why=c["why"].localized(),
        where=tuple(targets),
        position=c.position,
    )


# Lists whose items have an id unique in the whole study: the item's address starts over.
_ENTITIES = {
    "groups": "group",
    "indicators": "indicator",
    "informants": "informant",
    "quotes": "quote",
    "chapters": "chapter",
    "sections": "section",
    "figures": "figure",
    "recommendations": "recommendation",
    "references": "reference",
    "corrections": "correction",
}


def field_address(data: Any, path: DataPath) -> str:
    """The stable address of the value at `path`: entity kind and id, then the field path.

    Built from ids, never from files or lines, so moving an entry to another file or
    reordering a list keeps it: `quote:q-x/translation`, `section:background/text.2`
    (the section's second text block), `figure:flow/node:government/label`,
    `figure:flow/edge:government-to-community/label`, `conclusion:trust/text`,
    `study/keywords.1`; only characters a shell passes through unquoted.
    """
    parts: list[str] = []
    node: Any = data
    for index, step in enumerate(path):
        parent, node = node, node[step]
        if isinstance(step, str):
            if not (parts and parts[-1].startswith(f"{step}.")):  # body block's own key
                parts.append(step)
            continue
        name = str(path[index - 1]) if index else ""
        item = node if isinstance(node, dict) else {}
        if name in _ENTITIES and isinstance(item.get("id"), str):
            parts = [f"{_ENTITIES[name]}:{item['id']}"]
        elif name == "translations" and isinstance(item.get("code"), str):
            parts[-1] = f"translation:{item['code']}"  # a language's statement
        elif name == "conclusions" and isinstance(item.get("indicator"), str):
            parts = [f"conclusion:{item['indicator']}"]
        elif name == "items" and parts[:1] == ["reporting"] and isinstance(item.get("item"), str):
            # A reporting item by its number in the guideline: reordering moves nothing.
            parts = [f"reporting:{item['item']}"]
        elif name == "nodes" and isinstance(item.get("id"), str):
            parts[-1] = f"node:{item['id']}"
        elif name == "edges":
            key = f"{item.get('from')}-to-{item.get('to')}"
            same = [e for e in parent[: step + 1] if f"{e.get('from')}-to-{e.get('to')}" == key]
            parts[-1] = f"edge:{key}" + (f".{len(same)}" if len(same) > 1 else "")
        elif name == "body" and item:
            # A block is counted among blocks of its kind only (text.2: the second text
            # block), so placing a quote or figure before it moves nothing.
            kind = next(iter(item))
            ordinal = sum(1 for block in parent[: step + 1] if kind in block)
            parts[-1] = f"{kind}.{ordinal}"
        elif index < len(path) - 1 and isinstance(item.get("id"), str):
            # An id unique in its list (a text keyed by language may hold an 'id' too).
            parts[-1] = f"{name}:{item['id']}"
        else:
            parts[-1] = f"{name}.{step + 1}"
    return "/".join(parts)


def walk_sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    """Every section, depth first, in the paper's order."""
    for section in sections:
        yield section
        yield from walk_sections(section.sections)


def walk_blocks(chapters: tuple[Chapter, ...]) -> Iterator[tuple[Section | None, Block]]:
    """Every body block of the paper in order, with its section (None: a chapter's own body)."""
    for chapter in chapters:
        for block in chapter.body:
            yield None, block
        for section in walk_sections(chapter.sections):
            for block in section.body:
                yield section, block
