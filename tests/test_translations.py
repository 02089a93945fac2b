"""Stale translations: a changed original flags exactly its field's translations, re-wrapping
and moving entries flag nothing, marking reviewed clears it, CI's strict mode fails on it,
and the built page tells readers (in the page's language) with the current original beside.

Behaviour is shown on copies of the mini fixture (tests/fixtures/mini, with its lock), and
on a second study with the languages the other way round (English original, Indonesian
translation).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cli
from generator.build import build, check
from generator.errors import FindingsError, Position, Severity
from generator.load import load_findings
from generator.model import build_model, field_address
from generator.translations import (
    LOCK_NAME,
    State,
    fingerprint,
    read_lock,
    translation_status,
)
from generator.validate import Options
from tests.conftest import FIXTURES, ROOT, project_for

MINI = FIXTURES / "mini"
SHOWN = "findings/study.yaml"

# Sources in the mini study, each the original of one field.
INTERPRETATION_ID = "      id: Dialog menjadi media konsultasi [@ansell-gash-2008, 544]."
QUOTE_TEXT = 'text: "kami bertanya dengan pelatih"'
ROLE = "role: {id: Kepala Bidang, en: Head of Division}"
DEFINITION_ID = "      id: Para pihak saling percaya."
NODE = "label: {id: Masyarakat, en: Community}"
SECTION_TEXT = "text: {id: Hasil per indikator., en: Results per indicator.}"


def copy_mini(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the mini study in tmp_path/findings, with its lock, after `edits`."""
    folder = tmp_path / "findings"
    shutil.copytree(MINI, folder)
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} must occur once"
        text = text.replace(old, new)
    study.write_text(text, encoding="utf-8")
    return folder


