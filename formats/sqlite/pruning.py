"""The muscles in the database but not in the input: kept or removed, by where their
source files are (stored relative to the database's folder)."""

from __future__ import annotations

import itertools
import os
import sqlite3

from converter.registry import WriteContext

from .blockers import _change
from .counts import Counts
from .names import _shown
from .search import _Search
from .statements import _DELETE_MUSCLE, _DELETE_ROWS, _NOT_LOADED


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
    found = {slug: None if sources.is_database(path) else sources.found(path)
             for slug, path in gone} if read else {}  # (the database's own name, as
    # a run into itself stored it before, is not a source file kept apart)
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
    counts.unread_files = sorted({sources.shown(found[slug]) for slug in spared
                                  if found[slug] not in failed})


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
        real = os.path.realpath(database)
        self._base = os.path.dirname(real)
        self._folders: dict[str, str] = {}  # a corpus has many files, few folders
        #: A folder as sources stored before name it -> as the run names it (the
        #: database moved since), learned from the muscles read.
        self._moves: dict[str | bytes, str | bytes] = {}
        self._itself = self.stored(real)
        try:  # (none yet: a new database, made in a file beside it, is no file read)
            self._file: os.stat_result | None = os.stat(real)
        except OSError:
            self._file = None
        #: Whether each stored ``source`` of another name is the database's file.
        self._other_names: dict[str | bytes, bool] = {}

    def itself(self, path: str, *, many: bool = True) -> bool:
        """Whether ``path`` (as the run names it) is the database's own: its name, or,
        for a file of ``many`` muscles (as a database is), another name of its file (a
        symbolic link to it or that it is, a hard link), however the run spells it."""
        stored = self.stored(path)
        return stored == self._itself or (many and self.is_database(stored))

    def is_database(self, stored: str | bytes | None) -> bool:
        """Whether a stored ``source`` names the database itself (by any name of its
        file, as :func:`os.path.samefile` compares them)."""
        if stored == self._itself:
            return True
        if stored is None or self._file is None:
            return False
        found = self._other_names.get(stored)
        if found is None:
            try:
                found = os.path.samestat(os.stat(self.on_disk(stored)), self._file)
            except (OSError, ValueError):  # (not there; a name with a NUL byte)
                found = False
            self._other_names[stored] = found
        return found

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

    def shown(self, stored: str | bytes | None) -> str:
        """A stored ``source`` as a summary names it: from the working directory, or
        absolute when it is not under it."""
        if stored is None:
            return ""
        path = os.fsdecode(self.on_disk(stored))
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive
            relative = os.pardir
        outside = relative == os.pardir or relative.startswith(os.pardir + os.sep)
        return _shown(path if outside else relative)
