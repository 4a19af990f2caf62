"""Ink for the press: what the printer's profile makes of our colours and pictures.

A press prints RGB black as four inks laid over each other, and small Chinese characters
smear when the plates are a hair out of register. So the press PDF holds no RGB: text is
solid black ink (device CMYK 0 0 0 1), greys are tints of black alone, and pictures are
converted to CMYK through the profile the PDF declares as its output intent (Ghostscript's
default CMYK, or the printer's own from `press_profile:`).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from ..config import BookConfig
from ..errors import BookError
from ..files import atomic_output
from ..model import Book, Chapter

# Debian's libgs-common (tools/system-deps.sh): a CMYK profile for coated paper.
DEFAULT_CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
PRESS_PICTURES_DIR = ".cache/press"
# Photographs: perceptual keeps the gradations an out-of-gamut colour would flatten.
PICTURE_INTENT = ImageCms.Intent.PERCEPTUAL
# WeasyPrint 70 embeds a JPEG's bytes as they are and re-encodes other pictures as PNG, which
# has no CMYK: CMYK pictures go in as JPEG, at full chroma and a quality a press can't tell.
CMYK_JPEG = {"quality": 95, "subsampling": 0}


def press_profile(config: BookConfig) -> Path:
    """book.yaml's `press_profile` (relative to the manuscript), checked to be a CMYK ICC
    profile LittleCMS can convert into, or the default one."""
    if not config.press_profile:
        return DEFAULT_CMYK_PROFILE
    path = (config.folder / config.press_profile).resolve()
    try:
        space = ImageCms.getOpenProfile(str(path)).profile.xcolor_space.strip()
        if space == "CMYK":
            cmyk((1.0, 0.0, 0.0), path)
            return path
        problem = f"is a {space} profile; the press needs a CMYK ICC profile"
    except (OSError, ImageCms.PyCMSError) as exc:
        problem = f"can't be used as a CMYK ICC profile ({exc})"
    raise BookError(config.path, f"press_profile: {config.press_profile} {problem}", config.line_of("press_profile"))


def output_intent_css(profile: Path) -> str:
    """The rule that makes `profile` WeasyPrint's device-cmyk space and the PDF's output intent."""
    return f'@color-profile device-cmyk {{ src: url("{profile.as_uri()}"); components: c, m, y, k; }}'


@lru_cache(maxsize=4)
def _to_cmyk(profile: Path) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)),
                                   "RGB", "CMYK", renderingIntent=PICTURE_INTENT)


def cmyk(rgb: tuple[float, float, float], profile: Path) -> tuple[float, float, float, float]:
    """An sRGB colour (channels 0–1) as ink: a grey is a tint of black alone (the profile
    would build it from four inks), any other colour goes through the profile."""
    red, green, blue = rgb
    if red == green == blue:
        return 0.0, 0.0, 0.0, 1.0 - red
    pixel = Image.new("RGB", (1, 1), tuple(round(255 * c) for c in rgb))
    return tuple(c / 255 for c in ImageCms.applyTransform(pixel, _to_cmyk(profile)).getpixel((0, 0)))


def cmyk_picture(source: Path, profile: Path, cache: Path) -> Path:
    """`source` converted to CMYK through `profile` (its own embedded profile, if it has one,
    as the source), written once into `cache` as a JPEG keyed by both files' bytes."""
    digest = hashlib.sha256(source.read_bytes() + profile.read_bytes()).hexdigest()[:24]
    target = cache / f"{digest}.jpg"
    if target.exists():
        return target
    with Image.open(source) as image:
        embedded = image.info.get("icc_profile")
        rgb = _flattened(image)
    own = ImageCms.ImageCmsProfile(io.BytesIO(embedded)) if embedded else ImageCms.createProfile("sRGB")
    converted = ImageCms.profileToProfile(rgb, own, ImageCms.getOpenProfile(str(profile)),
                                          renderingIntent=PICTURE_INTENT, outputMode="CMYK")
    with atomic_output(target) as partial:
        converted.save(partial, "JPEG", **CMYK_JPEG)
    return target


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white paper: ink has no transparency."""
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(paper, rgba).convert("RGB")


def in_press_inks(book: Book, profile: Path) -> Book:
    """The book with every picture replaced by its CMYK conversion."""
    cache = book.config.folder / PRESS_PICTURES_DIR
    cache.mkdir(parents=True, exist_ok=True)
    return replace(book, chapters=tuple(_chapter_in_inks(c, profile, cache) for c in book.chapters))


def _chapter_in_inks(chapter: Chapter, profile: Path, cache: Path) -> Chapter:
    figures = tuple(replace(f, src=str(cmyk_picture(Path(f.src), profile, cache))) if f.src else f
                    for f in chapter.figures)
    return replace(chapter, figures=figures)
