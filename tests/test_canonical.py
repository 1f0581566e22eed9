"""Canonical records: replacing the lines of changed muscles in a JSON-like output."""

from __future__ import annotations

import dataclasses
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import converter
from converter import canonical
from converter.model import ExactNumber, Muscle, exact_text
from converter.registry import WriteContext, get_format
from tests.strategies import corpora, muscles


@settings(max_examples=40, deadline=None)
@given(old=corpora(max_size=6), new=st.lists(muscles(), max_size=3),
       fmt=st.sampled_from(["json", "jsonl"]), data=st.data())
def test_updating_an_output_gives_what_writing_it_anew_gives(tmp_path_factory, old, new,
                                                             fmt, data) -> None:
    old = list({m.slug: m for m in old}.values())
    if not old:
        return
    # each new muscle replaces one of the old ones (same slug, other content)
    targets = data.draw(st.lists(st.sampled_from(old), unique_by=lambda m: m.slug,
                                 max_size=len(new)))
    changed = [dataclasses.replace(n, slug=t.slug) for n, t in zip(new, targets, strict=False)]
    by_slug = {m.slug: m for m in changed}
    folder = tmp_path_factory.mktemp("update")
    patched, fresh = folder / f"patched.{fmt}", folder / f"fresh.{fmt}"
    writer, ctx = get_format(fmt), WriteContext()
    writer.write(old, patched, ctx)
    summary = writer.update(changed, patched, ctx, total=len(old))
    expected = writer.write([by_slug.get(m.slug, m) for m in old], fresh, ctx)
    assert summary == expected.replace(str(fresh), str(patched))
    assert patched.read_bytes() == fresh.read_bytes()


def _written(tmp_path: Path) -> tuple[Path, list[Muscle]]:
    written = [Muscle(slug=slug, title=slug.upper()) for slug in ("a", "b", "c")]
    out = tmp_path / "m.json"
    get_format("json").write(written, out, WriteContext())
    return out, written


def test_nothing_is_written_unless_every_record_is_there_once(tmp_path: Path) -> None:
    out, (a, b, _) = _written(tmp_path)
    before = out.read_bytes()
    new_b = canonical.dumps(dataclasses.replace(b, title="Bee"))
    absent = canonical.dumps(Muscle(slug="zz", title="Z"))
    assert not canonical.replace_records(out, {"zz": absent}, 3)
    assert not canonical.replace_records(out, {"b": new_b}, 4)  # another number of records
    assert not canonical.replace_records(out, {"b": canonical.dumps(a)}, 3)  # slug a's record
    doubled = tmp_path / "doubled.json"
    doubled.write_bytes(before.replace(b'\n{"slug":"c"',
                                       b"\n" + new_b.encode() + b',\n{"slug":"c"'))
    assert not canonical.replace_records(doubled, {"b": new_b}, 4)
    assert out.read_bytes() == before
    assert canonical.replace_records(out, {"b": new_b}, 3)
    assert out.read_bytes() == before.replace(canonical.dumps(b).encode(), new_b.encode())
    assert sorted(tmp_path.iterdir()) == [doubled, out]  # no temporary file left


#: JSON values with keys that name one member in a field path (no "." or "[").
_KEYS = st.text(st.characters(codec="utf-8", exclude_characters=".["), min_size=1,
                max_size=4)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=15)


def _paths(value: object, field: str = "") -> list[tuple[str, object]]:
    """Every (field path, value) inside ``value``, itself included."""
    found = [(field, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, f"{field}.{key}" if field else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, f"{field}[{i}]")
    return found


def _offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[:line - 1]) + column - 1


@given(_VALUES, st.sampled_from([None, 0, 2]), st.sampled_from([(",", ":"), (" , ", " : ")]))
def test_json_places_finds_every_value_of_a_document(value: object, indent: int | None,
                                                     separators: tuple[str, str]) -> None:
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False)
    places = canonical.JsonPlaces(f" \n{text}")
    for field, expected in _paths(value):
        found = places.find(field)
        assert found is not None, field
        start = _offset(places.text, *found)
        assert json.JSONDecoder().raw_decode(places.text, start)[0] == expected, field


@given(_VALUES, st.sampled_from([None, 2]), st.randoms(use_true_random=False))
def test_json_places_asked_in_any_order(value: object, indent: int | None,
                                        order: random.Random) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    places, fresh = canonical.JsonPlaces(text), canonical.JsonPlaces(text)
    fields = [field for field, _ in _paths(value)]
    order.shuffle(fields)
    for field in fields * 2:
        assert places.find(field) == fresh.find(field) == canonical.JsonPlaces(text).find(
            field), field


