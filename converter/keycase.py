"""Keys that differ from a field's name only in case (``Title:``, ``Coords:``).

Hugo lowercases front-matter keys (Go's ``strings.ToLower``: :func:`hugo_key`), so
``Title``, ``COORDS`` and ``İmage`` are its ``title``, ``coords`` and ``image``; here
keys are case-sensitive (as Jekyll has them), and such a key is an ``extra`` key like
any other. A required field missing beside one says so (:func:`hint`);
a muscle read with one has a ``field-case`` warning at each (:func:`problems`), in every
format that carries ``extra``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .authoring import RESERVED_KEYS
from .model import Muscle

#: Go's ``unicode.ToLower`` of each character whose Python lower case is otherwise
#: (more than one character: ``"İ".lower()`` is ``i`` and a combining dot above).
_GO_LOWER = {"\u0130": "i"}


def hugo_key(key: str) -> str:
    """``key`` as Hugo reads it: Go's ``strings.ToLower``, which lowercases each
    character on its own (``TİTLE`` is ``title``; a capital sigma at the end of a word
    is the small sigma, not Python's final form)."""
    if key.isascii():
        return key.lower()
    return "".join(_GO_LOWER.get(char) or char.lower() for char in key)


def field_of(key: str) -> str | None:
    """The field that ``key`` is to Hugo, when it is not that field's name here."""
    folded = hugo_key(key)
    return folded if folded != key and folded in RESERVED_KEYS else None


def misnamed(keys: Iterable[object], field: str) -> str | None:
    """The first of ``keys`` (as written) that Hugo reads as ``field``, if any."""
    return next((key for key in keys if isinstance(key, str) and field_of(key) == field),
                None)


def hint(key: str, field: str) -> str:
    """What a missing ``field`` adds when the file has ``key``, Hugo's ``field``."""
    return (f"the file has {key}:, which Hugo reads as {field}; keys are case-sensitive "
            f"here: write {field}")


def problems(muscle: Muscle) -> list[tuple[str, str]]:
    """(key, message) of each key of ``muscle.extra`` that Hugo reads as a field: one
    pass in C over the keys first, as such a key is rare (an ASCII key's lower case is
    Hugo's)."""
    if RESERVED_KEYS.isdisjoint(map(str.lower, muscle.extra)) and \
            all(map(str.isascii, muscle.extra)):
        return []
    return [(key, _message(field, _given(muscle, field))) for key in muscle.extra
            if (field := field_of(key)) is not None]


def _given(muscle: Muscle, field: str) -> bool:
    """Whether ``muscle`` has a value of ``field`` (as written under its own name; a
    slug is always there, and does not tell whether a ``slug:`` key was written)."""
    if field == "slug":
        return False
    from .canonical import model_field  # (the model's name of the field: rarely asked)

    value = getattr(muscle, model_field(field))
    return isinstance(value, str) or bool(value)


def _message(field: str, given: bool) -> str:
    """What a key that Hugo reads as ``field`` is (``given``: beside ``field`` itself)."""
    if given:
        return (f"this key and {field} are one key to Hugo, which reads front-matter keys "
                "in lower case and takes the value of either; keys are case-sensitive "
                "here, so this one is extra data: keep one")
    return (f"Hugo reads this key as {field} (it lowercases front-matter keys); keys are "
            f"case-sensitive here, so it is extra data, not the muscle's {field}: write "
            f"{field}")
