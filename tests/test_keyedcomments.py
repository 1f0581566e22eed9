"""Comment lines that go with their keys: ruamel.yaml's comment tokens moved by hand."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from converter.keyedcomments import (
    attach_end,
    attach_tail,
    cut_reshaped,
    detach,
    lift,
    off_block,
    reordered,
    trim_end,
    trim_start,
)


def _load(text: str) -> Any:
    return YAML(typ="rt").load(text)


def _dump(data: Any) -> str:
    stream = io.StringIO()
    YAML(typ="rt").dump(data, stream)
    return stream.getvalue()


def test_only_a_block_map_with_keys_in_another_order_is_reordered() -> None:
    assert reordered(_load("b: 1\na: 2\n"), {"a": 2, "b": 1})
    assert not reordered(_load("a: 1\nc: 3\nb: 2\n"), {"a": 1, "b": 2})  # (c left out)
    assert not reordered(_load("x: {b: 1, a: 2}\n")["x"], {"a": 2, "b": 1})


def test_detach_gives_each_key_its_lines_and_returns_the_end() -> None:
    original = _load("# file\n\n# about b\nb: 1  # one\n\n# about a\na:\n  - x\n# end\n")
    end, tails = detach(original, {"a": 0, "b": 0}, None, document=True)
    assert end == ["# end"] and tails == {}
    assert original.ca.comment[1][0].value == "# file\n\n"
    assert original.ca.items["b"][1][0].value == "# about b\n"
    assert original.ca.items["b"][2].value == "# one\n"
    assert original.ca.items["a"][1][0].value == "# about a\n"  # (first: no blank)


def test_the_lines_of_a_key_left_out_go_to_the_next_key() -> None:
    original = _load("b: 1\n# about c\nc: 2\n# about a\na: 3\n")
    assert detach(original, {"a": 0, "b": 0}, None, document=True) == ([], {})
    assert original.ca.items["a"][1][0].value == "# about c\n# about a\n"


def test_a_nested_map_s_first_lines_come_from_its_key_in_the_parent() -> None:
    parent = _load("origin:  # texts\n  # English\n  en: e\n  da: d\n")
    original = parent["origin"]
    assert detach(original, {"da": 0, "en": 0}, parent.ca.items["origin"],
                  document=False) == ([], {})
    assert parent.ca.items["origin"][2].value == "# texts\n"
    assert original.ca.items["en"][1][0].value == "  # English\n"


def test_the_indented_lines_after_a_block_are_its_tail() -> None:
    """Comment lines after a block's last entry, indented past the map's keys, are the
    block's; from the first one at the keys' column on, the lines go with the key
    below."""
    original = _load("b:\n  c: 1\n\n  # in b\n    # deeper\n\n# about a\n  # also a\n"
                     "a: 2\nd:\n  - x\n  # in d\n")
    end, tails = detach(original, {"a": 0, "b": {"c": 1}, "d": ["x"]}, None,
                        document=True)
    assert tails == {"b": ["", "  # in b", "    # deeper"], "d": ["  # in d"]}
    assert end == []
    assert original.ca.items["a"][1][0].value == "# about a\n  # also a\n"


def test_a_tail_or_a_key_s_lines_after_a_block_text_keep_their_indentation() -> None:
    """ruamel holds a comment line after a ``|`` text without its indentation."""
    original = _load("b:\n  c: |\n    x\n  # in b\n# about a\na: 2\n")
    assert detach(original, {"a": 0, "b": {"c": "x\n"}}, None, document=True) == (
        [], {"b": ["  # in b"]})
    assert original.ca.items["a"][1][0].value == "# about a\n"
    parent = _load("m:\n  c: |\n    x\n  # about d\n  d: 1\n")
    detach(parent["m"], {"d": 1, "c": "x\n"}, parent.ca.items.get("m"), document=False)
    assert parent["m"].ca.items["d"][1][0].value == "  # about d\n"


@pytest.mark.parametrize("text", ["b: x  # eol\n  # in b\n# about a\na: 2\n",
                                  "b:\n  c:\n  # in b\n# about a\na: 2\n"])
def test_the_tail_of_a_text_fmt_writes_as_a_block_or_after_a_null_is_the_block_s(
        text: str) -> None:
    original = _load(text)
    assert detach(original, {"a": 0, "b": {"c": 1}}, None, document=True) == (
        [], {"b": ["  # in b"]})
    assert original.ca.items["a"][1][0].value == "# about a\n"


def test_a_tail_goes_with_the_next_key_where_the_block_is_not_one_in_canonical(
        ) -> None:
    original = _load("b:\n  c: 1\n  # in b\na: 2\n")
    assert detach(original, {"a": 0, "b": {}}, None, document=True) == ([], {})
    assert original.ca.items["a"][1][0].value == "  # in b\n"


def test_the_tail_of_a_block_written_as_a_text_has_no_place() -> None:
    """A function item's ``short`` map of one language, which fmt writes as its text:
    its tail went to the end of the item, after ``extended``."""
    original = _load("extended: E\nshort:\n  en: S\n  # de: to come\n")
    assert detach(original, {"short": "S", "extended": "E"}, None, document=True) == (
        [], {})
    item = _load("- extended: E\n  short:\n    en: S\n")
    canonical = CommentedSeq([CommentedMap([("short", "S"), ("extended", "E")])])
    attach_tail(item, canonical, ["    # de: to come", "  # the item's end"])
    assert _dump(canonical) == "- short: S\n  extended: E\n  # the item's end\n"


def test_attach_end_puts_lines_after_the_deepest_last_value() -> None:
    canonical = CommentedMap([("a", 1), ("b", CommentedMap([("c", 2)]))])
    attach_end(canonical, ["# end"])
    assert _dump(canonical) == "a: 1\nb:\n  c: 2\n# end\n"


def test_attach_tail_puts_the_lines_indented_into_an_inner_block_at_its_end() -> None:
    """A block's tail whose first lines are indented into the block of its last entry
    (``short``, which the canonical item puts first) ends that block; the lines from
    the first left of them on (a blank line between goes with them) end the item, and
    the list, wherever their entries went."""
    original = _load("f:\n- extended: g\n  short:\n    da: t\n    en: u\n")["f"]
    canonical = CommentedSeq([CommentedMap([
        ("short", CommentedMap([("da", "t"), ("en", "u")])), ("extended", "g")])])
    attach_tail(original, canonical, ["    # in short", "", "  # in the item", "# after"])
    assert _dump(CommentedMap([("f", canonical)])) == (
        "f:\n- short:\n    da: t\n    en: u\n    # in short\n  extended: g\n\n"
        "  # in the item\n# after\n")


def test_attach_tail_puts_each_line_by_its_indentation_after_one_left_of_it() -> None:
    """A line indented into ``short`` after one of the item's tail ends ``short`` (it
    went after ``extended``, where it read as ``extended``'s); where the inner block stays
    last, its end is the item's, and the lines keep the order written."""
    original = _load("f:\n- extended: g\n  short:\n    da: t\n")["f"]
    canonical = CommentedSeq([CommentedMap([
        ("short", CommentedMap([("da", "t")])), ("extended", "g")])])
    attach_tail(original, canonical, ["  # in the item", "", "    # in short", "# after"])
    assert _dump(CommentedMap([("f", canonical)])) == (
        "f:\n- short:\n    da: t\n\n    # in short\n  extended: g\n  # in the item\n"
        "# after\n")
    canonical = CommentedSeq([CommentedMap([
        ("extended", "g"), ("short", CommentedMap([("da", "t")]))])])
    attach_tail(original, canonical, ["  # in the item", "    # in short", "# after"])
    assert _dump(CommentedMap([("f", canonical)])) == (
        "f:\n- extended: g\n  short:\n    da: t\n  # in the item\n    # in short\n"
        "# after\n")


