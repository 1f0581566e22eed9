"""converter.sqlitewait: which of SQLite's errors are waited out, and for how long."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import threading
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from converter import sqlitewait
from tests.conftest import WAIT


def _failing(code: int, name: str) -> sqlite3.OperationalError:
    """An error as SQLite's module raises it, with its extended code and name."""
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    return exc


@pytest.fixture
def tries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[sqlite3.OperationalError]]:
    """Errors each try of a statement raises in turn, before one that succeeds: the
    statements :func:`sqlitewait.retried` runs meet them (no real lock: SQLite gives a
    recovering WAL log's busy error only while another process recovers it)."""
    pending: list[sqlite3.OperationalError] = []

    def execute(conn: object, statement: str, parameters: object = ()) -> str:
        if pending:
            raise pending.pop(0)
        return f"ran {statement}"

    fake = types.SimpleNamespace(**{name: getattr(sqlite3, name) for name in dir(sqlite3)
                                    if name.isupper() or name.endswith("Error")})
    fake.Connection = types.SimpleNamespace(execute=execute)
    monkeypatch.setattr(sqlitewait, "sqlite3", fake)
    yield pending


@pytest.mark.parametrize("name", ["SQLITE_BUSY", "SQLITE_BUSY_RECOVERY",
                                  "SQLITE_BUSY_TIMEOUT"])
def test_every_busy_error_is_waited_out(tries: list[sqlite3.OperationalError],
                                        name: str) -> None:
    tries += [_failing(getattr(sqlite3, name), name)] * 3
    assert sqlitewait.retried(None, "BEGIN IMMEDIATE", 5.0) == "ran BEGIN IMMEDIATE"  # type: ignore[arg-type]
    assert not tries


@pytest.mark.parametrize("name", ["SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED", "SQLITE_IOERR"])
def test_an_error_no_wait_helps_is_raised_at_once(tries: list[sqlite3.OperationalError],
                                                  name: str) -> None:
    tries += [_failing(getattr(sqlite3, name), name), _failing(sqlite3.SQLITE_BUSY, "x")]
    with pytest.raises(sqlite3.OperationalError) as raised:
        sqlitewait.retried(None, "COMMIT", 5.0)  # type: ignore[arg-type]
    assert raised.value.sqlite_errorname == name  # type: ignore[attr-defined]
    assert len(tries) == 1



