"""Tests for generator.load: reading findings files safely, with positions an editor can use.

Most tests feed `parse_source` a few lines of inline YAML and compare the problems exactly
as the command line prints them (`path:line:column: message` plus a `hint:` line).
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import FindingsError, Problem
from generator.load import check_structure, load_findings, parse_source
from generator.model import build_model
from tests.conftest import FIXTURES

PATH = "findings/quotes.yaml"
MINI = FIXTURES / "mini" / "study.yaml"
TAG_HINT = "hint: remove the tag; a text starting with '!' must be in quotes"
CONTROL_HINT = "hint: remove the invisible control character (often pasted from a PDF)"
EMPTY = "findings/quotes.yaml:1:1: file is empty\n    hint: remove it or add findings"


def source(text: str) -> bytes:
    """Inline YAML, dedented, as the bytes of a file."""
    return textwrap.dedent(text).lstrip("\n").encode("utf-8")


def problems_of(raw: bytes) -> list[Problem]:
    """The problems parse_source raises for `raw` (it must raise)."""
    with pytest.raises(FindingsError) as caught:
        parse_source(raw, PATH)
    return caught.value.problems


def reported(raw: bytes) -> list[str]:
    """What the command line would print for `raw`, one string per problem."""
    return [str(problem) for problem in problems_of(raw)]


def schema_problems(text: str) -> list[str]:
    """Parse `text` (it must parse) and return its schema problems, sorted as a run shows them."""
    problems = check_structure(parse_source(source(text), PATH))
    return [str(problem) for problem in FindingsError(problems).problems]


# ------------------------------------------------------------------ safe loading


def test_python_tag_is_refused_and_nothing_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    calls: list[object] = []

    def record(*args: object, **kwargs: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", record)
    monkeypatch.setattr(subprocess, "Popen", record)
    raw = f'quotes: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()

    assert reported(raw) == [
        f"{PATH}:1:9: YAML tags (!!python/object/apply:os.system) are not supported\n    {TAG_HINT}"
    ]
    assert calls == []
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!!python/object:builtins.dict {}", "!!python/object:builtins.dict"),
        ("!!binary aGk=", "!!binary"),
        ("!!timestamp 2019-06-12", "!!timestamp"),
        ("!!int '017'", "!!int"),
        ("!!bool yes", "!!bool"),
        ("!!float 1.10", "!!float"),
        ("!!set {a, b}", "!!set"),
        ("!!map {a: b}", "!!map"),
        ("!!seq [a]", "!!seq"),
        ("!custom value", "!custom"),
    ],
)
def test_every_tag_but_str_is_an_error(value: str, shown: str) -> None:
    assert reported(f"x: {value}\n".encode()) == [
        f"{PATH}:1:4: YAML tags ({shown}) are not supported\n    {TAG_HINT}"
    ]


def test_str_tag_and_non_specific_tag_keep_the_text() -> None:
    parsed = parse_source(b"a: !!str 017\nb: ! yes\n", PATH)
    assert parsed.data == {"a": "017", "b": "yes"}


# ------------------------------------------------------------------ duplicate keys


def test_duplicate_key_is_reported_at_the_second_key_with_the_first_line() -> None:
    raw = source(
        """
        quotes:
          - id: q-one
            text: one
            id: q-two
        """
    )
    assert reported(raw) == [
        f"{PATH}:4:5: duplicate key 'id'\n    hint: 'id' is already set at line 2; keep only one"
    ]


def test_duplicate_top_level_section_is_reported() -> None:
    raw = source(
        """
        quotes: []
        indicators: []
        quotes: []
        """
    )
    assert reported(raw) == [
        f"{PATH}:3:1: duplicate key 'quotes'\n"
        "    hint: 'quotes' is already set at line 1; keep only one"
    ]


def test_duplicate_key_in_a_flow_mapping_is_reported() -> None:
    assert reported(b"title: {id: Judul, en: Title, id: Judul lain}\n") == [
        f"{PATH}:1:31: duplicate key 'id'\n    hint: 'id' is already set at line 1; keep only one"
    ]


# ------------------------------------------------------------------ YAML 1.1 surprises

# Plain scalars that YAML 1.1 (PyYAML's default) would turn into booleans, numbers, dates
# or floats.  The loader keeps each exactly as written.
AS_WRITTEN = [
    "no",
    "No",
    "NO",
    "n",
    "yes",
    "Yes",
    "y",
    "on",
    "On",
    "off",
    "OFF",
    "True",
    "FALSE",
    "017",
    "0o17",
    "0x1F",
    "1_000",
    "+1",
    "1.10",
    "1e3",
    ".inf",
    "-.inf",
    ".nan",
    "12:30:00",
    "2019-06-12",
    "2019-06-12T10:00:00",
    "2020",
    "=",
]


@pytest.mark.parametrize("value", AS_WRITTEN)
def test_plain_scalars_stay_the_text_as_written(value: str) -> None:
    assert parse_source(f"value: {value}\n".encode(), PATH).data == {"value": value}


@pytest.mark.parametrize("key", ["on", "off", "yes", "no", "y", "017", "2019-06-12"])
def test_keys_stay_the_text_as_written(key: str) -> None:
    assert parse_source(f"{key}: x\n".encode(), PATH).data == {key: "x"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("false", False), ("~", None), ("null", None), ("Null", None), ("", None)],
)
def test_only_plain_true_false_and_null_are_not_text(value: str, expected: object) -> None:
    """The documented exceptions: lowercase true/false are booleans; ~, null, nothing is None."""
    assert parse_source(f"value: {value}\n".encode(), PATH).data == {"value": expected}


def test_quoted_true_and_null_are_text() -> None:
    parsed = parse_source(b"a: 'true'\nb: \"~\"\nc: ''\n", PATH)
    assert parsed.data == {"a": "true", "b": "~", "c": ""}


INFORMANT = textwrap.dedent(
    """
    informants:
      - id: kabid
        code: CODE
        role: {id: Kepala Bidang, en: Head of Division}
        group: government
        interviews: ["2019-06-12"]
    """
).lstrip("\n")


def test_a_no_in_a_text_field_is_valid_text() -> None:
    parsed = parse_source(source(INFORMANT.replace("CODE", "no")), PATH)
    assert parsed.data["informants"][0]["code"] == "no"
    assert check_structure(parsed) == []


def test_a_boolean_where_text_is_expected_says_to_quote_it() -> None:
    assert schema_problems(INFORMANT.replace("CODE", "true")) == [
        f"{PATH}:3:11: 'code' should be text, not true\n"
        "    hint: put the value in quotes to keep it as text"
    ]


@pytest.mark.parametrize("empty", ["~", "null", ""])
def test_an_empty_value_where_text_is_expected_points_at_its_key(empty: str) -> None:
    text = INFORMANT.replace("code: CODE", f"code: {empty}".rstrip())
    assert schema_problems(text) == [
        f"{PATH}:3:5: 'code' should be text, not nothing (an empty value)"
    ]


def test_a_value_lost_to_a_comment_gets_the_hint_about_quotes() -> None:
    assert schema_problems(INFORMANT.replace("CODE", "#3")) == [
        f"{PATH}:3:5: 'code' should be text, not nothing (an empty value)\n"
        "    hint: text after ' #' is a comment in YAML; put the whole value in quotes"
    ]


# ------------------------------------------------------------------ anchors and aliases


def test_anchors_and_aliases_are_refused() -> None:
    raw = source(
        """
        role: &role {id: Kepala Bidang, en: Head of Division}
        other: *role
        """
    )
    assert reported(raw) == [
        f"{PATH}:1:7: anchors (&role) are not supported\n"
        "    hint: remove '&role'; in text, put the value in quotes",
        f"{PATH}:2:8: aliases (*role) are not supported\n"
        "    hint: write the value out again instead of referring to an anchor",
    ]


def test_merge_key_is_refused_as_an_alias() -> None:
    raw = source(
        """
        base: &base {group: ngo}
        informants:
          - <<: *base
            id: a
        """
    )
    assert [str(p.position) + " " + p.message for p in problems_of(raw)] == [
        f"{PATH}:1:7 anchors (&base) are not supported",
        f"{PATH}:3:9 aliases (*base) are not supported",
    ]


def test_billion_laughs_fails_fast_without_expanding() -> None:
    """Ten levels of ten aliases would expand to 10**9 strings; nothing is expanded."""
    lines = ['l0: &l0 "lol"']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    problems = problems_of(("\n".join(lines) + "\n").encode())

    assert len(problems) == 10 + 9 * 10  # every anchor and every alias, each once
    assert str(problems[0]) == (
        f"{PATH}:1:5: anchors (&l0) are not supported\n"
        "    hint: remove '&l0'; in text, put the value in quotes"
    )
    assert str(problems[2].position) + " " + problems[2].message == (
        f"{PATH}:2:10 aliases (*l0) are not supported"
    )
    assert {p.message.split(" (")[0] for p in problems} == {"anchors", "aliases"}


# ------------------------------------------------------------------ encoding and odd files


def test_latin1_file_is_named_with_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "latin1.yaml").write_bytes(
        'quotes:\n  - id: q-a\n    text: "café"\n'.encode("latin-1")
    )
    with pytest.raises(FindingsError) as caught:
        load_findings(folder)
    assert [str(p) for p in caught.value.problems] == [
        "findings/latin1.yaml:3:15: file is not UTF-8 (byte 0xe9 at offset 34)\n"
        "    hint: save the file as UTF-8 ('Save with encoding: UTF-8' in your editor)"
    ]


def test_not_utf8_column_counts_characters() -> None:
    raw = 'quotes:\n  - id: q-a\n    text: "— café"\n'.encode().replace("é".encode(), b"\xe9")
    [problem] = problems_of(raw)
    assert str(problem.position) == f"{PATH}:3:17"  # `    text: "— caf` is 16 characters


@pytest.mark.parametrize(
    "raw",
    [b"", b"\n\n", b"   \n  \n", b"# only a comment\n", b"# a\n\n   # b\n", b"\xef\xbb\xbf"],
    ids=["nothing", "blank-lines", "spaces", "comment", "comments", "bom-only"],
)
def test_empty_file(raw: bytes) -> None:
    assert reported(raw) == [EMPTY]


def test_empty_file_is_named_by_load_findings(tmp_path: Path) -> None:
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "quotes.yaml").write_text("# quotes come later\n", encoding="utf-8")
    with pytest.raises(FindingsError) as caught:
        load_findings(folder)
    assert [str(p) for p in caught.value.problems] == [EMPTY]


def test_several_documents_are_an_error() -> None:
    assert reported(b"quotes: []\n---\nindicators: []\n") == [
        f"{PATH}:2:1: file holds several YAML documents ('---'); use one document per file\n"
        "    hint: remove the '---' line or split the file in two"
    ]


def test_one_document_with_start_and_end_markers_is_fine() -> None:
    assert parse_source(b"---\nquotes: []\n...\n", PATH).data == {"quotes": []}


def test_a_byte_order_mark_is_ignored() -> None:
    parsed = parse_source(b"\xef\xbb\xbfquotes: []\n", PATH)
    assert parsed.data == {"quotes": []}
    assert str(parsed.position(("quotes",))) == f"{PATH}:1:9"


@pytest.mark.parametrize("raw", [b"- quotes\n", b"quotes\n"])
def test_a_file_that_is_not_a_mapping(raw: bytes) -> None:
    assert reported(raw) == [
        f"{PATH}:1:1: a findings file must be a mapping of sections (such as 'quotes:')\n"
        "    hint: start the file with a top-level key, for example 'quotes:'"
    ]


def test_tab_that_violates_indentation_is_a_syntax_error_with_hint() -> None:
    raw = b"quotes:\n  - id: q-a\n\t  text: x\n"
    assert reported(raw) == [
        f"{PATH}:3:1: YAML syntax error: while scanning a plain scalar: "
        "found a tab character that violates indentation\n"
        "    hint: indent with spaces, not tabs"
    ]


def test_tab_at_the_start_of_a_line_is_a_syntax_error_at_the_tab() -> None:
    [problem] = problems_of(b"quotes:\n\t- id: q-a\n")
    assert str(problem.position) == f"{PATH}:2:1"
    assert problem.message == (
        "YAML syntax error: while scanning for the next token: "
        "found character that cannot start any token"
    )


def test_tab_at_the_start_of_a_line_gets_the_hint() -> None:
    [problem] = problems_of(b"quotes:\n\t- id: q-a\n")
    assert problem.hint == "indent with spaces, not tabs"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0b", "\x1b", "\x7f", "\x9f"])
@pytest.mark.parametrize(("template", "column"), [('text: "a{}b"', 9), ("text: a{}b", 8)])
def test_control_character_is_an_error_at_its_position(
    char: str, template: str, column: int
) -> None:
    raw = ("quotes:\n  - id: q-a\n    " + template.format(char) + "\n").encode()
    [problem] = problems_of(raw)
    assert str(problem.position) == f"{PATH}:3:{column + 4}"
    assert problem.message.endswith("is not allowed in YAML")
    assert f"    {CONTROL_HINT}" in str(problem)


def test_control_character_is_named() -> None:
    [problem] = problems_of(b'text: "a\x07b"\n')
    assert problem.message == "character U+0007 is not allowed in YAML"


def test_control_character_position_after_non_ascii_text() -> None:
    raw = 'a: "“Kami” — “kita” — “mereka”"\nb: x\nc: "z\x07"\n'.encode()
    [problem] = problems_of(raw)
    assert str(problem.position) == f"{PATH}:3:6"


def test_next_line_character_is_not_silently_a_space() -> None:
    raw = 'quotes:\n  - id: q-a\n    text: "kami\x85percaya"\n'.encode()
    [problem] = problems_of(raw)
    assert str(problem.position) == f"{PATH}:3:16"
    assert "not allowed" in problem.message


# ------------------------------------------------------------------ schema problems

QUOTE = textwrap.dedent(
    """
    quotes:
      - id: q-trust-kabid
        indicator: trust
        informant: kabid
        date: "2019-06-12"
        text: "kami percaya"
        interpretation: {gap: not-in-source}
    """
).lstrip("\n")


def test_valid_quote_has_no_schema_problems() -> None:
    assert schema_problems(QUOTE) == []


def test_misspelt_field_is_named_at_its_key_with_a_suggestion() -> None:
    text = QUOTE.replace("interpretation:", "interpretaton:")
    assert schema_problems(text) == [
        f"{PATH}:2:5: missing field 'interpretation'",
        f"{PATH}:7:5: unknown field 'interpretaton'\n    hint: did you mean 'interpretation'?",
    ]


def test_two_misspelt_fields_in_one_mapping_are_both_reported() -> None:
    text = QUOTE.replace("text:", "txt:").replace("interpretation:", "interpretaton:")
    problems = schema_problems(text)
    assert f"{PATH}:6:5: unknown field 'txt'\n    hint: did you mean 'text'?" in problems
    assert (
        f"{PATH}:7:5: unknown field 'interpretaton'\n    hint: did you mean 'interpretation'?"
        in problems
    )


def test_unknown_field_without_a_close_match_lists_the_known_ones() -> None:
    assert schema_problems("on: x\n") == [
        f"{PATH}:1:1: unknown field 'on'\n"
        "    hint: known fields: chapters, conclusions, corrections, figures, framework, "
        "groups, indicators, informants, languages, quotes, recommendations, references, "
        "reporting, study"
    ]


def test_missing_required_field_points_at_the_item() -> None:
    text = QUOTE.replace('    date: "2019-06-12"\n', "")
    assert schema_problems(text) == [f"{PATH}:2:5: missing field 'date'"]


RECOMMENDATION = textwrap.dedent(
    """
    recommendations:
      - id: more-practice
        text: {id: Perbanyak praktik., en: More practice.}
        rests_on: {linked_by: editors, indicators: [trust]}
    """
)


def test_wrong_enum_value_suggests_the_closest() -> None:
    text = RECOMMENDATION.replace("linked_by: editors", "linked_by: editor")
    assert schema_problems(text) == [
        f"{PATH}:4:27: 'linked_by' is 'editor'; expected one of: paper, editors\n"
        "    hint: did you mean 'editors'?"
    ]


def test_wrong_gap_kind_suggests_the_closest() -> None:
    text = QUOTE.replace('text: "kami percaya"', "text: {gap: cutoff}")
    assert schema_problems(text) == [
        f"{PATH}:6:17: 'gap' is 'cutoff'; expected one of: not-stated, cut-off, not-in-source\n"
        "    hint: did you mean 'cut-off'?"
    ]


def test_bad_id_pattern() -> None:
    text = INFORMANT.replace("CODE", "Kabid").replace("id: kabid", "id: Kabid_UKM")
    assert schema_problems(text) == [
        f"{PATH}:2:9: 'id' is 'Kabid_UKM', which is not in the expected form\n"
        "    hint: use lowercase letters, digits and single hyphens, for example 'trust-building'"
    ]


def test_bad_quote_id_pattern() -> None:
    text = QUOTE.replace("id: q-trust-kabid", "id: q trust/kabid")
    assert schema_problems(text) == [
        f"{PATH}:2:9: 'id' is 'q trust/kabid', which is not in the expected form\n"
        "    hint: use letters, digits and single '-', '_' or '.' between them, for example "
        "'NO-1', 'p3.12' or 'q-trust-lsm'"
    ]


@pytest.mark.parametrize("date", ["12-06-2019", "2019-6-12", "20190612", "2019/06/12"])
def test_bad_date_pattern(date: str) -> None:
    text = QUOTE.replace('date: "2019-06-12"', f"date: {date}")
    assert schema_problems(text) == [
        f"{PATH}:5:11: 'date' is '{date}', which is not in the expected form\n"
        "    hint: write dates as YYYY-MM-DD, for example '2019-06-12'"
    ]


def test_bad_interview_date_in_a_list() -> None:
    text = INFORMANT.replace("CODE", "Kabid").replace('["2019-06-12"]', '["2019-06-12", 2019-6-1]')
    assert schema_problems(text) == [
        f"{PATH}:6:32: value is '2019-6-1', which is not in the expected form\n"
        "    hint: write dates as YYYY-MM-DD, for example '2019-06-12'"
    ]


def test_a_list_where_a_mapping_is_expected() -> None:
    text = INFORMANT.replace("CODE", "Kabid").replace(
        "role: {id: Kepala Bidang, en: Head of Division}", "role: [Kepala Bidang]"
    )
    assert schema_problems(text) == [
        f"{PATH}:4:11: 'role' should be a mapping (key: value lines), not a list"
    ]


# ------------------------------------------------------------------ a whole run


def test_all_problems_of_a_run_are_reported_together_sorted() -> None:
    with pytest.raises(FindingsError) as caught:
        load_findings(FIXTURES / "invalid" / "two-files")
    problems = caught.value.problems
    assert [str(p) for p in problems] == [
        "two-files/informants.yaml:5:5: missing field 'interviews'",
        "two-files/informants.yaml:9:5: unknown field 'interviws'\n"
        "    hint: did you mean 'interviews'?",
        "two-files/quotes.yaml:10:5: duplicate key 'text'\n"
        "    hint: 'text' is already set at line 9; keep only one",
    ]
    assert [p.position for p in problems] == sorted(p.position for p in problems)
    assert str(caught.value) == "\n".join(str(p) for p in problems)


def test_missing_folder_and_folder_without_findings(tmp_path: Path) -> None:
    with pytest.raises(FindingsError) as missing:
        load_findings(tmp_path / "nowhere")
    assert str(missing.value) == f"{tmp_path / 'nowhere'}: findings folder not found"
    with pytest.raises(FindingsError) as bare:
        load_findings(tmp_path)
    assert str(bare.value) == (
        f"{tmp_path}: no findings files (*.yaml) in this folder\n"
        "    hint: see the format guide (docs/en/format.md) for what a study holds"
    )


# ------------------------------------------------------------------ any text survives
#
# What YAML cannot carry: lone surrogates (U+D800..U+DFFF) are not encodable in UTF-8, so
# no file can hold them; they are excluded.  Everything else can be written in a
# double-quoted scalar, with escapes (\a, \x85, \U0001F600 ...) for what YAML does not
# allow raw.  An empty text is excluded: the schema requires at least one character
# (tested above as "should be text, not nothing").

QUOTE_LINE = '    text: "kami bertanya dengan pelatih"\n'
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
FORBIDDEN_AFTER_LOADING = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def quote_text_after_loading(yaml_text: str) -> object:
    """Load the mini study with the quote 'q-dialogue-ss' as given; return the model's text."""
    original = MINI.read_text(encoding="utf-8")
    assert original.count(QUOTE_LINE) == 1
    parsed = parse_source(original.replace(QUOTE_LINE, yaml_text).encode("utf-8"), PATH)
    assert check_structure(parsed) == []
    [quote] = [q for q in build_model([parsed]).quotes if q.id == "q-dialogue-ss"]
    return quote.text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ANY_CHARACTER, min_size=1, max_size=300))
