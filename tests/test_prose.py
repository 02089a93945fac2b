"""Tests for generator.prose: links found the way the site's Markdown parser finds them.

The table holds link forms an attacker would try; each row names the targets that must be
refused.  The study-level test puts one payload into every Markdown field of the format and
expects the error at that field's position.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import check, read_base_config
from generator.errors import FindingsError, Position, Severity
from generator.load import load_findings
from generator.model import build_model
from generator.prose import (
    find_links,
    find_unsafe_links,
    markdown_extensions,
    shown_target,
)
from generator.validate import LINK_HINT, validate
from tests.conftest import FIXTURES, ROOT, project_for

SITE = markdown_extensions(read_base_config(ROOT / "mkdocs.yml"))

# (Markdown text, the targets that must be refused)
PAYLOADS: dict[str, tuple[str, list[str]]] = {
    "inline": ("[a](javascript:alert(1))", ["javascript:alert(1)"]),
    "image": ("![a](javascript:alert(1))", ["javascript:alert(1)"]),
    "adjacent-after-a-safe-link": (
        "[a](https://example.org)[b](javascript:alert(1))",
        ["javascript:alert(1)"],
    ),
    "three-adjacent": (
        "[a](x.md)[b](vbscript:y)[c](data:text/html,z)",
        ["vbscript:y", "data:text/html,z"],
    ),
    "reference-used": ("[a][r]\n\n[r]: javascript:alert(1)", ["javascript:alert(1)"]),
    "reference-unused": ("text\n\n[r]: javascript:alert(1)", ["javascript:alert(1)"]),
    "reference-in-a-block-quote": ("> [r]: javascript:alert(1)\n\n[a][r]", ["javascript:alert(1)"]),
    "reference-in-a-list-item": ("- item\n\n    [r]: javascript:alert(1)", ["javascript:alert(1)"]),
    "reference-in-a-quote-in-a-list": (
        "1. item\n\n    > [r]: <javascript:alert(1)> 'title'",
        ["javascript:alert(1)"],
    ),
    "angle-brackets": ("[a](<javascript:alert(1)>)", ["javascript:alert(1)"]),
    "upper-case": ("[a](JaVaScRiPt:alert(1))", ["JaVaScRiPt:alert(1)"]),
    "leading-space": ("[a]( javascript:alert(1) 'title')", ["javascript:alert(1)"]),
    "split-by-a-newline": ("[a](<java\nscript:alert(1)>)", ["java\nscript:alert(1)"]),
    "split-by-a-tab-reference": ("[a](java&#9;script:alert(1))", ["java\tscript:alert(1)"]),
    "split-by-a-named-tab": ("[a](java&Tab;script:alert(1))", ["java\tscript:alert(1)"]),
    "split-by-a-newline-reference": ("[a](java&#10;script:x)", ["java\nscript:x"]),
    "letter-as-reference": ("[a](jav&#x61;script:alert(1))", ["javascript:alert(1)"]),
    "colon-as-reference": ("[a](javascript&colon;alert(1))", ["javascript:alert(1)"]),
    "leading-control-reference": ("[a](&#x1;javascript:x)", ["javascript:x"]),
    "definition-with-references": ("[r]: jav&#x61;script:x", ["javascript:x"]),
    "data-uri": ("[a](data:text/html;base64,PHNjcmlwdD4=)", ["data:text/html;base64,PHNjcmlwdD4="]),
    "attribute-list": ("[a](x.md){: href='javascript:alert(1)' }", ["javascript:alert(1)"]),
    # What is not a link to a browser is not refused.
    "safe-web-and-mail": ("[a](https://example.org) [b](http://x.org) [c](mailto:a@b.org)", []),
    "safe-page-anchor-citation": ("[a](method.md#informants) [b](#q-x) [c](@ansell-2008)", []),
    "safe-scheme-relative": ("[a](//example.org/x)", []),
    "code-span": ("`[a](javascript:alert(1))`", []),
    "fenced-code": ("```\n[a](javascript:alert(1))\n```", []),
    "escaped-bracket": ("\\[a](javascript:alert(1))", []),
    "tab-inside-an-inline-link": ("[a](java\tscript:x)", []),  # Markdown makes it spaces
    "no-link-at-all": ("javascript:alert(1) is only text", []),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_link_forms_are_found_as_markdown_parses_them(name: str) -> None:
    text, refused = PAYLOADS[name]
    assert find_unsafe_links(text, SITE) == refused


def test_a_heading_in_prose_gives_its_own_anchor_and_no_permalink_target() -> None:
    links = find_links("# Aims\n\nSee [the aims](#aims).", SITE)
    assert links.targets == ("#aims",)
    assert links.ids == ("aims",)


def test_messages_show_control_characters_as_escapes() -> None:
    assert shown_target("java\tscript:\x01") == "java\\tscript:\\x01"


# The six Markdown fields of the format, each located by the text it holds in the mini study.
FIELDS = {
    "abstract": "This study looks at *dialogue* and trust in a village.",
    "definition": "The parties meet and talk in person.",
    "interpretation": "The dialogue served as a means of consultation [@ansell-gash-2008, 544].",
    "body-text": "Dialogue matters to villages ([Ansell and Gash](@ansell-gash-2008)).",
    "conclusion": "The dialogue was interactive.",
    "recommendation": "More hands-on practice.",
}
PAYLOAD = "[a](https://example.org)[b](javascript:alert(1))"


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_an_unsafe_link_in_any_markdown_field_is_refused_at_that_field(
    tmp_path: Path, field: str
) -> None:
    original = (FIXTURES / "mini" / "study.yaml").read_text(encoding="utf-8")
    old = FIELDS[field]
    assert original.count(old) == 1
    text = original.replace(old, f"'{PAYLOAD}'")
    (tmp_path / "findings").mkdir()
    (tmp_path / "findings" / "study.yaml").write_text(text, encoding="utf-8")
    start = text.index(f"'{PAYLOAD}'")
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    findings = build_model(load_findings(tmp_path / "findings"))
    problems = [p for p in validate(findings, markdown=SITE) if "link target" in p.message]
    assert [(p.position, p.message, p.hint) for p in problems] == [
        (
            Position("findings/study.yaml", line, column),
            "link target 'javascript:alert(1)' is not allowed",
            LINK_HINT,
        )
    ]


_PIECES = [*"[]()<>{}:!@#*_ \n\tabcx-/.=\"'\\&;1", "](", "]:", "javascript:", "[@id, 2]"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_fast_path_skips_only_texts_without_links(text: str) -> None:
    """A text the fast path lets through unparsed has no link or image for the parser."""
    from generator.prose import _LINK_SIGNS, parse_links

    if not _LINK_SIGNS.search(text):
        assert parse_links(text).targets == find_links(text).targets == ()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("metod.md", "link 'metod.md' leads to no page of the site"),
        ("method.md/x", "link 'method.md/x' leads to no page of the site"),
        (
            "/method.md",
            "link '/method.md' starts with '/'; the site may not live at the root of its address",
        ),
    ],
)
def test_check_refuses_a_link_to_a_page_the_build_would_not_find(
    tmp_path: Path, target: str, message: str
) -> None:
    original = (FIXTURES / "mini" / "study.yaml").read_text(encoding="utf-8")
    old = FIELDS["conclusion"]
    for language, text in (("en", old), ("id", "Dialog berjalan interaktif.")):
        folder = tmp_path / language / "findings"
        folder.mkdir(parents=True)
        edited = original.replace(text, f"'See [the method]({target}).'")
        (folder / "study.yaml").write_text(edited, encoding="utf-8")
        start = edited.index("'See [the method]")
        line = edited.count("\n", 0, start) + 1
        column = start - edited.rfind("\n", 0, start)
        with pytest.raises(FindingsError) as caught:
            check(project_for(folder, tmp_path / language))
        errors = [p for p in caught.value.problems if p.severity is Severity.ERROR]
        assert [(p.position, p.message) for p in errors] == [
            (Position("findings/study.yaml", line, column), message)
        ], language


def test_check_accepts_links_to_pages_the_site_has(tmp_path: Path) -> None:
    original = (FIXTURES / "mini" / "study.yaml").read_text(encoding="utf-8")
    edited = original.replace(
        FIELDS["conclusion"], "'See [the method](method.md), [top](index.md#abstract).'"
    )
    (tmp_path / "findings").mkdir()
    (tmp_path / "findings" / "study.yaml").write_text(edited, encoding="utf-8")
    check(project_for(tmp_path / "findings", tmp_path))
