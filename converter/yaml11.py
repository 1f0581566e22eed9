"""What the YAML 1.1 readers of front matter make of a plain scalar this tool reads as
text: Ruby's Psych (Jekyll) and Go's yaml.v2 (Hugo).

:mod:`converter.yamlsafe` reads ``off``, ``0x1F``, ``017``, ``12:30``, ``1,000`` and
``2001-01-01`` written plain as the text written; Jekyll reads them as false, 31, 15,
45000, 1000 and a date, Hugo as false, 31 and 15 (and the text of the others). The
writer quotes such text, which is right for a text, but it changes what those readers
get from a file whose author meant the boolean: :func:`misreads` finds them, so that
``validate`` can say so; ``fmt`` writes such a plain text as written
(:meth:`Misread.kept_plain`), which every reader reads as before, and leaves a file as it
is where it would have to change one (``! off``).

What counts is what the readers give, checked against Debian's Jekyll 4.3.1 (which
reads front matter with ``Psych.safe_load``, Date and Time permitted) and Hugo 0.111
(yaml.v2) by building a site with each (``tests/test_yaml11.py``). Jekyll from RubyGems
reads with the SafeYAML gem instead, not modelled here (base 60 is a float there:
``12:30`` is 750.0). Not counted: a Symbol (``:x``), which Psych refuses to load safely
(Jekyll then skips the front matter), and text Psych cannot convert (``0x,``): the file
fails to load there, and quoted it reads as the text.

A scalar with a tag of its own (``!!str off``, ``!!int 10``) is read as the tag says by
all three (``!!bool off`` is false here too; :mod:`converter.yamlsafe` refuses the
forms they read apart, ``!!bool y``): not counted.
The non-specific tag ``!`` (``! off``, quoted too, ``! 'off'``, or a block, ``! |``)
leaves Psych reading the text as if plain, and makes it text to yaml.v2 as here: only
Jekyll's reading counts. Where this tool reads a
number, true/false or null of it (``! 7``, ``! true``, ``! ~``, quoted too: ``! "7"``),
as Psych and PyYAML read it, yaml.v2 reads the text: Hugo's reading counts.
``-0`` is a negative zero here (the integer -0 every format writes so; ``!!float -0``:
-0.0), 0 to both (and PyYAML): counted, and ``fmt`` writes it as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from converter.model import YAML_FLOAT, ExactNumber, WrittenFloat, WrittenInt

#: First characters of every plain scalar either reader takes for something other than
#: text, besides the words below.
_STARTS = frozenset("-+.0123456789")
_PSYCH_TRUE, _PSYCH_FALSE = frozenset({"yes", "true", "on"}), frozenset({"no", "false", "off"})
#: The words either reader may take for no text, in lower case.
_WORDS = _PSYCH_TRUE | _PSYCH_FALSE | {"null", "~", "y", "n"}
_GO_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True",
                     "TRUE"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False",
                     "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}

# Psych's ScalarScanner (psych/scalar_scanner.rb), in its order; \d and \s are ASCII there.
_TIME = re.compile(r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\r\n\f\v]+)[0-9]{1,2}:"
                   r"[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t\r\n\f\v]*(?:Z|[-+][0-9]{1,2}"
                   r":?(?:[0-9][0-9])?))?")
_DATE = re.compile(r"([0-9]{4})-(1[012]|0[0-9]|[0-9])-([12][0-9]|3[01]|0[0-9]|[0-9])")
_INF = re.compile(r"\+?\.inf", re.I)
_MINUS_INF = re.compile(r"-\.inf", re.I)
_NAN = re.compile(r"\.nan", re.I)
_BASE60_INT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?")
_INTEGER = re.compile(r"[-+]?0b[01_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)"
                      r"|[-+]?0x[0-9a-fA-F_,]+")
#: What Ruby's ``String#to_f`` reads of the start of a text.
_TO_F = re.compile(r"[-+]?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?")
# Go's yaml.v2 (resolve.go) and strconv.
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_GO_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")

#: The tags of the values this tool reads of a scalar tagged ``!`` that are no text.
_TYPED = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null"))
#: The tags a non-specific ``!`` is written with (``!<!>`` is the same tag).
NON_SPECIFIC = ("!", "!<!>")
#: The tags of a ``-0`` this tool reads as a negative zero, by the kind of number.
_ZEROS = {"tag:yaml.org,2002:int": "int", "tag:yaml.org,2002:float": "float"}
#: A tag (``!!str``, ``!<tag:yaml.org,2002:str>``, ``!``) where a scalar starts.
_TAG_AT = re.compile(r"![^ \t\r\n]*")

#: A date or time to the reader (no value of this tool's can stand for it).
DATE, TIME = "a date", "a time"
#: Psych's own failure (the file does not load there): not a reading.
_FAILS = object()
#: A reader's failure, for :mod:`converter.yamltags`.
FAILS = _FAILS


class Text(str):
    """A reader's reading of a scalar as the text written (``! 7``: "7" to Hugo)."""


