"""Render stage: golden Markdown per language for the small fixture study, plus the
behaviours a reader notices (anchors, gaps, pending translations, literal data)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.build import Project, check, read_base_config
from generator.model import Findings, Localized
from generator.render import render_site
from tests.conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "mini"


def mini() -> Findings:
    return check(Project(FIXTURES / "mini")).findings


def rendered(findings: Findings | None = None) -> dict[str, str]:
    """The generated text files (the binary downloads left out)."""
    files = render_site(findings or mini(), base_config=read_base_config(ROOT / "mkdocs.yml"))
    return {path: text for path, text in files.items() if isinstance(text, str)}


def test_generated_markdown_matches_the_golden_files(update_golden: bool) -> None:
    files = {k: v for k, v in rendered().items() if k.endswith((".md", "mkdocs.yml"))}
    if update_golden:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for relative, text in files.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_text(text, encoding="utf-8")
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN.rglob("*")
        if p.is_file()
    }
    assert sorted(files) == sorted(golden), "pages added or removed: run pytest --update-golden"
    for relative, text in files.items():
        assert text == golden[relative], (
            f"{relative} changed: review, then run pytest --update-golden"
        )


def test_every_language_gets_the_same_pages() -> None:
    files = rendered()
    id_pages = sorted(k.removeprefix("id/") for k in files if k.startswith("id/docs/"))
    en_pages = sorted(k.removeprefix("en/") for k in files if k.startswith("en/docs/"))
    assert id_pages == en_pages
    assert "docs/results-dialogue.md" in id_pages


def test_quote_anchor_is_the_same_in_both_languages() -> None:
    files = rendered()
    for language in ("id", "en"):
        assert 'id="q-dialogue-ss"' in files[f"{language}/docs/results-dialogue.md"]


def test_english_page_keeps_the_original_beside_the_translation() -> None:
    page = rendered()["en/docs/results-dialogue.md"]
    assert "we asked the trainer questions" in page
    assert '<blockquote lang="id"><p>kami bertanya dengan pelatih</p></blockquote>' in page
    assert "Original &#40;Bahasa Indonesia&#41;" in page


def test_source_gaps_are_shown_in_both_languages() -> None:
    files = rendered()
    assert "Informan tidak disebutkan" in files["id/docs/results-dialogue.md"]
    assert "Informant not named" in files["en/docs/results-dialogue.md"]
    trust_en = files["en/docs/results-trust.md"]
    assert "Quote missing" in trust_en and "cut off in the source" in trust_en


def test_unplaced_quote_is_appended_to_its_indicator_results() -> None:
    page = rendered()["id/docs/results-dialogue.md"]
    # q-dialogue-ss is in quotes but no section body places it.
    assert page.index('id="q-dialogue-unnamed"') < page.index('id="q-dialogue-ss"')


def _with_quote_text(text: str) -> Findings:
    findings = mini()
    quotes = list(findings.quotes)
    quotes[1] = dataclasses.replace(
        quotes[1], text=text, translation=Localized({"en": text}, quotes[1].position)
    )
    return dataclasses.replace(findings, quotes=tuple(quotes))


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b>",
        "*stars*",
        "# hash",
        "a | pipe",
        "{{ braces }}",
        "1. numbered",
        "<script>x</script>",
    ],
)
def test_quote_text_is_escaped_in_every_language(text: str) -> None:
    files = rendered(_with_quote_text(text))
    for language in ("id", "en"):
        page = files[f"{language}/docs/results-dialogue.md"]
        assert text not in page, "data reached the Markdown unescaped"


def test_missing_translation_in_draft_shows_source_marked_pending() -> None:
    findings = mini()
    indicator = findings.indicators[0]
    definition = Localized({"id": indicator.definition.values["id"]}, indicator.definition.position)
    findings = dataclasses.replace(
        findings,
        indicators=(
            dataclasses.replace(indicator, definition=definition),
            *findings.indicators[1:],
        ),
    )
    page = rendered(findings)["en/docs/method.md"]
    # The definition continues the indicator's paragraph: the mark stays inline, so the
    # paragraph keeps its anchor (a block here would split it).
    line = next(line for line in page.splitlines() if "Para pihak bertemu" in line)
    assert '<span lang="id">Para pihak bertemu dan berbicara langsung.</span>' in line
    assert '<span class="pending">(Translation pending)</span>' in line
    assert "{: #indicator-dialogue }" in page


def test_citations_link_to_the_reference_list() -> None:
    page = rendered()["en/docs/introduction.md"]
    assert "[Ansell and Gash](references.md#ref-ansell-gash-2008)" in page
    refs = rendered()["en/docs/references.md"]
    assert "{: #ref-ansell-gash-2008 .reference }" in refs


def test_templates_are_the_same_for_every_language() -> None:
    # Languages cannot drift: there is one template per kind of page, none per language.
    names = sorted(p.name for p in (ROOT / "generator" / "templates").iterdir())
    assert not [n for n in names if ".id." in n or ".en." in n]


def test_reference_list_names_the_page_of_an_appended_quote_that_cites_it() -> None:
    findings = mini()
    quotes = list(findings.quotes)
    appended = quotes[1]  # q-dialogue-ss: no section places it, it is appended
    assert appended.id == "q-dialogue-ss"
    cited = Localized(
        {"id": "Lihat [@sukidjo-2012, 34].", "en": "See [@sukidjo-2012, 34]."},
        appended.position,
    )
    quotes[1] = dataclasses.replace(appended, interpretation=cited)
    page = rendered(dataclasses.replace(findings, quotes=tuple(quotes)))["en/docs/references.md"]
    entry = next(line for line in page.splitlines() if line.startswith("Sukidjo"))
    assert "](results-dialogue.md)" in entry
