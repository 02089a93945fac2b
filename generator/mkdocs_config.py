"""Each language's mkdocs.yml: the shared settings plus what that language needs.

Site name, theme language, navigation, the language switch (`extra.study_languages`,
`extra.alternate`) and the study's citation meta tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

from generator.labels import load_catalogue
from generator.meta import open_graph_locale
from generator.plan import PagePlan, all_pages

if TYPE_CHECKING:
    from generator.render import PageRenderer, RenderOptions


def mkdocs_config(
    r: PageRenderer,
    pages: list[PagePlan],
    options: RenderOptions,
    base: Mapping[str, Any],
    descriptions: Mapping[str, str] | None = None,
) -> str:
    nav: list[Any] = []
    for page in pages:
        if page.children:
            # The group already carries the chapter's title; its first entry is named by
            # what the chapter's own page holds, so "4 Pembahasan" is not listed twice.
            first = {r.chapter_page_entry(page): page.file}
            nav.append(
                {r.nav_title(page): [first, *({r.nav_title(c): c.file} for c in page.children)]}
            )
        else:
            nav.append({r.nav_title(page): page.file})
    config: dict[str, Any] = {key: value for key, value in base.items() if key != "nav"}
    # Further parts of a split page are reached from its first part, not from the navigation.
    continued = [part.file for page in all_pages(pages) for part in page.parts]
    if continued:
        config["not_in_nav"] = "\n".join(f"/{file}" for file in continued)
    theme = dict(config.get("theme", {}))
    theme.update({"name": "material", "language": r.lang, "custom_dir": "../overrides"})
    theme.setdefault("font", False)
    if isinstance(theme.get("palette"), list):
        # The colour-scheme toggle speaks the page's language too.
        theme["palette"] = [
            {
                **entry,
                "toggle": {
                    **entry["toggle"],
                    "name": r.labels[f"palette_toggle_{entry.get('scheme', 'default')}"],
                },
            }
            if isinstance(entry, dict) and "toggle" in entry
            else entry
            for entry in theme["palette"]
        ]
    config["markdown_extensions"] = _localized_extensions(
        config.get("markdown_extensions", []), r.labels
    )
    config.update(
        {
            "site_name": r.title_text(r.f.study.short_title or r.f.study.title),
            "docs_dir": "docs",
            "use_directory_urls": False,
            "theme": theme,
            "nav": nav,
            "extra_css": [*config.get("extra_css", []), "assets/study.css", "assets/print.css"],
            "extra_javascript": [*config.get("extra_javascript", []), "assets/study.js"],
            # Titles are plain text: shown exactly as written (hooks/verbatim.py).
            "hooks": [
                *config.get("hooks", []),
                "../hooks/verbatim.py",
                # A translation's 404 page links to that language's pages (hooks/error_page.py).
                "../hooks/error_page.py",
            ],
        }
    )
    if options.site_url:
        config["site_url"] = options.site_url.rstrip("/") + "/" + r.here.prefix
    extra = dict(config.get("extra", {}))
    extra["study_languages"] = [
        {
            "code": sl.code,
            "name": sl.language.name,
            # From this language's root to that language's root.
            "root": _relative_root(r.here.prefix, sl.prefix),
            "absolute": (options.site_url.rstrip("/") + "/" + sl.prefix)
            if options.site_url
            else "",
            # Where that language's root is on the server, for pages served at any address
            # (404.html): the published address's path, or else the server's root.
            "path": _root_path(options.site_url) + sl.prefix,
            "current": sl.code == r.lang,
            "prefix": sl.prefix,
            "not_found_title": load_catalogue(sl.code)["not_found_title"],
            "not_found_text": load_catalogue(sl.code)["not_found_text"],
            "not_found_home": load_catalogue(sl.code)["not_found_home"],
        }
        for sl in r.languages
    ]
    # Material shows its language switch only when `extra.alternate` is set.
    extra["alternate"] = [
        {
            "name": sl.language.name,
            "lang": sl.code,
            "link": _relative_root(r.here.prefix, sl.prefix),
        }
        for sl in r.languages
    ]
    # Loaded in <head>, before the theme's bundle (see overrides/main.html).
    extra["head_javascript"] = ["assets/search-on-demand.js"]
    extra["source_language"] = r.source
    extra["site_prefix"] = r.here.prefix  # where this language lives: "" or "en/"
    if r.here.prefix and not options.site_url:
        extra["error_page_base"] = "/" + r.here.prefix
    # Search engines and link previews (overrides/main.html, meta.py).
    extra["page_descriptions"] = dict(descriptions or {})
    extra["study_title"] = r.title_text(r.f.study.title)
    extra["open_graph_locale"] = open_graph_locale(r.lang)
    extra["open_graph_alternate_locales"] = [
        open_graph_locale(sl.code) for sl in r.languages if sl.code != r.lang
    ]
    extra["citation_meta"] = r.cite.citation_meta()
    extra["language_switch_label"] = r.labels["language_switch"]
    extra["made_with_label"] = r.labels["made_with"]
    config["extra"] = extra
    header = (
        "# Generated by `python -m generator` from mkdocs.yml and findings/. Do not edit:\n"
        "# change the findings or the shared mkdocs.yml, then run `make site`.\n"
    )
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=True, width=100)


def _root_path(site_url: str | None) -> str:
    """The path of the site's root on its server: "/repo/" for https://host/repo/, else "/"."""
    path = urlsplit(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"


def _localized_extensions(extensions: list[Any], labels: Mapping[str, str]) -> list[Any]:
    """The Markdown extensions with their visible words in the page's language: the
    heading permalinks' title ("Permanent link" is Python-Markdown's English default)."""
    localized: list[Any] = []
    for entry in extensions:
        name = entry if isinstance(entry, str) else next(iter(entry), None)
        if name == "toc":
            options = dict(entry["toc"] or {}) if isinstance(entry, dict) else {}
            options["permalink_title"] = labels["permalink_title"]
            entry = {"toc": options}
        localized.append(entry)
    return localized


def _relative_root(from_prefix: str, to_prefix: str) -> str:
    """The path from one language's root to another's, e.g. "en/" -> "" gives "../"."""
    if from_prefix == to_prefix:
        return "./"
    return ("../" * from_prefix.count("/") + to_prefix) or "./"
