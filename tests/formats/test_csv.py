"""The csv format: the Frictionless data package (lossless) and the flat sheet (lossy)."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import assume, given
from hypothesis import strategies as st

import converter
from converter.cli import cli
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import FIELDS, FrozenMap, Function, LocalizedText, Muscle, Region
from converter.registry import ReadContext, WriteContext, get_format
from converter.run import validate_sources
from formats import csv as csv_format
from formats.csv import FLAT_CARRIES, FLAT_LAYOUT, SEPARATORS
from tests.conftest import ROOT, SAMPLES, WAIT, demo_commands
from tests.strategies import corpora, text

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    '=HYPERLINK("http://x","click")', "@SUM(A1:A9)", "+45 kg", "-3 reps", "\tindented",
    "'already quoted", '"quoted", and, commas', "two\nlines", "  lead and trail  ",
    "Æbler, ørred og ål 💪", "\\N", "\\\\N", "\\e", "back\\slash\\n", "", "'", "=",
    "=cmd|' /C calc'!A0", "a | b", "\nleading newline", "trailing newline\n",
]


def hostile_muscle() -> Muscle:
    """A muscle whose every text field is hostile to spreadsheets and CSV."""
    return Muscle(
        slug="hostile", title=HOSTILE[0], latin=HOSTILE[1],
        origin=LocalizedText({"da": HOSTILE[2], "en": HOSTILE[3], "pt-BR": HOSTILE[14]}),
        insertion=LocalizedText({"da": HOSTILE[4], "en": HOSTILE[5]}),
        functions=(Function(LocalizedText({"da": HOSTILE[6], "en": HOSTILE[7]}),
                            LocalizedText({"en": HOSTILE[8]})),
                   Function(LocalizedText({"en": HOSTILE[9]}),
                            LocalizedText({"da": HOSTILE[14], "en": HOSTILE[17]})),
                   Function(LocalizedText({"da": HOSTILE[15]}))),
        exercises=tuple(HOSTILE[9:]),
        image=HOSTILE[16], image_focus=HOSTILE[19],
        regions=(Region(((1, Decimal("2.50")), (3, 4), (Decimal("0.000"), 7))),),
        body="=1+1\rbody with lone carriage returns (no line feed)\rand \\N",
        extra=FrozenMap({"note": "=1+1", "n": 1.5, "tags": ("a", None, True)}),
    )


def flat_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def package_bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def frictionless(descriptor: Path) -> dict:
    """The JSON report of the real ``frictionless validate`` command."""
    done = subprocess.run([str(FRICTIONLESS), "validate", "--json", str(descriptor)],
                          capture_output=True, text=True, check=False, timeout=WAIT)
    report = json.loads(done.stdout)
    assert (done.returncode == 0) == report["valid"]
    return report


def error_types(report: dict) -> set[str]:
    return {e["type"] for task in report["tasks"] for e in task["errors"]}


def codes(exc: pytest.ExceptionInfo[MuscleError]) -> set[str]:
    return {d.code for d in exc.value.diagnostics}


# ------------------------------------------------------------------ registry

def test_registry_declares_package_lossless_and_flat_variant() -> None:
    fmt = get_format("csv")
    assert fmt.lossless and fmt.can_read and fmt.can_write
    assert fmt.directory_marker == "datapackage.json" and fmt.extensions == (".csv",)
    assert fmt.variants == {"flat": FLAT_CARRIES}
    assert {"body", "extra"}.isdisjoint(FLAT_CARRIES)
    assert {o.name for o in fmt.options} == {"flat", "excel", "separator"}
    assert {o.name: o.needs for o in fmt.options if o.needs} == {"excel": "flat",
                                                                 "separator": "flat"}


# ------------------------------------------------------------------ package

def test_formats_command_lists_the_flat_variant_as_lossy() -> None:
    from converter.cli import cli

    result = CliRunner().invoke(cli, ["formats"])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    package = next(line for line in lines if line[0] == "csv")
    assert package[1:4] == ["yes", "yes", "lossless"]
    assert "datapackage.json/" in package and ".csv" in package
    flat = lines[lines.index(package) + 1]
    assert flat[:3] == ["--flat", "yes", "yes"]
    assert flat[3].split(",") == [f for f in FIELDS if f in FLAT_CARRIES]



def test_package_round_trip_samples(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    assert sorted(p.name for p in out.iterdir()) == [
        ".muscle-convert", "datapackage.json", "exercises.csv", "functions.csv",
        "muscles.csv", "regions.csv", "texts.csv"]
    expected = sorted(sample_muscles, key=lambda m: m.slug)
    assert converter.read(out) == expected
    assert converter.read(out / "datapackage.json") == expected


@given(corpora())
def test_package_round_trip_any_model(muscles: list[Muscle]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pkg"
        converter.write(muscles, out, "csv")
        assert converter.read(out) == muscles


def test_package_has_the_relational_shape_of_the_sqlite_database(
        sample_muscles: list[Muscle], tmp_path: Path) -> None:
    converter.write(sample_muscles, tmp_path / "pkg", "csv")
    converter.write(sample_muscles, tmp_path / "m.db", "sqlite")
    tables = {"muscles": "muscles", "texts": "texts", "functions": "functions",
              "exercises": "exercises", "regions": "points"}  # one row per polygon point
    with contextlib.closing(sqlite3.connect(tmp_path / "m.db")) as conn:
        for table, sqlite_table in tables.items():
            rows = flat_cells(tmp_path / "pkg" / f"{table}.csv")[1:]
            count = conn.execute(f"SELECT count(*) FROM {sqlite_table}").fetchone()[0]
            assert len(rows) == count > 0, table
        texts = conn.execute("SELECT muscle, field, language, text FROM texts "
                             "ORDER BY muscle, field, language").fetchall()
    assert sorted(tuple(row) for row in flat_cells(tmp_path / "pkg" / "texts.csv")[1:]) == texts


def test_package_keeps_none_empty_and_marker_like_text_apart(tmp_path: Path) -> None:
    muscles = [Muscle(slug="a", title="A", latin=None, image="", image_focus="\\N",
                      origin=LocalizedText({"da": "", "en": "\\N"}), exercises=("", "\\\\N")),
               Muscle(slug="b", title="B", latin="", image=None, image_focus=None,
                      regions=(Region(((12, Decimal("12.50")), (0, 0), (Decimal("7.0"), 3))),))]
    converter.write(muscles, tmp_path / "pkg", "csv")
    back = converter.read(tmp_path / "pkg")
    assert back == muscles
    assert back[1].regions[0].points[0] == (12, Decimal("12.50"))
    assert str(back[1].regions[0].points[0][1]) == "12.50"
    assert isinstance(back[1].regions[0].points[0][0], int)
    rows = flat_cells(tmp_path / "pkg" / "muscles.csv")
    assert rows[1][2:5] == ["\\N", "", "\\\\N"]
    assert rows[2][2:5] == ["", "\\N", "\\N"]


def test_package_keeps_marker_like_title_and_body(tmp_path: Path) -> None:
    muscles = [Muscle(slug="a", title="A", body="\\N"), Muscle(slug="b", title="\\N"),
               Muscle(slug="c", title="\\\\N", body="\\\\N")]
    converter.write(muscles, tmp_path / "pkg", "csv")
    assert converter.read(tmp_path / "pkg") == muscles
    rows = flat_cells(tmp_path / "pkg" / "muscles.csv")
    assert [(row[1], row[5]) for row in rows[1:]] == [
        ("A", "\\\\N"), ("\\\\N", ""), ("\\\\\\N", "\\\\\\N")]
    report = frictionless(tmp_path / "pkg" / "datapackage.json")
    assert report["valid"], error_types(report)


def test_package_descriptor_declares_keys_and_types(tmp_path: Path) -> None:
    converter.write([hostile_muscle()], tmp_path / "pkg", "csv")
    data = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in data["resources"]}
    assert list(resources) == ["muscles", "texts", "functions", "exercises", "regions"]
    assert resources["muscles"]["schema"]["primaryKey"] == ["slug"]
    assert resources["functions"]["schema"]["primaryKey"] == ["slug", "position", "part",
                                                             "language"]
    for name in ("texts", "functions", "exercises", "regions"):
        assert resources[name]["schema"]["foreignKeys"] == [
            {"fields": ["slug"], "reference": {"resource": "muscles", "fields": ["slug"]}}]
    types = {f["name"]: f["type"] for f in resources["regions"]["schema"]["fields"]}
    assert types == {"slug": "string", "region": "integer", "point": "integer",
                     "x": "number", "y": "number"}
    for resource in resources.values():
        assert resource["schema"]["missingValues"] == ["\\N"]
        header = flat_cells(tmp_path / "pkg" / resource["path"])[0]
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_frictionless_validates_written_packages(sample_muscles: list[Muscle],
                                                 tmp_path: Path) -> None:
    converter.write(sample_muscles, tmp_path / "samples", "csv")
    converter.write([hostile_muscle()], tmp_path / "hostile", "csv")
    for name in ("samples", "hostile"):
        report = frictionless(tmp_path / name / "datapackage.json")
        assert report["valid"], error_types(report)
        assert {t["name"] for t in report["tasks"]} == {"muscles", "texts", "functions",
                                                        "exercises", "regions"}


DAMAGE = {
    # name: (table, function(lines) -> lines, frictionless error, our diagnostic code)
    "non-integer position": ("exercises", lambda ls: [ls[0], ls[1].replace(',"0",', ",first,", 1),
                                                      *ls[2:]], "type-error", "not-integer"),
    "dangling foreign key": ("exercises", lambda ls: [*ls, "no-such-muscle,0,Squat"],
                             "foreign-key", "unknown-slug"),
    "duplicate primary key": ("texts", lambda ls: [*ls[:2], ls[1], *ls[2:]], "primary-key",
                              "duplicate-key"),
    "null in a required text": ("texts", lambda ls: [ls[0], "biceps-brachii,origin,da,\\N",
                                                     *ls[2:]], "constraint-error",
                                "missing-field"),
    "text in a number column": ("regions", lambda ls: [ls[0], "biceps-brachii,0,0,x,218",
                                                       *ls[2:]], "type-error",
                                "coords-not-number"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_package_fails_frictionless_and_reader(damage: str, tmp_path: Path,
                                                       sample_muscles: list[Muscle]) -> None:
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    table, change, frictionless_error, our_code = DAMAGE[damage]
    path = out / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith('"biceps-brachii",')  # (every cell quoted)
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    report = frictionless(out / "datapackage.json")
    assert not report["valid"]
    assert frictionless_error in error_types(report)
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert our_code in codes(exc)


def test_a_muscle_row_gone_bad_is_one_unknown_slug_a_table(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """A muscle's slug mistyped in muscles.csv gave one unknown-slug for every row of
    its texts, functions, exercises and points (33 for soleus, besides the bad-slug):
    each table now says it once, at its first row, with how many rows name it."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    muscles = out / "muscles.csv"
    muscles.write_text(muscles.read_text(encoding="utf-8").replace('"soleus",', '"Sole us",'),
                       encoding="utf-8")
    rows = {table: [n for n, line in enumerate((out / f"{table}.csv").read_text(
        encoding="utf-8").splitlines(), 1) if line.startswith('"soleus",')]
        for table in ("texts", "functions", "exercises", "regions")}
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    unknown = [(Path(d.path).name, d.line, d.message) for d in exc.value.diagnostics
               if d.code == "unknown-slug"]
    expected = [(f"{table}.csv", lines[0], "no muscle 'soleus' in muscles" + (
        f" ({len(lines)} rows name it; this is the first)" if len(lines) > 1 else ""))
        for table, lines in rows.items() if lines]
    assert sorted(unknown) == sorted(expected)
    assert len(expected) == 4 and sum(map(len, rows.values())) > 4


def test_the_rows_of_a_muscle_whose_slug_is_not_one_are_not_said_to_name_no_muscle(
        tmp_path: Path) -> None:
    """A slug of muscles.csv that is not one ('Not A') was its bad-slug and, at the rows
    of the other tables that name it, unknown-slug 'no muscle 'Not A' in muscles',
    though muscles.csv has that row."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A", origin=LocalizedText.of({"en": "x"}),
                            exercises=("squat",))], out, "csv")
    for table in ("muscles", "texts", "exercises"):
        path = out / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace('"a",', '"Not A",'),
                        encoding="utf-8")
    problems: list[Diagnostic] = []
    assert list(get_format("csv").read(out, ReadContext(report=problems.append))) == []
    assert [(Path(d.path).name, d.line, d.field, d.code) for d in problems] == [
        ("muscles.csv", 2, "slug", "bad-slug")]


def test_positions_give_the_order_and_bad_headers_are_reported(tmp_path: Path) -> None:
    """A row deleted in a spreadsheet leaves a gap, which reads as the rest in order (as
    in SQLite; it was a position-gap error)."""
    muscle = Muscle(slug="a", title="A", exercises=("x", "y"))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    exercises = out / "exercises.csv"
    exercises.write_text("slug,position,name\na,5,y\na,0,x\na,9,z\n", encoding="utf-8")
    assert converter.read(out)[0].exercises == ("x", "y", "z")
    exercises.write_text("slug,pos,name\na,0,x\n", encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert codes(exc) == {"bad-header"}
    (out / "exercises.csv").unlink()
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert codes(exc) == {"missing-table"}


@pytest.mark.parametrize(("table", "rows", "cell", "line"), [
    ("exercises", "slug,position,name\na,-1,x\n", "position", 2),
    ("regions", "slug,region,point,x,y\na,0,0,1,1\na,0,1,9,1\na,0,-2,9,9\n", "point", 4)])
def test_a_negative_position_says_it_is_negative(table: str, rows: str, cell: str, line: int,
                                                 tmp_path: Path) -> None:
    """It was "'-1' is not a whole number [not-integer]"."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    (out / f"{table}.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    (found,) = exc.value.diagnostics
    assert (found.path, found.line, found.field, found.code) == (
        str(out / f"{table}.csv"), line, cell, "bad-value")
    assert found.message.endswith(f"is negative: {cell} counts from 0")


def test_a_position_in_digits_of_another_script_is_not_an_integer(tmp_path: Path) -> None:
    """int() takes Arabic-Indic digits, which the package's schema refuses: '\u0663' was
    read as position 3."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A", exercises=("x",))], out, "csv")
    (out / "exercises.csv").write_text("slug,position,name\na,\N{ARABIC-INDIC DIGIT THREE},x\n",
                                       encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.line, d.field, d.code) for d in exc.value.diagnostics] == [
        (2, "position", "not-integer")]


def test_a_row_that_does_not_fit_its_header_loses_only_its_muscle(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """One extra cell in exercises.csv cost every muscle of the package."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    path = out / "exercises.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    slug = next(csv.reader([lines[5]]))[0]
    lines[5] += ",oops"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list = []
    muscles = list(get_format("csv").read(out, ReadContext(report=problems.append)))
    assert [(d.line, d.code) for d in problems] == [(6, "bad-row")]
    assert [m.slug for m in muscles] == [m.slug for m in sample_muscles if m.slug != slug]


def test_a_row_longer_than_the_header_a_spreadsheet_padded_loses_only_its_muscle(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """A spreadsheet names no column past the header's end ("slug,...,text,"): the
    whole table was a bad-header at line 1, and no muscle was read."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    path = out / "exercises.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    slug = next(csv.reader([lines[5]]))[0]
    lines = [lines[0] + ",", *(line + "," for line in lines[1:5]), lines[5] + ",spill",
             *(line + "," for line in lines[6:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list = []
    muscles = list(get_format("csv").read(out, ReadContext(report=problems.append)))
    assert [(d.line, d.code) for d in problems] == [(6, "bad-row")]
    assert [m.slug for m in muscles] == [m.slug for m in sample_muscles if m.slug != slug]


def test_a_problem_is_named_at_the_table_row_that_gave_the_value(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """A bad language in texts.csv was reported at the muscle's line of muscles.csv,
    and a problem inside extra without its extra. prefix."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    texts = out / "texts.csv"
    lines = texts.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines)
              if line.startswith('"trapezius","insertion","en",'))
    lines[at] = lines[at].replace(',"en",', ',"EN",', 1)
    texts.write_text("\n".join(lines), encoding="utf-8")
    muscles_csv = out / "muscles.csv"
    rows = list(csv.reader(io.StringIO(muscles_csv.read_text(encoding="utf-8"))))
    deltoid = [r[0] for r in rows].index("deltoideus")
    rows[deltoid][rows[0].index("extra")] = '{"n": NaN}'
    with muscles_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    problems: list = []
    list(get_format("csv").read(out, ReadContext(report=problems.append)))
    row_line = muscles_csv.read_text(encoding="utf-8").split("\n").index(
        next(line for line in muscles_csv.read_text(encoding="utf-8").split("\n")
             if line.startswith("deltoideus,"))) + 1  # (bodies span lines)
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in problems) == [
        ("muscles.csv", row_line, "extra.n", "wrong-type"),
        ("texts.csv", at + 1, "insertion.EN", "bad-language")]


def test_a_byte_that_is_not_utf8_is_placed_at_its_line(tmp_path: Path,
                                                       sample_muscles: list[Muscle]) -> None:
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    texts = out / "texts.csv"
    lines = texts.read_bytes().count(b"\n")
    with texts.open("ab") as fh:
        fh.write(b"soleus,origin,fr,caf\xe9\n")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.code, d.line) for d in exc.value.diagnostics] == [("not-utf8", lines + 1)]


