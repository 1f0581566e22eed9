"""A local --base-image's copy in the output (converter.baseimage): its name, by its
ending or its first bytes, and the copy (the refusal of one that is no picture, or that
runs script, is in tests/test_bodymap.py; what Chromium shows of the copy in
tests/browser/test_base_image_browser.py)."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter import baseimage
from converter.cli import cli
from tests.conftest import SAMPLES

BODY = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 200">'
        b'<rect width="100" height="200" fill="#3060ff"/></svg>')


def test_a_compressed_svg_is_copied_unpacked_as_an_svg(tmp_path: Path) -> None:
    """A .svgz was copied packed as _base-image.svgz, and Chromium opening it from disk
    reads the gzip bytes as the picture: nothing showed under the map."""
    packed = tmp_path / "body.svgz"
    packed.write_bytes(gzip.compress(BODY))
    assert baseimage.copy_name(packed) == "_base-image.svg"
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", "html", "-o", str(tmp_path / "out"),
        "--base-image", str(packed), "--size", "2000x2000"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert (out / "_base-image.svg").read_bytes() == baseimage.stretched(BODY)
    assert not (out / "_base-image.svgz").exists()
    assert 'src="_base-image.svg"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_picture_that_is_not_packed_is_copied_as_it_is(tmp_path: Path) -> None:
    """An .svgz that is plain XML is copied as an SVG (stretched), and a PNG byte for
    byte."""
    for name, data, copy in (("plain.svgz", BODY, "_base-image.svg"),
                             ("body.png", b"\x1f\x8b not a gzip, a PNG", "_base-image.png")):
        source = tmp_path / name
        source.write_bytes(data)
        assert baseimage.copy_name(source) == copy
        baseimage.copy_picture(source, tmp_path / copy)
        assert (tmp_path / copy).read_bytes() == (
            baseimage.stretched(data) if copy.endswith(".svg") else data)


@pytest.mark.parametrize(("svg", "copy"), [
    (b'<svg xmlns="x" viewBox="0 0 1 2">', b'<svg xmlns="x" viewBox="0 0 1 2" '
     b'preserveAspectRatio="none">'),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- a -- b -->\n<!DOCTYPE svg>\n"
     b"<svg preserveAspectRatio='xMidYMid' d=\"x preserveAspectRatio='y'\"/>",
     b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- a -- b -->\n<!DOCTYPE svg>\n"
     b"<svg d=\"x preserveAspectRatio='y'\" preserveAspectRatio=\"none\"/>"),
    (b'<s:svg xmlns:s="x"\n>', b'<s:svg xmlns:s="x" preserveAspectRatio="none"\n>'),
    (b"<!--a-->" * 40 + b"<html/>", b"<!--a-->" * 40 + b"<html/>"),
    ("<svg/>".encode("utf-16-le"), "<svg/>".encode("utf-16-le"))])
def test_an_svg_copy_is_stretched_to_any_aspect_ratio(svg: bytes, copy: bytes) -> None:
    """Its root's own preserveAspectRatio (none: xMidYMid meet) letterboxed it in the
    page's <img usemap>, while the maps stretch it: the image map's areas missed the
    body. Its root says none now, in place of its own; a text whose root is not found
    (no <svg>, UTF-16 with neither a byte order mark nor an XML declaration to tell it)
    is as it was."""
    assert baseimage.stretched(svg) == copy


@pytest.mark.parametrize(("mark", "codec"), [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_an_svg_saved_as_utf16_is_stretched_and_stays_so(mark: bytes, codec: str) -> None:
    """An SVG saved as UTF-16 was copied as it was, its own aspect ratio kept in the
    page's <img usemap>, letterboxed, while the maps stretch it. Its byte order mark
    tells its encoding: its root says none now, as a UTF-8 one's does, and the copy
    stays in that encoding, its mark first (its XML declaration says so)."""
    text = ("<?xml version='1.0' encoding='UTF-16'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
            "preserveAspectRatio='xMinYMin'><title>Körper ✓ \U0001F9B5</title></svg>")
    assert baseimage.stretched(mark + text.encode(codec)) == mark + (
        "<?xml version='1.0' encoding='UTF-16'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
        "preserveAspectRatio=\"none\"><title>Körper ✓ \U0001F9B5</title></svg>").encode(codec)
    cut = codecs.BOM_UTF16_LE + "<svg/>".encode("utf-16-le") + b"\x00\xd8<\x00"
    assert baseimage.stretched(cut) == cut  # (a lone surrogate: no text to change)


@pytest.mark.parametrize(("codec", "mark"), [
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-32-le", b""), ("utf-32-be", b"")])
def test_an_svg_saved_as_utf32_is_copied_as_utf8_saying_so(codec: str, mark: bytes,
                                                          tmp_path: Path) -> None:
    """An SVG saved as UTF-32 (by its byte order mark, or without one as its XML
    declaration says) was refused as not well-formed (expat reads no UTF-32), and a copy
    kept in UTF-32 would show nothing in Chromium, which reads none either. It is copied
    stretched in UTF-8 now, its XML declaration saying so, and named by its first bytes
    as an SVG in UTF-8 is."""
    text = ("<?xml version='1.0' encoding='UTF-32'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
            "preserveAspectRatio='xMinYMin'><title>Körper ✓ \U0001F9B5</title></svg>")
    source = tmp_path / "body"
    source.write_bytes(mark + text.encode(codec))
    assert baseimage.copy_name(source) == "_base-image.svg"
    baseimage.copy_picture(source, tmp_path / "_base-image.svg")
    assert (tmp_path / "_base-image.svg").read_bytes() == (
        "<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
        "preserveAspectRatio=\"none\"><title>Körper ✓ \U0001F9B5</title></svg>").encode()
    cut = (mark + text.encode(codec))[:-2]  # (its last letter cut short: as it was)
    assert baseimage.stretched(cut) == cut


@pytest.mark.parametrize(("codec", "mark"), [("utf-16-le", codecs.BOM_UTF16_LE),
                                             ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_an_svg_saved_as_utf16_without_a_mark_is_stretched_and_marked(
        codec: str, mark: bytes, tmp_path: Path) -> None:
    """An SVG saved as UTF-16 without a byte order mark, its XML declaration first
    (``<\\0?\\0``, ``\\0<\\0?``: as XML tells its encoding), was copied as it was,
    and shown by Chromium in neither map. Its root says none now, as a marked one's
    does, and the copy stays in that encoding, given its byte order mark (as XML wants
    of UTF-16; Chromium shows it then)."""
    text = ("<?xml version='1.0' encoding='UTF-16'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
            "preserveAspectRatio='xMinYMin'><title>Körper ✓ \U0001F9B5</title></svg>")
    source = tmp_path / "body.svg"
    source.write_bytes(text.encode(codec))
    baseimage.copy_picture(source, tmp_path / "_base-image.svg")
    assert (tmp_path / "_base-image.svg").read_bytes() == mark + (
        "<?xml version='1.0' encoding='UTF-16'?>\n<svg xmlns='x' viewBox='0 0 1 2' "
        "preserveAspectRatio=\"none\"><title>Körper ✓ \U0001F9B5</title></svg>").encode(codec)
    cut = text.encode(codec)[:-3]  # (its last letter cut short: no text to change)
    assert baseimage.stretched(cut) == cut


@pytest.mark.parametrize(("link", "shown"), [
    ("body.svg", "body.svg#svgView(preserveAspectRatio(none))"),
    ("https://x.org/map?id=3", "https://x.org/map?id=3#svgView(preserveAspectRatio(none))"),
    ("https://x.org/body.Png?v=1", "https://x.org/body.Png?v=1"),
    ("body.svg#front", "body.svg#front"), ("body.svg#", "body.svg#"),
    ("http://[x/body.svg", "http://[x/body.svg")])
def test_a_link_to_a_base_image_asks_for_it_stretched(link: str, shown: str) -> None:
    """A link to an SVG, which cannot be read to say so on its root, was shown in the
    page's <img usemap> as the SVG says, letterboxed; it asks for its SVG view
    stretched, but for a picture of another kind by its ending, a link with a fragment
    of its own (a view it names) and what is no URL."""
    assert baseimage.stretched_link(link) == shown


BMP = b"BM" + bytes(12) + (40).to_bytes(4, "little") + bytes(36)
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(8)
ICO = b"\x00\x00\x01\x00\x01\x00\x10\x10" + bytes(16)


@pytest.mark.parametrize(("data", "copy"), [
    (BMP, "_base-image.bmp"), (AVIF, "_base-image.avif"), (ICO, "_base-image.ico"),
    (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf" + bytes(8), "_base-image.avif")])
def test_a_bmp_avif_or_ico_without_an_ending_is_copied_under_its_own(
        data: bytes, copy: str, tmp_path: Path) -> None:
    """A BMP, AVIF or ICO file without an ending was refused, told to give "a PNG, JPEG,
    GIF, WebP, AVIF, BMP, ICO or SVG file", which it is: its first bytes name it now, as
    a PNG's do."""
    picture = tmp_path / "body"
    picture.write_bytes(data)
    assert baseimage.copy_name(picture) == copy
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "out"),
        "--base-image", str(picture), "--size", "2000x2000"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / copy).read_bytes() == data


