"""Tests for generator.validate: the rules that need the whole study, and the `check` command.

Each rule is shown failing on a copy of tests/fixtures/mini/study.yaml with one small edit.
Expected positions are found in the edited text itself (`Edited.at`), so a test names the
exact node an editor would have to fix, whatever line it lands on.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import Project, check, read_handwritten
from generator.errors import FindingsError, Position, Problem, Severity
from generator.labels import catalogue_languages
from generator.load import load_findings
from generator.model import Findings, build_model
from generator.validate import Options, validate
from tests.conftest import FIXTURES, ROOT, project_for

MINI = FIXTURES / "mini" / "study.yaml"
SHOWN = "findings/study.yaml"  # how a run names the edited copy
from generator.validate import LINK_HINT  # noqa: E402

NO_QUOTES_HINT = (
    "every indicator rests on at least one quote; "
    "record a quote missing in the source as 'text: {gap: cut-off}'"
)


@dataclass(frozen=True)
class Edited:
    """A findings folder holding one edited copy of the mini study."""

    folder: Path
    text: str

    def at(self, needle: str) -> Position:
        """Where `needle` starts in the edited file, or where its '^' stands if it has one."""
        plain = needle.replace("^", "")
        assert self.text.count(plain) == 1, f"{plain!r} must occur exactly once"
        start = self.text.index(plain) + max(needle.find("^"), 0)
        before = self.text[:start]
        return Position(SHOWN, before.count("\n") + 1, start - (before.rfind("\n") + 1) + 1)


def edit(tmp_path: Path, old: str, new: str) -> Edited:
    """Copy the mini study (and its translations.lock) into tmp_path/findings, replacing
    `old` (found once) by `new` in study.yaml."""
    original = MINI.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"{old!r} must occur exactly once in {MINI}"
    text = original.replace(old, new)
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "study.yaml").write_text(text, encoding="utf-8")
    # The translations the fixture's translators reviewed, as in a real study's folder.
    lock = MINI.parent / "translations.lock"
    (folder / lock.name).write_text(lock.read_text(encoding="utf-8"), encoding="utf-8")
    return Edited(folder, text)


def model_of(study: Edited) -> Findings:
    return build_model(load_findings(study.folder))


def problems_of(
    study: Edited,
    options: Options = Options(),
    catalogue: list[str] | None = None,
    handwritten: dict[str, list[str]] | None = None,
) -> list[Problem]:
    """validate() on the edited study, with the real catalogues unless told otherwise.

    `handwritten` names the hand-written pages of each language (under pages/<language>/).
    """
    languages = catalogue_languages() if catalogue is None else catalogue
    pages = (
        {
            lang: {name: f"findings/pages/{lang}/{name}" for name in names}
            for lang, names in handwritten.items()
        }
        if handwritten is not None
        else None
    )
    return validate(model_of(study), options, languages, pages, pages_folder="findings/pages")


def mini_project(study: Edited, tmp_path: Path) -> Project:
    """A project for the edited study (it has no hand-written pages)."""
    return project_for(study.folder, tmp_path)


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# ------------------------------------------------------------------ the fixtures are valid


def test_mini_study_has_no_problems(tmp_path: Path) -> None:
    study = edit(tmp_path, "languages:", "languages:")
    assert problems_of(study, handwritten={"id": [], "en": []}) == []


def test_real_findings_have_no_problems() -> None:
    findings = build_model(load_findings(ROOT / "findings"))
    codes = [language.code for language in findings.languages]
    pages = read_handwritten(ROOT / "findings" / "pages", codes)
    handwritten = {lang: {name: page.path for name, page in p.items()} for lang, p in pages.items()}
    assert validate(findings, Options(), catalogue_languages(), handwritten) == []


def test_real_findings_pass_check_without_warnings(tmp_path: Path) -> None:
    assert check(project_for(ROOT / "findings", tmp_path)).warnings == ()


# ------------------------------------------------------------------ one edit, one problem
#
# Each row: the text replaced in the mini study, its replacement, where the problem must be
# reported (see Edited.at), the message and the hint.  '<first>' in a hint stands for the
# position of the `first` needle (the earlier of two duplicates).


@dataclass(frozen=True)
class Rule:
    old: str
    new: str
    at: str
    message: str
    hint: str = ""
    first: str = ""


RULES = {
    "unknown-informant": Rule(
        "    informant: ss\n",
        "    informant: sss\n",
        "informant: ^sss",
        "unknown informant 'sss'",
        "did you mean 'ss'?",
    ),
    "unknown-indicator-of-quote": Rule(
        "    indicator: dialogue\n    informant: ss\n",
        "    indicator: dialog\n    informant: ss\n",
        "indicator: ^dialog\n",
        "unknown indicator 'dialog'",
        "did you mean 'dialogue'?",
    ),
    "unknown-indicator-of-recommendation": Rule(
        "indicators: [dialogue]",
        "indicators: [dialogue, budget]",
        "^budget",
        "unknown indicator 'budget'",
        "add it under 'indicators' first",
    ),
    "unknown-quote-in-body": Rule(
        "- quote: q-dialogue-unnamed",
        "- quote: q-dialogue-unamed",
        "^q-dialogue-unamed",
        "unknown quote 'q-dialogue-unamed'",
        "did you mean 'q-dialogue-unnamed'?",
    ),
    "unknown-quote-of-recommendation": Rule(
        "quotes: [q-dialogue-ss]",
        "quotes: [q-dialog-ss]",
        "^q-dialog-ss",
        "unknown quote 'q-dialog-ss'",
        "did you mean 'q-dialogue-ss'?",
    ),
    "unknown-reference-of-framework": Rule(
        "reference: ansell-gash-2008",
        "reference: ansell-2008",
        "^ansell-2008",
        "unknown reference 'ansell-2008'",
        "did you mean 'ansell-gash-2008'?",
    ),
    "unknown-citation": Rule(
        "id: Studi ini melihat",
        "id: Studi [@nope-2000] ini melihat",
        "^Studi [@nope-2000]",
        "unknown reference 'nope-2000'",
        "add it under 'references' first",
    ),
    "unknown-narrative-citation": Rule(
        "([Ansell dan Gash](@ansell-gash-2008))",
        "([Ansell dan Gash](@ansel-gash-2008))",
        "^Dialog penting bagi desa",
        "unknown reference 'ansel-gash-2008'",
        "did you mean 'ansell-gash-2008'?",
    ),
    "unknown-figure": Rule(
        "          - figure: flow\n",
        "          - figure: flow\n          - figure: flows\n",
        "figure: ^flows",
        "unknown figure 'flows'",
        "did you mean 'flow'?",
    ),
    "duplicate-quote-id": Rule(
        "  - id: q-trust-cut\n",
        "  - id: q-dialogue-ss\n",
        "^id: q-dialogue-ss\n    indicator: trust",
        "duplicate quote id 'q-dialogue-ss'",
        "the first is at <first>; ids must be unique",
        first="^id: q-dialogue-ss\n    indicator: dialogue",
    ),
    "duplicate-informant-id": Rule(
        '    interviews: ["2019-05-22"]\n',
        '    interviews: ["2019-05-22"]\n'
        "  - {id: ss, code: S2, role: {id: Lain, en: Other}, group: ngo, interviews: []}\n",
        "^{id: ss, code: S2",
        "duplicate informant id 'ss'",
        "the first is at <first>; ids must be unique",
        first="^id: ss\n",
    ),
    "duplicate-indicator-id": Rule(
        "      en: The parties come to trust each other.\n",
        "      en: The parties come to trust each other.\n"
        "  - {id: trust, name: {id: Lain, en: Other}, definition: {id: Lain, en: Other}}\n",
        "^{id: trust, name",
        "duplicate indicator id 'trust'",
        "the first is at <first>; ids must be unique",
        first="^id: trust\n    name",
    ),
    "indicator-without-quotes": Rule(
        "    indicator: trust\n    informant: head-of-office",
        "    indicator: dialogue\n    informant: head-of-office",
        "^id: trust\n    name",
        "indicator 'trust' has no quotes",
        NO_QUOTES_HINT,
    ),
    "informant-in-an-unknown-default-group": Rule(
        "    group: government\n",
        "    group: goverment\n",
        "group: ^goverment",
        "unknown group 'goverment' for informant 'head-of-office'",
        "did you mean 'government'? use one of government, ngo, community, private-sector, "
        "academia, or declare the study's own under 'groups'",
    ),
    "informant-in-an-undeclared-group": Rule(
        "informants:\n",
        "groups:\n  - {id: officials, name: {id: Pejabat, en: Officials}}\n"
        "  - {id: community, name: {id: Warga, en: Residents}}\ninformants:\n",
        "group: ^government",
        "unknown group 'government' for informant 'head-of-office'",
        "declare it under 'groups' (with its name in every language)",
    ),
    "recommendation-resting-on-nothing": Rule(
        "    rests_on:\n      indicators: [dialogue]\n      quotes: [q-dialogue-ss]\n",
        "    rests_on: {}\n",
        "^id: more-practice",
        "recommendation 'more-practice' rests on nothing",
        "name the indicators and/or quotes it rests on under 'rests_on'",
    ),
    "quote-dated-outside-the-interviews": Rule(
        'date: "2019-05-22"',
        'date: "2019-05-23"',
        'date: ^"2019-05-23"',
        "quote 'q-dialogue-ss' is dated 2019-05-23, but informant 'ss' was interviewed on "
        "2019-05-22",
        "correct the date, or add it to the informant's 'interviews'",
    ),
    "quote-placed-twice": Rule(
        "          - include: informants\n",
        "          - include: informants\n          - quote: q-dialogue-unnamed\n",
        "said that}\n          - quote: ^q-dialogue-unnamed",
        "quote 'q-dialogue-unnamed' is placed twice",
        "the first is at <first>; keep only one",
        first="informants\n          - quote: ^q-dialogue-unnamed",
    ),
    "quote-in-another-indicators-results": Rule(
        "        indicator: trust\n",
        "        indicator: trust\n        body:\n          - quote: q-dialogue-ss\n",
        "- quote: ^q-dialogue-ss",
        "quote 'q-dialogue-ss' (indicator 'dialogue') is placed in the results of 'trust'",
        "place it in the results of 'dialogue', or correct the quote's indicator",
    ),
    "figure-not-placed": Rule(
        "          - figure: flow\n",
        "",
        "^id: flow",
        "figure 'flow' is not placed in any section",
        "add '- figure: flow' to the body of the section that shows it",
    ),
    "figure-placed-twice": Rule(
        "          - include: indicators\n",
        "          - include: indicators\n          - figure: flow\n",
        "indicators\n          - figure: ^flow",
        "figure 'flow' is placed twice",
        "the first is at <first>; keep only one",
        first="          - figure: ^flow\n  - id: method",
    ),
    "edge-to-unknown-node": Rule(
        "{from: community, to: trust}",
        "{from: community, to: trusts}",
        "to: ^trusts",
        "unknown node 'trusts'",
        "did you mean 'trust'?",
    ),
    "edge-from-unknown-node": Rule(
        "{from: community, to: trust}",
        "{from: village, to: trust}",
        "from: ^village",
        "unknown node 'village'",
        "add it under 'nodes' first",
    ),
    "raw-html-in-prose": Rule(
        "id: Studi ini melihat",
        "id: Studi <script>alert(1)</script> ini melihat",
        "Studi ^<script>",
        "raw HTML is not allowed in Markdown prose: '<script>'",
        "for a literal '<' before a letter write '&lt;' (here: '&lt;script>'); "
        "for a link use [text](https://...)",
    ),
    "term-of-another-language": Rule(
        "    - {code: en, name: English}\n",
        "    - {code: en, name: English}\n  terms:\n    de: [Dialog]\n",
        "de: [^Dialog]",
        "'Dialog' is listed under 'de', which is not a language of this study",
        "list terms under one of: id, en",
    ),
    "term-in-two-languages": Rule(
        "    - {code: en, name: English}\n",
        "    - {code: en, name: English}\n  terms:\n    en: [dialog]\n    id: [dialog]\n",
        "id: [^dialog]",
        "'dialog' is listed as 'en' and as 'id'",
        "the first is at <first>; a term has one language",
        first="en: [^dialog]",
    ),
    "html-comment-in-prose": Rule(
        "en: This study looks at",
        "en: This <!-- draft --> study looks at",
        "This ^<!--",
        "raw HTML is not allowed in Markdown prose: '<!-- draft -->'",
        "for a literal '<' before a letter write '&lt;' (here: '&lt;!-- draft -->'); "
        "for a link use [text](https://...)",
    ),
    "javascript-link-in-prose": Rule(
        "en: This study looks at *dialogue*",
        "en: This study looks at [dialogue](JavaScript:location='https://evil.example')",
        "^This study looks at [dialogue]",
        # Markdown reads 'https://evil.example' as the link's title: the target ends at '='.
        "link target 'JavaScript:location=' is not allowed",
        LINK_HINT,
    ),
    "data-link-in-prose": Rule(
        "en: This study looks at *dialogue*",
        "en: This study looks at [dialogue]( data:text/html;base64,PHNjcmlwdD4=)",
        "^This study looks at [dialogue]",
        "link target 'data:text/html;base64,PHNjcmlwdD4=' is not allowed",
        LINK_HINT,
    ),
    "section-id-with-a-generated-anchor-prefix": Rule(
        "      - id: background\n",
        "      - id: ref-background\n",
        "- ^id: ref-background",
        "id 'ref-background' starts with 'ref-', which the site keeps for the anchors of "
        "references",
        "choose an id that starts with none of: figure-, svg-, informant-, indicator-, "
        "conclusion-, recommendation-, ref-, paper- (e.g. 'background')",
    ),
    "missing-translation": Rule(
        "    en: This study looks at *dialogue* and trust in a village.\n",
        "",
        "^abstract:",
        "'abstract' has no 'en' translation",
        "add 'en: ...' (or build with --draft to publish it as pending)",
    ),
    "missing-quote-translation": Rule(
        '    translation: {en: "we asked the trainer questions"}\n',
        "",
        "^id: q-dialogue-ss",
        "quote 'q-dialogue-ss' has no 'en' translation",
        "add 'en: ...' (or build with --draft to publish it as pending)",
    ),
    "missing-source-language": Rule(
        "{id: Dialog, en: Dialogue}",
        "{en: Dialogue}",
        "^{en: Dialogue}",
        "'keywords' has no 'id' (source language) version",
    ),
    "unknown-language-key": Rule(
        "{id: Dialog, en: Dialogue}",
        "{id: Dialog, en: Dialogue, eng: Dialogue}",
        "^{id: Dialog, en: Dialogue, eng",
        "unknown language 'eng' in 'keywords'",
        "'keywords' takes: id, en",
    ),
    "quote-translation-in-the-source-language": Rule(
        'translation: {en: "we asked the trainer questions"}',
        'translation: {en: "we asked the trainer questions", id: "kami bertanya"}',
        '^translation: {en: "we asked',
        "unknown language 'id' in 'translation'",
        "'translation' takes: en",
    ),
    "translation-of-a-missing-quote": Rule(
        "    date: {gap: cut-off}\n",
        "    date: {gap: cut-off}\n    translation: {en: some words}\n",
        "^translation: {en: some words}",
        "quote 'q-trust-cut' has no text but a translation",
        "a quote missing in the source cannot be translated; remove 'translation'",
    ),
    "two-informants-share-a-code": Rule(
        "    code: SS\n",
        "    code: Kabid\n",
        "^id: ss\n",
        "two informants share the code 'Kabid'",
        "readers tell informants apart by their code",
    ),
    "indicator-with-two-conclusions": Rule(
        "  - indicator: trust\n    text: {id: Kepercayaan",
        "  - indicator: dialogue\n    text: {id: Kepercayaan",
        "indicator: ^dialogue\n    text: {id: Kepercayaan",
        "indicator 'dialogue' has two conclusions",
        "the first is at <first>; merge them",
        first="indicator: ^dialogue\n    text: {id: Dialog berjalan",
    ),
    "indicator-without-results-section": Rule(
        "Trust building}\n        indicator: trust\n",
        "Trust building}\n",
        "^id: trust\n    name",
        "no section reports the results of indicator 'trust'",
        "add a section with 'indicator: trust' to a chapter",
    ),
}


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_reports_the_edited_node(tmp_path: Path, rule: Rule) -> None:
    study = edit(tmp_path, rule.old, rule.new)
    hint = rule.hint.replace("<first>", str(study.at(rule.first))) if rule.first else rule.hint
    assert problems_of(study) == [Problem(study.at(rule.at), rule.message, hint)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("code: Kabid", "code: <b>Kabid</b>"),
        ('text: "kami bertanya dengan pelatih"', 'text: "kami <i>bertanya</i> &amp; a<b"'),
        (
            "name: {id: Membangun kepercayaan, en: Trust building}",
            'name: {id: Membangun kepercayaan, en: "Trust <building> & {{ x }} | # * 😅"}',
        ),
        ("caption: {id: Alur dialog,", "caption: {id: Alur <tertawa> dialog,"),
    ],
)
def test_plain_text_fields_take_any_text(tmp_path: Path, old: str, new: str) -> None:
    assert problems_of(edit(tmp_path, old, new)) == []


def test_raw_html_in_a_prose_block_points_at_the_character(tmp_path: Path) -> None:
    old = "      id: Dialog menjadi media konsultasi [@ansell-gash-2008, 544].\n"
    new = (
        "      id: >-\n"
        "        Dialog menjadi media\n"
        "        konsultasi <b>penting</b> [@ansell-gash-2008, 544].\n"
    )
    study = edit(tmp_path, old, new)
    [problem] = problems_of(study)
    assert problem.position == study.at("konsultasi ^<b>penting")


@pytest.mark.parametrize("quote_id", ["NO-1", "p3.12", "Q_7", "q-dialogue-x"])
def test_quote_ids_are_the_study_s_own(tmp_path: Path, quote_id: str) -> None:
    study = edit(tmp_path, "id: q-dialogue-ss\n", f"id: {quote_id}\n")
    text = study.text.replace("quotes: [q-dialogue-ss]", f"quotes: [{quote_id}]")
    (study.folder / "study.yaml").write_text(text, encoding="utf-8")
    assert problems_of(Edited(study.folder, text)) == []


def test_a_quote_id_may_not_be_a_section_id(tmp_path: Path) -> None:
    study = edit(tmp_path, "id: q-trust-cut\n", "id: background\n")
    [problem] = problems_of(study)
    assert problem.position == study.at("  - id: ^background\n    indicator: trust")
    assert problem.message.startswith("quote id 'background' is also the id of a chapter")


def test_a_quote_id_may_not_take_a_generated_anchor_prefix(tmp_path: Path) -> None:
    study = edit(tmp_path, "id: q-trust-cut\n", "id: figure-flow\n")
    [problem] = problems_of(study)
    assert problem.position == study.at("id: ^figure-flow\n")
    assert "starts with 'figure-'" in problem.message


def test_a_problem_prints_as_path_line_column_message_and_hint(tmp_path: Path) -> None:
    study = edit(tmp_path, "    informant: ss\n", "    informant: sss\n")
    assert [str(p) for p in problems_of(study)] == [
        "findings/study.yaml:67:16: unknown informant 'sss'\n    hint: did you mean 'ss'?"
    ]


def test_quote_date_problem_points_at_the_date(tmp_path: Path) -> None:
    study = edit(tmp_path, 'date: "2019-05-22"', 'date: "2019-05-23"')
    [problem] = problems_of(study)
    assert problem.position == study.at('date: ^"2019-05-23"')


def test_an_impossible_calendar_date_is_an_error_of_the_model(tmp_path: Path) -> None:
    study = edit(tmp_path, 'interviews: ["2019-05-22"]', 'interviews: ["2019-02-30"]')
    with pytest.raises(FindingsError) as caught:
        model_of(study)
    assert caught.value.problems == [
        Problem(
            study.at('^"2019-02-30"'),
            "'2019-02-30' is not a real calendar date",
            "check day and month",
        )
    ]


def test_a_citation_without_its_comma_is_reported(tmp_path: Path) -> None:
    study = edit(tmp_path, "id: Studi ini melihat", "id: Studi [@sukidjo-2012 34] ini melihat")
    [problem] = problems_of(study)
    assert problem.position == study.at("^Studi [@sukidjo")


def test_javascript_in_a_reference_style_link_is_refused(tmp_path: Path) -> None:
    study = edit(
        tmp_path,
        "    en: This study looks at *dialogue* and trust in a village.\n",
        "    en: |\n      This study looks at [dialogue][1].\n\n      [1]: javascript:alert(1)\n",
    )
    [problem] = problems_of(study)
    assert problem.position == study.at("en: ^|")
    assert "javascript:alert(1)" in problem.message
    assert problem.message.endswith("is not allowed")


def test_javascript_link_written_with_a_character_reference_is_refused(tmp_path: Path) -> None:
    study = edit(
        tmp_path,
        "en: This study looks at *dialogue*",
        "en: This study looks at [dialogue](javascript&#58;alert&#40;1&#41;)",
    )
    [problem] = problems_of(study)
    assert problem.position == study.at("^This study looks at [dialogue]")
    assert problem.message.endswith("is not allowed")


# ------------------------------------------------------------------ translations in drafts

MISSING_EN = "    en: This study looks at *dialogue* and trust in a village.\n"


def test_missing_translation_is_an_error_by_default(tmp_path: Path) -> None:
    study = edit(tmp_path, MISSING_EN, "")
    [problem] = problems_of(study)
    assert problem.severity is Severity.ERROR
    with pytest.raises(FindingsError) as caught:
        check(mini_project(study, tmp_path))
    assert [str(p) for p in caught.value.problems] == [
        f"{study.at('^abstract:')}: 'abstract' has no 'en' translation\n"
        "    hint: add 'en: ...' (or build with --draft to publish it as pending)"
    ]


def test_missing_translation_is_a_warning_in_a_draft(tmp_path: Path) -> None:
    study = edit(tmp_path, MISSING_EN, "")
    warning = Problem(
        study.at("^abstract:"),
        "'abstract' has no 'en' translation",
        "the page shows the source text marked 'translation pending'",
        Severity.WARNING,
    )
    assert problems_of(study, Options(draft=True)) == [warning]
    assert check(mini_project(study, tmp_path), Options(draft=True)).warnings == (warning,)
    assert str(warning) == (
        "findings/study.yaml:22:3: warning: 'abstract' has no 'en' translation\n"
        "    hint: the page shows the source text marked 'translation pending'"
    )


def test_missing_quote_translation_is_a_warning_in_a_draft(tmp_path: Path) -> None:
    study = edit(tmp_path, '    translation: {en: "we asked the trainer questions"}\n', "")
    [problem] = problems_of(study, Options(draft=True))
    assert problem.severity is Severity.WARNING
    assert problem.position == study.at("^id: q-dialogue-ss")
    assert problem.message == "quote 'q-dialogue-ss' has no 'en' translation"


def test_draft_does_not_soften_other_errors(tmp_path: Path) -> None:
    study = edit(tmp_path, "    informant: ss\n", "    informant: sss\n")
    [problem] = problems_of(study, Options(draft=True))
    assert problem.severity is Severity.ERROR


# ------------------------------------------------------------------ languages and pages


def test_a_language_without_a_catalogue(tmp_path: Path) -> None:
    study = edit(tmp_path, "languages:", "languages:")
    [problem] = problems_of(study, catalogue=["id"])
    assert problem.position.path == SHOWN
    assert problem.message == "no interface labels for language 'en'"
    assert problem.hint == "add generator/catalogue/en.yaml: a translated copy of one of id.yaml"


def test_a_language_without_a_catalogue_points_at_the_language(tmp_path: Path) -> None:
    study = edit(tmp_path, "languages:", "languages:")
    [problem] = problems_of(study, catalogue=["id"])
    assert problem.position.line == study.at("{code: en, name: English}").line


def test_a_hand_written_page_missing_in_one_language(tmp_path: Path) -> None:
    study = edit(tmp_path, "languages:", "languages:")
    assert problems_of(study, handwritten={"id": ["about.md"], "en": []}) == [
        Problem(
            Position("findings/pages/id/about.md", 1, 1),
            "hand-written page 'about.md' has no 'en' version",
            "add findings/pages/en/about.md: the language switch needs it",
        )
    ]


def test_a_hand_written_page_with_a_generated_name(tmp_path: Path) -> None:
    study = edit(tmp_path, "languages:", "languages:")
    pages = ["background.md"]  # the page of section 'background'
    assert problems_of(study, handwritten={"id": pages, "en": pages}) == [
        Problem(
            Position(f"findings/pages/{language}/background.md", 1, 1),
            "hand-written page 'background.md' has the name of a page the site makes from "
            "the findings",
            "rename the file",
        )
        for language in ("id", "en")
    ]


# ------------------------------------------------------------------ the command line

TWO_FILES = "tests/fixtures/invalid/two-files"
TWO_FILES_REPORT = """\
two-files/informants.yaml:5:5: missing field 'interviews'
two-files/informants.yaml:9:5: unknown field 'interviws'
    hint: did you mean 'interviews'?
