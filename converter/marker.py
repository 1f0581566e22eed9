"""The marker an output folder carries, ``.muscle-convert``: the file that says
muscle-convert wrote the folder, and which of its files the last run wrote (the next run
replaces those and keeps the rest).

A marker is only ever read as what it is meant to be, a regular file in the folder: one
that is a link, a folder, a FIFO or a device, that cannot be read, or that does not hold
the lines muscle-convert writes, tells nothing, and the folder is not replaced
(``output-not-ours``). Only the names of regular files at the top of the folder are ever
taken from it: no writer makes a folder or a link inside its output. Each name is
followed by the SHA-256 of the bytes written (a tab between): a listed file whose bytes
are others now was changed since, the user's, and no run replaces or removes it
(:func:`check_unedited`); a name with none (an older version's marker, or one a run
killed as it renamed left) is the tool's whatever its bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import MuscleError, agreeing, error

#: File left in every output directory so a later run knows it may replace it.
DIRECTORY_MARKER = ".muscle-convert"
#: The marker's first lines; the names the run wrote follow, one a line (the names of a
#: format's files and of slugs: no line breaks).
MARKER_HEAD = ("written by muscle-convert, which replaces the files it wrote (listed "
               "below)\nand keeps any others put here\n")
#: The whole marker of the versions before it listed the files (up to 5 December 2026):
#: their runs wrote files only, at the top of the folder, and kept nothing else.
OLDER_MARKER = "written by muscle-convert; safe to replace"
#: How the digest after a listed name is written (a tab before it).
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
#: How many files a diagnostic names at most; it counts the others.
_NAMED_AT_MOST = 10
#: What an ``lstat`` mode that is no regular file is, in a diagnostic.
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
          (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True)
class Marker:
    """What an output folder's marker says of its files: the ``names`` the last run
    wrote, or, for an older version's marker (``every_file``), all its files; and the
    ``digests`` of the bytes it wrote in them, by name (see :func:`file_digest`)."""

    names: frozenset[str] = frozenset()
    every_file: bool = False
    digests: Mapping[str, str] = field(default_factory=dict, hash=False)

    def ours(self, folder: Path) -> set[str]:
        """The names in ``folder`` the last run wrote: regular files the marker lists
        (any, for an older version's), never a folder, a link or the marker itself."""
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries
                    if entry.name != DIRECTORY_MARKER
                    and (self.every_file or entry.name in self.names)
                    and entry.is_file(follow_symlinks=False)}


def check_no_folder_named(folder: Path, written: list[str], shown: str) -> None:
    """Refuse (``cannot-write``, naming the output folder ``shown``) to write the files
    ``written`` into ``folder`` where one of their names is a folder there: no run makes
    one, so it is the user's, and putting a file in its place would remove it with all
    in it."""
    folders = _folders_named(folder, written)
    if not folders:
        return
    n = len(folders)
    them = agreeing(n, "it", "them")
    raise error(shown, "cannot-write", f"cannot write here: {', '.join(folders)} "
                f"{agreeing(n, 'is a folder', 'are folders')} of yours, where this run "
                f"writes {agreeing(n, 'a file', 'files')} of that name; {them} "
                f"{agreeing(n, 'is', 'are')} left as {agreeing(n, 'it is', 'they are')}, "
                f"and this run wrote nothing there: move or rename {them}, or write "
                "elsewhere")


def _folders_named(folder: Path, names: list[str]) -> list[str]:
    """Those of ``names`` that are folders in ``folder`` (not links to one), in order:
    one listing of it, not a look at each name (thousands, for a map's focus images)."""
    try:
        with os.scandir(folder) as entries:
            found = {entry.name for entry in entries
                     if entry.is_dir(follow_symlinks=False)}
    except OSError:  # (no folder there, or one that cannot be listed: as if none)
        return []
    return [name for name in names if name in found]


