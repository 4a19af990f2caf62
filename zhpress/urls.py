"""URLs as a reader can type them: what selects the page stays, what tracks the reader goes."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Query parameters that only track the reader; they never select the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|_gl|yclid|twclid)$", re.I
)
# YouTube's share links add `si`, which identifies the sharer, not the video.
YOUTUBE_HOSTS = re.compile(r"(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$", re.I)
YOUTUBE_TRACKING = {"si", "feature", "pp"}
TEXT_FRAGMENT = ":~:"


def clean_url(url: str) -> str:
    """Drop tracking parameters and browser text fragments; keep what selects the page."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    youtube = bool(YOUTUBE_HOSTS.search(host))
    # Filter the raw `key=value` pairs: decoding and re-encoding would change the URL's bytes.
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and not _is_tracking(unquote_plus(pair.split("=", 1)[0]), youtube)
    ]
    fragment = parts.fragment.split(TEXT_FRAGMENT, 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), fragment))


def _is_tracking(key: str, youtube: bool) -> bool:
    return bool(TRACKING_PARAMS.match(key)) or (youtube and key in YOUTUBE_TRACKING)
