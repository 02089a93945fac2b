"""The evidence chain: which quotes each conclusion and recommendation rests on, and back.

    quote -> its interpretation, its indicator's conclusion, the recommendations citing it
    conclusion / recommendation -> its quotes, counted by informant and stakeholder group

Everything here is computed from the findings once (`EvidenceIndex`); nothing formats
text.  The templates read it through `EvidenceText`, which words it in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel import Locale

from generator.escape import markdown_literal
from generator.model import (
    DEFAULT_GROUPS,
    Findings,
    Gap,
    Indicator,
    Informant,
    Quote,
    Recommendation,
    Ref,
)

if TYPE_CHECKING:
    from generator.render import PageRenderer

# How many words of a quote or a recommendation a link shows.
FIRST_WORDS = 6


@dataclass(frozen=True)
class Evidence:
    """A set of quotes, with who said them: what a conclusion or a recommendation rests on."""

    quotes: tuple[Quote, ...]
    informants: tuple[Informant, ...]  # distinct, in the order of the informants list
    groups: tuple[str, ...]  # distinct group ids of those informants, in matrix order
    unattributed: int  # quotes whose informant the source does not name


class EvidenceIndex:
    """Every link between quotes, indicators, informants, conclusions and recommendations."""

    def __init__(self, findings: Findings) -> None:
        self.f = findings
        self.informants = {i.id: i for i in findings.informants}
        self.quotes = {q.id: q for q in findings.quotes}
        self._by_indicator: dict[str, list[Quote]] = {i.id: [] for i in findings.indicators}
        self._by_informant: dict[str, list[Quote]] = {i.id: [] for i in findings.informants}
        self._citing: dict[str, list[Recommendation]] = {}
        self._unattributed: list[Quote] = []
        for quote in findings.quotes:
            self._by_indicator.setdefault(quote.indicator.id, []).append(quote)
            if isinstance(quote.informant, Ref):
                self._by_informant.setdefault(quote.informant.id, []).append(quote)
            else:
                self._unattributed.append(quote)
        for recommendation in findings.recommendations:
            for ref in recommendation.quotes:
                self._citing.setdefault(ref.id, []).append(recommendation)
        self.conclusions = {c.indicator.id: c for c in findings.conclusions}

    # --- groups ---------------------------------------------------------------------------

    def groups(self) -> tuple[str, ...]:
        """The stakeholder groups, in order: the declared ones, else the default ones in use."""
        if self.f.groups:
            return tuple(g.id for g in self.f.groups)
        used = {i.group for i in self.f.informants}
        return tuple(g for g in DEFAULT_GROUPS if g in used)

    def group_of(self, quote: Quote) -> str | None:
        """The group of the quote's informant; None when the source does not name one."""
        if isinstance(quote.informant, Ref):
            return self.informants[quote.informant.id].group
        return None

    # --- one way: from a quote ------------------------------------------------------------

    def recommendations_citing(self, quote_id: str) -> tuple[Recommendation, ...]:
        return tuple(self._citing.get(quote_id, ()))

    def has_conclusion(self, indicator_id: str) -> bool:
        return indicator_id in self.conclusions

    # --- the other way: to the quotes -----------------------------------------------------

    def quotes_of_indicator(self, indicator_id: str) -> tuple[Quote, ...]:
        return tuple(self._by_indicator.get(indicator_id, ()))

    def quotes_of_informant(self, informant_id: str) -> tuple[Quote, ...]:
        return tuple(self._by_informant.get(informant_id, ()))

    def unattributed_quotes(self) -> tuple[Quote, ...]:
        return tuple(self._unattributed)

    def evidence(self, quotes: Iterable[Quote]) -> Evidence:
        """Count a set of quotes by informant and group."""
        listed = tuple(quotes)
        named = {q.informant.id for q in listed if isinstance(q.informant, Ref)}
        informants = tuple(i for i in self.f.informants if i.id in named)
        in_use = {i.group for i in informants}
        return Evidence(
            quotes=listed,
            informants=informants,
            groups=tuple(g for g in self.groups() if g in in_use),
            unattributed=sum(1 for q in listed if not isinstance(q.informant, Ref)),
        )

    def conclusion_evidence(self, indicator_id: str) -> Evidence:
        """A conclusion rests on every quote of its indicator (the paper's own structure)."""
        return self.evidence(self.quotes_of_indicator(indicator_id))

    def recommendation_evidence(self, recommendation: Recommendation) -> Evidence:
        """The quotes a recommendation cites directly (its indicators are listed apart)."""
        return self.evidence(self.quotes[ref.id] for ref in recommendation.quotes)

    def has_unattributed(self) -> bool:
        return bool(self._unattributed)

    def matrix(self) -> dict[tuple[str, str | None], tuple[Quote, ...]]:
        """Quotes by (indicator, group); group None holds quotes with no named informant."""
        cells: dict[tuple[str, str | None], list[Quote]] = {}
        for quote in self.f.quotes:
            cells.setdefault((quote.indicator.id, self.group_of(quote)), []).append(quote)
        return {key: tuple(value) for key, value in cells.items()}


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first `count` words of a plain text, with an ellipsis when there are more."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


