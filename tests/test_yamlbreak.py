"""Where the reading of a YAML text that does not load breaks off."""

from __future__ import annotations

import pytest
import yaml

from converter.safety import MAX_DEPTH
from converter.yamlbreak import broken_field, ended_field, field_at, too_deep_at


@pytest.mark.parametrize("text, field", [
    ("title: x\n1: x\nfoo: [\n", "foo"),
    ("origin:\n  da: \"x\n", "origin.da"),
    ("a: [1, 2]\nb: {c: \"x\n", "b.c"),
    ("a:\n  - x\n  - b:\n      c: [\n", "a[1].b.c"),
    ("a: 1\nb: 2\n: 3\n", ""),
    ("- [\n", "[0]"),
    ("%YAML 1.1\n", ""),
])
def test_the_field_a_broken_text_breaks_off_in(text: str, field: str) -> None:
    assert broken_field(text) == field


@pytest.mark.parametrize("text, field", [
    ("title: Soleus:\n", "title"),
    ("x: 1\ntitle: Soleus: the calf\nlatin: y\n", "title"),
    ("origin:\n  en: calf:\n", "origin.en"),
    ("a:\n  - x\n  - b: c: d\n", "a[1].b"),
    ("a: {b: c: d}\n", "a.b"),
    ("a:\n  b: 1\n  c: [\n", ""),  # (in a list)
    ("a: [x: y: z]\n", ""),
    ("? [a, b]: c: d\n", ""),  # (a list as its key)
])
def test_the_field_of_the_value_read_last_where_a_text_breaks_off(text: str,
                                                                  field: str) -> None:
    """A colon that ends a plain value, or one inside it, breaks off after the value."""
    assert ended_field(text) == field


def test_a_value_read_last_deeper_than_the_limit_names_no_field() -> None:
    assert ended_field("a:\n" + "- " * (MAX_DEPTH - 1) + "k: v: w\n") == ""
    assert ended_field("a:\n" + "- " * (MAX_DEPTH - 2) + "k: v: w\n") == \
        "a" + "[0]" * (MAX_DEPTH - 2) + ".k"


def test_a_text_broken_deeper_than_the_limit_names_no_field() -> None:
    assert broken_field("a: " + "[" * MAX_DEPTH + "\n") == ""
    assert broken_field("a: " + "[" * (MAX_DEPTH - 1) + "\n") == "a" + "[0]" * (MAX_DEPTH - 2)


def test_a_list_or_map_as_a_key_names_no_key() -> None:
    assert broken_field("x:\n  ? [a]\n  : [\n") == "x"


@pytest.mark.parametrize("text, event, field", [
    ("title: T\norigin: &o\n  da: x\n", "&o", "origin"),
    ("lol: [ha]\nmore: [x, *lol]\n", "*lol", "more[1]"),
    ("origin:\n  da: *x\n", "*x", "origin.da"),
    ("x:\n  - &a k: v\n", "&a", "x[0]"),  # (a key: the map it is in)
    ("title: T\n? &a\n: v\n", "&a", ""),
])
def test_the_field_a_parse_event_starts(text: str, event: str, field: str) -> None:
    at = text.index(event)
    nth = next(count for count, found in enumerate(yaml.parse(text))
               if isinstance(found, yaml.NodeEvent) and found.start_mark.index == at
               and (found.anchor or isinstance(found, yaml.AliasEvent)))
    assert field_at(text, nth) == field


def test_an_event_past_a_broken_text_names_no_field() -> None:
    assert field_at("a: [\n", 99) == ""


@pytest.mark.parametrize("text, at", [
    ("a:\n" + "- " * MAX_DEPTH + "z\n", 3 + 2 * (MAX_DEPTH - 1)),
    ("a: " + "[" * 2_000 + "]" * 2_000 + "\n", 3 + MAX_DEPTH - 1),
    ("a: ['[', \"{\", # [[\n  " + "{b: " * 2_000 + "}" * 2_000 + "]\n",
     21 + 4 * (MAX_DEPTH - 2)),
])
def test_where_a_text_goes_too_deep(text: str, at: int) -> None:
    """The list or map at level 33, the root map level 1: by libyaml's events, or past
    them by brackets outside quotes and comments (libyaml holds back a [ list or a { map
    until it knows it is no key, and stops some 1,000 levels down)."""
    assert too_deep_at(text) == at


def test_a_text_as_deep_as_the_limit_is_not_too_deep() -> None:
    assert too_deep_at("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is None
