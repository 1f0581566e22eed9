"""Finding a run's inputs: the files its sources name, searched in folders (with
``--exclude`` and the output left out), each with the format that reads it.

:func:`discover` turns paths (files, directories, any readable format) into
:class:`Inputs`, a compact sequence in a deterministic order, with a diagnostic for
each path that cannot be read instead of stopping. :mod:`converter.pipeline` reads them.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, NamedTuple

from .cache import (
    Stamp,
    change_stamp,
    stamp_with,
    storable,
)
from .diagnostics import (
    STDIN_NAME,
    Diagnostic,
    MuscleError,
    Named,
    agreeing,
    counted,
    printable,
    worded,
)
from .exclude import Exclusion, exclusion
from .formatbase import searching
from .marker import DIRECTORY_MARKER
from .registry import (
    Format,
    all_formats,
    detect_format,
    endings_of,
    format_names,
    get_format,
    ranked,
    spelling,
    unknown_format,
)
from .scratch import decode, encode
from .slug import check_working_folder

#: What an mtime no 64-bit integer holds is stored as (the real one kept apart).
_WIDE = -(1 << 63)

#: Files stat-ed and added to the inputs at once during discovery.
_STAT_BATCH = 4096

#: Whether a file can be stat-ed by its name in an open folder (not on Windows), and
#: how such a folder is opened.
_BY_NAME = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)

#: How many entries (files and folders, hidden ones too) the ``no-inputs`` hint looks
#: at below one symlink to a folder, breadth first, and below all of them: a link to a
#: big tree (a home folder, ``node_modules``) holding nothing to read is not walked whole
#: for a hint; a link whose first entries hold no file to read is not named.
LINK_LOOKS = 1_000
LINKS_LOOKS = 10_000


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
        #: mtimes no 64-bit integer holds (a file dated after 2262 or before 1677), by
        #: input: their place in ``_mtimes`` holds :data:`_WIDE`.
        self._wide: dict[int, int] = {}
        #: The stamps :meth:`stamped` took of inputs discovery did not see, by input.
        self._taken: dict[int, Stamp] = {}
        #: Folders below a source that were not searched: muscle-convert wrote them
        #: (they hold its marker file), as the paths a walk names them by.
        self.skipped: list[str] = []
        #: Files below a source that a search found by their ending but left out unread,
        #: as their format says they are not its own (:meth:`Format.is_own`).
        self.passed_over: list[str] = []
        #: The files named as sources themselves, as their paths are given: ``--exclude``
        #: does not leave them out (but with ``--force-exclude``).
        self.named: set[str] = set()

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
        blobs = [encode(name) for name in names]
        start = len(self._names)
        self._names += b"".join(blobs)
        self._ends.extend(start + end for end in itertools.accumulate(map(len, blobs)))
        ids = {fmt: index for index, fmt in enumerate(self._formats)}
        for fmt in formats:
            if fmt not in ids:
                ids[fmt] = len(self._formats)
                self._formats.append(fmt)
            self._format_ids.append(ids[fmt])
        self._sizes.extend(sizes)
        if storable(min(mtimes), max(mtimes)):  # (nearly always: no mtime to keep apart)
            self._mtimes.extend(mtimes)
        else:
            for mtime in mtimes:
                if not storable(mtime):
                    self._wide[len(self._mtimes)] = mtime
                    mtime = _WIDE
                self._mtimes.append(mtime)
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
                     None if size < 0 else (size, self._wide.get(index, self._mtimes[index]),
                                            self._ctimes[index]))

    def __iter__(self) -> Iterator[Input]:
        formats = self._formats
        for path, fmt, size, mtime, ctime in zip(self._paths(), self._format_ids, self._sizes,
                                                 self._all_mtimes(), self._ctimes, strict=True):
            yield Input(path, formats[fmt], None if size < 0 else (size, mtime, ctime))

    def _all_mtimes(self) -> Iterator[int]:
        """Every input's mtime in order, a wide one as it is."""
        if not self._wide:
            yield from self._mtimes
            return
        for index, mtime in enumerate(self._mtimes):
            yield self._wide.get(index, mtime) if mtime == _WIDE else mtime

    def formats(self) -> set[Format]:
        """The formats that read the inputs."""
        return set(self._formats)

    def flagged(self, test: Callable[[Format], bool]) -> bytearray:
        """Of each input in order, whether ``test`` holds for its format (asked once per
        format; no path is made)."""
        flags = bytes(bool(test(fmt)) for fmt in self._formats)
        return bytearray(flags[fmt] for fmt in self._format_ids)

    def stamped(self) -> Iterator[tuple[str, int, int, int]]:
        """(path, size, mtime, ctime) of each input, stat-ing those discovery did not
        see (with the files their format reads with them: :meth:`Format.companions`),
        once: a later call gives what the first took; raises ``OSError`` for one that
        cannot be read."""
        if not self._wide and (not self._sizes or min(self._sizes) >= 0):
            # (the usual case: discovery saw every input, no mtime is kept apart)
            yield from zip(self._paths(), self._sizes, self._mtimes, self._ctimes,
                           strict=True)
            return
        for index, (path, fmt, size, mtime, ctime) in enumerate(zip(
                self._paths(), self._format_ids, self._sizes, self._all_mtimes(),
                self._ctimes, strict=True)):
            if size >= 0:
                yield path, size, mtime, ctime
                continue
            if index not in self._taken:
                self._taken[index] = stamp_with(path,
                                                self._formats[fmt].companions(Path(path)))
            yield path, *self._taken[index]

    def restamp(self, moved: Mapping[Stamp, Stamp]) -> bool:
        """Give each input whose stamp (as :meth:`stamped` gives it) is a key of
        ``moved`` the stamp it maps to (see :mod:`converter.relinked`); whether any
        was."""
        if not moved:  # (nearly always: no output folder linked a source)
            return False
        changes, found = {old[2] for old in moved}, False
        for index, ctime in enumerate(self._ctimes):
            old = (self._sizes[index], self._mtimes[index], ctime)
            if ctime in changes and old in moved and index not in self._wide \
                    and storable(moved[old][1]):
                self._sizes[index], self._mtimes[index], self._ctimes[index] = moved[old]
                found = True
        for index, old in self._taken.items():
            if old in moved:
                self._taken[index], found = moved[old], True
        return found



