"""An SVG file parsed for the checks: lines, linked sheets, uses, animations, lift pieces."""

from __future__ import annotations

from pathlib import Path

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
