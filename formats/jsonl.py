"""JSON Lines: one canonical muscle per line, written as it goes (lossless, streaming)."""

from __future__ import annotations

import itertools
import json
import os
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

from converter import canonical
from converter.atomic import atomic_file
from converter.authoring import AT_KEY, Placer, Steps
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    KeptLine,
    MuscleError,
    check_unchanged,
    decode_utf8,
    kept_bytes_shown,
    not_at,
    open_stamp,
)
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext
from converter.safety import BadJson
from converter.slug import MAX_SLUG_LENGTH, is_slug
from converter.unmarked import decode_text, wide_codec


class JsonlFormat(canonical.LineRecords, Format):
    name = "jsonl"
    description = "JSON Lines, one muscle per line in input order (streams)"
    extensions = (".jsonl", ".ndjson")
    validates = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        """The muscles of the file's lines, read one line at a time; one
        ``changed-while-read`` error in place of all it said when the file was
        rewritten in place meanwhile (its lines may mix two versions)."""
        with path.open("rb") as fh:
            before = open_stamp(fh)
            yield from _lines_read(fh, path, ctx)
            check_unchanged(fh, before, str(path))

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where ``muscles[<slug>]...`` (as lints name a muscle's field) is: its line,
        and the column in it."""
        return self._place(path, field)

    def locate_key(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where the key that names ``muscles[<slug>]...`` is (its opening quote)."""
        return self._place(path, field, key=True)

    def _place(self, path: Path, field: str, key: bool = False) -> tuple[int, int] | None:
        """:meth:`locate`, or with ``key`` :meth:`locate_key`."""
        named = canonical.named_record(field)
        if named is None:
            return None
        try:
            st = os.stat(path)
            found = _lines(str(path), st.st_size, st.st_mtime_ns).get(named[0])
            if found is None:
                return None
            number, offset = found
            with open(path, "rb") as fh:
                fh.seek(offset)
                line = decode_utf8(fh.readline(), str(path), number)
        except (OSError, MuscleError):  # (a line that is not UTF-8: said where read)
            return None
        place = canonical.JsonPlaces(line).find(named[1].removeprefix("."), key)
        return number, place[1] if place else 1

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the record on line ``mark``: that
        line, and the column of the field's value in it."""
        named = canonical.named_record(field)
        if named is None:
            return None
        try:
            st = os.stat(path)
            starts = _starts(str(path), st.st_size, st.st_mtime_ns)
            with open(path, "rb") as fh:
                fh.seek(starts[mark - 1])
                line = decode_utf8(fh.readline(), str(path), mark)
        except (OSError, IndexError, MuscleError):  # (changed since it was read)
            return Place(str(path), mark, None, field)
        place = canonical.JsonPlaces(line).find(named[1].removeprefix("."))
        return Place(str(path), mark, place[1] if place else 1, field)

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        count = 0
        with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
            for _, record in records:
                fh.write(record)
                fh.write("\n")
                count += 1
        return canonical.written(count, out)


def _lines_read(fh: IO[bytes], path: Path, ctx: ReadContext) -> Iterator[Muscle]:
    """The muscles of the lines of the open file ``fh`` (see :meth:`JsonlFormat.read`),
    their problems said as each line is read."""
    place = -1  # (the record's among the file's records, from 0)
    lines = _Lines(fh)
    comma = _Comma(path, ctx)
    for number, raw in lines:
        ahead = _unit_rest(fh, raw) if number == 1 else b""
        try:
            line = decode_text(raw, str(path), ahead=ahead) if number == 1 else \
                decode_utf8(raw, str(path), number)
        except MuscleError as exc:  # (not UTF-8)
            if number == 1 and wide_codec(raw + ahead):  # (UTF-16 or UTF-32: said once)
                ctx.report(exc.diagnostics[0])
                return
            place += 1
            kept = decode_utf8(raw, str(path), number, keep=True)
            span = lines.span(kept)
            if span is None:
                _check_undecoded(raw, number, place, path, ctx, comma)
            else:
                _report_span(span, raw, number, path, ctx)
                comma.said(number + span.taken, span.comma)
            continue
        if not line.strip():
            continue
        place += 1
        try:
            record = canonical.loads(line)
        except BadJson as exc:
            unended = _without_comma(line)
            if unended is None:
                span = lines.span(line)
                records = _records(span)
                if span is None:
                    ctx.report(_bad_json(exc, line, number, path))
                elif records:  # (a JSON array of records: each read)
                    ctx.report(_array(span, len(records), number, path))
                    comma.said(number + span.taken, span.comma)
                    yield from _muscles(records, place, _Placed(span.text, number), path,
                                        ctx, listed=True)
                    place += len(records) - 1
                else:
                    _report_span(span, raw, number, path, ctx)
                    comma.said(number + span.taken, span.comma)
                continue
            record, line = unended
            comma.said(number, len(line) + 1)
        yield from _muscles([record], place, _Placed(line, number), path, ctx)


def _muscles(records: list[Any], place: int, placed: _Placed, path: Path,
             ctx: ReadContext, listed: bool = False) -> Iterator[Muscle]:
    """The muscles of ``records``, the file's from its ``place``-th on: the text
    ``placed`` finds, or with ``listed`` the items of the list it is; the problems of
    each said."""
    for at, record in enumerate(records):
        where = _record_name(record, place + at)
        item = at if listed else None
        ctx.mark = placed.number if item is None else \
            (placed.find("", False, item) or (placed.number, 0))[0]
        try:
            yield canonical.from_canonical(record, path=str(path), field=where,
                                           place=_placer(placed, item),
                                           writer_lang=ctx.default_lang)
        except MuscleError as exc:
            _report(exc, where, placed, ctx.mark, ctx, item=item)


#: How far :meth:`_Lines.span` reads ahead at most for the end of a record that spans
#: lines: in lines, and in characters (with the record's first line).
_AHEAD_LINES = 20_000
_AHEAD_CHARS = 2 << 20
#: How many characters :meth:`_Lines.span` looks at in a file at most, beyond
#: :data:`_AHEAD_CHARS`, for each byte of the lines read: the looks of a file of many
#: lines that each open a bracket no line closes cost no more than reading it.
_LOOKS_PER_BYTE = 8
_SPACE = re.compile(r"[ \t\n\r]*")
#: A JSON text (one not closed: to its line's end), or a bracket: what
#: :func:`_brackets` counts brackets among.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')


class _Span(NamedTuple):
    """A record that goes on over lines after its first (see :meth:`_Lines.span`)."""

    taken: int  # (how many lines after its first it goes on over)
    text: str  # (its lines, joined)
    mistake: BadJson | None  # (json's, in ``text``: a record broken)
    comma: int  # (the column of a comma after it in its last line; 0: none)
    closed: bool = True  # (False: its brackets do not balance)
    value: Any = None  # (what json reads of it, where it is JSON)


class _Lines:
    """The lines of an open file, numbered from 1, as bytes; lines that :meth:`span`
    read ahead and did not take are given again (no more than its bounds)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._ahead: deque[bytes] = deque()
        self._number = 0
        self._read = 0  # (bytes of the lines given and taken)
        self._looked = 0  # (characters :meth:`span` looked at)
        self._size = 0  # (characters of the lines :meth:`span` looks at now)

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        return self

    def __next__(self) -> tuple[int, bytes]:
        raw = self._ahead.popleft() if self._ahead else next(self._fh)
        self._number += 1
        self._read += len(raw)
        return self._number, raw

    def span(self, line: str) -> _Span | None:
        """The record that the current line (``line``, no JSON on its own) starts, an
        object or list it leaves open, where it goes on over the lines after it up to
        the one whose bracket closes it with nothing after that (but a comma, said by
        :class:`_Comma`): those lines taken, and
        json's mistake in them, if any (a comma left out: its brackets are counted as
        written). Its brackets do not balance where none closes it before the file's
        end or a line that starts a record (a bracket at its start), or where json
        finds a mistake in it and a line that starts deeper than it closes it (one
        inside it, a bracket missing): it is then the lines up to that line or the
        file's end. None (nothing taken) where it is one line, where no line ends it
        within :data:`_AHEAD_LINES` and :data:`_AHEAD_CHARS`, or one closes it with
        more after.
        """
        start = _space(line)
        if line[start:start + 1] not in ("{", "[") or len(line) > _AHEAD_CHARS or \
                self._looked > _AHEAD_CHARS + _LOOKS_PER_BYTE * self._read:
            return None
        depth, end = _brackets(line, 0, start)
        pieces, fresh, piece = [line], 0, ""
        self._size = len(line)  # (of ``pieces``)
        self._looked += len(line)
        while end < 0:
            piece = self._piece_ahead(pieces)
            if not piece:
                break
            fresh = fresh or (len(pieces) if piece[:1] in ("{", "[") else 0)
            pieces.append(piece)
            depth, end = _brackets(piece, depth)
        if end >= 0:
            after = _space(pieces[-1], end)
            comma = after + 1 if pieces[-1][after:after + 1] == "," else 0
            if _space(pieces[-1], after + (comma > 0)) < len(pieces[-1]):
                return None
            text = "".join(pieces)
            value, mistake = _parsed(text[:len(text) - len(pieces[-1]) + end])
            if mistake is None or not start < _space(pieces[-1]) == end - 1:
                return None if len(pieces) == 1 else \
                    self._taken(pieces, mistake, comma, value=value)
            closing = len(pieces)
            while not fresh:  # (closed by a line inside it: read on to the next record)
                piece = self._piece_ahead(pieces)
                if not piece:
                    break
                fresh = len(pieces) if piece[:1] in ("{", "[") else 0
                pieces.append(piece)
            if piece == "":  # (past the bounds: the lines that close it)
                return self._taken(pieces[:closing], mistake, comma)
        if not fresh and piece is not None:  # (no end found within the bounds)
            return None
        pieces = pieces[:fresh or len(pieces)]
        while not pieces[-1].strip():
            pieces.pop()
        if len(pieces) == 1:
            return None
        return self._taken(pieces, _parsed("".join(pieces))[1], 0, closed=False)

    def _piece_ahead(self, pieces: list[str]) -> str | None:
        """The text of the line after ``pieces`` (the current line and those read ahead
        after it), counted as looked at; None past the file's end, "" past
        :data:`_AHEAD_LINES` or :data:`_AHEAD_CHARS`."""
        piece = _decoded(self._line_ahead(len(pieces) - 1))
        if piece is None:
            return None
        if len(pieces) > _AHEAD_LINES or self._size + len(piece) > _AHEAD_CHARS:
            return ""
        self._size += len(piece)
        self._looked += len(piece)
        return piece

    def _taken(self, pieces: list[str], mistake: BadJson | None, comma: int,
               closed: bool = True, value: Any = None) -> _Span:
        """The record of ``pieces`` (see :meth:`span`), its lines after the first taken."""
        taken = len(pieces) - 1
        for _ in range(taken):
            self._read += len(self._ahead.popleft())
        self._number += taken
        return _Span(taken, "".join(pieces), mistake, comma, closed, value)

    def _line_ahead(self, at: int) -> bytes | None:
        """The line ``at`` (from 0) after the current one, read ahead; None past the end."""
        while len(self._ahead) <= at:
            raw = self._fh.readline()
            if not raw:
                return None
            self._ahead.append(raw)
        return self._ahead[at]


def _decoded(raw: bytes | None) -> str | None:
    """The text of a line read ahead (None for none), each byte that is not UTF-8 kept
    as :data:`~converter.diagnostics.KEPT_BYTE` (said where it is read)."""
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def _parsed(text: str) -> tuple[Any, BadJson | None]:
    """The JSON value of ``text`` (None where it is none), and json's mistake in it."""
    try:
        return canonical.loads(text), None
    except BadJson as exc:
        return None, exc


