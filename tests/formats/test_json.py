"""JSON: one deterministic document, valid against the shipped schema, read back exactly."""

from __future__ import annotations

import codecs
import gc
import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import converter
from converter import canonical
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import ReadContext, get_format
from converter.safety import KeysTwice
from converter.schema import load_schema
from tests.conftest import SAMPLES, WAIT
from tests.strategies import corpora

VALIDATOR = jsonschema.Draft202012Validator(load_schema("muscle"))


def test_samples_round_trip_and_schema(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "muscles.json"
    converter.write(sample_muscles, out)
    VALIDATOR.validate(json.loads(out.read_text(encoding="utf-8")))
    assert converter.read(out) == sorted(sample_muscles, key=lambda m: m.slug)


@given(corpora())
def test_round_trip_generated(tmp_path_factory, corpus) -> None:
    out = tmp_path_factory.mktemp("json") / "m.json"
    converter.write(corpus, out, "json")
    VALIDATOR.validate(json.loads(out.read_text(encoding="utf-8")))
    assert converter.read(out) == corpus


def test_sorted_by_slug_with_danish_letters_unescaped(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "m.json"
    converter.write(list(reversed(sample_muscles)), out)
    text = out.read_text(encoding="utf-8")
    slugs = [m["slug"] for m in json.loads(text)["muscles"]]
    assert slugs == sorted(slugs)
    assert "æ" in text or "ø" in text
    assert "\\u00e6" not in text


def test_deterministic_bytes(tmp_path: Path, sample_muscles) -> None:
    converter.write(sample_muscles, tmp_path / "a.json")
    converter.write(list(reversed(sample_muscles)), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_decimal_text_preserved(tmp_path: Path) -> None:
    src = tmp_path / "m.md"
    src.write_text('---\ntitle: M\ncoords:\n  - "110.50,110,190.0,110,150,190.25"\n---\n',
                   encoding="utf-8")
    converter.write(converter.read(src), tmp_path / "m.json")
    assert "[110.50,110],[190.0,110],[150,190.25]" in (tmp_path / "m.json").read_text()


def test_bad_record_is_a_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    out.write_text('{"muscles": [{"slug": "a", "title": 5}]}', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    (d,) = caught.value.diagnostics
    assert (d.field, d.code) == ("muscles[0].title", "wrong-type")


@pytest.mark.parametrize("number", ["1.5", "-0", "7"])
def test_a_number_where_text_belongs_is_called_a_number(number: str, tmp_path: Path) -> None:
    _, problems = read_json(f'{{"muscles": [{{"slug": "a", "title": {number}}}]}}', tmp_path)
    assert [(d.field, d.message) for d in problems] == [
        ("muscles[0].title", "must be text, not a number")]


def test_broken_json_is_a_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    out.write_text('{"muscles": [', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert caught.value.diagnostics[0].code == "bad-json"


def test_a_deep_file_cut_short_is_said_where_it_ends_as_a_shallow_one(tmp_path: Path
                                                                      ) -> None:
    """A file nested deeper than json goes, cut short, was bad-json "nested too deeply"
    at no line; it is "Expecting value" where it ends, as a shallow one cut short is."""
    out = tmp_path / "m.json"
    for text in ('{"muscles":[[[', '{"muscles":' + "[" * 5000):
        out.write_text(text, encoding="utf-8")
        with pytest.raises(MuscleError) as caught:
            converter.read(out)
        assert [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics] == [
            (1, len(text) + 1, "bad-json", "is not valid JSON: Expecting value")]


def test_markdown_to_json_equals_via_markdown(tmp_path: Path) -> None:
    """samples -> markdown -> json equals samples -> json, byte for byte."""
    direct, via = tmp_path / "direct.json", tmp_path / "via.json"
    converter.write(converter.read(SAMPLES), direct)
    converter.write(converter.read(SAMPLES), tmp_path / "md", "markdown")
    converter.write(converter.read(tmp_path / "md"), via)
    assert direct.read_bytes() == via.read_bytes()


def read_json(text: str, tmp_path: Path) -> tuple[list[str], list[Diagnostic]]:
    """The slugs read from a JSON file of ``text``, and the diagnostics reported."""
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    problems: list[Diagnostic] = []
    found = get_format("json").read(path, ReadContext(report=problems.append))
    return [m.slug for m in found], problems


def two_muscles(**first: object) -> str:
    """A JSON document of muscle ``a`` (with ``first`` added) and a plain muscle ``b``."""
    return json.dumps({"muscles": [{"slug": "a", "title": "A", **first},
                                   {"slug": "b", "title": "B"}]})


def nested(levels: int) -> object:
    """Lists nested ``levels`` deep."""
    value: object = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("body", ["a\x00b", "a\ud800b"], ids=["NUL", "lone surrogate"])
def test_a_body_no_markdown_file_can_hold_is_refused(body: str, tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(body=body), tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [("muscles[0].body", "control-character")]


@pytest.mark.parametrize("extra, field", [
    ({"note": "x \ud800 y"}, "muscles[0].extra.note"),
    ({"list": ["ok", "\udfff"]}, "muscles[0].extra.list[1]"),
    ({"map": {"\udc80": 1}}, "muscles[0].extra.map.\udc80"),
], ids=["value", "in a list", "key"])
def test_a_lone_surrogate_in_extra_is_refused_before_any_writer_sees_it(
        extra: dict, field: str, tmp_path: Path) -> None:
    """UTF-8 writers could not encode it (a traceback), and Markdown wrote an escape
    that no YAML reader takes back."""
    slugs, problems = read_json(two_muscles(extra=extra), tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [(field, "control-character")]


def test_a_coordinate_that_is_not_a_number_is_shown_as_written(tmp_path: Path) -> None:
    """It was shown as '?', then as its JSON quoted again ('"12"')."""
    _, problems = read_json(two_muscles(regions=[[["12", 218], [1, 2], [3, 4]]]), tmp_path)
    assert [(d.field, d.code, d.message) for d in problems] == [
        ("muscles[0].regions[0].points[0].x", "coords-not-number",
         "'12' is text, not a number")]


#: A document whose muscle ``a`` has a second region with ``VALUE`` for a point's y.
_BAD_POINT = """\
{"muscles": [
  {"slug": "a", "title": "A", "regions": [[[10, 10], [90, 10], [50, 90]],
    [[10, 10], [90, VALUE], [50, 90]]]},
  {"slug": "b", "title": "B"}
]}
"""


@pytest.mark.parametrize(("value", "code", "message"), [
    ('" 4"', "coords-not-number", "' 4' is not a plain number"),
    ('"1,5"', "coords-not-number", "'1,5' is not a plain number"),
    ('"\\"x\\""', "coords-not-number", "'\"x\"' is not a plain number"),
    ('"-5"', "coords-not-number", "'-5' is text, not a number"),
    ("1e2", "coords-not-number", "1e2 is not a plain number"),
    ("-1.5E+1", "coords-not-number", "-1.5E+1 is not a plain number"),
    ("-5", "coords-negative", "negative coordinate -5"),
    ("-0", "coords-negative", "negative coordinate -0"),
    ("-12.50", "coords-negative", "negative coordinate -12.50"),
    ("true", "coords-not-number", "true is not a plain number"),
    ("false", "coords-not-number", "false is not a plain number"),
    ("null", "coords-not-number", "null is not a plain number"),
    ("-Infinity", "coords-not-number", "-Infinity is not a plain number"),
    ("NaN", "coords-not-number", "NaN is not a plain number"),
    ("[4, 5]", "coords-not-number", "a list is not a plain number"),
    ('{"y": 4}', "coords-not-number", "an object is not a plain number"),
    (f'"{"x" * 900}"', "coords-not-number", f"{'x' * 60 + '...'!r} is not a plain number"),
])
def test_a_coordinate_that_is_none_is_named_by_its_point_and_axis_and_shown_once(
        value: str, code: str, message: str, tmp_path: Path) -> None:
    """It was named by its region alone and shown as coords text: its JSON, quoted again
    ('" 4"'), a string and a number alike."""
    slugs, problems = read_json(_BAD_POINT.replace("VALUE", value), tmp_path)
    assert slugs == ["b"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (3, 21, "muscles[0].regions[1].points[1].y", code, message)]


def test_every_coordinate_that_is_none_is_one_error_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"muscles": [\n'
                    '  {"slug": "a", "title": "A",\n'
                    '   "regions": [[[3, " 4"], [1e2, -5], [true, 7]],\n'
                    '               [[1, 1], [9, 1], [null, 9]]]},\n'
                    '  {"slug": "b", "title": "B"}\n'
                    ']}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(path), "--to", "jsonl", "-o", "-"])
    assert result.exit_code == 1
    assert [row for row in result.output.splitlines() if ": error: " in row] == [
        f"{path}:3:21: error: muscles[0].regions[0].points[0].y: ' 4' is not a plain "
        "number [coords-not-number]",
        f"{path}:3:29: error: muscles[0].regions[0].points[1].x: 1e2 is not a plain "
        "number [coords-not-number]",
        f"{path}:3:34: error: muscles[0].regions[0].points[1].y: negative coordinate -5 "
        "[coords-negative]",
        f"{path}:3:40: error: muscles[0].regions[0].points[2].x: true is not a plain "
        "number [coords-not-number]",
        f"{path}:4:34: error: muscles[0].regions[1].points[2].x: null is not a plain "
        "number [coords-not-number]"]
    assert '{"slug":"b"' in result.output


def test_other_control_characters_in_a_body_survive_markdown(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(two_muscles(body="\x01\x1b\x7f\x85\tend\n"),
                                     encoding="utf-8")
    muscles = converter.read(tmp_path / "m.json")
    converter.write(muscles, tmp_path / "md", "markdown")
    assert converter.read(tmp_path / "md") == muscles


def test_extra_nested_as_deep_as_markdown_allows_round_trips(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(two_muscles(extra={"x": nested(31)}), encoding="utf-8")
    muscles = converter.read(tmp_path / "m.json")
    converter.write(muscles, tmp_path / "md", "markdown")
    assert converter.read(tmp_path / "md") == muscles


@pytest.mark.parametrize("levels", [32, 200, 900])
def test_extra_nested_deeper_than_markdown_allows_is_one_diagnostic(
        levels: int, tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(extra={"x": nested(levels)}), tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [("muscles[0].extra.x", "too-deep")]
    assert "32 levels" in problems[0].message
    md = tmp_path / "x.md"
    md.write_text("---\ntitle: X\nx: " + json.dumps(nested(32)) + "\n---\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(md)
    assert [d.code for d in caught.value.diagnostics] == ["yaml-too-deep"]


def test_extra_nested_deeper_than_json_parses_is_placed_past_a_chunk(
        tmp_path: Path) -> None:
    """Past some 990 levels, json ran out of stack: a bad-json "nested too deeply" error
    of the whole file, at no line; it is the too-deep error at the key's value, in a
    record read in two chunks and nested over many lines as in one."""
    records = [json.dumps({"slug": f"m{i:04d}", "title": "M", "latin": "x" * 100})
               for i in range(700)]  # (past the first 64 KiB)
    records.append('{"slug": "deep", "title": "D", "extra": {"k":\n' + "[\n" * 2000
                   + "]\n" * 2000 + "}}")
    slugs, problems = read_json('{"muscles": [\n' + ",\n".join(records) + "\n]}\n",
                                tmp_path)
    assert len(slugs) == 700
    [found] = problems
    assert (found.line, found.column, found.field, found.code) == (
        703, 1, "muscles[700].extra.k", "too-deep")


def test_an_extra_key_named_like_a_field_is_refused_not_taken_for_it(tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(extra={"title": "Not the title", "n": 1}),
                                tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [("muscles[0].extra.title", "reserved-key")]
    assert "'title'" in problems[0].message


def test_each_extra_key_named_like_a_field_is_one_error_at_that_key(tmp_path: Path) -> None:
    """It was one error for them all, naming ``extra``, that hid the others (``<<``)."""
    text = ('{"muscles": [{"slug": "a", "title": "A", "extra": {"ok": 1,\n'
            '  "latin": "x",\n  "<<": 1,\n  "slug": "b"}}]}')
    slugs, problems = read_json(text, tmp_path)
    assert slugs == []
    assert sorted((d.line, d.field, d.code) for d in problems) == [
        (2, "muscles[0].extra.latin", "reserved-key"), (3, "muscles[0].extra.<<", "reserved-key"),
        (4, "muscles[0].extra.slug", "reserved-key")]
    assert problems[0].message == "'latin' is the name of a field, not extra data"


def test_a_field_beside_an_extra_key_of_its_name_is_named_as_the_field(tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(title=" ", extra={"title": "T"}), tmp_path)
    assert slugs == ["b"]
    assert sorted((d.field, d.code) for d in problems) == [
        ("muscles[0].extra.title", "reserved-key"), ("muscles[0].title", "empty-field")]


def test_problems_in_extra_name_its_key_under_extra(tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(extra={"n": float("inf"), "m": {"k": [1]}}),
                                tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [("muscles[0].extra.n", "wrong-type")]


def test_a_slug_over_200_characters_is_one_diagnostic(tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(slug="a" * 201), tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [("muscles[0].slug", "slug-too-long")]


@pytest.mark.parametrize("to", ["markdown", "svg"])
def test_a_200_character_slug_fits_in_file_names(to: str, tmp_path: Path) -> None:
    slug = "-".join(["abcdefghi"] * 20)[:200]
    (tmp_path / "m.json").write_text(json.dumps({"muscles": [{
        "slug": slug, "title": "A", "regions": [[[10, 10], [90, 10], [50, 90]]]}]}),
        encoding="utf-8")
    converter.write(converter.read(tmp_path / "m.json"), tmp_path / "out", to)
    assert any(path.name.startswith(slug) for path in (tmp_path / "out").iterdir())


BAD_RECORDS = """\
{"muscles": [
  {"slug": "a", "title": "A"},
  {"slug": "b",
   "title": 5,
   "exercises": ["Squat", ["not text"]]},
  {"slug": "c", "title": "C", "regions": [[[10, 10], [90, 10], [50, 90]],
                                          [[1, 2]]]},
  {"slug": "d", "title": "D", "extra": {"x.y": 1, "x": {"y": {"z": Infinity}}}},
  {"slug": "e"},
  {"slug": "Not A Slug", "title": "F"}
]}
"""


def test_field_problems_name_the_line_and_column_of_the_field(tmp_path: Path) -> None:
    slugs, problems = read_json(BAD_RECORDS, tmp_path)
    assert slugs == ["a"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (4, 13, "muscles[1].title", "wrong-type"),
        (5, 27, "muscles[1].exercises[1]", "wrong-type"),
        (7, 43, "muscles[2].regions[1]", "coords-too-few"),
        (8, 68, "muscles[3].extra.x.y.z", "wrong-type"),
        (9, 3, "muscles[4].title", "missing-field"),
        (10, 12, "muscles[5].slug", "bad-slug")]
    assert str(problems[0]).startswith(f"{tmp_path / 'm.json'}:4:13: error: muscles[1].title:")


def test_a_record_problem_in_a_document_of_one_line_names_its_column(tmp_path: Path) -> None:
    _, problems = read_json(two_muscles(title=["A"]), tmp_path)
    text = two_muscles(title=["A"])
    assert [(d.line, d.column) for d in problems] == [(1, text.index('["A"]') + 1)]


_ANY = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
_RECORD = st.dictionaries(st.sampled_from(["slug", "title", "latin", "origin", "functions",
                                           "exercises", "image", "regions", "extra", "x"]),
                          _ANY, max_size=5)


@given(st.lists(_RECORD, max_size=4), st.sampled_from([None, 1]))
def test_every_problem_of_any_record_names_a_line_and_column(
        tmp_path_factory, records: list[dict], indent: int | None) -> None:
    text = json.dumps({"muscles": [{"slug": "a", "title": "A", **r} for r in records]},
                      indent=indent)
    _, problems = read_json(text, tmp_path_factory.mktemp("any"))
    lines = text.split("\n")
    for d in problems:
        assert d.line is not None and d.column is not None, d
        assert 1 <= d.column <= len(lines[d.line - 1]), d


def test_a_key_given_twice_is_an_error_at_its_place_not_a_silent_choice(
        tmp_path: Path) -> None:
    text = ('{"muscles": [\n{"slug": "a", "title": "A", "title": "B",\n'
            ' "origin": {"da": "x", "da": "y"}, "functions": [{"short": "s", "short": "t"}],\n'
            ' "extra": {"k": 1, "k": 2, "m": {"n": 1, "n": 2}}},\n'
            '{"slug": "b", "title": "B"}]}')
    slugs, problems = read_json(text, tmp_path)
    assert slugs == ["b"]
    assert [(d.line, d.field, d.code, d.message) for d in problems] == [
        (2, "muscles[0].title", "duplicate-key", "duplicate key 'title'"),
        (4, "muscles[0].extra.k", "duplicate-key", "duplicate key 'k'"),
        (3, "muscles[0].origin.da", "duplicate-key", "duplicate key 'da'"),
        (3, "muscles[0].functions[0].short", "duplicate-key", "duplicate key 'short'"),
        (4, "muscles[0].extra.m.n", "duplicate-key", "duplicate key 'n'")]


def test_an_unknown_key_does_not_hide_the_records_other_problems(tmp_path: Path) -> None:
    slugs, problems = read_json(two_muscles(colour="red", title=5), tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code) for d in problems] == [
        ("muscles[0].colour", "unknown-key"), ("muscles[0].title", "wrong-type")]


def test_each_unknown_key_of_a_record_is_an_error_at_that_key(tmp_path: Path) -> None:
    """The record's unknown keys were one error at its opening brace, listed sorted,
    with no hint: each is one at its opening quote, in the record's order, with the
    key it may be a typo of (as a config file's unknown key has), read in one pass or
    whole."""
    import formats.json as json_format

    text = json.dumps({"muscles": [{"slug": "a", "title": "A", "Title": "y",
                                    "origins": {"en": "o"}, "colour": "red"}]}, indent=2)
    lines = text.splitlines()
    slugs, problems = read_json(text, tmp_path)
    assert slugs == []
    unknown = "in a canonical record"
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (6, 7, "muscles[0].Title", "unknown-key",
         f"unknown key 'Title' {unknown}; did you mean title?"),
        (7, 7, "muscles[0].origins", "unknown-key",
         f"unknown key 'origins' {unknown}; did you mean origin?"),
        (10, 7, "muscles[0].colour", "unknown-key",
         f"unknown key 'colour' {unknown} (data of your own goes in \"extra\")")]
    assert [lines[d.line - 1][d.column - 1:].split(":")[0] for d in problems] == [
        '"Title"', '"origins"', '"colour"']
    whole = _said(lambda report: json_format._read_whole(tmp_path / "m.json",
                                                         ReadContext(report=report)))
    assert whole == problems


@pytest.mark.parametrize("number", ["1e2", "1.5E1", "1e999999999999"])
def test_a_coordinate_with_an_exponent_is_refused_as_written_as_in_every_format(
        number: str, tmp_path: Path) -> None:
    """It was read as 100 (every other format refuses '1e2'); a huge exponent was
    expanded into memory (MemoryError)."""
    slugs, problems = read_json(two_muscles().replace(
        '"title": "A"', f'"title": "A", "regions": [[[{number}, 10], [50, 10], [50, 50]]]'),
        tmp_path)
    assert slugs == ["b"]
    assert [(d.field, d.code, d.message) for d in problems] == [
        ("muscles[0].regions[0].points[0].x", "coords-not-number",
         f"{number} is not a plain number")]


def test_an_exponent_in_extra_is_still_a_number(tmp_path: Path) -> None:
    (muscle, _), problems = read_json(two_muscles().replace(
        '"title": "A"', '"title": "A", "extra": {"n": 1e2}'), tmp_path)
    assert problems == [] and muscle == "a"
    assert converter.read(tmp_path / "m.json")[0].extra["n"] == 100.0


def test_an_integer_too_long_for_python_is_one_field_problem_not_a_lost_file(
        tmp_path: Path) -> None:
    """Over 4300 digits the whole file failed as bad-json, with no line."""
    long = "1" * 5000
    text = two_muscles().replace(
        '"title": "A"', f'"title": "A", "regions": [[[{long}, 10], [50, 10], [50, 50]]]')
    slugs, problems = read_json(text, tmp_path)
    assert slugs == ["b"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, text.index("[[[") + 4, "muscles[0].regions[0].points[0].x", "coords-not-number",
         "111111111111... has more than 1000 digits")]


@pytest.mark.parametrize("value", ["false", '""', "0", "{}"])
def test_regions_or_extra_of_the_wrong_type_are_refused_even_when_empty(
        value: str, tmp_path: Path) -> None:
    """``record.get(...) or []`` took false, "", 0 and {} for "no regions"."""
    for key in ("regions", "extra"):
        if key == "extra" and value == "{}":
            continue
        slugs, problems = read_json(two_muscles().replace(
            '"title": "A"', f'"title": "A", "{key}": {value}'), tmp_path)
        assert slugs == ["b"]
        assert [(d.field, d.code) for d in problems] == [(f"muscles[0].{key}", "wrong-type")]


def test_a_document_that_gives_muscles_twice_is_refused_whole(tmp_path: Path) -> None:
    """The first list was dropped without a word."""
    path = tmp_path / "m.json"
    path.write_text('{"muscles": [{"slug": "a", "title": "A"}],\n'
                    ' "muscles": [{"slug": "b", "title": "B"}]}', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (2, 2, "muscles", "duplicate-key")]


@pytest.mark.parametrize("key", ["", ".x", "a.b", "muscles"])
def test_a_key_of_the_document_given_twice_is_placed_at_the_last(key: str,
                                                                 tmp_path: Path) -> None:
    """At the last key's opening quote, as a record's key given twice is: it was at its
    value, and a key that reads as a path (``.x``, ``""``) at the document's start."""
    path = tmp_path / "m.json"
    text = '{"muscles": [],\n "muscles":\n []}' if key == "muscles" \
        else f'{{"{key}": 1,\n "muscles": [], "{key}":\n 2}}'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    last = text.splitlines()[1]
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (2, last.rindex(f'"{key}"') + 1, key, "duplicate-key")]


def test_a_key_of_the_document_but_muscles_and_schema_is_an_error_at_its_line(
        tmp_path: Path) -> None:
    """A mistyped key of the document ("meta", "muscle") and its data were dropped
    without a word, and so was a "$schema" of 5 (the schema refuses both); the muscles
    are still read. An unknown key is placed at that key (it was at its value), read
    in one pass or whole."""
    import formats.json as json_format

    text = ('{"$schema": 5,\n "muscles": [{"slug": "a", "title": "A"}],\n "meta": {"v": 1},'
            ' "a.b": 2}')
    slugs, problems = read_json(text, tmp_path)
    assert slugs == ["a"]
    unknown = 'in a JSON document of muscles (it holds "$schema" and "muscles")'
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, 13, "$schema", "wrong-type", "must be text (the address of the schema)"),
        (3, 2, "meta", "unknown-key", f"unknown key 'meta' {unknown}"),
        (3, 20, "a.b", "unknown-key", f"unknown key 'a.b' {unknown}")]
    whole = _said(lambda report: json_format._read_whole(tmp_path / "m.json",
                                                         ReadContext(report=report)))
    assert whole == problems
    with pytest.raises(MuscleError):
        converter.read(tmp_path / "m.json")


@pytest.mark.parametrize("key, meant", [("muscle", "muscles"), ("Muscles", "muscles"),
                                        ("$schem", "$schema"), ("schema", "$schema")])
def test_a_mistyped_key_of_the_document_says_the_key_it_may_be(tmp_path: Path, key: str,
                                                                meant: str) -> None:
    """A record's mistyped key says the one it may be ("did you mean title?"); the
    document's own did not ("muscle" beside "muscles"): it does now, read in one pass or
    whole, by the same helper."""
    import formats.json as json_format

    text = f'{{"muscles": [{{"slug": "a", "title": "A"}}],\n "{key}": []}}\n'
    slugs, problems = read_json(text, tmp_path)
    assert slugs == ["a"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (2, 2, key, "unknown-key",
         f"unknown key {key!r} in a JSON document of muscles; did you mean {meant}?")]
    whole = _said(lambda report: json_format._read_whole(tmp_path / "m.json",
                                                         ReadContext(report=report)))
    assert whole == problems


@pytest.mark.parametrize("value", ['{"slug": "b", "title": "B"}', "2"])
def test_a_document_key_written_empty_is_unknown_not_a_record(tmp_path: Path,
                                                              value: str) -> None:
    """The one-pass reader took a key "" of the document as a record of its muscles
    (muscle b read, exit 0; for 2, 'a muscle must be an object' at muscles[1]); it is
    an unknown key at its place, as the whole-file reader says."""
    import formats.json as json_format

    text = f'{{"muscles": [{{"slug": "a", "title": "A"}}],\n "": {value}}}\n'
    slugs, problems = read_json(text, tmp_path)
    assert slugs == ["a"]
    unknown = 'in a JSON document of muscles (it holds "$schema" and "muscles")'
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (2, 2, "", "unknown-key", f"unknown key '' {unknown}")]
    whole = _said(lambda report: json_format._read_whole(tmp_path / "m.json",
                                                         ReadContext(report=report)))
    assert whole == problems


def test_the_schema_and_the_reader_agree_on_the_documents_own_keys(tmp_path: Path) -> None:
    schema = jsonschema.Draft202012Validator(load_schema("muscle"))
    for document, valid in [({"muscles": []}, True), ({"$schema": "x", "muscles": []}, True),
                            ({"muscles": [], "meta": 1}, False),
                            ({"$schema": 5, "muscles": []}, False)]:
        assert schema.is_valid(document) == valid
        assert (read_json(json.dumps(document), tmp_path)[1] == []) == valid


def test_a_slug_twice_is_placed_at_the_second_records_slug(tmp_path: Path) -> None:
    """It said 'is already used by an earlier record of this file' at no line: in a
    document of many lines, which of the records was meant was not said. A record
    refused before them takes no slug."""
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"muscles": [
        {"slug": "a", "title": 7}, {"slug": "a", "title": "A"}, {"slug": "b", "title": "B"},
        {"title": "A again", "slug": "a"}]}, indent=2), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = [(n, line.index('"a"') + 1) for n, line in enumerate(lines, 1)
          if '"slug": "a"' in line]
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "-j", "1", "--format",
                                      "json", str(path)])
    assert [(d["line"], d["column"], d["field"], d["message"])
            for d in json.loads(result.stdout) if d["code"] == "duplicate-slug"] == [
        (*at[2], "muscles[a].slug",
         f"slug 'a' is already used by an earlier record of this file, on line {at[1][0]}")]


@pytest.mark.parametrize("text", ['[1]', '{"x": 1}', '{"muscles": 3}', '{"muscles": {"a": 1}}'])
def test_placing_a_field_in_a_file_changed_since_it_was_read_raises_nothing(
        tmp_path: Path, text: str) -> None:
    """A file that is no document of muscles now: no slug's record is found (the
    record a reader marked is placed where the text still has the nearest place)."""
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    fmt = get_format("json")
    assert fmt.locate(path, "muscles[a].slug") is None
    place = fmt.marked_place(path, 0, "muscles[a].slug")
    assert place is not None and place.line == 1


BAD_SLUGS = """\
{"muscles": [
  {"slug": "a", "title": "A"},
  {"slug": "Not A Slug",
   "title": 5,
   "regions": [[[1, 2], [3, -4], [5, 6]]],
   "x": 1},
  {"title": ["T"]},
  {"slug": 7, "latin": 3}
]}
"""


def test_a_record_with_a_bad_slug_reports_its_other_problems_too(tmp_path: Path) -> None:
    """Its other problems were said only once the slug was fixed, a run later; the slug
    is not made into one ('Not A Slug' stays an error)."""
    slugs, problems = read_json(BAD_SLUGS, tmp_path)
    assert slugs == ["a"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (6, 4, "muscles[1].x", "unknown-key"),
        (3, 12, "muscles[1].slug", "bad-slug"),
        (4, 13, "muscles[1].title", "wrong-type"),
        (5, 29, "muscles[1].regions[0].points[1].y", "coords-negative"),
        (7, 3, "muscles[2].slug", "wrong-type"),
        (7, 13, "muscles[2].title", "wrong-type"),
        (8, 12, "muscles[3].slug", "wrong-type"),
        (8, 3, "muscles[3].title", "missing-field"),
        (8, 24, "muscles[3].latin", "wrong-type")]


MISSHAPEN = """\
{"muscles": [
  {"slug": "a", "title": "A"},
  {"slug": "b",
   "title": 5,
   "regions": [7, [[3, -4], [5, 6], [1, 1]], "1,2"],
   "extra": {"title": "x"}},
  {"slug": "c", "title": 5, "extra": [1], "body": 3, "latin": 4},
  {"slug": "Bad D", "regions": "1,2,3", "x": 1}
]}
"""


def test_a_record_of_the_wrong_shape_reports_its_other_problems_too(tmp_path: Path) -> None:
    """regions that is no list of polygons, an extra that is no object or a body that is
    no text was the record's one error; its other problems were said a run later."""
    slugs, problems = read_json(MISSHAPEN, tmp_path)
    assert slugs == ["a"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (5, 16, "muscles[1].regions[0]", "wrong-type",
         "must be a polygon, a list of points [x, y], not 7"),
        (5, 46, "muscles[1].regions[2]", "wrong-type",
         "must be a polygon, a list of points [x, y], not '1,2'"),
        (6, 14, "muscles[1].extra.title", "reserved-key",
         "'title' is the name of a field, not extra data"),
        (4, 13, "muscles[1].title", "wrong-type", "must be text, not a number"),
        (5, 24, "muscles[1].regions[1].points[0].y", "coords-negative",
         "negative coordinate -4"),
        (7, 38, "muscles[2].extra", "wrong-type", "must be an object, not a list"),
        (7, 51, "muscles[2].body", "wrong-type", "must be text, not 3"),
        (7, 26, "muscles[2].title", "wrong-type", "must be text, not a number"),
        (7, 63, "muscles[2].latin", "wrong-type", "must be text, not a number"),
        (8, 41, "muscles[3].x", "unknown-key",
         'unknown key \'x\' in a canonical record (data of your own goes in "extra")'),
        (8, 32, "muscles[3].regions", "wrong-type",
         "must be a list of polygons, not '1,2,3'"),
        (8, 12, "muscles[3].slug", "bad-slug",
         "'Bad D' is not a slug (lowercase letters, digits and single hyphens)"),
        (8, 3, "muscles[3].title", "missing-field", "is required")]


def test_the_lints_of_the_valid_fields_are_said_beside_a_records_errors(
        tmp_path: Path) -> None:
    """A record with a wrong-type title (or a bad slug) and an unsafe link, a region that
    crosses itself or a draft marker that is no boolean said only its schema error; the
    rest came a run later. A polygon that is none has no lint of its own."""
    crossing = [[0, 0], [10, 10], [10, 0], [0, 10]]
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"muscles": [
        {"slug": "a", "title": 5, "image": "javascript:x", "regions": [crossing]},
        {"slug": "Not A", "title": "T", "image_focus": "file:///x",
         "regions": [7, crossing], "extra": {"draft": "maybe"}}]}, indent=1),
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    found = [line.removeprefix(f"{path}:").split(": error: ")
             for line in result.stderr.splitlines()[:-1]]
    assert [(place, said.split(":")[0], said.split("[")[-1]) for place, said in found] == [
        ("5:13", "muscles[0].title", "wrong-type]"),
        ("6:13", "muscles[0].image", "unsafe-link]"),
        ("8:5", "muscles[0].regions[0]", "polygon-self-intersecting]"),
        ("29:12", "muscles[1].slug", "bad-slug]"),
        ("31:19", "muscles[1].image_focus", "unsafe-link]"),
        ("33:5", "muscles[1].regions[0]", "wrong-type]"),
        ("34:5", "muscles[1].regions[1]", "polygon-self-intersecting]"),
        ("54:14", "muscles[1].extra.draft", "wrong-type]")]


def test_a_lint_of_a_key_is_placed_at_that_key(tmp_path: Path) -> None:
    """A draft marker given twice (Draft and draft) and a key that Hugo reads as a field
    (Coords) were said at their values; they are at the key's opening quote now, as in
    Markdown, of a valid record and beside a record's errors alike."""
    lines = ['{"muscles": [',
             '{"slug": "a", "title": "A", "extra": {"Draft": true, "draft":',
             '  false}},',
             '{"slug": "b", "title": "B", "extra": {"Coords":',
             '  2}},',
             '{"slug": "c", "title": 5, "extra": {"Latin":',
             '  "x"}}]}']
    path = tmp_path / "m.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    found = [line.removeprefix(f"{path}:").split(": ", 3)
             for line in result.stderr.splitlines()[:-1]]
    assert [(place, field, said.split("[")[-1]) for place, _, field, said in found] == [
        (f"2:{lines[1].index('draft')}", "muscles[a].extra.draft", "duplicate-key]"),
        (f"4:{lines[3].index('Coords')}", "muscles[b].extra.Coords", "field-case]"),
        (f"6:{lines[5].index('5')+1}", "muscles[2].title", "wrong-type]"),
        (f"6:{lines[5].index('Latin')}", "muscles[2].extra.Latin", "field-case]")]


def test_two_codes_of_one_language_are_an_error_at_the_second_key(tmp_path: Path) -> None:
    """At that key's opening quote, as a key given twice is."""
    line = ('{"slug": "a", "title": "A", "origin": {"pt-br": "x", "pt-BR": "y"}, '
            '"functions": [{"short": {"en": "s", "EN-x": "t", "en-gb": "u", "en-GB": "v"}}]}')
    slugs, problems = read_json(f'{{"muscles": [\n{line},\n{{"slug": "b", "title": "B"}}]}}',
                                tmp_path)
    assert slugs == ["b"]
    assert [(d.line, d.column, d.field, d.code) for d in problems
            if d.code == "duplicate-key"] == [
        (2, line.index('"pt-BR"') + 1, "muscles[0].origin.pt-BR", "duplicate-key"),
        (2, line.index('"en-GB"') + 1, "muscles[0].functions[0].short.en-GB",
         "duplicate-key")]


def test_a_problem_of_a_key_is_placed_at_that_key(tmp_path: Path) -> None:
    """A language key that is no code, and a key given twice (in a record, in a text map,
    deep in extra), at the key's opening quote, as in Markdown, not at its value; a
    missing title beside extra's Title at that key."""
    lines = ['{"muscles": [',
             '{"slug": "a", "title": "A", "origin": {"dansk":',
             '  "x", "d a": "y"}, "title":',
             '  "B", "insertion": {"da": "x", "da":',
             '  "y"}, "extra": {"m": {"k": 1, "k":',
             '  2}}},',
             '{"slug": "b", "extra": {"Title":',
             '  "B"}}]}']
    slugs, problems = read_json("\n".join(lines), tmp_path)
    assert slugs == []
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (3, lines[2].index('"title"') + 1, "muscles[0].title", "duplicate-key"),
        (2, lines[1].index('"dansk"') + 1, "muscles[0].origin.dansk", "bad-language"),
        (3, lines[2].index('"d a"') + 1, "muscles[0].origin.d a", "bad-language"),
        (4, lines[3].rindex('"da"') + 1, "muscles[0].insertion.da", "duplicate-key"),
        (5, lines[4].rindex('"k"') + 1, "muscles[0].extra.m.k", "duplicate-key"),
        (7, lines[6].index('"Title"') + 1, "muscles[1].title", "missing-field")]


