"""What an SVG polygon is painted with: colours, opacities, gradients and patterns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from converter.svgdom import SVG
from converter.svgpaint import inherited, paints_nothing, unseen_paint
from tests.conftest import svg_tree


@pytest.mark.parametrize(("name", "value", "nothing"), [
    ("fill", "none", True), ("fill", "#ff000000", True), ("fill", "rgb(0 0 0 / 0%)", True),
    ("fill", "red", False), ("stroke-width", "0px", True), ("fill-opacity", "0.5", False)])
def test_a_paint_value_paints_nothing_when_it_is_clear(name: str, value: str,
                                                      nothing: bool) -> None:
    assert paints_nothing(name, value) is nothing


@pytest.mark.parametrize(("defs", "unseen"), [
    ("", True),
    ("<linearGradient id='g'><stop stop-opacity='0'/></linearGradient>", True),
    ("<linearGradient id='g'><stop stop-color='red'/></linearGradient>", False),
    ("<pattern id='g' width='0' height='1'><rect width='1' height='1'/></pattern>", True),
    ("<pattern id='g' width='1' height='1'><rect width='1' height='1'/></pattern>", False)])
def test_a_url_paints_nothing_when_what_it_names_does_not(defs: str, unseen: bool,
                                                          tmp_path: Path) -> None:
    assert unseen_paint("fill", "url(#g)", svg_tree(defs, tmp_path)) is unseen


def test_a_paint_is_inherited_from_the_nearest_that_sets_it(tmp_path: Path) -> None:
    tree = svg_tree("<g fill='red' style='fill: blue'><a><polygon points='1,1 5,1 5,5'/>"
                    "</a></g>", tmp_path)
    polygon = next(tree.root.iter(f"{SVG}polygon"))
    assert inherited(polygon, "fill", tree) == ("blue", next(tree.root.iter(f"{SVG}g")))
    assert inherited(polygon, "stroke", tree) == ("none", None)


@pytest.mark.parametrize(("defs", "unseen"), [
    ("<linearGradient id='g' stop-opacity='0'><stop stop-opacity='inherit'/>"
     "</linearGradient>", True),
    ("<g stop-color='transparent'><linearGradient id='g' style='stop-color: inherit'>"
     "<stop style='stop-color: inherit'/></linearGradient></g>", True),
    ("<g stop-opacity='0'><linearGradient id='g'><stop stop-opacity='inherit'/>"
     "</linearGradient></g>", False),
    ("<linearGradient id='g' stop-opacity='0'><stop/></linearGradient>", False),
    ("<linearGradient id='g' stop-opacity='0'><stop stop-opacity='initial'/>"
     "</linearGradient>", False)])
def test_a_stop_inherits_its_colour_or_opacity_only_when_told(defs: str, unseen: bool,
                                                              tmp_path: Path) -> None:
    assert unseen_paint("fill", "url(#g)", svg_tree(defs, tmp_path)) is unseen


@pytest.mark.parametrize(("sheet", "unseen"), [
    ("<style>stop { stop-opacity: 0 }</style>", True),
    ("<style>#g stop, text { stop-color: rgba(0, 0, 0, 0) }</style>", True),
    ("<style>.clear { stop-opacity: 0 }</style>", False),
    ("<style>.clear { stop-opacity: 1 } stop { stop-opacity: 0 !important }</style>", True),
    ("<style>stop { stop-opacity: 0 } #g stop { stop-opacity: 1 }</style>", False),
    ("<style>#G stop { stop-opacity: 0 }</style>", False),
    ("<style media='print'>stop { stop-opacity: 0 }</style>", False),
    ("<style>@media print { stop { stop-opacity: 0 } }</style>", False),
    ("<style>stop + stop { stop-opacity: 0 }</style>", False)])
def test_a_sheet_that_surely_fades_every_stop_leaves_the_gradient_clear(
        sheet: str, unseen: bool, tmp_path: Path) -> None:
    """Two stops, one of class clear: a sheet's stop-opacity counts over their own where
    its rule surely selects them (of a sheet for every medium, with no at-rule)."""
    tree = svg_tree(f"{sheet}<linearGradient id='g'><stop class='clear' stop-color='red'/>"
                    "<stop stop-color='red'/></linearGradient>", tmp_path)
    assert unseen_paint("fill", "url(#g)", tree) is unseen


@pytest.mark.parametrize(("pattern", "content", "unseen"), [
    ("", "<rect x='10' y='2' width='5' height='5'/>", True),
    ("", "<line x1='-9' y1='0' x2='-1' y2='9'/><rect width='9' height='9' opacity='0'/>", True),
    ("", "<g display='none'><rect width='9' height='9'/></g>", True),
    (" stroke-width='0' fill='transparent'", "<rect width='9' height='9' stroke='red'/>", True),
    (" style='visibility: hidden'", "<ellipse rx='5' ry='5'/>", True),
    ("", "<rect x='9' y='9' width='5' height='5'/>", False),
    ("", "<rect x='20' width='5' height='5' transform='translate(-20)'/>", False),
    ("", "<path d='M20 20h5v5z'/>", False),
    ("", "<text y='8' fill='none'>X</text>", True),
    ("", "<text y='8'> </text><text y='8'/>", False),
    ("", "<text y='8'></text><use href='#nothing'/><use/><image/>", True),
    ("", "<text y='8' fill='none'><tspan fill='red'>X</tspan></text>", False),
    ("", "<use href='#g'/><image href='a.png'/>", False),
    (" viewBox='0 0 100 100'", "<rect x='20' y='20' width='5' height='5'/>", False),
    (" fill='none'", "<rect width='9' height='9' stroke='red'/>", False),
    (" fill='none'", "<rect id='r' width='9' height='9'/><animate href='#r' "
     "attributeName='fill'/>", False)])
def test_a_pattern_whose_content_shows_nothing_in_its_tile_paints_nothing(
        pattern: str, content: str, unseen: bool, tmp_path: Path) -> None:
    """A 10 by 10 tile in user space: a shape outside it, or hidden, or of no paint, shows
    nothing; a shape in it, or that may be moved or painted, may show."""
    tree = svg_tree(f"<pattern id='g' width='10' height='10' patternUnits='userSpaceOnUse'"
                    f"{pattern}>{content}</pattern>", tmp_path)
    assert unseen_paint("fill", "url(#g)", tree) is unseen


@pytest.mark.parametrize(("sheet", "unseen"), [
    ("stop { stop-opacity: 1 } stop { stop-opacity: 0 }", True),
    ("stop { stop-opacity: 0 } stop { stop-opacity: 1 }", False),
    ("stop { stop-opacity: 1; stop-opacity: 0 }", True),
    ("#g stop { stop-opacity: 1 } stop { stop-opacity: 0 }", False),
    ("stop { stop-opacity: 1 } .clear { stop-opacity: 0 }", True),
    (".clear { stop-opacity: 1 } svg stop.clear { stop-opacity: 0 }", True),
    ("#g > .clear { stop-opacity: 1 } svg > * > stop.clear { stop-opacity: 0 }", False),
    ("stop { stop-opacity: 0 !important } #g stop { stop-opacity: 1 }", True),
    ("stop { stop-opacity: 0 !important } stop { stop-opacity: 1 !important }", False),
    ("#other stop { stop-opacity: 1 } stop { stop-opacity: 0 }", True),
    ("stop:first-child { stop-opacity: 1 } stop { stop-opacity: 0 }", False),
    ("stop, stop:first-child { stop-opacity: 1 } stop { stop-opacity: 0 }", False),
    ("stop { stop-opacity: 1 } stop { stop-opacity: 0px }", False),
    ("stop { stop-opacity: 0px !important }", False),
    ("stop { stop-opacity: 1 } stop { stop-opacity: 0/**/.0 }", False),
    ("stop { stop-opacity: 1 } stop { stop-opacity: 0% }", True),
    ("stop { stop-color: red } stop { stop-color: rgba(0, 0, 0, 0) }", True),
    ("stop { stop-color: red } stop { stop-color: rgb(a b c / 0) }", False),
    ("stop { stop-color: transparent } stop { stop-color: red }", False)])
def test_the_rule_that_wins_the_cascade_gives_the_stop_its_value(
        sheet: str, unseen: bool, tmp_path: Path) -> None:
    """Two stops of class clear, red: of the rules that surely select them, the one of
    !important, then of the highest specificity, then the last gives their value; one
    that may select them otherwise, or of a value Chromium may drop, may give it."""
    tree = svg_tree(f"<style>{sheet}</style><linearGradient id='g'><stop class='clear' "
                    "stop-color='red'/><stop class='clear' stop-color='red'/>"
                    "</linearGradient>", tmp_path)
    assert unseen_paint("fill", "url(#g)", tree) is unseen


@pytest.mark.parametrize(("defs", "unseen"), [
    ("<g fill='none'><pattern id='g' width='1' height='1'><rect width='1' height='1'/>"
     "</pattern></g>", True),
    ("<g fill='none'><set attributeName='fill' to='red'/><pattern id='g' width='1' "
     "height='1'><rect width='1' height='1'/></pattern></g>", False),
    ("<pattern id='g' width='0' height='1'><rect width='1' height='1'/></pattern>"
     "<animate href='#g' attributeName='width' to='1'/>", False),
    ("<pattern id='q' width='0' height='1'><rect width='1' height='1'/></pattern>"
     "<pattern id='g' href='#q'/><set href='#q' attributeName='width' to='1'/>", False),
    ("<pattern id='g' width='0' height='1'><rect width='1' height='1'/></pattern>"
     "<set href='#other' attributeName='width' to='1'/>", True),
    ("<linearGradient id='g'><stop stop-opacity='0'><set attributeName='stop-opacity' "
     "to='1'/></stop></linearGradient>", False),
    ("<linearGradient id='g'><stop stop-opacity='0'/></linearGradient><rect><set "
     "attributeName='fill' to='red'/></rect>", True)])
def test_a_paint_server_an_animation_may_change_is_taken_to_paint(
        defs: str, unseen: bool, tmp_path: Path) -> None:
    """An animation on a gradient or pattern, on one it takes from, around them or on a
    stop, which the reader does not play, may make it paint; one elsewhere does not."""
    assert unseen_paint("fill", "url(#g)", svg_tree(defs, tmp_path)) is unseen


def test_a_style_attribute_wins_over_a_sheet_unless_the_sheet_is_important(
        tmp_path: Path) -> None:
    def unseen(sheet: str, style: str) -> bool:
        tree = svg_tree(f"<style>{sheet}</style><linearGradient id='g'><stop "
                        f"style='{style}'/></linearGradient>", tmp_path)
        return unseen_paint("fill", "url(#g)", tree)

    assert unseen("#g stop { stop-opacity: 1 }", "stop-opacity: 0")
    assert not unseen("#g stop { stop-opacity: 0 }", "stop-opacity: 1")
    assert unseen("#g stop { stop-opacity: 0 !important }", "stop-opacity: 1")
    assert not unseen("#g stop { stop-opacity: 0 !important }", "stop-opacity: 1 !important")


@pytest.mark.parametrize(("stop", "unseen"), [
    ("stop-opacity='0'", True), ("stop-opacity='0%'", True), ("stop-opacity='0px'", False),
    ("style='stop-opacity: 0/**/.0'", False),
    ("stop-color='#ff000000'", True), ("stop-color='rgb(a b c / 0)'", False)])
def test_an_attribute_chromium_may_drop_leaves_the_stop_its_initial_value(
        stop: str, unseen: bool, tmp_path: Path) -> None:
    tree = svg_tree(f"<linearGradient id='g'><stop {stop}/></linearGradient>", tmp_path)
    assert unseen_paint("fill", "url(#g)", tree) is unseen


def test_the_animations_are_found_in_one_walk_of_the_map_for_every_paint_server(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Many polygons of one gradient or pattern (a map of thousands) are judged as one is,
    and the map is walked for its animations once, not once for each polygon."""
    import converter.svgpaint as svgpaint

    tree = svg_tree("<linearGradient id='g'><stop stop-opacity='0'/></linearGradient>"
                    "<linearGradient id='h'><stop stop-opacity='0'/><set attributeName="
                    "'stop-opacity' to='1'/></linearGradient><pattern id='p' width='1' "
                    "height='1'><rect width='1' height='1'/></pattern><rect><set "
                    "attributeName='fill' to='red'/></rect>", tmp_path)
    found: list[Any] = []
    animates = svgpaint._animates
    monkeypatch.setattr(svgpaint, "_animates",
                        lambda animation, tree: found.append(animation) or animates(
                            animation, tree))
    for _ in range(50):
        assert unseen_paint("fill", "url(#g)", tree)
        assert not unseen_paint("fill", "url(#h)", tree)
        assert not unseen_paint("fill", "url(#p)", tree)
    assert len(found) == 2


