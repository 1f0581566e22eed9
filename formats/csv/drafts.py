"""A muscle gathered from a package's rows before it is checked: its values, where
each came from, and what a bad row left incomplete."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from converter.authoring import Problem, without_reserved
from converter.canonical import load_extra
from converter.diagnostics import Diagnostic
from converter.safety import BadJson, keys_twice

from .cells import from_cell

_INTEGER = re.compile(r"-?[0-9]+")  # (ASCII digits: int() takes any script's)
_NUMBER = re.compile(r"(-?)[0-9]+(?:\.[0-9]+)?")


class _RowProblem(Exception):
    """A bad cell in a package table: (column, code, message)."""

    def __init__(self, column: str, code: str, message: str) -> None:
        super().__init__(message)
        self.column, self.code, self.message = column, code, message


@dataclass
class _Draft:
    """One muscle gathered from the package's tables before validation."""

    line: int
    row: dict[str, str]
    texts: dict[str, dict[str, str | None]] = field(
        default_factory=lambda: {"origin": {}, "insertion": {}})
    functions: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    exercises: dict[int, str | None] = field(default_factory=dict)
    points: dict[int, dict[int, str]] = field(default_factory=dict)
    #: Where its values came from: field path (``origin.da``, ``function[0].short.en``;
    #: a table's name for its first row) -> (table, line).
    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: The fields (as :attr:`places` names them) a bad row of another table left
    #: incomplete (:func:`_lost`), or a byte that is not UTF-8 in its own row made
    #: unknown: the muscle is left out, its other problems said.
    lost: tuple[str, ...] = ()

    def rows(self) -> _Rows:
        """Where its values are in the package."""
        return _Rows(self.line, self.places, {
            name: sorted(items) for name, items in (
                ("function", self.functions), ("exercises", self.exercises),
                ("coords", self.points))})


@dataclass(frozen=True)
class _Rows:
    """Where one muscle's values are in a package: the line of its row of muscles, the
    rows that gave the others (:attr:`_Draft.places`) and the positions the rows gave
    its functions, exercises and polygons (``function`` -> [0, 5])."""

    line: int
    places: dict[str, tuple[str, int]]
    positions: dict[str, list[int]]

    def place(self, field: str) -> tuple[str, int] | None:
        """(table, line) of the row that gave ``field`` (or the part of it that a row
        gave), None for the muscles row's own fields."""
        field = self.by_position(field)
        while field:
            if field in self.places:
                return self.places[field]
            field = field.rpartition(".")[0] if "." in field else field.rpartition("[")[0]
        return None

    def by_position(self, field: str) -> str:
        """``field`` as the rows name it: the model's ``function[1]`` is the function
        of the second position given (``5``, when the rows give 0 and 5)."""
        for name, positions in self.positions.items():
            if field.startswith(f"{name}["):
                index, _, rest = field[len(name) + 1:].partition("]")
                if index.isdigit() and int(index) < len(positions):
                    return f"{name}[{positions[int(index)]}]{rest}"
        return field


def _integer(row: dict[str, str], name: str) -> int:
    """The number in column ``name`` (a position: 0 or more, as the descriptor says)."""
    cell = row[name]
    if not _INTEGER.fullmatch(cell):
        raise _RowProblem(name, "not-integer", f"{cell!r} is not a whole number")
    if int(cell) < 0:
        raise _RowProblem(name, "bad-value", f"{cell!r} is negative: {name} counts from 0")
    return int(cell)


def _once(store: dict, key: Any, value: Any, what: str) -> None:
    if key in store:
        raise _RowProblem(what, "duplicate-key", f"{what} {key!r} occurs twice")
    store[key] = value


def _add_text(draft: _Draft, row: dict[str, str]) -> None:
    if row["field"] not in draft.texts:
        raise _RowProblem("field", "bad-value", f"{row['field']!r} is not origin or insertion")
    _once(draft.texts[row["field"]], row["language"], from_cell(row["text"]), "language")


def _add_function(draft: _Draft, row: dict[str, str]) -> None:
    function = draft.functions.setdefault(_integer(row, "position"),
                                          {"short": {}, "extended": {}})
    if row["part"] not in function:
        raise _RowProblem("part", "bad-value", f"{row['part']!r} is not short or extended")
    _once(function[row["part"]], row["language"], from_cell(row["text"]), "language")


def _add_exercise(draft: _Draft, row: dict[str, str]) -> None:
    _once(draft.exercises, _integer(row, "position"), from_cell(row["name"]), "position")