def not_loaded_ending(path: Path, doing: str) -> str | None:
    """That the format named as ``path``'s ending is (``.broken``, the broken format),
    which may ``doing`` (read, write) it, could not be loaded; None when no such format
    failed to load."""
    ending = path.suffix.lower().removeprefix(".")
    if ending and ending in set(format_names()) - {f.name for f in all_formats()}:
        return (f"the {ending} format, which may {doing} it, could not be loaded (see its "
                "warning)")
    return None


def _naming_a_format(path: Path) -> str:
    """How the file ``path``, whose name tells no format, is told to name one (``use
    --from``, ``use format=``), or, for ``fmt``, which takes none, what it rewrites; or,
    when a format named as its ending is (``.yaml``, the yaml format) could not be
    loaded, that it could not (naming it fails as well)."""
    unloaded = not_loaded_ending(path, "read")
    if unloaded is not None:
        return unloaded
    named = spelling()
    return f"use {named.asked('from')}" if named.names_formats else _only_formatted()


def _only_formatted() -> str:
    """What fmt rewrites, for a hint: ``fmt rewrites only .markdown or .md files``: the
    endings whose file, named or found in a folder's search, is taken as a format that
    can rewrite it (of one ending several formats claim, the first ranked is asked: a
    later one's ``reformat`` rewrites none of its files)."""
    owners = _owners(ranked(f for f in all_formats() if f.can_read))
    spelled = {ending: next(ext for ext in fmt.extensions if ext.lower() == ending)
               for ending, fmt in owners.items() if fmt.can_format}
    return f"fmt rewrites only {' or '.join(spelled[e] for e in sorted(spelled))} files"


def _owners(formats: Sequence[Format]) -> dict[str, Format]:
    """Each file name ending (lower case) of ``formats`` (:func:`ranked`) -> the first
    of them that claims it, whose files they are."""
    return {ending: fmt for fmt in reversed(formats) for ending in endings_of(fmt)}


def _searched() -> dict[str, Format]:
    """The endings (lower case) a folder's search without ``--from`` takes, each ->
    its format: those whose file, named, is taken as a format of one muscle per file
    (of one ending several formats claim, the first ranked's: a plugin's reader of one
    muscle per ``.json`` file reads no ``.json`` file a search finds, as none named is
    its, but json's, which a search does not take)."""
    owners = _owners(ranked(f for f in all_formats() if f.can_read))
    return {ending: fmt for ending, fmt in owners.items() if fmt.one_muscle_per_file}


