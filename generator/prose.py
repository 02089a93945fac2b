"""Rules for the text editors write: citations in prose, and what no field may contain.

Prose fields are Markdown.  Links in them are found the way the site's Markdown parser
finds them (`find_links`), never by a pattern of our own: Markdown knows more link forms
than any pattern (reference definitions inside quotes and lists, adjacent links, targets
written with character references).

A citation points at a reference by id:

- `[@sukidjo-2012, 34]` renders as "(Sukidjo, 2012:34)", linked to the reference list;
- `[Rahman, K. (2018:189)](@rahman-2018)` keeps the editor's own words as the link text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown

# Anything in square brackets starting with @ is meant as a citation: `[@id]`, `[@id, 34]`.
_PARENTHETICAL = re.compile(r"\[@([^\]]*)\]")
_PARENTHETICAL_FORM = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)(?:\s*,\s*(.*\S))?\s*")
# `[text](@id)`
_NARRATIVE = re.compile(r"\[([^\]]+)\]\(@([^)\s]*)\)")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A '<' that starts a tag, a closing tag, a comment, a declaration or an autolink.
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")


@dataclass(frozen=True)
class Citation:
    """One citation found in a prose text."""

    reference: str
    locator: str | None
    text: str | None  # the editor's link text, for the narrative form
    source: str  # the citation as written
    well_formed: bool


def _parenthetical(match: re.Match[str]) -> Citation:
    form = _PARENTHETICAL_FORM.fullmatch(match.group(1))
    if form is None:
        return Citation(match.group(1).strip(), None, None, match.group(0), False)
    return Citation(form.group(1), form.group(2), None, match.group(0), True)


def _narrative(match: re.Match[str]) -> Citation:
    reference = match.group(2)
    return Citation(reference, None, match.group(1), match.group(0), bool(_ID.match(reference)))


def find_citations(text: str) -> Iterator[Citation]:
    """Every citation in `text`, well formed or not."""
    yield from (_parenthetical(m) for m in _PARENTHETICAL.finditer(text))
    yield from (_narrative(m) for m in _NARRATIVE.finditer(text))


def replace_citations(text: str, render: Callable[[Citation], str]) -> str:
    """`text` with each citation replaced by `render(citation)` (Markdown)."""
    text = _PARENTHETICAL.sub(lambda m: render(_parenthetical(m)), text)
    return _NARRATIVE.sub(lambda m: render(_narrative(m)), text)


# `[words]{lang=en}`, Pandoc's mark for words in another language. The site does not read
# it (braces in prose are text, and plain fields are verbatim): words in another language
# are listed once under `languages.terms` (generator/terms.py). `check` points an editor
# who writes the mark in prose to that list.
_LANGUAGE_MARK = re.compile(r"\[[^\[\]\n]+\]\{\s*lang\s*=[^}\n]*\}")


def find_language_marks(text: str) -> Iterator[re.Match[str]]:
    """Every `[words]{lang=xx}` written in `text`."""
    return _LANGUAGE_MARK.finditer(text)


def find_raw_html(text: str) -> int | None:
    """Offset of the first thing in `text` that HTML or Markdown would treat as a tag."""
    match = _RAW_HTML.search(text)
    return match.start() if match else None


# The extensions MkDocs always loads, whatever mkdocs.yml says, and those this project's
# mkdocs.yml adds: the default when no mkdocs.yml is given.
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
DEFAULT_EXTENSIONS: tuple[str, ...] = (*MKDOCS_BUILTIN_EXTENSIONS, "attr_list", "md_in_html")
# Attributes through which a browser follows or loads a URL.
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "background", "data"}
)
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What a browser's URL parser drops before it looks for a scheme (WHATWG URL standard).
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_URL_INSIDE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# What a text needs to hold a link, image or attribute list: raw HTML or an autolink ("<"),
# an attribute list ("{"), or a closing bracket followed by "(" (inline link or image),
# "[" (reference link) or ":" (reference definition).  Plain brackets such as citations
# "[@id, 12]" or "[sic]" hold none, so the parser (a few ms a text) is not needed for them.
_LINK_SIGNS = re.compile(r"[<{]|\]\s*[(\[:]")


@dataclass(frozen=True)
class Links:
    """The link and image targets a prose text holds, and the anchors it defines itself."""

    targets: tuple[str, ...]  # as a browser reads them: references decoded, tabs dropped
    ids: tuple[str, ...]


def markdown_extensions(config: Mapping[str, Any] | None) -> str:
    """The Markdown extensions (with options) the site uses, from the shared mkdocs.yml.

    Returned as a JSON text so that the parser built from it can be cached.
    """
    listed: Iterable[Any] = (config or {}).get("markdown_extensions") or DEFAULT_EXTENSIONS
    names: dict[str, Any] = {name: {} for name in MKDOCS_BUILTIN_EXTENSIONS}
    for entry in listed:
        if isinstance(entry, str):
            names.setdefault(entry, {})
        elif isinstance(entry, dict):
            for name, options in entry.items():
                names[str(name)] = options if isinstance(options, dict) else {}
    return json.dumps(names, sort_keys=True, default=str)


@lru_cache(maxsize=4)
def _parser(extensions: str) -> markdown.Markdown:
    configs: dict[str, dict[str, Any]] = json.loads(extensions)
    # A permalink is a link the site adds itself: leave it out of what is checked.
    configs["toc"] = {k: v for k, v in configs.get("toc", {}).items() if k != "permalink"}
    return markdown.Markdown(extensions=list(configs), extension_configs=configs)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values come out decoded
        self.targets: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES:
                self.targets.append(value)
            elif name == "id":
                self.ids.append(value)


def browser_url(target: str) -> str:
    """`target` as a browser's URL parser sees it: outer controls and inner tabs/newlines go."""
    return _URL_INSIDE.sub("", target.strip(_URL_EDGES))


def find_links(text: str, extensions: str = markdown_extensions(None)) -> Links:
    """Every link and image target in the Markdown `text`, found by the site's own parser.

    Reference definitions count even when no link uses them, wherever they stand.
    """
    if not _LINK_SIGNS.search(text):
        return Links((), ())
    return parse_links(text, extensions)


def parse_links(text: str, extensions: str = markdown_extensions(None)) -> Links:
    """`find_links` without its fast path: always runs the parser."""
    parser = _parser(extensions)
    parser.reset()
    try:
        html_text = parser.convert(text)
        # A definition no link uses never reaches the HTML: decode it as a browser would.
        definitions = [html.unescape(href) for href, _title in parser.references.values()]
    finally:
        parser.reset()
    collect = _Collect()
    collect.feed(html_text)
    collect.close()
    return Links(tuple(collect.targets + definitions), tuple(collect.ids))


def unsafe_scheme(target: str) -> str | None:
    """The scheme of `target` if a browser would follow it somewhere other than the web or mail."""
    match = _SCHEME.match(browser_url(target))
    if match is None or match.group(1).lower() in _SAFE_SCHEMES:
        return None
    return match.group(1)


def find_unsafe_links(text: str, extensions: str = markdown_extensions(None)) -> list[str]:
    """Each distinct link target in `text` whose scheme is not http, https or mailto."""
    unsafe = [t for t in find_links(text, extensions).targets if unsafe_scheme(t) is not None]
    return list(dict.fromkeys(unsafe))


def shown_target(target: str) -> str:
    """A link target for a one-line message: control characters written as escapes."""
    return "".join(repr(c)[1:-1] if ord(c) < 0x20 or ord(c) == 0x7F else c for c in target)
