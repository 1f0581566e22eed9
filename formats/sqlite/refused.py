"""A write a UNIQUE index or a trigger of the user's refuses: the row SQLite failed on,
and the index or trigger, the muscle and the field named."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from converter.diagnostics import Diagnostic, Named, worded
from converter.registry import WriteContext

from .names import _kept_text, _named, _shown
from .triggers import _raisers, _refusing, _trial


class _Refused(sqlite3.IntegrityError):
    """A row of the muscle ``slug`` (None: not known) that a UNIQUE index or a trigger of
    the user's refused, at its ``field`` (front-matter path, '' for the muscle): what
    refused it (``head``, the muscle named after it), and the rest of what is said
    (``tail``: what to do)."""

    def __init__(self, exc: sqlite3.Error, slug: Any, field: str, head: str, tail: str
                 ) -> None:
        super().__init__(str(exc))
        self.slug, self.field, self.head, self.tail = slug, field, head, tail

    def diagnostic(self, ctx: WriteContext, out: str) -> Diagnostic:
        """The ``sqlite-error`` of the database ``out``, at the muscle's field, naming
        the muscle and where its source gives that field (where known)."""
        if not isinstance(self.slug, str):
            return Diagnostic(out, None, None, "", "sqlite-error", f"SQLite failed: {self}: "
                              f"{self.head}{self.tail}; nothing is changed")
        source = ctx.muscle_diagnostic(self.slug, self.field, out, "sqlite-error", "")
        place: list[str | Named] = []
        if source.path != out:
            place = [" (", Named(source.path), "".join(
                f":{n}" for n in (source.line, source.column) if n is not None), ")"]
        message, named = worded(f"SQLite failed: {self}: {self.head} of muscle "
                                f"{_named(self.slug)}", *place,
                                f"{self.tail}; nothing is changed")
        field = f"muscles[{_shown(self.slug)}]" + (f".{self.field}" if self.field else "")
        return Diagnostic(out, None, None, field, "sqlite-error", message, "error", named)


def _refusal(conn: sqlite3.Connection, statement: str, row: tuple[Any, ...],
             exc: sqlite3.IntegrityError) -> _Refused | None:
    """What refused the change (``statement`` of ``row``, the row it failed on) that
    failed with ``exc``: a UNIQUE index of the user's (not the tool's, not a table's own
    constraint) or a trigger of the user's that RAISEs (see :func:`_by_trigger`). A
    trigger's refusal that ``row`` made again (in a savepoint, rolled back) does not
    meet is one whose ``RAISE(FAIL)`` kept the change of the row it refused: the
    write's transaction is rolled back, so that it is made again from there (as it is
    once a ``RAISE(ROLLBACK)`` ended it). None for anything else."""
    said = str(exc)
    if said.startswith(_OTHER_CONSTRAINTS):
        return None
    table, columns = _table_of(statement)
    if conn.in_transaction and _by_a_trigger(exc) and not _fails_again(conn, statement,
                                                                       row, said):
        conn.execute("ROLLBACK")  # (a RAISE(FAIL) kept the row's change that it refused)
    values = dict(zip(columns, row, strict=True)) if len(columns) == len(row) else {}
    slug = values.get("slug", values.get("muscle", row[0] if row else None))
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        if said.startswith(_UNIQUE):
            return _by_index(conn, exc, table, values, slug)
        return _by_trigger(conn, exc, table, statement, row, values, slug)
    finally:
        conn.text_factory = before


#: How SQLite says a UNIQUE constraint or index refused a row.
_UNIQUE = "UNIQUE constraint failed: "
#: How SQLite says one of its other constraints refused a row (a trigger's RAISE says
#: what its author wrote).
_OTHER_CONSTRAINTS = ("NOT NULL constraint failed", "CHECK constraint failed",
                      "FOREIGN KEY constraint failed", "PRIMARY KEY must be", "datatype")
#: The table of one of the tool's statements, and its columns (of an INSERT, or each
#: ``column = ?`` of an UPDATE or a DELETE, in order).
_TABLE = re.compile(r"(?:INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)\s*(?:\(([^)]*)\))?")
_SET = re.compile(r"(\w+) = \?")


def _table_of(statement: str) -> tuple[str, list[str]]:
    """The table ``statement`` (one of the tool's) changes, and the columns its values
    go to, in order (as far as it names them)."""
    found = _TABLE.match(statement.strip())
    if found is None:
        return "", []
    if found[2]:
        return found[1], [column.strip() for column in found[2].split(",")]
    return found[1], _SET.findall(statement)


def _fails_again(conn: sqlite3.Connection, statement: str, row: tuple[Any, ...],
                 said: str) -> bool:
    """Whether ``statement`` fails on ``row`` again with the message ``said`` (made in
    a savepoint, rolled back)."""
    with _trial(conn, "refusal"):
        try:
            conn.execute(statement, row)
        except sqlite3.IntegrityError as again:
            return str(again) == said
        return False


#: The unique indexes of a table made by CREATE INDEX, whether each is partial, with
#: their columns ('' for an expression) and collations.
_INDEXES = ("SELECT l.name, l.partial, group_concat(coalesce(i.name, ''), ','), "
            "group_concat(i.coll, ',') FROM pragma_index_list(?) AS l, "
            "pragma_index_xinfo(l.name) AS i "
            "WHERE l.\"unique\" AND l.origin = 'c' AND i.key GROUP BY l.name ORDER BY l.name")


def _by_index(conn: sqlite3.Connection, exc: sqlite3.Error, table: str,
              values: dict[str, Any], slug: Any) -> _Refused | None:
    """The user's UNIQUE index on ``table`` that refused a row of ``values``, named with
    the muscle that holds that value already; None when it is none of the user's."""
    said = str(exc)[len(_UNIQUE):]
    named = said[len("index '"):-1] if said.startswith("index '") else None
    wanted = {part.strip().partition(".")[2] for part in said.split(",")}
    for index, partial, listed, collations in conn.execute(_INDEXES, (table,)):
        columns = listed.split(",")
        if (index != named) if named is not None else (set(columns) != wanted):
            continue
        field = next((found for column in columns if (found := _field(table, values,
                                                                      column))), "")
        shown = ", ".join(columns) if all(columns) else "an expression"
        value = ", ".join(_named(values[c]) for c in columns if c in values)
        holder = _holder(conn, table, columns, collations.split(","), values,
                         _partial_where(conn, index) if partial else "1")
        held = f", which muscle {_named(holder)} has already" if holder is not None else ""
        return _Refused(exc, slug, field, f"your UNIQUE index {_named(index)} on {table} "
                        f"({shown}) refuses the {shown} {value or '(not known)'}",
                        f"{held}; drop that index (DROP INDEX \"{_shown(index)}\") or make "
                        f"the values of {shown} differ, and run again")
    return None


def _holder(conn: sqlite3.Connection, table: str, columns: list[str],
            collations: list[str], values: dict[str, Any], where: str | None) -> Any:
    """The muscle of the row of ``table`` that holds ``values`` in ``columns`` (as the
    index compares them) already, among the rows ``where`` holds of (the condition of
    a partial index, SQL, which may end in a comment; "1" for every row); None when
    not known."""
    if where is None or not all(column in values for column in columns):
        return None
    owner = "slug" if table == "muscles" else "muscle"
    try:
        found = conn.execute(
            f'SELECT "{owner}" FROM "{table}" WHERE ' + " AND ".join(
                f'"{column}" = ? COLLATE "{coll}"' for column, coll in zip(
                    columns, collations, strict=True)) + f" AND ({where}\n) LIMIT 1",
            [values[column] for column in columns]).fetchone()
    except (sqlite3.Error, UnicodeEncodeError):  # (a condition not UTF-8)
        return None
    return found[0] if found else None


#: What follows the columns of a partial index's ``CREATE INDEX``: its condition.
_CONDITION = re.compile(r"\)\s*WHERE\b(.*)\Z", re.IGNORECASE | re.DOTALL)


def _partial_where(conn: sqlite3.Connection, index: str) -> str | None:
    """The condition of the partial index ``index``, as its ``CREATE INDEX`` says it
    (SQL of the user's); None when not found."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                         (index,)).fetchone()
    condition = _CONDITION.search(found[0]) if found and found[0] else None
    return condition[1] if condition else None


def _by_trigger(conn: sqlite3.Connection, exc: sqlite3.Error, table: str, statement: str,
                row: tuple[Any, ...], values: dict[str, Any], slug: Any) -> _Refused | None:
    """The user's trigger that refused the ``row`` (of ``values``) of ``statement`` on
    ``table`` with a ``RAISE``, on that table or on one the write reaches, or those
    that could have (see :func:`~.triggers._raisers`); None when it was no trigger's."""
    if not _by_a_trigger(exc):
        return None
    raisers = _raisers(conn, statement, row, str(exc))
    if raisers is None:
        return None
    verb = "delete" if statement.lstrip().startswith("DELETE") else "write"
    head, tail = _refusing(raisers, table, verb)
    return _Refused(exc, slug, _field(table, values, ""), head, tail)


def _by_a_trigger(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` is a trigger's ``RAISE`` (or a foreign key's ON ... RESTRICT)."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_CONSTRAINT_TRIGGER"


#: The columns of muscles that are fields of a muscle.
_MUSCLE_FIELDS = frozenset({"title", "latin", "image", "image_focus", "body", "extra"})


def _field(table: str, values: dict[str, Any], column: str) -> str:
    """The front-matter path of the field a row of ``table`` of ``values`` holds, the
    ``column`` of muscles; '' when none is known."""
    try:
        if table == "muscles":
            return column if column in _MUSCLE_FIELDS else ""
        if table == "texts":
            return f"{values['field']}.{values['language']}"
        if table == "functions":
            return f"function[{values['position']}].{values['part']}.{values['language']}"
        if table == "exercises":
            return f"exercises[{values['position']}]"
        if table in ("regions", "points"):
            return f"coords[{values['region' if table == 'points' else 'position']}]"
    except KeyError:
        pass
    return ""
