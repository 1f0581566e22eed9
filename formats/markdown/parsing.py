"""Front matter -> :class:`~converter.model.Muscle`: its YAML loaded
(:mod:`converter.yamlsafe`), validated and built (:mod:`converter.authoring`), each
field's line and column found."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from converter.authoring import muscle_from_front_matter
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle

from .frontmatter import split

if TYPE_CHECKING:  # (PyYAML is imported when a file is read, not by a run replayed)
    from converter.yamlsafe import YamlProblem

#: A field path -> its (line, column) in the file, when known.
Locate = Callable[[str], "tuple[int, int] | None"]
#: Where a step of a field path begins (``.key``, ``[0]``).
_STEP = re.compile(r"[.\[]")


def parse(text: str, path: str, slug_hint: str, default_lang: str,
          located: Callable[[Muscle, Locate], None] | None = None) -> Muscle:
    """Text of one muscle file -> :class:`Muscle` (or :class:`MuscleError`); ``located``
    is called with the muscle and a function giving any field's line and column."""
    return _parsed(*split(text, path), path, slug_hint, default_lang, located)


def _parsed(fm: str, body: str, path: str, slug_hint: str, default_lang: str,
            located: Callable[[Muscle, Locate], None] | None = None, *,
            writer_lang: str | None = None) -> Muscle:
    """:func:`parse` of a file split already into its front matter ``fm`` and ``body``
    (``writer_lang``: the Markdown writer's ``--default-lang``, when not
    ``default_lang``, the language of the file's plain texts)."""
    data, node, keys = _load(fm, path)
    return _built(fm, data, node, body, path, slug_hint, default_lang, located, keys,
                  writer_lang=writer_lang)


def _load(fm: str, path: str) -> tuple[Any, Any, list[Diagnostic]]:
    """The front matter ``fm``'s data, its node tree (:mod:`converter.yamlsafe`) and the
    ``wrong-type`` error of each key that is not text (``1:``), left out of the data."""
    from converter import yamlsafe

    keys: list[yamlsafe.YamlProblem] = []
    try:
        data, node = yamlsafe.load_with_nodes(fm, keys)
    except yamlsafe.YamlProblem as problem:
        raise MuscleError(_diagnostic(path, problem)) from None
    return data, node, [_diagnostic(path, problem) for problem in keys]


def _diagnostic(path: str, problem: YamlProblem) -> Diagnostic:
    """The error of a YAML problem of the file at ``path`` (the YAML's line 0 is the
    file's 1)."""
    line = None if problem.line is None else problem.line + 1
    column = None if problem.column is None else problem.column + 1
    return Diagnostic(path, line, column, problem.field, problem.code, problem.message)


def _built(fm: str, data: Any, node: Any, body: str, path: str, slug_hint: str,
           default_lang: str, located: Callable[[Muscle, Locate], None] | None = None,
           keys: list[Diagnostic] | None = None, *, writer_lang: str | None = None
           ) -> Muscle:
    """:func:`parse`'s muscle of the front matter ``fm``, loaded (``data``; ``node``: its
    tree; ``keys``: the errors of keys that are not text, said with the muscle's own;
    ``writer_lang``: as :func:`_parsed` takes it)."""
    from converter import yamlsafe

    def place(steps: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
        """Where the value (with ``key``, the key) the keys ``steps`` lead to is (the
        YAML's line 0 is the file's 1)."""
        found = yamlsafe.locate(fm, steps, key=True) if key else \
            yamlsafe.find(node, steps)
        return (found[0] + 1, found[1] + 1) if found else None

    def find(field: str) -> tuple[int, int] | None:
        return place(yamlsafe.steps(field), False)

    try:
        muscle = muscle_from_front_matter(data, path=path, slug_hint=slug_hint, body=body,
                                          default_lang=default_lang, place=place,
                                          slug_kept=True, writer_lang=writer_lang)
    except MuscleError as exc:
        if not keys:
            raise
        raise MuscleError([*keys, *_not_emptied(exc.diagnostics, keys)],
                          exc.partial) from None
    if keys:
        raise MuscleError(keys, muscle)
    if located is not None:
        located(muscle, find)
    return muscle


def _not_emptied(found: list[Diagnostic], keys: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` without the ``missing-field`` error of a map that holds a key of
    ``keys`` (``short: {1: x}`` needs no text: it has a key in error already)."""
    holding = {d.field[:m.start()] for d in keys for m in _STEP.finditer(d.field)}
    return [d for d in found if d.code != "missing-field" or d.field not in holding]
