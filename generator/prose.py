"""Rules for the text editors write: citations in prose, and what no field may contain.

Prose fields are Markdown.  A citation points at a reference by id:

- `[@sukidjo-2012, 34]` renders as "(Sukidjo, 2012:34)", linked to the reference list;
- `[Rahman, K. (2018:189)](@rahman-2018)` keeps the editor's own words as the link text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Anything in square brackets starting with @ is meant as a citation: `[@id]`, `[@id, 34]`.
_PARENTHETICAL = re.compile(r"\[@([^\]]*)\]")
_PARENTHETICAL_FORM = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)(?:\s*,\s*(.*\S))?\s*")
# `[text](@id)`
_NARRATIVE = re.compile(r"\[([^\]]+)\]\(@([^)\s]*)\)")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A '<' that starts a tag, a closing tag, a comment, a declaration or an autolink.
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
# Inline link targets `](target` and reference definitions `[label]: target`.
_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^\s>]*)"),
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]*)", re.MULTILINE),
)
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


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


def find_raw_html(text: str) -> int | None:
    """Offset of the first thing in `text` that HTML or Markdown would treat as a tag."""
    match = _RAW_HTML.search(text)
    return match.start() if match else None


def find_unsafe_link(text: str) -> str | None:
    """The first link target that is neither a page, an anchor, web, mail nor an @id."""
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(text):
            # Character references would hide the scheme from a plain look: decode first.
            target = html.unescape(match.group(1))
            if target.endswith(")") and target.count(")") > target.count("("):
                target = target[:-1]  # the closing parenthesis of `[text](target)`
            scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", target)
            if scheme and not target.strip().lower().startswith(_SAFE_SCHEMES):
                return target
    return None
