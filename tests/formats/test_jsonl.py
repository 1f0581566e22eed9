"""JSON Lines: streamed one muscle per line, read back exactly."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given

import converter
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import ReadContext, get_format
from converter.run import validate_sources
from converter.schema import load_schema
from tests.strategies import corpora

VALIDATOR = jsonschema.Draft202012Validator(load_schema("muscle"))


def test_lines_validate_and_round_trip(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "m.jsonl"
    converter.write(sample_muscles, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(sample_muscles)
    for line in lines:
        VALIDATOR.validate({"muscles": [json.loads(line)]})
    assert converter.read(out) == sample_muscles


@given(corpora())
def test_round_trip_generated(tmp_path_factory, corpus) -> None:
    out = tmp_path_factory.mktemp("jsonl") / "m.jsonl"
    converter.write(corpus, out, "jsonl")
    assert converter.read(out) == corpus


def test_writes_as_it_goes(tmp_path: Path, sample_muscles) -> None:
    """The writer consumes a generator lazily: nothing is collected up front."""
    seen = []

    def stream():
        for muscle in sample_muscles:
            seen.append(muscle.slug)
            yield muscle

    converter.write(stream(), tmp_path / "m.jsonl")
    assert seen == [m.slug for m in sample_muscles]


def test_bad_line_names_its_line(tmp_path: Path, sample_muscles) -> None:
    out = tmp_path / "m.jsonl"
    converter.write(sample_muscles[:2], out)
    with out.open("a", encoding="utf-8") as fh:
        fh.write('{"slug": "x", "title": "X", "regions": [[[1, 2]]]}\nnot json\n')
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    codes = [(d.line, d.code) for d in caught.value.diagnostics]
    assert codes == [(3, "coords-too-few"), (4, "bad-json")]


@pytest.mark.parametrize("text, place, message", [
    ('{"slug": "b", "title":\n', (1, 23), "Expecting value"),  # cut off: at the line's end
    ("{\n", (1, 2), "Expecting property name enclosed in double quotes"),
    ('{"slug": "b", "title": "B', (1, 24), "Unterminated string"),  # where it starts
    ('{"slug": "b", "title": "B\tx"}\n', (1, 26), "Invalid control character"),
])
def test_a_line_that_is_not_json_is_placed_in_that_line(
        text: str, place: tuple[int, int], message: str, tmp_path: Path) -> None:
    """JSON put an error at the line's end on the next line (column 1), and its messages
    ended in "at" with no place after it."""
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(path)
    [found] = exc.value.diagnostics
    assert ((found.line, found.column), found.message) == (place,
                                                           f"is not valid JSON: {message}")


@pytest.mark.parametrize("levels", [990, 5000])
def test_extra_nested_deeper_than_json_parses_is_too_deep_at_its_key(
        levels: int, tmp_path: Path) -> None:
    """Past some 990 levels, json ran out of stack: a bad-json "nested too deeply" error
    of the line, at no column nor field; it is the too-deep error of any deep extra."""
    path = tmp_path / "m.jsonl"
    path.write_text('{"slug": "a", "title": "A"}\n{"slug": "b", "title": "B", "extra": '
                    '{"k": ' + "[" * levels + "]" * levels + ', "n": 1}}\n', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    [found] = caught.value.diagnostics
    assert (found.line, found.column, found.field, found.code) == (
        2, 44, "muscles[b].extra.k", "too-deep")
    assert "32 levels" in found.message


@pytest.mark.parametrize("encoding, marked", [
    ("utf-16-le", False), ("utf-16-be", False), ("utf-32-le", False), ("utf-32-be", False),
    ("utf-16", True)])
@pytest.mark.parametrize("title", [
    "A", "\u00c6ble", "\u0394\u03b5\u03bb\u03c4\u03bf\u03b5\u03b9\u03b4\u03ae\u03c2",
    "\u0414\u0435\u043b\u044c\u0442\u043e\u0432\u0438\u0434\u043d\u0430\u044f"],
    ids=["ascii", "latin", "greek", "cyrillic"])
def test_a_file_in_utf16_or_utf32_is_one_error_saying_so(
        tmp_path: Path, encoding: str, marked: bool, title: str) -> None:
    """Without a byte order mark it was a bad-json error on each line (Expecting
    property name, at 1:2), or a not-utf8 error at a byte of each line read as
    Windows-1252; it is one not-utf8 error saying its encoding, as with a mark. A first
    line of Greek or Cyrillic letters in little-endian is told too, though the line is
    read to its line feed's byte, the rest of that letter's bytes on the next line."""
    path = tmp_path / "m.jsonl"
    record = '{"slug": "a", "title": "' + title + '"}\n'
    path.write_bytes((record + record.replace('"a"', '"b"')).encode(encoding))
    said: list[Diagnostic] = []
    assert list(get_format("jsonl").read(path, ReadContext(report=said.append))) == []
    order = "" if marked else f" ({encoding[7:].replace('le', 'little').replace('be', 'big')}" \
        "-endian, with no byte order mark)"
    assert said == [Diagnostic(str(path), 1, 1, "", "not-utf8",
                               f"is {encoding[:6].upper()}{order}, not UTF-8: save it as UTF-8")]


def test_a_utf8_first_line_holding_a_nul_is_no_utf16(tmp_path: Path) -> None:
    """Its line feed and the next line's first byte are no UTF-16 line feed: its NUL is
    the bad-json error it is, and the next line is read."""
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'{"a": "\x00"}\n{"slug": "b", "title": "B"}\n')
    said: list[Diagnostic] = []
    read = list(get_format("jsonl").read(path, ReadContext(report=said.append)))
    assert [m.slug for m in read] == ["b"]
    assert [(d.line, d.column, d.code) for d in said] == [(1, 8, "bad-json")]


def test_field_problems_name_their_column_in_the_line(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A"}',
             '{"slug": "b", "title": "B", "exercises": ["Squat", 7]}',
             '{"slug": "c", "title": "C", "regions": [[[1, 2]]]}',
             '  {"slug": "d"}']
    out.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (2, lines[1].index("7") + 1, "muscles[b].exercises[1]", "wrong-type"),
        (3, lines[2].index("[[1") + 1, "muscles[c].regions[0]", "coords-too-few"),
        (4, 3, "muscles[d].title", "missing-field")]


def test_each_extra_key_named_like_a_field_is_an_error_at_its_column(tmp_path: Path) -> None:
    """At the key's opening quote, as in Markdown (``"<<": {a: 1}`` at ``"<<"``)."""
    out = tmp_path / "m.jsonl"
    line = '{"slug": "a", "title": "A", "extra": {"ok": 1, "latin": "x", "<<": 2}}'
    out.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert sorted((d.line, d.column, d.field, d.code) for d in caught.value.diagnostics) == [
        (1, line.index('"latin"') + 1, "muscles[a].extra.latin", "reserved-key"),
        (1, line.index('"<<"') + 1, "muscles[a].extra.<<", "reserved-key")]


def test_a_coordinate_that_is_none_is_named_by_its_point_and_axis_in_its_line(
        tmp_path: Path) -> None:
    """It was named by its region alone, its value shown as its JSON quoted again
    ('" 4"', '"12"', 'true')."""
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A", "regions": [[[3, " 4"], [1e2, 2], [5, 6]]]}',
             '{"slug": "b", "title": "B"}',
             '{"slug": "c", "title": "C", "regions": [[[1, 1], [9, 1], [5, 9]],'
             ' [[-5, 1], [9, "12"], [5, 9]]]}',
             '{"slug": "d", "title": "D", "regions": [[[1, true], [9, 1], [5, null]]]}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    found = get_format("jsonl").read(out, ReadContext(report=problems.append))
    assert [m.slug for m in found] == ["b"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, 46, "muscles[a].regions[0].points[0].y", "coords-not-number",
         "' 4' is not a plain number"),
        (1, 54, "muscles[a].regions[0].points[1].x", "coords-not-number",
         "1e2 is not a plain number"),
        (3, 69, "muscles[c].regions[1].points[0].x", "coords-negative",
         "negative coordinate -5"),
        (3, 81, "muscles[c].regions[1].points[1].y", "coords-not-number",
         "'12' is text, not a number"),
        (4, 46, "muscles[d].regions[0].points[0].y", "coords-not-number",
         "true is not a plain number"),
        (4, 65, "muscles[d].regions[0].points[2].y", "coords-not-number",
         "null is not a plain number")]
    assert [lines[d.line - 1][d.column - 1:][:3] for d in problems] == [
        '" 4', "1e2", "-5,", '"12', "tru", "nul"]


