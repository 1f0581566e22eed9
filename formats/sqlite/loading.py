"""Streaming (slug, record) pairs into the tables, :data:`BATCH` muscles at a time."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence

from converter.diagnostics import Diagnostic
from converter.registry import WriteContext

from .blockers import _change
from .counts import Counts
from .edits import _edited
from .ids import _ID_SEQUENCE, MAX_ID, _flush, _ids_held, _last_given, _no_id_left
from .orphans import _delete_orphans
from .pruning import _remove_gone, _SourcePaths
from .rows import _Batch, _Record
from .schema import _TABLES
from .search import _Search
from .statements import _CHILDREN, _EXISTING_OF

#: Muscles collected before their rows go to SQLite with ``executemany``.
BATCH = 500
#: What the writer knows of a muscle already in the database: (content hash, id, source).
_Known = tuple[str, int, str | None]


def _known(conn: sqlite3.Connection, slugs: list[str]) -> dict[str, _Known]:
    """What the database holds of the muscles ``slugs`` (at most :data:`BATCH`)."""
    if not slugs:
        return {}
    return {slug: (digest, number, source) for slug, digest, number, source
            in conn.execute(_EXISTING_OF.format(",".join("?" * len(slugs))), slugs)}


def _load(conn: sqlite3.Connection, records: Iterable[_Record], ctx: WriteContext,
          out: str, *, prune: bool, partial: bool = False, new: bool = False) -> Counts:
    """Stream (slug, record) pairs into the tables, :data:`BATCH` at a time: what the
    database holds of a batch's muscles is looked up with one query, so memory holds
    no index of the database. The muscles not in the input are then kept or removed
    (see :func:`_remove_gone`), unless the input is ``partial`` (the rest unchanged).
    ``new``: the tables were made for this load (nothing left in them to clear)."""
    counts = Counts()
    sources = _SourcePaths(out)
    held, last_id = conn.execute(  # (an id typed in by hand may be text)
        "SELECT count(*), max(id) FILTER (WHERE typeof(id) = 'integer') FROM muscles"
    ).fetchone()
    given = _last_given(conn)
    next_id = max(last_id or 0, given) + 1
    tops = {} if new else _ids_held(conn, out)
    search = _Search(conn, threshold=max(BATCH, held // 16), out=out)
    if not new:  # (rows counted by a write in full: a patch trusts the last run's)
        search.renew(rows=not partial)
    seen = _Seen(conn)
    numbered = {} if new else _numbered_slugs(conn)
    renumber = set().union(*numbered.values())
    batch = _Batch(fresh=new)
    records = iter(records)
    while window := list(itertools.islice(records, BATCH)):
        slugs = list({slug: None for slug, _ in window})
        existing = _known(conn, slugs) if held else {}
        firsts, origins = seen.add_window(window, slugs), ctx.sources_of(slugs)
        held_rows = {slug: json.loads(record)  # (only those the database holds: a new
                     for (slug, record), first  # database's records are read one by one)
                     in zip(window, firsts, strict=True) if first and slug in existing}
        edited = _edited(conn, {slug: values for slug, values in held_rows.items()
                                if existing[slug][0] == values[0] and slug not in renumber})
        for (slug, record), first in zip(window, firsts, strict=True):
            if not first:
                ctx.report(Diagnostic(out, None, None, "slug", "duplicate-slug",
                                      f"slug {slug!r} is given twice; the first is kept"))
                continue
            values = held_rows.pop(slug) if slug in held_rows else json.loads(record)
            old = existing.get(slug)
            known = origins.get(slug)
            source = sources.stored(known.path) if known and not sources.itself(
                known.path, many=known.many) else old[2] if old else None  # (read from
            # the database itself, by any name: the source it had is kept, not its own)
            if old is not None:
                sources.moved(old[2], source)
            if old is None:
                if next_id > MAX_ID:
                    raise _no_id_left(conn, out, last_id or 0, given)
                counts.added += 1
                number, next_id = next_id, next_id + 1
            elif old[0] == values[0] and slug not in renumber and slug not in edited:
                counts.unchanged += 1
                if old[2] != source:
                    batch.moved.append((source, slug))
                continue
            else:
                counts.updated += 1
                search.expect(counts.updated)
                number = old[1]
            for table, slugs in numbered.items():  # (children first)
                if slug in slugs:
                    _change(conn, _DELETE_NUMBERED.format(table), [(slug,)])
            batch.add(slug, values, number, source, change=old is not None)
            if len(batch) >= BATCH:
                _flush(batch, conn, out, tops)
    _flush(batch, conn, out, tops)
    if next_id - 1 > given:
        conn.execute(_ID_SEQUENCE)
        conn.execute("DELETE FROM id_sequence")
        conn.execute("INSERT INTO id_sequence (last_id) VALUES (?)", (next_id - 1,))
    if held and not partial:
        _remove_gone(conn, ctx, counts, search, sources, prune=prune)
    if prune and not partial and not new:
        counts.orphans = _delete_orphans(conn)
    search.finish()
    return counts


#: The rows of a table whose muscle is a number whose text is a slug (5 for '5').
_NUMBERED_SLUGS = ("SELECT DISTINCT CAST(muscle AS TEXT) FROM {} "
                   "WHERE typeof(muscle) IN ('integer', 'real')")
_DELETE_NUMBERED = ("DELETE FROM {} WHERE typeof(muscle) IN ('integer', 'real') "
                    "AND CAST(muscle AS TEXT) = ?")


def _numbered_slugs(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Of each table of a muscle's rows made again by hand (one this version makes holds
    text), children first, the slugs its rows name by a number (5 for '5'): SQLite's
    foreign keys take them for that muscle's, its statements (``muscle = ?``) and the
    reader do not; a write of such a muscle replaces them."""
    made = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND "
                             f"name IN ({', '.join('?' * len(_CHILDREN))})", _CHILDREN))
    found = {table: {slug for (slug,) in conn.execute(_NUMBERED_SLUGS.format(table))}
             for table in _CHILDREN if table in made and made[table] not in _TABLES}
    return {table: slugs for table, slugs in found.items() if slugs}


class _Seen:
    """The slugs loaded so far, in a temporary table of the connection: a corpus's worth
    of slugs stays on disk, not in a set."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS loaded (slug TEXT PRIMARY KEY)"
                     " WITHOUT ROWID")
        conn.execute("DELETE FROM temp.loaded")

    def add_window(self, window: Sequence[_Record], slugs: list[str]) -> list[bool]:
        """Note the slug of each (slug, record) of ``window`` (at most :data:`BATCH`),
        whose slugs, each once, are ``slugs``: whether each is its slug's first, not
        noted before (one query and one insert for them all, not a statement each)."""
        noted = {slug for (slug,) in self._conn.execute(
            f"SELECT slug FROM temp.loaded WHERE slug IN ({','.join('?' * len(slugs))})",
            slugs)}
        firsts = []
        for slug, _ in window:
            firsts.append(slug not in noted)
            noted.add(slug)
        self._conn.executemany("INSERT INTO temp.loaded VALUES (?)",
                               [(slug,) for (slug, _), first in zip(window, firsts,
                                                                     strict=True) if first])
        return firsts
