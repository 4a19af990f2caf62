"""The command line, as `build.py` and the venv's `zhpress` command run it: build a Chinese
book (PDF and EPUB) from a manuscript folder of Markdown chapters, or check it."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import outputs
from .errors import BookError


def parse_args(argv: list[str]) -> argparse.Namespace:
    built = ", ".join(o.name for o in outputs.OUTPUTS if o.in_all)
    commands = "; ".join(f"'{o.command}': {o.help}" for o in (*outputs.main_outputs(), *outputs.EDITION_COMMANDS))
    parser = argparse.ArgumentParser(
        description="Build the print PDF, the EPUB 3 and the print HTML of a manuscript, or check built files.",
        epilog="A manuscript error prints one line 'file:line: error: …' and exits with status 2; "
        "a failed check exits with status 1.",
    )
    parser.add_argument(
        "command", choices=[*outputs.commands(), "align", "check", "dist"],
        help=f"what to build: 'all' ({built}); {commands}; 'check' validates the built files; "
        "'dist' builds what is shipped (if not up to date) and copies it to --dist with checksums and a README; "
        "'align' writes output/<slug>-align.html, how each chapter pairs with its English original "
        "(chapters/NAME.en.md), for review",
    )
    parser.add_argument(
        "--manuscript", type=Path, default=Path("manuscript"), help="manuscript folder (default: manuscript)"
    )
    parser.add_argument("--output", type=Path, default=Path("output"), help="output folder (default: output)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="folder for 'dist' (default: dist)")
    parser.add_argument("--force", action="store_true", help="rebuild even when the outputs are up to date")
    parser.add_argument("--draft", action="store_true",
                        help="a proof copy (样书), as 'draft: true' in book.yaml: the books say so, "
                        "and check lets placeholder pictures pass")
    parser.add_argument("--guides", action="store_true",
                        help="with 'cover': its proof, with safe-area, spine and barcode guides (as 'cover-guides')")
    parser.add_argument("--report", action="store_true",
                        help="with 'hant': write output/<slug>-hant-report.html, every risky conversion choice "
                        "for review, instead of the books")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and library warnings")
    args = parser.parse_args(argv)
    if args.report and args.command != "hant":
        parser.error("--report goes with 'hant' only")
    return args


def configure_logging(debug: bool) -> None:
    """Our messages as they are; WeasyPrint's, fontTools' and pypdf's chatter only with --debug."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, handlers=[handler])
    if not debug:
        for noisy in ("weasyprint", "fontTools", "pypdf"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
    # One line per stage of a long build on a terminal; nothing in logs and pipes.
    logging.getLogger("zhpress.progress").setLevel(logging.INFO if sys.stderr.isatty() or debug else logging.WARNING)


def build_command(args: argparse.Namespace) -> None:
    """A build command's outputs, in the edition it names (the main one for most)."""
    from .config import load_config
    from .editions import ZH_HANS
    from .pipeline import build

    command = "cover-guides" if args.guides and args.command == "cover" else args.command
    edition_command = outputs.edition_command(command)
    edition = edition_command.edition_for(load_config(args.manuscript)) if edition_command else ZH_HANS
    build(args.manuscript, args.output, outputs.commands()[command], force=args.force, draft=args.draft,
          edition=edition)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging(args.debug)
    try:
        if args.command == "check":
            from .check.gate import check_outputs

            check_outputs(args.manuscript, args.output, draft=args.draft)
        elif args.command == "dist":
            from .dist import make_dist
            from .pipeline import build

            build(args.manuscript, args.output, tuple(o.name for o in outputs.OUTPUTS if o.shipped), draft=args.draft)
            make_dist(args.manuscript, args.output, args.dist)
        elif args.command == "align":
            from .bilingual.report import write_report as write_alignment_report

            write_alignment_report(args.manuscript, args.output)
        elif args.report:
            from .editions.hant_report import write_report

            write_report(args.manuscript, args.output)
        else:
            build_command(args)
    except BookError as exc:
        if args.debug:
            raise
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; earlier output files are untouched", file=sys.stderr)
        return 130
    return 0

