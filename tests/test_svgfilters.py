"""What a filter does to what it filters, as Chromium draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.svgdom import SVG
from converter.svgfilters import filter_of, filter_problem
from tests.conftest import svg_tree


@pytest.mark.parametrize(("filters", "says"), [
    ("<filter id='f'><feColorMatrix type='saturate' values='0'/></filter>", None),
    ("<filter id='f'><feOffset dx='5'/></filter>", "draws what it filters elsewhere"),
    ("<filter id='f'><feFlood/></filter>", "paints over what it filters"),
    ("<filter id='f'/>", "draws nothing"),
    ("<filter id='f' width='0.5'><feColorMatrix/></filter>",
     "clips what it filters to its region")])
def test_a_filter_elements_primitives_and_region_say_what_it_does(
        filters: str, says: str | None, tmp_path: Path) -> None:
    tree = svg_tree(f"{filters}<g filter='url(#f)'><polygon points='1,1 5,1 5,5'/></g>",
                    tmp_path)
    group = next(tree.root.iter(f"{SVG}g"))
    found = filter_problem(filter_of(group), tree, group)
    assert (found if says is None else found.split(" (")[0]) == says


def test_a_drop_shadow_draws_again_elsewhere(tmp_path: Path) -> None:
    found = filter_problem("drop-shadow(1px 1px red)", svg_tree("", tmp_path))
    assert found is not None and found.startswith("draws what it filters again")
