"""Hostile findings: every text field of the format × a catalogue of attacks, built for real.

tests/fixtures/hostile/study.yaml holds `@@TEXT@@` in every text field (titles, names,
roles, quotes, translations, interpretations, notes, captions, figure labels, references,
the study's own metadata and short title...).  Each payload goes into every field at once
and the study is built with the real `build()` (MkDocs, the theme, the gate).  For each
field the payload is either

- refused with an error positioned on that field (the field then gets plain text and the
  study is built again, so the other fields still reach the site), or
- built: the gate passed every page, and an independent scan here (lxml plus a raw-text
  search, not the gate's code) finds no live markup on any page.

At least one page per payload is then opened in Chromium: no dialog, no `window.__pwned`.
The counts of payload × field combinations built and refused are printed.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from generator.build import build
from generator.errors import FindingsError, Problem, Severity
from tests.conftest import FIXTURES, project_for

TEMPLATE = FIXTURES / "hostile" / "study.yaml"
MARK = "@@TEXT@@"
# What the payloads do when they run: a reader's browser must never see either.
PWN = "window.__pwned=1"

# name -> the text an editor writes (after YAML decoding).  `RAW` payloads are written into
# the YAML file byte for byte instead of as YAML escapes.
PAYLOADS: dict[str, str] = {
    "raw tags": f"<script>{PWN}</script><img src=x onerror={PWN}>",
    "svg and comment tricks": f"<svg onload={PWN}><!--><script>{PWN}</script>--></svg>",
    "entity-encoded tags": f"&lt;script&gt;{PWN}&lt;/script&gt;&lt;img src=x onerror={PWN}&gt;",
    "numeric-entity tags": f"&#60;img src=x onerror={PWN}&#62; &#x3C;script&#x3E;{PWN}",
    "double-entity tags": f"&amp;lt;script&amp;gt;{PWN}&amp;lt;/script&amp;gt;",
    "double quote breaker": f'x" onfocus="{PWN}" autofocus tabindex="1" y="',
    "single quote breaker": f"x' onfocus='{PWN}' autofocus tabindex='1' y='",
    "closing tags": f"</title></textarea></style></script><script>{PWN}</script>",
    "entity-encoded closing tags": f"&lt;/title&gt;&lt;script&gt;{PWN}&lt;/script&gt;",
    "javascript inline link": f"[a](javascript:{PWN}) and ![i](javascript:{PWN})",
    "adjacent links": f"[a](https://example.org)[b](javascript:{PWN})",
    "reference in a block quote": f"> [x]\n>\n> [x]: javascript:{PWN}",
    "reference in a list item": f"- [x]\n\n  [x]: javascript:{PWN}",
    "autolinks": f"<javascript:{PWN}> <vbscript:msgbox(1)>",
    "data and vbscript links": "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
    " [v](vbscript:msgbox(1)) ![s](data:image/svg+xml,<svg onload=alert(1)>)",
    "scheme split by tab": f"[a](java\tscript:{PWN})",
    "scheme split by newline": f"[a](java\nscript:{PWN})",
    "scheme split by entities": f"[a](jav&#x61;script:{PWN}) [b](javascript&colon;{PWN})"
    f" [c](java&#9;script:{PWN})",
    "attribute list": f'x {{: onclick="{PWN}" }}\n\n## h {{ #id onclick="{PWN}" }}\n\nx',
    "abbreviation and html block": f"*[x]: <b onclick={PWN}>\n\n<div markdown>\n\n*x*",
    "template syntax": "{{ 7*7 }} {% raw %} ${7*7} #{7*7}",
    "control characters escaped": "a\x00b\x1bc\x7fd\x85e\x08f",
    "control characters raw": "a RAW-ESC b",
    "bidi overrides": "abc\u202edef\u2066ghi\u2069",
    "long word": "Panjang" + "x" * 300,
    "json and yaml breakers": '"}]}, "x": "</script><script>' + PWN + "</script>\n: - &a *a",
}
RAW = {"RAW-ESC": "\x1b"}
# Payloads whose build still fails without a findings position (owned elsewhere; listed here
# so that the suite says so instead of hiding the payload).
KNOWN_UNPOSITIONED: dict[str, str] = {}


def payload_params() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_UNPOSITIONED[name]))
        if name in KNOWN_UNPOSITIONED
        else name
        for name in PAYLOADS
    ]


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data", "poster"}
EMBEDDING = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if data == MARK:
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


@cache
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    return loaded


@cache
def fields() -> list[tuple[Any, ...]]:
    return list(_paths(template()))


def _dump(values: dict[tuple[Any, ...], str]) -> str:
    data = copy.deepcopy(template())
    for path, value in values.items():
        _set(data, path, value)
    # Every scalar double-quoted on one line: a line number names one field.
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9, default_style='"')
    for marker, raw in RAW.items():
        text = text.replace(marker, raw)
    return text


@cache
def field_lines() -> dict[int, tuple[Any, ...]]:
    """The line (1-based) of the findings file that holds each field."""
    text = _dump({path: f"@@FIELD{index}@@" for index, path in enumerate(fields())})
    return {
        number: fields()[int(match.group(1))]
        for number, line in enumerate(text.splitlines(), start=1)
        if (match := re.search(r"@@FIELD(\d+)@@", line))
    }


@dataclass
class Outcome:
    """What became of one payload in every field."""

    site: Path
    refused: dict[tuple[Any, ...], Problem] = field(default_factory=dict)
    builds: int = 0

    @property
    def built(self) -> list[tuple[Any, ...]]:
        return [path for path in fields() if path not in self.refused]


def build_payload(payload: str, tmp: Path) -> Outcome:
    """Build the study with `payload` in every field; refused fields get plain text."""
    study = tmp / "study"
    study.mkdir(parents=True)
    outcome = Outcome(tmp / "site")
    lines = field_lines()
    while True:
        values = {
            path: (
                f"Teks {index}"
                if path in outcome.refused
                # Informants need codes of their own: the same payload, told apart.
                else f"{payload} {index}"
                if path[-1] == "code"
                else payload
            )
            for index, path in enumerate(fields())
        }
        (study / "study.yaml").write_text(_dump(values), encoding="utf-8")
        outcome.builds += 1
        try:
            build(project_for(study, tmp), outcome.site)
            return outcome
        except FindingsError as error:
            errors = [p for p in error.problems if p.severity is Severity.ERROR]
            refused: dict[tuple[Any, ...], Problem] = {}
            if any(
                re.search(r"is not allowed in YAML|which is not allowed$", p.message)
                for p in errors
            ):
                # A forbidden character, raw or escaped, refuses the whole file as it is read
                # (the first few are named, then counted): no field of it is built.
                assert all(lines.get(p.position.line) for p in errors), error
                outcome.refused = {path: errors[0] for path in fields()}
                return outcome
            assert errors, "a refused build names at least one error"
            for problem in errors:
                where = problem.position
                assert where.path.endswith("study.yaml") and where.line > 0, (
                    f"error without a position in the findings: {problem}"
                )
                assert where.line in lines, f"error not on a text field's line: {problem}"
                assert lines[where.line] not in outcome.refused, f"refused again: {problem}"
                refused.setdefault(lines[where.line], problem)
            outcome.refused.update(refused)
            # Errors are capped per run (the first few, then a count): a few rounds.
            assert outcome.builds <= 40, "the refusals do not converge"


# --- an independent look at the built HTML (not the gate's code) ---------------------------


LINKED_DATA = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')


def is_linked_data(opening_tag: str, body: str) -> bool:
    """A schema.org block: data the browser never runs, if it is JSON with no raw `<`."""
    if not re.fullmatch(r'<script type="application/ld\+json">', opening_tag, re.I) or "<" in body:
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def live_markup(page: Path) -> list[str]:
    """What in `page` could run: lxml's reading of the page, plus a raw-text search."""
    text = page.read_text(encoding="utf-8")
    found = [f"control character {m.group()!r}" for m in CONTROL.finditer(text)]
    for script in re.finditer(r"(<script\b[^>]*>)(.*?)</script", text, re.S | re.I):
        if is_linked_data(script.group(1), script.group(2)):
            continue  # findings text as JSON strings: checked by the linked data test below
        if "__pwned" in script.group(2) or "alert(" in script.group(2):
            found.append(f"script: {script.group(0)[:80]}")
    document = lxml.html.document_fromstring(text)
    for element in document.iter():
        raw_tag: object = element.tag  # comments and processing instructions: not a str
        if not isinstance(raw_tag, str):
            continue
        tag = raw_tag.lower().rsplit("}", 1)[-1]
        if tag in EMBEDDING or (tag == "meta" and "http-equiv" in element.attrib):
            found.append(f"<{tag}>")
        if tag == "script" and "__pwned" in (element.text or ""):
            opening = f'<script type="{element.get("type")}">' if element.get("type") else ""
            if not (len(element.attrib) == 1 and is_linked_data(opening, element.text or "")):
                found.append("script with the payload")
        for raw_name, raw_value in element.attrib.items():
            name, value = str(raw_name).lower(), str(raw_value)
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                target = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(33))))
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", target)
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    found.append(f"<{tag} {name}={value!r}>")
    return found


