"""Fonts for the e-book: subsets of the Song and Kai faces holding only the characters the book uses.

A reader without Chinese fonts (many e-ink devices, some Android apps) then still shows the book
as it is set. The subsets are sfnt files (OTF for the CFF Song, TTF for the TrueType Kai), which
every EPUB reading system accepts, Kindle's conversion included; WOFF2 would save about a quarter
but older Kobo and Kindle readers ignore it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from lxml import etree

from .. import fontconfig
from ..editions import ZH_HANS, Edition

log = logging.getLogger(__name__)

# OpenType features a horizontal Chinese text needs: kerning for Latin runs, `halt` for the
# half-width punctuation the stylesheet asks for, `palt`, and `ccmp`. Leaving out `locl`, `vert`
# and the other alternates keeps the glyph count at about one per character.
LAYOUT_FEATURES = ("kern", "halt", "palt", "ccmp")
# What vertical text needs besides: the vertical forms of marks and brackets (「 turned, ，。 in
# the top right corner), and vertical half-width and proportional metrics.
VERTICAL_FEATURES = ("vert", "vrt2", "vhal", "vpal", "vkrn")
# Family, style, version and PostScript names, plus copyright and licence (nameIDs 0, 13, 14):
# the OFL and the Arphic licence travel with the font program.
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]


@dataclass(frozen=True)
class Face:
    """A face the stylesheet names, and how fontconfig finds it on this machine."""

    key: str  # base name of the file in the EPUB
    family: str  # CSS family name: the one epub.css already lists
    pattern: str  # fontconfig pattern


@dataclass(frozen=True)
class BookFaces:
    """The faces of an edition the e-book embeds and its drawn cover is set in."""

    song: Face
    song_bold: Face
    kai: Face

    @property
    def embedded(self) -> tuple[Face, ...]:
        return (self.song, self.kai)


def book_faces(edition: Edition) -> BookFaces:
    song, kai = edition.face("song"), edition.face("kai")
    return BookFaces(Face("song", song, f"{song}:style=Regular"), Face("song-bold", song, f"{song}:style=Bold"),
                     Face("kai", kai, kai))


MAIN_FACES = book_faces(ZH_HANS)
SONG, SONG_BOLD, KAI = MAIN_FACES.song, MAIN_FACES.song_bold, MAIN_FACES.kai


@dataclass(frozen=True)
class FontFile:
    """A font on this machine: the file and, for a collection (.ttc), the face's index in it."""

    path: Path
    index: int


@dataclass(frozen=True)
class EmbeddedFont:
    """A subset ready for the EPUB's manifest."""

    face: Face
    file_name: str  # fonts/song.otf, relative to the package document
    media_type: str
    content: bytes
    characters: int  # how many of the requested characters the subset maps


@cache
def find_font(face: Face) -> FontFile | None:
    """The file fontconfig gives for `face`, or None when the family is not installed
    (fc-match then answers with a fallback of another family, which we refuse)."""
    answer = fontconfig.match(face.pattern, face.family, "%{file}|%{index}")
    if answer is None:
        return None
    path, _, index = answer.partition("|")
    return FontFile(Path(path), int(index or 0)) if Path(path).is_file() else None


def document_characters(documents: Iterable[bytes | str]) -> set[str]:
    """Every character a reader can see in these XHTML documents: the text of their bodies."""
    chars = {" "}
    for document in documents:
        root = etree.fromstring(document.encode() if isinstance(document, str) else document)
        body = next(root.iter("{*}body", "body"), root)
        chars.update("".join(body.itertext()))
    return {c for c in chars if c >= " " and c != "\x7f"}


def subset_font(font: FontFile, chars: set[str], features: tuple[str, ...] = LAYOUT_FEATURES) -> tuple[bytes, int]:
    """The face cut down to `chars` (those it has) and the OpenType `features`, as an sfnt; and
    how many characters it maps."""
    return _subset(font, frozenset(chars), features)


@lru_cache(maxsize=8)
def _subset(font: FontFile, chars: frozenset[str], features: tuple[str, ...]) -> tuple[bytes, int]:
    """Kept for the process: a test run builds the same book several times.

    HarfBuzz's subsetter (uharfbuzz) cuts the 65,000-glyph CFF Song in 0.05 s where
    fontTools takes 2.6 s; it leaves the head table's timestamps as they are, so the same
    book gives the same bytes.
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(font.path)), font.index)
    request = hb.SubsetInput()
    request.unicode_set.update(ord(c) for c in chars)
    kept = request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    kept.clear()
    kept.update(int.from_bytes(tag.encode(), "big") for tag in features)
    names = request.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.update(NAME_IDS)
    request.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(int.from_bytes(b"FFTM", "big"))  # FontForge's timestamps
    request.flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    subset = hb.subset(face, request)
    if subset is None:
        raise RuntimeError(f"HarfBuzz could not subset {font.path}")
    mapped = len(subset.unicodes)
    return subset.blob.data, mapped


def embedded_fonts(chars: set[str], faces: Iterable[Face],
                   features: tuple[str, ...] = LAYOUT_FEATURES) -> list[EmbeddedFont]:
    """A subset of each face covering `chars` with `features`; a face not installed is left out
    with a warning."""
    fonts = []
    for face in faces:
        font = find_font(face)
        if font is None:
            log.warning("warning: font '%s' not found (fc-match); the EPUB does not embed it", face.family)
            continue
        content, mapped = subset_font(font, chars, features)
        is_cff = content[:4] == b"OTTO"
        name = f"fonts/{face.key}.{'otf' if is_cff else 'ttf'}"
        fonts.append(EmbeddedFont(face, name, "font/otf" if is_cff else "font/ttf", content, mapped))
        log.debug("embedded %s: %d of %d characters, %d bytes", name, mapped, len(chars), len(content))
    return fonts


def font_face_css(fonts: Iterable[EmbeddedFont], stylesheet_dir: str = "styles") -> str:
    """@font-face rules binding the stylesheet's family names to the embedded subsets."""
    rules = []
    depth = "../" * len([p for p in stylesheet_dir.split("/") if p])
    for font in fonts:
        weight = "bold" if font.face.key.endswith("-bold") else "normal"
        fmt = "opentype" if font.media_type == "font/otf" else "truetype"
        rules.append(
            f'@font-face {{ font-family: "{font.face.family}"; font-style: normal; font-weight: {weight}; '
            f'src: url("{depth}{font.file_name}") format("{fmt}"); }}'
        )
    return "\n".join(rules) + ("\n" if rules else "")
