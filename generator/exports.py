"""Open data: the findings as downloads, written at build time and published with the site.

- CSV (RFC 4180: comma, double-quote escaping, CRLF line ends; UTF-8): quotes, informants,
  indicators, conclusions, recommendations.  Texts get one column per language
  (`text_en`); a field the source does not give is empty, with its gap kind in `<field>_gap`.
- One JSON document holding the same, valid against a published JSON Schema
  (schema/export.schema.json, copied beside it).
- REFI-QDA (the exchange standard of ATLAS.ti, MAXQDA, NVivo, QualCoder...): a codebook
  (`.qdc`) with the indicators as codes, and a project (`.qdpx`: a zip of `project.qde` and
  `sources/`) holding each quote as a text source, coded by its indicator, with each named
  informant as a case.  Names and descriptions are in the page's language; quote texts
  are verbatim, in the source language.

Everything is deterministic (GUIDs derived from the study's title and the ids; fixed zip
timestamps), so rebuilding unchanged findings rewrites nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from generator.model import Findings, Gap, Localized, Quote, Ref, TranslationStatement

SCHEMA = Path(__file__).parent / "schema" / "export.schema.json"
DATA_FOLDER = "data"
# The file names under each language's data/ folder, in the order the Data page lists them.
CSV_FILES = ("quotes", "informants", "indicators", "conclusions", "recommendations", "corrections")
JSON_FILE = "findings.json"
SCHEMA_FILE = "findings-export.schema.json"
CODEBOOK_FILE = "codebook.qdc"
PROJECT_FILE = "project.qdpx"
QDC_NS = "urn:QDA-XML:codebook:1.0"
QDE_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "findings site generator"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# What each download is, for the Data page's schema.org Dataset (generator/linked_data.py).
MEDIA_TYPES = {
    SCHEMA_FILE: "application/schema+json",
    ".csv": "text/csv",
    ".json": "application/json",
    ".qdc": "application/xml",  # REFI-QDA codebook: an XML document
    ".qdpx": "application/zip",  # REFI-QDA project: a zip of project.qde and sources/
}


def download_paths() -> list[str]:
    """The path of every download under a language's docs folder, in the Data page's order
    (the keys of `export_files`)."""
    names = [f"{name}.csv" for name in CSV_FILES]
    names += [JSON_FILE, SCHEMA_FILE, CODEBOOK_FILE, PROJECT_FILE]
    return [f"{DATA_FOLDER}/{name}" for name in names]


def media_type(path: str) -> str:
    """The media type of a download, by its name."""
    name = path.rsplit("/", 1)[-1]
    if name in MEDIA_TYPES:
        return MEDIA_TYPES[name]
    return MEDIA_TYPES["." + name.rsplit(".", 1)[-1]]


def export_files(
    findings: Findings, language: str, shared: Mapping[str, str] | None = None
) -> dict[str, str | bytes]:
    """Every download of one language's site, keyed by path under its docs folder.

    `shared` are the downloads every language publishes alike (`shared_exports`), when
    the caller made them once for all languages.
    """
    files: dict[str, str | bytes] = dict(shared if shared is not None else shared_exports(findings))
    files[f"{DATA_FOLDER}/{CODEBOOK_FILE}"] = codebook(findings, language)
    files[f"{DATA_FOLDER}/{PROJECT_FILE}"] = project(findings, language)
    return files


def shared_exports(findings: Findings) -> dict[str, str]:
    """The downloads that are the same in every language: CSV, JSON and its schema."""
    files = {
        f"{DATA_FOLDER}/{name}.csv": to_csv(header, rows)
        for name, (header, rows) in tables(findings).items()
    }
    files[f"{DATA_FOLDER}/{JSON_FILE}"] = (
        json.dumps(as_json(findings), ensure_ascii=False, indent=1) + "\n"
    )
    files[f"{DATA_FOLDER}/{SCHEMA_FILE}"] = SCHEMA.read_text(encoding="utf-8")
    return files


# --- CSV ------------------------------------------------------------------------------------


def to_csv(header: list[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _codes(findings: Findings) -> list[str]:
    return [language.code for language in findings.languages]


def _texts(
    prefix: str, text: Localized | Gap | None, codes: list[str], with_gap: bool = True
) -> dict[str, str]:
    """`{prefix}_{code}` for each language, plus `{prefix}_gap` for a field that may be a gap."""
    values = {f"{prefix}_{code}": "" for code in codes}
    if isinstance(text, Localized):
        values.update({f"{prefix}_{code}": text.values.get(code, "") for code in codes})
    if with_gap:
        values[f"{prefix}_gap"] = text.kind if isinstance(text, Gap) else ""
    return values


def _plain(value: str | Gap | Ref | datetime.date | None) -> tuple[str, str]:
    """(value, gap kind) of a field that may be a gap."""
    if isinstance(value, Gap):
        return "", value.kind
    if isinstance(value, Ref):
        return value.id, ""
    if isinstance(value, datetime.date):
        return value.isoformat(), ""
    return value or "", ""


def tables(findings: Findings) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    """Each CSV file as (header, rows)."""
    codes = _codes(findings)
    translations = [c for c in codes if c != findings.source_language.code]

    def header(rows: list[dict[str, str]], fixed: list[str]) -> list[str]:
        return list(rows[0]) if rows else fixed

    quotes = []
    for q in findings.quotes:
        informant, informant_gap = _plain(q.informant)
        date, date_gap = _plain(q.date)
        text, text_gap = _plain(q.text)
        row = {
            "id": q.id,
            "indicator": q.indicator.id,
            "informant": informant,
            "informant_gap": informant_gap,
            "date": date,
            "date_gap": date_gap,
            "text": text,
            "text_gap": text_gap,
        }
        row.update(
            {
                f"translation_{c}": (q.translation.values.get(c, "") if q.translation else "")
                for c in translations
            }
        )
        row.update(_texts("interpretation", q.interpretation, codes))
        quotes.append(row)
    informants = []
    for i in findings.informants:
        initials, initials_gap = _plain(i.initials)
        row = {"id": i.id, "code": i.code, "group": i.group}
        row.update(_texts("role", i.role, codes, with_gap=False))
        row.update(
            {
                "initials": initials,
                "initials_gap": initials_gap,
                "interviews": " ".join(d.isoformat() for d in i.interviews),
            }
        )
        informants.append(row)
    indicators = []
    for ind in findings.indicators:
        row = {"id": ind.id}
        row.update(_texts("name", ind.name, codes, with_gap=False))
        row.update(_texts("definition", ind.definition, codes, with_gap=False))
        indicators.append(row)
    conclusions = []
    for c in findings.conclusions:
        row = {"indicator": c.indicator.id}
        row.update(_texts("text", c.text, codes, with_gap=False))
        conclusions.append(row)
    recommendations = []
    for rec in findings.recommendations:
        row = {"id": rec.id}
        row.update(_texts("text", rec.text, codes, with_gap=False))
        row.update(
            {
                "indicators": " ".join(r.id for r in rec.indicators),
                "quotes": " ".join(r.id for r in rec.quotes),
                "linked_by": rec.linked_by or "",
            }
        )
        row.update(_texts("note", rec.note, codes, with_gap=False))
        recommendations.append(row)
    corrections = []
    for correction in findings.corrections:
        row = {"id": correction.id, "date": correction.date.isoformat()}
        row.update(_texts("what", correction.what, codes, with_gap=False))
        row.update(_texts("why", correction.why, codes, with_gap=False))
        row["where"] = " ".join(f"{t.kind}:{t.ref.id}" for t in correction.where)
        corrections.append(row)
    correction_columns = [
        "id",
        "date",
        *(f"{field}_{code}" for field in ("what", "why") for code in codes),
        "where",
    ]
    return {
        "quotes": (header(quotes, ["id"]), quotes),
        "informants": (header(informants, ["id"]), informants),
        "indicators": (header(indicators, ["id"]), indicators),
        "conclusions": (header(conclusions, ["indicator"]), conclusions),
        "recommendations": (header(recommendations, ["id"]), recommendations),
        "corrections": (correction_columns, corrections),
    }


# --- JSON -----------------------------------------------------------------------------------


def _json_text(text: Localized | Gap | None) -> Any:
    if text is None:
        return None
    if isinstance(text, Gap):
        return {"gap": text.kind}
    return dict(text.values)


def _json_value(value: str | bool | Gap | Ref | datetime.date | None) -> Any:
    if isinstance(value, Gap):
        return {"gap": value.kind}
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _json_statement(statement: TranslationStatement) -> dict[str, Any]:
    return {
        "translated_by": _json_text(statement.translated_by),
        "method": _json_text(statement.method),
        "date": _json_value(statement.date),
        "reviewed": _json_value(statement.reviewed),
        "reviewed_by": _json_text(statement.reviewed_by),
        "review": _json_text(statement.review),
        "review_date": _json_value(statement.review_date),
    }


def as_json(findings: Findings) -> dict[str, Any]:
    """The findings as one JSON document (see schema/export.schema.json)."""
    study = findings.study
    return {
        "$schema": SCHEMA_FILE,
        "languages": {
            "source": findings.source_language.code,
            "translations": [t.code for t in findings.translations],
            "statements": {
                t.code: _json_statement(t.statement)
                for t in findings.translations
                if t.statement is not None
            },
        },
        "study": {
            "title": dict(study.title.values),
            "year": _json_value(study.year),
            "keywords": [dict(k.values) for k in study.keywords],
        },
        "groups": [{"id": g.id, "name": dict(g.name.values)} for g in findings.groups],
        "indicators": [
            {"id": i.id, "name": dict(i.name.values), "definition": dict(i.definition.values)}
            for i in findings.indicators
        ],
        "informants": [
            {
                "id": i.id,
                "code": i.code,
                "group": i.group,
                "role": dict(i.role.values),
                "initials": _json_value(i.initials),
                "interviews": [d.isoformat() for d in i.interviews],
            }
            for i in findings.informants
        ],
        "quotes": [
            {
                "id": q.id,
                "indicator": q.indicator.id,
                "informant": _json_value(q.informant),
                "date": _json_value(q.date),
                "text": _json_value(q.text),
                "translation": _json_text(q.translation),
                "interpretation": _json_text(q.interpretation),
            }
            for q in findings.quotes
        ],
        "conclusions": [
            {"indicator": c.indicator.id, "text": dict(c.text.values)} for c in findings.conclusions
        ],
        "recommendations": [
            {
                "id": r.id,
                "text": dict(r.text.values),
                "indicators": [i.id for i in r.indicators],
                "quotes": [q.id for q in r.quotes],
                "linked_by": r.linked_by,
                "note": _json_text(r.note),
            }
            for r in findings.recommendations
        ],
        "corrections": [
            {
                "id": c.id,
                "date": c.date.isoformat(),
                "what": dict(c.what.values),
                "why": dict(c.why.values),
                "where": [{"kind": t.kind, "id": t.ref.id} for t in c.where],
            }
            for c in findings.corrections
        ],
    }


# --- REFI-QDA -------------------------------------------------------------------------------


def guid(findings: Findings, kind: str, item: str) -> str:
    """A stable GUID for one thing of the study (the same in every build)."""
    title = findings.study.title.values[findings.source_language.code]
    return _uuid5(f"findings:{title}/{kind}/{item}")


# Every language's project names the same things: four GUIDs a quote, made once.
@lru_cache(maxsize=1 << 18)
def _uuid5(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _in(text: Localized, language: str, source: str) -> str:
    return text.values.get(language) or text.values[source]


def _codes_element(parent: ET.Element, ns: str, findings: Findings, language: str) -> None:
    source = findings.source_language.code
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    for indicator in findings.indicators:
        code = ET.SubElement(
            codes,
            f"{{{ns}}}Code",
            {
                "guid": guid(findings, "indicator", indicator.id),
                "name": _in(indicator.name, language, source),
                "isCodable": "true",
            },
        )
        description = ET.SubElement(code, f"{{{ns}}}Description")
        description.text = _in(indicator.definition, language, source)


def _xml(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def codebook(findings: Findings, language: str) -> bytes:
    """A REFI-QDA codebook (.qdc): the indicators as codes, named in `language`."""
    root = ET.Element(f"{{{QDC_NS}}}CodeBook", {"origin": ORIGIN})
    _codes_element(root, QDC_NS, findings, language)
    return _xml(root, QDC_NS)


def quote_source_name(quote: Quote, codes: Mapping[str, str]) -> str:
    """How a quote's text source is named in the project: informant code, date, quote id."""
    who = codes[quote.informant.id] if isinstance(quote.informant, Ref) else "?"
    when = quote.date.isoformat() if isinstance(quote.date, datetime.date) else "?"
    return f"{who} {when} {quote.id}"