def test_the_last_entry_s_tail_runs_past_a_line_left_of_the_keys_to_the_one_below(
        ) -> None:
    """After a nested map's last entry, a block: a line indented into the block after
    one at the map's keys (the item's tail) is the block's; from the first line at
    the column of what follows the map (``below``: the next item's dash) on, the lines
    are above that. Where the block stays last, its tail takes all before those, in
    the order written."""
    text = ("f:\n  - e: g\n    s:\n      da: t\n    # in the item\n      # in s\n"
            "  # the next item\n      # reviewed\n  - s: u\n")
    item = _load(text)["f"][0]
    assert detach(item, {"s": {"da": "t"}, "e": "g"}, None, document=False, below=2) == (
        ["    # in the item", "  # the next item", "      # reviewed"],
        {"s": ["      # in s"]})
    item = _load(text)["f"][0]
    assert detach(item, {"e": "g", "s": {"da": "t"}}, None, document=False, below=2) == (
        ["  # the next item", "      # reviewed"],
        {"s": ["    # in the item", "      # in s"]})


def test_cut_reshaped_takes_the_lines_after_a_value_written_anew_as_a_block() -> None:
    original = _load("origin: The back.  # eol\n# next\nlatin: L\n# last\n")
    canonical = {"origin": {"en": "The back."}, "latin": "L"}
    assert cut_reshaped(original, canonical, "latin") == []  # (not a block)
    assert cut_reshaped(original, canonical, "origin") == ["# next"]
    assert original.ca.items["origin"][2].value == "# eol\n"
    assert cut_reshaped(_load("origin:\n  en: x\n# next\n"), {"origin": {"en": "x"}},
                        "origin") == []  # (a block already)


