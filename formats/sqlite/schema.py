"""The tables and views of a muscle-convert database, its version stamp, and the
statements that make them."""

from __future__ import annotations

import sqlite3

from converter.diagnostics import error

from .names import _named
from .search import _SEARCH, _TRIGGERS

SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of every database this format writes ("MUSL").
APPLICATION_ID = 0x4D55534C
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


def _create_tables(conn: sqlite3.Connection) -> None:
    for statement in _TABLES:
        conn.execute(statement)


def _finish_schema(conn: sqlite3.Connection) -> None:
    """Search index (filled from the tables), its triggers, views and version stamp."""
    for statement in (*_SEARCH, *_TRIGGERS, *_VIEWS, *_STAMP):
        conn.execute(statement)


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
