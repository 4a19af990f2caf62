"""DAISY Ace, the accessibility checker stores and publishers run on EPUBs, on a built book.

Ace is a Node program (tools/ace, installed by tools/ace-setup.sh) driving a headless Chromium;
it uses Debian's `chromium` through PUPPETEER_EXECUTABLE_PATH and never downloads a browser.
`check` runs it on the built EPUB: any outcome other than pass, and any violation whatever its
impact, is a finding.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from ..errors import BookError, CheckFailedError, display_path
from ..render import ROOT
from ..scratch import scratch_folder

ACE_DIR = ROOT / "tools" / "ace"
ACE = ACE_DIR / "node_modules" / ".bin" / "ace-cli"
ACE_TIMEOUT = 600  # seconds; a 60-chapter book takes about a minute


def chromium() -> str | None:
    """The browser Ace drives: PUPPETEER_EXECUTABLE_PATH when set, else Debian's chromium."""
    return os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def ace_report(path: Path) -> dict:
    """Ace's report.json for the EPUB at `path`."""
    browser = chromium()
    if not ACE.exists():
        raise BookError(path, "DAISY Ace is not installed: run 'sh tools/ace-setup.sh' (make check does)")
    if browser is None:
        raise BookError(path, "DAISY Ace needs Chromium: apt-get install chromium (tools/ace-setup.sh does as root)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    with scratch_folder() as tmp:
        completed = subprocess.run(
            [str(ACE), "--silent", "--force", "--outdir", tmp, str(path)],
            capture_output=True, text=True, env=env, timeout=ACE_TIMEOUT, check=False,
        )
        report = Path(tmp) / "report.json"
        if not report.exists():
            detail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
            raise CheckFailedError(path, f"DAISY Ace did not run: {detail[0]}")
        return json.loads(report.read_text(encoding="utf-8"))


def ace_findings(path: Path) -> list[str]:
    """One line per Ace violation, `book.epub/EPUB/ch01.xhtml: serious: [rule] what is wrong`."""
    where = display_path(path)
    try:
        report = ace_report(path)
    except subprocess.TimeoutExpired:  # a busy machine or a huge book: a finding, like any other failure
        return [f"{where}: error: [A001] DAISY Ace did not finish within {ACE_TIMEOUT} s, so the EPUB's "
                "accessibility is not checked: run check again on a less busy machine"]
    findings = []
    for document in report.get("assertions", []):
        subject = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            test = assertion.get("earl:test", {})
            description = assertion.get("earl:result", {}).get("dct:description", "")
            findings.append(f"{where}/{subject}: {test.get('earl:impact', 'unknown')}: "
                            f"[{test.get('dct:title', '?')}] {description}")
    outcome = report.get("earl:result", {}).get("earl:outcome")
    if outcome != "pass" and not findings:
        findings.append(f"{where}: error: Ace's outcome is {outcome!r}")
    return findings
