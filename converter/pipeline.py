"""Reading sources into models: discovery, parallel parsing, duplicate slugs.

:class:`Reader` turns paths (files, directories, any readable format) into a stream
of :class:`Muscle` objects in a deterministic order, collecting diagnostics instead
of stopping. Files of one-muscle-per-file formats are parsed in a process pool in
chunks (each worker also lints its muscles, makes their corpus-lint fingerprints and,
for a record writer, their records); the order of the stream never depends on the
number of jobs. With a :class:`~converter.cache.Cache`, files whose recorded result
still holds are not read, and only what the run needs of them is unpickled.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import itertools
import marshal
import multiprocessing
import os
import pickle
import signal
import sys
import time
import unicodedata
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import DIRECTORY_MARKER
from .cache import (
    BATCH,
    Cache,
    ChunkDigests,
    ChunkTally,
    Stamp,
    change_stamp,
    code_fingerprint,
    content_digest,
    digest,
    stamp,
    stamp_with,
)
from .cache import key as cache_key
from .checks import muscle_problems
from .diagnostics import (
    Diagnostic,
    DiagnosticLog,
    MuscleError,
    Named,
    counted,
    has_errors,
    printable,
    worded,
)
from .drafts import is_draft
from .exclude import Exclusion, exclusion
from .lint import (
    CorpusLint,
    Fingerprint,
    Position,
    Positions,
    check_muscle,
    fingerprint,
    in_record,
    located_fields,
    record_label,
)
from .model import Muscle, misshapen
from .registry import (
    Format,
    Place,
    ReadContext,
    Source,
    all_formats,
    detect_format,
    get_format,
    read_at_most,
    unknown_format,
)
from .scratch import Sources, decode, encode
from .slug import working_folder

CHUNK = 64
#: Files stat-ed and added to the inputs at once during discovery.
_STAT_BATCH = 4096
#: Chunks in flight per worker process.
WINDOW = 4


class Input(NamedTuple):
    """One input path (as text: a corpus has many, and most runs only pass them on),
    the format that reads it and, when discovery saw it, the file's size and mtime."""

    path: str
    format: Format
    stamp: Stamp | None = None


class Inputs(Sequence[Input]):
    """A run's inputs, compactly (a corpus of 100,000 files has as many): each path as
    its folder (stored once per run of files in it) and its name's UTF-8 bytes in one
    buffer, its format as a small number, its size, mtime and ctime in arrays."""

    def __init__(self) -> None:
        self._folders: list[str] = []
        self._folder_starts = array("q")  # the first input of each run of one folder
        self._names, self._ends = bytearray(), array("q")  # name i: _ends[i-1]:_ends[i]
        self._formats: list[Format] = []
        self._format_ids = array("H")
        self._sizes, self._mtimes, self._ctimes = array("q"), array("q"), array("q")
        # (size -1: no stamp)
        #: Folders below a source that were not searched: muscle-convert wrote them
        #: (they hold its marker file), as the paths a walk names them by.
        self.skipped: list[str] = []

    def add(self, path: str, fmt: Format, file_stamp: Stamp | None = None) -> None:
        """Add one input at the end."""
        size, mtime, ctime = file_stamp or (-1, 0, 0)
        self.add_files("", [path], [fmt], [size], [mtime], [ctime])

    def add_files(self, folder: str, names: list[str], formats: list[Format],
                  sizes: list[int], mtimes: list[int], ctimes: list[int]) -> None:
        """Add files of ``folder`` (a prefix of their paths, such as ``"notes/"``) at
        the end: discovery saw them, so with their sizes, mtimes and ctimes."""
        if not names:
            return
        if not self._folders or self._folders[-1] != folder:
            self._folders.append(folder)
            self._folder_starts.append(len(self))
        for name in names:
            self._names += encode(name)
            self._ends.append(len(self._names))
        for fmt in formats:
            if fmt not in self._formats:
                self._formats.append(fmt)
            self._format_ids.append(self._formats.index(fmt))
        self._sizes.extend(sizes)
        self._mtimes.extend(mtimes)
        self._ctimes.extend(ctimes)

    def __len__(self) -> int:
        return len(self._ends)

    def _path(self, index: int) -> str:
        folder = self._folders[bisect.bisect_right(self._folder_starts, index) - 1]
        start = self._ends[index - 1] if index else 0
        return folder + decode(self._names[start:self._ends[index]])

    def _paths(self) -> Iterator[str]:
        """Every path in order, a folder at a time (no search per path)."""
        names, ends = self._names, self._ends
        bounds = [*self._folder_starts, len(self)]
        for folder, first, stop in zip(self._folders, bounds, bounds[1:], strict=False):
            start = ends[first - 1] if first else 0
            for end in ends[first:stop]:
                yield folder + decode(names[start:end])
                start = end

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("input index out of range")
        size = self._sizes[index]
        return Input(self._path(index), self._formats[self._format_ids[index]],
                     None if size < 0 else (size, self._mtimes[index], self._ctimes[index]))

    def __iter__(self) -> Iterator[Input]:
        formats = self._formats
        for path, fmt, size, mtime, ctime in zip(self._paths(), self._format_ids, self._sizes,
                                                 self._mtimes, self._ctimes, strict=True):
            yield Input(path, formats[fmt], None if size < 0 else (size, mtime, ctime))

    def formats(self) -> set[Format]:
        """The formats that read the inputs."""
        return set(self._formats)

    def stamped(self) -> Iterator[tuple[str, int, int, int]]:
        """(path, size, mtime, ctime) of each input, stat-ing those discovery did not
        see (with the files their format reads with them: :meth:`Format.companions`);
        raises ``OSError`` for one that cannot be read."""
        for path, fmt, size, mtime, ctime in zip(self._paths(), self._format_ids,
                                                 self._sizes, self._mtimes, self._ctimes,
                                                 strict=True):
            if size >= 0:
                yield path, size, mtime, ctime
            else:
                yield path, *stamp_with(path, self._formats[fmt].companions(Path(path)))


