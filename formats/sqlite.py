"""SQLite database: normalized tables, full-text search and readable views (lossless).

Writing into an existing database upserts in one transaction: a per-muscle content hash
(sha256 of the canonical JSON) tells unchanged muscles, which are not touched; changed
ones are updated in place: their rows in the other tables are kept by key (updated where
their values changed), new keys inserted, and only the rows whose keys are gone deleted,
so a user's table may refer to any of them; muscles no longer in the input are deleted
only with ``--prune``, and even then not while the source file they came from still
exists but gave no muscle (a file that fails to validate does not wipe its muscle);
a prune deletes their rows in the other tables itself, not through the foreign keys, and
the rows that name no muscle (left by one deleted where foreign keys are off).
A new database is built in a temporary file beside the target and renamed over it, so
a failed or killed run never leaves a half database. Every SQL statement is constant
text; all content goes through parameters.

Tables (``PRAGMA foreign_keys=ON``, children cascade on delete)::

    muscles   slug PK, id (stable number, keys the search index), title, latin, image,
              image_focus, body, extra (JSON object), source (file it came from,
              relative to the database's folder), content_hash
    texts     muscle, field (origin|insertion), language, text
    functions muscle, position, part (short|extended), language, text
    exercises muscle, position, name
    regions   muscle, position                       (one row per polygon)
    points    muscle, region, position, x, y         (exact text; x_value, y_value REAL)
    search    FTS5 over title, latin, origin, insertion and function texts, kept in sync
              by triggers; views muscle_texts, function_texts, region_coords,
              muscle_summary flatten it for people.

The schema version is ``PRAGMA user_version``; ``PRAGMA application_id`` marks the file
as ours. A database of another version, or another program's, is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import shlex
import sqlite3
import stat
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from converter import canonical
from converter.atomic import atomic_path, is_special, real_target, signals_held, terminable
from converter.coords import CoordsProblem, check_number, parse_number
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    MuscleError,
    counted,
    error,
    kept_byte_message,
    kept_bytes_shown,
    not_at,
)
from converter.model import Muscle, number_text
from converter.once_written import placed
from converter.registry import Format, FormatOption, ReadContext, WriteContext, spelling
from converter.safety import BadJson
from converter.sqlitewait import Connection, retried

SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of every database this format writes ("MUSL").
APPLICATION_ID = 0x4D55534C
#: Muscles collected before their rows go to SQLite with ``executemany``.
BATCH = 500

_CHILD = "NOT NULL REFERENCES muscles (slug) ON DELETE CASCADE ON UPDATE CASCADE"
_TABLES = (
    """CREATE TABLE muscles (
    slug TEXT NOT NULL PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    latin TEXT,
    image TEXT,
    image_focus TEXT,
    body TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
    source TEXT,
    content_hash TEXT NOT NULL
)""",
    f"""CREATE TABLE texts (
    id INTEGER PRIMARY KEY,
    muscle TEXT {_CHILD},
    field TEXT NOT NULL CHECK (field IN ('origin', 'insertion')),
    language TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (muscle, field, language)
)""",
    f"""CREATE TABLE functions (
    id INTEGER PRIMARY KEY,
    muscle TEXT {_CHILD},
    position INTEGER NOT NULL,
    part TEXT NOT NULL CHECK (part IN ('short', 'extended')),
    language TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (muscle, position, part, language)
)""",
    f"""CREATE TABLE exercises (
    muscle TEXT {_CHILD},
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (muscle, position)
) WITHOUT ROWID""",
    f"""CREATE TABLE regions (
    muscle TEXT {_CHILD},
    position INTEGER NOT NULL,
    PRIMARY KEY (muscle, position)
) WITHOUT ROWID""",
    """CREATE TABLE points (
    muscle TEXT NOT NULL,
    region INTEGER NOT NULL,
    position INTEGER NOT NULL,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    x_value REAL GENERATED ALWAYS AS (CAST(x AS REAL)) VIRTUAL,
    y_value REAL GENERATED ALWAYS AS (CAST(y AS REAL)) VIRTUAL,
    PRIMARY KEY (muscle, region, position),
    FOREIGN KEY (muscle, region) REFERENCES regions (muscle, position)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID""",
)

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
# The views hold only SQL that other readers parse too: DuckDB parses them again (char(10)
# is a type there, so a newline is written as a quoted one). Each column of an expression
# is cast to its type, which SQLite then declares (PRAGMA table_info): a reader that takes
# a column's type from there (DuckDB's sqlite_scan) read an undeclared one as BLOB.
_VIEWS = (
    """CREATE VIEW muscle_texts AS
SELECT m.slug, m.title, m.latin, l.language,
    (SELECT t.text FROM texts AS t WHERE t.muscle = m.slug AND t.field = 'origin'
        AND t.language = l.language) AS origin,
    (SELECT t.text FROM texts AS t WHERE t.muscle = m.slug AND t.field = 'insertion'
        AND t.language = l.language) AS insertion,
    CAST((SELECT group_concat(s.text, '\n') FROM (SELECT f.text FROM functions AS f
        WHERE f.muscle = m.slug AND f.part = 'short' AND f.language = l.language
        ORDER BY f.position) AS s) AS TEXT) AS functions
FROM muscles AS m
LEFT JOIN (SELECT muscle, language FROM texts UNION SELECT muscle, language FROM functions)
    AS l ON l.muscle = m.slug
ORDER BY m.slug, l.language""",
    """CREATE VIEW function_texts AS
SELECT muscle AS slug, CAST(position + 1 AS INTEGER) AS number, language,
    CAST(max(CASE WHEN part = 'short' THEN text END) AS TEXT) AS short,
    CAST(max(CASE WHEN part = 'extended' THEN text END) AS TEXT) AS extended
FROM functions
GROUP BY muscle, position, language
ORDER BY muscle, position, language""",
    """CREATE VIEW region_coords AS
SELECT r.muscle AS slug, CAST(r.position + 1 AS INTEGER) AS number,
    CAST((SELECT group_concat(p.x || ',' || p.y, ',') FROM (SELECT q.x, q.y FROM points AS q
        WHERE q.muscle = r.muscle AND q.region = r.position ORDER BY q.position) AS p
    ) AS TEXT) AS coords
FROM regions AS r
ORDER BY r.muscle, r.position""",
    """CREATE VIEW muscle_summary AS
SELECT m.slug, m.title, m.latin,
    CAST((SELECT group_concat(l.language, ', ') FROM (SELECT language FROM texts
        WHERE muscle = m.slug UNION SELECT language FROM functions WHERE muscle = m.slug
        ORDER BY 1) AS l) AS TEXT) AS languages,
    CAST((SELECT count(DISTINCT position) FROM functions WHERE muscle = m.slug)
        AS INTEGER) AS functions,
    CAST((SELECT group_concat(e.name, '; ') FROM (SELECT name FROM exercises
        WHERE muscle = m.slug ORDER BY position) AS e) AS TEXT) AS exercises,
    CAST((SELECT group_concat(c.coords, ' | ') FROM (SELECT coords FROM region_coords
        WHERE slug = m.slug ORDER BY number) AS c) AS TEXT) AS coords,
    m.image, m.image_focus, m.extra
FROM muscles AS m
ORDER BY m.slug""",
)
_STAMP = (f"PRAGMA application_id = {APPLICATION_ID}", f"PRAGMA user_version = {SCHEMA_VERSION}")

_INSERT_MUSCLE = """INSERT INTO muscles
    (slug, id, title, latin, image, image_focus, body, extra, source, content_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_TEXT = "INSERT INTO texts (muscle, field, language, text) VALUES (?, ?, ?, ?)"
_INSERT_FUNCTION = """INSERT INTO functions (muscle, position, part, language, text)
    VALUES (?, ?, ?, ?, ?)"""
_INSERT_EXERCISE = "INSERT INTO exercises (muscle, position, name) VALUES (?, ?, ?)"
_INSERT_REGION = "INSERT INTO regions (muscle, position) VALUES (?, ?)"
_INSERT_POINT = "INSERT INTO points (muscle, region, position, x, y) VALUES (?, ?, ?, ?, ?)"
# Into a database that may hold a row of the same key: that row is updated in place when
# its values differ (so it keeps its row id, and a row of a user's table that refers to it
# stays); one that is the same is left alone (no trigger fires).
_UPSERT_TEXT = f"""{_INSERT_TEXT} ON CONFLICT (muscle, field, language)
    DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text"""
_UPSERT_FUNCTION = f"""{_INSERT_FUNCTION} ON CONFLICT (muscle, position, part, language)
    DO UPDATE SET text = excluded.text WHERE text IS NOT excluded.text"""
_UPSERT_EXERCISE = f"""{_INSERT_EXERCISE} ON CONFLICT (muscle, position)
    DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name"""
_UPSERT_REGION = f"{_INSERT_REGION} ON CONFLICT (muscle, position) DO NOTHING"
_UPSERT_POINT = f"""{_INSERT_POINT} ON CONFLICT (muscle, region, position)
    DO UPDATE SET x = excluded.x, y = excluded.y WHERE x IS NOT excluded.x OR y IS NOT excluded.y"""
# A muscle's rows whose key is not among the keys of its new rows, given as a JSON array
# of arrays (one per row: the key's columns after ``muscle``).
_KEY_1 = "SELECT json_extract(value, '$[0]') FROM json_each(?)"
_KEY_2 = "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)"
_KEY_3 = ("SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
          "json_extract(value, '$[2]') FROM json_each(?)")
_DELETE_GONE_TEXTS = f"DELETE FROM texts WHERE muscle = ? AND (field, language) NOT IN ({_KEY_2})"
_DELETE_GONE_FUNCTIONS = ("DELETE FROM functions WHERE muscle = ? "
                          f"AND (position, part, language) NOT IN ({_KEY_3})")
_DELETE_GONE_EXERCISES = f"DELETE FROM exercises WHERE muscle = ? AND position NOT IN ({_KEY_1})"
_DELETE_GONE_REGIONS = f"DELETE FROM regions WHERE muscle = ? AND position NOT IN ({_KEY_1})"
_DELETE_GONE_POINTS = ("DELETE FROM points WHERE muscle = ? "
                       f"AND (region, position) NOT IN ({_KEY_2})")
_DELETE_MUSCLE = "DELETE FROM muscles WHERE slug = ?"
_UPDATE_MUSCLE = """UPDATE muscles SET title = ?, latin = ?, image = ?, image_focus = ?,
    body = ?, extra = ?, source = ?, content_hash = ? WHERE slug = ?"""


@dataclass(frozen=True)
class _Child:
    """A table whose rows belong to a muscle: how its rows go into a new database and
    into an existing one, how a muscle's rows whose keys are gone are deleted, and the
    columns of its key after ``muscle``."""

    table: str
    insert: str
    upsert: str
    delete_gone: str
    key: tuple[str, ...]

    @property
    def key_width(self) -> int:
        """How many columns after ``muscle`` its key has."""
        return len(self.key)


#: The tables whose rows belong to a muscle (parents first: a row's parent goes in first).
_CHILD_TABLES = (
    _Child("texts", _INSERT_TEXT, _UPSERT_TEXT, _DELETE_GONE_TEXTS, ("field", "language")),
    _Child("functions", _INSERT_FUNCTION, _UPSERT_FUNCTION, _DELETE_GONE_FUNCTIONS,
           ("position", "part", "language")),
    _Child("exercises", _INSERT_EXERCISE, _UPSERT_EXERCISE, _DELETE_GONE_EXERCISES,
           ("position",)),
    _Child("regions", _INSERT_REGION, _UPSERT_REGION, _DELETE_GONE_REGIONS, ("position",)),
    _Child("points", _INSERT_POINT, _UPSERT_POINT, _DELETE_GONE_POINTS,
           ("region", "position")),
)
#: Their names, children first.
_CHILDREN = tuple(child.table for child in reversed(_CHILD_TABLES))
#: A muscle's rows of each of them, children first: deleted before its row in muscles,
#: not left to ON DELETE CASCADE, which a table made again by hand may not have.
_DELETE_ROWS = tuple(f"DELETE FROM {table} WHERE muscle = ?" for table in _CHILDREN)
_MOVE_MUSCLE = "UPDATE muscles SET source = ? WHERE slug = ?"
_EXISTING_OF = "SELECT slug, content_hash, id, source FROM muscles WHERE slug IN ({})"
_NOT_LOADED = "WHERE slug NOT IN (SELECT slug FROM temp.loaded) ORDER BY slug"

_SELECT_MUSCLES = """SELECT slug, title, latin, image, image_focus, body, extra
    FROM muscles ORDER BY slug"""
_SELECT_TEXTS = "SELECT muscle, field, language, text FROM texts ORDER BY muscle, field, language"
_SELECT_FUNCTIONS = """SELECT muscle, position, part, language, text FROM functions
    ORDER BY muscle, position, part, language"""
_SELECT_EXERCISES = "SELECT muscle, position, name FROM exercises ORDER BY muscle, position"
_SELECT_POINTS = """SELECT r.muscle, r.position, p.position, p.x, p.y,
    p.muscle IS NOT NULL FROM regions AS r
    LEFT JOIN points AS p ON p.muscle = r.muscle AND p.region = r.position
    ORDER BY r.muscle, r.position, p.position"""
#: The regions given by more than one row (a table made again without its key), which
#: the join of :data:`_SELECT_POINTS` gives each point of as many times.
_SELECT_DOUBLED = """SELECT muscle, position FROM regions GROUP BY muscle, position
    HAVING count(*) > 1"""

#: What the writer knows of a muscle already in the database: (content hash, id, source).
_Known = tuple[str, int, str | None]
#: A muscle's slug and :meth:`SqliteFormat.record`.
_Record = tuple[str, str]


def _one(count: int, one: str, many: str) -> str:
    """``one`` or ``many``, as ``count`` asks."""
    return one if count == 1 else many


@dataclass
class Counts:
    """What one write did to the database."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # not in the input, kept because --prune was not given
    removable: int = 0  # of those kept, the ones --prune would remove
    spared: int = 0  # not in the input, kept by --prune: the source file exists, gave none
    spared_failing: int = 0  # of those spared, the ones whose source file had an error
    spared_unsure: int = 0  # of those spared, the ones whose source file was not found
    orphans: int = 0  # rows deleted by --prune that named no muscle (or region) held

    def summary(self, out: Path) -> str:
        """The one-line summary the CLI prints (and ``write()`` returns), naming the
        prune option as the caller gives it (``--prune``, ``prune=True``)."""
        line = (f"{out}: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.removed} removed")
        if self.orphans:
            line += (f" ({self.orphans} {_one(self.orphans, 'row', 'rows')} that named no "
                     "muscle or region the database holds deleted)")
        kept, removable, prune = self.kept, self.removable, spelling().given("prune")
        if kept:
            its = _one(kept, "its source file still exists", "their source files still exist")
            line += (f" ({kept} not in the input kept: {its})" if not removable else
                     f" ({kept} not in the input kept; {prune} removes "
                     f"{_one(kept, 'it', 'them')})" if removable == kept else
                     f" ({kept} not in the input kept; {prune} removes the {removable} "
                     f"whose source {_one(removable, 'file is', 'files are')} gone)")
        failing, unsure = self.spared_failing, self.spared_unsure
        unread = self.spared - failing - unsure
        if unread:
            its = _one(unread, "its source file still exists, and was",
                       "their source files still exist, and were")
            line += f" ({unread} not removed: {its} not read in this run)"
        if failing:
            its = _one(failing, "its source file has", "their source files have")
            line += f" ({failing} not removed: {its} errors this run)"
        if unsure:
            its = _one(unsure, "its source file was", "their source files were")
            line += (f" ({unsure} not removed: {its} not found, and a file that may be "
                     f"{_one(unsure, 'it', 'one of them')} has errors this run)")
        return line


def _no_rows() -> dict[str, list[tuple[Any, ...]]]:
    """An empty list for each table of :data:`_CHILD_TABLES`."""
    return {child.table: [] for child in _CHILD_TABLES}


@dataclass
class _Batch:
    """Rows of up to :data:`BATCH` muscles, sent with one ``executemany`` per table.
    ``fresh``: the tables were made for this load (no muscle has rows there yet)."""

    fresh: bool = False
    moved: list[tuple[str | bytes | None, str]] = field(default_factory=list)
    muscles: list[tuple[Any, ...]] = field(default_factory=list)
    changed: list[tuple[Any, ...]] = field(default_factory=list)
    #: The rows of each table that belongs to a muscle, by its name.
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=_no_rows)
    #: By table, (slug, the keys of its new rows as JSON) of each muscle that may have rows
    #: there already: a changed one's, and a new one's (left by a muscle deleted with
    #: foreign keys off, the sqlite3 shell's default). Its rows of other keys are deleted.
    keys: dict[str, list[tuple[Any, ...]]] = field(default_factory=_no_rows)

    def add(self, slug: str, row: list[Any], number: int, source: str | bytes | None, *,
            change: bool = False) -> None:
        """Queue the rows of one muscle from its :func:`row` (``number``: its stable id);
        ``change``: the muscle is in the database, and its row is updated in place (the
        columns and rows a user attached to it stay), as are its rows in the other
        tables whose keys it still has."""
        digest, title, latin, image, image_focus, body, extra, texts, functions, \
            exercises, regions = row
        if change:
            self.changed.append((title, latin, image, image_focus, body, extra, source,
                                 digest, slug))
        else:
            self.muscles.append((slug, number, title, latin, image, image_focus, body, extra,
                                 source, digest))
        for child, rows in zip(_CHILD_TABLES, _child_rows(slug, texts, functions, exercises,
                                                           regions), strict=True):
            self.rows[child.table].extend(rows)
            if not self.fresh:
                self.keys[child.table].append(
                    (slug, json.dumps([item[1:1 + child.key_width] for item in rows])))

    def __len__(self) -> int:
        return len(self.muscles) + len(self.changed) + len(self.moved)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write every queued row (into an existing database: delete the rows whose keys
        are gone, then insert or update the others), start empty."""
        _change(conn, _MOVE_MUSCLE, self.moved, updating=True)
        conn.executemany(_INSERT_MUSCLE, self.muscles)
        _change(conn, _UPDATE_MUSCLE, self.changed, updating=True)
        for child in reversed(_CHILD_TABLES):  # (children first)
            _change(conn, child.delete_gone, self.keys[child.table])
        for child in _CHILD_TABLES:
            _change(conn, child.insert if self.fresh else child.upsert,
                    self.rows[child.table], updating=True)
        for rows in (self.moved, self.muscles, self.changed, *self.rows.values(),
                     *self.keys.values()):
            rows.clear()


def _child_rows(slug: str, texts: list[Any], functions: list[Any], exercises: list[Any],
                regions: list[Any]) -> tuple[list[tuple[Any, ...]], ...]:
    """A muscle's rows in each table of :data:`_CHILD_TABLES`, in its order."""
    return ([(slug, *text) for text in texts],
            [(slug, *function) for function in functions],
            [(slug, i, name) for i, name in enumerate(exercises)],
            [(slug, r) for r in range(len(regions))],
            [(slug, r, p, x, y) for r, points in enumerate(regions)
             for p, (x, y) in enumerate(points)])


#: What SQLite names the rollback journal of a database beside it, and the longest file
#: name most file systems take (in bytes).
_JOURNAL, _NAME_MAX = "-journal", 255


def content_hash(muscle: Muscle) -> str:
    """sha256 of the muscle's canonical JSON: equal hashes mean equal muscles."""
    return hashlib.sha256(canonical.dumps(muscle).encode("utf-8")).hexdigest()


def row(muscle: Muscle) -> list[Any]:
    """What the tables hold of ``muscle`` but its slug, id and source: its content hash,
    its columns (``extra`` as JSON text), its texts (field, language, text), function
    texts (position, part, language, text), exercise names and polygons (exact x, y)."""
    texts = [(name, lang, text) for name in ("origin", "insertion")
             for lang, text in getattr(muscle, name).items()]
    functions = [(position, part, lang, text)
                 for position, function in enumerate(muscle.functions)
                 for part in ("short", "extended")
                 for lang, text in getattr(function, part).items()]
    regions = [[(number_text(x), number_text(y)) for x, y in region.points]
               for region in muscle.regions]
    return [content_hash(muscle), muscle.title, muscle.latin, muscle.image,
            muscle.image_focus, muscle.body, canonical.extra_json(muscle.extra),
            texts, functions, list(muscle.exercises), regions]


class SqliteFormat(Format):
    name = "sqlite"
    description = "SQLite database with full-text search and views; upserts (lossless)"
    extensions = (".db", ".sqlite", ".sqlite3")
    validates = True
    writes_into_streams = False
    options = (FormatOption("prune", "delete muscles whose source is gone", default=False,
                            is_flag=True),)

    def companions(self, path: Path) -> list[Path]:
        """The write-ahead log: a committed change may still be there, not in the file;
        and the rollback journal a write stopped half-way left (its database unread until
        it is played back): a run after one appeared is not replayed but writes into the
        database, which rolls it back (or removes it, cold). SQLite keeps both beside the
        file a symbolic link names, not beside the link."""
        real = real_target(path)
        return [real.with_name(real.name + "-wal"), real.with_name(real.name + _JOURNAL)]

    def field_name(self, field: str) -> str:
        return canonical.model_field(field)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        try:
            conn = _open_to_read(Path(path))
        except sqlite3.Error as exc:
            raise _sqlite_error(path, exc) from None
        try:
            if check_schema(conn, str(path)):
                raise error(str(path), "empty-database",
                            "is an empty SQLite database, not one written by muscle-convert")
            for diagnostic in _orphans(conn, str(path)):
                ctx.report(diagnostic)
            yield from _read_text_kept(conn, str(path), ctx)
        except sqlite3.Error as exc:
            raise _sqlite_error(path, exc) from None
        finally:
            conn.close()

    def record(self, muscle: Muscle, options: dict[str, Any]) -> str:
        """The muscle's :func:`row` as JSON: made where files are read, in parallel, so
        loading the database is little more than SQLite's own work."""
        return json.dumps(row(muscle), ensure_ascii=False)

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        if is_special(out):  # (before symlinks are followed: /dev/stdout names a pipe)
            raise error(str(out), "output-not-file", "is standard output, a device or a "
                        "FIFO, not a file; give a database file name")
        out, target = Path(out), real_target(out)
        prune = bool(ctx.option("prune", False))
        if target.is_dir():
            raise error(str(out), "output-not-file", "is a directory; give a database file name")
        if len(os.fsencode(target.name)) + len(_JOURNAL) > _NAME_MAX:
            raise error(str(out), "cannot-write", f"the name is too long for SQLite: its "
                        f"journal beside it ({target.name}{_JOURNAL}) would be over "
                        f"{_NAME_MAX} bytes; give a shorter name")
        try:
            if not target.exists() or target.stat().st_size == 0:
                counts = _write_new(records, target, ctx)
            else:
                counts = _update(records, target, ctx, prune)
        except _Blocked as exc:
            raise error(str(out), "sqlite-error", f"SQLite failed: {exc}: a row of your "
                        f"{_blocking_text(exc.tables)} stands in the way of this change "
                        f"({exc.fix})") from None
        except sqlite3.Error as exc:
            raise _sqlite_error(out, exc, writing=True) from None
        except MuscleError as exc:  # named as the user named it, not where links lead
            raise type(exc)([d._replace(path=str(out)) if d.path == str(target) else d
                             for d in exc.diagnostics]) from None
        return counts.summary(out)

    def update(self, muscles: Sequence[Muscle], out: Path, ctx: WriteContext, *,
               total: int) -> str | None:
        """Upsert only ``muscles``, when the database holds exactly the ``total``
        muscles of the last run (none to remove or keep)."""
        try:
            return _update_changed([(m.slug, self.record(m, ctx.options)) for m in muscles],
                                   Path(out), ctx, total)
        except sqlite3.Error:
            return None


def _open_to_read(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path``, in a read transaction.

    SQLite reads a database in WAL mode through its ``-shm`` file, which it cannot
    create in a read-only folder or file system: such a database, when no ``-wal`` file
    is beside it (every change is in the database), is opened as immutable, which needs
    no ``-shm``. With a ``-wal`` file (changes not yet in the database, which immutable
    would not read) it is a :class:`MuscleError` that says so."""
    uri = path.resolve().as_uri()
    conn = _begin_reading(uri + "?mode=ro")
    try:
        _first_read(conn)
        return conn
    except sqlite3.Error as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            raise _hot_journal(path) from None
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_CANTOPEN" or not _in_wal_mode(path):
            raise
    log = path.with_name(path.name + "-wal")
    if os.path.lexists(log):
        raise error(str(path), "sqlite-error",
                    f"cannot be read here: its write-ahead log, {log.name}, may hold changes "
                    f"not yet in the database, which SQLite reads only through a "
                    f"{path.name}-shm file it cannot create in this folder (a read-only "
                    "folder or file system); open the database once with sqlite3 where "
                    "it can be written, which moves them in, or copy both files to such "
                    "a folder")
    return _begin_reading(uri + "?mode=ro&immutable=1")


def _hot_journal(path: Path) -> MuscleError:
    """The ``sqlite-error`` of a database at ``path`` that a rollback journal beside it
    says a write stopped half-way in (a crash, SIGKILL, power loss): SQLite reads it only
    once that journal is rolled back, which writes to it, and this reader only reads."""
    journal = Path(f"{path}{_JOURNAL}")
    if not os.path.lexists(journal):  # (SQLite keeps it beside the file a link names)
        journal = Path(f"{path.resolve()}{_JOURNAL}")
    shown = shlex.quote(str(path))
    return error(str(path), "sqlite-error",
                 f"cannot be read yet: a write to it was stopped half-way (a crash, a "
                 f"killed run, a power loss) and left its rollback journal, {journal}, "
                 "which SQLite plays back into the database before it reads it, and this "
                 "reader never writes; open it once where it can be written, which plays "
                 f"the journal back: `sqlite3 {shown} 'PRAGMA integrity_check'`, or "
                 f"convert into it again (`{spelling().writing('sqlite', str(path))}`). "
                 "Do not delete the "
                 "journal: the database may be damaged without it")


def _begin_reading(uri: str) -> sqlite3.Connection:
    """A connection to ``uri`` in a (deferred) read transaction, which takes its lock at
    its first read (see :func:`_first_read`); SQLite itself never waits on it."""
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=0, factory=Connection)
    conn.execute("BEGIN")
    return conn


def _first_read(conn: sqlite3.Connection) -> None:
    """The first read of ``conn``'s transaction, which opens the ``-shm`` file of a
    database in WAL mode and takes the read lock the transaction then holds: while
    another program writes the database (its commit), waited for :data:`READ_SECONDS`
    in Python's own sleeps (see :func:`~converter.sqlitewait.retried`), so Ctrl-C,
    SIGTERM or SIGHUP meanwhile ends the run at once; "database is locked" after."""
    retried(conn, "PRAGMA schema_version", READ_SECONDS).fetchone()


#: How long a read waits for a database another program is writing (Python's default
#: ``sqlite3`` timeout) before it fails with "database is locked".
READ_SECONDS = 5.0


#: The bytes of a database file's header that say WAL mode (its read and write versions).
_WAL_VERSIONS = b"\x02\x02"


def _in_wal_mode(path: Path) -> bool:
    """Whether the database file at ``path`` is in WAL mode, as its header says."""
    try:
        with open(path, "rb") as file:
            return file.read(20)[18:20] == _WAL_VERSIONS
    except OSError:
        return False


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
    while a reader is there stays in memory instead."""
    conn = _connect(out)
    try:
        retried(conn, "BEGIN IMMEDIATE", BUSY_SECONDS if wait else 0)
        _remove_cold_journal(out)
        with terminable():
            try:
                yield conn
            finally:
                _roll_back(conn)
    finally:
        conn.close()


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


def _roll_back(conn: sqlite3.Connection) -> None:
    """Roll back ``conn``'s open transaction, if any; a second signal waits for it."""
    if conn.in_transaction:
        with signals_held():
            conn.execute("ROLLBACK")


#: How long a write waits for a database another program holds (a reader's open
#: transaction, another run) before it fails with "database is locked".
BUSY_SECONDS = 30.0


def _connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the database at ``path`` with foreign keys on, on which SQLite
    never waits for a lock (a busy database is an error at once:
    :func:`~converter.sqlitewait.retried` waits)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0, factory=Connection)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -32768")
    return conn


def _create_tables(conn: sqlite3.Connection) -> None:
    for statement in _TABLES:
        conn.execute(statement)


def _finish_schema(conn: sqlite3.Connection) -> None:
    """Search index (filled from the tables), its triggers, views and version stamp."""
    for statement in (*_SEARCH, *_TRIGGERS, *_VIEWS, *_STAMP):
        conn.execute(statement)


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


def _renew_views(conn: sqlite3.Connection, out: str) -> None:
    """Make the views this version writes of any view of a database an earlier one
    wrote otherwise (DuckDB could not read one, nor take the types of its columns); a
    table or index of a view's name (made by hand) is a ``sqlite-error`` (a trigger's
    names are its own: the view is made beside it)."""
    for statement in _VIEWS:
        name = statement.split()[2]
        (found,) = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'view' "
                                "AND name = ? AND sql = ?", (name, statement)).fetchone()
        if found:
            continue
        other = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN "
                             "('table', 'index') AND name = ? COLLATE NOCASE", (name,)
                             ).fetchone()
        if other:
            article = "an" if other[0] == "index" else "a"
            raise error(out, "sqlite-error", f"holds {article} {other[0]} named "
                        f"{_named(other[1])}, where muscle-convert keeps a view of that "
                        f"name (made again by each write); give that {other[0]} another "
                        "name, or drop it, and run again, or write a fresh database; "
                        "nothing is changed")
        conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.execute(statement)


