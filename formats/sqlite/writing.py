"""Writing a database: a new one built beside and renamed over, an existing one
updated in one ``BEGIN IMMEDIATE`` transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from converter.atomic import atomic_path, signals_held, terminable
from converter.once_written import placed
from converter.registry import WriteContext
from converter.sqlitewait import Connection, retried

from .blockers import _OURS, _REFERENCES, _Blocked, _dangling, _parents
from .counts import Counts
from .journals import _remove_cold_journal, _remove_stale_logs
from .loading import _load
from .missing import _check_tables_held
from .names import _kept_text
from .refusals import _NO_KEY, _keyless, _referring_to_gone, check_schema
from .rows import _Record
from .schema import _create_tables, _finish_schema, _renew_views


def _update_changed(records: Sequence[_Record], out: Path, ctx: WriteContext, total: int
                    ) -> str | None:
    """:meth:`SqliteFormat.update`, in one transaction."""
    if not out.is_file():
        return None
    with _immediate(out, wait=False) as conn:
        if check_schema(conn, str(out)) or conn.execute(
                "SELECT count(*) FROM muscles").fetchone()[0] != total:
            return None
        counts = _load(conn, records, ctx, str(out), prune=False, partial=True)
        if counts.added:
            return None  # a new muscle: not an update of the last run's (rolled back)
        counts.unchanged += total - counts.updated - counts.unchanged
        _commit(conn, out, 0)
    return counts.summary(out)


@contextlib.contextmanager
def _immediate(out: Path, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
    """A connection to ``out`` in a ``BEGIN IMMEDIATE`` transaction, rolled back unless
    the caller commits (on Ctrl-C, SIGTERM and SIGHUP too, see
    :func:`~converter.atomic.terminable`: no hot journal is left); closed at the end.
    A database another connection holds is waited for :data:`BUSY_SECONDS` in Python's
    own sleeps (see :func:`~converter.sqlitewait.retried`), so Ctrl-C, SIGTERM or SIGHUP
    meanwhile ends the run at once, before anything is written; without ``wait`` it is
    an error at once (an update in place then gives way to the full write, which waits
    for it, once).
    SQLite itself never waits on this connection: a page it would spill to the file
    while a reader is there stays in memory instead. Nothing reads the database before
    the ``BEGIN IMMEDIATE`` (its page cache is set once it holds it): a statement that
    did would find it locked at once, without the wait."""
    conn = _connect(out)
    try:
        retried(conn, "BEGIN IMMEDIATE", BUSY_SECONDS if wait else 0)
        conn.execute(f"PRAGMA cache_size = {UPDATE_CACHE}")
        _remove_cold_journal(out)
        with terminable():
            try:
                yield conn
            finally:
                _roll_back(conn)
    finally:
        conn.close()


def _roll_back(conn: sqlite3.Connection) -> None:
    """Roll back ``conn``'s open transaction, if any; a second signal waits for it."""
    if conn.in_transaction:
        with signals_held():
            conn.execute("ROLLBACK")


#: How long a write waits for a database another program holds (a reader's open
#: transaction, another run) before it fails with "database is locked".
BUSY_SECONDS = 30.0


#: The page cache of an update, in KiB (as ``PRAGMA cache_size`` takes it, negative).
UPDATE_CACHE = -32768


def _connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the database at ``path`` with foreign keys on, on which SQLite
    never waits for a lock (a busy database is an error at once:
    :func:`~converter.sqlitewait.retried` waits). It has not read the database (a
    connection's own setting, ``PRAGMA foreign_keys``, reads nothing)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0, factory=Connection)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


#: The page cache of a new database's load, in KiB (as ``PRAGMA cache_size`` takes it,
#: negative): what it loads past this goes to the file as it comes. A load writes new
#: pages, read again only by the search index's build, which scans the tables: the 32 MiB
#: of the other connections held a corpus's first 32 MiB of rows until the commit, and
#: 20,000 muscles loaded no faster for it.
NEW_CACHE = -8192


def _write_new(records: Iterable[_Record], out: Path, ctx: WriteContext) -> Counts:
    """Build a new database in a temporary file, then rename it to ``out``.

    Rows are loaded first; the search index is filled in one statement afterwards and
    the triggers that keep it in sync are created last (much faster than per row).
    """
    with atomic_path(out) as tmp:
        conn = _connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # the file is discarded on failure
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute(f"PRAGMA cache_size = {NEW_CACHE}")
            # Each muscle's rows are made together under its own slug, so their keys hold
            # by construction: checking each row would double the load (every update,
            # on a connection of its own, checks them).
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("BEGIN")
            _create_tables(conn)
            counts = _load(conn, records, ctx, str(out), prune=False, new=True)
            _finish_schema(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
        _remove_stale_logs(out)
    return counts


def _update(records: Iterable[_Record], out: Path, ctx: WriteContext, prune: bool,
            named: str) -> Counts:
    """Upsert into an existing database inside one ``BEGIN IMMEDIATE`` transaction; one
    of its tables made again without its key, or whose foreign key refers to a table
    renamed and dropped, or gone (see :func:`~.missing._check_tables_held`), is a
    ``sqlite-error`` naming it. ``named``: ``out`` as the user named it (a link to it,
    say), for the advice of :func:`~.refusals.check_schema`."""
    with _immediate(out) as conn:
        if check_schema(conn, str(out), named):
            _create_tables(conn)
            _finish_schema(conn)
        _check_tables_held(conn, str(out))
        _renew_views(conn, str(out))
        try:
            counts = _load(conn, records, ctx, str(out), prune=prune)
        except sqlite3.OperationalError as exc:
            said = str(exc)
            found = _keyless(conn, str(out), said) if said.startswith(_NO_KEY) else \
                _referring_to_gone(conn, str(out), said)
            if found is None:
                raise
            raise found from None
        try:
            _commit(conn, out)
        except sqlite3.IntegrityError as exc:
            raise _deferred(conn, exc) from None
    return counts


def _deferred(conn: sqlite3.Connection, exc: sqlite3.IntegrityError) -> sqlite3.Error:
    """What the COMMIT that failed with ``exc`` is: a foreign key of the user's checked
    only then (``DEFERRABLE INITIALLY DEFERRED``) is :class:`_Blocked`, naming the tables
    of the user's whose rows the change left referring to a row gone, those that
    referred to nothing before not counted (the transaction is rolled back to see
    them); ``exc`` itself otherwise."""
    if not conn.in_transaction:
        return exc
    before_factory, conn.text_factory = conn.text_factory, _kept_text
    try:
        tables = [table for (table,) in conn.execute(_REFERENCES) if table not in _OURS]
        after = _dangling(conn, tables)
        _roll_back(conn)
        found = _parents(after - _dangling(conn, tables))
    finally:
        conn.text_factory = before_factory
    return _Blocked(exc, found, False) if found else exc


def _commit(conn: sqlite3.Connection, out: Path, seconds: float | None = None) -> None:
    """COMMIT the update of the database ``out``, waiting up to ``seconds`` (by default
    :data:`BUSY_SECONDS`, as it is when the commit is made) for its
    readers (another program's open read transaction) to let it go (see
    :func:`~converter.sqlitewait.retried`); the transaction, still open on a signal, is
    rolled back (see :func:`_immediate`). A signal that comes as SQLite commits is
    taken once the commit is made and ``out`` said in place: it says the database
    was written, not ``Aborted!``."""
    retried(conn, "COMMIT", BUSY_SECONDS if seconds is None else seconds,
            made=lambda: placed(out))
