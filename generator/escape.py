"""The one way data becomes Markdown: `markdown_literal`, exposed to templates as `| md`.

Plain-text fields (quote text, names, roles, captions) must show exactly the characters
the editor wrote.  Every character that Markdown, its extensions, HTML or a template pass
could read as syntax is written as a numeric character reference, which Markdown leaves
alone and the browser shows as the character itself.  The result is safe both in Markdown
text (paragraphs, headings, table cells, link text) and inside raw HTML blocks.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Markdown syntax (emphasis, code, links, headings, lists, tables, attribute lists,
# abbreviations), HTML (<, >, &, quotes), Jinja ({{ {%) and the pymdownx extensions
# (~ ^ = : for strike, caret, mark, emoji).
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>&~^=:$%\"'@")


# One table for every character that changes, and one pattern that finds them: the filter
# runs hundreds of thousands of times on a large study, and most characters stay as they
# are (a regular-expression substitution measured 2.5x faster than `str.translate` here).
_TABLE: dict[str, str] = {
    chr(code): f"&#{code};"
    # Markdown/HTML syntax; tabs, C0/C1 controls, Unicode line separators (invisible, or
    # breaking lines).
    for code in [*map(ord, _SPECIAL), *range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}
_TABLE["\n"] = "<br>"
_CHANGED = re.compile("[" + re.escape("".join(_TABLE)) + "]")


def _replace(match: re.Match[str]) -> str:
    return _TABLE[match.group()]


# Most calls escape the same few hundred strings (the page's labels, a quote's informant
# and date, again on every quote): each is escaped once.
@lru_cache(maxsize=4096)
def markdown_literal(text: str) -> str:
    """Return `text` as Markdown that renders to exactly `text`, on a single line.

    Line breaks become `<br>`; tabs and other control characters become character references.
    """
    result = _CHANGED.sub(_replace, text.replace("\r\n", "\n").replace("\r", "\n"))
    # Leading spaces would make an indented code block; as references they are just text.
    if result.startswith(" "):
        stripped = result.lstrip(" ")
        return "&#32;" * (len(result) - len(stripped)) + stripped
    return result


# A code span: a run of backticks, anything, the same run again (CommonMark; not preceded by
# a backslash).  Inside one, Markdown shows every character as it is.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_BRACES = {"{": "&#123;", "}": "&#125;"}


def neutralise_braces(prose: str) -> str:
    """Markdown prose with `{` and `}` written as character references, except in code spans.

    Attribute lists (`{: onclick=... }`, `{ #id }`) are a site feature, not an editor's;
    inside a code span a brace is already just a brace, and a reference would show as
    `&#123;`.
    """
    if "`" not in prose:  # no code span: the common case, without the slow pattern
        return _replace_braces(prose)
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(prose):
        out.append(_replace_braces(prose[last : span.start()]))
        out.append(span.group())
        last = span.end()
    out.append(_replace_braces(prose[last:]))
    return "".join(out)


def _replace_braces(text: str) -> str:
    return text.replace("{", _BRACES["{"]).replace("}", _BRACES["}"])
