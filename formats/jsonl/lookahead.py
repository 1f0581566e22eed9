"""A record that goes on over lines after its first (pretty-printed, or a JSON array):
the lines read ahead for where its brackets close it."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

from converter import canonical
from converter.safety import BadJson

#: How far :meth:`_Lines.span` reads ahead at most for the end of a record that spans
#: lines: in lines, and in characters (with the record's first line).
_AHEAD_LINES = 20_000
_AHEAD_CHARS = 2 << 20
#: How many characters :meth:`_Lines.span` looks at in a file at most, beyond
#: :data:`_AHEAD_CHARS`, for each byte of the lines read: the looks of a file of many
#: lines that each open a bracket no line closes cost no more than reading it.
_LOOKS_PER_BYTE = 8
#: A JSON text (one not closed: to its line's end), or a bracket: what
#: :func:`_brackets` counts brackets among.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')


class _Span(NamedTuple):
    """A record that goes on over lines after its first (see :meth:`_Lines.span`)."""

    taken: int  # (how many lines after its first it goes on over)
    text: str  # (its lines, joined)
    mistake: BadJson | None  # (json's, in ``text``: a record broken)
    comma: int  # (the column of a comma after it in its last line; 0: none)
    closed: bool = True  # (False: its brackets do not balance)
    value: Any = None  # (what json reads of it, where it is JSON)


class _Lines:
    """The lines of an open file, numbered from 1, as bytes; lines that :meth:`span`
    read ahead and did not take are given again (no more than its bounds)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._ahead: deque[bytes] = deque()
        self._number = 0
        self._read = 0  # (bytes of the lines given and taken)
        self._looked = 0  # (characters :meth:`span` looked at)
        self._size = 0  # (characters of the lines :meth:`span` looks at now)
        self._last = 0  # (bytes of the current line)
        self.beyond = False  # (:meth:`span` found no end of its record within its bounds)
        self.walk_from = 0  # (the first line a JSON array may be walked from: .listing)

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        return self

    def __next__(self) -> tuple[int, bytes]:
        raw = self._ahead.popleft() if self._ahead else next(self._fh)
        self._number += 1
        self._read += len(raw)
        self._last = len(raw)
        return self._number, raw

    @property
    def offset(self) -> int:
        """Where the line after those given and taken starts, in bytes."""
        return self._read

    @property
    def number(self) -> int:
        """The current line's number."""
        return self._number

    @property
    def start(self) -> int:
        """Where the current line starts, in bytes."""
        return self._read - self._last

    @property
    def file(self) -> IO[bytes]:
        """The open file (for :mod:`.listing`, which reads it on its own and then
        :meth:`resume` s)."""
        return self._fh

    def resume(self, number: int, offset: int) -> None:
        """Go on after the line ``number``, the next starting at ``offset``: no line
        read ahead is kept."""
        self._ahead.clear()
        self._fh.seek(offset)
        self._number, self._read, self._last = number, offset, 0

    def span(self, line: str) -> _Span | None:
        """The record that the current line (``line``, no JSON on its own) starts, an
        object or list it leaves open, where it goes on over the lines after it up to
        the one whose bracket closes it with nothing after that (but a comma, said by
        :class:`_Comma`): those lines taken, and
        json's mistake in them, if any (a comma left out: its brackets are counted as
        written). Its brackets do not balance where none closes it before the file's
        end or a line that starts a record (a bracket at its start), or where json
        finds a mistake in it and a line that starts deeper than it closes it (one
        inside it, a bracket missing): it is then the lines up to that line or the
        file's end. None (nothing taken) where it is one line, where no line ends it
        within :data:`_AHEAD_LINES` and :data:`_AHEAD_CHARS` (:attr:`beyond` then
        says so: :mod:`.listing` walks a JSON array past them), or one closes it with
        more after.
        """
        start = _space(line)
        self.beyond = False
        if line[start:start + 1] not in ("{", "[") or len(line) > _AHEAD_CHARS or \
                self._looked > _AHEAD_CHARS + _LOOKS_PER_BYTE * self._read:
            return None
        depth, end = _brackets(line, 0, start)
        pieces, fresh, piece = [line], 0, ""
        self._size = len(line)  # (of ``pieces``)
        self._looked += len(line)
        while end < 0:
            piece = self._piece_ahead(pieces)
            if not piece:
                break
            fresh = fresh or (len(pieces) if piece[:1] in ("{", "[") else 0)
            pieces.append(piece)
            depth, end = _brackets(piece, depth)
        if end >= 0:
            after = _space(pieces[-1], end)
            comma = after + 1 if pieces[-1][after:after + 1] == "," else 0
            if _space(pieces[-1], after + (comma > 0)) < len(pieces[-1]):
                return None
            text = "".join(pieces)
            value, mistake = _parsed(text[:len(text) - len(pieces[-1]) + end])
            if mistake is None or not start < _space(pieces[-1]) == end - 1:
                return None if len(pieces) == 1 else \
                    self._taken(pieces, mistake, comma, value=value)
            closing = len(pieces)
            while not fresh:  # (closed by a line inside it: read on to the next record)
                piece = self._piece_ahead(pieces)
                if not piece:
                    break
                fresh = len(pieces) if piece[:1] in ("{", "[") else 0
                pieces.append(piece)
            if piece == "":  # (past the bounds: the lines that close it)
                return self._taken(pieces[:closing], mistake, comma)
        self.beyond = end < 0 and piece == ""  # (no end found within the bounds)
        if not fresh and piece is not None:
            return None
        pieces = pieces[:fresh or len(pieces)]
        while not pieces[-1].strip():
            pieces.pop()
        if len(pieces) == 1:
            return None
        return self._taken(pieces, _parsed("".join(pieces))[1], 0, closed=False)

    def _piece_ahead(self, pieces: list[str]) -> str | None:
        """The text of the line after ``pieces`` (the current line and those read ahead
        after it), counted as looked at; None past the file's end, "" past
        :data:`_AHEAD_LINES` or :data:`_AHEAD_CHARS`."""
        piece = _decoded(self._line_ahead(len(pieces) - 1))
        if piece is None:
            return None
        if len(pieces) > _AHEAD_LINES or self._size + len(piece) > _AHEAD_CHARS:
            return ""
        self._size += len(piece)
        self._looked += len(piece)
        return piece

    def _taken(self, pieces: list[str], mistake: BadJson | None, comma: int,
               closed: bool = True, value: Any = None) -> _Span:
        """The record of ``pieces`` (see :meth:`span`), its lines after the first taken."""
        taken = len(pieces) - 1
        for _ in range(taken):
            self._read += len(self._ahead.popleft())
        self._number += taken
        return _Span(taken, "".join(pieces), mistake, comma, closed, value)

    def _line_ahead(self, at: int) -> bytes | None:
        """The line ``at`` (from 0) after the current one, read ahead; None past the end."""
        while len(self._ahead) <= at:
            raw = self._fh.readline()
            if not raw:
                return None
            self._ahead.append(raw)
        return self._ahead[at]


def _decoded(raw: bytes | None) -> str | None:
    """The text of a line read ahead (None for none), each byte that is not UTF-8 kept
    as :data:`~converter.diagnostics.KEPT_BYTE` (said where it is read)."""
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def _parsed(text: str) -> tuple[Any, BadJson | None]:
    """The JSON value of ``text`` (None where it is none), and json's mistake in it."""
    try:
        return canonical.loads(text), None
    except BadJson as exc:
        return None, exc


def _brackets(text: str, depth: int, at: int = 0) -> tuple[int, int]:
    """How deep in brackets the end of ``text`` from ``at`` is, ``depth`` deep before
    it (brackets in texts not counted), and where the bracket that closes the first
    ends (-1: none does): where a record ends as it is written, JSON or not."""
    for token in _TOKEN.finditer(text, at):
        bracket = text[token.start()]
        if bracket in "[{":
            depth += 1
        elif bracket in "]}":
            depth -= 1
            if depth <= 0:
                return 0, token.end()
    return depth, -1


def _space(text: str, at: int = 0) -> int:
    """Where the white space (JSON's) at ``text[at]`` ends."""
    found = canonical.JSON_SPACE.match(text, at)
    return found.end() if found else at
