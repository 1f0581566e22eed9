"""Keys that differ from a field's name only in case (``Title:``, ``Coords:``).

Hugo lowercases front-matter keys, so ``Title`` and ``COORDS`` are its ``title`` and
``coords``; here keys are case-sensitive (as Jekyll has them), and such a key is an
``extra`` key like any other. A required field missing beside one says so (:func:`hint`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .authoring import RESERVED_KEYS


def field_of(key: str) -> str | None:
    """The field that ``key`` is to Hugo, when it is not that field's name here."""
    folded = key.lower()
    return folded if folded != key and folded in RESERVED_KEYS else None


def misnamed(keys: Iterable[object], field: str) -> str | None:
    """The first of ``keys`` (as written) that Hugo reads as ``field``, if any."""
    return next((key for key in keys if isinstance(key, str) and field_of(key) == field),
                None)


def hint(key: str, field: str) -> str:
    """What a missing ``field`` adds when the file has ``key``, Hugo's ``field``."""
    return (f"the file has {key}:, which Hugo reads as {field}; keys are case-sensitive "
            f"here: write {field}")