def test_the_key_put_first_takes_its_lines_without_leading_blank_ones() -> None:
    original = _load("b: 1  # one\n\n# about a\na: 2\n")
    assert detach(original, {"a": 0, "b": 0}, None, document=True) == ([], {})
    assert original.ca.items["a"][1][0].value == "# about a\n"
    parent = _load("x:\n  b: 1\n\n  c: 3\n\n  # about a\n  a: 2\n")
    detach(parent["x"], {"a": 0, "b": 0, "c": 0}, None, document=False)
    assert parent["x"].ca.items["a"][1][0].value == "  # about a\n"
    assert parent["x"].ca.items["c"][1][0].value == "\n"  # (not first: kept)


def test_trim_start_drops_the_blank_lines_that_would_open_the_document() -> None:
    document = _load("\n\n# file\n\ntitle: M  # t\n")
    trim_start(document)
    assert _dump(document) == "# file\n\ntitle: M  # t\n"
    first = CommentedMap([("title", "M")])  # (a key fmt put first, a line left above)
    first.ca.items["title"] = [None, [CommentToken("\n# t\n", CommentMark(0))], None,
                               None]
    trim_start(first)
    assert _dump(first) == "# t\ntitle: M\n"


@pytest.mark.parametrize("text, expected", [
    ("title: M  # t\n\n\n", "title: M  # t\n"),
    ("title: M\n\n# end\n\n", "title: M\n\n# end\n"),
    ("x:\n  y: 1  # y\n\n  # after\n\n", "x:\n  y: 1  # y\n\n  # after\n"),
    ("x:\n  y: |\n    a\n  # after\n", "x:\n  y: |\n    a\n  # after\n"),
])
def test_trim_end_drops_the_blank_lines_that_would_close_the_document(
        text: str, expected: str) -> None:
    document = _load(text)
    trim_end(document)
    assert _dump(document) == expected


def test_lift_puts_the_lines_above_an_item_s_first_key_above_its_dash() -> None:
    """As far left as the dash is of the item's keys (2 columns here, as written: the
    writer puts its dashes elsewhere): after the previous item, or after the comment
    above the list's first item."""
    original = _load("f:\n  # list\n  - b: 1\n    # about a\n    a: 2\n"
                     "  - b: 3\n    # a\n      # deeper\n    a: 4\n")
    canonical = CommentedSeq([CommentedMap([("a", 2), ("b", 1)]),
                              CommentedMap([("a", 4), ("b", 3)])])
    canonical.ca.comment = original["f"].ca.comment
    for at in range(2):
        detach(original["f"][at], canonical[at], None, document=False)
        canonical[at].ca.items.update(original["f"][at].ca.items)
        lift(original["f"], canonical, at, 2)
    assert _dump(CommentedMap([("f", canonical)])) == (
        "f:\n  # list\n  # about a\n- a: 2\n  b: 1\n  # a\n    # deeper\n- a: 4\n  b: 3\n")


def test_the_lines_after_a_block_text_written_on_its_line_start_below_it() -> None:
    """ruamel holds the lines after a ``|`` text without a line end before them: written
    after a text on its line, the first would end that line."""
    original = _load("k: |\n  one\n# c\nl: 1\n")
    slot = original.ca.items["k"]
    for was, value in (("one\n", "one\n"), (original["k"], original["k"]),
                       (original["k"], {"en": "one\n"})):
        assert off_block(slot, 2, was, value) is slot  # (as it is)
    canonical = CommentedMap([("k", "one\n"), ("l", 1)])
    canonical.ca.items["k"] = off_block(slot, 2, original["k"], "one\n")
    assert _dump(canonical) == 'k: "one\\n"\n# c\nl: 1\n'
    assert slot[2].value == "# c\n"  # (the file's, not changed)
