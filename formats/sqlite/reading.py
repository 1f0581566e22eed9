"""Reading a database: opened read-only (waiting for a writer), its muscles read
slug by slug, a text that is not UTF-8 losing only its muscle."""

from __future__ import annotations

import itertools
import os
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from converter import canonical
from converter.atomic import real_target
from converter.diagnostics import Diagnostic, MuscleError, error, kept_byte_message, not_at
from converter.model import Muscle
from converter.registry import ReadContext, spelling
from converter.sqlitewait import Connection, retried

from .journals import _JOURNAL, _in_wal_mode, _log_not_opened, _no_logs_left
from .names import _kept_text, _shown
from .places import Stored
from .records import _Groups, _record

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


def _open_to_read(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path``, in a read transaction.

    SQLite reads a database in WAL mode through its ``-shm`` file, which it cannot
    create in a read-only folder (``SQLITE_READONLY_DIRECTORY``) or file system
    (``SQLITE_CANTOPEN``). On a file system mounted read-only, such a database, when no
    ``-wal`` file is beside it (every change is in the database), is opened as
    immutable, which needs no ``-shm``: nothing can change it while it is read, as
    immutable (read without locks) needs. With a ``-wal`` file (changes not yet in the
    database, which immutable would not read) it is a :class:`MuscleError` that says
    so; in a folder this user cannot write on a file system that can be written, where
    immutable could read another program's change half-made, it is one too
    (:func:`_no_shm_here`)."""
    uri = path.resolve().as_uri()
    conn = _begin_reading(uri + "?mode=ro")
    try:
        _first_read(conn)
        return conn
    except sqlite3.Error as exc:
        conn.close()
        failed = exc
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            raise _hot_journal(path) from None
        if getattr(exc, "sqlite_errorname", "") not in _NO_SHM or not _in_wal_mode(path):
            raise
    real = real_target(path)  # (SQLite keeps the -wal beside the file a link names)
    log = real.with_name(real.name + "-wal")
    beside = real.parent == Path(os.path.abspath(path)).parent
    unopened = _log_not_opened(path)
    if unopened is not None:
        raise unopened
    if os.path.lexists(log):
        raise error(str(path), "sqlite-error",
                    f"cannot be read here: its write-ahead log, {log.name if beside else log}"
                    ", may hold changes not yet in the database, which SQLite reads only "
                    f"through a {real.name}-shm file it cannot create in "
                    f"{'this folder' if beside else 'that folder'} (a read-only "
                    "folder or file system); open the database once with sqlite3 where "
                    "it can be written, which moves them in, or copy both files to such "
                    "a folder")
    if not _read_only_mount(real):
        if os.access(real.parent, os.W_OK):
            raise failed  # (not the folder: SQLite's own error says what)
        raise _no_shm_here(path, real, beside)
    return _begin_reading(uri + "?mode=ro&immutable=1")


def _read_only_mount(path: Path) -> bool:
    """Whether ``path`` is on a file system mounted read-only, where no program can
    write it while it is read."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _no_shm_here(path: Path, real: Path, beside: bool) -> MuscleError:
    """The ``sqlite-error`` of the database in WAL mode at ``path`` (``real``, the file a
    link names; ``beside``, in the link's folder) in a folder this user cannot write, on
    a file system that can be written: SQLite reads it only through a ``-wal`` and a
    ``-shm`` file it cannot make there, and reading it without them (immutable, no
    locks) could read a change its owner's program makes meanwhile half-made, silently."""
    shown = shlex.quote(str(path))
    return error(str(path), "sqlite-error",
                 "cannot be read here: SQLite reads a database in WAL mode only through "
                 f"files it makes beside it ({real.name}-wal and {real.name}-shm), which it "
                 "cannot create in "
                 f"{'this folder' if beside else f'the folder {real.parent}'} (this user "
                 "may not write there), and read without them it could read a change "
                 "another program makes meanwhile half-made; read a copy its owner makes: "
                 f"`sqlite3 {shown} '.backup copy.db'`, or ask its owner to let this user "
                 "write that folder")


#: SQLite's errors of a database in WAL mode whose ``-shm`` file it cannot create (in a
#: folder it cannot write on a file system it can, and on a read-only file system) or
#: whose ``-wal`` or ``-shm`` it cannot open.
_NO_SHM = ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN")


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


def _read_text_kept(conn: sqlite3.Connection, path: str, ctx: ReadContext,
                    moved: dict[str, Stored]) -> Iterator[Muscle]:
    """The muscles of the database; a text that is not UTF-8 (which SQLite's own decoding
    refuses, failing the query) loses only its muscle, a ``not-utf8`` error naming it
    and the field. Read as SQLite decodes until such a text is met (it costs nothing),
    then again from the muscle where it was, its bytes kept (:func:`_kept_text`).
    ``moved`` gets the stored positions of each muscle's items that are not their
    places (:mod:`.places`)."""
    done = [0]  # (the muscles read or reported)
    try:
        yield from _read_muscles(conn, path, ctx, done, moved)
    except sqlite3.OperationalError as exc:
        if not str(exc).startswith(_UNDECODABLE):
            raise
        conn.text_factory = _kept_text
        yield from _read_muscles(conn, path, ctx, done, moved, kept=True)


def _positions_read(path: Path) -> dict[str, Stored]:
    """The stored positions of the items of each muscle of the database at ``path``
    that are not their places (:mod:`.places`), its rows read as :func:`_read_muscles`
    reads them (texts that are not UTF-8 kept)."""
    moved: dict[str, Stored] = {}
    with _no_logs_left(path):
        conn = _open_to_read(path)
        try:
            conn.text_factory = _kept_text
            doubled = set(conn.execute(_SELECT_DOUBLED))
            groups = tuple(_Groups(conn.execute(query)) for query in (
                _SELECT_TEXTS, _SELECT_FUNCTIONS, _SELECT_EXERCISES, _SELECT_POINTS))
            for row in conn.execute(_SELECT_MUSCLES):
                positions = _record(row, groups, doubled)[2]
                if positions is not None and isinstance(row[0], str):
                    moved[row[0]] = positions
        finally:
            conn.close()
    return moved


#: How sqlite3 says a text of the database is not UTF-8.
_UNDECODABLE = "Could not decode to UTF-8"


def _read_muscles(conn: sqlite3.Connection, path: str, ctx: ReadContext, done: list[int],
                  moved: dict[str, Stored], *, kept: bool = False) -> Iterator[Muscle]:
    """The muscles of the database after the first ``done[0]``, counting there each one
    read or reported; with ``kept``, a text holding a byte kept as not UTF-8 is a
    ``not-utf8`` error, its muscle left out. A muscle whose rows are of no shape its
    record holds (:class:`_Misshapen`) is left out, its other problems said with those."""
    doubled = set(conn.execute(_SELECT_DOUBLED))
    groups = tuple(_Groups(conn.execute(query)) for query in (
        _SELECT_TEXTS, _SELECT_FUNCTIONS, _SELECT_EXERCISES, _SELECT_POINTS))
    for row in itertools.islice(conn.execute(_SELECT_MUSCLES), done[0], None):
        record, shape, positions = _record(row, groups, doubled)
        done[0] += 1
        if positions is not None and isinstance(row[0], str):
            moved[row[0]] = positions
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
