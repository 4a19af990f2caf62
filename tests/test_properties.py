"""Property-based: generated manuscripts of every shape we accept must build to an EPUB that
EPUBCheck accepts and a PDF that opens with its text in it; generated books of every length,
at every trim and with both note numberings, must reach the PDF whole, each note on the page
of its call.

Bounded for CI (a few examples); `make fuzz` runs the `fuzz` profile with many more.
"""

from __future__ import annotations

import os
import random
import tempfile
import zipfile
from pathlib import Path

from conftest import LogGuard, build_book, make_png, offline, pdf_text, squash
from generated import generated_chapters
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_layout import body_lines, runts
from pdf_text import calls_and_markers, lost_units

from zhpress.check.gate import epubcheck
from zhpress.config import TRIM_SIZES

# The log guard fixture is reset for the whole test, not per example: that is what we want.
RELAXED = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=5, deadline=None, derandomize=True, suppress_health_check=RELAXED)
settings.register_profile("fuzz", max_examples=200, deadline=None, suppress_health_check=RELAXED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HAN_TEXT = st.text(
    alphabet=(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
        "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
        "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
        "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
        "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
        "必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
        "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信"
        "马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
        "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存"
        "候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    ),
    min_size=1,
    max_size=40,
)
LATIN = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,10}( [A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
ODD = st.sampled_from(["\x07", "\x1b", "\ufffe", "😀", "e\u0301", "<", "&", ">", "\\*", "\u00a0", "\u2028", "——", "……"])
URL = st.builds(
    lambda path, n: f"https://www.example.com/{path}?id={n}&utm_source=feed#:~:text=x",
    st.from_regex(r"[a-z]{1,10}", fullmatch=True), st.integers(0, 999),
)


@st.composite
def inline(draw: st.DrawFn, notes: list[str]) -> str:
    kind = draw(st.sampled_from(["han", "han", "latin", "em", "strong", "quote", "link", "note", "odd", "html"]))
    han = draw(HAN_TEXT)
    if kind == "latin":
        return draw(LATIN)
    if kind == "em":
        return f"*{han}*"
    if kind == "strong":
        return f"**{han}**"
    if kind == "quote":
        return f'"{han}"'
    if kind == "link":
        return f"[{han}]({draw(URL)})"
    if kind == "note":
        notes.append(draw(HAN_TEXT))
        return f"[^n{len(notes)}]"
    if kind == "odd":
        return draw(ODD)
    if kind == "html":
        return draw(st.sampled_from(['<span onclick="x()">事件</span>', "<b>粗</b>", "</i>", "<script>x()</script>",
                                     '<a href="javascript:x()">链接</a>', "<br>"]))
    return han


@st.composite
def manuscript(draw: st.DrawFn) -> str:
    notes: list[str] = []
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["para", "para", "list", "figure", "html", "heading"]))
        if kind == "list":
            blocks.append("\n".join(f"- {draw(inline(notes))}" for _ in range(draw(st.integers(1, 3)))))
        elif kind == "figure":
            credit = draw(st.sampled_from(["", "Jane Doe / Reuters 2024年1月，", "AP "]))
            blocks.append(f"![pic.png](pic.png)\n\n{credit}{draw(HAN_TEXT)}")
        elif kind == "html":
            blocks.append(draw(st.sampled_from(["<div onmouseover='x()'>块</div>", "<iframe src='x'></iframe>",
                                                "<table><tr><td>格</td></tr></table>"])))
        elif kind == "heading":
            blocks.append(f"## {draw(HAN_TEXT)}")
        else:
            blocks.append("".join(draw(st.lists(inline(notes), min_size=1, max_size=8))))
    definitions = [f"[^n{i}]: {text}" for i, text in enumerate(notes, start=1)]
    return "\n\n".join(["正文。", *blocks, *definitions]) + "\n"


@given(markdown=manuscript())
def test_any_manuscript_builds_to_a_valid_epub_and_a_readable_pdf(markdown: str, log_guard: LogGuard) -> None:
    # What generated odd characters are expected to cause; anything else fails the test.
    for expected in ("removed control character", r"\[G001\] no font has",
                     "link '链接' has no usable web or mail address"):  # the javascript: link, printed as text
        log_guard.expect(expected)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        chapters = root / "m" / "chapters"
        chapters.mkdir(parents=True)
        (root / "m" / "book.yaml").write_text("title: 生成的书\n", encoding="utf-8")
        (chapters / "01.md").write_text(markdown, encoding="utf-8")
        make_png(chapters / "pic.png", 8, 6, "green")
        with offline():
            result = build_book(root / "m", root / "out", ("pdf", "epub"))
        assert epubcheck(result.path(".epub")) == []
        assert "正文。" in squash(pdf_text(result.path(".pdf")))


@given(
    rng=st.randoms(use_true_random=False),
    chapters=st.integers(1, 3),
    trim=st.sampled_from(sorted(TRIM_SIZES)),
    numbering=st.sampled_from(["page", "chapter"]),
)
def test_every_paragraph_and_note_of_a_generated_book_reaches_the_pdf(
    rng: random.Random, chapters: int, trim: str, numbering: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "m" / "chapters"
        folder.mkdir(parents=True)
        (root / "m" / "book.yaml").write_text(f"title: 生成的书\ntrim: {trim}\nnote_numbering: {numbering}\n",
                                              encoding="utf-8")
        for name, markdown in generated_chapters(rng, chapters, (5, 40)).items():
            (folder / name).write_text(markdown, encoding="utf-8")
        make_png(folder / "pic.png", 60, 40, "green")
        with offline():
            pdf = build_book(root / "m", root / "out", ("pdf", "epub")).path(".pdf")
        assert lost_units(pdf, sorted(folder.glob("*.md"))) == []
        assert [page for page in calls_and_markers(pdf) if page[0] != page[1]] == []
        assert [(ln.page, ln.text) for ln in runts(body_lines(pdf))] == []  # no paragraph ends on one character


# --------------------------------------------------------------------------- hostile manuscripts
# What a stranger's manuscript may hold: attributes and elements that load things, every kind
# of address, deep nesting, odd encodings and line ends. Whatever it holds, the build either
# succeeds with nothing from outside the manuscript in its books and no connection made, or
# stops with one line `file:line: error: …` (exit status 2); never a traceback.

MARKER = "OUTSIDE-MARKER-fz9q"


def _addresses(outside: Path, server: str) -> list[str]:
    """Every kind of address a hostile manuscript may give, to the marker files outside."""
    return [
        "../../outside/secret.svg", "../outside/secret.md", str(outside / "secret.svg"),
        (outside / "secret.svg").as_uri(), f"file://localhost{outside}/secret.svg", f"{server}/a.png",
        f"{server.replace('http:', '')}/b.svg", f"{server.replace('http', 'HtTp')}/c.png", "javascript:alert(1)",
        "java&#x09;script:alert(1)", " JaVaScRiPt:x()", "vbscript:x", "data:image/svg+xml,<svg/>", "ftp://127.0.0.1/x",
        "blob:x", "https://例子.中国/a.png", "https://www.exa\u200bmple.com/a.png", "#nowhere", "/about", "x.png",
        "%2e%2e/%2e%2e/outside/secret.svg", "..%2f..%2foutside%2fsecret.svg",
    ]


ATTRIBUTES = ["src", "href", "data-figure", "data-src", "data-kind", "srcset", "poster", "background", "style",
              "xlink:href", "formaction", "onload", "data-credit", "data-caption", "lang", "class", "id"]
ELEMENTS = ["img", "a", "span", "div", "image", "video", "source", "link", "object", "iframe", "base", "use",
            "svg", "math", "embed", "style", "table", "td"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gbk", "big5", "latin-1"]


# Markdown and HTML that name an address {a}: each loads it, links to it, or marks it a figure.
FORMS = {
    "image": "![图]({a})", "link": "见[链接]({a})。", "figure": "![图]({a}){{figure=ch01-fig1}}", "autolink": "<{a}>",
    "css": "<style>@import url({a}); p {{ background: url({a}) }}</style>",
    "reference": "见[引用][r]与![图][r]。\n\n[r]: {a}",
}


@st.composite
def hostile_block(draw: st.DrawFn, addresses: list[str]) -> str:
    address = draw(st.sampled_from(addresses))
    kind = draw(st.sampled_from([*FORMS, "element", "nesting"]))
    if kind in FORMS:
        return FORMS[kind].format(a=address)
    if kind == "element":
        tag = draw(st.sampled_from(ELEMENTS))
        attributes = draw(st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=4, unique=True))
        values = [address if a != "style" else f"background:url({address})" for a in attributes]
        pairs = " ".join(f'{a}="{v}"' for a, v in zip(attributes, values, strict=True))
        return f"段落<{tag} {pairs}>内容</{tag}>结束。"
    depth = draw(st.integers(1, 70))
    opener, closer = draw(st.sampled_from([("> ", ""), ("<div>", "</div>"), ("<blockquote>", "</blockquote>")]))
    return opener * depth + "深处。" + closer * depth  # Markdown's quotes need no closer


@st.composite
def hostile_manuscript(draw: st.DrawFn, addresses: list[str]) -> tuple[bytes, str]:
    blocks = draw(st.lists(hostile_block(addresses), min_size=1, max_size=5))
    markdown = "\n\n".join(["# 第一章", "正文。", *blocks, "结尾。"]) + "\n"
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    return markdown.replace("\n", ending).encode(encoding, errors="replace"), encoding


def _hostile_case(root: Path) -> tuple[Path, Path]:
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"# 秘密\n\n{MARKER}\n", encoding="utf-8")
    (outside / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text y="20">{MARKER}</text></svg>',
        encoding="utf-8")
    (root / "m" / "chapters").mkdir(parents=True)
    (root / "m" / "book.yaml").write_text("title: 陌生人的书\n", encoding="utf-8")
    make_png(root / "m" / "chapters" / "x.png", 8, 6, "green")
    return root / "m", outside


@given(data=st.data())
def test_a_hostile_manuscript_builds_clean_or_stops_with_one_line(data: st.DataObject, log_guard: LogGuard) -> None:
    from test_hostile import Listener

    from zhpress.errors import BookError

    log_guard.expect(r": warning: ")  # ours, each naming its file; WeasyPrint's own messages fail the test
    with tempfile.TemporaryDirectory() as tmp, Listener() as listener:
        manuscript, outside = _hostile_case(Path(tmp))
        chapter, _ = data.draw(hostile_manuscript(_addresses(outside, listener.url)))
        (manuscript / "chapters" / "01.md").write_bytes(chapter)
        try:
            with offline():
                result = build_book(manuscript, Path(tmp) / "out", ("pdf", "epub"))
        except BookError as exc:
            assert exc.exit_code == 2 and "\n" not in str(exc) and ": error: " in str(exc), str(exc)
            assert not (Path(tmp) / "out").exists() or not list((Path(tmp) / "out").iterdir())
        else:
            for path in result.paths:
                assert MARKER.encode() not in path.read_bytes()
            assert MARKER not in pdf_text(result.path(".pdf"))
            with zipfile.ZipFile(result.path(".epub")) as epub:
                assert all(MARKER.encode() not in epub.read(name) for name in epub.namelist())
        assert listener.connections == 0
