"""HTML image-map polygon ``coords`` strings <-> exact points."""

from __future__ import annotations

import re
from decimal import Decimal

from .model import Number, Point

_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_POLYGON = re.compile(r"\s*[0-9]+(?:\.[0-9]+)?\s*(?:,\s*[0-9]+(?:\.[0-9]+)?\s*)*")
#: Longer numbers are refused: no diagram needs them, and huge ones make every later
#: computation (and Python's int parsing, limited to 4300 digits) slow or fail.
MAX_DIGITS = 1000
#: How much of a value that is no number a diagnostic shows (a whole file's worth, with
#: no comma in it, would flood the terminal).
SHOWN = 60


class CoordsProblem(ValueError):
    """A coords string that is not a polygon; ``code`` is the diagnostic code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_number(text: str) -> Number:
    """``"12"`` -> ``12``, ``"12.50"`` -> ``Decimal("12.50")`` (kept exactly as written);
    a negative number is a ``Decimal``, so that ``-0`` keeps its sign, and so is one
    too long for ``int`` (for the caller to refuse)."""
    if "." in text or text.startswith("-") or len(text) > MAX_DIGITS:
        return Decimal(text)
    return int(text)


def is_plain_number(text: str) -> bool:
    """Whether ``text`` is a number as a coordinate is written (maybe ``-``, digits, maybe
    a point and digits; no exponent, no space), of any length."""
    return _NUMBER.fullmatch(text) is not None


def check_number(value: str) -> None:
    """Raise :class:`CoordsProblem` unless ``value`` is one coordinate as text: a plain
    number (no sign but ``-``, no exponent, no space), of at most :data:`MAX_DIGITS`
    characters, not negative."""
    if not is_plain_number(value):
        shown = value if len(value) <= SHOWN else f"{value[:SHOWN]}..."
        raise CoordsProblem("coords-not-number", f"{shown!r} is not a plain number")
    if len(value) > MAX_DIGITS:
        raise CoordsProblem("coords-not-number", f"{value[:12]}... has more than "
                            f"{MAX_DIGITS} digits")
    if value.startswith("-"):
        raise CoordsProblem("coords-negative", f"negative coordinate {value}")


def parse_coords(text: str) -> tuple[Point, ...]:
    """Parse ``"x1,y1,x2,y2,..."``; at least 3 points of non-negative plain numbers."""
    if len(text) <= MAX_DIGITS and _POLYGON.fullmatch(text):  # the common case, at once
        values = text.split(",")
        if len(values) % 2 == 0 and len(values) >= 6:
            numbers = [Decimal(v) if "." in v else int(v) for v in values]
            return tuple(zip(numbers[0::2], numbers[1::2], strict=True))
    values = [v.strip() for v in text.split(",")]
    if values == [""]:
        raise CoordsProblem("coords-empty", "empty polygon")
    for value in values:
        check_number(value)
    if len(values) % 2:
        raise CoordsProblem("coords-odd", f"odd number of values ({len(values)})")
    if len(values) < 6:
        raise CoordsProblem("coords-too-few", f"a polygon needs at least 3 points, "
                            f"got {len(values) // 2}")
    numbers = [parse_number(v) for v in values]
    return tuple(zip(numbers[0::2], numbers[1::2], strict=True))