#: :attr:`Misread.here` of a scalar this tool reads as the text written.
TEXT = Text()


@dataclass(frozen=True)
class Misread:
    """A plain scalar of a YAML text that the YAML 1.1 readers read otherwise than as
    the text this tool reads (or one tagged ``!`` read otherwise than as the value it
    reads, :attr:`here`): where it is (0-based), its field path, whether it is a key,
    and what each reader that misreads it reads."""

    line: int
    column: int
    field: str
    text: str
    key: bool
    readings: tuple[tuple[str, Any], ...]  # (reader, value), Jekyll first
    #: ``!`` when the scalar is written with the non-specific tag (``! off``).
    tag: str = ""
    #: What this tool reads when it is no text (``! 7``: 7), else :data:`TEXT`.
    here: Any = TEXT
    #: The scalar as written when it is quoted (``"7"``), else "".
    written: str = ""
    #: The keys and indexes that lead to it from the top (``("dates", 0)``; a key's
    #: lead to its value), as :attr:`field` names them where a key holds no ``.``.
    steps: tuple[str | int, ...] = ()

    def message(self) -> str:
        """``plain off reads as false in YAML 1.1 (Jekyll, Hugo) but as the text "off"
        here`` (each reader's own value when they differ)."""
        values = {describe(value) for _, value in self.readings}
        if len(values) == 1:
            read = f"{values.pop()} in YAML 1.1 ({', '.join(r for r, _ in self.readings)})"
        else:
            read = " and as ".join(f"{describe(v)} ({r})" for r, v in self.readings) + \
                " in YAML 1.1"
        here = f"the text {self.quoted()}" if self.here is TEXT else describe(self.here)
        shown = self.written or self.text
        return f"{self.kind()}{' ' if shown else ''}{shown} reads as {read} but as {here} here"

    def kind(self) -> str:
        """How the scalar is written: ``plain``, ``plain key``, ``!`` or ``key !``."""
        if self.tag:
            return f"key {self.tag}" if self.key else self.tag
        return "plain key" if self.key else "plain"

    def quoted(self) -> str:
        """The text in double quotes, as YAML reads it back."""
        return quoted(self.text)

    def instead(self) -> str:
        """What to write: the quoted text, or the value the readers read (in a form they
        and this tool read alike)."""
        value = self.readings[0][1] if self.here is TEXT else self.here
        if negative_zero(value) and any(  # (-0 written plain is 0 to them: -0.0 is kept)
                _alike(theirs, 0) for _, theirs in self.readings):
            zero = "0.0" if isinstance(value, float) else "0"
            text = f"{self.quoted()} (text), " if self.tag == "!" else ""
            return f"{text}{zero} or -0.0"
        spelled = yaml_value(value)
        if value in (DATE, TIME) or self.key or not _agreed(spelled, value):
            return f"{self.quoted()} (text)"  # (1.0e-400: 0.0 to them, however spelled)
        return f"{self.quoted()} (text) or {spelled}"

    def kept_by_fmt(self) -> bool:
        """Whether ``fmt`` writes the scalar as written, so that every reader reads it as
        before (``-0``, ``!!float -0``: a negative zero here, 0 to Jekyll and Hugo; a
        plain text on its line, :meth:`kept_plain`)."""
        return (self.tag != "!" and self.here is not TEXT) or self.kept_plain()

    def kept_plain(self) -> bool:
        """Whether the scalar is a plain text written on one line (``comments: off``,
        ``d: 017``, ``t: 1:30``, a date: :meth:`dated`), which ``fmt`` writes plain as
        written, not quoted as the writer quotes such a text: every reader reads it as
        before (quoted, Jekyll and Hugo would read the text). Not one tagged ``!``
        (``! off``: fmt would drop the tag) nor one over lines (fmt would join them)."""
        return not self.tag and self.here is TEXT and not self.written

    def dated(self) -> bool:
        """Whether the scalar is a plain text that a reader reads as a date or time and
        none as anything else (``date: 2026-12-07T23:54:43Z``, as ``hugo new`` writes
        it: a time to Jekyll, the text to Hugo). No value of this tool's stands for a
        date, and quoted it is text to Jekyll too: ``fmt`` writes it plain, as written,
        which every reader reads as before."""
        return not self.tag and self.here is TEXT and not self.written and all(
            value in (DATE, TIME) for _, value in self.readings)

    def quotes(self) -> bool:
        """Whether ``fmt`` would quote the scalar (a text), not write the value this tool
        reads untagged (``! 7`` as ``7``)."""
        return self.here is TEXT

    def changed_by_fmt(self) -> str:
        """What ``fmt`` would do to the scalar: quote it, or drop its tag ``!``."""
        return "quote it" if self.quotes() else "write it without its !"