def test_json_places_of_many_keys_and_one_line_cost_one_pass() -> None:
    keys = [f"k{i}" for i in range(20_000)] + ["a.b", "a"]
    text = json.dumps({"muscles": [{"extra": dict.fromkeys(keys, 1)}]})
    columns, at = {}, len('{"muscles": [{"extra": {')
    for key in keys:  # '"key": 1, ' each; a column is an offset + 1
        columns[key] = at + len(key) + 5
        at += len(key) + 7
    places = canonical.JsonPlaces(text)
    found = [places.find(f"muscles[0].extra.{key}") for key in reversed(keys)]
    assert found == [(1, columns[key]) for key in reversed(keys)]
    assert canonical._Keys(keys).leading("a.b.c") == ["a.b", "a"]


def test_json_places_of_what_is_not_there_is_the_deepest_part_that_is() -> None:
    text = '{"muscles": [\n {"slug": "a"},\n {"slug": "b", "extra": {"a.b": 1, "a": {"b": 2}}}\n]}'
    places = canonical.JsonPlaces(text)
    assert places.find("muscles[1].title") == (3, 2)  # a missing field: its record
    assert places.find("muscles[7]") == (1, 13)  # no such record: the list
    assert places.find("muscles[0].slug.x") == (2, 11)
    assert places.find("muscles[1].extra.a.b") == (3, 33)  # the longest key that fits
    assert places.find("muscles[1].extra.a.c") == (3, 41)
    for broken, field in (("[1, 2", "[1]"), ('{"a": tru', "a"), ('{"a" 1}', "a"), ("", "a"),
                          ('{"a": [1, x]}', "a[1]")):  # not the text parsed: no place
        assert canonical.JsonPlaces(broken).find(field) is None, broken


def test_json_places_of_a_key_is_its_opening_quote() -> None:
    text = ('{"muscles": [\n {"slug": "a", "origin": {"d a":\n  "x"},\n'
            '  "extra": {"a.b": 1, "a": {"b": [2]}}}]}')
    places = canonical.JsonPlaces(text)
    assert places.find("muscles[0].origin.d a", key=True) == (2, 27)
    assert places.find("muscles[0].origin.d a") == (3, 3)
    assert places.find_steps(("muscles", 0, "origin", "d a"), key=True) == (2, 27)
    assert places.find_steps(("muscles", 0, "extra", "a.b"), key=True) == (4, 13)
    assert places.find("muscles[0].extra.a.b", key=True) == (4, 13)  # the longest key
    assert places.find_steps(("muscles", 0, "extra", "a", "b"), key=True) == (4, 29)
    # a list's item has no key: the item; a path not all there: the deepest part's value
    assert places.find("muscles[0].extra.a.b[0]", key=True) == (4, 35)
    assert places.find("muscles[0].title", key=True) == places.find("muscles[0]") == (2, 2)
    assert places.find_steps(("muscles", 0, "origin", "da"), key=True) == (2, 26)


#: Numbers of ``extra`` that a float would change (more digits, beyond its range), the
#: integer ``-0``, and floats that it keeps, as an author writes them in YAML.
EXACT_NUMBERS = ["12345678901234567890.5", "0.10000000000000000001", "-0", "1.0e-400",
                 "1.e-400", "-12345678901234567890.5", "1.2345678901234567890123e+22",
                 "0.10", "1.0e+5", "1.5", "-0.0", "0.1", "+1.5", ".5"]
#: Where a muscle goes in each lossless format that stores ``extra`` apart.
_LOSSLESS = {"json": "m.json", "jsonl": "m.jsonl", "sqlite": "m.db", "csv": "csv"}


