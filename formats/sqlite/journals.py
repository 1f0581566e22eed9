"""The files SQLite keeps beside a database: its rollback journal and write-ahead log."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path

from converter.atomic import real_target

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
