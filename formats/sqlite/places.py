"""How a diagnostic names an item of a database's muscle: by the ``position`` its row
is stored at (``muscles[soleus].exercises[2]``, as ``WHERE position = 2`` finds it),
not by its place in the muscle's list, which the model and the lints count from 0: a
row deleted with SQL leaves a gap that the rest are not renumbered over. The reader
keeps, per database, the positions of the muscles where the two differ (none in a
database no one edited); :func:`places` renames the fields of those (read again when
the database changed since, or was read by another process)."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from converter.atomic import real_target
from converter.canonical import named_record
from converter.diagnostics import MuscleError
from converter.registry import Place


class Stored(NamedTuple):
    """The stored ``position`` of each exercise and function of a muscle, in the model's
    order, and of each region: its own, then each of its points'."""

    exercises: tuple[Any, ...]
    functions: tuple[Any, ...]
    regions: tuple[tuple[Any, ...], ...]


def stored(exercises: Sequence[Any], functions: Sequence[Any],
           regions: Sequence[Sequence[Any]]) -> Stored | None:
    """The positions of a muscle's items (``regions``: each region's, then its points'),
    or None when each is its item's place in the list (0, 1, 2, ...: no gap)."""
    if (_counted(exercises) and _counted(functions)
            and _counted([region[0] for region in regions])
            and all(_counted(region[1:]) for region in regions)):
        return None
    return Stored(tuple(exercises), tuple(functions), tuple(map(tuple, regions)))


def _counted(positions: Sequence[Any]) -> bool:
    """Whether ``positions`` are 0, 1, 2, ... (whole numbers, no gap)."""
    return all(type(p) is int and p == i for i, p in enumerate(positions))


#: A database file's state: (size, mtime, inode) of it and of its write-ahead log.
_Stamps = tuple[tuple[int, int, int] | None, ...]
#: The muscles of the databases read last whose items' positions are not their places
#: (by slug), by database and its state when read; a few kept (a run reads few).
_KNOWN: dict[tuple[str, _Stamps], dict[str, Stored]] = {}
_KNOWN_KEPT = 8


def _stamps(path: Path) -> _Stamps:
    """The state of the database at ``path`` and of its write-ahead log (None: none)."""
    real = real_target(path)
    found = []
    for file in (real, real.with_name(real.name + "-wal")):
        try:
            st = os.stat(file)
        except OSError:
            found.append(None)
        else:
            found.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(found)


def remember(path: Path) -> dict[str, Stored]:
    """A map the reader of the database at ``path`` fills as it reads (slug ->
    :class:`Stored`), filed under the database's state before the read."""
    moved: dict[str, Stored] = {}
    if len(_KNOWN) >= _KNOWN_KEPT:
        _KNOWN.clear()
    _KNOWN[str(path), _stamps(path)] = moved
    return moved


def _moved(path: Path) -> dict[str, Stored]:
    """The muscles of the database at ``path`` whose positions are not their places: as
    its read found them, else read again (nothing when it cannot be read: its reader
    says why)."""
    known = _KNOWN.get((str(path), _stamps(path)))
    if known is not None:
        return known
    from .reading import _positions_read  # (a database read elsewhere, or since changed)

    moved = remember(path)
    with contextlib.suppress(sqlite3.Error, MuscleError, OSError):
        moved.update(_positions_read(path))
    return moved


#: An item of a muscle's field below its record: its table, place, a point's place in
#: it, and what follows (``.functions[1].short.en``, ``.regions[0].points[3].x``).
_ITEM = re.compile(r"\.(exercises|functions|regions)\[(\d+)\](?:\.points\[(\d+)\])?(.*)",
                   re.S)


def _renamed(rest: str, positions: Stored) -> str | None:
    """``rest`` (a field below a muscle's record) with its item, and point, named by
    their stored positions; None when that leaves it as it is."""
    found = _ITEM.fullmatch(rest)
    if found is None:
        return None
    table, index, point, tail = found.groups()
    regions = positions.regions
    items = [r[0] for r in regions] if table == "regions" else getattr(positions, table)
    at = int(index)
    if at >= len(items) or type(items[at]) is not int:
        return None
    named = f".{table}[{items[at]}]"
    if point is not None:
        points, place = regions[at][1:], int(point)
        known = place < len(points) and type(points[place]) is int
        named += f".points[{points[place] if known else place}]"
    named += tail
    return None if named == rest else named


def places(path: Path) -> Callable[[str], Place | None]:
    """Where a diagnostic about a field (``muscles[<slug>].exercises[1]``) of the
    database at ``path`` belongs: the same database, the item named by its stored
    position (``muscles[<slug>].exercises[2]``); None where that is its place in the
    list (the field as it is)."""
    moved: dict[str, Stored] | None = None

    def place(field: str) -> Place | None:
        nonlocal moved
        if moved is None:
            moved = _moved(path)
        if not moved:
            return None
        named = named_record(field)
        positions = moved.get(named[0]) if named else None
        if named is None or positions is None:
            return None
        renamed = _renamed(named[1], positions)
        return None if renamed is None else Place(str(path), None, None,
                                                  f"muscles[{named[0]}]{renamed}")

    return place
