"""The whole run in one place: gather and check everything, then write, then build.

    load -> model -> validate -> render -> write (build/) -> MkDocs, once per language

Nothing is written before every check has passed; the site folder is replaced only after
every language built without a single warning.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FindingsError, Position, Problem, Severity, relative_path
from generator.gate import (
    FindingsText,
    SiteLanguage,
    check_site,
    findings_texts,
    gate_problems,
)
from generator.load import load_findings
from generator.model import Findings, build_model
from generator.plan import QUOTES_PER_PAGE, HandwrittenText, all_pages, plan_site
from generator.prose import markdown_extensions
from generator.publish import publish
from generator.render import (
    HandwrittenPage,
    RenderOptions,
    catalogue_languages,
    render_site,
    site_languages,
)
from generator.translations import (
    LOCK_NAME,
    lock_path,
    read_lock,
    stale_fields,
    translation_problems,
    translation_status,
)
from generator.validate import Options, page_link_problems, validate
from generator.write import (
    WriteReport,
    is_generated_site,
    locked,
    replace_folder,
    staging_folder,
    write_tree,
)

PAGES_FOLDER = "pages"
IMAGES_FOLDER = "images"

# Material prints a long banner about MkDocs 2.0 on every build; it would drown warnings.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class Project:
    """Where a study's inputs live and where the generator may write.

    A study is one folder: its findings (`*.yaml`), its hand-written pages
    (`pages/<language>/<name>.md`) and its images (`images/`). Everything else is the tool.
    """

    findings: Path = Path("findings")
    config: Path = Path("mkdocs.yml")  # settings shared by every language
    out: Path = Path("build")  # generated Markdown and per-language MkDocs settings

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def pages(self) -> Path:
        """The study's hand-written pages: pages/<language>/<name>.md."""
        return self.findings / PAGES_FOLDER

    @property
    def images(self) -> Path:
        """The study's images, published at images/ in every language."""
        return self.findings / IMAGES_FOLDER


@dataclass(frozen=True)
class Checked:
    """A study that passed every check, with the warnings it still has."""

    findings: Findings
    handwritten: tuple[HandwrittenPage, ...]
    warnings: tuple[Problem, ...]
    # (field address, language) of each translation whose original changed since review.
    stale: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Generated:
    checked: Checked
    report: WriteReport
    site_url: str | None = None  # the published address the pages were written for


@dataclass(frozen=True)
class Built:
    generated: Generated
    site: Path
    languages: tuple[str, ...] = field(default=())


class BuildError(Exception):
    """MkDocs refused to build (a warning in strict mode, a broken link or anchor...)."""

    def __init__(self, language: str, messages: list[str]) -> None:
        self.language = language
        self.messages = messages
        shown = "\n".join(f"  {m}" for m in messages) or "  (no message)"
        super().__init__(f"MkDocs build of the '{language}' site failed:\n{shown}")


def read_handwritten(
    folder: Path, languages: list[str], display_root: Path | None = None
) -> dict[str, dict[str, HandwrittenText]]:
    """Hand-written pages by language: {language: {file name: text and shown path}}.

    Only folders named after a language of the study hold pages.
    """
    pages: dict[str, dict[str, HandwrittenText]] = {}
    if not folder.is_dir():
        return pages
    root = display_root or folder.parent.parent
    for language in sorted(p for p in folder.iterdir() if p.is_dir() and p.name in languages):
        pages[language.name] = {
            page.name: HandwrittenText(
                page.read_text(encoding="utf-8"), relative_path(page, root).replace("\\", "/")
            )
            for page in sorted(language.glob("*.md"))
        }
    return pages