def _remove_stale_logs(out: Path) -> None:
    """Remove the logs of a database that was at ``out`` (deleted, or empty): SQLite
    would apply them to the new database once it is there, and corrupt it."""
    for suffix in ("-wal", "-shm", _JOURNAL):
        with contextlib.suppress(FileNotFoundError):
            out.with_name(out.name + suffix).unlink()


def _update(records: Iterable[_Record], out: Path, ctx: WriteContext, prune: bool) -> Counts:
    """Upsert into an existing database inside one ``BEGIN IMMEDIATE`` transaction; one
    of its tables made again without its key is a ``sqlite-error`` naming it."""
    with _immediate(out) as conn:
        if check_schema(conn, str(out)):
            _create_tables(conn)
            _finish_schema(conn)
        _renew_views(conn, str(out))
        try:
            counts = _load(conn, records, ctx, str(out), prune=prune)
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith(_NO_KEY) or (
                    keyless := _keyless(conn, str(out), str(exc))) is None:
                raise
            raise keyless from None
        try:
            _commit(conn, out)
        except sqlite3.IntegrityError as exc:
            raise _deferred(conn, exc) from None
    return counts


#: How SQLite says a table has no key an upsert, or a foreign key, names.
_NO_KEY = ("ON CONFLICT clause does not match", "foreign key mismatch")
#: The key of each table of the tool's that an upsert or a foreign key names.
_TABLE_KEYS = {"muscles": ("slug",),
               **{child.table: ("muscle", *child.key) for child in _CHILD_TABLES}}
