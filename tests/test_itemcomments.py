"""Comments ruamel.yaml's reader holds apart from the list item whose line they are on."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from converter.itemcomments import onto_empty_items


def _load(text: str) -> Any:
    return YAML(typ="rt").load(text)


def _comment_at_end_of_line(seq: Any, index: int) -> str | None:
    slot = seq.ca.items.get(index)
    return slot[0].value if slot is not None and slot[0] is not None else None


@pytest.mark.parametrize("text", ["k:\n  - # note\n", "k:\n  - a\n  - # note\n  - b\n",
                                  "x:\n  k:\n    - - # note\n      - c\n"])
def test_an_empty_item_gets_the_comment_on_its_line(text: str) -> None:
    data = _load(text)
    seq = data["k"] if "k" in data else data["x"]["k"][0]
    index = 1 if "- a" in text else 0
    assert _comment_at_end_of_line(seq, index) is None  # (ruamel holds it elsewhere)
    onto_empty_items(data)
    assert _comment_at_end_of_line(seq, index) == "# note\n"
    assert not seq.ca.end and not any(slot[1] for slot in seq.ca.items.values())


def test_the_header_comment_of_the_next_item_s_block_text_stays() -> None:
    data = _load("k:\n  - # note\n  - | # c\n    a\n    b\n")
    onto_empty_items(data)
    assert _comment_at_end_of_line(data["k"], 0) == "# note\n"
    assert data["k"].ca.items[1][1] == [" # c"]


@pytest.mark.parametrize("text", ["k:\n  -   # note\n  -\n  - c\n",
                                  "k:\n  -   # note\n  -\n"])
def test_the_comment_goes_back_past_the_empty_items_after_it(text: str) -> None:
    data = _load(text)
    onto_empty_items(data)
    assert _comment_at_end_of_line(data["k"], 0) == "# note\n"
    assert _comment_at_end_of_line(data["k"], 1) is None
    assert not data["k"].ca.end and not any(slot[1] for slot in data["k"].ca.items.values())


def test_the_lines_below_stay_where_they_are() -> None:
    data = _load("k:\n  - # note\n  # more\n  - b\n")
    onto_empty_items(data)
    assert _comment_at_end_of_line(data["k"], 0) == "# note\n"
    assert [token.value for token in data["k"].ca.items[1][1]] == ["# more\n"]


@pytest.mark.parametrize("text", ["k:\n  - a # note\n  - b\n", "k:\n  -\n  # note\n  - b\n",
                                  "k: [a, b]  # note\n", "k:\n  -\n  - | # c\n    a\n    b\n"])
def test_other_comments_are_left_as_they_are(text: str) -> None:
    data = _load(text)
    before = repr(data["k"].ca)
    onto_empty_items(data)
    assert repr(data["k"].ca) == before