def _agreed(spelled: str, value: Any) -> bool:
    """Whether Psych (Jekyll) and yaml.v2 (Hugo) both read ``spelled``, written plain,
    as ``value``, the value this tool reads (not ``1.0e-400``, 0.0 to both)."""
    return _alike(psych(spelled), value) and _alike(go_yaml_v2(spelled), value)


#: YAML's escapes in double quotes of the characters that have one of their own.
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
            "\f": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P"}
#: What YAML writes escaped in double quotes: the quote, the backslash, control
#: characters, line and paragraph separators, U+FEFF and what is no character.
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')


def quoted(text: str) -> str:
    """``text`` in double quotes, as YAML reads it back: a tab as ``\\t``, another
    control character as its escape (``\\e``, ``\\x7F``, ``\\u2028`` as ``\\L``)."""
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _escape(found: re.Match[str]) -> str:
    """The escape of one character in YAML's double quotes (``\\t``, ``\\x01``,
    ``\\uFEFF``)."""
    char = found.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\x{ord(char):02X}" if ord(char) <= 0xFF else f"\\u{ord(char):04X}"


def describe(value: Any) -> str:
    """A reader's value in words: ``false``, ``null``, ``the number 31``, ``a date``,
    ``the text "7"``."""
    if isinstance(value, Text):
        return f"the text {quoted(value)}"
    if value is None or isinstance(value, bool):
        return yaml_value(value)
    if isinstance(value, int | float | Decimal):
        return f"the number {yaml_value(value)}"
    return str(value)


def yaml_value(value: Any) -> str:
    """``value`` as plain YAML that every reader reads as it (``.inf``, ``1.5``; a number
    of this tool's as it was written, ``1.10``, as this tool keeps it)."""
    written = _as_written(value)
    if written is not None:
        return written
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    return str(value)


def _as_written(value: Any) -> str | None:
    """How a number this tool reads was written (``1.10``, ``+1``, ``-0``: the ``text``
    it keeps, and every format writes), where plain YAML reads that text as a number of
    the same kind; else None (``!!float 12``: written ``12``, a whole number plain)."""
    text = getattr(value, "text", None)
    if isinstance(value, WrittenInt) or (isinstance(value, ExactNumber) and text == "-0"):
        return text
    if isinstance(value, WrittenFloat | ExactNumber) and YAML_FLOAT.match(text):
        return text
    return None


def readings(text: str) -> tuple[tuple[str, Any], ...]:
    """(reader, value) of each reader that reads ``text``, written plain, as no text
    (Jekyll first): ``(("Jekyll", False), ("Hugo", False))`` for ``off``."""
    if text[:1] not in _STARTS and text.lower() not in _WORDS \
            and not ("\n" in text and len(text) <= 5):
        return ()
    found = []
    ruby = psych(text)
    if ruby is not text and ruby is not _FAILS:
        found.append(("Jekyll", ruby))
    go = go_yaml_v2(text)
    if go is not text:
        found.append(("Hugo", go))
    return tuple(found)