@example("no")
@example("~")
@example("  leading and trailing spaces  ")
@example("line one\nline two\r\n\n")
@example("\ufeff\u2028\u2029\x85\x00\x07\t")
@example("a " * 60)  # long enough for the emitter to fold the line
def test_any_text_survives_a_double_quoted_dump(text: str) -> None:
    """Any text comes back exactly, except the characters no findings value may hold
    (controls, bidi overrides): those are refused where their escape stands."""
    dumped = yaml.safe_dump({"text": text}, default_style='"', allow_unicode=True, width=60)
    forbidden = [c for c in text if c not in "\t\n\r" and FORBIDDEN_AFTER_LOADING.match(c)]
    if not forbidden:
        assert quote_text_after_loading(textwrap.indent(dumped, "    ")) == text
        return
    with pytest.raises(FindingsError) as raised:
        quote_text_after_loading(textwrap.indent(dumped, "    "))
    line = MINI.read_text(encoding="utf-8").split(QUOTE_LINE)[0].count("\n") + 1
    problems = raised.value.problems
    assert problems and all(line <= p.position.line and p.position.column > 0 for p in problems)
    assert f"U+{ord(forbidden[0]):04X}" in problems[0].message


def _printable_in_yaml(char: str) -> bool:
    """What YAML allows raw in a file (tab and printable characters; no line breaks)."""
    code = ord(char)
    return char == "\t" or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or code >= 0xE000


