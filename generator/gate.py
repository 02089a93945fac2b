"""The final gate: every HTML page of the built site is parsed and checked before it is published.

Escaping (generator/escape.py) is meant to keep findings text inert wherever it lands; this
gate does not trust that.  After MkDocs has written every language, and before the new site
replaces the last good one, each `*.html` file under the staged site is parsed with an HTML5
parser that follows the browser's own rules (Lexbor, through selectolax: a C implementation
of the WHATWG parsing algorithm, so comments, foreign content and character references are
read as Chromium reads them) and refused when it holds

- a URL attribute (`href`, `src`, `action`, `formaction`, `xlink:href`, `srcset`, ...) whose
  scheme, as the browser sees it, is not http, https or mailto (relative URLs are fine);
- an event-handler attribute (`on...`), on any element;
- a `<script>` that is not one the theme or the project puts there: Material's bundle, the
  scripts named in `extra_javascript`, Material's own inline scripts (known by the SHA-256 of
  their text), its `__config` JSON, and the generator's schema.org data (an inline
  `<script type="application/ld+json">` whose text is JSON, with no raw `<` and no source);
- an `<iframe>`, `<frame>`, `<object>`, `<embed>`, `<applet>`, `<base>`, `<meta http-equiv>`,
  `<noscript>` or `<template>` (a parser reads their content differently from a browser
  that runs scripts, or not at all), SVG animation (`<animate>`, `<set>`...), or a `<form>`
  other than Material's search and colour-scheme forms;
- a control character (NUL, ESC, DEL, C1) or a bidirectional override, written raw or as a
  character reference.

The gate covers every page, including pages nobody has written yet: a new template or field
inherits it without asking.  `locate` maps an offence back to the findings text it came from.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from generator.errors import Position, Problem

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Attributes whose value the browser fetches, navigates to or submits to.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "srcset",
        "imagesrcset",
        "poster",
        "data",
        "ping",
        "background",
        "cite",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "manifest",
        "codebase",
        "archive",
        "icon",
        "profile",
        "itemtype",
    }
)
_SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})

# Elements that embed another document, change every URL of the page, or animate attributes.
FORBIDDEN_ELEMENTS = frozenset(
    {
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "portal",
        "base",
        "animate",
        "set",
        "animatemotion",
        "animatetransform",
        "handler",
        "listener",
        # A parser without scripting reads <noscript> content as markup, a browser with
        # scripting as text: `<noscript><p title="</noscript><img onerror=...>">` hides
        # a live element from the first.  <template> content is a separate fragment that
        # a parser does not walk.  Neither the theme nor the project writes them.
        "noscript",
        "template",
    }
)

# Material's inline scripts, by SHA-256 of their text after `_normalise_inline`.  When an
# upgrade of Material changes them the gate names the new hash: read the script in the
# built page, and add its hash here only if it is Material's own.
KNOWN_INLINE_SCRIPTS: Mapping[str, str] = {
    # __md_scope, __md_get, __md_set: where Material keeps the reader's settings
    "748a12d7ed528024dda0c64872d66e74e301cc5a7e6e980b5a5b72037e280eb3": "storage helpers",
    # applies the colour scheme the reader chose before the page is drawn
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e": "palette",
    # opens the content tab named by the address's #fragment
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f": "tabbed",
}

# The forms Material's header holds: search, and the colour-scheme toggle (no action).
KNOWN_FORMS = (
    {"class": "md-search__form", "name": "search"},
    {"class": "md-header__option", "data-md-component": "palette"},
)

# The one kind of script the generator writes itself: schema.org data (linked_data.py),
# allowed only inline and only when it parses as JSON.
LINKED_DATA = "application/ld+json"

# Material's JavaScript bundle and its search worker, relative to a language's root.
_BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
_SEARCH_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
# `__md_scope=new URL("<base>",location)`: the only varying part of Material's first script.
_SCOPE = re.compile(r'new URL\("([A-Za-z0-9._~/%-]*)",location\)')

# Characters no page may hold, raw or as a character reference: C0 controls but tab,
# line feed and carriage return; DEL and the C1 controls; bidirectional embeddings,
# overrides and isolates (they reorder what a reader sees: "Trojan source").
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_ELEMENTS_LOOKED_AT = FORBIDDEN_ELEMENTS | {"script", "meta", "form"}
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX][0-9a-fA-F]+|[0-9]+);?")

_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_XLINK = "{http://www.w3.org/1999/xlink}"


@dataclass(frozen=True)
class SiteLanguage:
    """What the gate needs to know about one language's site inside the staged folder."""

    prefix: str  # "" for the language at the root, "en/" for a translation
    scripts: tuple[str, ...] = ()  # extra_javascript, relative to this language's root
    code: str = ""  # the language's code, to prefer findings text in the page's language


