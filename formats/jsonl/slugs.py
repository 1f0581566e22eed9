"""Where a slug's record is in a JSON Lines file (asked by lints, after the read): its
line, or the lines of the JSON array it is a record of (see :mod:`.reading`), and where
each line starts."""

from __future__ import annotations

import codecs
import itertools
import json
import os
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from converter import canonical
from converter.diagnostics import decode_utf8

from .listing import _Item, records_at, walked
from .listing import records as streamed_records
from .lookahead import _Lines
from .mistakes import _one_line, _records
from .placing import _Placed


class _Record(NamedTuple):
    """A record of the file: its text as ``placed`` finds places in it, which item of
    that text it is (None: all of it, one line), and the line it starts on."""

    placed: _Placed
    item: int | None
    number: int

    def find(self, field: str, key: bool = False) -> tuple[int, int]:
        """(line, column) of ``field`` (as diagnostics name it, from the record), or of
        the key that names it; the record's line, column 1, where it is not found."""
        return self.placed.find(field, key, self.item) or (self.number, 1)


def record_of(path: str, slug: str) -> _Record | None:
    """The one record of the file at ``path`` whose slug is ``slug``; None where none
    is, or more than one (which of them a diagnostic means is not known). OSError,
    ValueError or MuscleError where the file cannot be read again as it was."""
    st = os.stat(path)
    index = _lines(path, st.st_size, st.st_mtime_ns)
    found = index.get(slug)
    return None if found is None else index.record(*found, slug)


def record_at(path: str, mark: int, slug: str, nth: int = 0) -> _Record | None:
    """The record that starts on the line ``mark`` of the file at ``path`` (where
    several do, records of a JSON array: the ``nth`` of them, from 0, where its slug
    is ``slug``, else the one whose slug is ``slug``; None where more than one has it);
    OSError, IndexError, ValueError or MuscleError where the file changed since it was
    read."""
    st = os.stat(path)
    starts = _starts(path, st.st_size, st.st_mtime_ns)
    raw = _line_at(path, st.st_size, st.st_mtime_ns, starts[mark - 1])
    if _in_listing(_value_of(raw)):  # (a line of a JSON array?)
        index = _lines(path, st.st_size, st.st_mtime_ns)
        offset = index.listing(mark)
        if offset is None and index.streamed(starts[mark - 1]):
            offset = starts[mark - 1]
        if offset is not None:
            return index.record(mark, offset, slug, nth)
    return _Record(_Placed(decode_utf8(raw, path, mark), mark), None, mark)


@lru_cache(maxsize=1)  # (a line of many records: asked once per record)
def _line_at(path: str, size: int, mtime_ns: int, offset: int) -> bytes:
    """The line of the file at ``offset``, in bytes."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.readline()


@lru_cache(maxsize=1)  # (the last file with a slug twice: asked once per record)
def _starts(path: str, size: int, mtime_ns: int) -> list[int]:
    """The byte offset of each line of the file (of line ``n`` at ``n - 1``)."""
    found = [0]
    with open(path, "rb") as fh:
        found.extend(itertools.accumulate(map(len, fh)))
    return found


@lru_cache(maxsize=1)  # (the last file asked about: lints ask many times)
def _lines(path: str, size: int, mtime_ns: int) -> _SlugLines:
    """Where each slug's line is in the file (see :class:`_SlugLines`)."""
    return _SlugLines(path)


class _Listed(NamedTuple):
    """A JSON array of records written over lines, whose records the reader reads."""

    number: int  # (its first line)
    taken: int  # (how many lines after its first it goes on over)
    starts: array[int]  # (the line each of its records starts on, in order)