def with_byte(path: Path, after: bytes, byte: bytes = b"\xff") -> tuple[int, int]:
    """Put ``byte`` into ``path`` right after the first ``after``: its (line, column),
    the column counted in bytes, as every not-utf8 error counts it."""
    data = path.read_bytes()
    at = data.index(after) + len(after)
    path.write_bytes(data[:at] + byte + data[at:])
    return data.count(b"\n", 0, at) + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1


def read_reporting(path: Path) -> tuple[list[Muscle], list[tuple]]:
    problems: list = []
    muscles = list(get_format("csv").read(path, ReadContext(report=problems.append)))
    return muscles, [(Path(d.path).name, d.line, d.column, d.field, d.code, d.message)
                     for d in problems]


@pytest.mark.parametrize("table, after, column", [
    ("muscles", b'"soleus","Sol', "title"),
    ("texts", b'"soleus","origin","en","The', "text"),
    ("functions", b'"soleus","0","short","en","', "text"),
    ("exercises", b'"soleus","0","', "name"),
    ("regions", b'"soleus","0","0","', "x"),
])
def test_a_byte_that_is_not_utf8_in_a_package_loses_only_its_muscle(
        table: str, after: bytes, column: str, tmp_path: Path,
        sample_muscles: list[Muscle]) -> None:
    """One such byte in any table was one not-utf8 error for the whole table, and not
    one muscle of the package was read."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    line, at = with_byte(out / f"{table}.csv", after)
    muscles, problems = read_reporting(out)
    assert problems == [(f"{table}.csv", line, at, column, "not-utf8",
                         "is not UTF-8 (byte 0xff); its muscle is left out")]
    assert muscles == [m for m in sample_muscles if m.slug != "soleus"]


def test_a_byte_that_is_not_utf8_is_placed_at_its_own_line_in_a_cell(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """In a cell of many lines, saved with CRLF line ends: the byte's line, not the
    row's first one."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    table = out / "muscles.csv"
    table.write_bytes(table.read_bytes().replace(b"\n", b"\r\n"))
    body = next(m.body for m in sample_muscles if m.slug == "gastrocnemius")
    second = body.split("\n")[1].encode()
    line, at = with_byte(table, second[:4])  # ("## L", before the æ)
    rows = table.read_bytes().split(b"\n")
    first = next(i for i, row in enumerate(rows, 1) if row.startswith(b'"gastrocnemius"'))
    muscles, problems = read_reporting(out)
    assert line > first
    assert [p[1:5] for p in problems] == [(line, at, "body", "not-utf8")]
    assert "gastrocnemius" not in [m.slug for m in muscles]
    assert len(muscles) == len(sample_muscles) - 1


