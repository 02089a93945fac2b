"""Machine-readable study: schema.org JSON-LD for search engines, reference managers and
data catalogues.

- The home page of every language describes the study as a `ScholarlyArticle` in that
  language: the source language's version names its translations (`workTranslation`),
  each translation names the original (`translationOfWork`).
- The Data page describes the downloads (generator/exports.py) as a `Dataset`, one
  `DataDownload` per published file, based on the article.

Only what the findings give is stated: authors, year, venue and the paper's address are
left out when they are gaps.  Addresses are absolute when the site's published address is
known, otherwise relative to the page (JSON-LD resolves them against the page's address).

The JSON is data inside an HTML `<script type="application/ld+json">`: `<`, `>` and `&`
(and the line separators JavaScript once refused) are written as `\\u` escapes, so no
findings text can end the script element or start markup inside it; the final gate
(generator/gate.py) parses every such script as JSON.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import TYPE_CHECKING, Any

from generator.exports import DATA_FOLDER, JSON_FILE, SCHEMA_FILE, download_paths, media_type
from generator.meta import plain_text, shorten
from generator.model import Gap, Localized
from generator.plan import STUDY_PAGES, SiteLanguage

if TYPE_CHECKING:
    from generator.render import PageRenderer

CONTEXT = "https://schema.org"
HOME = "index.md"
# Characters that could end the script element or open markup, and those that are invisible
# or break lines (C1 controls, line and paragraph separators, bidi controls): as \u escapes.
_UNSAFE = re.compile("[<>&\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def script_json(data: Any) -> str:
    """`data` as JSON that is inert inside an HTML `<script>` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def script_element(data: Any) -> str:
    """A `<script type="application/ld+json">` element holding `data`, as a raw HTML block."""
    return f'<script type="application/ld+json">{script_json(data)}</script>'