# Left out: U+FFFE and U+FFFF (not allowed raw), and what YAML reads as a line break even
# between quotes (U+2028, U+2029; U+0085 is below 0xA0): a line break inside a quoted
# scalar is folded into a space, by design.
RAW_CHARACTER = ANY_CHARACTER.filter(_printable_in_yaml).filter(
    lambda c: c not in "\u2028\u2029\ufffe\uffff"
)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=RAW_CHARACTER, min_size=1, max_size=300))
@example("“Kami” — kata beliau, ‘ya’ \U0001f600 \u200b\u200d\ufeff")
@example("\t tab and spaces \t")
def test_any_printable_text_written_raw_in_double_quotes_survives(text: str) -> None:
    """What an editor pastes between double quotes, escaping only '\\' and '"'."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    assert quote_text_after_loading(f'    text: "{escaped}"\n') == text


def test_text_cut_off_by_a_comment_is_a_warning() -> None:
    parsed = parse_source(b"quotes:\n  - id: q-a\n    code: Peserta #4\n", PATH)
    assert parsed.data["quotes"][0]["code"] == "Peserta"
    assert [str(w) for w in parsed.warnings] == [
        f"{PATH}:3:19: warning: '#4' is a YAML comment, not part of the value 'Peserta'\n"
        "    hint: if it belongs to the value, put the whole value in quotes"
    ]


def test_a_quoted_value_with_a_comment_after_it_is_fine() -> None:
    assert parse_source(b'year: "2019"  # from the paper\n', PATH).warnings == ()


def test_a_value_starting_with_a_bracket_gets_the_quoting_hint() -> None:
    [problem] = problems_of(b"quotes:\n  - id: q-a\n    text: [a] b\n")
    assert (
        problem.hint
        == "a value starting with [ or { is read as a list or mapping; put it in quotes"
    )


def test_a_quote_text_written_per_language_says_so_once() -> None:
    text = QUOTE.replace(
        '    text: "kami percaya"',
        '    text: {id: "kami percaya", en: "we trust"}',
    )
    assert text != QUOTE
    [problem] = schema_problems(text)
    assert problem.startswith(
        f"{PATH}:6:11: 'text' takes one text, not one per language (id, en)\n"
        "    hint: a quote's 'text' is the informant's words in the source language only"
    )


def test_a_comma_inside_a_one_line_mapping_is_explained() -> None:
    text = "study:\n  title: {id: Tiga Bahasa, Satu Pasar, en: Three Languages}\n"
    assert schema_problems(text) == [
        f"{PATH}:2:28: 'Satu Pasar' is read as a language code: a ',' inside {{...}} starts a "
        "new entry\n"
        '    hint: put the text in quotes, e.g. {en: "Three Languages, One Market"}'
    ]
