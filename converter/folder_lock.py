"""The locks of an output folder: one run at a time writes it, and a run's own hidden
folder in it is known to be in use.

Every run that writes an output folder, in place (``-o .``) or swapped whole, holds the
folder's lock (``flock`` on the folder itself) while it reads its marker and puts its
files in (see :func:`locked`); a run writing in place also holds, for as long as it
runs, a lock on the hidden folder it builds in (:func:`claimed`), so that another run
can tell a run's folder under way (:func:`in_use`) from one a killed run left. Where
the system takes no lock (Windows, a file system that refuses ``flock``), nothing is
waited for, and nothing can be told. A temporary file a run writes, then renames over
its target, and a temporary folder it builds beside an output (a folder swapped in, a
third party's writer's), are locked the same way for as long as they are in use,
from the moment they are made (:func:`claimed_temporary`, :func:`held_made`: one a
sweep took first is left to it), so that a later write of that output (convert's or fmt's)
can tell a killed run's leftover from a temporary under way (:func:`taken_if_free`). A
run that waits for another says so once, where its caller asks it to
(:func:`waits_said`: the command line, but for ``--quiet``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

try:
    import fcntl
except ImportError:  # (Windows: no lock is taken)
    fcntl = None  # type: ignore[assignment]

#: The first and the longest of :func:`free_within`'s sleeps between looks, in seconds.
FIRST_PAUSE, LONGEST_PAUSE = 0.001, 0.05
#: How a folder is opened to be locked.
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
#: Where a run says that it waits for another (one line); None: it says nothing.
_SAY: ContextVar[Callable[[str], None] | None] = ContextVar("waits_said", default=None)


@contextlib.contextmanager
def waits_said(say: Callable[[str], None] | None) -> Iterator[None]:
    """Within the block, a run that waits for another writing its output folder tells
    ``say`` so, once (see :class:`Waiting`); None: it says nothing (the default)."""
    token = _SAY.set(say)
    try:
        yield
    finally:
        _SAY.reset(token)


class Waiting:
    """The waits of one run for others writing its output folder ``shown`` (as the user
    gave it): the first one is said (see :func:`waits_said`), the others not."""

    def __init__(self, shown: str) -> None:
        self.shown, self.told = shown, False

    def tell(self, held: Path) -> None:
        """Say, the first time, that the run waits for the run that holds the lock of
        the folder ``held`` (naming its process where the system lists it)."""
        say = _SAY.get()
        if self.told or say is None:
            return
        self.told = True
        pid = _holder(held)
        run = f"another run (pid {pid})" if pid else "another run"
        say(f"{self.shown}: note: {run} is writing this folder: waiting for it to be done")


def _holder(folder: Path) -> int | None:
    """The process that holds the ``flock`` of the folder ``folder``, as
    ``/proc/locks`` lists it; None where that cannot be told."""
    try:
        st = os.stat(folder)
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            lines = table.read().splitlines()
    except OSError:
        return None
    place = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for fields in (line.split() for line in lines):  # (a waiter's line has "->")
        if fields[1:2] == ["FLOCK"] and fields[5:6] == [place] and fields[4].isdigit():
            return int(fields[4]) or None
    return None


def _lock(fd: int, folder: Path, how: int, waiting: Waiting | None) -> None:
    """``flock`` the folder ``folder``, open as ``fd``, ``how``; where another holds it,
    say so first (``waiting``), then wait."""
    if waiting is not None:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            waiting.tell(folder)
    fcntl.flock(fd, how)


@contextlib.contextmanager
def locked(folder: Path, waiting: Waiting | None = None) -> Iterator[None]:
    """Hold the lock of the folder at ``folder`` while the block runs, waiting for a run
    that holds it (two runs writing one folder at once would leave files of both, and a
    marker true of neither), which ``waiting`` says. One that another run swapped away
    meanwhile is let go, and the folder there now locked. Where there is no folder, or
    the system takes no lock, the block runs all the same."""
    while True:
        try:
            fd = os.open(folder, _FOLDER)
        except OSError:
            yield
            return
        try:
            if fcntl is not None:
                with contextlib.suppress(OSError):  # (a file system that takes no lock)
                    _lock(fd, folder, fcntl.LOCK_EX, waiting)
            if _still_there(fd, folder):
                yield
                return
        finally:
            os.close(fd)  # (the lock with it)


def _still_there(fd: int, folder: Path) -> bool:
    """Whether the folder open as ``fd`` is still the one at ``folder`` (not swapped
    away by another run as this one waited for its lock)."""
    try:
        now, held = os.stat(folder), os.fstat(fd)
    except OSError:
        return True  # (gone: the block finds so)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def claimed(folder: Path) -> int | None:
    """Lock the folder ``folder``, a run's own, for as long as the run has it: the
    descriptor that holds the lock (closing it lets go), None where none is taken."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, _FOLDER)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def claimed_temporary(path: Path) -> int | None:
    """Lock the temporary file or folder ``path`` a run just made, for as long as the
    run has it: the descriptor that holds the lock (closing it lets go, as the process's
    end does, a kill included), None where none is taken. ``FileNotFoundError`` where a
    sweep (:func:`taken_if_free`) took it as it was made: another name is to be made."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        held = held_made(fd, path)
    except BaseException:
        os.close(fd)
        raise
    if not held:
        os.close(fd)
    if held is False:
        raise FileNotFoundError(errno.ENOENT, "taken by a sweep", str(path))
    return fd if held else None


def held_made(fd: int, path: str | Path) -> bool | None:
    """Lock the temporary file a run just made at ``path``, open as ``fd`` (the
    descriptor that made it, kept open: the lock lasts as long as it), before anything
    else touches it: True, locked and still the file at ``path``; False, a sweep
    (:func:`taken_if_free`) took it in the moment between its making and the lock (it
    holds its lock, or removed it): the run leaves it to the sweep and makes another;
    None where no lock can tell (no ``flock``, a file system that takes none)."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # (a sweep holds it, to remove it)
        return False
    except OSError:  # (a file system that takes no lock)
        return None
    return _same_file(fd, path)  # (False: a sweep removed it meanwhile)


