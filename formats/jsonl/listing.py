"""A JSON array of records past :mod:`.lookahead`'s bounds (a big export pasted into a
.jsonl file): walked a record at a time, once to know it is one and once to read its
records, so that no more than one record of it is held at a time."""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from . import lookahead
from .lookahead import _brackets, _decoded, _Lines, _parsed, _space


class _Item(NamedTuple):
    """An item of the array, a record or another value: its text (valid JSON, from its
    first character, ``{`` for a record: its first line's columns are the file's less
    ``column``), the line it starts on, its value, and where it starts: the offset of
    that line, in bytes, its index there, and the bytes before it there; the line it
    ends on; whether it is a record. One past :mod:`.lookahead`'s bounds is not read:
    its text is empty, its value None."""

    text: str
    number: int
    value: Any
    offset: int
    column: int
    lead: int
    last: int
    record: bool = True


class _Walked(NamedTuple):
    """A JSON array of records walked whole (see :func:`walked`)."""

    count: int  # (its items)
    last: int  # (its last line)
    end: int  # (where the line after its last starts, in bytes)
    comma: int  # (the column of a comma after it in its last line; 0: none)
    records: int  # (its items that are records: all, or some among other values)


class _Broken(Exception):
    """What was walked is no JSON array of records (as far as it was read)."""


class _Walk:
    """The lines of an open file from the one at ``offset`` (line ``number``), read one
    at a time, and where in the current one the walk is."""

    def __init__(self, fh: IO[bytes], offset: int, number: int) -> None:
        fh.seek(offset)
        self._fh, self.offset, self.number = fh, offset, number - 1
        self.text, self.at, self.start = "", 0, offset  # (start: of the current line)
        self._counted = (0, 0)  # (an index in the current line, the bytes before it)

    def next_line(self) -> None:
        """Go on to the start of the next line; :class:`_Broken` past the file's end."""
        raw = self._fh.readline()
        if not raw:
            raise _Broken
        self.start = self.offset
        self.offset += len(raw)
        if self.offset == len(raw):  # (the file's first line: its byte order mark is none)
            raw = raw.removeprefix(codecs.BOM_UTF8)
        self.number += 1
        self.text, self.at = _decoded(raw) or "", 0
        self._counted = (0, 0) if len(raw) != len(self.text) else (-1, 0)  # (-1: ASCII)

    def lead(self, at: int) -> int:
        """The bytes before the index ``at`` of the current line: counted on from the
        last index asked (the records of a line are asked in order), so that a line
        of many records is encoded once in all."""
        counted, count = self._counted
        if counted < 0:  # (one byte a character)
            return at
        if at < counted:
            counted, count = 0, 0
        count += len(self.text[counted:at].encode("utf-8", "surrogateescape"))
        self._counted = (at, count)
        return count

    def next_char(self) -> str:
        """The next character that is no white space, reading on over lines."""
        self.at = _space(self.text, self.at)
        while self.at >= len(self.text):
            self.next_line()
            self.at = _space(self.text)
        return self.text[self.at]


def _items(walk: _Walk, walked: list[_Walked]) -> Iterator[_Item]:
    """The items of the JSON array whose ``[`` opens the next line of ``walk``, one at
    a time; when it ends, :class:`_Walked` is put in ``walked``. :class:`_Broken` where it
    is no JSON array of records, all of them or some among other values, as
    :func:`~.mistakes._records` reads one within :mod:`.lookahead`'s bounds (a record
    past them is one if its brackets close it: it is given unread)."""
    walk.next_line()
    walk.at = _space(walk.text) + 1
    count, records, after = 0, 0, walk.next_char()
    while after != "]" or not count:
        if count and after != ",":
            raise _Broken
        item = _item(walk) if walk.next_char() == "{" else _other(walk)
        records += item.record
        yield item
        count += 1
        after = walk.next_char()
        walk.at += 1
    end = _space(walk.text, walk.at)
    comma = end + 1 if walk.text[end:end + 1] == "," else 0
    if not records or _space(walk.text, end + (comma > 0)) < len(walk.text):
        raise _Broken
    walked.append(_Walked(count, walk.number, walk.offset, comma, records))


#: An item of a JSON array that is neither an object nor a list, as written (a text,
#: which no line break is in, or a number or literal): what :func:`_other` reads.
_SCALAR = re.compile(r'"(?:[^"\\\n]|\\.)*"|[^\s,\[\]{}":]+')