#: The columns of each unique index (not a partial one) of a table, and with collations.
_UNIQUE_KEYS = ("SELECT group_concat(i.name, ','), group_concat(i.name || ' COLLATE ' || "
                "i.coll, ', ') FROM pragma_index_list(?) AS l, pragma_index_xinfo(l.name) "
                "AS i WHERE l.\"unique\" AND NOT l.partial AND i.key GROUP BY l.name")
#: How SQLite names the table of a foreign key it cannot use, and the table it refers to
#: (each in ``"``, a ``"`` in it doubled).
_MISMATCH = re.compile(r'foreign key mismatch - "((?:[^"]|"")*)" referencing "((?:[^"]|"")*)"')
#: SQLite's folding of a name's case: ASCII letters alone (``Muscles`` names muscles).
_FOLDED = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
#: The columns a table's foreign keys to another refer to.
_REFERRED = "SELECT \"to\" FROM pragma_foreign_key_list(?) WHERE \"table\" = ? COLLATE NOCASE"


def _keyless(conn: sqlite3.Connection, out: str, said: str) -> MuscleError | None:
    """The ``sqlite-error`` of the first table of the tool's made again without its key
    (a PRIMARY KEY or UNIQUE constraint), which its upserts and foreign keys name, or,
    SQLite ``said`` a foreign key cannot use it, with its key in another collation than
    its columns' (an upsert uses it), or a user's table whose foreign key refers to what
    is no key of it (see :func:`_not_a_key`); None when each has it."""
    named = _MISMATCH.match(said)
    child, parent = (named[1].replace('""', '"'), named[2].replace('""', '"').translate(
        _FOLDED)) if named else ("", "")
    for table, key in _TABLE_KEYS.items():
        listed = ", ".join(key)
        keys = [collated for columns, collated in conn.execute(_UNIQUE_KEYS, (table,))
                if set(columns.split(",")) == set(key)]
        if not keys:
            return error(out, "sqlite-error", f"its table {table} has no PRIMARY KEY or "
                         f"UNIQUE constraint on ({listed}) (it was made again without it), "
                         "by which muscle-convert finds the rows it updates there; make that "
                         f"table again with UNIQUE ({listed}), or write a fresh database "
                         "(into a new file); nothing is changed")
        if named and parent == table and {to for (to,) in conn.execute(
                _REFERRED, (child, table))} == set(key):
            return error(out, "sqlite-error", f"its table {table} has its key ({keys[0]}) in "
                         "another collation than its columns' (it was made again so), which "
                         f"the foreign key of {child} that refers to it cannot use; "
                         f"make that table again with UNIQUE ({listed}), no COLLATE there, "
                         "or write a fresh database (into a new file); nothing is changed")
    return _not_a_key(conn, out, child, parent) if named else None