@pytest.mark.parametrize("busy", [False, True], ids=["made", "busy"])
def test_ctrl_c_as_sqlite_runs_the_statement_is_taken_once_it_is_said_made(
        busy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C that came as SQLite ran a COMMIT was taken as it returned, before the
    caller could say it made (its output in place): it seemed not written. With
    ``made``, it is taken once ``made()`` has run; a try that found the database busy
    runs no ``made`` and takes it at once (the transaction still open), tried no more."""
    done: list[str] = []

    def execute(conn: object, statement: str, parameters: object = ()) -> str:
        done.append(statement)
        os.kill(os.getpid(), signal.SIGINT)  # (held: noted, taken later)
        if busy:
            raise _failing(sqlite3.SQLITE_BUSY, "SQLITE_BUSY")
        return f"ran {statement}"

    fake = types.SimpleNamespace(**vars(sqlite3))
    fake.Connection = types.SimpleNamespace(execute=execute)
    monkeypatch.setattr(sqlitewait, "sqlite3", fake)
    with pytest.raises(KeyboardInterrupt):
        sqlitewait.retried(None, "COMMIT", 5.0, made=lambda: done.append("made"))  # type: ignore[arg-type]
    assert done == (["COMMIT"] if busy else ["COMMIT", "made"])

def test_a_database_still_held_when_the_time_is_up_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        waiting = sqlitewait.connect(path, 0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            waiting.execute("SELECT * FROM t")
        waiting.close()
    finally:
        holder.rollback()
        holder.close()
    free = sqlitewait.connect(path, 0.05)
    assert free.execute("SELECT count(*) FROM t").fetchone() == (0,)
    free.close()


@pytest.mark.parametrize("giving_up", [False, True])
def test_a_connection_giving_up_waits_no_more_once_a_wait_ran_out(tmp_path: Path,
                                                                   giving_up: bool) -> None:
    """A connection giving up (the cache's) waited anew at each statement for a database
    held all the while, so a run waited that long for each; once a wait has run out,
    its later statements are tried once. One not giving up waits at each."""
    path = tmp_path / "held.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        with contextlib.closing(sqlitewait.connect(path, 0.05, giving_up=giving_up,
                                                   isolation_level=None)) as waiting:
            first = _tries_locked(waiting, "BEGIN IMMEDIATE")
            later = _tries_locked(waiting, "BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    assert len(first) > 1
    assert (len(later) == 1) is giving_up


@pytest.fixture
def journaled(tmp_path: Path) -> Path:
    """A database in rollback-journal mode (not WAL) with one table, ``t``."""
    path = tmp_path / "journaled.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
        conn.execute("CREATE TABLE t (x)")
    return path


def _reading(path: Path, seconds: float) -> sqlitewait.WaitingConnection:
    """A waiting connection to ``path`` in a transaction that has read (its SHARED lock)."""
    conn = sqlitewait.connect(path, seconds, isolation_level=None)
    conn.execute("BEGIN")
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    return conn


def _tries_locked(conn: sqlite3.Connection, statement: str) -> list[str]:
    """Run ``statement`` on ``conn``, which fails "database is locked": the tries SQLite
    made of it (its trace): one for a statement not waited for, one more after each
    pause for one that is (see :func:`sqlitewait.retried`)."""
    tries: list[str] = []
    conn.set_trace_callback(tries.append)
    try:
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            conn.execute(statement)
    finally:
        conn.set_trace_callback(None)
    return tries


def test_a_writer_waiting_to_commit_is_not_stalled_by_a_reader_that_writes(
        journaled: Path) -> None:
    """Two waiting connections, one that had read and then wrote, the other holding the
    RESERVED lock and waiting to commit for the first one's SHARED lock: each waited
    for the other until the first one's time was up. The first one's write fails at
    once now, tried once; once it rolls back, the other one commits."""
    reader = _reading(journaled, 5.0)
    holding, committed = threading.Event(), threading.Event()

    def write() -> None:
        with contextlib.closing(sqlitewait.connect(journaled, WAIT,
                                                   isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("INSERT INTO t VALUES (1)")
            holding.set()
            writer.execute("COMMIT")
            committed.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert holding.wait(WAIT)
    tries = _tries_locked(reader, "INSERT INTO t VALUES (2)")
    reader.execute("ROLLBACK")
    thread.join(WAIT)
    assert tries == ["INSERT INTO t VALUES (2)"]
    assert committed.is_set()
    assert reader.execute("SELECT x FROM t").fetchall() == [(1,)]
    reader.close()


def _first_read(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM t").fetchone()


def _first_write(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1)")


def _commit(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.execute("COMMIT")


@pytest.mark.parametrize(("statements", "held_by"), [
    (_first_read, "BEGIN EXCLUSIVE"), (_first_write, "BEGIN IMMEDIATE"),
    (_commit, "BEGIN; SELECT count(*) FROM t")])
def test_what_sqlites_own_wait_waits_for_is_still_waited_for(
        run_while_held: Held, statements: Callable[[sqlite3.Connection], None],
        held_by: str) -> None:
    """Inside a transaction SQLite's own wait still waits for its first lock (the
    transaction has read nothing yet: no lock of its own stands in another's way) and
    for the EXCLUSIVE lock of a write transaction's COMMIT (readers end): so does this
    one, until the other connection lets the database go."""
    run_while_held(held_by, statements)


#: Runs statements (given the connection) on a waiting connection while another one
#: holds the database (see :func:`run_while_held`).
Held = Callable[[str, Callable[[sqlite3.Connection], None]], None]


@pytest.fixture
def run_while_held(journaled: Path, monkeypatch: pytest.MonkeyPatch) -> Held:
    """Run statements on a waiting connection to :func:`journaled` while another one,
    which ran the statements ``held_by`` (split by ``; ``), holds the database until
    the waiting one has paused for it (a sleep of :func:`sqlitewait.retried`'s): one
    that did not wait fails, "database is locked"."""
    def run(held_by: str, statements: Callable[[sqlite3.Connection], None]) -> None:
        holder = sqlite3.connect(journaled, isolation_level=None, check_same_thread=False)
        for statement in held_by.split("; "):
            holder.execute(statement).fetchall()
        paused = threading.Event()

        def pause(seconds: float) -> None:
            paused.set()
            time.sleep(seconds)

        monkeypatch.setattr(sqlitewait, "time", types.SimpleNamespace(
            monotonic=time.monotonic, sleep=pause))
        letting_go = threading.Thread(target=lambda: paused.wait(WAIT) and holder.rollback())
        letting_go.start()
        waiting = sqlitewait.connect(journaled, WAIT, isolation_level=None)
        try:
            statements(waiting)
        finally:
            paused.set()  # (a statement that did not wait: the holder's thread ends)
            letting_go.join(timeout=WAIT)
            assert not letting_go.is_alive(), f"the holder did not let go within {WAIT} s"
            holder.close()
            waiting.close()

    return run


#: A statement with a comment before (or glued to) its first word, in the ways SQLite
#: reads one: ``--`` to the end of the line, ``/* */`` that do not nest (the first
#: ``*/`` ends the comment: ``--`` and ``/*`` inside one are its text).
COMMENTED = ["-- {}\n{}", "/* {} */ {}", "\n\t/* a /* b -- {} */\r\n{}", "-- /* {}\n{}",
             "{}/* {} */"]


def _commented(comment: str, statement: str) -> list[str]:
    """``statement`` with ``comment`` written around it as each of :data:`COMMENTED`
    puts it (the last after it)."""
    return [shape.format(comment, statement) for shape in COMMENTED[:-1]] + [
        COMMENTED[-1].format(statement, comment)]


@pytest.mark.parametrize("begin", [*_commented("a read", "BEGIN"),
                                   *_commented("x", "SAVEPOINT s")])
def test_a_transaction_begun_after_a_comment_waits_for_its_first_lock(
        run_while_held: Held, begin: str) -> None:
    """A BEGIN or SAVEPOINT written after a comment was not told one by its first word
    (``/*``, ``--``): the transaction was taken to have read already, and its first
    read, made while another connection held the database, was "database is locked"
    at once where SQLite's own wait waits. It waits now, as after a plain BEGIN."""
    def statements(conn: sqlite3.Connection) -> None:
        conn.execute(begin)
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)

    run_while_held("BEGIN EXCLUSIVE", statements)


@pytest.mark.parametrize("commit", [*_commented("all written", "COMMIT"),
                                    *_commented("done", "END TRANSACTION")])
def test_a_commit_written_after_a_comment_waits_for_the_readers(
        journaled: Path, run_while_held: Held, commit: str) -> None:
    """A write transaction's COMMIT written after a comment (or with one glued to it,
    ``COMMIT/* done */``) was not told a COMMIT: it did not wait for another
    connection's read to end and failed at once, "database is locked", the transaction
    left open. It waits now, and commits once the reader ends."""
    def statements(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute(commit)
        assert not conn.in_transaction

    run_while_held("BEGIN; SELECT count(*) FROM t", statements)
    with contextlib.closing(sqlite3.connect(journaled)) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


@pytest.mark.parametrize("write", ["INSERT INTO t VALUES (2)",
                                   *_commented("COMMIT", "INSERT INTO t VALUES (2)")])
def test_a_write_after_a_read_in_a_transaction_is_not_waited_for(journaled: Path,
                                                                  write: str) -> None:
    """A transaction that had read and then wrote while another connection held the
    database's RESERVED lock waited its whole time for a lock it could never get (the
    other one waits for its SHARED lock to commit), then failed; SQLite's own wait does
    not wait there, and nor does it now: "database is locked" at its first try; so too
    a write whose comment names COMMIT."""
    reader = _reading(journaled, 5.0)
    with contextlib.closing(sqlite3.connect(journaled, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO t VALUES (1)")
        tries = _tries_locked(reader, write)
        reader.execute("ROLLBACK")
        writer.execute("COMMIT")
    reader.close()
    assert tries == [write]


class Bursts:
    """Another connection that holds ``path`` in bursts: it takes the database (a write
    transaction) as each write of ``conn`` begins (SQLite's trace of ``conn`` names its
    first ``BEGIN IMMEDIATE`` since its last ``COMMIT``), and lets it go once ``conn``
    has paused for it :attr:`BURST` seconds, for a moment (until ``conn``'s next write).
    Time is a clock of its own (:func:`sqlitewait.retried`'s sleeps move it on), so no
    wall clock is read: what ``conn`` waited is :attr:`clock`."""

    #: How long each burst holds the database, in the clock's seconds.
    BURST = 0.3

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.holder = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.clock, self.taken_at, self.due = 0.0, 0.0, True
        monkeypatch.setattr(sqlitewait, "time", types.SimpleNamespace(
            monotonic=lambda: self.clock, sleep=self.sleep))

    def watch(self, conn: sqlite3.Connection) -> None:
        """Take the database as each write of ``conn`` begins."""
        conn.set_trace_callback(self.traced)

    def traced(self, statement: str) -> None:
        if statement == "COMMIT":
            self.due = True
        elif statement == "BEGIN IMMEDIATE" and self.due:
            self.due = False
            self.holder.execute("BEGIN IMMEDIATE")
            self.taken_at = self.clock

    def sleep(self, seconds: float) -> None:
        self.clock += seconds
        if self.holder.in_transaction and self.clock - self.taken_at >= self.BURST:
            self.holder.rollback()


def test_a_connection_giving_up_waits_its_time_in_all_for_a_holder_in_bursts(
        journaled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection that held the database in bursts shorter than a wait (taken,
    let go for a moment, taken again) made each write of a connection giving up (the
    cache's) wait almost its whole time: only a wait that ran out was its last, and a
    run waited that long again and again. Its time is what it waits in all now: once
    spent, "database is locked", and its later writes are tried once."""
    bursts = Bursts(journaled, monkeypatch)
    limit = 1.0
    conn = sqlitewait.connect(journaled, limit, giving_up=True, isolation_level=None)
    bursts.watch(conn)
    written, locked = 0, []
    for value in range(10):
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            locked.append(str(exc))
            continue
        conn.execute("INSERT INTO t VALUES (?)", (value,))
        conn.execute("COMMIT")
        written += 1
    conn.close()
    bursts.holder.close()
    assert written == 3  # (each waited a burst and a last pause: 0.313 s)
    assert locked == ["database is locked"] * (10 - written)
    assert bursts.clock < limit + sqlitewait.LONGEST_PAUSE