_MARKUP = re.compile(r"\[@[^\]]*\]|\]\([^)]*\)|[*_`\[\]]")


def plain_words(markdown: str, count: int = FIRST_WORDS) -> str:
    """The first words of a Markdown text as plain text (citations and markup dropped)."""
    return first_words(_MARKUP.sub("", markdown), count)


class EvidenceText:
    """The evidence chain worded in the page's language (Markdown, every value escaped)."""

    def __init__(self, r: PageRenderer, index: EvidenceIndex) -> None:
        self.r = r
        self.index = index
        self.labels = r.labels
        self._locale = Locale.parse(r.lang)
        self._study: str | None = None  # the study's APA citation as HTML, made once
        self._quote_labels: dict[str, str] = {}  # by quote id: evidence lists repeat them

    # --- words ----------------------------------------------------------------------------

    def count(self, kind: str, n: int) -> str:
        """ "4 quotes", "1 informant": the catalogue's plural form for the page's language."""
        form = self._locale.plural_form(n)
        key = f"count_{kind}_{form}"
        template = self.labels.get(key, self.labels[f"count_{kind}_other"])
        return template.replace("{n}", str(n))

    def summary(self, evidence: Evidence, template: str = "evidence_summary") -> str:
        """Words a set of quotes: "Rests on 4 quotes from 3 informants in 2 groups" (escaped);
        `template` names the catalogue label that words it."""
        if not evidence.quotes:
            return markdown_literal(self.labels["evidence_no_quotes"])
        text = (
            self.labels[template]
            .replace("{quotes}", self.count("quotes", len(evidence.quotes)))
            .replace("{informants}", self.count("informants", len(evidence.informants)))
            .replace("{groups}", self.count("groups", len(evidence.groups)))
        )
        if evidence.unattributed:
            text += " " + self.labels["evidence_unattributed"].replace(
                "{n}", str(evidence.unattributed)
            )
        return markdown_literal(text)

    def matrix_columns(self) -> list[str | None]:
        """The matrix's columns: each group, then "informant not named" when a quote needs it."""
        columns: list[str | None] = list(self.index.groups())
        if self.index.has_unattributed():
            columns.append(None)
        return columns

    def group_name(self, group_id: str | None) -> str:
        """A group's name in the page's language, escaped; None: quotes with no named informant."""
        if group_id is None:
            return markdown_literal(self.labels["group_unattributed"])
        for group in self.index.f.groups:
            if group.id == group_id:
                return self.r.plain(group.name)
        return markdown_literal(self.labels[f"group_{group_id}"])

    def who(self, quote: Quote) -> str:
        """Informant code (or "informant not named"), escaped."""
        if isinstance(quote.informant, Ref):
            return self.r.in_source_language(self.index.informants[quote.informant.id].code)
        return markdown_literal(self.labels["informant_unknown"])

    def when(self, quote: Quote) -> str:
        if isinstance(quote.date, Gap):
            return markdown_literal(self.labels["date_unknown"])
        return markdown_literal(self.r.date(quote.date))

    def opening(self, quote: Quote) -> str:
        """The quote's first words in the page's language (the original where untranslated)."""
        if isinstance(quote.text, Gap):
            return markdown_literal(self.labels["quote_missing"])
        text, language = quote.text, self.r.source
        if self.r.lang != self.r.source and quote.translation:
            translated = quote.translation.get(self.r.lang)
            text, language = (translated, self.r.lang) if translated else (text, language)
            if translated and self.r.is_stale(quote.translation):
                # The quote itself shows its original; its name says it is out of date.
                marker = markdown_literal(f" {self.r.stale_words()}")
                return f"“{self.r.literal(first_words(text), language)}”{marker}"
        return self.r.mark_language(f"“{self.r.literal(first_words(text), language)}”", language)

    def quote_label(self, quote: Quote) -> str:
        """`SS, 22 May 2019: “we asked the trainer …”`: a quote named in words, never by id."""
        label = self._quote_labels.get(quote.id)
        if label is None:
            label = f"{self.who(quote)}, {self.when(quote)}: {self.opening(quote)}"
            self._quote_labels[quote.id] = label
        return label

    def citation(self, quote: Quote) -> str:
        """A ready citation of one quote (finished HTML): the study in APA form, the quote's
        locator (informant, interview date, section) and its address."""
        # apa() is escaped Markdown: every literal '*' is a character reference, so the
        # remaining ones are its emphasis.
        if self._study is None:
            self._study = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", self.r.cite.apa())
        study = self._study
        locator = (
            markdown_literal(self.labels["quote_locator"])
            .replace("&#123;who&#125;", self.who(quote))
            .replace("&#123;when&#125;", self.when(quote))
            .replace("&#123;section&#125;", self.r.quote_place(quote))
        )
        href = self.quote_href(quote)
        site_url = self.r.site_url
        if site_url:
            address = f"{site_url.rstrip('/')}/{self.r.here.prefix}{href}"
            url = f'<span class="quote__url">{markdown_literal(address)}</span>'
        else:
            # Without a known address the page's own fills it in (assets/study.js).
            url = f'<span class="quote__url" data-href="{href}">{markdown_literal(href)}</span>'
        return f"{study} {locator} {url}"

    def quote_href(self, quote: Quote) -> str:
        """The quote's address for finished HTML (`page.html#id`)."""
        file, _, anchor = self.r.quote_link(quote.id).partition("#")
        return f"{file.removesuffix('.md')}.html#{anchor}"

    def quote_link(self, quote: Quote) -> str:
        return f"[{self.quote_label(quote)}]({self.r.quote_link(quote.id)})"

    def recommendation_label(self, recommendation: Recommendation) -> str:
        number = self.index.f.recommendations.index(recommendation) + 1
        head = self.labels["recommendation_n"].replace("{n}", str(number))
        words = plain_words(self.r.text_or_source(recommendation.text))
        return markdown_literal(f"{head}: “{words}”")

    def recommendation_link(self, recommendation: Recommendation) -> str | None:
        page = self.r.include_pages.get("recommendations")
        if page is None:
            return None
        label = self.recommendation_label(recommendation)
        return f"[{label}]({page}#recommendation-{recommendation.id})"

    def conclusion_link(self, indicator: Indicator, *, named: bool = True) -> str | None:
        """ "Conclusion on Trust building" (or just the indicator's name, `named=False`), linked
        to the conclusion when the site shows the conclusions."""
        page = self.r.include_pages.get("conclusions")
        if page is None or not self.index.has_conclusion(indicator.id):
            return None
        name = self.r.text_or_source(indicator.name)
        label = self.labels["conclusion_on"].replace("{indicator}", name) if named else name
        return f"[{markdown_literal(label)}]({page}#conclusion-{indicator.id})"

    def indicator_basis(self, indicator: Indicator) -> str:
        """An indicator a recommendation rests on: linked to its conclusion (else its results),
        with the number of quotes behind it."""
        link = self.conclusion_link(indicator, named=False) or (
            f"[{self.r.plain(indicator.name)}]({self.r.results_page[indicator.id]})"
        )
        count = self.count("quotes", len(self.index.quotes_of_indicator(indicator.id)))
        # A dash, not parentheses: indicator names often end in a parenthesis themselves.
        return f"{link} — {markdown_literal(count)}"

    def chain_links(self, quote: Quote) -> list[str]:
        """What rests on a quote, as links: its indicator's conclusion, then the recommendations."""
        indicator = next(i for i in self.index.f.indicators if i.id == quote.indicator.id)
        links = [self.conclusion_link(indicator)]
        links += [self.recommendation_link(r) for r in self.index.recommendations_citing(quote.id)]
        return [link for link in links if link]

    def linked_by(self, recommendation: Recommendation) -> str:
        """Who drew the link to the evidence, as a sentence; empty when not recorded."""
        if recommendation.linked_by is None:
            return ""
        return markdown_literal(self.labels[f"linked_by_{recommendation.linked_by}"])
