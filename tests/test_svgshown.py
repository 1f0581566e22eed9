"""What a browser shows and takes clicks on of an SVG drawing's polygons, asked of
converter.svgshown directly (tests/formats/test_svg.py reads whole maps with it, and
tests/browser/test_map_browser.py checks what Chromium shows of them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from converter import bodymap
from converter.svgdom import SVG, local_name
from converter.svgshown import around, lifted_copies, sheet_problem
from converter.svgtree import Tree
from tests.conftest import svg_tree as tree_of


def start(problem: str) -> str:
    """Why a problem is, up to its first bracket, comma or colon."""
    return re.split(r"[(,:]", problem)[0].strip()


def said(tree: Tree, slug: str = "m") -> list[tuple[str, int, str]]:
    """What :func:`around` says of each polygon of the ``<a data-slug>`` of ``slug``: the
    element's name, its line and the start of why."""
    link = next(a for a in tree.root.iter(f"{SVG}a") if a.get("data-slug") == slug)
    return [(local_name(element.tag), tree.lines[element], start(problem))
            for polygon in link.iter(f"{SVG}polygon")
            for element, problem in around(polygon, link, tree)]


@pytest.mark.parametrize(("body", "expected"), [
    ("<a data-slug='m'><polygon points='1,1 5,1 5,5'/></a>", []),
    ("<g transform='scale(2)'><a data-slug='m'><polygon points='1,1 5,1 5,5'/></a></g>",
     [("g", 2, "has a transform")]),
    ("<a data-slug='m' style='display:none'><polygon points='1,1 5,1 5,5'/></a>",
     [("a", 2, "is not displayed")]),
    ("<a data-slug='m'>\n<polygon visibility='hidden' points='1,1 5,1 5,5'/></a>",
     [("polygon", 3, "is hidden")]),
    ("<a data-slug='m' pointer-events='none'><polygon points='1,1 5,1 5,5'/></a>",
     [("a", 2, "takes no clicks")]),
    ("<a data-slug='m'><polygon fill='none' points='1,1 5,1 5,5'/></a>",
     [("polygon", 2, "paints the polygons in it with nothing")]),
], ids=["plain", "transform", "display none", "hidden", "no clicks", "unpainted"])
def test_around_says_what_draws_a_polygon_elsewhere_or_not_at_all(
        body: str, expected: list[tuple[str, int, str]], tmp_path: Path) -> None:
    assert said(tree_of(body, tmp_path)) == expected


@pytest.mark.parametrize("wrap", [
    "metadata", "desc", "text", "text><tspan", "foreignObject width='9' height='9'",
    "linearGradient", "filter", "view", "foo", "title",
    "s:namedview xmlns:s='http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd'",
    "h:div xmlns:h='http://www.w3.org/1999/xhtml'"])
def test_a_polygon_in_what_draws_none_of_what_it_holds_is_not_drawn(
        wrap: str, tmp_path: Path) -> None:
    """Chromium draws shapes only in an <svg>, <g>, <a> or <switch>: a muscle in any other
    element (at its line, the innermost one's) was read as drawn."""
    tags = [tag.split()[0] for tag in wrap.split("><")]
    body = (f"<g>\n<{wrap}>\n<a data-slug='m'><polygon points='1,1 5,1 5,5'/></a>"
            + "".join(f"</{tag}>" for tag in reversed(tags)) + "</g>")
    found = said(tree_of(body, tmp_path))
    assert [(name, line) for name, line, _ in found] == [
        (tag.rpartition(":")[2], 3) for tag in reversed(tags)]
    assert all(why.startswith("draws none of what it holds") for _, _, why in found)


@pytest.mark.parametrize(("on", "attribute", "expected"), [
    ("g", "systemLanguage='xx'", "has systemLanguage='xx'"),
    ("a", "systemLanguage=''", "has systemLanguage=''"),
    ("polygon", "systemLanguage='en'", "has systemLanguage='en'"),
    ("g", "requiredExtensions='urn'", "has requiredExtensions='urn'"),
    ("a", "requiredFeatures='x'", None),
    ("g", "requiredFeatures='http://example.com/nothing'", None),
    ("g", "style='content-visibility:hidden'", "is hidden"),
    ("a", "style='Content-Visibility: HIDDEN !important'", "is hidden"),
    ("polygon", "style='content-visibility:hidden'", None),
    ("g", "style='content-visibility:auto'", None)])
