"""What the format refuses: a database not its own or of another version, a table
made again without its key, and SQLite's errors as diagnostics."""

from __future__ import annotations

import os
import re
import sqlite3
import string
from pathlib import Path

from converter.atomic import real_target
from converter.diagnostics import Diagnostic, MuscleError, Named, error, worded

from .blockers import _OURS
from .journals import _JOURNAL, _in_wal_mode, _log_not_opened
from .names import _TABLES_NAMED, _kept_text, _named, _one, _shown
from .schema import _TABLES, APPLICATION_ID, SCHEMA_VERSION
from .search import _SEARCH
from .statements import _CHILD_TABLES


def check_schema(conn: sqlite3.Connection, path: str, named: str | None = None) -> bool:
    """True for an empty database; raise :class:`MuscleError` unless it is ours and of
    :data:`SCHEMA_VERSION`. ``named``: the database's name as the user gave it, which
    the command that marks it names (``path`` where None)."""
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application == 0 and version == 0 and objects == 0:
        return True
    if application == 0 and _unmarked(conn):
        raise error(path, "unmarked-database", _UNMARKED.format(
            command=_marking(path if named is None else named)))
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


#: What an ``unmarked-database`` says.
_UNMARKED = ("holds the tables muscle-convert makes, as it makes them, but not its marks "
             "(PRAGMA application_id and user_version), as one of its databases restored "
             "from a dump does (sqlite3's .dump keeps the rows, not the marks); if it is "
             "one, mark it and run again: {command}")


def _marking(path: str) -> str:
    """The sqlite3 shell's command line that marks the database ``path`` as ours, of
    :data:`SCHEMA_VERSION`: a name that starts with ``-``, which sqlite3 takes for an
    option, as ``./-r.db``; quoted for the shell."""
    import shlex

    if path.startswith("-"):
        path = "./" + path
    return (f"sqlite3 {shlex.quote(path)} 'PRAGMA application_id = {APPLICATION_ID}; "
            f"PRAGMA user_version = {SCHEMA_VERSION}'")


def _made_tables() -> dict[str, bytes]:
    """Each table this version makes (the search index's own too), by name, and the SQL
    that ``sqlite_master`` holds of it."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in (*_TABLES, _SEARCH[0]):
            conn.execute(statement)
        return {name: sql.encode("utf-8") for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def _unmarked(conn: sqlite3.Connection) -> bool:
    """Whether ``conn``'s database holds every table this version makes, each with the
    SQL it makes it with (a database restored from ``sqlite3``'s ``.dump`` of one of
    ours, which keeps them but not the marks, ``PRAGMA application_id`` and
    ``user_version``)."""
    made = _made_tables()
    held = dict(conn.execute(
        "SELECT name, CAST(sql AS BLOB) FROM sqlite_master WHERE type = 'table' AND name "
        f"IN ({', '.join('?' * len(made))})", tuple(made)))
    return held == made


#: The tables of a database, by name (not SQLite's own, ``sqlite_sequence`` and the like).
_USER_TABLES = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")


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


def _sqlite_error(path: Path | str, exc: sqlite3.Error, *, writing: bool = False
                  ) -> MuscleError:
    """The diagnostic of SQLite's error ``exc`` at the database ``path`` (``writing``:
    as the output of a write)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_NOTADB":
        return error(str(path), "not-sqlite", "is not a SQLite database")
    if writing and (name == "SQLITE_READONLY_DIRECTORY" or (name == "SQLITE_CANTOPEN"
                    and _wal_in_read_only_folder(Path(path)))):
        return _folder_read_only(Path(path), exc)
    if writing and name.startswith(_CANNOT_WRITE):  # (SQLITE_IOERR_WRITE and its kin)
        return _log_not_opened(Path(path), writing=True) or error(
            str(path), "cannot-write", f"cannot write here: {exc}")
    return error(str(path), "sqlite-error", f"SQLite failed: {exc}")


def _wal_in_read_only_folder(path: Path) -> bool:
    """Whether the database at ``path`` is in WAL mode in a folder (of the file a link
    names) that cannot be written: where its ``-wal`` is but not its ``-shm``, which
    SQLite cannot make there, it says only that it cannot open the database."""
    return _in_wal_mode(path) and not os.access(real_target(path).parent, os.W_OK)


def _folder_read_only(path: Path, exc: sqlite3.Error) -> MuscleError:
    """The ``cannot-write`` of the database ``path`` whose folder (of the file a link
    names) cannot be written, where SQLite makes its journal (or its write-ahead log
    and index) to write it: SQLite says only that the database is read-only."""
    real = real_target(path)
    folder = real.parent if path.is_symlink() else path.parent
    logs = f"{real.name}-wal and {real.name}-shm" if _in_wal_mode(path) else \
        f"{real.name}{_JOURNAL}"
    message, named = worded(
        f"cannot write here: SQLite failed: {exc}: the folder ", Named(str(folder)),
        " cannot be written (a read-only folder or file system), and SQLite writes the "
        f"database through files it makes there ({logs}); make that folder writable, or "
        "convert into a copy of the database in one that is; nothing is changed")
    return MuscleError(Diagnostic(str(path), None, None, "", "cannot-write", message,
                                  "error", named))


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


#: How SQLite says a statement, or a foreign key it checks, names a table the database
#: does not hold.
_NO_TABLE = re.compile(r"no such table: (?:main\.)?(.+)\Z", re.DOTALL)
#: What the foreign key of each table of the tool's that has one refers to.
_PARENTS = {child.table: "regions (muscle, position)" if child.table == "points"
            else "muscles (slug)" for child in _CHILD_TABLES}
#: The tables a table's foreign keys refer to, by name.
_REFERRED_TABLES = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)"
#: Whether the database holds a table of a name (in any case).
_HELD = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE"


def _referring_to_gone(conn: sqlite3.Connection, out: str, said: str
                       ) -> MuscleError | None:
    """The ``sqlite-error`` of the tables of the tool's whose foreign key refers to the
    table SQLite ``said`` the database does not hold: a table renamed to make it again
    (``ALTER TABLE regions RENAME TO regions_old``), which renames it in the foreign keys
    that refer to it too, then dropped; None when not one does."""
    named = _NO_TABLE.match(said)
    if named is None:
        return None
    gone = named[1].translate(_FOLDED)
    found = {table: (parent, referred) for table, parent in _PARENTS.items()
             for (referred,) in conn.execute(_REFERRED_TABLES, (table,))
             if referred.translate(_FOLDED) == gone
             and not conn.execute(_HELD, (referred,)).fetchone()}
    if not found:
        return None
    parent, referred = next(iter(found.values()))
    made = parent.partition(" ")[0]
    tables = ", ".join(found)
    each = "its table" if len(found) == 1 else "its tables"
    has = "has a foreign key" if len(found) == 1 else "have foreign keys"
    that = "that table" if len(found) == 1 else "each of them"
    return error(out, "sqlite-error", f"{each} {tables} {has} that refer"
                 f"{'s' if len(found) == 1 else ''} to {_named(referred)}, a table the "
                 f"database does not hold (renaming a table, as ALTER TABLE {made} RENAME TO "
                 f"{_shown(referred)} does to make {made} again, renames it in the foreign "
                 "keys that refer to it too, and that table was dropped since), which stops "
                 f"every write into the database; make {that} again with its foreign key "
                 f"referring to {parent}, or write a fresh database (into a new file); "
                 "nothing is changed")
