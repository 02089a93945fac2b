"""MkDocs hook (written by the generator's authors, copied next to each language's mkdocs.yml).

A 404 page is served at any address, so MkDocs writes its links from the server's root:
from the published address's path, or, without an address, from "/" as if the language
lived there. A translation lives under its own folder ("/en/"): without an address, its
404 page is built as if the site's address were that folder, so its links lead to that
language's pages. `extra.error_page_base` holds the folder (mkdocs_config.py).
"""

from __future__ import annotations

from typing import Any

_BORROWED = "_study_error_page_base"


def on_pre_template(template: Any, template_name: str, config: Any) -> Any:
    base = (config.get("extra") or {}).get("error_page_base")
    if template_name == "404.html" and base and not config.get("site_url"):
        config[_BORROWED] = True
        config["site_url"] = base
    return template


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if config.get(_BORROWED):
        config["site_url"] = None
        config[_BORROWED] = False
    return output
