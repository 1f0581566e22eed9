"""A local --base-image's copy in the output (converter.baseimage): its name, by its
ending or its first bytes, and the copy (the refusal of one that is no picture, or that
runs script, is in tests/test_bodymap.py; what Chromium shows of the copy in
tests/browser/test_base_image_browser.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

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
    assert (out / "_base-image.svg").read_bytes() == BODY
    assert not (out / "_base-image.svgz").exists()
    assert 'src="_base-image.svg"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_picture_that_is_not_packed_is_copied_as_it_is(tmp_path: Path) -> None:
    """An .svgz that is plain XML, and a PNG, are copied byte for byte."""
    for name, data, copy in (("plain.svgz", BODY, "_base-image.svg"),
                             ("body.png", b"\x1f\x8b not a gzip, a PNG", "_base-image.png")):
        source = tmp_path / name
        source.write_bytes(data)
        assert baseimage.copy_name(source) == copy
        baseimage.copy_picture(source, tmp_path / copy)
        assert (tmp_path / copy).read_bytes() == data