class LinkedData:
    """The JSON-LD of one language's pages (exposed to templates as `r.ld`)."""

    def __init__(self, r: PageRenderer) -> None:
        self.r = r

    # --- addresses ----------------------------------------------------------------------

    def url(self, language: SiteLanguage, page: str) -> str:
        """The address of `page` (a Markdown file name) in `language`'s site: absolute when
        the site's address is known, else relative to this language's pages."""
        html = page.removesuffix(".md") + ".html"
        if self.r.site_url:
            return self.r.site_url.rstrip("/") + "/" + language.prefix + html
        here = self.r.here.prefix
        up = "../" * here.count("/") if language.prefix != here else ""
        return up + (language.prefix if language.prefix != here else "") + html

    def file_url(self, path: str) -> str:
        """The address of a file this language publishes (e.g. "data/quotes.csv")."""
        if self.r.site_url:
            return self.r.site_url.rstrip("/") + "/" + self.r.here.prefix + path
        return path

    def article_id(self, language: SiteLanguage) -> str:
        return self.url(language, HOME) + "#study"

    # --- text ---------------------------------------------------------------------------

    def words(self, text: Localized | None, language: str | None = None) -> str | None:
        """A plain-text field in `language` (default: this page's), exactly as written;
        this page's translation, when out of date, says so as the page's title does."""
        value = text.get(language or self.r.lang) if text is not None else None
        return None if value is None else value + self._stale(text, language)

    def prose_words(self, text: Localized | Gap | None) -> str | None:
        """A Markdown field in this page's language as the words a reader sees."""
        if not isinstance(text, Localized):
            return None
        value = text.get(self.r.lang)
        if value is None:
            return None
        words = plain_text(self.r.prose(Localized({self.r.lang: value}, text.position)))
        return words + self._stale(text)

    def _stale(self, text: Localized | None, language: str | None = None) -> str:
        if language not in (None, self.r.lang) or not self.r.is_stale(text):
            return ""
        return f" {self.r.stale_words()}"

    # --- the study ----------------------------------------------------------------------

    def _authors(self) -> list[dict[str, Any]]:
        authors = self.r.f.study.authors
        if isinstance(authors, Gap):
            return []
        result = []
        for author in authors:
            person: dict[str, Any] = {"@type": "Person", "name": author.name}
            affiliation = self.words(author.affiliation)
            if affiliation:
                person["affiliation"] = {"@type": "Organization", "name": affiliation}
            result.append(person)
        return result

    def _about(self) -> list[dict[str, Any]]:
        """The framework and its indicators, as the terms the study is about."""
        framework = self.r.f.framework
        term_set: dict[str, Any] | None = None
        if framework is not None and isinstance(framework.name, Localized):
            name = self.words(framework.name)
            if name:
                term_set = {
                    "@type": "DefinedTermSet",
                    "@id": self.url(self.r.here, HOME) + "#framework",
                    "name": name,
                }
        about: list[dict[str, Any]] = [term_set] if term_set else []
        for indicator in self.r.f.indicators:
            term: dict[str, Any] = {"@type": "DefinedTerm", "name": self.words(indicator.name)}
            if term["name"] is None:
                continue
            definition = self.prose_words(indicator.definition)
            if definition:
                term["description"] = definition
            if term_set:
                term["inDefinedTermSet"] = {"@id": term_set["@id"]}
            about.append(term)
        return about

    def _keywords(self) -> list[str]:
        return [k for k in (self.words(keyword) for keyword in self.r.f.study.keywords) if k]

    def _version(self, language: SiteLanguage) -> dict[str, Any]:
        """Another language's version of the study, as a node this page can point at."""
        node: dict[str, Any] = {
            "@type": "ScholarlyArticle",
            "@id": self.article_id(language),
            "url": self.url(language, HOME),
            "inLanguage": language.code,
        }
        name = self.words(self.r.f.study.title, language.code)
        if name:
            node["name"] = name
        return node

    def article(self) -> dict[str, Any]:
        """The study as this language's home page presents it."""
        study = self.r.f.study
        here = self.r.here
        data: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "ScholarlyArticle",
            "@id": self.article_id(here),
            "url": self.url(here, HOME),
            "inLanguage": here.code,
        }
        name = self.words(study.title)
        if name:
            data["name"] = name
        # A headline is short (search engines cut long ones): the short title when there is one.
        headline = self.words(study.short_title) or name
        if headline:
            data["headline"] = headline
        abstract = self.prose_words(study.abstract)
        if abstract:
            data["abstract"] = abstract
            data["description"] = shorten(abstract)
        self._add_subject_and_people(data, "author")
        if isinstance(study.year, str):
            data["datePublished"] = study.year
        venue = study.publication.venue
        if isinstance(venue, Localized) and self.words(venue):
            data["isPartOf"] = {"@type": "CreativeWork", "name": self.words(venue)}
        if isinstance(study.publication.url, str):
            data["sameAs"] = study.publication.url
        source = next(sl for sl in self.r.languages if sl.code == self.r.source)
        if here.code == self.r.source:
            translations = [self._version(sl) for sl in self.r.languages if sl is not here]
            if translations:
                data["workTranslation"] = translations
        else:
            data["translationOfWork"] = self._version(source)
        return data

    def _add_subject_and_people(self, data: dict[str, Any], people: str) -> None:
        """Keywords, `about` and the authors (under `people`) where the findings give them:
        the article and the dataset describe the same study."""
        for key, value in (
            ("keywords", self._keywords()),
            ("about", self._about()),
            (people, self._authors()),
        ):
            if value:
                data[key] = value

    # --- the open data ------------------------------------------------------------------

    def dataset_id(self) -> str:
        return self.url(self.r.here, STUDY_PAGES["data"]) + "#dataset"

    def _interview_dates(self) -> list[datetime.date]:
        dates = {d for i in self.r.f.informants for d in i.interviews}
        dates |= {q.date for q in self.r.f.quotes if isinstance(q.date, datetime.date)}
        return sorted(d for d in dates if d != datetime.date.min)

    def _download_description(self, path: str) -> str | None:
        name = path.rsplit("/", 1)[-1]
        labels = self.r.labels
        if name.endswith(".csv"):
            return labels.get("data_csv_" + name.removesuffix(".csv"))
        key = {
            JSON_FILE: "data_json",
            SCHEMA_FILE: "data_schema",
            "codebook.qdc": "data_qdc",
            "project.qdpx": "data_qdpx",
        }.get(name)
        return labels[key] if key else None

    def dataset(self) -> dict[str, Any]:
        """The downloads of this language's Data page as a schema.org Dataset."""
        here = self.r.here
        title = self.words(self.r.f.study.title) or ""
        data: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "Dataset",
            "@id": self.dataset_id(),
            "url": self.url(here, STUDY_PAGES["data"]),
            "name": self.r.labels["data_dataset_name"].replace("{title}", title),
            "description": plain_text(self.r.labels["data_intro"]),
            # The files hold the texts in every language of the study.
            "inLanguage": [sl.code for sl in self.r.languages],
            "isAccessibleForFree": True,
            "isBasedOn": self._version(here),
        }
        self._add_subject_and_people(data, "creator")
        dates = self._interview_dates()
        if dates:
            first, last = dates[0].isoformat(), dates[-1].isoformat()
            data["temporalCoverage"] = first if first == last else f"{first}/{last}"
        schema_url = self.file_url(f"{DATA_FOLDER}/{SCHEMA_FILE}")
        downloads = []
        for path in download_paths():
            download: dict[str, Any] = {
                "@type": "DataDownload",
                "name": path.rsplit("/", 1)[-1],
                "contentUrl": self.file_url(path),
                "encodingFormat": media_type(path),
            }
            description = self._download_description(path)
            if description:
                download["description"] = description
            if path.endswith("/" + JSON_FILE):
                download["schemaVersion"] = schema_url
            downloads.append(download)
        data["distribution"] = downloads
        return data

    # --- for templates ------------------------------------------------------------------

    def article_script(self) -> str:
        return script_element(self.article())

    def dataset_script(self) -> str:
        return script_element(self.dataset())
