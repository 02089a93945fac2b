"""Benchmark: how the generator scales, what a reader downloads, how fast the preview reloads.

    make bench                     # N = 100, 1,000, 10,000; page weight; serve latency
    python -m tests.bench --sizes 10000,30000 --no-weight --no-serve   # linearity

Not part of `make test`: it takes minutes and measures, it asserts nothing.

Each step runs in a fresh Python process (so its peak memory is its own) on a synthetic
study written by `python -m generator synth`:
- check:     load + validate;
- generate:  check + render + write the Markdown of every language;
- build:     generate + MkDocs, every language (what `make site` does);
- mkdocs:    a plain MkDocs build of the Markdown `generate` wrote (the theme's share);
- gate:      the security gate (generator/gate.py) alone, over the published site.
`build` = generate + mkdocs + gate.  The generator's share of `build` is reported twice:
(build - mkdocs) / build, everything that is not MkDocs, and generate / build, the part
that turns findings into Markdown (check, render, write), without the gate.

Page weight is measured in Chromium: every response of a page's first load (fresh cache),
summed raw and gzip-compressed (what a gzip-serving host sends), for the home page and the
first results page, on the real study and on the synthetic 10,000-quote one.  The serve
latency is the time from saving a findings file to the open page showing the edit.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.test_browser import CHROMIUM, LAUNCH_ARGS

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("check", "generate", "build", "mkdocs", "gate")


# --- one step, in its own process -------------------------------------------------------------


def run_step(step: str, findings: Path, work: Path) -> dict[str, float]:
    """Run one step in this process; seconds and peak resident memory (MB)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    from generator.build import Project, build, check, gate, generate, mkdocs_build
    from generator.render import site_languages

    project = Project(findings, ROOT / "mkdocs.yml", work / "build")
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    if step == "check":
        check(project)
    elif step == "generate":
        generate(project)
    elif step == "build":
        build(project, work / "site")
    elif step == "mkdocs":
        # The Markdown `generate` wrote, built by MkDocs alone; the model only names languages.
        languages = json.loads((work / "languages.json").read_text(encoding="utf-8"))
        site = work / "site-mkdocs"
        shutil.rmtree(site, ignore_errors=True)
        for code, prefix in languages:
            mkdocs_build(project.out / code / "mkdocs.yml", site / prefix)
    elif step == "gate":
        # The security gate (generator/gate.py) alone, over the site `build` published.
        languages = json.loads((work / "languages.json").read_text(encoding="utf-8"))
        gate(project, work / "site", work / "site", [tuple(pair) for pair in languages], None)
    elif step == "languages":
        checked = check(project)
        pairs = [[sl.code, sl.prefix] for sl in site_languages(checked.findings)]
        (work / "languages.json").write_text(json.dumps(pairs), encoding="utf-8")
    else:
        raise SystemExit(f"unknown step {step}")
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": after.ru_maxrss / 1024}


