"""Coordinates: their exact text through every format that carries them, and a minus
sign (``-0`` and ``-0.0`` too) refused alike by every reader."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import converter
from converter import canonical
from converter.coords import parse_number
from converter.diagnostics import MuscleError
from converter.model import Muscle, exact_text

ZEROS = "0,0.0,10,0.00,10,10"  # every zero as it is written: 0, 0.0, 0.00


def _muscle(tmp_path: Path) -> list[Muscle]:
    src = tmp_path / "zero.md"
    src.write_text(f'---\ntitle: Zero\ncoords:\n  - "{ZEROS}"\n---\n', encoding="utf-8")
    return converter.read(src)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _set_first_x(db: Path, value: str) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("UPDATE points SET x = ? WHERE region = 0 AND position = 0",
                            (value,)).rowcount == 1
    conn.close()


#: format, options, what to write (a file or folder), what to read, how to make its
#: first x coordinate ``value`` in place.
FORMATS: list[tuple[str, dict[str, object], str, str, Callable[[Path, str], None]]] = [
    ("json", {}, "m.json", "m.json",
     lambda p, v: _replace(p, "[[0,0.0]", f"[[{v},0.0]")),
    ("jsonl", {}, "m.jsonl", "m.jsonl",
     lambda p, v: _replace(p, "[[0,0.0]", f"[[{v},0.0]")),
    ("sqlite", {}, "m.db", "m.db", _set_first_x),
    ("csv", {}, "pkg", "pkg",
     lambda p, v: _replace(p / "regions.csv", '"zero","0","0","0","0.0"',
                           f'"zero","0","0","{v}","0.0"')),
    ("csv", {"flat": True}, "m.csv", "m.csv",
     lambda p, v: _replace(p, f'"\'{ZEROS}"', f'"\'{v}{ZEROS[1:]}"')),  # (kept text)
    ("svg", {}, "map", "map/map.svg",
     lambda p, v: _replace(p, f'points="{ZEROS}"', f'points="{v}{ZEROS[1:]}"')),
    ("markdown", {}, "md", "md/zero.md",
     lambda p, v: _replace(p, f'- "{ZEROS}"\n', f'- "{v}{ZEROS[1:]}"\n')),
]
IDS = ["json", "jsonl", "sqlite", "csv-package", "csv-flat", "svg", "markdown"]


@pytest.mark.parametrize(("fmt", "options", "out", "source", "edit"), FORMATS, ids=IDS)
def test_zeros_keep_their_exact_text_through_every_format(
        fmt: str, options: dict[str, object], out: str, source: str,
        edit: Callable[[Path, str], None], tmp_path: Path) -> None:
    converter.write(_muscle(tmp_path), tmp_path / out, fmt, **options)
    (back,) = converter.read(tmp_path / source)
    assert [r.coords for r in back.regions] == [ZEROS]


@pytest.mark.parametrize("value", ["-0", "-0.0", "-0.00", "-7"])
@pytest.mark.parametrize(("fmt", "options", "out", "source", "edit"), FORMATS, ids=IDS)
def test_a_minus_sign_is_a_negative_coordinate_in_every_reader(
        fmt: str, options: dict[str, object], out: str, source: str,
        edit: Callable[[Path, str], None], value: str, tmp_path: Path) -> None:
    converter.write(_muscle(tmp_path), tmp_path / out, fmt, **options)
    edit(tmp_path / source, value)
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path / source)
    (d,) = caught.value.diagnostics
    assert (d.code, d.message) == ("coords-negative", f"negative coordinate {value}")


def test_sqlite_coordinates_in_other_digits_are_not_read_as_other_numbers(
        tmp_path: Path) -> None:
    converter.write(_muscle(tmp_path), tmp_path / "m.db", "sqlite")
    _set_first_x(tmp_path / "m.db", "\u0663")  # ARABIC-INDIC DIGIT THREE, which int() reads
    with pytest.raises(MuscleError) as caught:
        converter.read(tmp_path / "m.db")
    assert [d.code for d in caught.value.diagnostics] == ["coords-not-number"]


def test_json_minus_zero_is_told_from_zero_and_keeps_its_sign_in_extra(
        tmp_path: Path) -> None:
    for text in ("-0", "[-0]", "[1, -0 ,1]", "[-0\n]", '{"a":-0}', '["m-0",\t-0\t]'):
        assert [str(n) for n in _leaves(canonical.loads(text)) if isinstance(n, Decimal)
                ] == ["-0"], text
    path = tmp_path / "m.json"
    path.write_text('{"muscles": [{"slug": "a", "title": "A", "extra": {"n": -0, "m": [-0]}}]}',
                    encoding="utf-8")
    (muscle,) = converter.read(path)
    assert muscle.extra == {"n": 0, "m": (0,)}
    assert [exact_text(n) for n in (muscle.extra["n"], muscle.extra["m"][0])] == ["-0", "-0"]


json_values = st.recursive(
    st.integers() | st.text(st.sampled_from("-0.,]}e \n\"a")) | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=4), max_leaves=12)


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


@given(json_values, st.sampled_from([None, 0, 1]))
def test_json_without_minus_zero_reads_as_pythons_json_does(value: object,
                                                            indent: int | None) -> None:
    back = canonical.loads(json.dumps(value, indent=indent))
    assert back == value
    assert [type(leaf) for leaf in _leaves(back)] == [type(leaf) for leaf in _leaves(value)]


@pytest.mark.parametrize(("text", "shown"), [("12", "12"), ("12.50", "12.50"), ("-0", "-0"),
                                             ("-00", "-0"), ("-0.0", "-0.0"), ("-3", "-3")])
def test_parse_number_keeps_the_sign_and_the_decimals(text: str, shown: str) -> None:
    assert str(parse_number(text)) == shown


def test_a_long_value_that_is_no_number_is_shown_cut(tmp_path: Path) -> None:
    """A coords string of a megabyte with no comma in it was shown whole in the message."""
    path = tmp_path / "m.md"
    path.write_text(f"---\ntitle: M\ncoords:\n  - \"{'x' * 1_000_000}\"\n---\n",
                    encoding="utf-8")
    with pytest.raises(MuscleError) as caught:
        converter.read(path)
    (found,) = caught.value.diagnostics
    assert found.code == "coords-not-number"
    assert found.message == f"{'x' * 60 + '...'!r} is not a plain number"
