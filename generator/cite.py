"""How the site cites: the study itself (APA, BibTeX, citation meta tags) and its reference list.

Both are written in the page's language through a `PageRenderer`, whose text helpers
(`plain`, `gap`, `year`) escape every value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote as percent_encode

from generator.escape import markdown_literal
from generator.model import Gap, Localized, Reference, TextBlock
from generator.plan import all_pages, bodies_on_page
from generator.prose import find_citations

if TYPE_CHECKING:
    from generator.render import PageRenderer


def author_label(reference: Reference) -> str:
    """Authors as cited in running text: "Sukidjo", "Ansell & Gash", "Rahman et al."."""
    names = [a.split(",")[0].strip() for a in reference.authors]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def apa_authors(authors: tuple[str, ...]) -> str:
    """Authors as APA 7 lists them: "A", "A, & B", "A, B, & C"."""
    if len(authors) <= 1:
        return "".join(authors)
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def doi_url(doi: str) -> str:
    """A DOI as the https://doi.org/ link APA 7 asks for."""
    return doi if doi.startswith("https://") else f"https://doi.org/{doi}"


def _safe_target(url: str) -> str:
    """A URL as a Markdown link target: characters that would end it are percent-encoded."""
    return percent_encode(url, safe=":/?#@!$&'*+,;=%~-._[]")


def _end(text: str) -> str:
    """`text` closed by a full stop, unless it already ends a sentence."""
    closed = text.endswith(("&#46;", "&#46;]", "?", "?]", "!", "!]", "&#46;*"))
    return text if closed else text + "."


class StudyCitation:
    """The study cited in the page's language."""

    def __init__(self, r: PageRenderer) -> None:
        self.r = r
        self._cited_on: dict[str, list[tuple[str, str]]] | None = None

    def authors(self) -> str:
        authors = self.r.f.study.authors
        if isinstance(authors, Gap):
            return f"*{self.r.gap(authors)}*"
        return "; ".join(
            markdown_literal(a.name)
            + (f" ({self.r.plain(a.affiliation)})" if a.affiliation else "")
            for a in authors
        )

    def apa(self) -> str:
        """The study cited in APA style (as Markdown); a missing author leads with the title."""
        study = self.r.f.study
        # A work is cited by its own title; other languages add a translation in brackets.
        original = study.title.values[self.r.source]
        title = f"*{self.r.literal(original, self.r.source)}*"
        if self.r.lang != self.r.source:
            title = f'<span lang="{self.r.source}">{title}</span>'
        translated = study.title.get(self.r.lang)
        if self.r.lang != self.r.source and translated:
            title += f" {markdown_literal(f'[{translated}]')}"
            if self.r.is_stale(study.title):
                # The current original is the title just before it.
                title += f" {self.r.stale_marker()}"
        year = markdown_literal(f"({self.r.year(study.year)})")
        venue = study.publication.venue
        tail = "" if isinstance(venue, Gap) else f" {self.r.plain(venue)}."
        url = study.publication.url
        if isinstance(url, str):
            tail += f" {markdown_literal(url)}"
        if isinstance(study.authors, Gap):
            return f"{title}. {year}.{tail}"
        names = ", ".join(markdown_literal(a.name) for a in study.authors)
        return f"{names} {year}. {title}.{tail}"

    def citation_meta(self) -> list[list[str]]:
        """`citation_*` meta tags for the home page; what the source does not give is left out."""
        study = self.r.f.study
        meta = [["citation_title", study.title.values[self.r.source]]]
        if not isinstance(study.authors, Gap):
            meta += [["citation_author", a.name] for a in study.authors]
        if not isinstance(study.year, Gap):
            meta.append(["citation_publication_date", study.year])
        if isinstance(study.publication.url, str):
            meta.append(["citation_public_url", study.publication.url])
        meta.append(["citation_language", self.r.source])
        meta += [["citation_keywords", k.values[self.r.source]] for k in study.keywords]
        return meta

    def bibtex(self) -> str:
        """The study as a BibTeX entry (plain text; the template escapes it)."""
        study = self.r.f.study
        kind = {"article": "article", "report": "techreport", "thesis": "phdthesis"}
        # A type the source does not state is not guessed: @misc claims nothing.
        entry_type = study.publication.type
        entry = "misc" if isinstance(entry_type, Gap) else kind[entry_type]
        fields = [("title", "{" + study.title.values[self.r.source] + "}")]
        if not isinstance(study.authors, Gap):
            fields.append(("author", " and ".join(a.name for a in study.authors)))
        if not isinstance(study.year, Gap):
            fields.append(("year", study.year))
        venue = study.publication.venue
        if not isinstance(venue, Gap):
            name = "journal" if study.publication.type == "article" else "institution"
            # An entry holds no notice: an out-of-date translation gives way to the original.
            current = venue.values[self.r.source] if self.r.is_stale(venue) else None
            fields.append((name, current or self.r.text_or_source(venue)))
        if isinstance(study.publication.url, str):
            fields.append(("url", study.publication.url))
        fields.append(("language", self.r.source))
        key = "-".join(study.title.values[self.r.source].lower().split()[:3])
        key = "".join(c for c in key if c.isalnum() or c == "-")
        lines = [f"@{entry}{{{key},"]
        lines += [f"  {name} = {{{value}}}," for name, value in fields]
        return "\n".join(lines) + "\n}"


