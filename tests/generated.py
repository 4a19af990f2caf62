"""Books nobody tuned the layout for, made from a random source: paragraphs of one line to a
page, footnotes and links in clusters, figures, tables, quotations and lists, in any order.

`generated_chapters(rng)` gives the chapters' Markdown; the tests build them and look for
every paragraph and note in the PDF (pdf_text.lost_units).
"""

from __future__ import annotations

import random

# Common characters, so that every face has them and lines break as in real text.
HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
    "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
)
KINDS = ("short", "short", "short", "long", "notes", "notes", "figure", "table", "quote", "list", "heading")


def sentence(rng: random.Random, length: int) -> str:
    """About `length` Han characters in clauses, with commas and a full stop."""
    clauses = []
    while sum(map(len, clauses)) < length:
        clauses.append("".join(rng.choice(HAN) for _ in range(rng.randint(3, 12))))
    return "，".join(clauses) + "。"


def url(rng: random.Random) -> str:
    path = "/".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(4, 30)))
                    for _ in range(rng.randint(1, 5)))
    return f"https://www.example.com/{path}?id={rng.randint(0, 99999)}&utm_source=feed"


def chapter_markdown(rng: random.Random, number: int, blocks: tuple[int, int]) -> str:
    lines = [f"# 第{number}章 {sentence(rng, 4)[:-1]}", ""]
    notes: list[str] = []
    for _ in range(rng.randint(*blocks)):
        kind = rng.choice(KINDS)
        if kind == "short":
            lines.append(sentence(rng, rng.choice((8, 20, 30, 40, 50))))
        elif kind == "long":
            lines.append(sentence(rng, rng.randint(100, 500)))
        elif kind == "notes":
            # Plain runs with notes and links between them: a cluster of calls within a few lines.
            pieces = []
            for _ in range(rng.randint(1, 4)):
                pieces.append(sentence(rng, rng.randint(3, 40))[:-1])
                if rng.random() < 0.3:
                    pieces.append(f"[{sentence(rng, 3)[:-1]}]({url(rng)})")
                else:
                    notes.append(sentence(rng, rng.randint(6, 90)) + (f" {url(rng)}" if rng.random() < 0.3 else ""))
                    pieces.append(f"[^n{len(notes)}]")
            lines.append("".join(pieces) + "。")
        elif kind == "figure":
            lines += ["![pic.png](pic.png)", "", f"Jane Doe / Reuters {sentence(rng, rng.randint(8, 40))}"]
        elif kind == "table":
            rows = rng.randint(2, 9)
            lines += ["| 名称 | 数量 |", "| --- | ---: |"]
            lines += [f"| {sentence(rng, 4)[:-1]} | {rng.randint(1, 9999)} |" for _ in range(rows)]
        elif kind == "quote":
            lines.append("> " + sentence(rng, rng.randint(20, 150)))
        elif kind == "list":
            lines += [f"- {sentence(rng, rng.randint(5, 60))}" for _ in range(rng.randint(1, 5))]
        else:
            lines.append(f"## {sentence(rng, 6)[:-1]}")
        lines.append("")
    lines += [f"[^n{i}]: {text}" for i, text in enumerate(notes, start=1)]
    return "\n".join(lines) + "\n"


def generated_chapters(rng: random.Random, chapters: int, blocks: tuple[int, int]) -> dict[str, str]:
    """File name → Markdown, for `chapters` chapters of `blocks` blocks each."""
    return {f"{n:02d}.md": chapter_markdown(rng, n, blocks) for n in range(1, chapters + 1)}
