"""UTF-16 and UTF-32 without a byte order mark: told by a file's bytes, and said as one
``not-utf8`` error before a UTF-8 reader reads the file."""

from __future__ import annotations

import re

from .diagnostics import MuscleError, decode_utf8, error, wide_encoding


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
    it reads as such, no control character in it, one letter in ten ASCII or more. None
    otherwise: for bytes with a byte order mark (see :func:`wide_encoding`), and at once
    for bytes holding no NUL."""
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


def _unmarked_encoding(raw: bytes) -> tuple[str, str] | None:
    """The encoding (``UTF-16``) and byte order (``little``) of ``raw`` when
    :func:`unmarked_wide` finds it in one, unmarked; else None."""
    if b"\0" not in raw or wide_encoding(raw) is not None:
        return None
    for encoding, size in (("UTF-32", 4), ("UTF-16", 2)):
        units = len(raw) // size
        if units < 2:
            continue
        nuls = [raw[at:units * size:size].count(0) for at in range(size)]
        for order, letter in (("little", 0), ("big", size - 1)):
            if nuls[letter] <= 0.1 * units and all(
                    count >= 0.9 * units for at, count in enumerate(nuls) if at != letter):
                return encoding, order
    return next(((encoding, order) for encoding in ("UTF-32", "UTF-16")
                 for order in ("little", "big") if _wide_text(raw, f"{encoding}-{order[0]}e")),
                None)


def _unmarked(path: str, encoding: str, order: str) -> MuscleError:
    """The ``not-utf8`` error of a file in ``encoding`` of byte ``order``, unmarked."""
    return error(path, "not-utf8", f"is {encoding} ({order}-endian, with no byte order "
                 "mark), not UTF-8: save it as UTF-8", line=1, column=1)


def _wide_text(raw: bytes, encoding: str) -> bool:
    """Whether ``raw`` reads as text in ``encoding`` (``UTF-16-le``): lines (a line
    break; a few bytes of a binary file's, ``---\\0\\1\\n``, read as three letters of
    no line), no control character (a NUL of a binary file's), one letter in ten ASCII
    or more (a UTF-8 file's ASCII read so is none)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return ("\n" in text and not _NO_TEXT.search(text)
            and sum(c < "\x80" for c in text) >= 0.1 * len(text))
