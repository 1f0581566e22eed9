"""Loading untrusted JSON: nesting deeper than Python's parser goes."""

from __future__ import annotations

import json
import os

import pytest

from converter.safety import SHALLOW_LEVELS, BadJson, beside_output, load_json, shallow


def depth(value: object) -> int:
    """How many lists deep ``value`` is (each list holding at most one)."""
    levels = 0
    while isinstance(value, list):
        levels += 1
        value = value[0] if value else None
    return levels


def test_a_text_too_deep_for_the_parser_is_read_shallow_every_place_kept() -> None:
    text = '{"a": ' + "[\n" * 5000 + '"[{"' + "]\n" * 5000 + ', "b": x}'
    shallower = shallow(text)
    assert shallower is not None and len(shallower) == len(text)
    assert [i for i, c in enumerate(shallower) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"]
    with pytest.raises(BadJson) as caught:  # (the mistake after it, at its own place)
        load_json(text, read_deep=True)
    assert (caught.value.line, caught.value.column) == (10001, 8)
    assert text.splitlines()[10000][7] == "x"


def test_load_json_reads_deep_text_shallow_only_when_asked() -> None:
    text = "[" * 5000 + "]" * 5000
    with pytest.raises(BadJson, match="nested too deeply"):
        load_json(text)
    assert depth(load_json(text, read_deep=True)) == SHALLOW_LEVELS + 1  # (the deepest, emptied)


@pytest.mark.parametrize("text", [
    '{"muscles":' + "[" * 5000,
    '{"muscles":\n' + "[\n" * 5000 + "1, 2",
    '{"a": ' + "[" * 5000 + "]" * 5000 + ', "b": [[[\n'])
def test_a_deep_text_cut_short_is_said_where_it_ends(text: str) -> None:
    """One cut short was "nested too deeply" at no line, shallow() finding no end to
    its value; it is now what json says of a shallow text cut short ('{"muscles":[[['
    is "Expecting value" at 1:15): where the text ends."""
    with pytest.raises(BadJson) as caught:
        load_json('{"muscles":[[[', read_deep=True)
    assert (str(caught.value), caught.value.line, caught.value.column) == (
        "Expecting value", 1, 15)
    with pytest.raises(BadJson) as caught:
        load_json(text, read_deep=True)
    lines = text.split("\n")
    assert (str(caught.value), caught.value.line, caught.value.column) == (
        "Expecting value", len(lines), len(lines[-1]) + 1)
    assert shallow(text) is None


def test_brackets_in_texts_are_no_nesting() -> None:
    text = "[" * 100 + '"]]]]"' + "]" * 100
    assert depth(json.loads(shallow(text))) == SHALLOW_LEVELS + 1  # (the deepest, emptied)


def test_the_value_at_start_is_read_shallow_the_text_before_it_kept() -> None:
    text = '{"a": 1, "b": ' + "[" * 100 + "]" * 100 + "}"
    shallower = shallow(text, text.index("["))
    assert shallower is not None and shallower.startswith('{"a": 1, "b": [')
    assert depth(json.loads(shallower)["b"]) == SHALLOW_LEVELS + 1  # (the deepest, emptied)


def test_a_value_cut_short_is_none() -> None:
    assert shallow("[" * 100 + "]" * 99) is None


def test_text_that_is_not_that_deep_is_itself() -> None:
    text = "[" * SHALLOW_LEVELS + "]" * SHALLOW_LEVELS
    assert shallow(text) is text


def test_a_link_beside_the_output_names_its_path_without_query_or_fragment() -> None:
    assert beside_output("site/map", "../body.png?v=2") == "site/body.png"
    assert beside_output("site/map", "../body.png#top") == "site/body.png"
    for url in ("https://example.org/body.png", "//cdn/body.png", "/srv/body.png",
                "http://[x"):
        assert beside_output("site/map", url) is None


def test_a_link_beside_the_output_is_percent_decoded_as_a_browser_opens_it() -> None:
    """``body%20v2.png`` names the file ``body v2.png`` (it was looked for, and watched,
    as ``body%20v2.png``); an encoded byte that is no UTF-8 names that byte."""
    assert beside_output("site/map", "../body%20v2.png?v=2") == "site/body v2.png"
    assert beside_output("site/map", "b%C3%B8dy%2Epng") == "site/map/bødy.png"
    assert beside_output("site/map", "%2e%2e/%2Fbody.png") == "site/body.png"
    assert os.fsencode(beside_output("site/map", "b%E6dy.png")) == b"site/map/b\xe6dy.png"
