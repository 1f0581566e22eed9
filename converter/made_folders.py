"""The folders a write made for its output, removed again when it fails.

A write to ``new/sub/m.jsonl`` makes ``new`` and ``new/sub`` before the first muscle is
checked (:func:`~converter.atomic.make_folders`, where the temporary file goes); one that
then fails (a muscle refused, a disk full, a writer that raises) wrote nothing, and
left those folders behind, empty. Within :func:`undone_on_failure` each folder
:func:`~converter.atomic.make_folders` makes is noted (:func:`note`); when the block
raises, those of them that are empty are removed, deepest first. A folder that existed
before, that holds anything now (another run's file), or that is no longer the one this
run made (removed since, and made anew by another run for its own output), is left as
it is (told by its inode, held open for the topmost folder made and the last few made;
one let go is the same while one held below it is). A run that found a folder there,
made by another that then failed and removed it, makes it again
(:func:`~converter.atomic.made_again`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

#: What tells an entry (a folder) from another made at its path since: its device and
#: inode.
Identity = tuple[int, int]
#: How a folder made is held open.
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
#: How many of the folders a block made it holds open at most: the topmost, and those
#: made last (a descriptor for each ran a write below hundreds of missing folders out
#: of them: EMFILE, a cannot-write).
HELD = 8


def identity(path: Path) -> Identity | None:
    """The device and inode of ``path`` itself (a link not followed); None where nothing
    is."""
    try:
        seen = os.lstat(path)
    except OSError:
        return None
    return seen.st_dev, seen.st_ino


def _below(folder: Path, top: Path) -> bool:
    return str(folder).startswith(os.path.join(top, ""))


class _Made(list[Path]):
    """The folders a write made, the last made last, each with its identity as it was
    made (``identities``). Those held open (``held``: the topmost, and the last made,
    :data:`HELD` in all) keep their inode, which no folder made since can take; one
    let go, whose inode a folder made since at its path may have, is told to be the
    same by one held below it still there: a folder made since at its path would hold
    new ones."""

    def __init__(self) -> None:
        super().__init__()
        self.identities: dict[Path, Identity] = {}
        self.held: dict[Path, int] = {}

    def add(self, folder: Path) -> None:
        """Note ``folder``, just made (one gone already is not noted)."""
        try:
            fd: int | None = os.open(folder, _FOLDER)
        except OSError:  # (too many open: one held below it tells it)
            fd = None
        try:
            seen = os.lstat(folder) if fd is None else os.fstat(fd)
        except OSError:
            return
        self.append(folder)
        self.identities[folder] = (seen.st_dev, seen.st_ino)
        if fd is not None:
            self.held[folder] = fd
        self._let_go()

    def _let_go(self) -> None:
        """Close the folders held past :data:`HELD`: never the topmost made, first those
        with one held below them (which tells them), the first made first."""
        while len(self.held) > HELD:
            others = [each for each in self.held if each != self[0]]
            above = [each for each in others
                     if any(_below(other, each) for other in self.held)]
            os.close(self.held.pop((above or others)[0]))

    def take(self, other: _Made) -> None:
        """Note the folders ``other`` notes (a block within this one) as this one's too."""
        self.extend(other)
        self.identities.update(other.identities)
        self.held.update(other.held)
        other.held = {}
        self._let_go()

    def still_ours(self) -> list[Path]:
        """Those of the folders that are still the ones this run made: held, or one
        held below them is, and their device and inode are still the same."""
        now = {folder: identity(folder) for folder in self}
        same = [folder for folder in self if now[folder] == self.identities[folder]]
        held = [folder for folder in same if folder in self.held]
        return [folder for folder in same if folder in self.held
                or any(_below(each, folder) for each in held)]

    def close(self) -> None:
        """Let go of the folders held open."""
        for fd in self.held.values():
            os.close(fd)
        self.held = {}


#: The folders made so far by the writes under way in this thread, the innermost block's
#: last (empty: no write notes).
_MADE: ContextVar[tuple[_Made, ...]] = ContextVar("made_folders", default=())


def note(folder: Path) -> None:
    """Note that this run made ``folder`` (an empty one) for the write under way."""
    made = _MADE.get()
    if made:
        made[-1].add(folder)


@contextlib.contextmanager
def undone_on_failure() -> Iterator[list[Path]]:
    """The block, the folders made in it (:func:`note`) given as a list; when it raises
    (any exception, Ctrl-C too), those still empty are removed, deepest first, and the
    exception goes on. A block within another notes its folders for both."""
    outer = _MADE.get()
    made = _Made()
    token = _MADE.set((*outer, made))
    try:
        yield made
    except BaseException:
        remove_empty(made)
        raise
    finally:
        _MADE.reset(token)
        if outer:
            outer[-1].take(made)
        else:
            made.close()


def undo_all() -> None:
    """Remove the folders every write under way in this thread made that are still
    empty, as each of their :func:`undone_on_failure` blocks would on the way out: for
    a signal that ends the process before they are left (SIGTERM, SIGHUP)."""
    for made in reversed(_MADE.get()):
        remove_empty(made)


def remove_empty(folders: _Made) -> None:
    """Remove each of ``folders`` that is empty, the last made first (a folder below
    before the one holding it), while it is the folder this run made (all told before
    any goes); one that holds anything, is gone, or was made anew since (another
    run's), is left."""
    for folder in reversed(folders.still_ours()):
        with contextlib.suppress(OSError):  # (not empty, or gone meanwhile)
            os.rmdir(folder)  # (fails where another run put a file in meanwhile)