def _not_a_key(conn: sqlite3.Connection, out: str, child: str, parent: str
               ) -> MuscleError | None:
    """The ``sqlite-error`` of a user's table ``child`` whose foreign key refers to
    columns of the tool's table ``parent`` (its name in lowercase) that are no key of it
    (muscles (title)), which SQLite cannot use (every change to ``parent`` fails); None
    when it is not so."""
    key = _TABLE_KEYS.get(parent)
    if key is None or child.translate(_FOLDED) in _OURS:
        return None
    referred = [to for (to,) in conn.execute(_REFERRED, (child, parent)) if to is not None]
    if not referred or set(referred) == set(key):
        return None
    listed = ", ".join(key)
    mine = (" (a muscle's slug: lowercase ASCII letters, digits and hyphens, one spelling of "
            "its name, which a write never changes; a title is text as written, which two "
            "muscles may share, compared byte for byte)") if parent == "muscles" else ""
    return error(out, "sqlite-error", f"holds your table {_named(child)}, whose foreign key "
                 f"refers to {parent} ({', '.join(referred)}), which is no key of {parent}: "
                 f"SQLite refuses every change to {parent} while it is there (foreign key "
                 f"mismatch); refer to {parent} ({listed}), its key{mine}, or drop that "
                 "foreign key, and run again; nothing is changed")


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
    if not new:
        search.renew()
    seen = _Seen(conn)
    numbered = {} if new else _numbered_slugs(conn)
    renumber = set().union(*numbered.values())
    batch = _Batch(fresh=new)
    records = iter(records)
    while window := list(itertools.islice(records, BATCH)):
        slugs = list({slug: None for slug, _ in window})
        existing = _known(conn, slugs) if held else {}
        firsts, origins = seen.add_window(window, slugs), ctx.sources_of(slugs)
        for (slug, record), first in zip(window, firsts, strict=True):
            if not first:
                ctx.report(Diagnostic(out, None, None, "slug", "duplicate-slug",
                                      f"slug {slug!r} is given twice; the first is kept"))
                continue
            values = json.loads(record)
            old = existing.get(slug)
            known = origins.get(slug)
            source = sources.stored(known.path) if known else old[2] if old else None
            if old is not None:
                sources.moved(old[2], source)
            if old is None:
                if next_id > MAX_ID:
                    raise _no_id_left(conn, out, last_id or 0, given)
                counts.added += 1
                number, next_id = next_id, next_id + 1
            elif old[0] == values[0] and slug not in renumber:
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


#: The highest muscle id ever given (one row): a removed muscle's id is never given to
#: another, so an app that stored it finds that muscle or none. Made with the first id
#: a database gives (older ones gain it then).
_ID_SEQUENCE = "CREATE TABLE IF NOT EXISTS id_sequence (last_id INTEGER NOT NULL)"


#: The highest muscle id: the search index keys a muscle's rows by ``id * 4 + 3``, which
#: SQLite's 64-bit integers hold up to this id.
MAX_ID = (2**63 - 1 - 3) // 4


def _no_id_left(conn: sqlite3.Connection, out: str, last_id: int, given: int) -> MuscleError:
    """The error of a database whose highest id (``last_id`` of muscles, or ``given`` of
    id_sequence), edited in by hand, leaves none to give a new muscle."""
    if given >= last_id:
        field, value = "id_sequence.last_id", given
        fix = ("set it back to the highest id the database gave (no less than SELECT "
               "max(id) FROM muscles)")
    else:
        (slug,) = conn.execute("SELECT slug FROM muscles WHERE id = ?", (last_id,)).fetchone()
        field, value = f"muscles[{_shown(slug)}].id", last_id
        fix = f"give muscle {_named(slug)} a lower id"
    return error(out, "bad-value", f"{value} leaves no id for a new muscle (the highest is "
                 f"{MAX_ID}: the search index keys a muscle's rows by id * 4 + 3, a 64-bit "
                 f"integer); {fix}, or write a fresh database", field)


#: The lowest id the search index holds: ``id * 4`` is a 64-bit integer from it on.
MIN_ID = -(2**63) // 4
#: The tables whose ids key the search index's rows (``id * 4 + k``), each with its k.
_KEYED = {"muscles": 3, "texts": 0, "functions": 1}
#: Of those, the ones whose new rows take the next id SQLite gives.
_NUMBERED = ("texts", "functions")
#: A row of one of them: its id and its muscle's slug.
_Top = tuple[int, Any]


#: The key of a row of each table of :data:`_KEYED`, its muscle's slug first.
_KEYS = {"muscles": ("slug",), "texts": ("muscle", "field", "language"),
         "functions": ("muscle", "position", "part", "language")}
#: The first row of each of them whose id is no integer: its id and key.
_NOT_INTEGER_ID = {table: f"SELECT id, {', '.join(key)} FROM {table} WHERE typeof(id) != "
                          f"'integer' ORDER BY {', '.join(key)} LIMIT 1"
                   for table, key in _KEYS.items()}


