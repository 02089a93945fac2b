"""Property: arbitrary text in a findings field is refused with a positioned error, or it
renders with no live markup.

Each example writes the mini study with the text in one field (a quote, a prose field, a
section title, the abstract), runs the real check and render stages, turns every generated
page into HTML with Python-Markdown and the site's own extensions, and passes that HTML
through the gate.  A full MkDocs build per example would be too slow; the theme's contexts
(navigation, `<title>`, site name) are covered by tests/test_hostile.py, which builds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build import generate, read_base_config
from generator.errors import FindingsError, Severity
from generator.gate import check_page
from generator.prose import markdown_extensions
from tests.conftest import FIXTURES, ROOT, project_for

MINI = FIXTURES / "mini" / "study.yaml"
# field -> (a line of the mini study, the same line with the text in place of {})
FIELDS = {
    "quote": ('    text: "kami bertanya dengan pelatih"', "    text: {}"),
    "interpretation (prose)": (
        "      id: Dialog menjadi media konsultasi [@ansell-gash-2008, 544].",
        "      id: {}",
    ),
    "section title": (
        "        title: {id: Latar Belakang, en: Background}",
        "        title: {{id: {}, en: Background}}",
    ),
    "abstract (prose)": (
        "    id: Studi ini melihat *dialog* dan kepercayaan di desa.",
        "    id: {}",
    ),
}
# Characters that mean something to Markdown, HTML, URLs, YAML or Jinja, and some controls.
TOKENS = [*"<>&\"'`{}[]()!:/\\#*_=;|~^@%\t\n -", "javascript:", "&#", "\x00", "\u202e", "<a "]
TEXT = st.lists(
    st.sampled_from(TOKENS) | st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40
).map("".join)


def wrap(body: str) -> str:
    return f'<!doctype html><html lang="id"><head><title>t</title></head><body>{body}</body></html>'


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(sorted(FIELDS)), text=TEXT)
@example(field="quote", text="</title><script>window.__pwned=1</script>")
@example(field="interpretation (prose)", text="[a](https://x)[b](javascript:alert(1))")
@example(field="abstract (prose)", text="> [x]\n>\n> [x]: jav&#x61;script:alert(1)")
@example(field="section title", text="&lt;img src=x onerror=alert(1)&gt;")
@example(field="interpretation (prose)", text="x {: onclick=alert(1) }")
def test_any_text_is_refused_with_a_position_or_renders_inert(
    field: str, text: str, tmp_path_factory: object
) -> None:
    tmp = Path(str(tmp_path_factory.mktemp("prop")))  # type: ignore[attr-defined]
    try:
        study = tmp / "study"
        study.mkdir()
        line, replacement = FIELDS[field]
        source = MINI.read_text(encoding="utf-8")
        assert source.count(line) == 1
        value = json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar
        (study / "study.yaml").write_text(
            source.replace(line, replacement.format(value)), encoding="utf-8"
        )
        shutil.copy(FIXTURES / "mini" / "translations.lock", study / "translations.lock")
        project = project_for(study, tmp)
        try:
            generate(project)
        except FindingsError as error:
            errors = [p for p in error.problems if p.severity is Severity.ERROR]
            assert errors
            for problem in errors:
                assert problem.position.line > 0, f"refused without a position: {problem}"
            return
        extensions = json.loads(markdown_extensions(read_base_config(ROOT / "mkdocs.yml")))
        for page in sorted((project.out).glob("*/docs/*.md")):
            html = markdown.markdown(
                page.read_text(encoding="utf-8"),
                extensions=list(extensions),
                extension_configs=extensions,
            )
            offences = check_page(page.name.replace(".md", ".html"), wrap(html))
            assert offences == [], f"{field}: {text!r} is live in {page}: {offences}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
