"""Render stage: a validated study becomes Markdown pages and MkDocs settings, per language.

Every page is rendered by the same template once per language, so the languages cannot
drift apart.  Pages sit flat at the root of each language's site and carry the same file
name in every language: the language switch and the `#q-...` anchors rely on that.
Nothing here touches the disk; `generator.write` does.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel.dates import format_date

from generator.escape import markdown_literal
from generator.figures import FlowEdge, FlowNode, render_flow_svg
from generator.model import (
    Chapter,
    Figure,
    FigureNode,
    Findings,
    Gap,
    IncludeBlock,
    Informant,
    Language,
    Localized,
    Quote,
    QuoteBlock,
    Ref,
    Reference,
    Section,
    TextBlock,
    walk_blocks,
    walk_sections,
)
from generator.prose import Citation, replace_citations

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"
CATALOGUES = PACKAGE / "catalogue"


@cache
def load_catalogue(language: str) -> dict[str, str]:
    """Interface labels for `language` from generator/catalogue/<language>.yaml."""
    path = CATALOGUES / f"{language}.yaml"
    labels: dict[str, str] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return labels


def catalogue_languages() -> list[str]:
    """Languages that have interface labels."""
    return sorted(p.stem for p in CATALOGUES.glob("*.yaml"))


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
class HandwrittenPage:
    """A page an editor wrote under docs/<language>/, copied as it is."""

    name: str
    texts: Mapping[str, str]  # language -> Markdown

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
            for _, body in _bodies_on_page(page)
            for block in body
            if isinstance(block, IncludeBlock)
        },
        results_page={
            indicator: f"{section}.md" for indicator, section in results_sections(findings).items()
        },
    )


def page_of_quotes(pages: list[PagePlan], appended: dict[str, list[str]]) -> dict[str, str]:
    """The page file each quote appears on."""
    located: dict[str, str] = {}
    for page in all_pages(pages):
        for section_or_chapter, body in _bodies_on_page(page):
            for block in body:
                if isinstance(block, QuoteBlock):
                    located[block.quote.id] = page.file
            for quote_id in appended.get(section_or_chapter, []):
                located[quote_id] = page.file
    return located


def _bodies_on_page(page: PagePlan) -> Iterator[tuple[str, tuple[Any, ...]]]:
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


@dataclass(frozen=True)
class RenderOptions:
    site_url: str | None = None  # published address of the source-language root


class _Renderer:
    """Holds what every page of one language needs; its methods are the templates' helpers."""

    def __init__(
        self,
        findings: Findings,
        here: SiteLanguage,
        languages: list[SiteLanguage],
        plan: SitePlan,
    ) -> None:
        self.f = findings
        self.here = here
        self.lang = here.code
        self.source = findings.source_language.code
        self.languages = languages
        self.labels = load_catalogue(self.lang)
        self.pages = plan.pages
        self.quote_pages = plan.quote_pages
        self.appended = plan.appended
        self.include_pages = plan.include_pages
        self.results_page = plan.results_page
        self.quotes = {q.id: q for q in findings.quotes}
        self.informants = {i.id: i for i in findings.informants}
        self.indicators = {i.id: i for i in findings.indicators}
        self.figures = {f.id: f for f in findings.figures}
        self.references = {r.id: r for r in findings.references}
        self.language_names = {sl.code: sl.language.name for sl in languages}

    # --- text in this page's language -------------------------------------------------

    def has(self, text: Localized | None) -> bool:
        return text is not None and text.get(self.lang) is not None

    def plain(self, text: Localized) -> str:
        """A plain-text field as literal Markdown; a missing translation is marked pending."""
        value = text.get(self.lang)
        if value is not None:
            return markdown_literal(value)
        original = text.get(self.source) or ""
        return (
            f'<span lang="{self.source}">{markdown_literal(original)}</span> '
            f'<span class="pending">({markdown_literal(self.labels["translation_pending"])})</span>'
        )

    def prose(self, text: Localized) -> str:
        """A Markdown field with citations linked; a missing translation is shown pending."""
        value = text.get(self.lang)
        if value is not None:
            return self._markdown(value)
        original = text.get(self.source) or ""
        return (
            f'<div class="pending" lang="{self.source}" markdown>\n\n'
            f'<p class="pending__mark" lang="{self.lang}"><strong>'
            f"{markdown_literal(self.labels['translation_pending'])}</strong> — "
            f"{markdown_literal(self.labels['translation_pending_note'])}</p>\n\n"
            f"{self._markdown(original)}\n\n</div>"
        )

    def _markdown(self, value: str) -> str:
        # Attribute lists ({: ...}) are a site feature, not an editor's: neutralise braces.
        value = value.replace("{", "&#123;").replace("}", "&#125;")
        return replace_citations(value, self.citation)

    def citation(self, citation: Citation) -> str:
        reference = self.references[citation.reference]
        target = f"references.md#ref-{reference.id}"
        if citation.text is not None:
            return f"[{citation.text}]({target})"
        year = self.year(reference.year)
        locator = f":{citation.locator}" if citation.locator else ""
        label = f"({self.author_label(reference)}, {year}{locator})"
        return f"[{markdown_literal(label)}]({target})"

    def author_label(self, reference: Reference) -> str:
        names = [a.split(",")[0].strip() for a in reference.authors]
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} & {names[1]}"
        return f"{names[0]} et al."

    def year(self, year: str | Gap) -> str:
        return self.labels["no_date"] if isinstance(year, Gap) else year

    def date(self, value: datetime.date) -> str:
        return str(format_date(value, self.labels["date_format"], locale=self.lang))

    def gap(self, gap: Gap) -> str:
        """A gap as a short phrase, with its note when it has one."""
        text = markdown_literal(self.labels[f"gap_{gap.kind}"])
        if gap.note is not None:
            text += f" — {self.plain(gap.note)}"
        return text

    # --- links between pages ----------------------------------------------------------

    def quote_link(self, quote_id: str) -> str:
        return f"{self.quote_pages.get(quote_id, '')}#{quote_id}"

    def heading(self, number: str | None, title: Localized) -> str:
        prefix = f"{markdown_literal(number)} " if number else ""
        return prefix + self.plain(title)

    def nav_title(self, page: PagePlan) -> str:
        if page.kind == "home":
            return self.labels["home"]
        if page.kind == "references":
            return self.labels["references"]
        if page.kind == "handwritten":
            return page.handwritten_titles[self.lang]
        assert page.title is not None
        title = page.title.get(self.lang) or page.title.get(self.source) or ""
        return f"{page.number} {title}" if page.number else title

    def quotes_appended(self, owner_id: str) -> list[Quote]:
        return [self.quotes[q] for q in self.appended.get(owner_id, [])]

    def figure_svg(self, figure: Figure) -> str:
        nodes = [FlowNode(n.id, self.text_or_source(n.label)) for n in figure.nodes]
        edges = [
            FlowEdge(e.source.id, e.target.id, self.text_or_source(e.label) if e.label else None)
            for e in figure.edges
        ]
        title = f"{self.labels['figure']} {figure.number}. {self.text_or_source(figure.caption)}"
        return render_flow_svg(
            nodes,
            edges,
            title=title,
            description=self.text_or_source(figure.description),
            svg_id=f"svg-{figure.id}",
        )

    def node(self, figure: Figure, node_id: str) -> FigureNode:
        return next(n for n in figure.nodes if n.id == node_id)

    def quotes_of(self, informant_id: str) -> list[Quote]:
        return [
            q
            for q in self.f.quotes
            if isinstance(q.informant, Ref) and q.informant.id == informant_id
        ]

    def informant(self, informant: Informant) -> str:
        """The informant's code, linked to the informants table when the site has one."""
        page = self.include_pages.get("informants")
        code = markdown_literal(informant.code)
        return f"[{code}]({page}#informant-{informant.id})" if page else code

    # --- the study's own citation -----------------------------------------------------

    def authors(self) -> str:
        authors = self.f.study.authors
        if isinstance(authors, Gap):
            return f"*{self.gap(authors)}*"
        return "; ".join(
            markdown_literal(a.name) + (f" ({self.plain(a.affiliation)})" if a.affiliation else "")
            for a in authors
        )

    def apa(self) -> str:
        """The study cited in APA style (as Markdown); a missing author leads with the title."""
        study = self.f.study
        # A work is cited by its own title; other languages add a translation in brackets.
        original = study.title.values[self.source]
        title = f"*{markdown_literal(original)}*"
        translated = study.title.get(self.lang)
        if self.lang != self.source and translated:
            title += f" {markdown_literal(f'[{translated}]')}"
        year = markdown_literal(f"({self.year(study.year)})")
        venue = study.publication.venue
        tail = "" if isinstance(venue, Gap) else f" {markdown_literal(self.text_or_source(venue))}."
        url = study.publication.url
        if isinstance(url, str):
            tail += f" {markdown_literal(url)}"
        if isinstance(study.authors, Gap):
            return f"{title}. {year}.{tail}"
        names = ", ".join(markdown_literal(a.name) for a in study.authors)
        return f"{names} {year}. {title}.{tail}"

    def citation_meta(self) -> list[list[str]]:
        """`citation_*` meta tags for the home page; what the source does not give is left out."""
        study = self.f.study
        meta = [["citation_title", study.title.values[self.source]]]
        if not isinstance(study.authors, Gap):
            meta += [["citation_author", a.name] for a in study.authors]
        if not isinstance(study.year, Gap):
            meta.append(["citation_publication_date", study.year])
        if isinstance(study.publication.url, str):
            meta.append(["citation_public_url", study.publication.url])
        meta.append(["citation_language", self.source])
        meta += [["citation_keywords", k.values[self.source]] for k in study.keywords]
        return meta

    def bibtex(self) -> str:
        """The study as a BibTeX entry (plain text; the template escapes it)."""
        study = self.f.study
        kind = {"article": "article", "report": "techreport", "thesis": "phdthesis"}
        fields = [("title", "{" + study.title.values[self.source] + "}")]
        if not isinstance(study.authors, Gap):
            fields.append(("author", " and ".join(a.name for a in study.authors)))
        if not isinstance(study.year, Gap):
            fields.append(("year", study.year))
        venue = study.publication.venue
        if not isinstance(venue, Gap):
            name = "journal" if study.publication.type == "article" else "institution"
            fields.append((name, self.text_or_source(venue)))
        if isinstance(study.publication.url, str):
            fields.append(("url", study.publication.url))
        fields.append(("language", self.source))
        key = "-".join(study.title.values[self.source].lower().split()[:3])
        key = "".join(c for c in key if c.isalnum() or c == "-")
        lines = [f"@{kind[study.publication.type]}{{{key},"]
        lines += [f"  {name} = {{{value}}}," for name, value in fields]
        return "\n".join(lines) + "\n}"

    # --- the reference list -----------------------------------------------------------

    def sorted_references(self) -> list[Reference]:
        return sorted(self.f.references, key=lambda ref: ([a.lower() for a in ref.authors], ref.id))

    def reference_entry(self, ref: Reference) -> str:
        """One reference, APA-like; gaps say what the source does not give."""
        authors = markdown_literal(", ".join(ref.authors))
        year = markdown_literal(f"({self.year(ref.year)})")
        if isinstance(ref.title, Gap):
            title = f"[{markdown_literal(self.labels['title_missing'])}: {self.gap(ref.title)}]"
        else:
            title = f"*{markdown_literal(ref.title)}*"
        entry = f"{authors} {year}. {title}."
        if isinstance(ref.container, str):
            entry += f" {markdown_literal(ref.container)}"
            entry += f", {markdown_literal(ref.pages)}." if ref.pages else "."
        elif isinstance(ref.container, Gap):
            entry += f" {self.gap(ref.container)}."
        if ref.note:
            entry += f" {self.plain(ref.note)}"
        cited = self.cited_pages(ref.id)
        if cited:
            links = ", ".join(f"[{markdown_literal(title)}]({file})" for file, title in cited)
            entry += f" *{markdown_literal(self.labels['cited_on'])}:* {links}"
        return entry

    def text_or_source(self, text: Localized) -> str:
        return text.get(self.lang) or text.get(self.source) or ""

    def is_gap(self, value: object) -> bool:
        return isinstance(value, Gap)

    def block_kind(self, block: object) -> str:
        return type(block).__name__

    def cited_pages(self, reference_id: str) -> list[tuple[str, str]]:
        """(page file, nav title) of each page whose prose cites the reference."""
        found: list[tuple[str, str]] = []
        for page in all_pages(self.pages):
            texts = [
                b.text
                for _, body in _bodies_on_page(page)
                for b in body
                if isinstance(b, TextBlock)
            ]
            # Interpretations of every quote on the page, placed or appended.
            texts += [
                q.interpretation
                for q in self.f.quotes
                if self.quote_pages.get(q.id) == page.file
                and isinstance(q.interpretation, Localized)
            ]
            if any(_cites(t, reference_id) for t in texts):
                found.append((page.file, self.nav_title(page)))
        if self.f.framework.reference.id == reference_id:
            found.append(("index.md", self.labels["home"]))
        return found


