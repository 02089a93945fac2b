"""`python -m generator synth`: a synthetic study in the real format, for benchmarks."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.build import build, check
from generator.cli import main
from generator.synth import SynthSize, write_synthetic_study
from tests.conftest import project_for


def test_synth_writes_a_study_that_passes_check_and_builds(tmp_path: Path) -> None:
    assert main(["synth", "--quotes", "60", "--out", str(tmp_path / "findings")]) == 0
    project = project_for(tmp_path / "findings", tmp_path)
    checked = check(project)
    findings = checked.findings
    assert len(findings.quotes) == 60
    assert len(findings.informants) == SynthSize(60).informants
    assert [lang.code for lang in findings.languages] == ["id", "en"]
    assert not checked.warnings
    site = tmp_path / "site"
    build(project, site)
    # Every quote is published on a page of each language.
    for root in (site, site / "en"):
        html = " ".join(p.read_text(encoding="utf-8") for p in root.glob("*.html"))
        shown = set(re.findall(r'<figure class="quote[^"]*" id="(q-[a-z0-9-]+)"', html))
        assert shown == {q.id for q in findings.quotes}


def test_synth_is_deterministic_and_scales_informants(tmp_path: Path) -> None:
    first = write_synthetic_study(tmp_path / "a", 200, seed=7)
    second = write_synthetic_study(tmp_path / "b", 200, seed=7)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = write_synthetic_study(tmp_path / "c", 200, seed=8)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert SynthSize(10_000).informants > SynthSize(1_000).informants > SynthSize(100).informants


def test_synth_quotes_look_like_real_ones(tmp_path: Path) -> None:
    """Realistic lengths, both languages, and the gaps a real source has."""
    write_synthetic_study(tmp_path, 400)
    quotes = yaml.safe_load((tmp_path / "quotes.yaml").read_text(encoding="utf-8"))["quotes"]
    texts = [q["text"] for q in quotes if isinstance(q["text"], str)]
    assert 150 < sum(map(len, texts)) / len(texts) < 500  # the real study: about 300
    assert all("en" in q["translation"] for q in quotes if isinstance(q["text"], str))
    assert any(isinstance(q["informant"], dict) for q in quotes)  # unnamed informant
    assert any(isinstance(q["date"], dict) for q in quotes)  # date cut off
    assert any("[@" in q["interpretation"]["en"] for q in quotes if "en" in q["interpretation"])
    assert any(c in "".join(texts) for c in "*&#_")  # Markdown-significant characters