def _other(walk: _Walk) -> _Item:
    """The item that is no record (a list, or a value on its line) where ``walk`` is,
    ``walk`` then after it; :class:`_Broken` where it is no JSON value."""
    if walk.text[walk.at:walk.at + 1] == "[":
        return _item(walk, record=False)
    start = walk.at
    found = _SCALAR.match(walk.text, start)
    if found is None:
        raise _Broken
    walk.at = found.end()
    return _read(found.group(), walk, start, walk.lead(start), record=False)


def _item(walk: _Walk, record: bool = True) -> _Item:
    """The record (else the list) whose ``{`` (``[``) is where ``walk`` is, ``walk``
    then after its ``}``; one past :mod:`.lookahead`'s bounds unread, walked to its
    end a line at a time."""
    number, start, offset = walk.number, walk.at, walk.start
    lead = walk.lead(start)
    depth, end = _brackets(walk.text, 0, start)
    if end >= 0:  # (on its first line: only its own text taken)
        walk.at = end
        return _read(walk.text[start:end], walk, start, lead, record=record)
    pieces = [walk.text[start:]]
    size = len(walk.text)
    while end < 0:
        walk.next_line()
        size += len(walk.text)
        if len(pieces) > lookahead._AHEAD_LINES or size > lookahead._AHEAD_CHARS:
            pieces.clear()  # (none held: its brackets counted to its end)
            depth, end = _brackets(walk.text, depth)
            while end < 0:
                walk.next_line()
                depth, end = _brackets(walk.text, depth)
            walk.at = end
            return _Item("", number, None, offset, start, lead, walk.number, record)
        pieces.append(walk.text)
        depth, end = _brackets(walk.text, depth)
    pieces[-1] = pieces[-1][:end]
    walk.at = end
    return _read("".join(pieces), walk, start, lead, number, offset, record)


def _read(text: str, walk: _Walk, column: int, lead: int, number: int = 0,
          offset: int = -1, record: bool = True) -> _Item:
    """The record ``text`` (with ``record`` False: the other item) that starts at
    ``column`` (``lead`` bytes in) of the line ``number`` at ``offset`` (by default the
    current line of ``walk``, which is after its end); :class:`_Broken` where it is no
    JSON object (no JSON value that is none)."""
    value, mistake = _parsed(text)
    if mistake is not None or isinstance(value, dict) is not record:
        raise _Broken
    return _Item(text, number or walk.number, value,
                 walk.start if offset < 0 else offset, column, lead, walk.number, record)


def walked(lines: _Lines, line: str) -> _Walked | None:
    """The JSON array of records that the current line of ``lines`` (``line``) opens,
    where :meth:`_Lines.span` found no end of it within its bounds: walked whole once,
    no record kept; None where it is none (its lines are then read on as lines, and no
    line before where this walk stopped is walked again: what is walked is bounded by
    the file's size)."""
    start = _space(line)
    if not lines.beyond or line[start:start + 1] != "[" or lines.number < lines.walk_from:
        return None
    found: list[_Walked] = []
    walk = _Walk(lines.file, lines.start, lines.number)
    try:
        for _ in _items(walk, found):
            pass
    except _Broken:
        lines.walk_from = walk.number
        lines.resume(lines.number, lines.offset)
        return None
    return found[0]


def records(lines: _Lines, array: _Walked) -> Iterator[_Item]:
    """The records of the JSON array (``array``, :func:`walked`) that the current line
    of ``lines`` opens, read again one at a time; ``lines`` then goes on after it. (The
    file changed since it was walked: its records up to the change, the file's reader
    says that it changed.)"""
    walk = _Walk(lines.file, lines.start, lines.number)
    with contextlib.suppress(_Broken):
        yield from _items(walk, [])
    lines.resume(array.last, array.end)


def records_at(fh: IO[bytes], number: int, offset: int, columns: Iterator[int]
               ) -> list[_Item]:
    """The records of a JSON array (:func:`records` gave them) that start on the line
    ``number`` at ``offset`` of the open file ``fh``, at those ``columns``, read again
    (none of one that is no longer such a record): the line read once, each record
    from where the one before it ends (only the last of them may go on over lines)."""
    found: list[_Item] = []
    walk = _Walk(fh, offset, number)
    with contextlib.suppress(_Broken):
        walk.next_line()
        text = walk.text
        for column in columns:
            if walk.text is not text:  # (the one before went on over lines: read again)
                walk = _Walk(fh, offset, number)
                walk.next_line()
                text = walk.text
            walk.at = column
            if text[column:column + 1] == "{":
                with contextlib.suppress(_Broken):
                    found.append(_item(walk))
    return found
