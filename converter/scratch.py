"""Run-sized tables on disk, so what grows with the corpus does not grow the process.

A run sees every muscle's slug and every compared text once, and must remember them to
the end. :func:`connect` opens a private temporary SQLite database for such tables: it
keeps a small page cache in memory and the rest in a temporary file that SQLite deletes
when the connection closes (or the process dies). Text goes in as UTF-8 blobs with
surrogates passed through, so any path or string a file system or reader gives fits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence, ValuesView
from typing import Any

from .atomic import refused, sqlite_temporary_folder, temporary_failure
from .registry import Source

#: Page cache of each scratch database, in KiB: its B-trees' upper levels (the leaves
#: are read back from the temporary file, which the OS keeps cached).
CACHE_KIB = 512
_ROWS = 1000
#: Slugs looked up by one query (SQLite allows 999 parameters in every version).
_IN_LIST = 500


class Scratch:
    """A scratch database, whose temporary file lives in the temporary folder: a full
    one (or one gone) is :class:`~converter.atomic.TemporaryFull`, not SQLite's error.
    Its statements run as on the connection it holds."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __getattr__(self, name: str) -> Any:  # (the connection's other methods)
        return getattr(self.conn, name)

    def execute(self, *args: Any) -> sqlite3.Cursor:
        try:  # (not a context manager: a run makes one call per muscle or more)
            return self.conn.execute(*args)
        except sqlite3.Error as exc:
            raise _refusal(exc) from None

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        try:
            return self.conn.executemany(*args)
        except sqlite3.Error as exc:
            raise _refusal(exc) from None


def _refusal(exc: sqlite3.Error) -> Exception:
    """What a scratch database's error ``exc`` is raised as: a full (or gone) temporary
    folder as :class:`~converter.atomic.TemporaryFull`, anything else as it is."""
    return temporary_failure(exc, sqlite_temporary_folder()) if refused(exc) else exc


def connect(*schema: str) -> Scratch:
    """A private temporary database with the tables ``schema`` creates, inside one open
    transaction (never committed: it is thrown away), so writes cost no journal and no
    sync."""
    conn = Scratch(sqlite3.connect("", isolation_level=None, check_same_thread=False))
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for statement in schema:
        conn.execute(statement)
    return conn


def encode(text: str) -> bytes:
    """``text`` as the blob the scratch tables store."""
    return text.encode("utf-8", "surrogatepass")


def decode(blob: bytes) -> str:
    """The text :func:`encode` stored as ``blob``."""
    return blob.decode("utf-8", "surrogatepass")


class Sources(Mapping[str, Source]):
    """slug -> :class:`Source` of the first muscle that took the slug, in a scratch table;
    iterates in the order slugs were taken."""

    def __init__(self) -> None:
        self._db = connect("CREATE TABLE sources (slug BLOB NOT NULL UNIQUE,"
                           " path BLOB NOT NULL, mtime REAL NOT NULL, many INTEGER NOT NULL)")

    def claim(self, slug: str, source: Source) -> Source | None:
        """Give ``slug`` to ``source`` unless it is taken: then return who has it."""
        added = self._db.execute("INSERT OR IGNORE INTO sources VALUES (?, ?, ?, ?)",
                                 (encode(slug), encode(source.path), source.mtime,
                                  source.many)).rowcount
        return None if added else self._get(slug)

    def get_many(self, slugs: Sequence[str]) -> dict[str, Source]:
        """The source of each of ``slugs`` that has one, a query per :data:`_IN_LIST` slugs
        (a writer asks of a batch of muscles at once, not one query each)."""
        found: dict[str, Source] = {}
        for start in range(0, len(slugs), _IN_LIST):
            part = [encode(slug) for slug in slugs[start:start + _IN_LIST]]
            for slug, path, mtime, many in self._db.execute(
                    "SELECT slug, path, mtime, many FROM sources WHERE slug IN"
                    f" ({','.join('?' * len(part))})", part):
                found[decode(slug)] = Source(decode(path), mtime, bool(many))
        return found

    def _get(self, slug: object) -> Source | None:
        if not isinstance(slug, str):
            return None
        row = self._db.execute("SELECT path, mtime, many FROM sources WHERE slug = ?",
                               (encode(slug),)).fetchone()
        return None if row is None else Source(decode(row[0]), row[1], bool(row[2]))

    def __getitem__(self, slug: str) -> Source:
        found = self._get(slug)
        if found is None:
            raise KeyError(slug)
        return found

    def get(self, slug: str, default: Source | None = None) -> Source | None:  # type: ignore[override]
        """The source of ``slug``, else ``default`` (one query, no exception)."""
        found = self._get(slug)
        return default if found is None else found

    def __contains__(self, slug: object) -> bool:
        return self._get(slug) is not None

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM sources").fetchone()[0]

    def _rows(self) -> Iterator[tuple[bytes, bytes, float, int]]:
        """Every row there was when called, in order, a page of rows per query (slugs
        added meanwhile are safe, and not included)."""
        last, stop = 0, self._db.execute("SELECT max(rowid) FROM sources").fetchone()[0]
        while stop and (rows := self._db.execute(
                "SELECT rowid, slug, path, mtime, many FROM sources WHERE rowid > ?"
                f" AND rowid <= ? ORDER BY rowid LIMIT {_ROWS}", (last, stop)).fetchall()):
            last = rows[-1][0]
            for _, slug, path, mtime, many in rows:
                yield slug, path, mtime, many

    def __iter__(self) -> Iterator[str]:
        return (decode(slug) for slug, *_ in self._rows())

    def values(self) -> ValuesView[Source]:
        return _Values(self)

    def __repr__(self) -> str:
        return f"Sources({len(self)} slugs)"


class _Values(ValuesView[Source]):
    """The sources in order, read a page of rows per query (not one query per slug)."""

    _mapping: Sources

    def __iter__(self) -> Iterator[Source]:
        return (Source(decode(path), mtime, bool(many))
                for _, path, mtime, many in self._mapping._rows())