def _add_point(draft: _Draft, row: dict[str, str]) -> None:
    for axis in ("x", "y"):
        number = _NUMBER.fullmatch(row[axis])
        if not number:
            raise _RowProblem(axis, "coords-not-number",
                              f"{row[axis]!r} is not a non-negative plain number")
        if number[1]:  # as in a coords string, -0 and -0.0 too
            raise _RowProblem(axis, "coords-negative", f"negative coordinate {row[axis]}")
    region = draft.points.setdefault(_integer(row, "region"), {})
    _once(region, _integer(row, "point"), f"{row['x']},{row['y']}", "point")


_ADDERS = {"texts": _add_text, "functions": _add_function, "exercises": _add_exercise,
           "regions": _add_point}
#: The field path a row of each child table gives (for diagnostics found later).
_GIVES = {"texts": "{field}.{language}", "functions": "function[{position}].{part}.{language}",
          "exercises": "exercises[{position}]", "regions": "coords[{region}]"}


#: The fields a row of each child table may give, all of which a row that is of no
#: shape (``bad-row``, ``not-utf8``) may have been meant for.
_TABLE_FIELDS = {"texts": ("origin", "insertion"), "functions": ("function",),
                 "exercises": ("exercises",), "regions": ("coords",)}
#: The column that says which item of its field a row of each child table is of, and
#: that item (as :attr:`_Draft.places` names it).
_ITEM = {"texts": ("field", "{field}"), "functions": ("position", "function[{position}]"),
         "exercises": ("position", "exercises[{position}]"),
         "regions": ("region", "coords[{region}]")}


def _lost(name: str, row: dict[str, str]) -> tuple[str, ...]:
    """The fields a bad row of the child table ``name`` left incomplete: its item (a
    polygon short of the point), or every field of its table when it names none."""
    column, item = _ITEM[name]
    if name == "texts":
        return (item.format(**row),) if row[column] in _TABLE_FIELDS[name] else (
            _TABLE_FIELDS[name])
    try:
        _integer(row, column)
    except _RowProblem:
        return _TABLE_FIELDS[name]
    return (item.format(**row),)


def _not_lost(found: list[Diagnostic], draft: _Draft) -> list[Diagnostic]:
    """The diagnostics of ``found`` but those at, inside or holding a field a bad row
    left incomplete (:attr:`_Draft.lost`): of a value the package does not hold."""
    rows = draft.rows()

    def near(named: str) -> bool:
        return any(named == lost or named.startswith((f"{lost}.", f"{lost}["))
                   or lost.startswith((f"{named}.", f"{named}[")) for lost in draft.lost)

    return [d for d in found if not (d.field and near(rows.by_position(d.field)))]


def _in_order(items: dict[int, Any]) -> list[Any]:
    """The items by position: positions give the order, not a count (a row deleted in a
    spreadsheet just removes its item), as in SQLite."""
    return [items[i] for i in sorted(items)]


def _extra(cell: str) -> dict[str, Any]:
    text = from_cell(cell)
    try:
        value = load_extra(text) if text is not None else None
    except BadJson as exc:
        where = f" (line {exc.line}, column {exc.column} of the cell)" if exc.line else ""
        raise _RowProblem("extra", "bad-json", f"is not valid JSON: {exc}{where}") from None
    if not isinstance(value, dict):
        raise _RowProblem("extra", "wrong-type", "must be a JSON object")
    twice = keys_twice(value)
    if twice:
        raise _RowProblem("extra", "duplicate-key", f"duplicate key {twice[0]!r}")
    return value


def _front(draft: _Draft) -> tuple[dict[str, Any], str, list[Problem],
                                   tuple[_RowProblem, ...]]:
    """The draft in the authors' layout (for the shared validator), its body, the
    keys of its ``extra`` named like a field, left out of it (a ``reserved-key``
    problem each), and the problems of its ``extra`` and ``body`` cells that are of no
    shape a muscle holds (an ``extra`` of ``{}``, a body of ``""`` in their stead, so
    that the muscle's other problems are found too)."""
    row = draft.row
    shapes: tuple[_RowProblem, ...] = ()  # (none: nothing made)
    try:
        extra, reserved = without_reserved(_extra(row["extra"]))
    except _RowProblem as problem:
        (extra, reserved), shapes = ({}, []), (problem,)
    body = from_cell(row["body"])
    if body is None:
        body, shapes = "", (*shapes, _RowProblem("body", "missing-field",
                                                  "is required (use an empty cell)"))
    front = {
        "slug": row["slug"], "title": from_cell(row["title"]), "latin": from_cell(row["latin"]),
        "origin": draft.texts["origin"], "insertion": draft.texts["insertion"],
        "function": _in_order(draft.functions),
        "exercises": _in_order(draft.exercises),
        "image": from_cell(row["image"]), "image_focus": from_cell(row["image_focus"]),
        "coords": [",".join(_in_order(points))
                   for points in _in_order(draft.points)],
        **extra,
    }
    return front, body, reserved, shapes
