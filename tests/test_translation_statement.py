"""The translation statement (languages.translations[].statement): who translated, how, when,
whether it was reviewed, by whom, how and when; shown on the About page (after what the
editors wrote) and on the Data page, in each page's language, gaps shown as gaps; in the
JSON export; refused with a position when it contradicts itself.

Studies: the real one (reviewed English translation), the food co-op (English source, an
Indonesian translation not reviewed, its method a gap) and the trilingual fixture (a French
statement with a gap and a two-paragraph method, an Indonesian translation with none).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import html5lib
import pytest

from generator.build import Project, build, check
from generator.errors import FindingsError
from tests.conftest import FIXTURES, ROOT, project_for


def section_text(page: Path, anchor: str = "translation-statement") -> str:
    """The words of the page from the heading `anchor` to the next heading of its level or
    higher, one line per block, as a reader sees them."""
    root = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    article = next(a for a in root.iter("article"))
    lines: list[str] = []
    inside = False
    level = 0
    for element in article:
        tag = str(element.tag)
        if tag == "script":
            continue  # data for machines (JSON-LD), not words a reader sees
        if re.fullmatch(r"h[1-6]", tag):
            if element.get("id") == anchor:
                inside, level = True, int(tag[1])
            elif inside and int(tag[1]) <= level:
                break
        if inside:
            words = " ".join("".join(element.itertext()).split()).replace("¶", "").strip()
            if words:
                lines.append(words)
    assert lines, f"{page}: no section #{anchor}"
    return "\n".join(lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for name in ("foodcoop", "trilingual"):
        tmp = tmp_path_factory.mktemp(name)
        build(project_for(FIXTURES / name, tmp), tmp / "site")
        sites[name] = tmp / "site"
    return sites


# --- the real study ---------------------------------------------------------------------------


def test_the_real_study_says_who_translated_and_who_reviewed_on_about_and_data(
    study_site: Path,
) -> None:
    english = {
        "about": section_text(study_site / "en" / "about.html"),
        "data": section_text(study_site / "en" / "open-data.html"),
    }
    for text in english.values():
        assert "Translation into English" in text
        assert "Translated by: This site's editors (the team that built the site)" in text
        assert "Date of translation: November 2026" in text
        assert "Reviewed: Yes" in text
        assert "Reviewed by: An independent reviewer" in text
        assert "the English against the Indonesian" in text
        assert "Date of review: 28 November 2026" in text
    indonesian = section_text(study_site / "about.html")
    assert indonesian.startswith("Terjemahan\n")
    assert "Terjemahan ke bahasa Inggris" in indonesian
    assert "Diterjemahkan oleh: Editor situs ini" in indonesian
    assert "Tanggal penerjemahan: November 2026" in indonesian
    assert "Ditinjau: Ya" in indonesian
    assert "Tanggal peninjauan: 28 November 2026" in indonesian
    assert section_text(study_site / "open-data.html") == indonesian
    # Appended after what the editors wrote: their page is all still there, in order.
    about = (study_site / "en" / "about.html").read_text(encoding="utf-8")
    assert about.index('id="privacy"') < about.index('id="translation-statement"')
    # The statement's link to the glossary leads to the About page's own table.
    assert 'href="about.html#glossary"' in about


def test_the_real_study_statement_is_in_the_json_export(study_site: Path) -> None:
    exported = json.loads((study_site / "en" / "data" / "findings.json").read_text("utf-8"))
    statement = exported["languages"]["statements"]["en"]
    assert statement["reviewed"] is True
    assert statement["date"] == "2026-11" and statement["review_date"] == "2026-11-28"
    assert statement["translated_by"]["en"].startswith("This site's editors")
    assert statement["translated_by"]["id"].startswith("Editor situs ini")


# --- fixtures: gaps, no review, several translations, none given ---------------------------


def test_a_translation_not_reviewed_and_a_method_not_stated(built: dict[str, Path]) -> None:
    site = built["foodcoop"]
    for page in (site / "about.html", site / "open-data.html"):
        text = section_text(page)
        assert "Translation into Indonesian" in text
        assert "Translated by: Tom Brennan <co-author>" in text
        assert (
            "How it was translated: not stated in the source — "
            "The authors do not say how they translated." in text
        )
        assert "Date of translation: 2022" in text
        assert "Reviewed: No" in text
        assert "Reviewed by" not in text and "Date of review" not in text
    indonesian = section_text(site / "id" / "about.html")
    assert "Diterjemahkan oleh: Tom Brennan <rekan penulis>" in indonesian
    assert "Ditinjau: Tidak" in indonesian
    assert "tidak disebutkan dalam sumber — Penulis tidak menyebut" in indonesian
    exported = json.loads((site / "data" / "findings.json").read_text(encoding="utf-8"))
    assert exported["languages"]["statements"]["id"] == {
        "translated_by": {"en": "Tom Brennan <co-author>", "id": "Tom Brennan <rekan penulis>"},
        "method": {"gap": "not-stated"},
        "date": "2022",
        "reviewed": False,
        "reviewed_by": None,
        "review": None,
        "review_date": None,
    }


@pytest.mark.parametrize(
    ("prefix", "words"),
    [
        # Each language named in the page's language.
        ("", ["Translation into French", "Translation into Indonesian", "Reviewed: Yes"]),
        ("fr/", ["Traduction en français", "Traduction en indonésien", "Relue par: non précisé"]),
        ("id/", ["Terjemahan ke bahasa Prancis", "Terjemahan ke bahasa Indonesia", "Ditinjau: Ya"]),
    ],
)
def test_every_translation_in_every_page_language(
    built: dict[str, Path], prefix: str, words: list[str]
) -> None:
    page = built["trilingual"] / prefix / "open-data.html"
    text = section_text(page)
    for expected in words:
        assert expected in text, text
    french = section_text(page, "translation-fr")
    indonesian = section_text(page, "translation-id")
    # A gap with its note, in the page's language; two paragraphs of method stay two.
    assert re.search(r"(reviewed|relu|meninjau) (the|le) (French|français)|bahasa Prancis", french)
    method = [line for line in french.splitlines() if "Wolof" in line or "wolof" in line]
    assert len(method) == 1 and method[0].startswith(("Market", "Les", "Istilah"))
    assert french.count("\n") == 9, "heading, 7 fields, the method's two paragraphs"
    assert "14 March 2022" in french or "14 mars 2022" in french or "14 Maret 2022" in french
    assert "April 2022" in french or "avril 2022" in french
    assert indonesian.count("\n") == 1, "no statement: one line says so, nothing invented"


# --- the checker ------------------------------------------------------------------------------


def _study_with(tmp_path: Path, statement: str) -> Project:
    findings = tmp_path / "findings"
    shutil.copytree(FIXTURES / "foodcoop", findings)
    study = findings / "study.yaml"
    text = study.read_text(encoding="utf-8")
    start = text.index("      statement:")
    end = text.index("\nstudy:")
    study.write_text(text[:start] + statement.rstrip("\n") + "\n" + text[end:], encoding="utf-8")
    return Project(findings)


def test_review_details_of_a_translation_not_reviewed_are_refused_at_the_field(
    tmp_path: Path,
) -> None:
    project = _study_with(
        tmp_path,
        "      statement:\n        reviewed: false\n        reviewed_by: {en: Ann, id: Ann}\n",
    )
    with pytest.raises(FindingsError) as error:
        check(project)
    assert [str(p).splitlines()[0] for p in error.value.problems] == [
        "findings/study.yaml:11:22: 'reviewed_by' is given, but 'reviewed' is false"
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [('"2022-13"', "is not a real calendar date"), ('"22-01"', "not in the expected form")],
)
def test_a_date_that_is_not_a_date_is_refused_at_the_field(
    tmp_path: Path, date: str, message: str
) -> None:
    project = _study_with(tmp_path, f"      statement:\n        date: {date}\n")
    with pytest.raises(FindingsError) as error:
        check(project)
    first = str(error.value).splitlines()[0]
    assert first.startswith("findings/study.yaml:10:15: ") and message in first


def test_the_real_study_statement_fields_are_all_reviewed_translations() -> None:
    from generator.translations import State, read_lock, translation_status

    findings = check(Project(ROOT / "findings")).findings
    lock = read_lock(ROOT / "findings" / "translations.lock", "lock")
    states = {
        s.field.address: s.state
        for s in translation_status(findings, lock)
        if "/statement/" in s.field.address
    }
    assert len(states) == 4 and set(states.values()) == {State.TRANSLATED}