class ReferenceList:
    """The reference list in the page's language, with the pages that cite each entry."""

    def __init__(self, r: PageRenderer) -> None:
        self.r = r
        self._cited_on: dict[str, list[tuple[str, str]]] | None = None

    def sorted_references(self) -> list[Reference]:
        return sorted(
            self.r.f.references, key=lambda ref: ([a.lower() for a in ref.authors], ref.id)
        )

    def reference_entry(self, ref: Reference) -> str:
        """One reference in APA 7 style (Markdown); gaps say what the source does not give.

        An article or chapter: title in roman, the container (journal, book) and its volume
        in italics. Anything else: the title in italics, then edition and publisher.
        """
        authors = markdown_literal(apa_authors(ref.authors))
        year = markdown_literal(f"({self.r.year(ref.year)})")
        in_container = ref.container is not None
        if isinstance(ref.title, Gap):
            title = f"[{markdown_literal(self.r.labels['title_missing'])}: {self.r.gap(ref.title)}]"
        else:
            title = markdown_literal(ref.title)
            if not in_container:
                title = f"*{title}*"
            if ref.edition and not in_container:
                title += f" {markdown_literal(f'({ref.edition} ed.)')}"
        translated = ref.translated_title.get(self.r.lang) if ref.translated_title else None
        if translated:
            title += f" {markdown_literal(f'[{translated}]')}"
            if self.r.is_stale(ref.translated_title):
                title += f" {self.r.stale_marker()}"  # the title before it is the original
        entry = f"{authors} {year}. {_end(title)}"
        if isinstance(ref.container, str):
            source = f"*{markdown_literal(ref.container)}*"
            if ref.volume:
                source += f", *{markdown_literal(ref.volume)}*"
            if ref.issue:
                source += markdown_literal(f"({ref.issue})")
            if ref.pages:
                source += f", {markdown_literal(ref.pages)}"
            entry += f" {_end(source)}"
        elif isinstance(ref.container, Gap):
            entry += f" {_end(self.r.gap(ref.container))}"
        if isinstance(ref.publisher, str):
            entry += f" {_end(markdown_literal(ref.publisher))}"
        elif isinstance(ref.publisher, Gap):
            entry += f" {_end(self.r.gap(ref.publisher))}"
        link = doi_url(ref.doi) if ref.doi else ref.url
        if link:
            entry += f" [{markdown_literal(link)}]({_safe_target(link)})"
        if ref.note:
            entry += f" {self.r.plain(ref.note)}"
        cited = self.cited_pages(ref.id)
        if cited:
            links = ", ".join(f"[{markdown_literal(title)}]({file})" for file, title in cited)
            entry += f" *{markdown_literal(self.r.labels['cited_on'])}:* {links}"
        return entry

    def cited_pages(self, reference_id: str) -> list[tuple[str, str]]:
        """(page file, nav title) of each page whose prose cites the reference."""
        if self._cited_on is None:
            self._cited_on = self._index_citations()
        return list(self._cited_on.get(reference_id, []))

    def _index_citations(self) -> dict[str, list[tuple[str, str]]]:
        """Reference id -> the pages that cite it, in page order: one pass over the study."""
        on_page: dict[str, list[Localized]] = {}
        for page in all_pages(self.r.pages):
            on_page[page.file] = [
                b.text for _, body in bodies_on_page(page) for b in body if isinstance(b, TextBlock)
            ]
        # The abstract on the home page, and the prose an `include:` brings onto its page.
        findings = self.r.f
        if "index.md" in on_page and isinstance(findings.study.abstract, Localized):
            on_page["index.md"].append(findings.study.abstract)
        included: dict[str, list[Localized]] = {
            "indicators": [i.definition for i in findings.indicators],
            "conclusions": [c.text for c in findings.conclusions],
            "recommendations": [r.text for r in findings.recommendations],
        }
        for include, texts in included.items():
            file = self.r.include_pages.get(include)
            if file in on_page:
                on_page[file].extend(texts)
        # Interpretations of every quote, placed or appended, on the page that shows it.
        for quote in self.r.f.quotes:
            file = self.r.quote_pages.get(quote.id)
            if file in on_page and isinstance(quote.interpretation, Localized):
                on_page[file].append(quote.interpretation)
        cited_on: dict[str, list[tuple[str, str]]] = {}
        for page in all_pages(self.r.pages):
            cited = {
                citation.reference
                for text in on_page[page.file]
                for value in text.values.values()
                if "@" in value
                for citation in find_citations(value)
            }
            for reference_id in sorted(cited):
                cited_on.setdefault(reference_id, []).append((page.file, self.r.nav_title(page)))
        return cited_on
