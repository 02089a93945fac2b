"""Owned output: a run writes only into folders the generator made, and runs never mix.

`--site` and `--out` pointed at the study, the project or a user's folder are refused
before anything is written; a site reached through a link is rebuilt where the link
points; two builds at once each publish their own findings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.write import SITE_MARKER
from tests.conftest import FIXTURES, ROOT, project_for

pytestmark = pytest.mark.slow
TIMEOUT = 300  # seconds, for a whole build on a busy machine


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(ROOT / "mkdocs.yml"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A project folder holding the mini study as findings/, and a user's notes/."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "findings")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ideas.txt").write_text("my own notes\n", encoding="utf-8")
    return tmp_path


REFUSALS = {
    "a-folder-with-user-files": (
        ["--site", "notes"],
        "notes: --site notes holds files the generator did not make; refusing to replace it",
    ),
    "the-findings-folder": (
        ["--site", "findings"],
        "findings: --site findings is the findings folder",
    ),
    "inside-the-findings-folder": (
        ["--site", "findings/site"],
        "findings/site: --site findings/site is inside the findings folder findings",
    ),
    "the-current-folder": (["--site", "."], ".: --site . is the current folder"),
    "a-parent-of-the-study": (["--site", ".."], "..: --site .. holds the findings folder"),
    "out-is-the-findings-folder": (
        ["--out", "findings"],
        "findings: --out findings is the findings folder",
    ),
    "site-and-out-overlap": (
        ["--site", "build/site"],
        "build/site: --site build/site and --out build overlap; one would overwrite the other",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_an_output_that_would_overwrite_something_is_refused(study: Path, name: str) -> None:
    args, message = REFUSALS[name]
    before = tree(study)
    result = run(study, "--findings", "findings", *args)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == message
    assert "Traceback" not in result.stderr
    assert tree(study) == before, "a refused run changed files"


def test_findings_and_site_in_one_folder_is_refused(study: Path) -> None:
    before = tree(study)
    result = run(study, "--findings", "findings", "--site", "findings")
    assert result.stderr.startswith("findings: --site findings is the findings folder")
    assert tree(study) == before


def test_a_site_behind_a_link_is_rebuilt_where_the_link_points(study: Path) -> None:
    (study / "published").mkdir()
    (study / "site").symlink_to("published")
    project = project_for(study / "findings", study)
    build(project, study / "site")
    assert (study / "site").is_symlink()
    assert (study / "published" / "en" / "index.html").is_file()
    # A site from the generator's previous version carries no marker; it is still replaced.
    (study / "published" / SITE_MARKER).unlink()
    (study / "findings" / "study.yaml").write_text(
        (study / "findings" / "study.yaml")
        .read_text(encoding="utf-8")
        .replace("A Small Study of Village Dialogue", "A Second Build"),
        encoding="utf-8",
    )
    build(project, study / "site")
    assert (study / "site").is_symlink() and (study / "site").resolve() == study / "published"
    assert "A Second Build" in (study / "published" / "en" / "index.html").read_text("utf-8")
    assert (study / "published" / SITE_MARKER).is_file()
    left = sorted(p.name for p in study.iterdir())
    assert left == ["build", "findings", "notes", "published", "site"], "leftovers"


def _findings_named(folder: Path, title: str) -> Path:
    shutil.copytree(FIXTURES / "mini", folder)
    study = folder / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("A Small Study of Village Dialogue", title), encoding="utf-8")
    return folder


def test_two_builds_at_once_into_one_out_folder_publish_only_their_own_findings(
    tmp_path: Path,
) -> None:
    _findings_named(tmp_path / "alpha", "Alpha Study Marker")
    _findings_named(tmp_path / "beta", "Beta Study Marker")
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                "--config",
                str(ROOT / "mkdocs.yml"),
                "--findings",
                name,
                "--out",
                "build",
                "--site",
                f"site-{name}",
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for name in ("alpha", "beta")
    ]
    outputs = [process.communicate(timeout=TIMEOUT)[0] for process in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    for mine, theirs in (("alpha", "Beta"), ("beta", "Alpha")):
        pages = [p.read_text(encoding="utf-8") for p in (tmp_path / f"site-{mine}").rglob("*.html")]
        assert any(f"{mine.capitalize()} Study Marker" in page for page in pages)
        assert not any(f"{theirs} Study Marker" in page for page in pages), mine
    assert not list(tmp_path.glob(".site-*")), "staging folders left behind"
