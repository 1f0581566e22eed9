"""Safety shared by the formats: loading untrusted JSON (readers), escaping and link
checking (writers)."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urlsplit

#: Nesting deeper than this is refused in every format (the front matter's own map is
#: level 1; real front matter is 3-4 levels deep).
MAX_DEPTH = 32
#: More values than this (the front matter's maps, lists, keys and scalars, as YAML
#: counts them) are refused in every format: the Markdown reader holds no more (real
#: front matter has a few hundred; a YAML node costs some 400 bytes).
MAX_NODES = 100_000
SAFE_SCHEMES = frozenset({"", "http", "https"})
#: What browsers drop from a link before they read its scheme.
_IGNORED = re.compile("[\x00-\x20\x7f]")
#: What :func:`css_escape` escapes: all but ASCII letters, digits, - and _.
_CSS_ESCAPED = re.compile("[^A-Za-z0-9_-]")


def escape(text: str) -> str:
    """Escape text for XML/HTML content and double- or single-quoted attributes."""
    return html.escape(text, quote=True)


def css_escape(text: str) -> str:
    """``text`` for the inside of a CSS identifier (after its first character) or of a
    quoted CSS string: every character but ASCII letters, digits, ``-`` and ``_`` is a
    hex escape (``<`` is ``\\3c ``), so nothing in it ends a selector, a rule, a string or
    the ``<style>`` holding it. ``text`` holds no NUL (CSS reads ``\\0`` as U+FFFD)."""
    return _CSS_ESCAPED.sub(lambda found: f"\\{ord(found.group()):x} ", text)


def is_safe_link(url: str) -> bool:
    """True for relative links and http(s) URLs; False for ``javascript:``, ``data:``,
    ``file:`` and every other scheme (browsers ignore whitespace and case in schemes)."""
    cleaned = _IGNORED.sub("", url)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def beside_output(out: str | os.PathLike[str], link: str) -> str | None:
    """The file a relative ``link`` names beside the output ``out`` (where a writer
    looks for it, and the cache watches it), as a browser resolves the link: its path
    alone, percent-decoded to the bytes of the file's name (as a web server does),
    normalized, the query and fragment dropped (``../body%20v2.png?v=2`` names
    ``out/../body v2.png``); None for a URL (a scheme or a host) or an absolute path,
    which name nothing beside it."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    path = unquote(parts.path, errors="surrogateescape").lstrip("/")  # (%2F...: still beside)
    return os.path.normpath(os.path.join(out, path))


class BadJson(ValueError):
    """Text that is not JSON this project reads; ``line``/``column`` are 1-based or None."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


class KeysTwice(dict):
    """A JSON object that gave a key more than once. Its last value is kept, as every
    JSON reader keeps it; ``twice`` names the keys, for the validator to report them
    (a reader that silently kept one of two titles would lose data without a word)."""

    twice: tuple[str, ...] = ()


def keys_twice(value: Any) -> tuple[str, ...]:
    """The keys that the JSON object ``value`` gave twice (none for any other value)."""
    return value.twice if type(value) is KeysTwice else ()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    marked = KeysTwice(found)
    marked.twice = tuple(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
    return marked


def json_decoder(parse_float: Callable[[str], Any] | None = None,
                 parse_int: Callable[[str], Any] | None = None) -> json.JSONDecoder:
    """A decoder of JSON as :func:`load_json` reads it (an object that gives a key twice
    a :class:`KeysTwice`), for ``raw_decode`` of one value at a time; its errors are
    json's own (``ValueError``, ``RecursionError``)."""
    return json.JSONDecoder(parse_float=parse_float, parse_int=parse_int,
                            object_pairs_hook=_object)


#: Python's limit on the digits of an integer read from text (0: none).
_INT_DIGITS = sys.get_int_max_str_digits()


def too_long_to_write(number: int) -> bool:
    """Whether ``number`` has more digits than Python writes as text (its JSON encoder
    and ``str`` then fail): the model may hold one no reader gives."""
    if not _INT_DIGITS or number.bit_length() <= (_INT_DIGITS - 1) * 3.32:  # (< log2 10)
        return False
    try:  # (near the limit: what str says; past it, it says so at once)
        str(number)
    except ValueError:
        return True
    return False


