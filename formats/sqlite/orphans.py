"""Rows that name a muscle (or region) the database does not hold: said when read,
deleted by a prune."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from converter.diagnostics import KEPT_BYTE, Diagnostic, counted, kept_byte_message

from .blockers import _change
from .names import _kept_text, _named, _one
from .statements import _CHILDREN

#: The tables this version makes without row ids.
_WITHOUT_ROWID = ("exercises", "regions", "points")


#: The row a row of each table belongs to, found by its muscle (``{}``): a muscle, or
#: for points a region.
_PARENT = {**{table: "SELECT 1 FROM muscles AS m WHERE m.slug = {}"
              for table in ("texts", "functions", "exercises", "regions")},
           "points": "SELECT 1 FROM regions AS r WHERE r.muscle = {} AND r.position = t.region"}
#: Whether a row of each table that names no row the database holds names one by a number
#: whose text is a slug (the number 5, muscle '5' being text: a table made again without
#: types): SQLite's foreign keys take it for that row, a query does not (5 = '5' is false).
_BY_NUMBER = {table: f"typeof(t.muscle) IN ('integer', 'real') AND EXISTS "
                     f"({parent.format('CAST(t.muscle AS TEXT)')})"
              for table, parent in _PARENT.items()}
#: The rows, by muscle, of the tables without row ids that name a row the database does
#: not hold (a muscle, or for points a region): those made so, and texts and functions
#: made again so by hand; how many, and how many of them name it by a number (its text).
#: (Queried, not ``PRAGMA foreign_key_check``: a table made again without its foreign key
#: holds such rows too.)
_ORPHANS_BY_MUSCLE = {  # (NOT EXISTS: NOT IN is NULL once a slug is, made so by hand)
    table: f"SELECT t.muscle, count(*), count(*) FILTER (WHERE {_BY_NUMBER[table]}), "
           f"CAST(t.muscle AS TEXT) FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
           f"EXISTS ({parent.format('t.muscle')}) GROUP BY t.muscle ORDER BY t.muscle"
    for table, parent in _PARENT.items()}
#: Those rows of texts or functions (with row ids), each by its row id, with the text of
#: the number it names its muscle by (see :data:`_BY_NUMBER`), else NULL.
_ORPHAN_ROWS = {table: f"SELECT rowid, CASE WHEN {_BY_NUMBER[table]} THEN CAST(t.muscle AS "
                       f"TEXT) END FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
                       f"EXISTS ({_PARENT[table].format('t.muscle')}) ORDER BY rowid"
                for table in ("texts", "functions")}
#: Of each table of a muscle's rows, parents first, a prune's deletion of the rows that
#: name a muscle (or for points a region) the database does not hold: the rows of a
#: muscle deleted with foreign keys off (the sqlite3 shell's default, another program),
#: which no later write would remove, every read then an error. Not those that name it
#: by a number (see :data:`_BY_NUMBER`), which SQLite's foreign keys take for its own,
#: nor the points of a region so named.
_DELETE_ORPHANS = tuple(f"DELETE FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
                        f"EXISTS ({parent.format('t.muscle')}) AND NOT ({_BY_NUMBER[table]})"
                        + (" AND NOT EXISTS (SELECT 1 FROM regions AS r WHERE typeof(r.muscle) "
                           "IN ('integer', 'real') AND CAST(r.muscle AS TEXT) = t.muscle AND "
                           "r.position = t.region)" if table == "points" else "")
                        for table, parent in _PARENT.items())


def _delete_orphans(conn: sqlite3.Connection) -> int:
    """Run :data:`_DELETE_ORPHANS`: how many rows they deleted, with the points that
    cascade from a region deleted (which SQLite's count of changes leaves out)."""
    count_points = "SELECT count(*) FROM points"
    (points,) = conn.execute(count_points).fetchone()
    deleted = 0
    for table, statement in zip(_PARENT, _DELETE_ORPHANS, strict=True):
        rows = _change(conn, statement, [()])
        deleted += rows if table != "points" else 0  # (counted below)
    return deleted + points - conn.execute(count_points).fetchone()[0]


def _by_number(number: str, rows: str, table: str) -> str:
    """The message of ``rows`` (``"the row is"``, ``"its 2 rows are"``) of ``table``
    naming their muscle by the number whose text is ``number``, not by its slug."""
    parent = "a region of muscle" if table == "points" else "muscle"
    return (f"is the number {number}, not text: SQLite's foreign keys take it for "
            f"{parent} '{number}', a query does not (muscle = '{number}' finds no row), "
            f"nor does this reader: {rows} left out; store the slug as text (in a column "
            "of type TEXT)")


def _orphans(conn: sqlite3.Connection, path: str) -> Iterator[Diagnostic]:
    """A diagnostic for the rows of its own tables that name a row the database does not
    hold (written with foreign keys off, or in a table made again without its foreign
    key, by hand), or name it by a number (``wrong-type``: see :data:`_BY_NUMBER`), or
    whose muscle is NULL (made again without NOT NULL): each row of texts or functions
    (by its row id), each muscle's rows of a table without (made so by this version, or
    again by hand)."""
    for table in _CHILDREN:  # (its own tables: not those a user added)
        if table in _WITHOUT_ROWID or not _has_rowid(conn, table):
            (nulls,) = conn.execute(f"SELECT count(*) FROM {table} WHERE muscle IS NULL"
                                    ).fetchone()
            if nulls:
                yield Diagnostic(path, None, None, f"{table}[muscle NULL].muscle",
                                 "missing-field", f"is NULL: {counted(nulls, 'rows')} of no "
                                 "muscle; left out")
            yield from _orphans_by_muscle(conn, path, table)
            continue
        for (rowid,) in conn.execute(f"SELECT rowid FROM {table} WHERE muscle IS NULL "
                                     "ORDER BY rowid"):
            yield Diagnostic(path, None, None, f"{table}[rowid {rowid}].muscle",
                             "missing-field", "is NULL: the row names no muscle; it is "
                             "left out")
        for rowid, number in conn.execute(_ORPHAN_ROWS[table]):
            yield Diagnostic(path, None, None, f"{table}[rowid {rowid}].muscle",
                             "wrong-type", _by_number(number, "the row is", table)
                             ) if number is not None else Diagnostic(
                path, None, None, f"{table}[rowid {rowid}]", "unknown-slug",
                "names a row of muscles the database does not hold; it is left out")


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` has row ids (not one made again ``WITHOUT ROWID`` by hand)."""
    try:
        conn.execute(f"SELECT rowid FROM {table} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def _orphans_by_muscle(conn: sqlite3.Connection, path: str, table: str
                       ) -> Iterator[Diagnostic]:
    """A diagnostic for each muscle named by rows of ``table`` (one without row ids)
    that name a row the database does not hold; a name that is not UTF-8 (which SQLite's
    own decoding refuses, failing the query) is read with its bytes kept, and said."""
    parent = "a region" if table == "points" else "a muscle"
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        orphans = conn.execute(_ORPHANS_BY_MUSCLE[table]).fetchall()
    finally:
        conn.text_factory = before
    for muscle, rows, by_number, number in orphans:
        if by_number:
            yield Diagnostic(path, None, None, f"{table}[muscle {_named(muscle)}].muscle",
                             "wrong-type", _by_number(number, _one(by_number, "the row is",
                             f"its {by_number} rows are"), table))
            rows -= by_number
        if not rows:
            continue
        message = f"{counted(rows, 'rows')} of {parent} the database does not hold; left out"
        if isinstance(muscle, str) and KEPT_BYTE.search(muscle):
            message += f": the name in column muscle {kept_byte_message(muscle)}"
        yield Diagnostic(path, None, None, f"{table}[muscle {_named(muscle)}]",
                         "unknown-slug", message)