def position_of(folder: Path, needle: str, file: str = "study.yaml") -> Position:
    """Where the line holding `needle` starts its first non-space character."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if needle in line)
    line = lines[number - 1]
    return Position(f"findings/{file}", number, len(line) - len(line.lstrip()) + 1)


def states(folder: Path) -> dict[tuple[str, str], State]:
    findings = build_model(load_findings(folder))
    lock = read_lock(folder / LOCK_NAME, "lock")
    return {(s.field.address, s.language): s.state for s in translation_status(findings, lock)}


def needing_work(folder: Path) -> dict[tuple[str, str], State]:
    return {key: state for key, state in states(folder).items() if state is not State.TRANSLATED}


def run_cli(*args: str) -> int:
    return cli.main(list(args))


# ------------------------------------------------------------------ what counts as stale


def test_the_fixture_starts_with_every_translation_reviewed(tmp_path: Path) -> None:
    assert needing_work(copy_mini(tmp_path)) == {}


def test_changing_an_original_flags_exactly_that_fields_translation(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path, (INTERPRETATION_ID, INTERPRETATION_ID.replace("media", "sarana")))
    assert needing_work(folder) == {("quote:q-dialogue-unnamed/interpretation", "en"): State.STALE}
    warnings = check(project_for(folder, tmp_path)).warnings
    assert [str(w) for w in warnings] == [
        f"{position_of(folder, 'interpretation:')}: warning: the original of "
        "'quote:q-dialogue-unnamed/interpretation' changed after its 'en' translation was "
        "reviewed\n    hint: update the 'en' translation, then run: make translations "
        "REVIEWED=quote:q-dialogue-unnamed/interpretation"
    ]


def test_changing_a_quote_flags_its_translation_and_nothing_else(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path, (QUOTE_TEXT, 'text: "kami bertanya kepada pelatih"'))
    assert needing_work(folder) == {("quote:q-dialogue-ss/translation", "en"): State.STALE}


def test_changing_a_translation_alone_flags_nothing(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path, (ROLE, "role: {id: Kepala Bidang, en: Division Head}"))
    assert needing_work(folder) == {}


def test_rewrapping_an_original_flags_nothing(tmp_path: Path) -> None:
    folder = copy_mini(
        tmp_path,
        (
            INTERPRETATION_ID,
            "      id: >-\n        Dialog menjadi   media\n        konsultasi"
            " [@ansell-gash-2008, 544].",
        ),
        (QUOTE_TEXT, 'text: "kami  bertanya\\tdengan pelatih "'),
    )
    assert needing_work(folder) == {}


def test_moving_and_reordering_entries_flags_nothing(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    study = folder / "study.yaml"
    data = yaml.safe_load(study.read_text(encoding="utf-8"))
    # Quotes and figures move to files of their own, in reverse order; a quote is placed
    # before the text of its section (text blocks keep their number).
    moved = {"quotes": data.pop("quotes")[::-1], "figures": data.pop("figures")}
    data["indicators"].reverse()
    results = data["chapters"][2]["sections"][0]
    results["body"].insert(0, {"quote": "q-dialogue-ss"})
    study.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "more.yaml").write_text(yaml.safe_dump(moved, allow_unicode=True), "utf-8")
    assert needing_work(folder) == {}


def test_a_new_translation_is_unreviewed_and_a_removed_one_missing(tmp_path: Path) -> None:
    folder = copy_mini(
        tmp_path,
        (ROLE, "role: {id: Kepala Bidang}"),
    )
    (folder / "extra.yaml").write_text(
        "references:\n  - id: new-ref\n    authors: [Someone]\n    year: '2001'\n"
        "    title: A title\n    note: {id: Catatan baru., en: A new note.}\n",
        encoding="utf-8",
    )
    assert needing_work(folder) == {
        ("informant:head-of-office/role", "en"): State.MISSING,
        ("reference:new-ref/note", "en"): State.UNREVIEWED,
    }


def test_every_field_has_its_own_readable_address() -> None:
    findings = build_model(load_findings(ROOT / "findings"))
    addresses = [text.address for text in findings.localized]
    assert len(addresses) == len(set(addresses))
    # Body blocks are counted per kind; the shell passes every address through unquoted.
    assert "section:discussion-of-results/editors_note.1" in addresses
    assert "section:discussion-of-results/text.1" in addresses
    assert all(re.fullmatch(r"[a-z0-9_:/.@-]+", address) for address in addresses)


def test_addresses_use_ids_wherever_a_list_has_them() -> None:
    data = {
        "study": {"keywords": [{"id": "Dialog", "en": "Dialogue"}]},
        "panels": [{"id": "north", "label": {"id": "Utara", "en": "North"}}],
        "figures": [{"id": "f", "edges": [{"from": "a", "to": "b", "label": {}}] * 2}],
    }
    # A list of texts keyed by language: the 'id' there is Indonesian, not an identifier.
    assert field_address(data, ("study", "keywords", 0)) == "study/keywords.1"
    assert field_address(data, ("panels", 0, "label")) == "panels:north/label"
    assert (
        field_address(data, ("figures", 0, "edges", 1, "label")) == "figure:f/edge:a-to-b.2/label"
    )


# ------------------------------------------------------------------ blocks without ids

# The background section's body in the mini study: one text block, then a figure.
BACKGROUND = (
    "          - text:\n"
    "              id: Dialog penting bagi desa ([Ansell dan Gash](@ansell-gash-2008)).\n"
    "              en: Dialogue matters to villages ([Ansell and Gash](@ansell-gash-2008)).\n"
)


def text_block(n: int, edited: bool = False) -> str:
    source = f"Paragraf {n}{' diubah' if edited else ''}."
    return f"          - text: {{id: {source}, en: Paragraph {n}.}}\n"


def with_blocks(tmp_path: Path, numbers: list[int], *, edited: int = 0) -> Path:
    """The mini study whose background section has the text blocks `numbers` (in that
    order) after its first one; block `edited` has a changed original."""
    blocks = "".join(text_block(n, n == edited) for n in numbers)
    return copy_mini(tmp_path, (BACKGROUND, BACKGROUND + blocks))


def reviewed_blocks(tmp_path: Path, numbers: list[int]) -> Path:
    folder = with_blocks(tmp_path / "before", numbers)
    assert run_cli("translations", "--findings", str(folder), "--mark-reviewed", "--all") == 0
    return folder


def rewrite_blocks(folder: Path, numbers: list[int], *, edited: int = 0) -> None:
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    start = text.index(BACKGROUND) + len(BACKGROUND)
    end = text.index("          - figure: flow")
    blocks = "".join(text_block(n, n == edited) for n in numbers)
    study.write_text(text[:start] + blocks + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ([1, 9, 2, 3], {"section:background/text.3": State.UNREVIEWED}),  # inserted
        ([9, 1, 2, 3], {"section:background/text.2": State.UNREVIEWED}),  # inserted first
        ([1, 3], {}),  # deleted
        ([3, 1, 2], {}),  # reordered
        # A copy of a block: its translation may have been edited since, so it is new.
        ([1, 2, 3, 2], {"section:background/text.5": State.UNREVIEWED}),
    ],
    ids=["insert", "insert-first", "delete", "reorder", "duplicate"],
)
def test_blocks_that_did_not_change_stay_translated_when_others_move(
    tmp_path: Path, after: list[int], expected: dict[str, State]
) -> None:
    folder = reviewed_blocks(tmp_path, [1, 2, 3])
    rewrite_blocks(folder, after)
    # Paragraph 9 is new: never reviewed (shown as is, reported for review), nothing stale.
    assert needing_work(folder) == {(address, "en"): s for address, s in expected.items()}


@pytest.mark.parametrize(
    ("after", "stale"),
    [
        ([1, 2, 3], "section:background/text.3"),  # edited in place
        ([1, 9, 2, 3], "section:background/text.4"),  # edited, and a block inserted before
        ([2, 1, 3], "section:background/text.2"),  # edited, and moved
        ([3, 2], "section:background/text.3"),  # edited, and another one deleted
    ],
    ids=["edit", "edit-after-insert", "edit-and-move", "edit-after-delete"],
)
def test_a_changed_block_is_still_stale_wherever_it_moved(
    tmp_path: Path, after: list[int], stale: str
) -> None:
    folder = reviewed_blocks(tmp_path, [1, 2, 3])
    rewrite_blocks(folder, after, edited=2)
    work = needing_work(folder)
    assert work[(stale, "en")] is State.STALE
    # The unchanged blocks stay translated; a new block is at worst also marked stale (an
    # edited block is never taken for a new one, which the site would show unmarked).
    unchanged = {f"section:background/text.{after.index(n) + 2}" for n in after if n not in (2, 9)}
    assert not unchanged & {address for address, _ in work}
    assert set(work.values()) <= {State.STALE, State.UNREVIEWED}


def test_after_an_insertion_marking_the_new_block_reviewed_rewrites_the_lock_in_place(
    tmp_path: Path,
) -> None:
    folder = reviewed_blocks(tmp_path, [1, 2, 3])
    before = (folder / LOCK_NAME).read_text(encoding="utf-8").splitlines()
    rewrite_blocks(folder, [1, 9, 2, 3])
    address = "section:background/text.3"
    assert run_cli("translations", "--findings", str(folder), "--mark-reviewed", address) == 0
    assert needing_work(folder) == {}
    after = (folder / LOCK_NAME).read_text(encoding="utf-8").splitlines()
    # The diff a reviewer sees: the blocks after the new one moved down a number.
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    assert added == [
        f"section:background/text.3@en: {fingerprint('Paragraf 9.')}",
        f"section:background/text.4@en: {fingerprint('Paragraf 2.')}",
        f"section:background/text.5@en: {fingerprint('Paragraf 3.')}",
    ]
    assert removed == [
        f"section:background/text.3@en: {fingerprint('Paragraf 2.')}",
        f"section:background/text.4@en: {fingerprint('Paragraf 3.')}",
    ]


def test_quotes_are_matched_by_id_even_when_their_ids_hold_numbers(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    for name in ("study.yaml", LOCK_NAME):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        text = text.replace("q-dialogue-unnamed", "p3.1").replace("q-dialogue-ss", "p3.2")
        path.write_text(text, encoding="utf-8")
    assert needing_work(folder) == {}
    # Quote p3.1 now says what p3.2 said: its translation, of its old words, is stale.
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    text = text.replace(
        'text: "kita adakan dialog dengan masyarakat kit juga"',
        'text: "kami bertanya dengan pelatih"',
    )
    study.write_text(text, encoding="utf-8")
    assert needing_work(folder) == {("quote:p3.1/translation", "en"): State.STALE}


def test_keywords_and_authors_are_matched_by_their_text_too(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path, ("    - {id: Dialog, en: Dialogue}\n", ""))
    assert needing_work(folder) == {}  # Kepercayaan moved from keywords.2 to keywords.1
    folder = copy_mini(
        tmp_path / "b",
        ("    - {id: Dialog, en: Dialogue}\n", "    - {id: Dialog desa, en: Dialogue}\n"),
    )
    assert needing_work(folder) == {("study/keywords.1", "en"): State.STALE}


# ------------------------------------------------------------------ marking reviewed


def test_marking_reviewed_clears_it_and_changes_one_line_of_the_lock(tmp_path: Path) -> None:
    folder = copy_mini(
        tmp_path,
        (INTERPRETATION_ID, INTERPRETATION_ID.replace("media", "sarana")),
        (DEFINITION_ID, "      id: Para pihak saling mempercayai."),
    )
    before = (folder / LOCK_NAME).read_text(encoding="utf-8").splitlines()
    address = "quote:q-dialogue-unnamed/interpretation"
    assert run_cli("translations", "--findings", str(folder), "--mark-reviewed", address) == 0
    after = (folder / LOCK_NAME).read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [
        f"{address}@en: {fingerprint('Dialog menjadi sarana konsultasi [@ansell-gash-2008, 544].')}"
    ]
    assert len(after) == len(before)
    assert needing_work(folder) == {("indicator:trust/definition", "en"): State.STALE}
    # An entity's address marks all its fields.
    assert (
        run_cli("translations", "--findings", str(folder), "--mark-reviewed", "indicator:trust")
        == 0
    )
    assert needing_work(folder) == {}


def test_mark_all_records_every_translation_and_drops_removed_fields(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path, (ROLE, "role: {id: Kepala Bidang}"))
    (folder / LOCK_NAME).unlink()
    assert set(needing_work(folder).values()) == {State.UNREVIEWED, State.MISSING}
    assert run_cli("translations", "--findings", str(folder), "--mark-reviewed", "--all") == 0
    assert needing_work(folder) == {("informant:head-of-office/role", "en"): State.MISSING}
    lock = read_lock(folder / LOCK_NAME, "lock")
    assert "informant:head-of-office/role@en" not in lock.entries


def test_the_lock_is_sorted_yaml_with_one_line_per_field_and_language(tmp_path: Path) -> None:
    text = (MINI / LOCK_NAME).read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert entries == sorted(entries)
    data = yaml.safe_load(text)
    assert len(data) == len(entries) == len(read_lock(MINI / LOCK_NAME, "lock").entries)
    assert data["quote:q-dialogue-ss/translation@en"] == fingerprint("kami bertanya dengan pelatih")
    # The loader reads *.yaml findings files: the lock is not one of them.
    assert not LOCK_NAME.endswith((".yaml", ".yml"))


def test_an_unknown_address_is_an_error_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_mini(tmp_path)
    before = (folder / LOCK_NAME).read_bytes()
    assert (
        run_cli(
            "translations",
            "--findings",
            str(folder),
            "--mark-reviewed",
            "quote:q-dialogue-ss/translaton",
        )
        == 1
    )
    assert (folder / LOCK_NAME).read_bytes() == before
    assert capsys.readouterr().err == (
        "--mark-reviewed: no field has the address 'quote:q-dialogue-ss/translaton'\n"
        "    hint: did you mean 'quote:q-dialogue-ss/translation'?\n"
        "1 error(s), 0 warning(s); nothing was written.\n"
    )


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("quote:q-x/translation@en 1234", 1, "expected a line 'address@language: fingerprint'"),
        ("quote:q-x/translation@en: XYZ", 27, "'XYZ' is not a fingerprint"),
        ("<<<<<<< HEAD", 1, "unresolved merge conflict"),
    ],
)
def test_a_damaged_lock_is_a_positioned_error(
    tmp_path: Path, line: str, column: int, message: str
) -> None:
    folder = copy_mini(tmp_path)
    lock = folder / LOCK_NAME
    lines = lock.read_text(encoding="utf-8").splitlines()
    lines.insert(7, line)
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        check(project_for(folder, tmp_path))
    [problem] = caught.value.problems
    assert problem.position == Position(f"findings/{LOCK_NAME}", 8, column)
    assert problem.message.startswith(message)


def test_a_study_without_a_lock_gets_one_warning_not_one_per_field(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    (folder / LOCK_NAME).unlink()
    [warning] = check(project_for(folder, tmp_path)).warnings
    assert warning.position == Position(f"findings/{LOCK_NAME}")
    assert "42 translation(s) were never marked reviewed" in warning.message


# ------------------------------------------------------------------ CI's strict mode


def test_strict_mode_fails_with_a_positioned_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_mini(tmp_path, (QUOTE_TEXT, 'text: "kami bertanya kepada pelatih"'))
    project = project_for(folder, tmp_path)
    with pytest.raises(FindingsError) as caught:
        check(project, Options(strict_translations=True))
    [problem] = caught.value.problems
    assert problem.severity is Severity.ERROR
    assert problem.position == position_of(folder, 'translation: {en: "we asked')
    args = ["check", "--findings", str(folder)]
    assert run_cli(*args) == 0
    assert run_cli(*args, "--strict-translations") == 1
    err = capsys.readouterr().err
    assert f"{problem.position}: the original of 'quote:q-dialogue-ss/translation' changed" in err


def test_ci_checks_pull_requests_strictly() -> None:
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "make check STRICT_TRANSLATIONS=1" in workflow
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "STRICT_FLAG := $(if $(STRICT_TRANSLATIONS),--strict-translations,)" in makefile


# ------------------------------------------------------------------ the status report


def test_status_report_lists_counts_per_file_and_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_mini(
        tmp_path,
        (QUOTE_TEXT, 'text: "kami bertanya kepada pelatih"'),
        (ROLE, "role: {id: Kepala Bidang}"),
    )
    assert run_cli("translations", "--findings", str(folder)) == 0
    out = capsys.readouterr().out
    assert re.search(r"findings/study\.yaml +40 +1 +1 +0\n", out), out
    quote = position_of(folder, 'translation: {en: "we asked')
    role = position_of(folder, "role: {id: Kepala Bidang}")
    assert f"    {quote}: translation (quote:q-dialogue-ss/translation@en)\n" in out
    assert f"    {role}: role (informant:head-of-office/role@en)\n" in out


def test_the_real_study_is_all_translated_and_none_stale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    findings = build_model(load_findings(ROOT / "findings"))
    lock = read_lock(ROOT / "findings" / LOCK_NAME, "lock")
    statuses = translation_status(findings, lock)
    assert len(statuses) > 150
    assert [s.key for s in statuses if s.state is not State.TRANSLATED] == []
    assert run_cli("translations", "--findings", str(ROOT / "findings")) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if "total" in line)
    assert total.split()[1:] == [str(len(statuses)), "0", "0", "0"]


# ------------------------------------------------------------------ what readers see


class _Elements(HTMLParser):
    """Every element of a page with its attributes and its text (descendants included)."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "source", "path", "rect", "line"})

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[dict[str, Any]] = []
        self.open: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "children": []}
        if self.open:
            self.open[-1]["children"].append(element)
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element["text"] += data


