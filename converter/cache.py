"""Incremental runs: files already read, and whole runs that need not happen again.

One SQLite file in the cache directory (:func:`default_directory`) holds these tables:

* ``files``: per input file and *read key* (the tool's code, the reader and every option
  that changes reading), the file's size, mtime and sha256, the result of reading and
  linting it (packed by its reader: marshalled, or pickled), and its muscles, pickled
  apart (a run that needs only the result, such as ``validate``, does not unpickle
  them). A file is read again only when
  its size, mtime or ctime changed *and* its content did (the ctime, which no one can
  set back, sees a file swapped with one of the same size and mtime, or an edit whose
  mtime was put back). A file whose mtime lies within :data:`RACY_NS` of the moment it
  was recorded is always hashed, since an edit in the same clock tick keeps its mtime.
* ``records``: per file and *record key* (read key, writer, its code and options), the
  records a record writer made of the file's muscles (see ``Format.record``), valid
  while the ``files`` row has the same sha256.
* ``runs``: per *run key* (command, writer, every option, output path, sources), a
  signature of every input's path, size and mtime and of the output, and the run's
  result. When both match, the run is replayed: the same diagnostics, summary and exit
  code, and the output is not touched. The result also holds a digest of each
  :data:`RUN_CHUNK` inputs' stamps and of their readings, so that a run where a few
  files changed can re-read only their chunks (see ``converter.run``).
* ``run_parts``: the parts of a run's result too large to pickle at once (its packed
  diagnostics), each with its CRC-32, written one at a time.
* ``ledgers``, ``ledger_prints``, ``ledger_said``: what a run's corpus lint saw (each
  muscle's fingerprint and groups) and said (its diagnostics, tagged), so that a run
  where a few muscles changed lints only what they touch (``converter.relint``).

Every blob is stored behind the CRC-32 of what follows (:func:`seal`): a damaged one
(SQLite checks its pages' structure, not what a blob holds) is a miss, never a wrong
muscle, record or diagnostic.

The cache only ever saves time: any change of input, option, output or code misses it,
and a cache that cannot be used (unreadable, another user's, locked too long) is
ignored; a file that is no database at all is made anew. Deleting the directory is
always safe.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import itertools
import os
import pickle
import re
import sqlite3
import stat
import sys
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import sqlitewait
from .atomic import make_folders
from .distinfo import metadata_header
from .sitedists import distribution, listed_once

#: A file modified this close to when it was recorded is hashed, not trusted by stat.
RACY_NS = 2_000_000_000
#: Entries not used for this many days are dropped.
KEEP_DAYS = 30
_FLUSH = 500
#: Inputs per chunk of a recorded run (see ``runs`` above).
RUN_CHUNK = 256
_FILE = "cache-v7.sqlite"
# Small columns first: SQLite reads a row's columns in order, so queries and the daily
# sweep that need only them never read the blobs (kept in overflow pages).
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS files (
    key TEXT NOT NULL, path TEXT NOT NULL, used INTEGER NOT NULL, size INTEGER NOT NULL,
    mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, recorded INTEGER NOT NULL,
    digest BLOB NOT NULL, result BLOB NOT NULL, muscles BLOB NOT NULL, PRIMARY KEY (key, path))""",
    """CREATE TABLE IF NOT EXISTS records (
    key TEXT NOT NULL, path TEXT NOT NULL, used INTEGER NOT NULL, digest BLOB NOT NULL,
    records BLOB NOT NULL, PRIMARY KEY (key, path))""",
    """CREATE TABLE IF NOT EXISTS runs (
    key TEXT NOT NULL PRIMARY KEY, used INTEGER NOT NULL, inputs TEXT NOT NULL,
    output TEXT NOT NULL, result BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS run_parts (
    key TEXT NOT NULL, seq INTEGER NOT NULL, used INTEGER NOT NULL,
    checksum INTEGER NOT NULL, part BLOB NOT NULL, PRIMARY KEY (key, seq))""",
    """CREATE TABLE IF NOT EXISTS meta (name TEXT NOT NULL PRIMARY KEY, value INTEGER)""",
    """CREATE TABLE IF NOT EXISTS ledgers (
    id INTEGER PRIMARY KEY, used INTEGER NOT NULL, header BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ledger_prints (
    id INTEGER NOT NULL, owner INTEGER NOT NULL, path TEXT NOT NULL, groups BLOB NOT NULL,
    print BLOB NOT NULL, PRIMARY KEY (id, owner))""",
    """CREATE TABLE IF NOT EXISTS ledger_said (
    id INTEGER NOT NULL, seq INTEGER NOT NULL, tags BLOB NOT NULL, part BLOB NOT NULL,
    PRIMARY KEY (id, seq))""",
)
_TABLES = ("files", "records", "runs", "run_parts", "ledgers")
#: Tables of a ledger's rows, dropped with their ledger.
_LEDGER_ROWS = ("ledger_prints", "ledger_said")
_STORE_PRINTS = "INSERT OR REPLACE INTO ledger_prints VALUES (?, ?, ?, ?, ?)"
_KNOWN = """SELECT path, size, mtime, ctime, recorded, digest, used FROM files
    WHERE key = ? AND path IN ({paths})"""
