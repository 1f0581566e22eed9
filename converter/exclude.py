"""Leaving found files out of a folder's search: ``--exclude`` patterns, gitignore style.

A pattern is matched against each path a search finds, relative to the source folder
it was found below, with ``/`` between its parts: one without ``/`` (but at its end)
matches a file or folder name at any depth (``README.md``, ``_*``, ``node_modules``),
one with ``/`` matches from the source folder (``drafts/**``, ``en/old/*.md``), ``**``
spans folders, a trailing ``/`` matches folders only, and ``!`` takes back what an
earlier pattern left out; the last pattern that matches decides. A folder left out is
not searched, so nothing below it can be taken back (as in git). The translation of
each pattern is ``pathspec``'s, which implements git's, but for a bracket expression
that names a POSIX character class (``[[:alpha:]_]``), which pathspec does not know (or
holds a ``[:``): that one is translated here, as git's wildmatch reads it (:func:`_bracket`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple


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
    if not pattern.strip():
        return "an empty pattern leaves nothing out"
    if pattern.startswith("#"):
        escaped = "\\" + pattern
        return (f"{pattern!r} is a comment in gitignore style; for a name that starts "
                f"with #, write \\# before it: {_escaped(escaped)}")
    try:
        _translated(pattern)
    except UnknownClass as exc:
        return (f"{pattern!r} names [:{exc}:], which is no character class (git's are "
                f"{', '.join(f'[:{name}:]' for name in _CLASSES)}), so it matches nothing")
    except (ValueError, re.error):  # (re.error: a range backwards, [a-Z])
        return f"{pattern!r} is not a pattern that matches a path (gitignore style)"
    return None


def _escaped(pattern: str) -> str:
    """How the caller types ``pattern`` (a ``\\#`` in it) as the pattern to exclude, so
    that the backslash stays: quoted in the shell (which takes an unquoted ``\\#`` for
    ``#``), a TOML literal string in a config file (a basic one would refuse ``\\#``),
    a Python string that doubles it."""
    import shlex

    from .diagnostics import toml_quoted
    from .spellings import spelling

    named = spelling()
    if named.keywords:
        return named.given("exclude", pattern)
    if named.toml:
        basic = toml_quoted(pattern)
        return (f"exclude = [{basic}]" if "'" in pattern or not pattern.isprintable() else
                f"exclude = ['{pattern}'] (or [{basic}])")
    quoted = shlex.quote(pattern) if pattern.isprintable() else _ansi_c_quoted(pattern)
    return f"{named.option('exclude')} {quoted} (quoted: the shell takes \\# for #)"


#: How bash's ``$'...'`` writes the characters a line cannot show that have a short form.
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _ansi_c_quoted(text: str) -> str:
    """``text`` as bash's ``$'...'`` writes it (a pattern typed with a newline or an
    escape): one line that the shell takes back as ``text``, each character a line
    cannot show escaped (a byte that is not UTF-8, as Python took it, as that byte)."""
    def one(char: str) -> str:
        code = ord(char)
        if char in "\\'":
            return "\\" + char
        if char.isprintable():
            return char
        if char in _SHORT:
            return _SHORT[char]
        if 0xDC80 <= code <= 0xDCFF:  # (os.fsdecode's stand-in for the byte)
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x80 else (
            f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")

    return "$'" + "".join(map(one, text)) + "'"


class Exclusion:
    """Patterns (checked with :func:`problem`: a ``ValueError`` saying what is wrong
    with the first bad one) that leave found paths out of a search."""

    def __init__(self, given: Iterable[str]) -> None:
        self.patterns = tuple(given)
        for pattern in self.patterns:
            wrong = problem(pattern)
            if wrong:
                raise ValueError(wrong)
        # (matches a path, takes back, matches folders only), the last that matches deciding
        self._rules = [(_itself(regex), not include, source.rstrip(" ").endswith("/"))
                       for source in self.patterns
                       for regex, include in (_translated(source),)]

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


#: The character classes of git's wildmatch, as the sets of a regular expression: ASCII
#: only, as git's (``[:space:]`` is git's isspace, without vertical tab and form feed).
_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "blank": " \t", "cntrl": "\x00-\x1f\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
    "punct": "!-/:-@\\[-`{-~", "space": " \t\n\r", "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class UnknownClass(ValueError):
    """A pattern names a character class git's wildmatch does not know (``[[:alpah:]]``:
    the pattern matches nothing); its text is the name."""


class Bracket(NamedTuple):
    """A bracket expression of a pattern as git's wildmatch reads it."""

    #: Where it ends (the index past its ``]``), -1 when it is not closed.
    end: int
    #: Its regular expression (a character that is not ``/``) when it names a class, or
    #: holds a ``[:`` that names none (``[[:al]``); not closed, it matches nothing: git
    #: reads no further.
    regex: str | None = None
    #: The name of a class it names that is none (``[[:alpah:]]``).
    unknown: str | None = None


