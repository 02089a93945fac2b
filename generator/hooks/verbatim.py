"""MkDocs hook (written by the generator's authors, copied next to each language's mkdocs.yml).

Titles are plain text from the findings and must show exactly as written: `Co-op <draft>`,
`Food & Markets`.  Material prints the site name and navigation titles without escaping in
some places (`{{ config.site_name }}`) and with it in others (`{{ ... | e }}`).  Marking
each title as already-escaped HTML (`Markup`) makes both kinds of place print the same,
correct text.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def _verbatim(text: Any) -> Any:
    if isinstance(text, str) and not isinstance(text, Markup):
        return Markup(escape(text))
    return text


def on_config(config: Any) -> Any:
    config["site_name"] = _verbatim(config["site_name"])
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    for item in _walk(nav.items):
        item.title = _verbatim(item.title)
    return nav


def _walk(items: list[Any]) -> Any:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])