def elements(page: Path) -> list[dict[str, Any]]:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.elements


def with_class(page: Path, name: str) -> list[dict[str, Any]]:
    return [e for e in elements(page) if name in (e["attrs"].get("class") or "").split()]


def folded(text: str) -> str:
    return " ".join(text.split())


# Originals changed in five kinds of field (a quote, prose, a plain field, an inline
# definition, a label drawn in a figure, a chapter's text).
CONTENT_EDITS = (
    (QUOTE_TEXT, 'text: "kami bertanya kepada pelatih"'),
    (INTERPRETATION_ID, INTERPRETATION_ID.replace("media", "sarana")),
    (ROLE, "role: {id: Kepala Bidang Koperasi, en: Head of Division}"),
    (DEFINITION_ID, "      id: Para pihak saling mempercayai."),
    (NODE, "label: {id: Warga masyarakat, en: Community}"),
    (SECTION_TEXT, "text: {id: Hasil untuk tiap indikator., en: Results per indicator.}"),
)


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini study built after its original changed in five kinds of field."""
    tmp = tmp_path_factory.mktemp("stale-site")
    folder = copy_mini(tmp, *CONTENT_EDITS)
    site = tmp / "site"
    build(project_for(folder, tmp), site)
    return site


EN_NOTE = "Translation out of date — The original changed after this translation was made"


def test_a_stale_quote_is_marked_with_the_current_original(stale_site: Path) -> None:
    page = stale_site / "en" / "results-dialogue.html"
    [quote] = [e for e in elements(page) if e["attrs"].get("id") == "q-dialogue-ss"]
    text = folded(quote["text"])
    assert EN_NOTE in text
    assert text.index(EN_NOTE) < text.index("we asked the trainer questions")
    originals = [e for e in elements(page) if e["attrs"].get("lang") == "id"]
    assert "kami bertanya kepada pelatih" in [folded(e["text"]) for e in originals]
    # The other quote on the page is current: no notice in it.
    [other] = [e for e in elements(page) if e["attrs"].get("id") == "q-dialogue-unnamed"]
    assert "out of date" not in other["text"]


def test_stale_prose_is_marked_with_the_current_original(stale_site: Path) -> None:
    page = stale_site / "en" / "results-dialogue.html"
    [block] = with_class(page, "stale")
    text = folded(block["text"])
    assert text.startswith(EN_NOTE)
    assert "The dialogue served as a means of consultation" in text
    [original] = with_class(page, "stale__original")
    assert original["attrs"]["lang"] == "id"
    assert "Dialog menjadi sarana konsultasi" in folded(original["text"])
    results = stale_site / "en" / "results.html"
    [block] = with_class(results, "stale")
    assert "Hasil untuk tiap indikator." in folded(block["text"])


def test_stale_plain_and_inline_fields_are_marked_in_place(stale_site: Path) -> None:
    method = stale_site / "en" / "method.html"
    marks = [folded(e["text"]) for e in with_class(method, "stale--inline")]
    assert marks == [
        "(translation out of date; the original now reads: Kepala Bidang Koperasi)",
        "(translation out of date; the original now reads: Para pihak saling mempercayai.)",
    ]
    # The definition's mark stays in its paragraph, which keeps its anchor.
    [paragraph] = [e for e in elements(method) if e["attrs"].get("id") == "indicator-trust"]
    assert "The parties come to trust each other." in paragraph["text"]
    assert "Para pihak saling mempercayai." in paragraph["text"]
    figure_page = stale_site / "en" / "introduction.html"
    assert "Warga masyarakat" in " ".join(
        e["text"] for e in with_class(figure_page, "stale--inline")
    )
    assert with_class(figure_page, "stale__mark")


def test_the_source_language_pages_show_no_notice(stale_site: Path) -> None:
    for page in stale_site.glob("*.html"):
        assert not with_class(page, "stale") and not with_class(page, "stale__mark"), page.name


def swapped_study(tmp_path: Path) -> Path:
    """The mini study with English as the original and Indonesian as the translation."""
    folder = tmp_path / "findings"
    folder.mkdir()
    data = yaml.safe_load((MINI / "study.yaml").read_text(encoding="utf-8"))
    data["languages"] = {
        "source": {"code": "en", "name": "English"},
        "translations": [{"code": "id", "name": "Bahasa Indonesia"}],
    }
    for quote in data["quotes"]:
        if "translation" in quote:
            quote["text"], quote["translation"] = quote["translation"]["en"], {"id": quote["text"]}
    (folder / "study.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


def test_another_language_pair_marks_in_the_pages_language(tmp_path: Path) -> None:
    folder = swapped_study(tmp_path)
    assert run_cli("translations", "--findings", str(folder), "--mark-reviewed", "--all") == 0
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("we asked the trainer questions", "we asked the trainers"))
    assert needing_work(folder) == {("quote:q-dialogue-ss/translation", "id"): State.STALE}
    site = tmp_path / "site"
    build(project_for(folder, tmp_path), site)
    page = site / "id" / "results-dialogue.html"
    [notice] = with_class(page, "stale__mark")
    assert folded(notice["text"]).startswith("Terjemahan belum diperbarui — Teks asli diubah")
    originals = [folded(e["text"]) for e in elements(page) if e["attrs"].get("lang") == "en"]
    assert "we asked the trainers" in originals
    assert not with_class(site / "results-dialogue.html", "stale__mark")


# ------------------------------------------------------------------ titles, names, drawings

MARKER = "(translation out of date)"
OLD_REFERENCE_TITLE = "Collaborative Governance in Theory and Practice"


# Originals changed in titles, the site's name (a short title), a label drawn in a figure,
# the figure's caption and a reference's title (which has a translated title).
TITLE_EDITS = (
    ("title: {id: Metode, en: Method}", "title: {id: Metode penelitian, en: Method}"),
    (
        "title: {id: Dialog tatap muka, en: Face-to-face dialogue}",
        "title: {id: Dialog tatap muka langsung, en: Face-to-face dialogue}",
    ),
    ("    id: Studi Kecil tentang Dialog Desa\n", "    id: Studi Kecil tentang Dialog di Desa\n"),
    ("  authors:\n", "  short_title: {id: Dialog Desa, en: Village Dialogue}\n  authors:\n"),
    ("label: {id: dialog, en: dialogue}", "label: {id: dialog rutin, en: dialogue}"),
    ("caption: {id: Alur dialog, en: Dialogue flow}", "caption: {id: Alur, en: Dialogue flow}"),
    (
        f"title: {OLD_REFERENCE_TITLE}\n",
        "title: Collaborative Governance in Practice\n"
        "    translated_title: {en: Collaborative governance (English title)}\n",
    ),
)


def stale_titles_study(tmp: Path, *more: tuple[str, str]) -> Path:
    """The mini study after TITLE_EDITS (and `more`); the short title and the translated
    title were reviewed against originals that read otherwise."""
    folder = copy_mini(tmp, *TITLE_EDITS, *more)
    with (folder / LOCK_NAME).open("a", encoding="utf-8") as lock:
        lock.write(f"study/short_title@en: {fingerprint('Dialog Lama')}\n")
        lock.write(
            f"reference:ansell-gash-2008/translated_title@en: {fingerprint(OLD_REFERENCE_TITLE)}\n"
        )
    return folder


@pytest.fixture(scope="module")
def stale_titles_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("stale-titles")
    site = tmp / "site"
    build(project_for(stale_titles_study(tmp), tmp), site)
    return site


def nav_labels(page: Path) -> list[str]:
    from tests.test_reading import read

    return read(page).nav_labels


def test_a_stale_title_is_marked_in_words_in_the_navigation_and_nowhere_else(
    stale_titles_site: Path,
) -> None:
    for page in (stale_titles_site / "en").glob("*.html"):
        marked = sorted({label for label in nav_labels(page) if MARKER in label})
        if page.name == "404.html":
            continue
        assert marked == [f"2 Method {MARKER}", f"3.1 Face-to-face dialogue {MARKER}"], page.name
    for page in stale_titles_site.glob("*.html"):
        assert not [label for label in nav_labels(page) if "terjemahan" in label], page.name
    method = (stale_titles_site / "en" / "method.html").read_text(encoding="utf-8")
    assert f"<title>2 Method {MARKER} - Village Dialogue {MARKER}</title>" in method


def test_the_page_of_a_stale_title_shows_its_current_original(stale_titles_site: Path) -> None:
    for name, original in [
        ("method.html", "Metode penelitian"),
        ("results-dialogue.html", "Dialog tatap muka langsung"),
    ]:
        [heading] = [e for e in elements(stale_titles_site / "en" / name) if e["tag"] == "h1"]
        [mark] = [c for c in heading["children"] if "stale--inline" in c["attrs"].get("class", "")]
        [shown] = [c for c in mark["children"] if c["attrs"].get("lang") == "id"]
        assert folded(shown["text"]) == original
    # A current title's page has no mark in its heading.
    [heading] = [e for e in elements(stale_titles_site / "en" / "results.html") if e["tag"] == "h1"]
    assert "out of date" not in heading["text"]


def test_a_stale_site_name_is_marked_in_the_header_and_explained_on_the_home_page(
    stale_titles_site: Path,
) -> None:
    for page in ("index.html", "method.html"):
        [topic, *_] = with_class(stale_titles_site / "en" / page, "md-header__topic")
        assert folded(topic["text"]) == f"Village Dialogue {MARKER}"
        [source_topic, *_] = with_class(stale_titles_site / page, "md-header__topic")
        assert folded(source_topic["text"]) == "Dialog Desa"
    home = stale_titles_site / "en" / "index.html"
    [short] = with_class(home, "study-short-title")
    assert folded(short["text"]) == (
        "Short title: Village Dialogue (translation out of date; the original now reads: "
        "Dialog Desa)"
    )
    assert [
        e for e in elements(home) if e["attrs"].get("lang") == "id" and e["text"] == "Dialog Desa"
    ]
    # The study's own title (stale too) is the home page's heading, with its original.
    [heading] = [e for e in elements(home) if e["tag"] == "h1"]
    assert "Studi Kecil tentang Dialog di Desa" in heading["text"]
    assert not with_class(stale_titles_site / "index.html", "study-short-title")


def test_a_stale_label_drawn_in_a_figure_is_marked_and_explained(stale_titles_site: Path) -> None:
    page = stale_titles_site / "en" / "introduction.html"
    drawn = [folded(e["text"]) for e in elements(page) if e["tag"] == "text"]
    assert "dialogue *" in drawn
    assert [label for label in drawn if label.endswith("*")] == ["dialogue *"]
    [title] = [e for e in elements(page) if e["tag"] == "title" and "Dialogue flow" in e["text"]]
    assert folded(title["text"]) == f"Figure 1. Dialogue flow {MARKER}"
    [notice] = with_class(page, "stale__mark")
    assert folded(notice["text"]).startswith(
        "Translation out of date — Labels marked * in the drawing changed in the original"
    )
    [text_version] = with_class(page, "figure-text")
    assert "open" in text_version["attrs"]
    originals = [
        folded(e["text"])
        for e in elements(page)
        if e["attrs"].get("lang") == "id" and "stale--inline" not in e["attrs"].get("class", "")
    ]
    assert "dialog rutin" in originals and "Alur" in originals
    # The Indonesian drawing is the original: nothing marked.
    source = stale_titles_site / "introduction.html"
    assert not [e for e in elements(source) if e["tag"] == "text" and "*" in e["text"]]
    assert not with_class(source, "stale__mark")


def test_a_stale_translated_title_in_a_citation_is_marked(stale_titles_site: Path) -> None:
    [apa] = with_class(stale_titles_site / "en" / "index.html", "citation-apa")
    text = folded(apa["text"])
    assert (
        f"Studi Kecil tentang Dialog di Desa [A Small Study of Village Dialogue] {MARKER}" in text
    )
    [original] = [c for c in apa["children"] if c["attrs"].get("lang") == "id"]
    assert folded(original["text"]) == "Studi Kecil tentang Dialog di Desa"
    [source_apa] = with_class(stale_titles_site / "index.html", "citation-apa")
    assert "terjemahan" not in source_apa["text"] and MARKER not in source_apa["text"]
    references = folded(
        " ".join(
            e["text"] for e in with_class(stale_titles_site / "en" / "references.html", "reference")
        )
    )
    assert (
        "Collaborative Governance in Practice [Collaborative governance (English title)] "
        f"{MARKER}" in references
    )
    # Once (the links to the pages citing it name a stale section title as the nav does).
    assert references.split("Cited on")[0].count(MARKER) == 1


def test_a_link_naming_a_stale_quote_by_its_words_says_it_is_out_of_date(
    stale_site: Path,
) -> None:
    opening = "“we asked the trainer questions”"
    named = [
        folded(e["text"])
        for page in (stale_site / "en").glob("*.html")
        for e in elements(page)
        if e["tag"] == "a" and opening in e["text"]
    ]
    assert named and all(text.endswith(f"{opening} {MARKER}") for text in named), named
    # A current quote is named without it.
    assert not [
        e
        for e in elements(stale_site / "en" / "evidence-matrix.html")
        if e["tag"] == "a" and MARKER in e["text"] and opening not in e["text"]
    ]


def test_the_home_pages_linked_data_says_a_translation_is_out_of_date(
    stale_titles_site: Path,
) -> None:
    import json

    def article(page: Path) -> dict[str, Any]:
        text = page.read_text(encoding="utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        assert block
        data: dict[str, Any] = json.loads(block.group(1))
        return data

    english = article(stale_titles_site / "en" / "index.html")
    assert english["name"] == f"A Small Study of Village Dialogue {MARKER}"
    assert english["headline"] == f"Village Dialogue {MARKER}"
    source = article(stale_titles_site / "index.html")
    assert source["name"] == "Studi Kecil tentang Dialog di Desa"