def _bracket(pattern: str, start: int) -> Bracket:
    r"""The bracket expression at ``pattern[start]`` (a ``[``), read as git's wildmatch
    (``dowild``) reads it: ``!`` or ``^`` first negates, a ``]`` first is itself, ``\``
    escapes, ``a-z`` is a range, and ``[:name:]`` one of :data:`_CLASSES` (a ``[:`` not
    closed by ``:]`` is a ``[`` and what follows)."""
    i = start + 1
    negated = pattern[i:i + 1] in ("!", "^")
    first = i = i + negated
    items: list[str] = []
    previous: str | None = None  # (a character a "-" after it starts a range from)
    ours = False  # (it names a class, or holds a "[:" pathspec would pass to re as a set)
    while i < len(pattern) and (pattern[i] != "]" or i == first):
        char, escaped, i = _next(pattern, i)
        if char is None:
            break
        if char == "-" and not escaped and previous is not None and (
                pattern[i:i + 1] not in ("", "]")):
            last, _, i = _next(pattern, i)
            if last is None:
                break
            items[-1] = f"{re.escape(previous)}-{re.escape(last)}"
            previous = None
            continue
        if char == "[" and not escaped and pattern.startswith(":", i):
            ours = True
            close = pattern.find("]", i + 1)
            if close == -1:
                i = len(pattern)
                break
            if close > i + 1 and pattern[close - 1] == ":":
                name = pattern[i + 1:close - 1]
                if name not in _CLASSES:
                    return Bracket(close + 1, unknown=name)
                items.append(_CLASSES[name])
                previous, i = None, close + 1
                continue
        items.append(re.escape(char))
        previous = char
    regex = f"(?!/)[{'^' if negated else ''}{''.join(items)}]" if ours else None
    return Bracket(i + 1 if i < len(pattern) else -1, regex)


def _next(pattern: str, i: int) -> tuple[str | None, bool, int]:
    r"""The character at ``pattern[i]`` in a bracket expression (the one after it when
    it is ``\``, escaped), whether it was escaped, and the index past it; None at the
    pattern's end."""
    escaped = pattern[i] == "\\"
    i += escaped
    return (pattern[i], escaped, i + 1) if i < len(pattern) else (None, escaped, i)


def _classes_in(pattern: str) -> list[tuple[int, Bracket]]:
    """(start, reading) of each bracket expression of ``pattern`` that names a character
    class (or holds a ``[:``), as git's wildmatch finds them; :class:`UnknownClass` for a
    class it does not know, a ``ValueError`` for such a bracket not closed (git's pattern
    matches nothing)."""
    found, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "[":
            bracket = _bracket(pattern, i)
            if bracket.unknown is not None:
                raise UnknownClass(bracket.unknown)
            if bracket.end == -1:
                if bracket.regex is not None:
                    raise ValueError(f"{pattern[i:]!r} is not closed")
                break
            if bracket.regex is not None:
                found.append((i, bracket))
            i = bracket.end
            continue
        i += 1
    return found


def _translated(pattern: str) -> tuple[re.Pattern[str], bool]:
    """pathspec's regular expression of ``pattern`` and whether it leaves out (False: it
    takes back); a ``ValueError`` (or ``re.error``) when it is no pattern. Its bracket
    expressions that name a character class are translated as git's wildmatch reads
    them: pathspec is given a character of Unicode's private use for each (escaped, so
    that it is one literal character) and its regular expression takes the bracket's in
    its place. As in git, a bracket that holds a ``/`` makes the pattern one from the
    source folder, though it never matches ``/`` (``a[[:digit:]/]`` matches ``a1``, not
    ``x/a1``)."""
    from pathspec import GitIgnoreSpec

    brackets = _classes_in(pattern)
    stand_ins = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in pattern)
    text, regexes, last = "", {}, 0
    for (start, bracket), stand_in in zip(brackets, stand_ins, strict=False):
        text += f"{pattern[last:start]}\\{stand_in}"
        regexes[stand_in] = str(bracket.regex)
        last = bracket.end
    text += pattern[last:]
    if any("/" in pattern[start:bracket.end] for start, bracket in brackets):
        negated = text.startswith("!")
        if "/" not in text[negated:].rstrip(" ").rstrip("/"):
            text = f"{text[:negated]}/{text[negated:]}"
    (compiled,) = GitIgnoreSpec.from_lines([text]).patterns
    regex = compiled.regex
    if regex is None or compiled.include is None:
        raise ValueError(f"{pattern!r} is no pattern")
    if regexes:
        translated = regex.pattern
        for stand_in, bracket_regex in regexes.items():
            translated = translated.replace(stand_in, bracket_regex)
        regex = re.compile(translated, regex.flags)
    return regex, compiled.include


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
    folder muscle-convert wrote (it holds :data:`~converter.marker.DIRECTORY_MARKER`),
    or matched by ``exclude`` by its path from ``folder``, itself or a folder above it
    (a search never looks into one). A path outside ``folder`` is not left out."""
    from .marker import DIRECTORY_MARKER
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
