"""The built HTML of both languages, read strictly: it parses without an error, and the
project's own markup leaves nothing behind that a validator rejects (a `markdown=`
attribute, a duplicate id, a second h1)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import html5lib
import pytest

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
