"""Incremental runs: files already read, and whole runs that need not happen again.

One SQLite file in the cache directory (:func:`default_directory`) holds two tables:

* ``files``: per input file and *read key* (the tool's code, the reader and every option
  that changes reading), the file's size, mtime and sha256 and the pickled result of
  reading and linting it. A file is read again only when its size or mtime changed
  *and* its content did. A file whose mtime lies within :data:`RACY_NS` of the moment it
  was recorded is always hashed, since an edit in the same clock tick keeps its mtime.
* ``runs``: per *run key* (command, writer, every option, output path, sources), a
  signature of every input's path, size and mtime and of the output, and the run's
  result. When both match, the run is replayed: the same diagnostics, summary and exit
  code, and the output is not touched.

The cache only ever saves time: any change of input, option, output or code misses it,
and a cache that cannot be used (unreadable, another user's, locked too long) is
ignored. Deleting the directory is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: A file modified this close to when it was recorded is hashed, not trusted by stat.
RACY_NS = 2_000_000_000
#: Entries not used for this many days are dropped.
KEEP_DAYS = 30
_FLUSH = 500
_FILE = "cache-v1.sqlite"
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS files (
    key TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
    recorded INTEGER NOT NULL, digest BLOB NOT NULL, result BLOB NOT NULL,
    used INTEGER NOT NULL, PRIMARY KEY (key, path)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS runs (
    key TEXT NOT NULL PRIMARY KEY, inputs TEXT NOT NULL, output TEXT NOT NULL,
    result BLOB NOT NULL, used INTEGER NOT NULL)""",
)
_KNOWN = "SELECT path, size, mtime, recorded, digest, used FROM files WHERE key = ?"
_RESULT = "SELECT result FROM files WHERE key = ? AND path = ?"
_STORE = """INSERT OR REPLACE INTO files
    (key, path, size, mtime, recorded, digest, result, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
_RESTAMP = """UPDATE files SET size = ?, mtime = ?, recorded = ?, used = ?
    WHERE key = ? AND path = ?"""
_REPLAY = "SELECT inputs, output, result FROM runs WHERE key = ?"
_RECORD = """INSERT OR REPLACE INTO runs (key, inputs, output, result, used)
    VALUES (?, ?, ?, ?, ?)"""

Stamp = tuple[int, int]  # (size, mtime in ns)


def default_directory() -> Path:
    """``$MUSCLE_CONVERT_CACHE_DIR``, else ``$XDG_CACHE_HOME/muscle-convert``, else
    ``~/.cache/muscle-convert``."""
    explicit = os.environ.get("MUSCLE_CONVERT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "muscle-convert"


def stamp(path: str | Path) -> Stamp:
    """What stat says about a file's content: size and mtime in nanoseconds."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def digest(path: str | Path) -> bytes:
    """sha256 of a file's bytes."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size <= 1 << 20:  # one read beats file_digest's buffer
            return hashlib.sha256(fh.read()).digest()
        return hashlib.file_digest(fh, "sha256").digest()  # streamed: any size


def key(*parts: Any) -> str:
    """A stable key for anything with a stable ``repr`` (strings, numbers, tuples)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def code_fingerprint(modules: Iterable[Any]) -> str:
    """Size and mtime of the source of ``modules`` and of the core package: editing the
    tool or a format plugin, or installing another version, misses every entry."""
    files = {Path(__file__).parent / name for name in os.listdir(Path(__file__).parent)
             if name.endswith(".py")}
    files |= {Path(m.__file__) for m in modules if getattr(m, "__file__", None)}
    return key(*sorted((str(f), *stamp(f)) for f in files))


def output_signature(path: Path) -> str:
    """Identity of an output file or directory: replaced or edited output misses."""
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return key(st.st_ino, st.st_size, st.st_mtime_ns, stat.S_IFMT(st.st_mode))