def read_images(folder: Path) -> dict[str, bytes]:
    """The study's images by path relative to `folder` (published under images/)."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def check(project: Project, options: Options = Options()) -> Checked:
    """Load and validate everything; raise FindingsError listing every error."""
    with collector_paused():
        return _check(project, options)


def _check(project: Project, options: Options) -> Checked:
    sources = load_findings(project.findings, display_root=project.findings.parent)
    shown_lock = f"{project.findings.resolve().name}/{LOCK_NAME}"
    lock = read_lock(lock_path(project.findings), shown_lock)
    findings = build_model(sources)
    codes = [language.code for language in findings.languages]
    by_language = read_handwritten(project.pages, codes, project.findings.parent)
    problems = [warning for source in sources for warning in source.warnings]
    markdown = markdown_extensions(read_base_config(project.config))
    problems += validate(
        findings,
        options,
        catalogue_languages=catalogue_languages(),
        handwritten_pages={
            lang: {name: page.path for name, page in pages.items()}
            for lang, pages in by_language.items()
        },
        markdown=markdown,
        pages_folder=relative_path(project.pages, project.findings.parent),
    )
    statuses = translation_status(findings, lock)
    problems += translation_problems(
        statuses, lock, strict=options.strict_translations, shown_lock=shown_lock
    )
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise FindingsError(problems)
    names = sorted({name for pages in by_language.values() for name in pages})
    handwritten = tuple(
        HandwrittenPage(
            name,
            {code: by_language[code][name].text for code in codes},
            {code: by_language[code][name].path for code in codes},
        )
        for name in names
    )
    # Links in prose to pages the site will not have: MkDocs' strict build would refuse them.
    pages = {page.file for page in all_pages(plan_site(findings, handwritten).pages)}
    pages |= {f"{IMAGES_FOLDER}/{name}" for name in read_images(project.images)}
    broken = page_link_problems(findings, pages, markdown)
    if broken:
        raise FindingsError(problems + broken)
    return Checked(
        findings,
        handwritten,
        tuple(sorted(problems, key=lambda p: (p.position, p.message))),
        stale_fields(statuses),
    )


def read_base_config(path: Path) -> dict[str, Any]:
    """The shared mkdocs.yml (plain YAML: no Python tags)."""
    if not path.exists():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = Position(str(path), mark.line + 1, mark.column + 1) if mark else Position(str(path))
        raise FindingsError([Problem(where, f"invalid YAML: {error.problem}")]) from None
    if not isinstance(data, dict):
        raise FindingsError([Problem(Position(str(path)), "mkdocs.yml must be a mapping")])
    return data


# The garbage collector's full passes walk every live object. The loaded study and its
# model are millions of objects at 10,000 quotes, alive until the build ends: walked again
# by every pass, they cost 4.2 s of a 73 s build (1.6 s with both helpers below).


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collector passes in the block: for loading and checking the study, which builds
    tree-shaped data (a 10,000-quote study leaves about 1,000 objects in cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_held = 0


@contextmanager
def long_lived() -> Iterator[None]:
    """Keep every object made so far (the study's model, once checked) out of the garbage
    collector's passes until the block ends (the rendering, MkDocs and the gate)."""
    global _held
    gc.freeze()
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held:
            gc.unfreeze()  # a preview builds again and again: let old builds go


def generate(
    project: Project,
    options: Options = Options(),
    site_url: str | None = None,
    quotes_per_page: int = QUOTES_PER_PAGE,
) -> Generated:
    """Check, render and write the Markdown sources of every language into `project.out`.

    A chapter or section with more than `quotes_per_page` quotes is split into parts.

    The published address is `site_url` when given (--site-url, $SITE_URL), else the
    study's own (`study.site_url`), else none: the site then works from any address.
    """
    check_places(project)
    checked = check(project, options)
    with locked(project.out), long_lived():
        return _write_sources(project, checked, site_url, quotes_per_page)


def _write_sources(
    project: Project, checked: Checked, site_url: str | None, quotes_per_page: int
) -> Generated:
    site_url = site_url or checked.findings.study.site_url
    files = render_site(
        checked.findings,
        checked.handwritten,
        RenderOptions(site_url=site_url, quotes_per_page=quotes_per_page),
        read_base_config(project.config),
        stale=checked.stale,
    )
    published: dict[str, str | bytes] = dict(files)
    for name, data in read_images(project.images).items():
        for here in site_languages(checked.findings):
            published[f"{here.code}/docs/{IMAGES_FOLDER}/{name}"] = data
    report = write_tree(project.out, published)
    return Generated(checked, report, site_url)


def build(
    project: Project,
    site: Path = Path("site"),
    options: Options = Options(),
    site_url: str | None = None,
    quotes_per_page: int = QUOTES_PER_PAGE,
) -> Built:
    """Generate, then build every language with MkDocs (strict) and swap the result into `site`.

    Every built page then passes the gate (generator/gate.py) before it is published.
    On any failure `site` stays exactly as it was.  A run holds `project.out` from writing
    the sources to the swap, so runs sharing it take turns; each builds in its own staging
    folder.  A `site` that is a link keeps pointing at the same folder, which gets the site.
    """
    real_site = check_places(project, site)
    checked = check(project, options)
    with locked(project.out), long_lived():
        generated = _write_sources(project, checked, site_url, quotes_per_page)
        site_url = generated.site_url
        staging = staging_folder(real_site)
        languages = site_languages(generated.checked.findings)
        try:
            for here in languages:
                mkdocs_build(project.out / here.code / "mkdocs.yml", staging / here.prefix)
            publish(staging, [here.prefix for here in languages], site_url)
            gate(
                project,
                staging,
                site,
                [(here.code, here.prefix) for here in languages],
                site_url,
                generated.checked.handwritten,
            )
        except BuildError as error:
            shutil.rmtree(staging, ignore_errors=True)
            problems = handwritten_problems(error, generated.checked.handwritten)
            if problems:
                raise FindingsError(problems) from None
            raise
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        replace_folder(staging, real_site)
    return Built(generated, site, tuple(sl.code for sl in languages))


def gate(
    project: Project,
    staged: Path,
    site: Path,
    languages: list[tuple[str, str]],
    site_url: str | None,
    handwritten: tuple[HandwrittenPage, ...] = (),
) -> None:
    """Refuse the staged site if any page holds markup that could run in a reader's browser.

    `languages` are (code, prefix) pairs.  Offences are reported at the findings text (or
    the line of a hand-written page) they came from when one holds it, otherwise at the
    page as it would be published in `site`.
    """
    rules = []
    for code, prefix in languages:
        config = read_base_config(project.out / code / "mkdocs.yml")
        # The project's scripts: extra_javascript, and those the theme override loads in
        # <head> before the theme's own (extra.head_javascript, e.g. search on demand).
        head = config.get("extra", {}).get("head_javascript", [])
        scripts = [
            entry if isinstance(entry, str) else str(entry.get("path", ""))
            for entry in [*config.get("extra_javascript", []), *head]
        ]
        rules.append(SiteLanguage(prefix, tuple(scripts), code))
    offences = check_site(staged, rules, site_url)
    if not offences:
        return
    sources = load_findings(project.findings, display_root=project.findings.parent)
    texts = findings_texts(sources, [code for code, _ in languages])
    texts += [
        FindingsText(line, Position(page.paths[code], number, 1), code)
        for page in handwritten
        for code, text in page.texts.items()
        for number, line in enumerate(text.splitlines(), start=1)
        if code in page.paths
    ]
    raise FindingsError(gate_problems(offences, texts, str(site)))


def _holds(folder: Path, path: Path) -> bool:
    """Whether `path` is `folder` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def check_places(project: Project, site: Path | None = None) -> Path:
    """Refuse outputs that would overwrite or delete the study, the project or a user's files.

    Returns the folder the site goes to: `site` itself, or the folder a link there points at.
    Raises FindingsError naming each refused place; nothing is written before.
    """
    findings = project.findings.resolve()
    protected = {
        "the findings folder": findings,
        "the project folder": project.root.resolve(),
        "the current folder": Path.cwd().resolve(),
        "the generator": Path(__file__).parent.resolve(),
    }
    outputs = [("--out", project.out)] + ([("--site", site)] if site is not None else [])
    problems: list[Problem] = []

    def refuse(given: Path, message: str, hint: str) -> None:
        problems.append(Problem(Position(str(given)), message, hint))

    for flag, given in outputs:
        real = given.resolve()
        example = f"{flag} {'site' if flag == '--site' else 'build'}"
        same = [name for name, path in protected.items() if path == real]
        holds = [name for name, path in protected.items() if _holds(real, path)]
        if same or holds:
            refuse(
                given,
                f"{flag} {given} is {same[0]}" if same else f"{flag} {given} holds {holds[0]}",
                hint=f"a build {'replaces' if flag == '--site' else 'writes into'} that folder; "
                f"give {flag} a folder of its own, "
                f"e.g. {example}",
            )
        elif _holds(findings, real):
            refuse(
                given,
                f"{flag} {given} is inside the findings folder {project.findings}",
                hint=f"the study would publish its own output; choose a folder outside "
                f"{project.findings}, e.g. {example}",
            )
    if site is not None and not problems:
        real_site, real_out = site.resolve(), project.out.resolve()
        if _holds(real_out, real_site) or _holds(real_site, real_out):
            refuse(
                site,
                f"--site {site} and --out {project.out} overlap; one would overwrite the other",
                hint="use two separate folders, e.g. --site site --out build",
            )
        if not problems and real_site.exists():
            if not real_site.is_dir():
                refuse(site, f"--site {site} is a file, not a folder", "choose a folder")
            elif any(real_site.iterdir()) and not is_generated_site(real_site):
                refuse(
                    site,
                    f"--site {site} holds files the generator did not make; refusing to replace it",
                    hint="choose another --site folder, or empty this one",
                )
    if problems:
        raise FindingsError(problems)
    return site.resolve() if site is not None else project.out


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collect_mkdocs_warnings() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def mkdocs_build(config_file: Path, site_dir: Path) -> None:
    """Build one language's site with MkDocs in strict mode; any warning is a BuildError."""
    from mkdocs.commands.build import build as run_mkdocs
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    language = config_file.parent.name
    with collect_mkdocs_warnings() as warnings:
        try:
            config = load_config(
                config_file=str(config_file), site_dir=str(site_dir.resolve()), strict=True
            )
            run_mkdocs(config)
        except MkDocsException as error:
            raise BuildError(language, [*warnings.messages, str(error)]) from None
    if warnings.messages:
        raise BuildError(language, warnings.messages)


# MkDocs' words for a link or anchor it cannot follow in a page.
_DOC_LINK = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?:a link|an absolute link) '(?P<target>[^']+)'"
)


