"""Which region a map draws over which (converter/layers.py)."""

from __future__ import annotations

import random
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import converter
from converter import bodymap, layers
from converter.cli import cli
from converter.layers import drawing_pieces, overlap
from converter.lint import is_collinear, self_intersects
from converter.model import Muscle, Region
from tests.conftest import SAMPLES
from tests.strategies import corpora


def square(x: int, y: int, side: int) -> Region:
    return Region(((x, y), (x + side, y), (x + side, y + side), (x, y + side)))


def points(region: Region) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in region.points]


def test_regions_overlap_when_they_share_area_not_when_they_touch() -> None:
    big = points(square(0, 0, 10))
    assert overlap(big, points(square(2, 2, 3)))  # inside
    assert overlap(points(square(2, 2, 3)), big)
    assert overlap(big, points(square(5, 5, 10)))  # sides crossing
    assert overlap(big, points(square(0, 5, 10)))  # a shared side, partly
    assert not overlap(big, points(square(10, 0, 10)))  # side by side
    assert not overlap(big, points(square(10, 10, 5)))  # corner to corner
    assert not overlap(big, points(square(20, 20, 5)))


def layout(muscles: list[Muscle]) -> list[tuple[str, tuple[int, ...], bool]]:
    drawn = bodymap.drawing_order(muscles)
    return [(p.muscle.slug, p.indices, p.first) for p in drawing_pieces(drawn)]


def test_a_small_region_inside_a_smaller_muscle_is_drawn_over_it() -> None:
    """Latissimus dorsi (largest region drawn first) with a small third region inside
    pectoralis major's: that region is drawn after pectoralis major, on its own."""
    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(700, 0, 100),
                                                   square(12, 12, 5)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    assert layout([pec, lat]) == [("lat", (0, 1), True), ("pec", (0,), True),
                                  ("lat", (2,), False)]


def test_a_lifted_region_stays_under_smaller_regions_lying_on_it() -> None:
    """A tiny muscle on the lifted region waits for it (and is drawn over it): every
    region of it waits, so its own piece comes where they are drawn."""
    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(10, 10, 20)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    tiny = Muscle(slug="tiny", title="Tiny", regions=(square(15, 15, 4),))
    assert layout([tiny, pec, lat]) == [("lat", (0,), True), ("pec", (0,), True),
                                        ("lat", (1,), False), ("tiny", (0,), True)]


def test_regions_lying_on_nothing_larger_stay_with_their_muscle() -> None:
    """Two sides of a muscle lying on larger ones stay one piece; a muscle without
    regions is one empty piece in its turn."""
    big = Muscle(slug="big", title="Big", regions=(square(0, 0, 50), square(100, 0, 50)))
    two = Muscle(slug="two", title="Two", regions=(square(5, 5, 30), square(105, 5, 10)))
    assert layout([big, two]) == [("big", (0, 1), True), ("two", (0, 1), True)]
    one = Muscle(slug="one", title="One", regions=(square(300, 0, 60), square(10, 10, 5)))
    mid = Muscle(slug="mid", title="Mid", regions=(square(0, 0, 40),))
    none = Muscle(slug="none", title="None")
    assert layout([none, mid, one]) == [("one", (0,), True), ("mid", (0,), True),
                                        ("one", (1,), False), ("none", (), True)]


def test_the_samples_are_drawn_one_piece_per_muscle() -> None:
    import converter

    muscles = converter.read(SAMPLES)
    assert layout(muscles) == [(m.slug, tuple(range(len(m.regions))), True)
                               for m in bodymap.drawing_order(muscles)]


@given(corpora())
def test_the_drawing_plan_is_the_drawing_order_and_its_pieces(muscles: list[Muscle]) -> None:
    drawn = bodymap.drawing_order(muscles)
    assert bodymap.drawing_plan(muscles) == (drawn, drawing_pieces(drawn))


