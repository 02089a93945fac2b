"""MkDocs hook (written by the generator's authors, copied next to each language's mkdocs.yml).

Titles are plain text from the findings and must show exactly as written: `Co-op <draft>`,
`Food & Markets`.  Material prints the site name and navigation titles without escaping in
some places (`{{ config.site_name }}`) and with it in others (`{{ ... | e }}`).  Marking
each title as already-escaped HTML (`Markup`) makes both kinds of place print the same,
correct text.
"""

from __future__ import annotations

import posixpath
import re
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


# A root-relative link or source that the 404 page's own language-home links do not carry.
_ROOT_RELATIVE = re.compile(r'(?<!data-study-home )((?:href|src)=")(/(?!/)[^"]*)"')


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """A translation's 404.html built without a site URL: its links lead into its language.

    MkDocs writes a 404 page's links from the domain root ("/index.html") when it does not
    know the site's address, but a translation lives under /<code>/: its theme, navigation
    and search would lead to the source language's pages.
    """
    prefix = config["extra"].get("site_prefix", "")
    if template_name != "404.html" or config["site_url"] or not prefix:
        return output

    def inside_language(match: re.Match[str]) -> str:
        path, _, rest = match.group(2).partition("#")
        moved = posixpath.normpath("/" + prefix + path.lstrip("/"))
        if path.endswith("/") and not moved.endswith("/"):
            moved += "/"
        return f'{match.group(1)}{moved}{"#" + rest if rest else ""}"'

    return _ROOT_RELATIVE.sub(inside_language, output)