def _start_worker(parent: int) -> None:
    """Set up a pool's worker: Ctrl-C ignored (the main process stops the pool), SIGTERM
    (the pool's way to stop it) deadly even when the pool was made where a temporary
    file's handler had taken it (:func:`~converter.atomic.atomic_file`: the worker
    lived on, and the pool waited for it for good), and the worker ended with its
    parent (``kill`` of the main process left workers of ``fmt`` rewriting files)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)  # (unless nohup: the terminal's end)
    _die_with_parent(parent)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent(parent: int) -> None:
    """Have the system send this process SIGTERM when its parent ends (Linux), and end
    it now if the parent ``parent`` already has."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # (no prctl: not Linux)
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def worker_pool(jobs: int) -> Any:
    """A process pool of ``jobs`` workers (forked where the system can). Ctrl-C, which
    signals the whole process group, is ignored by the workers and stops the main
    process, which stops the pool: no worker prints a traceback or dies for the pool to
    replace. (The pool is made with SIGINT blocked, so a worker never holds it before
    it ignores it, and the main process gets one that came meanwhile right after.) A
    worker stopped by the pool leaves no temporary file behind
    (:func:`~converter.atomic.atomic_file`)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    start = {"initializer": _start_worker, "initargs": (os.getpid(),)}
    if not hasattr(signal, "pthread_sigmask"):
        return context.Pool(jobs, **start)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return context.Pool(jobs, **start)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def pooled(jobs: int) -> Iterator[Any]:
    """A :func:`worker_pool` for the block, stopped when it ends. When it ends by an
    exception (Ctrl-C), the workers are ended without waiting for the pool's threads:
    ``Pool.terminate()`` waits for good when a worker it stopped held the result
    queue's lock (a CPython limitation; the run hung on Ctrl-C now and then)."""
    pool = worker_pool(jobs)
    try:
        yield pool
    except BaseException:
        _abandon(pool)
        raise
    pool.terminate()
    pool.join()


def _abandon(pool: Any) -> None:
    """End ``pool``'s workers (SIGTERM: each removes its temporary, see
    :func:`worker_pool`; SIGKILL for one that lingers) and leave its threads, which only
    serve it, to end with the process: nothing waits on a lock a worker held."""
    from multiprocessing.pool import TERMINATE

    pool._worker_handler._state = TERMINATE  # (it would start new workers)
    pool._state = TERMINATE
    pool._terminate.cancel()  # (its finalizer would wait at exit instead)
    workers = list(pool._pool)
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            worker.terminate()
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            worker.join(2)
            if worker.is_alive():
                worker.kill()
                worker.join(2)


def discover(paths: Iterable[str | Path], from_format: str | None = None,
             leave_out: str | Path | None = None, exclude: Iterable[str] = ()
             ) -> tuple[Inputs, list[Diagnostic]]:
    """Expand paths into inputs: directories recursively (files of the one-muscle-per-file
    formats, or the whole directory when it carries a format's marker), files by
    ``from_format`` or by their ending. Sorted, so runs are reproducible. ``leave_out``
    (the run's output) is not read where a directory holds it: a run never reads what
    it writes; nor is any other folder below a source that muscle-convert wrote (it
    holds the :data:`~converter.atomic.DIRECTORY_MARKER`), which is noted in the
    inputs' ``skipped`` (a folder named as a source is read); nor what the ``exclude``
    patterns match below a source folder (:mod:`converter.exclude`; a ``bad-option``
    error for one that is no pattern). A file named again (``samples
    samples/soleus.md``, ``samples ./samples``, also through a symlink) is read once,
    where it first came; a path below two folders named is left out as the first one's
    search has it. A source named is always read."""
    try:
        forced = get_format(from_format) if from_format else None
    except KeyError:
        raise MuscleError(Diagnostic("format", None, None, "", "unknown-format",
                                     unknown_format(str(from_format)))) from None
    try:
        excluded = exclusion(exclude)
    except ValueError as exc:
        raise MuscleError(Diagnostic("--exclude", None, None, "", "bad-option",
                                     str(exc))) from None
    if forced is not None and not forced.can_read:
        raise MuscleError(Diagnostic("format", None, None, "", "cannot-read",
                                     f"the {forced.name} format has no reader"))
    per_file = [f for f in all_formats() if f.can_read and f.one_muscle_per_file]
    inputs = Inputs()
    problems: list[Diagnostic] = []
    named = _Named(leave_out)
    for raw in paths:
        path = Path(raw)
        if not os.fspath(raw):  # (Path("") is the working folder: an unset $SOURCES)
            problems.append(Diagnostic('""', None, None, "", "not-found",
                                       "an empty path names no file or folder"))
            continue
        try:
            if not path.exists():
                problems.append(Diagnostic(str(path), None, None, "", "not-found",
                                           "standard input is not read: name files or "
                                           "folders" if str(raw) == "-" else
                                           "no such file or directory"))
                continue
            is_dir = path.is_dir()
            if not is_dir and not path.is_file():  # a FIFO would hang, /dev/zero not end
                problems.append(Diagnostic(str(path), None, None, "", "not-a-file",
                                           "is not a regular file or directory (a device, "
                                           "FIFO or socket)"))
                continue
            detected = detect_format(path, for_reading=True)
        except OSError as exc:  # in a folder that cannot be searched
            problems.append(_unreadable(str(path), exc))
            continue
        if is_dir and (detected is None or (forced and (
                forced.one_muscle_per_file or forced.name != detected.name))):
            # (a folder that is not a unit of --from's format: its files of that format)
            formats = [forced] if forced else per_file
            by_ending = {ext: f for f in reversed(formats) for ext in f.extensions}
            root = str(path).rstrip(os.sep) or os.sep
            unit = forced if forced and forced.directory_marker else None
            skip = named.folder(root, tuple(by_ending), unit and unit.directory_marker)
            if skip is None:  # below a folder already read
                continue
            before, reported, outputs = len(inputs), len(problems), len(inputs.skipped)
            foreign: list[tuple[str, Format]] = []
            left_out: list[str] = []
            _walk(root, tuple(by_ending), _ending_lookup(by_ending), inputs, problems,
                  skip | named.output_in(root), unit=unit, foreign=foreign,
                  exclude=excluded, left_out=left_out)
            named.not_walked(d.path for d in problems[reported:] if d.code == "unreadable")
            named.not_walked([*inputs.skipped[outputs:], *(p for p, _ in foreign),
                              *left_out])
            if len(inputs) == before and not skip:  # empty, or a --from that reads none
                hint = _others_in(root, set(by_ending), detected, inputs.skipped[outputs:],
                                  foreign, left_out)
                message, others = worded(
                    f"holds no {' or '.join(sorted(by_ending))} files to read", *hint)
                problems.append(Diagnostic(str(path), None, None, "", "no-inputs", message,
                                           "warning", others))
            continue
        fmt = forced or detected
        if fmt is None:
            written = detect_format(path, for_reading=False)  # (html: written, never read)
            problems.append(Diagnostic(
                str(path), None, None, "", "unknown-format",
                f"is a {written.name} file, a format muscle-convert writes but cannot read"
                if written is not None and not written.can_read else
                "cannot tell the format from the name; use --from"))
        elif named.file(str(path / fmt.directory_marker) if is_dir and fmt.directory_marker
                        else str(path)):  # (a folder read as a unit is its marker file)
            inputs.add(str(path), fmt)
    inputs.skipped = [f for f in inputs.skipped if not named.searched(f)]
    return inputs, problems


