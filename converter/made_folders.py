"""The folders a write made for its output, removed again when it fails.

A write to ``new/sub/m.jsonl`` makes ``new`` and ``new/sub`` before the first muscle is
checked (:func:`~converter.atomic.make_folders`, where the temporary file goes); one that
then fails (a muscle refused, a disk full, a writer that raises) wrote nothing, and
left those folders behind, empty. Within :func:`undone_on_failure` each folder
:func:`~converter.atomic.make_folders` makes is noted (:func:`note`); when the block
raises, those of them that are empty are removed, deepest first. A folder that existed
before, or that holds anything now (another run's file), is left as it is.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

#: The folders made so far by the writes under way in this thread, the innermost block's
#: last (empty: no write notes).
_MADE: ContextVar[tuple[list[Path], ...]] = ContextVar("made_folders", default=())


def note(folder: Path) -> None:
    """Note that this run made ``folder`` (an empty one) for the write under way."""
    made = _MADE.get()
    if made:
        made[-1].append(folder)


@contextlib.contextmanager
def undone_on_failure() -> Iterator[list[Path]]:
    """The block, the folders made in it (:func:`note`) given as a list; when it raises
    (any exception, Ctrl-C too), those still empty are removed, deepest first, and the
    exception goes on. A block within another notes its folders for both."""
    outer = _MADE.get()
    made: list[Path] = []
    token = _MADE.set((*outer, made))
    try:
        yield made
    except BaseException:
        remove_empty(made)
        raise
    finally:
        _MADE.reset(token)
        if outer:
            outer[-1].extend(made)


def undo_all() -> None:
    """Remove the folders every write under way in this thread made that are still
    empty, as each of their :func:`undone_on_failure` blocks would on the way out: for
    a signal that ends the process before they are left (SIGTERM, SIGHUP)."""
    for made in reversed(_MADE.get()):
        remove_empty(made)


def remove_empty(folders: list[Path]) -> None:
    """Remove each of ``folders`` that is empty, the last made first (a folder below
    before the one holding it); one that holds anything, or is gone, is left."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):  # (not empty, gone, or not ours to remove)
            os.rmdir(folder)
