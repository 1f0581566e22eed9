"""Diagnostics: the one way any problem with an input or output is reported."""

from __future__ import annotations

import bisect
import codecs
import contextlib
import heapq
import io
import itertools
import marshal
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, Literal, NamedTuple

Severity = Literal["error", "warning"]

#: What a line shown to people must not hold as it is: C0 and C1 control characters
#: (newline, carriage return, escape ...) and DEL, line and paragraph separators, the
#: bidirectional overrides and isolates (which reorder what a terminal shows), and
#: lone surrogates (a file name that is not UTF-8). Compiled on first use (by
#: ``re.sub``): nearly every run prints nothing that holds one, and --help nothing.
_UNPRINTABLE = ("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: A lone surrogate: what Python makes of a file name's bytes that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    """A lone surrogate as a JSON escape (``\\udcff``): the JSON stays UTF-8, and
    ``os.fsencode`` of the string it reads back gives the name's bytes again."""
    return f"\\u{ord(match.group()):04x}"


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun`` (a plural in -s) agreeing: ``1 muscle``, ``2 muscles``."""
    return f"{count} {noun[:-1] if count == 1 else noun}"


def agreeing(count: int, one: str, many: str) -> str:
    """``one`` when ``count`` is 1, else ``many``: the words that agree with a
    :func:`counted` noun (``1 warning fails``, ``2 warnings fail``; ``converts it``,
    ``converts them``)."""
    return one if count == 1 else many


def shown_value(value: Any) -> str:
    """``repr(value)`` for a message about a value a caller gave, never failing: an
    int of more digits than ``str()`` takes (``sys.get_int_max_str_digits()``) is
    ``an integer of 5001 digits``, and what ``repr`` raises for is ``a TYPE whose
    repr() fails``."""
    try:
        return repr(value)
    except ValueError:
        if isinstance(value, int):
            size = abs(value)
            digits = max(1, int(size.bit_length() * 0.30102999566398120))
            digits += size >= 10 ** digits
            return f"{'a negative' if value < 0 else 'an'} integer of {digits} digits"
        return f"a {type(value).__name__} whose repr() fails"
    except Exception:  # (a caller's own class's __repr__ may raise anything)
        return f"a {type(value).__name__} whose repr() fails"


def printable(text: str) -> str:
    """``text`` (a path, a field, a message) safe to print on one line: control and
    other invisible characters written as Python escapes (``\\n``, ``\\x1b``,
    ``\\u202e``); spaces and letters of any language stay as they are."""
    if text.isprintable():  # the usual case: none of them (all are unprintable to str)
        return text
    return re.sub(_UNPRINTABLE, _escape, text)


def toml_quoted(text: str) -> str:
    """``text`` as a TOML basic string on one line that a TOML reader takes back as
    ``text``: JSON's escapes (TOML takes them: ``\\n``, ``\\\\``, ``\\"``), and each other
    character :func:`printable` escapes (DEL, C1 controls, ``\\u2028``, ``\\u202e``) as
    ``\\u`` and four hex digits, TOML having no ``\\x``; letters of any language stay
    as they are. A lone surrogate (a byte of a file name that is not UTF-8), which no
    TOML text can hold (``"\\udcff"`` is refused), is U+FFFD, the replacement character:
    the line stays TOML, and shows where such a byte was."""
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return re.sub(_UNPRINTABLE, _toml_escape, quoted)


def _toml_escape(match: re.Match[str]) -> str:
    """A character :func:`printable` escapes, as a TOML basic string writes it: ``\\u``
    and four hex digits; a lone surrogate, which TOML has no escape for, U+FFFD."""
    char = match.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else f"\\u{ord(char):04x}"


class LineStarts:
    """Where each ``\n`` line of a text starts: character positions -> 0-based (line,
    column), any number of them, in any order, for one pass over the text."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(found.end() for found in _NEWLINE.finditer(text))]
        self._length = len(text)

    def place(self, index: int) -> tuple[int, int]:
        """0-based (line, column) of the character at ``index`` (clamped to the text)."""
        at = min(max(index, 0), self._length)
        line = bisect.bisect_right(self._starts, at) - 1
        return line, at - self._starts[line]


_NEWLINE = re.compile("\n")

#: How diagnostics name standard input (``-`` given as a source) and standard output
#: (``-o -``, ``/dev/stdout``): streams, not files, so a GitHub annotation names no file
#: (a diagnostic about one says so: :attr:`Diagnostic.stream`, not its path, which a file
#: of that name has too).
STDIN_NAME = "standard input"
STDOUT_NAME = "standard output"


class Diagnostic(NamedTuple):
    """A problem in one file, located by line, column and field path.

    ``code`` is stable (scripts may match on it); ``message`` is for people.
    Lines and columns are 1-based and count the file's own lines (the opening
    ``---`` is line 1). ``named``: where in ``message`` the paths of other files it
    names are (start and end of each, flat; see :func:`worded`), for
    :func:`github_annotation` to name them as it names the file. Immutable and small: a
    large corpus has hundreds of thousands.
    """

    path: str
    line: int | None
    column: int | None
    field: str
    code: str
    message: str
    severity: Severity = "error"
    named: tuple[int, ...] = ()
    #: True when ``path`` names standard input or output (``-`` given, ``/dev/stdout``),
    #: not a file: how it was given, not its name, which a file may have too.
    stream: bool = False

    def __reduce__(self) -> tuple[object, ...]:  # unpickled by tuple.__new__, no Python call
        return (tuple.__new__, (Diagnostic, tuple(self)))

    # Ordered as validate orders them (:func:`in_order`): by path, line, column (no line
    # or column first) and code, so sorted() of a mix of None and numbers works; equal
    # and hashed as the tuple they are.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return _order(self) < _order(other)

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return _order(self) > _order(other)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return _order(self) <= _order(other)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return _order(self) >= _order(other)

    def __str__(self) -> str:
        """One line for people; characters that could split or garble it are escaped
        (:func:`printable`), so a path shows the same here and inside a message."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        tag = "warning" if self.severity == "warning" else "error"
        return printable(f"{where}: {tag}:{field} {self.message} [{self.code}]")

    def as_dict(self) -> dict[str, object]:
        """The diagnostic as a JSON-ready dict (the paths its message names are in the
        message, as the text format shows them)."""
        found = self._asdict()
        del found["named"], found["stream"]
        return found


class Named(NamedTuple):
    """A path of a file, as a run names it, in the parts of a message (:func:`worded`)."""

    path: str


def worded(*parts: str | Named) -> tuple[str, tuple[int, ...]]:
    """The message ``parts`` make, and where in it the :class:`Named` paths are (a
    :class:`Diagnostic`'s ``named``)."""
    text = ""
    named: list[int] = []
    for part in parts:
        if isinstance(part, Named):
            named += (len(text), len(text) + len(part.path))
            part = part.path
        text += part
    return text, tuple(named)


class MuscleError(Exception):
    """Raised with one or more diagnostics; the project's only error type for bad input.

    ``partial``: for a muscle whose content failed validation, the muscle of the fields
    that are valid (the others empty: see :func:`beside_errors`), whose per-field lints
    are said in the same run; None otherwise."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic],
                 partial: Any = None) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        self.partial = partial
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[MuscleError], tuple[list[Diagnostic]]]:
        """Pickled (to and from another process, or copied) with its diagnostics."""
        return type(self), (self.diagnostics,)


class WorkingFolderGone(MuscleError):
    """The run's working folder was deleted under it (by anything): no path can be
    found from it. The run ends with this one ``working-folder-gone`` error (see
    :func:`converter.slug.check_working_folder`), whatever it met it in."""


class ChangedWhileRead(MuscleError):
    """A file rewritten in place (truncated and written again) while its reader read
    it: what was read may mix both versions, so the file is refused whole, with this
    one error (see :func:`check_unchanged`)."""


#: What an in-place rewrite of an open file changes: (size, mtime ns). Not its ctime,
#: which a chmod, a new hard link or a backup tool's extended attribute changes too,
#: the file's bytes as they were.
FileStamp = tuple[int, int]


def open_stamp(fh: IO[bytes]) -> FileStamp:
    """The :data:`FileStamp` of the open file ``fh``, taken before reading it."""
    st = os.fstat(fh.fileno())
    return st.st_size, st.st_mtime_ns


def check_unchanged(fh: IO[bytes], before: FileStamp, path: str) -> None:
    """:class:`ChangedWhileRead` when the open file ``fh`` is not as it was when
    ``before`` was taken (a rename over the path leaves the open file as it was)."""
    if open_stamp(fh) != before:
        raise ChangedWhileRead(Diagnostic(path, None, None, "", "changed-while-read",
                                          "changed while it was read; run again"))


#: Where a step of a field path begins (``.key``, ``[0]``).
_STEP = re.compile(r"[.\[]")


def beside_errors(lints: Iterable[Diagnostic], errors: Iterable[Diagnostic],
                  record: str = "") -> list[Diagnostic]:
    """``lints`` of a record (named ``record``, ``""`` for a file of one muscle) that
    ``errors`` left out, without those about a field an error is about, inside one or
    holding one: such a field was checked with a stand-in (empty, ``0``), not what the
    source holds. An error of the record as a whole hides none."""
    at = {d.field for d in errors if d.field and d.field != record}
    if not at:
        return list(lints)
    holding = {f[:m.start()] for f in at for m in _STEP.finditer(f)} | at
    return [d for d in lints if d.field not in holding
            and not any(d.field[:m.start()] in at for m in _STEP.finditer(d.field))]


def error(path: str, code: str, message: str, field: str = "", line: int | None = None,
          column: int | None = None, *, stream: bool = False) -> MuscleError:
    """Build a :class:`MuscleError` holding a single error diagnostic (``stream``: about
    standard input or output, see :attr:`Diagnostic.stream`)."""
    return MuscleError(Diagnostic(path, line, column, field, code, message, stream=stream))


#: Byte order marks of encodings a UTF-8 reader cannot read (UTF-32 first: its
#: little-endian mark starts with UTF-16's).
_WIDE = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def wide_encoding(raw: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when ``raw`` starts with that encoding's byte order mark."""
    return next((name for mark, name in _WIDE if raw.startswith(mark)), None)


def decode_utf8(raw: bytes, path: str, first_line: int = 1, *, keep: bool = False) -> str:
    """``raw`` as UTF-8 text (a byte order mark dropped), else one ``not-utf8`` error
    at the first bad byte's line and column (``raw`` starts at line ``first_line``),
    naming the byte, or the encoding the file is in (UTF-16 or UTF-32: save it as UTF-8).

    With ``keep``, each byte that is not UTF-8 is kept in the text as a lone surrogate
    (:data:`KEPT_BYTE`) instead, for a reader of rows to report in the row that holds it
    (:class:`KeptBytes`) and read the others; UTF-16 and UTF-32 are still an error."""
    wide = wide_encoding(raw)
    if wide is not None:
        raise error(path, "not-utf8", f"is {wide}, not UTF-8: save it as UTF-8",
                    line=first_line, column=1)
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return str(memoryview(raw)[start:], "utf-8")
    except UnicodeDecodeError as exc:
        if keep:
            return str(memoryview(raw)[start:], "utf-8", "surrogateescape")
        at = exc.start + start  # (in the file's bytes, its mark included)
        line = raw.count(b"\n", 0, at) + first_line
        column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
        raise error(path, "not-utf8", _not_utf8(raw[at], raw), line=line,
                    column=column) from None


def file_not_utf8(fh: IO[bytes], path: str, chunk: int = 1 << 16) -> MuscleError | None:
    """The ``not-utf8`` error :func:`decode_utf8` gives of the bytes of ``fh``, found by
    reading them from their start a ``chunk`` at a time (none kept): for a file too big
    to be read whole to say so. None when they are UTF-8."""
    fh.seek(0)
    wide = wide_encoding(fh.read(4))
    if wide is not None:
        return error(path, "not-utf8", f"is {wide}, not UTF-8: save it as UTF-8",
                     line=1, column=1)
    fh.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line, line_start = 0, 1, 0  # (of the bytes read before ``raw``)
    while True:
        raw = fh.read(chunk)
        pending = decoder.getstate()[0]  # (a letter's first bytes, in the last chunk)
        try:
            decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            at = offset - len(pending) + exc.start  # (in the file's bytes)
            before = raw[:max(at - offset, 0)]
            if b"\n" in before:
                line, line_start = line + before.count(b"\n"), offset + before.rfind(b"\n") + 1
            byte = (pending + raw)[exc.start]
            windows = byte in _CP1252 and _file_reads_as_cp1252(fh, chunk)
            return error(path, "not-utf8", _byte_message(byte, windows), line=line,
                         column=at - line_start + 1)
        if not raw:
            return None
        if b"\n" in raw:
            line, line_start = line + raw.count(b"\n"), offset + raw.rfind(b"\n") + 1
        offset += len(raw)


def _file_reads_as_cp1252(fh: IO[bytes], chunk: int) -> bool:
    """:func:`_reads_as_cp1252` of the bytes of ``fh``, read a ``chunk`` at a time."""
    fh.seek(0)
    last = b""  # (the last chunk's last byte: a letter of UTF-8 may be cut between two)
    while raw := fh.read(chunk):
        if _UTF8_SEQUENCE.search(last + raw):
            return False
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            return False
        last = raw[-1:]
    return True


def _not_utf8(byte: int, raw: bytes) -> str:
    """The ``not-utf8`` message of a ``byte`` of ``raw``; in a file that holds no UTF-8
    letter of two bytes or more and reads as Windows-1252 (Latin-1), as files saved by
    Windows programs do, a byte that is a letter or a typographic mark there says which."""
    return _byte_message(byte, byte in _CP1252 and _reads_as_cp1252(raw))


def _reads_as_cp1252(raw: bytes) -> bool:
    """Whether ``raw`` holds no UTF-8 letter of two bytes or more and reads as
    Windows-1252: saved by a Windows program, not UTF-8 with a byte gone wrong."""
    if _UTF8_SEQUENCE.search(raw):
        return False
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _byte_message(byte: int, windows: bool) -> str:
    """The ``not-utf8`` message of ``byte``, saying the letter it is in Windows-1252
    when the file is ``windows`` (see :func:`_not_utf8`)."""
    char = _CP1252.get(byte, "")
    if char and windows:
        return (f"is not UTF-8 (byte 0x{byte:02x}, which is {char} in Windows-1252: "
                "save the file as UTF-8)")
    return f"is not UTF-8 (byte 0x{byte:02x})"


#: The bytes past ASCII that are letters or typographic marks (dashes, quotes, ellipsis,
#: euro, degree, middle dot) in Windows-1252.
_CP1252 = {b: c for b in range(0x80, 0xff)  # (not 0xff, ÿ: more often a byte gone wrong)
           for c in (bytes([b]).decode("cp1252", "replace"),)
           if c.isalpha() or c in ("\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e"
                                   "\u2026\u20ac\u00b0\u00b7")}
#: A letter of UTF-8 past ASCII: a file holding one is UTF-8 with a byte gone wrong.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


#: A byte that is not UTF-8 as ``decode_utf8(keep=True)`` keeps it (Python's
#: ``surrogateescape``: U+DC80 to U+DCFF, which no UTF-8 text decodes to).
KEPT_BYTE = re.compile("[\udc80-\udcff]")


class KeptBytes:
    """Where the bytes that are not UTF-8 are in a text ``decode_utf8(keep=True)`` gave,
    so that a reader of rows reports the first one of each row that holds one, at its
    line and column counted in bytes as :func:`decode_utf8` counts them (a byte order
    mark before line 1 not counted), and reads the other rows."""

    def __init__(self, text: str, path: str) -> None:
        self._text, self._path = text, path
        self._raw = text.encode("utf-8", "surrogateescape")  # (the file's bytes, for hints)
        lines = LineStarts(text)
        self._found = [(*lines.place(m.start()), m.start()) for m in KEPT_BYTE.finditer(text)]

    def first(self, line: int) -> Diagnostic:
        """The ``not-utf8`` error of the first kept byte on ``line`` (1-based) or after
        it (ask for a row that holds one)."""
        at = bisect.bisect_left(self._found, (line - 1,))
        row, column, offset = self._found[min(at, len(self._found) - 1)]
        before = self._text[offset - column:offset].encode("utf-8", "surrogateescape")
        return Diagnostic(self._path, row + 1, len(before) + 1, "", "not-utf8",
                          _not_utf8(ord(self._text[offset]) - 0xDC00, self._raw))


def kept_byte_message(text: str) -> str:
    """The ``not-utf8`` message of the first byte that is not UTF-8 in ``text``, a value
    decoded with ``surrogateescape`` (as :data:`KEPT_BYTE` finds it), for a reader that
    names the value by its record and field."""
    found = KEPT_BYTE.search(text)
    if found is None:
        raise ValueError("the text holds no byte kept as a surrogate")
    return _not_utf8(ord(found.group()) - 0xDC00, text.encode("utf-8", "surrogateescape"))


class KeptLine:
    """The bytes that are not UTF-8 in one line of a file, decoded with
    ``decode_utf8(keep=True)`` into ``text`` from its bytes ``raw``, for a reader that
    says the byte of each of the line's texts that holds one: each found at once, its
    column counted in bytes as :func:`decode_utf8` counts them. ``lead``: bytes of the
    line before ``raw`` (a part of it read alone), counted in its columns."""

    def __init__(self, text: str, raw: bytes, path: str, line: int, lead: int = 0) -> None:
        self._path, self._line = path, line
        self._windows = _reads_as_cp1252(raw)
        self._offsets: list[int] = []
        self._found: list[tuple[int, int]] = []  # (column, byte)
        column = lead + len(raw) - len(text.encode("utf-8", "surrogateescape")) + 1
        last = 0
        for found in KEPT_BYTE.finditer(text):  # (a byte order mark counted)
            column += len(text[last:found.start()].encode("utf-8", "surrogateescape"))
            last = found.start()
            self._offsets.append(last)
            self._found.append((column, ord(found.group()) - 0xDC00))

    def at(self, start: int = 0) -> Diagnostic:
        """The ``not-utf8`` error of the first such byte at or after ``start`` in the
        text (else its first): ask of a line that holds one."""
        found = bisect.bisect_left(self._offsets, start)
        column, byte = self._found[found if found < len(self._found) else 0]
        return Diagnostic(self._path, self._line, column, "", "not-utf8",
                          _byte_message(byte, self._windows))


def kept_bytes_shown(text: str) -> str:
    """``text`` (decoded with ``surrogateescape``) with each byte kept as not UTF-8
    U+FFFD: as a diagnostic shows it, and what a reader checks the rest of its record
    beside the ``not-utf8`` error with."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def not_at(found: Iterable[Diagnostic], fields: Iterable[str]) -> list[Diagnostic]:
    """The diagnostics of ``found`` but those at or inside one of ``fields``: a field
    read as a stand-in (a text that is not UTF-8 as U+FFFD), not what the source holds."""
    at = set(fields)
    return [d for d in found if d.field not in at
            and not any(d.field[:m.start()] in at for m in _STEP.finditer(d.field))]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error (not only warnings)."""
    return any(d.severity == "error" for d in diagnostics)


def render(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics as text lines for people or a JSON array for machines."""
    return "".join(rendered(diagnostics, fmt))


#: What a GitHub Actions workflow command escapes in its message, and in a property's
#: value (where ``:`` and ``,`` separate), as the runner reads them back.
_GITHUB_MESSAGE = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_GITHUB_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A",
                                  ",": "%2C"})
_LINE_END = re.compile("([\r\n])")


def github_annotation(d: Diagnostic, workspace: str | None = None) -> str:
    """``d`` as a GitHub Actions workflow command (``::error title=coords-odd,file=
    soleus.md,line=12,col=3::coords[0]: ...``): the job's log turns it into an
    annotation on that line of the file, shown in the pull request. The file is named
    relative to ``workspace`` (the checkout, ``$GITHUB_WORKSPACE``, where GitHub looks
    for it) when it is inside, and so are the paths of other files the message names
    (``named``). Every part is :func:`printable` first, as in the text format, but for
    the file's line ends: escaped as the toolkit does (``%0A``), the runner reads them
    back, so the annotation names the file there is. A diagnostic about standard input
    or output (:attr:`Diagnostic.stream`: a file of that name is named) names no file
    (GitHub shows it with the job): the message names it."""
    said = d.message if workspace is None else _named_in_workspace(d, workspace)
    message = printable(f"{d.field}: {said}" if d.field else said)
    where = [f"title={printable(d.code)}"]
    if d.stream:
        message = f"{d.path}: {message}"
    else:
        path = d.path if workspace is None else in_workspace(d.path, workspace)
        where.append("file=" + "".join(p if p in ("\r", "\n") else printable(p)
                                       for p in _LINE_END.split(path)))
        if d.line is not None:
            where.append(f"line={d.line}")
            if d.column is not None:
                where.append(f"col={d.column}")
    kind = "warning" if d.severity == "warning" else "error"
    return (f"::{kind} {','.join(w.translate(_GITHUB_PROPERTY) for w in where)}"
            f"::{message.translate(_GITHUB_MESSAGE)}")


def _named_in_workspace(d: Diagnostic, workspace: str) -> str:
    """``d``'s message with the paths it names (``named``) relative to ``workspace``,
    as :func:`github_annotation` names the file."""
    pieces: list[str] = []
    last = 0
    for start, end in zip(d.named[::2], d.named[1::2], strict=True):
        pieces += (d.message[last:start], in_workspace(d.message[start:end], workspace))
        last = end
    return "".join(pieces) + d.message[last:]


def in_workspace(path: str, workspace: str) -> str:
    """``path`` (as a run names it: relative to the working folder, or absolute)
    relative to the folder ``workspace``, with ``/``; as it is when outside it (see
    :func:`converter.slug.relative_below`: a working folder reached through a symlink)."""
    from .slug import relative_below

    parts = relative_below(path, workspace)
    return path if parts is None else "/".join(parts)


def rendered(diagnostics: Iterable[Diagnostic], fmt: str = "text", batch: int = 1000,
             workspace: str | None = None) -> Iterator[str]:
    """:func:`render`'s text in pieces of ``batch`` diagnostics, for writing as they
    come: memory holds one run of :func:`in_order`, not every diagnostic and its text.
    ``fmt``: ``text`` (a line each, for people), ``json`` (an array) or ``github`` (a
    :func:`github_annotation` each, its files relative to ``workspace``)."""
    import json  # (not imported for --help, which renders no diagnostic)

    items = in_order(diagnostics)
    first = True
    while chunk := list(itertools.islice(items, batch)):
        if fmt == "json":
            text = ",\n".join("  " + json.dumps(d.as_dict(), ensure_ascii=False,
                                                 indent=2).replace("\n", "\n  ")
                              for d in chunk)
            yield ("[\n" if first else ",\n") + _SURROGATE.sub(_json_escape, text)
        else:
            lines = ([github_annotation(d, workspace) for d in chunk] if fmt == "github"
                     else map(str, chunk))
            yield ("" if first else "\n") + "\n".join(lines)
        first = False
    if fmt == "json":
        yield "[]" if first else "\n]"


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    return d.path, d.line or 0, d.column or 0, d.code


def in_order(diagnostics: Iterable[Diagnostic], run: int = 5_000, fan_in: int = 16,
             frame: int = 500) -> Iterator[Diagnostic]:
    """``diagnostics`` by path, line, column and code (stable): sorted a run of ``run``
    at a time, each run packed (:func:`pack`, frames of ``frame``) into a temporary
    file, then merged ``fan_in`` runs at a time (more runs than that are merged into
    longer ones on disk first), so memory holds one run and ``fan_in`` frames however
    many diagnostics a corpus has (``fan_in`` at least 2)."""
    fan_in = max(fan_in, 2)
    items = iter(diagnostics)
    first = sorted(itertools.islice(items, run), key=_order)
    following = list(itertools.islice(items, 1))
    if not following:
        yield from first
        return
    with _Runs(frame) as runs:
        runs.add(first)
        del first
        rest = itertools.chain(following, items)
        while chunk := list(itertools.islice(rest, run)):
            chunk.sort(key=_order)
            runs.add(chunk)
        del chunk
        yield from runs.merged(fan_in)


class _Runs:
    """Sorted runs of diagnostics packed (:func:`pack`) one after another in an
    anonymous temporary file, read back a piece at a time. Where the temporary folder
    refuses the file or more of it (full, gone), the runs are kept in memory instead:
    the report is still made, holding them all."""

    def __init__(self, frame: int) -> None:
        import tempfile  # here: `muscle-convert --help` needs no temporary files

        self._frame, self._end = frame, 0  # (where the runs so far end)
        self._file: IO[bytes]
        try:  # (unbuffered: what a refused write leaves is past the end known)
            self._file = tempfile.TemporaryFile(prefix="muscle-convert-", buffering=0)  # noqa: SIM115
        except OSError:
            self._file = io.BytesIO()
        self._spans: list[tuple[int, int]] = []

    def __enter__(self) -> _Runs:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Pack a sorted run after the others (``diagnostics`` may be read from the
        earlier runs meanwhile)."""
        start = self._end
        compressor = zlib.compressobj(1)
        items = iter(diagnostics)
        while batch := list(itertools.islice(items, self._frame)):
            self._write(compressor.compress(_framed(batch)))
        self._write(compressor.flush())
        self._spans.append((start, self._end - start))

    def _write(self, data: bytes) -> None:
        """Write ``data`` after the runs so far: in memory from the first write the
        temporary folder refuses."""
        try:
            self._written(data)
        except OSError:
            self._file = self._in_memory()
            self._written(data)
        self._end += len(data)

    def _written(self, data: bytes) -> None:
        """Write ``data`` at the end known (an unbuffered file may take part of it)."""
        self._file.seek(self._end)
        rest = memoryview(data)
        while rest:
            rest = rest[self._file.write(rest) or 0:]

    def _in_memory(self) -> IO[bytes]:
        """The runs so far, read into memory from the file, which is closed."""
        self._file.seek(0)
        kept = b"".join(iter(lambda: self._file.read(1 << 20), b""))[:self._end]
        with contextlib.suppress(OSError):
            self._file.close()
        return io.BytesIO(kept)

    def merged(self, fan_in: int) -> Iterator[Diagnostic]:
        """All runs merged in order (equal keys in the order the runs were added)."""
        while len(self._spans) > fan_in:
            spans, self._spans = self._spans, []
            for start in range(0, len(spans), fan_in):
                self.add(heapq.merge(*map(self._read, spans[start:start + fan_in]),
                                     key=_order))
        return heapq.merge(*map(self._read, self._spans), key=_order)

    def _read(self, span: tuple[int, int]) -> Iterator[Diagnostic]:
        new = tuple.__new__
        for rows in _rows(self._pieces(*span)):
            yield from map(new, itertools.repeat(Diagnostic), rows)

    def _pieces(self, offset: int, length: int) -> Iterator[bytes]:
        """The run at ``offset`` in pieces of 64 KiB (the file is shared: each seeks)."""
        end = offset + length
        while offset < end:
            self._file.seek(offset)
            piece = self._file.read(min(1 << 16, end - offset))
            offset += len(piece)
            yield piece


def _framed(batch: Sequence[Sequence[Any]]) -> bytes:
    """One frame of :func:`pack`: the rows marshalled, after their length."""
    data = marshal.dumps([tuple(row) for row in batch])
    return len(data).to_bytes(8, "little") + data


def pack(diagnostics: Iterable[Sequence[Any]], chunk: int = 10_000) -> bytes:
    """Diagnostics (or other rows of plain values) compressed for the cache: batches of
    ``chunk`` rows, each marshalled and framed by its length. A fraction of their
    pickle's size, and several times faster to make and read than JSON."""
    compressor = zlib.compressobj(1)
    parts, items = [], iter(diagnostics)
    while batch := list(itertools.islice(items, chunk)):
        parts.append(compressor.compress(_framed(batch)))
    parts.append(compressor.flush())
    return b"".join(parts)


def unpack(blob: bytes) -> Iterator[Diagnostic]:
    """The diagnostics :func:`pack` packed, decompressed as they are read.

    Raises ``ValueError`` (or ``zlib.error``) for a blob :func:`pack` did not make."""
    new = tuple.__new__
    for rows in unpack_rows(blob):
        if any(len(fields) != len(Diagnostic._fields) for fields in rows):
            raise ValueError("not a packed diagnostic")
        yield from map(new, itertools.repeat(Diagnostic), rows)


def unpack_rows(blob: bytes) -> Iterator[list[tuple[Any, ...]]]:
    """The batches of rows :func:`pack` packed (as tuples), decompressed as they are
    read; ``ValueError`` (or ``zlib.error``) for a blob it did not make."""
    return _rows(blob[start:start + (1 << 16)] for start in range(0, len(blob), 1 << 16))


def _rows(pieces: Iterable[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    """:func:`unpack_rows` of a blob given in ``pieces``."""
    decompressor = zlib.decompressobj()
    pending = bytearray()  # (grown in place: a frame of 100 MB is not copied per piece)
    for piece in pieces:
        pending += decompressor.decompress(piece)
        while len(pending) >= 8:
            end = 8 + int.from_bytes(pending[:8], "little")
            if len(pending) < end:
                break
            try:
                rows = marshal.loads(bytes(pending[8:end]))
            except (EOFError, TypeError) as exc:
                raise ValueError("not packed rows") from exc
            if not isinstance(rows, list) or not all(type(r) is tuple for r in rows):
                raise ValueError("not packed rows")
            del pending[:end]
            yield rows
    if pending or not decompressor.eof:
        raise ValueError("truncated diagnostics")


class Packed(NamedTuple):
    """A :class:`DiagnosticLog` packed for the cache: its counts, and its diagnostics as
    :func:`pack` blobs with their CRC-32 checksums."""

    count: int
    errors: int
    error_paths: tuple[str, ...]
    blobs: list[bytes]
    checksums: list[int]


#: A stretch of a :class:`DiagnosticLog` after its head: in memory, packed in memory
#: (:func:`pack`), or packed in a temporary file at (offset, length).
_Part = list[Diagnostic] | bytes | tuple[IO[bytes], int, int]


class DiagnosticLog(Sequence[Diagnostic]):
    """An append-only list of diagnostics that keeps memory flat: past the first
    ``in_memory`` they are packed (:func:`pack`) into a temporary file a batch at a
    time. Iterating reads them back in order, any number of times. It knows how many
    are errors and in which files without a pass, and joins another log or packs
    itself for the cache without unpacking what is on disk."""

    def __init__(self, items: Iterable[Diagnostic] = (), in_memory: int = 5_000) -> None:
        self._head: list[Diagnostic] = []
        self._parts: list[_Part] = []
        self._batch: list[Diagnostic] = []
        self._spilled: IO[bytes] | None = None
        self._count, self._limit = 0, in_memory
        #: Paths of the files with at least one error.
        self.error_paths: set[str] = set()
        self.errors = 0
        self.extend(items)

    @classmethod
    def unpacked(cls, packed: Packed) -> DiagnosticLog:
        """The log whose :meth:`packed` form ``packed`` is, kept packed in memory: its
        counts come with it, and a blob is unpacked only when the log is read that far.

        Raises ``ValueError`` for a form :meth:`packed` did not make (a blob whose
        checksum differs: damage shows here, not halfway through reading)."""
        count, errors, error_paths, blobs, checksums = packed
        if len(blobs) != len(checksums) or any(
                not isinstance(b, bytes) or zlib.crc32(b) != c
                for b, c in zip(blobs, checksums, strict=False)):
            raise ValueError("damaged packed diagnostics")
        log = cls()
        log._parts, log._count = list(blobs), count
        log.errors, log.error_paths = errors, set(error_paths)
        return log

    def append(self, diagnostic: Diagnostic) -> None:
        """Add one diagnostic at the end (what :meth:`extend` does, for one: the corpus
        lint appends its warnings one at a time, by the ten thousand)."""
        in_head = not self._parts and not self._batch and len(self._head) < self._limit
        (self._head if in_head else self._batch).append(diagnostic)
        self._count += 1
        if diagnostic.severity == "error":
            self.errors += 1
            self.error_paths.add(diagnostic.path)
        if len(self._batch) >= self._limit:
            self._spill()

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics at the end, in order (another log's parts are taken over
        as they are)."""
        if isinstance(diagnostics, DiagnosticLog):
            self._join(diagnostics)
            return
        items = iter(diagnostics)
        while True:
            head = not self._parts and not self._batch and len(self._head) < self._limit
            target = self._head if head else self._batch
            chunk = list(itertools.islice(items, self._limit - len(target)))
            if not chunk:
                return
            target += chunk
            self._count += len(chunk)
            for d in chunk:
                if d.severity == "error":
                    self.errors += 1
                    self.error_paths.add(d.path)
            if len(self._batch) >= self._limit:
                self._spill()

    def _join(self, other: DiagnosticLog) -> None:
        if self._batch:
            self._parts.append(self._batch)
            self._batch = []
        self._parts += [part for part in (other._head, *other._parts, other._batch) if part]
        self._count += len(other)
        self.errors += other.errors
        self.error_paths |= other.error_paths

    def _spill(self) -> None:
        if self._spilled is None:
            import tempfile  # here: `muscle-convert --help` needs no temporary files

            self._spilled = tempfile.TemporaryFile(prefix="muscle-convert-")  # noqa: SIM115
        packed = pack(self._batch)
        end = self._spilled.seek(0, 2)
        self._spilled.write(packed)
        self._parts.append((self._spilled, end, len(packed)))
        self._batch = []

    @staticmethod
    def _packed_bytes(part: _Part) -> bytes:
        if isinstance(part, bytes):
            return part
        if isinstance(part, list):
            return pack(part)
        fh, offset, length = part
        fh.seek(offset)
        return fh.read(length)

    def packed(self) -> Packed:
        """The log as :func:`pack` blobs with its counts, for :meth:`unpacked`; what is
        packed already is copied, not unpacked."""
        blobs = list(self.packed_parts())
        return Packed(*self.counts(), blobs, [zlib.crc32(b) for b in blobs])

    def counts(self) -> tuple[int, int, tuple[str, ...]]:
        """(diagnostics, errors, paths of the files with errors): a :class:`Packed`'s
        first fields."""
        return self._count, self.errors, tuple(sorted(self.error_paths))

    def packed_parts(self) -> Iterator[bytes]:
        """The log as :func:`pack` blobs, one in memory at a time."""
        for part in (self._head, *self._parts, self._batch):
            if part:
                yield self._packed_bytes(part)

    def __iter__(self) -> Iterator[Diagnostic]:
        yield from self._head
        for part in list(self._parts):
            yield from part if isinstance(part, list) else unpack(self._packed_bytes(part))
        yield from list(self._batch)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("diagnostic index out of range")
        if index < len(self._head):
            return self._head[index]
        return next(itertools.islice(self, index, None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"DiagnosticLog({len(self)} diagnostics)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (DiagnosticLog, (list(self),))
