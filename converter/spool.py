"""Sorting output that does not fit in memory: text parked on disk, sorted by small keys;
:class:`Spilled`, a list whose items past its first few wait on disk; and
:func:`sorted_unique`, items held in memory sorted by key, a key given twice refused.

Writers whose output is sorted (JSON by slug, CSV tables by slug) add each muscle's text
as it arrives; only the key and the text's offset stay in memory. Then they copy the
text out in key order::

    with SortedSpool(("muscles", "texts")) as spool:
        for m in muscles:
            spool.add(m.slug, muscles=row_text(m), texts=text_rows(m))
        spool.check_unique(on_duplicate)
        for chunk in spool.sorted("muscles"):
            out.write(chunk)
"""

from __future__ import annotations

import contextlib
import itertools
import pickle
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar

from .atomic import temporary_failure, temporary_work

_T = TypeVar("_T")


class SortedSpool:
    """Text in named parts, one anonymous temporary file per part."""

    def __init__(self, parts: Iterable[str]) -> None:
        self._files: dict[str, IO[bytes]] = {}  # closed by __exit__
        try:
            for name in parts:
                with temporary_work():
                    self._files[name] = tempfile.TemporaryFile(  # noqa: SIM115
                        prefix="muscle-convert-")
        except BaseException:
            self.__exit__()
            raise
        self._index: list[tuple[str, tuple[tuple[int, int], ...]]] = []
        self._ends = dict.fromkeys(self._files, 0)  # where each part's file ends
        self._sorted = self._reading = False

    def __enter__(self) -> SortedSpool:
        return self

    def __exit__(self, *exc: Any) -> None:
        for fh in self._files.values():
            with contextlib.suppress(OSError):  # (what a full disk kept buffered: dropped)
                fh.close()

    def __len__(self) -> int:
        return len(self._index)

    def add(self, key: str, **texts: str) -> None:
        """Park one item's text in each part (a part left out gets nothing);
        :class:`~converter.atomic.TemporaryFull` when the temporary folder is full (as
        :func:`~converter.atomic.temporary_work` says it; a ``try`` costs an item
        nothing, a context each item's would)."""
        try:
            self._add(key, texts)
        except OSError as exc:
            raise temporary_failure(exc) from None

    def _add(self, key: str, texts: dict[str, str]) -> None:
        if self._reading:
            for fh in self._files.values():
                fh.seek(0, 2)
            self._reading = False
        self._sorted = False
        spans = []
        ends = self._ends
        for name, fh in self._files.items():
            data = texts.get(name, "").encode("utf-8", "surrogatepass")
            spans.append((ends[name], len(data)))
            if data:
                fh.write(data)
                ends[name] += len(data)
        self._index.append((key, tuple(spans)))

    def keys(self) -> list[str]:
        """The keys in sorted order (equal keys in the order they were added)."""
        self._sort()
        return [key for key, _ in self._index]

    def check_unique(self, on_duplicate: Callable[[str], None]) -> None:
        """Call ``on_duplicate(key)`` for the first key that was added twice."""
        _first_repeat(self.keys(), on_duplicate)

    def sorted(self, part: str) -> Iterator[str]:
        """The texts of ``part`` in key order."""
        self._sort()
        self._reading = True
        fh = self._files[part]
        index = list(self._files).index(part)
        for _, spans in self._index:
            offset, length = spans[index]
            if length:
                try:  # (the seek writes what is still buffered: as in add)
                    fh.seek(offset)
                    data = fh.read(length)
                except OSError as exc:
                    raise temporary_failure(exc) from None
                yield data.decode("utf-8", "surrogatepass")

    def _sort(self) -> None:
        if not self._sorted:
            self._index.sort(key=lambda item: item[0])  # stable: equal keys keep order
            self._sorted = True


def sorted_unique(items: Iterable[_T], key: Callable[[_T], str],
                  on_duplicate: Callable[[str], None]) -> list[_T]:
    """``items`` sorted by ``key`` (stable), after ``on_duplicate(key)`` for the first
    key that two of them share (a writer's ``duplicate-slug``: it raises)."""
    ordered = sorted(items, key=key)
    _first_repeat(map(key, ordered), on_duplicate)
    return ordered


def _first_repeat(keys: Iterable[str], on_duplicate: Callable[[str], None]) -> None:
    """``on_duplicate(key)`` for the first of the sorted ``keys`` that comes twice."""
    for before, after in itertools.pairwise(keys):
        if before == after:
            on_duplicate(after)
            return


class Spilled(Sequence[Any]):
    """A list that keeps its first ``in_memory`` items and parks the rest on disk,
    pickled, in an anonymous temporary file: only their offsets (8 bytes each) stay in
    memory. An item on disk is read back whenever asked for; :meth:`take` also lets go
    of one held in memory. A full temporary folder is
    :class:`~converter.atomic.TemporaryFull`."""

    def __init__(self, in_memory: int) -> None:
        self._head: list[Any] = []
        self._limit = in_memory
        self._file: IO[bytes] | None = None
        self._ends = array("Q", [0])  # item n of the file: _ends[n] to _ends[n + 1]
        self._reading = False

    def __len__(self) -> int:
        return len(self._head) + len(self._ends) - 1

    def append(self, value: Any) -> None:
        """Add ``value`` at the end: in memory while there is room, else on disk."""
        if self._file is None and len(self._head) < self._limit:
            self._head.append(value)
            return
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with temporary_work():
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="muscle-convert-")  # noqa: SIM115
                weakref.finalize(self, self._file.close)
            elif self._reading:
                self._file.seek(0, 2)
                self._reading = False
            self._file.write(data)
        self._ends.append(self._ends[-1] + len(data))

    def __getitem__(self, i: Any) -> Any:
        if not isinstance(i, int):
            raise TypeError("a Spilled list is indexed by one int")
        if i < 0:
            i += len(self)
        if 0 <= i < len(self._head):
            return self._head[i]
        n = i - len(self._head)
        if not 0 <= n < len(self._ends) - 1 or self._file is None:
            raise IndexError(i)
        self._reading = True
        with temporary_work():  # (the seek writes what is still buffered)
            self._file.seek(self._ends[n])
            data = self._file.read(self._ends[n + 1] - self._ends[n])
        return pickle.loads(data)

    def take(self, i: int) -> Any:
        """The ``i``-th item, let go of when held in memory (a stream hands it on once)."""
        item = self[i]
        if 0 <= i < len(self._head):
            self._head[i] = None
        return item
