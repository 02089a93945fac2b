"""Open data read back by independent readers and compared with the findings field by field:
CSV (the csv module), JSON (jsonschema against the published schema), REFI-QDA codebook and
project (pyrefiqda, whose models are generated from the standard's XSD), in both languages,
for the real study and the second fixture study."""

from __future__ import annotations

import csv
import datetime
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from pyrefiqda import RefiCodebook, RefiProject  # type: ignore[import-untyped]

from generator.model import Findings, Gap, Localized, Ref
from tests.conftest import findings_of

pytestmark = pytest.mark.slow
PREFIX = {"id": "", "en": "en/"}


@pytest.fixture
def study(study_built: tuple[str, Path]) -> tuple[Findings, Path]:
    name, site = study_built
    return findings_of(name), site


def data(site: Path, lang: str) -> Path:
    return (site / PREFIX[lang] if PREFIX[lang] else site) / "data"


def value(field: object) -> str:
    if isinstance(field, Gap):
        return ""
    if isinstance(field, Ref):
        return field.id
    if isinstance(field, datetime.date):
        return field.isoformat()
    return str(field or "")


def gap(field: object) -> str:
    return field.kind if isinstance(field, Gap) else ""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_files_round_trip(study: tuple[Findings, Path], lang: str) -> None:
    findings, site = study
    codes = [language.code for language in findings.languages]
    folder = data(site, lang)
    raw = (folder / "quotes.csv").read_bytes()
    assert raw.decode("utf-8") and b"\r\n" in raw  # UTF-8, CRLF line ends (RFC 4180)
    with (folder / "quotes.csv").open(encoding="utf-8", newline="") as handle:
        quotes = list(csv.DictReader(handle))
    assert [row["id"] for row in quotes] == [q.id for q in findings.quotes]
    for row, q in zip(quotes, findings.quotes, strict=True):
        assert row["indicator"] == q.indicator.id
        assert (row["informant"], row["informant_gap"]) == (value(q.informant), gap(q.informant))
        assert (row["date"], row["date_gap"]) == (value(q.date), gap(q.date))
        assert (row["text"], row["text_gap"]) == (value(q.text), gap(q.text))
        for code in codes[1:]:
            expected = q.translation.values.get(code, "") if q.translation else ""
            assert row[f"translation_{code}"] == expected
        for code in codes:
            expected = (
                q.interpretation.values.get(code, "")
                if isinstance(q.interpretation, Localized)
                else ""
            )
            assert row[f"interpretation_{code}"] == expected
        assert row["interpretation_gap"] == gap(q.interpretation)
    with (folder / "informants.csv").open(encoding="utf-8", newline="") as handle:
        informants = list(csv.DictReader(handle))
    assert len(informants) == len(findings.informants)
    for row, i in zip(informants, findings.informants, strict=True):
        assert (row["id"], row["code"], row["group"]) == (i.id, i.code, i.group)
        assert row["interviews"].split() == [d.isoformat() for d in i.interviews]
        assert all(row[f"role_{c}"] == i.role.values.get(c, "") for c in codes)
    with (folder / "recommendations.csv").open(encoding="utf-8", newline="") as handle:
        recommendations = list(csv.DictReader(handle))
    for row, r in zip(recommendations, findings.recommendations, strict=True):
        assert row["quotes"].split() == [q.id for q in r.quotes]
        assert row["indicators"].split() == [i.id for i in r.indicators]
        assert row["linked_by"] == (r.linked_by or "")
        assert all(row[f"text_{c}"] == r.text.values.get(c, "") for c in codes)
    with (folder / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        indicators = list(csv.DictReader(handle))
    assert [(row["id"], row[f"name_{lang}"]) for row in indicators] == [
        (i.id, i.name.values.get(lang, "")) for i in findings.indicators
    ]
    with (folder / "conclusions.csv").open(encoding="utf-8", newline="") as handle:
        conclusions = list(csv.DictReader(handle))
    assert [(row["indicator"], row[f"text_{lang}"]) for row in conclusions] == [
        (c.indicator.id, c.text.values.get(lang, "")) for c in findings.conclusions
    ]
    with (folder / "corrections.csv").open(encoding="utf-8", newline="") as handle:
        corrections = list(csv.DictReader(handle))
    assert findings.corrections, "both studies record corrections"
    assert len(corrections) == len(findings.corrections)
    for row, c in zip(corrections, findings.corrections, strict=True):
        assert (row["id"], row["date"]) == (c.id, c.date.isoformat())
        assert all(row[f"what_{code}"] == c.what.values.get(code, "") for code in codes)
        assert all(row[f"why_{code}"] == c.why.values.get(code, "") for code in codes)
        assert row["where"].split() == [f"{t.kind}:{t.ref.id}" for t in c.where]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_json_is_valid_against_its_published_schema_and_round_trips(
    study: tuple[Findings, Path], lang: str
) -> None:
    findings, site = study
    folder = data(site, lang)
    document = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    schema = json.loads((folder / document["$schema"]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert [q["id"] for q in document["quotes"]] == [q.id for q in findings.quotes]
    for item, q in zip(document["quotes"], findings.quotes, strict=True):
        assert item["text"] == (q.text if isinstance(q.text, str) else {"gap": q.text.kind})
        assert item["informant"] == (
            q.informant.id if isinstance(q.informant, Ref) else {"gap": q.informant.kind}
        )
        assert item["translation"] == (dict(q.translation.values) if q.translation else None)
    for item, i in zip(document["informants"], findings.informants, strict=True):
        assert (item["id"], item["code"], item["group"]) == (i.id, i.code, i.group)
        assert item["role"] == dict(i.role.values)
    for item, r in zip(document["recommendations"], findings.recommendations, strict=True):
        assert item["quotes"] == [q.id for q in r.quotes]
        assert item["linked_by"] == r.linked_by
    assert [g["id"] for g in document["groups"]] == [g.id for g in findings.groups]
    assert findings.corrections, "both studies record corrections"
    for item, c in zip(document["corrections"], findings.corrections, strict=True):
        assert (item["id"], item["date"]) == (c.id, c.date.isoformat())
        assert (item["what"], item["why"]) == (dict(c.what.values), dict(c.why.values))
        assert item["where"] == [{"kind": t.kind, "id": t.ref.id} for t in c.where]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_refi_qda_codebook_holds_the_indicators_as_codes(
    study: tuple[Findings, Path], lang: str
) -> None:
    findings, site = study
    book = RefiCodebook.load(data(site, lang) / "codebook.qdc")
    codes = book.codes.code
    assert [c.name for c in codes] == [i.name.values[lang] for i in findings.indicators]
    assert [c.description for c in codes] == [
        i.definition.values[lang] for i in findings.indicators
    ]
    assert all(c.is_codable for c in codes)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_refi_qda_project_holds_each_quote_coded_by_its_indicator(
    study: tuple[Findings, Path], lang: str, tmp_path: Path
) -> None:
    findings, site = study
    path = data(site, lang) / "project.qdpx"
    project = RefiProject.load(path, extract_dir=str(tmp_path / "qdpx"))
    assert project.code_book is not None and project.sources is not None
    code_names = {c.guid: c.name for c in project.code_book.codes.code}
    indicator_names = {i.id: i.name.values[lang] for i in findings.indicators}
    quoted = [q for q in findings.quotes if isinstance(q.text, str)]
    sources = project.sources.text_source
    assert len(sources) == len(quoted)
    with zipfile.ZipFile(path) as bundle:
        # The project's XML is most of the download: compressed, it is a third of its size.
        main = bundle.getinfo("project.qde")
        assert main.compress_type == zipfile.ZIP_DEFLATED
        assert main.compress_size < main.file_size / 2
        for source, quote in zip(sources, quoted, strict=True):
            assert source.plain_text_path is not None
            name = source.plain_text_path.removeprefix("internal://")
            text = bundle.read(f"sources/{name}").decode("utf-8")
            assert text == quote.text  # verbatim
            (selection,) = source.plain_text_selection
            assert (selection.start_position, selection.end_position) == (0, len(text))
            (coding,) = selection.coding
            assert code_names[coding.code_ref.target_guid] == indicator_names[quote.indicator.id]
    assert project.cases is not None
    cases = {c.name: {s.target_guid for s in c.source_ref} for c in project.cases.case}
    by_guid = {s.guid: s for s in sources}
    for informant in findings.informants:
        theirs = [
            q.id for q in quoted if isinstance(q.informant, Ref) and q.informant.id == informant.id
        ]
        assert sorted(
            by_guid[g].plain_text_selection[0].name or "" for g in cases[informant.code]
        ) == sorted(theirs)
