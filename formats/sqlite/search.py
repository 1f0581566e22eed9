"""The full-text search index: its table and the triggers that keep it in sync,
dropped and rebuilt for a large update, and made again only where it is ours."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from converter.diagnostics import error

from .names import _named

# Search rows are keyed by the rows they index: texts id*4, functions id*4+1, a muscle's
# title id*4+2 and latin name id*4+3, so the triggers find them without a scan.
_SEARCH = (
    """CREATE VIRTUAL TABLE search USING fts5 (
    slug UNINDEXED, field UNINDEXED, language UNINDEXED, text,
    tokenize = 'unicode61 remove_diacritics 2'
)""",
    """INSERT INTO search (rowid, slug, field, language, text)
    SELECT id * 4 + 2, slug, 'title', NULL, title FROM muscles
    UNION ALL SELECT id * 4 + 3, slug, 'latin', NULL, latin FROM muscles
        WHERE latin IS NOT NULL
    UNION ALL SELECT id * 4, muscle, field, language, text FROM texts
    UNION ALL SELECT id * 4 + 1, muscle, 'function.' || part, language, text FROM functions""",
)
_NAMES_IN = """INSERT INTO search (rowid, slug, field, language, text)
        VALUES (new.id * 4 + 2, new.slug, 'title', NULL, new.title);
    INSERT INTO search (rowid, slug, field, language, text)
        SELECT new.id * 4 + 3, new.slug, 'latin', NULL, new.latin WHERE new.latin IS NOT NULL;"""
_NAMES_OUT = "DELETE FROM search WHERE rowid IN (old.id * 4 + 2, old.id * 4 + 3);"
_TEXT_IN = """INSERT INTO search (rowid, slug, field, language, text)
        VALUES (new.id * 4, new.muscle, new.field, new.language, new.text);"""
_TEXT_OUT = "DELETE FROM search WHERE rowid = old.id * 4;"
_FUNCTION_IN = """INSERT INTO search (rowid, slug, field, language, text)
        VALUES (new.id * 4 + 1, new.muscle, 'function.' || new.part, new.language, new.text);"""
_FUNCTION_OUT = "DELETE FROM search WHERE rowid = old.id * 4 + 1;"
_TRIGGER_BODIES = {
    "muscles_search_insert": f"AFTER INSERT ON muscles BEGIN {_NAMES_IN} END",
    "muscles_search_delete": f"AFTER DELETE ON muscles BEGIN {_NAMES_OUT} END",
    "muscles_search_update": f"""AFTER UPDATE OF slug, id, title, latin ON muscles
    BEGIN {_NAMES_OUT} {_NAMES_IN} END""",
    "texts_search_insert": f"AFTER INSERT ON texts BEGIN {_TEXT_IN} END",
    "texts_search_delete": f"AFTER DELETE ON texts BEGIN {_TEXT_OUT} END",
    "texts_search_update": f"AFTER UPDATE ON texts BEGIN {_TEXT_OUT} {_TEXT_IN} END",
    "functions_search_insert": f"AFTER INSERT ON functions BEGIN {_FUNCTION_IN} END",
    "functions_search_delete": f"AFTER DELETE ON functions BEGIN {_FUNCTION_OUT} END",
    "functions_search_update": f"""AFTER UPDATE ON functions
    BEGIN {_FUNCTION_OUT} {_FUNCTION_IN} END""",
}
_TRIGGERS = tuple(f"CREATE TRIGGER {name} {body}" for name, body in _TRIGGER_BODIES.items())
#: The search index's table and triggers as ``sqlite_master`` holds them, by name.
_SEARCH_MADE = {"search": _SEARCH[0], **dict(zip(_TRIGGER_BODIES, _TRIGGERS, strict=True))}
#: Those the database holds (only they are read: another's name may not be UTF-8).
_SEARCH_FOUND = ("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') "
                 f"AND name IN ({', '.join('?' * len(_SEARCH_MADE))})")
# Replacing many muscles row by row through the triggers is slow, so a large update drops
# the search index and its triggers and rebuilds both (same rows, same rowids) at the end.
_DETACH_SEARCH = (*(f"DROP TRIGGER {name}" for name in _TRIGGER_BODIES), "DROP TABLE search")

#: The rows the search index holds of the tables, as :data:`_SEARCH` fills it.
_INDEXED = _SEARCH[1][_SEARCH[1].index("SELECT"):]
#: Whether the search index holds other rows than the tables give it: another number of
#: them (a row deleted by hand with ``INSERT OR REPLACE``, which fires no delete trigger
#: while ``PRAGMA recursive_triggers`` is off, as it is by default, leaves its rows
#: there), or, row by row, another row id or other values at one (an entry edited by
#: hand; a table made again with new ids and its triggers as they were). Each row of
#: the tables is looked up by its row id in the table FTS5 keeps the index's values in
#: (``search_content``: id, then c0 to c3 for slug, field, language and text).
_MISMATCHED = f"""WITH made (id, slug, field, language, text) AS NOT MATERIALIZED (
    {_INDEXED}) SELECT (SELECT count(*) FROM search) IS NOT (SELECT count(*) FROM muscles)
    + (SELECT count(*) FROM muscles WHERE latin IS NOT NULL) + (SELECT count(*) FROM texts)
    + (SELECT count(*) FROM functions) OR EXISTS (SELECT 1 FROM made
    LEFT JOIN search_content AS held ON held.id = made.id WHERE held.c0 IS NOT made.slug
    OR held.c1 IS NOT made.field OR held.c2 IS NOT made.language OR held.c3 IS NOT made.text)"""


@dataclass
class _Search:
    """Keeps the search index in sync: through its triggers for a few changes; for many,
    it drops index and triggers and rebuilds them from the tables at the end."""

    conn: sqlite3.Connection
    threshold: int
    detached: bool = False
    out: str = ""  # (the database, as its diagnostics name it)

    def expect(self, changes: int) -> None:
        """Called with the number of muscles updated or removed so far."""
        if changes > self.threshold and not self.detached:
            for statement in _DETACH_SEARCH:
                self.conn.execute(statement)
            self.detached = True

    def renew(self, *, rows: bool = False) -> None:
        """Drop the index and its triggers, to be rebuilt, unless each is as this version
        makes it: one dropped by hand (or made otherwise) left the index without the
        rows written since, or every write failing ("no such table: main.search");
        with ``rows``, also when it holds other rows than the tables give it (see
        :data:`_MISMATCHED`)."""
        if self.detached:
            return
        found = dict(self.conn.execute(_SEARCH_FOUND, list(_SEARCH_MADE)))
        if found == _SEARCH_MADE:
            if not rows or not self.conn.execute(_MISMATCHED).fetchone()[0]:
                return
        else:
            _check_search_ours(self.conn, self.out)
            _check_triggers_ours(self.conn, self.out)
        for name in _TRIGGER_BODIES:
            self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        self.conn.execute("DROP TABLE IF EXISTS search")
        self.detached = True

    def finish(self) -> None:
        """Rebuild the index and its triggers if they were dropped."""
        if self.detached:
            for statement in (*_SEARCH, *_TRIGGERS):
                self.conn.execute(statement)


#: The search index's statement as every version made it, up to its options (an earlier
#: one had others): a table of its name made otherwise is the user's, never dropped.
_SEARCH_OURS = _SEARCH[0][:_SEARCH[0].index(" text,") + len(" text,")]


#: The tables FTS5 keeps the search index in (its shadow tables), named after it.
_SEARCH_SHADOWS = tuple(f"search_{part}" for part in ("data", "idx", "content", "docsize",
                                                       "config"))


def _check_search_ours(conn: sqlite3.Connection, out: str) -> None:
    """Raise a ``sqlite-error`` when a table, view or index of the search index's name
    (in any case, as SQLite's names are) is not the index this tool made, or, with no
    index there, one of the name of a table FTS5 would make for it."""
    found = conn.execute("SELECT type, name, type = 'table' AND name = 'search' AND "
                         "substr(sql, 1, ?) = ? FROM sqlite_master WHERE type IN ('table', "
                         "'view', 'index') AND name = 'search' COLLATE NOCASE",
                         (len(_SEARCH_OURS), _SEARCH_OURS)).fetchone()
    where = "its full-text search index (an FTS5 table"
    if found is None:
        found = conn.execute("SELECT type, name, 0 FROM sqlite_master WHERE type IN ("
                             "'table', 'view', 'index') AND name COLLATE NOCASE IN "
                             f"({', '.join('?' * len(_SEARCH_SHADOWS))}) ORDER BY name",
                             _SEARCH_SHADOWS).fetchone()
        where = ("a table of its full-text search index (which FTS5 makes beside the "
                 "index, named search")
    if found is None or found[2]:
        return
    kind, name, _ = found
    raise error(out, "sqlite-error", f"holds {'an' if kind == 'index' else 'a'} {kind} "
                f"named {_named(name)}, where muscle-convert keeps {where}, made again by "
                f"a write when it was dropped or changed); give that {kind} another name, "
                "or drop it, and run again, or write a fresh database; nothing is changed")


def _check_triggers_ours(conn: sqlite3.Connection, out: str) -> None:
    """Raise a ``sqlite-error`` when a trigger of the name of one of the search index's
    (in any case) is not as this tool makes it: the user's, never dropped."""
    for name, statement in zip(_TRIGGER_BODIES, _TRIGGERS, strict=True):
        found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                             "name = ? COLLATE NOCASE AND sql IS NOT ?", (name, statement)
                             ).fetchone()
        if found:
            raise error(out, "sqlite-error", f"holds a trigger named {_named(found[0])} "
                        "that muscle-convert did not make, where it keeps a trigger of that "
                        "name, which keeps its full-text search index in sync (made again by "
                        "a write when it was dropped); give that trigger another name, or "
                        "drop it, and run again, or write a fresh database; nothing is "
                        "changed")