def test_an_extra_key_named_like_a_field_is_placed_at_that_key(tmp_path: Path) -> None:
    """At its opening quote, as in Markdown, not at its value: a key named like a field,
    and a merge key ``<<`` at any depth of extra."""
    lines = ['{"muscles": [', '{"slug": "a", "title": "A", "extra": {"latin":',
             '  "x", "m": {"<<":', '  1}}}]}']
    slugs, problems = read_json("\n".join(lines), tmp_path)
    assert slugs == []
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (2, lines[1].index('"latin"') + 1, "muscles[0].extra.latin", "reserved-key"),
        (3, lines[2].index('"<<"') + 1, "muscles[0].extra.m.<<", "reserved-key")]


def test_a_key_of_extra_with_a_lone_surrogate_is_placed_at_that_key(tmp_path: Path) -> None:
    """At its opening quote, at any depth: it was placed at its value, and one inside a
    map at the value of the map's key."""
    lines = ['{"muscles": [', '{"slug": "a", "title": "A", "extra": {"ok": 1,',
             '  "k\\ud800": 2, "m": {"x": 1,', '    "n\\ud800": 3}}}]}']
    slugs, problems = read_json("\n".join(lines), tmp_path)
    assert slugs == []
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (3, lines[2].index('"k') + 1, "muscles[0].extra.k\ud800", "control-character"),
        (4, lines[3].index('"n') + 1, "muscles[0].extra.m.n\ud800", "control-character")]