# --- the suite --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    built: dict[str, Outcome] = {}
    yield built
    for outcome in built.values():
        shutil.rmtree(outcome.site.parent, ignore_errors=True)


def outcome_of(name: str, outcomes: dict[str, Outcome], tmp: pytest.TempPathFactory) -> Outcome:
    if name not in outcomes:
        outcomes[name] = build_payload(PAYLOADS[name], tmp.mktemp("hostile"))
    return outcomes[name]


def test_the_fixture_templates_every_text_field() -> None:
    assert len(fields()) >= 90
    # Every field sits on a line of its own, so an error's line names its field.
    assert len(field_lines()) == len(fields())


@pytest.mark.parametrize("name", payload_params())
def test_a_payload_is_refused_or_built_inert(
    name: str, outcomes: dict[str, Outcome], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outcome = outcome_of(name, outcomes, tmp_path_factory)
    if not outcome.built:
        assert not outcome.site.exists(), "a refused study publishes nothing"
        return
    pages = sorted(outcome.site.rglob("*.html"))
    assert len(pages) >= 18, "the site is missing pages"
    live = {
        str(page.relative_to(outcome.site)): found for page in pages if (found := live_markup(page))
    }
    assert live == {}, f"live markup from {name!r}"


def test_counts_of_payload_and_field_combinations(
    outcomes: dict[str, Outcome],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    counted = [name for name in PAYLOADS if name not in KNOWN_UNPOSITIONED]
    for name in counted:
        outcome_of(name, outcomes, tmp_path_factory)
    mine = [outcomes[name] for name in counted]
    built = sum(len(o.built) for o in mine)
    refused = sum(len(o.refused) for o in mine)
    builds = sum(o.builds for o in mine)
    assert built + refused == len(counted) * len(fields())
    assert built > refused, "most combinations must reach the site, or the suite tests little"
    with capsys.disabled():
        print(
            f"\nhostile findings: {len(counted)} payloads x {len(fields())} fields = "
            f"{built + refused} combinations; {built} built and scanned, {refused} refused "
            f"with a positioned error; {builds} real builds"
        )


@pytest.mark.parametrize("name", ["json and yaml breakers", "closing tags", "raw tags"])
def test_a_payload_is_data_inside_the_json_ld(
    name: str, outcomes: dict[str, Outcome], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Titles, keywords, abstract, names in the schema.org blocks: the payload comes back
    from the JSON exactly as written (or as the words its Markdown shows), never as markup."""
    outcome = outcome_of(name, outcomes, tmp_path_factory)
    payload = PAYLOADS[name]
    checked = 0
    for page in ("index.html", "en/index.html", "open-data.html", "en/open-data.html"):
        text = (outcome.site / page).read_text(encoding="utf-8")
        blocks = LINKED_DATA.findall(text)
        assert len(blocks) == 1, f"{page}: the JSON-LD block was cut short or is missing"
        data = json.loads(blocks[0])
        language = "en" if page.startswith("en/") else "id"
        if data["@type"] == "Dataset":
            data = data["isBasedOn"]  # the article, named by the study's title
        plain = [
            ("name", ("study", "title", language)),
            ("headline", ("study", "short_title", language)),
        ]
        for key, path in plain:
            if key in data and path not in outcome.refused:
                assert data[key] == payload, f"{page}: {key}"
                checked += 1
        if ("study", "keywords", 0, language) not in outcome.refused and "keywords" in data:
            assert data["keywords"][0] == payload
            checked += 1
    assert checked >= 4, "the payload reached the JSON-LD in too few fields to tell"


# --- Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def what_ran(chromium: Any, urls: list[str]) -> list[str]:
    """Open each page as a reader would (and press Tab once); what ran: dialogs, the marker."""
    context = chromium.new_context(service_workers="block")
    ran: list[str] = []

    def dialog(opened: Any) -> None:
        ran.append(f"dialog: {opened.message}")
        opened.dismiss()

    context.on("dialog", dialog)
    context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url)
            page.keyboard.press("Tab")  # focus whatever an autofocus/onfocus payload built
            page.wait_for_timeout(50)
            if page.evaluate("window.__pwned") is not None:
                ran.append(f"window.__pwned set on {url}")
    finally:
        context.close()
    return ran


@pytest.mark.browser
def test_the_browser_check_sees_a_payload_run(chromium: Any, tmp_path: Path) -> None:
    """The check below is not blind: a page where the payloads do run is caught."""
    pages = {
        "script.html": f"<p>x</p><script>{PWN}</script>",
        "handler.html": f'<input autofocus onfocus="{PWN}">',
        "dialog.html": "<img src=x onerror=alert(1)>",
    }
    for name, body in pages.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ran = what_ran(chromium, [(tmp_path / name).as_uri() for name in pages])
    assert len(ran) == 3, ran


@pytest.mark.browser
def test_a_long_word_in_every_field_wraps_on_a_320px_screen(
    chromium: Any, outcomes: dict[str, Outcome], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A 300-character word in a quote, a title, the site name and every prose field: no
    page scrolls sideways on the narrowest phone."""
    outcome = outcome_of("long word", outcomes, tmp_path_factory)
    assert outcome.refused == {}
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        wide = {}
        for path in ("index.html", "results-dialogue.html", "introduction.html", "en/method.html"):
            page.goto((outcome.site / path).as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
        assert wide == {}, "pages wider than the screen"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", payload_params())
def test_a_payload_does_not_run_in_chromium(
    name: str,
    chromium: Any,
    outcomes: dict[str, Outcome],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    outcome = outcome_of(name, outcomes, tmp_path_factory)
    if not outcome.built:
        pytest.skip("refused in every field: nothing to open")
    # A section page shows nearly every kind of field: site name, navigation titles (every
    # chapter and section), a quote with its translation and interpretation; the home page
    # shows the study's own metadata; the corrections and the reporting checklist show their
    # notes and every kind of item a correction can touch.
    pages = (
        "results-dialogue.html",
        "en/index.html",
        "corrections.html",
        "reporting-checklist.html",
    )
    urls = [(outcome.site / path).as_uri() for path in pages]
    assert what_ran(chromium, urls) == []
