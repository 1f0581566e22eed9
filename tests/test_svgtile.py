"""Where a pattern's content lies against its tile: the tile in the units of the
content, by patternUnits and patternContentUnits and the box of what it fills."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.svgdom import SVG
from converter.svgpaint import unseen_paint
from converter.svgtile import extent, tile
from tests.conftest import svg_tree

#: A 100 by 50 polygon that a pattern fills.
POLYGON = "<polygon points='0,0 100,0 100,50 0,50'/>"


@pytest.mark.parametrize(("pattern", "size"), [
    ("width='0.5' height='0.5'", (50.0, 25.0)),
    ("width='50%' height='20%'", (50.0, 10.0)),
    ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'", (0.5, 0.5)),
    ("width='10' height='10' patternUnits='userSpaceOnUse'", (10.0, 10.0)),
    ("width='50' height='25' patternUnits='userSpaceOnUse' "
     "patternContentUnits='objectBoundingBox'", (0.5, 0.5)),
    ("width='10%' height='10' patternUnits='userSpaceOnUse'", (None, 10.0)),
    ("width='0.5' height='0.5' viewBox='0 0 1 1'", None)])
def test_a_tile_is_measured_in_the_units_of_its_content(pattern: str, size: object,
                                                        tmp_path: Path) -> None:
    tree = svg_tree(f"<pattern id='p' {pattern}/>{POLYGON}", tmp_path)
    painted = next(tree.root.iter(f"{SVG}polygon"))
    assert tile([tree.ids["p"]], painted) == size


def test_a_tile_in_the_box_of_what_it_fills_is_not_known_without_it(tmp_path: Path) -> None:
    tree = svg_tree("<pattern id='p' width='0.5' height='0.5'/>", tmp_path)
    assert tile([tree.ids["p"]]) == (None, None)
    assert extent(svg_tree(POLYGON, tmp_path).root[0]) == (100.0, 50.0)


@pytest.mark.parametrize(("pattern", "content", "unseen"), [
    ("width='0.5' height='0.5'", "<rect x='50' width='5' height='5'/>", True),
    ("width='0.5' height='0.5'", "<rect y='25' width='5' height='5'/>", True),
    ("width='0.5' height='0.5'", "<rect x='49' y='24' width='5' height='5'/>", False),
    ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
     "<rect x='0.5' width='0.2' height='0.2'/>", True),
    ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
     "<rect x='-0.3' width='0.2' height='0.2'/>", True),
    ("width='0.5' height='0.5' patternContentUnits='objectBoundingBox'",
     "<rect x='0.45' width='0.2' height='0.2'/>", False),
    ("width='50' height='25' patternUnits='userSpaceOnUse' "
     "patternContentUnits='objectBoundingBox'", "<rect y='0.5' width='0.2' height='0.2'/>",
     True),
    ("width='50' height='25' patternUnits='userSpaceOnUse' "
     "patternContentUnits='objectBoundingBox'", "<rect x='0.4' width='0.2' height='0.2'/>",
     False)])
def test_content_past_a_tile_in_the_box_of_what_it_fills_paints_nothing(
        pattern: str, content: str, unseen: bool, tmp_path: Path) -> None:
    """The 100 by 50 polygon filled with a pattern whose tile is half of it across and
    down: a shape past the tile's width or height shows nothing."""
    tree = svg_tree(f"<pattern id='p' {pattern}>{content}</pattern>{POLYGON}", tmp_path)
    painted = next(tree.root.iter(f"{SVG}polygon"))
    assert unseen_paint("fill", "url(#p)", tree, painted) is unseen
