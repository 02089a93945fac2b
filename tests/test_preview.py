"""The live preview's builds (generator.preview): after an edit, only the pages it changed are
rendered again, and the site that comes out is the one a full build makes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.errors import FindingsError
from generator.preview import Preview
from generator.synth import write_synthetic_study
from tests.conftest import project_for


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_same_site(preview_site: Path, findings: Path, tmp: Path) -> None:
    """The preview shows exactly what a full build of the same findings publishes."""
    full = tmp / "full-site"
    build(project_for(findings, tmp / "full"), full)
    got, expected = tree(preview_site), tree(full)
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, f"the preview differs from a full build in {differ}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    findings = tmp_path / "findings"
    write_synthetic_study(findings, 30)
    return findings


def test_an_edit_renders_only_its_pages_and_matches_a_full_build(
    study: Path, tmp_path: Path
) -> None:
    preview = Preview(project_for(study, tmp_path / "p"), tmp_path / "site")
    first = preview.build()
    assert first.full
    quotes = study / "quotes.yaml"
    text = quotes.read_text(encoding="utf-8")
    start = text.index("  text: ") + len("  text: ")
    quotes.write_text(text[:start] + "diubah " + text[start:], encoding="utf-8")
    second = preview.build()
    assert not second.full
    # In each language: the quote's page and the pages naming it by its opening words (in
    # a translation too: they now say its translation is out of date); the study-wide pages
    # that list every quote wait for the next build.
    assert 2 <= second.pages <= 3 * 2 < first.pages
    site = tmp_path / "site"
    assert "diubah" in (site / "results-face-to-face-dialogue.html").read_text()
    assert "diubah" not in (site / "print.html").read_text()  # not yet
    assert second.pending >= 2 * 2  # at least the informants page and the print view
    third = preview.build()
    assert (third.full, third.pages, third.pending) == (False, second.pending, 0)
    for page in ("print.html", "informant-index.html", "en/print.html"):
        assert "diubah" in (site / page).read_text(encoding="utf-8"), page
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "diubah" in index  # search finds the edit too
    assert_same_site(site, study, tmp_path)


def test_a_bad_edit_keeps_the_site_and_the_next_edit_is_still_right(
    study: Path, tmp_path: Path
) -> None:
    preview = Preview(project_for(study, tmp_path / "p"), tmp_path / "site")
    preview.build()
    before = tree(tmp_path / "site")
    edit(study / "quotes.yaml", "indicator: trust-building", "indicator: no-such-indicator")
    with pytest.raises(FindingsError):
        preview.build()
    assert tree(tmp_path / "site") == before
    edit(study / "quotes.yaml", "indicator: no-such-indicator", "indicator: trust-building")
    edit(study / "informants.yaml", "role:\n    id: ", "role:\n    id: Ketua ")
    after = preview.build()
    assert not after.full  # the informants table and every page quoting that informant
    while after.pending:
        after = preview.build()
    assert_same_site(tmp_path / "site", study, tmp_path)


def test_a_new_page_gets_a_full_build(study: Path, tmp_path: Path) -> None:
    preview = Preview(project_for(study, tmp_path / "p"), tmp_path / "site")
    preview.build()
    edit(study / "paper.yaml", "page: true", "page: false")
    assert preview.build().full  # a page went away: the navigation changed
    assert_same_site(tmp_path / "site", study, tmp_path)


def test_the_gate_reads_the_pages_an_update_renders(study: Path, tmp_path: Path) -> None:
    """Live markup in an edited page is refused by the preview too; the last good site stays."""
    for lang in ("id", "en"):
        page = study / "pages" / lang / "about.md"
        page.parent.mkdir(parents=True)
        page.write_text("# About\n\nA page an editor wrote.\n", encoding="utf-8")
    preview = Preview(project_for(study, tmp_path / "p"), tmp_path / "site")
    preview.build()
    before = tree(tmp_path / "site")
    edit(study / "pages" / "en" / "about.md", "A page", '<img src="x" onerror="alert(1)"> A page')
    with pytest.raises(FindingsError, match="unsafe output"):
        preview.build()
    assert tree(tmp_path / "site") == before
