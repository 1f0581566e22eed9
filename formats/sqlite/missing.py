"""A table of the tool's that the database lacks (to write into or to read from): a
rebuild of it by hand that stopped half-way (the new table made, the old one dropped,
the rename refused) named, with how to finish it; and a column of one of them that it
lacks (``ALTER TABLE ... DROP COLUMN``, or a table made again without it)."""

from __future__ import annotations

import sqlite3

from converter.diagnostics import error

from .names import _kept_text, _named, _one
from .statements import _CHILD_TABLES
from .triggers import _quoted

#: The tool's tables (not the search index's, made again by a write), in the order made.
_TABLES = ("muscles", *(child.table for child in _CHILD_TABLES))
#: The columns of each of the tool's tables that a write names (not the generated ones,
#: which it never names), and of those the ones a read does not select.
_COLUMNS = {
    "muscles": ("slug", "id", "title", "latin", "image", "image_focus", "body", "extra",
                "source", "content_hash"),
    "texts": ("id", "muscle", "field", "language", "text"),
    "functions": ("id", "muscle", "position", "part", "language", "text"),
    "exercises": ("muscle", "position", "name"),
    "regions": ("muscle", "position"),
    "points": ("muscle", "region", "position", "x", "y"),
}
_NOT_READ = frozenset({"muscles.id", "muscles.source", "muscles.content_hash", "texts.id",
                       "functions.id"})
#: The columns of a table, by name.
_TABLE_COLUMNS = "SELECT name FROM pragma_table_info(?)"
#: The tables of a database, by name (SQLite's own and the search index's left out).
_HELD = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
         "'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name")


def _check_tables_held(conn: sqlite3.Connection, out: str, *, reading: bool = False
                       ) -> None:
    """Raise a ``sqlite-error`` when the database ``out`` lacks a table of the tool's
    (each write, and each read with ``reading``, fails on it: "no such table: texts"),
    naming the tables of the user's whose name holds its name (``texts_new``: made to
    take its place, then not renamed, as SQLite refuses ``ALTER TABLE texts_new RENAME
    TO texts`` while the views that refer to ``texts`` are there), and what to do; each
    table held, one that lacks a column is such an error too (see
    :func:`_check_columns_held`)."""
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        held = [name for (name,) in conn.execute(_HELD)]
    finally:
        conn.text_factory = before
    folded = {name.lower() for name in held}
    missing = [table for table in _TABLES if table not in folded]
    if not missing:
        _check_columns_held(conn, out, reading=reading)
        return
    left = [name for name in held if name.lower() not in _TABLES
            and any(table in name.lower() for table in missing)]
    tables = _one(len(missing), "table", "tables")
    lacks = (f"lacks its {tables} {', '.join(missing)}, which muscle-convert "
             f"{'reads' if reading else 'writes'}")
    fresh = ("; no muscle is read from it" if reading else
             ", or write a fresh database (into a new file); nothing is changed")
    if not left:
        raise error(out, "sqlite-error", f"{lacks} (dropped by hand?); " + (
            f"restore {_one(len(missing), 'it', 'them')} from a copy of the database, or "
            "write a fresh database from the muscles' sources; no muscle is read from it"
            if reading else
            "write a fresh database (into a new file); nothing is changed"))
    first = missing[0]
    named = ", ".join(_named(name) for name in left)
    raise error(out, "sqlite-error", f"{lacks} (a rebuild of it left the "
                f"{_one(len(left), 'table', 'tables')} {named}? SQLite refuses ALTER TABLE "
                f"... RENAME TO {first} while the views that refer to {first} are there); "
                f"rename that table back (PRAGMA legacy_alter_table = ON; ALTER TABLE "
                f"{_quoted(left[0])} RENAME TO {first}), and run again{fresh}")


def _check_columns_held(conn: sqlite3.Connection, out: str, *, reading: bool) -> None:
    """Raise a ``sqlite-error`` when a table of the tool's in the database ``out`` lacks
    a column that a write (a read, with ``reading``) names (each failed on it: "no such
    column: body"), naming the table and the column, and what to do."""
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        held = {table: {name.lower() for (name,) in conn.execute(_TABLE_COLUMNS, (table,))}
                for table in _COLUMNS}
    finally:
        conn.text_factory = before
    missing = [f"{table}.{column}" for table, columns in _COLUMNS.items()
               for column in columns if column not in held[table]
               and not (reading and f"{table}.{column}" in _NOT_READ)]
    if not missing:
        return
    tables = {name.partition(".")[0] for name in missing}
    count = len(missing)
    it = _one(count, "it", "them")
    lacks = (f"its table {next(iter(tables))} lacks the {_one(count, 'column', 'columns')} "
             f"{', '.join(name.partition('.')[2] for name in missing)}"
             if len(tables) == 1 else f"its tables lack the columns {', '.join(missing)}")
    raise error(out, "sqlite-error", f"{lacks}, which muscle-convert "
                f"{'reads' if reading else 'writes'} (dropped by hand with ALTER TABLE ... "
                f"DROP COLUMN, or {_one(len(tables), 'the table', 'the tables')} made again "
                f"without {it}?); " + (
                    f"restore {it} from a copy of the database, or write a fresh database "
                    "from the muscles' sources; no muscle is read from it" if reading else
                    "write a fresh database (into a new file); nothing is changed"))
