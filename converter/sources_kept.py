"""The files a run reads, as the output folder it writes asks about them: a file an
earlier run wrote there (its marker lists it) that this run reads is this run's
source, the user's now; it is kept where it is, never removed as the tool's (see
:mod:`converter.atomic_folder`), and the run says so once (``sources-kept``).

A run sets what it reads with :func:`reading` around its writer; a folder written
outside of one (``converter.write``) reads nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, agreeing, counted

if TYPE_CHECKING:
    from .discovery import Input
    from .marker import Marker


@dataclass
class _Reading:
    """What a run reads (``inputs``, looked into only when a folder asks), and where
    it reports."""

    inputs: Iterable[Input]
    report: Callable[[Diagnostic], None]
    #: The names read in each folder (by its real path), the folders read whole (a
    #: data package, a map), and the files read (see :func:`_identity`): made from
    #: ``inputs`` when first asked.
    found: tuple[dict[str, set[str]], set[str], set[_Identity]] | None = None
    #: The folders told of already.
    told: set[str] = field(default_factory=set)


_RUN: ContextVar[_Reading | None] = ContextVar("sources_kept", default=None)


@contextlib.contextmanager
def reading(inputs: Iterable[Input], report: Callable[[Diagnostic], None]
            ) -> Iterator[set[str]]:
    """Within the block, output folders know that the run reads ``inputs`` and tell
    ``report`` the sources they keep; it is given the set of the folders that told
    (filled in as they do: a run that kept sources says so once, and the next one, the
    folder's marker rewritten, has nothing to say, so it is no run to replay)."""
    run = _Reading(inputs, report)
    token = _RUN.set(run)
    try:
        yield run.told
    finally:
        _RUN.reset(token)


def read_of(folder: Path, names: Iterable[str], holder: Path | None = None) -> set[str]:
    """Those of ``names`` (files in ``folder``, a real path) that the run reads: its
    inputs there, by their names or as the very same files, reached through a link of
    another name (or a hard link); or all of them where it reads ``folder`` itself as
    one. ``holder``: the folder the files are in, where that is not ``folder`` (the
    old folder moved aside)."""
    run, wanted = _RUN.get(), set(names)
    if run is None or not wanted:
        return set()
    if run.found is None:
        run.found = _index(run.inputs)
    files, wholes, read = run.found
    place = os.fspath(folder)
    if place in wholes or folder.name in files.get(os.path.dirname(place), ()):
        return wanted
    named = files.get(place, set())
    kept = {name for name in wanted if name in named}
    if read:
        where = holder or folder
        kept |= {name for name in _maybe_read(where, wanted - kept, read)
                 if _identity(where / name) in read}
    return kept


def _maybe_read(folder: Path, names: set[str], read: set[_Identity]) -> set[str]:
    """Those of ``names`` in ``folder`` that may be files the run reads: each whose
    inode, as the folder lists it, is one of a file read, or that is a link, or that
    the folder does not list (then :func:`_identity` says). One listing of the folder
    in place of a ``stat`` of each name: a regular file's listed inode is its own (a
    file mounted on one aside, which no writer makes)."""
    inodes = {ino for _, ino in read}
    try:
        with os.scandir(folder) as entries:
            listed = {entry.name: entry for entry in entries if entry.name in names}
    except OSError:
        return names
    return {name for name in names if name not in listed
            or listed[name].inode() in inodes or listed[name].is_symlink()}


#: A file's device and inode.
_Identity = tuple[int, int]


def _identity(path: str | Path) -> _Identity | None:
    """The device and inode of the file ``path`` names (links followed); None where
    there is none (not there yet, or no more)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _index(inputs: Iterable[Input]
           ) -> tuple[dict[str, set[str]], set[str], set[_Identity]]:
    """The names of ``inputs`` by the real path of their folder, the real paths of
    those read as a folder (of a format that reads one whole, or named ``.``), and the
    identities of the files read (those there still)."""
    files: dict[str, set[str]] = {}
    wholes: set[str] = set()
    read: set[_Identity] = set()
    real: dict[str, str] = {}
    for each in inputs:
        folder, name = os.path.split(each.path)
        if name in {"", os.curdir, os.pardir} or each.format.directory_marker:
            wholes.add(os.path.realpath(each.path))
            continue
        if folder not in real:
            real[folder] = os.path.realpath(folder or os.curdir)
        files.setdefault(real[folder], set()).add(name)
        identity = _identity(each.path)
        if identity is not None:
            read.add(identity)
    return files, wholes, read


def tool_files(folder: Path, marker: Marker, place: Path | None = None) -> set[str]:
    """The files in ``folder`` that are the tool's, as its ``marker`` lists them, but
    for those the run reads (its sources), which are the user's now: of the output
    folder ``place`` (``folder``, unless it is the old folder moved aside)."""
    listed = marker.ours(folder)
    return listed - read_of(place or folder, listed, folder)


def tell_kept(shown: str, count: int) -> None:
    """Say once that the output folder ``shown`` (as the user gave it) keeps ``count``
    files the run read that an earlier run wrote there."""
    run = _RUN.get()
    if run is None or not count or shown in run.told:
        return
    run.told.add(shown)
    files = counted(count, "files")
    run.report(Diagnostic(
        shown, None, None, "", "sources-kept",
        f"kept {files} this run read (its sources) that an earlier run wrote here: "
        f"{agreeing(count, 'it is', 'they are')} yours now, not replaced or removed by "
        "a later run", "warning"))
