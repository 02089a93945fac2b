"""The editors' format guide (docs/<lang>/format.md, repository documentation) and the study's
hand-written pages (findings/pages/<lang>/): every page in every language, the languages in
step, and the guide's examples and checker output true to the generator.

The YAML examples on the format page are what editors copy, so each one must load; a
complete findings document must also pass the schema, and the quote examples must pass
every cross-reference rule when merged into a study (the mini fixture, and for invented
quotes the real study too).
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import FindingsError, Problem, Severity
from generator.load import check_structure, load_findings, load_schema, parse_source
from generator.model import Findings, build_model
from generator.plan import quote_placement
from generator.validate import validate
from tests.conftest import FIXTURES, ROOT

DOCS = ROOT / "docs"
PAGES = ROOT / "findings" / "pages"
FORMAT_PAGE = "format.md"
# A fenced block: ```info ... ``` with the fences at the start of a line.
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
# A heading, with its anchor as `{ #id }` (site pages) or `<a id="id"></a>` (the guide).
HEADING = re.compile(
    r"^(#{1,6}) (.*?)(?:\s*\{\s*#([\w-]+)\s*\}|\s*<a id=\"([\w-]+)\"></a>)?\s*$", re.M
)
# Checker output, as `python -m generator check` prints it.
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")
OUTPUT_LINES = (
    PROBLEM_LINE,
    re.compile(r"^    hint: .+$"),
    re.compile(r"^\d+ error\(s\), \d+ warning\(s\)(; nothing was written)?\.$"),
    re.compile(r"^\S+: OK \(\d+ quotes, \d+ informants, \d+ indicators, \d+ languages\)$"),
)
DATE_MISMATCH = re.compile(
    r"quote '(?P<quote>[^']+)' is dated (?P<date>[0-9-]+), but informant '(?P<informant>[^']+)'"
)


# --------------------------------------------------------------------- helpers


@cache
def study_sources() -> tuple[dict[str, Any], ...]:
    return tuple(source.data for source in load_findings(ROOT / "findings"))


@cache
def study() -> Findings:
    return build_model(load_findings(ROOT / "findings"))


def language_codes(folder: Path = DOCS) -> list[str]:
    """The language folders of `folder` (named by code; read from disk, so that collecting the
    tests never depends on the findings loading)."""
    return sorted(
        child.name
        for child in folder.iterdir()
        if child.is_dir() and re.fullmatch(r"[a-z]{2,3}", child.name)
    )


def page_names(folder: Path = PAGES) -> list[str]:
    names = {
        page.name
        for language in language_codes(folder)
        for page in (folder / language).glob("*.md")
    }
    return sorted(names)


def read_page(language: str, name: str, folder: Path = DOCS) -> str:
    return (folder / language / name).read_text(encoding="utf-8")


def page_files() -> list[tuple[Path, str]]:
    """(folder, name) of the guide and of every hand-written page of the study."""
    return [(DOCS, FORMAT_PAGE)] + [(PAGES, name) for name in page_names()]


def fenced(text: str, info: str) -> list[str]:
    """The bodies of the fenced blocks of `text` whose info string is `info`."""
    return [m["body"] for m in FENCE.finditer(text) if m["info"].strip() == info]


def prose(text: str) -> str:
    """`text` without its fenced blocks (a YAML comment is not a heading)."""
    return FENCE.sub("", text)


def headings(text: str) -> list[tuple[int, str | None]]:
    """(level, explicit id) of every heading outside fenced blocks."""
    return [(len(m[1]), m[3] or m[4]) for m in HEADING.finditer(prose(text))]


def load_block(body: str, where: str) -> dict[str, Any]:
    """A YAML block read exactly as the generator reads findings files."""
    try:
        return parse_source(body.encode("utf-8"), where).data
    except FindingsError as error:
        pytest.fail(f"{where} does not load:\n{error}")


def is_complete(document: dict[str, Any]) -> bool:
    """A whole findings document: every top-level key is a section of the schema."""
    return bool(document) and set(document) <= set(load_schema()["properties"])


def format_examples(language: str) -> list[dict[str, Any]]:
    page = read_page(language, FORMAT_PAGE)
    blocks = fenced(page, "yaml")
    loaded = [
        load_block(b, f"docs/{language}/{FORMAT_PAGE} yaml block {i + 1}")
        for i, b in enumerate(blocks)
    ]
    return [document for document in loaded if is_complete(document)]


def quote_examples(language: str) -> list[dict[str, Any]]:
    """The complete examples on the format page that hold quotes."""
    return [document for document in format_examples(language) if document.get("quotes")]


def real_quote_ids() -> set[str]:
    return {quote.id for quote in study().quotes}


def invented_quotes(language: str) -> list[dict[str, Any]]:
    """Example quotes that are not (yet) in the real study: the worked example."""
    return [
        quote
        for document in quote_examples(language)
        for quote in document["quotes"]
        if quote["id"] not in real_quote_ids()
    ]


def errors(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.severity is Severity.ERROR]


def validate_folder(folder: Path) -> list[Problem]:
    """Load, model and validate a findings folder; loading errors count as problems."""
    try:
        return validate(build_model(load_findings(folder)))
    except FindingsError as error:
        return list(error.problems)


def mini_with(tmp_path: Path, quotes: list[dict[str, Any]]) -> Path:
    """A copy of the mini fixture with `quotes` added, adapted to it.

    An indicator mini lacks becomes mini's first indicator; an informant mini lacks is
    copied from the real study (so the date rule is checked against real interviews).
    """
    folder = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    mini = parse_source((folder / "study.yaml").read_bytes(), "study.yaml").data
    mini_indicators = [indicator["id"] for indicator in mini["indicators"]]
    mini_informants = {informant["id"] for informant in mini["informants"]}
    real_informants = {
        informant["id"]: informant
        for data in study_sources()
        for informant in data.get("informants", [])
    }
    added: list[dict[str, Any]] = []
    adapted: list[dict[str, Any]] = []
    for quote in quotes:
        quote = dict(quote)
        if quote["indicator"] not in mini_indicators:
            quote["indicator"] = mini_indicators[0]
        informant = quote["informant"]
        if isinstance(informant, str) and informant not in mini_informants:
            assert informant in real_informants, f"example informant '{informant}' is unknown"
            added.append(real_informants[informant])
            mini_informants.add(informant)
        adapted.append(quote)
    document: dict[str, Any] = {"quotes": adapted}
    if added:
        document["informants"] = added
    (folder / "zz-example.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


# --------------------------------------------------------------------- (b) pages in step


def test_the_guide_and_the_about_page_exist() -> None:
    assert (DOCS / "en" / FORMAT_PAGE).is_file()
    assert "about.md" in page_names()


def test_the_study_has_a_pages_folder_for_each_of_its_languages() -> None:
    assert language_codes(PAGES) == sorted(language.code for language in study().languages)


def test_docs_holds_nothing_of_the_study() -> None:
    """docs/ is about the tool: the guide in each of its languages, and README screenshots."""
    for language in language_codes(DOCS):
        assert sorted(p.name for p in (DOCS / language).iterdir()) == [FORMAT_PAGE]


@pytest.mark.parametrize(("folder", "name"), page_files())
def test_every_page_exists_in_every_language_with_a_title(folder: Path, name: str) -> None:
    for language in language_codes(folder):
        path = folder / language / name
        shown = path.relative_to(ROOT)
        assert path.is_file(), f"{shown} is missing: the language switch needs it"
        first = headings(read_page(language, name, folder))[0]
        assert first[0] == 1, f"{shown} must start with a '# ' title"
        # The navigation shows the title line as it is: no { #id }, no Markdown.
        title = next(
            line for line in read_page(language, name, folder).splitlines() if line.startswith("# ")
        )
        assert not set(title[2:]) & set("{}*_`[]<>"), f"{shown}: plain title please"


def test_page_names_do_not_clash_with_generated_pages() -> None:
    pages = {
        language: {name: f"pages/{language}/{name}" for name in page_names()}
        for language in language_codes(PAGES)
    }
    problems = validate(study(), handwritten_pages=pages)
    assert not [str(p) for p in problems if "hand-written page" in p.message]


@pytest.mark.parametrize(("folder", "name"), page_files())
def test_languages_have_the_same_examples_and_headings(folder: Path, name: str) -> None:
    source = "id"  # the guide and the study's pages were written in Indonesian first
    translations = [code for code in language_codes(folder) if code != source]
    original = read_page(source, name, folder)
    for language in translations:
        translated = read_page(language, name, folder)
        where = f"{folder.name}/{source}/{name} and {folder.name}/{language}/{name}"
        assert [load_block(b, f"{language}/{name}") for b in fenced(translated, "yaml")] == [
            load_block(b, f"{source}/{name}") for b in fenced(original, "yaml")
        ], f"{where} differ in their YAML examples"
        assert fenced(translated, "console") == fenced(original, "console"), (
            f"{where} differ in the checker output they show"
        )
        assert len(headings(translated)) == len(headings(original)), (
            f"{where} have different numbers of headings"
        )
        assert headings(translated) == headings(original), (
            f"{where} differ in heading levels or anchors ({{ #id }})"
        )


# --------------------------------------------------------------------- (a) valid examples


@pytest.mark.parametrize("language", language_codes())
def test_every_yaml_block_loads_and_complete_documents_fit_the_schema(language: str) -> None:
    page = read_page(language, FORMAT_PAGE)
    blocks = fenced(page, "yaml")
    assert len(blocks) >= 5
    complete = 0
    for index, body in enumerate(blocks, start=1):
        where = f"docs/{language}/{FORMAT_PAGE} yaml block {index}"
        source = parse_source(body.encode("utf-8"), where)  # raises on any problem
        if is_complete(source.data):
            complete += 1
            found = [str(p) for p in check_structure(source)]
            assert not found, "\n".join(found)
    assert complete >= 5


@pytest.mark.parametrize("language", language_codes())
def test_quote_examples_pass_every_rule_in_the_mini_study(language: str, tmp_path: Path) -> None:
    examples = quote_examples(language)
    assert examples, "the format page shows no complete quotes example"
    for index, document in enumerate(examples):
        folder = mini_with(tmp_path / str(index), document["quotes"])
        found = errors(validate_folder(folder))
        assert not found, "\n".join(found)


@pytest.mark.parametrize("language", language_codes())
def test_the_worked_example_fits_the_real_study(language: str, tmp_path: Path) -> None:
    quotes = invented_quotes(language)
    # The one invented quote; if the study ever holds it, the example needs a new id.
    assert [q["id"] for q in quotes] == ["q-understanding-ra"]
    folder = tmp_path / "findings"
    shutil.copytree(ROOT / "findings", folder)
    (folder / "zz-example.yaml").write_text(
        yaml.safe_dump({"quotes": quotes}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    found = errors(validate_folder(folder))
    assert not found, "\n".join(found)
    # The page says where the quote appears: at the end of its indicator's results page.
    findings = build_model(load_findings(folder))
    section = next(s for s, ids in quote_placement(findings).items() if quotes[0]["id"] in ids)
    address = f"{section}.md#{quotes[0]['id']}"
    assert address in read_page(language, FORMAT_PAGE), f"the page should name {address}"


@pytest.mark.parametrize("language", language_codes())
def test_the_date_mismatch_shown_is_what_the_checker_says(language: str, tmp_path: Path) -> None:
    output = "\n".join(fenced(read_page(language, FORMAT_PAGE), "console")).splitlines()
    found = [(i, m) for i, line in enumerate(output) if (m := DATE_MISMATCH.search(line))]
    assert found, "the page shows no checker output for a date that does not match"
    index, match = found[0]
    shown = PROBLEM_LINE.match(output[index])
    assert shown is not None
    quotes = [dict(q) for q in invented_quotes(language) if q["id"] == match["quote"]]
    assert quotes, f"no example quote '{match['quote']}' on the page"
    quote = quotes[0]
    assert quote["informant"] == match["informant"], "the output shown is for another informant"
    assert quote["date"] != match["date"], "the page must show the example with a wrong date"
    quote["date"] = match["date"]
    problems = validate_folder(mini_with(tmp_path, [quote]))
    said = [p for p in problems if p.message == shown["message"]]
    assert said, f"the checker no longer says: {shown['message']}\n{errors(problems)}"
    assert output[index + 1] == f"    hint: {said[0].hint}"


# --------------------------------------------------------------------- (c) docs and schema agree


@pytest.mark.parametrize("language", language_codes())
def test_every_quote_field_of_the_schema_is_documented(language: str) -> None:
    text = prose(read_page(language, FORMAT_PAGE))
    fields = load_schema()["$defs"]["quote"]["properties"]
    missing = [name for name in fields if f"`{name}`" not in text]
    assert not missing, f"docs/{language}/{FORMAT_PAGE} does not mention: {missing}"


# --------------------------------------------------------------------- (d) checker output


@pytest.mark.parametrize("language", language_codes())
def test_checker_output_has_the_form_path_line_column_message(language: str) -> None:
    blocks = fenced(read_page(language, FORMAT_PAGE), "console")
    assert blocks, "the format page shows no checker output"
    problem_lines = 0
    for block in blocks:
        lines = block.splitlines()
        assert lines, "empty checker output block"
        for line in lines:
            assert any(p.match(line) for p in OUTPUT_LINES), f"not checker output: {line!r}"
            shown = PROBLEM_LINE.match(line)
            if shown:
                problem_lines += 1
                assert (ROOT / shown["path"]).is_file(), f"no such findings file: {line!r}"
                assert int(shown["line"]) >= 1 and int(shown["column"]) >= 1
    assert problem_lines >= 5
