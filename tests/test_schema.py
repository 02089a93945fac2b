"""Tests for generator/schema/findings.schema.json, used directly with jsonschema.

The schema is what editors' YAML plugins check against while typing, so it must be valid
Draft 2020-12, every findings file must point at it, and every real file must pass it.
Files are read with the project's loader first: every scalar stays a string, as the
schema expects (a plain `2019` would be an int to a standard YAML loader).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.load import SCHEMA_PATH, find_findings_files, parse_source
from tests.conftest import FIXTURES, ROOT

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
FINDINGS_FILES = [*find_findings_files(ROOT / "findings"), *find_findings_files(FIXTURES / "mini")]
SCHEMA_LINE = "# yaml-language-server: $schema="


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_findings_files_to_check() -> None:
    names = [_name(p) for p in FINDINGS_FILES]
    assert "findings/quotes.yaml" in names
    assert "tests/fixtures/mini/study.yaml" in names


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_every_ref_resolves_and_every_definition_is_used() -> None:
    refs = set(_refs(SCHEMA))
    defined = {f"#/$defs/{name}" for name in SCHEMA["$defs"]}
    assert refs - defined == set(), "references to missing definitions"
    assert defined - refs == set(), "definitions nothing uses"


@pytest.mark.parametrize("path", FINDINGS_FILES, ids=_name)
def test_findings_file_passes_the_schema(path: Path) -> None:
    data = parse_source(path.read_bytes(), _name(path)).data
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(SCHEMA).iter_errors(data)
    ]
    assert errors == []


@pytest.mark.parametrize("path", FINDINGS_FILES, ids=_name)
def test_findings_file_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE)
    target = path.parent / first.removeprefix(SCHEMA_LINE).strip()
    assert target.is_file(), f"{first!r} does not lead to a file"
    assert target.resolve() == SCHEMA_PATH.resolve()


def test_schema_rejects_what_the_loader_keeps_as_text() -> None:
    """The schema is not vacuous: a misspelt field and an unquoted-looking year still fail."""
    data = parse_source(b'references:\n  - {id: a, authors: [A], year: "08", titel: T}\n', "x")
    messages = sorted(e.message for e in Draft202012Validator(SCHEMA).iter_errors(data.data))
    assert messages == [
        "'08' does not match '^[0-9]{4}[a-z]?$'",
        "'title' is a required property",
        "Additional properties are not allowed ('titel' was unexpected)",
    ]


# Fields whose meaning a new editor could not guess from the name alone.  Each needs a
# `description` (on the property, or on the definition it refers to), which the editor's
# YAML plugin shows on hover.
NOT_OBVIOUS = [
    "gap.gap",
    "languages.source",
    "framework.reference",
    "indicator.definition",
    "informant.code",
    "informant.initials",
    "informant.interviews",
    "quote.id",
    "quote.text",
    "quote.translation",
    "quote.interpretation",
    "block.text",
    "block.include",
    "section.indicator",
    "section.page",
    "figure.description",
    "figure.source_note",
    "recommendation.rests_on",
    "reference.authors",
    "reference.container",
]


def _description(definition: str, field: str) -> str:
    prop: dict[str, Any] = SCHEMA["$defs"][definition]["properties"][field]
    if "description" in prop:
        return str(prop["description"])
    ref = prop.get("$ref", "")
    target: dict[str, Any] = SCHEMA["$defs"].get(ref.removeprefix("#/$defs/"), {}) if ref else {}
    return str(target.get("description", ""))


@pytest.mark.parametrize("name", NOT_OBVIOUS)
def test_field_that_is_not_obvious_has_a_description(name: str) -> None:
    definition, field = name.split(".")
    assert _description(definition, field).strip() != ""


# Each a change to a valid study that the schema must refuse, one per kind of rule.
_BROKEN: list[tuple[str, Any]] = [
    ("pattern", lambda d: d["quotes"][0].update(date="2019-6-12")),
    ("enum", lambda d: d["recommendations"][0]["rests_on"].update(linked_by="authors")),
    ("type", lambda d: d["quotes"][0].update(text=True)),
    ("required", lambda d: d["quotes"][0].pop("indicator")),
    ("additionalProperties", lambda d: d["quotes"][0].update(colour="red")),
    ("minLength", lambda d: d["indicators"][0]["name"].update(en="")),
    ("minItems", lambda d: d["languages"].update(translations=[])),
    ("minProperties", lambda d: d["quotes"][0].update(translation={})),
    ("maxProperties", lambda d: d["chapters"][0]["sections"][0]["body"][0].update(quote="q-x")),
    ("propertyNames", lambda d: d["quotes"][0]["translation"].update(English="x")),
    ("if/then", lambda d: d["quotes"][0].update(interpretation={"gap": "lost"})),
    ("if/else", lambda d: d["quotes"][0].update(date={"note": {"en": "x"}})),
    ("items", lambda d: d["references"][0].update(authors=["Ansell", 3])),
]


@pytest.mark.parametrize(("rule", "change"), _BROKEN, ids=[rule for rule, _ in _BROKEN])
def test_compiled_fast_path_refuses_what_jsonschema_refuses(rule: str, change: Any) -> None:
    """The loader's compiled validator (fast path) agrees with jsonschema on every rule kind:
    a file it lets through would never get its errors reported."""
    from generator.load import _compiled_validator, check_structure

    source = parse_source((FIXTURES / "mini" / "study.yaml").read_bytes(), "study.yaml")
    assert check_structure(source) == []
    change(source.data)
    assert list(Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).iter_errors(source.data))
    with pytest.raises(Exception, match=r"must|data"):
        _compiled_validator()(source.data)
    assert check_structure(source), f"{rule}: the loader reports nothing"