def test_a_key_given_twice_is_an_error_on_its_line(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    out.write_text('{"slug": "a", "title": "A"}\n'
                   '{"slug": "b", "title": "B", "title": "C"}\n', encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert [(d.line, d.field, d.code) for d in caught.value.diagnostics] == [
        (2, "muscles[b].title", "duplicate-key")]


def test_errors_and_lints_name_a_record_alike(tmp_path: Path) -> None:
    """A record's own errors named it by its line (``line 2.title``), the lints on the
    same file by its slug (``muscles[b].origin.da``)."""
    shared = "Udspringer fra hoftebenets yderside."
    out = tmp_path / "m.jsonl"
    out.write_text("\n".join(json.dumps(r) for r in [
        {"slug": "a", "title": "A", "origin": {"da": shared}},
        {"slug": "b", "title": 5, "origin": {"da": shared}},
        {"slug": "c", "title": "C", "origin": {"da": shared}}]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "-j", "1", "--format",
                                      "json", str(out)])
    found = {(d["line"], d["field"], d["code"]) for d in json.loads(result.stdout)}
    assert {(2, "muscles[b].title", "wrong-type"),
            (3, "muscles[c].origin.da", "duplicate-text")} <= found
    assert not any(field.startswith("line") for _, field, _ in found)


@pytest.mark.parametrize("record, name", [
    ({"slug": "Not A Slug", "title": "X"}, "muscles[2].slug"),
    ({"title": "X"}, "muscles[2].slug"),
    ({"slug": 7, "title": "X"}, "muscles[2].slug"),
    (["not", "an", "object"], "muscles[2]"),
])
def test_a_record_without_a_slug_is_named_by_its_place(record, name: str,
                                                       tmp_path: Path) -> None:
    """Counted among the file's records from 0, as JSON counts them: blank lines are
    none, a line that is not JSON is one."""
    out = tmp_path / "m.jsonl"
    out.write_text('{"slug": "a", "title": "A"}\n\nnot json\n' + json.dumps(record) + "\n",
                   encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert [(d.line, d.field) for d in caught.value.diagnostics if d.line == 4] == [
        (4, name)]


def test_a_slug_twice_in_one_file_names_the_earlier_record(tmp_path: Path,
                                                           sample_muscles) -> None:
    """It said 'is already used by d.jsonl', the file itself; then it named no line of
    either record."""
    lines = tmp_path / "d.jsonl"
    converter.write(sample_muscles[:2], lines, "jsonl")
    first = lines.read_text(encoding="utf-8").splitlines()[0]
    lines.write_text(lines.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(lines)
    slug = sample_muscles[0].slug
    assert [(d.line, d.column, d.field, d.code, d.message)
            for d in caught.value.diagnostics] == [
        (3, first.index(json.dumps(slug)) + 1, f"muscles[{slug}].slug", "duplicate-slug",
         f"slug {slug!r} is already used by an earlier record of this file, on line 1")]


def test_a_slug_twice_is_placed_at_the_records_that_took_and_gave_it(tmp_path: Path
                                                                     ) -> None:
    """Counted in the file's lines: a draft left out, a record with an error, a blank
    line and a line that is not JSON before them take no slug, and the duplicate is
    placed on its own line, not the first record's (or none)."""
    out, again = tmp_path / "m.jsonl", '{"title": "A again", "slug": "a"}'
    out.write_text("\n".join([
        '{"slug": "a", "title": "A draft", "draft": true}',
        '{"slug": "a", "title": "A", "image": "javascript:alert(1)"}', "", "not json",
        '{"slug": "a", "title": "A"}', '{"slug": "b", "title": "B"}', again]) + "\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "--no-cache", "-j", "1", str(out),
                                      "--to", "json", "-o", str(tmp_path / "o.json")])
    column = again.index(json.dumps("a")) + 1
    assert [line for line in result.stderr.splitlines() if "duplicate-slug" in line] == [
        f"{out}:7:{column}: error: muscles[a].slug: slug 'a' is already used by an "
        "earlier record of this file, on line 5 [duplicate-slug]"]


def test_a_point_that_is_no_pair_of_values_is_named_at_its_place(tmp_path: Path) -> None:
    """It was 'regions[0]: must be a coords string "x1,y1,x2,y2,...", not a list', the
    words of Markdown's coords, naming no point."""
    out = tmp_path / "m.jsonl"
    line = '{"slug": "a", "title": "A", "regions": [[[1, 1], [10, 10, 5], 7, [5, 9]]]}'
    out.write_text(line + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    assert list(get_format("jsonl").read(out, ReadContext(report=problems.append))) == []
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, line.index("[10") + 1, "muscles[a].regions[0].points[1]", "wrong-type",
         "must be a point [x, y], not a list of 3 values"),
        (1, line.index("7") + 1, "muscles[a].regions[0].points[2]", "wrong-type",
         "must be a point [x, y], not 7")]


def test_a_record_with_a_bad_slug_reports_its_other_problems_too(tmp_path: Path) -> None:
    """Named by its place among the file's records, each at its line and column; they
    were said only once the slug was fixed, a run later. The slug is never made into
    one ('Not A Slug' stays an error)."""
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A"}',
             '{"slug": "Not A Slug", "title": 5, "regions": [[[1, 2], [3, "4"], [5, 6]]],'
             ' "x": 1}',
             '{"title": ["T"], "latin": 3}',
             '{"slug": 7, "extra": {"title": "t"}}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(out, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (2, lines[1].index('"x"') + 1, "muscles[1].x", "unknown-key"),
        (2, lines[1].index('"Not') + 1, "muscles[1].slug", "bad-slug"),
        (2, lines[1].index("5") + 1, "muscles[1].title", "wrong-type"),
        (2, lines[1].index('"4"') + 1, "muscles[1].regions[0].points[1].y",
         "coords-not-number"),
        (3, 1, "muscles[2].slug", "wrong-type"),
        (3, lines[2].index("[") + 1, "muscles[2].title", "wrong-type"),
        (3, lines[2].index("3") + 1, "muscles[2].latin", "wrong-type"),
        (4, lines[3].index('"title"') + 1, "muscles[3].extra.title", "reserved-key"),
        (4, lines[3].index("7") + 1, "muscles[3].slug", "wrong-type"),
        (4, 1, "muscles[3].title", "missing-field")]


def test_a_point_that_is_a_decimal_number_is_named_not_a_traceback(tmp_path: Path) -> None:
    """A point written as one number with decimals (1.5, not [x, y]) ended the run with
    'TypeError: Object of type Decimal is not JSON serializable'."""
    out = tmp_path / "m.jsonl"
    line = ('{"slug": "a", "title": "A", "regions": [[1.5, [1, 1], -0, [5, 9], '
            f'{"9" * 5000}]]}}')
    out.write_text(line + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    assert list(get_format("jsonl").read(out, ReadContext(report=problems.append))) == []
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, line.index("1.5") + 1, "muscles[a].regions[0].points[0]", "wrong-type",
         "must be a point [x, y], not 1.5"),
        (1, line.index("-0") + 1, "muscles[a].regions[0].points[2]", "wrong-type",
         "must be a point [x, y], not -0"),
        (1, line.index("999") + 1, "muscles[a].regions[0].points[4]", "wrong-type",
         f"must be a point [x, y], not {'9' * 60}...")]


def test_a_record_of_the_wrong_shape_reports_its_other_problems_too(tmp_path: Path) -> None:
    """regions that is no list of polygons, an extra that is no object or a body that is
    no text was the record's one error; its other problems were said a run later."""
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": 5, "regions": [[[1, 2], [3, "4"], [5, 6]], 7]}',
             '{"slug": "b", "extra": "x", "body": ["t"], "latin": 3}',
             '{"slug": "Not A Slug", "regions": {"0": []}, "title": "T"}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    assert list(get_format("jsonl").read(out, ReadContext(report=problems.append))) == []
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (1, lines[0].index("7") + 1, "muscles[a].regions[1]", "wrong-type"),
        (1, lines[0].index("5") + 1, "muscles[a].title", "wrong-type"),
        (1, lines[0].index('"4"') + 1, "muscles[a].regions[0].points[1].y",
         "coords-not-number"),
        (2, lines[1].index('"x"') + 1, "muscles[b].extra", "wrong-type"),
        (2, lines[1].index('["t"]') + 1, "muscles[b].body", "wrong-type"),
        (2, 1, "muscles[b].title", "missing-field"),
        (2, lines[1].index("3") + 1, "muscles[b].latin", "wrong-type"),
        (3, lines[2].index("{", 1) + 1, "muscles[2].regions", "wrong-type"),
        (3, lines[2].index('"Not') + 1, "muscles[2].slug", "bad-slug")]


def test_a_lint_of_a_key_is_placed_at_that_key(tmp_path: Path) -> None:
    """A draft marker given twice (Draft and draft) and a key that Hugo reads as a field
    (Coords) were said at their values; they are at the key's opening quote now, as in
    Markdown, of a valid record and beside a record's errors alike."""
    lines = ['{"slug": "a", "title": "A", "extra": {"Draft": true, "draft": false}}',
             '{"slug": "b", "title": "B", "extra": {"Coords": 2}}',
             '{"slug": "c", "title": 5, "extra": {"Latin": "x"}}']
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    found = [line.removeprefix(f"{path}:").split(": ", 3)
             for line in result.stderr.splitlines()[:-1]]
    assert [(place, field, said.split("[")[-1]) for place, _, field, said in found] == [
        (f"1:{lines[0].index('draft')}", "muscles[a].extra.draft", "duplicate-key]"),
        (f"2:{lines[1].index('Coords')}", "muscles[b].extra.Coords", "field-case]"),
        (f"3:{lines[2].index('5')+1}", "muscles[c].title", "wrong-type]"),
        (f"3:{lines[2].index('Latin')}", "muscles[c].extra.Latin", "field-case]")]


def test_the_lints_of_the_valid_fields_are_said_beside_a_records_errors(
        tmp_path: Path) -> None:
    """A record's unsafe link and self-crossing region were said only once its
    wrong-type title was fixed, a run later; each is now at its line and column."""
    crossing = [[0, 0], [10, 10], [10, 0], [0, 10]]
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (
        {"slug": "a", "title": 5, "image": "javascript:x", "regions": [crossing]},
        {"slug": "b", "title": "B", "regions": [7, crossing]})), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    found = [line.removeprefix(f"{path}:").split(": error: ")
             for line in result.stderr.splitlines()[:-1]]
    assert [(place, said.split(":")[0], said.split("[")[-1]) for place, said in found] == [
        ("1:24", "muscles[a].title", "wrong-type]"),
        ("1:36", "muscles[a].image", "unsafe-link]"),
        ("1:64", "muscles[a].regions[0]", "polygon-self-intersecting]"),
        ("2:41", "muscles[b].regions[0]", "wrong-type]"),
        ("2:44", "muscles[b].regions[1]", "polygon-self-intersecting]")]


