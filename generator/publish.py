"""Last touches on a built site, before the gate and before it replaces the last good one.

MkDocs builds each language as a site of its own, so every translation carries its own
copy of the theme's assets (about 2.6 MB with Material's source maps). Here

- the translations' `assets/` folders, byte for byte the same as the root's, are removed and
  their pages point at the root's copy instead (relative links stay relative, so the site
  still works from a plain folder and under a project path);
- source maps are left out of the published site, with the comments that name them;
- robots.txt at the root names the sitemap (when the address is known: meta.py);
- the print view (the whole paper, on one page or in parts) gets its own anchors: every id
  on it, and every link, label and SVG reference to one, carries the `paper-` prefix, so no
  id is on two pages and print.html#paper-q-... leads to the quote there.
"""

from __future__ import annotations

import filecmp
import os
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from generator.meta import robots_txt

ASSETS = "assets/"
_PRINT_VIEW = re.compile(r"print(--\d+)?\.html")
PRINT_PREFIX = "paper-"
# Links the theme writes: attributes, and the search worker's address in Material's config.
# No `\b` before the names: a pattern that starts with a literal is scanned for quickly
# (a 10,000-quote page is megabytes); `replace` skips a match preceded by a name character.
_LINK = re.compile(r"""(?P<before>(?:href|src)=["']|"search":\s*")(?P<url>[^"']*)""")
_NAME_CHARACTER = re.compile(r"[\w:-]")
_SOURCE_MAP_COMMENT = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*?(?:\*/)?\s*$")


def publish(site: Path, prefixes: list[str], site_url: str | None) -> None:
    """Share the root's assets with every translation and drop source maps, in place.

    `prefixes` are the languages' folders relative to the site's root ("" and "en/").
    """
    sharing = {p for p in prefixes if p and _same_assets(site / ASSETS, site / p / ASSETS)}
    pages = sorted(page.relative_to(site).as_posix() for page in site.rglob("*.html"))
    publish_pages(site, pages, prefixes, sharing, site_url)
    for prefix in sorted(sharing):
        shutil.rmtree(site / prefix / ASSETS)
    drop_source_maps(site)
    _rewrite(site / "robots.txt", robots_txt(site_url))


def publish_pages(
    site: Path, pages: list[str], prefixes: list[str], sharing: set[str], site_url: str | None
) -> None:
    """The touches `publish` gives each page, for `pages` only (paths relative to `site`).

    `sharing` are the translations' prefixes whose pages use the root's assets.  The preview
    calls it for the pages an update rendered again, in a copy of the site it published.
    """
    root_path = _root_path(site_url)
    for relative in pages:
        path = site / relative
        prefix = max((p for p in prefixes if relative.startswith(p)), key=len, default="")
        text = path.read_text(encoding="utf-8")
        published = text
        # print.html, and print--2.html ... when the paper is long (generator/plan.py)
        if _PRINT_VIEW.fullmatch(relative[len(prefix) :]):
            published = prefix_anchors(published)
        if prefix in sharing:
            published = share_assets(published, relative, prefix, root_path)
        if published != text:
            _rewrite(path, published)


def _after_name(text: str, index: int) -> bool:
    """Whether `text[index]` continues a longer name (`data-id=` holds `id=` at its end)."""
    return index > 0 and _NAME_CHARACTER.match(text, index - 1) is not None


