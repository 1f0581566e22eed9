"""A write a trigger of the user's refuses with ``RAISE``: the trigger that fired, on
the table the write changes or on one the write reaches (a row another trigger of the
user's writes, a foreign key's cascade), found and named with its table; or, when not
one is found to refuse it alone, the triggers that could have."""

from __future__ import annotations

import contextlib
import sqlite3
import string
from collections.abc import Iterator
from typing import Any, NamedTuple

from .names import _TABLES_NAMED, _named

#: SQLite's folding of a name's case: ASCII letters alone (a trigger ``ON Texts``).
_FOLDED = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
#: The triggers of the database that may RAISE (the tool's own never do), with their
#: tables, each with whether its text holds the message (as said, or with its quotes
#: doubled, as a string of SQL writes them).
_RAISING = ("SELECT name, tbl_name, instr(sql, ?) OR instr(sql, ?) FROM sqlite_master "
            "WHERE type = 'trigger' AND instr(upper(sql), 'RAISE') ORDER BY tbl_name, name")


class _Raisers(NamedTuple):
    """The user's triggers, each (name, table), that refused a write: those that fired
    (``fired``), or, not one found to refuse it alone, those that could have."""

    found: list[tuple[str, str]]
    fired: bool


def _raisers(conn: sqlite3.Connection, statement: str, row: tuple[Any, ...], said: str
             ) -> _Raisers | None:
    """The trigger that refused ``row`` of ``statement`` with the message ``said``: the
    one whose text holds it, else each that refuses the row alone (its message made
    by an expression, or in the text of more than one trigger), else those that could
    have (whose text holds it, or, not one, every trigger that may RAISE); None when
    the database has no trigger that may RAISE."""
    triggers = conn.execute(_RAISING, (said, said.replace("'", "''"))).fetchall()
    holding = [(name, table) for name, table, holds in triggers if holds]
    if len(holding) == 1:
        return _Raisers(holding, True)
    everyone = [(name, table) for name, table, _ in triggers]
    alone = _refusing_alone(conn, everyone, statement, row, said) if row else []
    if alone:
        return _Raisers(alone, True)
    return _Raisers(holding or everyone, False) if everyone else None


def _refusing_alone(conn: sqlite3.Connection, triggers: list[tuple[str, str]],
                    statement: str, row: tuple[Any, ...], said: str
                    ) -> list[tuple[str, str]]:
    """Those of ``triggers`` (each that may RAISE) each of which, the others dropped,
    refuses ``row`` of ``statement`` with the message ``said`` (in a savepoint, rolled
    back: nothing is dropped)."""
    found = []
    for trigger in triggers:
        try:
            with _trial(conn, "alone"):
                for other, _ in triggers:
                    if other != trigger[0]:
                        conn.execute(f"DROP TRIGGER main.{_quoted(other)}")
                conn.execute(statement, row)
        except sqlite3.IntegrityError as again:
            if str(again) == said:
                found.append(trigger)
        except (sqlite3.Error, UnicodeEncodeError):  # (a name that is not UTF-8)
            return []
    return found


@contextlib.contextmanager
def _trial(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """What is done inside, undone at the end: in the savepoint ``name`` of the open
    transaction, or, none open (a trigger's ``RAISE(ROLLBACK)`` ended it), in a
    transaction of its own, rolled back, never committed (as releasing a savepoint that
    began one would); one that a ``RAISE(ROLLBACK)`` inside ends is left ended."""
    outer = conn.in_transaction
    conn.execute(f"SAVEPOINT {name}" if outer else "BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            if outer:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            else:
                conn.execute("ROLLBACK")


def _quoted(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _refusing(raisers: _Raisers, table: str, verb: str) -> tuple[str, str]:
    """What a diagnostic says of ``raisers`` that refused to ``verb`` (write, delete) a
    row of ``table``: the words before the muscle is named (who refuses what) and
    those after it (what that was, and what to do)."""
    found = raisers.found
    ours = all(on.translate(_FOLDED) == table for _, on in found)
    named = ", ".join(_named(name) for name, _ in found[:_TABLES_NAMED]) if ours else \
        ", ".join(f"{_named(name)} on table {_named(on)}" for name, on in found[:_TABLES_NAMED])
    if len(found) > _TABLES_NAMED:
        named += f" and {len(found) - _TABLES_NAMED} more"
    if ours:
        named += f" on {table}"
    many = len(found) > 1
    triggers = "triggers" if many else "trigger"
    refuses = "refuse" if many and raisers.fired else "refuses"
    what, done = (f"{refuses} to {verb} the row", "") if ours else (
        f"{refuses} a change that {'deleting' if verb == 'delete' else 'writing'} the "
        f"{table} row", " makes")
    if not raisers.fired:
        return (f"one of your {triggers} {named} (SQLite does not say which) {what}",
                f"{done}; drop or change the one that does, and run again")
    those = "those triggers" if many else "that trigger"
    return f"your {triggers} {named} {what}", f"{done}; drop or change {those}, and run again"