def discover(paths: Iterable[str | Path], from_format: str | None = None,
             leave_out: str | Path | None = None, exclude: Iterable[str] = (), *,
             formatting: bool = False) -> tuple[Inputs, list[Diagnostic]]:
    """Expand paths into inputs: directories recursively (files of the one-muscle-per-file
    formats, each the format it is when named, see :func:`_searched`; or the whole
    directory when it carries a format's marker), files by ``from_format`` or by their
    ending. Sorted, so runs are reproducible. ``leave_out``
    (the run's output) is not read where a directory holds it: a run never reads what
    it writes; nor is any other folder below a source that muscle-convert wrote (it
    holds the :data:`~converter.marker.DIRECTORY_MARKER`), which is noted in the
    inputs' ``skipped`` (a folder named as a source is read); nor what the ``exclude``
    patterns match below a source folder (:mod:`converter.exclude`; a ``bad-option``
    error for one that is no pattern). A file named again (``samples
    samples/soleus.md``, ``samples ./samples``, also through a symlink) is read once,
    where it first came; a path below two folders named is left out as the first one's
    search has it. A file a search found that its format does not take for its own
    (:meth:`~converter.formatbase.Format.is_own`, asked within
    :func:`~converter.formatbase.searching`) is left out, noted in the inputs'
    ``passed_over``. A source named is always read. ``formatting`` (``fmt``'s search): a
    folder's walk takes only the files of formats that can rewrite them
    (:attr:`~converter.formatbase.Format.can_format`; a file whose ending is first
    another format's is left out), a file named is its format's."""
    try:
        forced = None if from_format is None else get_format(from_format)  # ("" too)
    except KeyError:
        raise MuscleError(Diagnostic(spelling().option("from"), None, None, "",
                                     "unknown-format",
                                     unknown_format(str(from_format), writing=False))) from None
    try:
        excluded = exclusion(exclude)
    except ValueError as exc:
        raise MuscleError(Diagnostic(spelling().option("exclude"), None, None, "",
                                     "bad-option", str(exc))) from None
    if forced is not None and not forced.can_read:
        raise MuscleError(Diagnostic(spelling().option("from"), None, None, "", "cannot-read",
                                     f"the {forced.name} format has no reader"))
    inputs = Inputs()
    problems: list[Diagnostic] = []
    named, relative = _Named(leave_out), False
    for raw in paths:
        path = Path(raw)
        relative = relative or not path.is_absolute()
        if not os.fspath(raw):  # (Path("") is the working folder: an unset $SOURCES)
            problems.append(Diagnostic('""', None, None, "", "not-found",
                                       "an empty path names no file or folder"))
            continue
        try:
            if not _exists(path):
                problems.append(_dangling(path) if path.is_symlink() else
                                Diagnostic(STDIN_NAME, None, None, "", "not-found",
                                           "is not read: name files or folders",
                                           stream=True)
                                if str(raw) == "-" else
                                Diagnostic(str(path), None, None, "", "not-found",
                                           "no such file or directory"))
                continue
            is_dir = path.is_dir()
            if not is_dir and not path.is_file():  # a FIFO would hang, /dev/zero not end
                problems.append(Diagnostic(str(path), None, None, "", "not-a-file",
                                           "is not a regular file or directory (a device, "
                                           "FIFO or socket)"))
                continue
            detected = _detected(path, is_dir, forced)
        except OSError as exc:  # in a folder that cannot be searched
            problems.append(unreadable(str(path), exc))
            continue
        if is_dir and (detected is None or (forced and (
                forced.one_muscle_per_file or forced.name != detected.name))):
            # (a folder that is not a unit of --from's format: its files of that format)
            by_ending = _owners([forced]) if forced else _searched()
            if formatting:  # (only what fmt rewrites: an ending stays its owner's)
                by_ending = {e: f for e, f in by_ending.items() if f.can_format}
            root = str(path).rstrip(os.sep) or os.sep
            unit = forced if forced and forced.directory_marker else None
            skip = named.folder(root, tuple(by_ending), unit and unit.directory_marker)
            if skip is None:  # below a folder already read
                continue
            before, reported, outputs = len(inputs), len(problems), len(inputs.skipped)
            foreign: list[tuple[str, Format]] = []
            left_out: list[str] = []
            with searching(root, excluded):
                _walk(root, tuple(by_ending), _ending_lookup(by_ending), inputs, problems,
                      skip | named.output_in(root), unit=unit, foreign=foreign,
                      exclude=excluded, left_out=left_out)
            inputs.passed_over += (p for p, _ in foreign)
            named.not_walked(d.path for d in problems[reported:] if d.code == "unreadable")
            named.not_walked([*inputs.skipped[outputs:], *(p for p, _ in foreign),
                              *left_out])
            if len(inputs) == before and not skip and len(problems) == reported:
                # (empty, or a --from that reads none; one it could not read, a symlink
                # to nothing included, is said as unreadable, not as nothing to read)
                hint = _others_in(root, set(by_ending), detected, inputs.skipped[outputs:],
                                  foreign, left_out)
                message, others = worded(
                    f"holds no {_endings_shown(by_ending)} files to read", *hint)
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
                "cannot tell the format from the name; " + _naming_a_format(path)))
        else:
            if not is_dir:
                inputs.named.add(str(path))
            if named.file(str(path / fmt.directory_marker) if is_dir and fmt.directory_marker
                          else str(path)):  # (a folder read as a unit is its marker file)
                inputs.add(str(path), fmt)
    inputs.skipped = [f for f in inputs.skipped if not named.searched(f)]
    inputs.passed_over = [f for f in inputs.passed_over if named.left_out(f)]
    if relative:  # (a search from a folder deleted under it finds nothing there)
        check_working_folder()
    return inputs, problems


