"""A second study, built end to end: nothing in the tool is specific to the example study.

The fixture `tests/fixtures/foodcoop` was written from the format guide alone: English source
with an Indonesian translation, three indicators and four informants of its own (one coded
`NO`), a figure, hand-written pages, and quotes in transcription style (`<laughs>`, `a<b`,
`&`, `|`, `#`, `*`, `{{ }}`, emoji).  Its site is read back as HTML.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import Project, build, check
from generator.errors import FindingsError
from generator.model import Findings
from generator.scaffold import new_study
from tests.conftest import FIXTURES, ROOT, project_for

pytestmark = pytest.mark.slow

FOODCOOP = FIXTURES / "foodcoop"
PREFIX = {"en": "", "id": "id/"}
# Words of the example study (its place, its framework's authors, its ids and terms).
EXAMPLE_STUDY_WORDS = (
    "Muara",
    "Pantun",
    "Kutai",
    "Ansell",
    "Gash",
    "Sukidjo",
    "Telen",
    "kewirausahaan",
    "trust-building",
    "q-trust",
    "Kabid",
)


@pytest.fixture(scope="module")
def coop() -> Findings:
    return check(Project(FOODCOOP)).findings


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("foodcoop")
    build(project_for(FOODCOOP, tmp), tmp / "site")
    return tmp / "site"


def page_of(site: Path, language: str, name: str) -> str:
    return (site / PREFIX[language] / name).read_text(encoding="utf-8")


def shown_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment that must hold no markup at all."""
    assert "<" not in fragment, f"markup where text belongs: {fragment!r}"
    return html.unescape(fragment)


def quote_figure(page: str, quote_id: str) -> str:
    match = re.search(
        rf'<figure class="quote" id="{re.escape(quote_id)}">(.*?)</figure>', page, re.S
    )
    assert match, f"no quote {quote_id} on the page"
    return match.group(1)


def test_the_study_checks_clean(coop: Findings) -> None:
    assert [language.code for language in coop.languages] == ["en", "id"]
    assert len(coop.indicators) == 3 and len(coop.informants) == 4
    assert {informant.code for informant in coop.informants} >= {"NO", "Grower|A"}


def test_every_quote_is_verbatim_in_both_languages(site: Path, coop: Findings) -> None:
    results = {s.indicator.id: s.id for c in coop.chapters for s in c.sections if s.indicator}
    for quote in coop.quotes:
        assert isinstance(quote.text, str) and quote.translation is not None
        name = f"{results[quote.indicator.id]}.html"
        source = quote_figure(page_of(site, "en", name), quote.id)
        shown = re.search(r'<blockquote class="quote__text">\s*<p>(.*?)</p>', source, re.S)
        assert shown and shown_text(shown.group(1)) == quote.text
        translated = quote_figure(page_of(site, "id", name), quote.id)
        shown = re.search(r'<blockquote class="quote__text">\s*<p>(.*?)</p>', translated, re.S)
        assert shown and shown_text(shown.group(1)) == quote.translation.get("id")
        original = re.search(r'<blockquote lang="en">\s*<p>(.*?)</p>', translated, re.S)
        assert original and shown_text(original.group(1)) == quote.text


def test_titles_and_codes_are_shown_as_written(site: Path) -> None:
    home = page_of(site, "en", "index.html")
    assert "<title>Harbour Lane &lt;Co-op&gt;</title>" in home
    assert "Harbour Lane &lt;Co-op&gt;" in home and "<Co-op>" not in home
    suppliers = page_of(site, "id", "suppliers.html")
    assert (
        "<title>3.3 Pemasok &amp; dewan kota - Koperasi &lt;Harbour Lane&gt;</title>" in suppliers
    )
    method = page_of(site, "en", "method.html")
    # The code links to the informant's section of the informants page (issue 9).
    code = re.search(
        r'<span id="informant-no"></span><a href="informant-index.html#informant-no">(.*?)</a>',
        method,
    )
    assert code and shown_text(code.group(1)) == "NO"
    assert "Grower&#124;A" in method


def test_the_language_switch_leads_to_the_same_page(site: Path) -> None:
    english = sorted(p.name for p in site.glob("*.html"))
    assert "about.html" in english and "ownership.html" in english
    assert english == sorted(p.name for p in (site / "id").glob("*.html"))
    for name in english:
        if name == "404.html":
            continue
        assert f'href="id/{name}" hreflang="id"' in page_of(site, "en", name), name
        assert f'href="../{name}" hreflang="en"' in page_of(site, "id", name), name


def test_nothing_of_the_example_study_is_published(site: Path) -> None:
    example = " ".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "findings").rglob("*") if p.is_file()
    )
    assert [w for w in EXAMPLE_STUDY_WORDS if w in example] == list(EXAMPLE_STUDY_WORDS)
    found = []
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".json", ".xml", ".js", ".css", ".svg"):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(site)}: {w}" for w in EXAMPLE_STUDY_WORDS if w in text]
    assert not found, "\n".join(found)


def test_the_example_study_has_its_own_pages() -> None:
    # The example's hand-written pages live in its own folder, not in the tool.
    assert (ROOT / "findings" / "pages" / "en" / "about.md").is_file()
    assert not (ROOT / "docs" / "en" / "about.md").exists()