def test_a_problem_of_a_key_is_placed_at_that_key(tmp_path: Path) -> None:
    """A language key that is no code, and a key given twice (in a record, in a text map,
    deep in extra), at the key's opening quote, as in Markdown, not at its value; a
    missing title beside extra's Title at that key."""
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A", "origin": {"dansk": "x", "d a": "y"}, "title": "B",'
             ' "insertion": {"da": "x", "da": "y"}, "extra": {"m": {"k": 1, "k": 2}}}',
             '{"slug": "b", "extra": {"Title": "B"}}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert [(d.line, d.column, d.field, d.code) for d in caught.value.diagnostics] == [
        (1, lines[0].index('"dansk"') + 1, "muscles[a].origin.dansk", "bad-language"),
        (1, lines[0].index('"d a"') + 1, "muscles[a].origin.d a", "bad-language"),
        (1, lines[0].rindex('"title"') + 1, "muscles[a].title", "duplicate-key"),
        (1, lines[0].rindex('"da"') + 1, "muscles[a].insertion.da", "duplicate-key"),
        (1, lines[0].rindex('"k"') + 1, "muscles[a].extra.m.k", "duplicate-key"),
        (2, lines[1].index('"Title"') + 1, "muscles[b].title", "missing-field")]


def test_each_unknown_key_of_a_record_is_an_error_at_that_key(tmp_path: Path) -> None:
    """A record's unknown keys were one error at the line's column 1 (its opening
    brace), listed sorted: each is one at its opening quote, with the key it may be a
    typo of, and the muscle is left out."""
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A"}',
             '{"slug": "b", "title": "B", "origin": {"da": "æøå"}, "Title": "y", '
             '"Latin": "z", "functions": [], "function": []}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(out, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a"]
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (2, lines[1].index(f'"{key}"') + 1, f"muscles[b].{key}", "unknown-key",
         f"unknown key {key!r} in a canonical record; did you mean {meant}?")
        for key, meant in [("Title", "title"), ("Latin", "latin"), ("function", "functions")]]


def test_two_codes_of_one_language_are_an_error_at_the_second_key(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    lines = ['{"slug": "a", "title": "A", "insertion": {"zh-Hant": "x", "zh-hant": "y"}}',
             '{"slug": "b", "title": "B", "insertion": {"zh-Hant": "x", "zh-Hans": "y"}}']
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(out)
    assert [(d.line, d.column, d.field, d.code, d.message)
            for d in caught.value.diagnostics] == [
        (1, lines[0].index('"zh-hant"') + 1, "muscles[a].insertion.zh-hant", "duplicate-key",
         "'zh-hant' and 'zh-Hant' are one language (language codes ignore case): keep one")]


def test_a_line_with_a_byte_not_utf8_says_its_other_problems_and_lints(
        tmp_path: Path) -> None:
    """A line with a byte that is not UTF-8 was one not-utf8 error naming no field, the
    whole line lost: its unsafe link, control character and polygon that crosses itself
    were said a run later, once the byte was fixed. Each text holding one (a title, a
    language code) is named, and has no other problem of its own; the record is still
    left out. A line that is no JSON says so too, when that is not at the byte."""
    lines = [b'{"slug": "a", "title": "A"}',
             b'{"slug": "b", "title": "B\xff", "image": "javascript:x", "origin": '
             b'{"en": "o\\u0001", "d\xfe": "x"}, "regions": [[[0, 0], [10, 10], [10, 0], '
             b'[0, 10]]]}',
             b'{"slug": "c", "title": "C\xe6", "latin": 5',
             b'{"slug": "d", \xff"title": "D"}']
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    read = list(get_format("jsonl").read(path, ReadContext(report=lambda d: None)))
    assert [m.slug for m in read] == ["a"]
    found = validate_sources([path]).diagnostics

    def at(number: int, text: bytes) -> tuple[int, int]:
        return number, lines[number - 1].index(text) + 1

    assert sorted((d.line, d.column, d.field, d.code) for d in found) == sorted([
        (*at(2, b"\xff"), "muscles[b].title", "not-utf8"),
        (*at(2, b'"javascript'), "muscles[b].image", "unsafe-link"),
        (*at(2, b'"o\\'), "muscles[b].origin.en", "control-character"),
        (*at(2, b"\xfe"), "muscles[b].origin.d\ufffd", "not-utf8"),
        (*at(2, b"[[0, 0]"), "muscles[b].regions[0]", "polygon-self-intersecting"),
        (*at(3, b"\xe6"), "", "not-utf8"), (3, len(lines[2]) + 1, "", "bad-json"),
        (*at(4, b"\xff"), "", "not-utf8")])


def test_the_slug_index_of_a_big_file_is_small_and_places_each_slug(tmp_path: Path) -> None:
    """The index of where each slug's line is (what the lints' warnings are placed by)
    was a dict of every slug, some 200 bytes a line (8 MB for 40,000 muscles): it is
    arrays of a few numbers a line now, and places each slug as before, a slug of two
    lines nowhere."""
    lines = [json.dumps({"slug": f"indexed-{i:04}", "title": f"Indexed {i}"})
             for i in range(3000)] + [json.dumps({"slug": "indexed-0007"}), "[]", "{}"]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fmt = get_format("jsonl")
    tracemalloc.start()
    try:
        fmt.locate(path, "muscles[indexed-0001].title")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 40 * len(lines), held
    assert [fmt.locate(path, f"muscles[indexed-{i:04}].title") for i in (0, 6, 7, 2999)] == [
        (1, 35), (7, 35), None, (3000, 35)]
    assert fmt.locate(path, "muscles[not-there].title") is None


def test_a_file_rewritten_in_place_while_it_is_read_is_one_error(
        tmp_path: Path, monkeypatch) -> None:
    """Rewritten in place (truncated and written again, its inode kept, as a shell's
    ``>`` does) while it was read, a file was read as the lines of one version up to
    where the reader had read ahead and those of the other after: muscles of both.
    It is one changed-while-read error now, naming the file, and no muscle of it is
    read, and no other diagnostic (a line of the mix that is no JSON said nothing)."""
    from converter import canonical

    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps({"slug": f"m{i:04}", "title": f"M {i}"}) + "\n"
                            for i in range(3_000)))
    new = "".join(json.dumps({"slug": f"n{i:04}", "title": f"New title {i}"}) + "\n"
                  for i in range(3_000))
    parse, done = canonical.loads, []

    def rewriting(text: str) -> object:
        if not done:
            done.append(True)
            with open(path, "r+b") as fh:
                fh.truncate(0)
                fh.write(new.encode("utf-8"))
        return parse(text)

    monkeypatch.setattr(canonical, "loads", rewriting)
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(path), "changed-while-read", "changed while it was read; run again")]


#: Records whose extra has a key that reads as the path of another of its values
#: (README: a key may hold dots), and the one value each is wrong about.
NAMED_LIKE_A_PATH = [
    ({"a": {"b": "ok"}, "a.b": 1e400}, "extra.a.b"),
    ({"a.b": "ok", "a": {"b": 1e400}}, "extra.a.b"),
    ({"a": {"b.c": 1e400}, "a.b": {"c": "ok"}}, "extra.a.b.c"),
    ({"sizes[1]": "ok", "sizes": [1, 1e400]}, "extra.sizes[1]"),
]


def test_a_key_of_extra_named_like_a_path_is_not_taken_for_that_path(tmp_path: Path
                                                                      ) -> None:
    """A problem of extra is placed by the keys that lead to its value, not by its
    printed field path, which a key with ``.`` or ``[`` in it makes ambiguous."""
    lines = [json.dumps({"slug": f"m{i}", "title": "M", "extra": extra}).replace(
        "Infinity", "1e400") for i, (extra, _) in enumerate(NAMED_LIKE_A_PATH)]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-cache"])
    assert result.stderr.splitlines()[:-1] == [
        f"{path}:{i + 1}:{line.index('1e400') + 1}: error: muscles[m{i}].{field}: is too "
        "large for a number (no float holds it) [wrong-type]"
        for i, (line, (_, field)) in enumerate(zip(lines, NAMED_LIKE_A_PATH, strict=True))]


def test_a_bad_body_is_placed_at_its_value_and_named_body(tmp_path: Path) -> None:
    """It was placed at the record's start, and named ``extra.body`` (at that key) when
    the record's extra had a key ``body``."""
    lines = ['{"slug": "b", "title": "B", "body": "x\\u0000y"}',
             '{"slug": "c", "title": "C", "body": "x\\ud800y", "extra": {"body": 1}}']
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = validate_sources([path]).diagnostics
    assert [(d.line, d.column, d.field, d.code) for d in found] == [
        (1, lines[0].index('"x') + 1, "muscles[b].body", "control-character"),
        (2, lines[1].index('"x') + 1, "muscles[c].body", "control-character")]


def read_jsonl(text: str, tmp_path: Path) -> tuple[list[str], list[tuple[int | None, int | None,
                                                                          str]]]:
    """The slugs read from a JSON Lines file of ``text``, and (line, column, message)
    of each diagnostic."""
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    return [m.slug for m in found], [(d.line, d.column, d.message) for d in problems]


def spans(first: int, last: int) -> str:
    return (f"is not valid JSON Lines: the record starting here spans lines {first}-{last}, "
            "and each record must be on one line (as jq -c writes it)")


def unclosed(first: int, last: int) -> str:
    return ("is not valid JSON Lines: the record starting here is not closed, its brackets "
            f"do not balance (it spans lines {first}-{last}); each record must be on one "
            "line (as jq -c writes it)")


RECORD = {"slug": "b", "title": "B", "origin": {"da": "Hofte"},
          "regions": [[[1, 2], [3, 4], [5, 1]]], "extra": {"k": [1, {"m": None}]}}


@pytest.mark.parametrize("indent", [1, 4, "\t"])
def test_a_record_written_over_lines_is_one_error_saying_where_it_ends(
        tmp_path: Path, indent: int | str) -> None:
    """A pretty-printed record was one bad-json error per line (about a hundred for a
    muscle of the samples), none of them saying why: it is one, at its first line,
    naming the lines it spans; the lines after it are read, numbered as in the file."""
    pretty = json.dumps(RECORD, indent=indent, ensure_ascii=False)
    count = pretty.count("\n") + 1
    text = "\n".join([pretty, '{"slug": "a", "title": "A"}', "  " + pretty,
                      '{"slug": "c", "title": 5}', pretty.replace('"B"', '"D"'), ""])
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["a"]
    second, fourth = count + 2, 2 * count + 3
    assert problems == [(1, 1, spans(1, count)), (second, 3, spans(second, second + count - 1)),
                        (fourth - 1, 24, "must be text, not a number"),
                        (fourth, 1, spans(fourth, fourth + count - 1))]