#: Results of many files (with their muscles, or their records when fresh) in one query.
_RESULTS = """SELECT f.path, f.result, {muscles}, r.records, r.used, f.digest FROM files f
    LEFT JOIN records r ON r.key = ? AND r.path = f.path AND r.digest = f.digest
    WHERE f.key = ? AND f.path IN ({paths})"""
#: Paths per :data:`_KNOWN` or :data:`_RESULTS` query (SQLite allows 999 parameters in
#: every version).
BATCH = 256
_STORE = """INSERT OR REPLACE INTO files
    (key, path, size, mtime, ctime, recorded, digest, result, muscles, used)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_RESTAMP = """UPDATE files SET size = ?, mtime = ?, ctime = ?, recorded = ?, used = ?
    WHERE key = ? AND path = ?"""
_STORE_RECORDS = """INSERT OR REPLACE INTO records (key, path, digest, records, used)
    VALUES (?, ?, ?, ?, ?)"""
_REUSE_RECORDS = "UPDATE records SET used = ? WHERE key = ? AND path = ?"
_REPLAY = "SELECT inputs, output, result FROM runs WHERE key = ?"
_RECORD = """INSERT OR REPLACE INTO runs (key, inputs, output, result, used)
    VALUES (?, ?, ?, ?, ?)"""
_PARTS = "SELECT checksum, part FROM run_parts WHERE key = ? ORDER BY seq"
_FORGET_PARTS = "DELETE FROM run_parts WHERE key = ?"
_RECORD_PART = """INSERT INTO run_parts (key, seq, checksum, part, used)
    VALUES (?, ?, ?, ?, ?)"""
_SWEPT = "SELECT value FROM meta WHERE name = 'swept'"
_SWEEP = "INSERT OR REPLACE INTO meta (name, value) VALUES ('swept', ?)"
#: What unpickling a damaged or foreign cache entry may raise.
_BAD_PICKLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
               ValueError, IndexError)

Stamp = tuple[int, int, int]  # (size, mtime in ns, change_stamp)


class Damaged(ValueError):
    """A blob the cache gave back is not what was stored."""


def seal(payload: bytes) -> bytes:
    """``payload`` as the cache stores it: behind its CRC-32 (4 bytes, big-endian)."""
    return zlib.crc32(payload).to_bytes(4, "big") + payload


def unseal(blob: bytes) -> memoryview:
    """What :func:`seal` stored in ``blob`` (a view, not a copy); :class:`Damaged`
    when it does not match its CRC-32."""
    view = memoryview(blob)[4:]
    if len(blob) < 4 or zlib.crc32(view) != int.from_bytes(blob[:4], "big"):
        raise Damaged("damaged cache entry")
    return view


def _unsealed(blob: bytes) -> bytes | None:
    """What :func:`seal` stored in ``blob``, or None when it is damaged."""
    try:
        return bytes(unseal(blob))
    except Damaged:
        return None


def _column(path: str) -> str | bytes:
    """A path as the cache's tables hold it: as text, or (a name that is not UTF-8, whose
    bytes Python holds as lone surrogates, which SQLite's text cannot) as a blob of its
    UTF-8 with the surrogates passed through, which equals no text."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogatepass")
    return path


def _path(column: str | bytes) -> str:
    """The path :func:`_column` stored."""
    return column if isinstance(column, str) else column.decode("utf-8", "surrogatepass")


def _sealed_prints(ledger: int, rows: Iterable[tuple[int, str, bytes, bytes]]
                   ) -> list[tuple[int, int, str | bytes, bytes, bytes]]:
    """Rows of ``ledger_prints``: (owner, path, groups, fingerprint) of ``ledger``."""
    return [(ledger, owner, _column(path), seal(groups), seal(print_))
            for owner, path, groups, print_ in rows]


class ChunkDigests:
    """One digest of each :data:`RUN_CHUNK` items fed in order (and of the last ones,
    fewer, once :meth:`digests` is asked)."""

    def __init__(self) -> None:
        self._done: list[bytes] = []
        self._hash = hashlib.blake2b(digest_size=16)
        self._count = 0

    def add(self, data: bytes) -> None:
        """Feed the next item (items of one size, or framed: they are concatenated)."""
        self._hash.update(data)
        self._count += 1
        if self._count % RUN_CHUNK == 0:
            self._done.append(self._hash.digest())
            self._hash = hashlib.blake2b(digest_size=16)

    def digests(self) -> list[bytes]:
        """The digest of every chunk so far."""
        return self._done + ([self._hash.digest()] if self._count % RUN_CHUNK else [])


