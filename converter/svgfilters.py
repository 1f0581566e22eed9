"""What a filter does to what it filters, as Chromium draws it: a ``filter`` (an
attribute, in a ``style`` or a sheet) that names a ``<filter>`` whose primitives move,
paint over, reshape or clip what it filters, one of another file, a ``drop-shadow()``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from converter.svgcss import CSS_URL, PLAIN_NUMBER, style_value, user_length
from converter.svgdom import SVG, href, is_file, local_name, points, resolved

if TYPE_CHECKING:
    from converter.svgtree import Tree

#: The filter primitives that paint what they filter elsewhere than it is: moved
#: (``feOffset``, and ``feDropShadow``, a shadow moved), displaced or tiled.
_MOVING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feOffset", "feDropShadow", "feDisplacementMap", "feTile"))
#: The filter primitives that paint over what they filter, in part of their region or
#: all of it: an image, a flood of colour, noise, light.
_PAINTING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feImage", "feFlood", "feTurbulence", "feDiffuseLighting", "feSpecularLighting"))
#: The filter primitives that draw what they filter in another shape than its own, larger
#: or smaller (``feMorphology``, dilating or eroding) or shifted (``feConvolveMatrix``, a
#: kernel of its neighbours).
_RESHAPING_PRIMITIVES = frozenset(f"{SVG}{name}" for name in (
    "feMorphology", "feConvolveMatrix"))
#: The attributes of a filter's region, and of a primitive's subregion.
_REGION = ("x", "y", "width", "height")
#: A filter's region where it gives none: 10% more than the bounding box each way.
_FILTER_REGION = {"x": "-10%", "y": "-10%", "width": "120%", "height": "120%"}
#: A CSS ``filter`` (``-webkit-filter``) declaration, its value in group 1.
CSS_FILTER = re.compile(r"(?:^|[{;}])\s*(?:-webkit-)?filter\s*:([^;}]*)", re.IGNORECASE)
#: The CSS filter function that paints what it filters again, offset.
_DROP_SHADOW = re.compile(r"\bdrop-shadow\s*\(", re.IGNORECASE)


def filter_of(element: Any) -> str:
    """An element's ``filter`` (in its ``style``, ``-webkit-filter`` too, else the
    attribute); empty when it has none."""
    style = element.get("style") or ""
    value = style_value(style, "filter")
    value = style_value(style, "-webkit-filter") if value is None else value
    return (element.get("filter") if value is None else value) or ""


def filter_problem(value: str, tree: Tree, element: Any = None) -> str | None:
    """How a CSS ``filter`` value (of ``element``; None for a style sheet's) draws what it
    filters other than where and as it is, or None: a ``url()`` of a ``<filter>`` of the
    map that does (:func:`_filter_element_problem`), one of another file (not read), a
    ``drop-shadow()``."""
    for found in CSS_URL.finditer(value):
        link = next(part for part in found.groups() if part is not None).strip()
        file, _, name = link.partition("#")
        other = _other_file(file, element, tree) if file else None
        if other is not None:
            return (f"is in another file ({link}{other}), which "
                    "the reader does not read: whether it draws what it filters elsewhere "
                    "cannot be told")
        target = tree.ids.get(name)
        if target is not None and target.tag == f"{SVG}filter":
            problem = _filter_element_problem(target, link, element, tree)
            if problem:
                return problem
    if _DROP_SHADOW.search(value):
        return ("draws what it filters again elsewhere (drop-shadow(), an offset copy), "
                "which the reader does not apply")
    return None


def _other_file(file: str, element: Any, tree: Tree) -> str | None:
    """How a reference to ``file`` of ``element`` (None: of a style sheet) names a file
    other than the map: ``""`` as it is, ``", as the xml:base in effect takes it: URL"``
    under an ``xml:base``; None when it names the map both ways."""
    urls = [file] if element is None else resolved(file, element, tree.parents, tree.here)
    other = next((url for url in urls if not is_file(url, tree.here)), None)
    if other is None:
        return None
    return "" if other == file else f", as the xml:base in effect takes it: {other}"


def _filter_element_problem(target: Any, link: str, element: Any, tree: Tree) -> str | None:
    """How the ``<filter>`` ``target`` (named by ``link``) draws what ``element`` holds
    other than where and as it is, or None: it takes primitives or a region from another
    by ``href``, holds no primitive, one that moves, paints over, grows, shrinks or shifts
    it, one with a subregion of its own, or its region leaves out part of what it
    filters."""
    if href(target):
        return (f"takes what it does from another filter by href ({link} names "
                f"{href(target)}), which viewers differ on (Chromium draws nothing): what "
                "is drawn cannot be told")
    primitives = [child for child in target if local_name(child.tag).startswith("fe")]
    if not primitives:
        return f"draws nothing ({link} holds no filter primitive): the polygons are not seen"
    for kinds, draws, does in (
            (_MOVING_PRIMITIVES, "draws what it filters elsewhere", "moves, displaces or "
             "tiles it"),
            (_PAINTING_PRIMITIVES, "paints over what it filters", "paints an image, a "
             "colour, noise or light over its region"),
            (_RESHAPING_PRIMITIVES, "draws what it filters other than its shape",
             "grows, shrinks or shifts it")):
        found = next((p for p in target.iter() if p.tag in kinds), None)
        if found is not None:
            return (f"{draws} ({link}, whose <{local_name(found.tag)}> at line "
                    f"{tree.lines.get(found)} {does}), which the reader does not apply")
    clipping = next((p for p in primitives if any(p.get(n) is not None for n in _REGION)), None)
    if clipping is not None:
        return (f"may clip what it filters ({link}, whose <{local_name(clipping.tag)}> at "
                f"line {tree.lines.get(clipping)} has a subregion of its own: x, y, width or "
                "height), which the reader does not apply")
    if _region_clips(target, element, tree):
        return (f"clips what it filters to its region ({link}, whose x, y, width and "
                "height may leave part of it out), which the reader does not apply")
    return None


def _region_clips(target: Any, element: Any, tree: Tree) -> bool:
    """Whether the region of a ``<filter>`` may leave out part of what ``element`` holds:
    by the bounding box (``filterUnits`` of ``objectBoundingBox``, as by default), less
    than all of it; in user space, less than all of its polygons' points, or not known
    (a percentage, a unit, none given, or ``element`` None, a style sheet's)."""
    region = [(target.get(name) or _FILTER_REGION[name]).strip() for name in _REGION]
    if (target.get("filterUnits") or "").strip() != "userSpaceOnUse":
        numbers = [_fraction(value) for value in region]
        if None in numbers:
            return True
        x, y, width, height = numbers
        return x > 0 or y > 0 or x + width < 1 or y + height < 1
    box = None if element is None else _points_box(element)
    numbers = [user_length(value) for value in region]
    if box is None or None in numbers or any(target.get(name) is None for name in _REGION):
        return True
    x, y, width, height = numbers
    return box[0] < x or box[1] < y or box[2] > x + width or box[3] > y + height


def _fraction(value: str) -> float | None:
    """A length of a bounding box (``-0.1``, ``-10%``) as a fraction of it, or None."""
    found = PLAIN_NUMBER.fullmatch(value)
    if found is None:
        return None
    return float(found.group(1)) / (100 if found.group(2) else 1)


def _points_box(element: Any) -> tuple[float, float, float, float] | None:
    """The box (least x and y, most x and y) of the points of the polygons in
    ``element``, or None when they are none or not numbers."""
    try:
        numbers = [[float(n) for n in points(p).split(",")]
                   for p in element.iter(f"{SVG}polygon")]
    except ValueError:
        return None
    xs = [x for each in numbers for x in each[0::2]]
    ys = [y for each in numbers for y in each[1::2]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs and ys else None