def step_in_child(step: str, findings: Path, work: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--step", step, str(findings), str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{out.stdout}\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def synth(quotes: int, folder: Path) -> Path:
    findings = folder / f"synth-{quotes}"
    if not findings.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "synth",
                "--quotes",
                str(quotes),
                "--out",
                str(findings),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return findings


@dataclass
class Row:
    quotes: int
    results: dict[str, dict[str, float]]

    def cpu(self, step: str) -> float:
        return self.results[step]["cpu"]

    def wall(self, step: str) -> float:
        return self.results[step]["seconds"]


def measure_size(quotes: int, folder: Path, repeat: int) -> Row:
    findings = synth(quotes, folder)
    work = folder / f"work-{quotes}"
    work.mkdir(parents=True, exist_ok=True)
    step_in_child("languages", findings, work)
    # Rounds of every step in turn, so a slow spell of a shared machine falls on all steps.
    runs: dict[str, list[dict[str, float]]] = {step: [] for step in STEPS}
    for _ in range(repeat):
        for step in STEPS:
            runs[step].append(step_in_child(step, findings, work))
    results: dict[str, dict[str, float]] = {}
    for step in STEPS:
        # CPU time: the machine is shared, so wall time says as much about the neighbours.
        results[step] = min(runs[step], key=lambda r: r["cpu"])
        print(
            f"  {quotes:>6} quotes  {step:<8} {results[step]['cpu']:7.2f} s CPU "
            f"{results[step]['seconds']:7.2f} s wall {results[step]['peak_mb']:7.0f} MB",
            file=sys.stderr,
        )
    return Row(quotes, results)


def print_table(rows: list[Row]) -> None:
    print("\nTimes are CPU seconds (user + system) of a fresh process, best of the runs;")
    print("wall-clock seconds in brackets. Peak = maximum resident memory of that process.")
    print("build = generate + MkDocs + gate; 'not MkDocs' = (build - mkdocs) / build.\n")
    print(
        "| quotes | check | generate | build | mkdocs alone | gate alone "
        "| generate / build | not MkDocs / build | peak MB check / generate / build |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        not_mkdocs = (row.cpu("build") - row.cpu("mkdocs")) / row.cpu("build")
        generator = row.cpu("generate") / row.cpu("build")
        cells = " | ".join(
            f"{row.cpu(s):.2f} s ({row.wall(s):.1f})"
            for s in ("check", "generate", "build", "mkdocs", "gate")
        )
        peaks = " / ".join(
            f"{row.results[s]['peak_mb']:.0f}" for s in ("check", "generate", "build")
        )
        print(f"| {row.quotes:,} | {cells} | {generator:.0%} | {not_mkdocs:.0%} | {peaks} |")
    for small, large in itertools.pairwise(rows):
        factor = large.quotes / small.quotes
        ratios = ", ".join(
            f"{step} {large.cpu(step) / small.cpu(step):.1f}x"
            for step in ("check", "generate", "build", "mkdocs", "gate")
        )
        print(f"\n{small.quotes:,} -> {large.quotes:,} quotes ({factor:.0f}x): {ratios}")


# --- page weight in Chromium ------------------------------------------------------------------


def results_page(findings: Path) -> str:
    """The file of the first indicator's (first) results page."""
    from generator.build import Project, check
    from generator.plan import plan_site

    checked = check(Project(findings, ROOT / "mkdocs.yml"))
    plan = plan_site(checked.findings, checked.handwritten)
    first = checked.findings.indicators[0].id
    return plan.results_page[first].removesuffix(".md") + ".html"


def page_weights(site: Path, pages: list[str]) -> list[dict[str, Any]]:
    from playwright.sync_api import Response, sync_playwright

    from tests.conftest import serving

    measured = []
    with serving(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for path in pages:
            context = browser.new_context()
            page = context.new_page()
            responses: list[Response] = []

            def record(response: Response, into: list[Response] = responses) -> None:
                into.append(response)

            page.on("response", record)
            page.goto(f"{url}{path}", wait_until="networkidle")
            page.wait_for_timeout(500)  # anything started late (workers, lazy fetches)
            raw = packed = 0
            largest = ("", 0)
            for response in responses:
                try:
                    body = response.body()
                except Exception:  # redirects and aborted requests have no body
                    continue
                size = len(gzip.compress(body, 6))
                raw += len(body)
                packed += size
                if size > largest[1]:
                    largest = (response.url.rsplit("/", 1)[-1], size)
            measured.append(
                {
                    "page": path,
                    "requests": len(responses),
                    "raw_kb": raw / 1024,
                    "gzip_kb": packed / 1024,
                    "largest": f"{largest[0]} {largest[1] / 1024:.0f} KB",
                }
            )
            context.close()
        browser.close()
    return measured


def largest_html(site: Path) -> tuple[str, float]:
    """The site's heaviest HTML page, gzip KB."""
    best = ("", 0.0)
    for page in site.rglob("*.html"):
        size = len(gzip.compress(page.read_bytes(), 6)) / 1024
        if size > best[1]:
            best = (page.relative_to(site).as_posix(), size)
    return best


def weight_report(label: str, site: Path, findings: Path) -> None:
    results = results_page(findings)
    pages = ["index.html", results, "en/index.html", f"en/{results}"]
    print(
        f"\nFirst load in Chromium, {label} (fresh cache; gzip = what a gzip-serving host sends):\n"
    )
    print("| page | requests | raw KB | gzip KB | largest response (gzip) |")
    print("|---|---:|---:|---:|---|")
    for m in page_weights(site, pages):
        print(
            f"| {m['page']} | {m['requests']} | {m['raw_kb']:.0f} | {m['gzip_kb']:.0f} "
            f"| {m['largest']} |"
        )
    name, size = largest_html(site)
    print(f"\nHeaviest HTML page of the site: {name}, {size:.0f} KB gzip")


# --- serve: edit -> reload --------------------------------------------------------------------


def serve_latency(findings_src: Path, folder: Path, edits: int = 3) -> list[float]:
    """Seconds from saving an edited quote to the open page showing it, `edits` times."""
    import urllib.request

    from playwright.sync_api import sync_playwright

    from tests.conftest import free_port

    work = folder / "serve"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(findings_src, work / "findings")
    quotes_file = work / "findings" / "quotes.yaml"
    page_file = results_page(work / "findings")
    port = free_port()
    log = (work / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--findings",
            str(work / "findings"),
            "--out",
            str(work / "build"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/{page_file}"
    latencies = []
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"serve did not start; see {work / 'serve.log'}") from None
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            # The first quote of the page: the text between "text: " and the end of its line.
            first_quote = page.locator("figure.quote").first.get_attribute("id")
            for n in range(edits):
                # Each edit on an idle server: the study-wide pages' build that follows the
                # page's own (generator/preview.py) has finished, and the watcher settled.
                _wait_until_idle(work / "serve.log")
                page.wait_for_timeout(1000)
                text = quotes_file.read_text(encoding="utf-8")
                start = text.index(f"- id: {first_quote}\n")
                at = text.index("  text: ", start) + len("  text: ")
                marker = f"edited{n}x"
                started = time.perf_counter()
                quotes_file.write_text(text[:at] + marker + " " + text[at:], encoding="utf-8")
                page.wait_for_function(
                    "m => document.body && document.body.innerText.includes(m)",
                    arg=marker,
                    timeout=120_000,
                    polling=50,
                )
                latencies.append(time.perf_counter() - started)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    return latencies


def _wait_until_idle(log: Path, timeout: float = 120) -> None:
    """Until the serve log says a build finished after the last change or pending build."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = log.read_text(encoding="utf-8").splitlines()
        done = [n for n, line in enumerate(lines) if line.startswith("Rebuilt ")]
        busy = [
            n
            for n, line in enumerate(lines)
            if "Detected file changes" in line or (line.startswith("Rebuilding "))
        ]
        if done and (not busy or done[-1] > busy[-1]):
            return
        time.sleep(0.2)
    raise SystemExit(f"serve did not finish building; see {log}")


def preview_cpu(findings_src: Path, folder: Path, edits: int = 3) -> list[tuple[float, float, int]]:
    """(CPU s, wall s, pages) of the preview's rebuild after a one-quote edit, in-process."""
    from generator.build import Project
    from generator.preview import Preview

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    work = folder / "preview"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(findings_src, work / "findings")
    preview = Preview(
        Project(work / "findings", ROOT / "mkdocs.yml", work / "build"), work / "site"
    )
    preview.build()
    quotes = work / "findings" / "quotes.yaml"
    measured = []
    for n in range(edits):
        text = quotes.read_text(encoding="utf-8")
        at = text.index("  text: ") + len("  text: ")
        quotes.write_text(f"{text[:at]}edit{n} {text[at:]}", encoding="utf-8")
        started, used = time.perf_counter(), cpu()
        built = preview.build()
        measured.append((cpu() - used, time.perf_counter() - started, built.pages))
    return measured


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--step", nargs=3, metavar=("STEP", "FINDINGS", "WORK"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="quote counts (default: 100,1000,10000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="best of this many runs below 10,000 quotes"
    )
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="best of this many runs from 10,000 quotes"
    )
    parser.add_argument("--work", type=Path, help="keep synthetic studies and builds here")
    parser.add_argument("--no-weight", action="store_true", help="skip the page-weight measurement")
    parser.add_argument(
        "--no-serve", action="store_true", help="skip the serve latency measurement"
    )
    parser.add_argument(
        "--no-times", action="store_true", help="skip the timings (reuse the --work folder)"
    )
    args = parser.parse_args(argv)
    if args.step:
        step, findings, work = args.step
        print(json.dumps(run_step(step, Path(findings), Path(work))))
        return 0
    folder = args.work or Path(tempfile.mkdtemp(prefix="study-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Benchmark on {os.cpu_count()} cores, work folder {folder}", file=sys.stderr)
    if not args.no_times:
        rows = [
            measure_size(n, folder, args.repeat if n < 10000 else args.repeat_large) for n in sizes
        ]
        print_table(rows)
    if not args.no_weight:
        real_work = folder / "work-real"
        real_work.mkdir(parents=True, exist_ok=True)
        step_in_child("build", ROOT / "findings", real_work)
        weight_report("real study", real_work / "site", ROOT / "findings")
        biggest = max(sizes)
        weight_report(
            f"synthetic study, {biggest:,} quotes",
            folder / f"work-{biggest}" / "site",
            folder / f"synth-{biggest}",
        )
    if not args.no_serve:
        latencies = serve_latency(synth(1000, folder), folder)
        shown = ", ".join(f"{s:.2f}" for s in latencies)
        print(
            f"\nserve, 1,000 quotes: edit -> page shows the edit in {shown} s "
            f"(best {min(latencies):.2f} s, wall clock in Chromium)"
        )
        runs = preview_cpu(synth(1000, folder), folder)
        shown = ", ".join(f"{c:.2f} s CPU ({w:.1f} s wall, {p} pages)" for c, w, p in runs)
        print(f"serve, 1,000 quotes: the rebuild itself after a one-quote edit: {shown}")
    if not args.work:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
