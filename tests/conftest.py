"""Shared fixtures: the project paths, and the real site built once per test session."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from generator.build import Project, build, check
from generator.model import Findings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def project_for(findings: Path, tmp: Path) -> Project:
    """A Project reading the study in `findings` and writing into `tmp`."""
    return Project(findings=findings, config=ROOT / "mkdocs.yml", out=tmp / "build")


# The real study and a second, different one: features are tested on both.
STUDIES = ("muara-pantun", "harbour")


@functools.cache
def parse_html(path: Path) -> lxml.html.HtmlElement:
    """A built page, parsed once however many tests read it."""
    return lxml.html.fromstring(path.read_bytes())


@functools.cache
def findings_of(name: str) -> Findings:
    """The checked findings of one of `STUDIES`."""
    return check(Project(ROOT / "findings" if name == "muara-pantun" else FIXTURES / name)).findings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class ServedSite:
    """A built site served over HTTP on 127.0.0.1."""

    root: Path
    url: str  # ends with "/"


def serve_folder(root: Path, port: int) -> tuple[http.server.ThreadingHTTPServer, threading.Thread]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@contextlib.contextmanager
def serving(root: Path, port: int | None = None) -> Iterator[str]:
    """`root` served over HTTP on 127.0.0.1 while the block runs; its address ("/" at the end)."""
    port = port or free_port()
    server, _ = serve_folder(root, port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def built_and_served(findings: Path, tmp: Path, **options: Any) -> Iterator[ServedSite]:
    """The study in `findings` built strictly into `tmp/site`, with its site_url set to the
    address it is then served at (`options` go to build())."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    build(project_for(findings, tmp), tmp / "site", site_url=url, **options)
    with serving(tmp / "site", port):
        yield ServedSite(tmp / "site", url)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The real study (findings/) built once, strictly, with site_url set to where it is served."""
    with built_and_served(ROOT / "findings", tmp_path_factory.mktemp("served")) as site:
        yield site


@pytest.fixture(scope="session")
def study_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real study built once without a site_url (as from a plain folder)."""
    tmp = tmp_path_factory.mktemp("plain")
    site = tmp / "site"
    build(project_for(ROOT / "findings", tmp), site)
    return site


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files under tests/golden/ from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return (
        bool(request.config.getoption("--update-golden")) or os.environ.get("UPDATE_GOLDEN") == "1"
    )


@pytest.fixture(scope="session")
def harbour_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The second fixture study (tests/fixtures/harbour: its own stakeholder groups), built once."""
    tmp = tmp_path_factory.mktemp("harbour")
    site = tmp / "site"
    build(project_for(FIXTURES / "harbour", tmp), site)
    return site


@pytest.fixture(params=STUDIES)
def study_built(
    request: pytest.FixtureRequest, study_site: Path, harbour_site: Path
) -> tuple[str, Path]:
    """Each of `STUDIES` by name, with its site built once without an address."""
    return request.param, study_site if request.param == "muara-pantun" else harbour_site
