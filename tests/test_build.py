"""The whole run, with the real MkDocs: strict builds, reproducibility, and a failed run
leaving every file and the last good site as they were."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import BuildError, build, generate
from generator.errors import FindingsError
from generator.write import MANIFEST
from tests.conftest import FIXTURES, ROOT, project_for

pytestmark = pytest.mark.slow


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` with the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_fixture(tmp_path: Path, name: str = "mini") -> Path:
    target = tmp_path / "findings"
    shutil.copytree(FIXTURES / name, target)
    return target


def test_builds_both_languages_strictly(tmp_path: Path) -> None:
    project = project_for(copy_fixture(tmp_path), tmp_path)
    built = build(project, tmp_path / "site")
    assert built.languages == ("id", "en")
    assert (tmp_path / "site" / "results-dialogue.html").exists()
    assert (tmp_path / "site" / "en" / "results-dialogue.html").exists()
    html_id = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    html_en = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id"' in html_id and '<html lang="en"' in html_en


def test_failed_validation_changes_nothing(tmp_path: Path) -> None:
    findings = copy_fixture(tmp_path)
    project = project_for(findings, tmp_path)
    site = tmp_path / "site"
    build(project, site)
    before_site, before_build = tree_digest(site), tree_digest(tmp_path / "build")
    study = findings / "study.yaml"
    study.write_text(
        study.read_text(encoding="utf-8").replace("informant: ss", "informant: nobody"),
        encoding="utf-8",
    )
    with pytest.raises(FindingsError) as error:
        build(project, site)
    assert "unknown informant 'nobody'" in str(error.value)
    assert tree_digest(site) == before_site
    assert tree_digest(tmp_path / "build") == before_build


def test_a_broken_link_in_a_hand_written_page_names_its_line_and_keeps_the_last_good_site(
    tmp_path: Path,
) -> None:
    findings = copy_fixture(tmp_path)
    project = project_for(findings, tmp_path)
    site = tmp_path / "site"
    build(project, site)
    before = tree_digest(site)
    for language in ("id", "en"):
        (findings / "pages" / language).mkdir(parents=True)
        (findings / "pages" / language / "about.md").write_text(
            "# About\n\nSee the [method](method.md) and [this](nowhere.md#nothing).\n",
            encoding="utf-8",
        )
    with pytest.raises(FindingsError) as error:
        build(project, site)
    [problem] = error.value.problems
    assert str(problem.position) == "findings/pages/id/about.md:3:40"
    assert "'nowhere.md#nothing'" in problem.message
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site*")), "staging folder left behind"


def test_a_failed_mkdocs_build_keeps_the_last_good_site(tmp_path: Path) -> None:
    findings = copy_fixture(tmp_path)
    project = project_for(findings, tmp_path)
    site = tmp_path / "site"
    build(project, site)
    before = tree_digest(site)
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins: [no-such-plugin]\n", encoding="utf-8")
    with pytest.raises(BuildError):
        build(dataclasses.replace(project, config=config), site)
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site*")), "staging folder left behind"


def test_hand_written_pages_and_images_come_from_the_study_folder(tmp_path: Path) -> None:
    # A study is one folder: its pages and images are published, and nothing of another study.
    findings = copy_fixture(tmp_path)
    for language, title in (("id", "Tentang"), ("en", "About")):
        (findings / "pages" / language).mkdir(parents=True)
        (findings / "pages" / language / "about.md").write_text(
            f"# {title}\n\n![map](images/map.svg)\n", encoding="utf-8"
        )
    (findings / "images").mkdir()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    (findings / "images" / "map.svg").write_bytes(svg)
    site = tmp_path / "site"
    build(project_for(findings, tmp_path), site)
    for prefix in ("", "en/"):
        assert (site / prefix / "images" / "map.svg").read_bytes() == svg
        assert 'src="images/map.svg"' in (site / prefix / "about.html").read_text(encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "mini", other / "findings")
    build(project_for(other / "findings", other), other / "site")
    assert not list((other / "site").rglob("about.html"))
    assert not (other / "site" / "images").exists()


def test_a_removed_page_disappears_from_the_output(tmp_path: Path) -> None:
    findings = copy_fixture(tmp_path)
    project = project_for(findings, tmp_path)
    site = tmp_path / "site"
    build(project, site)
    assert (site / "en" / "conclusions.html").exists()
    study = findings / "study.yaml"
    text = study.read_text(encoding="utf-8").replace("  - id: conclusions\n", "  - id: closing\n")
    study.write_text(text, encoding="utf-8")
    build(project, site)
    assert not (tmp_path / "build" / "en" / "docs" / "conclusions.md").exists()
    assert not (site / "en" / "conclusions.html").exists()
    assert (site / "en" / "closing.html").exists()
    assert "conclusions.md" not in (tmp_path / "build" / MANIFEST).read_text(encoding="utf-8")


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    project = project_for(copy_fixture(tmp_path), tmp_path)
    first = generate(project)
    page = tmp_path / "build" / "id" / "docs" / "index.md"
    stamp = page.stat().st_mtime_ns
    second = generate(project)
    assert first.report.written and not second.report.written
    assert page.stat().st_mtime_ns == stamp


def test_refuses_to_write_into_a_folder_it_does_not_own(tmp_path: Path) -> None:
    project = project_for(copy_fixture(tmp_path), tmp_path)
    (tmp_path / "build").mkdir()
    precious = tmp_path / "build" / "notes.txt"
    precious.write_text("mine", encoding="utf-8")
    with pytest.raises(FindingsError) as error:
        generate(project)
    assert "not made by the generator" in str(error.value)
    assert precious.read_text(encoding="utf-8") == "mine"


def _checkout(target: Path) -> Path:
    """A copy of the tracked (and new, unignored) files of this repository at `target`."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_two_checkouts_build_byte_identical_sites(tmp_path: Path) -> None:
    sites = []
    for index, place in enumerate(["a", "a-much-longer-checkout-path/nested"]):
        checkout = _checkout(tmp_path / place)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": str(index + 1)}
        env.pop("SITE_URL", None)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                "--site-url",
                "https://example.org/study/",
            ],
            cwd=checkout,
            env=env,
            check=True,
            capture_output=True,
        )
        sites.append(checkout / "site")
    first, second = (tree_digest(s) for s in sites)
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"files differ between checkouts: {differing[:5]}"
    for path in sites[0].rglob("*.html"):
        assert str(tmp_path) not in path.read_text(encoding="utf-8"), f"absolute path in {path}"


def test_zensical_builds_the_generated_output_as_proper_pages(tmp_path: Path) -> None:
    project = project_for(ROOT / "findings", tmp_path)
    generate(project)
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent)) or "zensical"
    for language in ("id", "en"):
        folder = tmp_path / "build" / language
        result = subprocess.run(
            [zensical, "build", "-f", "mkdocs.yml"], cwd=folder, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        site = folder / "site"
        pages = sorted(p.name for p in site.glob("*.html"))
        assert "results-trust-building.html" in pages
        assert not [p for p in site.rglob("*") if ".id" in p.name or ".en" in p.name]
        html = (site / "results-trust-building.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in html
        assert 'id="q-trust-lsm"' in html
        other = "en/" if language == "id" else "../"
        assert f"{other}results-trust-building.html".replace("/", "&#x2f;") in html or (
            f"{other}results-trust-building.html" in html
        ), "language switch does not lead to the same page"
        # The schema.org data reaches Zensical's pages as written: one block, JSON.
        home = (site / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">([^<]*)</script>', home)
        assert len(blocks) == 1 and json.loads(blocks[0])["inLanguage"] == language
