"""What search engines and link previews read about each page: a description drawn from the
page's own words, the locale of each language, the sitemap and robots.txt.

Descriptions are plain text (Markdown rendered, tags dropped, citations shown as their
label), cut at a word near `DESCRIPTION_LENGTH` characters; the theme escapes them for the
attribute they go into (overrides/main.html).
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import markdown
from babel.core import Locale, UnknownLocaleError, get_global

from generator.model import Localized, TextBlock
from generator.plan import PagePlan, bodies_on_page

if TYPE_CHECKING:
    from generator.render import PageRenderer

DESCRIPTION_LENGTH = 160


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables"])


def plain_text(source: str) -> str:
    """Markdown (or HTML) as the words a reader sees, on one line."""
    converter = _markdown()
    converter.reset()
    parser = _Text()
    parser.feed(converter.convert(source))
    parser.close()
    # Joined as they stand: an inline element ("daya (<span lang=en>empowerment</span>)")
    # adds no space; Markdown puts a line break between blocks.
    return " ".join(html.unescape("".join(parser.parts)).split())


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` cut at the last word that fits in `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def _first_text(page: PagePlan) -> Localized | None:
    for _, body in bodies_on_page(page):
        for block in body:
            if isinstance(block, TextBlock):
                return block.text
    return None


def _first_paragraph(markdown_source: str) -> str:
    """The first paragraph of a hand-written page: not a heading, table, list or HTML block."""
    paragraph: list[str] = []
    for line in markdown_source.splitlines():
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if paragraph or not re.match(r"[#|<>\-*+`!\[]|\d+\.|\{:", stripped):
            paragraph.append(stripped)
    return " ".join(paragraph)


def page_description(r: PageRenderer, page: PagePlan, handwritten: str | None = None) -> str:
    """A short summary of `page` in `r`'s language, from its first paragraph of prose."""
    text = ""
    if page.kind == "home":
        abstract = r.f.study.abstract
        if isinstance(abstract, Localized):
            text = plain_text(r.prose(abstract))
    elif page.kind == "handwritten" and handwritten is not None:
        text = plain_text(_first_paragraph(handwritten))
    elif page.kind in ("chapter", "section"):
        first = _first_text(page)
        if first is not None:
            text = plain_text(r.prose(first))
    if not text:
        title = r.nav_title(page)
        text = f"{title} — {r.text_or_source(r.f.study.title)}"
    return shorten(text)


def open_graph_locale(code: str) -> str:
    """The Open Graph locale of a language code, with its likeliest territory: id -> id_ID."""
    likely = get_global("likely_subtags").get(code, code)
    try:
        locale = Locale.parse(likely)
    except (ValueError, UnknownLocaleError):
        return code
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def robots_txt(site_url: str | None) -> str:
    """Every page may be crawled; the sitemap is named when the site's address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
