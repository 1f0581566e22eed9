"""The ids muscles, texts and functions are given, which key the search index's rows,
and the errors of ids edited past what it holds."""

from __future__ import annotations

import sqlite3
from typing import Any

from converter.diagnostics import MuscleError, error

from .names import _named, _row, _shown, _stored
from .rows import _Batch
from .schema import _TABLES

#: The highest muscle id ever given (one row): a removed muscle's id is never given to
#: another, so an app that stored it finds that muscle or none. Made with the first id
#: a database gives (older ones gain it then).
_ID_SEQUENCE = "CREATE TABLE IF NOT EXISTS id_sequence (last_id INTEGER NOT NULL)"


#: The highest muscle id: the search index keys a muscle's rows by ``id * 4 + 3``, which
#: SQLite's 64-bit integers hold up to this id.
MAX_ID = (2**63 - 1 - 3) // 4


def _no_id_left(conn: sqlite3.Connection, out: str, last_id: int, given: int) -> MuscleError:
    """The error of a database whose highest id (``last_id`` of muscles, or ``given`` of
    id_sequence), edited in by hand, leaves none to give a new muscle."""
    if given >= last_id:
        field, value = "id_sequence.last_id", given
        fix = ("set it back to the highest id the database gave (no less than SELECT "
               "max(id) FROM muscles)")
    else:
        (slug,) = conn.execute("SELECT slug FROM muscles WHERE id = ?", (last_id,)).fetchone()
        field, value = f"muscles[{_shown(slug)}].id", last_id
        fix = f"give muscle {_named(slug)} a lower id"
    return error(out, "bad-value", f"{value} leaves no id for a new muscle (the highest is "
                 f"{MAX_ID}: the search index keys a muscle's rows by id * 4 + 3, a 64-bit "
                 f"integer); {fix}, or write a fresh database", field)


#: The lowest id the search index holds: ``id * 4`` is a 64-bit integer from it on.
MIN_ID = -(2**63) // 4
#: The tables whose ids key the search index's rows (``id * 4 + k``), each with its k.
_KEYED = {"muscles": 3, "texts": 0, "functions": 1}
#: Of those, the ones whose new rows take the next id SQLite gives.
_NUMBERED = ("texts", "functions")
#: A row of one of them: its id and its muscle's slug.
_Top = tuple[int, Any]


#: The key of a row of each table of :data:`_KEYED`, its muscle's slug first.
_KEYS = {"muscles": ("slug",), "texts": ("muscle", "field", "language"),
         "functions": ("muscle", "position", "part", "language")}
#: The first row of each of them whose id is no integer: its id and key.
_NOT_INTEGER_ID = {table: f"SELECT id, {', '.join(key)} FROM {table} WHERE typeof(id) != "
                          f"'integer' ORDER BY {', '.join(key)} LIMIT 1"
                   for table, key in _KEYS.items()}


def _ids_held(conn: sqlite3.Connection, out: str) -> dict[str, _Top]:
    """The row of the highest id of each table of :data:`_NUMBERED`, by name; raise a
    ``bad-value`` error for a row of muscles, texts or functions whose id is no integer
    (its search key wrong, or the same as another's) or past what the search index keys
    (set by hand, its triggers dropped: the index cannot hold it)."""
    made = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                             "AND name IN ('texts', 'functions')"))
    for table, statement in _NOT_INTEGER_ID.items():
        if made.get(table) in _TABLES:
            continue  # (as this version makes it: its id is the row id, an integer)
        # (first through the index of muscles' ids alone: finding the first row by its
        # key reads every muscle's row, which a write that changes none need not)
        if conn.execute(f"SELECT 1 FROM {table} WHERE typeof(id) != 'integer' LIMIT 1"
                        ).fetchone() and (found := conn.execute(statement).fetchone()):
            number, slug, *key = found
            field = f"muscles[{_shown(slug)}].id" if table == "muscles" else \
                f"{_row(table, slug, **dict(zip(_KEYS[table][1:], key, strict=True)))}.id"
            shown = f"{number!r} is text," if isinstance(number, str) else \
                f"{_stored(number)} is"
            raise _id_error(out, table, found[:2], "not an integer", "an integer id that "
                            "no other row has", field=field, shown=shown)
    for table in _KEYED:
        owner = "slug" if table == "muscles" else "muscle"
        found = conn.execute(f"SELECT id, {owner} FROM {table} WHERE typeof(id) = 'integer' "
                             "AND (id > ? OR id < ?) LIMIT 1", (MAX_ID, MIN_ID)).fetchone()
        if found:
            raise _id_error(out, table, found, f"is past the ids the search index holds "
                            f"({MIN_ID} to {MAX_ID})", "an id between those")
    return {table: top for table in _NUMBERED if (top := conn.execute(
        f"SELECT id, muscle FROM {table} ORDER BY id DESC LIMIT 1").fetchone())}


def _id_error(out: str, table: str, row: _Top, problem: str, fix: str, *,
              field: str = "", shown: str = "") -> MuscleError:
    """The ``bad-value`` error of the id of ``row`` of ``table``: its ``problem`` and
    ``fix``; ``field`` and ``shown`` name the row and its id otherwise than by it."""
    number, slug = row
    field = field or (f"muscles[{_shown(slug)}].id" if table == "muscles" else
                      f"{table}[rowid {number}].id")
    owner = f"muscle {_named(slug)}" if table == "muscles" else \
        f"this row (of muscle {_named(slug)})"
    k = _KEYED[table]
    return error(out, "bad-value", f"{shown or number} {problem}: the search index keys a "
                 f"row of {table} by id * 4{f' + {k}' if k else ''}, a 64-bit integer; "
                 f"give {owner} {fix}, or write a fresh database", field)


def _flush(batch: _Batch, conn: sqlite3.Connection, out: str, tops: dict[str, _Top]
           ) -> None:
    """:meth:`_Batch.flush`; a new row of texts or functions whose id SQLite gives is
    past what the search index keys (a row's id set up to the highest by hand, ``tops``
    of :func:`_ids_held`) is a ``bad-value`` error naming that row, whether the index's
    trigger refused it or the index, dropped, is to be made again after."""
    try:
        batch.flush(conn)
    except sqlite3.Error as exc:  # (SQLite's integer overflows to a REAL: no row key)
        full = None if getattr(exc, "sqlite_errorname", "") != "SQLITE_MISMATCH" else \
            _full(conn, out, tops, MAX_ID)
        if full is None:
            raise
        raise full from None
    full = _full(conn, out, tops, MAX_ID + 1)
    if full is not None:
        raise full


def _full(conn: sqlite3.Connection, out: str, tops: dict[str, _Top], limit: int
          ) -> MuscleError | None:
    """The error of a table of ``tops`` whose highest id is ``limit`` or more."""
    for table, top in tops.items():
        (highest,) = conn.execute(f"SELECT max(id) FROM {table}").fetchone()
        if highest is not None and highest >= limit:
            return _id_error(out, table, top, f"leaves no id for a new row of {table} (the "
                             f"highest is {MAX_ID})", "a lower id")
    return None


def _last_given(conn: sqlite3.Connection) -> int:
    """The highest muscle id the database gave (0 when it does not say)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'id_sequence'").fetchone():
        return 0
    (last,) = conn.execute("SELECT max(last_id) FROM id_sequence").fetchone()
    return last if isinstance(last, int) else 0
