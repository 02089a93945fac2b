"""schema.org JSON-LD (generator/linked_data.py), read back from the built HTML.

The home page of every language holds the study as a ScholarlyArticle in that language,
linked to the other versions; the Data page holds a Dataset whose every download is a file
the site really publishes.  What the findings leave as gaps (authors, year, venue) is absent.
Two studies: the real one (Indonesian source, no site address: relative addresses) and the
food co-op fixture (English source, authors and venue given, built for a published
address: absolute addresses).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest

from generator.build import Project, build, check
from generator.exports import download_paths, export_files
from generator.linked_data import script_json
from tests.conftest import FIXTURES, ROOT, project_for

COOP_URL = "https://example.org/coop/"


def linked_data(page: Path) -> list[Any]:
    """Every JSON-LD block of a built page, read as a browser's HTML parser reads it."""
    root = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return [
        json.loads(script.text or "")
        for script in root.iter("script")
        if script.get("type") == "application/ld+json"
    ]


def one(page: Path, kind: str) -> dict[str, Any]:
    blocks = linked_data(page)
    assert len(blocks) == 1, f"{page}: {len(blocks)} JSON-LD blocks"
    data: dict[str, Any] = blocks[0]
    assert data["@context"] == "https://schema.org" and data["@type"] == kind
    return data


@pytest.fixture(scope="module")
def coop_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("coop-ld")
    findings = tmp / "findings"
    shutil.copytree(FIXTURES / "foodcoop", findings)
    site = tmp / "site"
    build(project_for(findings, tmp), site, site_url=COOP_URL)
    return site


# --- the escaping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>window.__pwned=1</script>",
        "<!--<script>",
        "a & b &amp; <b> ]]> \u2028\u2029 \u202e",
        '"}]}, "x": "</SCRIPT >',
    ],
)
def test_text_in_the_json_cannot_end_the_script_element(text: str) -> None:
    written = script_json({"name": text, "list": [text]})
    assert not re.search(r"[<>&\u2028\u2029\u202e]", written)
    assert json.loads(written) == {"name": text, "list": [text]}


# --- the real study: relative addresses -----------------------------------------------------


def page_address(site: Path, page: Path, base: str = "https://site.invalid/") -> str:
    """The address a page is served at (a made-up host when the site has none)."""
    return urljoin(base, page.relative_to(site).as_posix())


def local_file(site: Path, address: str, base: str = "https://site.invalid/") -> Path | None:
    """The file of the site that `address` names, or None if it is outside the site."""
    if not address.startswith(base):
        return None
    return site / urlsplit(address).path.removeprefix(urlsplit(base).path)


def check_study(site: Path, source: str, translations: list[str], base: str) -> None:
    """Articles of every language linked both ways; the Dataset's downloads all exist."""
    homes = {
        code: site / (f"{code}/" if code != source else "") / "index.html"
        for code in [
            source,
            *translations,
        ]
    }
    articles = {code: one(page, "ScholarlyArticle") for code, page in homes.items()}
    ids = {
        code: urljoin(page_address(site, homes[code], base), data["@id"])
        for code, data in articles.items()
    }
    for code, data in articles.items():
        here = page_address(site, homes[code], base)
        assert data["inLanguage"] == code
        assert urljoin(here, data["url"]) == here
        assert data["name"] and data["keywords"], "title and keywords in every language"
        assert all(isinstance(k, str) and k for k in data["keywords"])
        terms = [t for t in data["about"] if t["@type"] == "DefinedTerm"]
        assert terms and all(t["name"] for t in terms), "the indicators are what it is about"
        if code == source:
            assert "translationOfWork" not in data
            linked = {urljoin(here, t["@id"]): t["inLanguage"] for t in data["workTranslation"]}
            assert linked == {ids[t]: t for t in translations}
        else:
            assert "workTranslation" not in data
            original = data["translationOfWork"]
            assert urljoin(here, original["@id"]) == ids[source]
            assert original["inLanguage"] == source
            assert urljoin(here, original["url"]) == page_address(site, homes[source], base)
    for code in [source, *translations]:
        data_page = homes[code].with_name("open-data.html")
        here = page_address(site, data_page, base)
        dataset = one(data_page, "Dataset")
        assert urljoin(here, dataset["isBasedOn"]["@id"]) == ids[code]
        assert set(dataset["inLanguage"]) == {source, *translations}
        downloads = dataset["distribution"]
        assert [d["name"] for d in downloads] == [p.rsplit("/", 1)[-1] for p in download_paths()]
        for download in downloads:
            assert download["@type"] == "DataDownload"
            file = local_file(site, urljoin(here, download["contentUrl"]), base)
            assert file is not None and file.is_file(), f"{download['contentUrl']} not published"
            assert file.parent.parent == data_page.parent, "a download of this language"
            assert download["encodingFormat"] in {
                "text/csv",
                "application/json",
                "application/schema+json",
                "application/xml",
                "application/zip",
            }
        formats = {d["name"]: d["encodingFormat"] for d in downloads}
        assert formats["quotes.csv"] == "text/csv"
        assert formats["findings-export.schema.json"] == "application/schema+json"
        schema = next(d for d in downloads if d["name"] == "findings.json")["schemaVersion"]
        assert urljoin(here, schema).endswith("/data/findings-export.schema.json")