@pytest.mark.parametrize("text, said", [
    ('{"slug": "b", "title":\n{"slug": "a", "title": "A"}\n{"slug": "c", "title": "C"}\n',
     [(1, 23, "is not valid JSON: Expecting value")]),  # (its lines after are records)
    ('{"slug": "b",\n "title": "B"} x\n{"slug": "a", "title": "A"}\n',
     [(1, 14, "is not valid JSON: Expecting property name enclosed in double quotes"),
      (2, 9, "is not valid JSON: Extra data")]),  # (no value that ends at a line's end)
    ('{"slug": "b",\n "title": "B"}\n{"slug": "a", "title": "A"}\n', [(1, 1, spans(1, 2))]),
    ('{"slug": "b",\n "title": "B",\n\n', [(1, 1, unclosed(1, 2))]),  # (by the file's end)
])
def test_the_lines_of_a_record_over_lines_are_only_those_that_end_it(
        tmp_path: Path, text: str, said: list[tuple[int, int, str]]) -> None:
    """A line that is no JSON is one error of its own where the lines after it do not
    end the value it starts (a record cut off, followed by records), and they are read."""
    slugs, problems = read_jsonl(text, tmp_path)
    assert problems == said
    assert slugs == (["a", "c"] if "c" in text else ["a"] if "a" in text else [])


def test_a_record_over_lines_is_looked_for_only_so_far(tmp_path: Path, monkeypatch) -> None:
    """The lines read ahead for a record's end are bounded, in lines and in characters:
    past them its lines are said one by one, as before, and read again as lines."""
    import formats.jsonl.lookahead as lookahead

    pretty = json.dumps({"slug": "b", "title": "B", "exercises": ["x"] * 6}, indent=1)
    text = f'{pretty}\n{{"slug": "a", "title": "A"}}\n'
    count = pretty.count("\n") + 1
    assert read_jsonl(text, tmp_path)[1] == [(1, 1, spans(1, count))]
    for bound, value in [("_AHEAD_LINES", count - 2), ("_AHEAD_CHARS", len(pretty) - 2)]:
        with monkeypatch.context() as patched:
            patched.setattr(lookahead, bound, value)
            slugs, problems = read_jsonl(text, tmp_path)
        assert slugs == ["a"]
        assert [line for line, _, _ in problems] == list(range(1, count + 1))


def test_looking_for_records_over_lines_costs_no_more_than_reading_the_file(
        tmp_path: Path, monkeypatch) -> None:
    """Lines that each open a bracket that no line closes before a mistake would each
    be read ahead to that mistake (quadratic): what is looked at so is bounded by the
    file's size (a fixed part aside); the lines are all said, one each."""
    import formats.jsonl.lookahead as lookahead

    looked: list[int] = []

    def counted(text: str, depth: int, at: int = 0) -> tuple[int, int]:
        looked.append(len(text) - at)
        return brackets(text, depth, at)

    brackets = lookahead._brackets
    monkeypatch.setattr(lookahead, "_brackets", counted)
    monkeypatch.setattr(lookahead, "_AHEAD_CHARS", 1000)
    text = "[\n" * 300 + "1,\n" * 3000 + "x\n" + '{"slug": "a", "title": "A"}\n'
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["a"]
    assert len(problems) == 3301
    assert sum(looked) <= 1000 + lookahead._LOOKS_PER_BYTE * len(text) + 4 * 1000


@pytest.mark.parametrize("indent", [1, "\t"])
def test_a_broken_record_written_over_lines_is_one_error_at_its_mistake(
        tmp_path: Path, indent: int | str) -> None:
    """A pretty-printed record with a comma left out was an error on each of its lines,
    and a list or object inside it that its lines end was called "the record starting
    here" (lines 8-21 of a record of 31): it is one error, json's, at the mistake's line
    and column, saying the record it is in looks pretty-printed and which lines it
    spans; the lines after it are read."""
    pretty = json.dumps(RECORD, indent=indent).replace('"B",', '"B"')
    count = pretty.count("\n") + 1
    lines = pretty.split("\n")
    slugs, problems = read_jsonl(f'{pretty}\n{{"slug": "a", "title": "A"}}\n', tmp_path)
    assert slugs == ["a"]
    assert problems == [(4, lines[3].index('"origin"') + 1,
                         "is not valid JSON: Expecting ',' delimiter, in a record that looks "
                         f"pretty-printed (it spans lines 1-{count}); each record must be "
                         "on one line (as jq -c writes it)")]
    listed = '[\n[{"slug": "a", "title": "A"}],\n5\n]\n'  # (no item a record)
    assert read_jsonl(listed, tmp_path)[1] == [
        (1, 1, spans(1, 4).replace("the record", "the list"))]


def test_a_record_written_over_lines_with_a_byte_not_utf8_is_one_error_and_the_bytes(
        tmp_path: Path) -> None:
    """A pretty-printed record holding a byte that is not UTF-8 was an error on each of
    its lines (its end was not looked for past such a byte): it is one error naming the
    lines it spans, as any such record, and a not-utf8 error at the first such byte of
    each line that holds one (its column counted in bytes), its first line too; the
    lines after it are read."""
    pretty = json.dumps(RECORD, indent=1).encode()
    count = pretty.count(b"\n") + 1
    first = pretty.replace(b'"Hofte"', b'"H\xf8fte"')
    second = pretty.replace(b"{", b'{"x\xff": 1,', 1).replace(b'"B"', b'"B\xe6\xe6"')
    lines = [*first.split(b"\n"), b'{"slug": "a", "title": "A"}', *second.split(b"\n")]
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a"]

    def byte(number: int, value: bytes) -> tuple[int, int, str]:
        cp1252 = {b"\xf8": "ø", b"\xe6": "æ"}
        hint = (f", which is {cp1252[value]} in Windows-1252: save the file as UTF-8"
                if value in cp1252 else "")
        return (number, lines[number - 1].index(value) + 1,
                f"is not UTF-8 (byte 0x{value.hex()}{hint})")

    after = count + 2
    assert [(d.line, d.column, d.message) for d in problems] == [
        (1, 1, spans(1, count)), byte(5, b"\xf8"),
        (after, 1, spans(after, after + count - 1)), byte(after, b"\xff"),
        byte(after + 2, b"\xe6")]


COMMA = ("is not valid JSON Lines: records must not end with a comma, as this one does "
         "(said once for the file, at the first; they are read as if they had none)")


def test_records_pasted_with_a_comma_after_each_are_read_and_said_once(
        tmp_path: Path) -> None:
    """Records pasted from a JSON list, a comma after each, were each an "Extra data"
    error and none was read: the file is one error, at its first such comma, and the
    records are read as if they had none (each is whole JSON; the comma holds nothing);
    a lint of one is placed in its line. A comma after what is no object is the error
    of its line, as before; one after a record written over lines is said too."""
    lines = ['{"slug": "a", "title": "A"}', '{"slug": "c", "title": "C", "latin": " "}, ',
             "5,", '{"slug": "d", "title": "D"}']
    text = "\n".join([lines[0] + ",", *lines[1:], ""])
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["a", "c", "d"]
    assert problems == [(1, len(lines[0]) + 1, COMMA),
                        (3, 2, "is not valid JSON: Extra data")]
    found = validate_sources([tmp_path / "m.jsonl"]).diagnostics
    assert [(d.line, d.column, d.code) for d in found] == [
        (1, len(lines[0]) + 1, "bad-json"), (2, lines[1].index('" "') + 1, "empty-text"),
        (3, 2, "bad-json")]
    pretty = json.dumps(RECORD, indent=1)
    count = pretty.count("\n") + 1
    slugs, problems = read_jsonl(f"{pretty},\n{lines[0]},\n", tmp_path)
    assert slugs == ["a"]
    assert problems == [(1, 1, spans(1, count)), (count, 2, COMMA)]


def test_a_comma_ended_record_with_a_byte_not_utf8_is_read_as_a_comma_ended_record(
        tmp_path: Path) -> None:
    """A one-line record holding a byte that is not UTF-8 and a comma after it was an
    "Extra data" error beside its not-utf8 one, the comma not taken for one after a
    record: it is the not-utf8 error of its field, as on a line with no comma, and the
    file's one comma error, at its comma; the records after it are read."""
    lines = [b'{"slug": "a", "title": "A"}', b'{"slug": "b", "title": "B\xff"}, ',
             b'{"slug": "c", "title": "C"},']
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a", "c"]
    assert [(d.line, d.column, d.field, d.message) for d in problems] == [
        (2, lines[1].rindex(b",") + 1, "", COMMA),
        (2, lines[1].index(b"\xff") + 1, "muscles[b].title", "is not UTF-8 (byte 0xff)")]


def test_a_record_over_lines_whose_brackets_do_not_balance_is_one_error(
        tmp_path: Path) -> None:
    """A pretty-printed record with a bracket missing was an error per line, and an
    object inside it that ends on its own line was called "the record starting here"
    (lines 26-28 of a record of 31): it is one error, at its first line where it is not
    closed (its last bracket missing: before the next line that starts a record, or the
    file's end), else at json's mistake (one missing inside it), saying its brackets do
    not balance; the lines after it are read."""
    pretty = json.dumps(RECORD, indent=1)
    lines = pretty.split("\n")
    record = '{"slug": "a", "title": "A"}'
    unended = "\n".join(lines[:-1])
    slugs, problems = read_jsonl(f"{unended}\n{record}\n{pretty}\n{unended}\n\n", tmp_path)
    assert slugs == ["a"]
    assert problems == [(1, 1, unclosed(1, 30)), (32, 1, spans(32, 62)),
                        (63, 1, unclosed(63, 92))]

    def inside(line: int, column: int, mistake: str) -> tuple[int, int, str]:
        return (line, column, f"is not valid JSON: {mistake}, in a record that looks "
                "pretty-printed (it spans lines 1-31) and whose brackets do not balance; "
                "each record must be on one line (as jq -c writes it)")

    opened = pretty.replace('"origin": {', '"origin": ', 1)  # (closed by its line 6)
    closed = "\n".join([*lines[:5], '  "x": 1', *lines[6:]])
    for text, said in [(opened, inside(5, 7, "Expecting ',' delimiter")),
                       (closed, inside(6, 3, "Expecting ',' delimiter"))]:
        slugs, problems = read_jsonl(f"{text}\n{record}\n", tmp_path)
        assert slugs == ["a"]
        assert problems == [said]