def check_unedited(folder: Path, marker: Marker, names: Iterable[str], shown: str
                   ) -> dict[str, str]:
    """Refuse (``cannot-write``, naming the output folder ``shown``) to replace or remove
    the files ``names`` in ``folder``, the tool's as its ``marker`` says, where one's
    bytes are not those the marker's digest says the run wrote: it was changed since,
    and is the user's. Else the digests of those it hashed (:func:`digests_of`)."""
    found = digests_of(folder, (name for name in names if name in marker.digests))
    edited = sorted(name for name, digest in found.items()
                    if digest != marker.digests[name])
    if not edited:
        return found
    n = len(edited)
    them = agreeing(n, "it", "them")
    listed = ", ".join(edited[:_NAMED_AT_MOST]) + (
        f" and {n - _NAMED_AT_MOST} more" if n > _NAMED_AT_MOST else "")
    raise error(shown, "cannot-write", f"cannot write here: {listed} "
                f"{agreeing(n, 'was', 'were')} changed since muscle-convert wrote "
                f"{them} (not the bytes its marker {DIRECTORY_MARKER} says), and this run "
                f"would replace or remove {them}; {them} {agreeing(n, 'is', 'are')} left "
                f"as {agreeing(n, 'it is', 'they are')}, and this run wrote nothing there: "
                f"move {them} away (or remove {them}) for the run to write "
                f"{agreeing(n, 'its', 'their')} own again, or write elsewhere")


def file_digest(path: Path) -> str | None:
    """The SHA-256 of the bytes of the regular file ``path`` (``sha256:`` and its hex),
    opened without following a link or waiting for a writer; None where there is no
    such file to be read. (A small file is read in one call, with no buffer around it:
    a folder of a map holds thousands of them.)"""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        seen = os.fstat(fd)
        if not stat.S_ISREG(seen.st_mode):
            return None
        digest = hashlib.sha256()
        chunk = os.read(fd, min(seen.st_size, _CHUNK) + 1)
        while chunk:
            digest.update(chunk)
            chunk = os.read(fd, _CHUNK)
        return "sha256:" + digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


#: How much of a file :func:`file_digest` reads at once.
_CHUNK = 1 << 16
#: The digests of the files saved with :func:`note_saved`, by folder, then name: each
#: with what ``fstat`` saw of the file as it was written.
_SAVED: dict[str, dict[str, tuple[os.stat_result, str]]] = {}


def note_saved(path: Path, written: os.stat_result, data: bytes) -> None:
    """Note that the file ``path`` was just written with the bytes ``data`` (``fstat``
    saw it as ``written``): :func:`digests_of` takes their digest while the file is
    still as written (:func:`unchanged`), without reading it again."""
    _SAVED.setdefault(os.fspath(path.parent), {})[path.name] = (
        written, "sha256:" + hashlib.sha256(data).hexdigest())


def forget_saved(folder: Path) -> None:
    """Forget what :func:`note_saved` noted of the files of ``folder``."""
    _SAVED.pop(os.fspath(folder), None)


def unchanged(seen: os.stat_result, path: Path, *, moved: bool = False) -> bool:
    """Whether ``path`` is still the entry ``lstat`` (or ``fstat``) saw as ``seen``: the
    same device, inode, type, size and modification time, and change time, which any
    write sets and no one can set back (but where the run has ``moved`` it since: a
    rename changes that)."""
    try:
        now = os.lstat(path)
    except OSError:
        return False
    same = ((now.st_dev, now.st_ino, stat.S_IFMT(now.st_mode), now.st_size,
             now.st_mtime_ns) == (seen.st_dev, seen.st_ino, stat.S_IFMT(seen.st_mode),
                                  seen.st_size, seen.st_mtime_ns))
    return same and (moved or now.st_ctime_ns == seen.st_ctime_ns)


def digests_of(folder: Path, names: Iterable[str]) -> dict[str, str]:
    """The digests (:func:`file_digest`) of the files ``names`` in ``folder``: of one
    saved with :func:`note_saved` and still as written, the digest noted then."""
    saved = _SAVED.pop(os.fspath(folder), {})
    found = {}
    for name in names:
        noted = saved.get(name)
        found[name] = noted[1] if noted is not None and unchanged(noted[0], folder / name) \
            else file_digest(folder / name)
    return {name: digest for name, digest in found.items() if digest is not None}


