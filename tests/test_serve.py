"""`python -m generator serve`: the live preview an editor keeps open while editing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import FIXTURES, ROOT, free_port
from tests.test_browser import CHROMIUM, LAUNCH_ARGS

pytestmark = [pytest.mark.slow, pytest.mark.browser]


class Preview:
    def __init__(self, folder: Path, port: int, process: subprocess.Popen[str]) -> None:
        self.folder = folder
        self.url = f"http://127.0.0.1:{port}/"
        self.process = process
        self.study = folder / "findings" / "study.yaml"

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")

    def wait_for(self, path: str, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                page = self.get(path)
            except OSError:
                page = ""
            if text in page:
                return page
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared on {path}")

    def edit(self, old: str, new: str) -> None:
        text = self.study.read_text(encoding="utf-8")
        assert old in text
        self.study.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    shutil.copytree(FIXTURES / "mini", tmp_path / "findings")
    (tmp_path / "tmp").mkdir()  # the preview's temporary folder goes here
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--findings",
            str(tmp_path / "findings"),
            "--out",
            str(tmp_path / "build"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
    )
    server = Preview(tmp_path, port, process)
    try:
        server.wait_for("en/results-dialogue.html", "we asked the trainer questions")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_an_edit_is_rebuilt_and_a_bad_edit_keeps_the_last_good_preview(preview: Preview) -> None:
    preview.edit("we asked the trainer questions", "we asked the trainer many questions")
    preview.wait_for("en/results-dialogue.html", "we asked the trainer many questions")

    preview.edit("informant: ss", "informant: nobody")
    log = preview.folder / "serve.log"
    deadline = time.monotonic() + 30
    while "unknown informant 'nobody'" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.2)
    output = log.read_text(encoding="utf-8")
    assert "findings/study.yaml:" in output and "Traceback" not in output
    assert preview.process.poll() is None, "the preview stopped on a bad edit"
    assert "many questions" in preview.get("en/results-dialogue.html")  # last good build

    preview.edit("informant: nobody", "informant: ss")
    preview.edit("many questions", "lots of questions")
    preview.wait_for("en/results-dialogue.html", "we asked the trainer lots of questions")


def test_the_open_page_reloads_by_itself(preview: Preview) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(preview.url + "results-dialogue.html")
            quote = page.locator("#q-dialogue-ss blockquote")
            assert quote.inner_text().strip() == "kami bertanya dengan pelatih"
            preview.edit("kami bertanya dengan pelatih", "kami sering bertanya dengan pelatih")
            page.wait_for_function(
                "() => document.querySelector('#q-dialogue-ss blockquote')"
                "?.innerText.includes('sering')",
                timeout=30_000,
            )
        finally:
            browser.close()


def wait_for_log(preview: Preview, text: str, timeout: float = 60) -> str:
    log = preview.folder / "serve.log"
    deadline = time.monotonic() + timeout
    while text not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.2)
    return log.read_text(encoding="utf-8")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stopping_the_preview_removes_its_temporary_folder(
    preview: Preview, stop: signal.Signals
) -> None:
    temporary = preview.folder / "tmp"
    # Jinja's cache of compiled templates (render.py) stays there for the next run.
    [folder] = [path for path in temporary.iterdir() if not path.name.startswith("_jinja2")]
    assert folder.name.startswith("study-preview-")
    preview.process.send_signal(stop)
    assert preview.process.wait(timeout=30) == 0
    assert [path for path in temporary.iterdir() if not path.name.startswith("_jinja2")] == []


def test_a_binary_file_among_the_findings_does_not_stall_the_preview(preview: Preview) -> None:
    garbage = preview.folder / "findings" / "garbage.yaml"
    garbage.write_bytes(b"\0" * 1_000_000)
    output = wait_for_log(preview, "garbage.yaml:1:1: this is not a text file")
    assert output.count("garbage.yaml") == 1 and "Traceback" not in output
    garbage.unlink()
    preview.edit("we asked the trainer questions", "we asked the trainer more questions")
    preview.wait_for("en/results-dialogue.html", "we asked the trainer more questions")
