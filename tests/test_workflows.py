"""GitHub workflows: valid against GitHub's schema (offline), and deploying as intended."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_matches_githubs_schema(workflow: Path) -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: []\n", encoding="utf-8")  # no runs-on
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_are_pinned_to_versions(workflow: Path) -> None:
    uses = re.findall(r"uses:\s*(\S+)", workflow.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})", action), action


def test_deploy_uses_the_official_pages_actions_with_least_permissions() -> None:
    deploy = load(ROOT / ".github" / "workflows" / "deploy.yml")
    triggers = deploy[True] if True in deploy else deploy["on"]  # YAML 1.1 reads `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert deploy["permissions"] == {"contents": "read"}
    assert deploy["concurrency"]["group"]
    build_steps = " ".join(
        str(s.get("uses", s.get("run", ""))) for s in deploy["jobs"]["build"]["steps"]
    )
    assert "actions/upload-pages-artifact@" in build_steps and "make site" in build_steps
    job = deploy["jobs"]["deploy"]
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert any("actions/deploy-pages@" in s.get("uses", "") for s in job["steps"])


def test_pull_requests_run_check_and_test() -> None:
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    triggers = ci[True] if True in ci else ci["on"]
    assert "pull_request" in triggers
    runs = [s.get("run", "") for s in ci["jobs"]["test"]["steps"]]
    assert "make check STRICT_TRANSLATIONS=1" in runs and "make test" in runs
    assert ci["permissions"] == {"contents": "read"}


def test_ci_entry_point_runs_make_test() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script and "|| true" not in script
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111
