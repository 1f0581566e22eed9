"""The files SQLite keeps beside a database: its rollback journal and write-ahead log."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

from converter.atomic import real_target
from converter.diagnostics import MuscleError, error

#: What SQLite names the rollback journal of a database beside it, and the longest file
#: name most file systems take (in bytes).
_JOURNAL, _NAME_MAX = "-journal", 255
#: The bytes of a database file's header that say WAL mode (its read and write versions).
_WAL_VERSIONS = b"\x02\x02"


def _in_wal_mode(path: Path) -> bool:
    """Whether the database file at ``path`` is in WAL mode, as its header says."""
    try:
        with open(path, "rb") as file:
            return file.read(20)[18:20] == _WAL_VERSIONS
    except OSError:
        return False


def _remove_cold_journal(out: Path) -> None:
    """Remove a rollback journal beside the database ``out`` that SQLite never rolls
    back: empty, or its header zeroed (its first byte 0), as a writer killed before it
    changed the database leaves it. Called holding the write lock (``BEGIN IMMEDIATE``,
    before this connection made a journal of its own): SQLite rolled a hot one back as
    it took it, and no other writer has one. SQLite removes such a journal only at the
    commit of a change: a run that changed nothing left it there."""
    journal = Path(f"{real_target(out)}{_JOURNAL}")
    with contextlib.suppress(OSError):  # (none, or not ours to remove: it is harmless)
        if not stat.S_ISREG(journal.lstat().st_mode):
            return
        with open(journal, "rb") as file:
            if file.read(1) not in (b"", b"\0"):
                return
        journal.unlink()


def _remove_stale_logs(out: Path) -> None:
    """Remove the logs of a database that was at ``out`` (deleted, or empty): SQLite
    would apply them to the new database once it is there, and corrupt it."""
    for suffix in ("-wal", "-shm", _JOURNAL):
        with contextlib.suppress(FileNotFoundError):
            out.with_name(out.name + suffix).unlink()


def _log_not_opened(path: Path, *, writing: bool = False) -> MuscleError | None:
    """The error of the database in WAL mode at ``path`` whose ``-wal`` or ``-shm``
    (beside the file a link names) is there but cannot be opened to read (``writing``:
    to write), SQLite reading (writing) the database only through both: a file another
    user's program made as it had the database open. None when each can be, or is not
    there (or the database is not in WAL mode, or, ``writing``, cannot be written
    itself)."""
    if not _in_wal_mode(path):
        return None
    real = real_target(path)
    if writing and not os.access(real, os.W_OK):
        return None  # (the database itself cannot be written: SQLite says so)
    for suffix, kind in (("-wal", "write-ahead log"), ("-shm", "write-ahead log's index")):
        log = real.with_name(real.name + suffix)
        try:  # (not blocking on a FIFO, nor taking a terminal)
            os.close(os.open(log, (os.O_RDWR if writing else os.O_RDONLY) | os.O_NONBLOCK
                             | os.O_NOCTTY))
        except FileNotFoundError:
            continue
        except OSError as exc:
            shown = log.name if real.parent == Path(os.path.abspath(path)).parent else log
            why = f"its {kind}, {shown}, cannot be opened{' to write' if writing else ''} " \
                f"({exc.strerror or exc}), and SQLite {'writes' if writing else 'reads'} a " \
                "database in WAL mode only with it (a file another user's program made " \
                "as it had the database open); "
            if writing:
                return error(str(path), "cannot-write", f"cannot write here: {why}let this "
                             "user write it, or convert into a copy of the database; "
                             "nothing is changed")
            return error(str(path), "sqlite-error", f"cannot be read: {why}let this user "
                         "read it, or read a copy its owner makes: "
                         f"`sqlite3 {shlex.quote(str(path))} '.backup copy.db'`")
    return None


@contextlib.contextmanager
def _no_logs_left(path: Path) -> Iterator[None]:
    """Reading the database at ``path`` inside, leave no ``-wal`` or ``-shm`` file beside
    it that was not there before. A read-only connection to a database in WAL mode makes
    both (an empty log, its index) and cannot remove them as it closes: SQLite removes
    them only when the last connection to close can write the database (its EXCLUSIVE
    lock tells it none other is open). When neither was there, one such connection is
    opened and closed after the read (see :func:`_closed_as_last`); those that were
    there are another program's, and stay."""
    logs = _logs(path)
    made = not any(os.path.lexists(log) for log in logs)
    try:
        yield
    finally:
        if made:
            _closed_as_last(path, logs)


def _logs(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and its index beside the database at ``path`` (beside the
    file a symbolic link names, where SQLite keeps them)."""
    real = real_target(path)
    return real.with_name(real.name + "-wal"), real.with_name(real.name + "-shm")


def _closed_as_last(path: Path, logs: tuple[Path, Path]) -> None:
    """Have SQLite remove the ``logs`` a read of ``path`` left: a connection that may
    write reads the database and closes, which removes them if no other connection is
    open (one that is keeps them, and its changes); nothing is written into the
    database, its log being empty (one that is not, written meanwhile, stays, as does
    every file where the database cannot be written)."""
    wal, _ = logs
    with contextlib.suppress(OSError, sqlite3.Error):
        if not any(os.path.lexists(log) for log in logs) or (
                os.path.lexists(wal) and wal.lstat().st_size):
            return
        uri = Path(path).resolve().as_uri() + "?mode=rw"
        with contextlib.closing(sqlite3.connect(uri, uri=True, isolation_level=None,
                                                timeout=0)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
