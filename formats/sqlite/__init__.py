"""SQLite database: normalized tables, full-text search and readable views (lossless).

Writing into an existing database upserts in one transaction: a per-muscle content hash
(sha256 of the canonical JSON) tells unchanged muscles, which are not touched once their
rows are found to be what their records make (one edited by hand is written again); changed
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

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from converter import canonical
from converter.atomic import is_special, names_stdout, output_name, real_target
from converter.diagnostics import MuscleError, error
from converter.model import Muscle
from converter.registry import Format, FormatOption, Place, ReadContext, WriteContext

from .blockers import _Blocked, _blocking_text
from .counts import Counts
from .ids import MAX_ID, MIN_ID
from .journals import _JOURNAL, _NAME_MAX, _no_logs_left
from .loading import BATCH
from .missing import _check_tables_held
from .orphans import _orphans
from .places import Stored, remember
from .places import places as item_places
from .reading import READ_SECONDS, _open_to_read, _read_text_kept
from .refusals import _sqlite_error, check_schema
from .refused import _Refused
from .rows import content_hash, row
from .schema import APPLICATION_ID, SCHEMA_VERSION
from .writing import BUSY_SECONDS, NEW_CACHE, _update, _update_changed, _write_new

__all__ = ["APPLICATION_ID", "BATCH", "BUSY_SECONDS", "MAX_ID", "MIN_ID", "NEW_CACHE",
           "READ_SECONDS", "SCHEMA_VERSION", "Counts", "SqliteFormat", "check_schema",
           "content_hash", "row"]


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

    def places(self, path: Path) -> Callable[[str], Place | None]:
        """A field of an item of a muscle (``muscles[soleus].exercises[1]``) named by the
        ``position`` its row is stored at (``exercises[2]``, after a row deleted with
        SQL): see :mod:`.places`."""
        return item_places(path)

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        moved = remember(Path(path))  # (filed under the database's state before the read)
        with _no_logs_left(Path(path)):
            yield from self._read(path, ctx, moved)

    def _read(self, path: Path, ctx: ReadContext, moved: dict[str, Stored]
              ) -> Iterator[Muscle]:
        try:
            conn = _open_to_read(Path(path))
        except sqlite3.Error as exc:
            raise _sqlite_error(path, exc) from None
        try:
            if check_schema(conn, str(path)):
                raise error(str(path), "empty-database",
                            "is an empty SQLite database, not one written by muscle-convert")
            _check_tables_held(conn, str(path), reading=True)
            for diagnostic in _orphans(conn, str(path)):
                ctx.report(diagnostic)
            yield from _read_text_kept(conn, str(path), ctx, moved)
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
        _check_a_file(out)
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
                counts = _update(records, target, ctx, prune, str(out))
        except _Blocked as exc:
            raise error(str(out), "sqlite-error", f"SQLite failed: {exc}: a row of your "
                        f"{_blocking_text(exc.tables)} stands in the way of this change "
                        f"({exc.fix})") from None
        except _Refused as exc:
            raise MuscleError(exc.diagnostic(ctx, str(out))) from None
        except sqlite3.Error as exc:
            raise _sqlite_error(out, exc, writing=True) from None
        except MuscleError as exc:  # named as the user named it, not where links lead
            raise type(exc)([d._replace(path=str(out)) if d.path == str(target) else d
                             for d in exc.diagnostics]) from None
        return counts.summary(out)

    def update(self, muscles: Sequence[Muscle], out: Path, ctx: WriteContext, *,
               total: int) -> str | None:
        """Upsert only ``muscles``, when the database holds exactly the ``total``
        muscles of the last run (none to remove or keep). Standard output (``-``, not
        a file named so), a device or a FIFO is refused, as :meth:`write` refuses it."""
        _check_a_file(out)
        try:
            return _update_changed([(m.slug, self.record(m, ctx.options)) for m in muscles],
                                   Path(out), ctx, total)
        except sqlite3.Error:
            return None


def _check_a_file(out: Path) -> None:
    """``output-not-file`` for standard output (``-``, ``/dev/stdout``: named so) and for
    a device or FIFO, looked at before symlinks are followed (``/dev/stdout`` names a
    pipe): a database is a file, opened and renamed over."""
    if is_special(out):
        raise error(output_name(out), "output-not-file", "is not a file; give a "
                    "database file name" if names_stdout(out) else "is standard "
                    "output, a device or a FIFO, not a file; give a database file name",
                    stream=names_stdout(out))