@pytest.mark.parametrize("to", ["svg", "html"])
def test_a_map_write_computes_each_regions_area_once(to: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The drawing order and the layering each computed every region's area."""
    muscles = converter.read(SAMPLES)
    computed = []
    area = layers._area
    monkeypatch.setattr(layers, "_area", lambda points: computed.append(1) or area(points))
    converter.write(muscles, tmp_path / to, to)
    assert len(computed) == sum(len(m.regions) for m in muscles)


#: Coordinates past float's range (309 digits and README's most, 1,000), each as an int
#: and as a decimal of the same size: ``float()`` raised for the int, the layering made
#: NaN of the decimal's infinity.
HUGE = [(2 * 10**308, Decimal(f"{2 * 10**308}.5")),
        (10**999 - 1, Decimal(f"{10**998 - 1}.5"))]


def huge_corpus(top: Path, value: int | Decimal) -> Path:
    """The samples and a muscle with a region reaching ``value`` and a small one."""
    shutil.copytree(SAMPLES, top)
    far = bodymap.number(value)
    (top / "huge.md").write_text(f'---\ntitle: Huge\ncoords:\n  - "0,0,{far},0,{far},{far}"\n'
                                 '  - "10,10,20,10,20,20"\n---\n', encoding="utf-8")
    return top


def drawn(out: Path) -> list[str]:
    """What the map written to ``out`` draws, in order (muscles and lifted pieces), after
    checking that no file there holds a NaN or an infinity."""
    for path in out.iterdir():
        assert not re.search(r"(?i)\b(nan|inf|infinity)\b", path.read_text(encoding="utf-8"))
    the_map = out / "map.svg" if (out / "map.svg").exists() else out / "index.html"
    return re.findall(r'data-(?:slug|lift)="([^"]*)"', the_map.read_text(encoding="utf-8"))


@pytest.mark.parametrize("to", ["svg", "html"])
@pytest.mark.parametrize("values", HUGE)
def test_a_coordinate_past_floats_range_is_refused_alike_as_int_or_decimal(
        to: str, values: tuple[int, Decimal], tmp_path: Path) -> None:
    """An int of 309 digits was an OverflowError traceback, and a decimal as long a
    ValueError (NaN) as soon as a region waited; both are a coords-too-large error now
    (no browser draws so far), and the other muscles are drawn."""
    outcomes = []
    for n, value in enumerate(values):
        corpus, out = huge_corpus(tmp_path / f"in{n}", value), tmp_path / f"out{n}"
        result = CliRunner().invoke(cli, ["convert", str(corpus), "--to", to, "-o", str(out),
                                          "--no-cache"])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert f"{corpus / 'huge.md'}:4:5: error: coords[0]: coordinate " in result.output
        assert "[coords-too-large]" in result.output
        outcomes.append(drawn(out))
        with pytest.raises(converter.MuscleError) as caught:
            converter.write(converter.read(corpus), tmp_path / f"api{n}", to)
        assert [d.code for d in caught.value.diagnostics] == ["coords-too-large"]
    assert outcomes[0] == outcomes[1]
    assert "huge" not in outcomes[0]


@pytest.mark.parametrize("values", HUGE)
def test_the_drawing_order_of_a_coordinate_past_floats_range_is_alike_as_int_or_decimal(
        values: tuple[int, Decimal]) -> None:
    """The layering of a region past float's range (which only bodymap's callers reach
    now: readers and writers refuse it) neither raises nor makes NaN: it comes first."""
    orders = []
    for value in values:
        huge = Muscle(slug="huge", title="Huge", regions=(
            Region(((0, 0), (value, 0), (value, value))),
            Region(((10, 10), (20, 10), (20, 20)))))
        drawn_muscles, _ = bodymap.drawing_plan([*converter.read(SAMPLES), huge])
        orders.append([m.slug for m in drawn_muscles])
    assert orders[0] == orders[1]
    assert orders[0][0] == "huge"


def reference_pieces(drawn: list[Muscle]) -> list[tuple[str, tuple[int, ...], bool]]:
    """:func:`drawing_pieces` done the straightforward way: each region compared with
    every other at its muscle's turn, waiting for all its blockers at once."""
    shapes = [(place, index, points(region), layers.region_area(region))
              for place, muscle in enumerate(drawn)
              for index, region in enumerate(muscle.regions)]
    done: set[int] = set()
    blockers: dict[int, set[int]] = {}
    released: list[tuple[int, int, int]] = []
    started: set[int] = set()
    pieces: list[tuple[str, tuple[int, ...], bool]] = []

    def emit(place: int, numbers: list[int]) -> None:
        pieces.append((drawn[place].slug, tuple(sorted(shapes[n][1] for n in numbers)),
                       place not in started))
        started.add(place)
        for number in numbers:
            done.add(number)
            for waiter, waits in list(blockers.items()):
                if number in waits:
                    waits.discard(number)
                    if not waits:
                        del blockers[waiter]
                        released.append((*shapes[waiter][:2], waiter))

    for place, muscle in enumerate(drawn):
        ready = []
        for number, (at, _, shape, area) in enumerate(shapes):
            if at != place:
                continue
            waits = {n for n, (other, _, them, size) in enumerate(shapes)
                     if n not in done and other != place and size > area
                     and overlap(them, shape)}
            if waits:
                blockers[number] = waits
            else:
                ready.append(number)
        if ready or not muscle.regions:
            emit(place, ready)
        while released:
            released.sort()
            first = released[0][0]
            group = [n for at, _, n in released if at == first]
            released[:] = [r for r in released if r[0] != first]
            emit(first, group)
    return pieces


@st.composite
def crowded(draw: st.DrawFn) -> list[Muscle]:
    """Muscles of a few polygons each on a small grid: overlapping, nested, touching,
    of equal areas, some degenerate."""
    corner = st.tuples(st.integers(0, 12), st.integers(0, 12))
    shape = st.lists(corner, min_size=3, max_size=5).map(lambda c: Region(tuple(c)))
    count = draw(st.integers(1, 9))
    return [Muscle(slug=f"m{i}", title=f"M{i}",
                   regions=tuple(draw(st.lists(shape, max_size=4)))) for i in range(count)]


def drawn_under(muscles: list[Muscle]) -> list[tuple[str, int, str, int]]:
    """The layering's invariant broken: each (muscle, region) of ``muscles`` (in the
    order given) that :func:`drawing_pieces` draws before a larger region of another
    muscle overlapping it (so under it, where no click reaches it), with that one."""
    turn = {(p.muscle.slug, i): n for n, p in enumerate(drawing_pieces(muscles))
            for i in p.indices}
    regions = [(m.slug, i, points(r), layers.region_area(r))
               for m in muscles for i, r in enumerate(m.regions)]
    return [(slug, i, other, j) for slug, i, shape, area in regions
            for other, j, them, size in regions
            if other != slug and size > area and overlap(shape, them)
            and turn[(slug, i)] < turn[(other, j)]]


@settings(max_examples=400, deadline=None)
@given(crowded(), st.randoms(use_true_random=False))
def test_the_pieces_are_those_of_the_straightforward_layering(
        muscles: list[Muscle], shuffler: random.Random) -> None:
    """Each region waits for one blocker at a time (comparing it with every region that
    may block it made crowded maps slow): the pieces are as if it waited for all, for
    muscles in drawing order and in any other (``map_svg`` draws them as given: a region
    that was its muscle's largest did not wait for a larger one of a muscle after it),
    and no region is drawn under a larger one it overlaps."""
    drawn = bodymap.drawing_order(muscles)
    assert layout(muscles) == reference_pieces(drawn)
    shuffled = shuffler.sample(muscles, len(muscles))
    for order in (muscles, shuffled, drawn[::-1]):
        assert [(p.muscle.slug, p.indices, p.first) for p in drawing_pieces(order)] == (
            reference_pieces(order))
        assert drawn_under(order) == []


def test_the_samples_pieces_are_those_of_the_straightforward_layering() -> None:
    lat = Muscle(slug="lat", title="Lat", regions=(square(500, 0, 100), square(10, 10, 20)))
    pec = Muscle(slug="pec", title="Pec", regions=(square(0, 0, 40),))
    tiny = Muscle(slug="tiny", title="Tiny", regions=(square(15, 15, 4),))
    for muscles in (converter.read(SAMPLES), [tiny, pec, lat]):
        assert layout(list(muscles)) == reference_pieces(bodymap.drawing_order(muscles))


def test_a_crowded_map_compares_each_region_in_full_with_few_others(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """300 muscles of two squares each, all around one middle, of random sides: each
    region was compared in full (sides and corners) with every larger one of a muscle
    drawn later, tens of thousands of comparisons; it waits for one blocker at a time
    now, and is compared with a few. Each looked at every region near it (its box)
    first, drawn or not; it looks at the larger ones not drawn yet, by area, now."""
    sides = random.Random(1).sample(range(10, 5000), 600)
    muscles = [Muscle(slug=f"m{i:03d}", title=f"M{i}",
                      regions=(square(5000 - a, 5000 - a, 2 * a),
                               square(5000 - b, 5000 - b, 2 * b)))
               for i, (a, b) in enumerate(zip(sides[::2], sides[1::2], strict=True))]
    expected = reference_pieces(bodymap.drawing_order(muscles))
    compared, looked_at = [], []
    share_area, may_block = layers._share_area, layers._Layering._may_block
    monkeypatch.setattr(layers, "_share_area", lambda a, b: compared.append(1) or
                        share_area(a, b))
    monkeypatch.setattr(layers._Layering, "_may_block", lambda self, n, shape: (
        looked_at.append(1) or may_block(self, n, shape)))
    assert layout(muscles) == expected
    assert len(compared) <= 4 * 600
    # (and a region looks at few others at all: by area, skipping those drawn)
    assert len(looked_at) <= 4 * 600


def test_muscles_given_in_another_order_draw_each_smaller_region_over_a_larger_one() -> None:
    """``map_svg`` draws muscles in the order given: a muscle of a small region given
    before one of a large region around it drew that region first, under the large one
    (no click reached it: the old search for muscles in another order took a region
    that is its muscle's largest to wait for none of a muscle after it). It waits for
    the large one now and is drawn over it, lifted; its muscle's other region in its
    turn."""
    small = Muscle(slug="small", title="Small", regions=(square(10, 10, 10),
                                                         square(500, 500, 5)))
    large = Muscle(slug="large", title="Large", regions=(square(0, 0, 100),))
    pieces = drawing_pieces([small, large])
    assert [(p.muscle.slug, p.indices, p.first) for p in pieces] == [
        ("small", (1,), True), ("large", (0,), True), ("small", (0,), False)]
    assert drawn_under([small, large]) == []
    alone = Muscle(slug="alone", title="Alone", regions=(square(20, 20, 10),))
    assert [(p.muscle.slug, p.indices, p.first) for p in drawing_pieces([alone, large])] == [
        ("large", (0,), True), ("alone", (0,), True)]


#: A triangle and a simple polygon of 12 corners around it (area 29000) that touches it
#: at each of the triangle's corners and the middles of its sides, and nowhere crosses
#: it: every corner and middle of a side of each lay on the other's outline or outside
#: it, so they were taken not to overlap, and the triangle was drawn under the polygon.
TRIANGLE = [(100.0, 100.0), (300.0, 100.0), (200.0, 300.0)]
CROWN = [(100.0, 100.0), (150.0, 60.0), (200.0, 100.0), (250.0, 60.0), (300.0, 100.0),
         (295.0, 160.0), (250.0, 200.0), (245.0, 260.0), (200.0, 300.0), (155.0, 260.0),
         (150.0, 200.0), (105.0, 160.0)]


def test_polygons_touching_at_every_corner_and_middle_still_overlap() -> None:
    assert overlap(TRIANGLE, CROWN) and overlap(CROWN, TRIANGLE)
    inner = Muscle(slug="inner", title="Inner", regions=(
        Region(tuple((int(x), int(y)) for x, y in TRIANGLE)), square(400, 0, 400)))
    outer = Muscle(slug="outer", title="Outer",
                   regions=(Region(tuple((int(x), int(y)) for x, y in CROWN)),))
    assert layout([inner, outer]) == [("inner", (1,), True), ("outer", (0,), True),
                                      ("inner", (0,), False)]
    assert overlap(CROWN, list(CROWN))  # (one polygon: all its outline on the other's)
    assert overlap(CROWN, CROWN[5:] + CROWN[:5])
    assert not overlap(TRIANGLE, [(100.0, 100.0), (300.0, 100.0), (200.0, 0.0)])
    assert not overlap(TRIANGLE, [(200.0, 300.0), (150.0, 200.0), (100.0, 300.0)])


def _ears(polygon: list[tuple[int, int]]) -> list[list[tuple[Fraction, Fraction]]]:
    """A simple polygon cut into triangles (ear by ear, exactly)."""
    left = [(Fraction(x), Fraction(y)) for x, y in polygon]
    sign = 1 if sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2)
                    in zip(left, left[1:] + left[:1], strict=True)) > 0 else -1

    def turn(a: Any, b: Any, c: Any) -> Fraction:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    def in_closed(p: Any, a: Any, b: Any, c: Any) -> bool:
        return all(sign * turn(u, v, p) >= 0 for u, v in ((a, b), (b, c), (c, a)))

    triangles = []
    while len(left) > 3:
        n = len(left)
        straight = next((i for i in range(n)
                         if turn(left[i - 1], left[i], left[(i + 1) % n]) == 0), None)
        if straight is not None:
            del left[straight]
            continue
        for i in range(n):
            a, b, c = left[i - 1], left[i], left[(i + 1) % n]
            if sign * turn(a, b, c) > 0 and not any(
                    in_closed(p, a, b, c) for p in left if p not in (a, b, c)):
                triangles.append([a, b, c])
                del left[i]
                break
        else:
            raise AssertionError(f"no ear in {left}")
    if turn(*left) != 0:
        triangles.append(left)
    return triangles


