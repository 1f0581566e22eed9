"""Which region a body map draws over which: per region, the smaller on top.

A map draws muscle by muscle (:func:`converter.bodymap.drawing_order`, largest region
first), but a muscle's regions are not all alike: latissimus dorsi may have a large
region in the back view and a small one lying inside pectoralis major's in the front
view. Drawn with its muscle, that small region would lie under pectoralis major and
could not be clicked at all. :func:`drawing_pieces` keeps the muscles' order and lifts
such a region out: it is drawn later, in a piece of its own, right above every larger
region of another muscle that it overlaps (and below every smaller one). Regions lying
on nothing larger stay with their muscle, so most maps have one piece per muscle.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain, pairwise

from .model import Muscle, Number, Region

Point = tuple[float, float]
Box = tuple[float, float, float, float]

#: The farthest a coordinate is from 0 as the layering sees it: one farther (README
#: allows 1,000 digits) is taken as this far. A float holds no int of 309 digits
#: (``float()`` raises) and a decimal that long only as infinity, and areas and sides of
#: numbers near float's limit are infinite, their differences NaN; within this every
#: product the layering makes is finite.
FAR = float(2**500)


def coordinate(value: Number) -> float:
    """A coordinate as a float, at most :data:`FAR` either way (the same for an int
    and a decimal of any size)."""
    try:
        number = float(value)
    except OverflowError:  # (an int beyond float's range: 309 digits or more)
        number = math.inf if value > 0 else -math.inf
    return min(max(number, -FAR), FAR)


def corners(region: Region) -> list[Point]:
    """A region's corners as floats, each a :func:`coordinate` (made at once when
    every one is within :data:`FAR`, as in any real drawing)."""
    try:
        points = [(float(x), float(y)) for x, y in region.points]
    except OverflowError:
        points = []
    if points and max(map(abs, chain.from_iterable(points))) <= FAR:
        return points
    return [(coordinate(x), coordinate(y)) for x, y in region.points]


@dataclass(frozen=True)
class Piece:
    """Regions of one muscle drawn together: ``indices`` into ``muscle.regions``.
    ``first`` marks the muscle's own piece (its link, name and id); any later one is
    a lifted region drawn over a larger one of another muscle."""

    muscle: Muscle
    indices: tuple[int, ...]
    first: bool


class _Shape:
    """A region as the layering sees it: its muscle's place in the drawing order, its
    area, and (made when first asked for) its points and box."""

    def __init__(self, place: int, index: int, region: Region, area: float) -> None:
        self.place, self.index, self.region, self.area = place, index, region, area

    @cached_property
    def points(self) -> list[Point]:
        """The corners as floats (:func:`corners`)."""
        return corners(self.region)

    @cached_property
    def box(self) -> Box:
        """The bounding box."""
        return _box(self.points)


def region_area(region: Region) -> float:
    """The area a region covers (shoelace; floats are exact enough to order by)."""
    return _area(corners(region))


def region_areas(muscle: Muscle) -> list[float]:
    """The :func:`region_area` of each of ``muscle``'s regions, in order."""
    return [region_area(region) for region in muscle.regions]


def _area(points: list[Point]) -> float:
    closed = [*points, points[0]] if points else []
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(closed))) / 2


def _box(points: list[Point]) -> Box:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys)) if points else (0.0, 0.0, 0.0, 0.0)


def _boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _edges(points: list[Point]) -> Iterator[tuple[Point, Point]]:
    return pairwise([*points, points[0]])


def _turn(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _cross(p: tuple[Point, Point], q: tuple[Point, Point]) -> bool:
    """Whether two segments cross at a point inside both (touching is no crossing)."""
    return (_turn(*p, q[0]) * _turn(*p, q[1]) < 0) and (_turn(*q, p[0]) * _turn(*q, p[1]) < 0)


def _on_side(point: Point, a: Point, b: Point) -> bool:
    """Whether ``point`` lies on the side from ``a`` to ``b`` (its ends too)."""
    x, y = point
    return (min(a[0], b[0]) <= x <= max(a[0], b[0]) and min(a[1], b[1]) <= y <= max(a[1], b[1])
            and _turn(a, b, point) == 0)


def _strictly_inside(point: Point, polygon: list[Point]) -> bool:
    """Whether ``point`` is inside ``polygon`` (even-odd) and not on its outline."""
    x, y = point
    inside = False
    for a, b in _edges(polygon):
        (ax, ay), (bx, by) = a, b
        if _on_side(point, a, b):
            return False
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            inside = not inside
    return inside


def _pieces(polygon: list[Point], other: list[Point]) -> Iterator[Point]:
    """The middle of each piece of ``polygon``'s sides cut at the corners of ``other``
    lying on them: where sides cross nowhere, each piece lies all inside ``other``, all
    on its outline or all outside it, as its middle does."""
    for a, b in _edges(polygon):
        axis = 0 if abs(b[0] - a[0]) >= abs(b[1] - a[1]) else 1
        span = b[axis] - a[axis]
        if span == 0:
            continue  # (a corner given twice: no side)
        cuts = sorted({(0.0, a), (1.0, b), *(((p[axis] - a[axis]) / span, p) for p in other
                                             if _on_side(p, a, b))})
        for (_, p), (_, q) in pairwise(cuts):
            if p != q:
                yield ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)