def psych(text: str) -> Any:
    """What Ruby's Psych (ScalarScanner#tokenize) reads of ``text`` written plain:
    ``text`` itself when it is text, :data:`DATE` or :data:`TIME`, a value, or
    :data:`_FAILS`. A Symbol (``:x``) counts as text (see the module's docstring)."""
    if not text:
        return None
    if "\n" in text:
        return _psych_lines(text)
    if text[:1] not in _STARTS:  # (the word branch: no number after it)
        lower = text.lower()
        if text == "~" or lower == "null":
            return None
        return True if lower in _PSYCH_TRUE else False if lower in _PSYCH_FALSE else text
    if _TIME.fullmatch(text):
        return TIME if _time_valid(text) else text
    date = _DATE.fullmatch(text)
    if date:
        return DATE if _date_valid(*map(int, date.groups())) else text
    if _INF.fullmatch(text):
        return math.inf
    if _MINUS_INF.fullmatch(text):
        return -math.inf
    if _NAN.fullmatch(text):
        return math.nan
    if _BASE60_INT.fullmatch(text) or _BASE60_FLOAT.fullmatch(text):
        parts = text.split(":")
        as_float = "." in text
        total: Any = 0
        for i, part in enumerate(parts):
            total += _to_f(part) * 60 ** abs(i - 2) if as_float else _to_i(part) * 60 ** abs(
                i - 2)
        return total
    if _FLOAT.fullmatch(text):
        if text.lstrip("+-") == ".":
            return text
        try:
            return float(re.sub(r"[,_]|\.([Ee]|$)", r"\1", text))
        except ValueError:
            return _FAILS
    if _INTEGER.fullmatch(text):
        return _ruby_integer(re.sub(r"[,_]", "", text))
    return text


def _psych_lines(text: str) -> Any:
    """Psych's word branch of a text with a line break: its ``^`` and ``$`` match at
    each line, so a short one with a line ``off`` (``off\n``, ``y\noff``) is false."""
    if len(text) > 5:
        return text
    lines = text.split("\n")
    if any(line[:1].lower() not in ("y", "t", "o", "n", "f", "~") for line in lines[:-1]) \
            or (lines[-1] and lines[-1][0].lower() not in "ytonf~"):
        return text  # (/^[^ytonf~]/i: a line that starts otherwise, an empty one too)
    lower = [line.lower() for line in lines]
    if text == "~" or "null" in lower:
        return None
    if _PSYCH_TRUE.intersection(lower):
        return True
    return False if _PSYCH_FALSE.intersection(lower) else text


def _to_i(part: str) -> int:
    found = re.match(r"[-+]?[0-9]+(?:_[0-9]+)*", part)
    return int(found.group()) if found else 0


def _to_f(part: str) -> float:
    found = _TO_F.match(part)
    return float(found.group()) if found else 0.0


def _ruby_integer(text: str) -> Any:
    """Ruby's ``Integer(text)``: base prefixes, a leading 0 for octal."""
    sign = -1 if text[:1] == "-" else 1
    body = text.lstrip("+-")
    base = {"0b": 2, "0x": 16}.get(body[:2], 8 if body[:1] == "0" and len(body) > 1 else 10)
    digits = body[2:] if base in (2, 16) else body
    try:
        return sign * int(digits, base)
    except ValueError:
        return _FAILS


