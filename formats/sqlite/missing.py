"""A table of the tool's that the database lacks (to write into or to read from): a
rebuild of it by hand that stopped half-way (the new table made, the old one dropped,
the rename refused) named, with how to finish it."""

from __future__ import annotations

import sqlite3

from converter.diagnostics import error

from .names import _kept_text, _named, _one
from .statements import _CHILD_TABLES
from .triggers import _quoted

#: The tool's tables (not the search index's, made again by a write), in the order made.
_TABLES = ("muscles", *(child.table for child in _CHILD_TABLES))
#: The tables of a database, by name (SQLite's own and the search index's left out).
_HELD = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
         "'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_%' ESCAPE '\\' ORDER BY name")


def _check_tables_held(conn: sqlite3.Connection, out: str, *, reading: bool = False
                       ) -> None:
    """Raise a ``sqlite-error`` when the database ``out`` lacks a table of the tool's
    (each write, and each read with ``reading``, fails on it: "no such table: texts"),
    naming the tables of the user's whose name holds its name (``texts_new``: made to
    take its place, then not renamed, as SQLite refuses ``ALTER TABLE texts_new RENAME
    TO texts`` while the views that refer to ``texts`` are there), and what to do."""
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        held = [name for (name,) in conn.execute(_HELD)]
    finally:
        conn.text_factory = before
    folded = {name.lower() for name in held}
    missing = [table for table in _TABLES if table not in folded]
    if not missing:
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
