"""A folder muscle-convert wrote, swapped for a new version while it was read.

A run writes an output folder (a Markdown folder, a data package) beside it and swaps
it in whole (:mod:`~converter.atomic_folder`). A read lists such a folder, then opens
each of its files by path: a swap in between gave files of two versions, each whole
(so no file's own check, :func:`~converter.diagnostics.check_unchanged`, sees it), one
mix of them. Such a folder is known by its marker (:data:`~converter.marker.DIRECTORY_MARKER`);
its identity, the folder's own (a swap puts another folder at its path) and its
marker's (a run writing it in place rewrites that), is taken before the read and
after it (:func:`identities`): where one changed, the read is done again once
(:func:`steady`), and where it changes again it is one ``changed-while-read`` error. A
folder a run is filling in place (:mod:`~converter.inplace`: its lock held, its marker
listing names with no digest until its last file is in) is never the same twice: a read
then is done again too.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from .diagnostics import Diagnostic, MuscleError
from .folder_lock import in_use
from .marker import DIRECTORY_MARKER, read_marker

#: What tells a folder from the one swapped in at its path: its device and inode, then
#: its marker's inode, size, modification and change times (None: no such folder).
Identity = tuple[int, ...] | None

_Read = TypeVar("_Read")

#: The identities of folders seen being filled, each unlike any other (negative).
_UNSETTLED = itertools.count(-1, -1)


def identities(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Identity]:
    """The identity of each folder muscle-convert wrote (one holding its marker) that
    ``paths`` name, or that holds a file they name (``pkg/datapackage.json``); a folder
    below one named is no source (a search leaves it out)."""
    found: dict[str, Identity] = {}
    for path in paths:
        name = os.fspath(path)
        folder = name if os.path.isdir(name) else os.path.dirname(name) or "."
        if folder not in found and os.path.lexists(os.path.join(folder, DIRECTORY_MARKER)):
            found[folder] = _identity(folder)
    return found


def _identity(folder: str) -> Identity:
    """``folder``'s identity (see :data:`Identity`); None when it cannot be seen."""
    try:
        own = os.stat(folder)
        marker = os.lstat(os.path.join(folder, DIRECTORY_MARKER))
    except OSError:
        return None
    if _filling(folder):
        return (next(_UNSETTLED),)
    return (own.st_dev, own.st_ino, marker.st_ino, marker.st_size, marker.st_mtime_ns,
            marker.st_ctime_ns)


def _filling(folder: str) -> bool:
    """Whether a run is filling ``folder`` in place: it holds the folder's lock, and
    the marker lists names with no digest (old files and new, as they are put in). A
    marker of names only with no run holding the lock is an older version's."""
    with contextlib.suppress(MuscleError):  # (a marker not understood: no run's fill)
        marker = read_marker(Path(folder))
        if marker.names and not marker.digests and not marker.every_file:
            return in_use(folder) is True
    return False


def swapped(before: dict[str, Identity]) -> list[str]:
    """The folders of ``before`` whose identity is not what it was (swapped, rewritten
    in place, or gone)."""
    return [folder for folder, seen in before.items() if _identity(folder) != seen]


def steady(read: Callable[[], _Read], paths: Iterable[str | os.PathLike[str]]) -> _Read:
    """What ``read()`` gives of ``paths``, read again once when a folder muscle-convert
    wrote among them was swapped meanwhile (:func:`swapped`); when it is swapped during
    that read too, a :class:`MuscleError` of one ``changed-while-read`` per such folder."""
    paths = list(paths)
    for _ in range(2):
        before = identities(paths)
        result = read()
        changed = swapped(before)
        if not changed:
            return result
    raise MuscleError([Diagnostic(str(Path(folder)), None, None, "", "changed-while-read",
                                  "was replaced by another version while it was read, "
                                  "twice (another run writing it); run again")
                       for folder in changed])