def _today() -> int:
    return int(time.time() // 86400)


class Cache:
    """The cache file; every method degrades to "not cached" on a database error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._pending: list[tuple] = []
        self._restamps: list[tuple] = []
        self._today = _today()
        #: read key -> {path: (size, mtime, recorded, digest, used)}, loaded at first use
        #: in one query (one query per file costs more than reading small files).
        self._known: dict[str, dict[str, tuple]] = {}

    @classmethod
    def open(cls, directory: Path) -> Cache | None:
        """The cache in ``directory`` (made private to this user), or None when it
        cannot be used safely: results are pickles, so a file anyone else can write is
        never loaded."""
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = directory / _FILE
            for checked in (directory, path):
                if checked.exists():
                    st = os.stat(checked)
                    if st.st_uid != os.getuid() or st.st_mode & 0o022:
                        return None
            conn = sqlite3.connect(path, timeout=10, isolation_level=None)
            os.chmod(path, 0o600)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            for statement in _SCHEMA:
                conn.execute(statement)
            return cls(conn)
        except (OSError, sqlite3.Error):
            return None

    # ---- files ----------------------------------------------------------------------

    def fresh(self, read_key: str, path: str, seen: Stamp | None = None) -> bool:
        """True when the recorded result for ``path`` still holds: same size and mtime
        (recorded well after the mtime), or same content. ``seen``: the file's stamp,
        when the caller just took it."""
        try:
            known = self._known.get(read_key)
            if known is None:
                known = self._known[read_key] = {
                    row[0]: row[1:] for row in self._conn.execute(_KNOWN, (read_key,))}
            row = known.get(path)
            if row is None:
                return False
            size, mtime, recorded, known, used = row
            now = seen or stamp(path)
            if now == (size, mtime) and recorded - mtime > RACY_NS:
                if used < self._today:
                    self._restamps.append((size, mtime, recorded, self._today, read_key, path))
                return True
            if now[0] != size or digest(path) != known:
                return False
            self._restamps.append((*now, time.time_ns(), self._today, read_key, path))
            return True
        except (OSError, sqlite3.Error):
            return False

    def result(self, read_key: str, path: str) -> Any:
        """The recorded result of a file :meth:`fresh` accepted (None if it vanished)."""
        try:
            row = self._conn.execute(_RESULT, (read_key, path)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError, TypeError):
            return None

    def store(self, read_key: str, path: str, seen: Stamp, content: bytes, recorded: int,
              result: bytes) -> None:
        """Record a pickled ``result`` for the content with ``seen`` stamp and ``content``
        hash; ``recorded`` is when the stamp was taken (ns)."""
        self._pending.append((read_key, path, *seen, recorded, content, result, self._today))
        if len(self._pending) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write recorded results and refreshed stamps."""
        pending, restamps = self._pending, self._restamps
        self._pending, self._restamps = [], []
        with contextlib.suppress(sqlite3.Error), self._transaction():
            self._conn.executemany(_STORE, pending)
            self._conn.executemany(_RESTAMP, restamps)

    # ---- runs -----------------------------------------------------------------------

    def replay(self, run_key: str, inputs: str, output: str) -> Any:
        """The recorded result of an identical run (same inputs and output), or None."""
        try:
            row = self._conn.execute(_REPLAY, (run_key,)).fetchone()
            if row is None or row[0] != inputs or row[1] != output:
                return None
            return pickle.loads(row[2])
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError, TypeError):
            return None

    def record(self, run_key: str, inputs: str, output: str, result: Any) -> None:
        """Record a finished run."""
        blob = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(sqlite3.Error), self._transaction():
            self._conn.execute(_RECORD, (run_key, inputs, output, blob, self._today))

    def close(self) -> None:
        """Flush, drop entries unused for :data:`KEEP_DAYS` days, close."""
        self.flush()
        with contextlib.suppress(sqlite3.Error):
            with self._transaction():
                for table in ("files", "runs"):
                    self._conn.execute(f"DELETE FROM {table} WHERE used < ?",
                                       (self._today - KEEP_DAYS,))
            self._conn.close()

    @contextlib.contextmanager
    def _transaction(self) -> Any:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