class _Named:
    """The sources named so far, so that a file named twice (directly, or in a folder
    named too) is read once. Folders are known by their real path; files by the real
    path of their folder and their own name, as a walk names them (a symlinked file's
    slug comes from the link's name)."""

    def __init__(self, leave_out: str | Path | None) -> None:
        #: (real path, endings read, the marker file of the folders read as units)
        self._folders: list[tuple[str, tuple[str, ...], str | None]] = []
        self._files: list[str] = []
        self._output = os.path.realpath(leave_out) if leave_out else None
        #: Where no walk went: the run's output, what could not be read, muscle-convert's
        #: output folders.
        self._outside: list[str] = [self._output] if self._output else []

    def folder(self, root: str, endings: tuple[str, ...], marker: str | None = None
               ) -> set[tuple[str, str]] | None:
        """What a walk of ``root`` (reading ``endings``, and folders holding a ``marker``
        file as units) leaves out as read already, as (folder, name) places; None when
        an earlier folder's walk read all of it."""
        real = os.path.realpath(root)
        if any(self._walked(real, folder) for folder, _, _ in self._folders):
            return None
        earlier = [*(f for f in self._files if f.lower().endswith(endings)),
                   *(os.path.dirname(f) for f in self._files
                     if marker and os.path.basename(f) == marker),
                   *(folder for folder, _, _ in self._folders)]
        self._folders.append((real, endings, marker))
        return {place for p in earlier if (place := _place_in(root, p))}

    def output_in(self, root: str) -> set[tuple[str, str]]:
        """The run's output as a place a walk of ``root`` leaves out (if below it)."""
        place = _place_in(root, self._output) if self._output else None
        return {place} if place else set()

    def not_walked(self, paths: Iterable[str]) -> None:
        """Note what a walk could not read (a named file there is read on its own)."""
        self._outside += map(_located, paths)

    def file(self, path: str) -> bool:
        """Note a file named directly; False when it was read already."""
        located = _located(path)
        if located in self._files or any(
                self._walked(located, folder) and (located.lower().endswith(endings) or (
                    marker is not None and os.path.basename(located) == marker))
                for folder, endings, marker in self._folders):
            return False
        self._files.append(located)
        return True

    def searched(self, folder: str) -> bool:
        """Whether ``folder`` was searched as a source itself (named after a walk left it
        out)."""
        real = os.path.realpath(folder)
        return any(real == searched for searched, _, _ in self._folders)

    def _walked(self, path: str, folder: str) -> bool:
        """Whether a walk of ``folder`` read ``path``: it is the folder or below it by
        no hidden (``.``) name, and not where no walk went."""
        inside = _inside(path, folder)
        return inside is not None and not any(part.startswith(".") for part in (
            inside.split(os.sep) if inside != os.curdir else ())) and not any(
            _inside(path, outside) is not None for outside in self._outside)


def not_searched(folder: str, tag: str = "") -> str:
    """What to tell of a ``folder`` a search left out as muscle-convert's output (one
    line, ``tag`` after its path)."""
    return printable(f"{folder}: {tag}not searched, muscle-convert wrote it (name it to "
                     "read it)")


def _others_in(folder: str, read: set[str], unit: Format | None,
               outputs: Sequence[str] = (),
               foreign: Sequence[tuple[str, Format]] = (), left_out: Sequence[str] = ()
               ) -> tuple[str | Named, ...]:
    """A hint (the parts of a message, :func:`~converter.diagnostics.worded`'s), for a
    folder that held no file of the endings ``read``: what ``--exclude`` left out
    (``left_out``), the ``outputs`` of muscle-convert its walk left out, the format
    whose ``unit`` it is, the files of those endings its walk left out as ``foreign``
    to their format, or the files of other formats directly in it (regular files and
    folders only: a link to a device is nothing to read). The walk that found nothing
    went through all of it already, so all its entries are looked at."""
    if left_out:  # (first: what the user's own patterns left out)
        return ((" (--exclude left out ", Named(min(left_out)), ")") if len(left_out) == 1
                else (f" (--exclude left out the {len(left_out)} found, such as ",
                      Named(min(left_out)), ")"))
    if outputs:
        return (f" (only in {counted(len(outputs), 'folders')} muscle-convert wrote, such "
                "as ", Named(outputs[0]), ", which a search leaves out: name it to read it)")
    if unit is not None:
        return (f" (it is a {unit.name} folder: read it without --from, or --from "
                f"{unit.name})",)
    written = detect_format(Path(folder), for_reading=False)
    if written is not None and not written.can_read:
        return (f" (it is a {written.name} folder, a format muscle-convert writes but cannot "
                "read)",)
    if foreign:
        first, owner = min(foreign, key=lambda found: found[0])
        if len(foreign) == 1:
            return (" (", Named(first), f" is not what the {owner.name} reader takes: name it "
                    "to see why)")
        return (f" (the {len(foreign)} found, such as ", Named(first), ", are not what the "
                f"{owner.name} reader takes: name one to see why)")
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name.lower().endswith(tuple(read)):
                    continue
                with contextlib.suppress(OSError):
                    if entry.is_dir() or entry.is_file():
                        fmt = detect_format(Path(entry.path), for_reading=True)
                        if fmt is not None:
                            found.setdefault(fmt.name, []).append(entry.name)
    except OSError:
        return ()
    return tuple(f" (it holds {counted(len(names), f'{name} files')}, such as "
                 f"{min(names)}: name them, or pass --from {name})"
                 for name, names in sorted(found.items())[:1])


