"""A local ``--base-image`` in the output: the name of its copy, by its ending or its
first bytes, and the copy itself (a gzip-compressed SVG unpacked, which a browser
shows from disk only so).
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

#: Name a copied local ``--base-image`` gets in an output directory (never a slug).
BASE_IMAGE_NAME = "_base-image"

#: The first bytes of the pictures a browser shows, and their file endings.
_PICTURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"),
             (b"<svg", ".svg"), (b"<?xml", ".svg"))

#: The endings of the pictures a browser shows only as pictures (what an SVG holds is
#: checked): a copy of another ending (.html, .xhtml, none) may open as a page.
PICTURE_ENDINGS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp",
                             ".ico", ".svg", ".svgz"})
#: The first bytes of a gzip-compressed file (an ``.svgz``).
_GZIP = b"\x1f\x8b"


def ending(path: Path) -> str:
    """The file ending of ``path`` in lower case (none for ``body.v 2``)."""
    return path.suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix) else ""


def copy_name(local: Path) -> str | None:
    """The name of a local base image's copy in the output: ``_base-image`` and its
    picture ending (``.svg`` for an ``.svgz``: it is copied unpacked), else the one its
    first bytes give; None when neither is a picture's (it is not copied)."""
    found = ending(local)
    if found not in PICTURE_ENDINGS:
        found = _picture_ending(local)
    if found == ".svgz":
        found = ".svg"
    return BASE_IMAGE_NAME + found if found in PICTURE_ENDINGS else None


def _picture_ending(path: Path) -> str:
    """The ending a picture without one needs (a browser shows a copied SVG only by its
    ending): from its first bytes; none when they tell nothing."""
    try:
        with open(path, "rb") as picture:
            head = picture.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return ""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return ".webp"
    if head.startswith((b"<!--", b"<!DOCTYPE", b"<!doctype")) and b"<svg" in head:
        return ".svg"  # (a comment or document type before the <svg>)
    return next((found for magic, found in _PICTURES if head.startswith(magic)), "")


def copy_picture(source: Path, target: Path) -> None:
    """Copy the base image ``source`` to ``target`` (its :func:`copy_name` in the
    output): an SVG that is gzip-compressed (an ``.svgz``) unpacked, as Chromium opening
    it from disk shows nothing of the packed bytes; any other picture as it is."""
    if not target.name.endswith(".svg"):
        shutil.copyfile(source, target)
        return
    with open(source, "rb") as picture:
        packed = picture.read(len(_GZIP)) == _GZIP
    if not packed:
        shutil.copyfile(source, target)
        return
    with gzip.open(source, "rb") as unpacked, open(target, "wb") as copy:
        shutil.copyfileobj(unpacked, copy)
