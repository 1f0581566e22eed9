"""The run's sources that an output folder's swap linked into the folder it put in place.

``convert content --to html -o content`` reads files that are kept in its output folder;
where the folder is replaced, each is hard-linked into the new one and its old name
removed with the old folder (see :mod:`converter.atomic_folder`), which changes its
ctime, part of the cache's stamps: the next run would take them for edited (hashed
again, and never replayed). Where it is proven that the link alone changed one, the run
is recorded with the stamp it has now (:meth:`~converter.discovery.Inputs.restamp`):
its bytes are hashed before the look that the run's own stamp of it must match, and
again after the look its new stamp is made of, which must find the very file linked
(:func:`~converter.atomic_folder.atomic_directory`'s check of what it carries over),
of the same size and mtime, and the same bytes. An edit made meanwhile, its mtime put
back too, is never masked: the next run sees the stamp the run began with.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Stamp, change_stamp
from .made_folders import Identity
from .marker import file_digest
from .sources_kept import read_of


@dataclass
class _Watch:
    """A run's sources about to be linked, by output folder and path from it: what was
    seen of each before (its digest, then ``lstat``); and the stamps proven moved by
    the links alone, the stamp the run began with to the one after."""

    before: dict[Path, dict[str, tuple[str, os.stat_result]]] = field(default_factory=dict)
    moved: dict[Stamp, Stamp] = field(default_factory=dict)


_RUN: ContextVar[_Watch | None] = ContextVar("relinked", default=None)


@contextlib.contextmanager
def watching(wanted: bool = True) -> Iterator[dict[Stamp, Stamp]]:
    """Within the block (where ``wanted``: a run that may be recorded), output folders
    look at the run's sources they link (:func:`look_before`, :func:`settle`); the
    block is given the stamps proven moved by those links alone, filled in as folders
    are swapped in."""
    watch = _Watch()
    token = _RUN.set(watch if wanted else None)
    try:
        yield watch.moved
    finally:
        _RUN.reset(token)


def look_before(folder: Path, names: Iterable[str]) -> None:
    """Hash, then ``lstat``, each file the run reads among the entries ``names`` of the
    output ``folder`` (a real path) and below those that are folders, about to be
    linked into the folder that replaces it."""
    watch = _RUN.get()
    if watch is None:
        return
    seen = watch.before.setdefault(folder, {})
    names = list(names)
    folders = [name for name in names
               if (folder / name).is_dir() and not (folder / name).is_symlink()]
    _look(folder, seen, folder, set(names) - set(folders))
    for name in folders:
        for below, _, files in os.walk(folder / name):
            _look(folder, seen, Path(below), files)


def _look(folder: Path, seen: dict[str, tuple[str, os.stat_result]], place: Path,
          names: Iterable[str]) -> None:
    """:func:`look_before`'s work for the files ``names`` in ``place``, by their paths
    from ``folder``."""
    for name in sorted(read_of(place, names)):
        digest = file_digest(place / name)
        with contextlib.suppress(OSError):
            st = os.lstat(place / name)
            if digest is not None and stat.S_ISREG(st.st_mode):
                seen[os.path.relpath(place / name, folder)] = digest, st


def settle(folder: Path, linked: Mapping[str, Identity | None]) -> None:
    """Note, for each source :func:`look_before` saw in ``folder`` (just swapped in, the
    old folder removed), that the links alone changed it where they did: it is the very
    entry ``linked`` there (by path from ``folder``; one carried over is another), of
    the same size and mtime, and ``lstat`` then hashing it finds the bytes seen before."""
    watch = _RUN.get()
    if watch is None:
        return
    for relative, (digest, was) in watch.before.pop(folder, {}).items():
        try:
            now = os.lstat(folder / relative)
        except OSError:
            continue
        if ((now.st_dev, now.st_ino) == linked.get(relative) == (was.st_dev, was.st_ino)
                and stat.S_ISREG(now.st_mode)
                and (now.st_size, now.st_mtime_ns) == (was.st_size, was.st_mtime_ns)
                and file_digest(folder / relative) == digest):
            watch.moved[_stamp(was)] = _stamp(now)


def _stamp(st: os.stat_result) -> Stamp:
    """The cache's stamp of a file ``st`` (see :func:`~converter.cache.stamp`)."""
    return st.st_size, st.st_mtime_ns, change_stamp(st)