def taken_if_free(path: str) -> bool | None:
    """Remove the temporary file or folder ``path`` (a folder with all in it) where no
    run holds its lock (:func:`claimed_temporary`: a killed run's): True, removed;
    False, a run holds it (or it is gone, or neither a regular file nor a folder, or
    not all of it could be removed); None where no lock can tell (no ``flock``). The
    lock is held as it is removed, so a run that made it that moment makes another."""
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return False
        held = _probe(fd, fcntl.LOCK_EX)
        if held is None:
            return None
        if held or not _same_file(fd, path):
            return False
        if stat.S_ISDIR(mode):
            shutil.rmtree(path)
        else:
            os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _same_file(fd: int, path: str | Path) -> bool:
    """Whether the file open as ``fd`` is still the one at ``path`` (a link not
    followed)."""
    try:
        now, held = os.lstat(path), os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _lockable(folder: str | Path) -> int | None:
    """The folder ``folder`` itself (a link not followed) open to ask for its lock;
    None where no lock can tell (no ``flock``), or it cannot be opened (gone, a file)."""
    if fcntl is None:
        return None
    try:
        return os.open(folder, _FOLDER | os.O_NOFOLLOW)
    except OSError:
        return None


def in_use(folder: str | Path) -> bool | None:
    """Whether a run holds the lock of the folder ``folder`` (:func:`claimed`): True, it
    is under way; False, no run holds it; None where no lock can tell (no ``flock``)."""
    fd = _lockable(folder)
    if fd is None:
        return None
    try:
        return _probe(fd, fcntl.LOCK_EX)
    finally:
        os.close(fd)


def _probe(fd: int, how: int) -> bool | None:
    """Whether a run holds the lock of the folder open as ``fd`` that keeps ``how``
    (``LOCK_EX``, ``LOCK_SH``) from being taken, asked without waiting: True, one
    does; False, none does (taken now, let go as ``fd`` is closed); None where the
    file system takes no lock."""
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    return False


@contextlib.contextmanager
def alone(folder: Path, under_way: Callable[[], list[Path]],
          waiting: Waiting | None = None) -> Iterator[None]:
    """Hold the lock of the folder at ``folder`` (:func:`locked`) while the block runs,
    once no run's own folder in it is under way (``under_way``, read with the lock held:
    the folders in it a run has :func:`claimed`). A run in place claims its folder while
    it builds and takes the folder's lock only to fill it, so its lock is let go while
    such a run is waited for (:func:`wait_for`), then taken again and looked at anew.
    ``waiting`` says the first wait."""
    while True:
        with locked(folder, waiting):
            runs = under_way()
            if not runs:
                yield
                return
        for run in runs:
            wait_for(run, waiting)


def wait_for(folder: Path, waiting: Waiting | None = None) -> None:
    """Wait until no run holds the folder ``folder`` :func:`claimed` (it ended, or was
    killed), which ``waiting`` says; at once where no lock can tell, or the folder is
    gone."""
    fd = _lockable(folder)
    if fd is None:
        return
    try:
        with contextlib.suppress(OSError):
            _lock(fd, folder, fcntl.LOCK_SH, waiting)
    finally:
        os.close(fd)


def free_within(folder: str | Path, seconds: float) -> bool:
    """Wait, for up to ``seconds``, until no run holds the lock of the folder ``folder``
    (:func:`locked`: a run filling it in place, or swapping it), in short sleeps that
    take Ctrl-C at once: True once none does (or no lock can tell, or the folder is
    gone), False where one still does then."""
    fd = _lockable(folder)
    if fd is None:
        return True
    deadline, pause = time.monotonic() + seconds, FIRST_PAUSE
    try:
        while _probe(fd, fcntl.LOCK_SH):  # (None: a file system that takes no lock)
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(pause, left))
            pause = min(pause * 2, LONGEST_PAUSE)
        return True  # (the lock taken let go with the descriptor)
    finally:
        os.close(fd)