def test_a_sheet_is_read_once_and_each_stop_matched_only_against_its_own_rules(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A map of many gradients, each stop of a class of its own rule (a stop-color): the
    gradients paint as before (a rule of its own that fades a stop clears it), the sheet
    is split into rules once, and each stop is matched against its own rule only, not
    every rule of the sheet."""
    import converter.svgcss as svgcss
    import converter.svgpaint as svgpaint

    count = 30
    sheet = " ".join(f".s{n} {{ stop-color: {'transparent' if n % 2 else '#123456'} }}"
                     for n in range(count))
    tree = svg_tree(f"<style>{sheet}</style>" + "".join(
        f"<linearGradient id='g{n}'><stop class='s{n}' stop-color='red'/></linearGradient>"
        for n in range(count)), tmp_path)
    split: list[str] = []
    matched: list[str] = []
    for module in (svgcss, svgpaint):
        monkeypatch.setattr(module, "rules", lambda css, rules=svgcss.rules: split.append(
            css) or rules(css))
        monkeypatch.setattr(module, "may_select", lambda selectors, shown, may=(
            svgcss.may_select): matched.append(selectors) or may(selectors, shown),
            raising=False)
    assert [unseen_paint("fill", f"url(#g{n})", tree) for n in range(count)] == [
        bool(n % 2) for n in range(count)]
    assert len(split) == 1
    assert len(matched) <= 2 * count


def test_a_pattern_s_content_is_matched_only_against_the_rules_that_may_select_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Many polygons of one pattern and a sheet of many rules for other elements: the
    pattern paints nothing as before (a rule that may hide its rect would leave it taken
    to paint), and its content is matched against the rules that may select it, not
    every rule of the sheet for each polygon."""
    import converter.svgcss as svgcss
    import converter.svgpaint as svgpaint

    count = 30
    sheet = " ".join(f".r{n} {{ fill: red }}" for n in range(count))
    pattern = ("<pattern id='p' width='1' height='1'><rect class='{}' width='1' height="
               "'1' fill='none'/></pattern>")
    matched: list[str] = []
    for module in (svgcss, svgpaint):
        monkeypatch.setattr(module, "may_select", lambda selectors, shown, may=(
            svgcss.may_select): matched.append(selectors) or may(selectors, shown),
            raising=False)
    tree = svg_tree(f"<style>{sheet} .shown {{ opacity: 1 }}</style>"
                    + pattern.format("plain"), tmp_path)
    assert all(unseen_paint("fill", "url(#p)", tree) for _ in range(count))
    assert len(matched) <= count
    restyled = svg_tree(f"<style>{sheet} .shown {{ opacity: 1 }}</style>"
                        + pattern.format("shown"), tmp_path)
    assert not unseen_paint("fill", "url(#p)", restyled)