def test_a_condition_or_content_visibility_that_may_hide_a_polygon_is_said(
        on: str, attribute: str, expected: str | None, tmp_path: Path) -> None:
    """A conditional attribute anywhere from the polygon up (whether it holds depends on
    the viewer), and content-visibility: hidden around it (which skips what an element
    holds, not the element itself), at that element's line."""
    put = {name: f" {attribute}" if name == on else "" for name in ("g", "a", "polygon")}
    tree = tree_of(f"<g{put['g']}>\n<a data-slug='m'{put['a']}>\n<polygon{put['polygon']} "
                   "points='1,1 5,1 5,5'/></a></g>", tmp_path)
    assert said(tree) == ([] if expected is None else [
        (on, {"g": 2, "a": 3, "polygon": 4}[on], expected)])


def test_a_use_by_the_files_own_name_draws_it_again(tmp_path: Path) -> None:
    tree = tree_of("<a data-slug='m' id='m'><polygon points='1,1 5,1 5,5'/></a>\n"
                   "<use href='./map.svg#m' x='9'/>", tmp_path)
    assert said(tree) == [("use", 3, "draws again")]


@pytest.mark.parametrize(("css", "expected"), [
    ("a:hover polygon { fill: red }", None),
    (bodymap.MAP_CSS + bodymap.LIFT_CSS, None),
    ("g { tr\\61nsform: scale(2) }", "sets a transform"),
    ("g { clip-path: url(#c) }", "clips or masks"),
    ("g { display: none }", "hides"),
    ("g { content-visibility: hidden }", "hides"),
    ("g { opacity: 0 }", "sets opacity: 0"),
    ("text, .label { opacity: 0 }", None),
    ("g { filter: drop-shadow(1px 1px red) }", "sets a filter that draws"),
    ("@import 'x.css';", "imports a style sheet"),
])
def test_sheet_problem_says_what_a_sheet_may_do_to_a_polygon(
        css: str, expected: str | None, tmp_path: Path) -> None:
    found = sheet_problem(css, tree_of("<g><polygon points='1,1 5,1 5,5'/></g>", tmp_path))
    assert found == expected if expected is None else found.startswith(expected)


def test_a_lifted_copy_is_checked_against_its_muscles_regions(tmp_path: Path) -> None:
    tree = tree_of("<a class='muscle-lift' data-lift='m'>\n<polygon points='1,1 5,1 5,5'/>\n"
                   "<polygon transform='scale(2)' points='2,2 6,2 6,6'/></a>", tmp_path)
    [piece] = tree.lift_copies["m"]
    found: list[Any] = [(tree.lines[element], start(problem))
                        for element, problem in lifted_copies(piece, {"1,1,5,1,5,5"}, tree)]
    assert found == [(4, "draws a region that the muscle's own <a> does not hold"),
                     (4, "has a transform")]


@pytest.mark.parametrize(("sheet", "on", "unpainted"), [
    ("text { stroke: none }", "polygon", False), (".other, g > text { stroke-width: 0 }",
                                                  "a", False),
    ("#m polygon.x { stroke: none }", "polygon", False), ("a { stroke: none }", "polygon", False),
    ("a { stroke: none }", "a", True), ("svg > g polygon { stroke-opacity: 0 }", "polygon", True),
    ("g { stroke: none }", "a", False),
    ("@media screen { * { stroke: none } }", "polygon", True)])
def test_a_sheets_stroke_of_nothing_counts_for_the_polygons_its_rule_may_select(
        sheet: str, on: str, unpainted: bool, tmp_path: Path) -> None:
    """A sheet's stroke that paints nothing takes a polygon's stroke away where its rule
    may select the polygon, or what it inherits its stroke from (``on`` strokes it)."""
    stroke = "stroke='blue'"
    a, polygon = (stroke, "") if on == "a" else ("", stroke)
    tree = tree_of(f"<style>{sheet}</style><g><a data-slug='m' {a}>\n<polygon fill='none' "
                   f"{polygon} points='1,1 5,1 5,5'/></a></g>", tmp_path)
    assert said(tree) == ([("polygon", 3, "paints the polygons in it with nothing")]
                          if unpainted else [])
