"""`python -m generator new DIR`: a new study folder that builds at once.

One of each thing (language pair, study, framework, indicator, informant, quote, chapter,
section, figure, conclusion, recommendation, reference), written as YAML with comments that
explain each field.  Where a study would give content, the scaffold writes a gap (what the
source does not give) or, where a field cannot be a gap, a placeholder in square brackets
that the editor replaces.  Nothing is asked; nothing outside DIR is touched.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel import Locale, UnknownLocaleError

from generator.errors import FindingsError, Position, Problem
from generator.labels import catalogue_languages

SCHEMA_LINE = "# yaml-language-server: $schema={schema}\n"


def language_name(code: str) -> str:
    """The language's name in that language ('English', 'Indonesia'), or the code itself."""
    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return (name or code)[:1].upper() + (name or code)[1:]


def _localized(codes: list[str], text: str) -> str:
    """A placeholder in every language, as a one-line YAML mapping."""
    return "{" + ", ".join(f'{code}: "{text}"' for code in codes) + "}"


def scaffold_files(source: str, translations: list[str], schema: str) -> dict[str, str]:
    """The files of a new study (name -> YAML text) in the given languages."""
    codes = [source, *translations]
    first = translations[0]
    head = SCHEMA_LINE.format(schema=schema)

    def t(text: str) -> str:
        return _localized(codes, text)

    # Each translation says how it was made; every field starts as a gap.
    translation_lines = "\n".join(
        f"    - code: {code}\n"
        f"      name: {language_name(code)}\n"
        "      statement:\n"
        "        translated_by: {gap: not-stated}  # who translated\n"
        "        method: {gap: not-stated}         # how (Markdown)\n"
        '        date: {gap: not-stated}           # when: "2026", "2026-11" or "2026-11-28"\n'
        "        reviewed: {gap: not-stated}       # true or false; if true, also reviewed_by,\n"
        "                                          # review (how) and review_date"
        for code in translations
    )
    study = (
        head
        + f"""\
# The study: its languages, what it is, and the framework its indicators come from.
# Replace every [placeholder] with the study's own words, in every language. A fact the
# source does not give stays a gap ({{gap: not-stated}}); never invent it.
# Format guide: docs/en/format.md in the generator's repository.

languages:
  # The language the study was written in (its site is at the root of the site) and the
  # languages it is translated into (each at /<code>/). Each needs an interface catalogue:
  # generator/catalogue/<code>.yaml.
  source: {{code: {source}, name: {language_name(source)}}}
  translations:
{translation_lines}
  # Words a text keeps in another language, listed by their language, e.g.
  #   terms:
  #     en: [Face to Face Dialogue]
  # are marked with their language wherever they appear in a text of another language.

study:
  title: {t("[title of the study]")}
  # Who wrote it, when, and where it was published: gaps until the source says.
  authors: {{gap: not-stated}}
  year: {{gap: not-stated}}
  publication:
    type: {{gap: not-stated}}   # article, report or thesis
    venue: {{gap: not-stated}}
  keywords:
    - {t("[keyword]")}
  # Markdown: the researchers' prose (a blank line starts a paragraph).
  abstract: {{gap: not-stated}}

framework:
  # The framework the indicators come from, and the reference (by id) that describes it.
  name: {t("[name of the framework]")}
  reference: framework-source
"""
    )
    indicators = (
        head
        + f"""\
# The indicators of the framework: what the study looks at. Each needs at least one quote
# and one results section (a section with 'indicator: <its id>' in paper.yaml).
indicators:
  - id: indicator-1          # lowercase letters, digits and hyphens; never renamed once published
    name: {t("[name of the indicator]")}
    # Markdown.
    definition: {t("[what the indicator looks at, as the study defines it]")}
"""
    )
    informants = (
        head
        + f"""\
# Who was interviewed, as the source presents them (no names it does not print).
informants:
  - id: informant-1
    code: "[code]"           # how the site names the informant: initials or a short role
    role: {t("[role]")}
    group: community         # government, ngo, community, private-sector or academia
    interviews: []           # interview dates the source gives, e.g. ["2020-03-04"]
"""
    )
    quotes = (
        head
        + f"""\
# The quotes, verbatim in the source language ({source}), with their translation and the
# researchers' interpretation. Copy a quote exactly, typos and transcription marks
# (<laughs>, [pause]) included: it is shown as written.
quotes:
  - id: Q1                   # the study's own name for the quote; it is its web address
    indicator: indicator-1
    informant: informant-1
    date: {{gap: not-stated}}  # YYYY-MM-DD, one of the informant's interview dates
    # The words as spoken; a gap until they are copied from the source. Once they are,
    # add the translation:   translation: {{{first}: "..."}}
    text: {{gap: not-stated}}
    # Markdown: how the study reads the quote; a gap when the source gives no reading.
    interpretation: {{gap: not-in-source}}
"""
    )
    paper = (
        head
        + f"""\
# The paper's chapters and sections, in order. A section with 'indicator:' reports that
# indicator's results on a page of its own; its quotes appear there.
chapters:
  - id: introduction
    number: "1"
    title: {t("[Introduction]")}
    body:
      # Markdown prose; cite a reference as [@framework-source] or [@framework-source, 12].
      - text: {t("[the introduction's text]")}
      - figure: figure-1
  - id: results
    number: "2"
    title: {t("[Results]")}
    sections:
      - id: results-indicator-1
        number: "2.1"
        title: {t("[name of the indicator]")}
        indicator: indicator-1
  - id: closing
    number: "3"
    title: {t("[Conclusions]")}
    body:
      - include: conclusions
      - include: recommendations

# Figures are redrawn as boxes (nodes) and arrows (edges); an arrow may point back.
figures:
  - id: figure-1
    number: "1"
    caption: {t("[caption]")}
    # What the figure shows, for readers who cannot see it.
    description: {{gap: not-stated}}
    nodes:
      - {{id: start, label: {t("[first box]")}}}
      - {{id: end, label: {t("[second box]")}}}
    edges:
      - {{from: start, to: end}}

conclusions:
  - indicator: indicator-1
    text: {t("[the conclusion on this indicator]")}   # Markdown

recommendations:
  - id: recommendation-1
    text: {t("[the recommendation]")}   # Markdown
    rests_on:
      indicators: [indicator-1]
"""
    )
    references = (
        head
        + """\
# Every work the study cites, by id. What the source does not give is a gap.
references:
  - id: framework-source
    authors: ["[Family, I.]"]
    year: {gap: not-stated}
    title: {gap: not-stated}
"""
    )
    return {
        "study.yaml": study,
        "indicators.yaml": indicators,
        "informants.yaml": informants,
        "quotes.yaml": quotes,
        "paper.yaml": paper,
        "references.yaml": references,
    }


def new_study(folder: Path, source: str, translations: list[str]) -> list[Path]:
    """Write a new study into `folder` (which must not exist or be empty); return its files."""
    problems = []
    known = catalogue_languages()
    for code in [source, *translations]:
        if code not in known:
            problems.append(
                Problem(
                    Position(str(folder)),
                    f"no interface labels for language '{code}'",
                    hint=f"add generator/catalogue/{code}.yaml (a translated copy of en.yaml), "
                    f"or choose one of: {', '.join(known)}",
                )
            )
    if len({source, *translations}) != len([source, *translations]):
        problems.append(Problem(Position(str(folder)), "a language is given twice"))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        problems.append(
            Problem(
                Position(str(folder)),
                "folder exists and is not empty; nothing was written",
                hint="choose a new folder name",
            )
        )
    if problems:
        raise FindingsError(problems)
    schema = Path(__file__).parent / "schema" / "findings.schema.json"
    folder.mkdir(parents=True, exist_ok=True)
    # Relative, so that the editor's YAML extension finds the schema wherever the repository is.
    reference = Path(os.path.relpath(schema.resolve(), folder.resolve())).as_posix()
    written = []
    for name, text in scaffold_files(source, translations, reference).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