class _SlugLines:
    """slug -> (line number, byte offset) of its line in a JSON Lines file, None for a
    slug of more than one line (which of them a diagnostic means is not known). Kept
    small: per line with a slug, its hash, number and offset, in arrays sorted by hash
    (24 bytes a line; a dict of the slugs of 40,000 lines took 8 MB). Lines whose slugs
    share a hash are read again to tell them apart; a slug the file does not have is
    taken for one that has its hash (1 in 2**64, as the corpus lint's text digests).
    A record of a JSON array that the reader reads (:class:`_Listed`, its lines found
    as the reader finds them) is at the line it starts on and the array's offset; one
    of an array past the lookahead's bounds (:mod:`.listing`), at its own line's offset,
    and where its ``{`` is there kept (12 bytes more a record), to read it alone again."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._listed: dict[int, _Listed] = {}  # (by the offset of its first line)
        self._firsts: list[tuple[int, int]] = []  # (first line, offset) of each, in order
        self._opened: tuple[int, _Placed, Any] | None = None  # (the last array read)
        self._line_items: tuple[int, list[_Item], dict[str | None, list[int]]] | None = \
            None  # (:meth:`_line_of`)
        self._named: tuple[tuple[int, int], dict[str | None, list[int]]] | None = None
        #: The records of JSON arrays past the lookahead's bounds: the offset of each
        #: one's first line, and its column there (in file order).
        self._item_offsets, self._item_columns = array("Q"), array("L")
        hashes, numbers, offsets = array("q"), array("L"), array("Q")
        with open(path, "rb") as fh:
            lines = _Lines(fh)
            for number, raw in lines:
                offset = lines.offset - len(raw)
                value = _value_of(raw)
                found = [(_slug_in(value), number, offset)]
                if _in_listing(value):
                    found = self._listing(lines, raw, number, offset)
                for slug, at, where in found:
                    if slug is not None:
                        hashes.append(hash(slug))
                        numbers.append(at)
                        offsets.append(where)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", (hashes[i] for i in order))
        self._numbers = array("L", (numbers[i] for i in order))
        self._offsets = array("Q", (offsets[i] for i in order))

    def get(self, slug: str) -> tuple[int, int] | None:
        """(line number, byte offset) of the one record whose slug is ``slug``."""
        key = hash(slug)
        low = bisect_left(self._hashes, key)
        high = bisect_right(self._hashes, key, low)
        found = [(self._numbers[i], self._offsets[i]) for i in range(low, high)]
        if len(found) > 1:  # (a slug twice, or two slugs of one hash)
            found = [at for at in found if slug in self._slugs_at(*at)]
        return found[0] if len(found) == 1 else None

    def listing(self, mark: int) -> int | None:
        """The offset of the JSON array (:class:`_Listed`) one of whose records starts
        on the line ``mark``; None where none does."""
        at = bisect_right(self._firsts, (mark, 1 << 64)) - 1
        if at < 0:
            return None
        offset = self._firsts[at][1]
        return offset if self._items(offset, mark) else None

    def streamed(self, offset: int) -> bool:
        """Whether a record of a JSON array past the lookahead's bounds starts on the
        line at ``offset``."""
        at = bisect_left(self._item_offsets, offset)
        return at < len(self._item_offsets) and self._item_offsets[at] == offset

    def _streamed_at(self, number: int, offset: int) -> list[_Item]:
        """The records of such an array that start on the line ``number`` at ``offset``
        (those of the last line asked kept: lints ask of each of its records, and a
        line of a big export may hold them all)."""
        return self._line_of(number, offset)[1]

    def _named_at(self, number: int, offset: int, slug: str) -> list[_Item]:
        """The records of :meth:`_streamed_at` whose slug is ``slug`` (none: all)."""
        items, named = self._line_of(number, offset)[1:]
        return [items[i] for i in named.get(slug, ())] or items

    def _line_of(self, number: int, offset: int
                 ) -> tuple[int, list[_Item], dict[str | None, list[int]]]:
        """:meth:`_streamed_at`'s records, read once a line, and which have each slug."""
        if self._line_items is None or self._line_items[0] != offset:
            low = bisect_left(self._item_offsets, offset)
            high = bisect_right(self._item_offsets, offset, low)
            with open(self._path, "rb") as fh:
                items = records_at(fh, number, offset, iter(self._item_columns[low:high]))
            named: dict[str | None, list[int]] = {}
            for at, item in enumerate(items):
                named.setdefault(_slug_in(item.value), []).append(at)
            self._line_items = (offset, items, named)
        return self._line_items

    def record(self, number: int, offset: int, slug: str, nth: int | None = None
               ) -> _Record | None:
        """The record whose slug is ``slug`` that starts on the line ``number``, in the
        line at ``offset`` or the JSON array there (as :meth:`get` or :meth:`listing`
        found them): where ``nth`` is given, the ``nth`` of those that start there, if
        its slug is ``slug``; None where more than one record of that slug (or none of
        it, and more than one record) starts on that line."""
        if self.streamed(offset):
            items = self._streamed_at(number, offset)
            if nth is not None and nth < len(items) and _slug_in(items[nth].value) == slug:
                named = [items[nth]]
            else:
                named = self._named_at(number, offset, slug)
            if len(named) != 1:
                return None
            return _Record(_Placed(f"[\n{named[0].text}\n]", number - 1, named[0].column), 0,
                           number)
        if offset not in self._listed:
            with open(self._path, "rb") as fh:
                fh.seek(offset)
                line = decode_utf8(fh.readline(), self._path, number)
            return _Record(_Placed(line, number), None, number)
        placed, records = self._open(offset)
        items = self._items(offset, number)
        if nth is not None and nth < len(items) and _slug_in(records[items[nth]]) == slug:
            return _Record(placed, items[nth], number)
        named = self._listed_named(offset, number).get(slug) or list(items)
        return _Record(placed, named[0], number) if len(named) == 1 else None

    def _listed_named(self, offset: int, number: int) -> dict[str | None, list[int]]:
        """Which records of the JSON array at ``offset`` that start on the line
        ``number`` have each slug (those of the last line asked kept: lints ask of each
        of its records, and one line may hold many)."""
        if self._named is None or self._named[0] != (offset, number):
            records, named = self._open(offset)[1], {}
            for at in self._items(offset, number):
                named.setdefault(_slug_in(records[at]), []).append(at)
            self._named = ((offset, number), named)
        return self._named[1]

    def _listing(self, lines: _Lines, raw: bytes, number: int, offset: int
                 ) -> Iterator[tuple[str | None, int, int]]:
        """The slugs of the records of the JSON array that starts on the line
        ``number`` (its bytes ``raw``, at ``offset``), if it is one, the line each
        starts on and the offset of the array's first line (past the lookahead's
        bounds: of its own); its lines are taken from ``lines``, as the reader takes
        them (and those of a record over lines that is broken, none of whose slugs is
        read); one at a time (a big array's are many)."""
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        text = raw.decode("utf-8", "surrogateescape")
        span = _one_line(text) or lines.span(text)
        records = _records(span)
        walked_whole = walked(lines, text) if span is None else None
        if walked_whole is not None:
            for item in streamed_records(lines, walked_whole):
                if not isinstance(item.value, dict):  # (no record, or one not read)
                    continue
                self._item_offsets.append(item.offset)
                self._item_columns.append(item.column)
                yield _slug_in(item.value), item.number, item.offset
            return
        if span is None or records is None:
            return
        placed = _Placed(span.text, number)
        starts = array("L", ((placed.find("", False, item) or (number, 0))[0]
                             for item in range(len(records))))
        self._listed[offset] = _Listed(number, span.taken, starts)
        self._firsts.append((number, offset))
        for record, at in zip(records, starts, strict=True):
            yield _slug_in(record), at, offset

    def _items(self, offset: int, number: int) -> range:
        """The records of the JSON array at ``offset`` that start on the line ``number``."""
        starts = self._listed[offset].starts
        low = bisect_left(starts, number)
        return range(low, bisect_right(starts, number, low))

    def _open(self, offset: int) -> tuple[_Placed, Any]:
        """The JSON array at ``offset`` read again: where its places are, and its value
        (the last one asked kept: lints ask of each of its records)."""
        if self._opened is None or self._opened[0] != offset:
            listed = self._listed[offset]
            with open(self._path, "rb") as fh:
                fh.seek(offset)
                raw = b"".join(fh.readline() for _ in range(listed.taken + 1))
            text = decode_utf8(raw, self._path, listed.number, keep=True)  # (as read)
            value = text.rstrip(" \t\r\n").removesuffix(",")  # (a comma after it: read so)
            self._opened = (offset, _Placed(text, listed.number), canonical.loads(value))
        return self._opened[1], self._opened[2]

    def _slugs_at(self, number: int, offset: int) -> Collection[str | None]:
        """The slugs of the records that start on the line ``number`` at ``offset``."""
        if self.streamed(offset):
            return self._line_of(number, offset)[2].keys()
        if offset in self._listed:
            return self._listed_named(offset, number).keys()
        with open(self._path, "rb") as fh:
            fh.seek(offset)
            return [_slug_in(_value_of(fh.readline()))]


#: What :func:`_value_of` gives of a line that is no JSON.
_NOT_JSON = object()


@lru_cache(maxsize=1)  # (a line of many records: asked once per record)
def _value_of(raw: bytes) -> Any:
    """The JSON value of the line ``raw`` (a comma after it, as read: see
    :class:`~.mistakes._Comma`); :data:`_NOT_JSON` where it is none."""
    text = raw.rstrip(b" \t\n\r")
    try:
        return json.loads(text[:-1] if text.endswith(b",") else text)
    except (ValueError, RecursionError):  # (no JSON)
        return _NOT_JSON


def _in_listing(value: Any) -> bool:
    """Whether a line whose JSON value (:func:`_value_of`) is ``value`` may be a line
    of a JSON array of records: one that is no JSON (written over lines), or a list
    (all on the line)."""
    return value is _NOT_JSON or isinstance(value, list)


def _slug_in(record: Any) -> str | None:
    """The slug of ``record`` where it is a JSON object with one."""
    slug = record.get("slug") if isinstance(record, dict) else None
    return slug if isinstance(slug, str) else None
