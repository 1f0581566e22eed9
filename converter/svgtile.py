"""Where a pattern's content lies against its tile, as Chromium draws it: the tile's
width and height in the units of the content (by ``patternUnits`` and
``patternContentUnits``, which may take the box of what the pattern fills), and the box
of a shape of the content, to tell one that lies wholly outside the tile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from converter.svgcss import PLAIN_NUMBER, has_transform, user_length
from converter.svgdom import ancestry, points

if TYPE_CHECKING:
    from converter.svgtree import Tree

#: A tile's width and height in the units of its content (None: not known).
Tile = tuple[float | None, float | None]
#: By shape, the attributes of its box, and the box (least x and y, most x and y).
_GEOMETRY = {"rect": ("x", "y", "width", "height"), "circle": ("cx", "cy", "r"),
             "ellipse": ("cx", "cy", "rx", "ry"), "line": ("x1", "y1", "x2", "y2")}
_BOXES = {"rect": lambda x, y, w, h: (x, y, x + w, y + h),
          "circle": lambda x, y, r: (x - r, y - r, x + r, y + r),
          "ellipse": lambda x, y, rx, ry: (x - rx, y - ry, x + rx, y + ry),
          "line": lambda x1, y1, x2, y2: (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))}
_BOUNDING_BOX = "objectBoundingBox"


def tile(chain: list[Any], painted: Any = None) -> Tile | None:
    """The width and height of a pattern's tile (the first of ``chain``, which takes
    what it does not set from the others) in the units of its content, or None when its
    content is mapped by a ``viewBox``. A side given in the box of what the pattern fills
    (``patternUnits`` of ``objectBoundingBox``, as by default) while the content is not,
    or the other way round, is told from the box of ``painted`` (a polygon,
    :func:`extent`), else not known."""
    view_box, units, content_units, width, height = (next(
        (p.get(name) for p in chain if p.get(name) is not None), None) for name in (
        "viewBox", "patternUnits", "patternContentUnits", "width", "height"))
    if view_box is not None:
        return None
    by_box = (units or "").strip() != "userSpaceOnUse"
    content_by_box = (content_units or "").strip() == _BOUNDING_BOX
    sides = extent(painted) if painted is not None else (None, None)
    return (_side(width or "", by_box, content_by_box, sides[0]),
            _side(height or "", by_box, content_by_box, sides[1]))


def _side(length: str, by_box: bool, content_by_box: bool,
          across: float | None) -> float | None:
    """A side of a tile (``length``, in the box's fractions or user space) in the units
    of its content, ``across`` being the painted box's side (None: not known)."""
    value = _fraction(length) if by_box else user_length(length)
    if value is None or by_box == content_by_box:
        return value
    if not across:
        return None
    return value * across if by_box else value / across


def _fraction(length: str) -> float | None:
    """A length in a box's fractions (``0.5``, ``50%``) as a number, or None."""
    found = PLAIN_NUMBER.fullmatch(length)
    if found is None:
        return None
    return float(found.group(1)) / (100 if found.group(2) else 1)


def extent(polygon: Any) -> tuple[float | None, float | None]:
    """The width and height of a polygon's box by its points (None: not told)."""
    values = [user_length(n) for n in points(polygon).split(",")]
    if None in values or len(values) < 2:
        return None, None
    numbers = [value for value in values if value is not None]
    xs, ys = numbers[0::2], numbers[1::2]
    return max(xs) - min(xs), max(ys) - min(ys)


def outside(element: Any, size: Tile, tree: Tree) -> bool:
    """Whether a shape's box (:func:`_shape_box`) lies outside a pattern's tile of
    ``size``: wholly before its corner (whatever its size), or after its width or
    height. Not told of one with a marker on it or around it, or a transform."""
    box = _shape_box(element)
    if box is None or has_transform(element) or any(
            "marker" in name or "marker" in (around.get("style") or "")
            for around in ancestry(element, tree.parents) for name in around.attrib):
        return False
    width, height = size
    return box[2] <= 0 or box[3] <= 0 or (width is not None and box[0] >= width) or (
        height is not None and box[1] >= height)


def _shape_box(element: Any) -> tuple[float, float, float, float] | None:
    """The box (least x and y, most x and y) of a ``<rect>``, ``<circle>``,
    ``<ellipse>``, ``<line>``, ``<polygon>`` or ``<polyline>`` by its attributes, or None
    (a ``<path>``, a number that is not a plain one, a geometry in its ``style``)."""
    name = element.tag.rpartition("}")[2]
    style = (element.get("style") or "").lower()
    if name in ("polygon", "polyline"):
        values = [user_length(n) for n in points(element).split(",")]
        numbers = [] if None in values else values
        return (min(numbers[0::2]), min(numbers[1::2]), max(numbers[0::2]),
                max(numbers[1::2])) if len(numbers) >= 2 and ":" not in style else None
    geometry = _GEOMETRY.get(name)
    if geometry is None or any(attribute in style for attribute in geometry):
        return None
    values = [user_length(element.get(attribute) or "0") for attribute in geometry]
    if None in values:
        return None
    return _BOXES[name](*values)