def test_a_byte_that_is_not_utf8_in_a_slug_cell_says_its_muscle_is_not_known(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    line, at = with_byte(out / "exercises.csv", b'"sol')
    muscles, problems = read_reporting(out)
    assert problems == [("exercises.csv", line, at, "slug", "not-utf8",
                         "is not UTF-8 (byte 0xff); the row is left out, and which "
                         "muscle it belongs to is not known")]
    assert [m.slug for m in muscles] == [m.slug for m in sample_muscles]


def test_a_byte_that_is_not_utf8_in_a_header_fails_its_table(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    with_byte(out / "texts.csv", b'"sl', b"\xc3")
    with pytest.raises(MuscleError) as exc:
        read_reporting(out)
    assert [(d.line, d.column, d.code, d.message) for d in exc.value.diagnostics] == [
        (1, 4, "not-utf8", "is not UTF-8 (byte 0xc3)")]


@pytest.mark.parametrize("encoding, said", [
    ("utf-16-le", "UTF-16 (little-endian"), ("utf-16-be", "UTF-16 (big-endian"),
    ("utf-32-le", "UTF-32 (little-endian"), ("utf-32-be", "UTF-32 (big-endian")])
@pytest.mark.parametrize("saved", ["m.csv", "pkg/texts.csv", "pkg/datapackage.json"])
def test_a_sheet_table_or_descriptor_in_utf16_or_utf32_without_a_mark_says_so(
        saved: str, encoding: str, said: str, tmp_path: Path,
        sample_muscles: list[Muscle]) -> None:
    """Saved without a byte order mark it was a bad-csv, bad-header or bad-json error
    showing its NUL bytes; it is one not-utf8 error saying its encoding, as in Markdown
    and JSON (and as with a mark)."""
    converter.write(sample_muscles, tmp_path / "m.csv", "csv", flat=True)
    converter.write(sample_muscles, tmp_path / "pkg", "csv")
    target = tmp_path / saved
    target.write_bytes(target.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(MuscleError) as caught:
        read_reporting(tmp_path / saved.partition("/")[0])
    assert [(d.path, d.line, d.column, d.code, d.message)
            for d in caught.value.diagnostics] == [
        (str(target), 1, 1, "not-utf8",
         f"is {said}, with no byte order mark), not UTF-8: save it as UTF-8")]


def _rewritten_in_place_on_read(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rewrite ``target`` in place (truncated and written again, its inode kept, one
    byte longer) as the reader's read of it returns: a writer that ran meanwhile."""
    text = target.read_bytes() + b"\n"

    class Rewritten(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            got = super().read(size)
            if Path(str(self.name)) == target:
                with open(target, "r+b") as fh:
                    fh.truncate(0)
                    fh.write(text)
            return got

    monkeypatch.setattr(csv_format.csvio, "open", lambda name, mode: Rewritten(name, mode),
                        raising=False)


@pytest.mark.parametrize("rewritten", ["m.csv", "pkg/datapackage.json",
                                       "pkg/muscles.csv", "pkg/texts.csv"])
def test_a_sheet_or_package_file_rewritten_in_place_while_read_is_one_error(
        rewritten: str, tmp_path: Path, sample_muscles, monkeypatch) -> None:
    """A flat sheet, or a package's descriptor or table, rewritten in place while it was
    read was read as whatever its read saw (which may mix both versions). It is one
    changed-while-read error now, naming the file, as in JSON and Markdown."""
    converter.write(sample_muscles, tmp_path / "m.csv", "csv", flat=True)
    converter.write(sample_muscles, tmp_path / "pkg", "csv")
    target = tmp_path / rewritten
    _rewritten_in_place_on_read(target, monkeypatch)
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path / rewritten.partition("/")[0])
    assert [(d.path, d.code, d.message) for d in caught.value.diagnostics] == [
        (str(target), "changed-while-read", "changed while it was read; run again")]


def test_a_byte_that_is_not_utf8_in_a_flat_sheet_loses_only_its_row(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """It was one not-utf8 error for the whole sheet, and no muscle was read."""
    sheet = tmp_path / "m.csv"
    converter.write(sample_muscles, sheet, "csv", flat=True)
    line, at = with_byte(sheet, b'"soleus","Sol')
    muscles, problems = read_reporting(sheet)
    assert problems == [("m.csv", line, at, "title", "not-utf8",
                         "is not UTF-8 (byte 0xff)")]
    expected = [m.project(FLAT_CARRIES) for m in sample_muscles if m.slug != "soleus"]
    assert muscles == expected
    from converter.cli import cli
    result = CliRunner().invoke(cli, ["convert", "--no-cache", "-j", "1", str(sheet),
                                             "--to", "json", "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 1
    assert len(json.loads((tmp_path / "m.json").read_text())["muscles"]) == len(expected)


def test_a_flat_row_left_out_for_a_byte_not_utf8_says_its_other_problems(
        tmp_path: Path) -> None:
    """A row with a byte that is not UTF-8 in its latin said only that: its unsafe image
    link, a control character in a text and a polygon that crosses itself were said a
    run later, once the byte was fixed. The latin, and an origin text holding such a
    byte too, have no other problem of their own; a row of the wrong number of cells
    says that too."""
    sheet = tmp_path / "m.csv"
    sheet.write_bytes(b'slug,title,latin,image,origin_en,origin_da,coords\n'
                      b'a,A,,,,,\n'
                      b'b,B,\xff,javascript:x,o\x01,\xfe\x01,"0,0,10,10,10,0,0,10"\n'
                      b'c,C,\xff\n')
    assert [m.slug for m in read_reporting(sheet)[0]] == ["a"]
    found = validate_sources([sheet]).diagnostics
    assert sorted((d.line, d.field, d.code) for d in found) == [
        (3, "coords[0]", "polygon-self-intersecting"), (3, "image", "unsafe-link"),
        (3, "latin", "not-utf8"), (3, "origin.en", "control-character"),
        (4, "", "bad-row"), (4, "latin", "not-utf8")]


def test_a_package_muscle_left_out_for_a_byte_not_utf8_says_its_other_problems(
        tmp_path: Path) -> None:
    """A row of muscles.csv with a byte that is not UTF-8 in its latin said only that:
    its unsafe image link, a control character in its origin (texts.csv) and a polygon
    that crosses itself (regions.csv) were said a run later, once the byte was fixed,
    where a flat sheet's or a JSON Lines line's are said beside it. The latin, and a
    body holding such a byte too, have no other problem of their own; the muscle is
    still left out, and a row whose slug holds one is said as before."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    header = ",".join(csv_format.columns("muscles")).encode()
    (out / "muscles.csv").write_bytes(
        header + b'\na,A,\\N,\\N,\\N,,{}\n'
        b'b,B,\xff,javascript:x,\\N,"\xfe\x01",{}\n'
        b's\xffx,C,\\N,javascript:y,\\N,,{}\n')
    (out / "texts.csv").write_bytes(b"slug,field,language,text\nb,origin,en,o\x01\n")
    (out / "regions.csv").write_bytes(
        b"slug,region,point,x,y\n" + b"".join(
            b"b,0,%d,%s\n" % (i, xy) for i, xy in enumerate(
                (b"0,0", b"10,10", b"10,0", b"0,10"))))
    muscles, _ = read_reporting(out)
    assert [m.slug for m in muscles] == ["a"]
    found = validate_sources([out]).diagnostics
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in found) == [
        ("muscles.csv", 3, "image", "unsafe-link"),
        ("muscles.csv", 3, "latin", "not-utf8"), ("muscles.csv", 4, "slug", "not-utf8"),
        ("regions.csv", 2, "coords[0]", "polygon-self-intersecting"),
        ("texts.csv", 2, "origin.en", "control-character")]


@pytest.mark.parametrize("rows, line, hint", [
    ('soleus,"Soleus" x\n', 2, 'a quote inside a quoted cell is written twice: ""'),
    ('soleus,Soleus\nb,"Open\n\nc,C\n', 3, "a quote opened in this row is never closed"),
])
def test_a_row_that_is_not_csv_is_placed_with_what_to_do(
        rows: str, line: int, hint: str, tmp_path: Path) -> None:
    sheet = tmp_path / "m.csv"
    sheet.write_text("slug,title\n" + rows, encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(sheet)
    [found] = exc.value.diagnostics
    assert (found.code, found.line) == ("bad-csv", line)
    assert hint in found.message


def test_a_flat_column_of_no_language_is_one_diagnostic_at_the_header(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """It was one error per row (each muscle's origin.EN)."""
    out = tmp_path / "m.csv"
    converter.write(sample_muscles, out, "csv", flat=True)
    text = out.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    column = header.split(",").index('"origin_en"')
    out.write_text(header.replace('"origin_en"', '"origin_EN"') + "\n" + rest,
                   encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.code, d.line, d.column) for d in exc.value.diagnostics] == [
        ("bad-header", 1, column + 1)]


def test_a_resource_name_that_is_not_text_is_one_diagnostic(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["name"] = ["muscles"]  # (a list: unhashable, it was a traceback)
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert codes(exc) == {"bad-package"}


def test_a_resource_left_out_or_named_twice_is_said_so_at_its_line(tmp_path: Path) -> None:
    """A resource removed from the descriptor was told to need a CSV file name (it is not
    there to have one); a second resource of one name silently replaced the first."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    resources = data["resources"]

    def problems(changed: list) -> list[tuple[int | None, str, str]]:
        text = json.dumps({**data, "resources": changed}, indent=2)
        descriptor.write_text(text, encoding="utf-8")
        with pytest.raises(MuscleError) as exc:
            converter.read(out)
        lines = text.splitlines()
        return [(lines[d.line - 1].strip() if d.line else None, d.field, d.message)
                for d in exc.value.diagnostics if d.code == "bad-package"]

    assert problems([r for r in resources if r["name"] != "texts"]) == [(
        '"resources": [', "resources", "no resource named 'texts': the package needs one "
        "for each of its tables (muscles, texts, functions, exercises, regions)")]
    twice = [*resources[:3], {**resources[3], "name": "muscles", "path": "exercises.csv"},
             *resources[4:]]
    assert problems(twice) == [('"name": "muscles",', "resources[3].name",
                                "resource name 'muscles' given twice (first in resources[0])")]
    nowhere = [*resources[:2], {**resources[2], "path": "../functions.csv"}, *resources[3:]]
    assert problems(nowhere) == [('"path": "../functions.csv",', "resources[2].path",
                                  "resource 'functions' needs a CSV file name beside the "
                                  "descriptor")]


UNREAD = {  # an edit of the descriptor -> the key it names, and the message
    "latin-1": (lambda d: d["resources"][1].update(encoding="latin-1"),
                "resources[1].encoding", "'latin-1' is not read: the tables are read as "
                'UTF-8 (save the table as UTF-8, then give "utf-8")'),
    # (a compressed table was read as not UTF-8, a plain one declared compressed as plain)
    "gzip": (lambda d: d["resources"][1].update(compression="gz"),
             "resources[1].compression", "'gz' is not read: the tables are read uncompressed "
             "(decompress the table and give the .csv file it holds as path, leaving "
             "compression out)"),
    "zip path": (lambda d: d["resources"][4].update(path="regions.csv.ZIP"),
                 "resources[4].path", "'regions.csv.ZIP' is not read: the tables are read "
                 "uncompressed (decompress the table and give the .csv file it holds as "
                 "path)"),
    "pipe": (lambda d: d["resources"][2]["dialect"].update(delimiter="|"),
             "resources[2].dialect.delimiter",
             "'|' is not read: delimiter may be ',' or ';' or '\\t'"),
    "escape": (lambda d: d["resources"][3]["dialect"].update(escapeChar="\\"),
               "resources[3].dialect.escapeChar", "this key is not read: a table's dialect "
               "may give only delimiter, quoteChar, doubleQuote, header, lineTerminator, "
               "skipInitialSpace, or those but header in csv (as frictionless 5 writes)"),
    # (frictionless 5's spelling, the keys but header nested in csv: was refused whole)
    "nested escape": (lambda d: d["resources"][3]["dialect"].update(csv={"escapeChar": "\\"}),
                      "resources[3].dialect.csv.escapeChar", "this key is not read: a "
                      "table's dialect.csv may give only delimiter, quoteChar, doubleQuote, "
                      "lineTerminator, skipInitialSpace"),
    "nested header": (lambda d: d["resources"][1]["dialect"].update(csv={"header": False}),
                      "resources[1].dialect.csv.header", "this key is not read: a table's "
                      "dialect.csv may give only delimiter, quoteChar, doubleQuote, "
                      "lineTerminator, skipInitialSpace"),
    "nested pipe": (lambda d: d["resources"][2]["dialect"].update(csv={"delimiter": "|"}),
                    "resources[2].dialect.csv.delimiter",
                    "'|' is not read: delimiter may be ',' or ';' or '\\t'"),
    "nested no object": (lambda d: d["resources"][0]["dialect"].update(csv=";"),
                         "resources[0].dialect.csv", "';' is not read: give csv as an object "
                         "of the dialect's keys"),
    "no header": (lambda d: d["resources"][0]["dialect"].update(header=False),
                  "resources[0].dialect.header", "false is not read: header may be true"),
    "empty is none": (lambda d: d["resources"][4]["schema"].update(missingValues=["", "\\N"]),
                      "resources[4].schema.missingValues", '["", "\\\\N"] is not read: a '
                      "cell of \\N is the tables' one missing value (an empty cell is an "
                      'empty text): give ["\\\\N"]'),
    # (was read with \N as missing; frictionless's default reads it as text)
    "no missing values": (lambda d: d["resources"][2]["schema"].pop("missingValues"),
                          "resources[2].schema", "the schema declares no missingValues, "
                          "so frictionless reads an empty cell as missing and \\N as text, "
                          "where the reader reads \\N as missing and an empty cell as an "
                          'empty text: declare "missingValues": ["\\\\N"] in the schema'),
}


def test_a_gzip_compressed_table_is_one_error_at_its_compression(tmp_path: Path) -> None:
    """A table gzipped as its resource declares, which frictionless reads, was read as
    it is on disk: a not-utf8 error at its first byte."""
    muscle = Muscle(slug="a", title="A", origin=LocalizedText({"da": "Lår"}))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    texts = out / "texts.csv"
    (out / "texts.csv.gz").write_bytes(gzip.compress(texts.read_bytes()))
    texts.unlink()
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][1].update(path="texts.csv.gz", compression="gz")
    text = json.dumps(data, indent=2)
    descriptor.write_text(text, encoding="utf-8")
    assert frictionless(descriptor)["valid"]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"compression"' in row)
    result = CliRunner().invoke(cli, ["validate", str(out), "--no-cache"])
    assert (result.exit_code, result.output.splitlines()[0]) == (1, (
        f"{descriptor}:{line}:22: error: resources[1].compression: 'gz' is not read: the "
        "tables are read uncompressed (decompress the table and give the .csv file it "
        "holds as path, leaving compression out) [bad-package]")), result.output
    assert "Traceback" not in result.output


def test_a_table_without_a_schema_is_refused_at_its_resource(tmp_path: Path) -> None:
    """frictionless reads a table without a schema with its default missing value, ""."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    del data["resources"][1]["schema"]
    descriptor.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.field, d.code, d.message.split(",")[0]) for d in exc.value.diagnostics] == [
        ("resources[1]", "bad-package", "the table declares no missingValues")]


@pytest.mark.parametrize("edit", sorted(UNREAD))
def test_a_table_declared_in_what_the_reader_does_not_read_is_refused_at_its_key(
        edit: str, tmp_path: Path) -> None:
    """A table declared Latin-1 (which frictionless reads) was read as UTF-8: not-utf8 at
    every row with a letter past ASCII; another delimiter, a missing value or a dialect
    key was read otherwise than declared, without a word."""
    muscle = Muscle(slug="a", title="Æble", origin=LocalizedText({"da": "Lår"}))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    change, field, message = UNREAD[edit]
    change(data)
    text = json.dumps(data, indent=2)
    descriptor.write_text(text, encoding="utf-8")
    texts = out / "texts.csv"
    texts.write_bytes(texts.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    key = field.rsplit(".", 1)[1]
    assert [(text.splitlines()[d.line - 1].split(":")[0].strip(), d.field, d.code, d.message)
            for d in exc.value.diagnostics] == [(f'"{key}"', field, "bad-package", message)]


def test_a_table_declared_as_the_reader_reads_it_is_read(tmp_path: Path) -> None:
    """The encoding in any spelling of UTF-8, and the dialect's other delimiters and
    line ends (what a spreadsheet saves, which the reader reads whatever is declared)."""
    muscle = Muscle(slug="a", title="Æble", exercises=("Squat", "Lunge"))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][0]["encoding"] = "UTF8"
    data["resources"][3]["dialect"].update(delimiter=";", lineTerminator="\r\n")
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    table = out / "exercises.csv"
    table.write_text(table.read_text(encoding="utf-8").replace('","', '";"'),
                     encoding="utf-8", newline="\r\n")
    assert converter.read(out) == [muscle]


#: How a table's separator is declared -> (the edit of its resource, the field said).
DECLARED = {
    "delimiter": (lambda r: r["dialect"].update(delimiter=","), "dialect.delimiter"),
    "tsv": (lambda r: (r["dialect"].pop("delimiter"), r.update(format="tsv")), "format"),
    "nested": (lambda r: r.update(dialect={"header": True, "csv": {"delimiter": ","}}),
               "dialect.csv.delimiter"),
}


@pytest.mark.parametrize(("declared", "used"), [
    ("delimiter", ";"), ("delimiter", "\t"), ("tsv", ";"), ("tsv", ","), ("nested", ";")])
def test_a_table_separated_otherwise_than_declared_is_read_with_one_warning(
        declared: str, used: str, tmp_path: Path) -> None:
    """A table saved again with ';' (LibreOffice) whose descriptor still said ',' was
    read as found without a word, where frictionless splits it on ','; it is still read
    as found, with one warning at the declaration (exit 0, 1 with --strict)."""
    muscle = Muscle(slug="a", title="A", exercises=("Squat, deep", "Lunge"))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    edit, field = DECLARED[declared]
    edit(data["resources"][3])
    text = json.dumps(data, indent=2)
    descriptor.write_text(text, encoding="utf-8")
    table = out / "exercises.csv"
    table.write_text(table.read_text(encoding="utf-8").replace('","', f'"{used}"'),
                     encoding="utf-8")
    said = "'\\t'" if declared == "tsv" else "','"
    message = (f"exercises.csv separates its cells with {used!r}, not {said} as declared: "
               f"it is read as found, but frictionless splits it on {said}; declare the "
               f"one used, \"delimiter\": {json.dumps(used)}")
    muscles, problems = read_reporting(out)
    assert muscles == [muscle]
    key = f'"{field.rpartition(".")[2]}": '  # (one a resource: resources[3]'s the 4th)
    line, at = [(n, row) for n, row in enumerate(text.splitlines(), 1) if key in row][3]
    assert problems == [("datapackage.json", line, at.index(key) + len(key) + 1,
                         f"resources[3].{field}", "delimiter-mismatch", message)]
    for strict, code in (([], 0), (["--strict"], 1)):
        result = CliRunner().invoke(cli, ["validate", str(out), "--no-cache", *strict])
        assert (result.exit_code, result.output.count("[delimiter-mismatch]")) == (code, 1)
        assert f"{descriptor}:{line}:" in result.output, result.output


def frictionless_saved(package: Path, out: Path, delimiter: str | None = None) -> Path:
    """``package`` saved again by frictionless into ``out``: its descriptor as
    frictionless 5 writes it (each dialect's keys but header nested in ``csv``) and,
    with ``delimiter``, its tables written again with that between cells."""
    from frictionless import Dialect, Package, Resource, formats

    saved = Package(str(package / "datapackage.json"))
    for resource in saved.resources:
        if delimiter is None:
            shutil.copy(package / resource.path, out / resource.path)
            continue
        control = formats.CsvControl(delimiter=delimiter)
        target = Resource(path=resource.path, basepath=str(out),
                          dialect=Dialect(controls=[control]))
        resource.write(target)
        resource.dialect = target.dialect
    saved.to_json(str(out / "datapackage.json"))
    return out


@pytest.mark.parametrize("delimiter", [None, ";"])
def test_a_package_frictionless_saved_again_reads_as_written(
        delimiter: str | None, tmp_path: Path) -> None:
    """frictionless 5 writes a table's dialect nested, {"header": true, "csv":
    {"delimiter": ";"}}, which was refused whole (this key is not read: csv); its keys
    are read and checked as the flat ones, and a ';' so declared warns of nothing."""
    muscle = Muscle(slug="a", title="=A", latin="L", image="a.png", image_focus="f.png",
                    origin=LocalizedText({"da": "Lår; ben", "en": "Thigh, leg"}),
                    functions=(Function(LocalizedText({"en": "Flexes"})),),
                    exercises=("Squat", "Lunge"), body="Text\n",
                    regions=(Region(((1, 2), (3, 4), (5, 7))),))
    converter.write([muscle], tmp_path / "pkg", "csv")
    out = tmp_path / "saved"
    out.mkdir()
    frictionless_saved(tmp_path / "pkg", out, delimiter)
    dialect = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))[
        "resources"][3]["dialect"]
    assert dialect == ({"csv": {"delimiter": ";"}} if delimiter else
                       {"header": True, "csv": {k: v for k, v in csv_format.layout._DIALECT.items()
                                                if k != "header"}})
    assert (out / "exercises.csv").read_text(encoding="utf-8").startswith(
        "slug;position;name\n" if delimiter else '"slug","position","name"\n')
    muscles, problems = read_reporting(out)
    assert (muscles, problems) == ([muscle], [])
    assert frictionless(out / "datapackage.json")["valid"]


def test_reader_rejects_reserved_keys_in_extra(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    path = out / "muscles.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"{}"', '"{""title"":""B""}"'),
                    encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert codes(exc) == {"reserved-key"}


def test_each_reserved_key_in_extra_is_an_error_at_its_row(tmp_path: Path) -> None:
    """It was one error naming ``extra`` for them all, that hid the ``<<``."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], out, "csv")
    path = out / "muscles.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"{}"', '"{""title"":""B"",""<<"":1,""latin"":2}"', 1), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert sorted((d.path, d.line, d.field, d.code) for d in exc.value.diagnostics) == [
        (str(path), 2, f"extra.{key}", "reserved-key") for key in ("<<", "latin", "title")]


@pytest.mark.parametrize(("extra", "field"), [('{"k": 1, "k": 2}', "extra"),
                                             ('{"m": {"n": 1, "n": 2}}', "extra.m.n")])
def test_a_key_given_twice_in_extra_is_an_error(extra: str, field: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    path = out / "muscles.csv"
    cell = '"' + extra.replace('"', '""') + '"'
    path.write_text(path.read_text(encoding="utf-8").replace('"{}"', cell), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.line, d.field, d.code) for d in exc.value.diagnostics] == [
        (2, field, "duplicate-key")]


#: JSON that Python's parser cannot take: deep nesting. (An integer over Python's digit
#: limit is read, and refused at its field: see below.)
UNREADABLE_JSON = {"deep nesting": '{"a": ' + "[" * 5000 + "]" * 5000 + "}"}


def convert_to_json(source: Path, out: Path) -> tuple[Result, list[str]]:
    """Run ``convert source --to json -o out``; the result and the slugs written."""
    from converter.cli import cli

    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "json", "-o", str(out),
                                      "--no-cache", "-j", "1"])
    written = json.loads(out.read_text(encoding="utf-8"))["muscles"] if out.exists() else []
    return result, [m["slug"] for m in written]


def test_extra_nested_deeper_than_json_parses_is_too_deep_at_its_key(tmp_path: Path
                                                                     ) -> None:
    """It was a bad-json "nested too deeply" error of the cell; it is the too-deep error
    of any deep extra, at its key."""
    pkg = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], pkg, "csv")
    path = pkg / "muscles.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][-1] = UNREADABLE_JSON["deep nesting"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    result, slugs = convert_to_json(pkg, tmp_path / "back.json")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if "error:" in ln]
    assert line.startswith(f"{path}:2: error: extra.a: is nested deeper than 32 levels")
    assert line.endswith("[too-deep]")
    assert slugs == ["b"]


@pytest.mark.parametrize("bad", sorted(UNREADABLE_JSON))
def test_unreadable_package_descriptor_is_one_diagnostic(bad: str, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], pkg, "csv")
    (pkg / "datapackage.json").write_text(UNREADABLE_JSON[bad], encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(pkg / "datapackage.json")
    (diagnostic,) = exc.value.diagnostics
    assert (diagnostic.line, diagnostic.field, diagnostic.code) == (1, "a", "too-deep")


# ------------------------------------------------------------------ flat sheet

def test_flat_round_trip_samples(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    out = tmp_path / "muscles.csv"
    summary = converter.write(sample_muscles, out, "csv", flat=True)
    assert "flat" in (summary or "")
    expected = [m.project(FLAT_CARRIES) for m in sorted(sample_muscles, key=lambda m: m.slug)]
    assert converter.read(out) == expected
    assert converter.read(out, format="csv") == expected


#: Texts made of what separates and quotes cells, breaks lines and starts formulas.
separated = st.text(st.sampled_from([";", ",", "\t", '"', "\n", "=", "+", "-", "@", "'", " ",
                                     "a", "æ", "1"]), max_size=12)


@st.composite
def separated_corpora(draw: st.DrawFn) -> list[Muscle]:
    """:func:`corpora` and one muscle whose texts are :data:`separated` (its slug has a
    part of 9 letters, which no slug of ``corpora`` has)."""
    texts = draw(st.lists(separated, min_size=1, max_size=4))
    muscle = Muscle(slug="separated", title="S" + texts[0], latin=texts[-1],
                    origin=LocalizedText({"da": texts[0]}),
                    functions=(Function(LocalizedText({"en": texts[-1]})),),
                    exercises=tuple(texts))
    return sorted([*draw(corpora()), muscle], key=lambda m: m.slug)


@given(separated_corpora(), st.sampled_from(SEPARATORS))
def test_flat_round_trip_any_model(muscles: list[Muscle], separator: str) -> None:
    """With each separator (``--separator``): a ';' or ',', a tab, a quote or a line
    break in a text stays in it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "muscles.csv"
        converter.write(muscles, out, "csv", flat=True, separator=separator)
        assert converter.read(out) == [m.project(FLAT_CARRIES) for m in muscles]


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("above", ["\n", "\r\n", "\n\n"])
def test_a_sheet_with_blank_lines_above_its_header_is_read_with_its_separator(
        tmp_path: Path, separator: str, above: str) -> None:
    """A ';' or tab sheet with a blank first line was split on ',' (the separator was
    told from the first line, not the header's): 'text follows a closing quote'."""
    muscles = converter.read(SAMPLES)
    out = tmp_path / "muscles.csv"
    converter.write(muscles, out, "csv", flat=True, separator=separator)
    out.write_bytes(above.encode() + out.read_bytes())
    assert converter.read(out) == [m.project(FLAT_CARRIES) for m in muscles]


def test_hostile_muscle_round_trips_and_is_neutralised(tmp_path: Path) -> None:
    muscle = hostile_muscle()
    converter.write([muscle], tmp_path / "pkg", "csv")
    converter.write([muscle], tmp_path / "flat.csv", "csv", flat=True)
    assert converter.read(tmp_path / "pkg") == [muscle]
    assert converter.read(tmp_path / "flat.csv") == [muscle.project(FLAT_CARRIES)]
    cells = [cell for row in flat_cells(tmp_path / "flat.csv") for cell in row]
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[5] in cells
    assert cells.count("'") == 1  # the empty origin text in pt-BR


def test_package_text_cells_are_neutralised_and_frictionless_still_validates(
        tmp_path: Path) -> None:
    """The package's tables open in spreadsheets too: no text cell of any table starts
    a formula; the descriptor declares the prefix, so frictionless reads valid tables
    and our reader gives the texts back exactly."""
    muscle = hostile_muscle()
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor[csv_format.FORMULA_PREFIX_KEY] == "'"
    for table in csv_format.TABLES:
        for row in flat_cells(out / f"{table}.csv")[1:]:
            assert not [cell for cell in row if cell.startswith(TRIGGERS)], (table, row)
    assert ["hostile", "'" + HOSTILE[0]] == flat_cells(out / "muscles.csv")[1][:2]
    assert "''already quoted" in [row[-1] for row in flat_cells(out / "texts.csv")]
    assert frictionless(out / "datapackage.json")["valid"]
    assert converter.read(out) == [muscle]


def test_every_cell_of_the_package_is_quoted(sample_muscles: list[Muscle],
                                            tmp_path: Path) -> None:
    """A spreadsheet that splits on ; or tab too (LibreOffice's import does by default)
    split the samples' texts that hold a ; into two columns."""
    converter.write(sample_muscles, tmp_path / "pkg", "csv")
    for table in csv_format.TABLES:
        path = tmp_path / "pkg" / f"{table}.csv"
        raw = path.read_text(encoding="utf-8")
        requoted = io.StringIO()
        csv.writer(requoted, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
            flat_cells(path))
        assert raw == requoted.getvalue(), table
    assert any(";" in row[-1] for row in flat_cells(tmp_path / "pkg" / "texts.csv"))


@pytest.mark.parametrize("text", ["007", "1,000", " 5", "1.50", "2001-1-1", "3:30", "50%",
                                  "$5", "(5)", ".5", ",5", " ,5e3", "TRUE", "false", "1e5",
                                  "422,216,435,216,443,219"])
def test_a_text_a_spreadsheet_takes_for_a_number_is_kept_text(text: str,
                                                             tmp_path: Path) -> None:
    """LibreOffice read 007 as 7, a one-polygon coords cell as one large number and, with
    a Danish locale, ,5 as 0.5, and wrote them back so, read again without a word."""
    muscle = Muscle(slug="m", title=text, latin=text, exercises=(text,))
    out = tmp_path / "m.csv"
    converter.write([muscle], out, "csv", flat=True)
    header, row = flat_cells(out)
    cells = dict(zip(header, row, strict=True))
    assert (cells["title"], cells["latin"]) == ("'" + text, "'" + text)
    assert converter.read(out) == [muscle.project(FLAT_CARRIES)]


def test_frictionless_reads_the_spaces_that_start_a_cell(tmp_path: Path) -> None:
    """Quoted words elsewhere in a table once made frictionless guess that spaces after
    a comma are to be skipped; the dialect now says they are not."""
    import frictionless  # (the client the README names; imported only here)

    muscle = Muscle(slug="soleus", title=" Soleus", origin=LocalizedText({
        "da": "Lægmusklen, 'soleus', under 'gastrocnemius', ved 'hælen', her",
        "en": " the calf"}), exercises=("  ", " Squat"))
    converter.write([muscle], tmp_path / "pkg", "csv")
    package = frictionless.Package(str(tmp_path / "pkg" / "datapackage.json"))
    texts = [row["text"] for row in package.get_resource("texts").read_rows()]
    names = [row["name"] for row in package.get_resource("exercises").read_rows()]
    titles = [row["title"] for row in package.get_resource("muscles").read_rows()]
    assert (texts, names, titles) == ([*muscle.origin.values()], ["  ", " Squat"],
                                      [" Soleus"])


def test_a_package_that_declares_no_prefix_is_read_as_written(tmp_path: Path) -> None:
    """A package made by hand or by an older version keeps every leading ``'``."""
    muscle = Muscle(slug="q", title="'Quoted", origin=LocalizedText({"en": "=1+1"}),
                    exercises=("'s Gravesande press",))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    del data[csv_format.FORMULA_PREFIX_KEY]
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    assert converter.read(out) == [Muscle(
        slug="q", title="''Quoted", origin=LocalizedText({"en": "'=1+1"}),
        exercises=("''s Gravesande press",))]
    data[csv_format.FORMULA_PREFIX_KEY] = 1
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.code, d.field) for d in exc.value.diagnostics] == [
        ("bad-package", csv_format.FORMULA_PREFIX_KEY)]


@pytest.mark.parametrize(("value", "shown"), [
    ("B", "'B'"), ("''", "\"''\""), ("=", "'='"), (None, "null"), (["'"], '["\'"]'),
    ({}, "an object")])
def test_a_formula_prefix_the_writer_never_writes_is_refused_at_its_key(
        value: object, shown: str, tmp_path: Path) -> None:
    """Any text was taken as the prefix, cutting it from every text it starts: a "B"
    made "Biceps Brachii" "iceps Brachii", with no word. Only the writer's ``'`` (or the
    key left out, or "", which cuts nothing) is read; another is one error at its key."""
    muscle = Muscle(slug="biceps-brachii", title="Biceps Brachii", exercises=("'s press",))
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    descriptor = out / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data[csv_format.FORMULA_PREFIX_KEY] = ""
    descriptor.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert converter.read(out) == [Muscle(slug="biceps-brachii", title="Biceps Brachii",
                                          exercises=("''s press",))]
    data[csv_format.FORMULA_PREFIX_KEY] = value
    text = json.dumps(data, indent=2)
    descriptor.write_text(text, encoding="utf-8")
    line = text[:text.index('"x-formula-prefix"')].count("\n") + 1
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert [(d.path, d.line, d.field, d.code, d.message) for d in exc.value.diagnostics] == [
        (str(descriptor), line, "x-formula-prefix", "bad-package",
         f"{shown} is not the prefix muscle-convert writes (\"'\"): give that, or leave the "
         "key out for none")]


def test_flat_sheet_wraps_every_cell_in_quotes(sample_muscles: list[Muscle],
                                              tmp_path: Path) -> None:
    """OWASP: wrap each cell in double quotes (besides the leading ``'``), so a separator
    inside a text cannot start a new cell, whatever separator a spreadsheet splits on."""
    muscle = Muscle(slug="sep", title="Semi; =1+1", latin="a,@SUM(A1)",
                    origin=LocalizedText({"da": "x;-2+3", "en": 'q";=cmd'}), exercises=("",))
    out = tmp_path / "m.csv"
    converter.write([muscle, *sample_muscles], out, "csv", flat=True)
    raw = out.read_text(encoding="utf-8")
    requoted = io.StringIO()
    csv.writer(requoted, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(flat_cells(out))
    assert raw == requoted.getvalue()
    assert '"Semi; =1+1"' in raw and '"a,@SUM(A1)"' in raw and '"q"";=cmd"' in raw
    assert next(m for m in converter.read(out) if m.slug == "sep") == muscle.project(
        FLAT_CARRIES)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_sheet_with_another_separator_holds_the_same_quoted_cells(
        separator: str, sample_muscles: list[Muscle], tmp_path: Path) -> None:
    """``separator=";"`` (Danish Excel's) or a tab: the comma sheet's cells, each quoted
    and neutralised as there, the separator alone between them; read back the same."""
    muscles = [hostile_muscle(), Muscle(slug="sep", title="a;=1+1;b", latin="a,=1+1,b",
                                        exercises=("t\tu", 'q";=2+2;"', "x;\n=3"))]
    comma, other = tmp_path / "comma.csv", tmp_path / "other.csv"
    converter.write([*muscles, *sample_muscles], comma, "csv", flat=True)
    converter.write([*muscles, *sample_muscles], other, "csv", flat=True, separator=separator)
    with other.open(encoding="utf-8", newline="") as fh:
        cells = list(csv.reader(fh, delimiter=separator))
    assert cells == flat_cells(comma)
    requoted = io.StringIO()
    csv.writer(requoted, delimiter=separator, lineterminator="\n",
               quoting=csv.QUOTE_ALL).writerows(cells)
    assert other.read_text(encoding="utf-8") == requoted.getvalue()
    assert other.read_text(encoding="utf-8").startswith(f'"slug"{separator}"title"')
    assert not [cell for row in cells for cell in row if cell.startswith(TRIGGERS)]
    assert converter.read(other) == converter.read(comma)


def test_excel_and_a_semicolon_separator_go_together(sample_muscles: list[Muscle],
                                                     tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    converter.write(sample_muscles, out, "csv", flat=True, excel=True, separator=";")
    assert out.read_bytes().startswith(b'\xef\xbb\xbf"slug";"title";')
    assert converter.read(out) == [m.project(FLAT_CARRIES) for m in sorted(
        sample_muscles, key=lambda m: m.slug)]


@pytest.mark.parametrize("options, message", [
    ({"flat": True, "separator": "|"}, "'|' cannot separate the flat sheet's cells: give "
     "',' (the default), ';' or a tab"),
    ({"flat": True, "separator": ";;"}, "';;' cannot separate"),
    ({"flat": True, "separator": ""}, "'' cannot separate"),
    ({"flat": True, "separator": "\\t"}, "'\\t' cannot separate the flat sheet's cells: "
     "give ',' (the default), ';' or a tab; a tab is typed separator='\\t'"),
    ({"separator": ";"}, "applies only with flat=True"),
])
def test_a_separator_other_than_comma_semicolon_or_tab_is_refused(
        options: dict, message: str, tmp_path: Path) -> None:
    """write() names the option as it takes it (separator, flat=True), not as the
    command line's flag (--separator, --flat: test_flat_options_are_named_as_given),
    and says how Python types a tab (it said bash's $'\\t')."""
    out = tmp_path / "m.csv" if options.get("flat") else tmp_path / "pkg"
    with pytest.raises(MuscleError) as exc:
        converter.write([Muscle(slug="a", title="A")], out, "csv", **options)
    assert [(d.path, d.code) for d in exc.value.diagnostics] == [("separator", "bad-option")]
    assert message in exc.value.diagnostics[0].message
    assert not out.exists()


@pytest.mark.parametrize("flag, value", [("excel", True), ("separator", ";")])
def test_flat_options_are_named_as_given(flag: str, value: object, tmp_path: Path) -> None:
    """write(..., "csv", separator=";") said "--separator: applies only with --flat",
    flags write() has none of; it names its keywords now, and convert its flags."""
    with pytest.raises(MuscleError) as exc:
        converter.write([Muscle(slug="a", title="A")], tmp_path / "pkg", "csv",
                        **{flag: value})
    assert str(exc.value) == f"{flag}: error: applies only with flat=True [bad-option]"
    typed = [f"--{flag}"] if value is True else [f"--{flag}", str(value)]
    result = CliRunner().invoke(cli, ["convert", str(SAMPLES), "--to", "csv", *typed, "-o",
                                      str(tmp_path / "pkg")])
    assert result.exit_code == 2
    assert f"--{flag}: applies only with --flat" in result.output
    assert not (tmp_path / "pkg").exists()


def test_function_missing_language_and_empty_text_round_trip(tmp_path: Path) -> None:
    muscle = Muscle(slug="f", title="F", functions=(
        Function(LocalizedText({"da": "x", "en": ""}), LocalizedText()),
        Function(LocalizedText({"en": "y"}), LocalizedText({"da": ""})),
        Function(LocalizedText({"da": "a\nb", "en": "c\\nd"}), LocalizedText({"en": "\\e"}))))
    out = tmp_path / "f.csv"
    converter.write([muscle], out, "csv", flat=True)
    header, row = flat_cells(out)
    cells = dict(zip(header, row, strict=True))
    assert cells["function_short_da"] == "x\n\na\\nb"
    assert cells["function_short_en"] == "\\e\ny\nc\\\\nd"
    assert cells["function_extended_da"] == "\n\\e\n"
    assert cells["function_extended_en"] == "\n\n\\\\e"
    assert converter.read(out) == [muscle]


@given(st.tuples(st.sampled_from(["", "'", "''", "=", "+", "-", "@", "\t", "\r", " ="]),
                 st.one_of(text, st.text(st.characters(blacklist_categories=("Cs",))))
                 ).map("".join))
def test_neutralise_round_trips_and_never_starts_a_formula(value: str) -> None:
    cell = csv_format.neutralise(value)
    assert not cell.startswith(TRIGGERS)
    assert cell != ""
    assert csv_format.restore(cell) == value


#: Texts LibreOffice read as dates or money in a Spanish, Danish, Italian, Portuguese,
#: Brazilian, Dutch, Swedish, Norwegian, German, Austrian, French, British or American
#: locale detecting special numbers (a day's name first too).
LOCALE_SPECIAL = ["ene 1", "enero 2001", "dic-1", "kr. 5", "Kr. 5", "kr.5", "kr. 1.000,50",
                  "gen 1", "mag 1", "giu 1", "lug 1", "set 1", "ott 1", "ago 1", "abr 1",
                  "out 1", "fev 1", "R$ 5", "(R$5)", "mei 1", "mrt 1", "maart 1", "kr 5",
                  "kr5", "KR-5", "des. 1", "(€ 5)", "€ ,5", "$-5", "$ (5)", "$(5)", "$ ( 5 )",
                  "$  (5)", "$ (.5)", "$ +5", "$ - 5", " -$5", " - 5", " +5", "€ (5)", "€(5)",
                  "€ - 5", " -€ 5", "kr. (5)", "kr. - 5", "kr (5)", "kr(5)", "£ (5)", "£ - 5",
                  "R$ (5)", "R$(5)", "R$ - 5", "Mrz 1", "Mrz. 2001", "mrz-1", "Jän 1",
                  "Jän-2001", "Jänner 1", "Mon Jan 1", "Monday, January 1, 2001", "Tue 1/2",
                  "Fri 1 Jan", "Mo 1.1.", "Montag, 1. Januar 2001", "lun. 1 janv.",
                  "lunedì 1 gennaio", "ma 1-1", "zo 1-1", "søn 1-1", "man 1-1", "seg 1-1",
                  "sáb 1-1", "qui 1-1", "set 2", "3 set 2024", "set. 2", "Sept 1",
                  "Do 1 März", "terça-feira 2 set", "ter 2 set", "Mon Jan 1 2001 10:00 AM",
                  "Monday, January 1, 2001 10:00 PM", "Mon 1/2/2001 10:00 AM",
                  "Mo 1.1.2001 10:00 vorm."]


@pytest.mark.parametrize("value", LOCALE_SPECIAL)
def test_neutralise_keeps_dates_and_money_of_other_locales_text(value: str) -> None:
    assert csv_format.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["kr", "mei", "Juni", "Real", "R$", "outer", "$ (a)",
                                   "( x", "Mrz", "Jänner", "Monday", "Do 3 reps",
                                   "Sunday stretch 1", "Mo"])
def test_neutralise_leaves_a_month_or_currency_without_a_number_as_it_is(
        value: str) -> None:
    assert csv_format.neutralise(value) == value


@pytest.mark.parametrize("value", ["Do 2-3 sets", "Do 1-2 sets", "sets 2", "Do 2 set",
                                   "Sa 2 set", "Septe 1", "Märzen 1", "Donn 1.1.",
                                   "terça 2 set", "Do 1 Mar", "Mon 3 sets"])
def test_neutralise_leaves_words_that_only_begin_like_a_month_or_day_as_they_are(
        value: str) -> None:
    """A day's or month's letters with any letters after them were taken for it, and a
    day of one language with a month of another for a date ("Do 2-3 sets": German's
    Thursday, and "set", September in Italian, with an "s"), so such texts got a ' a
    spreadsheet shows; LibreOffice leaves them text in every locale (see
    test_csv_libreoffice.py), and they are written as they are."""
    assert csv_format.neutralise(value) == value


#: Texts that start as a number or date does and go on with other words, which
#: LibreOffice keeps text in every locale of test_csv_libreoffice.py.
NUMBERS_IN_WORDS = ["3 sets of 10", "2-3 sets", "1 sets", "3 sets", "1-2 sets", "10 reps",
                    "8-12 reps", "1 1/2 sets", "3/4 sets", "1e3 reps", "5% incline",
                    "$5 fee", "(5) reps", "1,5 kg", "12:30 x", "2001-01-01 x", "1 Jan sets",
                    "1 AM sets", "kr. 5 x", "5 kr x", "Mar 2 sets", "Jan 1 sets", "2 Mar sets",
                    "5 EUR", "3x10", "1st Jan", "12:30 Uhr", "€5 x", "1 each", "5 E",
                    "1 E+", "1 E5 x", "1e 5 reps", "2 e"]


@pytest.mark.parametrize("value", NUMBERS_IN_WORDS)
def test_neutralise_leaves_a_number_or_date_followed_by_other_words_as_it_is(
        value: str) -> None:
    """A digit first (after spaces, signs or a currency), or a month then a digit, was
    enough for the ' prefix, so "3 sets of 10" was written '3 sets of 10, the ' shown in
    a spreadsheet; LibreOffice reads a text whole and keeps these text."""
    assert csv_format.neutralise(value) == value


#: Numbers with an exponent LibreOffice reads (with special numbers detected) that do not
#: have the "e" right between two digits: spaces on either side of it, a sign, spaces
#: after the sign, a decimal mark before it ("1.e5" in English, "1,e5" in German), "/"
#: after a decimal ("1.5/E5" in English), a "-" after the number (-100000), parentheses.
EXPONENTS = ["1 E5", "1E 5", "1 E+5", "5 E-3", "(1 E5)", "2 E 2", "1 e+05", " 1 E5", "1.e5",
             "1.E+5", "1,e5", "1,E+5", "1,5 E3", "1.5 E+3", "1.5e 3", "1 E + 5", "1E+ 5",
             "1 E5-", "1.5/E5", "1,5 /E5"]
#: Texts a spreadsheet reads whole as a number, date, time or money: LibreOffice in
#: one of the locales of test_csv_libreoffice.py, or Excel by its documented rules
#: ("2-3", "3/4" and "1-Jan" are dates there, "10 a" a time).
NUMBERS_ALONE = ["2-3", "1-2", "3/4", "1/2", "1 1/2", "1e3", "1e+5", "1,5", "(5)", "5%",
                 "5 %", "$5", "5-", "12:30", "1:30 PM", "10AM", "10 a", "10:00 p", "1 Jan",
                 "1-Jan", "1 Jan Mon", "2 set", "1 set", "3 May", "5,- kr", "5 kr.", "5kr",
                 "5 R$", "10 fm", "10:00 vorm.", "10:00 A.M.", "Jan.1", "1.Jan",
                 "2001-01-01t10:00", "2001 Jan 1", "1 000,5", "Jan 1 2001 10:00 AM",
                 "1 Jan 2001 10:00 AM", "Mar 2 3", "Do 2-3", "Do 2-3-2001", "2.5.", *EXPONENTS]


@pytest.mark.parametrize("value", NUMBERS_ALONE)
def test_neutralise_keeps_a_whole_number_date_or_time_text(value: str) -> None:
    assert csv_format.neutralise(value) == "'" + value


@pytest.mark.parametrize("text", ["1" + " 1" * 20000 + " x", "Mon" + " 1" * 20000 + " x",
                                  "Jan 1" + " jan" * 20000 + " x", "1" + " a.m." * 20000,
                                  "ons" + " 1-1 maj" * 20000 + " sets", "$ 5" + " $" * 20000,
                                  "1" + " e 1" * 20000 + " x"])
def test_neutralise_walks_a_long_text_once(monkeypatch, text: str) -> None:
    """What follows a number's start is walked part by part once (for a day's name,
    once for each language it is a day of, three at most): the characters of the parts
    read, counted by wrapping what reads them, are a few times the text's."""
    from formats.csv import cells

    read = [0]

    class Counted:
        def match(self, string: str, at: int) -> re.Match[str] | None:
            part = pattern.match(string, at)
            read[0] += 1 + (len(part[0]) if part else 0)
            return part

    pattern = cells._PART
    monkeypatch.setattr(cells, "_PART", Counted())
    csv_format.neutralise(text)
    assert 0 < read[0] <= 4 * len(text), (read, len(text))


def test_a_flat_cell_longer_than_a_spreadsheet_keeps_is_written_whole_with_a_warning(
        tmp_path: Path) -> None:
    """A cell over Excel's 32,767 characters (counted as UTF-16 code units: an emoji is
    two) or LibreOffice's 65,535 was written without a word, and a spreadsheet cut it;
    each such cell is one cell-too-long warning naming the muscle, its field and the
    limit, and is written whole. The package, for programs, warns of none."""
    excel, libreoffice = csv_format.EXCEL_CELL, csv_format.LIBREOFFICE_CELL
    muscles = [
        Muscle(slug="a", title="A", origin=LocalizedText({"da": "x" * excel}),
               insertion=LocalizedText({"en": "\U0001f600" * (excel // 2) + "y"})),
        Muscle(slug="b", title="B", origin=LocalizedText({"da": "x" * (excel + 1)}),
               functions=(Function(LocalizedText({"en": "f" * excel})),
                          Function(LocalizedText({"en": "g"})))),
        Muscle(slug="c", title="C" * (libreoffice + 1),
               exercises=("e" * libreoffice, "\U0001f600"))]
    out = tmp_path / "flat.csv"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        converter.write(muscles, out, "csv", flat=True)
        converter.write(muscles, tmp_path / "pkg", "csv")
    assert [str(w.message) for w in caught] == [
        f"{out}: warning: muscles[b].origin.da: the flat sheet's origin_da cell holds "
        "32,768 characters, more than the 32,767 a cell of Excel keeps (LibreOffice keeps "
        "65,535): the sheet has it whole, but Excel cuts it on opening, and a sheet it "
        "saves again lacks the rest [cell-too-long]",
        f"{out}: warning: muscles[b].function: the flat sheet's function_short_en cell "
        "holds 32,769 characters, more than the 32,767 a cell of Excel keeps (LibreOffice "
        "keeps 65,535): the sheet has it whole, but Excel cuts it on opening, and a sheet "
        "it saves again lacks the rest [cell-too-long]",
        f"{out}: warning: muscles[c].title: the flat sheet's title cell holds 65,536 "
        "characters, more than a cell keeps in Excel (32,767) or LibreOffice (65,535): the "
        "sheet has it whole, but a spreadsheet cuts it on opening, and a sheet it saves "
        "again lacks the rest [cell-too-long]",
        f"{out}: warning: muscles[c].exercises: the flat sheet's exercises cell holds "
        "65,538 characters, more than a cell keeps in Excel (32,767) or LibreOffice "
        "(65,535): the sheet has it whole, but a spreadsheet cuts it on opening, and a "
        "sheet it saves again lacks the rest [cell-too-long]"]
    assert converter.read(out) == muscles


def test_a_long_cell_is_said_at_its_muscles_file_and_field_from_the_command_line(
        tmp_path: Path) -> None:
    """From ``convert``, the warning is at the source file's field, the run exits 0."""
    source = tmp_path / "m.json"
    source.write_text(json.dumps({"muscles": [{"slug": "a", "title": "A", "origin": {
        "en": "o" * 40_000}}]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(source), "--to", "csv", "--flat",
                                      "-o", str(tmp_path / "flat.csv"), "--no-config",
                                      "--no-cache"])
    assert result.exit_code == 0, result.output
    assert f"{source}:1:" in result.output
    assert ": warning: muscles[a].origin.en: the flat sheet's origin_en cell holds 40,000 " \
        "characters" in result.output
    assert result.output.count("[cell-too-long]") == 1


@given(st.lists(st.none() | st.text(st.characters(blacklist_categories=("Cs",)))))
def test_list_cells_round_trip(items: list[str | None]) -> None:
    encoded = csv_format.encode_items(items)
    if all(item is None for item in items):
        assert encoded is None
        assert csv_format.decode_items(encoded) == []
    else:
        assert csv_format.decode_items(encoded) == items


def test_flat_header_follows_layout_with_sorted_languages(tmp_path: Path) -> None:
    muscles = [Muscle(slug="b", title="B", origin=LocalizedText({"sv": "s", "da": "d"}),
                      functions=(Function(LocalizedText({"en": "e"}),
                                          LocalizedText({"pt-BR": "p"})),)),
               Muscle(slug="a", title="A", insertion=LocalizedText({"nb": "n"}),
                      origin=LocalizedText({"en": "e"}))]
    out = tmp_path / "m.csv"
    converter.write(muscles, out, "csv", flat=True)
    rows = flat_cells(out)
    assert rows[0] == ["slug", "title", "latin", "origin_da", "origin_en", "origin_sv",
                       "insertion_nb", "function_short_en", "function_extended_pt-BR",
                       "exercises", "image", "image_focus", "coords"]
    assert [r[0] for r in rows[1:]] == ["a", "b"]
    converter.write([], out, "csv", flat=True)
    assert flat_cells(out) == [[c for c in FLAT_LAYOUT if "<lang>" not in c]]


def _readme_layout(readme: Path) -> list[str]:
    """The column list documented after the ``csv-flat-columns`` marker in the README."""
    found = re.search(r"<!-- csv-flat-columns -->\s*```[a-z]*\n(.*?)```",
                      readme.read_text(encoding="utf-8"), re.S)
    assert found, f"{readme} must document the flat sheet's columns (see formats/csv/layout.py)"
    return found[1].split()


def test_flat_header_matches_readme(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    out = tmp_path / "muscles.csv"
    converter.write(sample_muscles, out, "csv", flat=True)
    groups = {"origin_": [m.origin for m in sample_muscles],
              "insertion_": [m.insertion for m in sample_muscles],
              "function_short_": [f.short for m in sample_muscles for f in m.functions],
              "function_extended_": [f.extended for m in sample_muscles for f in m.functions]}
    expected = []
    for column in _readme_layout(ROOT / "README.md"):
        if column.endswith("_<lang>"):
            prefix = column.removesuffix("<lang>")
            expected += [prefix + lang for lang in sorted({lang for t in groups[prefix]
                                                           for lang in t})]
        else:
            expected.append(column)
    assert flat_cells(out)[0] == expected


def test_excel_adds_bom_and_reads_back(sample_muscles: list[Muscle], tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    converter.write(sample_muscles, out, "csv", flat=True, excel=True)
    raw = out.read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"slug",')
    assert "æ".encode() in raw and "ø".encode() in raw
    plain = tmp_path / "plain.csv"
    converter.write(sample_muscles, plain, "csv", flat=True)
    assert raw == b"\xef\xbb\xbf" + plain.read_bytes()
    assert converter.read(out) == converter.read(plain)


def test_flat_reader_warns_on_unknown_columns_and_checks_function_counts(
        tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    out.write_text("slug,title,latin,exercises,image,image_focus,coords,notes,"
                   "function_short_da,function_short_en\n"
                   "a,A,,,,,,mine,one,uno\nb,B,,,,,,,\"one\ntwo\",uno\n", encoding="utf-8")
    muscles, problems = _read_with_problems(out)
    assert [m.slug for m in muscles] == ["a"]
    assert {(d.code, d.severity) for d in problems} == {("unknown-column", "warning"),
                                                       ("function-count", "error")}
    out.write_text("slug,latin\na,b\n", encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(out)
    assert codes(exc) == {"bad-header"}


def test_flat_reader_refuses_a_slug_cell_that_is_not_a_slug(tmp_path: Path) -> None:
    """As the package, JSON, SQLite and Anki readers do: never normalised into another
    name (``../../x`` is not ``x``)."""
    out = tmp_path / "m.csv"
    out.write_text("title,slug,latin,exercises,image,image_focus,coords\n"
                   "G,Gluteus Medius,,,,,\nX,../../x,,,,,\nO,ok,,,,,\n", encoding="utf-8")
    muscles, problems = _read_with_problems(out)
    assert [m.slug for m in muscles] == ["ok"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (2, 2, "slug", "bad-slug"), (3, 2, "slug", "bad-slug")]


def test_a_flat_row_with_a_bad_slug_or_function_count_reports_its_other_problems(
        tmp_path: Path) -> None:
    """A slug that is not one, or function columns listing different numbers of
    functions, was the row's one error; its other problems (a bad coords cell, a
    control character) were said a run later. The slug is never made into one."""
    out = tmp_path / "m.csv"
    out.write_text("slug,title,latin,coords,function_short_da,function_short_en\n"
                   "Not A Slug,A,\x01,\"1,2,3\",,\n"
                   "b,B,,\"1,2,3,4,5,-6\",\"one\ntwo\",uno\n"
                   "c,C,,,,\n", encoding="utf-8")
    muscles, problems = _read_with_problems(out)
    assert [m.slug for m in muscles] == ["c"]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (2, 1, "slug", "bad-slug"), (2, None, "latin", "control-character"),
        (2, None, "coords[0]", "coords-odd"),
        (3, None, "function", "function-count"), (3, None, "coords[0]", "coords-negative")]


def _read_with_problems(path: Path) -> tuple[list[Muscle], list]:
    problems: list = []
    muscles = list(get_format("csv").read(path, ReadContext(report=problems.append)))
    return muscles, problems


# ------------------------------------------------------------------ output rules

def test_output_is_deterministic_utf8_with_newlines(sample_muscles: list[Muscle],
                                                   tmp_path: Path) -> None:
    for i in (1, 2):
        converter.write(sample_muscles, tmp_path / f"pkg{i}", "csv")
        converter.write(list(reversed(sample_muscles)), tmp_path / f"rev{i}", "csv")
        converter.write(sample_muscles, tmp_path / f"flat{i}.csv", "csv", flat=True)
    first = package_bytes(tmp_path / "pkg1")
    assert first == package_bytes(tmp_path / "pkg2") == package_bytes(tmp_path / "rev1")
    flat = (tmp_path / "flat1.csv").read_bytes()
    assert flat == (tmp_path / "flat2.csv").read_bytes()
    for raw in [*first.values(), flat]:
        assert b"\r\n" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")


def test_failed_writes_leave_previous_output(sample_muscles: list[Muscle], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, flat = tmp_path / "pkg", tmp_path / "muscles.csv"
    converter.write(sample_muscles, pkg, "csv")
    converter.write(sample_muscles, flat, "csv", flat=True)
    before, flat_before = package_bytes(pkg), flat.read_bytes()
    real = csv_format.write_rows
    calls = []

    def fail_midway(fh, rows, **options):  # type: ignore[no-untyped-def]
        calls.append(1)
        real(fh, list(rows)[:2], **options)
        if len(calls) >= 2:
            raise OSError("disk full")

    monkeypatch.setattr(csv_format.writing, "write_rows", fail_midway)
    with pytest.raises(MuscleError, match=r"cannot write here: disk full \[cannot-write\]"):
        converter.write(sample_muscles[:3], pkg, "csv")
    calls.append(1)
    with pytest.raises(MuscleError, match=r"cannot write here: disk full \[cannot-write\]"):
        converter.write(sample_muscles[:3], flat, "csv", flat=True)
    assert package_bytes(pkg) == before
    assert flat.read_bytes() == flat_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["muscles.csv", "pkg"]


def test_writer_refuses_confusing_targets(tmp_path: Path) -> None:
    muscle = Muscle(slug="a", title="A")
    for path, options, code in [(tmp_path / "x.csv", {}, "output-not-directory"),
                                (tmp_path / "d", {"excel": True}, "bad-option"),
                                (tmp_path, {"flat": True}, "output-is-directory")]:
        with pytest.raises(MuscleError) as exc:
            converter.write([muscle], path, "csv", **options)
        assert codes(exc) == {code}
    with pytest.raises(MuscleError) as exc:
        converter.write([muscle, muscle], tmp_path / "dup", "csv")
    assert codes(exc) == {"duplicate-slug"}
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "dup").exists()


@pytest.mark.parametrize("output", ["-", "/dev/stdout"])
@pytest.mark.parametrize("flat", [True, False])
def test_the_writer_names_standard_output_so_in_a_slug_twice(output: str,
                                                             flat: bool) -> None:
    """The format's own writer, asked (from Python) to write ``-`` or ``/dev/stdout``
    muscles of one slug, said ``-: error: slug 'a' occurs twice``, where every other
    diagnostic about the output says standard output."""
    muscle = Muscle(slug="a", title="A")
    with pytest.raises(MuscleError) as caught:
        get_format("csv").write([muscle, muscle], Path(output),
                                WriteContext(options={"flat": flat}))
    assert [str(d) for d in caught.value.diagnostics] == [
        "standard output: error: slug 'a' occurs twice [duplicate-slug]"]


# ------------------------------------------------------------------ command line

def test_cli_writes_and_reads_both_variants(tmp_path: Path) -> None:
    from converter.cli import cli

    runner = CliRunner()
    pkg, flat = tmp_path / "pkg", tmp_path / "muscles.csv"
    for args in (["--to", "csv", "-o", str(pkg)],
                 ["--to", "csv", "--flat", "--excel", "-o", str(flat)]):
        result = runner.invoke(cli, ["convert", str(SAMPLES), "-j", "1", *args])
        assert result.exit_code == 0, result.output
    assert (pkg / "datapackage.json").is_file()
    assert flat.read_bytes().startswith(b"\xef\xbb\xbf")
    for source, extra in ((pkg, []), (pkg / "datapackage.json", []), (pkg, ["--from", "csv"]),
                          (flat, [])):
        out = tmp_path / f"back-{source.name}-{len(extra)}.json"
        result = runner.invoke(cli, ["convert", str(source), *extra, "--to", "json",
                                     "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert len(json.loads(out.read_text(encoding="utf-8"))["muscles"]) == 15


def test_make_demo_writes_the_package_and_the_flat_sheet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commands = [c for c in demo_commands(out) if c[c.index("--to") + 1] == "csv"]
    assert sorted(c[c.index("-o") + 1] for c in commands) == [str(out / "csv"),
                                                               str(out / "muscles.csv")]
    for command in commands:
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=WAIT)
    expected = sorted(converter.read(SAMPLES), key=lambda m: m.slug)
    assert (out / "csv" / "datapackage.json").is_file()
    assert converter.read(out / "csv") == expected
    assert converter.read(out / "muscles.csv") == [m.project(FLAT_CARRIES) for m in expected]


# ------------------------------------------------------------ as spreadsheets save a sheet

def _resave(rows: list[list[str]], how: str) -> str:
    """``rows`` as a spreadsheet or editor would save them (``how``)."""
    delimiter = {"semicolon": ";", "tab": "\t"}.get(how, ",")
    buffer = io.StringIO()
    if how == "empty columns":
        rows = [[*row, "", ""] for row in rows]
    if how == "empty rows":
        rows = [rows[0], [""] * len(rows[0]), *rows[1:], [""] * len(rows[0])]
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if how == "crlf":  # unix2dos: inside quoted cells too
        text = text.replace("\n", "\r\n")
    if how == "cr":  # "CSV (Macintosh)", CR inside cells too
        text = text.replace("\n", "\r")
    if how == "mac":  # Mac Excel's "CSV (Macintosh)": CR row ends, LF inside quoted cells
        text = "".join(mac_row(row) for row in rows)
    return text


def mac_row(row: list[str], delimiter: str = ",") -> str:
    """``row`` as Mac Excel saves it in "CSV (Macintosh)": a cell with a line break
    quoted, the row ended by a CR."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(row)
    return buffer.getvalue()[:-1] + "\r"


RESAVED = ["crlf", "cr", "mac", "semicolon", "tab", "empty columns", "empty rows"]


@pytest.mark.parametrize("how", RESAVED)
def test_a_flat_sheet_saved_by_a_spreadsheet_reads_as_written(
        how: str, tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """CRLF inside cells made 94 control-character errors; a ';' sheet, two empty
    columns or a row of empty cells failed too."""
    sheet = tmp_path / "m.csv"
    converter.write(sample_muscles, sheet, "csv", flat=True)
    expected = converter.read(sheet)
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    sheet.write_text(_resave(rows, how), encoding="utf-8", newline="")
    assert converter.read(sheet) == expected


@pytest.mark.parametrize("how", RESAVED)
def test_a_package_whose_tables_a_spreadsheet_saved_reads_as_written(
        how: str, tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """CRLF inside quoted cells changed the bodies without a word (exit 0). A table
    saved with ';' or tabs under the descriptor's ',' is one warning (frictionless
    reads it as declared)."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    for table in out.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
        table.write_text(_resave(rows, how), encoding="utf-8", newline="")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert converter.read(out) == sorted(sample_muscles, key=lambda m: m.slug)
    said = [str(w.message) for w in caught if "[delimiter-mismatch]" in str(w.message)]
    assert len(said) == (len(csv_format.TABLES) if how in ("semicolon", "tab") else 0)


#: A sheet whose second row's cell holds a line break and whose third row has no slug,
#: with each line end spreadsheets and editors save: its rows start at lines 1, 2 and 4.
LINE_ENDS = {
    "lf": 'slug,title,exercises\nsoleus,Soleus,"Calf raise\nJump rope"\n,Biceps,Curl\n',
    "crlf": 'slug,title,exercises\r\nsoleus,Soleus,"Calf raise\r\nJump rope"\r\n'
            ',Biceps,Curl\r\n',
    "cr": 'slug,title,exercises\rsoleus,Soleus,"Calf raise\rJump rope"\r,Biceps,Curl\r',
    "crlf rows, lf in cells": 'slug,title,exercises\r\nsoleus,Soleus,"Calf raise\n'
                              'Jump rope"\r\n,Biceps,Curl\r\n',
    "cr rows, lf in cells": 'slug,title,exercises\rsoleus,Soleus,"Calf raise\nJump rope"'
                            '\r,Biceps,Curl\r',
}


@pytest.mark.parametrize("ends", LINE_ENDS)
def test_a_problem_is_placed_at_its_line_whatever_the_line_ends(
        ends: str, tmp_path: Path) -> None:
    """CR row ends with an LF inside a cell (Mac Excel's "CSV (Macintosh)") made the
    whole sheet one bad-csv error that told to open it in universal-newline mode."""
    sheet = tmp_path / "m.csv"
    sheet.write_text(LINE_ENDS[ends], encoding="utf-8", newline="")
    muscles, problems = read_reporting(sheet)
    assert [m.exercises for m in muscles] == [("Calf raise", "Jump rope")]
    assert [(p[1], p[3], p[4]) for p in problems] == [(4, "slug", "bad-slug")]


#: How a table's rows end: in LF (as the writer ends them), CRLF (Windows Excel) or CR
#: (Mac Excel's "CSV (Macintosh)").
ROW_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
#: Texts of cells, with every line end and what CSV quotes.
BREAKING_CELLS = st.one_of(
    st.lists(st.sampled_from(["a", " ", '"', ",", "\r", "\n", "\r\n"]), max_size=6),
    st.lists(st.sampled_from(["a", "\r"]), max_size=4)).map("".join)


def _typed_cell(cell: str, end: str) -> str:
    """``cell`` as an editor saves it that quotes a cell only where it must: a lone CR
    inside it is not quoted, but in a table whose rows end in CR or at the cell's end."""
    if any(c in cell for c in '",\n') or cell.endswith("\r") or (end == "\r" and "\r" in cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


#: How a table's header ends, by how its rows end: as they do, or as a header retyped
#: in another editor or pasted from another file ends.
HEADER_ENDS = {"lf": ["lf", "crlf", "cr"], "crlf": ["crlf", "lf", "cr"],
               "cr": ["cr", "crlf", "lf"]}


@pytest.mark.parametrize(("ends", "header_ends"),
                         [(ends, head) for ends in sorted(ROW_ENDS) for head in HEADER_ENDS[ends]])
@pytest.mark.parametrize("quoted", ["all", "needed", "typed"])
@given(st.lists(st.lists(BREAKING_CELLS, min_size=2, max_size=2), max_size=4))
def test_line_breaks_in_cells_read_back_whatever_ends_the_rows(
        ends: str, header_ends: str, quoted: str, cells: list[list[str]]) -> None:
    """The rows the writer writes (every cell quoted, or quoted where needed) or an
    editor saves (a lone CR not quoted), their rows ended in LF, CRLF or CR and their
    header as they are or otherwise, read back as written, each at the line it starts
    on; but in a file with no bare LF (no cell holds one) a CRLF inside a cell is an LF,
    and so is a CR where CR ends rows (a lone CR in a cell without quotes split its row
    where rows end in LF or CRLF, one in a quoted cell was an LF where rows end in
    CRLF, a header ending in CRLF over rows ending in CR made them one row, and one
    ending in a lone CR over rows ending in LF or CRLF merged with the first row). One
    row ending in CR under a header ending in CRLF is read as a CRLF table, as the
    last row's end: its own test says so."""
    assume(not (ends == "cr" and header_ends == "crlf" and len(cells) == 1))
    header_end = ROW_ENDS[header_ends]
    end, rows = ROW_ENDS[ends], [["id", "x", "y"], *([f"r{i}", *row] for i, row in
                                                     enumerate(cells))]
    written, starts = "", []
    for row in rows:
        starts.append(len(written))
        ends_here = header_end if row is rows[0] else end
        if quoted == "typed":
            written += ",".join(_typed_cell(cell, end) for cell in row) + ends_here
        else:
            buffer = io.StringIO()
            csv_format.write_rows(buffer, [row], quote_all=quoted == "all")
            written += buffer.getvalue()[:-1] + ends_here
    lines = re.compile("\r\n?|\n" if end == "\r" else "\n")
    below = int(end != "\r" and header_end == "\r")  # (the header's CR ends a line too)
    if not re.search("(?<!\r)\n", written):
        breaks = "\r\n?" if end == "\r" else "\r\n"
        rows = [[re.sub(breaks, "\n", cell) for cell in row] for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "t.csv"
        table.write_text(written, encoding="utf-8", newline="")
        read = csv_format.load_csv(table)
    assert [read.header, *(cells for _, cells in read.rows)] == rows
    assert [line for line, _ in read.rows] == [
        len(lines.findall(written, 0, start)) + 1 + below for start in starts[1:]]


def test_cr_row_ends_with_lf_in_cells_keep_the_cells_as_written(tmp_path: Path) -> None:
    """(a ';' sheet was read as ',' when a comma came before the first LF, and a byte
    that is not UTF-8 was placed counting LF alone)"""
    sheet = tmp_path / "m.csv"
    rows = [["slug", "title", "origin_en"],
            ["soleus", "Soleus, the calf", "one\ntwo"], ["biceps", "Biceps", ""]]
    sheet.write_text("".join(mac_row(row, ";") for row in rows), encoding="utf-8",
                     newline="")
    assert converter.read(sheet) == [
        Muscle(slug="soleus", title="Soleus, the calf",
               origin=LocalizedText.of({"en": "one\ntwo"})),
        Muscle(slug="biceps", title="Biceps")]
    sheet.write_bytes(sheet.read_bytes().replace(b"Bic", b"B\xffc"))
    muscles, problems = read_reporting(sheet)
    assert [m.slug for m in muscles] == ["soleus"]
    assert [p[1:5] for p in problems] == [(4, 9, "title", "not-utf8")]


@pytest.mark.parametrize("problem", [
    "new-line character seen in unquoted field - do you need to open the file in "
    "universal-newline mode?",
    "new-line character seen in unquoted field - do you need to open the file with "
    "newline=''?"])
def test_the_csv_modules_advice_to_programmers_is_not_said(problem: str) -> None:
    said = csv_format.csvio._csv_problem(csv.Error(problem))
    assert said == ("new-line character seen in unquoted field: a cell with a line break "
                    "in it is written in quotes (\"...\")")


@pytest.mark.parametrize(("end", "inside"), [("\n", "\n"), ("\r\n", "\n"), ("\r\n", "\r\n")])
def test_a_lone_cr_in_a_cell_without_quotes_is_its_text_where_rows_end_otherwise(
        end: str, inside: str, tmp_path: Path) -> None:
    """In a sheet whose rows end in LF or CRLF (a line break inside a quoted cell as
    Excel or ``unix2dos`` writes it), a lone CR inside a cell without quotes ended the
    row there: two bad-row errors, at its line and the next, and every later row a line
    further down."""
    sheet = tmp_path / "m.csv"
    sheet.write_text(end.join(['slug,title,exercises', f'soleus,Soleus,"Calf raise{inside}Jump"',
                               "biceps,Bi\rceps,Curl", ",Nameless,Row", ""]),
                     encoding="utf-8", newline="")
    muscles, problems = read_reporting(sheet)
    assert [m.exercises for m in muscles] == [("Calf raise", "Jump")]
    assert [(p[1], p[3], p[4]) for p in problems] == [
        (4, "title", "control-character"), (5, "slug", "bad-slug")]


#: What a bad-row says of a row that holds a lone CR outside quotes.
CR_HINT = ("; a CR inside a cell is text in a file whose rows end in LF or CRLF: if a "
           "row was meant to end at it, end that row as the others end")


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_row_ended_by_a_lone_cr_among_lf_rows_is_a_bad_row_that_says_why(
        end: str, tmp_path: Path) -> None:
    """A row holding a lone CR among rows ended in LF (or CRLF), as ragged read either
    way (the CR as text, or as a row's end), is read with its CR text: the bad-row said
    only 'has 4 cells, the header 2'; it now says that a CR there is text and how to
    end a row. A row of too many cells whose CR is inside quotes has no such hint."""
    sheet = tmp_path / "m.csv"
    sheet.write_text(end.join(["slug,title", "soleus,Sol\reus,x,y",
                               'deltoid,"Del\rtoid",x', "trapezius,Trapezius", ""]),
                     encoding="utf-8", newline="")
    muscles, problems = read_reporting(sheet)
    assert [m.slug for m in muscles] == ["trapezius"]
    assert [(p[1], p[4], p[5]) for p in problems] == [
        (2, "bad-row", "has 4 cells, the header 2" + CR_HINT),
        (3, "bad-row", "has 3 cells, the header 2")]


def test_a_package_row_ended_by_a_lone_cr_is_a_bad_row_that_says_why(tmp_path: Path
                                                                     ) -> None:
    """As in a flat sheet, in a package's table, before what is left out (two rows
    joined by a CR, the second of one cell too many: as ragged read either way)."""
    muscles = [Muscle(slug="a", title="A", latin="L"), Muscle(slug="b", title="B")]
    out = tmp_path / "pkg"
    converter.write(muscles, out, "csv")
    table = out / "muscles.csv"
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
    lines = _resave(rows, "plain").split("\n")  # (quoted where a cell needs it alone)
    table.write_text("\n".join([lines[0], lines[1] + "\r" + lines[2] + ",x", *lines[3:]]),
                     encoding="utf-8", newline="")
    found, problems = read_reporting(out)
    assert found == []
    assert [(p[0], p[1], p[4], p[5]) for p in problems] == [
        ("muscles.csv", 2, "bad-row", f"has {2 * len(csv_format.columns('muscles'))} "
         f"cells, the header {len(csv_format.columns('muscles'))}{CR_HINT}; its muscle is "
         "left out")]


@pytest.mark.parametrize(("text", "exercises"), [
    ("slug,title,exercises\r\na,A,x\rb,B,y\rc,C,z\r", [("x",), ("y",), ("z",)]),
    ('slug;title;exercises\r\na;A;"x\r\ny"\rb;B;z\r;C;w\r', [("x", "y"), ("z",)])])
def test_a_mac_table_whose_header_ends_in_crlf_reads_every_row(
        text: str, exercises: list[tuple[str, ...]], tmp_path: Path) -> None:
    """A "CSV (Macintosh)" table (rows ending in a lone CR) whose header was retyped in
    a Windows editor: its CRLF made every lone CR a cell's text, so every row was one
    ('has 4 cells, the header 2', no muscle) or a quoted cell before a CR bad-csv."""
    sheet = tmp_path / "m.csv"
    sheet.write_text(text, encoding="utf-8", newline="")
    muscles, problems = read_reporting(sheet)
    assert [m.exercises for m in muscles] == exercises
    assert [(p[1], p[3], p[4]) for p in problems] == (
        [(5, "slug", "bad-slug")] if ";C;" in text else [])


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize(("rows", "read"), [
    (["a,A,x"], [(2, "a", ("x",))]),
    (["a,A,x", "b,B,y"], [(2, "a", ("x",)), (3, "b", ("y",))])])
def test_a_header_ending_in_a_lone_cr_over_rows_ending_in_lf_is_the_header(
        end: str, rows: list[str], read: list[tuple[int, str, tuple[str, ...]]],
        tmp_path: Path) -> None:
    """A header retyped in a Mac editor (ending in a lone CR) over rows ending in LF or
    CRLF, each reading as ragged as the other: the CR was read as text, the header
    merged with the first row ('slug', 'title', 'exercises\ra', 'A', 'x') and that
    muscle was lost. No column's name holds a line break: the header ends at it and
    the first row is a row (a CR in a later row: see the test of line breaks in cells
    whatever ends the rows)."""
    sheet = tmp_path / "m.csv"
    sheet.write_text("slug,title,exercises\r" + end.join([*rows, ""]), encoding="utf-8",
                     newline="")
    muscles, problems = read_reporting(sheet)
    assert problems == []
    assert [(m.slug, m.exercises) for m in muscles] == [(slug, ex) for _, slug, ex in read]
    assert [line for line, _ in csv_format.load_csv(sheet).rows] == [n for n, _, _ in read]


def test_one_row_ending_in_cr_under_a_header_ending_in_crlf_keeps_its_cr(
        tmp_path: Path) -> None:
    """As many CRs as LFs end rows, and both readings fit the header: the table is read
    with the CR as the last row's end and the one in a quoted cell as its text."""
    sheet = tmp_path / "m.csv"
    sheet.write_text('id,x\r\nr0,"a\rb"\r', encoding="utf-8", newline="")
    table = csv_format.load_csv(sheet)
    assert (table.header, table.rows) == (["id", "x"], [(2, ["r0", "a\rb"])])


def test_load_csv_names_what_it_reads(tmp_path: Path) -> None:
    """load_csv returned a tuple of five, read by place ([:2], or unpacked with three
    blanks): it is a CsvTable whose fields are named, still a tuple in that order."""
    sheet = tmp_path / "m.csv"
    sheet.write_bytes(b"id;x\nr0;a\rb\nr1;\xff\n")
    table = csv_format.load_csv(sheet)
    assert isinstance(table, csv_format.CsvTable)
    assert (table.header, table.rows, table.delimiter, table.split) == (
        ["id", "x"], [(2, ["r0", "a\rb"])], ";", frozenset({2}))
    assert [(bad.line, bad.cell, bad.problem.line) for bad in table.not_utf8] == [(3, 1, 3)]
    header, rows, not_utf8, delimiter, split = table
    assert (header, rows, not_utf8, delimiter, split) == tuple(table)


def test_a_lone_cr_in_a_package_cell_without_quotes_is_kept(tmp_path: Path) -> None:
    """A table saved again with quotes only where a cell needs them, a lone CR typed in
    a body (which may hold one): the row split at it, 'has 6 cells, the header 7'."""
    muscles = [Muscle(slug="a", title="A", body="one two"), Muscle(slug="b", title="B")]
    out = tmp_path / "pkg"
    converter.write(muscles, out, "csv")
    table = out / "muscles.csv"
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
    text = _resave(rows, "plain")
    assert ",one two," in text  # (not quoted)
    table.write_text(text.replace("one two", "one\rtwo"), encoding="utf-8", newline="")
    assert converter.read(out) == [Muscle(slug="a", title="A", body="one\rtwo"), muscles[1]]


def test_a_carriage_return_in_a_body_is_kept_where_lines_end_in_lf(tmp_path: Path) -> None:
    muscle = Muscle(slug="a", title="A", body="one\r\ntwo\rthree\n")
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    assert converter.read(out) == [muscle]


def test_a_lone_carriage_return_is_kept_in_a_package_saved_with_crlf(tmp_path: Path) -> None:
    """A package checked out with git's ``autocrlf`` (every LF a CRLF): the lone CRs of
    the hostile muscle's body were read as LFs, without a word."""
    muscle = hostile_muscle()
    out = tmp_path / "pkg"
    converter.write([muscle], out, "csv")
    for table in out.glob("*.csv"):
        table.write_bytes(table.read_bytes().replace(b"\n", b"\r\n"))
    assert "\r" in muscle.body and converter.read(out) == [muscle]


def test_a_cell_past_the_header_with_text_in_it_is_still_a_bad_row(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    sheet = tmp_path / "m.csv"
    converter.write(sample_muscles[:2], sheet, "csv", flat=True)
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    rows = [rows[0], rows[1] + ["", ""], rows[2] + ["", "stray"]]
    sheet.write_text(_resave(rows, "plain"), encoding="utf-8", newline="")
    reader = csv.reader(io.StringIO(sheet.read_text(encoding="utf-8")))
    next(reader), next(reader)
    last_row_line = reader.line_num + 1
    with pytest.raises(MuscleError) as exc:
        converter.read(sheet)
    assert [(d.line, d.code) for d in exc.value.diagnostics] == [(last_row_line, "bad-row")]


def test_a_hand_made_sheet_needs_only_slug_and_title(tmp_path: Path) -> None:
    """Every column of the layout was required: latin, exercises, image, ..."""
    sheet = tmp_path / "m.csv"
    sheet.write_text("slug,title,origin_da\nsoleus,Soleus,Bagsiden af skinnebenet\n"
                     "b,B,\n", encoding="utf-8")
    assert converter.read(sheet) == [
        Muscle(slug="soleus", title="Soleus", origin=LocalizedText.of(
            {"da": "Bagsiden af skinnebenet"})), Muscle(slug="b", title="B")]
    sheet.write_text("slug,origin_da\nsoleus,x\n", encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(sheet)
    assert [(d.line, d.code, d.message) for d in exc.value.diagnostics] == [
        (1, "bad-header", "missing columns ['title']")]


def test_a_file_read_with_from_csv_that_is_neither_sheet_nor_descriptor_says_so() -> None:
    with pytest.raises(MuscleError) as exc:
        converter.read(SAMPLES / "soleus.md", "csv")
    (d,) = exc.value.diagnostics
    assert (d.code, d.line) == ("bad-json", 1)
    assert d.message.startswith("is neither a .csv sheet nor a data package descriptor")


def test_a_table_of_a_package_read_as_a_sheet_says_so(tmp_path: Path,
                                                      sample_muscles: list[Muscle]) -> None:
    """muscles.csv, read alone, would be a sheet of titles without their texts."""
    out = tmp_path / "pkg"
    converter.write(sample_muscles, out, "csv")
    for table in ("muscles", "texts", "exercises"):
        with pytest.raises(MuscleError) as exc:
            converter.read(out / f"{table}.csv")
        (d,) = exc.value.diagnostics
        assert (d.line, d.code) == (1, "bad-header")
        assert d.message.startswith(f"is the {table} table of a data package, not a flat")
    (out / "datapackage.json").unlink()
    with pytest.raises(MuscleError) as exc:
        converter.read(out, "csv")  # (a folder without its descriptor: its .csv files)
    assert {d.message.split(": ", 1)[1] for d in exc.value.diagnostics} == {
        "its datapackage.json, which describes the tables, is missing"}


def test_an_integer_too_long_for_python_in_extra_is_named_as_in_json(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], pkg, "csv")
    path = pkg / "muscles.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("extra")] = '{"a": ' + "9" * 5000 + "}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    problems: list = []
    assert [m.slug for m in get_format("csv").read(pkg, ReadContext(
        report=problems.append))] == ["b"]
    assert [(d.line, d.field, d.code, d.message) for d in problems] == [
        (2, "extra.a", "wrong-type", "a number of 5000 digits is too long to store")]


def test_a_broken_or_doubled_descriptor_is_named_as_the_descriptor(
        tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    pkg = tmp_path / "pkg"
    converter.write(sample_muscles[:1], pkg, "csv")
    descriptor = pkg / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace('"name"', "name", 1), encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(pkg)
    assert exc.value.diagnostics[0].message.startswith("is not valid JSON: ")
    descriptor.write_text(text.replace('"resources":', '"resources": [], "resources":', 1),
                          encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(pkg)
    assert [(d.field, d.code) for d in exc.value.diagnostics] == [
        ("resources", "duplicate-key")]



@pytest.mark.parametrize("levels", [40, 3000])
def test_a_descriptor_nested_too_deep_is_too_deep_at_its_key_however_deep(
        levels: int, tmp_path: Path, sample_muscles: list[Muscle]) -> None:
    """A descriptor nested 3,000 deep was "bad-json: nested too deeply" with no line,
    while one 40 deep was read: both are too-deep at the key, as in a JSON input."""
    pkg = tmp_path / "pkg"
    converter.write(sample_muscles[:1], pkg, "csv")
    descriptor = pkg / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8").rstrip()
    assert text.endswith("}")
    descriptor.write_text(f'{text[:-1]},\n"deep": {"[" * levels}{"]" * levels}\n}}\n',
                          encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(pkg)
    line = len(text.splitlines()) + 1
    assert [(d.line, d.field, d.code) for d in exc.value.diagnostics] == [
        (line, "deep", "too-deep")]

def test_a_problem_is_placed_at_its_row_when_positions_have_gaps(tmp_path: Path) -> None:
    """Positions 1 and 5 are the model's function[0] and [1]: a problem of function[1]
    was placed at position 1's row; a function without short at the muscles row. Each
    is named by the position its rows give (function[5], function[9])."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A")], out, "csv")
    (out / "functions.csv").write_text(
        "slug,position,part,language,text\n"
        "a,1,short,en,Flexes.\n"
        "a,5,short,EN,Extends.\n"
        "a,9,extended,en,Only an extended text.\n", encoding="utf-8")
    problems: list = []
    assert list(get_format("csv").read(out, ReadContext(report=problems.append))) == []
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in problems) == [
        ("functions.csv", 3, "function[5].short.EN", "bad-language"),
        ("functions.csv", 4, "function[9].short", "missing-field")]


# ---- the checks after reading, placed at the rows of a package's tables ------------

def rewrite_table(table: Path, edit: Callable[[list[list[str]]], list[list[str]]]) -> None:
    """Rewrite a package table with ``edit`` of its rows (the header first)."""
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(edit(rows))


def row_line(table: Path, *cells: str) -> int:
    """The line the row of ``table`` that starts with ``cells`` starts on."""
    found = row_lines(table, *cells)
    assert found, f"no row {cells} in {table}"
    return found[0]


def row_lines(table: Path, *cells: str) -> list[int]:
    """The lines the rows of ``table`` that start with ``cells`` start on."""
    found = []
    with table.open(encoding="utf-8", newline="") as fh:
        reader, line = csv.reader(fh), 1
        for row in reader:
            if row[:len(cells)] == list(cells):
                found.append(line)
            line = reader.line_num + 1
    return found


def linted_package(folder: Path) -> Path:
    """A package of four samples whose rows give each check after reading something to
    say: soleus an unsafe image, trapezius a polygon of no area and an empty text,
    deltoideus the insertion of biceps-brachii, no Danish origin and biceps-brachii's
    exercise in another case."""
    pkg = folder / "pkg"
    names = ("biceps-brachii", "deltoideus", "soleus", "trapezius")
    converter.write(converter.read([SAMPLES / f"{name}.md" for name in names]), pkg, "csv")

    def muscles(rows: list[list[str]]) -> list[list[str]]:
        return [[*r[:3], "javascript:alert(1)", *r[4:]] if r[0] == "soleus" else r
                for r in rows]

    def texts(rows: list[list[str]]) -> list[list[str]]:
        shared = next(r[3] for r in rows if r[:3] == ["biceps-brachii", "insertion", "en"])
        given = {("deltoideus", "insertion", "en"): shared, ("trapezius", "origin", "da"): ""}
        return [[*r[:3], given.get(tuple(r[:3]), r[3])] for r in rows
                if r[:3] != ["deltoideus", "origin", "da"]]

    def regions(rows: list[list[str]]) -> list[list[str]]:  # (on one line)
        return [[*r[:3], str(100 + int(r[2])), str(100 + int(r[2]))]
                if r[:2] == ["trapezius", "1"] else r for r in rows]

    rewrite_table(pkg / "muscles.csv", muscles)
    rewrite_table(pkg / "texts.csv", texts)
    rewrite_table(pkg / "regions.csv", regions)
    rewrite_table(pkg / "exercises.csv", lambda rows: [*rows, ["deltoideus", "3", "chin-ups"]])
    return pkg


def expected_places(pkg: Path) -> list[tuple[str, int, str, str]]:
    """(file, line, field, code) of each diagnostic of :func:`linted_package`."""
    texts, first = pkg / "texts.csv", min(
        int(r[2]) for r in csv.reader((pkg / "regions.csv").open(encoding="utf-8"))
        if r[:2] == ["trapezius", "1"])
    return [
        (str(pkg / "muscles.csv"), row_line(pkg / "muscles.csv", "soleus"), "image",
         "unsafe-link"),
        (str(pkg / "regions.csv"), row_line(pkg / "regions.csv", "trapezius", "1", str(first)),
         "coords[1]", "polygon-zero-area"),
        (str(texts), row_line(texts, "trapezius", "origin", "da"), "origin.da", "empty-text"),
        (str(texts), row_line(texts, "biceps-brachii", "insertion", "en"), "insertion.en",
         "duplicate-text"),
        (str(texts), row_line(texts, "deltoideus", "insertion", "en"), "insertion.en",
         "duplicate-text"),
        (str(pkg / "exercises.csv"), row_line(pkg / "exercises.csv", "deltoideus", "3"),
         "exercises[3]", "exercise-spelling"),
        (str(texts), row_line(texts, "deltoideus", "origin", "en"), "origin",
         "missing-language"),
    ]


_TEXT_LINE = re.compile(r"(.*?):(\d+): (?:error|warning): (.*?): .* \[([a-z0-9-]+)\]")
_GITHUB_LINE = re.compile(r"::\w+ title=([a-z0-9-]+),file=(.*?),line=(\d+)::(.*?): ")


def _text_places(stderr: str) -> list[tuple[str, int, str, str]]:
    found = [_TEXT_LINE.fullmatch(line) for line in stderr.splitlines()
             if ": error: " in line or ": warning: " in line]
    return [(m[1], int(m[2]), m[3], m[4]) if m else ("unplaced", 0, "", "") for m in found]


@pytest.mark.parametrize("command", ["validate", "github", "convert"])
def test_the_checks_after_reading_a_package_are_at_the_rows_that_gave_the_fields(
        tmp_path: Path, command: str) -> None:
    """The lints of a muscle and across muscles were at the package's folder with no
    line (GitHub attached such an annotation nowhere); they are at the row of the table
    that gave the field, named as the reader's own problems there are: fresh, recorded
    in the cache, and replayed from it."""
    pkg = linted_package(tmp_path)
    expected = sorted(expected_places(pkg))  # (as diagnostics are shown: by file and line)
    args = {"validate": ["validate", str(pkg)],
            "github": ["validate", str(pkg), "--format", "github"],
            "convert": ["convert", str(pkg), "--to", "json", "-o", str(tmp_path / "m.json")]}
    for cache in (["--no-cache"], [], []):
        result = CliRunner().invoke(cli, [*args[command], "-j", "1", *cache])
        assert result.exit_code == 1, result.output
        if command == "github":
            assert [(m[2], int(m[3]), m[4], m[1]) for m in _GITHUB_LINE.finditer(
                result.stdout)] == expected
        else:
            assert _text_places(result.stderr) == expected


# ---- a package read once, whatever --jobs is -----------------------------------------

def test_a_package_read_among_many_files_with_a_pool_is_read_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A package read in a worker process was read again in the main process, where the
    checks after reading ask where its rows are: validate -j 2 read its tables twice. It
    is read once, in the main process, and says the same as with -j 1."""
    import converter.pipeline
    from converter.run import validate_sources

    pkg, log = linted_package(tmp_path), tmp_path / "gathered"
    gather = csv_format.package._gather

    def counted(*args: object, **kwargs: object) -> object:  # (in every process)
        with log.open("a", encoding="utf-8") as fh:
            fh.write("read\n")
        return gather(*args, **kwargs)

    monkeypatch.setattr(csv_format.package, "_gather", counted)
    monkeypatch.setattr(converter.pipeline, "CHUNK", 2)  # (a pool for a few files)
    pages = sorted(p for p in SAMPLES.glob("*.md")
                   if p.stem not in ("biceps-brachii", "deltoideus", "soleus", "trapezius"))
    assert len(pages) >= 4 * converter.pipeline.CHUNK
    said = {}
    for jobs in (1, 2):
        log.write_text("", encoding="utf-8")
        csv_format.package._KNOWN.clear()  # (what the run before kept of it in this process)
        result = validate_sources([*pages, pkg], jobs=jobs)
        said[jobs] = [str(d) for d in result.diagnostics]
        assert log.read_text(encoding="utf-8").count("read") == 1, jobs
    assert said[1] == said[2]
    assert any(d.startswith(str(pkg / "texts.csv")) for d in said[1])


# ---- the checks after reading, placed at the rows of a flat sheet --------------------

def linted_sheet(folder: Path) -> Path:
    """A flat sheet of five samples whose rows give each check after reading something
    to say, as :func:`linted_package`'s do (gastrocnemius's slug taken by its Markdown
    file, read first: see :func:`sheet_sources`). Its list cells hold line breaks, so a
    row starts lines below the one before it."""
    sheet = folder / "m.csv"
    names = ("biceps-brachii", "deltoideus", "gastrocnemius", "soleus", "trapezius")
    converter.write(converter.read([SAMPLES / f"{name}.md" for name in names]), sheet,
                    "csv", flat=True)

    def edit(rows: list[list[str]]) -> list[list[str]]:
        at = {name: i for i, name in enumerate(rows[0])}
        shared = next(r[at["insertion_en"]] for r in rows if r[0] == "biceps-brachii")
        given = {("soleus", "image"): "javascript:alert(1)", ("trapezius", "origin_da"): "'",
                 ("deltoideus", "insertion_en"): shared, ("deltoideus", "origin_da"): ""}
        for row in rows[1:]:
            for (slug, column), cell in given.items():
                if row[0] == slug:
                    row[at[column]] = cell
            if row[0] == "trapezius":  # (a second polygon on one line)
                row[at["coords"]] = row[at["coords"]].split("\n")[0] + "\n100,100,101,101,102,102"
            if row[0] == "deltoideus":
                row[at["exercises"]] += "\nchin-ups"
        return rows

    rewrite_table(sheet, edit)
    return sheet


def sheet_sources(sheet: Path) -> list[Path]:
    """What a run of :func:`linted_sheet` reads: gastrocnemius's page, then the sheet."""
    return [SAMPLES / "gastrocnemius.md", sheet]


def expected_sheet_places(sheet: Path) -> list[tuple[str, int, str, str]]:
    """(file, line, field, code) of each diagnostic of :func:`linted_sheet`, by line."""
    def at(slug: str) -> int:
        return row_line(sheet, slug)

    return sorted([
        (str(sheet), at("biceps-brachii"), "insertion.en", "duplicate-text"),
        (str(sheet), at("deltoideus"), "insertion.en", "duplicate-text"),
        (str(sheet), at("deltoideus"), "exercises[3]", "exercise-spelling"),
        (str(sheet), at("deltoideus"), "origin", "missing-language"),
        (str(sheet), at("gastrocnemius"), "slug", "duplicate-slug"),
        (str(sheet), at("soleus"), "image", "unsafe-link"),
        (str(sheet), at("trapezius"), "origin.da", "empty-text"),
        (str(sheet), at("trapezius"), "coords[1]", "polygon-zero-area"),
    ], key=lambda place: place[1])


@pytest.mark.parametrize("command", ["validate", "github", "convert"])
def test_the_checks_after_reading_a_flat_sheet_are_at_the_rows_of_their_muscles(
        tmp_path: Path, command: str) -> None:
    """The lints of a muscle and across muscles, and a slug taken, were at the flat
    sheet with no line (m.csv: error: muscles[soleus].image: ...); they are at the line
    the muscle's row starts on, named as the reader's own problems there are: fresh,
    recorded in the cache, and replayed from it."""
    sheet = linted_sheet(tmp_path)
    lines = [row_line(sheet, slug) for slug in ("deltoideus", "gastrocnemius")]
    assert lines[1] - lines[0] > 1  # (a row of many lines between)
    expected = expected_sheet_places(sheet)
    sources = [str(s) for s in sheet_sources(sheet)]
    args = {"validate": ["validate", *sources],
            "github": ["validate", *sources, "--format", "github"],
            "convert": ["convert", *sources, "--to", "json", "-o", str(tmp_path / "m.json")]}
    for cache in (["--no-cache"], [], []):
        result = CliRunner().invoke(cli, [*args[command], "-j", "1", *cache])
        assert result.exit_code == 1, result.output
        if command == "github":
            found = [(m[2], int(m[3]), m[4], m[1]) for m in _GITHUB_LINE.finditer(
                result.stdout)]
        else:
            found = _text_places(result.stderr)
        assert [f for f in found if f[0] == str(sheet)] == expected


@pytest.mark.parametrize("to", ["json", "validate"])
def test_rows_moved_in_a_flat_sheet_move_their_diagnostics(tmp_path: Path, to: str) -> None:
    """The checks after reading a flat sheet are at its rows: a run after rows moved (the
    muscles the same) says where they are now, as a fresh run does, recorded and
    replayed; patched when the muscles' order is kept (a blank row above them)."""
    from converter.run import RunResult, convert_sources, validate_sources
    from tests.test_cache import age

    sheet, cache_dir = linted_sheet(tmp_path), tmp_path / "cache"
    sources = [sheet]  # (a slug taken is read again in full: never patched)
    out = tmp_path / "cached" / "m.json" if to == "json" else None

    def run(target: Path | None, cache: Path | None = cache_dir) -> RunResult:
        if target is None:
            return validate_sources(sources, jobs=1, cache_dir=cache)
        target.parent.mkdir(exist_ok=True)
        return convert_sources(sources, get_format(to), target, jobs=1, cache_dir=cache)

    def first(rows: list[list[str]], slug: str) -> list[list[str]]:
        return [rows[0], *(r for r in rows[1:] if r[0] == slug),
                *(r for r in rows[1:] if r[0] != slug)]

    def blank_before(rows: list[list[str]], slug: str) -> list[list[str]]:
        at = next(i for i, r in enumerate(rows) if r[0] == slug)
        return [*rows[:at], [""] * len(rows[0]), *rows[at:]]

    def placed(result: RunResult) -> list[tuple[int | None, str, str]]:
        return [(d.line, d.field, d.code) for d in result.diagnostics if d.path == str(sheet)]

    age(sheet)
    before = placed(run(out))
    assert all(line for line, _, _ in before)
    for edit, patched in ((lambda rows: blank_before(rows, "biceps-brachii"), True),
                          (lambda rows: blank_before(rows, "soleus"), True),
                          (lambda rows: first(rows, "deltoideus"), False)):
        rewrite_table(sheet, edit)
        results = [run(out), run(out)]
        age(sheet)
        results += [run(out), run(out)]
        assert results[0].patched == patched and results[-1].replayed
        fresh = tmp_path / "fresh" / "m.json" if out else None
        expected = run(fresh, None)
        assert placed(expected) != before
        starts = {row_line(sheet, slug) for slug in ("biceps-brachii", "deltoideus",
                                                     "gastrocnemius", "soleus", "trapezius")}
        assert {line for line, _, _ in placed(expected)} <= starts
        for got in results:
            assert list(got.diagnostics) == list(expected.diagnostics)
            assert (got.count, got.failed) == (expected.count, expected.failed)
        if out and fresh:
            assert out.read_bytes() == fresh.read_bytes()
        before = placed(expected)


def test_a_slug_of_two_rows_of_a_flat_sheet_has_its_checks_at_each_row(
        tmp_path: Path) -> None:
    """A check after reading of a muscle whose slug two rows give named its field at the
    sheet with no line (which row it meant was not known by its slug): it is at the row
    its reader read the muscle from (its mark)."""
    from converter.run import validate_sources

    sheet = linted_sheet(tmp_path)
    rewrite_table(sheet, lambda rows: [*rows, *(r for r in rows if r[0] == "soleus")])
    said = list(validate_sources([sheet]).diagnostics)
    rows = row_lines(sheet, "soleus")
    assert [(d.line, d.field, d.code) for d in said if d.line in rows] == [
        (row, "image", "unsafe-link") for row in rows]
    assert all(d.line is not None for d in said)


def test_a_slug_of_two_rows_of_a_flat_sheet_is_placed_at_the_second_row(
        tmp_path: Path) -> None:
    """It named the sheet with no line (``muscles[deltoideus].slug``): which row gave the
    slug again, in a sheet whose rows start lines apart, was not said."""
    sheet = tmp_path / "m.csv"
    names = ("biceps-brachii", "deltoideus", "trapezius")
    converter.write(converter.read([SAMPLES / f"{name}.md" for name in names]), sheet,
                    "csv", flat=True)
    rewrite_table(sheet, lambda rows: [*rows, *(r for r in rows if r[0] == "deltoideus")])
    first, second = row_lines(sheet, "deltoideus")
    with pytest.raises(MuscleError) as caught:
        converter.read(sheet)
    assert [(d.line, d.field, d.code, d.message) for d in caught.value.diagnostics] == [
        (second, "slug", "duplicate-slug", "slug 'deltoideus' is already used by an "
         f"earlier record of this file, on line {first}")]


def test_an_extra_or_body_cell_of_the_wrong_shape_reports_the_rows_other_problems(
        tmp_path: Path) -> None:
    """An extra that is no JSON object or a body cell that is null was the muscle's one
    error; its other problems (a control character in latin or image) were said a run
    later."""
    pkg = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B"),
                     Muscle(slug="c", title="C")], pkg, "csv")
    path = pkg / "muscles.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    for row, column, cell in ((1, "extra", "[1]"), (1, "latin", "\x00x"),
                              (2, "extra", "{broken"), (2, "body", "\\N"),
                              (2, "image", "a\x01")):
        rows[row][header.index(column)] = cell
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    problems: list[Diagnostic] = []
    found = get_format("csv").read(pkg, ReadContext(report=problems.append))
    assert [m.slug for m in found] == ["c"]
    assert [(d.path, d.line, d.field, d.code) for d in problems] == [
        (str(path), 2, "extra", "wrong-type"), (str(path), 2, "latin", "control-character"),
        (str(path), 3, "extra", "bad-json"), (str(path), 3, "body", "missing-field"),
        (str(path), 3, "image", "control-character")]


def test_the_lints_of_the_valid_cells_are_said_beside_a_rows_errors(tmp_path: Path) -> None:
    """An unsafe link or a polygon that crosses itself in a row with a bad slug, an
    empty title or an extra that is no object was said a run later; each is now at
    its row. A draft marker that is no boolean is said once."""
    flat = tmp_path / "m.csv"
    flat.write_text("slug,title,image,coords\n"
                    "Not A,A,javascript:x,\"0,0,10,10,10,0,0,10\"\n"
                    "b,,javascript:y,\"0,0,10,0,10,10,0,10\"\n", encoding="utf-8")
    found = validate_sources([flat]).diagnostics
    assert sorted((d.line, d.field, d.code) for d in found) == [
        (2, "coords[0]", "polygon-self-intersecting"), (2, "image", "unsafe-link"),
        (2, "slug", "bad-slug"), (3, "image", "unsafe-link"), (3, "title", "missing-field")]
    package = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A", regions=(Region(
        ((0, 0), (10, 0), (10, 10), (0, 10))),))], package, "csv")
    rows = (package / "muscles.csv").read_text(encoding="utf-8").replace(
        '"a","A","\\N","\\N"', '"a","","\\N","javascript:x"').replace(
        '"{}"', '"{""draft"": ""maybe""}"')
    (package / "muscles.csv").write_text(rows, encoding="utf-8")
    points = (package / "regions.csv").read_text(encoding="utf-8")
    (package / "regions.csv").write_text(points.replace('"1","10","0"', '"1","10","10"')
                                         .replace('"2","10","10"', '"2","10","0"'),
                                         encoding="utf-8")
    found = validate_sources([package]).diagnostics
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in found) == [
        ("muscles.csv", 2, "extra.draft", "wrong-type"),
        ("muscles.csv", 2, "image", "unsafe-link"), ("muscles.csv", 2, "title", "empty-field"),
        ("regions.csv", 2, "coords[0]", "polygon-self-intersecting")]


def test_two_rows_of_one_language_in_other_case_are_an_error_at_the_second(
        tmp_path: Path) -> None:
    """texts.csv and functions.csv rows whose languages differ only in case were two
    languages of one field: they name one language, as BCP 47 codes ignore case."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A"), Muscle(slug="b", title="B")], out, "csv")
    (out / "texts.csv").write_text(
        "slug,field,language,text\n"
        "a,origin,pt-br,Tibia.\n"
        "a,origin,pt-PT,Tibia.\n"
        "a,origin,pt-BR,Fibula.\n"
        "b,origin,pt-BR,Fibula.\n", encoding="utf-8")
    (out / "functions.csv").write_text(
        "slug,position,part,language,text\n"
        "a,1,short,en-GB,Flexes.\n"
        "a,1,short,en-gb,Extends.\n", encoding="utf-8")
    problems: list = []
    found = list(get_format("csv").read(out, ReadContext(report=problems.append)))
    assert [m.slug for m in found] == ["b"]
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in problems) == [
        ("functions.csv", 3, "function[1].short.en-gb", "duplicate-key"),
        ("texts.csv", 4, "origin.pt-BR", "duplicate-key")]


def test_two_flat_columns_of_one_language_are_an_error_at_the_second_cell(
        tmp_path: Path) -> None:
    """A row with text in origin_pt-BR and origin_pt-br (or in two function columns of
    one language) was an error at its line only: now at the second cell's column too.
    A sheet may have both columns: a row with text in only one of them is read."""
    out = tmp_path / "m.csv"
    out.write_text(
        "slug,title,origin_pt-BR,origin_pt-br,function_short_en-GB,function_short_en-gb\n"
        "a,A,Tibia.,Fibula.,Flexes.,\n"
        "b,B,,Fibula.,Flexes.,Extends.\n"
        "c,C,Tibia.,,,Extends.\n", encoding="utf-8")
    problems: list = []
    found = list(get_format("csv").read(out, ReadContext(report=problems.append)))
    assert [(m.slug, dict(m.origin)) for m in found] == [("c", {"pt-BR": "Tibia."})]
    assert [(d.line, d.column, d.field, d.code) for d in problems] == [
        (2, 4, "origin.pt-br", "duplicate-key"),
        (3, 6, "function[0].short.en-gb", "duplicate-key")]


def test_a_muscle_left_out_for_a_bad_row_of_a_table_says_its_other_problems(
        tmp_path: Path) -> None:
    """A muscle with a point of a word in regions.csv said only that: its empty title,
    unsafe link, control character in texts.csv and polygon that crosses itself were
    said a run later. A polygon that lost the bad row's point, or a function that lost
    a row of no part, has no other problem of its own (two points, no short text)."""
    package = tmp_path / "pkg"
    converter.write([Muscle(
        slug="a", title="A", origin=LocalizedText.of({"en": "o"}),
        functions=(Function(LocalizedText.of({"en": "s"}), LocalizedText.of({"en": "e"})),),
        regions=(Region(((0, 0), (10, 0), (10, 10), (0, 10))),
                 Region(((0, 0), (10, 0), (0, 10))))), Muscle(slug="b", title="B")],
        package, "csv")
    edits = {"muscles": [('"a","A","\\N","\\N"', '"a","","\\N","javascript:x"')],
             "texts": [('"o"', '"o\x01"')],
             "functions": [('"0","short"', '"0","Short"')],
             "regions": [('"0","1","10","0"', '"0","1","10","10"'),
                         ('"0","2","10","10"', '"0","2","10","0"'),
                         ('"1","1","10","0"', '"1","1","ten","0"')]}
    for table, changes in edits.items():
        rows = (package / f"{table}.csv").read_text(encoding="utf-8")
        for old, new in changes:
            assert old in rows
            rows = rows.replace(old, new)
        (package / f"{table}.csv").write_text(rows, encoding="utf-8")
    read = get_format("csv").read(package, ReadContext(report=lambda _: None))
    assert [m.slug for m in read] == ["b"]
    found = validate_sources([package]).diagnostics
    assert sorted((Path(d.path).name, d.line, d.field, d.code) for d in found) == [
        ("functions.csv", 2, "part", "bad-value"),
        ("muscles.csv", 2, "image", "unsafe-link"), ("muscles.csv", 2, "title", "empty-field"),
        ("regions.csv", 2, "coords[0]", "polygon-self-intersecting"),
        ("regions.csv", 7, "x", "coords-not-number"),
        ("texts.csv", 2, "origin.en", "control-character")]


def test_a_regions_warnings_and_lints_are_said_at_its_first_row(tmp_path: Path) -> None:
    """The writers' region-under-a-pixel warning, and the reader's lints of a region,
    were said at the region's last point row (regions.csv:9 for rows 6 to 9)."""
    source = tmp_path / "a.md"
    source.write_text('---\ntitle: A\ncoords:\n  - "0,0,2000000,0,2000000,2000000,0,2000000"'
                      '\n  - "10,10,10.5,10,10.5,10.5,10,10.5"\n---\n', encoding="utf-8")
    package = tmp_path / "pkg"
    assert CliRunner().invoke(cli, ["convert", str(source), "--to", "csv", "-o",
                                    str(package), "--no-cache"]).exit_code == 0
    rows = (package / "regions.csv").read_text(encoding="utf-8").splitlines()
    assert rows[5:9] == ['"a","1","0","10","10"', '"a","1","1","10.5","10"',
                         '"a","1","2","10.5","10.5"', '"a","1","3","10","10.5"']
    result = CliRunner().invoke(cli, ["convert", str(package), "--to", "svg", "-o",
                                      str(tmp_path / "out"), "--no-cache"])
    assert result.output.startswith(f"{package}/regions.csv:6: warning: coords[1]: the "
                                    "region is 0.5 x 0.5 pixels"), result.output
    crossed = "\n".join([*rows[:7], '"a","1","2","10","10.5"', '"a","1","3","10.5","10.5"'])
    (package / "regions.csv").write_text(crossed + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(package), "--no-cache"])
    assert result.output.startswith(f"{package}/regions.csv:6: error: coords[1]: polygon "
                                    "edges cross"), result.output


@pytest.mark.parametrize(("text", "field", "at"), [
    ('{"name": "m",\n  "resources": [],\n  "resources": [1]}', "resources", (3, 16)),
    ('{"name": "m",\n  "resources": {"muscles": "muscles.csv"}}', "resources", (2, 16)),
    ('\n  {"name": "m"}', "resources", (2, 3)), ('\n[{"name": "muscles"}]', "", (2, 1))])
def test_a_descriptor_of_no_resources_list_is_said_at_its_line(
        text: str, field: str, at: tuple[int, int], tmp_path: Path) -> None:
    """A key of the descriptor given twice, and a descriptor of no "resources" list,
    were said at no line of datapackage.json."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "datapackage.json").write_text(text, encoding="utf-8")
    with pytest.raises(MuscleError) as exc:
        converter.read(pkg)
    (d,) = exc.value.diagnostics
    assert (d.path, d.field, (d.line, d.column)) == (str(pkg / "datapackage.json"), field, at)
    assert d.code == ("duplicate-key" if text.count("resources") == 2 else "bad-package")
    result = CliRunner().invoke(cli, ["validate", str(pkg), "--no-cache"])
    assert result.exit_code == 1
    assert result.output.startswith(f"{pkg}/datapackage.json:{at[0]}:{at[1]}: error: ")


def test_a_body_holding_nul_is_named_body_not_extra_body(tmp_path: Path) -> None:
    """A package's body holding NUL was named ``extra.body`` when the muscle's extra had
    a key ``body`` (the validator took the body for that key); it is the row's body."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="a", title="A", body="x", extra=FrozenMap({"body": 1})),
                     Muscle(slug="b", title="B", body="x")], out, "csv")
    table = out / "muscles.csv"
    table.write_text(table.read_text(encoding="utf-8").replace('"x"', '"x\x00y"'),
                     encoding="utf-8")
    assert [m.slug for m in read_reporting(out)[0]] == []
    found = validate_sources([out]).diagnostics
    assert [(d.line, d.field, d.code) for d in found] == [
        (2, "body", "control-character"), (3, "body", "control-character")]


#: Reads each table of the package in argv[1] with Python's csv module as a fresh
#: interpreter sets it (``field_size_limit`` 131,072: frictionless, imported in this
#: process, raises it), printing each that it refuses and the line it stopped at.
_READ_TABLES = """
import csv, pathlib, sys
for table in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
    with open(table, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            list(reader)
        except csv.Error as exc:
            print(table.name, reader.line_num, exc)
"""

_LIMIT = 131_072  # (csv.field_size_limit() of a fresh interpreter)


@pytest.mark.parametrize(("muscle", "field", "table"), [
    (Muscle(slug="a", title="A", origin=LocalizedText({"da": "x" * _LIMIT})), None, None),
    (Muscle(slug="a", title="A", origin=LocalizedText({"da": "x" * (_LIMIT + 1)})),
     "origin.da", "texts.csv text"),
    (Muscle(slug="a", title="A", functions=(
        Function(LocalizedText({"en": "f"})),
        Function(LocalizedText({"en": "g"}), LocalizedText({"en": "é" * (_LIMIT + 1)})))),
     "function[1].extended.en", "functions.csv text"),
    (Muscle(slug="a", title="A", exercises=("e", "\U0001f600" * (_LIMIT + 1))),
     "exercises[1]", "exercises.csv name"),
    (Muscle(slug="a", title="A", body="b" * (_LIMIT + 1)), "body", "muscles.csv body"),
    (Muscle(slug="a", title="=" + "t" * (_LIMIT - 1)), "title", "muscles.csv title"),
], ids=["exactly-the-limit", "text", "function", "exercise", "body", "neutralised-title"])
def test_a_package_cell_longer_than_pythons_csv_reads_is_written_whole_with_a_warning(
        muscle: Muscle, field: str | None, table: str | None, tmp_path: Path) -> None:
    """A package cell over 131,072 characters, which Python's csv module refuses with
    its default settings (``field larger than field limit``) and which makes a line
    longer than DuckDB reads by default, was written without a word; each is one
    cell-too-long warning naming the muscle, its field, the table and the limits (a
    cell counted as written: a title neutralised with a ``'`` is one longer), and is
    written whole. A cell of exactly 131,072 characters, which it reads, has none."""
    out = tmp_path / "pkg"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        converter.write([muscle], out, "csv")
    refused = subprocess.run([sys.executable, "-c", _READ_TABLES, str(out)], check=True,
                             capture_output=True, text=True, timeout=WAIT).stdout
    assert converter.read(out) == [muscle]
    if field is None:
        assert ([str(w.message) for w in caught], refused) == ([], "")
        return
    name, column = table.split()
    assert [str(w.message) for w in caught] == [
        f"{out}: warning: muscles[a].{field}: the data package's {name} {column} cell "
        f"holds {_LIMIT + 1:,} characters, more than Python's csv module reads by default "
        "(131,072; raise csv.field_size_limit() to read it), and DuckDB's read_csv reads "
        "no line over 2,097,152 bytes unless max_line_size is raised: the package has it "
        "whole (frictionless and pandas read it) [cell-too-long]"]
    line = {"muscles.csv": 2, "texts.csv": 2, "functions.csv": 4, "exercises.csv": 3}[name]
    assert refused == f"{name} {line} field larger than field limit (131072)\n"


_SHARED, _ORIGIN = "The same long explanation of what the muscle does.", "Fra lårbenet."


def _twins() -> list[Muscle]:
    """Two muscles with an origin and a function's explanation in common."""
    return [
        Muscle(slug="a", title="A", origin=LocalizedText({"da": _ORIGIN}), functions=(
            Function(LocalizedText({"en": "One."}), LocalizedText({"en": _SHARED})),)),
        Muscle(slug="b", title="B", origin=LocalizedText({"da": _ORIGIN}), functions=(
            Function(LocalizedText({"en": "Two."})),
            Function(LocalizedText({"en": "Three."}), LocalizedText({"en": _SHARED}))))]


def test_a_duplicate_text_of_a_package_names_the_other_at_its_table_and_row(
        tmp_path: Path) -> None:
    """Its other place was the package's folder and ``muscles[b].function[1]...``,
    while the warning itself is at a table's row, its field named below that row: the
    other is now named the same way, at its table and row."""
    out = tmp_path / "pkg"
    converter.write(_twins(), out, "csv")
    texts, functions = out / "texts.csv", out / "functions.csv"
    found = sorted((d.path, d.line, d.field, d.message)
                   for d in validate_sources([out]).diagnostics if d.code == "duplicate-text")
    assert found == sorted([
        (str(functions), 3, "function[0].extended.en",
         f"same text as {functions}:6 (function[1].extended.en)"),
        (str(functions), 6, "function[1].extended.en",
         f"same text as {functions}:3 (function[0].extended.en)"),
        (str(texts), 2, "origin.da", f"same text as {texts}:3 (origin.da)"),
        (str(texts), 3, "origin.da", f"same text as {texts}:2 (origin.da)")])


def test_a_duplicate_text_of_a_flat_sheet_names_the_other_at_its_row(tmp_path: Path) -> None:
    """Its other place was ``flat.csv (muscles[b].origin.da)`` beside a warning at the
    row, its field named without the muscle: now at the other's row too."""
    out = tmp_path / "flat.csv"
    converter.write(_twins(), out, "csv", flat=True)
    found = sorted((d.line, d.field, d.message)
                   for d in validate_sources([out]).diagnostics if d.code == "duplicate-text")
    assert found == [
        (2, "function[0].extended.en", f"same text as {out}:3 (function[1].extended.en)"),
        (2, "origin.da", f"same text as {out}:3 (origin.da)"),
        (3, "function[1].extended.en", f"same text as {out}:2 (function[0].extended.en)"),
        (3, "origin.da", f"same text as {out}:2 (origin.da)")]


def test_a_package_names_an_item_by_the_position_its_rows_give(tmp_path: Path) -> None:
    """After a function's rows moved to position 5 (a row deleted or renumbered in a
    spreadsheet: positions give the order, not a count), its warnings named it
    function[1], its place in the list, at a row that says position 5."""
    out = tmp_path / "pkg"
    converter.write(_twins(), out, "csv")
    functions = out / "functions.csv"
    table = functions.read_text(encoding="utf-8")
    functions.write_text(table.replace('"b","1","short","en","Three."', '"b","5","short","en",""')
                         .replace('"b","1",', '"b","5",'), encoding="utf-8")
    found = sorted((d.line, d.field, d.code, d.message)
                   for d in validate_sources([out]).diagnostics
                   if d.path == str(functions))
    assert found == [
        (3, "function[0].extended.en", "duplicate-text",
         f"same text as {functions}:6 (function[5].extended.en)"),
        (5, "function[5].short.en", "empty-text", "text is empty"),
        (6, "function[5].extended.en", "duplicate-text",
         f"same text as {functions}:3 (function[0].extended.en)")]


def test_a_package_error_names_an_item_by_the_position_its_rows_give(tmp_path: Path) -> None:
    """The reader's own error of a muscle it leaves out said function[1] at the row of
    position 5 too."""
    out = tmp_path / "pkg"
    converter.write([Muscle(slug="b", title="B", functions=(
        Function(LocalizedText({"en": "Two."})),
        Function(LocalizedText({"en": "Three."}), LocalizedText({"en": _SHARED}))))],
        out, "csv")
    functions = out / "functions.csv"
    table = functions.read_text(encoding="utf-8")
    functions.write_text(table.replace('"b","1","short","en","Three."\n', "")
                         .replace('"b","1",', '"b","5",'), encoding="utf-8")
    assert [(d.path, d.line, d.field, d.code) for d in validate_sources([out]).diagnostics] == [
        (str(functions), 3, "function[5].short", "missing-field")]
