"""A ``--base-image`` in the output: the name of a local one's copy, by its ending or its
first bytes, and the copy itself (a gzip-compressed SVG unpacked, which a browser
shows from disk only so; an SVG stretched to the diagram as the maps draw it), and a
link to one as an ``<img>`` shows it stretched too.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from .atomic_folder import written_by_tool
from .diagnostics import MuscleError

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


#: The sizes of a BMP's header after its file header (BITMAPCOREHEADER to V5).
_BMP_HEADERS = frozenset({12, 16, 40, 52, 56, 64, 108, 124})


def _binary_ending(head: bytes) -> str:
    """The ending of a picture that is no text by its first bytes (``head``): WebP,
    AVIF (an ISO media file whose brands name it), BMP (``BM`` and the size of a
    bitmap's header), ICO; none when they are none of those."""
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return ".webp"
    box = int.from_bytes(head[:4], "big")
    if head[4:8] == b"ftyp" and 16 <= box <= len(head):
        brands = [head[at:at + 4] for at in (8, *range(16, box - 3, 4))]
        if b"avif" in brands or b"avis" in brands:
            return ".avif"
    if head.startswith(b"BM") and int.from_bytes(head[14:18], "little") in _BMP_HEADERS:
        return ".bmp"
    if head.startswith(b"\x00\x00\x01\x00") and head[4:6] != b"\x00\x00":
        return ".ico"
    return ""


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
            raw = picture.read(4096)
    except OSError:
        return ""
    binary = _binary_ending(raw)
    if binary:
        return binary
    mark, codec = wide_form(raw)
    if codec:  # (its letters as UTF-8, a last one cut short left out)
        decoder = codecs.getincrementaldecoder(codec)("replace")
        raw = decoder.decode(raw[len(mark):]).encode("utf-8")
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<!--", b"<!DOCTYPE", b"<!doctype")) and b"<svg" in head:
        return ".svg"  # (a comment or document type before the <svg>)
    return next((found for magic, found in _PICTURES if head.startswith(magic)), "")


#: What may come before an SVG's root: a byte order mark, white space, the XML
#: declaration and other processing instructions, comments, a document type.
_PROLOG = (rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->"
           rb"|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>)*")
#: The root's start tag: its name, its attributes, its end.
_ROOT = re.compile(_PROLOG + rb"<((?:[\w.-]+:)?svg)((?:\s+[^\s=/>]+\s*=\s*"
                   rb"(?:\"[^\"]*\"|'[^']*'))*)(\s*/?>)", re.DOTALL | re.IGNORECASE)
#: One attribute of it, and its name.
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")


#: The byte order marks of the wide encodings an SVG may be saved in, and their codecs
#: (UTF-32's first: its little-endian mark starts as UTF-16's does).
_WIDE_MARKS = ((codecs.BOM_UTF32_LE, "utf_32_le"), (codecs.BOM_UTF32_BE, "utf_32_be"),
               (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be"))
#: The first bytes of an XML text in UTF-32 or UTF-16 without a byte order mark, as XML
#: tells it (XML 1.0, appendix F: its declaration's ``<?``), and its codec. A copy of
#: UTF-16 is given its mark: Chromium shows such an SVG in an ``<img>`` or an
#: ``<image>`` only with it (XML wants it of UTF-16 too).
_UNMARKED_WIDE = ((b"<\0\0\0?\0\0\0", "utf_32_le"), (b"\0\0\0<\0\0\0?", "utf_32_be"),
                  (b"<\0?\0", "utf_16_le"), (b"\0<\0?", "utf_16_be"))
#: The byte order mark of each wide codec.
_MARKS = {codec: mark for mark, codec in _WIDE_MARKS}
#: The XML declaration's encoding (its name the third group), which a UTF-32 text's copy
#: in UTF-8 says anew.
DECLARED_ENCODING = re.compile(rb"\A(<\?xml\s(?:[^?]|\?(?!>))*?\bencoding\s*=\s*)"
                               rb"""(["'])([^"']*)\2""")


def wide_form(raw: bytes) -> tuple[bytes, str]:
    """The byte order mark and codec of a text saved as UTF-16 or UTF-32 by its first
    bytes, as XML tells them: its mark (:data:`_WIDE_MARKS`), or no mark and the codec
    an XML declaration's first bytes in it tell (:data:`_UNMARKED_WIDE`); no mark and
    no codec for another text."""
    marked = next(((m, c) for m, c in _WIDE_MARKS if raw.startswith(m)), None)
    if marked is not None:
        return marked
    return b"", next((c for first, c in _UNMARKED_WIDE if raw.startswith(first)), "")


def stretched(svg: bytes) -> bytes:
    """An SVG's text with ``preserveAspectRatio="none"`` on its root (in place of its
    own): shown in an ``<img>`` of another aspect ratio, it is stretched to it, as the
    maps' ``<image>`` stretches it, not letterboxed. One saved as UTF-16 (by its byte
    order mark) is changed so too, and stays in its encoding; so is one saved as UTF-16
    without a mark, told as XML tells it (:data:`_UNMARKED_WIDE`), which is given its
    mark whatever its root (Chromium showed nothing of it without). One saved as
    UTF-32, with a mark or without one as XML tells it, is written as UTF-8, its XML
    declaration saying so: Chromium shows nothing of UTF-32. Another text whose root
    this does not find (no ``<svg>``, or not UTF-8, ASCII or such a wide one) is as it
    was."""
    mark, codec = wide_form(svg)
    added = _MARKS[codec] if codec.startswith("utf_16") and not mark else b""
    if added:
        mark, svg = added, added + svg
    if codec:
        try:
            text = svg[len(mark):].decode(codec)
        except UnicodeDecodeError:  # (a lone surrogate, cut short: left as it is)
            return svg[len(added):]
        utf8 = _stretched_utf8(text.encode("utf-8"))
        if codec.startswith("utf_32"):
            return DECLARED_ENCODING.sub(rb"\1\2UTF-8\2", utf8, count=1)
        return mark + utf8.decode("utf-8").encode(codec)
    return _stretched_utf8(svg)


def _stretched_utf8(svg: bytes) -> bytes:
    """:func:`stretched` of a text in UTF-8 or ASCII."""
    root = _ROOT.match(svg)
    if root is None:
        return svg
    attributes = b"".join(found[0] for found in _ATTRIBUTE.finditer(root[2])
                          if found[1] != b"preserveAspectRatio")
    attributes += b' preserveAspectRatio="none"'
    return svg[:root.start(1)] + root[1] + attributes + svg[root.start(3):]


#: What a link to an SVG adds for an ``<img>`` to show it stretched to its size, as a
#: copy's root saying ``preserveAspectRatio="none"`` does: SVG's view of the picture
#: (``svgView``), which a browser takes from the link's fragment.
STRETCHED_VIEW = "#svgView(preserveAspectRatio(none))"
#: The endings of pictures that are no SVG: a link to one is stretched by an ``<img>``.
_RASTER_ENDINGS = PICTURE_ENDINGS - {".svg", ".svgz"}


def stretched_link(link: str) -> str:
    """A ``--base-image`` link as an ``<img>`` shows it stretched to its width and
    height, as the maps draw it, were it an SVG (which cannot be read to say so on its
    root): with :data:`STRETCHED_VIEW`, unless the link names a picture of another kind
    by its ending (``body.png``: stretched anyway), or has a fragment of its own
    (``body.svg#front`` names a view, kept: shown as it says)."""
    try:
        parts = urlsplit(link)
    except ValueError:  # (no URL to add to: as given)
        return link
    if "#" in link or ending(Path(parts.path)) in _RASTER_ENDINGS:
        return link
    return link + STRETCHED_VIEW


def copy_picture(source: Path, target: Path) -> None:
    """Copy the base image ``source`` to ``target`` (its :func:`copy_name` in the
    output): an SVG unpacked when it is gzip-compressed (an ``.svgz``: Chromium opening
    it from disk shows nothing of the packed bytes) and :func:`stretched`; any other
    picture as it is (an ``<img>`` stretches it to its width and height)."""
    if not target.name.endswith(".svg"):
        shutil.copyfile(source, target)
        return
    with open(source, "rb") as picture:
        packed = picture.read(len(_GZIP)) == _GZIP
    if packed:
        with gzip.open(source, "rb") as unpacked:
            svg = unpacked.read()
    else:
        svg = source.read_bytes()
    target.write_bytes(stretched(svg))


def last_runs(out: Path, beside: str) -> bool:
    """Whether the file ``beside`` (a ``--base-image`` link's file beside the output:
    :func:`~converter.safety.beside_output`) is one the last run wrote in the output
    folder ``out`` (its marker lists it), which this run replaces or removes: a link
    to it finds nothing it wrote (``_base-image.png``, a base image the last run
    copied; ``diagram.svg``, not written with a base image)."""
    if os.path.dirname(beside) != os.path.normpath(out):
        return False
    try:
        return os.path.basename(beside) in written_by_tool(out)
    except (MuscleError, OSError):  # (no folder; or one not ours: the run says so)
        return False
