"""Accountability pages, worded in the page's language: the reporting checklist (where the
study answers each COREQ item, or that it does not) and the corrections (what changed in
the findings, where, when and why), with the "corrected on" links at each item touched.

`ChecklistText` and `CorrectionText` are the templates' helpers (`r.checklist`,
`r.corrections`); like `EvidenceText` they return Markdown with every value escaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from itertools import groupby
from typing import TYPE_CHECKING

from generator.checklist import (
    Checklist,
    ChecklistDomain,
    ChecklistItem,
    in_language,
    load_checklist,
)
from generator.escape import markdown_literal
from generator.model import Correction, CorrectionTarget, Gap, Ref, ReportingItem
from generator.plan import OPTIONAL_PAGES, all_pages

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.render import PageRenderer


class ChecklistText:
    """The study's reporting checklist in the page's language."""

    def __init__(self, r: PageRenderer) -> None:
        self.r = r
        self.labels = r.labels
        reporting = r.f.reporting
        self.guideline: Checklist | None = (
            load_checklist(reporting.guideline.id) if reporting is not None else None
        )
        self.mapped: dict[int, ReportingItem] = (
            {item.number: item for item in reporting.items} if reporting is not None else {}
        )
        # Each page of the site by file, with its title in this language.
        self._page_titles = {page.file: r.nav_title(page) for page in all_pages(r.pages)}

    @property
    def checklist(self) -> Checklist:
        assert self.guideline is not None, "the study maps no reporting guideline"
        return self.guideline

    def words(self, text: Mapping[str, str]) -> str:
        """The guideline's own words (an item's name, a question), escaped; in English, marked
        as such, where the guideline has no translation for this language."""
        words, language = in_language(text, self.r.lang)
        return self.r.mark_language(markdown_literal(words), language)

    def anchor(self, item: ChecklistItem) -> str:
        return f"{self.checklist.id}-{item.number}"

    def domain_anchor(self, domain: ChecklistDomain) -> str:
        return f"{self.checklist.id}-domain-{domain.number}"

    def domain_heading(self, domain: ChecklistDomain) -> str:
        label = self.labels["checklist_domain"].replace("{n}", str(domain.number))
        before, _, after = label.partition("{name}")
        return f"{markdown_literal(before)}{self.words(domain.name)}{markdown_literal(after)}"

    def item(self, item: ChecklistItem) -> ReportingItem | None:
        """How the study maps `item`; None when it does not list it."""
        return self.mapped.get(item.number)

    def is_reported(self, item: ChecklistItem) -> bool:
        mapped = self.item(item)
        return mapped is not None and not isinstance(mapped.where, Gap)

    def reported_count(self) -> int:
        return sum(1 for item in self.checklist.items if self.is_reported(item))

    def summary(self) -> str:
        total = len(self.checklist.items)
        reported = self.reported_count()
        return markdown_literal(
            self.labels["checklist_summary"]
            .replace("{reported}", str(reported))
            .replace("{total}", str(total))
            .replace("{missing}", str(total - reported))
        )

    def intro(self) -> str:
        return markdown_literal(
            self.labels["checklist_intro"].replace(
                "{guideline}", in_language(self.checklist.name, self.r.lang)[0]
            )
        )

    def source(self) -> str:
        """The guideline's publication, with its DOI linked."""
        doi = self.checklist.doi
        return (
            f'<span lang="en">{markdown_literal(self.checklist.reference)}</span> '
            f"[https://doi.org/{markdown_literal(doi)}](https://doi.org/{doi})"
        )

    def places(self, where: tuple[Ref, ...]) -> list[str]:
        """Each place that answers an item, as a link named by its heading or page title."""
        return [self.place(ref) for ref in where]

    def place(self, ref: Ref) -> str:
        link = self.r.section_links.get(ref.id)
        if link is not None:
            return f"[{self.r.heading_of(ref.id)}]({link})"
        file = f"{ref.id}.md"
        return f"[{markdown_literal(self._page_titles.get(file, ref.id))}]({file})"


