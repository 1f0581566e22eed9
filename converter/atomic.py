"""Atomic output files: a failed or killed run leaves the previous output intact.

Files are written to a temporary file beside the target and renamed over it.
An output path that is a symlink is followed: the file it names is replaced and the
link stays. A device or FIFO (``-o /dev/null``) is written into, as there is nothing
to replace, and so is standard output (``-o -``, :data:`STDOUT`). A later write of the
same output removes a killed run's temporaries (see :func:`sweep_leftovers`): a
temporary file or folder at once where no run holds its lock (one a run holds is left),
others, and one where no lock can tell (no ``flock``, or a file system other than a
local one: see :mod:`~converter.mounts`), once a day old.
Output folders are built and swapped in by :mod:`converter.atomic_folder`, on the
temporaries, signal handling and file helpers of this module.
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import functools
import io
import os
import re
import shutil
import signal
import sqlite3
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from .diagnostics import STDOUT_NAME as STDOUT_NAME
from .diagnostics import Diagnostic, MuscleError, Named, error, worded
from .kept_attributes import keep_attributes
from .made_folders import note, undo_all
from .once_written import ENDING as _ENDING
from .once_written import WRITTEN_ATTRIBUTE as _WRITTEN
from .once_written import is_default, mark, output_of, placed, resting, say
from .once_written import stopped_message as stopped_message
from .slug import check_working_folder

#: A temporary sibling this old is a killed run's leftover (a running one's is newer).
STALE_SECONDS = 24 * 3600
#: (Not ``.old``: where there is no ``renameat2`` that may be the only copy of an output.)
_TEMPORARY_ENDINGS = (".tmp", ".tmpdir")
#: The output path that means standard output.
STDOUT = "-"


def temporary_prefix(path: Path) -> str:
    """``.<name>.``, how the temporaries beside ``path`` begin: the name cut to 200 bytes,
    so that the random part and the ending still fit in the 255 bytes of a file name."""
    return f".{os.fsdecode(os.fsencode(path.name)[:200])}."


def sweep_leftovers(path: Path,
                    running: Callable[[str], bool | None] | None = None) -> None:
    """Remove temporaries beside ``path`` that runs killed while writing it left behind
    (the ones this module names ``.<name>.<random>.tmp`` and so on). A temporary file
    or folder of ``path``'s own (:func:`_own_temporary`) goes as :func:`sweep_killed`
    removes it
    (:func:`_swept`): at once where no run holds its lock, never where one does, once
    older than :data:`STALE_SECONDS` where no lock can tell. Of the others, those
    ``running`` says no run has (False) go at once, those it says a run has (True)
    never, and the rest (it cannot tell: None) once older than :data:`STALE_SECONDS`.
    Where the file system is no local one (:func:`_trusted`: NFS, SMB, FUSE, ..., or it
    cannot be told), no lock can tell."""
    path = Path(path)
    prefix, now = temporary_prefix(path), time.time()
    try:
        entries = [e for e in os.scandir(path.parent)
                   if e.name.startswith(prefix) and e.name.endswith(_TEMPORARY_ENDINGS)]
    except OSError:
        return
    for entry in entries:
        if _own_temporary(entry.name, {prefix}):
            _swept(entry, now)
            continue
        with contextlib.suppress(OSError):
            told = running(entry.path) if running is not None else None
            if told is False and not _trusted(entry.path):
                told = None  # (another machine's run's may look unheld: see _trusted)
            if told or (told is None and now - entry.stat(
                    follow_symlinks=False).st_mtime < STALE_SECONDS):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def cannot_write(output: Path, exc: OSError) -> MuscleError:
    """The ``cannot-write`` error of an output whose place ``exc`` refused (a file in
    the way, no permission, a full disk), naming what is in the way when it is not the
    output itself, and the folder that cannot be written when a file could not be
    made there; ``working-folder-gone`` when the working folder is gone and
    ``output`` is found from it, or ``exc`` says what is not found (the folder itself)."""
    if isinstance(exc, FileNotFoundError) or not os.path.isabs(output):
        check_working_folder()
    blocker = str(exc.filename or "")
    given = (str(output), os.path.abspath(output), os.path.realpath(output))
    inside = blocker and any(path.startswith(blocker) and path != blocker for path in given)
    in_the_way = _file_above(blocker) if inside and exc.errno in (
        errno.EEXIST, errno.ENOTDIR) else None
    if in_the_way:  # (makedirs says "File exists", or "Not a directory" below it)
        return error(output_name(output), "cannot-write",
                     f"cannot write here: {in_the_way} is a file, not a folder",
                     stream=output_is_stdout(output))
    folder = _folder_refusing(output, blocker if not inside else _there_above(blocker), exc)
    if folder is not None:
        message, named = worded(f"cannot write here: {exc.strerror or exc}: the folder ",
                                Named(folder), " cannot be written (a read-only folder or "
                                "file system, or another user's folder); make that folder "
                                "writable, or write into one that is")
        return MuscleError(Diagnostic(output_name(output), None, None, "", "cannot-write",
                                      message, "error", named, output_is_stdout(output)))
    where = f" ({blocker})" if inside else ""
    return error(output_name(output), "cannot-write",
                 f"cannot write here: {exc.strerror or exc}{where}",
                 stream=output_is_stdout(output))


#: How the system says a folder cannot be written.
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def _folder_refusing(output: Path, made: str, exc: OSError) -> str | None:
    """The folder in which ``exc`` refused to make ``made`` (a temporary beside the
    output, the output itself, or a folder above it), as ``output`` names it when it is
    one of the output's own;
    None when ``exc`` is no refusal to write there, or ``made`` is the output there
    already (the file, not its folder, refused)."""
    if exc.errno not in _NOT_WRITABLE or not made or os.path.lexists(made):
        return None
    folder, named = os.path.dirname(os.path.abspath(made)), os.path.dirname(output)
    while not _names(named, folder) and named != os.path.dirname(named):
        named = os.path.dirname(named)
    return (named or ".") if _names(named, folder) else folder


def _names(named: str, folder: str) -> bool:
    """Whether the path ``named`` (the working folder when empty) is ``folder``, an
    absolute path, or leads there through symbolic links (``..`` after a folder that
    is not there leads nowhere)."""
    return folder in (os.path.abspath(named or "."), os.path.realpath(
        named or ".")) and os.path.isdir(named or ".")


def _there_above(missing: str) -> str:
    """The first of the folders above ``missing`` (one that could not be made) that is
    there, joined with the name below it: what its folder refused to make."""
    while missing and not os.path.lexists(os.path.dirname(missing)):
        missing = os.path.dirname(missing)
    return missing


def _file_above(path: str) -> str | None:
    """The first of ``path`` and the folders above it that is there but no folder (a
    file where an output's folder was to be), or None."""
    ancestors = [path, *(str(p) for p in Path(path).parents)]
    for place in reversed(ancestors):
        if os.path.lexists(place) and not os.path.isdir(place):
            return place
    return None


def real_target(path: Path) -> Path:
    """The path output to ``path`` goes to: symlinks followed (a link stays a link and
    the file it names is replaced), even a dangling one."""
    return Path(os.path.realpath(path))


def is_stdout(path: str | Path) -> bool:
    """True for ``-``, which names standard output."""
    return os.fspath(path) == STDOUT


def names_stdout(path: str | Path) -> bool:
    """True for ``-`` and for a name of descriptor 1 (``/dev/stdout``, ``/dev/fd/1``):
    each writes to standard output, and nowhere when it is closed."""
    return is_stdout(path) or descriptor_named(os.fspath(path)) == 1


def output_name(path: str | Path) -> str:
    """How a diagnostic or summary names the output ``path``: ``standard output`` for
    ``-`` and a name of descriptor 1 (``/dev/stdout``, ``/dev/fd/1``), no file of
    that name being written, else the path as given."""
    return STDOUT_NAME if output_is_stdout(path) else os.fspath(path)


def output_is_stdout(path: str | Path) -> bool:
    """Whether a diagnostic about the output ``path`` is about standard output (see
    :func:`output_name`; its :attr:`~converter.diagnostics.Diagnostic.stream`), not a
    file (one named ``standard output`` is not)."""
    with contextlib.suppress(OSError):  # (a relative name once the working folder is gone)
        return names_stdout(path)
    return False


def output_file(out: Path, name: str) -> Path:
    """The file ``name`` in the output folder ``out``, as a diagnostic about it names
    it: ``out`` itself when that is standard output (:func:`output_is_stdout`), which
    holds no file (``-/map.svg`` is none), so the diagnostic says standard output."""
    return out if output_is_stdout(out) else out / name


def is_special(path: Path) -> bool:
    """True for standard output, a name of one of this process's descriptors
    (``/dev/stdout``, ``/dev/fd/3``: see :func:`descriptor_named`), whatever it leads
    to (a file the shell opened, ``> out.json``), and for an existing path that is
    neither a regular file nor a directory: a device, FIFO or socket, which must never
    be renamed over."""
    if is_stdout(path) or descriptor_named(os.fspath(path)) is not None:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w", *, still: Callable[[Path], None] | None = None,
                **open_args: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` (once
    ``still``, given the file it replaces, raises nothing: see :func:`atomic_path`). A
    device, FIFO or standard output is written into directly instead."""
    if is_stdout(path):
        sys.stdout.flush()
        raw = getattr(sys.stdout, "buffer", None)
        with (_written_into(raw, mode, STDOUT, **open_args) if raw is not None
              else _text_into(sys.stdout, mode, **open_args)) as fh:
            yield fh
        return
    if is_special(path):  # (before symlinks are followed: /dev/stdout names a pipe)
        with _opened_into(path) as raw, _written_into(raw, mode, os.fspath(path),
                                                      **open_args) as fh:
            yield fh
        return
    with atomic_path(real_target(path), still) as tmp, open(  # type: ignore[call-overload]
            tmp, mode, **open_args) as fh:
        yield fh


def _opened_into(path: Path) -> IO[bytes]:
    """The special output ``path`` opened to be written into: a name of one of this
    process's descriptors (``/dev/stdout``) as a copy of that descriptor, which writes
    where it stands (a file the shell opened with ``>>`` is added to, not emptied);
    a device or FIFO opened."""
    fd = descriptor_named(os.fspath(path))
    return os.fdopen(os.dup(fd), "wb") if fd is not None else open(path, "wb")


@contextlib.contextmanager
def atomic_path(path: Path, still: Callable[[Path], None] | None = None
                ) -> Iterator[Path]:
    """A new temporary file beside ``path``, for a writer that opens it itself (SQLite):
    when the block ends, synced to disk, it replaces ``path``, keeping ``path``'s mode,
    unless it holds the bytes ``path`` holds (then ``path`` is left as it is, its
    modification time too: a site's build or a file watcher sees no change), the run's
    output in place then (see :func:`~converter.once_written.placed`); on failure
    (SIGTERM included, see :func:`terminable`) it is removed. ``still``, given ``path``
    at the last moment before the rename, may refuse it by raising (the file is not
    the one a rewrite read: see :mod:`~converter.still_read`): it is removed then too."""
    with terminable():
        tmp = None
        hold: int | None = None
        try:
            with signals_held():  # (one that came meanwhile: here, once tmp is known)
                tmp, hold = _held_temporary(path)
            yield tmp
            if same_bytes(tmp, path):
                with signals_held():
                    os.unlink(tmp)
                    placed(path)
                return
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            keep_mode(tmp, path)
            with signals_held():  # (one that comes as the run's output is put in place
                if still is not None:  # says it was written: see once_written)
                    still(path)
                os.replace(tmp, path)
                placed(path)
        except BaseException:
            if tmp is not None:
                with signals_held(), contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)  # (a second Ctrl-C waits for it)
            raise
        finally:
            if hold is not None:
                os.close(hold)  # (its lock with it, once it is renamed or removed)


#: How many temporaries a write makes, each taken by another run's sweep in the moment
#: between its making and its lock (see :func:`_held_temporary`), before it gives up.
TAKEN_TRIES = 100


def _held_temporary(path: Path, suffix: str = ".tmp") -> tuple[Path, int | None]:
    """A new, empty file beside ``path`` (a killed run's leftovers beside it swept
    first) and the descriptor that holds its lock while it exists (None where no lock is
    taken), so that a sweep (:func:`sweep_killed`) tells it from a killed run's. It is
    locked by the descriptor that made it, then found still at its name
    (:func:`~converter.folder_lock.held_made`), before anything touches it (its mode is
    set then): one a sweep took in that moment, unlocked, is left to the sweep and
    another made, up to :data:`TAKEN_TRIES` times."""
    from .folder_lock import held_made

    path = Path(path)
    make_folders(path.parent)
    sweep_leftovers(path)
    for _ in range(TAKEN_TRIES):
        fd, tmp = made_again(path.parent, lambda: tempfile.mkstemp(
            prefix=temporary_prefix(path), suffix=suffix, dir=path.parent))
        held: bool | None = False
        try:
            held = held_made(fd, tmp)
            if held is not False:  # (mkstemp makes it 0600)
                os.chmod(fd if os.chmod in os.supports_fd else tmp, 0o666 & ~umask())
        except BaseException:
            os.close(fd)
            if held is not False:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            raise
        if held:
            return Path(tmp), fd
        os.close(fd)
        if held is None:
            return Path(tmp), None
    raise OSError(errno.EAGAIN, f"each of {TAKEN_TRIES} temporary files made was taken "
                  "by another run's sweep as it was made", str(path.parent))


def held_folder(path: Path, again: bool = True) -> tuple[Path, int | None]:
    """A new, empty folder beside ``path``, ``.<name>.<random>.tmpdir`` (0700, as
    ``mkdtemp`` makes it), for a run to build in, and the descriptor that holds its lock
    for as long as the run has it (see :func:`_held`); ``again``: ``path``'s folder made
    again should another run remove it meanwhile (:func:`made_again`)."""
    path = Path(path)

    def make() -> Path:
        return Path(tempfile.mkdtemp(prefix=temporary_prefix(path), suffix=".tmpdir",
                                     dir=path.parent))

    return _held(lambda: made_again(path.parent, make) if again else make())


def _held(make: Callable[[], Path]) -> tuple[Path, int | None]:
    """A temporary ``make()`` makes and the descriptor that holds its lock (None where no
    lock is taken: :func:`~converter.folder_lock.claimed_temporary`), so that a sweep
    (:func:`sweep_leftovers`, :func:`sweep_killed`) tells it from a killed run's. One a
    sweep took as it was made is left to it, and another made, up to
    :data:`TAKEN_TRIES` times."""
    from .folder_lock import claimed_temporary

    for _ in range(TAKEN_TRIES):
        tmp = make()
        try:
            return tmp, claimed_temporary(tmp)
        except FileNotFoundError:
            continue
    raise OSError(errno.EAGAIN, f"each of {TAKEN_TRIES} temporary folders made was taken "
                  "by another run's sweep as it was made", str(tmp.parent))


#: A temporary's name: ``.<name>.<random>.tmp`` (:func:`temporary_file`) or ``.tmpdir``
#: (:func:`held_folder`), the random part mkstemp's (mkdtemp's) eight characters.
_TEMPORARY_NAME = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp(?:dir)?\Z", re.DOTALL)


def sweep_killed(paths: Iterable[str]) -> list[str]:
    """Remove the temporaries beside the files ``paths`` that runs killed while writing
    them left (``.<name>.<random>.tmp``, a regular file, or ``.tmpdir``, a folder a third
    party's writer of that file was given): where no run holds its lock
    (see :func:`_held_temporary`), at once; where no lock can tell (see :func:`_swept`),
    once older than :data:`STALE_SECONDS`. The ones removed, by path. (Each write of a
    file sweeps its own so too: see :func:`sweep_leftovers`.)"""
    folders: dict[str, set[str]] = {}
    for path in paths:
        folder, name = os.path.split(os.fspath(path))
        folders.setdefault(folder, set()).add(temporary_prefix(Path(name)))
    removed, now = [], time.time()
    for folder, prefixes in folders.items():
        try:
            entries = list(os.scandir(folder or os.curdir))
        except OSError:
            continue
        removed += [entry.path for entry in entries
                    if _own_temporary(entry.name, prefixes) and _swept(entry, now)]
    return removed


def _own_temporary(name: str, prefixes: set[str]) -> bool:
    """Whether ``name`` is a temporary file (:func:`temporary_file`,
    ``.<name>.<random>.tmp``) or folder (:func:`held_folder`, ``.tmpdir``) of an output
    whose temporaries begin with one of ``prefixes`` (:func:`temporary_prefix`)."""
    found = _TEMPORARY_NAME.match(name)
    return found is not None and f".{found[1]}." in prefixes


def _swept(entry: os.DirEntry[str], now: float) -> bool:
    """Whether the temporary file or folder ``entry`` (:func:`_own_temporary`), a killed
    run's, is removed now: at once where no run holds its lock (:func:`_held`), never
    where one does, and where no lock can tell (no ``flock``, or a file system whose
    locks another machine's run may not see: :func:`_trusted`) once older than
    :data:`STALE_SECONDS` (a younger one may be a run's under way)."""
    from .folder_lock import taken_if_free

    if not _day_old(entry, now) and not _trusted(entry.path):
        return False
    taken = taken_if_free(entry.path)
    if taken is None:
        with contextlib.suppress(OSError):
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_SECONDS:
                return False
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
                return True
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                return True
    return bool(taken)


def _day_old(entry: os.DirEntry[str], now: float) -> bool:
    """Whether ``entry`` was last changed :data:`STALE_SECONDS` or more before ``now``
    (False where it cannot be told: gone)."""
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime >= STALE_SECONDS
    except OSError:
        return False


def _trusted(path: str) -> bool:
    """Whether the locks of the temporary ``path`` tell a killed run's from one under
    way: its folder is on a local file system
    (:func:`~converter.mounts.locks_trusted`), not one another machine writes too."""
    from .mounts import locks_trusted

    return locks_trusted(os.path.dirname(path) or os.curdir)


def same_bytes(new: Path, old: Path) -> bool:
    """Whether the regular file ``old`` holds exactly the bytes of ``new`` (compared only
    when their sizes are equal)."""
    try:
        if not stat.S_ISREG(os.stat(old).st_mode) or (
                os.path.getsize(new) != os.path.getsize(old)):
            return False
        return filecmp.cmp(new, old, shallow=False)
    except OSError:
        return False


@contextlib.contextmanager
def signals_held() -> Iterator[list[int]]:
    """Ctrl-C, SIGTERM and SIGHUP held back while the block runs, then taken: a temporary is
    never made without its name being known to the code that removes it. (Their
    handlers note them meanwhile: a signal mask would hold them in this thread only,
    and a worker pool's threads would take them.) Only in the main thread, which takes
    signals. A signal whose handler was installed from C (a program that embeds Python:
    Python names it None, and cannot install it again) is not held: its handler stays
    in place, and takes it as ever. The block is given the list of those that came
    meanwhile and are not ignored (a block may undo its work when one comes)."""
    came: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield came
        return
    held: dict[int, Any] = {}

    def note(signum: int, _: object) -> None:
        if held.get(signum) is not signal.SIG_IGN:  # (``nohup``'s SIGHUP does nothing)
            came.append(signum)

    try:
        for signum in (signal.SIGINT, *_ENDING):
            if signal.getsignal(signum) is not None:
                held[signum] = signal.signal(signum, note)
        yield came
    finally:
        for signum, handler in held.items():
            signal.signal(signum, resting(signum, handler))
        for signum in came:  # (taken now, by the handler it would have met)
            os.kill(os.getpid(), signum)


@contextlib.contextmanager
def held_once_written(output: str) -> Iterator[list[int]]:
    """:func:`signals_held`, for a block that puts the output ``output`` (as the user
    gave it) in place: a signal that came as it ran, taken once it is done, carries that
    name (see :func:`~converter.once_written.stopped_message`), and so does one that
    comes later, up to the process's exit, where the command line watches (see
    :func:`~converter.once_written.mark`); one taken as it failed or undid its work does
    not."""
    done = False
    try:
        with signals_held() as came:
            yield came
            done = True
            mark(output)
    except BaseException as exc:
        if done:
            setattr(exc, _WRITTEN, output)
        raise


class TemporaryFull(MuscleError):
    """The system's temporary folder (``TMPDIR``) refused a run's work files: full, gone
    or not writable. No reading of the inputs can list their diagnostics then (it needs
    that folder too), so a run ends with this one."""


#: SQLite's errors of a place that cannot be written (SQLITE_IOERR_WRITE and its kin).
_SQLITE_CANNOT_WRITE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY",
                        "SQLITE_PERM")


def temporary_failure(exc: OSError | sqlite3.Error, folder: str | None = None
                      ) -> TemporaryFull:
    """The ``cannot-write`` error of the temporary ``folder`` (Python's, by default),
    which ``exc`` refused."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return TemporaryFull(error(folder or tempfile.gettempdir(), "cannot-write",
                               f"cannot write temporary files here: {reason}; set TMPDIR "
                               "to a folder with room").diagnostics)


@contextlib.contextmanager
def temporary_work(folder: Callable[[], str] | None = None) -> Iterator[None]:
    """Turn a failure to write in the temporary folder (a file's ``OSError``, SQLite's
    full disk or I/O error) within the block into :class:`TemporaryFull`; ``folder``
    names the folder, where it is not Python's (SQLite's own temporary files)."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        if not refused(exc):
            raise
        raise temporary_failure(exc, folder and folder()) from None


def refused(exc: OSError | sqlite3.Error) -> bool:
    """Whether ``exc`` says a place cannot be written: any ``OSError``, and SQLite's
    full disk, I/O error and their kin (not a mistake in a statement)."""
    return isinstance(exc, OSError) or getattr(exc, "sqlite_errorname", "").startswith(
        _SQLITE_CANNOT_WRITE)


def sqlite_temporary_folder() -> str:
    """The folder SQLite keeps a temporary database's file in, as its Unix VFS chooses
    it: ``SQLITE_TMPDIR``, ``TMPDIR``, then the usual places, the first that is a folder
    it may write (whatever room it has; Python's choice passes over a full one)."""
    for folder in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"), "/var/tmp",
                   "/usr/tmp", "/tmp"):
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    return "."


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where a temporary is being written (see
    :func:`terminable`); ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated(signum)


@contextlib.contextmanager
def terminable() -> Iterator[None]:
    """While the block runs, SIGTERM or SIGHUP is raised in it, as Ctrl-C is, so that what
    it holds is undone on the way out (a temporary removed, a SQLite transaction rolled
    back), then ends the process as that signal does (saying so where the run's output
    was in place: see :mod:`~converter.once_written`). Only the ones that have their
    default action (``nohup`` ignores SIGHUP), in a main thread (the one that takes
    signals)."""
    found = {signum: signal.getsignal(signum) for signum in _ENDING}
    caught = [signum for signum, handler in found.items() if is_default(handler)]
    if threading.current_thread() is not threading.main_thread() or not caught:
        yield
        return
    try:
        for signum in caught:
            signal.signal(signum, _raise_terminated)
        yield
    except _Terminated as ended:
        for signum in caught:
            signal.signal(signum, signal.SIG_DFL)
        if output_of(ended) is not None:  # (else it ends saying nothing)
            say(stopped_message(ended))
        else:  # (the folders made for an output not in place: as Ctrl-C removes them)
            undo_all()
        os.kill(os.getpid(), ended.signum)  # (the process ends here)
        raise
    finally:
        for signum in caught:
            signal.signal(signum, resting(signum, found[signum]))


#: How many times a folder found gone as a file is made in it is made again (see
#: :func:`made_again`).
MAKE_TRIES = 3

_Made = TypeVar("_Made")


def make_folders(folder: Path, mode: int = 0o777, tries: int = MAKE_TRIES) -> None:
    """``folder.mkdir(parents=True, exist_ok=True)``, the missing folders made one at a
    time from the nearest that exists (pathlib's call recurses per missing folder:
    RecursionError past some 1,000). An OSError as pathlib's (a name too long: its
    ENAMETOOLONG). Each folder made is noted for the write under way
    (:func:`~converter.made_folders.note`): it fails, and they go again. One above,
    found there, that goes meanwhile (another run's, failed: see :func:`made_again`) is
    made again, up to ``tries`` times in all."""
    top, missing = folder, []
    while True:
        try:
            folder.mkdir(mode)
            note(folder)
        except FileNotFoundError:
            if folder.parent == folder:
                raise
            missing.append(folder)
            folder = folder.parent
            continue
        except OSError:
            if not folder.is_dir():
                raise
        break
    for each in reversed(missing):
        try:
            each.mkdir(mode)
            note(each)
        except FileExistsError:  # (made meanwhile by another run)
            if not each.is_dir():
                raise
        except FileNotFoundError:  # (the one above removed meanwhile)
            if tries <= 1:
                raise
            make_folders(top, mode, tries - 1)
            return


def made_again(folder: Path, make: Callable[[], _Made], mode: int = 0o777) -> _Made:
    """``make()``, which makes a file or folder in ``folder`` (made, or found there, by
    :func:`make_folders`); where ``folder`` went as it did so (another run made it for
    its own output, then failed and removed it, empty: see
    :mod:`~converter.made_folders`), ``folder`` made again and ``make()`` tried again,
    up to :data:`MAKE_TRIES` times in all."""
    for _ in range(MAKE_TRIES - 1):
        try:
            return make()
        except FileNotFoundError:
            if os.path.isdir(folder):  # (something else is missing)
                raise
        make_folders(folder, mode)
    return make()


def temporary_file(path: Path, suffix: str = ".tmp") -> Path:
    """A new, empty file beside ``path`` (for writing, then renaming over ``path``): it
    exists from the moment its name is chosen until it is renamed. A killed run's
    leftovers beside ``path`` are swept first. Its lock is let go: a run that writes it
    holds it with :func:`atomic_path` (a sweep removes an unlocked one)."""
    tmp, hold = _held_temporary(path, suffix)
    if hold is not None:
        os.close(hold)
    return tmp


def umask() -> int:
    """The process's umask: from ``/proc`` on Linux, else read by setting it (briefly
    022, which a file another thread makes in that moment would get)."""
    with contextlib.suppress(OSError, ValueError), open(
            "/proc/self/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def keep_mode(tmp: Path, path: Path) -> None:
    """Give ``tmp``, about to replace ``path``, the permissions ``path`` has (a private
    file stays private), and its owner, group and extended attributes as far as the
    system lets (see :mod:`~converter.kept_attributes`); a new file has what the umask
    leaves of 0666, as any file written with ``open``."""
    keep_attributes(tmp, path)


#: Special outputs whose reader stopped reading before the end, by path.
_LEFT: set[str] = set()


def reader_left(path: str | Path) -> bool:
    """Whether the reader of the special output ``path`` (``-o - | head``) stopped
    reading before the end of the last write, so the rest was dropped; asking forgets."""
    name = os.fspath(path)
    found = name in _LEFT
    _LEFT.discard(name)
    return found


def left_early(path: str | Path) -> Diagnostic | None:
    """The ``output-closed`` warning of the special output ``path`` whose reader stopped
    reading before the end of the last write (:func:`reader_left`: asking forgets), or
    that names standard output once a write to ``-`` found its reader gone
    (``/dev/stdout`` leads to the null device then: see :func:`_leads_away`)."""
    if not reader_left(path) and not _leads_away(os.fspath(path)):
        return None
    return Diagnostic(output_name(path), None, None, "", "output-closed",
                      "its reader stopped reading before the end; the rest of the output "
                      "was dropped", "warning", stream=output_is_stdout(path))


#: The descriptors of standard output that :class:`_Pipe` pointed at the null device
#: once its reader stopped: what a later write puts there goes nowhere too.
_AWAY: set[int] = set()


def _pointed_away(raw: IO[bytes], name: str) -> bool:
    """Whether ``raw`` is standard output that an earlier write pointed at the null
    device, its reader gone (and nothing has been put there since)."""
    if name != STDOUT:
        return False
    try:
        return _still_away(raw.fileno())
    except (OSError, ValueError):  # a stream without a descriptor
        return False


def _still_away(fd: int) -> bool:
    """Whether the descriptor ``fd`` is one :class:`_Pipe` pointed at the null device
    and still leads there."""
    try:
        return fd in _AWAY and os.path.samestat(os.fstat(fd), os.stat(os.devnull))
    except OSError:
        return False


def _leads_away(path: str) -> bool:
    """Whether ``path``, a name of a descriptor (``/dev/stdout``, ``/dev/fd/1``,
    ``/proc/self/fd/1``) or a link to one, names standard output that a write to ``-``
    pointed at the null device, its reader gone: what is written there is dropped."""
    if not _AWAY or is_stdout(path):
        return False
    fd = descriptor_named(path)
    return fd is not None and _still_away(fd)


def descriptor_named(path: str) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/fd/1``,
    ``/proc/self/fd/1``), or a link to one does (``/dev/stdout``, its links followed
    one at a time), or None: the name of a path, not what the descriptor leads to. Its
    folders are judged as the file system resolves them (symlinks first, then ``..``:
    ``lnk/../fd/1`` is ``fd/1`` beside where ``lnk`` leads), by :func:`_folders_resolved`."""
    if is_stdout(path):
        return None
    own = re.compile(rf"/(?:dev|proc/self|proc/thread-self|proc/{_pid_in_proc()}"
                     rf"(?:/task/\d+)?)/fd/(\d+)")
    name = _folders_resolved(path)
    for _ in range(40):  # (the kernel's own limit of links followed)
        named = own.fullmatch(name)
        if named:
            return int(named[1])
        try:
            name = _folders_resolved(os.path.join(os.path.dirname(name), os.readlink(name)))
        except OSError:  # (no link: a file, a device, nothing there)
            return None
    return None


def _pid_in_proc() -> int:
    """This process's id as ``/proc`` names it, where its folders resolve
    ``/proc/self`` to: not :func:`os.getpid` in a PID namespace that sees its parent's
    ``/proc`` (``unshare --pid --fork`` without ``--mount-proc``, some sandboxes), where
    ``/proc/<os.getpid()>`` is another process; :func:`os.getpid` without ``/proc``."""
    try:
        seen = os.readlink("/proc/self")
    except OSError:
        return os.getpid()
    return int(seen) if seen.isdigit() else os.getpid()


def _folders_resolved(path: str) -> str:
    """``path`` absolute, its folders resolved as opening it resolves them (symlinks
    followed, then ``..``), its own name kept (a link to a descriptor stays that link);
    the whole resolved when it ends in ``.`` or ``..``, which name no link."""
    whole = path if os.path.isabs(path) else os.path.join(os.getcwd(), path)
    full = whole.rstrip(os.sep) or os.sep  # (not abspath: it takes ``..`` away as text)
    parent, name = os.path.split(full)
    if name in ("", os.curdir, os.pardir):
        return os.path.realpath(full)
    return os.path.join(os.path.realpath(parent), name)


class _Pipe(io.RawIOBase):
    """Writes into ``raw``. When its reader stops reading (``| head``) the rest is
    dropped, not an error: the run still reads and reports everything, and ``raw``'s
    descriptor is pointed at /dev/null so what is left in its buffers goes nowhere."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        super().__init__()
        self._raw, self._name, self._left = raw, name, _pointed_away(raw, name)
        if self._left:  # (its reader left during an earlier write: this one is dropped)
            _LEFT.add(name)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if not self._left:
            try:
                self._raw.write(data)
            except BrokenPipeError:
                self._leave()
        return len(data)

    def flush(self) -> None:
        if not self._left and not self._raw.closed:
            try:
                self._raw.flush()
            except BrokenPipeError:
                self._leave()

    def _leave(self) -> None:
        self._left = True
        _LEFT.add(self._name)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._raw.fileno())
            if self._name == STDOUT:
                _AWAY.add(self._raw.fileno())
        except (OSError, ValueError):  # a stream without a descriptor: nothing to redirect
            pass
        finally:
            os.close(devnull)


@contextlib.contextmanager
def _written_into(raw: IO[bytes], mode: str, name: str, **open_args: object
                  ) -> Iterator[IO]:
    """Text over the stream ``raw`` as ``open`` would make it (``raw`` left open); for
    bytes, a nameless temporary file copied into ``raw`` at the end, so a writer may
    seek (a zip written into a pipe would not have the bytes it has in a file).
    ``name`` is the output's path, for :func:`reader_left`."""
    pipe = _Pipe(raw, name)
    if "b" in mode:
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.seek(0)
            shutil.copyfileobj(spool, pipe)
        pipe.flush()
        return
    text = io.TextIOWrapper(pipe, **open_args)  # type: ignore[arg-type]
    try:
        yield text
        text.flush()
    finally:
        text.detach()


@contextlib.contextmanager
def _text_into(stream: IO[str], mode: str, **open_args: object) -> Iterator[IO[str]]:
    """For a standard output replaced by a text stream with no bytes below it (an
    ``io.StringIO`` under ``contextlib.redirect_stdout``, a notebook's): the text, put
    into ``stream`` once it is whole (a ``utf-8-sig`` mark as its first character).
    Bytes (a zip) cannot go there: ``output-not-file``."""
    if "b" in mode:
        raise error(STDOUT_NAME, "output-not-file", "is a text stream here "
                    f"({type(stream).__name__}, with no binary buffer), and this format "
                    "writes bytes; give a file name", stream=True)
    text = io.StringIO(newline=open_args.get("newline", "\n"))  # type: ignore[arg-type]
    yield text
    mark = "\ufeff" if str(open_args.get("encoding", "")).lower() == "utf-8-sig" else ""
    stream.write(mark + text.getvalue())
    stream.flush()


def temporary_sibling(path: Path, suffix: str = ".tmp") -> Path:
    """A fresh, unused path in the same directory as ``path`` (for later renaming)."""
    tmp = temporary_file(path, suffix)
    os.unlink(tmp)
    return tmp


def is_temporary(name: str, path: Path) -> bool:
    """Whether ``name`` is one of the temporaries beside ``path`` that a run writing it
    makes (and :func:`sweep_leftovers` removes once a killed run's)."""
    return name.startswith(temporary_prefix(path)) and name.endswith(_TEMPORARY_ENDINGS)


@functools.lru_cache(maxsize=1)
def _renameat2() -> Any:
    """libc's ``renameat2``, None where there is none."""
    import ctypes.util  # (here: ctypes is not needed to start, nor for --help)

    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name, use_errno=True), "renameat2", None) if name else None


#: What ``renameat2`` says where a file system cannot exchange.
_NO_EXCHANGE = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP)


def exchange(a: Path, b: Path) -> bool:
    """Swap the entries ``a`` and ``b`` at once; False where the system cannot, an
    ``OSError`` where it refuses (no permission, a file system mounted on one)."""
    call = _renameat2()
    if call is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if call(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))
