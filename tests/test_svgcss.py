"""Style sheets and style attributes as Chromium reads them: escapes, values, selectors."""

from __future__ import annotations

import pytest

from converter.svgcss import css_value, may_select, plain_css, style_value

#: A polygon in an <a class="muscle"> in a <g id="body">, as selectors tell them.
SHOWN = [("polygon", frozenset(), ""), ("a", frozenset({"muscle"}), ""),
         ("g", frozenset(), "body")]


def test_comments_and_escapes_are_read_as_css_reads_them() -> None:
    assert plain_css("tr\\61 nsform/* x */: a\\;b") == "transform : a_b"


def test_a_style_attributes_important_declaration_wins() -> None:
    assert style_value("fill: red !important; fill: blue", "fill") == "red"
    assert style_value("stroke: red", "fill") is None
    assert css_value("URL(#G) !important") == "URL(#G)"


@pytest.mark.parametrize(("selectors", "selects"), [
    ("polygon", True), (".muscle", True), ("#body > a", True), ("text, *", True),
    ("a:hover polygon", True), ("text", False), (".other", False), ("#head", False)])
def test_a_rule_may_select_what_its_last_compound_names(selectors: str, selects: bool) -> None:
    assert may_select(selectors, SHOWN) is selects
