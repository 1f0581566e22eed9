"""Waiting for a SQLite database another connection holds, in Python's own short sleeps.

SQLite's own wait (a connection's busy timeout) takes Ctrl-C, SIGTERM or SIGHUP only once
it ends, since a signal's handler runs only once SQLite returns; a sleep of Python's
takes it at once. A connection given to :func:`retried` waits for nothing in SQLite
(``timeout=0``): a busy database is an error at once, and the statement is tried again.
"""

from __future__ import annotations

import sqlite3
import time

#: The first and the longest of :func:`retried`'s sleeps between tries, in seconds.
FIRST_PAUSE, LONGEST_PAUSE = 0.001, 0.05


def retried(conn: sqlite3.Connection, statement: str, seconds: float) -> sqlite3.Cursor:
    """Execute ``statement`` (``BEGIN IMMEDIATE``, ``COMMIT``, a first read), tried again
    while another connection holds the database, for up to ``seconds``, in Python's own
    short sleeps; its cursor. Still held then: "database is locked", as SQLite's own wait
    says it."""
    deadline, pause = time.monotonic() + seconds, FIRST_PAUSE
    while True:
        try:
            return conn.execute(statement)
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or (
                    time.monotonic() >= deadline):
                raise
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)

