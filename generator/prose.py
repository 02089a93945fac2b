"""Rules for the text editors write: citations in prose, and what no field may contain.

Prose fields are Markdown.  A citation points at a reference by id:

- `[@sukidjo-2012, 34]` renders as "(Sukidjo, 2012:34)", linked to the reference list;
- `[Rahman, K. (2018:189)](@rahman-2018)` keeps the editor's own words as the link text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# `[@id]` or `[@id, locator]`; the id part is loose so a malformed id is reported, not ignored.
_PARENTHETICAL = re.compile(r"\[@([^\],\s]*)(?:,\s*([^\]]*))?\]")
# `[text](@id)`
_NARRATIVE = re.compile(r"\[([^\]]+)\]\(@([^)\s]*)\)")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A '<' that starts a tag, a closing tag, a comment, a declaration or an autolink.
_RAW_HTML = re.compile(r"<[A-Za-z/!?]")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")


@dataclass(frozen=True)
class Citation:
    """One citation found in a prose text."""

    reference: str
    locator: str | None
    text: str | None  # the editor's link text, for the narrative form
    start: int

    @property
    def well_formed(self) -> bool:
        return bool(_ID.match(self.reference))


def find_citations(text: str) -> Iterator[Citation]:
    """Every citation in `text`, in order."""
    for match in _PARENTHETICAL.finditer(text):
        locator = (match.group(2) or "").strip() or None
        yield Citation(match.group(1), locator, None, match.start())
    for match in _NARRATIVE.finditer(text):
        yield Citation(match.group(2), None, match.group(1), match.start())


def replace_citations(text: str, render: Callable[[Citation], str]) -> str:
    """`text` with each citation replaced by `render(citation)` (Markdown)."""

    def parenthetical(match: re.Match[str]) -> str:
        locator = (match.group(2) or "").strip() or None
        return render(Citation(match.group(1), locator, None, match.start()))

    def narrative(match: re.Match[str]) -> str:
        return render(Citation(match.group(2), None, match.group(1), match.start()))

    return _NARRATIVE.sub(narrative, _PARENTHETICAL.sub(parenthetical, text))


def find_raw_html(text: str) -> int | None:
    """Offset of the first thing in `text` that HTML or Markdown would treat as a tag."""
    match = _RAW_HTML.search(text)
    return match.start() if match else None


def find_unsafe_link(text: str) -> str | None:
    """The first Markdown link target that is neither a page, an anchor, web, mail nor @id."""
    for match in _LINK_TARGET.finditer(text):
        target = match.group(1)
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", target)
        if scheme and not target.lower().startswith(_SAFE_SCHEMES):
            return target
    return None
