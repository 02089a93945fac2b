"""The final gate (generator/gate.py) on hand-made pages: each class of live markup is caught.

These pages are written by hand so that the gate cannot pass silently: if it stopped seeing
one class, one of these tests fails.  The built study passing the gate is tested by every
build in the suite (build() runs the gate); one build test here shows a refused build keeps
the last good site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import html5lib
import pytest

from generator.build import build
from generator.errors import FindingsError, Position
from generator.gate import (
    FindingsText,
    Offence,
    SiteLanguage,
    check_page,
    gate_problems,
    inline_script_hash,
    referenced_character,
    url_scheme,
)
from generator.preview import Preview
from generator.write import SITE_MARKER
from tests.conftest import FIXTURES, project_for

LANGUAGES = (SiteLanguage("", ("assets/study.js",)), SiteLanguage("en/", ("assets/study.js",)))
MATERIAL_SCOPE = (
    '__md_scope=new URL(".",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0))'
    ',0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,'
    "JSON.stringify(_))}catch(e){}}"
)


def page(body: str, head: str = "") -> str:
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>T</title>{head}</head><body>{body}</body></html>"
    )


def offences(body: str, head: str = "", name: str = "chapter.html", url: str | None = None):
    return check_page(name, page(body, head), LANGUAGES, url)


# --- what the theme and the project put there passes ---------------------------------------

THEME = [
    '<script src="assets/javascripts/bundle.a5f9d56c.min.js"></script>',
    '<script src="assets/study.js"></script>',
    f"<script>{MATERIAL_SCOPE}</script>",
    "<script>" + MATERIAL_SCOPE.replace('new URL(".",', 'new URL("../..",') + "</script>",
    '<script id="__config" type="application/json">'
    '{"search": "assets/javascripts/workers/search.a7633da7.min.js"}</script>',
    '<form class="md-search__form" name="search"><input type="text"></form>',
    '<form class="md-header__option" data-md-component="palette"></form>',
    '<a href="chapter.html#q-1">x</a><a href="https://example.org/">w</a>'
    '<a href="mailto:a@example.org">m</a><a href="#top">t</a><a href="">e</a>',
    '<img src="assets/a.png" srcset="assets/a.png 1x, https://example.org/b.png 2x" alt="">',
    '<svg viewBox="0 0 1 1"><a href="#x"><text>ok</text></a></svg>',
    '<meta name="citation_title" content="&lt;script&gt;alert(1)&lt;/script&gt;">',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1) onerror=alert(1)</p>",
    "<p>tab\tand\nnewline, right-to-left text: שלום עליכם, ‏mark‎</p>",
    # The generator's schema.org data: JSON, with findings text's "<" escaped.
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Dataset",'
    '"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"}</script>',
    '<script type=" Application/LD+JSON ">[{"@type":"Thing"}]</script>',
]


@pytest.mark.parametrize("body", THEME)
def test_the_theme_and_the_projects_own_markup_pass(body: str) -> None:
    assert offences(body) == []


def test_material_scripts_from_a_translation_and_under_a_site_url_pass() -> None:
    scripts = (
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'
        '<script src="/repo/en/assets/study.js"></script>'
        '<script src="https://example.org/repo/assets/javascripts/bundle.a5f9d56c.min.js"></script>'
    )
    url = "https://example.org/repo/"
    assert check_page("en/sub/page.html", page(scripts), LANGUAGES, url) == []


# --- each class of live markup is caught ---------------------------------------------------

LIVE = {
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "upper case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "entity encoded scheme": '<a href="&#106;avascript&colon;alert(1)">x</a>',
    "tab inside scheme": '<a href="java&#9;script:alert(1)">x</a>',
    "newline inside scheme": '<a href="java\nscript:alert(1)">x</a>',
    "leading space and control": '<a href=" &#1;javascript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data src": '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="">',
    "srcset": '<img src="a.png" srcset="a.png 1x, javascript:alert(1) 2x" alt="">',
    "form action": '<form class="md-search__form" name="search" action="javascript:x"></form>',
    "formaction": '<button formaction="javascript:alert(1)">b</button>',
    "svg xlink:href": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg href": '<svg><use href="data:image/svg+xml,x#y"></use></svg>',
    "math href": '<math><mi href="javascript:alert(1)">x</mi></math>',
    "event handler": '<img src="a.png" alt="" onerror="alert(1)">',
    "event handler upper case": '<p ONCLICK="alert(1)">x</p>',
    "svg event handler": '<svg onload="alert(1)"></svg>',
    "inline script": "<script>alert(1)</script>",
    "script with unknown source": '<script src="https://evil.example/x.js"></script>',
    "script outside the site": '<script src="../../../x/assets/study.js"></script>',
    "svg script": '<svg><script href="data:,alert(1)"></script></svg>',
    "script hidden from a naive parser": "<!--><script>alert(1)</script>-->",
    "json that is not the theme's": '<script id="__config" type="application/json">'
    '{"search": "data:text/javascript,alert(1)"}</script>',
    "iframe": '<iframe src="https://example.org/"></iframe>',
    "object": '<object data="x.swf"></object>',
    "embed": '<embed src="x.swf">',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "unknown form": '<form><input name="password"></form>',
    # a browser that runs scripts ends <noscript> at the first "</noscript>", attribute or not
    "noscript hiding an element": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
    "</noscript>",
    "template content": "<template><script>alert(1)</script></template>",
    "svg animation": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
    "<text>x</text></a></svg>",
    "NUL": "<p>a\x00b</p>",
    "escape character": "<p>a\x1b[31mb</p>",
    "control as reference": "<p>a&#x1b;b</p>",
    "C1 control as reference": "<p>a&#x8d;b</p>",  # &#x85; would be "…" (windows-1252)
    "bidi override": "<p>abc\u202edef</p>",
    "bidi isolate as reference": "<p>abc&#x2066;def</p>",
    "control in attribute": '<p title="a&#1;b">x</p>',
    "linked data that is not JSON": '<script type="application/ld+json">alert(1)</script>',
    "linked data that is a JSON string": '<script type="application/ld+json">"x"</script>',
    "linked data with a source": '<script type="application/ld+json" src="assets/study.js">'
    "</script>",
    "linked data from elsewhere": '<script type="application/ld+json" src="https://evil.example/'
    'x.json"></script>',
    "linked data ended early": '<script type="application/ld+json">{"a":"</script>'
    '<script>alert(1)</script>"}',
    "linked data hiding a script": '<script type="application/ld+json">{"a":"<!--<script>"}'
    "</script><script>alert(1)</script>",
    "JSON under another script type": '<script type="text/javascript">{"@type":"Thing"}</script>',
    "module script": '<script type="module">{"@type":"Thing"}</script>',
    "JSON-like type": '<script type="application/json+ld">{"@type":"Thing"}</script>',
}


@pytest.mark.parametrize("body", LIVE.values(), ids=LIVE.keys())
def test_each_class_of_live_markup_is_caught(body: str) -> None:
    found = offences(body)
    assert found, f"the gate let through: {body!r}"
    assert all(o.page == "chapter.html" for o in found)


def test_live_markup_in_the_head_is_caught() -> None:
    assert offences("", head='<link rel="icon" href="javascript:alert(1)">')


def test_an_offence_names_its_line_in_the_page() -> None:
    found = check_page("x.html", "<p>ok</p>\n<p>\n  <img src=a onerror=alert(1)></p>", LANGUAGES)
    assert [(o.line, o.message) for o in found] == [
        (3, "event-handler attribute 'onerror' on <img>")
    ]


def test_an_unknown_inline_script_is_named_by_its_hash() -> None:
    (offence,) = offences("<script>alert(2)</script>")
    assert inline_script_hash("alert(2)")[:16] in offence.message


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("https://x", "https"),
        ("  \x01JAVA\tSCRIPT:alert(1)", "javascript"),
        ("java\nscript:x", "javascript"),
        ("page.html#a:b", None),
        ("./x:y", None),
        ("1x:y", None),
        ("x y:z", None),
        ("", None),
    ],
)
def test_url_scheme_reads_a_url_as_the_browser_does(value: str, scheme: str | None) -> None:
    assert url_scheme(value) == scheme


# --- offences become positioned problems ----------------------------------------------------


def test_an_offence_is_reported_at_the_findings_text_it_came_from() -> None:
    texts = [
        FindingsText("harmless", Position("findings/a.yaml", 3, 5)),
        FindingsText("see [b](java&#9;script:alert(1))", Position("findings/a.yaml", 7, 11)),
    ]
    offence = Offence("en/x.html", "'javascript:' URL in href of <a>", "java\tscript:alert(1)")
    (problem,) = gate_problems([offence], texts, "site")
    assert str(problem.position) == "findings/a.yaml:7:11"
    assert "site/en/x.html" in problem.hint


def test_an_offence_from_no_findings_text_is_reported_at_the_page() -> None:
    offence = Offence("x.html", "inline <script>", "alert(1)", 12, 3)
    (problem,) = gate_problems([offence], [FindingsText("a", Position("f.yaml", 1, 1))], "site")
    assert str(problem.position) == "site/x.html:12:3"


def test_a_refused_build_names_the_page_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    """A script in a hand-written page (copied as it is) is refused by the gate itself."""
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini", study)
    for language in ("id", "en"):
        (study / "pages" / language).mkdir(parents=True)
        (study / "pages" / language / "extra.md").write_text(
            "# Extra\n\n<p>x</p>\n\n<script>window.__pwned=1</script>\n", encoding="utf-8"
        )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("last good site", encoding="utf-8")
    (site / SITE_MARKER).write_text("", encoding="utf-8")  # a site the generator made
    with pytest.raises(FindingsError) as raised:
        build(project_for(study, tmp_path), site)
    problems = raised.value.problems
    # One problem per page file, at the line of the script.
    assert sorted(str(p.position) for p in problems) == [
        "study/pages/en/extra.md:5:1",
        "study/pages/id/extra.md:5:1",
    ]
    assert all("inline <script>" in p.message for p in problems)
    assert (site / "index.html").read_text(encoding="utf-8") == "last good site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_preview_runs_the_gate_and_never_publishes_a_refused_page(tmp_path: Path) -> None:
    """`serve` rebuilds only the pages an edit touched; those pass the same gate, and a
    refused page stays refused when a later edit touches another page."""
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "mini", study)
    for language in ("id", "en"):
        (study / "pages" / language).mkdir(parents=True)
        (study / "pages" / language / "extra.md").write_text("# Extra\n\nok\n", encoding="utf-8")
    site = tmp_path / "site"
    preview = Preview(project_for(study, tmp_path / "p"), site)
    assert preview.build().full
    good = (site / "extra.html").read_text(encoding="utf-8")
    page = study / "pages" / "id" / "extra.md"
    page.write_text("# Extra\n\n<script>window.__pwned=1</script>\n", encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        preview.build()
    assert [str(p.position) for p in raised.value.problems] == ["study/pages/id/extra.md:3:1"]
    assert (site / "extra.html").read_text(encoding="utf-8") == good
    # Another edit, elsewhere: the page with the script is still there, and still refused.
    source = study / "study.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Perbanyak praktik.", "Praktik."),
        encoding="utf-8",
    )
    with pytest.raises(FindingsError):
        preview.build()
    assert (site / "extra.html").read_text(encoding="utf-8") == good
    page.write_text("# Extra\n\nfixed\n", encoding="utf-8")
    preview.build()
    assert "fixed" in (site / "extra.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "number", [0, 1, 9, 0x1B, 0x7F, *range(0x80, 0xA0), 0xA0, 0x202E, 0xD800, 0x10FFFF, 0x110000]
)
def test_a_numeric_reference_is_decoded_as_an_independent_html5_parser_decodes_it(
    number: int,
) -> None:
    # html5lib (a test-only dependency) decodes references by the same standard, separately
    document = html5lib.parse(f"<p>&#x{number:x};</p>", namespaceHTMLElements=False)
    paragraph = document.find(".//p")
    assert paragraph is not None
    assert referenced_character(f"&#x{number:x};") == paragraph.text
