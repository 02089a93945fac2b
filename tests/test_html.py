"""The built HTML of both languages, read strictly: it parses without an error, and the
project's own markup leaves nothing behind that a validator rejects (a `markdown=`
attribute, a duplicate id, a second h1)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import html5lib
import pytest

from generator.build import Project, check
from generator.model import walk_sections
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "search" not in p.relative_to(site).parts)


def parse(page: Path) -> tuple[object, list[str]]:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(page.read_bytes())
    errors = [
        f"line {line}:{column}: {code} {data or ''}" for (line, column), code, data in parser.errors
    ]
    return document, errors


def test_every_page_parses_strictly_with_unique_ids_and_one_h1(study_site: Path) -> None:
    problems: list[str] = []
    pages = built_pages(study_site)
    assert len(pages) > 10 and (study_site / "en" / "404.html") in pages
    for page in pages:
        name = page.relative_to(study_site).as_posix()
        document, errors = parse(page)
        problems += [f"{name}: {e}" for e in errors]
        elements = [e for e in document.iter() if isinstance(e.tag, str)]  # type: ignore[attr-defined]
        leaked = [e.tag for e in elements if "markdown" in e.attrib]
        if leaked:
            problems.append(f"{name}: a markdown attribute survives on {sorted(set(leaked))}")
        ids = Counter(e.get("id") for e in elements if e.get("id") is not None)
        problems += [f"{name}: id {i!r} appears {n} times" for i, n in ids.items() if n > 1]
        h1 = sum(e.tag == "h1" for e in elements)
        if h1 != 1:
            problems.append(f"{name}: {h1} h1 elements")
    assert not problems, "\n".join(problems)


def test_print_view_holds_the_whole_paper_in_order(study_site: Path) -> None:
    """One page per language with every chapter and section in the paper's order, and every
    quote the other pages show, each once; its anchors are theirs with a prefix
    (print.html#paper-q-...), so that no id is on two pages."""
    study = check(Project(ROOT / "findings")).findings
    for prefix in ("", "en/"):
        folder = study_site / prefix if prefix else study_site
        document, _ = parse(folder / "print.html")
        elements = [e for e in document.iter() if isinstance(e.tag, str)]  # type: ignore[attr-defined]
        article = next(e for e in elements if e.tag == "article")
        content_ids = [e.get("id") for e in article.iter() if e.get("id")]
        unprefixed = [i for i in content_ids if not i.startswith("paper-")]
        assert content_ids and not unprefixed, f"ids also on other pages: {unprefixed}"
        headings = [
            e.get("id").removeprefix("paper-")
            for e in elements
            if e.tag in ("h2", "h3", "h4", "h5", "h6") and e.get("id")
        ]
        quotes_elsewhere: list[str] = []
        for page in sorted(folder.glob("*.html")):
            if page.name in ("print.html", "404.html"):
                continue
            other, _ = parse(page)
            for e in other.iter():  # type: ignore[attr-defined]
                if (
                    isinstance(e.tag, str)
                    and e.tag == "figure"
                    and "quote" in e.get("class", "").split()
                ):
                    quotes_elsewhere.append(e.get("id"))
        quotes = [
            e.get("id").removeprefix("paper-")
            for e in elements
            if e.tag == "figure" and "quote" in e.get("class", "").split()
        ]
        assert sorted(quotes) == sorted(quotes_elsewhere), prefix
        assert len(set(quotes)) == len(quotes)
        # Every chapter and section, in the paper's order.
        paper = [
            part_id
            for chapter in study.chapters
            for part_id in (chapter.id, *(s.id for s in walk_sections(chapter.sections)))
        ]
        assert [h for h in headings if h in paper] == paper
        assert headings[0] == "abstract" and headings[-1] == "references"