def project(findings: Findings, language: str) -> bytes:
    """A REFI-QDA project (.qdpx): each quote with a text a text source, coded by its
    indicator; each named informant a case holding their quotes."""
    ns = QDE_NS
    source = findings.source_language.code
    title = _in(findings.study.title, language, source)
    root = ET.Element(f"{{{ns}}}Project", {"name": title, "origin": ORIGIN})
    book = ET.SubElement(root, f"{{{ns}}}CodeBook")
    _codes_element(book, ns, findings, language)
    codes = {i.id: i.code for i in findings.informants}
    quoted = [q for q in findings.quotes if isinstance(q.text, str)]
    by_informant: dict[str, list[Quote]] = {}
    for quote in quoted:
        if isinstance(quote.informant, Ref):
            by_informant.setdefault(quote.informant.id, []).append(quote)
    cases = ET.SubElement(root, f"{{{ns}}}Cases")
    for informant in findings.informants:
        case = ET.SubElement(
            cases,
            f"{{{ns}}}Case",
            {"guid": guid(findings, "informant", informant.id), "name": informant.code},
        )
        ET.SubElement(case, f"{{{ns}}}Description").text = _in(informant.role, language, source)
        for quote in by_informant.get(informant.id, []):
            ET.SubElement(
                case, f"{{{ns}}}SourceRef", {"targetGUID": guid(findings, "quote", quote.id)}
            )
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    texts: dict[str, str] = {}
    for quote in quoted:
        assert isinstance(quote.text, str)
        source_guid = guid(findings, "quote", quote.id)
        texts[source_guid] = quote.text
        element = ET.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            {
                "guid": source_guid,
                "name": quote_source_name(quote, codes),
                "plainTextPath": f"internal://{source_guid}.txt",
            },
        )
        if quote.translation and language in quote.translation.values:
            ET.SubElement(element, f"{{{ns}}}Description").text = quote.translation.values[language]
        selection = ET.SubElement(
            element,
            f"{{{ns}}}PlainTextSelection",
            {
                "guid": guid(findings, "selection", quote.id),
                "name": quote.id,
                "startPosition": "0",
                "endPosition": str(len(quote.text)),
            },
        )
        if isinstance(quote.interpretation, Localized):
            ET.SubElement(selection, f"{{{ns}}}Description").text = _in(
                quote.interpretation, language, source
            )
        coding = ET.SubElement(
            selection, f"{{{ns}}}Coding", {"guid": guid(findings, "coding", quote.id)}
        )
        ET.SubElement(
            coding,
            f"{{{ns}}}CodeRef",
            {"targetGUID": guid(findings, "indicator", quote.indicator.id)},
        )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        # Compressed (a ZipInfo is stored unless told), quickly: level 1 makes it 30 % of
        # its size at a quarter of the default level's time, which makes it 27 %.
        bundle.writestr(
            zipfile.ZipInfo("project.qde", _ZIP_TIME),
            _xml(root, ns),
            compress_type=zipfile.ZIP_DEFLATED,
            compresslevel=1,
        )
        for source_guid, text in texts.items():
            info = zipfile.ZipInfo(f"sources/{source_guid}.txt", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, text.encode("utf-8"))
    return archive.getvalue()