def _ids_held(conn: sqlite3.Connection, out: str) -> dict[str, _Top]:
    """The row of the highest id of each table of :data:`_NUMBERED`, by name; raise a
    ``bad-value`` error for a row of muscles, texts or functions whose id is no integer
    (its search key wrong, or the same as another's) or past what the search index keys
    (set by hand, its triggers dropped: the index cannot hold it)."""
    made = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                             "AND name IN ('texts', 'functions')"))
    for table, statement in _NOT_INTEGER_ID.items():
        if made.get(table) in _TABLES:
            continue  # (as this version makes it: its id is the row id, an integer)
        # (first through the index of muscles' ids alone: finding the first row by its
        # key reads every muscle's row, which a write that changes none need not)
        if conn.execute(f"SELECT 1 FROM {table} WHERE typeof(id) != 'integer' LIMIT 1"
                        ).fetchone() and (found := conn.execute(statement).fetchone()):
            number, slug, *key = found
            field = f"muscles[{_shown(slug)}].id" if table == "muscles" else \
                f"{_row(table, slug, **dict(zip(_KEYS[table][1:], key, strict=True)))}.id"
            shown = f"{number!r} is text," if isinstance(number, str) else \
                f"{_stored(number)} is"
            raise _id_error(out, table, found[:2], "not an integer", "an integer id that "
                            "no other row has", field=field, shown=shown)
    for table in _KEYED:
        owner = "slug" if table == "muscles" else "muscle"
        found = conn.execute(f"SELECT id, {owner} FROM {table} WHERE typeof(id) = 'integer' "
                             "AND (id > ? OR id < ?) LIMIT 1", (MAX_ID, MIN_ID)).fetchone()
        if found:
            raise _id_error(out, table, found, f"is past the ids the search index holds "
                            f"({MIN_ID} to {MAX_ID})", "an id between those")
    return {table: top for table in _NUMBERED if (top := conn.execute(
        f"SELECT id, muscle FROM {table} ORDER BY id DESC LIMIT 1").fetchone())}


def _id_error(out: str, table: str, row: _Top, problem: str, fix: str, *,
              field: str = "", shown: str = "") -> MuscleError:
    """The ``bad-value`` error of the id of ``row`` of ``table``: its ``problem`` and
    ``fix``; ``field`` and ``shown`` name the row and its id otherwise than by it."""
    number, slug = row
    field = field or (f"muscles[{_shown(slug)}].id" if table == "muscles" else
                      f"{table}[rowid {number}].id")
    owner = f"muscle {_named(slug)}" if table == "muscles" else \
        f"this row (of muscle {_named(slug)})"
    k = _KEYED[table]
    return error(out, "bad-value", f"{shown or number} {problem}: the search index keys a "
                 f"row of {table} by id * 4{f' + {k}' if k else ''}, a 64-bit integer; "
                 f"give {owner} {fix}, or write a fresh database", field)


def _flush(batch: _Batch, conn: sqlite3.Connection, out: str, tops: dict[str, _Top]
           ) -> None:
    """:meth:`_Batch.flush`; a new row of texts or functions whose id SQLite gives is
    past what the search index keys (a row's id set up to the highest by hand, ``tops``
    of :func:`_ids_held`) is a ``bad-value`` error naming that row, whether the index's
    trigger refused it or the index, dropped, is to be made again after."""
    try:
        batch.flush(conn)
    except sqlite3.Error as exc:  # (SQLite's integer overflows to a REAL: no row key)
        full = None if getattr(exc, "sqlite_errorname", "") != "SQLITE_MISMATCH" else \
            _full(conn, out, tops, MAX_ID)
        if full is None:
            raise
        raise full from None
    full = _full(conn, out, tops, MAX_ID + 1)
    if full is not None:
        raise full


def _full(conn: sqlite3.Connection, out: str, tops: dict[str, _Top], limit: int
          ) -> MuscleError | None:
    """The error of a table of ``tops`` whose highest id is ``limit`` or more."""
    for table, top in tops.items():
        (highest,) = conn.execute(f"SELECT max(id) FROM {table}").fetchone()
        if highest is not None and highest >= limit:
            return _id_error(out, table, top, f"leaves no id for a new row of {table} (the "
                             f"highest is {MAX_ID})", "a lower id")
    return None


