"""A polygon's narrowest width along any slant, and the bar that holds a narrow one."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.calipers import (
    Point,
    bar,
    clip_to_quadrant,
    convex_hull,
    narrowest,
    narrowest_width,
    whole_pixel_bar,
    width_at_least,
)

#: Directions the brute force tries: every tenth of a degree of a half turn.
DIRECTIONS = [(math.cos(math.pi * k / 1800), math.sin(math.pi * k / 1800))
              for k in range(1800)]

coordinates = st.floats(0, 1000, allow_nan=False, allow_infinity=False)
point_sets = st.lists(st.tuples(coordinates, coordinates), min_size=3, max_size=12)


@st.composite
def slivers(draw: st.DrawFn) -> list[Point]:
    """A long thin parallelogram along any slant: under a pixel across, up to 500 long."""
    x, y = draw(coordinates), draw(coordinates)
    angle = draw(st.floats(0, math.pi))
    length = draw(st.floats(5, 500))
    width = draw(st.floats(0.01, 0.99))
    ax, ay = math.cos(angle), math.sin(angle)
    cx, cy = -ay * width, ax * width
    return [(x, y), (x + ax * length, y + ay * length),
            (x + ax * length + cx, y + ay * length + cy), (x + cx, y + cy)]


def spread(points: list[Point], direction: Point) -> float:
    """How far apart ``points`` lie along ``direction`` (a unit vector)."""
    spans = [x * direction[0] + y * direction[1] for x, y in points]
    return max(spans) - min(spans)


def inside(point: Point, polygon: list[Point] | list[tuple[int, int]],
           slack: float = 0.0) -> bool:
    """Whether ``point`` is in the convex ``polygon`` or on its outline, or at most
    ``slack`` outside it (its corners in either turning order)."""
    sides = [(a, b) for a, b in zip(polygon, polygon[1:] + polygon[:1], strict=True)
             if a != b]
    turns = [((b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]))
             / math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in sides]
    return all(t >= -slack for t in turns) or all(t <= slack for t in turns)


@given(point_sets)
def test_the_narrowest_width_is_the_least_spread_of_every_direction(
        points: list[Point]) -> None:
    """Brute force over 1,800 directions finds none narrower, and the spread across the
    width found is that width."""
    found = narrowest(points)
    assert found.width >= 0
    scale = max(1.0, max(abs(c) for p in points for c in p))
    assert all(spread(points, d) >= found.width - 1e-9 * scale for d in DIRECTIONS)
    assert spread(points, found.across) == pytest.approx(found.width, abs=1e-9 * scale)
    assert math.hypot(*found.along) == pytest.approx(1)
    assert found.along[0] * found.across[0] + found.along[1] * found.across[1] == \
        pytest.approx(0, abs=1e-12)


@given(slivers())
def test_a_sliver_is_as_narrow_as_it_was_drawn(points: list[Point]) -> None:
    """Whatever its slant, a parallelogram is its own width across, though its bounding
    box is long both ways."""
    (x0, y0), (x1, y1), _, (x3, y3) = points
    length = math.hypot(x1 - x0, y1 - y0)
    drawn = abs((x1 - x0) * (y3 - y0) - (y1 - y0) * (x3 - x0)) / length
    assert narrowest_width(points) == pytest.approx(drawn, rel=1e-6, abs=1e-9)


def test_a_long_diagonal_sliver_is_under_a_pixel_across() -> None:
    """Its box is 101 x 100, but it is 0.71 of a pixel across at its narrowest."""
    assert narrowest_width([(0, 0), (1, 0), (101, 100), (100, 100)]) == pytest.approx(
        math.sqrt(0.5))


def test_points_on_a_line_are_of_no_width() -> None:
    assert narrowest_width([(0, 0), (50, 50), (100, 100)]) == 0
    assert narrowest_width([(3, 4), (3, 4), (3, 4)]) == 0
    assert convex_hull([(0, 0), (50, 50), (100, 100)]) == [(0, 0), (100, 100)]


def test_the_hull_leaves_out_inner_corners_and_corners_on_its_sides() -> None:
    assert convex_hull([(0, 0), (5, 0), (10, 0), (10, 10), (5, 2), (0, 10)]) == [
        (0, 0), (10, 0), (10, 10), (0, 10)]


@given(point_sets, st.floats(0, 5))
def test_the_bar_holds_the_polygon_widened_by_its_margin(points: list[Point],
                                                         margin: float) -> None:
    """It is the narrowest width and twice the margin across, and every point within
    the margin of a corner is in it."""
    corners = bar(points, margin)
    scale = max(1.0, max(abs(c) for p in points for c in p))
    (ax, ay), (bx, by), (cx, cy) = corners[:3]
    assert math.hypot(cx - bx, cy - by) == pytest.approx(
        narrowest_width(points) + 2 * margin, abs=1e-9 * scale)
    assert (bx - ax) * (cx - bx) + (by - ay) * (cy - by) == pytest.approx(0, abs=1e-6 * scale)
    for x, y in points:
        for turn in range(8):
            near = (x + margin * math.cos(turn * math.pi / 4),
                    y + margin * math.sin(turn * math.pi / 4))
            assert inside(near, corners, 1e-9 * scale), (near, corners)


@given(slivers())
def test_the_whole_pixel_bar_holds_every_pixel_of_the_line_drawn_around_a_sliver(
        points: list[Point]) -> None:
    """Rounded to whole pixels, the bar still holds every point of the picture within
    the margin (half the outline's width) of the sliver: a click on its drawn line."""
    held = whole_pixel_bar(points, 0.75)
    assert all(isinstance(c, int) and c >= 0 for corner in held for c in corner)
    for x, y in points:
        for turn in range(16):
            near = (x + 0.75 * math.cos(turn * math.pi / 8),
                    y + 0.75 * math.sin(turn * math.pi / 8))
            if min(near) >= 0:
                assert inside(near, held), (near, held)


def test_the_bar_in_the_picture_is_cut_at_its_edges() -> None:
    assert clip_to_quadrant([(-2.0, 1.0), (4.0, 1.0), (4.0, 3.0), (-2.0, 3.0)]) == [
        (0.0, 1.0), (4.0, 1.0), (4.0, 3.0), (0.0, 3.0)]
    corner = clip_to_quadrant([(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)])
    assert len(corner) == 4 and set(corner) == {(0.0, 0.0), (1.0, 0.0), (1.0, 1.0),
                                                (0.0, 1.0)}


@given(point_sets)
def test_the_cheap_lower_bound_is_never_more_than_the_narrowest_width(
        points: list[Point]) -> None:
    """The width of a triangle of some of a polygon's corners is never more than the
    polygon's (the writers take it in place of the width where it is a pixel or more)."""
    assert width_at_least(points) <= narrowest_width(points) * (1 + 1e-9) + 1e-9


@given(st.tuples(coordinates, coordinates), st.tuples(coordinates, coordinates),
       st.tuples(coordinates, coordinates))
def test_the_lower_bound_of_a_triangle_is_its_width(a: Point, b: Point, c: Point) -> None:
    """For a triangle, the bound is its narrowest width (its least height): it drops
    no width it could have kept."""
    assert width_at_least([a, b, c]) == pytest.approx(narrowest_width([a, b, c]),
                                                      rel=1e-6, abs=1e-6)


def test_the_lower_bound_of_points_on_a_line_is_0() -> None:
    """Points on a line, or one point, have no width and no bound above 0."""
    assert width_at_least([(0, 0), (5, 5), (2, 2)]) == 0
    assert width_at_least([(3, 4), (3, 4), (3, 4)]) == 0


def test_the_lower_bound_of_a_square_is_near_its_side() -> None:
    """A square's bound is half its side at least (the triangle of three of its
    corners is half as wide as the square along its diagonal)."""
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert 5 <= width_at_least(square) <= 10
