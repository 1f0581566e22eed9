"""What a third party's format prints goes to standard error: standard output is
muscle-convert's own (``-o -``, ``validate --format json``), where a plugin's
``print()`` as it is imported, or in its reader, writer or hooks, would corrupt it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

#: Guards :data:`_HELD`: threads that run plugin code at once share one redirection.
_LOCK = threading.Lock()
#: [how many sections of plugin code run now, the ``sys.stdout`` the first replaced].
_HELD: list[Any] = [0, None]


@contextmanager
def printing_to_stderr() -> Iterator[None]:
    """Within it, ``sys.stdout`` is ``sys.stderr``: what plugin code run here prints
    (``print()``, ``sys.stdout.write``) goes to standard error. Sections may nest, and
    overlap in threads: ``sys.stdout`` is given back when the last ends."""
    with _LOCK:
        if _HELD[0] == 0:
            _HELD[1] = sys.stdout
            sys.stdout = sys.stderr
        _HELD[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _HELD[0] -= 1
            if _HELD[0] == 0:
                sys.stdout, _HELD[1] = _HELD[1], None


def each_printing_to_stderr(items: Iterable[T]) -> Iterator[T]:
    """``items`` (a plugin's reader's muscles, made as they are asked for), each made
    :func:`printing_to_stderr`."""
    with printing_to_stderr():
        found = iter(items)
    while True:
        with printing_to_stderr():
            try:
                item = next(found)
            except StopIteration:
                return
        yield item