def _last_given(conn: sqlite3.Connection) -> int:
    """The highest muscle id the database gave (0 when it does not say)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'id_sequence'").fetchone():
        return 0
    (last,) = conn.execute("SELECT max(last_id) FROM id_sequence").fetchone()
    return last if isinstance(last, int) else 0


def _remove_gone(conn: sqlite3.Connection, ctx: WriteContext, counts: Counts,
                 search: _Search, sources: _SourcePaths, *, prune: bool) -> None:
    """Muscles in the database but not in the input (none of :class:`_Seen`'s): removed
    with ``prune`` unless their source file still exists and gave no muscle in this run
    (it was not among the inputs) or had an error (a muscle of it may be the broken one);
    otherwise kept. A file that gave a draft the run left out, or no muscle (a file of
    many that holds none now), was read. A source not
    found (the database moved since it was written, or the Python API wrote the muscle)
    is kept while a file that may be it had an error (see :func:`_unsure`). A run
    without source information (the Python API) removes them all."""
    gone = conn.execute(f"SELECT slug, source FROM muscles {_NOT_LOADED}").fetchall()
    read = {sources.stored(path) for path in itertools.chain(
        (source.path for source in ctx.sources.values()), ctx.drafts, ctx.empty)
    } if gone else set()
    failed = {sources.stored(path) for d in ctx.diagnostics if d.severity == "error"
              for path in (d.path, os.path.dirname(d.path)) if path} if gone else set()
    # (and the folder of each: a CSV package, a source that is a folder, says its
    # errors at the table that gave the value)
    found = {slug: sources.found(path) for slug, path in gone} if read else {}
    spared = {slug for slug, path in found.items()
              if path is not None and (path not in read or path in failed)}
    # (found elsewhere through a move, another file of its name may be the one found:
    # while one of that name failed, which is the muscle's is not known either)
    unsure = {slug for slug, path in gone
              if slug in found and (found[slug] is None or found[slug] != path)
              and _unsure(path, failed)} - spared
    doomed = [(slug,) for slug, _ in gone if slug not in spared and slug not in unsure]
    ctx.outside_inputs = ctx.outside_inputs or bool(spared or unsure)  # (files the
    # cache never sees)
    if not prune:  # (what --prune would remove, for the summary's hint)
        counts.kept, counts.removable = len(gone), len(doomed)
        return
    search.expect(counts.updated + len(doomed))
    for statement in (*_DELETE_ROWS, _DELETE_MUSCLE):
        _change(conn, statement, doomed)
    counts.removed, counts.spared = len(doomed), len(spared) + len(unsure)
    counts.spared_failing = sum(found[slug] in failed for slug in spared)
    counts.spared_unsure = len(unsure)


def _unsure(stored: str | bytes | None, failed: set[str | bytes]) -> bool:
    """Whether a muscle whose source is not found may be that of a file that failed
    this run: any such file when no source is recorded, else one of the same name."""
    if stored is None:
        return bool(failed)
    return any(isinstance(path, type(stored)) and os.path.basename(path)
               == os.path.basename(stored) for path in failed)


class _SourcePaths:
    """The ``source`` of a muscle as the database holds it: the file's path relative to
    the database's folder, so that it names the same file from any working directory
    (absolute where no relative path leads there; a name that is not UTF-8, which
    SQLite's text cannot hold, as a blob of its bytes)."""

    def __init__(self, database: str) -> None:
        self._base = os.path.dirname(os.path.realpath(database))
        self._folders: dict[str, str] = {}  # a corpus has many files, few folders
        #: A folder as sources stored before name it -> as the run names it (the
        #: database moved since), learned from the muscles read.
        self._moves: dict[str | bytes, str | bytes] = {}

    def stored(self, path: str) -> str | bytes:
        """``path`` (as the run names it) as the database stores it."""
        folder, name = os.path.split(path)
        relative = self._folders.get(folder)
        if relative is None:
            absolute = os.path.realpath(folder)  # (as the base: "link/.." is not ".")
            try:
                relative = os.path.relpath(absolute, self._base)
            except ValueError:  # another drive
                relative = absolute
            self._folders[folder] = relative
        stored = name if relative == os.curdir else os.path.join(relative, name)
        try:
            stored.encode("utf-8")
        except UnicodeEncodeError:
            return os.fsencode(stored)
        return stored

    def moved(self, before: str | bytes | None, now: str | bytes | None) -> None:
        """Note that a muscle's ``source``, stored ``before``, is ``now`` this run: a file
        of the same name in another folder, as a database moved since names it."""
        if (before is None or now is None or not isinstance(before, type(now))
                or before == now or os.path.basename(before) != os.path.basename(now)):
            return
        self._moves.setdefault(os.path.dirname(before), os.path.dirname(now))

    def found(self, stored: str | bytes | None) -> str | bytes | None:
        """``stored`` as the run names it, if that file exists: as stored, or in the folder
        the run names for the one stored (see :meth:`moved`); None when not found."""
        if stored is None:
            return None
        folder = self._moves.get(os.path.dirname(stored))
        for path in (stored, None if folder is None else
                     os.path.join(folder, os.path.basename(stored))):
            if path is not None and os.path.exists(self.on_disk(path)):
                return path
        return None

    def on_disk(self, stored: str | bytes) -> str | bytes:
        """The path of a stored ``source`` from the working directory."""
        if isinstance(stored, bytes):
            return os.path.join(os.fsencode(self._base), stored)
        return os.path.join(self._base, stored)


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

    def renew(self) -> None:
        """Drop the index and its triggers, to be rebuilt, unless each is as this version
        makes it: one dropped by hand (or made otherwise) left the index without the
        rows written since, or every write failing ("no such table: main.search")."""
        found = dict(self.conn.execute(_SEARCH_FOUND, list(_SEARCH_MADE)))
        if found == _SEARCH_MADE or self.detached:
            return
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


#: The tables this version makes without row ids.
_WITHOUT_ROWID = ("exercises", "regions", "points")


#: The row a row of each table belongs to, found by its muscle (``{}``): a muscle, or
#: for points a region.
_PARENT = {**{table: "SELECT 1 FROM muscles AS m WHERE m.slug = {}"
              for table in ("texts", "functions", "exercises", "regions")},
           "points": "SELECT 1 FROM regions AS r WHERE r.muscle = {} AND r.position = t.region"}
#: Whether a row of each table that names no row the database holds names one by a number
#: whose text is a slug (the number 5, muscle '5' being text: a table made again without
#: types): SQLite's foreign keys take it for that row, a query does not (5 = '5' is false).
_BY_NUMBER = {table: f"typeof(t.muscle) IN ('integer', 'real') AND EXISTS "
                     f"({parent.format('CAST(t.muscle AS TEXT)')})"
              for table, parent in _PARENT.items()}
#: The rows, by muscle, of the tables without row ids that name a row the database does
#: not hold (a muscle, or for points a region): those made so, and texts and functions
#: made again so by hand; how many, and how many of them name it by a number (its text).
#: (Queried, not ``PRAGMA foreign_key_check``: a table made again without its foreign key
#: holds such rows too.)
_ORPHANS_BY_MUSCLE = {  # (NOT EXISTS: NOT IN is NULL once a slug is, made so by hand)
    table: f"SELECT t.muscle, count(*), count(*) FILTER (WHERE {_BY_NUMBER[table]}), "
           f"CAST(t.muscle AS TEXT) FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
           f"EXISTS ({parent.format('t.muscle')}) GROUP BY t.muscle ORDER BY t.muscle"
    for table, parent in _PARENT.items()}
#: Those rows of texts or functions (with row ids), each by its row id, with the text of
#: the number it names its muscle by (see :data:`_BY_NUMBER`), else NULL.
_ORPHAN_ROWS = {table: f"SELECT rowid, CASE WHEN {_BY_NUMBER[table]} THEN CAST(t.muscle AS "
                       f"TEXT) END FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
                       f"EXISTS ({_PARENT[table].format('t.muscle')}) ORDER BY rowid"
                for table in ("texts", "functions")}
#: Of each table of a muscle's rows, parents first, a prune's deletion of the rows that
#: name a muscle (or for points a region) the database does not hold: the rows of a
#: muscle deleted with foreign keys off (the sqlite3 shell's default, another program),
#: which no later write would remove, every read then an error. Not those that name it
#: by a number (see :data:`_BY_NUMBER`), which SQLite's foreign keys take for its own,
#: nor the points of a region so named.
_DELETE_ORPHANS = tuple(f"DELETE FROM {table} AS t WHERE t.muscle IS NOT NULL AND NOT "
                        f"EXISTS ({parent.format('t.muscle')}) AND NOT ({_BY_NUMBER[table]})"
                        + (" AND NOT EXISTS (SELECT 1 FROM regions AS r WHERE typeof(r.muscle) "
                           "IN ('integer', 'real') AND CAST(r.muscle AS TEXT) = t.muscle AND "
                           "r.position = t.region)" if table == "points" else "")
                        for table, parent in _PARENT.items())


def _delete_orphans(conn: sqlite3.Connection) -> int:
    """Run :data:`_DELETE_ORPHANS`: how many rows they deleted, with the points that
    cascade from a region deleted (which SQLite's count of changes leaves out)."""
    count_points = "SELECT count(*) FROM points"
    (points,) = conn.execute(count_points).fetchone()
    deleted = 0
    for table, statement in zip(_PARENT, _DELETE_ORPHANS, strict=True):
        rows = _change(conn, statement, [()])
        deleted += rows if table != "points" else 0  # (counted below)
    return deleted + points - conn.execute(count_points).fetchone()[0]


def _by_number(number: str, rows: str, table: str) -> str:
    """The message of ``rows`` (``"the row is"``, ``"its 2 rows are"``) of ``table``
    naming their muscle by the number whose text is ``number``, not by its slug."""
    parent = "a region of muscle" if table == "points" else "muscle"
    return (f"is the number {number}, not text: SQLite's foreign keys take it for "
            f"{parent} '{number}', a query does not (muscle = '{number}' finds no row), "
            f"nor does this reader: {rows} left out; store the slug as text (in a column "
            "of type TEXT)")


def _orphans(conn: sqlite3.Connection, path: str) -> Iterator[Diagnostic]:
    """A diagnostic for the rows of its own tables that name a row the database does not
    hold (written with foreign keys off, or in a table made again without its foreign
    key, by hand), or name it by a number (``wrong-type``: see :data:`_BY_NUMBER`), or
    whose muscle is NULL (made again without NOT NULL): each row of texts or functions
    (by its row id), each muscle's rows of a table without (made so by this version, or
    again by hand)."""
    for table in _CHILDREN:  # (its own tables: not those a user added)
        if table in _WITHOUT_ROWID or not _has_rowid(conn, table):
            (nulls,) = conn.execute(f"SELECT count(*) FROM {table} WHERE muscle IS NULL"
                                    ).fetchone()
            if nulls:
                yield Diagnostic(path, None, None, f"{table}[muscle NULL].muscle",
                                 "missing-field", f"is NULL: {counted(nulls, 'rows')} of no "
                                 "muscle; left out")
            yield from _orphans_by_muscle(conn, path, table)
            continue
        for (rowid,) in conn.execute(f"SELECT rowid FROM {table} WHERE muscle IS NULL "
                                     "ORDER BY rowid"):
            yield Diagnostic(path, None, None, f"{table}[rowid {rowid}].muscle",
                             "missing-field", "is NULL: the row names no muscle; it is "
                             "left out")
        for rowid, number in conn.execute(_ORPHAN_ROWS[table]):
            yield Diagnostic(path, None, None, f"{table}[rowid {rowid}].muscle",
                             "wrong-type", _by_number(number, "the row is", table)
                             ) if number is not None else Diagnostic(
                path, None, None, f"{table}[rowid {rowid}]", "unknown-slug",
                "names a row of muscles the database does not hold; it is left out")


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` has row ids (not one made again ``WITHOUT ROWID`` by hand)."""
    try:
        conn.execute(f"SELECT rowid FROM {table} LIMIT 0")
    except sqlite3.OperationalError:
        return False
    return True


def _orphans_by_muscle(conn: sqlite3.Connection, path: str, table: str
                       ) -> Iterator[Diagnostic]:
    """A diagnostic for each muscle named by rows of ``table`` (one without row ids)
    that name a row the database does not hold; a name that is not UTF-8 (which SQLite's
    own decoding refuses, failing the query) is read with its bytes kept, and said."""
    parent = "a region" if table == "points" else "a muscle"
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        orphans = conn.execute(_ORPHANS_BY_MUSCLE[table]).fetchall()
    finally:
        conn.text_factory = before
    for muscle, rows, by_number, number in orphans:
        if by_number:
            yield Diagnostic(path, None, None, f"{table}[muscle {_named(muscle)}].muscle",
                             "wrong-type", _by_number(number, _one(by_number, "the row is",
                             f"its {by_number} rows are"), table))
            rows -= by_number
        if not rows:
            continue
        message = f"{counted(rows, 'rows')} of {parent} the database does not hold; left out"
        if isinstance(muscle, str) and KEPT_BYTE.search(muscle):
            message += f": the name in column muscle {kept_byte_message(muscle)}"
        yield Diagnostic(path, None, None, f"{table}[muscle {_named(muscle)}]",
                         "unknown-slug", message)


def _named(value: Any) -> str:
    """``value`` as a diagnostic names it (``'soleus'``), a byte that is not UTF-8 shown
    as U+FFFD; ``NULL`` for None, as SQL writes it."""
    if value is None:
        return "NULL"
    return repr(_shown(value)) if isinstance(value, str) else repr(value)


def check_schema(conn: sqlite3.Connection, path: str) -> bool:
    """True for an empty database; raise :class:`MuscleError` unless it is ours and of
    :data:`SCHEMA_VERSION`."""
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application == 0 and version == 0 and objects == 0:
        return True
    if application != APPLICATION_ID:
        raise error(path, "not-muscle-database",
                    f"is a SQLite database that muscle-convert did not write"
                    f"{_holding(_user_tables(conn))}; choose another file")
    if version > SCHEMA_VERSION:
        raise error(path, "schema-too-new",
                    f"has schema version {version}, newer than version {SCHEMA_VERSION} of "
                    "this muscle-convert; upgrade muscle-convert to use it")
    if version < SCHEMA_VERSION:
        raise error(path, "schema-too-old",
                    f"has schema version {version}, which this muscle-convert (version "
                    f"{SCHEMA_VERSION}) cannot migrate; write to a new database file")
    return False


#: The tables of a database, by name (not SQLite's own, ``sqlite_sequence`` and the like).
_USER_TABLES = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
#: How many tables a message names before it counts the rest.
_TABLES_NAMED = 5


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    """The names of the tables of ``conn``'s database, sorted (a name that is not UTF-8
    read with its bytes kept, see :func:`_kept_text`)."""
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        return [name for (name,) in conn.execute(_USER_TABLES)]
    finally:
        conn.text_factory = before


def _holding(tables: list[str]) -> str:
    """`` (it holds tables 'a', 'b' and 3 more)``: the first :data:`_TABLES_NAMED` of
    ``tables`` and how many more; '' for none."""
    if not tables:
        return ""
    named = ", ".join(_named(table) for table in tables[:_TABLES_NAMED])
    more = len(tables) - _TABLES_NAMED
    listed = f"{named} and {more} more" if more > 0 else named
    return f" (it holds {_one(len(tables), 'table', 'tables')} {listed})"


#: SQLite's errors of a place that cannot be written (as ``cannot-write`` is for files).
_CANNOT_WRITE = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                 "SQLITE_IOERR")


class _Blocked(sqlite3.IntegrityError):
    """A deletion (or an update) a foreign key stopped, and the tables of the user's whose
    rows stand in its way, by name, each with the tables its rows there refer to."""

    def __init__(self, exc: sqlite3.Error, tables: dict[str, set[str]], updating: bool
                 ) -> None:
        super().__init__(str(exc))
        self.tables, self.updating = tables, updating

    @property
    def fix(self) -> str:
        """What the user may do about it."""
        if self.updating:
            return ("let the reference follow the change, ON UPDATE CASCADE, or refer to "
                    "the row by its key, as muscles (slug), which a write never changes")
        return "let the reference cascade, ON DELETE CASCADE, or remove the row"


def _change(conn: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]], *,
            updating: bool = False) -> int:
    """``executemany`` of a deletion (``updating``: an update or upsert): how many rows
    it changed (not those that cascade); a foreign key that stops it is
    :class:`_Blocked`, naming the tables whose rows stand in its way (see
    :func:`_blockers`). (SQLite says SQLITE_CONSTRAINT_TRIGGER, not _FOREIGNKEY, of one
    with ON DELETE RESTRICT.)"""
    try:
        return conn.executemany(statement, rows).rowcount
    except sqlite3.IntegrityError as exc:
        if not conn.in_transaction:
            raise
        tables = _blockers(conn, statement, rows)
        if not tables:
            raise
        raise _Blocked(exc, tables, updating) from None


#: The tables of a database that refer to a table, by name.
_REFERENCES = """SELECT DISTINCT t.name FROM sqlite_master AS t
    JOIN pragma_foreign_key_list(t.name) AS f WHERE t.type = 'table' ORDER BY t.name"""


def _blockers(conn: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]]
              ) -> dict[str, set[str]]:
    """The tables of the user's (not the tool's) with a row that the change that failed
    (``statement`` of ``rows``: a deletion, an update or an upsert; see :func:`_change`)
    would leave referring to a row gone or changed away, each with the tables those
    rows refer to: found by making the change again in a savepoint, rolled back, its
    foreign keys checked when it ends (``defer_foreign_keys``, ON DELETE or ON UPDATE
    RESTRICT too), not counting a row that referred to nothing before; none when it
    fails again (a trigger of the user's). A name that is not UTF-8 is read with its bytes kept (see
    :func:`_kept_text`)."""
    before_factory, conn.text_factory = conn.text_factory, _kept_text
    try:
        tables = [table for (table,) in conn.execute(_REFERENCES) if table not in _OURS]
        conn.execute("SAVEPOINT blockers")
        try:
            dangling = _dangling(conn, tables)
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany(statement, rows)
            return _parents(_dangling(conn, tables) - dangling)
        except sqlite3.IntegrityError:
            return {}
        finally:
            conn.execute("PRAGMA defer_foreign_keys = OFF")
            conn.execute("ROLLBACK TO blockers")
            conn.execute("RELEASE blockers")
    finally:
        conn.text_factory = before_factory


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


#: The tool's tables, by name.
_OURS = frozenset({"muscles", *_CHILDREN})
#: A row of ``PRAGMA foreign_key_check``: its table, row id, the table it refers to and
#: which of the table's foreign keys it is.
_Dangling = tuple[str, Any, str, Any]


def _dangling(conn: sqlite3.Connection, tables: list[str]) -> Counter[_Dangling]:
    """The rows of ``tables`` that refer to a row the database does not hold (a row of a
    table without row ids, which ``PRAGMA foreign_key_check`` does not tell apart, once
    for each such row)."""
    found: Counter[_Dangling] = Counter()
    for table in tables:  # (its name as bytes: one not UTF-8 goes as it is)
        found.update(conn.execute('SELECT "table", rowid, parent, fkid FROM '
                                  "pragma_foreign_key_check(?)",
                                  (table.encode("utf-8", "surrogateescape"),)))
    return found


def _parents(rows: Iterable[_Dangling]) -> dict[str, set[str]]:
    """The tables of ``rows`` (of :func:`_dangling`), by name, with the tables they refer
    to."""
    found: dict[str, set[str]] = {}
    for table, _, parent, _ in sorted(rows, key=lambda row: row[0]):
        found.setdefault(table, set()).add(parent)
    return found


def _blocking_text(tables: dict[str, set[str]]) -> str:
    """``table 'bookmarks' (which refers to muscles)``, for each of the first
    :data:`_TABLES_NAMED` of ``tables`` (see :func:`_blockers`), and how many more; a
    name that is not UTF-8 is shown with U+FFFD for that byte."""
    named = [f"table {_named(table)} (which refers to "
             f"{', '.join(sorted(_shown(parent) for parent in parents))})"
             for table, parents in itertools.islice(tables.items(), _TABLES_NAMED)]
    more = len(tables) - len(named)
    if more:
        named.append(f"of {more} more of your tables")
    return " or ".join(named)


def _sqlite_error(path: Path | str, exc: sqlite3.Error, *, writing: bool = False
                  ) -> MuscleError:
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_NOTADB":
        return error(str(path), "not-sqlite", "is not a SQLite database")
    if writing and name.startswith(_CANNOT_WRITE):  # (SQLITE_IOERR_WRITE and its kin)
        return error(str(path), "cannot-write", f"cannot write here: {exc}")
    return error(str(path), "sqlite-error", f"SQLite failed: {exc}")


class _Groups:
    """Rows of a cursor sorted by their first column (a slug), taken slug by slug."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, slug: Any) -> list[tuple[Any, ...]]:
        """The rows of ``slug`` without their first column (rows before it are skipped)."""
        taken = []
        while self._next is not None and _order(self._next[0]) <= _order(slug):
            if self._next[0] == slug:
                taken.append(self._next[1:])
            self._next = next(self._rows, None)
        return taken


def _order(value: Any) -> tuple[int, Any]:
    """SQLite's sort order across storage classes: NULL, numbers, text, blobs."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, bytes(value))


def _read_text_kept(conn: sqlite3.Connection, path: str, ctx: ReadContext
                    ) -> Iterator[Muscle]:
    """The muscles of the database; a text that is not UTF-8 (which SQLite's own decoding
    refuses, failing the query) loses only its muscle, a ``not-utf8`` error naming it
    and the field. Read as SQLite decodes until such a text is met (it costs nothing),
    then again from the muscle where it was, its bytes kept (:func:`_kept_text`)."""
    done = [0]  # (the muscles read or reported)
    try:
        yield from _read_muscles(conn, path, ctx, done)
    except sqlite3.OperationalError as exc:
        if not str(exc).startswith(_UNDECODABLE):
            raise
        conn.text_factory = _kept_text
        yield from _read_muscles(conn, path, ctx, done, kept=True)


#: How sqlite3 says a text of the database is not UTF-8.
_UNDECODABLE = "Could not decode to UTF-8"


def _kept_text(raw: bytes) -> str:
    """A text of the database, a byte that is not UTF-8 kept (as ``KEPT_BYTE``)."""
    return str(raw, "utf-8", "surrogateescape")


def _shown(text: Any) -> str:
    """``text`` as a diagnostic may show it: a byte kept as not UTF-8 is U+FFFD; None
    (a slug made NULL by hand) is ``NULL``, as SQL writes it."""
    if isinstance(text, str) and KEPT_BYTE.search(text):
        return kept_bytes_shown(text)
    return "NULL" if text is None else str(text)


def _read_muscles(conn: sqlite3.Connection, path: str, ctx: ReadContext, done: list[int],
                  *, kept: bool = False) -> Iterator[Muscle]:
    """The muscles of the database after the first ``done[0]``, counting there each one
    read or reported; with ``kept``, a text holding a byte kept as not UTF-8 is a
    ``not-utf8`` error, its muscle left out. A muscle whose rows are of no shape its
    record holds (:class:`_Misshapen`) is left out, its other problems said with those."""
    doubled = set(conn.execute(_SELECT_DOUBLED))
    groups = tuple(_Groups(conn.execute(query)) for query in (
        _SELECT_TEXTS, _SELECT_FUNCTIONS, _SELECT_EXERCISES, _SELECT_POINTS))
    for row in itertools.islice(conn.execute(_SELECT_MUSCLES), done[0], None):
        record, shape = _record(row, groups, doubled)
        done[0] += 1
        where = f"muscles[{_shown(row[0])}]"
        for named, code, message in shape.said(where):
            ctx.report(Diagnostic(path, None, None, named, code, message))
        undecoded = [Diagnostic(path, None, None, named, "not-utf8", kept_byte_message(text))
                     for named, text in canonical.kept_byte_texts(record, where)] if kept else []
        for diagnostic in undecoded:
            ctx.report(diagnostic)
        try:
            muscle = canonical.from_canonical(_decoded(record) if undecoded else record,
                                              path=path, field=where,
                                              writer_lang=ctx.default_lang)
        except MuscleError as exc:
            failure = MuscleError(not_at(exc.diagnostics, (d.field for d in undecoded)),
                                   exc.partial)
        else:
            if not shape.problems and not undecoded:
                yield muscle
                continue
            failure = MuscleError([], muscle)  # (its rows' problems: said above)
        for diagnostic in [*failure.diagnostics, *ctx.lints(
                failure, where, [*shape.diagnostics(path, where), *undecoded])]:
            if not shape.hides(diagnostic.field, where):
                ctx.report(diagnostic)


def _decoded(value: Any) -> Any:
    """``value`` (a record being read) with each byte kept as not UTF-8 in its texts
    (map keys too) U+FFFD: what its other fields are checked beside, each such text
    being an error of its own (made on such a record only)."""
    if isinstance(value, str):
        return _shown(value)
    if isinstance(value, dict):
        return {_shown(key): _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


def _below(where: str, field_path: str) -> str:
    """The field ``field_path`` (``""``: the muscle itself) of the muscle ``where``."""
    return f"{where}.{field_path}" if field_path else where


#: A problem of a muscle's rows: its field path below the muscle, code and message.
_Problem = tuple[str, str, str]


class _Misshapen:
    """The problems of a muscle's rows that are of no shape its record holds (a database
    edited by hand, past its CHECK constraints): an ``extra`` that is no JSON, a row of no
    kind its table holds, a coordinate that is none. Its record is read without them
    (an ``extra`` of ``{}``, without the row, the coordinate 0), so that its other
    problems are said in the same run; those of a function with such a row (``hidden``:
    its place, from 0) are not: what it was meant to hold is not known. Nothing is made
    for a muscle of none."""

    __slots__ = ("_found", "hidden")

    def __init__(self) -> None:
        #: Each problem once, in order, with the table row it names ("": its field).
        self._found: dict[_Problem, str] | None = None
        self.hidden: set[int] | None = None

    @property
    def problems(self) -> Iterable[_Problem]:
        return () if self._found is None else self._found

    def add(self, problem: _Problem, row: str = "") -> None:
        """Add ``problem`` (said once however many rows give it); ``row``: the row of a
        table it names (``exercises[muscle 'soleus', position 'a'].position``) in place of
        its field below the muscle, whose lints it still hides (see :meth:`diagnostics`)."""
        if self._found is None:
            self._found = {}
        self._found.setdefault(problem, row)

    def said(self, where: str) -> list[tuple[str, str, str]]:
        """The field, code and message of each problem as the muscle ``where`` says it."""
        return [(row or _below(where, problem[0]), *problem[1:])
                for problem, row in (self._found or {}).items()]

    def diagnostics(self, path: str, where: str) -> list[Diagnostic]:
        """The problems as diagnostics of the muscle ``where``, each at its field below
        it: what the lints of its record do not speak of (a polygon with a coordinate
        read as 0 is not its own, nor one whose points' order is not known)."""
        return [Diagnostic(path, None, None, _below(where, field_path), code, message)
                for field_path, code, message in self.problems]

    def hide(self, function: int) -> None:
        """Say nothing more of the function at ``function`` (its place, from 0)."""
        if self.hidden is None:
            self.hidden = set()
        self.hidden.add(function)

    def hides(self, field: str, where: str) -> bool:
        """Whether the record's problem at ``field`` (of the muscle ``where``) is of a
        function with a row of no kind its table holds."""
        if self.hidden is None:
            return False
        found = _FUNCTION.match(field, len(where))
        return found is not None and int(found[1]) in self.hidden


#: A function's field path below its muscle's name (``.functions[0]``...).
_FUNCTION = re.compile(r"\.functions\[([0-9]+)\]")


def _record(row: tuple[Any, ...], groups: tuple[_Groups, ...], doubled: set[tuple[Any, Any]]
            ) -> tuple[dict[str, Any], _Misshapen]:
    """The canonical record of the muscle ``row`` with its rows of the other tables
    (``groups``), and the problems of those that are of no shape it holds (``doubled``:
    the (muscle, position) of each region given twice)."""
    slug, title, latin, image, image_focus, body, extra = row
    texts, functions, exercises, points = groups
    shape = _Misshapen()
    text_rows, function_rows = texts.take(slug), functions.take(slug)
    exercise_rows, point_rows = exercises.take(slug), points.take(slug)
    return {
        "slug": slug, "title": title, "latin": latin, **_localized(slug, text_rows, shape),
        "functions": _functions(slug, function_rows, shape),
        "exercises": _exercises(slug, exercise_rows, shape),
        "image": image, "image_focus": image_focus,
        "regions": _regions(slug, point_rows, shape, doubled), "body": body,
        "extra": _extra(extra, shape),
    }, shape


def _extra(extra: Any, shape: _Misshapen) -> Any:
    """The ``extra`` column's JSON read (``{}`` when it is none: a problem of ``shape``)."""
    if not isinstance(extra, str):
        return extra
    try:
        return canonical.load_extra(extra)
    except BadJson as exc:
        shape.add(("extra", "bad-json", f"is not valid JSON: {exc}"))
        return {}


def _bad_kind(table: str, column: str, value: Any, kinds: dict[str, Any]) -> _Problem:
    """The problem of a row whose ``column`` is none of the ``kinds`` its table holds."""
    return ("", "bad-value", f"a row of {table} has {column} {value!r}, which is not "
            f"{' or '.join(kinds)}; the muscle is left out")


def _localized(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen
               ) -> dict[str, dict[Any, Any]]:
    texts: dict[str, dict[Any, Any]] = {"origin": {}, "insertion": {}}
    for name, language, text in rows:
        if name not in texts or not isinstance(name, str):
            shape.add(_bad_kind("texts", "field", name, texts))
        elif language in texts[name]:
            _twice(_row("texts", slug, field=name, language=language), name, shape)
        else:
            texts[name][language] = text
    return texts


def _twice(row: str, field_path: str, shape: _Misshapen) -> None:
    """The problem of the key of ``row`` given by two rows (of a table made again without
    its key), of the item at ``field_path`` below the muscle: which is meant is not
    known."""
    shape.add((field_path, "duplicate-key", "occurs twice (in a table made again without "
               "its key): which row is meant is not known; the muscle is left out"), row)


def _exercises(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen) -> list[Any]:
    """The names of the rows of exercises (position, name) of the muscle ``slug``, in
    order; the first position that is no whole number is a problem of ``shape``."""
    for at, (position, _) in enumerate(rows):
        if not _at_position(position, f"exercises[{at}]", shape,
                            _row("exercises", slug, position=position)):
            break  # (the first: a table made again with text positions has only such)
        if at and rows[at - 1][0] == position:
            _twice(_row("exercises", slug, position=position), "exercises", shape)
    return [name for _, name in rows]


def _functions(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen
               ) -> list[dict[str, dict[Any, Any]]]:
    by_position: dict[Any, dict[str, dict[Any, Any]]] = {}
    ordered = True  # (until a position that is no whole number: said once)
    for position, part, language, text in rows:
        if ordered and position not in by_position:
            ordered = _at_position(position, f"functions[{len(by_position)}]", shape,
                                   _row("functions", slug, position=position))
        parts = by_position.setdefault(position, {"short": {}, "extended": {}})
        if part not in parts or not isinstance(part, str):
            shape.add(_bad_kind("functions", "part", part, parts))
            shape.hide(len(by_position) - 1)
        elif language in parts[part]:
            _twice(_row("functions", slug, position=position, part=part, language=language),
                   f"functions[{len(by_position) - 1}]", shape)
        else:
            parts[part][language] = text
    return list(by_position.values())


def _regions(slug: Any, rows: list[tuple[Any, ...]], shape: _Misshapen,
             doubled: set[tuple[Any, Any]]) -> list[list[list[Any]]]:
    """The polygons of the rows of points (region, position, x, y, and whether it is a
    point: a region without points has one row that is not; each region's together,
    in order) of the muscle ``slug``; a problem of ``shape`` names every coordinate that is
    no number (0 in its place), counting regions and points from 0 (``position`` gives
    their order, not a count), and the first position that is no whole number (of each
    region's points) by its row; a region of ``doubled`` (given twice, each point then
    twice) is a ``duplicate-key`` problem naming it, its points read once."""
    polygons: dict[Any, list[list[Any]]] = {}
    ordered, unordered = True, set()  # (the regions of a point said so: once each)
    last = None  # (the position of the point before)
    for region, position, x, y, point in rows:
        if ordered and region not in polygons:
            ordered = _at_position(region, f"regions[{len(polygons)}]", shape,
                                   _row("regions", slug, position=region))
        if (slug, region) in doubled:
            if region in polygons and (not point or position == last):
                continue  # (the same row again, joined to the region's other row)
            if region not in polygons:
                _twice(_row("regions", slug, position=region),
                       f"regions[{len(polygons)}]", shape)
        points = polygons.setdefault(region, [])
        place = len(polygons) - 1
        if point:  # (x and y NULL: a point in a table made again without NOT NULL)
            at = f"regions[{place}].points[{len(points)}]"
            if place not in unordered and not _at_position(
                    position, at, shape, _row("points", slug, region=region,
                                              position=position)):
                unordered.add(place)  # (its polygon's lints and errors: not said)
            elif points and position == last:
                _twice(_row("points", slug, region=region, position=position),
                       f"regions[{place}]", shape)
            last = position
            points.append([_coordinate(x, f"{at}.x", shape),
                           _coordinate(y, f"{at}.y", shape)])
    return list(polygons.values())


def _at_position(position: Any, field_path: str, shape: _Misshapen, row: str) -> bool:
    """Whether ``position``, of the item at ``field_path`` (in SQLite's order) and of
    the table row ``row`` (see :func:`_row`), is a whole number of 0 or more; if not (a
    value edited past the column's type, or a table made again with another), a
    ``not-integer`` problem of ``shape`` naming that row: the order of its rows is not
    known; a negative one is ``bad-value``, as a data package's is."""
    if type(position) is int:
        if position < 0:
            shape.add((f"{field_path}.position", "bad-value", f"{position} is negative: "
                       "position counts from 0; the muscle is left out"), f"{row}.position")
        return position >= 0
    shown = f"{position!r} is text," if isinstance(position, str) else (
        f"{_stored(position)} is")
    shape.add((f"{field_path}.position", "not-integer", f"{shown} not a whole number "
               "(position gives the order of the rows); the muscle is left out"),
              f"{row}.position")
    return False


def _row(table: str, slug: Any, **key: Any) -> str:
    """A row of ``table`` as a diagnostic names it, by its key, so that the user can
    look it up: ``points[muscle 'soleus', region 0, position 'a']`` (a BLOB as SQL
    writes it, ``x'00'``)."""
    shown = ", ".join(f"{column} {_literal(value)}" for column, value in
                      (("muscle", slug), *key.items()))
    return f"{table}[{shown}]"


def _literal(value: Any) -> str:
    """``value`` of a row's key as :func:`_row` shows it."""
    if isinstance(value, bytes):
        return f"x'{value.hex()}'"
    return _named(value)


def _coordinate(value: Any, field_path: str, shape: _Misshapen) -> Any:
    """``"12"`` -> 12, ``"12.50"`` -> Decimal("12.50"); a value that is no coordinate
    (text such as `` 12`` or ``1e2``, a BLOB, NULL, a negative number) is added to
    ``shape``'s problems under ``field_path`` (0 in its place), as is a text holding a byte
    that is not UTF-8 (``not-utf8``)."""
    if isinstance(value, str) and KEPT_BYTE.search(value):
        shape.add((field_path, "not-utf8", kept_byte_message(value)))
        return 0
    try:
        if not isinstance(value, str):
            raise CoordsProblem("coords-not-number", f"{_stored(value)} is not a plain "
                                "number")
        check_number(value)
    except CoordsProblem as exc:
        shape.add((field_path, exc.code, str(exc)))
        return 0
    return parse_number(value)


def _stored(value: Any) -> str:
    """A value of a column that holds text, when it is not text, as SQLite has it."""
    if isinstance(value, bytes):
        return f"a BLOB of {counted(len(value), 'bytes')}"
    return "NULL" if value is None else f"the number {value!r}"
