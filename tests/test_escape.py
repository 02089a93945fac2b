"""`markdown_literal` is the one way data becomes Markdown: table-driven tests, through the
real Markdown pipeline the site uses."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.escape import markdown_literal, neutralise_braces

EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]

# (what an editor wrote, why it is dangerous)
LITERALS = [
    ("<b>bold</b>", "raw HTML"),
    ("<script>alert(1)</script>", "script"),
    ('<img src=x onerror="alert(1)">', "event handler"),
    ("*stars* and _under_ and **strong**", "emphasis"),
    ("# hash at the start", "heading"),
    ("1. a line starting like a list", "ordered list"),
    ("2019. tahun", "year that looks like a list item"),
    ("- dash list", "unordered list"),
    ("+ plus list", "unordered list"),
    ("> not a quote", "blockquote"),
    ("a | pipe | table", "table cell separator"),
    ("{{ braces }} and {% tag %}", "template syntax"),
    ("text { #id .class onclick=x }", "attribute list"),
    ("*[HTML]: Hyper Text", "abbreviation definition"),
    ("[link](javascript:alert(1))", "link"),
    ("![img](x.png)", "image"),
    ("`code` and ``more``", "code span"),
    ("&amp; &lt; &#42;", "entities stay literal"),
    ("back\\slash \\* escaped", "backslash escapes"),
    ("~~strike~~ ^^ins^^ ==mark== :smile:", "pymdownx syntaxes"),
    ("    four spaces", "indented code"),
    ("line one\nline two", "newline"),
    ("tab\there", "tab"),
    ("kita tahun lalu ini adakan dialog … kit juga", "ordinary quote text with an ellipsis"),
]


def rendered_text(source: str) -> str:
    """The text a reader sees for `source` rendered as one paragraph."""
    out = markdown.markdown(source, extensions=EXTENSIONS)
    text = re.sub(r"<br\s*/?>", "\n", out)
    assert "<" not in re.sub(r"</?p>", "", text), f"markup leaked: {out!r}"
    return html.unescape(re.sub(r"</?p>", "", text)).strip()


@pytest.mark.parametrize(("text", "danger"), LITERALS, ids=[d for _, d in LITERALS])
def test_paragraph_shows_the_text_literally(text: str, danger: str) -> None:
    assert rendered_text(markdown_literal(text)) == text.strip()


@pytest.mark.parametrize(("text", "danger"), LITERALS, ids=[d for _, d in LITERALS])
def test_table_cell_shows_the_text_literally(text: str, danger: str) -> None:
    source = f"| a | b |\n|---|---|\n| {markdown_literal(text)} | x |\n"
    out = markdown.markdown(source, extensions=EXTENSIONS)
    cells = re.findall(r"<td>(.*?)</td>", out, flags=re.S)
    assert len(cells) == 2, out  # no extra cell from a pipe
    shown = html.unescape(re.sub(r"<br\s*/?>", "\n", cells[0]))
    assert shown.strip() == text.strip()


@pytest.mark.parametrize(("text", "danger"), LITERALS, ids=[d for _, d in LITERALS])
def test_inside_a_raw_html_block_the_text_is_literal(text: str, danger: str) -> None:
    source = f'<figure class="quote" markdown="0"><p>{markdown_literal(text)}</p></figure>\n'
    out = markdown.markdown(source, extensions=EXTENSIONS)
    inner = re.search(r"<p>(.*)</p>", out, flags=re.S)
    assert inner, out
    assert html.unescape(re.sub(r"<br\s*/?>", "\n", inner.group(1))) == text


def test_heading_keeps_its_text_and_gets_no_attributes() -> None:
    out = markdown.markdown(
        "## " + markdown_literal("Title { #evil onclick=x }"), extensions=EXTENSIONS
    )
    assert "onclick=" not in out
    assert "Title { #evil onclick=x }" in html.unescape(out)


def test_output_is_one_line() -> None:
    assert "\n" not in markdown_literal("a\nb\r\nc\rd\u2028e")


@settings(deadline=None)  # a Markdown render can take longer than 200 ms on a busy machine
@given(st.text())
def test_any_text_round_trips_through_markdown(text: str) -> None:
    # Markdown folds runs of spaces only at the edges of a paragraph; compare stripped text.
    source = markdown_literal(text)
    assert "\n" not in source
    shown = rendered_text(source) if text.strip() else ""
    expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    # Controls are written as references; the browser shows U+FFFD for NUL.
    expected = expected.replace("\x00", "\ufffd")
    if shown != expected:
        # html.unescape maps a few C1 references to Windows-1252 (HTML5 rules); accept those.
        assert html.unescape(source.replace("<br>", "\n")).strip() == shown


def _one_character_at_a_time(text: str) -> str:
    """The escaping rule written plainly, character by character (the specification)."""
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        code = ord(char)
        if char == "\n":
            out.append("<br>")
        elif (
            char in "\\`*_{}[]()#+-.!|<>&~^=:$%\"'@\u2028\u2029"
            or code < 32
            or 0x7F <= code <= 0x9F
        ):
            out.append(f"&#{code};")
        else:
            out.append(char)
    result = "".join(out)
    stripped = result.lstrip(" ")
    return "&#32;" * (len(result) - len(stripped)) + stripped


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF)) | st.text())
def test_the_fast_table_escapes_exactly_like_the_plain_rule(text: str) -> None:
    """`markdown_literal` uses one table and one pattern for speed; the output is the same."""
    assert markdown_literal(text) == _one_character_at_a_time(text)


@pytest.mark.parametrize("text", ["  two leading", " \n x", "\r\n\r", "\u2028 \x85\x7f\t", ""])
def test_the_fast_table_handles_the_edges(text: str) -> None:
    assert markdown_literal(text) == _one_character_at_a_time(text)


BRACES = [
    # (prose as written, what the reader sees, in which element)
    ("a `{x}` b", "{x}", "code"),
    ("a ``{`x`}`` b", "{`x`}", "code"),
    ("a {: onclick=alert(1) } b", "a {: onclick=alert(1) } b", "p"),
    ("`code` {: .x onclick=alert(1) }", "code", "code"),
    ("\\`not code {: #x }\\`", "`not code {: #x }`", "p"),
    ("## title { #id onclick=alert(1) }", "title { #id onclick=alert(1) }", "h2"),
]


@pytest.mark.parametrize(("prose", "shown", "element"), BRACES)
def test_braces_stay_braces_in_code_and_never_make_attributes(
    prose: str, shown: str, element: str
) -> None:
    out = markdown.markdown(neutralise_braces(prose), extensions=EXTENSIONS)
    assert not re.search(r"<[^>]*\sonclick=", out), out  # never an attribute
    assert 'id="x"' not in out and 'class="x"' not in out
    texts = [html.unescape(t) for t in re.findall(rf"<{element}[^>]*>(.*?)</{element}>", out)]
    assert any(shown == re.sub(r"<[^>]+>", "", t).strip() for t in texts), (out, texts)