def _records_alive() -> int:
    """How many dicts with a slug and an origin (a record's) are alive."""
    gc.collect()
    return sum(1 for o in gc.get_objects()
               if type(o) in (dict, KeysTwice) and "slug" in o and "origin" in o)


def test_a_document_of_many_muscles_is_read_a_record_at_a_time(tmp_path: Path) -> None:
    """The reader parsed the whole document before its first muscle (20,000 muscles'
    objects at once); it streams the records of the ``muscles`` list now, holding one
    at a time (and a chunk of the text): when the first of 3,000 muscles comes, and
    when the last does, at most a couple of records' objects are alive, not 3,000."""
    path = tmp_path / "m.json"
    records = [{"slug": f"m{i:04}", "title": f"M {i}", "origin": {"da": f"Sted {i}"}}
               for i in range(3_000)]
    path.write_text(json.dumps({"$schema": "x", "muscles": records}, indent=1),
                    encoding="utf-8")
    del records
    before = _records_alive()  # (the schema's, and others that are not records)
    problems: list[Diagnostic] = []
    found = get_format("json").read(path, ReadContext(report=problems.append))
    alive, slugs = [], []
    for muscle in found:
        if not slugs or len(slugs) == 2_999:
            alive.append(_records_alive())
        slugs.append(muscle.slug)
    assert slugs == [f"m{i:04}" for i in range(3_000)]
    assert problems == []
    assert max(alive) - before <= 2