def test_a_study_of_a_title_an_indicator_an_informant_and_a_quote_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(project_for(FIXTURES / "minimal", tmp_path), site)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "A Very Small Study" in home
    assert home.count("not stated in the source") >= 2  # the authors and the abstract
    results = (site / "id" / "results-listening.html").read_text(encoding="utf-8")
    assert "tidak ada yang bertanya kepada kami" in results


def test_facts_the_source_lacks_are_shown_as_gaps(tmp_path: Path) -> None:
    findings = tmp_path / "findings"
    findings.mkdir()
    text = (FIXTURES / "mini" / "study.yaml").read_text(encoding="utf-8")
    for old, new in (
        (
            "title: {id: Latar Belakang, en: Background}",
            "title: {gap: not-stated}",
        ),
        (
            "    description:\n"
            "      id: Pemerintah berdialog dengan masyarakat, lalu tumbuh kepercayaan.\n"
            "      en: The government holds a dialogue with the community; trust then grows.\n",
            "    description: {gap: not-in-source}\n",
        ),
        ("  reference: ansell-gash-2008\n", "  reference: {gap: not-stated}\n"),
        ("    type: report\n", "    type: {gap: not-stated}\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (findings / "study.yaml").write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    build(project_for(findings, tmp_path), site)
    introduction = (site / "en" / "introduction.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="background">(.*?)<a class="headerlink"', introduction, re.S)
    assert heading and "not stated in the source" in heading.group(1)
    assert "<em>not in the source</em>" in introduction  # the figure's text alternative
    assert "@misc{" in html.unescape((site / "en" / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source", "translation"), [("en", "id"), ("id", "en")])
def test_new_scaffolds_a_study_that_builds_at_once(
    tmp_path: Path, source: str, translation: str
) -> None:
    folder = tmp_path / "study"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "new",
            str(folder),
            "--source",
            source,
            "-t",
            translation,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert "study.yaml" in files and "quotes.yaml" in files
    for path in folder.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# yaml-language-server: $schema=")
        assert lines[1].startswith("# "), f"{path.name} does not explain itself"
    built = build(project_for(folder, tmp_path), tmp_path / "site")
    assert built.languages == (source, translation)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{source}"' in home
    assert "[title of the study]" in html.unescape(home)


def test_new_refuses_a_folder_that_holds_anything(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FindingsError) as error:
        new_study(tmp_path, "en", ["id"])
    assert "not empty" in str(error.value)
    with pytest.raises(FindingsError) as error:
        new_study(tmp_path / "other", "en", ["xx"])
    assert "no interface labels for language 'xx'" in str(error.value)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def reference_text(site: Path, language: str, reference_id: str) -> str:
    page = page_of(site, language, "references.html")
    match = re.search(rf'<p class="reference" id="ref-{reference_id}">(.*?)</p>', page, re.S)
    assert match, f"no reference {reference_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def test_references_follow_apa_7_in_both_languages(site: Path) -> None:
    article = reference_text(site, "en", "mensah-2015")
    assert article.startswith(
        "Mensah, K., Doyle, R., & Lindqvist, S. (2015). Resilience in small co-operatives. "
        "Co-operative Studies Review, 26(4), 12-34. https://doi.org/10.1234/csr.2015.26"
    )
    page = html.unescape(page_of(site, "en", "references.html"))
    assert "<em>Co-operative Studies Review</em>, <em>26</em>(4)" in page
    assert '<a href="https://doi.org/10.1234/csr.2015.26">' in page
    # Cited exactly where the text cites it: the abstract (home), the introduction, 3.1.
    assert article.endswith("Cited on: Home, 1 Introduction, 3.1 Shared ownership")
    book = reference_text(site, "en", "okafor-2019")
    assert book == (
        "Okafor, A. (2019). Shops we own (2nd ed.). Northgate Press. "
        "https://example.org/shops-we-own"
    )
    assert "<em>Shops we own</em>" in page
    assert reference_text(site, "en", "rota-handbook") == (
        "Harbour Lane Food Co-op (n.d.). The rota handbook <draft>."
    )
    assert reference_text(site, "id", "rota-handbook") == (
        "Harbour Lane Food Co-op (t.t.). The rota handbook <draft> [Buku pegangan jadwal <konsep>]."
    )


def test_a_translation_s_404_page_without_a_site_url_stays_in_its_language(site: Path) -> None:
    page = page_of(site, "id", "404.html")
    links = re.findall(r'(?:href|src)="(/[^/"][^"]*)"', page)
    assert links and not [link for link in links if "/./" in link or "/../" in link]
    # Outside /id/ only the English home (the language switch and its not-found passage) and
    # the theme's assets, of which every language shares the root's one copy.
    outside = {link for link in links if not link.startswith(("/id/", "/assets/"))}
    assert outside == {"/index.html"}
    assert 'data-study-home href="/id/index.html"' in page
    assert 'data-study-home href="/index.html"' in page
    assert '"/id/ownership.html"' in page  # the navigation leads to Indonesian pages
