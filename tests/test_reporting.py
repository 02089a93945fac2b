"""The reporting checklist (COREQ) and the corrections, for the real study and a second one.

- the checklist itself (generator/checklists/coreq.yaml): 32 items in COREQ's three domains,
  a name and guide question for every item in every interface language;
- the built site: every item on the Reporting checklist page, in both languages, marked
  reported (with links to the parts that answer it) or not reported, exactly as the
  study's `reporting:` says; the Corrections page lists every correction newest first,
  and every item a correction touches links to it, "corrected on <date>" in the page's
  language;
- the check: an unknown reference, item or target is an error at its line and column;
- a study without `reporting:` or `corrections:` gets neither page, and no link to them.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from babel.dates import format_date

from generator.build import Project, check, generate
from generator.checklist import checklist_ids, load_checklist
from generator.errors import FindingsError
from generator.labels import catalogue_languages, load_catalogue
from generator.load import load_schema
from generator.model import Correction, Findings, Gap, Section
from tests.conftest import FIXTURES, findings_of, parse_html, project_for

PREFIX = {"id": "", "en": "en/"}
CHECKLIST = "reporting-checklist.html"
CORRECTIONS = "corrections.html"


@pytest.fixture
def study(study_built: tuple[str, Path]) -> tuple[Findings, Path]:
    name, site = study_built
    return findings_of(name), site


def page(site: Path, lang: str, name: str) -> lxml.html.HtmlElement:
    return parse_html(site / PREFIX[lang] / name)


def by_class(element: lxml.html.HtmlElement, name: str, tag: str = "*") -> list[Any]:
    """The descendants of `element` that carry the class `name`."""
    found: list[Any] = element.xpath(
        f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    )
    return found


def links(element: lxml.html.HtmlElement) -> list[Any]:
    found: list[Any] = element.xpath(".//a")
    return found


def words(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


# --- the checklist, as the tool ships it ----------------------------------------------------


def test_coreq_has_32_items_in_its_three_domains() -> None:
    coreq = load_checklist("coreq")
    assert coreq.numbers == tuple(range(1, 33))
    assert [[i.number for i in d.items] for d in coreq.domains] == [
        list(range(1, 9)),
        list(range(9, 24)),
        list(range(24, 33)),
    ]
    assert coreq.domains[0].name["en"] == "Research team and reflexivity"
    assert coreq.domains[1].name["en"] == "Study design"
    assert coreq.domains[2].name["en"] == "Analysis and findings"
    # The published wording (Tong, Sainsbury & Craig 2007, Table 1), spot-checked.
    items = {i.number: i for i in coreq.items}
    assert items[16].name["en"] == "Description of sample"
    assert items[22].question["en"] == "Was data saturation discussed?"
    assert items[29].name["en"] == "Quotations presented"
    assert items[32].question["en"] == (
        "Is there a description of diverse cases or discussion of minor themes?"
    )


@pytest.mark.parametrize("language", catalogue_languages())
def test_every_interface_language_has_the_checklist_in_its_own_words(language: str) -> None:
    for checklist_id in checklist_ids():
        checklist = load_checklist(checklist_id)
        texts = [checklist.name] + [d.name for d in checklist.domains]
        texts += [t.name for d in checklist.domains for t in d.topics]
        texts += [x for i in checklist.items for x in (i.name, i.question)]
        missing = [t["en"] for t in texts if not t.get(language, "").strip()]
        assert not missing, f"{checklist_id}.yaml lacks '{language}' for: {missing[:5]}"
        if language != "en":
            same = [i.number for i in checklist.items if i.question[language] == i.question["en"]]
            assert not same, f"{checklist_id}.yaml: questions left in English: {same}"


def test_the_schema_offers_exactly_the_checklists_the_tool_has() -> None:
    schema = load_schema()["$defs"]["reporting"]["properties"]["guideline"]
    assert sorted(schema["enum"]) == checklist_ids()


# --- the checklist page --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_checklist_page_lists_every_item_as_the_study_maps_it(
    study: tuple[Findings, Path], lang: str
) -> None:
    findings, site = study
    assert findings.reporting is not None
    coreq = load_checklist(findings.reporting.guideline.id)
    labels = load_catalogue(lang)
    tree = page(site, lang, CHECKLIST)
    blocks = by_class(tree, "checklist-item", "div")
    assert [b.get("id") for b in blocks] == [f"coreq-{n}" for n in range(1, 33)]
    mapped = {item.number: item for item in findings.reporting.items}
    reported = 0
    for block, item in zip(blocks, coreq.items, strict=True):
        text = words(block)
        assert item.name[lang] in text and item.question[lang] in text, text
        entry = mapped.get(item.number)
        answer = words(by_class(block, "checklist-item__answer")[0])
        if entry is None or isinstance(entry.where, Gap):
            assert "checklist-item--missing" in block.get("class", "")
            assert answer.startswith(labels["checklist_not_reported"]), answer
            assert not links(by_class(block, "checklist-item__answer")[0])
            gap = entry.where if entry is not None else None
            if isinstance(gap, Gap) and gap.note is not None:
                assert " ".join(gap.note.values[lang].split()) in answer
            continue
        reported += 1
        assert "checklist-item--reported" in block.get("class", "")
        assert answer.startswith(labels["checklist_reported_in"]), answer
        targets = [a.get("href") for a in links(by_class(block, "checklist-item__answer")[0])]
        assert [t.split("#")[0].removesuffix(".html") for t in targets] == [
            expected_page(findings, ref.id) for ref in entry.where
        ]
        if entry.note is not None:
            assert " ".join(entry.note.values[lang].split()) in text
    summary = words(by_class(tree, "checklist__summary")[0])
    assert summary.startswith(f"{reported} "), summary
    headings = [words(h) for h in tree.xpath("//h2")]
    assert len([h for h in headings if h.startswith("Domain ") or h.startswith("Domaine")]) == 3


def expected_page(findings: Findings, place: str) -> str:
    """The page (file stem) a reference in `where` should lead to: a chapter's or section's
    own page, else the page of its nearest ancestor that has one; or a page of the site."""

    def search(sections: tuple[Section, ...], owner: str) -> str | None:
        for section in sections:
            here = section.id if section.own_page else owner
            if section.id == place:
                return here
            found = search(section.sections, here)
            if found:
                return found
        return None

    for chapter in findings.chapters:
        if chapter.id == place:
            return place
        found = search(chapter.sections, chapter.id)
        if found:
            return found
    return place


def test_the_real_study_reports_only_what_the_paper_answers() -> None:
    """Mapped from the paper: who interviewed, recordings, transcripts... are not reported."""
    reporting = findings_of("muara-pantun").reporting
    assert reporting is not None
    reported = {i.number for i in reporting.items if not isinstance(i.where, Gap)}
    assert reported == {9, 10, 12, 14, 16, 26, 29, 30, 31, 32}
    for never in (1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 15, 17, 18, 19, 20, 21, 22, 23, 24, 27, 28):
        assert never not in reported


# --- corrections ----------------------------------------------------------------------------


def corrected_on(correction: Correction, lang: str) -> str:
    date = format_date(correction.date, load_catalogue(lang)["date_format"], locale=lang)
    return load_catalogue(lang)["corrected_on"].replace("{date}", date)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_corrections_page_lists_every_correction_newest_first(
    study: tuple[Findings, Path], lang: str
) -> None:
    findings, site = study
    tree = page(site, lang, CORRECTIONS)
    entries = by_class(tree, "correction", "div")
    expected = sorted(findings.corrections, key=lambda c: c.date, reverse=True)
    assert [e.get("id") for e in entries] == [f"correction-{c.id}" for c in expected]
    for entry, correction in zip(entries, expected, strict=True):
        text = words(entry)
        for field in (correction.what, correction.why):
            assert " ".join(field.values[lang].split()) in text
        links = entry.xpath(".//li/a")
        assert len(links) == len(correction.where)
    dates = [" ".join("".join(h.xpath("text()")).split()) for h in tree.xpath("//h2")]
    assert dates == list(
        dict.fromkeys(
            format_date(c.date, load_catalogue(lang)["date_format"], locale=lang) for c in expected
        )
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_item_a_correction_touches_links_to_it(
    study: tuple[Findings, Path], lang: str
) -> None:
    findings, site = study
    folder = site / PREFIX[lang]
    listing = page(site, lang, CORRECTIONS)
    for correction in findings.corrections:
        target = f"{CORRECTIONS}#correction-{correction.id}"
        entry = listing.xpath(f"//*[@id='correction-{correction.id}']")[0]
        for item, link in zip(correction.where, entry.xpath(".//li/a"), strict=True):
            href = link.get("href")
            file, _, anchor = href.partition("#")
            tree = parse_html(folder / file)
            if item.kind == "quote":
                holder = tree.xpath(f"//figure[@id='{anchor}']/figcaption")
            elif item.kind in ("section", "informant"):
                # Right under the heading: a paragraph (section), the facts (informant).
                heading = tree.xpath(f"//*[@id='{anchor}']") if anchor else tree.xpath("//h1")
                holder = [heading[0].getnext()] if heading else []
            else:
                holder = tree.xpath(f"//*[@id='{anchor}']") if anchor else [tree]
            assert holder, f"{href}: nothing at {item.kind} {item.ref.id}"
            marks = [
                a
                for h in holder
                for a in h.xpath(".//*[contains(@class, 'corrected')]//a")
                if a.get("href") == target
            ]
            assert marks, f"{file}: {item.kind} {item.ref.id} does not link to {target}"
            assert words(marks[0]) == corrected_on(correction, lang)


def test_the_real_study_records_the_corrections_made_after_the_review() -> None:
    corrections = findings_of("muara-pantun").corrections
    assert {c.date for c in corrections} == {datetime.date(2026, 11, 28)}
    touched = {(t.kind, t.ref.id) for c in corrections for t in c.where}
    for item in [
        ("section", "research-focus"),  # 3.5: 'yakni'/'yaitu' restored
        ("section", "conclusion"),  # 5.1: no added colon, no bold labels
        ("section", "data-analysis"),  # 3.6: '(Sugiyono, 2017: 244)'
        ("section", "region"),  # 4.1: English number formats
        ("quote", "q-trust-lsm"),  # attribution marked as the editors' inference
        ("quote", "q-commitment-lsm"),
    ]:
        assert item in touched


# --- errors at their position, and studies without either ----------------------------------


def study_with(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "harbour"
    shutil.copytree(FIXTURES / "harbour", folder)
    (folder / "zz-extra.yaml").write_text(extra, encoding="utf-8")
    for name in ("reporting.yaml", "corrections.yaml"):
        if name.split(".")[0] + ":" in extra:
            (folder / name).unlink()
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(FindingsError) as raised:
        check(Project(folder))
    return [str(p) for p in raised.value.problems]


def test_an_unknown_place_item_or_repeat_in_the_checklist_is_an_error_at_its_position(
    tmp_path: Path,
) -> None:
    folder = study_with(
        tmp_path,
        "reporting:\n"
        "  guideline: coreq\n"
        "  items:\n"
        "    - item: 10\n"
        "      where: [informants, resluts-rules]\n"
        "    - item: 33\n"
        "      where: [informants]\n"
        "    - item: 10\n"
        "      where: {gap: not-stated}\n",
    )
    found = problems(folder)
    assert any(
        p.startswith("harbour/zz-extra.yaml:5:27: unknown chapter, section or page 'resluts-rules'")
        and "did you mean 'results-rules'?" in p
        for p in found
    ), found
    assert any(p.startswith("harbour/zz-extra.yaml:6:13: COREQ has no item 33") for p in found)
    assert any(p.startswith("harbour/zz-extra.yaml:8:13: item 10 is mapped twice") for p in found)


def test_an_unknown_item_a_correction_touches_is_an_error_at_its_position(
    tmp_path: Path,
) -> None:
    folder = study_with(
        tmp_path,
        "corrections:\n"
        "  - id: fix\n"
        '    date: "2022-02-28"\n'
        "    what: {id: Diubah., en: Changed.}\n"
        "    why: {id: Salah., en: Wrong.}\n"
        "    where:\n"
        "      - quote: q-sharing-n3\n"
        "      - section: results-rule\n"
        "      - conclusion: nowhere\n"
        "      - informant: f1\n",
    )
    found = problems(folder)
    assert any(
        p.startswith("harbour/zz-extra.yaml:7:16: unknown quote 'q-sharing-n3'") for p in found
    )
    assert any(
        p.startswith("harbour/zz-extra.yaml:8:18: unknown chapter or section 'results-rule'")
        for p in found
    ), found
    assert any(
        p.startswith("harbour/zz-extra.yaml:9:21: no conclusion on indicator 'nowhere'")
        for p in found
    ), found
    assert not any("'f1'" in p for p in found)
    # A date that is no calendar date is refused at its position too.
    extra = folder / "zz-extra.yaml"
    extra.write_text(extra.read_text(encoding="utf-8").replace("2022-02-28", "2022-02-30"))
    found = problems(folder)
    assert any(
        p.startswith("harbour/zz-extra.yaml:3:11: '2022-02-30' is not a real") for p in found
    )


def test_a_study_without_either_gets_neither_page_nor_link(tmp_path: Path) -> None:
    folder = tmp_path / "harbour"
    shutil.copytree(FIXTURES / "harbour", folder)
    for name in ("reporting.yaml", "corrections.yaml"):
        (folder / name).unlink()
    project = project_for(folder, tmp_path)
    generate(project)
    out = project.out
    for lang in ("id", "en"):
        docs = out / lang / "docs"
        assert not (docs / "reporting-checklist.md").exists()
        assert not (docs / "corrections.md").exists()
        config = (out / lang / "mkdocs.yml").read_text(encoding="utf-8")
        assert "corrections.md" not in config and "reporting-checklist.md" not in config
        for markdown in docs.glob("*.md"):
            assert "corrections.md" not in markdown.read_text(encoding="utf-8"), markdown


def test_a_third_language_gets_the_checklist_and_dates_in_its_own_words(tmp_path: Path) -> None:
    """French pages of a three-language study: the checklist's French names and questions,
    French headings and a French date on the corrections."""
    folder = tmp_path / "trilingual"
    shutil.copytree(FIXTURES / "trilingual", folder)
    (folder / "accountability.yaml").write_text(
        "reporting:\n"
        "  guideline: coreq\n"
        "  items:\n"
        "    - {item: 14, where: [market]}\n"
        "corrections:\n"
        "  - id: price\n"
        '    date: "2023-03-01"\n'
        "    what: {en: A price was fixed., fr: Un prix a été corrigé., id: Harga diperbaiki.}\n"
        "    why: {en: Misread., fr: Mal lu., id: Salah baca.}\n"
        "    where: [{quote: V1-a}, {section: prices}]\n",
        encoding="utf-8",
    )
    project = project_for(folder, tmp_path)
    generate(project)
    french = project.out / "fr" / "docs"
    checklist = (french / "reporting-checklist.md").read_text(encoding="utf-8")
    assert "Domaine 1&#58; Équipe de recherche et réflexivité" in checklist.replace(
        " &#58;", "&#58;"
    )
    assert "Enquêteur/animateur" in checklist and "Interviewer/facilitator" not in checklist
    assert "[1 Le marché](market.md)" in checklist
    corrections = (french / "corrections.md").read_text(encoding="utf-8")
    assert "## 1 mars 2023" in corrections
    prices = (french / "prices.md").read_text(encoding="utf-8")
    assert "corrigé le 1 mars 2023" in prices
