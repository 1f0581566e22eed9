"""A project's options in a file: ``muscle-convert.toml``, or the ``[tool.muscle-convert]``
table of a ``pyproject.toml``, in the working folder or the nearest above it.

Top-level keys apply to every command that has that option, a ``[convert]``,
``[validate]`` or ``[fmt]`` table to that command; keys are the long option names. What
the keys may be, and which values each takes, the caller says (:class:`Key`): this
module knows files, tables and lines, not the options. Every problem is a
:class:`~converter.diagnostics.MuscleError` naming the file, line and key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import meant
from .diagnostics import MuscleError, error
from .slug import working_folder
from .unmarked import decode_text, wide_codec

CONFIG_NAME = "muscle-convert.toml"
PYPROJECT = "pyproject.toml"
#: The table of a ``pyproject.toml`` that holds the options.
TOOL_TABLE = ("tool", "muscle-convert")
#: The commands a file configures, each by a table of its name.
COMMANDS = ("convert", "validate", "fmt")
#: Keys that name a path, taken relative to the file's folder (``--exclude``'s patterns
#: stay relative to each source folder).
PATH_KEYS = frozenset({"output", "cache-dir", "base-image"})


@dataclass(frozen=True)
class Key:
    """An option a file may set: the TOML type its value must have (bool, int, float
    for a number, an integer too, str, or list for a list of texts), a check that raises
    ``ValueError`` for a value the option refuses, and the option's own type as a value
    of another TOML type is told it (``float``: ``must be a number (float)``), if any."""

    kind: type
    check: Callable[[Any], object]
    named: str = ""


@dataclass(frozen=True)
class Config:
    """A file's options: its path as shown, its folder, its text (for lines) and the
    table of options (the whole document, or a pyproject's ``[tool.muscle-convert]``)."""

    shown: str
    folder: Path
    text: str
    prefix: tuple[str, ...]
    data: dict[str, Any]


def find(start: Path) -> Path | None:
    """The config file for ``start`` (a folder): ``muscle-convert.toml`` or a
    ``pyproject.toml`` with a ``[tool.muscle-convert]`` table, in ``start`` or the
    nearest folder above; the first wins in one folder."""
    for folder in (start, *start.parents):
        own = folder / CONFIG_NAME
        if own.is_file() or own.is_symlink():  # (a dangling one: config-unreadable)
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` holds muscle-convert's table (one that never names
    it is not parsed, so a broken one of another tool is none; a broken one that names
    it is, and its syntax error said; one in UTF-16 or UTF-32 is read so, and is
    config-unreadable when read only if it holds the table, or is broken and names it; a
    UTF-8 byte order mark is dropped, as reading the file drops it)."""
    import tomllib

    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    text = raw.decode(wide_codec(raw) or "utf-8-sig", "replace")
    if TOOL_TABLE[1] not in text:
        return False
    try:
        tool = tomllib.loads(text).get(TOOL_TABLE[0])
    except ValueError:  # (TOMLDecodeError, or an integer too long for Python: load says)
        return True
    return isinstance(tool, dict) and TOOL_TABLE[1] in tool


def load(path: Path, shown: str | None = None) -> Config:
    """Read and parse the config file ``path`` (``config-unreadable``, ``config-syntax``,
    ``config-no-table`` for a pyproject.toml without muscle-convert's table, and
    ``config-wrong-type`` at its line for one whose ``tool.muscle-convert``, or
    ``tool``, is another value than a table)."""
    import tomllib

    shown = shown or str(path)
    text = _read(path, shown)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax(shown, str(exc), text) from None
    except ValueError:  # (tomllib's int() of more digits than Python reads)
        raise _too_long(shown, text) from None
    if path.name != PYPROJECT:
        return Config(shown, path.absolute().parent, text, (), document)
    table: Any = document
    for depth, part in enumerate(TOOL_TABLE, 1):
        table = table.get(part) if isinstance(table, dict) else None
        if table is not None and not isinstance(table, dict):  # (muscle-convert = 5)
            place = Config(shown, path.absolute().parent, text, (), document)
            raise _at(place, TOOL_TABLE[:depth], "config-wrong-type",
                      f"must be a table, not {_kind(table)}")
    if not isinstance(table, dict):
        raise error(shown, "config-no-table", "has no [tool.muscle-convert] table")
    return Config(shown, path.absolute().parent, text, TOOL_TABLE, table)


def _read(path: Path, shown: str) -> str:
    """The file's text (a byte order mark dropped, as content files' is), else
    ``config-unreadable``: at the first byte that is not UTF-8, or UTF-16 or UTF-32 (by
    a byte order mark or NUL bytes), as ``not-utf8`` says it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(shown, "config-unreadable",
                    f"cannot read the config file: {exc.strerror or exc}") from None
    try:
        return decode_text(raw, shown)
    except MuscleError as exc:
        bad = exc.diagnostics[0]
        raise error(shown, "config-unreadable", f"cannot read the config file: it {bad.message}",
                    line=bad.line, column=bad.column) from None


#: A decimal integer of TOML (its sign, digits, underscores), not part of a float or name.
_INTEGER = re.compile(r"(?<![\w.+-])[+-]?[0-9](?:_?[0-9])*(?![\w.+-])")


def _too_long(shown: str, text: str) -> MuscleError:
    """The ``config-syntax`` error of a file tomllib could not read for an integer of
    more digits than Python turns into an int (``sys.get_int_max_str_digits()``): at
    the first such integer, if it is found."""
    import sys

    limit = sys.get_int_max_str_digits()
    for number, line in enumerate(text.splitlines(), 1):
        for found in _INTEGER.finditer(line):
            digits = sum(c.isdigit() for c in found[0])
            if digits > limit:
                return error(shown, "config-syntax", f"not TOML that can be read: an "
                             f"integer of {digits} digits, more than {limit}",
                             line=number, column=found.start() + 1)
    return error(shown, "config-syntax", "not TOML that can be read: an integer of more "
                 f"than {limit} digits")


def _syntax(shown: str, message: str, text: str) -> MuscleError:
    """tomllib's message, its ``(at line L, column C)`` as the diagnostic's place (``at
    end of document``: the last line)."""
    place = re.search(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$", message)
    if place is None:
        return error(shown, "config-syntax", f"not TOML: {message}")
    line = int(place[1]) if place[1] else max(1, text.count("\n") + (not text.endswith("\n")))
    return error(shown, "config-syntax", f"not TOML: {message[:place.start()]}",
                 line=line, column=int(place[2]) if place[2] else None)


def defaults(config: Config, command: str, keys: Mapping[str, Mapping[str, Key]]
             ) -> dict[str, Any]:
    """The options ``config`` gives ``command``, by long name (its own table's over
    the top-level ones; paths relative to the file's folder), once the whole file is
    checked against ``keys`` (each command's options by long name)."""
    found: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for key, value in config.data.items():
        if key in COMMANDS:
            if not isinstance(value, dict):
                raise _at(config, (key,), "config-wrong-type",
                          f"must be a table of {key}'s options, not {_kind(value)}")
            for name, item in value.items():
                _check(config, (key, name), item, keys[key], keys)
            if key == command:
                own = value
        else:
            having = [c for c in COMMANDS if key in keys[c]]
            if not having:
                raise _unknown(config, (key,), [*COMMANDS, *_all(keys)])
            for each in having:
                _check(config, (key,), value, keys[each], keys)
            if command in having:
                found[key] = value
    found.update(own)
    return {key: _placed(config, key, value) for key, value in found.items()}


def refused(config: Config, command: str, key: str, message: str) -> MuscleError:
    """``config-bad-value`` at the key that gives ``command`` its option ``key`` (in the
    command's table, else at the top): a value the option's own check let pass that the
    options together refuse (a format's, or the output's name). A path in ``message``
    is shown as the file writes it."""
    own = config.data.get(command)
    path = (command, key) if isinstance(own, dict) and key in own else (key,)
    written = _value(config, path)
    if isinstance(written, str) and written:  # (a path as the file writes it)
        message = message.replace(str(_placed(config, key, written)), written)
    return _at(config, path, "config-bad-value", message)


def _all(keys: Mapping[str, Mapping[str, Key]]) -> list[str]:
    return sorted({name for options in keys.values() for name in options})


def _check(config: Config, path: tuple[str, ...], value: Any, options: Mapping[str, Key],
           keys: Mapping[str, Mapping[str, Key]]) -> None:
    """Raise for a key ``options`` lack (another command's, or none's), a value of
    another TOML type than the key's, or one the option refuses."""
    name = path[-1]
    key = options.get(name)
    if key is None:
        others = [c for c in COMMANDS if name in keys[c]]
        if others:
            top = f"[{'.'.join(config.prefix)}]" if config.prefix else "the top"
            raise _at(config, path, "config-wrong-command",
                      f"is an option of {' and '.join(others)}, not of {path[0]} (move it "
                      f"to [{'.'.join((*config.prefix, others[0]))}], or to {top} for "
                      "every command that has it)")
        raise _unknown(config, path, list(options))
    if not _is(value, key.kind):
        named = f" ({key.named})" if key.named else ""
        raise _at(config, path, "config-wrong-type",
                  f"must be {_WANTED.get(key.kind, _KINDS[key.kind])}{named}, "
                  f"not {_kind(value)}")
    if name in PATH_KEYS and value == "":
        raise _at(config, path, "config-bad-value", "an empty path names no file or folder")
    try:
        key.check(_placed(config, name, value))
    except ValueError as exc:
        raise _at(config, path, "config-bad-value", str(exc)) from None


def _is(value: Any, kind: type) -> bool:
    """Whether ``value`` is of the TOML type ``kind``: an integer is a float too (a
    number: ``ratio = 1``), true and false no number."""
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    kinds = (int, float) if kind is float else kind
    return isinstance(value, kinds) and (kind is bool or not isinstance(value, bool))


_KINDS = {bool: "true or false", int: "an integer", str: "a string",
          list: "an array of strings", float: "a float", dict: "a table"}
#: What a key of a TOML type must be, where not that type's own name (a float's: an
#: integer too).
_WANTED = {float: "a number"}


def _kind(value: Any) -> str:
    """What a TOML value is, for a message."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "an array of strings"
    if value and isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return "an array of tables"
    if isinstance(value, list):
        return "an array of other values than strings"
    return next((name for kind, name in _KINDS.items() if _is(value, kind)),
                f"a {type(value).__name__}")


def _unknown(config: Config, path: tuple[str, ...], names: Sequence[str]) -> MuscleError:
    """An unknown key or table, with the close name when there is one (a table's among
    the tables: a key is no table), or how to write the options a ``muscle-convert.toml``
    wraps in a pyproject's ``[tool.muscle-convert]``."""
    table = isinstance(_value(config, path), dict)
    if table and not config.prefix and path == TOOL_TABLE[:1] and isinstance(
            _value(config, TOOL_TABLE), dict):
        tool = ".".join(TOOL_TABLE)
        hint = (f": [{tool}] belongs in {PYPROJECT}; in {CONFIG_NAME} drop that header "
                f"and write its keys at the top level ([{tool}.convert] as [convert])")
    else:
        hint = meant.hint(path[-1], [n for n in names if n in COMMANDS] if table else names)
    return _at(config, path, "config-unknown-key",
               f"unknown {'table' if table else 'key'} {path[-1]!r}{hint}")


def _value(config: Config, path: tuple[str, ...]) -> Any:
    value: Any = config.data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _placed(config: Config, key: str, value: Any) -> Any:
    """A path key's value relative to the file's folder (as written when that is the
    working folder); a ``base-image`` only where that names a file there (else it is a
    link, beside the output)."""
    if key not in PATH_KEYS or not isinstance(value, str) or not value or value == "-":
        return value
    if os.path.isabs(value) or config.folder == Path(working_folder()):
        return value
    placed = os.path.join(config.folder, value)  # (keeps a trailing /: "a directory")
    if key == "base-image" and not os.path.isfile(placed):
        return value
    return placed


def _at(config: Config, path: tuple[str, ...], code: str, message: str) -> MuscleError:
    """A diagnostic at the line of the key ``path`` (below the file's table)."""
    full = (*config.prefix, *path)
    line, column = line_of(config.text, full) or (None, None)
    return error(config.shown, code, message, ".".join(full), line, column)


_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_KEY_LINE = re.compile(rf"[ \t]*({_DOTTED})[ \t]*=")
_HEADER = re.compile(rf"[ \t]*\[(\[)?[ \t]*(?P<key>{_DOTTED})[ \t]*\](?(1)\])")


def line_of(text: str, path: Sequence[str]) -> tuple[int, int] | None:
    """The line and column where the key or table ``path`` is written in the TOML
    ``text`` (tomllib says no places): its own line, else the first key below it (a
    table made by dotted keys), else the inline table that holds it."""
    wanted = tuple(path)
    below = holder = None
    for line, column, written in _keys(text):
        if written == wanted:
            return line, column
        if below is None and written[:len(wanted)] == wanted:
            below = (line, column)
        if wanted[:len(written)] == written and (holder is None or len(written) > holder[0]):
            holder = (len(written), (line, column))
    return below or (holder[1] if holder else None)


def _keys(text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Each key and table header of ``text``: its line, column and full path (under the
    table header above it). Lines end at ``\\n`` only, as TOML's do; what a string, a
    comment or an array over many lines holds is no key."""
    table: tuple[str, ...] = ()
    scan = _Scan()
    for number, line in enumerate(text.split("\n"), 1):
        start = scan.begin(line)
        if start is None:
            continue
        header, key = _HEADER.match(line), _KEY_LINE.match(line)
        if start == 0 and scan.depth == 0 and header:
            table = _parts(header["key"])
            yield number, header.start("key") + 1, table
            start = header.end()
        elif start == 0 and scan.depth == 0 and key:
            yield number, key.start(1) + 1, (*table, *_parts(key[1]))
            start = key.end()
        scan.rest(line, start)


class _Scan:
    """What a line of TOML starts in: a multi-line string (``quoted``, its quotes), or
    the brackets of a value over many lines (``depth``), or neither: where keys are."""

    def __init__(self) -> None:
        self.quoted: str | None = None
        self.depth = 0

    def begin(self, line: str) -> int | None:
        """Where ``line``'s own text starts: past the end of a multi-line string it
        goes on with (None: the string takes the whole line)."""
        if self.quoted is None:
            return 0
        end = _close(line, 0, self.quoted)
        if end is not None:
            self.quoted = None
        return end

    def rest(self, line: str, at: int) -> None:
        """Read ``line`` from ``at`` for strings, a comment and brackets."""
        while at < len(line):
            if line[at] == "#":
                return
            quote = line[at:at + 3] if line.startswith(('"""', "'''"), at) else line[at]
            if quote in ('"""', "'''", '"', "'"):
                end = _close(line, at + len(quote), quote)
                if end is None:
                    self.quoted = quote if len(quote) == 3 else None
                    return
                at = end
                continue
            self.depth = max(0, self.depth + (quote in "[{") - (quote in "]}"))
            at += 1


def _close(line: str, at: int, quote: str) -> int | None:
    """Where the string ``quote`` opened before ``at`` ends in ``line`` (past its closing
    quotes: a multi-line one may end in two more), or None where it goes on."""
    while at < len(line):
        if quote[0] == '"' and line[at] == "\\":
            at += 2
        elif line.startswith(quote, at):
            at += len(quote)
            for _ in range(2 if len(quote) == 3 else 0):
                at += line.startswith(quote[0], at)
            return at
        else:
            at += 1
    return None


def _parts(dotted: str) -> tuple[str, ...]:
    """The keys of a dotted key as TOML reads them (quotes and escapes undone)."""
    import tomllib

    parts = []
    for part in re.findall(_PART, dotted):
        if part.startswith('"'):  # (TOML's escapes: its 8-digit \U is none of JSON's)
            try:
                part = next(iter(tomllib.loads(f"{part} = 0")))
            except tomllib.TOMLDecodeError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)