def array(first: int, last: int, count: int) -> str:
    return (f"is not valid JSON Lines: the list starting here (it spans lines {first}-{last}) "
            f"is a JSON array of {count} records, not one record per line; they are read as "
            "if each were on a line of its own (write them so with jq -c '.[]')")


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_array_of_records_is_one_error_and_its_records_are_read(
        tmp_path: Path, indent: int | None) -> None:
    """A JSON array of records pasted into a .jsonl file (a JSON export, one record a
    line, or jq . of it) was one error, "the list starting here spans lines 1-N", and
    none of its records was read: it is one error saying it is a JSON array, not JSON
    Lines, and how to make it so, and each record is read, its problems at their line
    and column and named by its place among the file's records; the lines after it are
    read as ever."""
    records = [{"slug": "a", "title": "A"}, {"title": 5}, {"slug": "c", "title": "C"}]
    listed = ("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]" if indent is None
              else json.dumps(records, indent=indent))
    count = listed.count("\n") + 1
    text = f'{listed}\n{{"slug": "d", "title": "D", "latin": 7}}\n'
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["a", "c"]
    lines = text.split("\n")
    title = next(n for n, line in enumerate(lines, 1) if '"title": 5' in line)
    path = tmp_path / "m.jsonl"
    found = [(d.line, d.column, d.field, d.message) for d in
             validate_sources([path]).diagnostics]
    opened = title if indent is None else title - 1  # (the line of its "{")
    assert found == [
        (1, 1, "", array(1, count, 3)),
        (opened, lines[opened - 1].index("{") + 1, "muscles[1].slug",
         "is required and must be text"),
        (title, lines[title - 1].index("5") + 1, "muscles[1].title",
         "must be text, not a number"),
        (count + 1, lines[count].index("7") + 1, "muscles[d].latin",
         "must be text, not a number")]
    assert [(line, column) for line, column, _ in problems] == [f[:2] for f in found]


@pytest.mark.parametrize("after", ["", "  "])
def test_a_json_array_of_records_on_one_line_is_read_as_one_over_lines(
        tmp_path: Path, after: str) -> None:
    """A JSON array of records written on one line (``[{...},{...}]``, jq -c of an
    export) was one error, "muscles[0]: a muscle must be an object", and none of its
    records was read, where the same array over lines is read: it is one error saying
    it is a JSON array (all on its line) and how to make it JSON Lines, and each record
    is read, its problems and lints at their columns, the lines after it read as
    ever."""
    listed = json.dumps([{"slug": "a", "title": "A", "latin": " "}, {"title": 5},
                         {"slug": "c", "title": "C"}])
    line = listed + after
    text = f'{line}\n{{"slug": "d", "title": "D", "latin": 7}}\n'
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["a", "c"]
    found = [(d.line, d.column, d.field, d.code, d.message)
             for d in validate_sources([path]).diagnostics]
    second = line.index("{", 1 + line.index("}"))
    assert sorted(found, key=str) == sorted([
        (1, 1, "", "bad-json", array(1, 1, 3).replace("it spans lines 1-1",
                                                      "it is all on line 1")),
        (1, line.index('" "') + 1, "muscles[a].latin", "empty-text",
         "text is empty: leave latin out (none) when the muscle has no Latin name"),
        (1, second + 1, "muscles[1].slug", "wrong-type", "is required and must be text"),
        (1, line.index("5") + 1, "muscles[1].title", "wrong-type",
         "must be text, not a number"),
        (2, text.split("\n")[1].index("7") + 1, "muscles[d].latin", "wrong-type",
         "must be text, not a number")], key=str)
    assert sorted((line, column) for line, column, _ in problems) == sorted(
        f[:2] for f in found if f[3] != "empty-text")


@pytest.mark.parametrize("comma", ["", ","])
def test_an_empty_json_array_on_a_line_is_said_to_hold_no_muscle(
        tmp_path: Path, comma: str) -> None:
    """A line that is ``[]`` was "muscles[0]: a muscle must be an object", as if it were
    a record; it is one bad-json error at its bracket saying it is an empty JSON array
    and holds no muscle (a comma after it said as after a record), the lines after it
    read as ever."""
    text = f' []{comma}\n{{"slug": "b", "title": "B"}}\n'
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs == ["b"]
    assert problems == [
        (1, 2, "is not valid JSON Lines: this line is an empty JSON array, which holds no "
               "muscle; each line must be one record, a JSON object (leave the line out)"),
        *([(1, 4, "is not valid JSON Lines: records must not end with a comma, as this one "
                  "does (said once for the file, at the first; they are read as if they "
                  "had none)")] if comma else [])]


def test_a_json_array_of_records_and_other_values_on_a_line_reads_its_records(
        tmp_path: Path) -> None:
    """A line that is a JSON array of records holding other values too (``[{...}, 5]``)
    was one error, "muscles[0]: a muscle must be an object", and none of its records
    read; it is read as an array of records is: its bad-json error says how many of its
    items are records, each record is read, its problems and lints at their columns,
    and each other item is one error at it naming its index in the array."""
    listed = json.dumps([{"slug": "a", "title": "A", "latin": " "}, 5,
                         {"slug": "c", "title": 7}, "x"])
    text = f'{{"slug": "z", "title": "Z"}}\n{listed}\n'
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    slugs, _ = read_jsonl(text, tmp_path)
    assert slugs == ["z", "a"]
    lines = text.split("\n")

    def at(needle: str) -> tuple[int, int]:
        """(line, column) of the first ``needle`` past the first line."""
        number = next(n for n, line in enumerate(lines[1:], 2) if needle in line)
        return number, lines[number - 1].index(needle) + 1

    found = [(d.line, d.column, d.field, d.code, d.message)
             for d in validate_sources([path]).diagnostics]
    assert sorted(found, key=str) == sorted([
        (2, 1, "", "bad-json", "is not valid JSON Lines: the list starting here (it is "
         "all on line 2) is a JSON array of 4 items, 2 of them records, not one record per "
         "line; its records are read as if each were on a line of its own (write them so "
         "with jq -c '.[]')"),
        (*at('" "'), "muscles[a].latin", "empty-text",
         "text is empty: leave latin out (none) when the muscle has no Latin name"),
        (*at("5"), "muscles[2]", "wrong-type", "a muscle must be an object, and item 1 of "
         "the JSON array is none (the array's records are read)"),
        (*at("7"), "muscles[c].title", "wrong-type", "must be text, not a number"),
        (*at('"x"'), "muscles[4]", "wrong-type", "a muscle must be an object, and item 3 "
         "of the JSON array is none (the array's records are read)")], key=str)


def test_a_json_array_of_one_record_and_other_values_says_its_record_is_read(
        tmp_path: Path) -> None:
    """Each other item of an array of one record and other values said "(the array's
    records are read)", though it has one: it says "record is", as the array's error
    does ("1 of them a record ... its record is read")."""
    path = tmp_path / "m.jsonl"
    path.write_text('[{"slug": "a", "title": "A"}, 5]\n', encoding="utf-8")
    found = [(d.line, d.column, d.field, d.code, d.message)
             for d in validate_sources([path]).diagnostics]
    assert found == [
        (1, 1, "", "bad-json", "is not valid JSON Lines: the list starting here (it is all "
         "on line 1) is a JSON array of 2 items, 1 of them a record, not one record per "
         "line; its record is read as if it were on a line of its own (write it so with "
         "jq -c '.[]')"),
        (1, 31, "muscles[1]", "wrong-type", "a muscle must be an object, and item 1 of the "
         "JSON array is none (the array's record is read)")]


@pytest.mark.parametrize("past", [False, True])
def test_a_json_array_of_records_and_other_values_over_lines_reads_its_records(
        tmp_path: Path, monkeypatch, past: bool) -> None:
    """A JSON array of records and other values written over lines was one error, "the
    list starting here spans lines 2-7", none of its records read (the walk of one past
    the bounds of what is read ahead stopped at its first item that is no record); it is
    read as the one on one line is: its error counts its items and records, each record
    is read with its problems and lints at their columns, and each other item (a list
    over lines, a text holding a bracket, null) is one error at its line and column. So
    too past those bounds (``past``)."""
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 0 if past else lookahead._AHEAD_LINES)
    lines = ['{"slug": "z", "title": "Z"}', "[",
             '  {"slug": "a", "title": "A", "latin": " "},',
             '  5, [1,', "    2],",
             '  {"slug": "c", "title": 7}, "x\\"]", {"slug": "z", "title": "Y"}, null',
             "]"]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(d.line, d.column, d.field, d.code, d.message)
             for d in validate_sources([path]).diagnostics]

    def other(line: int, column: int, at: int) -> tuple[int, int, str, str, str]:
        """The error of the item ``at`` of the array, no record, at ``line:column``."""
        return (line, column, f"muscles[{at + 1}]", "wrong-type", "a muscle must be an "
                f"object, and item {at} of the JSON array is none (the array's records "
                "are read)")

    assert sorted(found, key=str) == sorted([
        (2, 1, "", "bad-json", "is not valid JSON Lines: the list starting here (it spans "
         "lines 2-7) is a JSON array of 7 items, 3 of them records, not one record per "
         "line; its records are read as if each were on a line of its own (write them so "
         "with jq -c '.[]')"),
        (3, 40, "muscles[a].latin", "empty-text",
         "text is empty: leave latin out (none) when the muscle has no Latin name"),
        other(4, 3, 1), other(4, 6, 2), other(6, 30, 4), other(6, 67, 6),
        (6, 26, "muscles[c].title", "wrong-type", "must be text, not a number"),
        (6, 47, "muscles[z].slug", "duplicate-slug", "slug 'z' is already used by an "
         "earlier record of this file, on line 1")], key=str)