class LongInteger(Decimal):
    """A JSON integer too long for ``int`` (over 4,300 digits): refused by the validator
    as a coordinate or in ``extra`` (as the Markdown reader refuses it), at its field."""


def json_integer(text: str) -> int | Decimal:
    """A JSON integer's value: an ``int``, or a :class:`LongInteger` past ``int``'s limit."""
    return int(text) if len(text) <= _INT_DIGITS or not _INT_DIGITS else LongInteger(text)


def load_json(text: str | bytes, parse_float: Callable[[str], Any] | None = None,
              parse_int: Callable[[str], Any] | None = None, *,
              read_deep: bool = False) -> Any:
    """Parse untrusted JSON text; any problem (syntax, nesting too deep for the parser)
    is :class:`BadJson`, never another exception. An object that gives a key twice is
    a :class:`KeysTwice`; an integer too long for ``int``, a :class:`LongInteger`.
    With ``read_deep``, text nested deeper than the parser goes is read
    :func:`shallow` instead (for a validator to refuse it as too deep, at its field);
    such text cut short is what json says where it ends, as of a shallow one."""
    try:
        return _loads(text, parse_float, parse_int, read_deep)
    except _TooLong:
        pass
    return _loads(text, parse_float, json_integer, read_deep)  # (rare: one by one)


#: How many levels of arrays and objects :func:`shallow` keeps: twice what any format
#: takes, so that what it leaves is still refused as nested too deep.
SHALLOW_LEVELS = 2 * MAX_DEPTH
#: A JSON text (its brackets are no nesting), or a bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_NOT_LINE_BREAK = re.compile(r"[^\n\r]")


def shallow(text: str, start: int = 0, *, cut_short: bool = False) -> str | None:
    """``text`` with each array and object nested more than :data:`SHALLOW_LEVELS`
    deep in the JSON value at ``start`` emptied: its characters but line breaks made
    spaces, so that every place in the text stays where it was (``text`` itself where
    none is that deep). Python's parser runs out of stack some 1,000 levels deep; this
    reads as deep as any format takes and more. None where the value does not end in
    ``text`` (cut short), or with ``cut_short`` that value emptied likewise up to the
    end of ``text`` (for json to say where it ends); a bracket that closes another kind
    is left for json to say."""
    depth, cut, kept, done = 0, 0, [], 0
    for token in _TOKEN.finditer(text, start):
        bracket = text[token.start()]
        if bracket in "[{":
            depth += 1
            if depth == SHALLOW_LEVELS + 1:
                cut = token.end()
        elif bracket in "]}":
            depth -= 1
            if depth < 0:
                return None
            if depth == SHALLOW_LEVELS:
                kept += [text[done:cut], _NOT_LINE_BREAK.sub(" ", text[cut:token.start()])]
                done = token.start()
            elif depth == 0:
                return "".join([*kept, text[done:]]) if kept else text
        elif depth == 0:  # (a text at the top: the value is no array nor object)
            return text
    if not cut_short or depth <= 0:
        return None
    if depth > SHALLOW_LEVELS:  # (cut short in an emptied part: emptied to the end)
        return "".join([*kept, text[done:cut], _NOT_LINE_BREAK.sub(" ", text[cut:])])
    return "".join([*kept, text[done:]])


class _TooLong(BadJson):
    """An integer longer than ``int`` reads (read again with :func:`json_integer`)."""


def _loads(text: str | bytes, parse_float: Callable[[str], Any] | None,
           parse_int: Callable[[str], Any] | None, read_deep: bool = False) -> Any:
    try:
        return json.loads(text, parse_float=parse_float, parse_int=parse_int,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as exc:  # ("... starting at", "... at": the place is ours)
        message = exc.msg.removesuffix(" at").removesuffix(" starting")
        raise BadJson(message, exc.lineno, exc.colno) from None
    except RecursionError:
        shallower = shallow(text, cut_short=True) if read_deep and isinstance(
            text, str) else None
        if shallower is None or shallower is text:
            raise BadJson("nested too deeply") from None
    except ValueError as exc:  # an integer longer than Python converts
        if parse_int is None:
            raise _TooLong(str(exc)) from None
        raise BadJson(str(exc).split(";")[0]) from None
    return _loads(shallower, parse_float, parse_int)
