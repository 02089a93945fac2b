"""Command line: `python -m generator {check,generate,build,serve,translations}`.

A thin layer over `generator.build`: parse arguments, call the core, print problems.
An editor's mistake prints `path:line:column: message` lines and exits 1, never a
traceback (`--debug` shows one).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build import BuildError, Project, build, check, generate, source_date_epoch
from generator.errors import FindingsError, Problem, Severity
from generator.load import load_findings
from generator.model import build_model
from generator.translations import (
    LOCK_NAME,
    State,
    lock_path,
    mark_reviewed,
    read_lock,
    status_report,
    translation_status,
    write_lock,
)
from generator.validate import Options

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

WATCHED = ("templates", "overrides", "assets", "catalogue", "schema")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate a study's findings and publish them as a bilingual MkDocs site.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--findings",
        type=Path,
        default=Path("findings"),
        help="the study's folder: findings *.yaml, pages/<language>/*.md, images/ "
        "(default: findings/)",
    )
    common.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="shared MkDocs settings"
    )
    common.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        help="where generated sources go (default: build/)",
    )
    common.add_argument(
        "--draft",
        action="store_true",
        help="missing translations are warnings; pages show the source text marked pending",
    )
    common.add_argument(
        "--strict-translations",
        action="store_true",
        help="stale or never-reviewed translations are errors, not warnings (CI on pull requests)",
    )
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", parents=[common], help="validate the findings only (fast)")
    generate_cmd = commands.add_parser(
        "generate", parents=[common], help="write the Markdown sources of every language"
    )
    build_cmd = commands.add_parser(
        "build", parents=[common], help="generate, then build every language strictly with MkDocs"
    )
    for sub in (generate_cmd, build_cmd):
        sub.add_argument(
            "--site-url",
            default=os.environ.get("SITE_URL") or None,
            help="published address, e.g. https://user.github.io/repo/ "
            "(default: $SITE_URL, else study.site_url in findings/study.yaml)",
        )
    build_cmd.add_argument(
        "--site", type=Path, default=Path("site"), help="output (default: site/)"
    )
    new_cmd = commands.add_parser(
        "new", help="write a new study folder, one of each thing, that builds at once"
    )
    new_cmd.add_argument("folder", type=Path, help="the new study's folder (must not exist)")
    new_cmd.add_argument(
        "--source", default="en", help="the language the study was written in (default: en)"
    )
    new_cmd.add_argument(
        "-t",
        "--translation",
        action="append",
        help="a language it is translated into; repeat for more (default: id)",
    )
    new_cmd.add_argument("--debug", action="store_true", help="show tracebacks")
    serve_cmd = commands.add_parser(
        "serve", parents=[common], help="live preview that rebuilds when findings change"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    synth_cmd = commands.add_parser(
        "synth", help="write a synthetic study of N quotes (for benchmarks and scale tests)"
    )
    synth_cmd.add_argument("--quotes", type=int, required=True, help="number of quotes")
    synth_cmd.add_argument("--out", type=Path, required=True, help="folder for the findings files")
    synth_cmd.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    translations_cmd = commands.add_parser(
        "translations",
        parents=[common],
        help="which translations are up to date, stale or missing; mark them reviewed",
    )
    translations_cmd.add_argument(
        "--mark-reviewed",
        nargs="*",
        metavar="ADDRESS",
        help="record that these fields' translations were checked against the current "
        "original (an address as listed, e.g. quote:q-x/interpretation, optionally @en; "
        "an entity such as quote:q-x for all its fields)",
    )
    translations_cmd.add_argument(
        "--all", action="store_true", help="with --mark-reviewed: mark every translation"
    )
    return parser


# A run prints this many problems at most: garbage input must not flood the terminal.
MAX_SHOWN = 50


def _print_problems(problems: Sequence[Problem], writes: bool = True) -> None:
    for problem in problems[:MAX_SHOWN]:
        print(problem, file=sys.stderr)
    if len(problems) > MAX_SHOWN:
        print(f"… and {len(problems) - MAX_SHOWN} more not shown", file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if errors:
        outcome = "; nothing was written." if writes else "."
        print(f"{errors} error(s), {warnings} warning(s){outcome}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = _parser().parse_args(argv)
    if args.command == "synth":
        return _synth(args.out, args.quotes, args.seed)
    if args.command == "new":
        return _new(args.folder, args.source, args.translation or ["id"], args.debug)
    project = Project(args.findings, args.config, args.out)
    options = Options(draft=args.draft, strict_translations=args.strict_translations)
    if args.command == "build" and "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = source_date_epoch(project.root.resolve())
        if epoch:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        if args.command == "check":
            checked = check(project, options)
            _print_problems(checked.warnings)
            findings = checked.findings
            print(
                f"{args.findings}: OK ({len(findings.quotes)} quotes, {len(findings.informants)} "
                f"informants, {len(findings.indicators)} indicators, "
                f"{len(findings.languages)} languages)"
            )
        elif args.command == "translations":
            return translations(args)
        elif args.command == "generate":
            generated = generate(project, options, args.site_url)
            _print_problems(generated.checked.warnings)
            report = generated.report
            print(
                f"{args.out}: {len(report.written)} written, {report.unchanged} unchanged, "
                f"{len(report.removed)} removed"
            )
        elif args.command == "build":
            started = time.perf_counter()
            built = build(project, args.site, options, args.site_url)
            _print_problems(built.generated.checked.warnings)
            print(
                f"{args.site}: built {', '.join(built.languages)} "
                f"in {time.perf_counter() - started:.1f} s"
            )
        else:
            return serve(project, options, args.host, args.port)
    except OSError as error:  # a path the run cannot read or write
        if args.debug:
            raise
        where = error.filename or "error"
        print(f"{where}: {error.strerror or error}", file=sys.stderr)
        return 1
    except (FindingsError, BuildError) as error:
        if args.debug:
            raise  # the traceback's message lists every problem
        if isinstance(error, FindingsError):
            _print_problems(error.problems, writes=args.command != "check")
        else:
            print(error, file=sys.stderr)
        return 1
    return 0


def _synth(out: Path, quotes: int, seed: int) -> int:
    from generator.synth import INDICATORS, write_synthetic_study

    if quotes < len(INDICATORS):
        print(f"--quotes must be at least {len(INDICATORS)}", file=sys.stderr)
        return 2
    written = write_synthetic_study(out, quotes, seed)
    print(f"{out}: {len(written)} findings files, {quotes} quotes (seed {seed})")
    return 0


def translations(args: argparse.Namespace) -> int:
    """Print the translation status per language and file, or mark translations reviewed."""
    selectors: list[str] | None = args.mark_reviewed
    if args.all and selectors is None:
        print("--all goes with --mark-reviewed: '--mark-reviewed --all'", file=sys.stderr)
        return 2
    if selectors is not None and not selectors and not args.all:
        print("--mark-reviewed needs field addresses, or --all", file=sys.stderr)
        return 2
    if args.all and selectors:
        print("give field addresses or --all, not both", file=sys.stderr)
        return 2
    findings_folder: Path = args.findings
    shown = f"{findings_folder.resolve().name}/{LOCK_NAME}"
    findings = build_model(load_findings(findings_folder, display_root=findings_folder.parent))
    lock = read_lock(lock_path(findings_folder), shown)
    statuses = translation_status(findings, lock)
    if selectors is not None:
        entries, marked = mark_reviewed(statuses, lock, None if args.all else selectors)
        write_lock(lock_path(findings_folder), entries)
        print(f"{shown}: {len(marked)} translation(s) marked reviewed", file=sys.stderr)
        statuses = translation_status(findings, read_lock(lock_path(findings_folder), shown))
    print(status_report(statuses, [t.code for t in findings.translations]), end="")
    if any(s.state in (State.STALE, State.UNREVIEWED) for s in statuses):
        print(
            "Once a translation matches its original, record it: "
            "make translations REVIEWED=<address> (or REVIEWED=all)"
        )
    return 0


def _new(folder: Path, source: str, translations: list[str], debug: bool) -> int:
    """Write a new study folder and say how to build it."""
    from generator.scaffold import new_study

    try:
        written = new_study(folder, source, translations)
    except FindingsError as error:
        if debug:
            raise
        _print_problems(error.problems, writes=True)
        return 1
    print(f"{folder}: new study in {', '.join([source, *translations])} ({len(written)} files)")
    print(f"Next: replace the [placeholders], then  make site FINDINGS={folder}")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _build_again(server: LiveReloadServer) -> None:
    """Have the server build once more as soon as this build has reloaded the browsers.

    MkDocs' LiveReloadServer (1.6.1, pinned) has no public call for this; this is what
    its own file watcher does on a change.
    """
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def serve(project: Project, options: Options, host: str, port: int) -> int:
    """Build into a temporary folder, serve it, rebuild and reload on every change.

    The temporary folder goes when the preview stops: on Ctrl-C, SIGTERM or SIGHUP too.
    """
    from mkdocs.livereload import LiveReloadServer

    from generator.preview import Preview

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # MkDocs' own progress lines would bury the editor's errors; its warnings still show.
    logging.getLogger("mkdocs.commands").setLevel(logging.WARNING)
    temporary = Path(tempfile.mkdtemp(prefix="study-preview-"))
    site = temporary / "site"
    # SIGINT too: a process started in the background of a script inherits it ignored, and
    # Python then never turns Ctrl-C into KeyboardInterrupt.
    stops = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {stop: signal.signal(stop, _interrupt) for stop in stops}
    preview = Preview(project, site, options)

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            built = preview.build()
        except FindingsError as error:
            _print_problems(error.problems)
            print("The preview keeps showing the last good build.", file=sys.stderr)
            return
        except BuildError as error:
            print(error, file=sys.stderr)
            print("The preview keeps showing the last good build.", file=sys.stderr)
            return
        except OSError as error:
            print(f"{error.filename or 'error'}: {error.strerror or error}", file=sys.stderr)
            print("The preview keeps showing the last good build.", file=sys.stderr)
            return
        _print_problems(built.generated.checked.warnings)
        what = "everything" if built.full else f"{built.pages} changed page(s)"
        print(f"Rebuilt {what} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if built.pending and server is not None:
            print(f"Rebuilding {built.pending} study-wide page(s) next", file=sys.stderr)
            _build_again(server)

    server: LiveReloadServer | None = None
    try:
        rebuild()
        site.mkdir(parents=True, exist_ok=True)
        # The server polls the watched files for changes; its default, every 0.5 s, is a
        # quarter of the time an edit may take to show (issue: edit -> reload within 2 s).
        server = LiveReloadServer(
            builder=rebuild, host=host, port=port, root=str(site), polling_interval=0.2
        )
        for path in (project.findings, project.config):
            if path.exists():
                server.watch(str(path))
        package = Path(__file__).parent
        for name in WATCHED:
            server.watch(str(package / name))
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(temporary, ignore_errors=True)
        for stop, handler in previous.items():
            signal.signal(stop, handler)
    return 0