@dataclass(frozen=True)
class Offence:
    """One thing in a built page that could run or spoof in a reader's browser."""

    page: str  # path relative to the site root, e.g. "en/index.html"
    message: str
    snippet: str  # the offending text as the browser reads it (decoded), for locating it
    line: int = 0  # in the built page, when the snippet could be found there
    column: int = 0
    language: str = ""  # code of the language whose site holds the page


def _normalise_inline(text: str) -> str:
    return _SCOPE.sub('new URL("<base>",location)', text.strip())


def inline_script_hash(text: str) -> str:
    """The SHA-256 the gate knows an inline script by."""
    return hashlib.sha256(_normalise_inline(text).encode("utf-8")).hexdigest()


def url_scheme(value: str) -> str | None:
    """The scheme the browser reads in a URL attribute's (already decoded) value, lowercased.

    Follows the URL standard: leading and trailing C0 controls and spaces are dropped, tabs
    and line breaks anywhere are removed; `None` means a relative URL.
    """
    cleaned = re.sub("[\t\n\r]", "", value.strip(_C0_AND_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def _srcset_urls(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        parts = candidate.strip().split()
        if parts:
            yield parts[0]


def referenced_character(reference: str) -> str:
    """The character a numeric character reference stands for, by the HTML standard's rules
    (`html.unescape` drops controls, which a browser keeps)."""
    digits = reference[2:].rstrip(";")
    number = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= number <= 0x9F:  # read as windows-1252 where that has a character
        try:
            return bytes([number]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(number)
    return chr(number)


@lru_cache(maxsize=4096)  # a site uses a few hundred names, read millions of times
def _local(name: str) -> str:
    """An element or attribute name without its namespace or prefix, lowercased."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


@lru_cache(maxsize=4096)
def _watched(attribute: str) -> str | None:
    """The local name of an attribute the gate reads (an event handler or a URL), else None."""
    local = _local(attribute)
    return local if local.startswith("on") or local in URL_ATTRIBUTES else None


@dataclass(frozen=True)
class _Element:
    """The parts of a parsed element the checks read."""

    tag: str
    attrib: dict[str, str]
    text: str = ""  # the element's own text, read for scripts only


class _PageCheck:
    def __init__(
        self, page: str, text: str, languages: list[SiteLanguage], site_url: str | None
    ) -> None:
        self.page = page
        self.text = text
        self.languages = languages
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        # Root-relative URLs ("/assets/...") start with the path the site is published under.
        self.base_path = urlsplit(self.site_url).path if self.site_url else "/"
        self.folder = posixpath.dirname(page)
        self.offences: list[Offence] = []
        self.config_scripts = 0

    def offend(self, message: str, snippet: str, find: str | None = None) -> None:
        index = self.text.find(find if find is not None else snippet) if snippet else -1
        if index < 0 and snippet:
            index = self.text.find(html.escape(snippet, quote=False))
        line = column = 0
        if index >= 0:
            line = self.text.count("\n", 0, index) + 1
            column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        self.offences.append(Offence(self.page, message, snippet, line, column))

    def run(self) -> list[Offence]:
        for match in CONTROL.finditer(self.text):
            start = max(0, match.start() - 30)
            self.offend(
                f"control character U+{ord(match.group()):04X} in the page",
                self.text[start : match.end() + 30],
                find=self.text[start : match.end() + 30],
            )
        # A control character in text can only come from a numeric reference once the raw
        # ones above are refused (no named reference stands for one), so the references
        # are decoded here, as the parser would, rather than every text node read. A page
        # holds thousands of them, of a few dozen kinds: each kind is decoded once.
        kinds = set(_NUMERIC_REFERENCE.findall(self.text))
        if any(CONTROL.search(referenced_character(kind)) for kind in kinds):
            self.referenced_controls()
        root = LexborHTMLParser(self.text).root
        if root is None:  # an empty page holds nothing that could run
            return self.offences
        # A control character in an attribute value is raw or a reference, so it was found
        # above; the values are searched again only to name the attribute.
        search_values = bool(self.offences)
        for node in root.traverse(include_text=False):
            tag = node.tag
            if tag is None or tag.startswith(("-", "_")):  # comments, doctype
                continue
            # A page holds ~150 elements a quote: only what can offend is looked at further.
            name = _local(tag)
            attributes = node.attributes
            for attribute, value in attributes.items():
                local = _watched(attribute)
                if local is None and search_values and CONTROL.search(value or ""):
                    local = _local(attribute)
                if local is not None:
                    self.attribute(name, local, attribute, value or "")
            if name in _ELEMENTS_LOOKED_AT:
                self.element(
                    _Element(
                        name,
                        {a: v or "" for a, v in attributes.items()},
                        node.text(deep=True) if name == "script" else "",
                    )
                )
        return self.offences

    def referenced_controls(self) -> None:
        for match in _NUMERIC_REFERENCE.finditer(self.text):
            decoded = referenced_character(match.group())
            if CONTROL.search(decoded):
                start = max(0, match.start() - 30)
                self.offend(
                    f"control character U+{ord(decoded[0]):04X} written as a character reference",
                    self.text[start : match.end() + 30].replace(match.group(), decoded).strip(),
                    find=self.text[start : match.end() + 30],
                )

    def element(self, element: _Element) -> None:
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            self.offend(f"<{name}> element", _describe(element), find=f"<{name}")
        elif name == "script":
            self.script(element)
        elif name == "meta" and any(_local(a) == "http-equiv" for a in element.attrib):
            self.offend("<meta http-equiv> element", _describe(element), find="http-equiv")
        elif name == "form" and not self.known_form(element):
            self.offend("<form> element that is not one of the theme's", _describe(element))

    def attribute(self, element: str, name: str, raw_name: str, value: str) -> None:
        for match in CONTROL.finditer(value):
            self.offend(
                f"control character U+{ord(match.group()):04X} in attribute '{name}'",
                value,
            )
        if name.startswith("on"):
            self.offend(f"event-handler attribute '{name}' on <{element}>", value or name)
            return
        if name not in URL_ATTRIBUTES:
            return
        urls = _srcset_urls(value) if name in _SRCSET_ATTRIBUTES else [value]
        for url in urls:
            if ":" not in url:  # no scheme: a relative URL (references are decoded already)
                continue
            scheme = url_scheme(url)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                shown = "xlink:href" if raw_name.lower().startswith(("xlink:", _XLINK)) else name
                self.offend(f"'{scheme}:' URL in {shown} of <{element}>", url)

    def script(self, element: _Element) -> None:
        source = next((v for a, v in element.attrib.items() if _local(a) in ("src", "href")), None)
        text = element.text or ""
        kind = element.attrib.get("type", "").strip().lower()
        if kind == LINKED_DATA:
            self.linked_data(text, source)
            return
        if source is not None:
            if text.strip():
                self.offend("<script> with both a source and inline code", text)
            elif not self.known_script(source):
                self.offend(f"<script> from an unknown source '{source}'", source)
            return
        if kind == "application/json" and element.attrib.get("id") == "__config":
            self.config_scripts += 1
            self.material_config(text)
            return
        digest = inline_script_hash(text)
        if digest not in KNOWN_INLINE_SCRIPTS:
            self.offend(
                f"inline <script> that is not one of the theme's (sha256 {digest[:16]}...)",
                text.strip()[:200] or _describe(element),
            )

    def linked_data(self, text: str, source: str | None) -> None:
        """A schema.org JSON-LD block: data, never code, so it must be JSON and inline.

        The generator writes `<`, `>` and `&` in it as `\\u` escapes (linked_data.py); a raw
        `<` could only come from text that escaped that and might end the element early.
        """
        if source is not None:
            self.offend(f'<script type="{LINKED_DATA}"> with a source', source)
            return
        if "<" in text:
            self.offend(f'<script type="{LINKED_DATA}"> holding a raw "<"', text[:200])
            return
        try:
            data = json.loads(text)
        except ValueError:
            self.offend(f'<script type="{LINKED_DATA}"> that is not JSON', text[:200])
            return
        if not isinstance(data, (dict, list)):
            self.offend(f'<script type="{LINKED_DATA}"> that is not a JSON object', text[:200])

    def material_config(self, text: str) -> None:
        if self.config_scripts > 1:
            self.offend('a second <script id="__config">', text[:200])
            return
        try:
            config = json.loads(text)
        except ValueError:
            self.offend('<script id="__config"> that is not JSON', text[:200])
            return
        worker = config.get("search") if isinstance(config, dict) else None
        if worker is not None and not (
            isinstance(worker, str) and self.theme_file(worker, _SEARCH_WORKER)
        ):
            self.offend(f"search worker '{worker}' is not Material's", str(worker))

    def resolve(self, url: str) -> str | None:
        """`url` as a path relative to the site's root, or None if it points elsewhere."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if not self.site_url or not url.startswith(self.site_url):
                return None
            path = urlsplit(url[len(self.site_url) :]).path
        elif parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return None
            path = parts.path[len(self.base_path) :]
        else:
            path = posixpath.join(self.folder, parts.path)
        normalised = posixpath.normpath(path)
        return None if normalised.startswith("..") else normalised

    def theme_file(self, url: str, pattern: re.Pattern[str], named: Iterable[str] = ()) -> bool:
        """Whether `url` is, in some language of this site, a file matching `pattern`."""
        path = self.resolve(url)
        if path is None:
            return False
        for language in self.languages:
            if not path.startswith(language.prefix):
                continue
            inside = path[len(language.prefix) :]
            if pattern.fullmatch(inside) or inside in named:
                return True
        return False

    def known_script(self, source: str) -> bool:
        return any(
            self.theme_file(source, _BUNDLE, {posixpath.normpath(s) for s in language.scripts})
            for language in self.languages
        )

    def known_form(self, element: _Element) -> bool:
        attributes = {_local(a): v for a, v in element.attrib.items()}
        return any(attributes == form for form in KNOWN_FORMS)


def _describe(element: _Element) -> str:
    attributes = " ".join(f'{_local(a)}="{v}"' for a, v in element.attrib.items())
    return f"<{_local(element.tag)}{' ' + attributes if attributes else ''}>"


def check_page(
    page: str,
    text: str,
    languages: Iterable[SiteLanguage] = (SiteLanguage(""),),
    site_url: str | None = None,
) -> list[Offence]:
    """Every offence in one built page (`page` is its path relative to the site root)."""
    return _PageCheck(page, text, list(languages), site_url).run()


def check_site(
    site: Path, languages: Iterable[SiteLanguage], site_url: str | None = None
) -> list[Offence]:
    """Every offence in every `*.html` file under `site`, whichever page or language it is.

    `site_url` is the published address of the site's root, when the build was given one.
    """
    languages = sorted(languages, key=lambda sl: len(sl.prefix), reverse=True)
    offences: list[Offence] = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            offences.append(Offence(page, f"not UTF-8 (byte at offset {error.start})", ""))
            continue
        code = _language_of(page, languages).code
        offences += [replace(o, language=code) for o in check_page(page, text, languages, site_url)]
    return offences


def _language_of(page: str, languages: list[SiteLanguage]) -> SiteLanguage:
    """The language whose site holds `page` (the longest matching prefix)."""
    return max(
        (sl for sl in languages if page.startswith(sl.prefix)),
        key=lambda sl: len(sl.prefix),
        default=SiteLanguage(""),
    )


# --- from an offence back to the findings -------------------------------------------------


@dataclass(frozen=True)
class FindingsText:
    """One text value of the findings and where it starts."""

    value: str
    position: Position
    language: str = ""  # the language it is written in, when known


def findings_texts(sources: Iterable[Any], languages: Iterable[str] = ()) -> list[FindingsText]:
    """Every string value of every loaded findings file (generator.load.SourceFile).

    A value under a key that is one of `languages` (`title: {id: ..., en: ...}`) is known to
    be in that language.
    """
    codes = set(languages)
    texts: list[FindingsText] = []
    for source in sources:
        for path, value in _walk(source.data, ()):
            language = path[-1] if path and path[-1] in codes else ""
            texts.append(FindingsText(value, source.position(path), str(language)))
    return texts


def _walk(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _squash(text: str) -> str:
    """Text without whitespace and controls, lowercased: a payload split by tabs still matches."""
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", "", text).lower()


def locate(offence: Offence, texts: Iterable[FindingsText]) -> Position | None:
    """The findings value the offending text came from, if one holds it."""
    snippet = offence.snippet.strip()
    if len(_squash(snippet)) < 4:
        return None
    squashed = _squash(snippet)
    # Text in the page's own language first: the same words may stand in several languages.
    ordered = sorted(texts, key=lambda t: t.language != offence.language)
    for text in ordered:
        for form in (text.value, html.unescape(text.value)):
            if snippet in form or squashed in _squash(form):
                return text.position
    return None


def gate_problems(
    offences: Iterable[Offence], texts: Iterable[FindingsText], site_label: str
) -> list[Problem]:
    """Offences as positioned problems: at the findings text when found, else in the page.

    The same offence on many pages (a title in every page's navigation) is one problem.
    """
    texts = list(texts)
    grouped: dict[tuple[Position | None, str, str], list[Offence]] = {}
    for offence in offences:
        where = locate(offence, texts)
        key = (where, offence.message, offence.snippet if where is None else "")
        grouped.setdefault(key, []).append(offence)
    problems = []
    for (where, message, _), group in grouped.items():
        first = group[0]
        pages = sorted({f"{site_label.rstrip('/')}/{o.page}" for o in group})
        shown = first.snippet.strip().replace("\n", " ")
        if len(shown) > 80:
            shown = shown[:77] + "..."
        reached = pages[0] if len(pages) == 1 else f"{pages[0]} and {len(pages) - 1} other pages"
        if where is None:
            where = Position(pages[0], first.line, first.column)
            hint = f"found in {reached}; it could run in a reader's browser. Nothing was published"
        else:
            hint = f"it would reach {reached}; nothing was published"
        problems.append(Problem(where, f"unsafe output: {message}: {shown!r}", hint=hint))
    return problems
