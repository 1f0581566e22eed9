"""Which region a map draws over which (converter/layers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

import converter
from converter import bodymap, layers
from converter.layers import drawing_pieces, overlap
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