def test_an_item_of_a_mixed_json_array_holding_a_byte_not_utf8_is_one_error(
        tmp_path: Path) -> None:
    """An item that is no record holding a byte that is not UTF-8 ("x\\xff") was two
    errors, "a muscle must be an object" without the wording of such an item and "is
    not UTF-8" after it; it is one, the wording of any other item that is no record,
    naming the byte. A record's byte is its own not-utf8 error, as before."""
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'[{"slug":"a","title":"A"}, "x\xff", ["y", "z\xfe"], '
                     b'{"slug":"b","title":"B\xfe"}]\n')
    found = [(d.line, d.column, d.field, d.code, d.message)
             for d in validate_sources([path]).diagnostics]
    assert found == [
        (1, 1, "", "bad-json", "is not valid JSON Lines: the list starting here (it is all "
         "on line 1) is a JSON array of 4 items, 2 of them records, not one record per "
         "line; its records are read as if each were on a line of its own (write them so "
         "with jq -c '.[]')"),
        (1, 28, "muscles[1]", "wrong-type", "a muscle must be an object, and item 1 of the "
         "JSON array is none (the array's records are read; it holds a byte that is not "
         "UTF-8, 0xff)"),
        (1, 34, "muscles[2]", "wrong-type", "a muscle must be an object, and item 2 of the "
         "JSON array is none (the array's records are read; it holds a byte that is not "
         "UTF-8, 0xfe)"),
        (1, 69, "muscles[b].title", "not-utf8", "is not UTF-8 (byte 0xfe, which is þ in "
         "Windows-1252: save the file as UTF-8)")]


@pytest.mark.parametrize("indent", [None, 2])
def test_the_lints_of_a_json_array_with_a_comma_after_it_are_placed_in_it(
        tmp_path: Path, indent: int | None) -> None:
    """A JSON array of records with a comma after it (``[...],``, on one line or over
    lines) is read as one without, the comma said once; the lints of its records had
    no line (the index of where its slugs are read it again with the comma, which is no
    JSON): they are at their values."""
    text = json.dumps([{"slug": "a", "title": "A", "latin": " "},
                       {"slug": "b", "title": "B", "latin": ""}], indent=indent) + ",\n"
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")

    def at(needle: str) -> tuple[int, int]:
        """(line, column) of the first ``needle``."""
        number = next(n for n, line in enumerate(lines, 1) if needle in line)
        return number, lines[number - 1].index(needle) + 1

    found = [(d.line, d.column, d.field, d.code)
             for d in validate_sources([path]).diagnostics]
    last = text.count("\n")
    assert sorted(found, key=str) == sorted([
        (1, 1, "", "bad-json"), (last, len(lines[last - 1]), "", "bad-json"),
        (*at('" "'), "muscles[a].latin", "empty-text"),
        (*at('""'), "muscles[b].latin", "empty-text")], key=str)


def test_a_json_array_of_records_on_one_line_with_a_byte_not_utf8_is_read_as_one(
        tmp_path: Path) -> None:
    """Such a line holding a byte that is not UTF-8 was one "not-utf8" error at its
    first and "a muscle must be an object": it is read as the array over lines is, the
    record holding the byte left out with an error at it and its other problems."""
    raw = b'[{"slug": "a", "title": "A"}, {"slug": "b", "title": "\xff", "latin": 3}]\n'
    path = tmp_path / "m.jsonl"
    path.write_bytes(raw)
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (1, 1, "", "bad-json"),
        (1, raw.index(b"\xff") + 1, "muscles[b].title", "not-utf8"),
        (1, raw.index(b"3") + 1, "muscles[b].latin", "wrong-type")]


@pytest.mark.parametrize("past", [False, True])
@pytest.mark.parametrize("indent", [2, "\t"])
def test_the_lints_and_a_slug_twice_of_a_json_array_over_lines_are_placed_in_it(
        tmp_path: Path, monkeypatch, indent: int | str, past: bool) -> None:
    """The records of a JSON array written over lines (jq . of an export) were read, but
    the lints of their valid fields had no line (the index of the slugs' lines read one
    line at a time, and no line of the array is a record) and a slug twice was placed at
    its record's first line, column 1: each is at its value's line and column (a key's
    lint at its key), as in a file of one record a line; a slug twice names the line of
    the earlier record's slug, a lint of a slug of two records is at its own record
    (:func:`~converter.locator.locate_marked`), and a record
    after the array is placed as ever. So too in an array past the bounds of what is
    read ahead (``past``: its records each within them), whose lints had no line."""
    import formats.jsonl.lookahead as lookahead

    shared = "Udspringer fra hoftebenets yderside."
    records = [{"slug": "a", "title": "A", "origin": {"da": shared},
                "extra": {"Coords": 2}},
               {"slug": "b", "title": "B", "origin": {"da": shared}, "latin": " "},
               {"slug": "c", "title": "C", "latin": ""}, {"slug": "c", "title": "C again"}]
    text = (json.dumps(records, indent=indent)
            + '\n{"slug": "d", "title": "D", "latin": " "}\n')
    if past:
        monkeypatch.setattr(lookahead, "_AHEAD_LINES", 12)
        assert text.count("\n") > 12 and all(
            json.dumps(r, indent=indent).count("\n") < 11 for r in records)
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")

    def at(needle: str, nth: int = 0) -> tuple[int, int]:
        """(line, column) of ``needle`` in the ``nth`` line that holds it."""
        number = [n for n, line in enumerate(lines, 1) if needle in line][nth]
        return number, lines[number - 1].index(needle) + 1

    found = [(d.line, d.column, d.field, d.code)
             for d in validate_sources([path]).diagnostics]
    assert sorted(found, key=str) == sorted([
        (1, 1, "", "bad-json"),
        (*at(f'"{shared}"'), "muscles[a].origin.da", "duplicate-text"),
        (*at(f'"{shared}"', 1), "muscles[b].origin.da", "duplicate-text"),
        (*at('"Coords"'), "muscles[a].extra.Coords", "field-case"),
        (*at('" "'), "muscles[b].latin", "empty-text"),
        (*at('""'), "muscles[c].latin", "empty-text"),
        (*at('"c"', 1), "muscles[c].slug", "duplicate-slug"),
        (*at('" "', 1), "muscles[d].latin", "empty-text")], key=str)
    earlier = at('"c"')[0]
    assert [d.message for d in validate_sources([path]).diagnostics
            if d.code == "duplicate-slug"] == [
        f"slug 'c' is already used by an earlier record of this file, on line {earlier}"]


@pytest.mark.parametrize("past", [False, True])
def test_records_of_a_json_array_that_share_a_line_are_told_apart_by_their_slugs(
        tmp_path: Path, monkeypatch, past: bool) -> None:
    """Records of a JSON array written over lines that start on one line (a list of
    records a few a line) are each placed at their own fields; a slug on two of them
    was placed on their line, at no column (the reader marked a record by its line
    alone): it is at the slug of the second, as a slug twice on two lines. So too past
    the bounds of what is read ahead (``past``)."""
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 0 if past else lookahead._AHEAD_LINES)
    lines = ['[{"slug": "a", "title": "A", "latin": " "}, {"slug": "b", "title": "B", '
             '"latin": ""},', '  {"slug": "c", "title": "C"}, {"slug": "c", "title": "C"}]']
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(d.line, d.column, d.field, d.code)
             for d in validate_sources([path]).diagnostics]
    assert sorted(found, key=str) == sorted([
        (1, 1, "", "bad-json"),
        (1, lines[0].index('" "') + 1, "muscles[a].latin", "empty-text"),
        (1, lines[0].index('""') + 1, "muscles[b].latin", "empty-text"),
        (2, lines[1].rindex('"c"') + 1, "muscles[c].slug", "duplicate-slug")], key=str)


@pytest.mark.parametrize("past", [False, True])
@pytest.mark.parametrize("newline", ["", "\n"])
def test_each_record_of_a_json_array_line_that_gives_a_slug_again_is_placed_at_it(
        tmp_path: Path, monkeypatch, past: bool, newline: str) -> None:
    """A JSON array of records on one line (jq -c of an export), or over lines with
    several a line, whose records give one slug three times: each ``duplicate-slug``
    was at their line with no column; each is at the slug of its own record, naming the
    line of the first. So too past the bounds of what is read ahead (``past``)."""
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 0 if past else lookahead._AHEAD_LINES)
    listed = json.dumps([{"slug": "a", "title": "A"}, {"slug": "c", "title": "C"},
                         {"slug": "b", "title": "B"}, {"slug": "c", "title": "C2"},
                         {"slug": "c", "title": "C3"}])
    text = f"[{newline}{listed[1:-1]}{newline}]\n"
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    number = 2 if newline else 1
    line = text.split("\n")[number - 1]
    columns = [at + 1 for at in range(len(line)) if line.startswith('"c"', at)]
    said = [(d.line, d.column, d.field, d.message) for d in validate_sources([path]).diagnostics
            if d.code == "duplicate-slug"]
    message = f"slug 'c' is already used by an earlier record of this file, on line {number}"
    assert said == [(number, column, "muscles[c].slug", message) for column in columns[1:]]