@pytest.mark.parametrize("data", [
    b"BMX, a note", b"BM" + bytes(12) + (41).to_bytes(4, "little"),
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42", b"\x00\x00\x01\x00\x00\x00"])
def test_other_first_bytes_name_no_picture(data: bytes, tmp_path: Path) -> None:
    """A text starting "BM", an MP4, an icon of no images: no picture by their bytes."""
    picture = tmp_path / "body"
    picture.write_bytes(data)
    assert baseimage.copy_name(picture) is None


SVG_TEXT = ("<?xml version='1.0' encoding='{}'?>\n<!-- Körper ✓ -->\n<svg "
            "xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 200'>{}</svg>")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_wide_svg_without_an_ending_is_named_by_its_first_bytes(
        codec: str, tmp_path: Path) -> None:
    """An SVG saved as UTF-16 or UTF-32, with a byte order mark or as XML tells UTF-16
    without one (``<\\0?\\0``, ``\\0<\\0?``), and with no ending (``--base-image
    body``) was refused as no picture by its first bytes (only a UTF-8 mark was passed
    over): it is named an SVG by them now, as the same file named body.svg is."""
    encoding = codec[:6].upper()
    picture = tmp_path / "body"
    picture.write_bytes(SVG_TEXT.format(encoding, "<rect width='9' height='9'/>")
                        .encode(codec))
    assert baseimage.copy_name(picture) == "_base-image.svg"
    for pad in ("", "a"):  # (the first 4096 bytes read end inside a letter, or not)
        cut = tmp_path / f"cut{pad}"
        cut.write_bytes(SVG_TEXT.format(encoding, f"<!--{pad}" + "\U0001F9B5" * 2000 + "-->")
                        .encode(codec))
        assert baseimage.copy_name(cut) == "_base-image.svg"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_svg_without_an_ending_is_copied_or_refused_as_an_svg(
        codec: str, tmp_path: Path) -> None:
    """Such a file in UTF-16 is copied as ``_base-image.svg``, stretched and marked as
    body.svg's copy is; one holding a script is refused at its line, as body.svg is."""
    picture = tmp_path / "body"
    picture.write_bytes(SVG_TEXT.format("UTF-16", "<rect width='9' height='9'/>")
                        .encode(codec))
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "out"),
        "--base-image", str(picture), "--size", "2000x2000"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "_base-image.svg").read_bytes() == baseimage.stretched(
        picture.read_bytes())
    picture.write_bytes(SVG_TEXT.format("UTF-16", "\n<script>alert(1)</script>")
                        .encode(codec))
    result = CliRunner().invoke(cli, [
        "convert", str(SAMPLES), "--to", "svg", "-o", str(tmp_path / "refused"),
        "--base-image", str(picture), "--size", "2000x2000"])
    assert result.exit_code == 2
    assert f"{picture}:4: <script> can run script" in result.output
    assert not (tmp_path / "refused").exists()