def marker_text(written: list[str], digests: Mapping[str, str] | None = None) -> str:
    """The marker of a folder whose run wrote the files ``written``, each with the
    digest of its bytes where ``digests`` has it (none: a marker of names only)."""
    digests = digests or {}
    return MARKER_HEAD + "".join(
        f"{name}\t{digests[name]}\n" if name in digests else f"{name}\n"
        for name in written)


def read_marker(folder: Path, shown: str | None = None) -> Marker:
    """The marker in ``folder`` (an empty one where there is none); ``output-not-ours``
    for one that cannot be understood, which ``shown`` (the folder as the user gave it)
    names. It is looked at before it is opened, and opened without following a link or
    waiting for a writer: a FIFO never blocks, a device is never opened."""
    name = shown or str(folder)
    path = folder / DIRECTORY_MARKER
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return Marker()
    except OSError as exc:
        raise _not_understood(name, f"cannot be looked at ({exc.strerror or exc})") from None
    if not stat.S_ISREG(before.st_mode):
        raise _not_understood(name, f"is {_kind(before.st_mode)}, not a file")
    return _understood(_read(path, before, name), name)


def _kind(mode: int) -> str:
    """What the ``lstat`` ``mode`` of something that is no regular file is."""
    return next((kind for test, kind in _KINDS if test(mode)), "a device")


def _read(path: Path, before: os.stat_result, name: str) -> bytes:
    """The bytes of the marker ``path``, which ``lstat`` saw as ``before``: refused if it
    was replaced by something else since."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise _not_understood(name, f"cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fh.fileno())
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not (
                stat.S_ISREG(now.st_mode)):
            raise _not_understood(name, "changed while it was read")
        try:
            return fh.read()
        except OSError as exc:
            raise _not_understood(name, f"cannot be read ({exc.strerror or exc})") from None


#: The last marker understood, by its bytes: a run reads its output folder's marker
#: five times or more (as it begins, as it checks the files, before and after the
#: swap), a line for each of thousands of files, the same each time.
_LAST: dict[bytes, Marker] = {}


def _understood(raw: bytes, name: str) -> Marker:
    """:func:`_parsed` of ``raw``, the marker understood last time where its bytes are
    the same."""
    known = _LAST.get(raw)
    if known is None:
        known = _parsed(raw, name)
        _LAST.clear()
        _LAST[raw] = known
    return known


def _parsed(raw: bytes, name: str) -> Marker:
    """The marker of the bytes ``raw`` (an editor's byte order mark, spaces and CRLF line
    ends aside)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_understood(name, "is not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines()]
    if not any(lines):
        raise _not_understood(name, "is empty")
    if [line for line in lines if line] == [OLDER_MARKER]:
        return Marker(every_file=True)
    head = MARKER_HEAD.splitlines()
    if lines[:len(head)] != head:
        raise _not_understood(name, "does not begin with the two lines muscle-convert "
                                    "writes there")
    listed = [_listed(line) for line in lines[len(head):]]
    listed = [(each, digest) for each, digest in listed if _plain_name(each)]
    return Marker(frozenset(each for each, _ in listed),
                  digests={each: digest for each, digest in listed if digest})


def _listed(line: str) -> tuple[str, str | None]:
    """The name a marker's ``line`` lists, and the digest after it (None: none)."""
    each, tab, digest = line.rpartition("\t")
    if tab and _DIGEST.fullmatch(digest):
        return each.rstrip(), digest
    return line, None


def _plain_name(name: str) -> bool:
    """Whether ``name`` names a file inside the folder (not the marker, nor a path)."""
    return bool(name) and name not in {".", "..", DIRECTORY_MARKER} and not any(
        mark in name for mark in ("/", "\\", "\0"))


def _not_understood(name: str, why: str) -> MuscleError:
    """The ``output-not-ours`` error of the output folder ``name`` whose marker ``why``."""
    marker = os.path.join(name, DIRECTORY_MARKER)
    return error(name, "output-not-ours",
                 f"its marker {marker} {why}, so the files muscle-convert wrote there cannot "
                 "be told from yours, and nothing is replaced: restore the marker as "
                 "muscle-convert wrote it, or choose a new or empty directory")
