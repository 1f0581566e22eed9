"""UTF-16 and UTF-32 without a byte order mark: told by a file's bytes, and said as one
``not-utf8`` error before a UTF-8 reader reads the file."""

from __future__ import annotations

import codecs
import io
import re
from typing import IO

from .diagnostics import MuscleError, decode_utf8, error, file_not_utf8, wide_encoding


def decode_text(raw: bytes, path: str, *, keep: bool = False, ahead: bytes = b"") -> str:
    """:func:`~converter.diagnostics.decode_utf8` of the bytes ``raw`` a file starts
    with, first told UTF-16 or UTF-32 without a byte order mark (:func:`unmarked_wide`
    of ``raw`` and the bytes ``ahead`` of it together: the rest of a line's last letter,
    for a reader of lines): one ``not-utf8`` error either way."""
    wide = unmarked_wide(raw + ahead, path)
    if wide is not None:
        raise wide
    return decode_utf8(raw, path, keep=keep)


#: What no text holds: NUL and the other C0 controls but tab, line feed and CR.
_NO_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def unmarked_wide(raw: bytes, path: str) -> MuscleError | None:
    """The ``not-utf8`` error (at line 1, column 1) of ``raw`` when it looks like UTF-32
    or UTF-16 of mostly Latin letters without a byte order mark: in each unit of 4 (or
    2) bytes, those that are NUL in such a letter are NUL nine times in ten or more, the
    letter's own byte one time in ten at most; or of other letters (Greek, Cyrillic):
    it reads as such, no control character in it, one letter in ten ASCII other than a
    line break or more. None otherwise: for bytes with a byte order mark (see
    :func:`wide_encoding`), and at once for bytes holding no NUL."""
    found = _unmarked_encoding(raw)
    return None if found is None else _unmarked(path, *found)


def wide_codec(raw: bytes) -> str | None:
    """The Python codec ``raw`` is to be read with when it is UTF-16 or UTF-32, by its
    byte order mark (``utf-16``, which drops it) or without one as :func:`unmarked_wide`
    finds it (``utf-16-le``); None for other bytes."""
    marked = wide_encoding(raw)
    if marked is not None:
        return marked.lower()
    found = _unmarked_encoding(raw)
    return None if found is None else f"{found[0].lower()}-{found[1][0]}e"


def file_not_text(fh: IO[bytes], path: str, chunk: int = 1 << 16) -> MuscleError | None:
    """The ``not-utf8`` error :func:`decode_text` gives of the bytes of ``fh`` (all of
    them, as a file's start), found by reading them from their start a ``chunk`` at a
    time (none kept): for a file too big to be read whole to say so. None when they are
    UTF-8."""
    found = _encoding_of(fh, chunk)
    return _unmarked(path, *found) if found else file_not_utf8(fh, path, chunk)


def _unmarked_encoding(raw: bytes) -> tuple[str, str] | None:
    """The encoding (``UTF-16``) and byte order (``little``) of ``raw`` when
    :func:`unmarked_wide` finds it in one, unmarked; else None."""
    return None if b"\0" not in raw else _encoding_of(io.BytesIO(raw), max(len(raw), 1))


def _encoding_of(fh: IO[bytes], chunk: int) -> tuple[str, str] | None:
    """:func:`_unmarked_encoding` of the bytes of ``fh``, read a ``chunk`` at a time: the
    NULs at each place of a unit of four counted first, and read as text only when
    those tell nothing."""
    fh.seek(0)
    nuls, length, head, tail = [0, 0, 0, 0], 0, b"", b""
    while raw := fh.read(chunk):
        for at in range(4):
            nuls[(length + at) % 4] += raw[at::4].count(0)
        head, tail, length = (head + raw[:4])[:4], (tail + raw)[-3:], length + len(raw)
    if not any(nuls) or wide_encoding(head) is not None:
        return None
    for encoding, size in (("UTF-32", 4), ("UTF-16", 2)):
        units = length // size
        if units < 2:
            continue
        counts = [sum(nuls[at::size]) for at in range(size)]
        for place in range(units * size, length):  # (a last unit cut short: not counted)
            counts[place % size] -= tail[place - length] == 0
        for order, letter in (("little", 0), ("big", size - 1)):
            if counts[letter] <= 0.1 * units and all(
                    count >= 0.9 * units for at, count in enumerate(counts) if at != letter):
                return encoding, order
    return next(((encoding, order) for encoding in ("UTF-32", "UTF-16")
                 for order in ("little", "big")
                 if _wide_text(fh, f"{encoding}-{order[0]}e", chunk)), None)


def _unmarked(path: str, encoding: str, order: str) -> MuscleError:
    """The ``not-utf8`` error of a file in ``encoding`` of byte ``order``, unmarked."""
    return error(path, "not-utf8", f"is {encoding} ({order}-endian, with no byte order "
                 "mark), not UTF-8: save it as UTF-8", line=1, column=1)


def _wide_text(fh: IO[bytes], encoding: str, chunk: int) -> bool:
    """Whether the bytes of ``fh`` (read a ``chunk`` at a time) read as text in
    ``encoding`` (``UTF-16-le``): lines (a line break; a few bytes of a binary file's,
    ``---\\0\\1\\n``, read as three letters of no line), no control character (a NUL
    of a binary file's), one letter in ten ASCII other than a line break or more (a UTF-8
    file's ASCII read so is none; nor is ``ab\\0\\n``, one letter and a line break, which
    a NUL before a UTF-8 file's line feed reads as)."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    line, ascii, letters = False, 0, 0
    while True:
        raw = fh.read(chunk)
        try:
            text = decoder.decode(raw, final=not raw)
        except UnicodeDecodeError:
            return False
        if _NO_TEXT.search(text):
            return False
        line = line or "\n" in text
        ascii += len(text.encode("ascii", "ignore")) - text.count("\n") - text.count("\r")
        letters += len(text)
        if not raw:
            return line and ascii >= 0.1 * letters
