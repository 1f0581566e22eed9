"""An SVG file parsed for the checks: lines, linked sheets, uses, animations, lift pieces."""

from __future__ import annotations

import codecs
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pytest

from converter.svgdom import SVG
from converter.svgtree import parse
from tests.conftest import svg_tree


def test_lines_and_linked_sheets_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "map.svg"
    path.write_text("<?xml-stylesheet href='a.css'?>\n<svg xmlns='http://www.w3.org/2000/"
                    "svg'>\n\n<g/></svg>", encoding="utf-8")
    tree = parse(path.read_bytes(), path)
    assert tree.linked_sheets == (1,)
    assert tree.lines[next(tree.root.iter(f"{SVG}g"))] == 4


def test_uses_animations_and_lift_pieces_are_found_by_what_they_draw(tmp_path: Path) -> None:
    tree = svg_tree("<g id='g'><set attributeName='x' to='5'/><set attributeName='fill' "
                    "to='red'/></g><use href='#g'/><a class='muscle-lift' data-lift='m'>"
                    "<polygon points='1,1 5,1 5,5'/></a>", tmp_path)
    group = tree.ids["g"]
    assert tree.uses[group] == list(tree.root.iter(f"{SVG}use"))
    assert [a.get("attributeName") for a in tree.animations[group]] == ["x"]
    assert tree.lift_points == {"m": {"1,1,5,1,5,5"}}


@pytest.mark.parametrize(("codec", "mark"), [
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-32-le", b""), ("utf-32-be", b"")])
def test_a_file_in_utf32_is_parsed_as_in_utf8(codec: str, mark: bytes,
                                              tmp_path: Path) -> None:
    """expat reads no UTF-32: a file saved so (by its byte order mark, or without one as
    its XML declaration says) was not well-formed at its first byte. It is read as the
    same text in UTF-8 is, its lines too."""
    text = ("<?xml version='1.0' encoding='UTF-32'?>\n<svg xmlns='http://www.w3.org/2000/"
            "svg'>\n<title>Körper \U0001F9B5</title>\n<g id='g'/></svg>")
    tree = parse(mark + text.encode(codec), tmp_path / "map.svg")
    assert "".join(tree.root.find(f"{SVG}title").itertext()) == "Körper \U0001F9B5"
    assert tree.lines[tree.ids["g"]] == 4


@pytest.mark.parametrize(("raw", "code", "position"), [
    (codecs.BOM_UTF32_LE + "<svg>\n <g/>".encode("utf-32-le") + b"\0\0\x11\0",
     4, (2, 5)),
    ("<?xml version='1.0' encoding='UTF-32BE'?><svg/>".encode("utf-32-le"), 19, (1, 30)),
    (codecs.BOM_UTF32_LE + "<?xml version='1.0' encoding=\"UTF-8\"?><svg/>".encode(
        "utf-32-le"), 19, (1, 30))])
def test_a_file_in_utf32_that_is_not_so_is_a_parse_error_at_its_place(
        raw: bytes, code: int, position: tuple[int, int], tmp_path: Path) -> None:
    """A letter UTF-32 has not (past U+10FFFF), or an XML declaration naming another
    encoding (as expat refuses UTF-16 declared as UTF-8), is expat's kind of error at
    its line and column (from 0)."""
    with pytest.raises(ParseError) as failed:
        parse(raw, tmp_path / "map.svg")
    assert (failed.value.code, failed.value.position) == (code, position)
