"""The locks of an output folder: one run at a time writes it, and a run's own hidden
folder in it is known to be in use.

Every run that writes an output folder, in place (``-o .``) or swapped whole, holds the
folder's lock (``flock`` on the folder itself) while it reads its marker and puts its
files in (see :func:`locked`); a run writing in place also holds, for as long as it
runs, a lock on the hidden folder it builds in (:func:`claimed`), so that another run
can tell a run's folder under way (:func:`in_use`) from one a killed run left. Where
the system takes no lock (Windows, a file system that refuses ``flock``), nothing is
waited for, and nothing can be told.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # (Windows: no lock is taken)
    fcntl = None  # type: ignore[assignment]

#: How a folder is opened to be locked.
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the lock of the folder at ``folder`` while the block runs, waiting for a run
    that holds it (two runs writing one folder at once would leave files of both, and a
    marker true of neither). One that another run swapped away meanwhile is let go, and
    the folder there now locked. Where there is no folder, or the system takes no lock,
    the block runs all the same."""
    while True:
        try:
            fd = os.open(folder, _FOLDER)
        except OSError:
            yield
            return
        try:
            if fcntl is not None:
                with contextlib.suppress(OSError):  # (a file system that takes no lock)
                    fcntl.flock(fd, fcntl.LOCK_EX)
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


def in_use(folder: str | Path) -> bool | None:
    """Whether a run holds the lock of the folder ``folder`` (:func:`claimed`): True, it
    is under way; False, no run holds it; None where no lock can tell (no ``flock``)."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, _FOLDER | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)
    return False


@contextlib.contextmanager
def alone(folder: Path, under_way: Callable[[], list[Path]]) -> Iterator[None]:
    """Hold the lock of the folder at ``folder`` (:func:`locked`) while the block runs,
    once no run's own folder in it is under way (``under_way``, read with the lock held:
    the folders in it a run has :func:`claimed`). A run in place claims its folder while
    it builds and takes the folder's lock only to fill it, so its lock is let go while
    such a run is waited for (:func:`wait_for`), then taken again and looked at anew."""
    while True:
        with locked(folder):
            runs = under_way()
            if not runs:
                yield
                return
        for run in runs:
            wait_for(run)


def wait_for(folder: Path) -> None:
    """Wait until no run holds the folder ``folder`` :func:`claimed` (it ended, or was
    killed); at once where no lock can tell, or the folder is gone."""
    if fcntl is None:
        return
    try:
        fd = os.open(folder, _FOLDER | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)