def test_the_real_study_links_its_language_versions_with_relative_addresses(
    study_site: Path,
) -> None:
    check_study(study_site, "id", ["en"], "https://site.invalid/")
    article = one(study_site / "en" / "index.html", "ScholarlyArticle")
    # Relative to the page: the site works from any address, the links still resolve.
    assert article["translationOfWork"]["@id"] == "../index.html#study"
    assert not any(
        str(value).startswith(("http://", "https://"))
        for value in _strings(article)
        if value != "https://schema.org"
    )


def test_the_real_study_leaves_out_what_the_source_does_not_give(study_site: Path) -> None:
    findings = check(Project(ROOT / "findings")).findings
    assert not isinstance(findings.study.authors, tuple), "the paper names no authors"
    for page in (study_site / "index.html", study_site / "en" / "index.html"):
        article = one(page, "ScholarlyArticle")
        for gap in ("author", "creator", "datePublished", "isPartOf", "sameAs", "publisher"):
            assert gap not in article, f"{page}: {gap} is a gap in the findings"
        assert article["abstract"].startswith(
            "Penelitian ini" if "/en/" not in page.as_posix() else "This study aims"
        )
    dataset = one(study_site / "en" / "open-data.html", "Dataset")
    assert "creator" not in dataset and "license" not in dataset
    assert dataset["temporalCoverage"].startswith("2019-")


def test_a_study_built_for_its_address_uses_absolute_addresses(coop_site: Path) -> None:
    check_study(coop_site, "en", ["id"], COOP_URL)
    article = one(coop_site / "id" / "index.html", "ScholarlyArticle")
    assert article["@id"] == COOP_URL + "id/index.html#study"
    assert article["translationOfWork"]["@id"] == COOP_URL + "index.html#study"
    dataset = one(coop_site / "open-data.html", "Dataset")
    assert {d["contentUrl"] for d in dataset["distribution"]} == {
        COOP_URL + path for path in download_paths()
    }


def test_what_the_findings_give_is_stated_in_the_page_language(coop_site: Path) -> None:
    english = one(coop_site / "index.html", "ScholarlyArticle")
    indonesian = one(coop_site / "id" / "index.html", "ScholarlyArticle")
    assert english["name"] == "Keeping the Shelves Full: *Volunteers* & Ownership at Harbour Lane"
    assert indonesian["name"].startswith("Menjaga Rak Tetap Penuh")
    assert english["headline"] == "Harbour Lane <Co-op>"
    assert english["author"] == [
        {
            "@type": "Person",
            "name": "Okafor, Adaeze",
            "affiliation": {"@type": "Organization", "name": "Northgate College"},
        },
        {"@type": "Person", "name": "Brennan, Tom"},
    ]
    assert indonesian["author"][0]["affiliation"]["name"] == "Kolese Northgate"
    assert english["datePublished"] == "2021"
    assert english["isPartOf"]["name"] == "Journal of Neighbourhood Economies"
    assert "sameAs" not in english, "the fixture gives no address of the paper"
    assert english["keywords"] == ["food co-operative", "volunteers & rotas"]
    assert indonesian["keywords"] == ["koperasi pangan", "relawan & jadwal"]
    # The abstract as words: emphasis gone, the citation as its label.
    assert "theirs" in english["abstract"] and "*" not in english["abstract"]
    assert "@mensah" not in english["abstract"]
    dataset = one(coop_site / "id" / "open-data.html", "Dataset")
    assert dataset["name"].startswith("Data temuan: Menjaga Rak")
    assert dataset["creator"] == indonesian["author"]


def test_every_published_download_is_in_the_dataset() -> None:
    findings = check(Project(FIXTURES / "foodcoop")).findings
    assert list(export_files(findings, "en")) == download_paths()


def _strings(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []
