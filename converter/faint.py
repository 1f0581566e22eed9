"""Which other muscles a focus image draws faintly around its own.

Every other muscle while all of them have up to :data:`FAINT_NEAR` points in all; past
that the ones nearest the image's own muscle, as many as fit in :data:`FAINT_NEAR`
points. Each image is then of bounded size, and the images together grow linearly
with the corpus: each copying all the others made 188 MB of focus images for 1,000
muscles of 20 points each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

#: The most points of other muscles a focus image draws faintly (a body of 200 muscles
#: of 20 points each is drawn whole around every muscle).
FAINT_NEAR = 4000

#: A box: left, top, right and bottom, as floats.
Box = tuple[float, float, float, float]


class Shape(Protocol):
    """What the choice needs of a muscle a focus image may draw."""

    @property
    def points(self) -> int: ...  # how many points its regions have in all

    @property
    def box(self) -> Box | None: ...  # their bounds (None: no regions)


S = TypeVar("S", bound=Shape)


def gap(a: Box, b: Box) -> float:
    """The squared distance between two boxes (0 when they touch or overlap)."""
    dx = max(0.0, b[0] - a[2], a[0] - b[2])
    dy = max(0.0, b[1] - a[3], a[1] - b[3])
    return dx * dx + dy * dy


def faint_around(own: Shape, others: Sequence[S], budget: int = FAINT_NEAR) -> list[S]:
    """Of ``others`` (in their order), those a focus image of ``own`` draws faintly:
    all of them while their points in all are at most ``budget``; else the nearest
    (by :func:`gap` of their boxes; of equal gaps, the first), while their points fit
    in ``budget``."""
    if sum(shape.points for shape in others) <= budget:
        return list(others)
    mine = own.box
    gaps = [math.inf if mine is None or shape.box is None else gap(mine, shape.box)
            for shape in others]
    chosen = []
    left = budget
    for i in sorted(range(len(others)), key=gaps.__getitem__):
        if others[i].points > left:
            break
        left -= others[i].points
        chosen.append(i)
    return [others[i] for i in sorted(chosen)]
