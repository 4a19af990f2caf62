#!/usr/bin/env python3
"""Benchmark: anthologies of N distinct copies of the seed chapter, built cold.

For each N it measures, in the same run: our PDF build and EPUB build (wall time and peak
memory), WeasyPrint's own render of our print HTML (the floor our stack allows), and the
pandoc one-liner (`pandoc --pdf-engine=weasyprint`) as a reference point. Prints a table and
writes it to bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEED = ROOT / "manuscript" / "chapters" / "01-fall-of-assad.md"
RESULTS = ROOT / "bench" / "results.md"
SAMPLE_HTML = ROOT / "bench" / "warm-up.html"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def make_anthology(folder: Path, copies: int) -> None:
    """N copies of the seed, each made distinct by a numbered opening paragraph."""
    chapters = folder / "chapters"
    chapters.mkdir(parents=True)
    (folder / "book.yaml").write_text("title: 基准文集\noriginal_title: Benchmark Anthology\n", encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8")
    head, _, body = seed.partition("\n---\n")
    for n in range(1, copies + 1):
        text = f"{head}\n---\n\n这是文集的第{n}篇，编号{n:03d}。\n{body}"
        (chapters / f"{n:03d}.md").write_text(text, encoding="utf-8")


def timed(command: list[str], cwd: Path = ROOT) -> Run:
    """Wall time and peak resident memory of a command, from GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
        subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %M", *command],
                       cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds, kilobytes = report.read().split()[-2:]
    return Run(float(seconds), int(kilobytes) / 1024)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def best(runs: list[Run]) -> Run:
    """The fastest run, with the highest peak memory seen in any."""
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs))


def bench(copies: int, work: Path, repeats: int) -> dict[str, object]:
    manuscript, output = work / "manuscript", work / "output"
    make_anthology(manuscript, copies)
    program = [sys.executable, str(ROOT / "build.py")]
    options = ["--manuscript", str(manuscript), "--output", str(output), "--force"]
    # A first render reads the CJK fonts (100 MB) into the page cache: done before timing, so
    # WeasyPrint's own render and ours both find them there. Our builds start from a cold
    # manuscript cache (no pandoc conversion kept).
    subprocess.run([*program, "html", *options], check=True, capture_output=True)
    html = next(output.glob("*.html"))
    subprocess.run([str(VENV_BIN / "weasyprint"), str(SAMPLE_HTML), str(work / "warm-up.pdf")], check=True)

    def cold(command: list[str]) -> Run:
        shutil.rmtree(manuscript / ".cache", ignore_errors=True)
        return timed(command)

    # This machine's speed drifts by 10-15 % over minutes: WeasyPrint's render and ours are
    # timed in turns, and each keeps its best run.
    weasy_runs, pdf_runs, epub_runs = [], [], []
    for _ in range(repeats):
        weasy_runs.append(timed([str(VENV_BIN / "weasyprint"), str(html), str(work / "weasyprint.pdf")], cwd=output))
        pdf_runs.append(cold([*program, "pdf", *options]))
        epub_runs.append(cold([*program, "epub", *options]))
    weasy, ours_pdf, ours_epub = best(weasy_runs), best(pdf_runs), best(epub_runs)
    chapters = sorted(str(p) for p in (manuscript / "chapters").glob("*.md"))
    pandoc = timed([str(_pandoc()), *chapters, "-o", str(work / "pandoc.pdf"), "--pdf-engine=weasyprint"])
    count = pages(next(output.glob("*.pdf")))
    return {"copies": copies, "pages": count, "pdf": ours_pdf, "epub": ours_epub, "weasy": weasy, "pandoc": pandoc}


def _pandoc() -> Path:
    import pypandoc

    return Path(pypandoc.get_pandoc_path())


def table(rows: list[dict]) -> str:
    head = ("| chapters | pages | PDF s | pages/s | PDF peak MB | WeasyPrint s | ours ÷ WeasyPrint "
            "| EPUB s | EPUB peak MB | pandoc→WeasyPrint s |")
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        pdf, epub, weasy, pandoc = r["pdf"], r["epub"], r["weasy"], r["pandoc"]
        lines.append(
            f"| {r['copies']} | {r['pages']} | {pdf.seconds:.1f} | {r['pages'] / pdf.seconds:.0f} | {pdf.peak_mb:.0f} "
            f"| {weasy.seconds:.1f} | {pdf.seconds / weasy.seconds:.2f} | {epub.seconds:.1f} | {epub.peak_mb:.0f} "
            f"| {pandoc.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1, 10, 30, 100])
    parser.add_argument("--repeats", type=int, default=2, help="runs of each build, the best kept (default 2)")
    args = parser.parse_args()
    rows = []
    for copies in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{copies}-") as tmp:
            rows.append(bench(copies, Path(tmp), args.repeats))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows)
    command = f"Command: `make bench` (bench/run.py --repeats {args.repeats} {' '.join(map(str, args.sizes))})"
    RESULTS.write_text(f"{command}\n\n{text}", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
