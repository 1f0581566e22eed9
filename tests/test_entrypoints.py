"""Formats found through entry points, named in any case, told when unknown."""

from __future__ import annotations

import pytest

from converter import entrypoints


def test_own_formats_are_registered() -> None:
    names = entrypoints.format_names()
    for name in ("markdown", "json", "jsonl"):
        assert name in names
        assert entrypoints.get_format(name).lossless


def test_a_name_no_format_has_is_told_the_formats_that_do_what_was_asked() -> None:
    """A name to read suggested and listed html, which only writes."""
    assert entrypoints.unknown_format("htm", writing=True) == (
        "unknown format 'htm' (did you mean html?); the formats that can be written are "
        "anki, csv, html, json, jsonl, markdown, sqlite, svg")
    assert entrypoints.unknown_format("HTM", writing=False) == (
        "unknown format 'HTM'; the formats that can be read are anki, csv, json, jsonl, "
        "markdown, sqlite, svg")


def test_a_format_named_by_something_not_text_is_a_type_error() -> None:
    import converter

    with pytest.raises(TypeError, match="a format is named by a str, not int"):
        converter.read("samples", 123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a format is named by a str, not list"):
        converter.read("samples", ["json"])  # type: ignore[arg-type]  (was: unhashable)
