"""A muscle's canonical record from its rows, and the problems of rows of no shape
it holds (a database edited by hand), its rows taken from the cursors slug by slug."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from converter import canonical
from converter.coords import CoordsProblem, check_number, parse_number
from converter.diagnostics import KEPT_BYTE, Diagnostic, kept_byte_message
from converter.safety import BadJson

from .names import _named, _row, _stored
from .places import Stored, stored


class _Groups:
    """Rows of a cursor sorted by their first column (a slug), taken slug by slug."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, slug: Any) -> list[tuple[Any, ...]]:
        """The rows of ``slug`` without their first column (rows before it are skipped)."""
        taken = []
        while self._next is not None and _order(self._next[0]) <= _order(slug):
            if self._next[0] == slug:
                taken.append(self._next[1:])
            self._next = next(self._rows, None)
        return taken


def _order(value: Any) -> tuple[int, Any]:
    """SQLite's sort order across storage classes: NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, bytes(value))


def _below(where: str, field_path: str) -> str:
    """The field ``field_path`` (``""``: the muscle itself) of the muscle ``where``."""
    return f"{where}.{field_path}" if field_path else where


#: A problem of a muscle's rows: its field path below the muscle, code and message.
_Problem = tuple[str, str, str]


class _Misshapen:
    """The problems of a muscle's rows that are of no shape its record holds (a database
    edited by hand, past its CHECK constraints): an ``extra`` that is no JSON, a row of no
    kind its table holds, a coordinate that is none, a position that is no whole number
    of 0 or more. Its record is read without them (an ``extra`` of ``{}``, without the
    row, the coordinate 0), so that its other problems are said in the same run; none
    of the item such a row was of (``hidden``: its field path below the muscle) is: what
    it was meant to hold is not known (a function with a row of no part; every item of
    a table whose row's position says not which, ``functions``).
    Nothing is made for a muscle of none."""

    __slots__ = ("_found", "hidden")

    def __init__(self) -> None:
        #: Each problem once, in order, with the table row it names ("": its field).
        self._found: dict[_Problem, str] | None = None
        self.hidden: set[str] | None = None

    @property
    def problems(self) -> Iterable[_Problem]:
        return () if self._found is None else self._found

    def add(self, problem: _Problem, row: str = "") -> None:
        """Add ``problem`` (said once however many rows give it); ``row``: the row of a
        table it names (``exercises[muscle 'soleus', position 'a'].position``) in place of
        its field below the muscle, whose lints it still hides (see :meth:`diagnostics`)."""
        if self._found is None:
            self._found = {}
        self._found.setdefault(problem, row)

    def said(self, where: str) -> list[tuple[str, str, str]]:
        """The field, code and message of each problem as the muscle ``where`` says it."""
        return [(row or _below(where, problem[0]), *problem[1:])
                for problem, row in (self._found or {}).items()]

    def diagnostics(self, path: str, where: str) -> list[Diagnostic]:
        """The problems as diagnostics of the muscle ``where``, each at its field below
        it: what the lints of its record do not speak of (a polygon with a coordinate
        read as 0 is not its own, nor one whose points' order is not known)."""
        return [Diagnostic(path, None, None, _below(where, field_path), code, message)
                for field_path, code, message in self.problems]

    def hide(self, field_path: str) -> None:
        """Say nothing more of the item at ``field_path`` below the muscle
        (``functions[0]``, ``regions``)."""
        if self.hidden is None:
            self.hidden = set()
        self.hidden.add(field_path)

    def hides(self, field: str, where: str) -> bool:
        """Whether the record's problem at ``field`` (of the muscle ``where``) is at,
        inside or holding an item :meth:`hide` named (not the muscle itself)."""
        if self.hidden is None or not field.startswith(f"{where}."):
            return False
        named = field[len(where) + 1:]
        return any(named == item or named.startswith((f"{item}.", f"{item}["))
                   or item.startswith((f"{named}.", f"{named}[")) for item in self.hidden)


def _record(row: tuple[Any, ...], groups: tuple[_Groups, ...], doubled: set[tuple[Any, Any]]
            ) -> tuple[dict[str, Any], _Misshapen, Stored | None]:
    """The canonical record of the muscle ``row`` with its rows of the other tables
    (``groups``), the problems of those that are of no shape it holds (``doubled``:
    the (muscle, position) of each region given twice), and the ``position`` each of
    its items is stored at, when one is not its place in the list (see :class:`Stored`)."""
    slug, title, latin, image, image_focus, body, extra = row
    texts, functions, exercises, points = groups
    shape = _Misshapen()
    text_rows, function_rows = texts.take(slug), functions.take(slug)
    exercise_rows, point_rows = exercises.take(slug), points.take(slug)
    by_function = _functions(slug, function_rows, shape)
    at_points: list[list[Any]] = []
    record = {
        "slug": slug, "title": title, "latin": latin, **_localized(slug, text_rows, shape),
        "functions": list(by_function.values()),
        "exercises": _exercises(slug, exercise_rows, shape),
        "image": image, "image_focus": image_focus,
        "regions": _regions(slug, point_rows, shape, doubled, at_points), "body": body,
        "extra": _extra(extra, shape),
    }
    return record, shape, stored(
        [position for position, _ in exercise_rows], list(by_function), at_points)


def _extra(extra: Any, shape: _Misshapen) -> Any:
    """The ``extra`` column's JSON read (``{}`` when it is none: a problem of ``shape``)."""
    if not isinstance(extra, str):
        return extra
    try:
        return canonical.load_extra(extra)
    except BadJson as exc:
        shape.add(("extra", "bad-json", f"is not valid JSON: {exc}"))
        return {}


def _bad_kind(table: str, column: str, value: Any, kinds: dict[str, Any]) -> _Problem:
    """The problem of a row whose ``column`` is none of the ``kinds`` its table holds."""
    return ("", "bad-value", f"a row of {table} has {column} {_named(value)}, which is not "
            f"{' or '.join(kinds)}; the muscle is left out")


def _localized(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen
               ) -> dict[str, dict[Any, Any]]:
    texts: dict[str, dict[Any, Any]] = {"origin": {}, "insertion": {}}
    for name, language, text in rows:
        if name not in texts or not isinstance(name, str):
            shape.add(_bad_kind("texts", "field", name, texts))
        elif language in texts[name]:
            _twice(_row("texts", slug, field=name, language=language), name, shape)
        else:
            texts[name][language] = text
    return texts


def _twice(row: str, field_path: str, shape: _Misshapen) -> None:
    """The problem of the key of ``row`` given by two rows (of a table made again without
    its key), of the item at ``field_path`` below the muscle: which is meant is not
    known."""
    shape.add((field_path, "duplicate-key", "occurs twice (in a table made again without "
               "its key): which row is meant is not known; the muscle is left out"), row)


def _exercises(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen) -> list[Any]:
    """The names of the rows of exercises (position, name) of the muscle ``slug``, in
    order; the first position that is no whole number is a problem of ``shape``."""
    for at, (position, _) in enumerate(rows):
        if not _at_position(position, f"exercises[{at}]", shape,
                            _row("exercises", slug, position=position)):
            shape.hide("exercises")  # (which exercise it was: not known)
            break  # (the first: a table made again with text positions has only such)
        if at and rows[at - 1][0] == position:
            _twice(_row("exercises", slug, position=position), "exercises", shape)
    return [name for _, name in rows]


def _functions(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen
               ) -> dict[Any, dict[str, dict[Any, Any]]]:
    """The functions of the rows of functions (position, part, language, text) of the
    muscle ``slug``, by position, in order."""
    by_position: dict[Any, dict[str, dict[Any, Any]]] = {}
    ordered = True  # (until a position that is no whole number: said once)
    for position, part, language, text in rows:
        if ordered and position not in by_position:
            ordered = _at_position(position, f"functions[{len(by_position)}]", shape,
                                   _row("functions", slug, position=position))
            if not ordered:  # (which function the row was of: not known)
                shape.hide("functions")
        parts = by_position.setdefault(position, {"short": {}, "extended": {}})
        if part not in parts or not isinstance(part, str):
            shape.add(_bad_kind("functions", "part", part, parts))
            shape.hide(f"functions[{len(by_position) - 1}]")
        elif language in parts[part]:
            _twice(_row("functions", slug, position=position, part=part, language=language),
                   f"functions[{len(by_position) - 1}]", shape)
        else:
            parts[part][language] = text
    return by_position


def _regions(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen,
             doubled: set[tuple[Any, Any]], stored_at: list[list[Any]]
             ) -> list[list[list[Any]]]:
    """The polygons of the rows of points (region, position, x, y, and whether it is a
    point: a region without points has one row that is not; each region's together,
    in order) of the muscle ``slug``; a problem of ``shape`` names every coordinate that is
    no number (0 in its place), counting regions and points from 0 (``position`` gives
    their order, not a count: :mod:`.places` names them by it), and the first position
    that is no whole number (of each region's points) by its row; a region of ``doubled``
    (given twice, each point then twice) is a ``duplicate-key`` problem naming it, its
    points read once. ``stored_at`` gets each polygon's region position, then its points'."""
    polygons: dict[Any, list[list[Any]]] = {}
    ordered, unordered = True, set()  # (the regions of a point said so: once each)
    last = None  # (the position of the point before)
    for region, position, x, y, point in rows:
        if ordered and region not in polygons:
            ordered = _at_position(region, f"regions[{len(polygons)}]", shape,
                                   _row("regions", slug, position=region))
            if not ordered:  # (which polygon the row was: not known)
                shape.hide("regions")
        if (slug, region) in doubled:
            if region in polygons and (not point or position == last):
                continue  # (the same row again, joined to the region's other row)
            if region not in polygons:
                _twice(_row("regions", slug, position=region),
                       f"regions[{len(polygons)}]", shape)
        if region not in polygons:
            stored_at.append([region])
        points = polygons.setdefault(region, [])
        place = len(polygons) - 1
        if point:  # (x and y NULL: a point in a table made again without NOT NULL)
            at = f"regions[{place}].points[{len(points)}]"
            if place not in unordered and not _at_position(
                    position, at, shape, _row("points", slug, region=region,
                                              position=position)):
                unordered.add(place)  # (its polygon's lints and errors: not said)
            elif points and position == last:
                _twice(_row("points", slug, region=region, position=position),
                       f"regions[{place}]", shape)
            last = position
            stored_at[place].append(position)
            points.append([_coordinate(x, f"{at}.x", shape),
                           _coordinate(y, f"{at}.y", shape)])
    return list(polygons.values())


def _at_position(position: Any, field_path: str, shape: _Misshapen, row: str) -> bool:
    """Whether ``position``, of the item at ``field_path`` (in SQLite's order) and of
    the table row ``row`` (see :func:`_row`), is a whole number of 0 or more; if not (a
    value edited past the column's type, or a table made again with another), a
    ``not-integer`` problem of ``shape`` naming that row: the order of its rows is not
    known; a negative one is ``bad-value``, as a data package's is."""
    if type(position) is int:
        if position < 0:
            shape.add((f"{field_path}.position", "bad-value", f"{position} is negative: "
                       "position counts from 0; the muscle is left out"), f"{row}.position")
        return position >= 0
    shown = f"{position!r} is text," if isinstance(position, str) else (
        f"{_stored(position)} is")
    shape.add((f"{field_path}.position", "not-integer", f"{shown} not a whole number "
               "(position gives the order of the rows); the muscle is left out"),
              f"{row}.position")
    return False


def _coordinate(value: Any, field_path: str, shape: _Misshapen) -> Any:
    """``"12"`` -> 12, ``"12.50"`` -> Decimal("12.50"); a value that is no coordinate
    (text such as `` 12`` or ``1e2``, a BLOB, NULL, a negative number) is added to
    ``shape``'s problems under ``field_path`` (0 in its place), as is a text holding a byte
    that is not UTF-8 (``not-utf8``)."""
    if isinstance(value, str) and KEPT_BYTE.search(value):
        shape.add((field_path, "not-utf8", kept_byte_message(value)))
        return 0
    try:
        if not isinstance(value, str):
            raise CoordsProblem("coords-not-number", f"{_stored(value)} is not a plain "
                                "number")
        check_number(value)
    except CoordsProblem as exc:
        shape.add((field_path, exc.code, str(exc)))
        return 0
    return parse_number(value)
