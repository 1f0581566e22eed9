"""Drafts: muscles their site generator does not publish.

Hugo leaves out a page whose front matter has ``draft: true`` (unless ``hugo -D``),
Jekyll one with ``published: false`` (unless ``--unpublished``). The marker is an
``extra`` key of the model, so it counts alike from every format that carries
``extra``; ``convert`` leaves such a muscle out unless ``--drafts``. A marker that is
no boolean (a number, a list, the text ``yes``) is an error: the two generators read
it differently (Hugo takes the text ``"true"`` for true, Jekyll the text ``"false"``
for a page to publish), and this tool reads ``yes`` and ``off`` as the text written.

Each key counts as its generator reads it: Hugo lowercases front-matter keys, so
``Draft`` and ``DRAFT`` are its ``draft``; Jekyll's ``published`` is that key only. Two
keys that are one to Hugo (``draft`` and ``Draft``) are an error: which value it takes
follows Go's map order (checked with Hugo 0.111.3: ``Draft`` over ``draft``, and between
``Draft`` and ``DRAFT`` either, from one build to the next).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

#: (key, the generator that reads it, the value that marks a draft, whether the
#: generator reads the key in any case).
MARKERS: tuple[tuple[str, str, bool, bool], ...] = (("draft", "Hugo", True, True),
                                                    ("published", "Jekyll", False, False))


def _marker(key: str) -> tuple[str, str, bool, bool] | None:
    """The marker that ``key`` (as written) is to its generator, if any."""
    for marker in MARKERS:
        name, _, _, any_case = marker
        if key == name or (any_case and key.lower() == name):
            return marker
    return None


def keys_in(extra: Mapping[str, Any]) -> frozenset[str]:
    """The keys of ``extra``, as written, that are draft markers to their generator."""
    return frozenset(key for key in extra if _marker(key))


def is_draft(extra: Mapping[str, Any]) -> bool:
    """Whether ``extra`` marks its muscle a draft: ``draft: true`` (``Draft: true``, any
    case) or ``published: false``."""
    return any((marker := _marker(key)) is not None and value is marker[2]
               for key, value in extra.items())


def problems(extra: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(key, code, message) for each draft marker of ``extra`` that is not true or false
    (``wrong-type``) and each after the first that its generator reads as the same key
    (``duplicate-key``)."""
    seen: dict[str, str] = {}
    for key in [key for key in extra if _marker(key)]:  # (in the order written)
        name, generator, marks, _ = _marker(key)  # type: ignore[misc]
        if name in seen:
            yield key, "duplicate-key", (
                f"{seen[name]} and {key} are one key to {generator}, which reads "
                f"front-matter keys in lower case and takes the value of either: keep one "
                f"(write {name}: true or {name}: false)")
            continue
        seen[name] = key
        if not isinstance(extra[key], bool):
            yield key, "wrong-type", _message(key, generator, marks, extra[key])


def advice(key: str) -> str:
    """What to write of the marker ``key`` (as written): ``draft: true or draft: false``."""
    return f"{key}: true or {key}: false"


def _message(key: str, generator: str, marks: bool, value: Any) -> str:
    """Why ``key: value`` marks nothing, and what to write."""
    meaning = f"{generator} leaves out a page with {key}: {'true' if marks else 'false'}"
    if isinstance(value, str):
        from . import yaml11  # (as in _as_text)

        what = f"the text {yaml11.quoted(value)} ({_as_text(generator, value)})"
    else:
        what = _kind(value)
    return f"must be true or false ({meaning}), not {what}: write {advice(key)}"


#: The texts Hugo takes for true (Go's ``strconv.ParseBool``, through ``cast.ToBool``).
_HUGO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})


def _as_text(generator: str, text: str) -> str:
    """What ``generator`` makes of a marker that is ``text``: quoted (or from a record),
    Hugo leaves the page out for the texts Go takes for true, Jekyll publishes it for
    any text; written plain, a word may be a boolean to it (``yes``)."""
    from . import yaml11  # (PyYAML: imported when a marker is reported, not by every run)

    does = "leaves out" if generator == "Hugo" and text in _HUGO_TRUE else "publishes"
    plain = dict(yaml11.readings(text)).get(generator)
    if isinstance(plain, bool):
        return (f"which {generator} reads written plain as {yaml11.describe(plain)}; "
                f"quoted, it {does} the page")
    return f"{generator} {does} a page with it"


def _kind(value: Any) -> str:
    """``value`` in words: ``null``, ``a number``, ``a list``, ``a map``."""
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a map"
    if isinstance(value, tuple | list):
        return "a list"
    return f"the number {value}"
