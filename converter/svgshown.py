"""What a browser shows, and takes clicks on, of an SVG drawing's polygons.

The checks of what would draw a polygon of a file :func:`converter.svgtree.parse` read
elsewhere than its points say, or not at all, or leave it taking no clicks, as Chromium
draws it: transforms, animations, ``<use>`` copies (by ``href`` chains and
``xml:base``), clipping and masking, filters that move or paint over
(:mod:`converter.svgfilters`), ``display``, ``visibility``, opacity, paint
(:mod:`converter.svgpaint`) and ``pointer-events``, the drawing's own style sheets
(:mod:`converter.svgcss`), and the copies of regions lifted over others
(``muscle-lift`` pieces, :func:`converter.bodymap.drawing_plan`). It names no format:
readers of SVG ask it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from converter.svgcss import (
    CSS_CLIPS,
    CSS_HIDES,
    CSS_IMPORT,
    DECLARATION,
    LIFT_RULE,
    css_moves,
    css_value,
    has_transform,
    is_zero,
    may_select,
    plain_css,
    rules,
    selected_as,
    style_value,
)
from converter.svgdom import SVG, ancestry, local_name, points
from converter.svgfilters import CSS_FILTER, filter_of, filter_problem
from converter.svgpaint import STROKE, inherited, paints_nothing, server_note, unseen_paint
from converter.svgtree import Tree, fades, may_move

#: What an editor may draw a muscle's region with but the reader does not read (it reads
#: ``<polygon points>``): Inkscape makes a ``<path>`` of a polygon whose nodes are edited.
UNREAD_SHAPES = frozenset(f"{SVG}{name}" for name in (
    "path", "rect", "circle", "ellipse", "line", "polyline", "use", "image", "foreignObject"))
#: What holds shapes that are not drawn where they stand (in a ``<defs>``, or drawn only
#: where a ``<use>``, a ``clip-path``, a ``mask``, a ``fill`` or a marker names them):
#: a polygon of a muscle there would be read as a region it does not have.
_NOT_DRAWN = frozenset(f"{SVG}{name}" for name in (
    "defs", "clipPath", "mask", "symbol", "pattern", "marker"))
#: The only elements Chromium draws the shapes in where they stand (a nested ``<svg>``
#: and a ``<switch>`` are refused for what else they do): in any other, ``<metadata>``,
#: ``<text>``, ``<foreignObject>``, an unknown or another namespace's element, a polygon
#: is not drawn and takes no clicks.
_DRAWS_WHAT_IT_HOLDS = frozenset(f"{SVG}{name}" for name in ("svg", "g", "a", "switch"))
#: The conditional attributes: whether what has one is drawn depends on the viewer (its
#: language; what it supports), which the reader does not work out. ``requiredFeatures``
#: is not one: SVG 2 dropped it, and Chromium ignores it (draws what it is on).
_CONDITIONS = ("systemLanguage", "requiredExtensions")
#: A CSS value of ``visibility`` that hides, and one that shows (the others inherit).
_HIDDEN, _VISIBLE = frozenset({"hidden", "collapse"}), frozenset({"visible", "initial"})


def _animation_problem(animation: Any, element: Any, polygon: Any,
                       tree: Tree) -> str | None:
    """What an animation of ``element`` (``polygon`` or one around it) does that the
    reader does not play, or None: it may move it, or take it to an opacity of 0 (a fill
    opacity of 0 when the polygon has no stroke that is seen)."""
    animated = (f"animates the <{local_name(element.tag)}> at line {tree.lines.get(element)}"
                " (a polygon of the muscle, or around one)")
    if may_move(animation):
        return (f"{animated}, which the reader does not play: where its points are drawn "
                "cannot be told")
    fading = fades(animation)
    if fading is None or (fading.startswith("fill-") and _no_stroke(polygon, tree) is None):
        return None
    return (f"{animated} to {fading}, which the reader does not play: the polygons in it "
            "are not seen")


def sheet_problem(css: str, tree: Tree) -> str | None:
    """What of a style sheet could move a polygon or draw it other than whole, or None."""
    if css_moves(css):
        return "sets a transform (transform, translate, rotate, scale or a motion path)"
    if CSS_CLIPS.search(plain_css(css)):
        return "clips or masks (clip-path, mask)"
    if CSS_HIDES.search(LIFT_RULE.sub(" ", plain_css(css))):
        return ("hides (display: none, visibility: hidden or collapse, content-visibility: "
                "hidden)")
    unseen = _sheet_unseen(plain_css(css), tree)
    if unseen:
        return f"sets {unseen}, which may leave a polygon unseen or taking no clicks"
    for value in CSS_FILTER.findall(plain_css(css)):
        problem = filter_problem(value, tree)
        if problem:
            return f"sets a filter that {problem}"
    if CSS_IMPORT.search(plain_css(css)):
        return "imports a style sheet the reader does not read, which may set one"
    return None


def _sheet_unseen(css: str, tree: Tree) -> str | None:
    """The first declaration of a sheet that may leave a polygon unseen (an opacity of 0,
    a fill of none, a ``display: contents``) or taking no clicks (``pointer-events:
    none``), as ``name: value``, or None: of a rule that may select a polygon or an
    element around one (:func:`converter.svgcss.may_select`), or outside every rule."""
    shown = None
    for selectors, block in rules(css):
        unseen = _unseen_declaration(block, tree)
        if unseen is None:
            continue
        shown = _around_polygons(tree) if shown is None else shown
        if selectors is None or may_select(selectors, shown):
            return unseen
    return None


def _around_polygons(tree: Tree) -> list[tuple[str, frozenset[str], str]]:
    """Of each polygon of a map and each element around one, what a simple selector
    tells it by: its name, classes and id, lower case."""
    seen: dict[Any, tuple[str, frozenset[str], str]] = {}
    for polygon in tree.root.iter(f"{SVG}polygon"):
        for element in ancestry(polygon, tree.parents):
            if element in seen:
                break
            seen[element] = selected_as(element)
    return list(seen.values())


def _unseen_declaration(css: str, tree: Tree) -> str | None:
    """The first declaration of CSS text that may leave a polygon unseen or taking no
    clicks (:func:`_sheet_unseen`; a fill of ``url()`` as
    :func:`converter.svgpaint.unseen_paint` tells it), as ``name: value``, or None."""
    for name, value in DECLARATION.findall(css):
        name, value = name.lower(), css_value(value)
        if (name == "fill" and unseen_paint(name, value, tree)) or (
                name in ("opacity", "fill-opacity") and paints_nothing(name, value)) or (
                (name, value) in (("pointer-events", "none"), ("display", "contents"))):
            return f"{name}: {value}"
    return None


def lifted_copies(piece: Any, regions: set[str], tree: Tree) -> Iterator[tuple[Any, str]]:
    """What of a ``muscle-lift`` piece of a muscle draws a region other than the muscle's
    own ``<a>`` holds it (``regions``, their points): a shape other than ``<polygon>``, a
    polygon of points that are none of the regions, what on the way from one of its
    polygons up to the root draws it elsewhere or not at all (:func:`around`)."""
    for shape in piece.iter():
        if shape.tag in UNREAD_SHAPES:
            yield shape, "is a shape the reader does not read (only <polygon points>)"
    for copy in piece.iter(f"{SVG}polygon"):
        if points(copy) not in regions:
            yield copy, ("draws a region that the muscle's own <a> does not hold (its points "
                         "differ from every region's): the reader cannot read it")
        yield from around(copy, piece, tree)


def around(polygon: Any, link: Any, tree: Tree) -> Iterator[tuple[Any, str]]:
    """What, from ``polygon`` of ``link`` up to the root, puts it elsewhere than its points
    say or in another link: what :func:`_misplacing` names, a ``<use>`` that draws it (or
    one of those around it) again elsewhere, an ``<a>`` between it and ``link`` or around
    ``link``."""
    inside = True
    for element in ancestry(polygon, tree.parents):
        inside = inside and element is not link
        if element.tag == f"{SVG}a" and element is not link:
            yield _nested_link(element, link, inside, tree)
        for use in tree.uses.get(element, ()):
            yield use, (f"draws again, where it stands, the <{local_name(element.tag)}> at "
                        f"line {tree.lines.get(element)} (a polygon of the muscle, or around "
                        "one): the reader cannot place that copy")
        for animation in tree.animations.get(element, ()):
            done = _animation_problem(animation, element, polygon, tree)
            if done:
                yield animation, done
        problem = _misplacing(element, tree) or (
            None if element is polygon else _holding_undrawn(element))
        if problem:
            yield element, problem
    for unseen in (_hidden(polygon, link, tree), _unpainted(polygon, tree),
                   _unclickable(polygon, tree)):
        if unseen is not None:
            yield unseen


def _hidden(polygon: Any, link: Any, tree: Tree) -> tuple[Any, str] | None:
    """What makes ``polygon`` of ``link`` hidden, and why, or None: the nearest
    ``visibility`` on the way up (in a ``style``, else an attribute), when it hides; the
    writer's rule for a lifted region (over an attribute) when no ``muscle-lift`` piece of
    the muscle draws that region."""
    for element in ancestry(polygon, tree.parents):
        value = style_value(element.get("style") or "", "visibility")
        if value is None and element is polygon and _is_lifted(polygon, tree):
            drawn = points(polygon) in tree.lift_points.get(link.get("data-slug"), ())
            return None if drawn else (polygon, (
                'is hidden (class "lifted", which the map\'s <style> hides where a '
                '<a class="muscle-lift"> of the muscle draws it again) and no such piece '
                "draws it: the region is not drawn and takes no clicks"))
        value = ((element.get("visibility") if value is None else value) or "").strip().lower()
        if value in _HIDDEN:
            return element, (f"is hidden (visibility: {value}): the polygons in it are not "
                             "drawn and take no clicks")
        if value in _VISIBLE:
            return None
    return None


def _unpainted(polygon: Any, tree: Tree) -> tuple[Any, str] | None:
    """What leaves ``polygon`` painted with nothing, and why, or None: a fill that paints
    nothing (``fill: none``, a colour of alpha 0, a gradient or pattern that is not there
    or paints nothing, ``fill-opacity: 0``, on it or inherited) and no stroke
    (none, an opacity or width of 0, or one a ``<style>`` may take away)."""
    fill, fill_at = inherited(polygon, "fill", tree)
    opacity, opacity_at = inherited(polygon, "fill-opacity", tree)
    no_fill = unseen_paint("fill", fill, tree, polygon)
    if not no_fill and not is_zero(opacity):
        return None
    stroke = _no_stroke(polygon, tree)
    if stroke is None:
        return None
    said, at = (f"fill: {fill}{server_note(fill)}", fill_at) if no_fill else (
        f"fill-opacity: {opacity}", opacity_at)
    return (polygon if at is None else at), (
        f"paints the polygons in it with nothing ({said}, and {stroke}): they are not "
        "seen")


def _no_stroke(polygon: Any, tree: Tree) -> str | None:
    """Why ``polygon`` has no stroke that is seen (``stroke: none``...), or None."""
    if _unstroked(polygon, tree):
        return "a <style> that may take its stroke away"
    for name in STROKE:
        value, _ = inherited(polygon, name, tree)
        if unseen_paint(name, value, tree, polygon):
            return f"{name}: {value}{server_note(value)}"
    return None


def _unstroked(polygon: Any, tree: Tree) -> bool:
    """Whether a declaration of a ``<style>`` that takes a stroke away may apply to
    ``polygon``: outside every rule, or of a rule that may select it or an element around
    it up to the nearest that sets that property itself (whose value the polygon
    inherits), as :func:`_sheet_unseen` matches a rule that takes a fill away."""
    for selectors, name in tree.unstroking:
        setter = inherited(polygon, name, tree)[1]
        shown = []
        for element in ancestry(polygon, tree.parents):
            shown.append(selected_as(element))
            if element is setter:
                break
        if selectors is None or may_select(selectors, shown):
            return True
    return False


def _unclickable(polygon: Any, tree: Tree) -> tuple[Any, str] | None:
    """What makes ``polygon`` take no clicks (``pointer-events: none`` on it or
    inherited), and why, or None."""
    value, at = inherited(polygon, "pointer-events", tree)
    if value != "none":
        return None
    return (polygon if at is None else at), (
        "takes no clicks (pointer-events: none): a click on the polygons in it does not "
        "reach the muscle's link")


def _is_lifted(polygon: Any, tree: Tree) -> bool:
    """Whether the writer's rule for a lifted region hides ``polygon``: the map's
    ``<style>`` holds it, and it matches (``.muscle polygon.lifted``)."""
    return tree.hides_lifted and "lifted" in (polygon.get("class") or "").split() and any(
        "muscle" in (element.get("class") or "").split()
        for element in ancestry(tree.parents.get(polygon), tree.parents))


def _misplacing(element: Any, tree: Tree) -> str | None:
    """Why the polygons in ``element`` are not drawn where their points say (a transform,
    a nested ``<svg>``, a ``<switch>``, a container not drawn where it stands), or None;
    worked out once per element."""
    if element not in tree.misplaced:
        tree.misplaced[element] = _misplacing_now(element, tree)
    return tree.misplaced[element]


def _misplacing_now(element: Any, tree: Tree) -> str | None:
    """What :func:`_misplacing` says of ``element``, worked out."""
    if has_transform(element):
        return ("has a transform, which the reader does not apply (the points would not be "
                "where they are drawn)")
    moving_filter = filter_problem(filter_of(element), tree, element)
    if moving_filter:
        return f"has a filter that {moving_filter}"
    display = _display(element)
    if display == "none":
        return ("is not displayed (display: none, as Inkscape hides a layer): the polygons "
                "in it are not drawn and take no clicks")
    if display == "contents" and element.tag != f"{SVG}g" and element is not tree.root:
        return ("is not displayed (display: contents, which draws no shape and no link, "
                "only a <g>): the polygons in it are not drawn and take no clicks")
    opacity = style_value(element.get("style") or "", "opacity")
    opacity = element.get("opacity") if opacity is None else opacity
    if opacity is not None and is_zero(opacity):
        return (f"is transparent (opacity: {opacity.strip()}): the polygons in it are not "
                "seen")
    if _is_clipped(element):
        return ("is clipped or masked (clip-path, mask), which the reader does not apply: "
                "the polygons in it are not drawn whole")
    if element.tag == f"{SVG}svg" and element is not tree.root:
        return ("is nested in the map's <svg>: its own viewport (its x, y, width, height "
                "and viewBox) maps the points in it, which the reader does not place")
    if element.tag == f"{SVG}switch":
        return ("draws only one of what it holds (the first whose systemLanguage or "
                "requiredExtensions hold where the map is viewed), which the reader does not "
                "work out: whether the polygons in it are drawn cannot be told")
    condition = next((name for name in _CONDITIONS if element.get(name) is not None), None)
    if condition is not None:
        return (f"has {condition}={element.get(condition)!r}, a condition that the viewer "
                "works out (its language, what it supports; Chromium draws nothing under "
                "one that does not hold) and the reader does not: whether the polygons in "
                "it are drawn cannot be told")
    return None


def _holding_undrawn(element: Any) -> str | None:
    """Why the polygons in ``element``, one around them, are not drawn where they
    stand, or None: it is none of the elements that draw what they hold
    (:data:`_DRAWS_WHAT_IT_HOLDS`), or its ``style`` sets ``content-visibility:
    hidden``."""
    if element.tag in _NOT_DRAWN:
        return ("is not drawn where it stands (what it holds is drawn only where it is "
                "used, if at all): the reader cannot place the polygons in it")
    if element.tag not in _DRAWS_WHAT_IT_HOLDS:
        space, name = element.tag[:-len(local_name(element.tag))], local_name(element.tag)
        what = (f"<{name}>" if space == SVG else
                f"<{name}> of the namespace {space.strip('{}') or '(none)'!r}, not of SVG")
        return (f"draws none of what it holds (a browser draws shapes only in an <svg>, "
                f"<g>, <a> or <switch>, not in a {what}): the polygons in it are not drawn "
                "and take no clicks")
    value = (style_value(element.get("style") or "", "content-visibility") or "").strip()
    if value.lower() == "hidden":
        return ("is hidden (content-visibility: hidden, which skips what it holds): the "
                "polygons in it are not drawn and take no clicks")
    return None


def _nested_link(other: Any, link: Any, inside: bool, tree: Tree) -> tuple[Any, str]:
    """The error of an ``<a>`` in a muscle's ``link`` (at the other's line) or around it
    (at the link's): an ``<a>`` holds no other, and whose the polygons are is not known."""
    whose = "which of the two links the polygons in it are of cannot be told"
    if inside:
        return other, f"is inside the muscle's <a>: {whose}"
    return link, f"is inside another <a>, at line {tree.lines.get(other)}: {whose}"


def _is_clipped(element: Any) -> bool:
    """Whether ``element`` has a clip path or a mask (an attribute, or in its ``style``)."""
    return any((element.get(name) or "none").strip() != "none" for name in (
        "clip-path", "mask")) or CSS_CLIPS.search(
            plain_css(element.get("style") or "")) is not None


def _display(element: Any) -> str:
    """An element's ``display`` (in its ``style``, else the attribute), lower case."""
    value = style_value(element.get("style") or "", "display")
    return ((element.get("display") if value is None else value) or "").strip().lower()