def overlap(a: list[Point], b: list[Point]) -> bool:
    """Whether two simple polygons share some area (regions that only touch do not):
    their sides cross, or a piece of a side of one (cut where a corner of the other
    lies on it) lies inside the other, or each one's outline is the other's."""
    if len(a) < 3 or len(b) < 3 or not _boxes_overlap(_box(a), _box(b)):
        return False
    return _share_area(a, b)


def _share_area(a: list[Point], b: list[Point]) -> bool:
    """:func:`overlap` of polygons whose boxes overlap."""
    if any(_cross(p, q) for p in _edges(a) for q in _edges(b)):
        return True
    pieces_a, pieces_b = list(_pieces(a, b)), list(_pieces(b, a))
    if any(_strictly_inside(p, b) for p in pieces_a) or any(
            _strictly_inside(p, a) for p in pieces_b):
        return True
    # (no side of one inside the other, and none crossing: they share area only when
    # each outline lies on the other's, the same polygon)
    return all(any(_on_side(p, *side) for side in _edges(b)) for p in pieces_a) and all(
        any(_on_side(p, *side) for side in _edges(a)) for p in pieces_b)


class _Grid:
    """Shapes by the cells of a square grid their boxes touch, to find those near a box
    without looking at every one (20,000 muscles have 40,000 regions)."""

    #: Cells along the whole drawing's wider side, at most (a box spans no more).
    ACROSS = 256

    def __init__(self, shapes: Sequence[_Shape]) -> None:
        sides = sorted(max(s.box[2] - s.box[0], s.box[3] - s.box[1]) for s in shapes)
        extent = max((max(s.box[2], s.box[3]) for s in shapes), default=0.0) - min(
            (min(s.box[0], s.box[1]) for s in shapes), default=0.0)
        self.cell = max(sides[len(sides) // 2] if sides else 0.0, extent / self.ACROSS,
                        1e-9)
        self.cells: dict[tuple[int, int], set[int]] = {}

    def _keys(self, box: Box) -> Iterator[tuple[int, int]]:
        left, top = int(box[0] // self.cell), int(box[1] // self.cell)
        right, bottom = int(box[2] // self.cell), int(box[3] // self.cell)
        return ((i, j) for i in range(left, right + 1) for j in range(top, bottom + 1))

    def add(self, number: int, box: Box) -> None:
        """File a shape under its cells."""
        for key in self._keys(box):
            self.cells.setdefault(key, set()).add(number)

    def remove(self, number: int, box: Box) -> None:
        """Take a shape out again."""
        for key in self._keys(box):
            self.cells.get(key, set()).discard(number)

    def near(self, box: Box) -> set[int]:
        """The shapes whose boxes share a cell with ``box``."""
        return {n for key in self._keys(box) for n in self.cells.get(key, ())}


class _Layering:
    """The pieces of a drawing order, made muscle by muscle (see :func:`drawing_pieces`)."""

    #: A region's larger regions of later muscles are found by area up to this many
    #: (a few, when its muscle's sides differ a little), else by place.
    SCAN = 64
    #: A region looks for its next blocker among this many regions larger than it (not
    #: drawn yet, by area) before it looks at every one near it that may block it.
    LOOK = 64

    def __init__(self, drawn: Sequence[Muscle], areas: Sequence[Sequence[float]]) -> None:
        self.drawn = drawn
        self.shapes: list[_Shape] = []
        self.of_muscle: list[list[int]] = []
        for place, (muscle, sizes) in enumerate(zip(drawn, areas, strict=True)):
            self.of_muscle.append(list(range(len(self.shapes),
                                             len(self.shapes) + len(muscle.regions))))
            self.shapes += (_Shape(place, i, r, size)
                            for i, (r, size) in enumerate(zip(muscle.regions, sizes,
                                                              strict=True)))
        self.largest = [max((self.shapes[n].area for n in numbers), default=0.0)
                        for numbers in self.of_muscle]
        #: By place, the largest region of its muscle and of every muscle after it (its
        #: own muscle's largest in drawing order): no region larger lies in wait for it.
        self.largest_on = list(accumulate(self.largest[::-1], max))[::-1]
        self.drawn_yet = [False] * len(self.shapes)
        self.waited_by: dict[int, list[int]] = {}
        self.candidates: dict[int, Iterator[int]] = {}
        self.scan_from: dict[int, int] = {}
        self.released: list[tuple[int, int, int]] = []
        self.started = [False] * len(drawn)
        self.pieces: list[Piece] = []

    def smaller(self) -> bool:
        """Whether any region is smaller than the largest of its muscle and those after
        it (else none waits)."""
        return any(s.area < self.largest_on[s.place] for s in self.shapes)

    @cached_property
    def waiting(self) -> _Grid:
        """The regions waiting to be drawn, by place."""
        return _Grid(self.shapes)

    @cached_property
    def everyone(self) -> _Grid:
        """Every region not drawn yet, by place (each taken out as it is drawn: those
        drawn were most of those near a region on a crowded map)."""
        grid = _Grid(self.shapes)
        for number, shape in enumerate(self.shapes):
            if not self.drawn_yet[number]:
                grid.add(number, shape.box)
        return grid

    @cached_property
    def by_area(self) -> tuple[list[float], list[int]]:
        """The areas in order, and the regions they are of."""
        order = sorted(range(len(self.shapes)), key=lambda n: self.shapes[n].area)
        return [self.shapes[n].area for n in order], order

    def run(self) -> list[Piece]:
        """Every muscle in its turn, each lifted region as soon as all under it are drawn."""
        if not self.smaller():
            return [Piece(m, tuple(range(len(m.regions))), True) for m in self.drawn]
        for place, numbers in enumerate(self.of_muscle):
            ready = [n for n in numbers if not self._wait(n)]
            if ready or not numbers:
                self._emit(place, ready)
            self._release()
        return self.pieces

    def _wait(self, number: int) -> bool:
        """Whether a region must wait for larger regions of other muscles, overlapping
        it and not drawn yet (its blockers); then it waits for one of them."""
        blocker = self._blocker(number)
        if blocker is None:
            return False
        self.waiting.add(number, self.shapes[number].box)
        self.waited_by.setdefault(blocker, []).append(number)
        return True

    def _blocker(self, number: int) -> int | None:
        """The next blocker of a region, or None when none is left. A region waits for
        one blocker at a time and looks for the next when it is drawn, so each region
        is compared in full with few others (with every one that may block it, hundreds
        per region on a crowded map, took most of the layering's time): first by area
        (:meth:`_scan`), then, when that finds none soon, from its box (:meth:`_listed`)."""
        if number not in self.candidates:
            found = self._scan(number)
            if found != -1:
                return found
            self.candidates[number] = self._candidates(number)
        return self._listed(number)

    def _scan(self, number: int) -> int | None:
        """The next blocker of a region among the regions larger than it not drawn yet,
        in order of area, the smallest first (likely drawn last: larger ones lying on it
        wait for their own); None when there is none, -1 when none is among the next
        :attr:`LOOK` of them (it goes on from there the next time)."""
        areas, order = self.by_area
        shape = self.shapes[number]
        place = self.scan_from.pop(number, None)
        place = bisect_right(areas, shape.area) if place is None else place
        for _ in range(self.LOOK):
            place = self._undrawn_from(place)
            if place == len(order):
                return None
            other, place = order[place], place + 1
            if self._may_block(other, shape) and _share_area(self.shapes[other].points,
                                                             shape.points):
                self.scan_from[number] = place
                return other
        return -1

    def _listed(self, number: int) -> int | None:
        """The next of a region's :meth:`_candidates` not drawn yet and sharing area with
        it, or None when none is left."""
        shape = self.shapes[number]
        found = next((n for n in self.candidates[number] if not self.drawn_yet[n]
                      and _share_area(self.shapes[n].points, shape.points)), None)
        if found is None:
            del self.candidates[number]
        return found

    def _undrawn_from(self, place: int) -> int:
        """The first place in :attr:`by_area` from ``place`` on of a region not drawn yet
        (its length when there is none): drawn ones are skipped, each once."""
        skip = self.skip
        end = place
        while skip[end] != end:
            end = skip[end]
        while skip[place] != end:  # (the way shortened for the next look)
            skip[place], place = end, skip[place]
        return end

    @cached_property
    def skip(self) -> list[int]:
        """By place in :attr:`by_area`, a place at or after it of a region not drawn yet,
        or nearer one (itself when its region is not drawn)."""
        return list(range(len(self.shapes) + 1))

    @cached_property
    def area_place(self) -> list[int]:
        """By region, its place in :attr:`by_area`."""
        places = [0] * len(self.shapes)
        for place, number in enumerate(self.by_area[1]):
            places[number] = place
        return places

    def _candidates(self, number: int) -> Iterator[int]:
        """The regions that may block a region at its turn, muscle drawn last first: those
        waiting (of muscles before it) and those of muscles after it that are larger."""
        shape = self.shapes[number]
        near = self.waiting.near(shape.box)
        if shape.area < self.largest_on[shape.place]:  # (later muscles may be larger)
            near |= self._larger_later(shape)
        # (else every later muscle's regions are at most this large: only waiting ones)
        return iter(sorted((n for n in near if self._may_block(n, shape)),
                           key=lambda n: (-self.shapes[n].place, n)))

    def _larger_later(self, shape: _Shape) -> set[int]:
        """Regions that may be larger than ``shape`` and of a muscle drawn after it."""
        areas, numbers = self.by_area
        low = bisect_right(areas, shape.area)
        high = bisect_right(areas, self.largest_on[shape.place])
        if high - low <= self.SCAN:
            return set(numbers[low:high])
        return self.everyone.near(shape.box)

    def _may_block(self, number: int, shape: _Shape) -> bool:
        """Whether a region may block ``shape`` (all but sharing area with it): not drawn
        yet, of another muscle, larger, its box overlapping."""
        other = self.shapes[number]
        return (not self.drawn_yet[number] and other.place != shape.place
                and other.area > shape.area and _boxes_overlap(other.box, shape.box)
                and len(other.points) > 2 and len(shape.points) > 2)

    def _emit(self, place: int, numbers: list[int]) -> None:
        muscle = self.drawn[place]
        indices = tuple(sorted(self.shapes[n].index for n in numbers))
        self.pieces.append(Piece(muscle, indices, not self.started[place]))
        self.started[place] = True
        for number in numbers:
            self.drawn_yet[number] = True
            self.skip[self.area_place[number]] = self.area_place[number] + 1
            if "everyone" in self.__dict__:  # (made once a region needed it)
                self.everyone.remove(number, self.shapes[number].box)
            self._unblock(number)

    def _unblock(self, number: int) -> None:
        """A region is drawn: those waiting for it wait for another blocker, or are
        free to be drawn when none is left (at once: this was their last)."""
        for waiter in self.waited_by.pop(number, []):
            blocker = self._blocker(waiter)
            if blocker is not None:
                self.waited_by.setdefault(blocker, []).append(waiter)
                continue
            shape = self.shapes[waiter]
            self.waiting.remove(waiter, shape.box)
            heapq.heappush(self.released, (shape.place, shape.index, waiter))

    def _release(self) -> None:
        """Draw the regions free to be drawn now, earliest muscle first, a piece each."""
        while self.released:
            place = self.released[0][0]
            numbers = []
            while self.released and self.released[0][0] == place:
                numbers.append(heapq.heappop(self.released)[2])
            self._emit(place, numbers)


def drawing_pieces(drawn: Sequence[Muscle], areas: Sequence[Sequence[float]] | None = None
                   ) -> list[Piece]:
    """The pieces a map draws, in order, from muscles in the order it draws them (their
    :func:`~converter.bodymap.drawing_order`, as the writers give them, or any other, as
    ``map_svg`` takes them): each muscle's regions together (its first piece), except a
    region overlapping a larger region of another muscle not drawn yet, which waits until
    every larger region of another muscle that it overlaps is drawn and is then drawn in
    a piece of its own, so that a smaller region is always over a larger one where they
    overlap (equal areas: in the muscles' order). A muscle without regions is one empty
    piece in its turn (one whose every region waits has its first piece later). ``areas``:
    each muscle's :func:`region_areas`, when the caller has them (made here if not)."""
    return _Layering(drawn, [region_areas(m) for m in drawn] if areas is None else areas
                     ).run()