def handwritten_problems(error: BuildError, pages: tuple[HandwrittenPage, ...]) -> list[Problem]:
    """MkDocs' complaints about hand-written pages, at the file, line and column they name.

    Generated pages are checked before they are written; a hand-written page is Markdown the
    generator only copies, so MkDocs is the one to find its broken links.
    """
    by_name = {page.name: page for page in pages}
    problems = []
    for message in error.messages:
        if message.startswith("Aborted with"):
            continue
        match = _DOC_LINK.search(message)
        page = by_name.get(match["page"]) if match else None
        if match is None or page is None:
            return []  # something else failed: MkDocs' own words say more
        reason = message.split(", but ", 1)[-1].rstrip(".") if ", but " in message else ""
        text = page.texts[error.language]
        index = text.find(f"({match['target']}")
        index = index + 1 if index >= 0 else text.find(match["target"])
        line = text.count("\n", 0, index) + 1 if index >= 0 else 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1 if index >= 0 else 1
        problems.append(
            Problem(
                Position(page.paths[error.language], line, column),
                f"link '{match['target']}' leads nowhere on the site"
                + (f" ({reason})" if reason else ""),
                hint="link to a page of the site by its file name (e.g. index.md, "
                "references.md#...) or to a full https:// address",
            )
        )
    return problems


def source_date_epoch(root: Path) -> str | None:
    """Time of the last commit, so that every date MkDocs writes is reproducible."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None
