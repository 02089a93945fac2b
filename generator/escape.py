"""The one way data becomes Markdown: `markdown_literal`, exposed to templates as `| md`.

Plain-text fields (quote text, names, roles, captions) must show exactly the characters
the editor wrote.  Every character that Markdown, its extensions, HTML or a template pass
could read as syntax is written as a numeric character reference, which Markdown leaves
alone and the browser shows as the character itself.  The result is safe both in Markdown
text (paragraphs, headings, table cells, link text) and inside raw HTML blocks.
"""

from __future__ import annotations

# Markdown syntax (emphasis, code, links, headings, lists, tables, attribute lists,
# abbreviations), HTML (<, >, &, quotes), Jinja ({{ {%) and the pymdownx extensions
# (~ ^ = : for strike, caret, mark, emoji).
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>&~^=:$%\"'@")


def markdown_literal(text: str) -> str:
    """Return `text` as Markdown that renders to exactly `text`, on a single line.

    Line breaks become `<br>`; tabs and other control characters become character references.
    """
    out: list[str] = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append("<br>")
        elif char in _SPECIAL or _is_control(char):
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    # Leading spaces would make an indented code block; as references they are just text.
    result = "".join(out)
    stripped = result.lstrip(" ")
    return "&#32;" * (len(result) - len(stripped)) + stripped


def _is_control(char: str) -> bool:
    """Tabs, C0/C1 controls and Unicode line separators: invisible, or breaking lines."""
    code = ord(char)
    return code < 32 or 0x7F <= code <= 0x9F or char in "\u2028\u2029"