def test_a_coordinate_of_a_record_of_a_json_array_is_placed_at_its_number(
        tmp_path: Path) -> None:
    """A coordinate that is no number, in a record of a JSON array written over lines,
    was placed at the region's list ("[1]" before the field's path hid the point and
    axis): it is at that number, as in a file of one record a line."""
    records = [{"slug": "a", "title": "A"},
               {"slug": "b", "title": "B", "regions": [[[1, 2], [3, 4], [5, "x"]]]}]
    text = json.dumps(records, indent=2) + "\n"
    lines = text.split("\n")
    number = next(n for n, line in enumerate(lines, 1) if '"x"' in line)
    found = [(d.line, d.column, d.field) for d in read_problems(text, tmp_path)
             if d.code == "coords-not-number"]
    assert found == [(number, lines[number - 1].index('"x"') + 1,
                      "muscles[b].regions[0].points[2].y")]


@pytest.mark.parametrize("indent", [None, 2])
def test_a_json_array_with_a_byte_not_utf8_is_read_as_a_json_array(
        tmp_path: Path, indent: int | None) -> None:
    """A JSON array of records holding a byte that is not UTF-8 was not read at all
    where its first line held one (one error, "the list starting here spans lines
    1-N"), and where a later line did that byte was read as a lone surrogate (a
    control-character error): it is the array's one error and its records are read,
    one that holds such a byte left out, as a line that holds one, with a not-utf8
    error at each text holding one, named by its field, and its other problems."""
    records = [{"slug": "a", "title": "HOFTE"}, {"slug": "b", "title": "B"},
               {"slug": "c", "title": 5, "origin": {"KEY": "x", "da": "HOFTE"}},
               {"slug": "d", "title": "D"}]
    listed = ("[" + ",\n".join(json.dumps(r) for r in records) + "]" if indent is None
              else json.dumps(records, indent=indent))
    data = (listed + ',\n{"slug": "e", "title": "E"}\n').encode()  # (a comma after it)
    data = data.replace(b"HOFTE", b"H\xf8fte").replace(b"KEY", b"K\xffY")
    path = tmp_path / "m.jsonl"
    path.write_bytes(data)
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["b", "d", "e"]
    lines = data.split(b"\n")

    def at(needle: bytes, nth: int = 0) -> tuple[int, int]:
        """(line, column in bytes) of ``needle`` in the ``nth`` line that holds it."""
        number = [n for n, line in enumerate(lines, 1) if needle in line][nth]
        return number, lines[number - 1].index(needle) + 1

    count = listed.count("\n") + 1
    hint = ", which is ø in Windows-1252: save the file as UTF-8"
    assert [(d.line, d.column, d.field, d.code, d.message) for d in problems] == [
        (1, 1, "", "bad-json", array(1, count, 4)),
        (count, len(listed.split("\n")[-1]) + 1, "", "bad-json", COMMA),
        (*at(b"\xf8"), "muscles[a].title", "not-utf8", f"is not UTF-8 (byte 0xf8{hint})"),
        (*at(b"\xff"), "muscles[c].origin.K\ufffdY", "not-utf8", "is not UTF-8 (byte 0xff)"),
        (*at(b"\xf8", 1), "muscles[c].origin.da", "not-utf8",
         f"is not UTF-8 (byte 0xf8{hint})"),
        (*at(b'5'), "muscles[c].title", "wrong-type", "must be text, not a number")]


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("bound", ["_AHEAD_LINES", "_AHEAD_CHARS"])
def test_a_json_array_past_the_lookahead_bounds_is_read_as_one_within_them(
        tmp_path: Path, monkeypatch, indent: int | None, bound: str) -> None:
    """A JSON array of records longer than what is read ahead for a record's end
    (20,000 lines, 2 MiB) was an error per line, none of its records read: it is the
    same one error, and its records are read and their problems said as those of one
    within them (a record holding a byte that is not UTF-8, a comma after it too)."""
    import formats.jsonl.lookahead as lookahead

    records = [{"slug": "a", "title": "A", "origin": {"da": "HOFTE"}},
               {"slug": "b", "title": "B"}, {"title": 5},
               {"slug": "c", "title": "C", "regions": [[[1, 2], [3, 4], [5, "x"]]]}]
    listed = ("[" + ",\n".join(json.dumps(r) for r in records) + "]" if indent is None
              else json.dumps(records, indent=indent))
    path = tmp_path / "m.jsonl"
    path.write_bytes((listed + ' ,\n{"slug": "d", "title": "D"}\n').encode().replace(
        b"HOFTE", b"H\xf8fte"))

    def read() -> tuple[list[str], list[tuple]]:
        problems: list[Diagnostic] = []
        found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
        return [m.slug for m in found], [(d.line, d.column, d.field, d.code, d.message)
                                         for d in problems]

    within = read()
    assert within[0] == ["b", "d"]
    assert within[1][0][-1] == array(1, listed.count("\n") + 1, 4)
    assert [code for *_, code, _ in within[1]] == [
        "bad-json", "bad-json", "not-utf8", "wrong-type", "wrong-type", "coords-not-number"]
    longest = max((json.dumps(r, indent=indent) for r in records), key=len)
    with monkeypatch.context() as patched:  # (past the bounds: each record within them)
        patched.setattr(lookahead, bound, longest.count("\n") + 2
                        if bound == "_AHEAD_LINES" else len(longest) * 2)
        assert read() == within


