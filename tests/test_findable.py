"""What a search engine, a link preview and a slow phone get from the built site: a
description, canonical and hreflang links and Open Graph tags on every page, one sitemap
with every language's alternates, robots.txt, and one copy of the theme's assets.

The published address comes from the build (`site_url`, as --site-url or $SITE_URL give it)
or from the study itself (`study.site_url`); without either the site still works."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest

from generator.build import build
from tests.conftest import FIXTURES, ServedSite, project_for

pytestmark = pytest.mark.slow
LANGUAGES = {"id": "", "en": "en/"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def content_pages(site: Path, prefix: str) -> list[str]:
    folder = site / prefix if prefix else site
    return sorted(p.name for p in folder.glob("*.html") if p.name != "404.html")


def head(page: Path) -> ElementTree.Element:
    document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    found = document.find("head")
    assert found is not None, f"{page}: no head"
    return found


def meta(head: ElementTree.Element, key: str, value: str) -> list[str]:
    return [e.get("content", "") for e in head.iter("meta") if e.get(key) == value]


def links(head: ElementTree.Element, rel: str) -> dict[str, str]:
    return {
        e.get("hreflang") or rel: e.get("href", "")
        for e in head.iter("link")
        if e.get("rel") == rel
    }


def test_every_page_has_description_canonical_hreflang_and_open_graph(
    served_site: ServedSite,
) -> None:
    base = served_site.url
    problems: list[str] = []
    descriptions: dict[str, str] = {}
    for lang, prefix in LANGUAGES.items():
        for name in content_pages(served_site.root, prefix):
            page = prefix + name
            h = head(served_site.root / page)
            description = meta(h, "name", "description")
            if len(description) != 1 or not 20 <= len(description[0]) <= 161:
                problems.append(f"{page}: description {description}")
            else:
                descriptions[page] = description[0]
            if links(h, "canonical") != {"canonical": base + page}:
                problems.append(f"{page}: canonical {links(h, 'canonical')}")
            expected = {"id": base + name, "en": f"{base}en/{name}", "x-default": base + name}
            if links(h, "alternate") != expected:
                problems.append(f"{page}: hreflang {links(h, 'alternate')}")
            og = {
                key: meta(h, "property", f"og:{key}")
                for key in ("title", "description", "url", "type", "locale", "locale:alternate")
            }
            wanted_locales = {"id": ["id_ID"], "en": ["en_US"]}
            if (
                og["url"] != [base + page]
                or og["description"] != description
                or not og["title"]
                or not og["title"][0].strip()
                or og["type"] != ["website" if name == "index.html" else "article"]
                or og["locale"] != wanted_locales[lang]
                or og["locale:alternate"] != wanted_locales["en" if lang == "id" else "id"]
            ):
                problems.append(f"{page}: Open Graph {og}")
    assert not problems, "\n".join(problems)
    # Drawn from the page's own words: the home page from the abstract, in its language.
    assert descriptions["index.html"].startswith("Penelitian ini bertujuan")
    assert descriptions["en/index.html"].startswith("This study")
    assert len(set(descriptions.values())) > len(descriptions) * 0.8, "descriptions repeat"


def test_one_sitemap_lists_every_page_with_its_alternates(served_site: ServedSite) -> None:
    base = served_site.url
    assert not (served_site.root / "en" / "sitemap.xml").exists(), "a second sitemap"
    tree = ElementTree.parse(served_site.root / "sitemap.xml")
    urls = tree.getroot().findall(f"{SITEMAP}url")
    locations = [u.findtext(f"{SITEMAP}loc") for u in urls]
    expected = [
        base + prefix + name
        for prefix in LANGUAGES.values()
        for name in content_pages(served_site.root, prefix)
    ]
    assert sorted(locations) == sorted(expected)  # type: ignore[type-var]
    for url in urls:
        loc = url.findtext(f"{SITEMAP}loc") or ""
        name = loc.removeprefix(base).removeprefix("en/")
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        assert alternates == {
            "id": base + name,
            "en": f"{base}en/{name}",
            "x-default": base + name,
        }, loc
    robots = (served_site.root / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


def test_not_found_page_has_its_own_title(served_site: ServedSite) -> None:
    def title(page: Path) -> str:
        return (head(page).findtext("title") or "").strip()

    for prefix in LANGUAGES.values():
        home = title(served_site.root / prefix / "index.html")
        missing = title(served_site.root / prefix / "404.html")
        assert missing and missing != home, (missing, home)
        assert meta(head(served_site.root / prefix / "404.html"), "name", "robots") == ["noindex"]


def test_without_an_address_nothing_points_at_a_missing_file(study_site: Path) -> None:
    """No sitemap (it needs absolute URLs), robots.txt without one, hreflang relative, and
    a translation's 404 page linking to its own language's pages."""
    assert not list(study_site.rglob("sitemap.xml*"))
    assert "Sitemap" not in (study_site / "robots.txt").read_text(encoding="utf-8")
    h = head(study_site / "en" / "method.html")
    assert links(h, "alternate") == {
        "id": "../method.html",
        "en": "method.html",
        "x-default": "../method.html",
    }
    assert links(h, "canonical") == {}
    english_404 = (study_site / "en" / "404.html").read_text(encoding="utf-8")
    nav = set(re.findall(r'class="md-nav__link"[^>]*href="([^"]+)"', english_404))
    nav |= set(re.findall(r'href="([^"]+)"[^>]*class="md-nav__link"', english_404))
    assert nav and all(h.startswith("/en/") for h in nav), nav
    assert 'href="/en/index.html"' in english_404 and 'href="/index.html"' in english_404


def asset_links(site: Path) -> list[tuple[str, str]]:
    """(page, target) for every stylesheet, script and icon a page loads, and the search
    worker, resolved to a path in the site (pages use relative links without an address)."""
    found: list[tuple[str, str]] = []
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        text = page.read_text(encoding="utf-8")
        urls = re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"', text)
        urls += re.findall(r'"search":\s*"([^"]+)"', text)
        for url in urls:
            if url.startswith(("http:", "https:", "#")) or url.endswith(".html"):
                continue
            if url.startswith("/"):
                target = url.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), url))
            found.append((relative, target))
    return found


def test_one_copy_of_the_theme_serves_every_language(study_site: Path) -> None:
    assert (study_site / "assets" / "javascripts").is_dir()
    assert not (study_site / "en" / "assets").exists(), "the English site has its own copy"
    assert not list(study_site.rglob("*.map")), "source maps are published"
    for script in (study_site / "assets").rglob("*.js"):
        assert b"sourceMappingURL" not in script.read_bytes(), script
    loaded = asset_links(study_site)
    assert any(page.startswith("en/") and "bundle" in t for page, t in loaded)
    missing = sorted({f"{page} -> {t}" for page, t in loaded if not (study_site / t).is_file()})
    assert not missing, "\n".join(missing[:20])


def test_the_study_names_its_own_address_and_the_build_may_override_it(
    tmp_path: Path,
) -> None:
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini", study)
    source = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(
        source.replace("\nstudy:\n", "\nstudy:\n  site_url: https://example.org/mini\n", 1),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build(project_for(study, tmp_path), site)
    page = head(site / "en" / "index.html")
    assert links(page, "canonical") == {"canonical": "https://example.org/mini/en/index.html"}
    assert "Sitemap: https://example.org/mini/sitemap.xml" in (site / "robots.txt").read_text()
    build(project_for(study, tmp_path), site, site_url="https://mirror.example.net/")
    page = head(site / "en" / "index.html")
    assert links(page, "canonical") == {"canonical": "https://mirror.example.net/en/index.html"}