_STREAMED = [
    two_muscles(title=5),
    '{"muscles": [{"slug": "a", "title": "A", "origin": {"da": 1}, "extra": {"n": -0, '
    f'"big": {"9" * 4_400}}}}}, {{"slug": "b", "title": "B", "coords": [[-0, 1]]}}]}}',
    '{"muscles": [\r\n {"slug": "a", "title": "A", "title": "B"},\r\n'
    ' {"slug": "b", "title": "B", "coords": [[1, 2]]}], "$schema": 5, "other": 1}',
    '\ufeff{"$schema": "x",\n"muscles": [7, {"slug": "Æ", "title": ""},\n {}]}\n',
    '{"muscles": []}',
]


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("text", _STREAMED)
def test_a_streamed_document_says_what_the_whole_one_says(
        text: str, chunk: int, tmp_path: Path, monkeypatch) -> None:
    """Read a few characters at a time, records cut anywhere, a document's muscles and
    diagnostics (their lines and columns) are those of reading it whole."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8", newline="")
    whole: list[Diagnostic] = []
    expected = [m.slug for m in json_format._read_whole(path, ReadContext(
        report=whole.append))]
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    assert read_json_file(path) == (expected, whole)


def read_json_file(path: Path) -> tuple[list[str], list[Diagnostic]]:
    """The slugs read from the JSON file at ``path``, and the diagnostics reported."""
    problems: list[Diagnostic] = []
    found = get_format("json").read(path, ReadContext(report=problems.append))
    return [m.slug for m in found], problems


def test_placing_a_records_field_reads_that_record_again_not_the_document(
        tmp_path: Path) -> None:
    """The corpus lint's warnings were placed in a JSON document by reading it whole
    again and keeping its text (and a dict of its slugs) for the run: validate of
    20,000 muscles in one file peaked at 296 MB there. A record is found by where it
    starts now (kept from a pass over the document) and read again alone: the places
    are those of the whole text, and no walker of the whole text is alive after."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    records = [{"slug": f"m{i:04}", "title": f"M {i}", "origin": {"da": f"Sted\n{i}"}}
               for i in range(3_000)]
    text = json.dumps({"muscles": records}, indent=1, ensure_ascii=False) + " "
    path.write_text(text, encoding="utf-8")
    whole = canonical.JsonPlaces(text)
    expected = [whole.find("muscles[2500].title"), whole.find("muscles[1234].origin.da")]
    del whole, records
    json_format._read_again.cache_clear()
    fmt = get_format("json")
    place = fmt.marked_place(path, 2_500, "muscles[m2500].title")
    assert place is not None
    assert [(place.line, place.column),
            fmt.locate(path, "muscles[m1234].origin.da")] == expected
    gc.collect()
    assert not [o for o in gc.get_objects()
                if isinstance(o, canonical.JsonPlaces) and len(o.text) >= len(text) // 2]


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("text", _STREAMED)
def test_a_streamed_documents_records_are_placed_as_in_the_whole_text(
        text: str, chunk: int, tmp_path: Path, monkeypatch) -> None:
    """Each record's fields, found again from where the record starts (a byte order
    mark, CRLF, letters of two bytes and records cut anywhere before it), are where the
    walker of the whole text finds them."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8", newline="")
    whole = canonical.JsonPlaces(text.removeprefix("\ufeff"))
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    fmt = get_format("json")
    for i in range(len(canonical.loads(text.removeprefix("\ufeff"))["muscles"])):
        for rest in ("", ".title", ".slug", ".coords[0][1]"):
            place = fmt.marked_place(path, i, f"muscles[x]{rest}")
            assert (place and (place.line, place.column)) == whole.find(f"muscles[{i}]{rest}")


#: The paths whose opening :func:`_count_opens` counts, and what it does on each open
#: (an audit hook, once added, stays for the process: it looks only at these).
_WATCHED: dict[str, list[Any]] = {}


def _count_opens(event: str, args: tuple[Any, ...]) -> None:
    """Count each opening of a watched file, calling its hook with the count."""
    if event == "open" and args and str(args[0]) in _WATCHED:
        opened = _WATCHED[str(args[0])]
        opened[0] += 1
        opened[1](opened[0])


def _watch(path: Path, on_open: Callable[[int], None] = lambda n: None) -> list[Any]:
    """Start counting the openings of ``path`` (``[count, on_open]``)."""
    if not _WATCHED.get("hooked"):
        sys.addaudithook(_count_opens)
        _WATCHED["hooked"] = [0, None]
    _WATCHED[str(path)] = opened = [0, on_open]
    return opened


def test_a_document_is_read_once_and_a_field_placed_by_reading_its_record(
        tmp_path: Path) -> None:
    """The reader opened a document twice (a pass to check it, then one to read its
    records), and placing a warning's field after it a third time for a pass of its own
    (where each record starts) before reading that record: it is read once now, the
    records' places kept from that pass, and placing a field reads that record alone."""
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"muscles": [{"slug": f"m{i}", "title": f"M {i}"}
                                            for i in range(50)]}, indent=1), encoding="utf-8")
    whole = canonical.JsonPlaces(path.read_text(encoding="utf-8"))
    opened = _watch(path)
    try:
        assert read_json_file(path) == ([f"m{i}" for i in range(50)], [])
        assert opened[0] == 1
        assert get_format("json").locate(path, "muscles[m40].title") == whole.find(
            "muscles[40].title")
        assert opened[0] == 2
    finally:
        del _WATCHED[str(path)]