def _located(path: str) -> str:
    """``path`` by the real path of its folder and its own name."""
    folder, name = os.path.split(path)
    return os.path.join(os.path.realpath(folder or os.curdir), name)


def _inside(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` (``.`` for the folder itself), or None when it
    is not there (both real paths)."""
    inside = os.path.relpath(path, folder)
    return None if inside == os.pardir or inside.startswith(os.pardir + os.sep) else inside


def _place_in(root: str, path: str) -> tuple[str, str] | None:
    """(folder, name) of the real ``path`` as :func:`_walk` from ``root`` names it, when
    it is below ``root`` (None otherwise, and for ``root`` itself)."""
    inside = _inside(path, os.path.realpath(root))
    if inside is None or inside == os.curdir:
        return None
    folder, name = os.path.split(inside if root == os.curdir else os.path.join(root, inside))
    return folder or root, name


def _ending_lookup(by_ending: dict[str, Format]) -> Callable[[str], Format]:
    """The format of a file name that ends with one of ``by_ending``'s endings (the
    longest one that matches, any case)."""
    if all(ending.count(".") == 1 and ending.startswith(".") for ending in by_ending):
        return lambda name: by_ending[name[name.rindex("."):].lower()]
    longest_first = sorted(by_ending, key=len, reverse=True)
    return lambda name: by_ending[next(e for e in longest_first if name.lower().endswith(e))]


def _unreadable(path: str, exc: OSError) -> Diagnostic:
    return Diagnostic(path, None, None, "", "unreadable", exc.strerror or str(exc))


def _walk(directory: str, endings: tuple[str, ...], format_of: Callable[[str], Format],
          found: Inputs, problems: list[Diagnostic],
          skip: AbstractSet[tuple[str, str]] = frozenset(), *,
          unit: Format | None = None, foreign: list[tuple[str, Format]] | None = None,
          exclude: Exclusion | None = None, left_out: list[str] | None = None,
          below: str = "") -> None:
    """Append an :class:`Input` for every file below ``directory`` with one of
    ``endings`` to ``found``, in the order paths sort by their parts (each folder's
    entries sorted by name, depth first). Hidden files and folders are skipped, and
    the (folder, name) places in ``skip``; symlinks to files are followed, to folders
    not (no cycles). A folder holding the marker file of the format ``unit`` (a data
    package's ``datapackage.json``, a map's ``map.svg``) is one input of that format,
    not searched; any other folder holding muscle-convert's marker file is its output,
    not searched either, and is noted in ``found.skipped``. A file (or unit) that its
    format says is not its own (:meth:`Format.is_own`: an icon among maps) is left out,
    it and its format added to ``foreign``. A file of those endings or a folder that
    ``exclude`` matches (by its path ``below`` the source folder, the walk's first
    ``directory``) is left out unread, a folder not searched, and its path added to
    ``left_out``. One ``scandir`` per folder and one ``stat`` per file
    (and a look into those of a format that :attr:`~Format.sorts_found`), in sorted
    order: only names are held while a folder sorts. A folder that cannot be listed, or
    a file that cannot be stat-ed, is one ``unreadable`` diagnostic in ``problems``."""
    foreign = [] if foreign is None else foreign
    left_out = [] if left_out is None else left_out
    # (files of ".": "x.md", as every reader names a Path("./x.md"), not "./x.md")
    prefix = "" if directory == os.curdir else directory.rstrip(os.sep) + os.sep
    folders: list[str] = []
    names: list[str] = []  # of files (a folder may hold 100,000: no tuple per name)
    units: set[str] = set()  # the names of folders read as one input
    outputs: list[str] = []  # the names of folders muscle-convert wrote
    skipped = {name for folder, name in skip if folder == directory}
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                name = entry.name
                if name.startswith(".") or name in skipped:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if exclude is not None and exclude(below + name, True):
                        left_out.append(prefix + name)
                    elif unit is not None and os.path.isfile(
                            os.path.join(entry.path, str(unit.directory_marker))):
                        units.add(name)
                        names.append(name)
                    elif os.path.isfile(os.path.join(entry.path, DIRECTORY_MARKER)):
                        outputs.append(name)
                    else:
                        folders.append(name)
                elif not name.lower().endswith(endings):
                    continue
                elif exclude is not None and exclude(below + name, False):
                    left_out.append(prefix + name)
                elif _is_file(entry, problems):
                    names.append(name)
    except OSError as exc:
        problems.append(_unreadable(directory, exc))
        return
    folders.sort(reverse=True)  # the next folder in order at the end
    names.sort()
    found.skipped += (prefix + name for name in sorted(outputs))
    files: list[str] = []  # the files since the last folder, in order

    def flush() -> None:
        kept, sizes, mtimes, ctimes, formats = [], [], [], [], []
        for name in files:
            if name in units:  # (stamped with its files when read: Inputs.stamped)
                if not _own(unit, prefix + name, foreign):
                    continue
                kept.append(name)
                sizes.append(-1)
                mtimes.append(0)
                ctimes.append(0)
                formats.append(unit)
                continue
            try:
                st = os.stat(prefix + name)
            except FileNotFoundError:  # deleted since the listing: not an input
                continue
            except OSError as exc:  # in a folder that can be listed but not searched
                problems.append(_unreadable(prefix + name, exc))
                continue
            fmt = format_of(name)
            if not _own(fmt, prefix + name, foreign):
                continue
            kept.append(name)
            sizes.append(st.st_size)
            mtimes.append(st.st_mtime_ns)
            ctimes.append(change_stamp(st))
            formats.append(fmt)
        found.add_files(prefix, kept, formats, sizes, mtimes, ctimes)
        files.clear()

    def descend(folder: str) -> None:
        _walk(prefix + folder, endings, format_of, found, problems, skip, unit=unit,
              foreign=foreign, exclude=exclude, left_out=left_out,
              below=f"{below}{folder}/")

    for name in names:
        while folders and folders[-1] < name:  # the folders that sort before this file
            flush()
            descend(folders.pop())
        files.append(name)
        if len(files) >= _STAT_BATCH:
            flush()
    flush()
    for folder in reversed(folders):
        descend(folder)


def _own(fmt: Format | None, path: str, foreign: list[tuple[str, Format]]) -> bool:
    """Whether ``fmt`` takes the ``path`` a search found as its own; if not, it is
    added to ``foreign``."""
    if fmt is None or not fmt.sorts_found or fmt.is_own(Path(path)):
        return True
    foreign.append((path, fmt))
    return False


def _user_of(path: str, other: str) -> tuple[str | Named, ...]:
    """How a ``duplicate-slug`` in ``path`` names the file ``other`` that took the slug
    first: an earlier record of the same file, or the other file, with what two paths
    that look the same differ in (their accented letters' encoding, NFC and NFD: a file
    made on macOS beside one made elsewhere)."""
    if path == other:
        return ("an earlier record of this file",)
    if unicodedata.normalize("NFC", path) != unicodedata.normalize("NFC", other):
        return (Named(other),)
    return (Named(other), " (the two names differ only in how their accented letters are "
            "encoded, NFC and NFD, as macOS and other systems write them: remove one)")


def _is_file(entry: os.DirEntry, problems: list[Diagnostic]) -> bool:
    """Whether ``entry`` is a file or a symlink to one (one it cannot tell, and a
    symlink to nothing, its target moved or deleted: reported)."""
    try:
        if entry.is_file():
            return True
        if entry.is_symlink():
            os.stat(entry.path)  # (a link to a folder is no file; one to nothing raises)
        return False
    except FileNotFoundError:
        try:
            target = os.readlink(entry.path)
        except OSError:  # (the link deleted since the listing: not an input)
            return False
        problems.append(Diagnostic(entry.path, None, None, "", "unreadable",
                                   f"is a symlink to {target!r}, which does not exist"))
    except OSError as exc:
        problems.append(_unreadable(entry.path, exc))
    return False


@dataclass
class _Result:
    """What reading one file gave: everything but the muscles (and their records) is
    small, and is all a later run needs of an unchanged file to lint and validate."""

    path: str
    mtime: float
    diagnostics: list[Diagnostic]
    #: The slug and corpus-lint fingerprint of each muscle, in the file's order.
    slugs: list[str]
    fingerprints: list[Fingerprint]
    #: For the cache: the file's stamp and sha256 taken before it was read, and when.
    seen: Stamp | None = None
    content: bytes | None = None
    recorded: int = 0
    #: A digest of all a run's diagnostics depend on in this file (see :func:`essence`).
    essence: str = ""
    #: The places in :attr:`slugs` of the muscles marked drafts (:mod:`converter.drafts`).
    drafts: list[int] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, ...]:  # one per file, into the cache and out
        return (_Result, (self.path, self.mtime, self.diagnostics, self.slugs,
                          self.fingerprints, self.seen, self.content, self.recorded,
                          self.essence, self.drafts))


def essence(result: _Result) -> str:
    """A digest of the path, diagnostics, slugs and fingerprints of a reading: all that
    the run's diagnostics depend on in the file (its fingerprints carry where each
    field the corpus lint names is). Two readings with one essence differ at most in
    their muscles."""
    parts = (result.path, [tuple(d) for d in result.diagnostics], result.slugs,
             [tuple(f) for f in result.fingerprints], result.drafts)
    try:  # marshal's version 0 writes equal values as equal bytes (no references)
        return hashlib.sha256(marshal.dumps(parts, 0)).hexdigest()
    except ValueError:  # a value marshal does not know (a reader's odd diagnostic)
        return cache_key(*parts)


@dataclass
class _Read:
    """One file's :class:`_Result` with its muscles and, for a record writer, their
    records; each part also pickled when it crossed from a worker (kept for the cache)."""

    result: _Result
    muscles: list[Muscle] | None = None
    records: list[str] | None = None
    blobs: tuple[bytes, bytes, bytes | None] | None = None


#: The writer a run makes records for and its options (sorted pairs: part of a key).
_Writer = tuple[Format, tuple[tuple[str, Any], ...]]
#: What reading one file needs: (path, format name, read settings, cacheable); the
#: settings are (default language, size limit, diagram size, record writer), shared by
#: all items.
_Settings = tuple[str, int, "tuple[int, int] | None", "_Writer | None"]
_Item = tuple[str, str, _Settings, bool]


def _read_one(item: _Item) -> _Read:
    """Read and lint one input completely (in a worker process for per-file formats),
    and make the record writer's records of its muscles.

    A muscle with lint errors is left out of the result; its diagnostics stay. With
    ``cacheable`` the file's stamp and hash are taken first, so a cached result is
    never newer than the content it is filed under."""
    path, format_name, (default_lang, max_bytes, size, writer), cacheable = item
    ctx = ReadContext(default_lang=default_lang, max_bytes=max_bytes)
    diagnostics: list[Diagnostic] = []
    ctx.report = diagnostics.append
    positions: Positions = {}

    def located(muscle: Muscle, where: Callable[[str], Position | None]) -> None:
        positions.update((f, at) for f in located_fields(muscle) if (at := where(f)))

    ctx.located = located
    muscles: list[Muscle] = []
    fmt, file = get_format(format_name), Path(path)
    mtime = 0.0
    seen, content, recorded = None, None, 0
    try:
        if cacheable:
            recorded, seen = time.time_ns(), stamp(path)
            if seen[0] <= min(max_bytes, 1 << 20):  # read once: hashed, then parsed
                ahead = read_at_most(path, seen[0], max_bytes)  # grown: refused as too large
                content = content_digest(ahead)
                ctx.read_ahead[str(file)] = ahead
            else:
                content = digest(path)
        mtime = _mtime(path, seen)
        many = not fmt.one_muscle_per_file  # its diagnostics name the muscle's record
        for muscle in fmt.read(file, ctx):
            found = [] if fmt.validates else _foreign_problems(fmt, muscle, path, many)
            found = found or check_muscle(muscle, path, size,
                                          record_label(muscle) if many else "",
                                          fmt.field_name if many else None)
            diagnostics.extend(found)
            if not has_errors(found):
                muscles.append(muscle)
    except MuscleError as exc:
        diagnostics.extend(exc.diagnostics)
    except OSError as exc:
        diagnostics.append(_unreadable(path, exc))
    except Exception as exc:  # a third party's reader: its bug is this file's error
        if fmt.validates:
            raise
        diagnostics.append(Diagnostic(path, None, None, "", "reader-failed",
                                      f"the {fmt.name} reader failed: "
                                      f"{type(exc).__name__}: {exc}"))
    if fmt.one_muscle_per_file:  # one file, one muscle's fields
        prints = [fingerprint(m, positions) for m in muscles]
    else:  # many: warnings name the muscle's record
        prints = [fingerprint(m, None, record_label(m)) for m in muscles]
        if fmt.places_fields and muscles:
            where = fmt.places(file)
            prints = [p._replace(places=_places(fmt, where, m, p.record))
                      for m, p in zip(muscles, prints, strict=True)]
        elif fmt.locates_fields and muscles:
            prints = _placed_by_content(path, prints)
    result = _Result(path, mtime, list(locate_lines(diagnostics, fmt)),
                     [m.slug for m in muscles], prints, seen, content, recorded,
                     drafts=[i for i, m in enumerate(muscles) if m.extra and is_draft(m.extra)])
    result.essence = essence(result)
    return _Read(result, muscles, _records(writer, muscles))


def _foreign_problems(fmt: Format, muscle: Any, path: str, many: bool) -> list[Diagnostic]:
    """What is wrong with ``muscle`` as a reader of front matter would see it, for a
    reader that does not declare :attr:`Format.validates` (a third party's): a muscle
    of the model's types, with a slug, texts and links that the writers can take."""
    if not isinstance(muscle, Muscle):
        return [Diagnostic(path, None, None, "", "reader-failed",
                           f"the {fmt.name} reader gave a {type(muscle).__name__}, not a "
                           "Muscle")]
    shape = misshapen(muscle)
    if shape is not None:
        return [Diagnostic(path, None, None, "", "reader-failed",
                           f"the {fmt.name} reader gave a muscle whose {shape}")]
    return muscle_problems(muscle, path, record_label(muscle) if many else "")


def _places(fmt: Format, where: Callable[[str], Place | None], muscle: Muscle, record: str
            ) -> int:
    """A digest of where (``where``: ``fmt``'s places of its input) the fields of
    ``muscle``, its ``record``, are that a corpus lint may name (see
    :attr:`Fingerprint.places`)."""
    found = [where(in_record(record, fmt.field_name(f))) for f in located_fields(muscle)]
    text = repr(found).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest())


def _placed_by_content(path: str, prints: list[Fingerprint]) -> list[Fingerprint]:
    """``prints`` of the muscles of the file of many at ``path`` whose format locates
    their fields by line (JSON), each marked with the file's content: a change anywhere
    in it may move their lines, so a cached run places their warnings anew, as a fresh
    run does (the fingerprints hold no lines)."""
    try:
        moved = int.from_bytes(digest(path)[:8])
    except OSError:
        return prints
    return [p._replace(places=moved) for p in prints]


def _records(writer: _Writer | None, muscles: list[Muscle]) -> list[str] | None:
    """The records ``writer`` makes of ``muscles`` (None without a writer)."""
    if writer is None:
        return None
    fmt, options = writer[0], dict(writer[1])
    return [fmt.record(m, options) for m in muscles]


def _in_pool(fmt: Format) -> bool:
    """Whether an input of ``fmt`` is read in a worker process when there is a pool: a
    file of one muscle. A file of many is read in the main process, where the lints
    after reading ask where its muscles' fields are (:meth:`Format.places`, which a
    format answers from what its reading kept): read in a worker, it would be read a
    second time there."""
    return fmt.one_muscle_per_file


def _read_chunk(items: list[_Item]) -> list[tuple[bytes, bytes, bytes | None]]:
    """Read items in a worker. Result, muscles and records go back pickled apart: the
    main process unpickles only what the run needs and keeps the bytes for the cache."""
    out = []
    for item in items:
        read = _read_one(item)
        out.append((_pickle(read.result), _pickle(read.muscles),
                    None if read.records is None else _pickle(read.records)))
    return out


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _mtime(path: str, known: Stamp | None = None) -> float:
    """A file's modification time in seconds (from its stamp when known)."""
    return (known or stamp(path))[1] / 1e9


class Locator:
    """Fills in line and column of diagnostics that name a field but no line, asking
    each file's format (``fmt``, else the one its name says) once per field where it
    belongs (:meth:`Format.places`: in a data package, the file too, and the field as
    its row names it). It remembers only the current file's answers: a file's
    diagnostics come together. :meth:`field_name` names fields as a file's format
    does."""

    def __init__(self, fmt: Format | None = None) -> None:
        self._fmt = fmt
        self._path: str | None = None
        self._owner: Callable[[str], Place | None] | None = None
        self._format: Format | None = None
        self._found: dict[tuple[str, bool], Place | None] = {}
        self._owners: dict[str, Format | None] = {}  # (see _format_of)

    @classmethod
    def of(cls, inputs: Inputs) -> Locator:
        """A locator for the files of ``inputs``: their format when they have one (every
        input has ``--from``'s), else each file's, found by its name as discovery did."""
        formats = inputs.formats()
        return cls(next(iter(formats)) if len(formats) == 1 else None)

    def field_name(self, path: str, field: str) -> str:
        """``field`` of a muscle of the file at ``path`` as its format names it
        (``Format.field_name``): what a corpus lint's diagnostics say."""
        owner = self._format_of(path)
        return owner.field_name(field) if owner else field

    def _format_of(self, path: str) -> Format | None:
        """The format of the file at ``path``: the locator's, else the one its name says
        (the last :data:`_OWNERS_KEPT` files' remembered)."""
        if self._fmt is not None:
            return self._fmt
        if path not in self._owners:
            if len(self._owners) >= _OWNERS_KEPT:
                self._owners.clear()
            self._owners[path] = detect_format(Path(path), for_reading=True)
        return self._owners[path]

    def __call__(self, d: Diagnostic) -> Diagnostic:
        if d.line is not None or not d.field:
            return d
        if d.path != self._path:
            self._path, self._found = d.path, {}
            self._format = owner = self._format_of(d.path)
            self._owner = owner.places(Path(d.path)) if owner else None
        asked = (d.field, d.code in AT_KEY)
        if asked not in self._found:
            self._found[asked] = self._key(d) if asked[1] else (
                self._owner(d.field) if self._owner else None)
        where = self._found[asked]
        return d._replace(path=where.path, line=where.line, column=where.column,
                          field=where.field) if where else d

    def _key(self, d: Diagnostic) -> Place | None:
        """Where the key ``d`` is about is written (:meth:`Format.locate_key`), in a
        format that places its fields by :meth:`Format.locate`; else where the field
        belongs."""
        owner = self._format
        if owner is None or owner.places_fields:
            return self._owner(d.field) if self._owner else None
        at = owner.locate_key(Path(d.path), d.field)
        return None if at is None else Place(d.path, *at, d.field)


#: The codes of diagnostics about a key itself, not its value: placed at the key.
AT_KEY = frozenset({"duplicate-key"})


#: The files whose formats a :class:`Locator` remembers (a corpus lint names the fields
#: of files of many muscles, which are few).
_OWNERS_KEPT = 256


def locate_lines(diagnostics: Iterable[Diagnostic], fmt: Format | None = None
                 ) -> Iterator[Diagnostic]:
    """``diagnostics`` with the lines a :class:`Locator` finds, as they stream past."""
    return map(Locator(fmt), diagnostics)


@dataclass
class Reader:
    """Streams muscles (or a record writer's records, or only slugs) from inputs;
    diagnostics, sources and the corpus lint fill in as it goes.

    Iterate it for muscles; :meth:`records` and :meth:`slugs` load less: an unchanged
    file's muscles are not even unpickled from the cache when its records are there."""

    inputs: Inputs
    default_lang: str = "en"
    max_bytes: int = 4 * 1024 * 1024
    jobs: int = 1
    size: tuple[int, int] | None = None
    on_file: Callable[[int], None] | None = None
    cache: Cache | None = None
    #: When set, every muscle streamed is added to it.
    corpus: CorpusLint | None = None
    #: When a list, the (path, fingerprint) of every muscle streamed is appended to it.
    prints: list[tuple[str, Fingerprint]] | None = None
    #: The record writer and its options, for :meth:`records`.
    writer: tuple[Format, dict[str, Any]] | None = None
    diagnostics: DiagnosticLog = field(default_factory=DiagnosticLog)
    #: slug -> the first file that gave it, on disk (:class:`~converter.scratch.Sources`).
    sources: Sources = field(default_factory=Sources)
    files_read: int = 0
    files_parsed: int = 0
    #: Muscles streamed so far.
    count: int = 0
    #: Muscles left out because another file had their slug first.
    duplicates: int = 0
    #: Whether muscles marked drafts are streamed (else they are left out before they
    #: take a slug or reach the corpus lint, and counted in :attr:`drafts_left_out`).
    drafts: bool = True
    drafts_left_out: int = 0
    #: The files of the drafts left out, each once.
    draft_paths: list[str] = field(default_factory=list)
    #: The files read that gave no muscle at all (a file of many that holds none).
    empty_paths: list[str] = field(default_factory=list)
    #: Of the files read so far, per :data:`~converter.cache.RUN_CHUNK` inputs: their
    #: :func:`essence`; their paths and slugs.
    essences: ChunkDigests = field(default_factory=ChunkDigests)
    slugs_read: ChunkDigests = field(default_factory=ChunkDigests)
    #: (muscles, diagnostics) per :data:`~converter.cache.RUN_CHUNK` files read.
    tally: ChunkTally = field(default_factory=ChunkTally)
    #: Places the diagnostics this reader makes itself (a slug taken already, in a file
    #: of many muscles).
    locate: Locator = field(default_factory=Locator, repr=False)

    def __iter__(self) -> Iterator[Muscle]:
        for _, muscle in self._stream("muscles"):
            yield muscle

    def records(self) -> Iterator[tuple[str, str]]:
        """(slug, record) of every muscle, made by :attr:`writer`'s ``record``."""
        return self._stream("records")

    def slugs(self) -> Iterator[str]:
        """The slug of every muscle, loading nothing else (for validating)."""
        for slug, _ in self._stream("slugs"):
            yield slug

    def read_key(self) -> str:
        """What a cached reading depends on besides the file: code, read options and
        the working directory (readings are filed under paths as given, and a relative
        path names another file from elsewhere).

        The code is that of every format whose readings are cached (the
        one-muscle-per-file ones), not only of this reader's inputs: a patch reads a
        few chunks of a run's inputs and must find the readings the run filed."""
        modules = {sys.modules[type(f).__module__] for f in all_formats()
                   if f.one_muscle_per_file}
        return cache_key(code_fingerprint(modules), self.default_lang, self.max_bytes,
                         self.size, working_folder())  # (as slugs of bundles see it)

    def _writer_spec(self) -> _Writer:
        assert self.writer is not None, "records() needs a writer"
        fmt, options = self.writer
        return fmt, tuple(sorted(options.items()))

    def _record_key(self, read_key: str) -> str:
        """What cached records depend on besides the reading: the writer's code and options."""
        assert self.writer is not None
        fmt, options = self._writer_spec()
        module = sys.modules[type(fmt).__module__]
        return cache_key(read_key, code_fingerprint({module}), type(fmt).__qualname__,
                         fmt.name, options)

    def _stream(self, kind: str) -> Iterator[tuple[str, Any]]:
        """(slug, its muscle or record or None, by ``kind``) of each muscle whose slug
        is the first of its kind."""
        for path, read in self._reads(kind):  # the input's path: one string for all uses
            self.files_read += 1
            if self.on_file:
                self.on_file(1)
            result = read.result
            self.essences.add(result.essence.encode("ascii"))
            left_out = () if self.drafts else result.drafts
            self.slugs_read.add(repr((path, result.slugs, left_out)).encode(
                "utf-8", "surrogatepass"))
            self.diagnostics.extend(result.diagnostics)
            tally = self.tally.next()
            tally[1] += len(result.diagnostics)
            payloads = read.muscles if kind == "muscles" else read.records
            drafts = set(left_out)
            if not result.slugs:
                self.empty_paths.append(path)
            for i, slug in enumerate(result.slugs):
                if drafts and i in drafts:  # (a draft takes no slug)
                    self.drafts_left_out += 1
                    if not self.draft_paths or self.draft_paths[-1] != path:
                        self.draft_paths.append(path)
                    continue
                record = result.fingerprints[i].record  # a file of many: the muscle
                first = self.sources.claim(slug, Source(path, result.mtime, bool(record)))
                if first is not None:
                    self.duplicates += 1
                    tally[1] += 1
                    message, others = worded(f"slug {slug!r} is already used by ",
                                             *_user_of(path, first.path))
                    taken = Diagnostic(path, None, None, in_record(record, "slug"),
                                       "duplicate-slug", message, "error", others)
                    # (placed at its record in a file of many; the path names a file
                    # of one muscle, whose slug is mostly its name)
                    self.diagnostics.append(self.locate(taken) if record else taken)
                    continue
                if self.corpus is not None:
                    self.corpus.add_fingerprint(result.fingerprints[i], path)
                if self.prints is not None:
                    self.prints.append((path, result.fingerprints[i]))
                self.count += 1
                tally[0] += 1
                yield slug, None if payloads is None else payloads[i]

    def _reads(self, kind: str) -> Iterator[tuple[str, _Read]]:
        """(path, reading) of every input in input order: from the cache when it still
        holds (one-muscle-per-file formats only), freshly read otherwise."""
        cache = self.cache
        key = self.read_key() if cache else ""
        record_key = self._record_key(key) if cache and kind == "records" else ""
        cached = bytearray(len(self.inputs))
        if cache is not None:
            hits = cache.fresh(key, ((i.path, i.stamp) for i in self.inputs
                                     if i.format.one_muscle_per_file))
            for n, item in enumerate(self.inputs):
                if item.format.one_muscle_per_file:
                    cached[n] = next(hits)
        settings = (self.default_lang, self.max_bytes, self.size,
                    self._writer_spec() if kind == "records" else None)
        pooled = bytearray(not hit and _in_pool(i.format)
                           for i, hit in zip(self.inputs, cached, strict=True))
        items = ((i.path, i.format.name, settings, cache is not None)
                 for i, in_pool in zip(self.inputs, pooled, strict=True) if in_pool)
        parsed = self._parsed(items, pooled.count(True), kind)
        recalled = self._recalled(key, record_key, kind, (
            i for i, hit in zip(self.inputs, cached, strict=True) if hit))
        for item, hit, in_pool in zip(self.inputs, cached, pooled, strict=True):
            read = next(recalled) if hit else None
            if read is None:
                read = next(parsed) if in_pool else _read_one(
                    (item.path, item.format.name, settings,
                     cache is not None and item.format.one_muscle_per_file))
                self.files_parsed += 1
                if cache and read.result.seen and read.result.content:
                    self._store(cache, key, record_key, read)
            yield item.path, read

    def _recalled(self, key: str, record_key: str, kind: str, hits: Iterator[Input]
                  ) -> Iterator[_Read | None]:
        """The cached reading of each file in ``hits`` (files :meth:`Cache.fresh`
        accepted), with what ``kind`` needs, fetched a batch at a time; None for a file
        whose entry vanished. Missing records are made and cached."""
        cache = self.cache
        while batch := list(itertools.islice(hits, BATCH)):
            assert cache is not None  # only a cache accepts files
            found = cache.results(key, [i.path for i in batch], muscles=kind == "muscles",
                                  record_key=record_key)
            for item in batch:
                entry = found.get(item.path)
                if entry is None:
                    yield None
                    continue
                result, muscles, records, content = entry
                result.mtime = _mtime(item.path, item.stamp)  # a touched file is newer
                if kind == "records" and records is None:
                    entry = cache.results(key, [item.path], muscles=True).get(item.path)
                    if entry is None:
                        yield None
                        continue
                    records = _records(self._writer_spec(), entry[1])
                    cache.store_records(record_key, item.path, content, _pickle(records))
                yield _Read(result, muscles, records)

    @staticmethod
    def _store(cache: Cache, key: str, record_key: str, read: _Read) -> None:
        result = read.result
        assert result.seen is not None and result.content is not None
        blobs = read.blobs or (_pickle(result), _pickle(read.muscles),
                               None if read.records is None else _pickle(read.records))
        cache.store(key, result.path, result.seen, result.content, result.recorded,
                    blobs[0], blobs[1],
                    (record_key, blobs[2]) if record_key and blobs[2] is not None else None)

    def _parsed(self, items: Iterator[_Item], count: int, kind: str) -> Iterator[_Read]:
        """Read ``count`` ``items`` in order, in a process pool when there are enough,
        unpickling only what ``kind`` needs. At most :data:`WINDOW` chunks per worker
        are in flight, so memory stays flat however far the consumer lags."""
        if self.jobs <= 1 or count < 2 * CHUNK:
            for item in items:
                yield _read_one(item)
            return
        chunks = iter(lambda: list(itertools.islice(items, CHUNK)), [])
        with pooled(self.jobs) as pool:
            pending = deque(pool.apply_async(_read_chunk, (chunk,))
                            for chunk in itertools.islice(chunks, WINDOW * self.jobs))
            while pending:
                blobs = pending.popleft().get()
                pending.extend(pool.apply_async(_read_chunk, (chunk,))
                               for chunk in itertools.islice(chunks, 1))
                for blob in blobs:
                    yield _Read(pickle.loads(blob[0]),
                                pickle.loads(blob[1]) if kind == "muscles" else None,
                                pickle.loads(blob[2]) if kind == "records" and blob[2]
                                else None, blob)
