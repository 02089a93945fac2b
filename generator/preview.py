"""Live preview builds: after the first full build, rebuild only the pages an edit changed.

`python -m generator serve` rebuilds on every save.  A full build renders every page of
every language with MkDocs; an edit to one quote changes one Markdown file per language.
So the preview keeps each language's MkDocs state (settings, files, navigation, theme
templates, rendered pages, search entries) between builds and, when only the Markdown of
existing pages changed, renders just those pages again, re-checks every link and anchor
(strict, as in a full build) and rewrites the search index.  Anything else (settings,
navigation, assets, images, templates, pages added or removed) gets a full build.

The reader never sees a half-built or mixed site: MkDocs writes into a work folder, and
the preview publishes a copy of it (hard links, so it is cheap) by swapping folders, only
after every language built without a warning and the pages it rendered passed the gate
(generator/gate.py).  A failed build keeps the last good site.

This leans on two MkDocs 1.6 internals (`_populate_page`, `_build_page`); MkDocs 1.6.1 is
the last 1.x release and is pinned, so they will not move under us.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.build import (
    BuildError,
    Generated,
    Project,
    collect_mkdocs_warnings,
    gate,
    generate,
    handwritten_problems,
)
from generator.errors import FindingsError
from generator.plan import STUDY_PAGES
from generator.publish import publish, publish_pages
from generator.render import site_languages
from generator.validate import Options
from generator.write import locked, replace_folder

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation


@dataclass
class _Language:
    """One language's MkDocs state after its last good build."""

    code: str
    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    # MkDocs keeps one instance of each plugin per process, shared by every language's
    # settings: the search plugin's settings and entries are kept here, per language.
    search: tuple[Any, Any] | None


@dataclass(frozen=True)
class PreviewBuild:
    generated: Generated
    pages: int  # pages rendered by MkDocs in this build (every page on a full build)
    full: bool
    pending: int = 0  # changed study-wide pages left for the next build (`Preview.build`)


