"""Which line of a JSON Lines file holds a slug's record (asked by lints, after the
read), and where each line starts."""

from __future__ import annotations

import itertools
import json
from array import array
from bisect import bisect_left, bisect_right
from functools import lru_cache


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


class _SlugLines:
    """slug -> (line number, byte offset) of its line in a JSON Lines file, None for a
    slug of more than one line (which of them a diagnostic means is not known). Kept
    small: per line with a slug, its hash, number and offset, in arrays sorted by hash
    (24 bytes a line; a dict of the slugs of 40,000 lines took 8 MB). Lines whose slugs
    share a hash are read again to tell them apart; a slug the file does not have is
    taken for one that has its hash (1 in 2**64, as the corpus lint's text digests)."""

    def __init__(self, path: str) -> None:
        self._path = path
        hashes, numbers, offsets = array("q"), array("L"), array("Q")
        offset = 0
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                slug = _slug_of(raw)
                if slug is not None:
                    hashes.append(hash(slug))
                    numbers.append(number)
                    offsets.append(offset)
                offset += len(raw)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", (hashes[i] for i in order))
        self._numbers = array("L", (numbers[i] for i in order))
        self._offsets = array("Q", (offsets[i] for i in order))

    def get(self, slug: str) -> tuple[int, int] | None:
        """(line number, byte offset) of the one line whose slug is ``slug``."""
        key = hash(slug)
        low = bisect_left(self._hashes, key)
        high = bisect_right(self._hashes, key, low)
        found = [(self._numbers[i], self._offsets[i]) for i in range(low, high)]
        if len(found) > 1:  # (a slug twice, or two slugs of one hash)
            found = [at for at in found if self._slug_at(at[1]) == slug]
        return found[0] if len(found) == 1 else None

    def _slug_at(self, offset: int) -> str | None:
        with open(self._path, "rb") as fh:
            fh.seek(offset)
            return _slug_of(fh.readline())


def _slug_of(raw: bytes) -> str | None:
    """The slug of the JSON object on the line ``raw`` (a comma after it, as read: see
    :class:`_Comma`); None when it has none."""
    text = raw.rstrip(b" \t\n\r")
    try:
        slug = json.loads(text[:-1] if text.endswith(b",") else text).get("slug")
    except (ValueError, AttributeError, RecursionError):  # (no JSON object)
        return None
    return slug if isinstance(slug, str) else None