two-files/quotes.yaml:10:5: duplicate key 'text'
    hint: 'text' is already set at line 9; keep only one
3 error(s), 0 warning(s).
"""


def test_cli_check_reports_problems_without_a_traceback() -> None:
    result = run_check("--findings", TWO_FILES)
    assert result.returncode == 1
    assert result.stderr == TWO_FILES_REPORT
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_cli_check_with_debug_shows_the_traceback() -> None:
    result = run_check("--findings", TWO_FILES, "--debug")
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "generator.errors.FindingsError: two-files/informants.yaml:5:5:" in result.stderr


def test_cli_check_reports_a_validation_problem(tmp_path: Path) -> None:
    study = edit(tmp_path, "    informant: ss\n", "    informant: sss\n")
    result = run_check("--findings", str(study.folder))
    assert result.returncode == 1
    assert result.stderr == (
        "findings/study.yaml:67:16: unknown informant 'sss'\n"
        "    hint: did you mean 'ss'?\n"
        "1 error(s), 0 warning(s).\n"
    )


def test_cli_check_draft_prints_warnings_and_succeeds(tmp_path: Path) -> None:
    study = edit(tmp_path, MISSING_EN, "")
    result = run_check("--findings", str(study.folder), "--draft")
    assert result.returncode == 0
    assert result.stderr == (
        "findings/study.yaml:22:3: warning: 'abstract' has no 'en' translation\n"
        "    hint: the page shows the source text marked 'translation pending'\n"
    )
    assert result.stdout == (
        f"{study.folder}: OK (3 quotes, 2 informants, 2 indicators, 2 languages)\n"
    )


def test_cli_check_real_findings() -> None:
    result = run_check("--findings", "findings")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("findings: OK (")


def test_a_chapter_may_not_take_the_name_of_a_page_the_site_makes(tmp_path: Path) -> None:
    study = edit(tmp_path, "  - id: method\n", "  - id: references\n")
    [problem] = problems_of(study)
    assert problem.position == study.at("  - ^id: references")
    assert problem.message == "'references' is the name of a page the site makes itself"


def test_an_include_appears_once(tmp_path: Path) -> None:
    study = edit(
        tmp_path,
        "          - include: indicators\n",
        "          - include: indicators\n          - include: informants\n",
    )
    [problem] = problems_of(study)
    assert problem.message == "'include: informants' appears twice"
    assert problem.position == study.at("include: indicators\n          - ^include: informants")


# ------------------------------------------------------------------ dates after today

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("date", "refused"), [("2026-11-28", False), ("2026-11-29", False), ("2026-11-30", True)]
)
def test_an_interview_date_after_today_is_refused(tmp_path: Path, date: str, refused: bool) -> None:
    # Tomorrow passes: an editor east of the build machine may be there already.
    study = edit(
        tmp_path,
        '    date: "2019-06-12"\n    text: "kita adakan',
        f'    date: "{date}"\n    text: "kita adakan',
    )
    problems = problems_of(study, Options(today=TODAY), handwritten={"id": [], "en": []})
    expected = Problem(
        study.at(f'"{date}"'),
        f"interview date {date} is in the future",
        "dates are written year-month-day (today is 2026-11-28)",
    )
    assert problems == ([expected] if refused else [])


def test_an_informants_interview_after_today_is_refused(tmp_path: Path) -> None:
    study = edit(tmp_path, 'interviews: ["2019-05-22"]', 'interviews: ["2019-05-22", "2062-05-22"]')
    problems = problems_of(study, Options(today=TODAY), handwritten={"id": [], "en": []})
    assert [(p.position, p.message) for p in problems] == [
        (study.at("- ^id: ss"), "interview date 2062-05-22 of informant 'ss' is in the future")
    ]


def test_a_correction_dated_after_today_is_refused() -> None:
    findings = build_model(load_findings(ROOT / "findings"))
    latest = max(c.date for c in findings.corrections)
    day_before = latest - datetime.timedelta(days=2)
    problems = validate(findings, Options(today=day_before), catalogue_languages())
    refused = [p for p in problems if p.message.startswith("correction ")]
    assert refused and all(p.position.path.endswith("corrections.yaml") for p in refused)
    assert {p.message for p in refused} == {
        f"correction '{c.id}' is dated {c.date.isoformat()}, in the future"
        for c in findings.corrections
        if c.date > day_before + datetime.timedelta(days=1)
    }
