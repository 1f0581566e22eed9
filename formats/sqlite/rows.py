"""A muscle as the rows of its tables, and the batches they go to SQLite in."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from converter import canonical
from converter.model import Muscle, number_text

from .blockers import _change
from .statements import _CHILD_TABLES, _INSERT_MUSCLE, _MOVE_MUSCLE, _UPDATE_MUSCLE

#: A muscle's slug and :meth:`SqliteFormat.record`.
_Record = tuple[str, str]


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
        _change(conn, _INSERT_MUSCLE, self.muscles)
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
