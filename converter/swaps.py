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
run writing such a folder (filling it in place, :mod:`~converter.inplace`, or swapping
it) holds its lock as it puts its files in: its identity is taken once that run is
done, waited for up to :data:`WAIT_SECONDS` in all; a folder a run still holds then is
never the same twice, and a read of it is done again too.
"""
from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from .diagnostics import Diagnostic, MuscleError
from .folder_lock import free_within
from .marker import DIRECTORY_MARKER

#: What tells a folder from the one swapped in at its path: its device and inode, then
#: its marker's inode, size, modification and change times (None: no such folder).
Identity = tuple[int, ...] | None

_Read = TypeVar("_Read")

#: The identities of folders seen being written, each unlike any other (negative).
_UNSETTLED = itertools.count(-1, -1)

#: How long :func:`steady` waits, in all, for the runs writing the folders it reads
#: (each holding a folder's lock), in seconds: as long as a run waits for its cache.
WAIT_SECONDS = 10.0


def identities(paths: Iterable[str | os.PathLike[str]], until: float | None = None
               ) -> dict[str, Identity]:
    """The identity of each folder muscle-convert wrote (one holding its marker) that
    ``paths`` name, or that holds a file they name (``pkg/datapackage.json``); a folder
    below one named is no source (a search leaves it out). A run writing one is waited
    for until ``until`` (a :func:`time.monotonic` time; None: not waited for)."""
    found: dict[str, Identity] = {}
    looked: set[str] = set()  # (each folder once: content/*.md names one folder 600 times)
    for path in paths:
        name = os.fspath(path)
        folder = name if os.path.isdir(name) else os.path.dirname(name) or "."
        if folder not in looked:
            looked.add(folder)
            if os.path.lexists(os.path.join(folder, DIRECTORY_MARKER)):
                found[folder] = _identity(folder, until)
    return found


def _identity(folder: str, until: float | None = None) -> Identity:
    """``folder``'s identity (see :data:`Identity`), once no run writing it holds its
    lock, waited for until ``until`` (see :func:`identities`; one still held then is
    unsettled, unlike any other); None when it cannot be seen."""
    left = 0.0 if until is None else max(0.0, until - time.monotonic())
    if not free_within(folder, left):
        return (next(_UNSETTLED),)
    try:
        own = os.stat(folder)
        marker = os.lstat(os.path.join(folder, DIRECTORY_MARKER))
    except OSError:
        return None
    return (own.st_dev, own.st_ino, marker.st_ino, marker.st_size, marker.st_mtime_ns,
            marker.st_ctime_ns)


def swapped(before: dict[str, Identity], until: float | None = None) -> list[str]:
    """The folders of ``before`` whose identity is not what it was (swapped, rewritten
    in place, or gone); ``until``: as :func:`identities` takes it."""
    return [folder for folder, seen in before.items() if _identity(folder, until) != seen]


class ChangedFolders(MuscleError):
    """The ``changed-while-read`` errors of the folders :func:`steady` saw swapped at
    each of its reads."""


class Swapped(Exception):
    """A folder the :func:`steady` read under way watches was swapped before that read
    was done with it (see :func:`check_steady`): the read is done again."""

    def __init__(self, folders: list[str]) -> None:
        super().__init__(folders)
        self.folders = folders


class _Watch:
    """What the :func:`steady` read under way watches: its folders' identities
    (``before``), how long a run writing one is waited for (``until``), and whether
    the read was found done with them, none swapped (``done``)."""

    def __init__(self, before: dict[str, Identity], until: float) -> None:
        self.before, self.until, self.done = before, until, False


#: The :func:`steady` read under way in this thread (None: none).
_WATCH: ContextVar[_Watch | None] = ContextVar("steady_read", default=None)


def check_steady(done: bool = True) -> None:
    """Within a :func:`steady` read (elsewhere nothing), :class:`Swapped` where a
    folder it watches was swapped since the read began: called before what was read
    is put in place (an output), which then mixes no two versions. ``done``: the read
    has read all it reads, so that a swap after this (none now) changes nothing of
    what it gives (a later check is passed over)."""
    watch = _WATCH.get()
    if watch is None or watch.done:
        return
    changed = swapped(watch.before, watch.until)
    if changed:
        raise Swapped(changed)
    watch.done = done


def read_again(written: str | os.PathLike[str] | None = None) -> None:
    """Within a :func:`steady` read (elsewhere nothing): what it reads from now on is
    watched too, though the read was found done (:func:`check_steady`): a read made for
    diagnostics alone once the output refused what the first read gave. A folder
    swapped since the read began then makes :func:`steady` read again; but a folder at
    or below ``written``, the output the read's own run failed to write (a failed fill
    in place puts its marker back, a new change time), is watched from now on."""
    watch = _WATCH.get()
    if watch is None:
        return
    watch.done = False
    if written is None or not watch.before:
        return
    try:
        out = os.path.realpath(written)
        mine = [folder for folder in watch.before if os.path.realpath(folder) == out
                or os.path.realpath(folder).startswith(os.path.join(out, ""))]
    except OSError:  # (the working folder gone: the next read says so)
        return
    for folder in mine:
        watch.before[folder] = _identity(folder, watch.until)


def steady(read: Callable[[], _Read], paths: Iterable[str | os.PathLike[str]],
           tries: int = 2) -> _Read:
    """What ``read()`` gives of ``paths``, read again when a folder muscle-convert
    wrote among them was swapped meanwhile (:func:`swapped`, or ``read()`` raised
    :class:`Swapped`: :func:`check_steady`), up to ``tries`` reads in all; when it is
    swapped during the last too, a :class:`ChangedFolders` of one ``changed-while-read``
    per such folder. A run writing one is waited for (:data:`WAIT_SECONDS` in all)
    before it is read and as it is looked at after."""
    paths, until = list(paths), time.monotonic() + WAIT_SECONDS
    changed: list[str] = []
    for _ in range(tries):
        watch = _Watch(identities(paths, until), until)
        token = _WATCH.set(watch)
        try:
            result = read()
        except Swapped as exc:
            changed = exc.folders
            continue
        finally:
            _WATCH.reset(token)
        changed = [] if watch.done else swapped(watch.before, until)
        if not changed:
            return result
    twice = ", twice" if tries > 1 else ""
    raise ChangedFolders([Diagnostic(str(Path(folder)), None, None, "", "changed-while-read",
                                     f"was replaced by another version while it was "
                                     f"read{twice} (another run writing it); run again")
                          for folder in changed])
