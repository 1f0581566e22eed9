"""How narrow a polygon is along any slant, and the bar that holds a narrow one.

A region's bounding box tells only whether it is thin along an axis: a long diagonal
sliver has a large box and yet no whole pixel inside. :func:`narrowest` measures its
minimum width (rotating calipers on its convex hull: the narrowest pair of parallel
lines holding a convex polygon has one of them along a side of it), and :func:`bar` is
the rectangle along that width which holds it, widened on every side (what an image
map's area of such a region is made of, so that a click on its drawn outline reaches
it). Points are floats in one unit (a diagram's pixels, or a picture's as shown).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

Point = tuple[float, float]


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """The corners of the convex hull of ``points`` in turning order (Andrew's monotone
    chain), none on a side between two others; fewer than 3 when they lie on a line."""
    ordered = sorted(set(points))
    if len(ordered) < 3:
        return ordered
    lower: list[Point] = []
    upper: list[Point] = []
    for chain, run in ((lower, ordered), (upper, reversed(ordered))):
        for point in run:
            x, y = point
            while len(chain) >= 2:
                (ox, oy), (ax, ay) = chain[-2], chain[-1]
                if (ax - ox) * (y - oy) - (ay - oy) * (x - ox) > 0:
                    break
                chain.pop()
            chain.append(point)
    hull = lower[:-1] + upper[:-1]
    return hull if len(hull) >= 3 else [ordered[0], ordered[-1]]


class Narrowest(NamedTuple):
    """The narrowest width of a polygon: ``width`` between two parallel lines holding
    it, the first through ``origin`` running along ``along`` (a unit vector), the
    polygon on the side of ``across`` (the unit vector square to it)."""

    width: float
    origin: Point
    along: Point
    across: Point


def narrowest(points: Sequence[Point]) -> Narrowest:
    """The :class:`Narrowest` width of the polygon of ``points`` (0 when they lie on a
    line or a point, along that line)."""
    hull = convex_hull(points)
    if len(hull) < 3:
        start, end = (hull[0], hull[-1]) if hull else ((0.0, 0.0), (0.0, 0.0))
        length = math.hypot(end[0] - start[0], end[1] - start[1])
        along = ((end[0] - start[0]) / length, (end[1] - start[1]) / length) if length \
            else (1.0, 0.0)
        return Narrowest(0.0, start, along, (-along[1], along[0]))
    count = len(hull)
    xs, ys = [x for x, _ in hull], [y for _, y in hull]
    best, side = math.inf, 0
    far = 1
    for index in range(count):
        ax, ay = xs[index], ys[index]
        ex, ey = xs[(index + 1) % count] - ax, ys[(index + 1) % count] - ay
        height = ex * (ys[far] - ay) - ey * (xs[far] - ax)
        for _ in range(count):  # (on over ties too: corners a hair apart round alike)
            ahead = (far + 1) % count
            further = ex * (ys[ahead] - ay) - ey * (xs[ahead] - ax)
            if further < height:
                break
            far, height = ahead, further
        width = height / math.hypot(ex, ey)
        if width < best:
            best, side = width, index
    (ax, ay), (bx, by) = hull[side], hull[(side + 1) % count]
    length = math.hypot(bx - ax, by - ay)
    along = ((bx - ax) / length, (by - ay) / length)
    return Narrowest(best, hull[side], along, (-along[1], along[0]))


def narrowest_width(points: Sequence[Point]) -> float:
    """The :func:`narrowest` width of the polygon of ``points``."""
    return narrowest(points).width


def width_at_least(points: Sequence[Point]) -> float:
    """A lower bound of the :func:`narrowest` width of the polygon of ``points``, a
    fraction of its cost: the narrowest width of the triangle of its first and last
    points in x and the point farthest from the line through them (a triangle's least
    height, twice its area over its longest side). A polygon is at least as wide along
    every slant as one of some of its corners; 0 when they lie on a line."""
    (ax, ay), (bx, by) = min(points), max(points)
    ex, ey = bx - ax, by - ay
    twice_area, (cx, cy) = 0.0, (ax, ay)
    for x, y in points:
        height = abs(ex * (y - ay) - ey * (x - ax))
        if height > twice_area:
            twice_area, cx, cy = height, x, y
    if not twice_area:
        return 0.0
    longest = max(math.hypot(ex, ey), math.hypot(cx - ax, cy - ay),
                  math.hypot(cx - bx, cy - by))
    return twice_area / longest


def bar(points: Sequence[Point], margin: float) -> list[Point]:
    """The rectangle holding the polygon of ``points`` whose sides run along and across
    its :func:`narrowest` width, widened by ``margin`` on every side (four corners in
    turning order)."""
    width, (ox, oy), (ax, ay), (cx, cy) = narrowest(points)
    spans = [(x - ox) * ax + (y - oy) * ay for x, y in points]
    first, last = min(spans) - margin, max(spans) + margin
    near, far = -margin, width + margin
    return [(ox + ax * s + cx * t, oy + ay * s + cy * t)
            for s, t in ((first, near), (last, near), (last, far), (first, far))]


def clip_to_quadrant(polygon: Sequence[Point]) -> list[Point]:
    """The part of the convex ``polygon`` where neither coordinate is negative (its
    corners on an axis exactly on it)."""
    kept = list(polygon)
    for axis in (0, 1):
        clipped: list[Point] = []
        for p, q in zip(kept, kept[1:] + kept[:1], strict=True):
            if p[axis] >= 0:
                clipped.append(p)
            if min(p[axis], q[axis]) < 0 < max(p[axis], q[axis]):
                t = p[axis] / (p[axis] - q[axis])
                cut = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
                cut[axis] = 0.0
                clipped.append((cut[0], cut[1]))
        kept = clipped
    return kept


def whole_pixel_bar(points: Sequence[Point], margin: float) -> list[tuple[int, int]]:
    """The :func:`bar` of the polygon of ``points`` (in a picture's pixels) widened by
    ``margin`` and by the most rounding moves a corner (half a pixel each way), its
    part in the picture (:func:`clip_to_quadrant`), corners rounded to whole pixels:
    every whole pixel within ``margin`` of the polygon is in it."""
    held = clip_to_quadrant(bar(points, margin + math.sqrt(0.5)))
    return [(round(x), round(y)) for x, y in held]
