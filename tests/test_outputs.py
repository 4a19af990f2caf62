"""Outputs are data: one entry in zhpress/outputs.py gives a command, a file, a check and a
place in dist/, and make's targets and the README's table follow the same list."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, LogGuard, copy_book, offline

from zhpress import cli, outputs
from zhpress.check.gate import check_outputs
from zhpress.config import load_config
from zhpress.dist import make_dist
from zhpress.errors import CheckFailedError
from zhpress.pipeline import build

PLAIN = outputs.Output("plain", "plain-text", ".txt", "test_outputs:write_plain", "the chapters' text, for a test",
                       checker="test_outputs:check_plain", shipped=True)
CHECKED: list[Path] = []


def write_plain(book, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(c.body.text_content() for c in book.chapters), encoding="utf-8")


def check_plain(book, path: Path, summary) -> None:
    CHECKED.append(path)
    summary.findings.append(f"{path.name}: error: [X001] a plain-text finding")


def test_an_output_added_by_one_entry_is_built_checked_and_shipped(tmp_path: Path, monkeypatch, caplog,
                                                                   log_guard: LogGuard) -> None:
    log_guard.expect("a plain-text finding")
    monkeypatch.setattr(outputs, "OUTPUTS", (*outputs.OUTPUTS, PLAIN))
    help_text = io.StringIO()
    with contextlib.redirect_stdout(help_text), pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    assert "'plain-text': the chapters' text, for a test" in " ".join(help_text.getvalue().split())
    assert cli.parse_args(["plain-text"]).command == "plain-text"

    manuscript = copy_book("anthology", tmp_path / "m")
    with offline():
        [written] = build(manuscript, tmp_path / "out", outputs.commands()["plain-text"], force=True)
    assert written == tmp_path / "out" / "海边两记.txt"
    assert "天还没亮" in written.read_text(encoding="utf-8")

    monkeypatch.setattr(outputs, "OUTPUTS", (PLAIN,))  # check and dist see only the new output
    with pytest.raises(CheckFailedError):
        check_outputs(manuscript, tmp_path / "out")
    assert [written] == CHECKED
    assert "海边两记.txt: error: [X001] a plain-text finding" in caplog.text
    [shipped] = make_dist(manuscript, tmp_path / "out", tmp_path / "dist")
    assert shipped.name == "海边两记-1.0.txt"
    assert shipped.read_bytes() == written.read_bytes()


def test_make_has_a_target_for_each_output_and_edition_command() -> None:
    commands = [*(o.command for o in outputs.main_outputs()), *(c.command for c in outputs.EDITION_COMMANDS)]
    assert "epub-vertical" in commands
    dry_run = subprocess.run(["make", "-n", *commands], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for command in commands:
        assert f'--output "output" {command}\n' in dry_run


def test_the_readme_lists_every_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `make ([\w-]+)` \| (.*) \|$", readme, re.MULTILINE)
    listed = dict(rows)
    for o in outputs.main_outputs():
        assert f"`output/<slug>{o.ending}`" in listed[o.command]
    for c in outputs.EDITION_COMMANDS:  # each file named with its edition's suffix: <slug>-hant-vertical.epub
        suffix = c.edition_for(load_config(ROOT / "manuscript")).suffix
        for name in c.outputs:
            assert f"`output/<slug>{suffix}{outputs.by_name(name).ending}`" in listed[c.command]
    synopsis = re.search(r"`python3 build\.py \{([^}]*)\}", readme)
    assert synopsis is not None
    assert synopsis.group(1).split(",") == [*outputs.commands(), "align", "check", "dist"]