def test_a_json_array_past_the_lookahead_bounds_is_not_held_whole(
        tmp_path: Path, monkeypatch) -> None:
    """A JSON array of records past the bounds of what is read ahead is read a record
    at a time, held no more than those bounds (it is walked twice: once to know it is
    one, once to read its records); one that is broken is said line by line, as
    before, and the lines after it are read."""
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 100)
    monkeypatch.setattr(lookahead, "_AHEAD_CHARS", 10_000)
    records = [{"slug": f"m{i:05}", "title": f"Muscle {i}", "origin": {"da": "x" * 40}}
               for i in range(3_000)]
    text = json.dumps(records, indent=1) + '\n{"slug": "z", "title": "Z"}\n'
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8-sig")  # (its byte order mark no part of line 1)
    problems: list[Diagnostic] = []
    fmt = get_format("jsonl")
    tracemalloc.start()
    try:
        count = sum(1 for _ in fmt.read(path, ReadContext(report=problems.append)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3_001
    assert [(d.line, d.code) for d in problems] == [(1, "bad-json")]
    assert peak < len(text) // 4, (peak, len(text))
    broken = text.replace('"m01500"', '"m01500" "x"')
    slugs, said = read_jsonl(broken, tmp_path)
    assert slugs == ["z"]
    assert said[0] == (1, 2, "is not valid JSON: Expecting value")
    assert not [message for *_, message in said if "JSON array" in message]


def unread(first: int, last: int, bounds: str) -> str:
    return (f"is not valid JSON Lines: the record starting here spans lines {first}-{last}, "
            f"more than a record written over lines is read ({bounds}), so it is not "
            "read, and the array's other records are; write each record on one line (as "
            "jq -c '.[]' does) to have it read")


@pytest.mark.parametrize("bound", ["_AHEAD_LINES", "_AHEAD_CHARS"])
def test_a_record_past_the_lookahead_bounds_in_a_json_array_is_its_one_error(
        tmp_path: Path, monkeypatch, bound: str) -> None:
    """A record longer than what is read ahead (20,000 lines, 2 MiB) in a JSON array of
    records made the whole array an error per line, none of its records read: that
    record is one error at its ``{`` saying so, and the array's other records are read,
    their problems and lints placed as ever."""
    import formats.jsonl.lookahead as lookahead

    records = [{"slug": "a", "title": "A", "latin": " "},
               {"slug": "big", "title": "Big", "extra": {"points": list(range(300))}},
               {"slug": "c", "title": 5}, {"slug": "d", "title": "D", "latin": " "}]
    text = json.dumps(records, indent=2) + "\n"
    lines = text.split("\n")
    patched = {"_AHEAD_LINES": 50, "_AHEAD_CHARS": 2000}
    monkeypatch.setattr(lookahead, bound, patched[bound])
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["a", "d"]

    def at(needle: str, nth: int = 0) -> tuple[int, int]:
        """(line, column) of ``needle`` in the ``nth`` line that holds it."""
        number = [n for n, line in enumerate(lines, 1) if needle in line][nth]
        return number, lines[number - 1].index(needle) + 1

    first, last = at('"big"')[0] - 1, at('"c"')[0] - 2
    assert lines[last - 1] == "  },"
    bounds = {"_AHEAD_LINES": "50 lines or 2 MiB",
              "_AHEAD_CHARS": "20,000 lines or 2,000 characters"}[bound]
    said = [(d.line, d.column, d.field, d.code, d.message)
            for d in validate_sources([path]).diagnostics]
    empty = "text is empty: leave latin out (none) when the muscle has no Latin name"
    assert sorted(said, key=str) == sorted([
        (1, 1, "", "bad-json", array(1, len(lines) - 1, 4)),
        (first, 3, "", "bad-json", unread(first, last, bounds)),
        (at(": 5")[0], at(": 5")[1] + 2, "muscles[c].title", "wrong-type",
         "must be text, not a number"),
        (*at('" "'), "muscles[a].latin", "empty-text", empty),
        (*at('" "', 1), "muscles[d].latin", "empty-text", empty)], key=str)


def test_a_record_past_the_lookahead_bounds_in_a_json_array_is_not_held(
        tmp_path: Path, monkeypatch) -> None:
    """Such a record is walked to its end a line at a time, none of it held: what the
    read holds is no more than those bounds, however long the record is."""
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 100)
    monkeypatch.setattr(lookahead, "_AHEAD_CHARS", 10_000)
    records = [{"slug": "a", "title": "A"},
               {"slug": "big", "title": "Big", "extra": {"points": list(range(100_000))}},
               {"slug": "c", "title": "C"}]
    text = json.dumps(records, indent=1) + "\n"
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")

    def read() -> tuple[list[str], list[tuple[int | None, int | None]]]:
        problems: list[Diagnostic] = []
        found = [m.slug for m in get_format("jsonl").read(
            path, ReadContext(report=problems.append))]
        return found, [(d.line, d.column) for d in problems]

    assert read() == (["a", "c"], [(1, 1), (6, 2)])
    tracemalloc.start()  # (read once before: what it imports is not counted)
    try:
        read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(text) // 20, (peak, len(text))


@pytest.mark.parametrize("levels", [20, 80])
def test_a_broken_json_array_is_walked_in_proportion_to_the_file(
        tmp_path: Path, monkeypatch, levels: int) -> None:
    """A JSON array past the bounds of what is read ahead that is broken is walked once
    from its ``[`` and then read line by line; a line of it that opens another array of
    records (``[`` in a record past the bounds, whose records are ``{"x": [`` again, to
    the file's end) is not walked again: each walk would read on to the end, the file's
    lines read as often as it has such lines. What the walks read and parse, counted by
    wrapping them, is no more than twice its lines however many there are."""
    import formats.jsonl.listing as listing
    import formats.jsonl.lookahead as lookahead

    monkeypatch.setattr(lookahead, "_AHEAD_LINES", 20)
    walked, parsed = [0], [0]
    next_line, read_json = listing._Walk.next_line, listing._parsed

    def counted_line(walk: listing._Walk) -> None:
        walked[0] += 1
        next_line(walk)

    def counted_json(text: str) -> tuple[object, object]:
        parsed[0] += 1
        return read_json(text)

    monkeypatch.setattr(listing._Walk, "next_line", counted_line)
    monkeypatch.setattr(listing, "_parsed", counted_json)
    lines = ["["]
    for _ in range(levels):
        lines += ['{"x":', "["] + ['{"slug": "a", "title": "A"},'] * 30
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[Diagnostic] = []
    found = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    assert len(found) == levels * 30  # (each record's line read as a line, its comma said)
    assert [d.line for d in problems if "Expecting value" in d.message] == [
        number for number, line in enumerate(lines, 1) if line in ('{"x":', "[")]
    assert walked[0] + parsed[0] <= 2 * len(lines), (walked, parsed, len(lines))


@pytest.mark.parametrize("lint", [False, True])
def test_a_json_array_of_many_records_on_one_line_is_read_in_proportion_to_it(
        tmp_path: Path, monkeypatch, lint: bool) -> None:
    """A JSON array past the bounds of what is read ahead whose records share one line
    (``jq -c .`` of a big export) was read in time of the line's length for each of its
    records: each record's text was the line up to it blanked and the rest of it, and
    each lint of one (a slug twice) read every record of the line again. The
    characters parsed and placed, counted by wrapping what parses and places them, are
    a few times the file's, however many records the line holds (each record with a
    slug twice, and the first of its slug, placed once more: the duplicate-slug is at
    the second's slug, naming the first's line); the records with a slug twice are
    each said."""
    import formats.jsonl.listing as listing
    import formats.jsonl.lookahead as lookahead
    import formats.jsonl.placing as placing

    monkeypatch.setattr(lookahead, "_AHEAD_CHARS", 1000)
    counted = [0]
    read_json, places = listing._parsed, placing.canonical.JsonPlaces

    def counted_json(text: str) -> tuple[object, object]:
        counted[0] += len(text)
        return read_json(text)

    def counted_places(text: str) -> object:
        counted[0] += len(text)
        return places(text)

    monkeypatch.setattr(listing, "_parsed", counted_json)
    monkeypatch.setattr(placing.canonical, "JsonPlaces", counted_places)
    count = 400
    line = ",".join(json.dumps({"slug": f"b{i // 2 if lint else i}", "title": "B"})
                    for i in range(count))
    path = tmp_path / "m.jsonl"
    path.write_text(f"[\n{line}\n]\n", encoding="utf-8")
    if lint:
        found = [(d.line, d.code) for d in validate_sources([path]).diagnostics]
        assert found.count((2, "duplicate-slug")) == count // 2
    else:
        problems: list[Diagnostic] = []
        read = list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
        assert [m.slug for m in read] == [f"b{i}" for i in range(count)]
        assert [d.code for d in problems] == ["bad-json"]
    assert counted[0] <= 8 * path.stat().st_size, (counted, path.stat().st_size)


def test_lints_of_many_records_on_one_line_of_a_json_array_ask_each_slug_once(
        tmp_path: Path, monkeypatch) -> None:
    """A JSON array within the bounds of what is read ahead whose records share one
    line, many of them with a slug twice: each lint of one looked at the slug of every
    record of the line again (time quadratic in them). The slugs looked at, counted by
    wrapping what reads them, are a few for each record; each slug twice is said."""
    import formats.jsonl.slugs as slugs

    counted = [0]
    slug_in = slugs._slug_in

    def counted_slug(record: object) -> str | None:
        counted[0] += 1
        return slug_in(record)

    monkeypatch.setattr(slugs, "_slug_in", counted_slug)
    count = 400
    line = ",".join(json.dumps({"slug": f"b{i // 2}", "title": "B"}) for i in range(count))
    path = tmp_path / "m.jsonl"
    path.write_text(f"[\n{line}\n]\n", encoding="utf-8")
    found = [(d.line, d.code) for d in validate_sources([path]).diagnostics]
    assert found.count((2, "duplicate-slug")) == count // 2
    assert counted[0] <= 4 * count, counted


def test_a_byte_not_utf8_past_the_lookahead_bounds_is_at_its_byte_column(
        tmp_path: Path, monkeypatch) -> None:
    """In a JSON array past the bounds of what is read ahead, a record's not-utf8 error
    on a line where an earlier record holds letters of more than one byte (ø, ✓, 🦵)
    was placed as if each of them were one byte (the part before the record counted in
    characters): it is at the byte's column, as within the bounds."""
    import formats.jsonl.lookahead as lookahead

    first = json.dumps({"slug": "a", "title": "Højre ✓ \U0001F9B5"}, ensure_ascii=False)
    second = '{"slug": "c", "title": "HOFTE", "origin": {"da": 5}}'
    path = tmp_path / "m.jsonl"
    data = f'[{first}, {second},\n{{"slug": "d", "title": "D"}}]\n'.encode()
    path.write_bytes(data.replace(b"HOFTE", b"H\xf8fte"))

    def read() -> list[tuple]:
        problems: list[Diagnostic] = []
        list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
        return [(d.line, d.column, d.field, d.code) for d in problems]

    within = read()
    assert within[1] == (1, path.read_bytes().index(b"\xf8") + 1, "muscles[c].title",
                         "not-utf8")
    with monkeypatch.context() as patched:  # (past the bounds: each record within them)
        patched.setattr(lookahead, "_AHEAD_LINES", 0)
        patched.setattr(lookahead, "_AHEAD_CHARS", len(second) * 2)
        assert read() == within


def read_problems(text: str, tmp_path: Path) -> list[Diagnostic]:
    """The diagnostics of reading a JSON Lines file of ``text``."""
    path = tmp_path / "m.jsonl"
    path.write_text(text, encoding="utf-8")
    problems: list[Diagnostic] = []
    list(get_format("jsonl").read(path, ReadContext(report=problems.append)))
    return problems


@pytest.mark.parametrize("between", [b",", b",\n "])
def test_the_records_of_a_json_array_with_a_byte_not_utf8_have_their_places(
        tmp_path: Path, between: bytes) -> None:
    """In a JSON array of records holding a byte that is not UTF-8 (one line, or over
    lines) a slug given twice was said at the line alone, no column (and listed first),
    and a lint of another record (``muscles[c].latin``) at no line: the array was read
    again as strict UTF-8 to place them, which failed. Each is at its value now, as
    without that byte."""
    records = [b'{"slug":"a","title":"A"}', b'{"slug":"b","title":"B\xff"}',
               b'{"slug":"a","title":"A2"}', b'{"slug":"c","title":"C","latin":" "}']
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"[" + between.join(records) + b"]\n")
    lines = path.read_bytes().split(b"\n")

    def at(needle: bytes, nth: int = 0) -> tuple[int, int]:
        """(line, column) of the ``nth`` ``needle`` (from 0) in the file."""
        found = [(number, column + 1) for number, line in enumerate(lines, 1)
                 for column in range(len(line)) if line.startswith(needle, column)]
        return found[nth]

    found = [(d.line, d.column, d.field, d.code)
             for d in validate_sources([path]).diagnostics]
    assert sorted(found, key=str) == sorted([
        (1, 1, "", "bad-json"), (*at(b"\xff"), "muscles[b].title", "not-utf8"),
        (*at(b'"a"', 1), "muscles[a].slug", "duplicate-slug"),
        (*at(b'" "'), "muscles[c].latin", "empty-text")], key=str)


@pytest.mark.parametrize(("text", "said"), [
    ('[{"slug": "a", "title": "A"}]\n', "it is all on line 1) is a JSON array of 1 record, "
     "not the record itself; it is read as if it were on a line of its own (write it so"),
    ('[\n  {"slug": "a", "title": "A"}\n]\n', "it spans lines 1-3) is a JSON array of 1 "
     "record, not the record itself; it is read as if it were on a line of its own "
     "(write it so"),
    ('[{"slug": "a", "title": "A"}, 5]\n', "it is all on line 1) is a JSON array of 2 "
     "items, 1 of them a record, not one record per line; its record is read as if it "
     "were on a line of its own (write it so"),
    ('[{"slug": "a", "title": "A"}, {"slug": "b", "title": "B"}]\n', "it is all on line "
     "1) is a JSON array of 2 records, not one record per line; they are read as if each "
     "were on a line of its own (write them so")])
def test_a_json_array_of_one_record_is_said_as_one(
        tmp_path: Path, text: str, said: str) -> None:
    """A JSON array of one record (``[{...}]``, a single record's export) was "a JSON
    array of 1 records, not one record per line; they are read as if each were ...",
    and one record among other items "its records are read as if each were": one is
    said as one."""
    slugs, problems = read_jsonl(text, tmp_path)
    assert slugs[0] == "a"
    assert problems[0] == (1, 1, "is not valid JSON Lines: the list starting here ("
                           f"{said} with jq -c '.[]')")
