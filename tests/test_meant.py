"""The name a mistyped one may be meant as (converter/meant.py)."""

from __future__ import annotations

import pytest

from converter import meant
from converter.meant import near

NAMES = ("slug", "title", "latin", "origin", "insertion", "functions", "to", "jobs")


@pytest.mark.parametrize("name, meant", [
    ("Title", "title"), ("LATIN", "latin"), ("origins", "origin"), ("function", "functions"),
    ("jbos", "jobs"), ("TO", "to"), ("colour", None), ("o", None), ("too", None),
    ("x" * 10_000, None)])
def test_a_name_is_meant_as_the_one_it_differs_from_in_case_or_a_letter_or_two(
        name: str, meant: str | None) -> None:
    """A name differing in case alone is meant at any length; a short one is meant as
    no other ("o" is not "to"), a longer one as the closest near enough."""
    assert near(name, NAMES) == meant


def test_the_hint_says_the_name_meant_or_what_it_is_told_to() -> None:
    assert meant.hint("Title", ["title", "latin"]) == "; did you mean title?"
    assert meant.hint("notes", ["title", "latin"]) == ""
    assert meant.hint("notes", ["title"], " (yours go in extra)") == " (yours go in extra)"
