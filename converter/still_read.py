"""A file a run read and now rewrites (fmt's): replaced only while it is the file read.

What ``stat`` saw of the file just before it was read (:func:`look`) is checked again
right before the rewrite is renamed over it (:func:`still_read`): a save made meanwhile,
by an editor's rename (``sed -i``) or written into the file (an append), is not lost.
A file of more than one name (hard links) is not rewritten (:func:`hard_linked`).
Where the file was last changed within :data:`~converter.cache.RACY_NS` of that look (a
file system's clock may tick once in milliseconds, or seconds), its time stamps cannot
tell a later write, so its bytes are compared too, as the cache does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import RACY_NS
from .diagnostics import ChangedWhileRead, Diagnostic
from .marker import unchanged


@dataclass(frozen=True)
class Seen:
    """What a look saw of the file ``path`` (as the user gave it): its ``stat`` (None:
    none could be taken), and whether it was ``recent`` (changed within a tick of the
    look: only its bytes tell a later write then)."""

    path: str
    stat: os.stat_result | None
    recent: bool


def look(path: str) -> Seen:
    """What ``stat`` sees of the file ``path`` (its links followed) now: taken before
    it is read, so that a change made while it is read is seen too."""
    try:
        found = os.stat(path)
    except OSError:
        return Seen(path, None, True)
    return Seen(path, found, found.st_ctime_ns >= time.time_ns() - RACY_NS)


def still_read(seen: Seen, data: bytes) -> Callable[[Path], None]:
    """A check for :func:`~converter.atomic.atomic_file`'s ``still``: the file it is
    about to replace, ``seen`` before it was read as ``data``, must still be that file
    (the same entry, stamps and size; the same bytes where it was ``recent``), else
    :class:`~converter.diagnostics.ChangedWhileRead` naming it, and it is left as it is."""

    def check(target: Path) -> None:
        if seen.stat is None or not unchanged(seen.stat, target) or (
                seen.recent and _bytes_of(target, len(data)) != data):
            raise ChangedWhileRead(Diagnostic(
                seen.path, None, None, "", "changed-while-read", "changed after it was "
                "read, so it is left as it is, not rewritten; run again"))

    return check


def hard_linked(seen: Seen) -> Diagnostic | None:
    """The ``fmt-hard-linked`` error of a file ``seen`` with more than one name (hard
    links): a new file renamed over one name would leave the others the old one, so it
    is not rewritten; None for a file of one name."""
    links = seen.stat.st_nlink if seen.stat is not None else 1
    if links < 2:
        return None
    return Diagnostic(seen.path, None, None, "", "fmt-hard-linked", f"has {links} names "
                      "(hard links): fmt puts a new file in place of the old, which would "
                      "part this name from the others (they would keep the old text), and "
                      "never writes into a file (a run stopped half-way would leave it "
                      "half written), so it is left as it is")


def _bytes_of(path: Path, size: int) -> bytes | None:
    """The first ``size`` + 1 bytes of the file ``path`` (one more tells a longer
    file), None where it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size + 1)
    except OSError:
        return None
