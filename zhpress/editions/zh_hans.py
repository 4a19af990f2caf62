"""The main edition: Simplified Chinese as the manuscript is written, set in the mainland's
faces (Noto CJK SC, AR PL UKai CN), with mainland labels and quotation marks."""

from __future__ import annotations

from .record import Edition, Labels

ZH_HANS = Edition(
    name="zh-Hans",
    suffix="",
    language=None,
    faces={
        "song": ("Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong"),
        "hei": ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Heiti SC"),
        "kai": ("AR PL UKai CN", "Kaiti SC", "STKaiti", "KaiTi"),
        "mono": ("DejaVu Sans Mono",),
    },
    labels=Labels(
        title_page="书名页",
        copyright_page="版权页",
        contents="目录",
        picture_credits="图片版权",
        notes="注释",
        cover="封面",
        landmarks="导览",
        body_matter="正文",
        written_by="著",
        translated_by="译",
        byline="文／",
        name_separator="、",
        book_title="书名",
        original_book_title="原书名",
        author="作者",
        translator="译者",
        publisher="出版者",
        version="版本",
        date="出版日期",
        identifier="标识符",
        isbn="书号",
        price="定价",
        format_size="开本",
        sheets="印张",
        characters="字数",
        thousand_characters="{count}千字",
        edition_line="版次",
        edition_text="{date}第{number}版",
        printing_line="印次",
        printing_text="{date}第{number}次印刷",
        contract_registration="著作权合同登记号",
        translation_licensed="中文翻译版权经授权",
        sources="原文出处",
        original_title="原题",
        original_publication="原载",
        published="发表",
        url="原文",
        clipped="剪藏",
        credit_unknown="未注明来源",
        credit_page="，第{page}页",
        credit_chapter="，见《{chapter}》",
        picture="图片",
        picture_from="图片，来源：{credit}",
        picture_not_fetched="图片未能获取",
        cover_alt="《{title}》封面",
        drawn_cover_alt="封面：《{title}》",
        draft_notice="样书：仅供校对，图片或未齐全，不得印制发行。",
        accessibility_summary=(
            "本书为可重排的 EPUB 3 电子书：正文为简体中文文本，标题层级、目录与导览齐全，阅读顺序与印刷版一致；"
            "字号、字体与配色可由读者调整；注释与正文可双向跳转；每幅图片（含封面）均有替代文字，"
            "图注与图片来源以文本给出；不含闪烁、声音或动态内容。"
        ),
    ),
    quotes=("“", "”"),
)