class Preview:
    """The preview's builds of one project into `site`."""

    def __init__(self, project: Project, site: Path, options: Options = Options()) -> None:
        self.project = project
        self.site = site
        self.options = options
        self.work = site.with_name(f".{site.name}.work")  # where MkDocs writes
        self.languages: dict[str, _Language] = {}
        self._rebuilt: list[str] = []  # HTML files (relative to the site) of the last update
        self._refreshed: list[str] = []  # other files it wrote again: downloads, search index
        self._downloads: dict[str, list[Any]] = {}  # changed download files by language
        self._pending: dict[str, list[str]] = {}  # changed pages left for the next build

    def build(self) -> PreviewBuild:
        """Generate, then build what changed (or everything) and publish it.

        The run holds the sources folder throughout: another run writing there (`make site`)
        is waited for, so the preview never builds from someone else's findings.

        An edit to one quote changes its page and the study-wide pages that list every
        quote (informants, matrix, print view: `STUDY_PAGES`), which are the largest.  When
        an update changes both, the study-wide ones are left pending, so the page the
        editor is looking at reloads first: the caller builds again at once to finish.
        """
        with locked(self.project.out):
            generated = generate(self.project, self.options)
            changed = self._changed_pages(generated)
            later: dict[str, list[str]] = {}
            if changed is not None:
                changed, later = _first_and_later(changed, self._pending)
            try:
                pages = (
                    self._full(generated) if changed is None else self._update(changed, generated)
                )
                self._publish(generated, full=changed is None)
            except BaseException:
                self.languages = {}  # the work folder may be half-written: start over next time
                self._pending = {}
                raise
            self._pending = later
        pending = sum(len(uris) for uris in later.values())
        return PreviewBuild(generated, pages, changed is None, pending)

    def _changed_pages(self, generated: Generated) -> dict[str, list[str]] | None:
        """Changed Markdown of existing pages by language, or None when a full build is due."""
        report = generated.report
        codes = [sl.code for sl in site_languages(generated.checked.findings)]
        if report.removed or sorted(self.languages) != sorted(codes):
            return None
        changed: dict[str, list[str]] = {}
        self._downloads = {}
        for path in report.written:
            code, _, rest = path.partition("/")
            state = self.languages.get(code)
            if state is not None and rest.startswith("docs/data/"):
                # A download (generator/exports.py): copied again, no page to render.
                static = state.files.get_file_from_path(rest.removeprefix("docs/"))
                if static is None or static.page is not None:
                    return None
                self._downloads.setdefault(code, []).append(static)
                changed.setdefault(code, [])
                continue
            if state is None or not rest.startswith("docs/") or not rest.endswith(".md"):
                return None
            uri = rest.removeprefix("docs/")
            page = state.files.get_file_from_path(uri)
            if page is None or page.page is None:
                return None  # a new page: the navigation changes
            changed.setdefault(code, []).append(uri)
        return changed

    def _full(self, generated: Generated) -> int:
        from mkdocs.commands.build import (
            _build_extra_template,
            _build_page,
            _build_theme_template,
            _populate_page,
        )
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page
        from mkdocs.utils import clean_directory

        self.languages = {}
        built = 0
        for here in site_languages(generated.checked.findings):
            out = self.work / here.prefix
            config_file = self.project.out / here.code / "mkdocs.yml"
            with collect_mkdocs_warnings() as warnings:
                try:
                    config = load_config(
                        config_file=str(config_file), site_dir=str(out.resolve()), strict=True
                    )
                    # The steps of mkdocs.commands.build.build, keeping what they make.
                    config = config.plugins.on_config(config)
                    config.plugins.on_pre_build(config=config)
                    out.mkdir(parents=True, exist_ok=True)
                    clean_directory(str(out))
                    files = get_files(config)
                    env = config.theme.get_env()
                    files.add_files_from_theme(env, config)
                    files = config.plugins.on_files(files, config=config)
                    set_exclusions(files, config)
                    nav = get_navigation(files, config)
                    nav = config.plugins.on_nav(nav, config=config, files=files)
                    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
                    for file in pages:
                        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                            Page(None, file, config)
                        assert file.page is not None
                        _populate_page(file.page, config, files)
                    env = config.plugins.on_env(env, config=config, files=files)
                    files.copy_static_files(inclusion=InclusionLevel.is_included)
                    for template in config.theme.static_templates:
                        _build_theme_template(template, env, files, config, nav)
                    for template in config.extra_templates:
                        _build_extra_template(template, files, config, nav)
                    for file in pages:
                        assert file.page is not None
                        _build_page(file.page, config, pages, nav, env)
                    self._validate_anchors(config, files)
                    config.plugins.on_post_build(config=config)
                except MkDocsException as error:
                    raise BuildError(here.code, [*warnings.messages, str(error)]) from None
            self._raise_on(here.code, warnings.messages, generated)
            search = _search_plugin(config)
            kept = (search.config, search.search_index) if search is not None else None
            self.languages[here.code] = _Language(here.code, config, files, nav, env, kept)
            built += len(pages)
        return built

    def _update(self, changed: dict[str, list[str]], generated: Generated) -> int:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.exceptions import MkDocsException
        from mkdocs.structure.files import InclusionLevel

        built = 0
        self._rebuilt = []
        self._refreshed = []
        prefixes = {sl.code: sl.prefix for sl in site_languages(generated.checked.findings)}
        for code, uris in changed.items():
            state = self.languages[code]
            config, files = state.config, state.files
            for download in self._downloads.get(code, []):
                # The published copy links to the old file: write a new one.
                Path(download.abs_dest_path).unlink(missing_ok=True)
                download.copy_file()
                self._refreshed.append(prefixes[code] + download.dest_uri)
            pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
            search = _search_plugin(config)
            if search is not None and state.search is not None:
                search.config, search.search_index = state.search
            with collect_mkdocs_warnings() as warnings:
                try:
                    for uri in uris:
                        file = files.get_file_from_path(uri)
                        assert file is not None and file.page is not None
                        # The published copy links to the old file: write a new one.
                        Path(file.abs_dest_path).unlink(missing_ok=True)
                        self._rebuilt.append(prefixes[code] + file.dest_uri)
                        if search is None:
                            _populate_page(file.page, config, files)
                            _build_page(file.page, config, pages, state.nav, state.env)
                        else:
                            # The page's search entries are replaced where they stood, so
                            # the index comes out as a full build would write it.
                            entries = search.search_index.entries
                            url = file.page.url
                            at = next(
                                (
                                    n
                                    for n, entry in enumerate(entries)
                                    if entry["location"].split("#")[0] == url
                                ),
                                len(entries),
                            )
                            kept = [e for e in entries if e["location"].split("#")[0] != url]
                            search.search_index.entries = list(kept)
                            _populate_page(file.page, config, files)
                            _build_page(file.page, config, pages, state.nav, state.env)
                            new = search.search_index.entries[len(kept) :]
                            search.search_index.entries = kept[:at] + new + kept[at:]
                        built += 1
                    self._validate_anchors(config, files)
                    if search is not None:
                        index = Path(config.site_dir) / "search" / "search_index.json"
                        index.unlink(missing_ok=True)
                        search.on_post_build(config=config)
                        self._refreshed.append(f"{prefixes[code]}search/search_index.json")
                except MkDocsException as error:
                    raise BuildError(code, [*warnings.messages, str(error)]) from None
            self._raise_on(code, warnings.messages, generated)
        return built

    @staticmethod
    def _validate_anchors(config: MkDocsConfig, files: Files) -> None:
        from mkdocs.structure.files import InclusionLevel

        for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)

    def _raise_on(self, code: str, messages: list[str], generated: Generated) -> None:
        if not messages:
            return
        error = BuildError(code, messages)
        problems = handwritten_problems(error, generated.checked.handwritten)
        if problems:
            raise FindingsError(problems)
        raise error

    def _publish(self, generated: Generated, full: bool) -> None:
        """Gate, then swap a copy of the site into `site` (hard links: no data is copied).

        After a full build the copy is of the work folder, and every page gets `publish`'s
        touches and passes the gate (generator/gate.py).  After an update it is of the site
        published last, with the files the update wrote again taken from the work folder:
        only those pages get the touches and the gate (the others passed it before).
        """
        staging = self.site.with_name(f".{self.site.name}.building")
        if staging.exists():
            shutil.rmtree(staging)
        checked = staging if full else self.site.with_name(f".{self.site.name}.gate")
        languages = site_languages(generated.checked.findings)
        prefixes = [sl.prefix for sl in languages]
        try:
            if full:
                shutil.copytree(self.work, staging, copy_function=_link)
                # Shared theme assets, no source maps, the print view's anchors (publish.py);
                # it writes new files, so the work folder keeps MkDocs' own output.
                publish(staging, prefixes, generated.site_url)
            else:
                shutil.copytree(self.site, staging, copy_function=_link)
                for relative in [*self._rebuilt, *self._refreshed]:
                    (staging / relative).unlink(missing_ok=True)
                    _link(str(self.work / relative), str(staging / relative))
                # A translation without assets of its own uses the root's (publish.py).
                sharing = {p for p in prefixes if p and not (staging / p / "assets").exists()}
                publish_pages(staging, self._rebuilt, prefixes, sharing, generated.site_url)
                shutil.rmtree(checked, ignore_errors=True)
                for relative in self._rebuilt:
                    (checked / relative).parent.mkdir(parents=True, exist_ok=True)
                    _link(str(staging / relative), str(checked / relative))
            gate(
                self.project,
                checked,
                self.site,
                [(sl.code, sl.prefix) for sl in languages],
                generated.site_url,
                generated.checked.handwritten,
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            if not full:
                shutil.rmtree(checked, ignore_errors=True)
        replace_folder(staging, self.site)


def _study_wide(uri: str) -> bool:
    """Whether `uri` is one of the pages that list the whole study (`STUDY_PAGES`)."""
    stem = uri.removesuffix(".md").split("--")[0]  # print--2.md is a part of print.md
    return f"{stem}.md" in STUDY_PAGES.values()


def _first_and_later(
    changed: dict[str, list[str]], pending: dict[str, list[str]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The pages to build now and those to leave for the next build.

    The pending pages of the last build join the changed ones.  The study-wide pages wait
    when other pages changed too; otherwise everything is built now.
    """
    every = {code: list(uris) for code, uris in changed.items()}
    for code, uris in pending.items():
        every.setdefault(code, []).extend(u for u in uris if u not in every[code])
    now = {code: [u for u in uris if not _study_wide(u)] for code, uris in every.items()}
    if not any(now.values()):
        return every, {}
    later = {code: [u for u in uris if _study_wide(u)] for code, uris in every.items()}
    return now, {code: uris for code, uris in later.items() if uris}


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _search_plugin(config: MkDocsConfig) -> Any:
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search" and hasattr(plugin, "search_index"):
            return plugin
    return None
