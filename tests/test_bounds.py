"""Bounds: garbage, huge or deeply nested input gets a short, positioned answer, fast.

Each command runs as a subprocess with a timeout: a run that takes minutes (as a 1 MB file
of NUL bytes once did) fails the test by timing out, without asserting any timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import FindingsError, Position
from generator.load import MAX_DEPTH, load_findings
from tests.conftest import FIXTURES, ROOT

MINI = FIXTURES / "mini" / "study.yaml"
TIMEOUT = 60  # seconds; a healthy run takes about one


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def findings_with(tmp_path: Path, name: str, data: bytes | str) -> Path:
    folder = tmp_path / "findings"
    folder.mkdir(exist_ok=True)
    target = folder / name
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    return folder


def problem_lines(stderr: str) -> list[str]:
    """The errors printed (warnings, such as translations never reviewed, left out)."""
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("findings/") and ": warning: " not in line
    ]


def test_a_megabyte_of_nul_bytes_is_one_error_for_the_file(tmp_path: Path) -> None:
    folder = findings_with(tmp_path, "study.yaml", b"\0" * 1_000_000)
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "findings/study.yaml:1:1: this is not a text file (it holds NUL bytes)"
    ]
    assert "Traceback" not in result.stderr


def test_many_control_characters_are_counted_not_listed(tmp_path: Path) -> None:
    text = "study:\n  title: '" + "a\x07" * 200_000 + "'\n"
    folder = findings_with(tmp_path, "study.yaml", text)
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    lines = problem_lines(result.stderr)
    assert lines[0] == "findings/study.yaml:2:12: character U+0007 is not allowed in YAML"
    assert lines[-1] == (
        "findings/study.yaml:2:20: character U+0007 is not allowed in YAML "
        "(and 199995 more such characters in this file)"
    )
    assert len(lines) == 5


def test_errors_are_capped_per_run_with_a_count_of_the_rest(tmp_path: Path) -> None:
    # 120 quotes naming an unknown field: 120 errors.
    quotes = "".join(f"  - id: q-{n}\n    colour: red\n" for n in range(120))
    folder = findings_with(tmp_path, "quotes.yaml", "quotes:\n" + quotes)
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    lines = problem_lines(result.stderr)
    assert len(lines) == 50
    assert any(
        line.startswith("… and ") and "more not shown" in line
        for line in result.stderr.splitlines()
    )
    total = result.stderr.strip().splitlines()[-1]
    shown_rest = int(
        next(line for line in result.stderr.splitlines() if line.startswith("… and ")).split()[2]
    )
    assert total.startswith(f"{50 + shown_rest} error(s)")


@pytest.mark.parametrize("bracket", ["[", "{"])
def test_ten_thousand_nested_brackets_get_one_message(tmp_path: Path, bracket: str) -> None:
    folder = findings_with(tmp_path, "study.yaml", "chapters:\n  - " + bracket * 10_000 + "\n")
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"nested more than {MAX_DEPTH} levels deep" in result.stderr
    assert len(problem_lines(result.stderr)) < MAX_DEPTH


def _nested_sections(depth: int) -> str:
    text = MINI.read_text(encoding="utf-8")
    nested, indent = "", "      "
    for level in range(1, depth + 1):
        nested += f"{indent}- id: deep-{level}\n{indent}  title: {{id: D, en: D}}\n"
        if level < depth:
            nested += f"{indent}  sections:\n"
        indent += "    "
    chapter = "  - id: deep\n    title: {id: Dalam, en: Deep}\n    sections:\n" + nested
    return text.replace("chapters:\n", "chapters:\n" + chapter, 1)


def test_sections_nested_170_deep_get_a_message(tmp_path: Path) -> None:
    folder = findings_with(tmp_path, "study.yaml", _nested_sections(170))
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = problem_lines(result.stderr)
    assert f"nested more than {MAX_DEPTH} levels deep" in line


def test_a_section_below_heading_level_six_is_an_error(tmp_path: Path) -> None:
    text = _nested_sections(7)
    folder = findings_with(tmp_path, "study.yaml", text)
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    lines = problem_lines(result.stderr)
    line = text[: text.index("- id: deep-6")].count("\n") + 1
    column = text.index("- id: deep-6") - text.rfind("\n", 0, text.index("- id: deep-6")) + 2
    assert lines == [
        f"findings/study.yaml:{line}:{column}: section 'deep-6' would be a heading of level 7; "
        "pages have 6 levels of headings"
    ]


def test_an_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = findings_with(tmp_path, "study.yaml", MINI.read_text(encoding="utf-8"))
    real = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "study.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(FindingsError) as caught:
        load_findings(folder)
    [problem] = caught.value.problems
    assert problem.position == Position("findings/study.yaml")
    assert problem.message == "cannot read this file: Permission denied"


def test_an_unreadable_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = findings_with(tmp_path, "study.yaml", MINI.read_text(encoding="utf-8"))

    def refuse(path: Path) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(FindingsError) as caught:
        load_findings(folder)
    [problem] = caught.value.problems
    assert problem.position == Position(str(folder))
    assert problem.message == "cannot read this folder: Permission denied"


def test_a_path_the_run_cannot_read_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    folder = findings_with(tmp_path, "study.yaml", MINI.read_text(encoding="utf-8"))
    result = run("check", "--findings", str(folder), "--config", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"{folder}: Is a directory"


def test_a_findings_file_linked_from_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "study.yaml").symlink_to(outside)
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        f"findings/study.yaml: this findings file is a link to '{outside}', "
        "outside the findings folder"
    ]


def test_a_pipe_among_the_findings_is_refused_without_waiting_for_it(tmp_path: Path) -> None:
    folder = findings_with(tmp_path, "study.yaml", MINI.read_text(encoding="utf-8"))
    os.mkfifo(folder / "more.yaml")
    result = run("check", "--findings", str(folder), cwd=tmp_path)
    assert problem_lines(result.stderr) == [
        "findings/more.yaml: this is not a regular file (a device, pipe or broken link)"
    ]
