"""Waiting for a SQLite database another connection holds, in Python's own short sleeps.

SQLite's own wait (a connection's busy timeout) takes Ctrl-C, SIGTERM or SIGHUP only once
it ends, since a signal's handler runs only once SQLite returns; a sleep of Python's
takes it at once. A connection given to :func:`retried`, or made by :func:`connect`,
waits for nothing in SQLite (``timeout=0``): a busy database is an error at once, and
the statement is tried again.

Like SQLite's own wait, it waits only for a lock that will come: a transaction's first
lock and a write transaction's COMMIT (whose readers end), not a write of a transaction
that has read (its SHARED lock) while another connection holds the database to write
(RESERVED): that one waits to commit for this one's SHARED lock to go, so each would
wait for the other (see :class:`WaitingConnection`).

A connection of :class:`Connection` (a :class:`WaitingConnection` too) raises only
sqlite3's own errors, never a ``UnicodeDecodeError`` for a message of SQLite's that is
not UTF-8 (see :func:`decoded_errors`).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .atomic import signals_held

#: The first and the longest of :func:`retried`'s sleeps between tries, in seconds.
FIRST_PAUSE, LONGEST_PAUSE = 0.001, 0.05


def retried(conn: sqlite3.Connection, statement: str, seconds: float,
            parameters: Any = (), made: Callable[[], None] | None = None, *,
            spent: Callable[[float], None] | None = None) -> sqlite3.Cursor:
    """Execute ``statement`` (``BEGIN IMMEDIATE``, ``COMMIT``, a transaction's first
    read: what SQLite's own wait waits for, never a write of a transaction that has
    read), tried again while another connection holds the database, for up to
    ``seconds``, in Python's own short sleeps; its cursor. Still held then: "database is
    locked", as SQLite's own wait says it.

    With ``made``, each try holds Ctrl-C, SIGTERM and SIGHUP (see
    :func:`~converter.atomic.signals_held`), and ``made()`` runs once the statement is
    done, before one that came as SQLite ran it is taken: a COMMIT made is then said in
    place (a signal says its output was written), one not made is still open (a
    signal then rolls it back). The sleeps between tries take a signal at once.

    With ``spent``, a statement that found the database held tells it the seconds it
    waited, however it ends (done, or still held)."""
    began = time.monotonic()
    deadline, pause, waited = began + seconds, FIRST_PAUSE, False
    try:
        while True:
            with signals_held() if made is not None else contextlib.nullcontext():
                try:  # (sqlite3.Connection's own: a WaitingConnection's would wait again)
                    with decoded_errors():
                        cursor = sqlite3.Connection.execute(conn, statement, parameters)
                except sqlite3.OperationalError as exc:
                    if not _busy(exc) or time.monotonic() >= deadline:
                        raise
                else:
                    if made is not None:
                        made()
                    return cursor
            waited = True
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
    finally:
        if waited and spent is not None:
            spent(time.monotonic() - began)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether ``exc`` says another connection holds the database, as SQLite's own wait
    takes it: SQLITE_BUSY and its variants (another connection recovering a WAL
    database's log, SQLITE_BUSY_RECOVERY), not SQLITE_BUSY_SNAPSHOT (a read transaction
    that cannot become a write one, which no wait helps)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY and (
        code != sqlite3.SQLITE_BUSY_SNAPSHOT)


#: The first words of the statements that begin a transaction (deferred: no lock yet).
_BEGINNING = frozenset({"BEGIN", "SAVEPOINT"})
#: The first words of the statements that commit a transaction (a write transaction's
#: EXCLUSIVE lock, which SQLite's own wait waits for).
_ENDING = frozenset({"COMMIT", "END", "RELEASE"})


#: A statement's first word (group 1: ASCII letters, digits and ``_``, as a keyword is
#: written; one glued to more is another), after what SQLite skips before it: its white
#: space, a comment from ``--`` to the end of the line and one from ``/*`` to the first
#: ``*/`` (they do not nest), or to the end when none follows.
_FIRST_WORD = re.compile(r"(?:[ \t\n\f\r]+|--[^\n]*|/\*(?:.*?\*/|.*))*(\w*)",
                         re.DOTALL | re.ASCII)


def _first_word(statement: str) -> str:
    """The first word of ``statement`` as SQLite reads it (after white space and
    comments, up to a ``;``, a comment or anything else no word holds), in capitals
    (``''`` for none)."""
    found = _FIRST_WORD.match(statement)
    return found.group(1).upper() if found else ""


@contextlib.contextmanager
def decoded_errors() -> Iterator[None]:
    """Raise a ``UnicodeDecodeError`` of sqlite3's as the ``sqlite3.DatabaseError`` it
    stands for. SQLite's message of a damaged schema quotes its text (``malformed
    database schema (t) - near "D\\xf2LETE": syntax error``), as does one of a
    user's CHECK or trigger; sqlite3 cannot decode one that is not UTF-8 and raises
    that in place of its error. The message keeps its text, such a byte as U+FFFD."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise sqlite3.DatabaseError(bytes(exc.object).decode("utf-8", "replace")) from None


