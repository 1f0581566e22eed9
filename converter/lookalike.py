"""Paths that look the same but differ in how their accented letters are encoded (NFC
and NFD: a file made on macOS beside one made elsewhere), and how a ``duplicate-slug``
names the file that took a slug first, saying so of such paths."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from .diagnostics import Named

#: What paths that look the same differ in: their accented letters' encoding.
_ENCODED = ("only in how their accented letters are encoded, NFC and NFD, as macOS and "
            "other systems write them: remove {}")


def user_of(path: str, other: str, line: int | None = None, twins: Sequence[str] = ()
            ) -> tuple[str | Named, ...]:
    """How a ``duplicate-slug`` in ``path`` names the file ``other`` that took the slug
    first: an earlier record of the same file (on ``line`` when known), or the other
    file, with what two paths that look the same differ in; and so the ``twins``, other
    inputs whose paths look the same as ``path`` (:meth:`Lookalikes.twins`)."""
    if path == other:
        return ("an earlier record of this file" + (f", on line {line}" if line else ""),)
    if _nfc(path) == _nfc(other):
        return (Named(other), f" (the two names differ {_ENCODED.format('one')})")
    if not twins:
        return (Named(other),)
    named = [part for twin in twins for part in (", ", Named(twin))]
    if len(twins) == 1:
        return (Named(other), " (another file", *named, ", has a name that differs from "
                f"this one's {_ENCODED.format('one')})")
    return (Named(other), " (other files", *named, ", have names that differ from this "
            f"one's {_ENCODED.format('all but one')})")


class Lookalikes:
    """A run's input paths that look the same, found among those that are not ASCII on
    the first question (the same answers whatever the order the inputs are read in)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._paths: Iterable[str] | None = paths
        self._groups: dict[str, list[str]] = {}

    def twins(self, path: str, first: str) -> list[str]:
        """The other paths than ``first`` that differ from ``path`` only in their
        accented letters' encoding, in input order."""
        if path.isascii():
            return []
        if self._paths is not None:
            groups: dict[str, list[str]] = {}
            for each in self._paths:
                if not each.isascii():
                    groups.setdefault(_nfc(each), []).append(each)
            self._groups = {nfc: found for nfc, found in groups.items() if len(found) > 1}
            self._paths = None
        return [twin for twin in self._groups.get(_nfc(path), ()) if twin not in (path, first)]


def _nfc(path: str) -> str:
    return unicodedata.normalize("NFC", path)