def _root_path(site_url: str | None) -> str:
    path = urlsplit(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"


def _same_assets(root: Path, translation: Path) -> bool:
    """Whether every file under `translation` is also under `root`, with the same bytes."""
    if not translation.is_dir() or not root.is_dir():
        return False
    for file in translation.rglob("*"):
        if file.is_file():
            twin = root / file.relative_to(translation)
            if not twin.is_file() or not filecmp.cmp(file, twin, shallow=False):
                return False
    return True


def share_assets(text: str, page: str, prefix: str, root_path: str = "/") -> str:
    """`text` of the page at `page` (e.g. "en/method.html") with every link into the
    translation's `assets/` pointing at the root's instead, in the same form (relative,
    from the server's root, or a full address)."""
    folder = posixpath.dirname(page)
    # The theme links its assets from around the content. Content that does not name them
    # (nearly all: most of a long page) is passed over unread.
    start = text.find('<article class="md-content__inner')
    end = text.find("</article>", start)
    if start >= 0 and end >= 0 and text.find(ASSETS, start, end) < 0:
        return (
            share_assets(text[:start], page, prefix, root_path)
            + text[start:end]
            + share_assets(text[end:], page, prefix, root_path)
        )

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        if ASSETS not in url or _after_name(text, match.start()):
            return match.group(0)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            own = parts.path.startswith(root_path + prefix + ASSETS)
            new = url.replace(root_path + prefix + ASSETS, root_path + ASSETS, 1) if own else url
        elif url.startswith("/"):
            own = url.startswith(root_path + prefix + ASSETS)
            new = root_path + url[len(root_path + prefix) :] if own else url
        else:
            target = posixpath.normpath(posixpath.join(folder, parts.path))
            own = target.startswith(prefix + ASSETS)
            new = url
            if own:
                shared = target[len(prefix) :]
                new = posixpath.relpath(shared, folder or ".") + url[len(parts.path) :]
        return match.group("before") + new

    return _LINK.sub(replace, text)


# Attributes that hold ids of the page: one id, or a list of them.
_ID_ATTRIBUTES = ("id", "for", "aria-labelledby", "aria-describedby", "aria-controls")
# Every quoted attribute value; a pattern that starts with a literal is scanned for quickly.
# A value stops at `<`: `="` in a page's text is not the start of a value.
_QUOTED_VALUE = re.compile(r'="(?P<value>[^"<]*)"')
_SVG_REFERENCE = re.compile(r"url\(#(?P<target>[^)]+)\)")


def prefix_anchors(text: str, prefix: str = PRINT_PREFIX) -> str:
    """`text` (a page) with every id of its content, and every reference to one anywhere on
    the page (links, labels, ARIA, SVG `url(#...)`), prefixed once. The theme's own ids
    (`__drawer`, `__config`...) stay as they are."""
    start = text.find('<article class="md-content__inner')
    end = text.find("</article>", start)
    if start < 0 or end < 0:
        return text
    content_ids = set(re.findall(r' id="([^"]+)"', text[start:end]))

    def one(name: str) -> str:
        if name not in content_ids or name.startswith(prefix):
            return name
        return prefix + name

    def attribute(match: re.Match[str]) -> str:
        at = match.start()
        if text.endswith(_ID_ATTRIBUTES, 0, at):
            name = next(n for n in _ID_ATTRIBUTES if text.endswith(n, 0, at))
            if not _after_name(text, at - len(name)):  # data-id=, not id=
                return '="' + " ".join(one(i) for i in match.group("value").split()) + '"'
        elif text.endswith("href", 0, at) and not _after_name(text, at - len("href")):
            value = match.group("value")
            if value.startswith("#"):
                return f'="#{one(value[1:])}"'
        return match.group(0)

    text = _QUOTED_VALUE.sub(attribute, text)
    return _SVG_REFERENCE.sub(lambda match: f"url(#{one(match.group('target'))})", text)


def drop_source_maps(site: Path) -> None:
    """Remove `*.map` files and the comments in scripts and stylesheets that name them."""
    for source_map in sorted(site.rglob("*.map")):
        source_map.unlink()
    for asset in sorted([*site.rglob("*.js"), *site.rglob("*.css")]):
        data = asset.read_bytes()
        stripped = _SOURCE_MAP_COMMENT.sub(b"\n", data)
        if stripped != data:
            _rewrite(asset, stripped)


def _rewrite(path: Path, data: str | bytes) -> None:
    """Replace `path` by a new file (a hard link to it elsewhere keeps the old content)."""
    new = path.with_name(path.name + ".publishing")
    if isinstance(data, str):
        new.write_text(data, encoding="utf-8")
    else:
        new.write_bytes(data)
    os.replace(new, path)