def test_a_document_replaced_while_it_is_read_is_read_as_it_was(tmp_path: Path) -> None:
    """Replaced (renamed over, as editors and muscle-convert save) between the reader's
    two passes, a document was refused as bad-json 'changed while it was read' (or read
    half as one version, half as the other); read in one pass from one open file, it
    is read as it was when opened."""
    path = tmp_path / "m.json"
    path.write_text(two_muscles(), encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"muscles": [{"slug": "c", "title": "C"}', encoding="utf-8")

    def replace(count: int) -> None:
        if count == 2:  # (the file opened again: another version is there now)
            os.replace(other, path)

    _watch(path, replace)
    try:
        assert read_json_file(path) == (["a", "b"], [])
    finally:
        del _WATCHED[str(path)]


def test_a_document_broken_past_its_first_records_gives_none_of_them(
        tmp_path: Path) -> None:
    """Read in one pass, a document is found broken only at its end: the records before
    (one with an unsafe link) give no muscle and no diagnostic, only its bad-json, as
    when the document was checked whole before its first record was read."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.json").write_text(two_muscles(), encoding="utf-8")
    records = [{"slug": f"m{i}", "title": f"M {i}"} for i in range(3_000)]
    records[5]["image"] = "javascript:x"
    broken = json.dumps({"muscles": records}, indent=1)[:-3]
    (tmp_path / "in" / "broken.json").write_text(broken, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "in"), "--from", "json",
                                      "--to", "jsonl", "-o", str(out), "--no-cache"])
    assert result.exit_code == 1
    assert [json.loads(line)["slug"] for line in out.read_text().splitlines()] == ["a", "b"]
    said = [line for line in result.stderr.splitlines() if "broken.json" in line]
    assert len(said) == 1 and said[0].endswith("[bad-json]"), said
    assert "2 muscles converted, 1 file failed" in result.stderr


def test_placing_fields_of_a_record_reads_its_bytes_once(tmp_path: Path,
                                                         monkeypatch) -> None:
    """Each warning's field was placed by opening the file again and reading 64 KiB
    from where its record starts (decoded whole), and walking that record anew: the
    bench's 55,535 warnings read 3.6 GB. Only the record's bytes are read now (up to
    where the next starts), once for the fields of it asked one after another."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    records = [{"slug": f"m{i}", "title": f"M {i}", "origin": {"da": "x" * 500}}
               for i in range(300)]
    text = json.dumps({"muscles": records}, indent=1)
    path.write_text(text, encoding="utf-8")
    whole = canonical.JsonPlaces(text)
    taken: list[int] = []

    class Counted(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            got = super().read(size)
            taken.append(len(got))
            return got

    read_json_file(path)
    monkeypatch.setattr(json_format, "open", lambda name, mode: Counted(name, mode),
                        raising=False)
    opened = _watch(path)
    try:
        fields = ["title", "origin.da", "slug", "origin"]
        fmt = get_format("json")
        assert [fmt.locate(path, f"muscles[m40].{f}") for f in fields] == [
            whole.find(f"muscles[40].{f}") for f in fields]
        assert opened[0] == 1
        assert sum(taken) == text.index('"m41"') - text.index('"m40"')
    finally:
        del _WATCHED[str(path)]


def test_a_record_longer_than_many_chunks_is_parsed_a_few_times(
        tmp_path: Path, monkeypatch) -> None:
    """A record running past the chunk read was parsed again from its start after every
    further chunk: a 16 MB body took 496 parses of a growing text, time growing with the
    square of its size (4 MB 1.9 s, 16 MB 16.3 s). What is read grows with the record
    now, so its parses grow with the logarithm of its size."""
    import formats.json as json_format

    parses: list[int] = []

    def counted(text: str, at: int) -> Any:
        parses.append(at)
        return decode(text, at)

    decode = canonical.raw_decode
    monkeypatch.setattr(canonical, "raw_decode", counted)
    monkeypatch.setattr(json_format, "_CHUNK", 1_024)
    path = tmp_path / "big.json"
    body = "x" * 2_000_000  # (about 2,000 chunks)
    path.write_text(json.dumps({"muscles": [{"slug": "a", "title": "A", "body": body}]}),
                    encoding="utf-8")
    found = read_json_file(path)
    assert found == (["a"], [])
    assert len(parses) <= 16


def _rewriting_in_place(path: Path, text: str, monkeypatch) -> None:
    """Rewrite ``path`` in place (truncated and written again, its inode kept, as a
    shell's ``>`` or an editor that keeps the file does) with ``text`` when the reader
    parses its first value, after reading the first chunk of the file."""
    parse, done = canonical.raw_decode, []

    def rewriting(value: str, at: int) -> Any:
        if not done:
            done.append(True)
            with open(path, "r+b") as fh:
                fh.truncate(0)
                fh.write(text.encode("utf-8"))
        return parse(value, at)

    monkeypatch.setattr(canonical, "raw_decode", rewriting)


def test_a_document_rewritten_in_place_while_it_is_read_is_one_error(
        tmp_path: Path, monkeypatch) -> None:
    """Rewritten in place while it was read (past its first chunk), a document was read
    as its first chunk of one version and the rest of the other: muscles of both, or a
    bad-json error that neither has. It is one changed-while-read error now, naming the
    file, and no muscle of it is read."""
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"muscles": [{"slug": f"m{i:04}", "title": f"M {i}"}
                                            for i in range(3_000)]}, indent=1))
    _rewriting_in_place(path, json.dumps({"muscles": [
        {"slug": f"n{i:04}", "title": f"New {i}"} for i in range(3_001)]}, indent=1),
        monkeypatch)
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(path), "changed-while-read", "changed while it was read; run again")]


