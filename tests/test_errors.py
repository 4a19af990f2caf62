"""Every error case of the manuscript contract, through the command line as a user meets it:
one line `path[:line]: error: message` on stderr (paths relative to the working directory),
exit status 2, nothing on stdout, no traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import BOOKS, run_cli

# The keys the contract names; the unknown-key message must offer every one of them.
CONTRACT_KEYS = {
    "title", "subtitle", "original_title", "authors", "translators", "publisher", "language", "date",
    "identifier", "rights", "cover", "chapters",
}


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def copy_case(case: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(BOOKS / case, tmp_path / case))


def fails_with_one_line(tmp_path: Path, manuscript: str | Path, command: str = "all") -> str:
    """Run the build expecting a manuscript error; return its single stderr line."""
    code, out, err = run_cli(command, "--manuscript", manuscript, "--output", "out", cwd=tmp_path)
    assert "Traceback" not in err
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return lines[0]


def expected_error(case: str, tmp_path: Path) -> str:
    """The exact line each committed error book must produce, derived from its files."""
    root = tmp_path / case
    if case == "bad-yaml":
        line = line_of(root / "book.yaml", "subtitle:")
        return f"bad-yaml/book.yaml:{line}: error: malformed YAML: mapping values are not allowed here"
    if case == "bad-front-matter":
        line = line_of(root / "chapters/02-bad.md", "description:")
        return f"bad-front-matter/chapters/02-bad.md:{line}: error: malformed YAML: mapping values are not allowed here"
    if case == "missing-title":
        return "missing-title/book.yaml: error: missing required key 'title' (the Chinese book title)"
    if case == "missing-chapter":
        line = line_of(root / "book.yaml", "chapters:")
        return (f"missing-chapter/book.yaml:{line}: error: chapter 'chapters/02-missing.md' "
                "is listed but there is no such file")
    if case == "missing-image":
        line = line_of(root / "chapters/01.md", "](images/nope.png)")
        return f"missing-image/chapters/01.md:{line}: error: image 'images/nope.png' not found"
    if case == "empty":
        return ("empty: error: no chapters: add Markdown files as chapters/*.md "
                "or list them under 'chapters' in book.yaml")
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case", ["bad-yaml", "bad-front-matter", "missing-title", "missing-chapter", "missing-image", "empty"]
)
def test_error_book(case: str, tmp_path: Path) -> None:
    copy_case(case, tmp_path)
    assert fails_with_one_line(tmp_path, case) == expected_error(case, tmp_path)


def test_unknown_key_is_named_with_the_known_ones(tmp_path: Path) -> None:
    root = copy_case("unknown-key", tmp_path)
    line = line_of(root / "book.yaml", "titel:")
    message = fails_with_one_line(tmp_path, "unknown-key")
    match = re.fullmatch(rf"unknown-key/book\.yaml:{line}: error: unknown key 'titel' \(known keys: (.+)\)", message)
    assert match, message
    assert set(match.group(1).split(", ")) >= CONTRACT_KEYS


def test_gbk_chapter_is_named_as_gbk(tmp_path: Path) -> None:
    root = tmp_path / "gbk"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 编码之书\n", encoding="utf-8")
    text = "---\nsource: https://www.example.com/gbk\n---\n# Encoded\n\n这一章是用GBK编码保存的。\n"
    (root / "chapters" / "01.md").write_bytes(text.encode("gbk"))
    first_chinese_line = next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    assert fails_with_one_line(tmp_path, "gbk") == (
        f"gbk/chapters/01.md:{first_chinese_line}: error: not UTF-8 text "
        "(it looks like GBK/GB18030; save it as UTF-8 and build again)"
    )


def test_local_file_that_is_not_a_picture(tmp_path: Path) -> None:
    root = copy_case("not-an-image", tmp_path)
    line = line_of(root / "chapters/01.md", "](images/photo.png)")
    message = fails_with_one_line(tmp_path, "not-an-image")
    assert message.startswith(f"not-an-image/chapters/01.md:{line}: error: image 'images/photo.png': not a picture")


def test_not_a_picture_error_names_no_absolute_path(tmp_path: Path) -> None:
    copy_case("not-an-image", tmp_path)
    assert str(tmp_path) not in fails_with_one_line(tmp_path, "not-an-image")


def test_missing_book_yaml(tmp_path: Path) -> None:
    (tmp_path / "nobook" / "chapters").mkdir(parents=True)
    (tmp_path / "nobook" / "chapters" / "01.md").write_text("正文。\n", encoding="utf-8")
    assert fails_with_one_line(tmp_path, "nobook") == (
        "nobook/book.yaml: error: no book.yaml: a manuscript folder needs one with at least 'title: …'"
    )


def test_front_matter_never_closed(tmp_path: Path) -> None:
    root = tmp_path / "open"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 书\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("---\ntitle: Open\n\n# 第一章\n\n正文。\n", encoding="utf-8")
    assert fails_with_one_line(tmp_path, "open") == (
        "open/chapters/01.md:1: error: front matter opened with '---' is never closed"
    )


def test_chapter_with_no_text(tmp_path: Path) -> None:
    root = tmp_path / "blank"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 书\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("---\ntitle: Nothing Here\n---\n\n", encoding="utf-8")
    assert fails_with_one_line(tmp_path, "blank") == "blank/chapters/01.md: error: chapter has no text"


def test_wrong_type_names_key_and_expectation(tmp_path: Path) -> None:
    root = tmp_path / "typed"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 书\ntranslators: {name: 李四}\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("正文。\n", encoding="utf-8")
    assert fails_with_one_line(tmp_path, "typed") == (
        "typed/book.yaml:2: error: translators: expected a list of names, got {'name': '李四'}"
    )


def test_absolute_manuscript_path_is_still_shown_relative(tmp_path: Path) -> None:
    root = copy_case("missing-image", tmp_path)
    assert fails_with_one_line(tmp_path, root.resolve()) == expected_error("missing-image", tmp_path)


def test_check_on_a_broken_manuscript_is_a_manuscript_error(tmp_path: Path) -> None:
    copy_case("unknown-key", tmp_path)
    code, _, err = run_cli("check", "--manuscript", "unknown-key", "--output", "out", cwd=tmp_path)
    assert (code, "Traceback" in err) == (2, False)
    assert err.startswith("unknown-key/book.yaml:2: error: unknown key 'titel'")


def test_impossible_date_in_book_yaml(tmp_path: Path) -> None:
    root = tmp_path / "bad-date"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 日期有误\ndate: 2024-02-30\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("正文。\n", encoding="utf-8")
    assert fails_with_one_line(tmp_path, "bad-date").startswith("bad-date/book.yaml:2: error: ")


def test_impossible_date_in_front_matter(tmp_path: Path) -> None:
    root = tmp_path / "bad-date"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 日期有误\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("---\ntitle: Dated\npublished: 2024-13-45\n---\n正文。\n",
                                             encoding="utf-8")
    assert fails_with_one_line(tmp_path, "bad-date").startswith("bad-date/chapters/01.md:3: error: ")


# --------------------------------------------------------------------------- warnings, not errors


def test_control_characters_are_removed_with_a_warning_naming_the_line(tmp_path: Path) -> None:
    root = tmp_path / "ctrl"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: 控制字符\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("# 第一章\n\n正文里有一个响铃\x07字符。\n", encoding="utf-8")
    code, _, err = run_cli("html", "--manuscript", "ctrl", "--output", "out", cwd=tmp_path)
    assert code == 0, err
    assert "ctrl/chapters/01.md:3: warning: removed control character U+0007" in err.splitlines()
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "正文里有一个响铃字符。" in html.replace("\u2060", "")  # print binds the last two characters
    assert "\x07" not in html
