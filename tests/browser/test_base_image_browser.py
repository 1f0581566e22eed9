"""A --base-image as Chromium shows it under the maps, opened from disk: the inline map
and the page's ``<img usemap>`` alike."""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from converter.cli import cli
from tests.browser.png import Image, decode
from tests.conftest import ROOT

#: A body 100 x 200 pixels, blue, with a green quarter at its top left.
BODY = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 200">'
        b'<rect width="100" height="200" fill="#3060ff"/>'
        b'<rect width="50" height="100" fill="#0c0"/></svg>')
A = '---\ntitle: "A"\ncoords:\n  - "0,0,200,0,200,200,0,200"\n---\n'


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    context.set_default_timeout(10_000)
    fresh = context.new_page()
    yield fresh
    context.close()


def converted(tmp_path: Path, picture: Path) -> Path:
    """The html output of a.md on a 400 x 400 diagram over ``picture``."""
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "convert", str(tmp_path / "a.md"), "--to", "html", "-o", str(tmp_path / "h"),
        "--size", "400x400", "--base-image", str(picture)])
    assert result.exit_code == 0, result.output
    return tmp_path / "h" / "index.html"


def shown(page: Any, selector: str) -> Image:
    """A screenshot of the element ``selector`` of the page, decoded."""
    return decode(page.locator(selector).screenshot())


def is_blue(colour: bytes) -> bool:
    return abs(colour[0] - 0x30) < 40 and abs(colour[1] - 0x60) < 40 and colour[2] > 200


def test_a_compressed_svg_base_image_shows_from_disk(page: Any, tmp_path: Path) -> None:
    """A .svgz was copied packed: Chromium opening the page from disk read the gzip
    bytes as the picture and showed nothing under either map."""
    picture = tmp_path / "body.svgz"
    picture.write_bytes(gzip.compress(BODY))
    page.goto(converted(tmp_path, picture).as_uri())
    for selector in ("img[usemap]", "svg.muscle-map"):
        assert is_blue(shown(page, selector).pixel(200, 300)), selector


def is_green(colour: bytes) -> bool:
    return colour[0] < 40 and abs(colour[1] - 0xcc) < 40 and colour[2] < 40


@pytest.mark.parametrize(("name", "codec", "mark"), [
    ("body.svg", "utf-8", b""), ("body.svgz", "utf-8", b""), ("body.svg", "utf-16", b""),
    ("body.svg", "utf-16-be", codecs.BOM_UTF16_BE), ("body.svg", "utf-16-le", None),
    ("body.svg", "utf-16-be", None), ("body.svg", "utf-32", b""),
    ("body.svgz", "utf-32-be", codecs.BOM_UTF32_BE), ("body.svg", "utf-32-le", None),
    ("body.svg", "utf-32-be", None)])
def test_an_svg_base_image_is_stretched_alike_on_both_maps(
        page: Any, tmp_path: Path, name: str, codec: str, mark: bytes | None) -> None:
    """An SVG body 100 x 200 on a 400 x 400 diagram was stretched on the inline map but
    letterboxed in the page's <img usemap> (its own aspect ratio kept): a band of
    nothing either side, and the image map's areas, where the regions are drawn on the
    diagram, missed the body under them. Both show it stretched now: its green quarter
    over the top left 200 x 200 pixels, blue below, the same pixels on each. One saved
    as UTF-16 (little- or big-endian, its byte order mark first; or no ``mark``, its
    XML declaration telling it) was still letterboxed, copied as it was: it is
    stretched as well. One saved as UTF-32 (so told too) was refused as not well-formed,
    and Chromium shows nothing of UTF-32: its copy, in UTF-8, shows stretched too."""
    declared = (f"<?xml version='1.0' encoding='{codec[:6].upper()}'?>\n".encode()
                if mark is None else b"")
    text = (mark or b"") + (declared + BODY).decode("utf-8").encode(codec)
    picture = tmp_path / name
    picture.write_bytes(gzip.compress(text) if name.endswith("z") else text)
    page.goto(converted(tmp_path, picture).as_uri())
    image, inline = shown(page, "img[usemap]"), shown(page, "svg.muscle-map")
    for x, y in ((10, 300), (390, 390), (250, 100)):
        assert is_blue(image.pixel(x, y)) and is_blue(inline.pixel(x, y)), (x, y)
    assert all(is_green(image.pixel(x, y)) for x, y in ((10, 10), (190, 190), (10, 190)))
    assert image.pixel(10, 10) != image.pixel(10, 300)


def test_an_svg_base_image_given_as_a_link_is_stretched_alike_on_both_maps(
        page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An SVG given as a link (here a file beside the output, not copied, as a URL
    would be linked) was letterboxed in the page's <img usemap>, its own aspect ratio
    kept, while the inline map stretched it: the image map's areas missed the body.
    Both show it stretched now, the same pixels on each."""
    (tmp_path / "body.svg").write_bytes(BODY)
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    (tmp_path / "run" / "here").mkdir(parents=True)  # (../body.svg is no file there)
    monkeypatch.chdir(tmp_path / "run" / "here")
    result = CliRunner().invoke(cli, [
        "convert", str(tmp_path / "a.md"), "--to", "html", "-o", str(tmp_path / "h"),
        "--size", "400x400", "--base-image", "../body.svg"])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert not (tmp_path / "h" / "_base-image.svg").exists()  # (linked, not copied)
    page.goto((tmp_path / "h" / "index.html").as_uri())
    image, inline = shown(page, "img[usemap]"), shown(page, "svg.muscle-map")
    for x, y in ((10, 300), (390, 390), (250, 100)):
        assert is_blue(image.pixel(x, y)) and is_blue(inline.pixel(x, y)), (x, y)
    assert all(is_green(image.pixel(x, y)) for x, y in ((10, 10), (190, 190), (10, 190)))


def test_a_focus_image_shows_the_base_image_opened_but_not_in_an_img(
        page: Any, tmp_path: Path) -> None:
    """README said each focus image shows whole in an <img>, but an <img> loads nothing
    the image links to, its base image too: README says what holds now, which this
    checks in Chromium (the body under the region opened itself, none in an <img>)."""
    picture = tmp_path / "body.svg"
    picture.write_bytes(BODY)
    (tmp_path / "a.md").write_text(A, encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "convert", str(tmp_path / "a.md"), "--to", "svg", "-o", str(tmp_path / "s"),
        "--size", "400x400", "--base-image", str(picture)])
    assert result.exit_code == 0, result.output
    focus = tmp_path / "s" / "a.svg"
    page.goto(focus.as_uri())
    assert is_blue(shown(page, "svg").pixel(300, 300))
    (tmp_path / "s" / "page.html").write_text(
        '<!DOCTYPE html><body style="margin:0"><img src="a.svg"></body>', encoding="utf-8")
    page.goto((tmp_path / "s" / "page.html").as_uri())
    assert not is_blue(shown(page, "img").pixel(300, 300))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(readme.split()).count(
        "in an `<img>` the regions show on no body, since the `<img>` loads nothing the "
        "image links to") == 1