def _cites(text: Localized, reference_id: str) -> bool:
    return any(f"@{reference_id}" in value for value in text.values.values())


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown output: data is escaped explicitly with `| md`
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_literal
    return env


def render_site(
    findings: Findings,
    handwritten: tuple[HandwrittenPage, ...] = (),
    options: RenderOptions = RenderOptions(),
    base_config: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """Every generated file, keyed by path relative to the output folder.

    `<code>/docs/*.md` and `<code>/mkdocs.yml` per language, plus the shared theme overrides.
    """
    env = _environment()
    languages = site_languages(findings)
    plan = plan_site(findings, handwritten)
    handwritten_by_name = {p.name: p for p in handwritten}
    files: dict[str, str] = {}
    for here in languages:
        r = _Renderer(findings, here, languages, plan)
        for page in all_pages(plan.pages):
            path = f"{here.code}/docs/{page.file}"
            if page.kind == "handwritten":
                files[path] = handwritten_by_name[page.file].texts[here.code]
                continue
            template = env.get_template(f"{page.kind}.md.j2")
            files[path] = template.render(r=r, f=findings, page=page, L=r.labels, lang=r.lang)
        for asset in sorted((PACKAGE / "assets").iterdir()):
            files[f"{here.code}/docs/assets/{asset.name}"] = asset.read_text(encoding="utf-8")
        files[f"{here.code}/mkdocs.yml"] = _config(r, plan.pages, options, base_config or {})
    for override in sorted((PACKAGE / "overrides").rglob("*.html")):
        relative = override.relative_to(PACKAGE / "overrides").as_posix()
        files[f"overrides/{relative}"] = override.read_text(encoding="utf-8")
    return files


def _config(
    r: _Renderer, pages: list[PagePlan], options: RenderOptions, base: Mapping[str, Any]
) -> str:
    nav: list[Any] = []
    for page in pages:
        if page.children:
            nav.append(
                {r.nav_title(page): [page.file, *({r.nav_title(c): c.file} for c in page.children)]}
            )
        else:
            nav.append({r.nav_title(page): page.file})
    config: dict[str, Any] = {key: value for key, value in base.items() if key != "nav"}
    theme = dict(config.get("theme", {}))
    theme.update({"name": "material", "language": r.lang, "custom_dir": "../overrides"})
    theme.setdefault("font", False)
    if isinstance(theme.get("palette"), list):
        # The colour-scheme toggle speaks the page's language too.
        theme["palette"] = [
            {
                **entry,
                "toggle": {
                    **entry["toggle"],
                    "name": r.labels[f"palette_toggle_{entry.get('scheme', 'default')}"],
                },
            }
            if isinstance(entry, dict) and "toggle" in entry
            else entry
            for entry in theme["palette"]
        ]
    config.update(
        {
            "site_name": r.text_or_source(r.f.study.short_title or r.f.study.title),
            "docs_dir": "docs",
            "use_directory_urls": False,
            "theme": theme,
            "nav": nav,
            "extra_css": [*config.get("extra_css", []), "assets/study.css"],
            "extra_javascript": [*config.get("extra_javascript", []), "assets/study.js"],
        }
    )
    if options.site_url:
        config["site_url"] = options.site_url.rstrip("/") + "/" + r.here.prefix
    extra = dict(config.get("extra", {}))
    extra["study_languages"] = [
        {
            "code": sl.code,
            "name": sl.language.name,
            # From this language's root to that language's root.
            "root": _relative_root(r.here.prefix, sl.prefix),
            "absolute": (options.site_url.rstrip("/") + "/" + sl.prefix)
            if options.site_url
            else "",
            "current": sl.code == r.lang,
            "not_found_title": load_catalogue(sl.code)["not_found_title"],
            "not_found_text": load_catalogue(sl.code)["not_found_text"],
            "not_found_home": load_catalogue(sl.code)["not_found_home"],
        }
        for sl in r.languages
    ]
    # Material shows its language switch only when `extra.alternate` is set.
    extra["alternate"] = [
        {
            "name": sl.language.name,
            "lang": sl.code,
            "link": _relative_root(r.here.prefix, sl.prefix),
        }
        for sl in r.languages
    ]
    extra["source_language"] = r.source
    extra["citation_meta"] = r.citation_meta()
    extra["language_switch_label"] = r.labels["language_switch"]
    config["extra"] = extra
    header = (
        "# Generated by `python -m generator` from mkdocs.yml and findings/. Do not edit:\n"
        "# change the findings or the shared mkdocs.yml, then run `make site`.\n"
    )
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=True, width=100)


def _relative_root(from_prefix: str, to_prefix: str) -> str:
    """The path from one language's root to another's, e.g. "en/" -> "" gives "../"."""
    if from_prefix == to_prefix:
        return "./"
    return ("../" * from_prefix.count("/") + to_prefix) or "./"
