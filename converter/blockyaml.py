"""The fast path of :mod:`converter.yamlsafe`: plain block YAML, read line by line.

Front matter is nearly always written in a small part of YAML: block maps and lists,
one value a line (plain or quoted, maybe with a comment after it, or a simple ``>`` or
``|`` block), comment lines, ``[]`` and ``{}``. This module reads exactly that part in
about half the time libyaml takes to compose a node tree, and gives each value's place
as it goes. Anything else (flow collections, anchors, tags, escapes, multi-line
values, odd characters, duplicate keys, any doubt at all) makes :func:`load` return
``None``, and the caller loads the text the slow, complete way. So this module never
decides an error and never needs to be right about the rest of YAML: where it answers,
it gives what :mod:`yamlsafe` gives, values and places alike (the tests hold it to that
on generated documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: (line, column), 0-based, of what :func:`find` answers for each path.
Places = dict[tuple[Any, ...], tuple[int, int]]

#: Every line as (indent, "- " if a list item, key if "key:" follows, the spaces after
#: the colon, the rest).
_ROWS = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_-]*):( +|$))?(.*)$", re.M)
#: A first character that is a YAML indicator (or ``-``, ``?``, ``:``, which are too
#: in some places): such a value is not plain text on this path.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_EMPTY = {"[]": list, "{}": dict}
_AFTER_QUOTE = re.compile(r"(?: +(?:#.*)?)?$")
_MAX_DEPTH = 16
#: A block scalar being read: its key's column, the joiner of its lines, its map, its
#: key, its lines so far (column, text).
_BlockScalar = tuple[int, str, "dict[str, Any]", str, "list[tuple[int, str]]"]
_TEXT_KEYS: set[str] = set()  # keys seen to be text (true, null and the like are not)


class _Doubt(Exception):
    """The text is outside the part this module reads."""


def load(text: str, plain: Callable[[str], Any]) -> tuple[Any, Places] | None:
    """``(data, places)`` of a YAML document whose root is a block map or list, or
    ``None`` when the text needs the complete loader. ``plain`` gives a plain scalar's
    value (the strict resolver's); it raises ``ValueError`` for a value it leaves to
    the loader."""
    # Tabs, carriage returns, controls, YAML 1.1's extra line breaks, byte order marks,
    # odd spaces and escapes: all left to libyaml.
    if "\\" in text or not text.replace("\n", " ").isprintable():
        return None
    try:
        return _read(_ROWS.findall(text), plain)
    except (_Doubt, ValueError):
        return None


def _read(rows: list[tuple[str, str, str, str, str]], plain: Callable[[str], Any]
          ) -> tuple[Any, Places] | None:
    places: Places = {}
    #: Open blocks, innermost last: [indent, map or list, path].
    frames: list[list[Any]] = []
    #: A "key:" with nothing after it: (its column, its map, the key, its path).
    pending: tuple[int, dict[str, Any], str, tuple[Any, ...]] | None = None
    #: A block scalar ("key: >" or "key: |") being read: its key's column, the joiner,
    #: its map, the key, its lines.
    scalar: _BlockScalar | None = None
    #: Empty lines after the block scalar's last line: its end, unless a line of it follows.
    empty = False
    for number, (spaces, dash, key, gap, rest) in enumerate(rows):
        if scalar is not None:
            if not (dash or key or rest):
                if spaces:
                    raise _Doubt  # spaces only: maybe a line of the text
                empty = True
                continue
            if _block_line(scalar, len(spaces), rest, bool(dash or key), empty):
                continue
            scalar, empty = None, False
        if not dash and not key:
            if not rest or rest[0] == "#":
                continue  # blank or comment
            raise _Doubt  # neither an entry nor a comment: a continued value, say
        column = len(spaces)
        if pending is not None:
            above, owner, name, path = pending
            pending = None
            if column > above:
                block: Any = [] if dash else {}
                owner[name] = block
                frames.append([column, block, path])
            elif column == above and dash:
                raise _Doubt  # a list not indented under its key
        elif not frames:
            if column:
                raise _Doubt
            frames.append([0, [] if dash else {}, ()])
            places[()] = number, 0
        while frames[-1][0] > column:
            frames.pop()
        if len(frames) > _MAX_DEPTH:
            raise _Doubt
        indent, block, path = frames[-1]
        if indent != column:
            raise _Doubt  # deeper than the entries before it: a continued value
        if dash:
            if type(block) is not list:
                raise _Doubt
            here = (*path, len(block))
            column += len(dash)
            places[here] = number, column
            if not key:
                if not rest:
                    raise _Doubt  # an empty item
                block.append(_scalar(rest, plain))
                continue
            item: dict[str, Any] = {}  # "- key: value": a map whose keys start here
            block.append(item)
            block = item
            frames.append([column, block, here])
            path = here
        elif type(block) is not dict:
            raise _Doubt
        if key in block:
            raise _Doubt  # a duplicate: libyaml's loader names it
        if key not in _TEXT_KEYS:
            if not isinstance(plain(key), str):
                raise _Doubt
            if len(_TEXT_KEYS) < 4096:
                _TEXT_KEYS.add(key)
        here = (*path, key)
        if rest[:1] == "#":
            rest = ""  # "key:  # a comment"
        if rest and rest[0] in "|>":
            if rest.rstrip(" ") not in ("|", ">"):
                raise _Doubt  # indentation or chomping indicators, a comment
            places[here] = number, column + len(key) + 1 + len(gap)
            scalar = column, " " if rest[0] == ">" else "\n", block, key, []
        elif rest:
            places[here] = number, column + len(key) + 1 + len(gap)  # (where it starts)
            block[key] = _scalar(rest, plain)
        else:
            places[here] = number, column
            block[key] = None
            pending = column, block, key, here
    if scalar is not None and empty:  # the text ends after the block scalar's last line
        _block_line(scalar, 0, "", False, empty)
    elif not frames or scalar is not None:
        return None  # no entries at all, or a block scalar without its last line break
    return frames[0][1], places


def _block_line(scalar: _BlockScalar, column: int, text: str, structured: bool,
                after_empty: bool) -> bool:
    """Take one row (not empty) into a block scalar being read; ``False`` when the row
    is past its end (the scalar is then stored). Only the simplest form is read: lines
    of one indent, none blank (``after_empty``: empty lines came before this row), none
    more indented, no trailing spaces. Empty lines before its end are not its text
    (YAML's default chomping keeps one line break)."""
    above, joiner, owner, key, lines = scalar
    if column > above:
        if (structured or not text or text[-1] == " " or after_empty
                or (lines and column != lines[0][0])):
            raise _Doubt
        lines.append((column, text))
        return True
    if not lines:
        raise _Doubt  # an empty block scalar
    owner[key] = joiner.join(line for _, line in lines) + "\n"
    return False


def find(places: Places, path: tuple[Any, ...]) -> tuple[int, int]:
    """The place of ``path``, or of the deepest part of it that exists (as
    :func:`converter.yamlsafe.find` answers on a node tree)."""
    found = places.get(path)
    if found is not None:
        return found
    best = places[()]
    for end in range(1, len(path)):
        found = places.get(path[:end])
        if found is None:
            break
        best = found
    return best


def _scalar(text: str, plain: Callable[[str], Any]) -> Any:
    """The value of a value that ends on its line (a comment may follow it); an empty
    one is written quoted (``""``), and placed there as any other."""
    first = text[0]
    if first == '"':
        end = text.find('"', 1)
        value = text[1:end]
    elif first == "'":
        end = text.find("'", 1)
        while end > 0 and text[end + 1:end + 2] == "'":  # '' is a quote inside the text
            end = text.find("'", end + 2)
        value = text[1:end].replace("''", "'")
    else:
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut]
        if text[-1] == " ":
            text = text.rstrip(" ")
        empty = _EMPTY.get(text)
        if empty is not None:  # (placed where it starts, as yamlsafe places [ and {)
            return empty()
        if first in _INDICATORS or ": " in text or text[-1] == ":":
            raise _Doubt
        return plain(text)
    if end < 0 or not _AFTER_QUOTE.match(text, end + 1):
        raise _Doubt  # not closed on its line, or more than a comment after it
    return value
