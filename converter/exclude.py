"""Leaving found files out of a folder's search: ``--exclude`` patterns, gitignore style.

A pattern is matched against each path a search finds, relative to the source folder
it was found below, with ``/`` between its parts: one without ``/`` (but at its end)
matches a file or folder name at any depth (``README.md``, ``_*``, ``node_modules``),
one with ``/`` matches from the source folder (``drafts/**``, ``en/old/*.md``), ``**``
spans folders, a trailing ``/`` matches folders only, and ``!`` takes back what an
earlier pattern left out; the last pattern that matches decides. A folder left out is
not searched, so nothing below it can be taken back (as in git). The translation of
each pattern is ``pathspec``'s, which implements git's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any


def patterns(value: Any) -> tuple[str, ...]:
    """``exclude=`` of the Python API as a tuple of patterns: one text, or an iterable of
    them (a ``TypeError`` naming what else was given)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        value = tuple(value)
        wrong = [p for p in value if not isinstance(p, str)]
        if not wrong:
            return value
        value = wrong[0]
    raise TypeError(f"exclude takes patterns (str) or an iterable of them, not "
                    f"{type(value).__name__}")


def problem(pattern: str) -> str | None:
    """Why ``pattern`` is no pattern to exclude with (None when it is one): it is
    empty, a comment in gitignore style, or matches nothing."""
    from pathspec import GitIgnoreSpec

    if not pattern.strip():
        return "an empty pattern leaves nothing out"
    if pattern.startswith("#"):
        return (f"{pattern!r} is a comment in gitignore style; write \\# for a name that "
                "starts with #")
    try:
        (compiled,) = GitIgnoreSpec.from_lines([pattern]).patterns
    except (ValueError, re.error):  # (re.error: a range backwards, [a-Z])
        compiled = None
    if compiled is None or compiled.include is None:
        return f"{pattern!r} is not a pattern that matches a path (gitignore style)"
    return None


class Exclusion:
    """Patterns (checked with :func:`problem`: a ``ValueError`` saying what is wrong
    with the first bad one) that leave found paths out of a search."""

    def __init__(self, given: Iterable[str]) -> None:
        from pathspec import GitIgnoreSpec

        self.patterns = tuple(given)
        for pattern in self.patterns:
            wrong = problem(pattern)
            if wrong:
                raise ValueError(wrong)
        compiled = GitIgnoreSpec.from_lines(list(self.patterns)).patterns
        # (matches a path, takes back, matches folders only), the last that matches deciding
        self._rules = [(_itself(p.regex), not p.include, source.rstrip(" ").endswith("/"))
                       for p, source in zip(compiled, self.patterns, strict=True)]

    def __call__(self, relative: str, is_dir: bool) -> bool:
        """Whether the file (or folder, ``is_dir``) found at ``relative`` (below the
        source folder, ``/`` between its parts) is left out. As git matches a folder's
        own path, ``drafts/**`` leaves out what is in ``drafts``, not ``drafts``
        itself, so that ``!drafts/keep.md`` can take a file back."""
        for matches, takes_back, folders_only in reversed(self._rules):
            if folders_only and not is_dir:
                continue
            if matches(relative + "/" if folders_only else relative):
                return not takes_back
        return False


def _itself(regex: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether pathspec's ``regex`` of a pattern (searched for, as pathspec does) matches
    a path itself, not only through a folder above it (its ``ps_d`` group, a folder's
    end, before the path's end): git's ``content/*`` matches ``content/muscles/x.md``
    through ``content/muscles``, but a search has decided on that folder already, and
    a ``!content/muscles/`` after it took the folder back. (A pattern meant for what is
    below a folder, ``drafts/**``, matches it without that group.)"""

    def matches(path: str) -> bool:
        for found in regex.finditer(path):
            end = found.end("ps_d") if "ps_d" in regex.groupindex else -1
            if end == -1 or end == len(path):
                return True
        return False

    return matches


def exclusion(given: Iterable[str]) -> Exclusion | None:
    """An :class:`Exclusion` of ``given`` patterns; None for none (nothing to match)."""
    given = tuple(given)
    return Exclusion(given) if given else None


def searched_out(path: str, exclude: Exclusion | None, folder: str) -> bool:
    """Whether a search of ``folder`` (the working folder) would leave out ``path``, a
    source named on the command line: hidden (a name starting with ``.``), below a
    folder muscle-convert wrote (it holds :data:`~converter.atomic.DIRECTORY_MARKER`),
    or matched by ``exclude`` by its path from ``folder``, itself or a folder above it
    (a search never looks into one). A path outside ``folder`` is not left out."""
    from .atomic import DIRECTORY_MARKER
    from .slug import relative_below

    parts = relative_below(path, folder)
    if parts is None:
        return False
    below = os.path.realpath(folder)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        below = os.path.join(below, part)
        is_dir = not last or os.path.isdir(below)
        if part.startswith(".") or (is_dir and os.path.exists(
                os.path.join(below, DIRECTORY_MARKER)) and not last):
            return True
        if exclude is not None and exclude("/".join(parts[:i + 1]), is_dir):
            return True
    return False