def _brackets(text: str, depth: int, at: int = 0) -> tuple[int, int]:
    """How deep in brackets the end of ``text`` from ``at`` is, ``depth`` deep before
    it (brackets in texts not counted), and where the bracket that closes the first
    ends (-1: none does): where a record ends as it is written, JSON or not."""
    for token in _TOKEN.finditer(text, at):
        bracket = text[token.start()]
        if bracket in "[{":
            depth += 1
        elif bracket in "]}":
            depth -= 1
            if depth <= 0:
                return 0, token.end()
    return depth, -1


def _space(text: str, at: int = 0) -> int:
    """Where the white space (JSON's) at ``text[at]`` ends."""
    found = _SPACE.match(text, at)
    return found.end() if found else at


def _report_span(span: _Span, raw: bytes, number: int, path: Path,
                 ctx: ReadContext) -> None:
    """Say the ``bad-json`` error of a record that starts on the line ``number`` (its
    bytes ``raw``) and goes on over lines (``span``), and a ``not-utf8`` error at the
    first byte that is not UTF-8 of each of its lines that holds one."""
    ctx.report(_spanned(span, number, path))
    for at, line in enumerate(span.text.splitlines(keepends=True)):
        if KEPT_BYTE.search(line):
            bytes_of = raw if at == 0 else line.encode("utf-8", "surrogateescape")
            ctx.report(KeptLine(line, bytes_of, str(path), number + at).at())


