"""What an SVG polygon is painted with, as Chromium paints it: the paint properties it
sets or inherits (by the writer's own rule too), colours of alpha 0, opacities of 0, and
the paint servers a ``url()`` names (gradients and their stops, patterns and their
content) that are not there or paint nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from converter.svgcss import (
    CSS_URL,
    DECLARATION,
    PLAIN_NUMBER,
    WRITER_PAINT,
    Specificity,
    css_value,
    has_transform,
    is_important,
    is_zero,
    rules,
    selected_as,
    style_declaration,
    style_value,
    sure_specificity,
)
from converter.svgdom import SEPARATORS, SVG, XLINK, ancestry, href, named
from converter.svgtile import Tile, outside, tile

if TYPE_CHECKING:
    from converter.svgtree import Tree

#: Paint that draws nothing.
_NO_PAINT = frozenset({"none", "transparent"})
#: A colour in hexadecimal of alpha 0: ``#rgb0``, ``#rrggbb00``.
_CLEAR_HEX = re.compile(r"#(?:[0-9a-f]{3}0|[0-9a-f]{6}00)")
#: A colour of ``rgba()`` (or ``rgb()``) of four plain numbers, as commas part them.
_PLAIN_RGBA = re.compile(r"rgba?\(\s*(?:[+-]?(?:\d+\.?\d*|\.\d+)\s*,\s*){3}"
                         r"[+-]?(?:\d+\.?\d*|\.\d+)%?\s*\)")
#: A CSS colour function, its arguments in group 1.
_COLOUR_FUNCTION = re.compile(r"(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\((.*)\)",
                              re.DOTALL)
#: The paint servers: what a ``fill`` or ``stroke`` of ``url(#id)`` paints with.
_GRADIENTS = frozenset({f"{SVG}linearGradient", f"{SVG}radialGradient"})
_SERVERS = _GRADIENTS | {f"{SVG}pattern"}
#: What a pattern's content draws with: shapes, text, images, copies.
_DRAWING = frozenset(f"{SVG}{name}" for name in (
    "polygon", "path", "rect", "circle", "ellipse", "line", "polyline", "text", "use",
    "image", "foreignObject"))
#: What in a pattern's content draws what it holds (any other, such as a ``<defs>`` or
#: an element the browser does not know, draws nothing of it).
_DRAWING_CONTAINERS = frozenset(f"{SVG}{name}" for name in ("g", "a", "svg", "switch"))
#: The shapes of a pattern's content that are painted by their fill and stroke.
_SHAPES = frozenset(f"{SVG}{name}" for name in (
    "polygon", "path", "rect", "circle", "ellipse", "line", "polyline"))
#: The animations (any of which may change how a pattern's content is seen, or where).
_ANIMATIONS = frozenset(f"{SVG}{name}" for name in (
    "animate", "set", "animateTransform", "animateMotion", "animateColor"))
#: The CSS properties that set how an element is seen, or where.
_SHOWING = frozenset({
    "fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width", "opacity",
    "display", "visibility", "x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "d",
    "transform", "translate", "rotate", "scale", "offset-path", "offset", "marker",
    "marker-start", "marker-mid", "marker-end"})
#: The properties of a gradient's ``<stop>`` (that a style sheet may set over its own),
#: and their initial values.
_STOP_INITIAL = {"stop-color": "black", "stop-opacity": "1"}
#: The CSS properties of how a polygon is painted and takes clicks, which an element
#: takes from its parent unless it sets one, with their initial values.
_INHERITED_INITIAL = {"fill": "black", "fill-opacity": "1", "stroke": "none",
                      "stroke-opacity": "1", "stroke-width": "1",
                      "pointer-events": "visiblepainted"}
#: The stroke properties, of which a style sheet may take a polygon's stroke away.
STROKE = ("stroke", "stroke-opacity", "stroke-width")


def unstroking_rules(css: str, tree: Tree) -> Iterator[tuple[str | None, str]]:
    """The selectors (None: outside every rule, :func:`converter.svgcss.rules`) and the
    property of each declaration of a sheet that sets a stroke that paints nothing (none,
    a ``url()`` of what is not there or paints nothing, an opacity or width 0;
    ``!important`` or not: :func:`unseen_paint`)."""
    for selectors, block in rules(css):
        for name, value in DECLARATION.findall(block):
            if name.lower() in STROKE and unseen_paint(name.lower(), css_value(value), tree):
                yield selectors, name.lower()


def unseen_paint(name: str, value: str, tree: Tree, painted: Any = None) -> bool:
    """Whether a value of a paint property leaves that paint unseen
    (:func:`paints_nothing`), or names by ``url(#id)`` a gradient or pattern that is not
    in the map (with no fallback colour that paints) or paints nothing
    (:func:`_server_paints_nothing`) where it paints ``painted`` (a polygon, whose box a
    pattern's tile may take; None: any)."""
    if paints_nothing(name, value):
        return True
    found = CSS_URL.match(value) if name in ("fill", "stroke") else None
    if found is None:
        return False
    file, _, key = next(part for part in found.groups() if part is not None).partition("#")
    target = None if file.strip() else tree.ids.get(key)
    if target is None or target.tag not in _SERVERS:  # (no paint: its fallback paints)
        fallback = value[found.end():].strip().lower()
        return not file.strip() and (not fallback or paints_nothing(name, fallback))
    return _server_paints_nothing(target, tree, painted)


def _server_paints_nothing(server: Any, tree: Tree, painted: Any) -> bool:
    """Whether a gradient or pattern paints nothing, as Chromium paints it: a gradient
    whose stops (its own ``<stop>``s, else those it takes by ``href`` from another
    gradient) are none or all clear (:func:`_stop_is_clear`, a ``<style>``'s colours and
    opacities counted where its rules surely select the stops), a pattern of
    :func:`_pattern_paints_nothing`. One that an animation may change (on it, on one it
    takes from, or around them; in a gradient, on a stop too), which the reader does
    not play, is taken to paint."""
    chain = _server_chain(server, tree)
    around = {element for kind in chain for element in ancestry(kind, tree.parents)}
    if server.tag == f"{SVG}pattern":
        return not _animated(around, tree) and _pattern_paints_nothing(chain, tree, painted)
    if _animated(around | {element for kind in chain for element in kind.iter()}, tree):
        return False
    stops = next((found for gradient in chain if (found := gradient.findall(f"{SVG}stop"))),
                 [])
    return not stops or all(_stop_is_clear(stop, tree) for stop in stops)


def _server_chain(server: Any, tree: Tree) -> list[Any]:
    """A gradient or pattern and those of its kind it takes what it does not set from by
    ``href``, in that order (a loop ends it)."""
    chain = [server]
    kinds = {server.tag} if server.tag == f"{SVG}pattern" else _GRADIENTS
    other = named(server, tree.ids)
    while other is not None and other.tag in kinds and other not in chain:
        chain.append(other)
        other = named(other, tree.ids)
    return chain


def _pattern_paints_nothing(chain: list[Any], tree: Tree, painted: Any) -> bool:
    """Whether a pattern (the first of ``chain``, which it takes what it does not set
    from) paints nothing: a ``width`` or ``height`` of 0 (or less, or none given, as 0
    is the initial), a ``viewBox`` of no width or height, or content (the children of
    the first that has any) that draws no shape in its tile (:func:`_draws_shape`)."""
    width, height, view_box = (next((p.get(name) for p in chain if p.get(name) is not None),
                                    None) for name in ("width", "height", "viewBox"))
    content = next((pattern for pattern in chain if len(pattern)), None)
    return (width is None or height is None or is_zero(width) or is_zero(height)
            or _is_empty_box(view_box) or content is None
            or not _draws_shape(content, tile(chain, painted), tree))


def _is_empty_box(view_box: str | None) -> bool:
    """Whether a ``viewBox`` (four numbers) has a width or height of 0."""
    numbers = SEPARATORS.split((view_box or "").strip())
    try:
        return len(numbers) == 4 and 0 in (float(numbers[2]), float(numbers[3]))
    except ValueError:
        return False


def _draws_shape(content: Any, size: Tile | None, tree: Tree) -> bool:
    """Whether ``content`` holds a shape (:data:`_DRAWING`) that it draws and that may be
    seen in the pattern's tile of ``size`` (:func:`_may_show`): a child, or in a
    ``<g>``, ``<a>``, ``<svg>`` or ``<switch>`` on the way down, none of them of
    ``display: none`` or an opacity of 0. Content that an animation may change
    (:func:`_animated`) is taken to show whatever it draws."""
    judged = not _animated(set(content.iter()), tree)
    waiting = [(child, size) for child in content]
    while waiting:
        element, place = waiting.pop()
        if judged and _shows_nothing_of(element):
            continue
        if element.tag in _DRAWING and (not judged or _may_show(element, place, tree)):
            return True
        if element.tag in _DRAWING_CONTAINERS:
            moved = element.tag == f"{SVG}svg" or has_transform(element)
            waiting.extend((child, None if moved else place) for child in element)
    return False


def _animated(targets: set[Any], tree: Tree) -> bool:
    """Whether an animation (an ``<animate>``, ``<set>``...) is one of ``targets`` or
    animates one: what its ``href`` names, else its parent
    (:attr:`converter.svgtree.Tree.animated`)."""
    return not tree.animated.isdisjoint(targets)


def animated_elements(tree: Tree) -> frozenset[Any]:
    """The animations of a document (an ``<animate>``, ``<set>``...) and what each
    animates (:func:`_animates`), found in one walk of it."""
    found: set[Any] = set()
    for element in tree.root.iter():
        if element.tag in _ANIMATIONS:
            found.add(element)
            found.add(_animates(element, tree))
    found.discard(None)
    return frozenset(found)


def _animates(animation: Any, tree: Tree) -> Any:
    """What an animation animates: the element its ``href`` names (None: none), else
    its parent."""
    if animation.get("href") is None and animation.get(f"{{{XLINK}}}href") is None:
        return tree.parents.get(animation)
    return named(animation, tree.ids)


def _shows_nothing_of(element: Any) -> bool:
    """Whether an element of a pattern's content draws nothing of itself or of what it
    holds: ``display: none``, an ``opacity`` of 0 (in its ``style``, else the
    attribute)."""
    style = element.get("style") or ""
    display, opacity = (style_value(style, name) for name in ("display", "opacity"))
    display = element.get("display") if display is None else display
    opacity = element.get("opacity") if opacity is None else opacity
    return (display or "").strip().lower() == "none" or (
        opacity is not None and is_zero(opacity))


def _may_show(element: Any, size: Tile | None, tree: Tree) -> bool:
    """Whether a drawing element of a pattern's content may be seen, as Chromium draws
    it: unless it is hidden (``visibility``, on it or inherited), or draws nothing
    whatever its paint (:func:`_draws_nothing`), or is a shape (or a ``<text>`` of no
    ``<tspan>`` or other element in it) with no fill and no stroke that paints (on it
    or inherited, as :func:`inherited` tells; a ``url()`` is taken to paint), or one
    with no stroke that lies outside the
    tile of ``size`` (:func:`converter.svgtile.outside`). A ``<style>`` rule that may
    set how it is seen, or where, on it or around it, leaves it taken to be seen."""
    if _restyled(element, tree):
        return True
    if _inherited_visibility(element, tree) in ("hidden", "collapse") or _draws_nothing(
            element, tree):
        return False
    if element.tag not in _SHAPES and (element.tag != f"{SVG}text" or len(element)):
        return True
    fill, opacity = (inherited(element, name, tree)[0] for name in ("fill", "fill-opacity"))
    stroked = not any(paints_nothing(name, inherited(element, name, tree)[0])
                      for name in STROKE)
    if not stroked and (paints_nothing("fill", fill) or is_zero(opacity)):
        return False
    return stroked or size is None or not outside(element, size, tree)


def _draws_nothing(element: Any, tree: Tree) -> bool:
    """Whether a ``<text>``, ``<use>`` or ``<image>`` draws nothing, whatever its
    paint: a ``<text>`` of no character, a ``<use>`` of no ``href`` or of ``#id`` that
    names nothing in the map, an ``<image>`` of no ``href``."""
    link = href(element)
    if element.tag == f"{SVG}text":
        return not "".join(element.itertext())
    if element.tag == f"{SVG}use":
        return not link or (link.startswith("#") and link[1:] not in tree.ids)
    return element.tag == f"{SVG}image" and not link


def _restyled(element: Any, tree: Tree) -> bool:
    """Whether a ``<style>`` rule (or what is outside every rule) that sets how an
    element is seen or where (:data:`_SHOWING`) may select it or one around it."""
    return any(name in _SHOWING for sheet in tree.sheet_rules
               for around in ancestry(element, tree.parents)
               for _, declarations in sheet.may_apply(selected_as(around))
               for name, _ in declarations)


def _inherited_visibility(element: Any, tree: Tree) -> str:
    """An element's ``visibility`` (lower case): the nearest on the way up (in a
    ``style``, else the attribute) that is not ``inherit``."""
    for around in ancestry(element, tree.parents):
        value = style_value(around.get("style") or "", "visibility")
        value = ((around.get("visibility") if value is None else value) or "").strip()
        if value.lower() not in ("", "inherit", "unset"):
            return value.lower()
    return "visible"


def _stop_is_clear(stop: Any, tree: Tree) -> bool:
    """Whether a gradient's ``<stop>`` paints nothing, whichever value it may take
    (:func:`_stop_values`): a ``stop-opacity`` of 0 (or less), or a ``stop-color`` of
    ``transparent`` or of alpha 0."""
    return all(map(is_zero, _stop_values(stop, "stop-opacity", tree))) or all(
        colour == "transparent" or _is_clear(colour)
        for colour in _stop_values(stop, "stop-color", tree))


def _stop_values(element: Any, name: str, tree: Tree) -> set[str]:
    """The values (lower case) that a stop's ``stop-color`` or ``stop-opacity`` may take
    for ``element`` (:func:`_specified_values`): of ``inherit``, its parent's (a stop's
    gradient's, and so on up while they say ``inherit``); of none, ``initial`` or
    ``unset``, the initial value (neither is inherited unless told)."""
    values: set[str] = set()
    for value in _specified_values(element, name, tree):
        value = value.strip().lower()
        parent = tree.parents.get(element)
        if value == "inherit" and parent is not None:
            values |= _stop_values(parent, name, tree)
        else:
            values.add(value if value and value not in ("initial", "unset", "inherit")
                       else _STOP_INITIAL[name])
    return values


def _specified_values(element: Any, name: str, tree: Tree) -> set[str]:
    """What ``element`` may be given of a property (empty: nothing) by the cascade, as
    Chromium takes it: of its attribute, its ``style`` and each declaration of a
    ``<style>`` rule that may select it (:func:`_declared`), the one that surely applies
    and ranks highest, and each other that may rank higher still."""
    declared = _declared(element, name, tree)
    top = max((one for one in declared if one.low is not None),
              key=lambda one: one.low or _LEAST)  # (the attribute's, at least)
    return {top.value} | {one.value for one in declared
                          if one is not top and one.high > (top.low or _LEAST)}


#: The rank of a declaration in the cascade: whether it is ``!important``; a sheet's
#: (0) or the ``style`` attribute's (1); its specificity; its order in the sheets. An
#: attribute ranks least, a declaration whose rank is not told may rank highest.
_Rank = tuple[bool, int, Specificity, int]
_LEAST: _Rank = (False, -1, (0, 0, 0), -1)
#: The rank of the initial value, under an attribute Chromium may drop as not valid.
_INITIAL: _Rank = (False, -1, (0, 0, 0), -2)
_ANY = 1 << 30
_MOST_SPECIFIC: Specificity = (_ANY, _ANY, _ANY)


class _Declared(NamedTuple):
    """A value given an element of a property, and its rank in the cascade: the least it
    surely has (None: it may not apply) and the most it may have."""

    value: str
    low: _Rank | None
    high: _Rank


def _declared(element: Any, name: str, tree: Tree) -> list[_Declared]:
    """The values ``element`` is given of a property, each ranked: the initial value, its
    attribute (none given: the initial value), each declaration of a sheet that may
    select it, its ``style``. A value Chromium may drop as not valid
    (:func:`_surely_valid`) may not apply."""
    attribute = element.get(name) or ""
    declared = [_Declared("", _INITIAL, _INITIAL), _Declared(
        attribute, _LEAST if _surely_valid(name, attribute) else None, _LEAST)]
    for order, (specificity, untold, value, bang) in enumerate(
            _sheet_declarations(element, name, tree)):
        if specificity is None and not untold:  # (its rule surely selects it not)
            continue
        high = (bang, 0, _MOST_SPECIFIC if untold else specificity or (0, 0, 0), order)
        low = (bang, 0, specificity, order) if specificity is not None else None
        declared.append(_Declared(value, low if _surely_valid(name, value) else None, high))
    own, important = style_declaration(element.get("style") or "", name)
    if own is not None:
        rank: _Rank = (important, 1, (0, 0, 0), 0)
        declared.append(_Declared(own, rank if _surely_valid(name, own) else None, rank))
    return declared


def _surely_valid(name: str, value: str) -> bool:
    """Whether Chromium surely takes a stop's value (drops none as not valid) where it
    would leave the stop clear: an opacity of a plain number (or percentage), a colour
    ``transparent``, of hexadecimal or ``rgba()`` of plain numbers; or a keyword such as
    ``inherit``. Any other value that is not clear may be dropped: it paints either way."""
    lowered = value.strip().lower()
    if name == "stop-opacity":
        return not is_zero(lowered) or PLAIN_NUMBER.fullmatch(lowered) is not None
    clear = lowered == "transparent" or _is_clear(lowered)
    return not clear or lowered == "transparent" or bool(
        _CLEAR_HEX.fullmatch(lowered) or _PLAIN_RGBA.fullmatch(lowered))


def _sheet_declarations(element: Any, name: str, tree: Tree
                        ) -> Iterator[tuple[Specificity | None, bool, str, bool]]:
    """Each declaration of a property in a ``<style>`` rule that may select ``element``,
    in order: the specificity with which the rule surely selects it (None: it may not)
    and whether it may with one not told; its value and whether it is ``!important``."""
    shown = selected_as(element)
    for sheet, plain in zip(tree.sheet_rules, tree.plain_sheets, strict=True):
        for selectors, declarations in sheet.may_apply(shown):
            found = [value for prop, value in declarations if prop == name]
            if not found:
                continue
            specificity, untold = (None, True) if not plain or selectors is None else \
                sure_specificity(selectors, element, tree.parents)
            for value in found:
                yield specificity, untold, css_value(value), is_important(value)


def server_note(value: str) -> str:
    """What a paint of ``url()`` is said with: that it names what paints nothing."""
    return (", a gradient or pattern that is not there or paints nothing"
            if value.lower().startswith("url(") else "")


def paints_nothing(name: str, value: str) -> bool:
    """Whether a value of a paint property (``fill``, ``stroke-opacity``...) leaves that
    paint unseen: ``none`` or ``transparent``, an opacity or width of 0 (or less)."""
    if name in ("fill", "stroke"):
        return value in _NO_PAINT or _is_clear(value)
    return is_zero(value)


def _is_clear(colour: str) -> bool:
    """Whether a CSS colour (lower case) has an alpha of 0: ``#rgba`` and ``#rrggbbaa``
    of alpha 0, ``rgba(0, 0, 0, 0)``, ``hsl(0 0% 0% / 0%)`` and the like."""
    if _CLEAR_HEX.fullmatch(colour):
        return True
    found = _COLOUR_FUNCTION.fullmatch(colour)
    if found is None:
        return False
    arguments = found.group(1)
    alpha = arguments.rpartition("/")[2] if "/" in arguments else (
        arguments.split(",")[3] if arguments.count(",") == 3 else None)
    return alpha is not None and is_zero(alpha)


def inherited(element: Any, name: str, tree: Tree) -> tuple[str, Any]:
    """The value (lower case) of an inherited CSS property for ``element`` and the element
    that sets it (None for the initial value): from the nearest element on the way up
    that sets it, in its ``style``, else by the writer's own rule (for a polygon), else
    the attribute."""
    value = style_value(element.get("style") or "", name)
    if value is None and element.tag == f"{SVG}polygon":
        value = _writer_paint(element, name, tree)
    own = _own_value(element, name, value)
    if own is not None:
        return own
    parent = tree.parents.get(element)
    if parent is None:
        return _INHERITED_INITIAL[name], None
    if (parent, name) not in tree.inherited:  # (the same for every polygon of a <g>)
        tree.inherited[parent, name] = inherited(parent, name, tree)
    return tree.inherited[parent, name]


def _own_value(element: Any, name: str, value: str | None) -> tuple[str, Any] | None:
    """The value an element sets itself of an inherited property (``value``, from its
    style, else its attribute) and the element, or None when it inherits it."""
    value = ((element.get(name) if value is None else value) or "").strip()
    lowered = value.lower()
    if lowered == "initial":
        return _INHERITED_INITIAL[name], element
    if lowered and lowered not in ("inherit", "unset"):
        # (an id is as it is written: url(#Grad) names no #grad)
        return (value if lowered.startswith("url(") else lowered), element
    return None


def _writer_paint(polygon: Any, name: str, tree: Tree) -> str | None:
    """The value the writer's own rule ``.muscle polygon`` (``.muscle-lift polygon``),
    held by the map's sheet, gives ``polygon``, or None."""
    parent = tree.parents.get(polygon)
    if parent not in tree.writer_rules:  # (the same for every polygon of an <a>)
        tree.writer_rules[parent] = next((
            WRITER_PAINT[kind] for element in ancestry(parent, tree.parents)
            for kind in sorted(tree.painted.intersection((element.get("class") or "").split()))
        ), {})
    return tree.writer_rules[parent].get(name)