class ChunkTally:
    """Two sums per :data:`RUN_CHUNK` items fed in order."""

    def __init__(self) -> None:
        #: [first sum, second sum] of each chunk so far.
        self.sums: list[list[int]] = []
        self._count = 0

    def next(self) -> list[int]:
        """The next item: the sums of its chunk, to add its numbers to."""
        if self._count % RUN_CHUNK == 0:
            self.sums.append([0, 0])
        self._count += 1
        return self.sums[-1]


def default_directory() -> Path | None:
    """``$MUSCLE_CONVERT_CACHE_DIR``, else ``$XDG_CACHE_HOME/muscle-convert``, else
    ``~/.cache/muscle-convert`` (a relative ``XDG_CACHE_HOME`` is ignored, as the XDG
    specification says: it would make a cache in every working folder); None where
    there is no home either (no ``HOME``, and a user the system has no entry for, as a
    container's ``--user 12345``): no cache."""
    explicit = os.environ.get("MUSCLE_CONVERT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "muscle-convert"
    try:
        return Path.home() / ".cache" / "muscle-convert"
    except (RuntimeError, KeyError):  # (Python 3.11 and 3.12 raise the one, later the other)
        return None


def _unused(why: list[str] | None, reason: str) -> None:
    """No cache, and ``why`` told the ``reason``."""
    if why is not None:
        why.append(reason)


def storable(*numbers: int) -> bool:
    """Whether SQLite's 64-bit integers (and an ``array("q")``) hold every one of
    ``numbers``: an mtime in nanoseconds past 2262-04-11, or before 1677, is none (a
    file of such a date is read and not cached; no clamp could tell two such apart)."""
    return all(-(1 << 63) <= number < 1 << 63 for number in numbers)


def stamp(path: str | Path) -> Stamp:
    """What stat says about a file's content: size, mtime (in nanoseconds) and
    :func:`change_stamp`."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, change_stamp(st)


def change_stamp(st: os.stat_result) -> int:
    """The ctime, which nobody can set back, with the file's identity (device, inode)
    folded in: a symlink pointed at another file of the same size and mtime, both
    written in one clock tick, is not taken for the file it pointed at (compared for
    equality only; a 64-bit hash of numbers, the same in every process)."""
    return hash((st.st_ctime_ns, st.st_ino, st.st_dev))


def stamp_with(path: str | Path, companions: Iterable[str | Path]) -> Stamp:
    """:func:`stamp` of ``path`` taking in the files read with it (``companions``, those
    that exist): the latest mtime, and in place of the ctime a digest of every stamp,
    so an edit to any of them changes it."""
    size, mtime, ctime = stamp(path)
    parts = [(str(path), size, mtime, ctime)]
    for other in companions:
        with contextlib.suppress(FileNotFoundError):
            parts.append((str(other), *stamp(other)))
    if len(parts) == 1:
        return size, mtime, ctime
    digest_ = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=8)
    return size, max(p[2] for p in parts), int.from_bytes(digest_.digest(), "big") >> 1


def content_digest(data: bytes) -> bytes:
    """The hash results are filed under: sha256 of a file's bytes (already read)."""
    return hashlib.sha256(data).digest()


def digest(path: str | Path) -> bytes:
    """:func:`content_digest` of the file at ``path``."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size <= 1 << 20:  # one read beats file_digest's buffer
            return content_digest(fh.read())
        return hashlib.file_digest(fh, "sha256").digest()  # streamed: any size


def key(*parts: Any) -> str:
    """A stable key for anything with a stable ``repr`` (strings, numbers, tuples)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def code_fingerprint(files: Iterable[str], plugins: Iterable[str] = ()) -> str:
    """Size, mtime and ctime of ``files`` (a format's code, see
    ``codefiles.code_files``) and of every file of the core package, its subpackages
    and data (schemas) too: editing the tool or a format plugin, or installing another
    version, misses every entry. A file that is gone is stamped as gone. The Python
    that runs it counts too: a cache shared by two Pythons' installs of the same files
    keeps for each what it made (Unicode's tables that slugs come from, the marshal and
    pickle formats of its entries, differ between Python versions); and so do the
    libraries that read and write and those they use, and those the distributions
    ``plugins`` (of the plugin formats of ``files``: ``codefiles.code_distributions``)
    use (:func:`installed`)."""
    core = tree_files(os.path.dirname(os.path.abspath(__file__)))
    return key(sys.version, installed(tuple(sorted(set(plugins)))),
               *sorted(_code_stamp(f) for f in core.union(files)))


#: This tool's distribution: the libraries it requires are part of every key
#: (:func:`installed`).
PROJECT = "muscle-convert"
_VERSION = re.compile(r"(?m)^Version:[ \t]*(\S*)")
#: A ``Requires-Dist`` line: the distribution's name, and its environment marker.
_REQUIRES = re.compile(r"(?m)^Requires-Dist:[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)[^;\n]*(.*)")
_EXTRA = re.compile(r"\bextra\b")


@functools.cache
def installed(plugins: tuple[str, ...] = ()) -> tuple[tuple[str, str | None], ...]:
    """The version of each of :func:`libraries` and of every distribution they require
    in turn, and of those the distributions ``plugins`` require and so on (None: not
    installed, such as a requirement of another platform), each once, as
    :func:`depended_on` finds them; and whether PyYAML has libyaml (its ``CSafeLoader``,
    whose messages are not the pure loader's), as this process found them first (it runs
    the modules it imported then). Read from their metadata's ``Version`` line (not
    parsed whole: a replayed run's start is short), and without importing PyYAML, which
    such a run does not import."""
    found = [(name, _version(header)) for name, header in depended_on(plugins)]
    return (*found, ("libyaml", str(_libyaml())))


def libraries() -> tuple[str, ...]:
    """The distributions whose version changes what a reading or a writing gives (their
    messages, a deck's bytes): every one :data:`PROJECT` requires, as its metadata's
    ``Requires-Dist`` lines name them, but those of an extra (``test``, ``bench``: no
    format imports them); none when it is not installed."""
    return _required(_metadata(PROJECT))


def depended_on(plugins: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Each of :func:`libraries`, then each distribution the distributions ``plugins``
    require, and each one those require in turn (an upgraded library that genanki or
    jsonschema uses changes what they give too), breadth first, each once (by its
    normalized name), with the header of its metadata ("" when it is not installed)."""
    found: dict[str, tuple[str, str]] = {}
    with listed_once():  # (each folder on the path listed once for all)
        queue = deque(libraries())
        for plugin in plugins:
            queue.extend(_required(_metadata(plugin)))
        while queue:
            name = queue.popleft()
            normalized = re.sub(r"[-_.]+", "-", name).lower()
            if normalized not in found:
                header = found[normalized] = (name, _metadata(name))
                queue.extend(_required(header[1]))
    return list(found.values())


def _required(header: str) -> tuple[str, ...]:
    """The distributions a metadata ``header`` requires, but those of an extra."""
    return tuple(name for name, marker in _REQUIRES.findall(header)
                 if not _EXTRA.search(marker))


def _version(header: str) -> str | None:
    """The ``Version`` a metadata ``header`` gives, or None."""
    version = _VERSION.search(header)
    return version.group(1) if version else None


def _metadata(name: str) -> str:
    """The header of the distribution ``name``'s metadata
    (:func:`~converter.distinfo.metadata_header`), or "" when it is not installed."""
    dist = distribution(name)
    try:
        return "" if dist is None else metadata_header(dist)
    except (OSError, ValueError):
        return ""


def _libyaml() -> bool:
    """Whether the installed PyYAML has libyaml: its ``_yaml`` extension module, which
    gives it ``CSafeLoader`` (looked for, not imported)."""
    import importlib.machinery
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
    except (ImportError, ValueError):
        return False
    endings = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        with contextlib.suppress(OSError):
            if any(name.startswith("_yaml.") and name.endswith(endings)
                   for name in os.listdir(folder)):
                return True
    return False


def tree_files(folder: str) -> set[str]:
    """Every file below ``folder``, outside ``__pycache__`` folders."""
    found: set[str] = set()
    for top, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if f != "__pycache__"]
        found.update(os.path.join(top, name) for name in files)
    return found


def _code_stamp(path: str) -> tuple[str, int, int, int] | tuple[str]:
    """(path, size, mtime, change stamp) of a code file, or (path,) when it is gone."""
    try:
        return (path, *stamp(path))
    except OSError:
        return (path,)


def file_state(value: str) -> tuple[str, int, int, int, int] | None:
    """(absolute path, inode, size, mtime, ctime) of the regular file an option names, or
    None when it names none: a run that reads it misses once it is edited, replaced,
    created or deleted."""
    try:
        st = os.stat(value)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (os.path.abspath(value), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def output_signature(path: Path, companions: Iterable[Path] = ()) -> str:
    """Identity of an output file or directory: replaced or edited output misses (the
    ctime, which nobody can set back, catches an edit with its mtime put back). A
    directory's takes in every file below it (editing a file in place leaves the
    directory's own mtime as it was); a file's, the ``companions`` its format keeps
    beside it (a database's write-ahead log holds what another program committed)."""
    try:
        st = os.stat(path)
        parts: list[tuple[Any, ...]] = [(st.st_ino, st.st_size, st.st_mtime_ns,
                                         st.st_ctime_ns, stat.S_IFMT(st.st_mode))]
        if stat.S_ISDIR(st.st_mode):
            parts += _tree_stamps(str(path))
    except OSError:
        return "missing"
    for other in companions:
        try:
            st = os.stat(other)
            parts.append((str(other), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        except OSError:
            parts.append((str(other),))
    return key(*parts)


def _tree_stamps(directory: str) -> list[tuple[str, int, int, int, int, int]]:
    """(path, inode, size, mtime, ctime, type) of everything below ``directory``, sorted."""
    found = []
    for folder, folders, files in os.walk(directory):
        for name in [*folders, *files]:
            st = os.stat(os.path.join(folder, name), follow_symlinks=False)
            found.append((os.path.join(folder, name), st.st_ino, st.st_size, st.st_mtime_ns,
                          st.st_ctime_ns, stat.S_IFMT(st.st_mode)))
    return sorted(found)


#: The files SQLite keeps beside a database in WAL mode.
_BESIDE = ("-wal", "-shm")


def _files(path: Path) -> list[Path]:
    """The files of the cache database ``path`` that SQLite may open: the database, the
    files it keeps beside it in WAL mode, and the rollback journal of the moment before."""
    return [path, *(path.with_name(path.name + end) for end in (*_BESIDE, "-journal"))]


#: What an ``lstat`` mode of no regular file is, for a note.
_KINDS = ((stat.S_ISLNK, "a symbolic link, which the cache never follows"),
          (stat.S_ISDIR, "a folder"))


def _refusal(path: Path) -> str | None:
    """Why the cache may not open ``path``, one of its database's files (:func:`_files`):
    a symbolic link (the run would change the file it names), anything else that is
    not a regular file, or one of another user's or that others may write; None when
    it may (``path`` missing too: it is made here, as the cache's)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        kind = next((kind for test, kind in _KINDS if test(st.st_mode)), "not a file")
        return f"its {path.name} is {kind}"
    if st.st_uid != os.getuid() or st.st_mode & 0o022:
        return (f"its {path.name} belongs to another user or others may write it, and a "
                "cache holds what runs load")
    return None


def _private(path: Path) -> None:
    """Make the cache database ``path`` (if it is missing) private (0600), never through
    a symbolic link: a link put there since :func:`_refusal` looked is an error."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, f"its {path.name} is not a file")
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


#: How long a run waits, in all, for the cache database another run holds (its write
#: transaction) before "database is locked": the run then goes on without it.
WAIT_SECONDS = 10.0


def _connect(path: Path) -> sqlite3.Connection:
    """The cache database at ``path`` (made private first), with every table; its
    statements wait :data:`WAIT_SECONDS` in all for a cache another run holds, in
    Python's own sleeps (see :mod:`converter.sqlitewait`), so Ctrl-C meanwhile ends the
    run at once; once that time is spent, none waits again: the run waits that long at
    most, however often the other run lets the cache go and takes it again."""
    _private(path)
    conn = sqlitewait.connect(path, WAIT_SECONDS, giving_up=True, isolation_level=None)
    try:
        conn.execute("PRAGMA page_size = 16384")  # rows of a few kB fit in a page
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        for statement in _SCHEMA:
            conn.execute(statement)
    except BaseException:
        conn.close()
        raise
    return conn


def _remove(path: Path) -> None:
    """Remove the cache database at ``path`` and the files SQLite keeps beside it."""
    for name in (path, *(path.with_name(path.name + end) for end in _BESIDE)):
        name.unlink(missing_ok=True)


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is no database or a broken one (not that it is busy
    or locked: another run has it)."""
    return type(exc) is sqlite3.DatabaseError and (
        "not a database" in str(exc) or "malformed" in str(exc))


def _today() -> int:
    return int(time.time() // 86400)


class Cache:
    """The cache file; every method degrades to "not cached" on a database error."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None) -> None:
        self._conn = conn
        self._path = path  # (removed on close when found damaged)
        self._pending: list[tuple] = []
        self._restamps: list[tuple] = []
        self._pending_records: list[tuple] = []
        self._record_uses: list[tuple] = []
        self._today = _today()
        self._broken = False
        self._closed = False
        #: Why a write failed (``database or disk is full``): the run is then not
        #: recorded, as what it stored may not be whole.
        self.unsaved: str | None = None
        #: Another run brought a ledger this run updated up to date first: the run is
        #: not recorded (see :meth:`commit_ledger`).
        self.superseded = False

    @classmethod
    def open(cls, directory: Path, why: list[str] | None = None) -> Cache | None:
        """The cache in ``directory`` (made private to this user), or None when it
        cannot be used, or not safely: results are pickles, so a file anyone else can
        write is never loaded. ``why`` hears the reason it is not used."""
        try:
            make_folders(directory, 0o700)
            path = directory / _FILE
            st = os.stat(directory)
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return _unused(why, "it belongs to another user or others may write it, "
                               "and a cache holds what runs load")
            refused = next(filter(None, map(_refusal, _files(path))), None)
            if refused is not None:
                return _unused(why, refused)
            try:
                return cls(_connect(path), path)
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
            _remove(path)  # (no run can use it: made anew)
            return cls(_connect(path), path)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return _unused(why, reason[:1].lower() + reason[1:])

    # ---- files ----------------------------------------------------------------------

    def fresh(self, read_key: str, files: Iterable[tuple[str, Stamp | None]]
              ) -> Iterator[bool]:
        """For each (path, stamp or None) of ``files``: True when the recorded result
        for the file still holds: same size and mtime (recorded well after the mtime),
        or same content. Looked up :data:`BATCH` files a query (one query per file
        costs more than reading a small file; all at once, memory)."""
        files = iter(files)
        while batch := list(itertools.islice(files, BATCH)):
            try:
                known = {row[0]: row[1:] for row in self._conn.execute(
                    _KNOWN.format(paths=", ".join("?" * len(batch))),
                    (read_key, *(_column(path) for path, _ in batch)))}
            except sqlite3.Error as exc:
                self._note(exc)
                known = {}
            for path, seen in batch:
                row = known.get(_column(path))
                yield row is not None and self._holds(read_key, path, seen, row)

    def _holds(self, read_key: str, path: str, seen: Stamp | None, row: tuple) -> bool:
        """Whether the file at ``path`` (stamp ``seen``, when just taken) still has the
        content of its ``files`` row (size, mtime, ctime, recorded, digest, used)."""
        try:
            size, mtime, ctime, recorded, known, used = row
            now = seen or stamp(path)
            if not storable(*now):  # (a date no cache row holds: read, not cached)
                return False
            if now == (size, mtime, ctime) and recorded - mtime > RACY_NS:
                if used < self._today:
                    self._restamps.append((size, mtime, ctime, recorded, self._today,
                                           read_key, _column(path)))
                return True
            if now[0] != size or digest(path) != known:
                return False
            self._restamps.append((*now, time.time_ns(), self._today, read_key,
                                   _column(path)))
            return True
        except (OSError, sqlite3.Error):
            return False

    def results(self, read_key: str, paths: list[str],
                load: Callable[[memoryview], Any] = pickle.loads, *, muscles: bool = False,
                record_key: str = "") -> dict[str, tuple[Any, Any, Any, bytes]]:
        """path -> (result, muscles, records, content digest) recorded for files
        :meth:`fresh` accepted (at most :data:`BATCH` of them), in one query; ``load``
        makes a result of what :meth:`store` was given (its reader packed it). Muscles
        are unpickled only when asked for; records are those cached under
        ``record_key`` for the same content, else None. A file whose entry vanished or
        is damaged is left out."""
        query = _RESULTS.format(muscles="f.muscles" if muscles else "NULL",
                                paths=", ".join("?" * len(paths)))
        found = {}
        try:
            rows = self._conn.execute(query, (record_key, read_key,
                                              *map(_column, paths))).fetchall()
        except sqlite3.Error as exc:
            self._note(exc)
            return {}
        for path, result, muscle_blob, records, used, content in rows:
            try:
                found[_path(path)] = (
                    load(unseal(result)),
                    None if muscle_blob is None else pickle.loads(unseal(muscle_blob)),
                    None if records is None else pickle.loads(unseal(records)), content)
            except _BAD_PICKLE:  # (Damaged is a ValueError)
                continue
            if records is not None and used < self._today:
                self._record_uses.append((self._today, record_key, path))
        return found

    def store(self, read_key: str, path: str, seen: Stamp, content: bytes, recorded: int,
              result: bytes, muscles: bytes, records: tuple[str, bytes] | None = None
              ) -> None:
        """Record a ``result`` (as its reader packed it), pickled ``muscles`` (and
        ``records`` as (record key, pickle)) for the content with ``seen`` stamp and
        ``content`` hash; ``recorded`` is when the stamp was taken (ns)."""
        if not storable(*seen):  # (a date no cache row holds: not cached)
            return
        column = _column(path)
        self._pending.append((read_key, column, *seen, recorded, content, seal(result),
                              seal(muscles), self._today))
        if records is not None:
            self._pending_records.append((records[0], column, content, seal(records[1]),
                                          self._today))
        if len(self._pending) >= _FLUSH:
            self.flush()

    def store_records(self, record_key: str, path: str, content: bytes, records: bytes
                      ) -> None:
        """Record pickled ``records`` made of the file's content with sha256 ``content``
        (as :meth:`results` gave it)."""
        self._pending_records.append((record_key, _column(path), content, seal(records),
                                      self._today))
        if len(self._pending_records) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write recorded results and refreshed stamps."""
        pending, restamps = self._pending, self._restamps
        records, uses = self._pending_records, self._record_uses
        self._pending, self._restamps, self._pending_records, self._record_uses = [], [], [], []
        with self._guard(), self._transaction():
            self._conn.executemany(_STORE, pending)
            self._conn.executemany(_RESTAMP, restamps)
            self._conn.executemany(_STORE_RECORDS, records)
            self._conn.executemany(_REUSE_RECORDS, uses)

    # ---- runs -----------------------------------------------------------------------

    def last_run(self, run_key: str) -> tuple[str, str, Any] | None:
        """(inputs signature, output signature, result) of the last run recorded under
        ``run_key``, or None."""
        try:
            row = self._conn.execute(_REPLAY, (run_key,)).fetchone()
            return None if row is None else (row[0], row[1], pickle.loads(unseal(row[2])))
        except sqlite3.Error as exc:
            self._note(exc)
            return None
        except _BAD_PICKLE:
            return None

    def parts(self, run_key: str) -> list[tuple[int, bytes]] | None:
        """The parts of the last run recorded under ``run_key`` as (CRC-32, part)."""
        try:
            return self._conn.execute(_PARTS, (run_key,)).fetchall()
        except sqlite3.Error as exc:
            self._note(exc)
            return None

    def replay(self, run_key: str, inputs: str, output: str) -> tuple[
            Any, list[tuple[int, bytes]]] | None:
        """The recorded result of an identical run (same inputs and output) and its
        parts as (CRC-32, part) pairs, or None."""
        found = self.last_run(run_key)
        if found is None or found[0] != inputs or found[1] != output:
            return None
        parts = self.parts(run_key)
        if parts is None:
            return None
        with self._guard():  # (used today: not swept while replayed)
            for table in ("runs", "run_parts"):
                self._conn.execute(f"UPDATE {table} SET used = ? WHERE key = ? AND used < ?",
                                   (self._today, run_key, self._today))
        return found[2], parts

    def record(self, run_key: str, inputs: str, output: str, result: Any,
               parts: Iterable[bytes] = ()) -> None:
        """Record a finished run: ``result`` pickled, ``parts`` as they come (only one
        of them is in memory at a time); not when a write of the run failed
        (:attr:`unsaved`), or its ledger is another run's (:attr:`superseded`)."""
        if self.unsaved or self.superseded:
            return
        blob = seal(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        with self._guard(), self._transaction():
            self._conn.execute(_RECORD, (run_key, inputs, output, blob, self._today))
            self._conn.execute(_FORGET_PARTS, (run_key,))
            for seq, part in enumerate(parts):
                self._conn.execute(_RECORD_PART, (run_key, seq, zlib.crc32(part), part,
                                                  self._today))

    def rerecord(self, run_key: str, inputs: str, output: str, result: Any) -> None:
        """Record a run whose parts are those of the last run under ``run_key`` (not
        when a write of the run failed, or its ledger is another run's)."""
        if self.unsaved or self.superseded:
            return
        blob = seal(pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        with self._guard(), self._transaction():
            self._conn.execute(_RECORD, (run_key, inputs, output, blob, self._today))
            self._conn.execute("UPDATE run_parts SET used = ? WHERE key = ?",
                               (self._today, run_key))

    # ---- ledgers (converter.relint) ---------------------------------------------------

    def store_prints(self, ledger: int, rows: list[tuple[int, str, bytes, bytes]]) -> None:
        """Record (owner, path, groups, fingerprint) rows of a ledger being written."""
        with self._guard(), self._transaction():
            self._conn.executemany(_STORE_PRINTS, _sealed_prints(ledger, rows))

    def store_said(self, ledger: int, seq: int, tags: bytes, part: bytes) -> None:
        """Record part ``seq`` of a ledger's diagnostics and their tags (not yet in its
        header)."""
        with self._guard(), self._transaction():
            self._conn.execute("INSERT OR REPLACE INTO ledger_said VALUES (?, ?, ?, ?)",
                               (ledger, seq, tags, part))

    def commit_ledger(self, ledger: int, header: bytes, parts: range,
                      prints: list[tuple[int, str, bytes, bytes]] = (),
                      was: bytes | None = None) -> None:
        """Make ``header`` (naming the parts ``parts``) and ``prints`` the ledger's, and
        drop its other parts: all at once or not at all, and only while its header is
        still ``was`` (None: a new ledger). Else another run brought the ledger up to
        date meanwhile: this one's parts are dropped and the run is not recorded
        (:attr:`superseded`), as its record would name what the other run's
        ledger holds."""
        with self._guard(), self._transaction():
            row = self._conn.execute("SELECT header FROM ledgers WHERE id = ?",
                                     (ledger,)).fetchone()
            if (row and _unsealed(row[0])) != (was and bytes(was)):
                self.superseded = True
                self._conn.execute("DELETE FROM ledger_said WHERE id = ? AND seq >= ? AND "
                                   "seq < ?", (ledger, parts.start, parts.stop))
                return
            self._conn.executemany(_STORE_PRINTS, _sealed_prints(ledger, prints))
            self._conn.execute("INSERT OR REPLACE INTO ledgers VALUES (?, ?, ?)",
                               (ledger, self._today, seal(header)))
            self._conn.execute("DELETE FROM ledger_said WHERE id = ? AND (seq < ? OR "
                               "seq >= ?)", (ledger, parts.start, parts.stop))

    def ledger(self, ledger: int) -> bytes | None:
        """A ledger's header (None when it was never committed, or is damaged)."""
        try:
            row = self._conn.execute("SELECT header FROM ledgers WHERE id = ?",
                                     (ledger,)).fetchone()
            self._conn.execute("UPDATE ledgers SET used = ? WHERE id = ?", (self._today, ledger))
            return None if row is None else bytes(unseal(row[0]))
        except sqlite3.Error as exc:
            self._note(exc)
            return None
        except Damaged:
            return None

    def ledger_groups(self, ledger: int) -> Iterator[tuple[int, memoryview]]:
        """(owner, groups) of every muscle of a ledger, in order (fewer on a database
        error or a damaged entry: the ledger is then not whole)."""
        with self._guard(Damaged):
            for owner, groups in self._conn.execute(
                    "SELECT owner, groups FROM ledger_prints WHERE id = ? ORDER BY owner",
                    (ledger,)):
                yield owner, unseal(groups)

    def ledger_prints(self, ledger: int, owners: Iterable[int]
                      ) -> dict[int, tuple[str, memoryview]]:
        """owner -> (path, fingerprint) of the ``owners`` a ledger has (and whose
        entries are not damaged)."""
        owners, found = list(owners), {}
        with self._guard():
            for start in range(0, len(owners), BATCH):
                chunk = owners[start:start + BATCH]
                for owner, path, print_ in self._conn.execute(
                        "SELECT owner, path, print FROM ledger_prints WHERE id = ? AND owner"
                        f" IN ({', '.join('?' * len(chunk))})", (ledger, *chunk)):
                    with contextlib.suppress(Damaged):
                        found[owner] = (_path(path), unseal(print_))
        return found

    def ledger_said(self, ledger: int, first: int, count: int
                    ) -> list[tuple[bytes, bytes]] | None:
        """Parts ``first`` to ``first + count`` of a ledger's diagnostics as (tags,
        part), or None."""
        try:
            parts = self._conn.execute(
                "SELECT tags, part FROM ledger_said WHERE id = ? AND seq >= ? AND seq < ?"
                " ORDER BY seq", (ledger, first, first + count)).fetchall()
        except sqlite3.Error as exc:
            self._note(exc)
            return None
        return parts if len(parts) == count else None

    def forget_ledger(self, ledger: int) -> None:
        """Drop a ledger and its rows."""
        with self._guard(), self._transaction():
            self._conn.execute("DELETE FROM ledgers WHERE id = ?", (ledger,))
            for table in _LEDGER_ROWS:
                self._conn.execute(f"DELETE FROM {table} WHERE id = ?", (ledger,))

    def close(self) -> None:
        """Flush; on the first close of a day drop entries unused for :data:`KEEP_DAYS`
        days (and ledger rows of no ledger: a run that did not finish); close (once:
        a second close does nothing)."""
        if self._closed:
            return
        self._closed = True
        self.flush()
        with self._guard():
            swept = self._conn.execute(_SWEPT).fetchone()
            if swept is None or swept[0] is None or swept[0] < self._today:
                with self._transaction():
                    for table in _TABLES:
                        self._conn.execute(f"DELETE FROM {table} WHERE used < ?",
                                           (self._today - KEEP_DAYS,))
                    for table in _LEDGER_ROWS:
                        self._conn.execute(f"DELETE FROM {table} WHERE id NOT IN"
                                           " (SELECT id FROM ledgers)")
                    self._conn.execute(_SWEEP, (self._today,))
        self._conn.close()
        if self._broken and self._path is not None:
            with contextlib.suppress(OSError):
                _remove(self._path)

    @contextlib.contextmanager
    def _guard(self, *also: type[BaseException]) -> Iterator[None]:
        """Swallow a database error (and ``also``): the cache only ever saves time.
        One that says the file is damaged is noted (see :meth:`_note`)."""
        try:
            yield
        except sqlite3.Error as exc:
            self._note(exc)
        except also:
            pass

    def _note(self, exc: sqlite3.Error) -> None:
        """Note a database error that says the file is damaged (SQLite finds a broken
        page only when a query reads it): :meth:`close` then removes the file, made
        anew by the next run, which would otherwise never replay again."""
        if isinstance(exc, sqlite3.DatabaseError) and _damaged(exc):
            self._broken = True

    @contextlib.contextmanager
    def _transaction(self) -> Any:
        """A write transaction; its failure (a full disk) is :attr:`unsaved`."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._conn.in_transaction:  # (SQLite rolls back itself on a full disk)
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.unsaved = self.unsaved or str(exc)
            raise