def _exact(value: object) -> Decimal:
    """The exact value of a number read (a float: as Python writes it)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))  # type: ignore[arg-type]


def _through_every_format(folder: Path, number: str) -> None:
    """A file with ``number`` in extra, converted to each lossless format and back (and
    to Markdown from there), gives the number as written: every digit, and its sign."""
    src = folder / "m.md"
    src.write_text(f"---\ntitle: M\nx: {number}\nl: [{number}]\n---\n", encoding="utf-8")
    (muscle,) = converter.read(src)
    want = Decimal(number)
    for fmt, name in _LOSSLESS.items():
        converter.write([muscle], folder / name, fmt)
        (back,) = converter.read(folder / name)
        converter.write([back], folder / f"md-{fmt}", "markdown")
        (again,) = converter.read(folder / f"md-{fmt}" / "m.md")
        for read in (back, again):
            for value in (read.extra["x"], read.extra["l"][0]):
                assert _exact(value) == want and _exact(value).is_signed() == want.is_signed()
                written = exact_text(value) if isinstance(value, ExactNumber) else repr(value)
                # (a decimal, not a whole number: a float Python writes as 1e+16 too)
                assert written == "-0" if number == "-0" else ("." in written or (
                    isinstance(value, float) and "e" in written))
        assert back == muscle == again


#: The Markdown writer's warnings of a -0 of extra and of a number too small for a float
#: (Jekyll and Hugo read 0, 0.0; their own tests are in tests/formats/test_markdown.py):
#: expected where these tests write them to Markdown.
_MINUS_ZERO_WARNED = pytest.mark.filterwarnings(
    r"ignore:.* plain -0 reads as the number 0 in YAML 1\.1 .* \[yaml11-ambiguous\]$"
    ":UserWarning",
    r"ignore:.* plain 1\.0?e-400 reads as the number 0\.0 in YAML 1\.1 .* "
    r"\[yaml11-ambiguous\]$:UserWarning")


@_MINUS_ZERO_WARNED
@pytest.mark.parametrize("number", EXACT_NUMBERS)
def test_every_lossless_format_keeps_a_number_of_extra_exactly(tmp_path: Path,
                                                               number: str) -> None:
    """`weight_kg: 12345678901234567890.5` was 1.2345678901234567e+19 in JSON, JSON Lines,
    SQLite, the CSV package and Markdown, and `-0` was 0."""
    _through_every_format(tmp_path, number)


@settings(max_examples=25, deadline=None)
@given(st.integers(-10**30, 10**30), st.integers(0, 10**25), st.integers(0, 30),
       st.sampled_from(["", "e+", "e-", "E-"]), st.integers(0, 250))
@example(5 * 10**29, 0, 0, "", 0)  # (read as the float 5e+29, which Python writes so)
def test_any_decimal_of_extra_keeps_its_value_in_every_format(
        tmp_path_factory: pytest.TempPathFactory, whole: int, fraction: int, zeros: int,
        e: str, exponent: int) -> None:
    number = f"{whole}.{'0' * zeros}{fraction}" + (f"{e}{exponent}" if e else "")
    _through_every_format(tmp_path_factory.mktemp("n"), number)


def test_json_with_an_exact_number_is_the_json_module_s_around_it() -> None:
    value = {"a": [ExactNumber("0.10000000000000000001"), "\u00e6", 1.5, {"b": None}]}
    assert canonical.extra_json(value) == ('{"a": [0.10000000000000000001, "\u00e6", 1.5, '
                                           '{"b": null}]}')
    assert canonical.load_extra(canonical.extra_json(value)) == value


#: Numbers of ``extra`` spelled as JSON and YAML both read them, otherwise than Python
#: writes them, or exact: every lossless format keeps each as written.
SHARED_SPELLINGS = ["0.10", "1.0e+5", "1.50", "-7.250", "1.5", "-0.0", "-0",
                    "0.10000000000000000001", "1.0e-400", "12345678901234567890.5"]
#: Spelled as JSON reads them but not YAML 1.1 (kept by the formats that store extra as
#: JSON; Markdown writes them as Python does).
JSON_SPELLINGS = ["1E5", "1e-7", "2E+3", "0.5E-3", "1.0E+5"]
_EVERY = {**_LOSSLESS, "markdown": "md"}


def _spelled(value: object) -> str:
    """A number read, as its reader had it written (a float: as Python writes it)."""
    return getattr(value, "text", None) or repr(value)


@_MINUS_ZERO_WARNED
@pytest.mark.parametrize("second", _EVERY)
@pytest.mark.parametrize("first", _EVERY)
def test_every_pair_of_lossless_formats_keeps_the_spelling_of_numbers(
        tmp_path: Path, first: str, second: str) -> None:
    """A ``0.10`` read from JSON was ``0.10`` in Markdown and ``0.1`` in JSON, JSON Lines,
    SQLite and the CSV package (``1.0e+5``: ``100000.0``)."""
    numbers = SHARED_SPELLINGS + JSON_SPELLINGS
    muscle = Muscle(slug="m", title="M", extra=converter.model.freeze(
        {"n": canonical.load_extra(f"[{','.join(numbers)}]")}))
    converter.write([muscle], tmp_path / _EVERY[first], first)
    (middle,) = converter.read(tmp_path / _EVERY[first])
    converter.write([middle], tmp_path / f"2-{_EVERY[second]}", second)
    (back,) = converter.read(tmp_path / f"2-{_EVERY[second]}")
    assert back == middle == muscle
    kept = numbers if "markdown" not in (first, second) else SHARED_SPELLINGS
    assert [_spelled(n) for n in back.extra["n"]][:len(kept)] == kept


def test_a_bad_body_is_the_records_body_not_a_key_body_of_its_extra() -> None:
    """A record's body holding NUL was placed at its ``extra.body`` (the record, when it
    had no extra) and, with a key ``body`` in its extra, named ``extra.body``: it is the
    record's ``body``, left to the caller to place, as the record's other fields."""
    asked: list[tuple[object, ...]] = []

    def place(steps: tuple[object, ...], key: bool) -> tuple[int, int]:
        asked.append(steps)
        return 1, 1

    for extra in ({}, {"body": 1}):
        record = {"slug": "c", "title": "C", "body": "x\x00y", "extra": extra}
        with pytest.raises(converter.MuscleError) as caught:
            canonical.from_canonical(record, path="c.jsonl", field="muscles[c]", place=place)
        assert [(d.line, d.field, d.code) for d in caught.value.diagnostics] == [
            (None, "muscles[c].body", "control-character")]
    assert asked == []


def test_each_unknown_key_is_named_by_its_own_field_with_a_hint() -> None:
    """The unknown keys were one problem named by the record (placed at its brace),
    listed sorted: each is a problem of its own, named by the key (which callers place
    at that key), saying the key it may be a typo of."""
    record = {"slug": "c", "title": "C", "Latin": "L", "x": 1, "a.b": 2, "regionz": []}
    with pytest.raises(converter.MuscleError) as caught:
        canonical.from_canonical(record, path="c.json", field="muscles[c]")
    own = ' (data of your own goes in "extra")'
    assert [(d.line, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
        (None, f"muscles[c].{key}", "unknown-key",
         f"unknown key {key!r} in a canonical record{hint}")
        for key, hint in [("Latin", "; did you mean latin?"), ("x", own), ("a.b", own),
                          ("regionz", "; did you mean regions?")]]


def test_a_plain_text_is_read_in_the_writers_default_language() -> None:
    """A plain string of a record was read as English whatever ``writer_lang`` (the run's
    --default-lang) said; Markdown's reader reads one in it, and so does this now."""
    record = {"slug": "c", "title": "C", "origin": "o", "insertion": {"en": "i"},
              "functions": [{"short": "s", "extended": "e"}]}
    muscle = canonical.from_canonical(record, path="c.json", writer_lang="da")
    [function] = muscle.functions
    assert [list(t) for t in (muscle.origin, muscle.insertion, function.short,
                              function.extended)] == [["da"], ["en"], ["da"], ["da"]]


