"""URL cleaning: tracking parameters and text fragments go, whatever selects the page stays."""

from __future__ import annotations

import pytest

from zhpress.transforms.links import clean_url

# (as clipped, as printed). Expected values are written by hand from the rules of the contract:
# utm_*, fbclid, gclid and YouTube's si go; `#:~:text=` goes with its `#` unless a real
# fragment precedes it; v, t, list, id and every other parameter stay, in their order.
CLEANED = [
    # utm_* in every position, any case
    (
        "https://www.nytimes.com/2024/12/08/world/middleeast/assad-syria-russia.html"
        "?utm_source=twitter&utm_medium=social&utm_campaign=nyt",
        "https://www.nytimes.com/2024/12/08/world/middleeast/assad-syria-russia.html",
    ),
    ("https://news.ycombinator.com/item?id=42345678&utm_source=hn", "https://news.ycombinator.com/item?id=42345678"),
    ("https://www.example.com/?UTM_Source=News&utm_Medium=Email", "https://www.example.com/"),
    (
        "https://zh.wikipedia.org/wiki/%E5%8F%99%E5%88%A9%E4%BA%9A?utm_source=chatgpt.com",
        "https://zh.wikipedia.org/wiki/%E5%8F%99%E5%88%A9%E4%BA%9A",
    ),
    # fbclid and gclid, with page-selecting parameters on either side kept in order
    (
        "https://www.aljazeera.com/news/2024/12/8/syria-live?fbclid=IwZXh0bgNhZW0CMTEAAR2_aem_AbCdEf",
        "https://www.aljazeera.com/news/2024/12/8/syria-live",
    ),
    ("https://example.com/article.php?id=7&fbclid=IwAR1x2y3z&page=2", "https://example.com/article.php?id=7&page=2"),
    ("https://shop.example.com/product/123?gclid=Cj0KCQiA1-3yBhCmARIsAAGRV&color=red",
     "https://shop.example.com/product/123?color=red"),
    # percent-encoding and '+' in kept values are not decoded or re-encoded
    (
        "https://www.google.com/search?q=%E9%98%BF%E8%90%A8%E5%BE%B7+%E5%8F%99%E5%88%A9%E4%BA%9A&utm_source=x",
        "https://www.google.com/search?q=%E9%98%BF%E8%90%A8%E5%BE%B7+%E5%8F%99%E5%88%A9%E4%BA%9A",
    ),
    (
        "https://example.com/redirect?to=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1&utm_medium=email",
        "https://example.com/redirect?to=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1",
    ),
    # YouTube: si goes, v (and t, list) stay
    ("https://www.youtube.com/watch?v=D7mH2F1N38I&si=AbC123xyz", "https://www.youtube.com/watch?v=D7mH2F1N38I"),
    (
        "https://www.youtube.com/watch?si=AbC123xyz&v=D7mH2F1N38I&t=90s",
        "https://www.youtube.com/watch?v=D7mH2F1N38I&t=90s",
    ),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&si=xYz", "https://m.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://youtube.com/shorts/AbCdEfGhIjK?si=123abc", "https://youtube.com/shorts/AbCdEfGhIjK"),
    ("https://www.youtube.com/playlist?list=PLx0sYbCqOb8&si=Q1w2E3", "https://www.youtube.com/playlist?list=PLx0sYbCqOb8"),
    # youtu.be share links (the seed's, verbatim)
    ("https://youtu.be/J4AAOzkeiYE?si=o_iZhsZwJ_Ec6E13", "https://youtu.be/J4AAOzkeiYE"),
    ("https://youtu.be/J4AAOzkeiYE?si=o_iZhsZwJ_Ec6E13&t=120", "https://youtu.be/J4AAOzkeiYE?t=120"),
    # text fragments: alone (the seed's), after a real fragment, after tracking parameters
    (
        "https://mofa.gov.qa/en/latest-articles/statements/joint-statement-by-foreign-ministers-of-arab-countries-"
        "and-the-astana-process-on-the-situation-in-syria#:~:text=Statements-,Joint%20Statement%20by%20Foreign"
        "%20Ministers%20of%20Arab%20Countries%20and%20the,the%20repercussions%20of%20this%20crisis",
        "https://mofa.gov.qa/en/latest-articles/statements/joint-statement-by-foreign-ministers-of-arab-countries-"
        "and-the-astana-process-on-the-situation-in-syria",
    ),
    (
        "https://en.wikipedia.org/wiki/Bashar_al-Assad#Early_life:~:text=Bashar%20was%20born",
        "https://en.wikipedia.org/wiki/Bashar_al-Assad#Early_life",
    ),
    ("https://www.example.com/story?utm_source=x&p=3#:~:text=foo", "https://www.example.com/story?p=3"),
]

# Nothing to clean: each must come back byte for byte.
UNCHANGED = [
    "https://obamawhitehouse.archives.gov/the-press-office/2012/01/24/remarks-President-state-union-address",
    "https://www.youtube.com/watch?v=D7mH2F1N38I",
    "https://www.youtube.com/watch?v=D7mH2F1N38I&t=90s",
    "https://www.cnn.com/2025/10/28/politics/al-hassan-austin-tice-update",
    "https://apnews.com/article/syria-economy-assad-currency-subsidies-war-gasoline-0b512d309bef5c0e5a4ae6ffc287bd5a",
    "https://www.pbs.org/newshour/show/how-the-assad-regime-made-billions-producing-and-exporting-party-drugs",
    "https://www.theatlantic.com/international/2026/02/assad-syria-regime-overthrow/685883/",
    "https://en.wikipedia.org/wiki/Bashar_al-Assad#Early_life",
    "https://zh.wikipedia.org/wiki/%E5%8F%99%E5%88%A9%E4%BA%9A",
    "https://www.google.com/search?q=assad+syria&hl=en",
    "https://archive.org/search?query=%22house%20of%20assad%22&sort=-date",
    "https://www.example.com/a/b;jsessionid=0A1B2C?x=1",
    "https://www.example.com/search?q=",
    "https://user@example.com:8443/path/to?x=1&y=2#section-2",
    "http://example.com/%7Euser/page.html",
    "https://例子.测试/路径/文章?参数=值",
    "mailto:editor@example.com",
]


@pytest.mark.parametrize(("url", "expected"), CLEANED)
def test_tracking_and_text_fragments_are_removed(url: str, expected: str) -> None:
    assert clean_url(url) == expected


@pytest.mark.parametrize("url", UNCHANGED)
def test_url_with_nothing_to_clean_is_unchanged(url: str) -> None:
    assert clean_url(url) == url


@pytest.mark.parametrize("url", [expected for _, expected in CLEANED])
def test_cleaning_is_idempotent(url: str) -> None:
    assert clean_url(url) == url


def test_si_is_only_removed_from_youtube() -> None:
    """`si` is YouTube's sharer id; elsewhere it may select the page."""
    assert clean_url("https://www.example.org/catalogue?si=42&lang=zh") == "https://www.example.org/catalogue?si=42&lang=zh"


def test_surrounding_whitespace_is_trimmed() -> None:
    assert clean_url("  https://youtu.be/J4AAOzkeiYE?si=o_iZhsZwJ_Ec6E13\n") == "https://youtu.be/J4AAOzkeiYE"