class CorrectionText:
    """The study's corrections in the page's language, and the links to them from each item."""

    def __init__(self, r: PageRenderer) -> None:
        self.r = r
        self.labels = r.labels
        self.page = OPTIONAL_PAGES["corrections"]
        self._touching: dict[tuple[str, str], list[Correction]] = {}
        for correction in r.f.corrections:
            for target in correction.where:
                key = (target.kind, target.ref.id)
                if correction not in self._touching.setdefault(key, []):
                    self._touching[key].append(correction)

    def newest_first(self) -> list[Correction]:
        """Every correction, the newest first (the order written, for one day)."""
        return sorted(self.r.f.corrections, key=lambda c: c.date, reverse=True)

    def by_date(self) -> Iterator[tuple[datetime.date, list[Correction]]]:
        for date, group in groupby(self.newest_first(), key=lambda c: c.date):
            yield date, list(group)

    def anchor(self, correction: Correction) -> str:
        return f"correction-{correction.id}"

    def date(self, date: datetime.date) -> str:
        return markdown_literal(self.r.date(date))

    def touching(self, kind: str, item_id: str) -> list[Correction]:
        return self._touching.get((kind, item_id), [])

    def _label(self, correction: Correction) -> str:
        return self.labels["corrected_on"].replace("{date}", self.r.date(correction.date))

    def mark(self, kind: str, item_id: str, lead: str = "") -> str:
        """ "corrected on 28 November 2026" linked to each correction touching the item
        (Markdown, for a paragraph), after `lead`; empty when none does."""
        links = [
            f"[{markdown_literal(self._label(c))}]({self.page}#{self.anchor(c)})"
            for c in self.touching(kind, item_id)
        ]
        return f'{lead}<span class="corrected">{"; ".join(links)}</span>' if links else ""

    def mark_html(self, kind: str, item_id: str, lead: str = "") -> str:
        """The same as finished HTML (inside quote blocks and figure captions)."""
        page = self.page.removesuffix(".md") + ".html"
        links = [
            f'<a href="{page}#{self.anchor(c)}">{markdown_literal(self._label(c))}</a>'
            for c in self.touching(kind, item_id)
        ]
        return f'{lead}<span class="corrected">{"; ".join(links)}</span>' if links else ""

    def paragraph(self, kind: str, item_id: str) -> str:
        """The mark as a paragraph of its own (under a heading), or nothing."""
        mark = self.mark(kind, item_id)
        return f'<p class="corrected-on" markdown="span">{mark}</p>\n\n' if mark else ""

    def target(self, target: CorrectionTarget) -> str:
        """An item a correction touches, named in words and linked to where it is."""
        r, ev = self.r, self.r.ev
        ref_id = target.ref.id
        kind_label = markdown_literal(self.labels[f"target_{target.kind}"])
        if target.kind == "quote":
            return f"{kind_label}: {ev.quote_link(r.quotes[ref_id])}"
        if target.kind == "informant":
            return f"{kind_label}: {r.informant(r.informants[ref_id])}"
        if target.kind == "indicator":
            indicator = r.indicators[ref_id]
            page = r.include_pages.get("indicators")
            link = f"{page}#indicator-{ref_id}" if page else r.results_page[ref_id]
            return f"{kind_label}: [{r.plain(indicator.name)}]({link})"
        if target.kind == "conclusion":
            indicator = r.indicators[ref_id]
            return ev.conclusion_link(indicator) or (
                f"{kind_label}: [{r.plain(indicator.name)}]({r.results_page[ref_id]})"
            )
        if target.kind == "recommendation":
            recommendation = next(x for x in r.f.recommendations if x.id == ref_id)
            return ev.recommendation_link(recommendation) or ev.recommendation_label(recommendation)
        if target.kind == "figure":
            figure = r.figures[ref_id]
            label = r.figure_label(figure) + r.text_or_source(figure.caption)
            return f"[{markdown_literal(label)}]({r.figure_pages[ref_id]}#figure-{ref_id})"
        return f"{kind_label}: [{r.heading_of(ref_id)}]({r.section_links[ref_id]})"