def _interiors_meet(s: list[Any], t: list[Any]) -> bool:
    """Whether two triangles' insides meet: no line along a side separates them."""
    for shape in (s, t):
        for (ax, ay), (bx, by) in zip(shape, shape[1:] + shape[:1], strict=True):
            nx, ny = ay - by, bx - ax
            ps, pt = [nx * x + ny * y for x, y in s], [nx * x + ny * y for x, y in t]
            if max(ps) <= min(pt) or max(pt) <= min(ps):
                return False
    return True


def share_area(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Whether two simple polygons' insides meet, exactly: some triangle of one's meets
    some triangle of the other's."""
    return any(_interiors_meet(s, t) for s in _ears(a) for t in _ears(b))


simple_polygons = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)),
                           min_size=3, max_size=7).filter(
    lambda p: not is_collinear(p) and not self_intersects(p))


@settings(max_examples=700, deadline=None)
@given(simple_polygons, simple_polygons)
def test_overlap_is_whether_the_insides_meet(a: list[tuple[int, int]],
                                             b: list[tuple[int, int]]) -> None:
    """On small integer polygons (crossing, nested, touching at corners and along
    sides, the same one), against exact triangles."""
    expected = share_area(a, b)
    fa, fb = [(float(x), float(y)) for x, y in a], [(float(x), float(y)) for x, y in b]
    assert overlap(fa, fb) == overlap(fb, fa) == expected
    assert overlap(fa, fa) and overlap(fa, fa[1:] + fa[:1])
