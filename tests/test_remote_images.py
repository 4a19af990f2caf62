"""Remote pictures: fetched once into <manuscript>/.cache/images/, embedded, never fetched again.

A local HTTP server on 127.0.0.1 stands in for the web; nothing leaves the machine.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import PROXY_VARIABLES, Epub, build_book, squash, text_of
from PIL import Image


def png_bytes(width: int, height: int, color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


PHOTO = png_bytes(48, 32, "teal")
RESPONSES = {
    "/photo.png": (200, "image/png", PHOTO),
    "/page.png": (200, "text/html", b"<!DOCTYPE html><html><body>Not a picture</body></html>"),
}


class PictureServer:
    """Serves RESPONSES and counts the requests for each path."""

    def __init__(self) -> None:
        hits: Counter[str] = Counter()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits[self.path] += 1
                status, content_type, body = RESPONSES.get(self.path, (404, "text/plain", b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # keep the test output clean
                pass

        self.hits = hits
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PictureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PictureServer]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with PictureServer() as running:
        yield running


def remote_book(tmp_path: Path, markdown: str) -> Path:
    folder = tmp_path / "remote"
    (folder / "chapters").mkdir(parents=True)
    (folder / "book.yaml").write_text("title: 远程图片\n", encoding="utf-8")
    (folder / "chapters" / "01.md").write_text(markdown, encoding="utf-8")
    return folder


def epub_pictures(epub: Epub) -> list[bytes]:
    """The bytes of every picture a figure shows (the cover is not a figure)."""
    return [
        epub.files[epub.href(img.get("src"))]
        for doc in epub.documents().values()
        for figure in doc.iter("{*}figure")
        for img in figure.iter("{*}img")
    ]


def test_remote_picture_is_fetched_cached_embedded_and_not_fetched_again(tmp_path: Path, server: PictureServer) -> None:
    url = f"{server.base}/photo.png"
    markdown = f"# 远方\n\n正文。\n\n![photo.png]({url})\n\nJane Doe / Reuters 2025年3月，远方的来信。\n"
    folder = remote_book(tmp_path, markdown)

    first = build_book(folder, tmp_path / "out1", ("epub",))
    assert first.warnings == []
    assert server.hits["/photo.png"] == 1
    cached = sorted((folder / ".cache" / "images").iterdir())
    assert [p.read_bytes() for p in cached] == [PHOTO]
    epub = Epub(first.path(".epub"))
    assert epub_pictures(epub) == [PHOTO]
    (img,) = [img for doc in epub.documents().values() for f in doc.iter("{*}figure") for img in f.iter("{*}img")]
    assert img.get("alt") == "2025年3月，远方的来信。"

    second = build_book(folder, tmp_path / "out2", ("epub",))
    assert second.warnings == []
    assert server.hits["/photo.png"] == 1, "a cached picture was fetched again"
    assert epub_pictures(Epub(second.path(".epub"))) == [PHOTO]


def test_http_error_gives_a_placeholder_and_later_pictures_are_still_fetched(
    tmp_path: Path, server: PictureServer, log_guard
) -> None:
    missing = f"{server.base}/missing.png"
    folder = remote_book(tmp_path, (
        f"# 远方\n\n![missing.png]({missing})\n\nJane Doe / Reuters 2025年3月，丢失的照片。\n\n"
        f"![photo.png]({server.base}/photo.png)\n\nJohn Roe / AP 2025年4月，找到的照片。\n"
    ))
    log_guard.expect(r"image not fetched")
    result = build_book(folder, tmp_path / "out", ("epub",))

    (warning,) = result.warnings
    assert warning.startswith(f"{folder / 'chapters' / '01.md'}:3: warning: image not fetched (")
    assert "Not Found" in warning and warning.endswith(missing)  # the reason the server gave
    assert (server.hits["/missing.png"], server.hits["/photo.png"]) == (1, 1)
    epub = Epub(result.path(".epub"))
    assert epub_pictures(epub) == [PHOTO]
    (chapter,) = [doc for doc in epub.documents().values() if list(doc.iter("{*}figure"))]
    placeholder, fetched = chapter.iter("{*}figure")
    assert list(placeholder.iter("{*}img")) == []
    assert squash(text_of(placeholder)).count(squash("2025年3月，丢失的照片。")) == 1
    assert "Jane Doe / Reuters" in text_of(placeholder)
    assert len(list(fetched.iter("{*}img"))) == 1


def test_response_that_is_not_a_picture_is_not_cached(tmp_path: Path, server: PictureServer, log_guard) -> None:
    url = f"{server.base}/page.png"
    folder = remote_book(tmp_path, f"# 远方\n\n![page.png]({url})\n\nJane Doe / Reuters 2025年3月，一张假照片。\n")
    log_guard.expect(r"printing a placeholder")
    result = build_book(folder, tmp_path / "out", ("epub",))

    (warning,) = result.warnings
    assert url in warning
    cache = folder / ".cache" / "images"
    assert not cache.exists() or list(cache.iterdir()) == []
    assert epub_pictures(Epub(result.path(".epub"))) == []