class Connection(sqlite3.Connection):
    """A connection whose statements raise sqlite3's own errors only, one whose message
    is not UTF-8 too (see :func:`decoded_errors`): a damaged database is an error
    every caller catching ``sqlite3.Error`` takes. (Its cursors' later rows are read as
    sqlite3 reads them: SQLite reads a schema as a statement is prepared.)"""

    def execute(self, statement: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """``sqlite3.Connection.execute``, its errors decoded."""
        with decoded_errors():
            return super().execute(statement, parameters)

    def executemany(self, statement: str, parameters: Any, /) -> sqlite3.Cursor:
        """``sqlite3.Connection.executemany``, its errors decoded."""
        with decoded_errors():
            return super().executemany(statement, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:
        """``sqlite3.Connection.executescript``, its errors decoded."""
        with decoded_errors():
            return super().executescript(script)


class WaitingConnection(Connection):
    """A connection each of whose :meth:`execute` statements waits up to
    :attr:`wait_seconds` for a database another connection holds (see :func:`retried`),
    as SQLite's own busy timeout of as many seconds would, Ctrl-C taken meanwhile; and
    as SQLite's own does not, a statement of a transaction that has read, but for its
    COMMIT, does not wait: another connection that holds the database to write waits
    for this one's read lock to go, so it is "database is locked" at once (the caller
    rolls back, and the other one commits). Its ``executemany`` does not wait: run it
    in a transaction begun with ``BEGIN IMMEDIATE``, whose lock is then held.
    With :attr:`giving_up`, :attr:`wait_seconds` is how long the connection waits in
    all: each wait takes what it waited from it (another connection that holds the
    database in bursts, letting it go for a moment between them, cannot make each
    statement wait almost that long), and once it is spent, or a wait ran out, the
    database is taken as held for good: its later statements are tried once, without
    waiting."""

    #: How long a statement waits for the database (:func:`connect` sets it); with
    #: :attr:`giving_up`, what is left of the connection's wait in all.
    wait_seconds = 0.0
    #: Whether :attr:`wait_seconds` is the connection's wait in all, set to 0 once a
    #: wait ran out (:func:`connect`).
    giving_up = False
    #: Whether the open transaction has run a statement since the one that began it (so
    #: it holds the database's SHARED lock at least).
    _has_read = False

    def execute(self, statement: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Execute ``statement``, waiting for the database as :func:`retried` does, but
        within a transaction that has read, where only its COMMIT waits."""
        reading = self.in_transaction and self._has_read
        seconds = self.wait_seconds if not reading or _first_word(statement) in _ENDING else 0
        try:
            cursor = retried(self, statement, seconds, parameters,
                             spent=self._spend if self.giving_up else None)
        except sqlite3.OperationalError as exc:
            if seconds and self.giving_up and _busy(exc):
                self.wait_seconds = 0.0
            raise
        self._has_read = self.in_transaction and (
            reading or _first_word(statement) not in _BEGINNING)
        return cursor

    def _spend(self, seconds: float) -> None:
        """Take ``seconds`` waited from what is left of the connection's wait."""
        self.wait_seconds = max(0.0, self.wait_seconds - seconds)


def connect(path: Path | str, seconds: float, *, giving_up: bool = False,
            **options: Any) -> WaitingConnection:
    """A :class:`WaitingConnection` to ``path`` (``options`` as ``sqlite3.connect``
    takes them) whose statements wait up to ``seconds`` for the database; with
    ``giving_up``, up to ``seconds`` in all (see :attr:`WaitingConnection.giving_up`)."""
    conn = sqlite3.connect(path, timeout=0, factory=WaitingConnection, **options)
    conn.wait_seconds, conn.giving_up = seconds, giving_up
    return conn
