"""Words in another language (`languages.terms`): marked with their `lang` wherever they
occur in a text of another language, while every plain-text field stays exactly as written
(a quote holding `[x]{lang=en}` shows those characters)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from generator.build import build, check
from generator.errors import Position
from generator.model import Term
from generator.terms import Terms
from tests.conftest import project_for
from tests.test_translations import copy_mini, elements, folded

POSITION = Position("findings/study.yaml", 1, 1)


def terms(**by_language: list[str]) -> Terms:
    return Terms(Term(w, code, POSITION) for code, words in by_language.items() for w in words)


def marked(pieces: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [(words, code) for words, code in pieces if code is not None]


def test_a_term_is_marked_in_texts_of_another_language_only() -> None:
    found = terms(en=["Trust Building"], id=["desa"])
    text = "Pada Trust Building warga desa"
    assert marked(found.pieces(text, "id")) == [("Trust Building", "en")]
    assert marked(found.pieces("villages (desa) and Trust Building", "en")) == [("desa", "id")]
    # The pieces put together are the text, character for character.
    assert "".join(w for w, _ in found.pieces(text, "id")) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trust\n  Building", [("Trust\n  Building", "en")]),  # re-wrapped
        ("trust building", []),  # case as written
        ("Trust Buildings", []),  # whole words only
        ("Mistrust Building", []),
        ("(Trust Building).", [("Trust Building", "en")]),
        ("Trust Building Process", [("Trust Building Process", "en")]),  # longest first
    ],
)
def test_terms_match_whole_words_as_written(text: str, expected: list[tuple[str, str]]) -> None:
    found = terms(en=["Trust Building", "Trust Building Process"])
    assert marked(found.pieces(text, "id")) == expected


@pytest.mark.parametrize(
    "prose",
    [
        "see `desa` in code",
        "a [link](https://example.org/desa)",
        "cited [@desa-2019, 4]",
        "as [they say](@desa-2019)",
        "[ref]: https://example.org/desa",
        "&desa;",
    ],
)
def test_in_prose_markdown_syntax_is_left_alone(prose: str) -> None:
    assert marked(terms(id=["desa"]).pieces(prose, "en", prose=True)) == []


def test_in_prose_link_text_and_emphasis_are_marked() -> None:
    found = terms(id=["desa"])
    # A reference definition protects its own line only.
    after = "[ref]: https://example.org/desa\n\nThe desa again."
    assert marked(found.pieces(after, "en", prose=True)) == [("desa", "id")]
    assert marked(found.pieces("*desa* and [the desa](https://example.org)", "en", prose=True)) == [
        ("desa", "id"),
        ("desa", "id"),
    ]


# ------------------------------------------------------------------ on the built site

TERMS = (
    "    - {code: en, name: English}\n",
    "    - {code: en, name: English}\n"
    "  terms:\n"
    "    en: ['<b>bold</b>', '*star*', '[x]{lang=en}', 'Face to Face', '{{ y }}']\n"
    "    id: [desa]\n",
)
QUOTE = 'text: "kami bertanya dengan pelatih"'
HOSTILE_QUOTE = "kami bertanya [x]{lang=en} dengan <b>bold</b>, *star*, {{ y }} dan Face to Face"
ROLE = "role: {id: Kepala Bidang, en: Head of Division}"
LITERAL_ROLE = "Head of [Division]{lang=id} & <i>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("terms")
    folder = copy_mini(
        tmp,
        TERMS,
        (QUOTE, f"text: '{HOSTILE_QUOTE}'"),
        (ROLE, f"role: {{id: Kepala Bidang, en: '{LITERAL_ROLE}'}}"),
        (
            "      en: The dialogue served as a means of consultation",
            "      en: The desa dialogue served as a means of consultation",
        ),
    )
    build(project_for(folder, tmp), tmp / "site")
    return tmp / "site"


def test_a_plain_field_holding_a_language_mark_is_shown_exactly_as_written(site: Path) -> None:
    method = site / "en" / "method.html"
    cells = [folded(e["text"]) for e in elements(method) if e["tag"] == "td"]
    assert LITERAL_ROLE in cells
    source = method.read_text(encoding="utf-8")
    assert "<i>" not in source.split("<article", 1)[1]
    # No span was made of it: "Division" is not marked as Indonesian.
    assert not [
        e for e in elements(method) if e["attrs"].get("lang") == "id" and "Division" in e["text"]
    ]


def test_hostile_terms_are_marked_and_stay_inert(site: Path) -> None:
    page = site / "results-dialogue.html"
    [quote] = [e for e in elements(page) if e["attrs"].get("id") == "q-dialogue-ss"]
    [text] = [e for e in elements(page) if e in _descendants(quote) and e["tag"] == "blockquote"]
    assert folded(text["text"]) == HOSTILE_QUOTE
    spans = [(e["text"], e["attrs"].get("lang")) for e in _descendants(text) if e["tag"] == "span"]
    assert spans == [
        ("[x]{lang=en}", "en"),
        ("<b>bold</b>", "en"),
        ("*star*", "en"),
        ("{{ y }}", "en"),
        ("Face to Face", "en"),
    ]
    assert not [e for e in _descendants(text) if e["tag"] in ("b", "em", "strong")]
    # On the English page the original (Indonesian) keeps its marks inside lang="id".
    english = site / "en" / "results-dialogue.html"
    [original] = [
        e
        for e in elements(english)
        if e["tag"] == "blockquote"
        and e["attrs"].get("lang") == "id"
        and "kami bertanya" in e["text"]
    ]
    assert folded(original["text"]) == HOSTILE_QUOTE
    assert len([e for e in _descendants(original) if e["attrs"].get("lang") == "en"]) == 5


def test_a_term_in_prose_is_marked_and_citations_still_link(site: Path) -> None:
    page = site / "en" / "results-dialogue.html"
    source = page.read_text(encoding="utf-8")
    assert '<span lang="id">desa</span> dialogue served' in source
    assert re.search(r'<a href="references.html#ref-ansell-gash-2008">', source)


def test_check_warns_about_a_language_mark_in_prose_only(tmp_path: Path) -> None:
    folder = copy_mini(
        tmp_path,
        (
            "      en: The dialogue served as a means of consultation",
            "      en: The [dialog]{lang=id} served as a means of consultation",
        ),
        (ROLE, "role: {id: Kepala Bidang, en: 'Head of [Division]{lang=id}'}"),
    )
    warnings = [str(w) for w in check(project_for(folder, tmp_path)).warnings]
    assert len(warnings) == 1, warnings
    assert "'[dialog]{lang=id}' is shown as written" in warnings[0]
    assert "languages: terms:" in warnings[0]


def _descendants(element: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for child in element["children"]:
        found.append(child)
        found.extend(_descendants(child))
    return found


def test_html_escaping_is_what_the_reader_sees() -> None:
    # Guards the helper above: the parser decodes references, so text compares as shown.
    assert html.unescape("&#91;x&#93;") == "[x]"
