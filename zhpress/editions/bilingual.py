"""The bilingual edition (中英对照): the main edition's text and faces, each chapter beside
its English original (`chapters/NAME.en.md`), paired paragraph by paragraph."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .record import Edition
from .zh_hans import ZH_HANS

if TYPE_CHECKING:
    from ..config import BookConfig

# What a reader of the EPUB's accessibility summary must know besides the main edition's.
SUMMARY = (
    "本书为中英对照的可重排 EPUB 3 电子书：每段英文原文（标注为英语）与其简体中文译文成对排列，"
    "原文以字体、字号与左侧竖线区分，不单靠颜色；标题层级、目录与导览齐全，阅读顺序与印刷版一致；"
    "字号、字体与配色可由读者调整；注释与正文可双向跳转；每幅图片（含封面）均有替代文字，"
    "图注与图片来源以文本给出；不含闪烁、声音或动态内容。"
)
BILINGUAL = dataclasses.replace(
    ZH_HANS, name="zh-Hans-bilingual", suffix="-bilingual", originals=True, name_on_title_page="中英对照",
    labels=dataclasses.replace(ZH_HANS.labels, accessibility_summary=SUMMARY),
)


def edition_for(_config: BookConfig) -> Edition:
    """The bilingual edition; book.yaml's `bilingual_layout` is read where print lays it out."""
    return BILINGUAL
