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

#: Guards :data:`_HELD`: threads that run plugin code at once share one router.
_LOCK = threading.Lock()
#: [how many sections of plugin code run now, in all threads; the ``sys.stdout`` the
#: first replaced].
_HELD: list[Any] = [0, None]
#: How deep in sections of plugin code this thread is (``depth``).
_THREAD = threading.local()


class _Router:
    """``sys.stdout`` while plugin code runs in some thread: each write goes, as the
    thread that makes it stands, to standard error from within a section of plugin code
    and to the standard output it stands for from anywhere else (another thread's own
    output, ``converter.write(ms, "-")`` beside a plugin reading, stays output)."""

    def __init__(self, stdout: Any) -> None:
        self._stdout = stdout

    def _target(self) -> Any:
        return sys.stderr if getattr(_THREAD, "depth", 0) else self._stdout

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


@contextmanager
def printing_to_stderr() -> Iterator[None]:
    """Within it, what plugin code run in this thread prints (``print()``,
    ``sys.stdout.write``) goes to standard error, through a :class:`_Router` standing as
    ``sys.stdout``; other threads print as ever. Sections may nest, and overlap in
    threads: ``sys.stdout`` is given back when the last ends."""
    with _LOCK:
        if _HELD[0] == 0:
            _HELD[1] = sys.stdout
            sys.stdout = _Router(sys.stdout)
        _HELD[0] += 1
    _THREAD.depth = getattr(_THREAD, "depth", 0) + 1
    try:
        yield
    finally:
        _THREAD.depth -= 1
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
