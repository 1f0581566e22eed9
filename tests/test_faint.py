"""Which other muscles a focus image draws faintly: all while they fit, else the nearest."""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import given
from hypothesis import strategies as st

from converter.bodymap import outline
from converter.faint import FAINT_NEAR, Box, faint_around, gap
from tests.conftest import detailed_muscles


class Blob(NamedTuple):
    name: str
    points: int
    box: Box | None


def at(name: str, x: float, points: int = 10) -> Blob:
    """A 10-pixel square blob at ``x`` on one row."""
    return Blob(name, points, (x, 0.0, x + 10, 10.0))


def test_gap_is_zero_for_boxes_that_touch_or_overlap() -> None:
    assert gap((0, 0, 10, 10), (10, 0, 20, 10)) == 0
    assert gap((0, 0, 10, 10), (5, 5, 6, 6)) == 0
    assert gap((0, 0, 10, 10), (13, 14, 20, 20)) == 3 * 3 + 4 * 4
    assert gap((13, 14, 20, 20), (0, 0, 10, 10)) == 25


def test_every_other_muscle_is_drawn_while_they_fit() -> None:
    others = [at("a", 1000), at("b", 20), at("c", 500)]
    assert faint_around(at("me", 0), others, budget=30) == others


def test_past_the_budget_the_nearest_that_fit_are_drawn_in_their_order() -> None:
    others = [at("far", 1000), at("near", 20), at("middle", 500), at("next", 40)]
    assert [b.name for b in faint_around(at("me", 0), others, budget=30)] == [
        "near", "middle", "next"]
    assert [b.name for b in faint_around(at("me", 0), others, budget=29)] == ["near", "next"]
    # (the nearest that does not fit ends the choice: a farther small one is not taken)
    crowded = [at("near", 20, points=5), at("big", 40, points=50), at("small", 60, points=1)]
    assert [b.name for b in faint_around(at("me", 0), crowded, budget=30)] == ["near"]


def test_equal_gaps_go_by_order_and_a_shape_without_regions_comes_last() -> None:
    others = [Blob("none", 0, None), at("a", 5), at("b", 5), at("c", 5)]
    assert [b.name for b in faint_around(at("me", 0), others, budget=20)] == ["a", "b"]
    assert faint_around(Blob("me", 0, None), others, budget=20) == others[:3]


@given(st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 50)), max_size=60),
       st.integers(0, 300))
def test_what_is_drawn_never_passes_the_budget(shapes: list[tuple[int, int]],
                                               budget: int) -> None:
    """Each image draws at most ``budget`` points of others (or all, when they fit):
    its size does not grow with the corpus."""
    others = [at(str(i), x, points) for i, (x, points) in enumerate(shapes)]
    drawn = faint_around(at("me", 0), others, budget=budget)
    assert sum(b.points for b in drawn) <= budget
    if sum(b.points for b in others) <= budget:
        assert drawn == others
    assert [b for b in others if b in drawn] == drawn  # (in their order)


def test_outlines_of_a_detailed_corpus_draw_their_neighbours() -> None:
    """Muscles side by side: the image of the first draws the next ones along the row."""
    row = [outline(m) for m in detailed_muscles(12, FAINT_NEAR // 5)]
    assert [s.slug for s in faint_around(row[0], row[1:])] == ["m1", "m2", "m3", "m4", "m5"]
    assert [s.slug for s in faint_around(row[6], row[:6] + row[7:])] == [
        "m3", "m4", "m5", "m7", "m8"]
