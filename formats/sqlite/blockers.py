"""A change a foreign key of the user's stops: the tables whose rows stand in its
way, found and named."""

from __future__ import annotations

import itertools
import operator
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from .names import _TABLES_NAMED, _kept_text, _named, _shown
from .refused import _refusal
from .statements import _CHILDREN


class _Blocked(sqlite3.IntegrityError):
    """A deletion (or an update) a foreign key stopped, and the tables of the user's whose
    rows stand in its way, by name, each with the tables its rows there refer to."""

    def __init__(self, exc: sqlite3.Error, tables: dict[str, set[str]], updating: bool
                 ) -> None:
        super().__init__(str(exc))
        self.tables, self.updating = tables, updating

    @property
    def fix(self) -> str:
        """What the user may do about it."""
        if self.updating:
            return ("let the reference follow the change, ON UPDATE CASCADE, or refer to "
                    "the row by its key, as muscles (slug), which a write never changes")
        return "let the reference cascade, ON DELETE CASCADE, or remove the row"


def _change(conn: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]], *,
            updating: bool = False) -> int:
    """``executemany`` of a deletion (``updating``: an update or upsert): how many rows
    it changed (not those that cascade); a foreign key that stops it is
    :class:`_Blocked`, naming the tables whose rows stand in its way (see
    :func:`_blockers`); a UNIQUE index or a trigger of the user's that stops it is
    :class:`~.refused._Refused`, naming it and the muscle (see :func:`_refusal`).
    (SQLite says SQLITE_CONSTRAINT_TRIGGER, not _FOREIGNKEY, of one with ON DELETE
    RESTRICT.) A trigger's ``RAISE(ROLLBACK)`` ends the write's transaction, all of it
    undone: its row is the one SQLite was making when it failed (see :func:`_stepped`),
    not found by making them again (a refusal that hangs on rows written before it,
    which a ``RAISE(ROLLBACK)`` undid, or which a ``RAISE(ABORT)`` kept, is not made
    again so)."""
    pending = iter(rows)
    try:
        return conn.executemany(statement, pending).rowcount
    except sqlite3.IntegrityError as exc:
        ended = not conn.in_transaction  # (by a RAISE(ROLLBACK))
        if not ended and (tables := _blockers(conn, statement, rows)):
            raise _Blocked(exc, tables, updating) from None
        try:
            refused = _refusal(conn, statement, _stepped(rows, pending), exc)
        except sqlite3.OperationalError:
            if not ended:
                raise
            refused = None  # (another program holds the database since)
        if refused is None:
            raise exc from None
        raise refused from None


def _stepped(rows: list[tuple[Any, ...]], pending: Iterator[tuple[Any, ...]]
             ) -> tuple[Any, ...]:
    """The row of ``rows`` an ``executemany`` of ``pending`` (their iterator) failed on:
    sqlite3 takes the next row only once the one before is made, so it is the last
    taken (none left out of the count of those still to come)."""
    return rows[len(rows) - operator.length_hint(pending) - 1]


#: The tables of a database that refer to a table, by name.
_REFERENCES = """SELECT DISTINCT t.name FROM sqlite_master AS t
    JOIN pragma_foreign_key_list(t.name) AS f WHERE t.type = 'table' ORDER BY t.name"""


def _blockers(conn: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]]
              ) -> dict[str, set[str]]:
    """The tables of the user's (not the tool's) with a row that the change that failed
    (``statement`` of ``rows``: a deletion, an update or an upsert; see :func:`_change`)
    would leave referring to a row gone or changed away, each with the tables those
    rows refer to: found by making the change again in a savepoint, rolled back, its
    foreign keys checked when it ends (``defer_foreign_keys``, ON DELETE or ON UPDATE
    RESTRICT too), not counting a row that referred to nothing before; none when it
    fails again (a trigger of the user's). A name that is not UTF-8 is read with its bytes kept (see
    :func:`_kept_text`)."""
    before_factory, conn.text_factory = conn.text_factory, _kept_text
    try:
        tables = [table for (table,) in conn.execute(_REFERENCES) if table not in _OURS]
        conn.execute("SAVEPOINT blockers")
        try:
            dangling = _dangling(conn, tables)
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany(statement, rows)
            return _parents(_dangling(conn, tables) - dangling)
        except sqlite3.IntegrityError:
            return {}
        finally:
            conn.execute("PRAGMA defer_foreign_keys = OFF")
            conn.execute("ROLLBACK TO blockers")
            conn.execute("RELEASE blockers")
    finally:
        conn.text_factory = before_factory


#: The tool's tables, by name.
_OURS = frozenset({"muscles", *_CHILDREN})
#: A row of ``PRAGMA foreign_key_check``: its table, row id, the table it refers to and
#: which of the table's foreign keys it is.
_Dangling = tuple[str, Any, str, Any]


def _dangling(conn: sqlite3.Connection, tables: list[str]) -> Counter[_Dangling]:
    """The rows of ``tables`` that refer to a row the database does not hold (a row of a
    table without row ids, which ``PRAGMA foreign_key_check`` does not tell apart, once
    for each such row)."""
    found: Counter[_Dangling] = Counter()
    for table in tables:  # (its name as bytes: one not UTF-8 goes as it is)
        found.update(conn.execute('SELECT "table", rowid, parent, fkid FROM '
                                  "pragma_foreign_key_check(?)",
                                  (table.encode("utf-8", "surrogateescape"),)))
    return found


def _parents(rows: Iterable[_Dangling]) -> dict[str, set[str]]:
    """The tables of ``rows`` (of :func:`_dangling`), by name, with the tables they refer
    to."""
    found: dict[str, set[str]] = {}
    for table, _, parent, _ in sorted(rows, key=lambda row: row[0]):
        found.setdefault(table, set()).add(parent)
    return found


def _blocking_text(tables: dict[str, set[str]]) -> str:
    """``table 'bookmarks' (which refers to muscles)``, for each of the first
    :data:`_TABLES_NAMED` of ``tables`` (see :func:`_blockers`), and how many more; a
    name that is not UTF-8 is shown with U+FFFD for that byte."""
    named = [f"table {_named(table)} (which refers to "
             f"{', '.join(sorted(_shown(parent) for parent in parents))})"
             for table, parents in itertools.islice(tables.items(), _TABLES_NAMED)]
    more = len(tables) - len(named)
    if more:
        named.append(f"of {more} more of your tables")
    return " or ".join(named)
