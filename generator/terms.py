"""Words in another language: the study's `languages.terms`, marked where they occur.

A text keeps some words in another language ("Face to Face Dialogue" in an Indonesian
paragraph, "UU" in an English one). Readers' tools need to know: a screen reader
pronounces them in their language, a browser hyphenates them by its rules (WCAG 3.1.2).
The study lists such words once, by language, in `study.yaml`:

    languages:
      terms:
        en: [Face to Face Dialogue]
        id: [UU, kecamatan]

and the renderer wraps each occurrence in a text of another language in
`<span lang="...">`. Nothing is written inside the texts, so every plain-text field is
shown exactly as written (`[x]{lang=en}` in a quote is just those characters).

A term matches whole words only, case as written, across any run of whitespace (a
re-wrapped paragraph still matches). In Markdown prose, code spans, link targets,
citations, character references and reference definitions are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from generator.model import Term

# Where a span must not go in Markdown prose: code spans, link targets (also `(@id)`),
# citations `[@id, 12]`, autolinks, character references, reference definitions.
_PROTECTED = re.compile(
    r"(`+)(?!`).+?(?<!`)\1(?!`)"
    r"|\]\([^)]*\)"
    r"|\[@[^\]]*\]"
    r"|<[^>\n]*>"
    r"|&#?[A-Za-z0-9]+;"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[^\n]*",
    re.MULTILINE | re.DOTALL,
)

Pieces = list[tuple[str, str | None]]


def _pattern(words: str) -> str:
    body = r"\s+".join(re.escape(part) for part in words.split())
    before = r"(?<!\w)" if re.match(r"\w", words.strip()) else ""
    after = r"(?!\w)" if re.search(r"\w$", words.strip()) else ""
    return before + body + after


class Terms:
    """The study's other-language terms, ready to be found in texts of each language."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = tuple(t for t in terms if t.words.strip())
        self._patterns: dict[str, re.Pattern[str] | None] = {}

    @cached_property
    def _language_of(self) -> dict[str, str]:
        """Each term's words (whitespace collapsed) -> its language."""
        return {" ".join(t.words.split()): t.language for t in self.terms}

    def _finder(self, language: str) -> re.Pattern[str] | None:
        """One pattern for every term not in `language`, longest first."""
        if language not in self._patterns:
            foreign = sorted(
                {t.words.strip() for t in self.terms if t.language != language},
                key=lambda words: (-len(words), words),
            )
            self._patterns[language] = (
                re.compile("|".join(_pattern(words) for words in foreign)) if foreign else None
            )
        return self._patterns[language]

    def pieces(self, text: str, language: str, *, prose: bool = False) -> Pieces:
        """`text` (written in `language`) in pieces: (words, None) in its own language,
        (words, code) for a term in language `code`. In `prose`, Markdown syntax that a
        span would break is skipped."""
        finder = self._finder(language)
        if finder is None or not text:
            return [(text, None)] if text else []
        protected = [m.span() for m in _PROTECTED.finditer(text)] if prose else []
        pieces: Pieces = []
        position = 0
        for match in finder.finditer(text):
            start, end = match.span()
            if any(start < p_end and p_start < end for p_start, p_end in protected):
                continue
            code = self._language_of[" ".join(match.group().split())]
            pieces.append((text[position:start], None))
            pieces.append((match.group(), code))
            position = end
        pieces.append((text[position:], None))
        return [(words, code) for words, code in pieces if words]
