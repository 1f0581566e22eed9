"""Style sheets and style attributes as Chromium reads them: escapes, values, selectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.svgcss import (
    COMMENT_MARK,
    SheetRules,
    css_value,
    is_plain_sheet,
    may_select,
    plain_css,
    style_value,
    sure_specificity,
    surely_selects,
)
from tests.conftest import svg_tree

#: A polygon in an <a class="muscle"> in a <g id="body">, as selectors tell them.
SHOWN = [("polygon", frozenset(), ""), ("a", frozenset({"muscle"}), ""),
         ("g", frozenset(), "body")]


def test_comments_and_escapes_are_read_as_css_reads_them() -> None:
    assert plain_css("tr\\61 nsform/* x */: a\\;b") == "transform: a_b"


@pytest.mark.parametrize("css", ["stop-opacity: 0/**/.0", "stop-opacity: 0./* x */0",
                                 "stop-opacity: 0/**/%"])
def test_a_comment_inside_a_number_keeps_it_two_tokens(css: str) -> None:
    """0/**/.0 is two numbers to CSS (no value of stop-opacity, dropped), not 0.0: it was
    joined, so --from svg took a stop Chromium paints for a clear one."""
    plain = plain_css(css)
    assert COMMENT_MARK in plain and plain.replace(COMMENT_MARK, "") == css.split("/*")[0] + \
        css.split("*/")[1]


@pytest.mark.parametrize(("selectors", "surely"), [
    ("stop/* x */", True), ("/* x */stop", True), ("linearGradient /* x */stop", True),
    ("stop/**/.clear", True), ("stop/* a *//* b */.clear", True),
    ("linearGradient/* x */stop", False), ("#g/**/stop", False), ("stop.cl/**/ear", False)])
def test_a_comment_in_a_selector_is_no_white_space(selectors: str, surely: bool,
                                                   tmp_path: Path) -> None:
    """A comment parts the tokens on either side and is no combinator: between two names
    it leaves no selector CSS takes, so none sure to select."""
    tree = svg_tree("<linearGradient id='g'><stop class='clear'/></linearGradient>", tmp_path)
    stop = tree.ids["g"][0]
    selector = plain_css(f"{selectors}{{}}").removesuffix("{}")
    assert surely_selects(selector, stop, tree.parents) is surely


def test_a_style_attributes_important_declaration_wins() -> None:
    assert style_value("fill: red !important; fill: blue", "fill") == "red"
    assert style_value("stroke: red", "fill") is None
    assert css_value("URL(#G) !important") == "URL(#G)"


@pytest.mark.parametrize(("selectors", "selects"), [
    ("polygon", True), (".muscle", True), ("#body > a", True), ("text, *", True),
    ("a:hover polygon", True), ("text", False), (".other", False), ("#head", False)])
def test_a_rule_may_select_what_its_last_compound_names(selectors: str, selects: bool) -> None:
    assert may_select(selectors, SHOWN) is selects


@pytest.mark.parametrize(("selectors", "selects"), [
    ("stop", True), ("#g > stop.x", True), ("svg stop, text", True), ("* .x", True),
    ("svg > stop", False), ("#G stop", False), ("stop.y", False), ("stop:first-child", False),
    ("g + stop", False), ("[id=g] stop", False), (", stop", True), ("", False)])
def test_a_rule_surely_selects_what_its_compounds_name_as_written(
        selectors: str, selects: bool, tmp_path: Path) -> None:
    tree = svg_tree("<linearGradient id='g'><stop class='x'/></linearGradient>", tmp_path)
    stop = tree.root[0][0]
    assert surely_selects(selectors, stop, tree.parents) is selects


@pytest.mark.parametrize(("attributes", "css", "plain"), [
    ("", "stop { stop-opacity: 0 }", True), (" type='text/css'", "a {}", True),
    (" media='print'", "a {}", False), (" type='text/x'", "a {}", False),
    ("", "@media print { a {} }", False), ("", "a { b {} }", False), ("", "\\61 {}", False)])
def test_a_sheet_applies_as_written_for_every_medium_with_no_at_rule(
        attributes: str, css: str, plain: bool, tmp_path: Path) -> None:
    style = svg_tree(f"<style{attributes}/>", tmp_path).root[0]
    assert is_plain_sheet(style, css) is plain


@pytest.mark.parametrize(("selectors", "specificity", "untold"), [
    ("stop", (0, 0, 1), False), ("#g > stop.x", (1, 1, 1), False),
    ("* .x, svg linearGradient stop", (0, 1, 0), False), ("#g *", (1, 0, 0), False),
    ("stop.y, stop", (0, 0, 1), False), ("stop:first-child, #g stop", (1, 0, 1), True),
    ("#other stop", None, False), ("[id=g] stop", None, True)])
def test_a_rule_surely_selects_with_the_specificity_of_its_most_specific_selector(
        selectors: str, specificity: tuple[int, int, int] | None, untold: bool,
        tmp_path: Path) -> None:
    tree = svg_tree("<linearGradient id='g'><stop class='x'/></linearGradient>", tmp_path)
    stop = tree.root[0][0]
    assert sure_specificity(selectors, stop, tree.parents) == (specificity, untold)


def test_the_rules_that_may_apply_to_an_element_are_those_that_may_select_it() -> None:
    """A sheet's rules found by what they may select are, in order, those that
    may_select tells may select the element (of a class, an id, a type, or any)."""
    sheet = ("stop { a: 1 } .s1 { b: 2 } .S2, #G stop { c: 3 } stop.s2.s3 { d: 4 } "
             "* { e: 5 } [x] { f: 6 } rect, .other { g: 7 } #g { h: 8 } :hover { i: 9 } "
             "to { j: 10 } stray: 11")
    every = SheetRules(sheet)
    for shown in [("stop", frozenset({"s2", "s3"}), "g"), ("stop", frozenset({"s1"}), ""),
                  ("rect", frozenset(), "x"), ("polygon", frozenset({"other"}), "")]:
        assert list(every.may_apply(shown)) == [
            (selectors, declarations) for selectors, declarations in every.rules
            if selectors is None or may_select(selectors, [shown])]
    assert [name for _, declared in every.may_apply(("stop", frozenset({"s2"}), ""))
            for name, _ in declared] == ["a", "c", "e", "f", "i", "j", "stray"]