def _leap(year: int) -> bool:
    """Ruby's Date: Julian before the Gregorian reform of 1582, Gregorian after it."""
    if year <= 1582:
        return year % 4 == 0
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _date_valid(year: int, month: int, day: int) -> bool:
    """Whether Ruby's ``Date.strptime`` takes the date (it refuses 2001-02-30)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if (year, month) == (1582, 10) and 5 <= day <= 14:
        return False
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day <= days[month - 1]


def _time_valid(text: str) -> bool:
    """Whether Ruby's ``Time.utc`` takes the time's parts (a day past the month's end
    rolls over there; a 13th month or a 61st second is refused)."""
    month, day, hour, minute, second = map(int, re.findall(r"[0-9]+", text)[1:6])
    return 1 <= month <= 12 and 1 <= day <= 31 and hour <= 24 and minute <= 59 \
        and second <= 60


def go_yaml_v2(text: str) -> Any:
    """What Go's yaml.v2 (resolve.go, decoding into ``interface{}`` as Hugo does) reads
    of ``text`` written plain: ``text`` itself when it is text (a date stays text
    there), else its value."""
    if text in _GO_WORDS:
        return _GO_WORDS[text]
    first = text[:1]
    if first == ".":
        return float(text) if _GO_DOT_FLOAT.fullmatch(text) else text
    if first not in _STARTS:
        return text
    plain = text.replace("_", "")
    if _GO_INT.fullmatch(plain):
        value = _go_int(plain)
        if value is not None and -(1 << 63) <= value < (1 << 64):
            return value
    if _GO_FLOAT.fullmatch(plain) and not math.isinf(float(plain)):  # (past a float's
        return float(plain)  # range strconv.ParseFloat fails: the text)
    if plain.startswith(("0b", "-0b")) and re.fullmatch(r"-?0b[01]+", plain):
        value = int(plain.replace("0b", ""), 2)
        if -(1 << 63) <= value < (1 << 64):
            return value
    return text


def _go_int(text: str) -> int | None:
    """strconv.ParseInt's base 0: 0x, 0o, 0b and a leading 0 (octal); None for a decimal
    of more digits than Python converts (over 4300: far past 64 bits)."""
    sign = -1 if text[:1] == "-" else 1
    body = text.lstrip("+-")
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        return sign * int(body[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    try:
        return sign * int(body, 8 if len(body) > 1 and body[0] == "0" else 10)
    except ValueError:
        return None


def misreads(root: yaml.Node | None, keys: Container[str], text: str) -> list[Misread]:
    """Every plain scalar in the composed document ``root`` of the YAML ``text`` that
    this tool reads as text and a YAML 1.1 reader does not (and every value tagged
    ``!`` that a reader reads otherwise than this tool: ``! 7``), among the top-level
    ``keys`` and what is under them (not the fields read as text on purpose, nor those
    in error)."""
    found: list[Misread] = []
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in keys:
            at = (str(key.value),)
            _walk(key, at, True, found, text)
            _walk(value, at, False, found, text)
    return found


def _walk(node: yaml.Node, steps: tuple[str | int, ...], key: bool, found: list[Misread],
          text: str) -> None:
    """The :class:`Misread` of each scalar of ``node`` (at ``steps``; with ``key``, the
    key that leads there) into ``found``."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            here = (*steps, k.value)
            _walk(k, here, True, found, text)
            _walk(v, here, False, found, text)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*steps, i), False, found, text)
    elif node.tag == "tag:yaml.org,2002:str":
        tag = tag_of(text, node.start_mark.index)
        if not node.style or tag in NON_SPECIFIC:  # (plain: style None or "")
            _scalar(node, steps, key, found, "!" if tag in NON_SPECIFIC else tag)
    elif node.tag in _TYPED and node.style in (None, "", "'", '"') and not key \
            and tag_of(text, node.start_mark.index) in NON_SPECIFIC:
        _typed(node, steps, found)
    elif node.tag in _ZEROS and not key and (node.value == "-0" or "e-" in node.value
                                               or "E-" in node.value):
        _zero_to_them(node, steps, found, tag_of(text, node.start_mark.index))