def _spanned(span: _Span, number: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of a record that starts on the line ``number`` and goes
    on over lines (``span``): at its first line, or at json's mistake in it (not at a
    byte that is not UTF-8: that byte's error says it)."""
    start = _space(span.text)
    lines = f"{number}-{number + span.taken}"
    what = "record" if span.text[start] == "{" else "list"
    if span.mistake is not None and span.mistake.line and KEPT_BYTE.match(
            span.text.split("\n")[span.mistake.line - 1], span.mistake.column - 1):
        span = span._replace(mistake=None)
    if not span.closed and (span.mistake is None or _at_end(span.text, span.mistake)):
        return Diagnostic(str(path), number, start + 1, "", "bad-json",
                          f"is not valid JSON Lines: the {what} starting here is not "
                          f"closed, its brackets do not balance (it spans lines {lines}); "
                          "each record must be on one line (as jq -c writes it)")
    if span.mistake is None:
        return Diagnostic(str(path), number, start + 1, "", "bad-json",
                          f"is not valid JSON Lines: the {what} starting here spans lines "
                          f"{lines}, and each record must be on one line (as jq -c "
                          "writes it)")
    line, column = (span.mistake.line, span.mistake.column) if span.mistake.line \
        else (1, start + 1)
    unbalanced = "" if span.closed else " and whose brackets do not balance"
    return Diagnostic(str(path), number + line - 1, column, "", "bad-json",
                      f"is not valid JSON: {span.mistake}, in a {what} that looks "
                      f"pretty-printed (it spans lines {lines}){unbalanced}; each record "
                      "must be on one line (as jq -c writes it)")


def _at_end(text: str, mistake: BadJson) -> bool:
    """Whether json's ``mistake`` in ``text`` is past its last character but white
    space (a bracket not closed: it found no more)."""
    lines = text.rstrip(" \t\n\r").split("\n")
    if not mistake.line or mistake.column is None:
        return True
    return (mistake.line, mistake.column) > (len(lines), len(lines[-1]))


def _records(span: _Span | None) -> list[dict] | None:
    """The records of ``span`` where it is a JSON array of objects (a JSON export, or
    ``jq .`` of one); None for any other."""
    value = None if span is None else span.value
    if not value or not isinstance(value, list) or \
            not all(isinstance(record, dict) for record in value):
        return None
    return value


def _array(span: _Span, count: int, number: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of a JSON array of ``count`` records (``span``) that
    starts on the line ``number``: at its bracket, saying how to make it JSON Lines."""
    return Diagnostic(str(path), number, _space(span.text) + 1, "", "bad-json",
                      f"is not valid JSON Lines: the list starting here (it spans lines "
                      f"{number}-{number + span.taken}) is a JSON array of {count} "
                      "records, not one record per line; they are read as if each were "
                      "on a line of its own (write them so with jq -c '.[]')")


def _without_comma(line: str) -> tuple[dict, str] | None:
    """The record of ``line``, a JSON object with a comma after it (records pasted from
    a JSON list), and ``line`` cut before that comma; None for a line that is no such."""
    text = line.rstrip(" \t\n\r")
    if not text.endswith(","):
        return None
    try:
        record = canonical.loads(text[:-1])
    except BadJson:
        return None
    return (record, text[:-1]) if isinstance(record, dict) else None


class _Comma:
    """The one ``bad-json`` error of a file whose records end with a comma (pasted from
    a JSON list, ``{...},``): at the first such comma. The records are read without
    it: each is whole JSON, and the comma holds nothing, so nothing is guessed."""

    def __init__(self, path: Path, ctx: ReadContext) -> None:
        self._path, self._ctx, self._said = path, ctx, False

    def said(self, line: int, column: int) -> None:
        """Say the error at the comma at ``line`` and ``column`` (0: none), the first."""
        if column and not self._said:
            self._said = True
            self._ctx.report(Diagnostic(
                str(self._path), line, column, "", "bad-json",
                "is not valid JSON Lines: records must not end with a comma, as this one "
                "does (said once for the file, at the first; they are read as if they "
                "had none)"))


def _unit_rest(fh: IO[bytes], raw: bytes) -> bytes:
    """The bytes after the line ``raw`` just read from ``fh`` that end its last unit of
    four (none kept read): a line of UTF-16 or UTF-32 little-endian, read to its line
    feed's byte, leaves that letter's NULs to the next line."""
    at = fh.tell()
    rest = fh.read(-len(raw) % 4)
    fh.seek(at)
    return rest


def _bad_json(exc: BadJson, line: str, number: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of the line ``number`` (past the line's end: at its end)."""
    column = exc.column if (exc.line or 1) == 1 else len(line.rstrip("\r\n")) + 1
    return Diagnostic(str(path), number, column, "", "bad-json", f"is not valid JSON: {exc}")


class _Placed:
    """Where the values of a record are in the file: in ``text``, valid JSON that starts
    on the line ``number``, the record itself or, by ``item``, an item of the list it is
    (walked on the first place asked, once for all its items)."""

    def __init__(self, text: str, number: int) -> None:
        self._text, self.number = text, number
        self._places: canonical.JsonPlaces | None = None

    def find(self, field: str, key: bool, item: int | None = None,
             steps: Steps | None = None) -> tuple[int, int] | None:
        """(line, column) in the file of ``field`` (as diagnostics name it, from the
        record), or of ``steps`` where given (see :class:`~converter.canonical.JsonPlaces`)."""
        if self._places is None:
            self._places = canonical.JsonPlaces(self._text)
        if steps is not None:
            found = self._places.find_steps(steps if item is None else (item, *steps), key)
        else:
            found = self._places.find(field if item is None else f"[{item}]{field}", key)
        return None if found is None else (self.number + found[0] - 1, found[1])


def _report(failure: MuscleError, where: str, placed: _Placed, number: int,
            ctx: ReadContext, errors: Iterable[Diagnostic] = (),
            item: int | None = None) -> None:
    """Say the errors of the record ``where`` on the line ``number`` (its text as
    ``placed`` finds it, there the ``item``-th of a list, else the whole) and the lints
    of its valid fields (none at a field the reader's ``errors`` are about), each at
    its line and column."""
    for d in [*failure.diagnostics, *ctx.lints(failure, where, errors)]:
        line, column = (d.line, d.column) if d.line is not None else placed.find(
            d.field.removeprefix(where), d.code in AT_KEY, item) or (number, None)
        ctx.report(d._replace(line=line, column=column))


def _placer(placed: _Placed, item: int | None = None) -> Placer:
    """Where a value of a record is (see :func:`_report`), by the keys and indexes that
    lead to it in the record."""
    return lambda steps, key: placed.find("", key, item, steps)


def _check_undecoded(raw: bytes, number: int, place: int, path: Path,
                     ctx: ReadContext, comma: _Comma) -> None:
    """Say the ``not-utf8`` errors of the line ``number`` (its bytes ``raw``), the
    ``place``-th record: one at each text holding such a byte, named by its field, when
    the line is JSON with its bytes in texts (a comma after it as after any record:
    said by ``comma``); else one at its first byte, and its
    ``bad-json`` error when that is elsewhere. The record is left out, but its other
    problems and the lints of its valid fields are said, checked with each such byte
    U+FFFD (made for such a line only); a text holding one has none of its own."""
    line = decode_utf8(raw, str(path), number, keep=True)
    bytes_at = KeptLine(line, raw, str(path), number)
    try:
        kept = canonical.loads(line)
    except BadJson as exc:  # (a byte where no text is, or another mistake)
        unended = _without_comma(line)
        if unended is None:
            ctx.report(bytes_at.at())
            bad = _bad_json(exc, line, number, path)
            if bad.column is None or not KEPT_BYTE.match(line, bad.column - 1):
                ctx.report(bad)
            return
        kept, line = unended
        comma.said(number, len(line) + 1)
    where = _record_name(kept, place)
    places = canonical.JsonPlaces(line)
    undecoded = [bytes_at.at(_start(field, places, where))._replace(field=field)
                 for field, _ in canonical.kept_byte_texts(kept, where)] or [bytes_at.at()]
    for diagnostic in undecoded:
        ctx.report(diagnostic)
    fields = [d.field for d in undecoded if d.field not in ("", where)]  # (not a text)
    try:
        muscle = canonical.from_canonical(canonical.loads(kept_bytes_shown(line)),
                                          path=str(path), field=where,
                                          writer_lang=ctx.default_lang)
    except MuscleError as exc:
        failure = MuscleError(not_at(exc.diagnostics, fields), exc.partial)
    else:
        failure = MuscleError([], muscle)
    _report(failure, where, _Placed(line, number), number, ctx, undecoded)


def _start(field: str, places: canonical.JsonPlaces, where: str) -> int:
    """Where in its line the value of ``field`` (a text holding a byte that is not
    UTF-8) starts: of the nearest part of it found (a key holding one: its map's)."""
    found = None
    while found is None and field != where:
        found = places.find(field.removeprefix(where))
        field = _parent(field)
    return found[1] - 1 if found else 0  # (a line of JSON Lines: on line 1 of it)


def _parent(field: str) -> str:
    """The field holding ``field`` (``muscles[a].origin`` of ``muscles[a].origin.da``)."""
    return field[:max(field.rfind("."), field.rfind("["))]


def _record_name(record: Any, place: int) -> str:
    """How a record's own problems name it: ``muscles[<slug>]``, as the lints name its
    muscle, or by its ``place`` among the file's records (``muscles[3]``, from 0, as
    JSON names them) when its slug is not one (its line is in the diagnostic)."""
    slug = record.get("slug") if isinstance(record, dict) else None
    if isinstance(slug, str) and is_slug(slug) and len(slug) <= MAX_SLUG_LENGTH:
        return f"muscles[{slug}]"
    return f"muscles[{place}]"


@lru_cache(maxsize=1)  # (the last file with a slug twice: asked once per record)
def _starts(path: str, size: int, mtime_ns: int) -> list[int]:
    """The byte offset of each line of the file (of line ``n`` at ``n - 1``)."""
    found = [0]
    with open(path, "rb") as fh:
        found.extend(itertools.accumulate(map(len, fh)))
    return found


@lru_cache(maxsize=1)  # (the last file asked about: lints ask many times)
def _lines(path: str, size: int, mtime_ns: int) -> _SlugLines:
    """Where each slug's line is in the file (see :class:`_SlugLines`)."""
    return _SlugLines(path)


class _SlugLines:
    """slug -> (line number, byte offset) of its line in a JSON Lines file, None for a
    slug of more than one line (which of them a diagnostic means is not known). Kept
    small: per line with a slug, its hash, number and offset, in arrays sorted by hash
    (24 bytes a line; a dict of the slugs of 40,000 lines took 8 MB). Lines whose slugs
    share a hash are read again to tell them apart; a slug the file does not have is
    taken for one that has its hash (1 in 2**64, as the corpus lint's text digests)."""

    def __init__(self, path: str) -> None:
        self._path = path
        hashes, numbers, offsets = array("q"), array("L"), array("Q")
        offset = 0
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                slug = _slug_of(raw)
                if slug is not None:
                    hashes.append(hash(slug))
                    numbers.append(number)
                    offsets.append(offset)
                offset += len(raw)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", (hashes[i] for i in order))
        self._numbers = array("L", (numbers[i] for i in order))
        self._offsets = array("Q", (offsets[i] for i in order))

    def get(self, slug: str) -> tuple[int, int] | None:
        """(line number, byte offset) of the one line whose slug is ``slug``."""
        key = hash(slug)
        low = bisect_left(self._hashes, key)
        high = bisect_right(self._hashes, key, low)
        found = [(self._numbers[i], self._offsets[i]) for i in range(low, high)]
        if len(found) > 1:  # (a slug twice, or two slugs of one hash)
            found = [at for at in found if self._slug_at(at[1]) == slug]
        return found[0] if len(found) == 1 else None

    def _slug_at(self, offset: int) -> str | None:
        with open(self._path, "rb") as fh:
            fh.seek(offset)
            return _slug_of(fh.readline())


def _slug_of(raw: bytes) -> str | None:
    """The slug of the JSON object on the line ``raw`` (a comma after it, as read: see
    :class:`_Comma`); None when it has none."""
    text = raw.rstrip(b" \t\n\r")
    try:
        slug = json.loads(text[:-1] if text.endswith(b",") else text).get("slug")
    except (ValueError, AttributeError, RecursionError):  # (no JSON object)
        return None
    return slug if isinstance(slug, str) else None