@pytest.mark.parametrize(("field", "expected"), [
    ("body", "must be text, not binary data"),
    ("extra", "must be an object, not binary data"),
    ("regions", "must be a list of polygons, not binary data")])
def test_bytes_where_a_record_holds_text_or_an_object_is_wrong_type(
        field: str, expected: str) -> None:
    """Bytes (a database's BLOB) as a record's body, extra or regions stopped the run with
    "TypeError: Object of type bytes is not JSON serializable"; they are binary data, as
    the record's other fields name them."""
    record = {"slug": "c", "title": "C", field: b"\xff"}
    with pytest.raises(converter.MuscleError) as caught:
        canonical.from_canonical(record, path="c.db", field="muscles[c]")
    assert [(d.field, d.code, d.message) for d in caught.value.diagnostics] == [
        (f"muscles[c].{field}", "wrong-type", expected)]


def test_json_space_takes_json_white_space_only() -> None:
    """JSON's four white-space characters, none or more; no other space (a form feed, a
    no-break space) is JSON's."""
    assert canonical.JSON_SPACE.match(" \t\r\nx", 0).end() == 4
    assert canonical.JSON_SPACE.match("\f\u00a0x", 0).end() == 0
    assert canonical.JSON_SPACE.match("{ \n}", 1).end() == 3