def _field(steps: tuple[str | int, ...]) -> str:
    """The field path of ``steps``: ``a.b[0]``."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)[1:]


def _scalar(node: yaml.Node, steps: tuple[str | int, ...], key: bool, found: list[Misread],
            tag: str) -> None:
    """A :class:`Misread` of the plain text scalar ``node`` (written with ``tag``) into
    ``found``, when a reader misreads it: none has its own tag read otherwise, and only
    Psych reads one with the non-specific tag ``!`` as it reads a plain one."""
    if tag not in ("", "!"):
        return
    if tag:  # (``k: !`` and nothing after it too: the text "" to yaml.v2, nil to Psych)
        ruby = psych(node.value)
        read = (("Jekyll", ruby),) if ruby is not node.value and ruby is not _FAILS else ()
    else:
        read = readings(node.value)
    if read:
        mark = node.start_mark
        found.append(Misread(mark.line, mark.column, _field(steps), node.value, key, read,
                             tag, written=_written(node), steps=steps))


def _typed(node: yaml.Node, steps: tuple[str | int, ...], found: list[Misread]) -> None:
    """A :class:`Misread` into ``found`` of ``node``, a scalar with the non-specific tag
    ``!`` that this tool reads as a number, true/false or null (``! 7``, ``! "7"``):
    yaml.v2 (Hugo) reads the text, Psych (Jekyll) the text as if plain."""
    from converter.yamlsafe import plain_value

    try:
        here = plain_value(node.value)
    except ValueError:  # (a whole number too long: an error of its own)
        return
    read = [("Jekyll", psych(node.value)), ("Hugo", Text(node.value))]
    read = [(reader, value) for reader, value in read
            if value is not _FAILS and not _alike(value, here)]
    if read:
        mark = node.start_mark
        found.append(Misread(mark.line, mark.column, _field(steps), node.value, False,
                             tuple(read), "!", here, _written(node), steps))


def _written(node: yaml.ScalarNode) -> str:
    """How a scalar is written when not plain (``"7"``, ``'off'``, ``| "off\\n"``), or a
    plain one over lines; else ""."""
    if node.style == '"':
        return quoted(node.value)
    if node.style == "'":
        return "'" + node.value.replace("'", "''") + "'"
    if node.style in ("|", ">"):
        return f"{node.style} {quoted(node.value)}"
    return quoted(node.value) if "\n" in node.value else ""  # (plain, over lines)


def _zero_to_them(node: yaml.ScalarNode, steps: tuple[str | int, ...], found: list[Misread],
                  tag: str) -> None:
    """A :class:`Misread` into ``found`` of ``-0`` (plain, ``!!int -0``, ``!!float
    -0``), which this tool reads as a negative zero (-0, -0.0), and Psych and yaml.v2
    as 0 (0.0 tagged ``!!float``: they read the whole number, then make it a float); or
    of a number too small for a float (``1.0e-400``), which this tool reads exactly and
    they as 0.0 (-0.0 below zero), as one too large is an error."""
    from converter.yamlsafe import load

    here = load(f"k: {tag} {node.value}")["k"]  # (-0 or -0.0, as this tool reads it)
    if negative_zero(here):
        zero: Any = 0.0 if _ZEROS[node.tag] == "float" else 0
    elif underflows(here):
        zero = math.copysign(0.0, here)
    else:
        return
    mark = node.start_mark
    found.append(Misread(mark.line, mark.column, _field(steps), node.value, False,
                         (("Jekyll", zero), ("Hugo", zero)), tag, here, steps=steps))


def underflows(value: Any) -> bool:
    """Whether a value is an exact number other than zero that a float holds only as
    zero (``1.0e-400``: 0.0 to Jekyll, Hugo and SQLite)."""
    return isinstance(value, Decimal) and value.is_finite() and value != 0 \
        and float(value) == 0.0


def _alike(theirs: Any, here: Any) -> bool:
    """Whether a reader's value is the value this tool reads (no text, as a text is not)."""
    if isinstance(theirs, str) or isinstance(theirs, bool) != isinstance(here, bool):
        return False
    if isinstance(theirs, float) and math.isnan(theirs):
        return isinstance(here, float) and math.isnan(here)
    if theirs == 0 and here == 0:  # (-0 is 0 to them: the sign counts)
        return negative_zero(theirs) == negative_zero(here)
    return bool(theirs == here)


def negative_zero(value: Any) -> bool:
    """Whether a value is a number that is a negative zero (-0.0, or the integer -0 this
    tool reads, an :class:`~converter.model.ExactNumber`)."""
    return isinstance(value, float | Decimal) and value == 0 and \
        math.copysign(1.0, float(value)) < 0


def tag_of(text: str, start: int) -> str:
    """The tag written at the start of a scalar (a plain one starts at ``start`` of
    ``text``, a tagged one at its tag): ``!!str``, ``!``, or "" when it has none."""
    found = _TAG_AT.match(text, start)
    return found.group() if found else ""


def may_misread(value: Any) -> bool:
    """Whether loaded data ``value`` (keys too) holds a text that a YAML 1.1 reader may
    read otherwise when it is written plain, or a negative zero (``-0``, 0 to them) or
    a number too small for a float (``1.0e-400``, 0.0 to them):
    only then is the YAML composed again to see how each is written (rare: nearly every
    file costs one walk of its extra keys)."""
    if isinstance(value, str):
        return bool(readings(value))
    if negative_zero(value) or underflows(value):  # (-0, 1.0e-400: 0 to them)
        return True
    if isinstance(value, Mapping):
        return any(may_misread(k) or may_misread(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(map(may_misread, value))
    return False


#: The non-specific tag ``!`` (or ``!<!>``) where a scalar may start: after a blank or a flow
#: collection's ``[``, ``{`` or ``,``, a blank after it.
_NON_SPECIFIC = re.compile(r"(?:^|(?<=[ \t\[{,]))!(?:<!>)?(?=[ \t\r\n]|\Z)", re.M)


def may_be_tagged(text: str) -> bool:
    """Whether the YAML ``text`` may hold a scalar with the non-specific tag ``!``,
    which Hugo reads as text where this tool may read a number (``! 7``): only then is
    it composed again to see (a search in C of a file that holds none)."""
    return "!" in text and _NON_SPECIFIC.search(text) is not None


def misreads_in(text: str, keys: Container[str]) -> list[Misread]:
    """:func:`misreads` of a YAML text that :func:`converter.yamlsafe.load` has read."""
    from converter import yamlsafe

    return misreads(yamlsafe.compose(text), keys, text)
