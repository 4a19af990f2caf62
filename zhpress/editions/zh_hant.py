"""The Traditional editions (繁體版): Taiwan's (characters and vocabulary) and Hong Kong's
(characters only), converted from the Simplified manuscript, set in the TC or HK faces, with
their own labels and 「」 quotation marks. book.yaml's `hant` picks the region."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..config import BookConfig
from .hant import converter_for
from .hant_report import doubtful_warnings
from .record import Edition, Labels

# The labels converted with OpenCC (s2twp), then read and corrected by hand: 識別碼, not
# 識別符號; the summary says the text is Traditional.
HANT_LABELS = Labels(
    title_page="書名頁",
    copyright_page="版權頁",
    contents="目錄",
    picture_credits="圖片版權",
    notes="註釋",
    cover="封面",
    landmarks="導覽",
    body_matter="正文",
    written_by="著",
    translated_by="譯",
    byline="文／",
    name_separator="、",
    book_title="書名",
    original_book_title="原書名",
    author="作者",
    translator="譯者",
    publisher="出版者",
    version="版本",
    date="出版日期",
    identifier="識別碼",
    isbn="書號",
    price="定價",
    format_size="開本",
    sheets="印張",
    characters="字數",
    thousand_characters="{count}千字",
    edition_line="版次",
    edition_text="{date}第{number}版",
    printing_line="印次",
    printing_text="{date}第{number}次印刷",
    contract_registration="著作權合同登記號",
    translation_licensed="中文翻譯版權經授權",
    sources="原文出處",
    original_title="原題",
    original_publication="原載",
    published="發表",
    url="原文",
    clipped="剪藏",
    credit_unknown="未註明來源",
    credit_page="，第{page}頁",
    credit_chapter="，見《{chapter}》",
    picture="圖片",
    picture_from="圖片，來源：{credit}",
    picture_not_fetched="圖片未能取得",
    cover_alt="《{title}》封面",
    drawn_cover_alt="封面：《{title}》",
    draft_notice="樣書：僅供校對，圖片或未齊全，不得印製發行。",
    accessibility_summary=(
        "本書為可重排的 EPUB 3 電子書：正文為繁體中文文本，標題層級、目錄與導覽齊全，閱讀順序與印刷版一致；"
        "字號、字型與配色可由讀者調整；註釋與正文可雙向跳轉；每幅圖片（含封面）均有替代文字，"
        "圖注與圖片來源以文本給出；不含閃爍、聲音或動態內容。"
    ),
)


# Taiwan's standard (and Hong Kong's) sets these in the middle of the em box, which the TC and HK
# faces do by default: they keep their full width beside another mark.
CENTRED_MARKS = "，。、；：！？"


def _faces(region: str) -> dict[str, tuple[str, ...]]:
    """Noto CJK TC or HK (the region's glyph shapes), and the region's AR PL UKai."""
    cjk = region.upper() if region == "hk" else "TC"
    return {
        "song": (f"Noto Serif CJK {cjk}", f"Source Han Serif {cjk}", "Songti TC", "STSong"),
        "hei": (f"Noto Sans CJK {cjk}", f"Source Han Sans {cjk}", "PingFang TC", "Heiti TC"),
        "kai": (f"AR PL UKai {region.upper()}", "Kaiti TC", "STKaiti", "KaiTi"),
        "mono": ("DejaVu Sans Mono",),
    }


def _edition(region: str, labels: Labels) -> Edition:
    return Edition(
        name=f"zh-Hant-{region.upper()}",
        suffix="-hant",
        language=f"zh-Hant-{region.upper()}",
        faces=_faces(region),
        labels=labels,
        quotes=("「", "」"),
        convert=converter_for(region).convert,
        centred_marks=CENTRED_MARKS,
        review=doubtful_warnings,
    )


ZH_HANT_TW = _edition("tw", HANT_LABELS)
# Hong Kong's forms where they differ from Taiwan's (閲, 字體).
HK_SUMMARY = HANT_LABELS.accessibility_summary.replace("閱讀", "閲讀").replace("字型", "字體")
ZH_HANT_HK = _edition("hk", dataclasses.replace(HANT_LABELS, accessibility_summary=HK_SUMMARY))
HANT = {"tw": ZH_HANT_TW, "hk": ZH_HANT_HK}


def hant_edition(region: str, folder: Path) -> Edition:
    """The `region`'s edition of the manuscript in `folder`, with its overrides (hant.yaml)."""
    return dataclasses.replace(HANT[region], convert=converter_for(region, folder).convert)


def edition_for(config: BookConfig) -> Edition:
    """The Traditional edition book.yaml's `hant` asks for, of the manuscript `config` is of."""
    return hant_edition(config.hant, config.folder)
