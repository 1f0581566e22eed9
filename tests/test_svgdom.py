"""An SVG document's elements as the checks name them: points, and what href names."""

from __future__ import annotations

from pathlib import Path

from converter.svgdom import SVG, ancestry, named, points
from tests.conftest import svg_tree


def test_points_are_the_numbers_between_commas(tmp_path: Path) -> None:
    tree = svg_tree("<polygon points=' 1,2  3 , 4\t5 6 '/><polygon points='1,,2'/>", tmp_path)
    assert [points(p) for p in tree.root.iter(f"{SVG}polygon")] == ["1,2,3,4,5,6", "1,,2"]


def test_an_href_names_an_element_by_id_or_by_the_files_own_name(tmp_path: Path) -> None:
    tree = svg_tree("<g id='g'/><use href='#g'/><use href='map.svg#g'/>"
                    "<use href='other.svg#g'/>", tmp_path)
    found = [named(use, tree.ids, tree.here, tree.parents)
             for use in tree.root.iter(f"{SVG}use")]
    assert found == [tree.ids["g"], tree.ids["g"], None]


def test_the_ancestry_of_an_element_runs_up_to_the_root(tmp_path: Path) -> None:
    tree = svg_tree("<g><a><polygon points='1,1 5,1 5,5'/></a></g>", tmp_path)
    polygon = next(tree.root.iter(f"{SVG}polygon"))
    assert [e.tag.rpartition("}")[2] for e in ancestry(polygon, tree.parents)] == [
        "polygon", "a", "g", "svg"]