_BROKEN = [
    '{"muscles": [{"slug": "a", "title": "A"},]}',
    '{"muscles": [{"slug": "a" "title": "A"}, {"slug": "b", "title": "B"}]}',
    '{"muscles": [{"slug": "a", "title": "A"}] "x": 1}',
    '{"muscles": [{"slug": "a", "title": "A"}],}',
    '{"muscles": []} x',
    '{"$schema": "x" "muscles": []}',
    '{"$schema" "x", "muscles": []}',
    '{"$schema": "x", 5: []}',
    '{"muscles": [{"slug": "a", "title": "A\nB"}]}',
    '{"muscles": [{"slug": "a", "title": "A"}',
    '{"muscles": [tru]}',
    '{"muscles": [1., 2]}',
    '{"muscles": [-Infinity, Nan]}',
    '{"muscles": [{"slug": "a\\u12"}]}',
    '{"muscles": [{"slug": "a", "title": "never ended',
    '{"muscles": [' + "[" * 5_000 + "]" * 5_000 + "]}",
    '\ufeff{"muscles": [\r\n {"slug": "é", "title": "Æ"},\r\n {"slug" 1}]}\r\n',
    '{"muscles": [\n' + ",\n".join(['{"slug": "a", "title": "A"}'] * 40) + "\n}",
    "",
    "   \n",
    "x",
    "[1, 2",
    "[1, 2]",
    "{}",
    '{"muscles": [], "muscles": [x',
]


def _said(read: Callable[[], Any]) -> list[Diagnostic]:
    """The diagnostics ``read`` reports and raises (its muscles taken, not kept)."""
    said: list[Diagnostic] = []
    try:
        for _ in read(said.append):
            pass
    except MuscleError as exc:
        said += exc.diagnostics
    return said


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("text", _BROKEN)
def test_a_broken_document_streamed_is_said_as_when_read_whole(
        text: str, chunk: int, tmp_path: Path, monkeypatch) -> None:
    """A document found broken in the pass (the records cut anywhere) is one error, as
    when it is read whole: json's own message, at the same line and column."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8", newline="")
    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    assert _said(lambda report: get_format("json").read(
        path, ReadContext(report=report))) == whole


def test_a_broken_document_with_a_byte_not_utf8_after_its_mistake_says_that_byte(
        tmp_path: Path) -> None:
    """Read whole, a document's bytes are decoded before its JSON is parsed: a byte
    that is not UTF-8 anywhere is its error, even after a JSON mistake."""
    path = tmp_path / "m.json"
    path.write_bytes(b'{"muscles": [{"slug": "a" "title": "A"}],\n' + b" " * 200_000
                     + b'"x": "\xff"}')
    assert [(d.code, d.line, d.column) for d in _said(lambda report: get_format(
        "json").read(path, ReadContext(report=report)))] == [("not-utf8", 2, 200_007)]


def test_a_big_document_broken_at_its_end_is_refused_in_little_memory(
        tmp_path: Path) -> None:
    """A document broken near its end was read whole again to say its error: a 200 MB
    file peaked at 610 MB (its bytes, its text and the objects of all its records),
    where reading it whole when not broken takes 25 MB. Its error is found from where
    the pass stopped now, reading on only as far as json needs to name the mistake:
    the same error, in a fraction of the file's size."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    records = [{"slug": f"m{i:04}", "title": f"M {i}", "body": "x" * 4_000}
               for i in range(3_000)]
    text = json.dumps({"muscles": records}, indent=1)
    path.write_text(text[:-2] + ",\n}", encoding="utf-8")  # (a comma before its end)
    del records, text

    def streamed() -> list[Diagnostic]:
        return _said(lambda report: get_format("json").read(path, ReadContext(report=report)))

    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    said = streamed()  # (once before it is measured: what is imported and kept on use)
    tracemalloc.start()
    try:
        assert streamed() == said
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.code for d in said] == ["bad-json"] and said == whole
    assert peak < path.stat().st_size // 10, peak  # (12 MB; 0.4 MB streamed, 38 whole)


