"""Drafts: muscles their site generator does not publish.

Hugo leaves out a page whose front matter has ``draft: true`` (unless ``hugo -D``),
Jekyll one with ``published: false`` (unless ``--unpublished``). The marker is an
``extra`` key of the model, so it counts alike from every format that carries
``extra``; ``convert`` leaves such a muscle out unless ``--drafts``. A marker that is
no boolean (a number, a list, the text ``yes``) is an error: the two generators read
it differently (Hugo takes the text ``"true"`` for true, Jekyll the text ``"false"``
for a page to publish), and this tool reads ``yes`` and ``off`` as the text written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import yaml11

#: (key, the generator that reads it, the value that marks a draft).
MARKERS: tuple[tuple[str, str, bool], ...] = (("draft", "Hugo", True),
                                              ("published", "Jekyll", False))
KEYS = frozenset(key for key, _, _ in MARKERS)


def is_draft(extra: Mapping[str, Any]) -> bool:
    """Whether ``extra`` marks its muscle a draft: ``draft: true`` or ``published: false``."""
    return any(extra.get(key, not marks) is marks for key, _, marks in MARKERS)


def problems(extra: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) for each draft marker of ``extra`` that is not true or false."""
    for key, generator, marks in MARKERS:
        if key in extra and not isinstance(extra[key], bool):
            yield key, _message(key, generator, marks, extra[key])


def _message(key: str, generator: str, marks: bool, value: Any) -> str:
    """Why ``key: value`` marks nothing, and what to write."""
    meaning = f"{generator} leaves out a page with {key}: {'true' if marks else 'false'}"
    if isinstance(value, str):
        read = dict(yaml11.readings(value)).get(generator)
        told = (f" (which {generator} reads written plain as {yaml11.describe(read)})"
                if isinstance(read, bool) else "")
        what = f"the text {_quoted(value)}{told}"
    else:
        what = _kind(value)
    return (f"must be true or false ({meaning}), not {what}: write {key}: true or "
            f"{key}: false")


def _quoted(text: str) -> str:
    """``text`` in double quotes, as YAML reads it back."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _kind(value: Any) -> str:
    """``value`` in words: ``null``, ``a number``, ``a list``, ``a map``."""
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a map"
    if isinstance(value, tuple | list):
        return "a list"
    return f"the number {value}"