def foreign_named(sources: Iterable[str], folder: str, from_format: str | None = None,
                  *, formatting: bool = False) -> list[str]:
    """The files among ``sources`` (named on the command line, ``--force-exclude``)
    that a search of ``folder`` (the working folder) would leave out as their format
    says they are not its own (:meth:`Format.is_own`, asked within one
    :func:`~converter.formatbase.searching` of ``folder``), the format the search would
    take each for (``from_format``'s, or its ending's; ``formatting``: ``fmt``'s). A
    folder, a path outside ``folder``, and one an ``is_own`` fails on are kept."""
    from .slug import relative_below

    try:
        forced = None if from_format is None else get_format(from_format)
    except KeyError:  # (discover's unknown-format error says it)
        return []
    by_ending = _owners([forced]) if forced else _searched()
    if formatting:
        by_ending = {e: f for e, f in by_ending.items() if f.can_format}
    if not any(f.sorts_found for f in by_ending.values()):
        return []
    format_of, root = _ending_lookup(by_ending), os.path.realpath(folder)
    left: list[str] = []
    with searching(root):
        for source in sources:
            parts = relative_below(source, folder)
            if parts is None or not any(parts[-1].lower().endswith(e) for e in by_ending):
                continue
            path = os.path.join(root, *parts)
            fmt = format_of(parts[-1])
            try:
                if os.path.isfile(path) and fmt.sorts_found and not fmt.is_own(Path(path)):
                    left.append(source)
            except (MuscleError, OSError):  # (read, its failure said there)
                continue
    return left


def _endings_shown(by_ending: dict[str, Format]) -> str:
    """The endings of ``by_ending`` (:func:`_owners`) as their formats spell them
    (``.markdown or .md or .TITLES``), sorted in any case."""
    spelled = {ending: next(ext for ext in fmt.extensions if ext.lower() == ending)
               for ending, fmt in by_ending.items()}
    return " or ".join(spelled[ending] for ending in sorted(spelled))


def _detected(path: Path, is_dir: bool, forced: Format | None) -> Format | None:
    """The format of the source ``path``: a folder holding the marker of ``forced``
    (``--from``) is its, though a format ranked before it has that marker too; else
    the format its marker or ending says."""
    marker = forced.directory_marker if forced is not None and is_dir else None
    if marker and (path / marker).is_file():
        return forced
    return detect_format(path, for_reading=True)


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

    def left_out(self, path: str) -> bool:
        """Whether the file ``path`` a search passed over was not named as well (and so
        read)."""
        return _located(path) not in self._files

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


def passed_over(paths: Sequence[str], tag: str = "") -> str:
    """What to tell of the files a search left out as not their format's own (one line,
    ``tag`` at its start), ``paths`` not empty: the first named, with why where its
    format says (:meth:`~converter.formatbase.Format.why_not_own`)."""
    many, first = len(paths), min(paths)
    fmt = detect_format(Path(first), for_reading=True)
    why = None if fmt is None else why_not_own(fmt, first)
    return printable(f"{tag}{counted(many, 'files')} left out: "
                     f"{agreeing(many, 'its format does', 'their formats do')} not take "
                     f"{agreeing(many, 'it', 'them')} for {agreeing(many, 'its', 'their')} "
                     f"own ({agreeing(many, '', 'such as ')}{first}"
                     f"{'' if why is None else ', ' + why}: name "
                     f"{agreeing(many, 'it', 'one')} to read it)")