#: Records whose extra has a key that reads as the path of another of its values
#: (README: a key may hold dots), and the column of the one value each is wrong about.
NAMED_LIKE_A_PATH = [
    ({"a": {"b": "ok"}, "a.b": 1e400}, "extra.a.b"),
    ({"a.b": "ok", "a": {"b": 1e400}}, "extra.a.b"),
    ({"a": {"b.c": 1e400}, "a.b": {"c": "ok"}}, "extra.a.b.c"),
    ({"sizes[1]": "ok", "sizes": [1, 1e400]}, "extra.sizes[1]"),
]


def _named_like_a_path(tmp_path: Path) -> tuple[Path, list[str]]:
    """A document of the records of :data:`NAMED_LIKE_A_PATH`, one a line, and what
    validate says of each: at its 1e400."""
    lines = [json.dumps({"slug": f"m{i}", "title": "M", "extra": extra}).replace(
        "Infinity", "1e400") for i, (extra, _) in enumerate(NAMED_LIKE_A_PATH)]
    path = tmp_path / "m.json"
    path.write_text('{"muscles": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    fields = [field for _, field in NAMED_LIKE_A_PATH]
    return path, [f"{path}:{i + 2}:{line.index('1e400') + 1}: error: muscles[{i}].{field}: "
                  "is too large for a number (no float holds it) [wrong-type]"
                  for i, (line, field) in enumerate(zip(lines, fields, strict=True))]


def test_a_key_of_extra_named_like_a_path_is_not_taken_for_that_path(tmp_path: Path
                                                                      ) -> None:
    """A problem of extra is placed by the keys that lead to its value, not by its
    printed field path, which a key with ``.`` or ``[`` in it makes ambiguous."""
    path, said = _named_like_a_path(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.stderr.splitlines()[:-1] == said


def test_a_key_of_extra_named_like_a_path_is_placed_so_when_read_whole(tmp_path: Path
                                                                       ) -> None:
    """The same when the document is read whole (a stream cannot take it)."""
    from formats.json import _read_whole

    path, said = _named_like_a_path(tmp_path)
    found: list[Diagnostic] = []
    assert list(_read_whole(path, ReadContext(report=found.append))) == []
    assert list(map(str, found)) == said


_NOT_UTF8 = [
    b'{"muscles": [{"slug": "a", "title": "Caf\xe9"}]}',
    b'{"muscles": [{"slug": "a", "title": "A"},\n {"slug": "b", "title": "\xff"}]}',
    b'{"muscles": [{"slug": "a", "title": "A"}], "x": "\xe6"}',
    b'{"$schema": "\x81", "muscles": []}',
    b'{"muscles": [{"slug": "a" "title": "A"}], "x": "\xe6"}',
    b'{"muscles": [{"slug": "a", "title": "A"}],}\n\xe6',
    b'{"muscles": [{"slug": "a", "title": "\xc3\xa6"}], "x": "\xe6"}',
    "\ufeff{\"muscles\": [\r\n {\"slug\": \"é\"}]}\r\n".encode() + b"\xc3",
    b'{"muscles": [{"slug": "a", "title": "' + "\U0001f600".encode()[:2] + b'"}]}',
    b'{"muscles": [], "muscles": ["\xff"]}',
    b'["\xff"]',
]


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("raw", _NOT_UTF8)
def test_a_document_with_a_byte_not_utf8_streamed_is_said_as_when_read_whole(
        raw: bytes, chunk: int, tmp_path: Path, monkeypatch) -> None:
    """A byte that is not UTF-8 anywhere (in a record, in the document's keys, after a
    JSON mistake, a letter cut short at the end) is the document's one error, at the
    byte's line and column, as when the file is read whole."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_bytes(raw)
    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    said = _said(lambda report: get_format("json").read(path, ReadContext(report=report)))
    assert said == whole and [d.code for d in said] == ["not-utf8"]


#: Reads the JSON file named on its command line and prints its diagnostics.
_READ = """
import json, sys
from pathlib import Path
from converter.diagnostics import MuscleError
from converter.registry import ReadContext, get_format
said = []
try:
    for _ in get_format("json").read(Path(sys.argv[1]), ReadContext(report=said.append)):
        pass
except MuscleError as exc:
    said += exc.diagnostics
print(json.dumps([d[:6] for d in said]))
"""
#: Runs ``_READ`` on each file named, in a process of its own, and prints the largest
#: peak of its processes so far (in KiB) after each, and what each read said.
_PEAKS = """
import json, resource, subprocess, sys
runs = []
for path in sys.argv[2:]:
    said = subprocess.run([sys.executable, "-c", sys.argv[1], path], check=True,
                          capture_output=True, text=True).stdout
    runs.append([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, json.loads(said)])
print(json.dumps(runs))
"""


def _read_peak(small: Path, big: Path) -> tuple[int, list[list[Any]]]:
    """How much more memory (in bytes) reading ``big`` takes at its peak than reading
    ``small`` (the interpreter and what it imports), each in a process of its own, and
    the diagnostics of ``big`` (path, line, column, field, code, message)."""
    out = subprocess.run([sys.executable, "-c", _PEAKS, _READ, str(small), str(big)],
                         check=True, capture_output=True, text=True, timeout=WAIT).stdout
    (base, _), (peak, said) = json.loads(out)
    return (peak - base) * 1024, said


def _big_document(path: Path, head: bytes, records: int = 25_000,
                  encoding: str = "utf-8") -> int:
    """Write at ``path`` a document of ``head`` and then ``records`` records of some
    2,400 letters each in ``encoding``, as one line each (``]}`` not written), and give
    its size."""
    record = json.dumps({"slug": "m", "title": "M", "body": "x" * 2_400})
    with path.open("wb") as fh:
        fh.write(head)
        for i in range(records):
            fh.write((",\n" + record if i else record).encode(encoding))
    return path.stat().st_size


def test_a_big_document_not_utf8_is_refused_in_little_memory(tmp_path: Path) -> None:
    """A 60 MB document with a byte that is not UTF-8 in its first record was read whole
    to say so (its bytes, and its text as Windows-1252 to name the letter: 180 MB above
    the interpreter's own): the error is found reading the file a chunk at a time now,
    the same error at the same place."""
    small, big = tmp_path / "small.json", tmp_path / "big.json"
    small.write_bytes(b'{"muscles": [{"slug": "a", "title": "Caf\xe9"}]}')
    size = _big_document(big, b'{"muscles": [{"slug": "a", "title": "Caf\xe9"},\n')
    with big.open("ab") as fh:
        fh.write(b"\n]}")
    grown, said = _read_peak(small, big)
    assert said == [[str(big), 1, 41, "", "not-utf8", "is not UTF-8 (byte 0xe9, which is "
                     "\u00e9 in Windows-1252: save the file as UTF-8)"]]
    assert grown < size // 3, (grown, size)


_WIDE = ['{"muscles": [{"slug": "a", "title": "A"}]}',
         '{"muscles": [{"slug": "a", "title": "Æble"}]}',
         '{"muscles": [{"slug": "a" "title": "A"}]}']


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("marked", [True, False], ids=["mark", "no-mark"])
@pytest.mark.parametrize("text", _WIDE)
def test_a_utf16_or_utf32_document_streamed_is_said_as_when_read_whole(
        text: str, marked: bool, encoding: str, chunk: int, tmp_path: Path,
        monkeypatch) -> None:
    """A UTF-16 or UTF-32 document is one error as when it is read whole: not-utf8 at
    line 1, column 1, saying its encoding by its byte order mark, or by its NULs where
    it has none (that was its first byte not UTF-8, or json's mistake at its start)."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_bytes(("\ufeff" if marked else "").encode(encoding) + text.encode(encoding))
    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    said = _said(lambda report: get_format("json").read(path, ReadContext(report=report)))
    order = "little" if encoding.endswith("le") else "big"
    wide = f" ({order}-endian, with no byte order mark)" if not marked else ""
    message = f"is {encoding[:6].upper()}{wide}, not UTF-8: save it as UTF-8"
    assert said == whole == [Diagnostic(str(path), 1, 1, "", "not-utf8", message)]


def _greek(count: int) -> list[dict[str, str]]:
    return [{"slug": f"m{i}", "title": "\u0394\u03b5\u03bb\u03c4\u03bf\u03b5\u03b9\u03b4"
             "\u03ae\u03c2 \u03bc\u03c5\u03c2"} for i in range(count)]


_CUT = '{"muscles": [{"slug": "a", "title": "'  # (a letter of 4 bytes at byte 4,094)
_BIG_WIDE = {
    "greek, one line": json.dumps({"muscles": _greek(300)}, ensure_ascii=False) + "\n",
    "latin, then greek": json.dumps(
        {"muscles": [{"slug": f"l{i}", "title": "Deltoid"} for i in range(200)]
         + _greek(300)}, ensure_ascii=False, indent=1) + "\n",
    "a letter cut": _CUT + ("\u0394\u03b5\u03bb\u03c4 " * 410)[:2_047 - len(_CUT)]
    + "\U0001d6fc" + "\u0394\u03b5\u03bb\u03c4 " * 600 + '"}]}\n'}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", _BIG_WIDE.values(), ids=_BIG_WIDE.keys())
def test_a_big_utf16_or_utf32_document_without_a_mark_is_told_by_all_its_bytes(
        text: str, encoding: str, tmp_path: Path) -> None:
    """One over 4 KiB of Greek letters was told by its first 4 KiB alone: with no line
    feed there (on one line) or a letter cut at their end, it was a not-utf8 error at
    its first byte read as UTF-8, though one of 4 KiB or less, or read whole, says its
    encoding. It is told by all its bytes, read again a chunk at a time, as read whole
    (one Latin at its start was, and is, told by its NULs)."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_bytes(text.encode(encoding))
    assert path.stat().st_size > 4_096
    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    said = _said(lambda report: get_format("json").read(path, ReadContext(report=report)))
    order = "little" if encoding.endswith("le") else "big"
    message = f"is {encoding[:6].upper()} ({order}-endian, with no byte order mark), " \
        "not UTF-8: save it as UTF-8"
    assert said == whole == [Diagnostic(str(path), 1, 1, "", "not-utf8", message)]


@pytest.mark.parametrize("encoding, mark, said", [
    ("utf-16-le", codecs.BOM_UTF16_LE, [1, 1, "is UTF-16, not UTF-8: save it as UTF-8"]),
    ("utf-32-be", codecs.BOM_UTF32_BE, [1, 1, "is UTF-32, not UTF-8: save it as UTF-8"]),
    ("utf-16-le", b"", [1, 1, "is UTF-16 (little-endian, with no byte order mark), not "
                        "UTF-8: save it as UTF-8"])], ids=["utf-16", "utf-32", "no-mark"])
def test_a_big_utf16_or_utf32_document_is_refused_in_little_memory(
        encoding: str, mark: bytes, said: list[Any], tmp_path: Path) -> None:
    """A 60 MB UTF-16 or UTF-32 document with a byte order mark was read whole to say so
    (its bytes: 60 MB above the interpreter's own); its mark is its error now, read
    alone. One with no mark is told by the NULs of its bytes, read again a chunk at a
    time, none kept."""
    small, big = tmp_path / "small.json", tmp_path / "big.json"
    head = '{"muscles": [{"slug": "a", "title": "\u00c6ble"},\n'
    small.write_bytes(mark + '{"muscles": [{"slug": "a", "title": "\u00c6ble"}]}'.encode(
        encoding))
    size = _big_document(big, mark + head.encode(encoding), 60_000_000 // 2_450 // len(
        "x".encode(encoding)), encoding)
    with big.open("ab") as fh:
        fh.write("\n]}".encode(encoding))
    grown, found = _read_peak(small, big)
    assert found == [[str(big), *said[:2], "", "not-utf8", said[2]]]
    assert grown < size // 3, (grown, size)


_SHAPES = [
    '{"muscles": [], "muscles": []}',
    '{"muscles": [{"slug": "a", "title": "A"}], "$schema": "x", "$schema": "y"}',
    '{"a": 1, "b": 2, "a": [1, {"x": [2, {}]}], "b": 3, "muscles": []}',
    '{"muscles": [{"slug": "Bad Slug"}], "muscles": []}',
    '{"muscles": 5, "muscles": [{"slug": "a"}]}',
    '{"muscles": [{"slug": "a", "title": "A"}], "muscles": 5}',
    '{"muscles": {"a": {"slug": "a", "title": "A"}, "b": {"slug": "b"}}}',
    '{"muscles": "x"}',
    '{"muscles": null, "x": [[], {}, [[]], {"": {"y": []}}]}',
    "{}",
    ' \n{ \n} \n',
    '{"$schema": "x"}',
    '[{"slug": "a", "title": "A"}, {"slug": "b", "title": "B"}]',
    "[]",
    "5",
    '"x"',
    "null",
    '  [1, [2, [3, {"a": [4, "x"]}]], -0, 1e5, 1' + "0" * 5_000 + "]  \n",
    '[{"slug": "a"}, {"slug": "b"},]',
    '{"muscles": 5, "x": [1, 2,]}',
    '[1, 2] x',
    "[1].5",
    "[1]5",
    '{"muscles": [], "a": 1, "a": {"b": [1, {"c" 2}]}}',
    '{"muscles": [], "muscles": [' + "[" * 5_000 + "]" * 5_000 + "]}",
    '{"muscles": {"a": 1,}}',
    "[" * 300 + "]" * 300,
    '{"muscles": ' + "[{" * 150 + '"a": x' + "}]" * 150 + "}",
    '{"muscles": {"a" 1}}',
    '{"muscles": {1: 2}}',
    '{"muscles": {"a": [1 2]}}',
    '{"muscles": [], "muscles": ["never ended',
    '{"muscles": [], "muscles": [tru]}',
    '{"muscles": {"a": {"b": "\\u12"}}}',
    '["a\nb"]',
    '{"": 1, "": 2, "muscles": []}',
    '{"muscles": [], ".muscles": 1, ".muscles": 2}',
    '{"a.b": 1, "a.b": 2, "muscles": []}',
    '\ufeff{"muscles": [],\r\n "muscles": {"a": 1}}\r\n',
    '\ufeff{"muscles": [],\r\n "x": 1,\r\n "x": {"a": 1}}\r\n',
]


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("text", _SHAPES)
def test_a_document_of_another_shape_streamed_is_said_as_when_read_whole(
        text: str, chunk: int, tmp_path: Path, monkeypatch) -> None:
    """JSON that is no object of a "muscles" list (a list, an object of records, no
    "muscles"), or that gives a key of its own twice, is read to its end for a JSON
    mistake anywhere, which comes first, as when it is read whole: the same error at
    the same line and column, a key twice at its last key's opening quote."""
    import formats.json as json_format

    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8", newline="")
    whole = _said(lambda report: json_format._read_whole(path, ReadContext(report=report)))
    monkeypatch.setattr(json_format, "_CHUNK", chunk)
    said = _said(lambda report: get_format("json").read(path, ReadContext(report=report)))
    assert said == whole and len(said) == 1, said


_NO_LIST = [None, None, "", "bad-json", 'expected an object with a "muscles" list']


@pytest.mark.parametrize("head, tail, said", [
    (b"[", b"]", _NO_LIST),
    (b'{"muscles": {"all": [', b"]}}", _NO_LIST),
    (b'{"$schema": "a", "$schema": "b", "muscles": [', b"]}",
     [1, 18, "$schema", "duplicate-key", "duplicate key '$schema'"])],
    ids=["list", "object", "key-twice"])
def test_a_big_document_of_another_shape_is_refused_in_little_memory(
        head: bytes, tail: bytes, said: list[Any], tmp_path: Path) -> None:
    """A 60 MB list of records, or an object of them, or a document that gives a key of
    its own twice, was read whole to say so (its bytes, text and objects: 190 to 250 MB
    above the interpreter's own); it is read to its end a record at a time now, its
    values not kept, and is the same error."""
    small, big = tmp_path / "small.json", tmp_path / "big.json"
    small.write_bytes(head + b'{"slug": "a"}' + tail)
    size = _big_document(big, head)
    with big.open("ab") as fh:
        fh.write(tail)
    grown, found = _read_peak(small, big)
    assert found == [[str(big), *said]]
    assert grown < size // 3, (grown, size)