def why_not_own(fmt: Format, path: str) -> str | None:
    """Why ``fmt`` leaves out the file ``path`` a search found, as it says
    (:meth:`~converter.formatbase.Format.why_not_own`): None where it does not, or where
    a third party's hook fails (the file was left out all the same)."""
    try:
        return fmt.why_not_own(Path(path))
    except MuscleError:  # (its guard's: a reason is only ever a help)
        return None


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
    to their format, or the files of other formats in it or below it (regular files and
    folders only: a link to a device is nothing to read). The walk that found nothing
    went through all of it already, so all its entries are looked at. Options are named
    as the caller names them (:func:`~converter.registry.spelling`)."""
    named = spelling()
    if left_out:  # (first: what the user's own patterns left out)
        exclude = named.option("exclude")
        return ((f" ({exclude} left out ", Named(min(left_out)), ")") if len(left_out) == 1
                else (f" ({exclude} left out the {len(left_out)} found, such as ",
                      Named(min(left_out)), ")"))
    if outputs:
        return (f" (only in {counted(len(outputs), 'folders')} muscle-convert wrote, "
                f"{agreeing(len(outputs), '', 'such as ')}", Named(outputs[0]),
                ", which a search leaves out: name it to read it)")
    if unit is not None:
        if not named.names_formats:
            return (f" (it is a {unit.name} folder: {_only_formatted()})",)
        return (f" (it is a {unit.name} folder: read it without {named.option('from')}, "
                f"or {named.given('from', unit.name)})",)
    written = detect_format(Path(folder), for_reading=False)
    if written is not None and not written.can_read:
        return (f" (it is a {written.name} folder, a format muscle-convert writes but cannot "
                "read)",)
    if foreign:
        first, owner = min(foreign, key=lambda found: found[0])
        why = why_not_own(owner, first)
        said, then = (": name ", " to see why)") if why is None else (f", {why}: name ",
                                                                      " to read it)")
        if len(foreign) == 1:
            return (" (", Named(first), f" is not what the {owner.name} reader takes"
                    f"{said}it{then}")
        return (f" (the {len(foreign)} found, such as ", Named(first), ", are not what the "
                f"{owner.name} reader takes{said}one{then}")
    links: list[str] = []
    found = _formats_below(folder, tuple(read), links)
    if found is None:
        return ()
    prefix = "" if folder == os.curdir else folder.rstrip(os.sep) + os.sep
    held = _holding([prefix + link for link in sorted(links)], tuple(read))
    if held:  # (a search skips them, as it does hidden names: only here is it said)
        return ((" (", Named(held[0]), " is a link to a folder, which a search does not "
                 "follow: name it to read it)") if len(held) == 1 else
                (" (", Named(held[0]), f" and {counted(len(held) - 1, 'others')} are links "
                 "to folders, which a search does not follow: name them to read them)"))
    if not found:
        return ()
    name, names = min(found.items())
    opening = (f" (it holds {counted(len(names), f'{name} files')}, "
               f"{agreeing(len(names), '', 'such as ')}{min(names)}: ")
    if not named.names_formats:
        return (f"{opening}{_only_formatted()})",)
    them = agreeing(len(names), "it", "them")
    readers = _readers_of(prefix, names, name)
    if not readers:  # (no other format reads them: the one that reads them named)
        return (f"{opening}name {them}, or pass {named.given('from', name)})",)
    return (f"{opening}name {them} or pass {named.given('from', name)} to read {them} as "
            f"{name}" + "".join(f", or pass {named.given('from', other)} to read {them} "
                                f"as {other}" for other in readers) + ")",)


def _readers_of(prefix: str, names: Sequence[str], owner: str) -> list[str]:
    """The formats other than ``owner`` (ranked) that would read some of ``names``
    (paths after ``prefix``: ``owner``'s files, and its folders when it reads folders
    as one) in a folder's search with ``--from`` naming them: a file by its ending, a
    folder by its marker (a plugin's reader of one muscle per ``.svg`` file, whose
    file, named, is svg's)."""
    owning = get_format(owner)
    folders = {name for name in names if os.path.isdir(prefix + name)} \
        if owning.directory_marker else set()

    def reads(fmt: Format, name: str) -> bool:
        if name in folders:
            return bool(fmt.directory_marker) and os.path.isfile(
                os.path.join(prefix + name, fmt.directory_marker))
        return name.lower().endswith(endings_of(fmt))

    return [fmt.name for fmt in ranked(f for f in all_formats() if f.can_read)
            if fmt.name != owning.name and any(reads(fmt, name) for name in names)]


def _formats_below(folder: str, read: tuple[str, ...], links: list[str]
                   ) -> dict[str, list[str]] | None:
    """The files below ``folder`` that a format reads, and the folders read as one (a
    map's), by format name, as paths from ``folder``: hidden names, files of the endings
    ``read`` and folders muscle-convert wrote left out, symlinks to folders not followed
    but added to ``links`` (None: ``folder`` cannot be listed)."""
    found: dict[str, list[str]] = {}
    stack = [""]
    while stack:
        below = stack.pop()
        try:
            with os.scandir(os.path.join(folder, below)) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            if not below:
                return None
            continue
        for entry in listed:
            with contextlib.suppress(OSError):
                _look_at(entry, below, read, found, stack, links)
    return found


def _holding(links: Sequence[str], read: tuple[str, ...]) -> list[str]:
    """The ``links`` to folders a search of which would find a file of the endings
    ``read``, each looked into for :data:`LINK_LOOKS` entries at most and all of them
    for :data:`LINKS_LOOKS` (those past it are not looked into)."""
    held: list[str] = []
    left = LINKS_LOOKS
    for link in links:
        if left <= 0:
            break
        found, looked = _holds(link, read, min(LINK_LOOKS, left))
        left -= looked
        if found:
            held.append(link)
    return held


def _holds(folder: str, read: tuple[str, ...], most: int) -> tuple[bool, int]:
    """Whether a search of ``folder`` would find a file of the endings ``read`` (hidden
    names, symlinks to folders and folders muscle-convert wrote left out) among the
    first ``most`` entries below it, breadth first, stopping at the first; and how many
    entries it looked at."""
    queue = deque([folder])
    looked = 0
    while queue:
        try:
            with os.scandir(queue.popleft()) as entries:
                for entry in entries:
                    looked += 1
                    if entry.name.startswith("."):
                        pass
                    elif entry.is_dir(follow_symlinks=False):
                        if not os.path.isfile(os.path.join(entry.path, DIRECTORY_MARKER)):
                            queue.append(entry.path)
                    elif entry.name.lower().endswith(read) and entry.is_file():
                        return True, looked
                    if looked >= most:
                        return False, looked
        except OSError:
            continue
    return False, looked


def _look_at(entry: os.DirEntry, below: str, read: tuple[str, ...],
             found: dict[str, list[str]], stack: list[str], links: list[str]) -> None:
    """Note the file or folder ``entry`` (in the folder ``below``) in ``found`` by the
    format that reads it; a folder no format reads as one goes on ``stack`` to search,
    or on ``links`` when it is a symlink."""
    name = entry.name
    if name.startswith("."):
        return
    if entry.is_dir():
        fmt = detect_format(Path(entry.path), for_reading=True)
        if fmt is None and entry.is_symlink():
            links.append(os.path.join(below, name))
        elif fmt is None and not os.path.isfile(os.path.join(entry.path, DIRECTORY_MARKER)):
            stack.append(os.path.join(below, name))
    elif entry.is_file() and not name.lower().endswith(read):
        fmt = detect_format(Path(entry.path), for_reading=True)
    else:
        return
    if fmt is not None:
        found.setdefault(fmt.name, []).append(os.path.join(below, name))


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


def unreadable(path: str, exc: OSError) -> Diagnostic:
    """The ``unreadable`` diagnostic of ``path``, which the system refused."""
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
    format says is not its own (:meth:`Format.own_names`, asked once per folder, or
    :meth:`Format.is_own` of each file: an icon among maps) is left out, it and its
    format added to ``foreign``; one a third party's ``is_own`` (or a folder's files
    its ``own_names``) fails on is left out, its ``reader-failed`` error in
    ``problems``. A file of those endings or a folder that
    ``exclude`` matches (by its path ``below`` the source folder, the walk's first
    ``directory``) is left out unread, a folder not searched, and its path added to
    ``left_out``. One ``scandir`` per folder and one ``stat`` per file
    (and a look into those of a format that :attr:`~Format.sorts_found`), in sorted
    order: only names are held while a folder sorts. A folder that cannot be listed, or
    a file that cannot be stat-ed, is one ``unreadable`` diagnostic in ``problems``."""
    search = _Search(endings, format_of, found, problems, skip, unit,
                     [] if foreign is None else foreign, exclude,
                     [] if left_out is None else left_out)
    # (a stack of the folders being listed, not a call per level: any depth walks)
    stack = [_folder(search, directory, below)]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
        else:
            stack.append(_folder(search, *step))


class _Search(NamedTuple):
    """What :func:`_walk` shares with each folder it lists."""

    endings: tuple[str, ...]
    format_of: Callable[[str], Format]
    found: Inputs
    problems: list[Diagnostic]
    skip: AbstractSet[tuple[str, str]]
    unit: Format | None
    foreign: list[tuple[str, Format]]
    exclude: Exclusion | None
    left_out: list[str]


def _folder(search: _Search, directory: str, below: str) -> Iterator[tuple[str, str]]:
    """List ``directory`` for :func:`_walk`: its files added in order, yielding each of
    its folders (path, and path below the source folder) when the walk is to go into it
    (its files that sort after that folder added only after it has been walked)."""
    # (files of ".": "x.md", as every reader names a Path("./x.md"), not "./x.md")
    prefix = "" if directory == os.curdir else directory.rstrip(os.sep) + os.sep
    listed = _listing(search, directory, below, prefix)
    if listed is None:
        return
    folders, names, units = listed
    files: list[str] = []  # the files since the last folder, in order
    for name in names:
        while folders and folders[-1] < name:  # the folders that sort before this file
            _add(search, prefix, files, units)
            folder = folders.pop()
            yield prefix + folder, f"{below}{folder}/"
        files.append(name)
        if len(files) >= _STAT_BATCH:
            _add(search, prefix, files, units)
    _add(search, prefix, files, units)
    for folder in reversed(folders):
        yield prefix + folder, f"{below}{folder}/"


def _listing(search: _Search, directory: str, below: str, prefix: str
             ) -> tuple[list[str], list[str], set[str]] | None:
    """The folders to search (sorted last first), the names of files and units (sorted)
    and the names of units in ``directory`` (None: it cannot be listed, reported)."""
    unit, exclude, left_out = search.unit, search.exclude, search.left_out
    folders: list[str] = []
    names: list[str] = []  # of files (a folder may hold 100,000: no tuple per name)
    units: set[str] = set()  # the names of folders read as one input
    outputs: list[str] = []  # the names of folders muscle-convert wrote
    skipped = {name for folder, name in search.skip if folder == directory}
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
                elif not name.lower().endswith(search.endings):
                    continue
                elif exclude is not None and exclude(below + name, False):
                    left_out.append(prefix + name)
                elif _is_file(entry, search.problems):
                    names.append(name)
    except OSError as exc:
        search.problems.append(unreadable(directory, exc))
        return None
    folders.sort(reverse=True)  # the next folder in order at the end
    names.sort()
    search.found.skipped += (prefix + name for name in sorted(outputs))
    return folders, names, units


def _add(search: _Search, prefix: str, files: list[str], units: set[str]) -> None:
    """Stat the ``files`` of the folder ``prefix`` and add them to the inputs found (a
    unit's folder as it is), emptying ``files``. Each file is stat-ed by its name in
    the folder, opened once (no lookup of the folder's path per file); each format is
    asked once whether it tells its files from others (:attr:`Format.sorts_found`), and
    one that does which of them are its own (:func:`_owned`)."""
    unit, format_of = search.unit, search.format_of
    kept, sizes, mtimes, ctimes, formats = [], [], [], [], []
    sorting: dict[Format, bool] = {}
    with _opened(prefix) as folder:
        for name in files:
            if name in units:  # (stamped with its files when read: Inputs.stamped)
                fmt = unit
                st = None
            else:
                try:
                    st = os.stat(name, dir_fd=folder) if folder is not None \
                        else os.stat(prefix + name)
                except FileNotFoundError:  # deleted since the listing: not an input
                    continue
                except OSError as exc:  # in a folder that can be listed but not searched
                    search.problems.append(unreadable(prefix + name, exc))
                    continue
                fmt = format_of(name)
            if fmt not in sorting:
                sorting[fmt] = fmt.sorts_found
            kept.append(name)
            formats.append(fmt)
            if st is None:
                sizes.append(-1)
                mtimes.append(0)
                ctimes.append(0)
            else:
                sizes.append(st.st_size)
                mtimes.append(st.st_mtime_ns)
                ctimes.append(change_stamp(st))
    files.clear()
    if any(sorting.values()):
        taken = _owned(search, prefix, kept, formats, sorting)
        if taken is not None:
            kept, formats, sizes, mtimes, ctimes = (
                list(itertools.compress(values, taken))
                for values in (kept, formats, sizes, mtimes, ctimes))
    search.found.add_files(prefix, kept, formats, sizes, mtimes, ctimes)


def _owned(search: _Search, prefix: str, names: list[str], formats: list[Format],
           sorting: Mapping[Format, bool]) -> list[bool] | None:
    """Of each file (or unit) ``names`` of the folder ``prefix``, read by ``formats``,
    whether its format takes it for its own (None: all are taken). A format that
    :attr:`~Format.sorts_found` (as ``sorting`` says) is asked once for its files of the
    folder (:meth:`Format.own_names`), or, when it tells none at once, of each
    (:func:`_own`), in order; a file not taken is added to the search's ``foreign``.
    A third party's ``own_names`` that fails (raises, or gives no list of a bool per
    name) is the folder's ``reader-failed`` error among the search's ``problems``, its
    files of that format left out."""
    told: dict[Format, Iterator[bool] | None] = {}
    for fmt, sorts in sorting.items():
        if not sorts:
            continue
        own = names if len(sorting) == 1 else [
            name for name, of in zip(names, formats, strict=True) if of is fmt]
        try:
            verdicts = fmt.own_names(prefix, own)
        except MuscleError as exc:  # (its guard's, naming the format, the hook, the folder)
            search.problems.extend(exc.diagnostics)
            verdicts = [None] * len(own)  # (left out, not said to be another's)
        if verdicts is not None and len(sorting) == 1 and all(verdicts):
            return None  # (the usual case: a folder of one format's own files)
        told[fmt] = None if verdicts is None else iter(verdicts)
    taken = []
    for name, fmt in zip(names, formats, strict=True):
        verdicts = told.get(fmt, _ALL_TAKEN)
        if verdicts is None:
            taken.append(_own(fmt, prefix + name, search))
            continue
        verdict = next(verdicts)
        if verdict is False:
            search.foreign.append((prefix + name, fmt))
        taken.append(bool(verdict))
    return taken


#: The verdicts of a format that takes each of its files (one that sorts none).
_ALL_TAKEN = itertools.repeat(True)


@contextlib.contextmanager
def _opened(prefix: str) -> Iterator[int | None]:
    """A descriptor of the folder ``prefix`` (``""``: the working folder) to stat its
    files by name in, closed after; None where it cannot be opened (the files are then
    stat-ed by their paths, which say what is wrong)."""
    try:
        folder = os.open(prefix or os.curdir, _FOLDER_FLAGS) if _BY_NAME else None
    except OSError:
        folder = None
    if folder is None:
        yield None
        return
    try:
        yield folder
    finally:
        os.close(folder)


def _own(fmt: Format | None, path: str, search: _Search) -> bool:
    """Whether ``fmt`` takes the ``path`` a search found as its own; if not, it is
    added to the search's ``foreign``. A third party's ``is_own`` that fails (raises,
    or gives no bool) is that file's ``reader-failed`` error among the search's
    ``problems``, the file left out (the other files are read)."""
    if fmt is None or not fmt.sorts_found:
        return True
    try:
        if fmt.is_own(Path(path)):
            return True
    except MuscleError as exc:  # (its guard's, naming the format, the hook and the file)
        search.problems.extend(exc.diagnostics)
        return False
    search.foreign.append((path, fmt))
    return False


def _exists(path: Path) -> bool:
    """Whether ``path`` names something (a symlink: what it leads to); an ``OSError``
    for what cannot be told, a loop of symlinks among them (``Too many levels of
    symbolic links``, as a folder's search says it: no link to nothing)."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def _dangling(link: Path) -> Diagnostic:
    """The diagnostic of a symlink to nothing (its target moved or deleted): it is
    there, so not ``not-found``; raises ``OSError`` when it is no symlink now."""
    return Diagnostic(str(link), None, None, "", "unreadable",
                      f"is a symlink to {os.readlink(link)!r}, which does not exist")


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
            problems.append(_dangling(Path(entry.path)))
        except OSError:  # (the link deleted since the listing: not an input)
            return False
    except OSError as exc:
        problems.append(unreadable(entry.path, exc))
    return False

