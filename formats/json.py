"""One JSON document ``{"$schema": ..., "muscles": [...]}``, sorted by slug (lossless)."""

from __future__ import annotations

import codecs
import json
import os
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any

from converter import canonical, meant
from converter.atomic import atomic_file
from converter.authoring import AT_KEY, Placer, Steps
from converter.diagnostics import (
    Diagnostic,
    FileStamp,
    MuscleError,
    check_unchanged,
    decode_utf8,
    error,
    open_stamp,
    wide_encoding,
)
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext
from converter.safety import BadJson, keys_twice
from converter.spool import SortedSpool
from converter.unmarked import decode_text, file_not_text


class JsonFormat(canonical.LineRecords, Format):
    name = "json"
    description = "one JSON document of all muscles, sorted by slug"
    extensions = (".json",)
    validates = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        """Stream the records of the ``muscles`` list, one held at a time, in one pass
        over the file (see :class:`_Reading`); a document that is broken, not UTF-8, of
        another shape or gives a key of its own twice is said from the stream as when
        it is read whole (read whole only where it cannot: nested deeper than it goes,
        where json names no mistake). The
        pass also finds where each record starts, which :meth:`locate` then takes
        instead of a pass of its own."""
        with path.open("rb") as fh:
            yield from _Reading(path, fh, ctx).muscles()

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where ``muscles[<slug>]...`` (as lints name a muscle's field) is."""
        return _located(path, field)

    def locate_key(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where the key that names ``muscles[<slug>]...`` is (its opening quote)."""
        return _located(path, field, key=True)

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the record ``mark`` of the list (its
        place in it, from 0): the line and column of the field's value, found by reading
        that record again (where it starts: see :class:`_Index`)."""
        named = canonical.named_record(field)
        if named is None:
            return None
        index = _index_of(path)
        at = (_whole_place(path, mark, named) if index is None
              else _record_place(path, index, mark, named[1]))
        return None if at is None else Place(str(path), *at, field)

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        """Stream: each record is parked on disk and copied out in slug order, so
        memory holds only the slugs."""
        with SortedSpool(("record",)) as spool:
            for slug, record in records:
                spool.add(slug, record=record)
            with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(f'{{"$schema":{json.dumps(canonical.SCHEMA_ID)},"muscles":[')
                for i, record in enumerate(spool.sorted("record")):
                    fh.write(f",\n{record}" if i else f"\n{record}")
                fh.write("\n]}\n")
            return canonical.written(len(spool), out)


def _located(path: Path, field: str, key: bool = False) -> tuple[int, int] | None:
    """Where ``muscles[<slug>]...`` is: its value, or with ``key`` the key naming it."""
    named = canonical.named_record(field)
    if named is None:
        return None
    index = _index_of(path)
    if index is None:
        return _whole_place(path, None, named, key)
    try:
        mark = index.get(named[0])
    except (OSError, IndexError, _Whole):  # (changed since it was read)
        return None
    return None if mark is None else _record_place(path, index, mark, named[1], key)


def _read_whole(path: Path, ctx: ReadContext, raw: bytes | None = None, done: int = 0,
                said: Sequence[Diagnostic] = ()) -> Iterator[Muscle]:
    """The document (``raw``, else the file's bytes) read whole: its diagnostics where
    the stream cannot read it. Its first ``done`` records, which the stream read and
    whose diagnostics are ``said``, are not read again."""
    raw = path.read_bytes() if raw is None else raw
    text = decode_text(raw, str(path))
    try:
        data = canonical.loads(text)
    except BadJson as exc:
        raise error(str(path), "bad-json", f"is not valid JSON: {exc}", line=exc.line,
                    column=exc.column) from None
    if not isinstance(data, dict) or not isinstance(data.get("muscles"), list):
        raise error(str(path), "bad-json", 'expected an object with a "muscles" list')
    twice = keys_twice(data)
    if twice:  # ("muscles" twice: which list was meant?) (at the last such key)
        line, column = canonical.JsonPlaces(text).find_steps((twice[0],), key=True) \
            or (None, None)
        raise error(str(path), "duplicate-key", f"duplicate key {twice[0]!r}",
                    twice[0], line=line, column=column)
    places = canonical.JsonPlaces(text)  # (it walks the text on the first problem only)
    for problem in _top_level(data, str(path)):
        line, column = places.find_steps((problem.field,), problem.code in AT_KEY) \
            or (None, None)
        ctx.report(problem._replace(line=line, column=column))
    for diagnostic in said:
        ctx.report(diagnostic)
    for i, record in islice(enumerate(data["muscles"]), done, None):
        ctx.mark = i
        try:
            yield canonical.from_canonical(
                record, path=str(path), field=f"muscles[{i}]",
                place=lambda steps, key, i=i: places.find_steps(("muscles", i, *steps), key),
                writer_lang=ctx.default_lang)
        except MuscleError as exc:
            for diagnostic in [*exc.diagnostics, *ctx.lints(exc, f"muscles[{i}]")]:
                line, column = (diagnostic.line, diagnostic.column) \
                    if diagnostic.line is not None else places.find(
                        diagnostic.field, diagnostic.code in AT_KEY) or (None, None)
                ctx.report(diagnostic._replace(line=line, column=column))


class _Whole(Exception):
    """The stream cannot read the document as it is: it is read whole."""


class _NotUtf8(_Whole):
    """The file's bytes are not UTF-8 (or are UTF-16 or UTF-32, by their byte order
    mark, or may be, a NUL among its first): its ``not-utf8`` error is found by reading
    them again, none kept (see :func:`~converter.unmarked.file_not_text`)."""


class _Shape(_Whole):
    """The document is JSON, read to its end, but no object of a ``muscles`` list, or it
    gives a key of its own twice: its error (``args``: code, message, and field, line
    and column if any), which a JSON mistake or a byte not UTF-8 anywhere in it comes
    before, as when it is read whole."""


class _Broken(_Whole):
    """The document is no JSON at the stream's ``at``: its error is found from there
    (see :func:`_broken`), else it is read whole."""


#: How much of the file the stream reads at a time, in bytes.
_CHUNK = 1 << 16
#: How far past a mistake json reads at most to name it (``-Infinity``, ``\\u00e9``): a
#: mistake named further from the end of the text read is no text cut short.
_REACH = 16


class _Stream:
    """The text of a JSON file, read a chunk at a time: ``text`` from ``at`` is what is
    not taken yet, ``line`` and ``column`` (1-based) where ``text`` starts."""

    def __init__(self, fh: IO[bytes], line: int = 1, column: int = 1,
                 chunk: int | None = None) -> None:
        self._fh, self._chunk = fh, chunk  # (bytes read at a time: None for _CHUNK)
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.at, self.ended = "", 0, False
        #: The shortest JSON text that leaves json where the stream is (``{"k":[0,``
        #: after a record and its comma): json's error of it and the text from ``at``
        #: is its error of the whole document (see :func:`_broken`).
        self.skeleton = ""
        self.line, self.column = line, column
        if fh.tell() == 0:  # (a byte order mark is no text: UTF-16's is the error)
            head = fh.read(4)
            if wide_encoding(head) or b"\0" in head:  # (a NUL: UTF-16 with no mark?)
                raise _NotUtf8
            fh.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        #: The byte offset in the file of ``text``'s start.
        self.offset = fh.tell()
        #: (index, line, column, byte offset) of the last place asked for in ``text``:
        #: places asked for in order are counted from there, not from ``text``'s start.
        self._known = (0, line, column, self.offset)

    def more(self, at_least: int = 0) -> bool:
        """Read the next chunk, or ``at_least`` characters' bytes if more (what is taken
        let go of); False at the file's end."""
        if self.ended:
            return False
        raw = self._fh.read(max(self._chunk or _CHUNK, at_least))
        try:
            text = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError:
            raise _NotUtf8 from None
        self.ended = not raw
        self.line, self.column, self.offset = self._where(self.at)
        self.text, self.at = self.text[self.at:] + text, 0
        self._known = (0, self.line, self.column, self.offset)
        return True

    def place(self, index: int) -> tuple[int, int]:
        """(line, column) of ``text[index]`` in the file."""
        return self._where(index)[:2]

    def byte(self, index: int) -> int:
        """The byte offset in the file of ``text[index]``."""
        return self._where(index)[2]

    def _where(self, index: int) -> tuple[int, int, int]:
        """(line, column, byte offset) of ``text[index]`` in the file."""
        at, line, column, offset = self._known
        if index < at:
            at, line, column, offset = 0, self.line, self.column, self.offset
        piece = self.text[at:index]
        lines = piece.count("\n")
        column = index - self.text.rfind("\n", at, index) if lines else column + index - at
        offset += len(piece.encode("utf-8", "surrogatepass"))
        self._known = (index, line + lines, column, offset)
        return line + lines, column, offset

    def char(self) -> str:
        """The next character that is not white space ("" at the file's end)."""
        while True:
            self.at = canonical.JSON_SPACE.match(self.text, self.at).end()
            if self.at < len(self.text) or not self.more():
                return self.text[self.at:self.at + 1]

    def expect(self, chars: str) -> str:
        """Take the next character, one of ``chars``."""
        found = self.char()
        if not found or found not in chars:
            raise _Broken
        self.at += 1
        return found

    def value(self) -> tuple[Any, int, int]:
        """The next JSON value, taken, and where it starts and ends in ``text``."""
        self.char()
        while True:
            try:
                value, end = canonical.raw_decode(self.text, self.at)
            except (ValueError, RecursionError) as exc:
                if _named_early(exc, len(self.text)):  # (no value cut short: broken)
                    raise _Broken from None
                end = None
            if end is not None and (end < len(self.text) or self.ended):
                start, self.at = self.at, end
                return value, start, end
            # (a value cut at the chunk's end: read on, as much again as it has so far,
            # so that a value of n bytes is parsed O(log n) times, not O(n / chunk))
            if not self.more(len(self.text) - self.at):
                raise _Broken

    def check_rest(self) -> None:
        """Check that the rest of the file, past what is read, is UTF-8 (read, not kept):
        ``_NotUtf8`` where it is not."""
        try:
            while not self.ended:
                raw = self._fh.read(_CHUNK)
                self._decoder.decode(raw, final=not raw)
                self.ended = not raw
        except UnicodeDecodeError:
            raise _NotUtf8 from None


def _named_early(exc: Exception, size: int) -> bool:
    """Whether json's error ``exc`` of a text of ``size`` characters is one that no more
    text after it would change: a mistake it names short of :data:`_REACH` from the
    end (but a string not ended), or nesting too deep."""
    if not isinstance(exc, json.JSONDecodeError):
        return isinstance(exc, RecursionError)
    return exc.pos + _REACH < size and not exc.msg.startswith("Unterminated string")


def _keys(stream: _Stream, places: dict[str, tuple[int, int]] | None = None
          ) -> Iterator[tuple[str | None, Any, int, int]]:
    """(key, value, start, end) of each key of the document's object, but that the
    value of ``muscles`` is ``None``, its records (``None, record, ...``) after it. A
    document of another shape, or that gives a key of its own twice, is read on to its
    end, its values not kept (see :func:`_take`), for its ``_Shape``. ``places``, when
    given, gets the place of each key (the last if given twice)."""
    stream.skeleton = ""
    if stream.char() != "{":  # (JSON of another shape, or no JSON)
        _take(stream)
        _end(stream)
        raise _Shape(*_NO_LIST)
    stream.at += 1
    places = {} if places is None else places  # (of each key, the last if given twice)
    twice: str | None = None  # (the first key given again)
    muscles = False  # (whether the last value of "muscles" is a list)
    stream.skeleton = "{"
    while stream.char() != "}" or places:  # ({} ends at once; past a comma, a key)
        if stream.char() != '"':
            raise _Broken
        key, quote, _ = stream.value()
        if twice is None and key in places:
            twice = key
        places[key] = stream.place(quote)  # (before the text read on lets it go)
        stream.skeleton = '{"k"'
        stream.expect(":")
        listed = stream.char() == "["
        start = stream.at
        stream.skeleton = '{"k":'
        if twice is not None or (key == "muscles" and not listed):  # (only checked)
            _take(stream)
        elif key == "muscles":
            stream.at += 1
            yield key, None, start, start
            yield from _records(stream)
        else:
            yield key, *stream.value()
        if key == "muscles":
            muscles = listed
        stream.skeleton = '{"k":0'
        if stream.expect(",}") == "}":
            break
        stream.skeleton = '{"k":0,'
    else:
        stream.at += 1
    _end(stream)
    if not muscles:
        raise _Shape(*_NO_LIST)
    if twice is not None:  # (placed as read whole: at its last key)
        raise _Shape("duplicate-key", f"duplicate key {twice!r}", twice, *places[twice])


#: The ``_Shape`` of a document that is JSON but no object of a ``muscles`` list.
_NO_LIST = ("bad-json", 'expected an object with a "muscles" list')


def _end(stream: _Stream) -> None:
    """Check that nothing but white space follows the document's value."""
    stream.skeleton = "{}"
    if stream.char():
        raise _Broken


def _take(stream: _Stream) -> None:
    """Take the next value, not kept: parsed at once where it is whole in the text read,
    else an array or object a member at a time, so that memory holds one member, not
    a list of 200 MB; ``_Broken`` where it is no JSON. The stream's skeleton is json's
    state before the value, and is kept up to date inside it."""
    base, kinds = stream.skeleton, ""  # (kinds: "[" or "{" of each container entered)
    while True:  # (at a value)
        if not _taken(stream):  # (a container longer than what is read: entered)
            if len(kinds) >= _DEEP:  # (json's error of the whole, from here)
                raise _Broken
            kinds += stream.text[stream.at]
            stream.at += 1
            if _entered(stream, base + "".join(_MEMBER[k] for k in kinds[:-1]), kinds[-1]):
                continue
            kinds = kinds[:-1]
        while kinds:  # (after a value: the containers it ends)
            outer = base + "".join(_MEMBER[k] for k in kinds[:-1])
            stream.skeleton = outer + _MEMBER[kinds[-1]] + "0"
            if stream.expect("," + _CLOSE[kinds[-1]]) == ",":
                stream.skeleton += ","
                if kinds[-1] == "{":
                    _key(stream, outer)
                break
            kinds = kinds[:-1]
        else:
            return


#: How many containers deep :func:`_take` enters at most, well short of where json
#: stops as nested too deeply (about 1,000): deeper, json says what the whole is.
_DEEP = 200
#: The skeleton of a container that json is in a member of, and the end of each.
_MEMBER, _CLOSE = {"[": "[", "{": '{"k":'}, {"[": "]", "{": "}"}


def _entered(stream: _Stream, outer: str, kind: str) -> bool:
    """Whether the container ``kind`` whose start the stream has just taken has a
    member: then the stream is at its first value (past its key); else its end is
    taken. ``outer`` is the skeleton of the containers it is in."""
    stream.skeleton = outer + kind
    if stream.char() == _CLOSE[kind]:
        stream.at += 1
        return False
    if kind == "{":
        _key(stream, outer)
    return True


def _key(stream: _Stream, outer: str) -> None:
    """Take a key of an object in the containers ``outer`` and its colon."""
    if stream.char() != '"':
        raise _Broken
    stream.value()
    stream.skeleton = outer + '{"k"'
    stream.expect(":")
    stream.skeleton = outer + '{"k":'


def _taken(stream: _Stream) -> bool:
    """Take the next value where it is whole in the text read (a text or number read on
    until it is, as :meth:`_Stream.value` does); False, not taken, for an array or
    object that is not."""
    stream.char()
    while True:
        try:
            _, end = canonical.raw_decode(stream.text, stream.at)
        except (ValueError, RecursionError) as exc:
            if _named_early(exc, len(stream.text)):
                raise _Broken from None
            end = None
        if end is not None and (end < len(stream.text) or stream.ended):
            stream.at = end
            return True
        if stream.text[stream.at:stream.at + 1] in ("[", "{"):
            return False
        if not stream.more(len(stream.text) - stream.at):
            raise _Broken


def _records(stream: _Stream) -> Iterator[tuple[None, Any, int, int]]:
    """The records of the ``muscles`` list, its ``[`` taken."""
    stream.skeleton = '{"k":['
    if stream.char() == "]":
        stream.at += 1
    else:
        while True:
            yield None, *stream.value()
            stream.skeleton = '{"k":[0'
            if stream.expect(",]") == "]":
                break
            stream.skeleton = '{"k":[0,'
    stream.skeleton = '{"k":[]'


def _broken(stream: _Stream, path: str) -> MuscleError | None:
    """The ``bad-json`` error of a document the stream found broken at its ``at``: json's
    own of the stream's skeleton and the text from there, read on (as much again each
    time) only until json names a mistake that no text after it would change, at its
    place in the file; None where json finds no mistake (nested deeper than the stream
    goes: read whole). ``_NotUtf8`` where the text read on is not UTF-8."""
    while True:
        text = stream.skeleton + stream.text[stream.at:]
        try:
            canonical.loads(text)
        except BadJson as exc:
            if stream.ended or _settled(exc, text):
                return _placed(exc, stream, path)
        else:
            if stream.ended:
                return None
        stream.more(len(stream.text) - stream.at)


def _settled(exc: BadJson, text: str) -> bool:
    """Whether json's error ``exc`` of ``text`` is one no text after it would change
    (see :func:`_named_early`), told by its line and column."""
    if exc.line is None or exc.column is None:  # (nested too deeply: read shallow where
        return False  # it ends, so this one is cut short)
    if str(exc).startswith("Unterminated string"):
        return False
    reach = max(len(text) - _REACH, 0)
    return (exc.line, exc.column) < (text.count("\n", 0, reach) + 1,
                                     reach - text.rfind("\n", 0, reach))


def _placed(exc: BadJson, stream: _Stream, path: str) -> MuscleError:
    """The ``bad-json`` error ``exc`` of the stream's skeleton and its text from ``at``,
    at its place in the file."""
    line, column = exc.line, exc.column
    if line is not None and column is not None:
        first_line, first_column = stream.place(stream.at)
        if line == 1:
            column = first_column + column - 1 - len(stream.skeleton)
        line += first_line - 1
    return error(path, "bad-json", f"is not valid JSON: {exc}", line=line, column=column)


class _Reading:
    """One pass over a JSON document (``fh``, open at its start): its muscles, its own
    keys' problems and its records' (said once the pass has found all of the former:
    the document's come first, as when it is read whole), and where each record
    starts, kept for :meth:`JsonFormat.locate` when the file did not change meanwhile.
    Where the stream cannot go on, the rest is read whole from the same open file."""

    def __init__(self, path: Path, fh: IO[bytes], ctx: ReadContext) -> None:
        self.path, self.fh, self.ctx = path, fh, ctx
        self.said: list[Diagnostic] = []  # (the records' diagnostics)
        self.done = 0  # (the records read)
        self.top: dict[str, Any] = {}
        self.places: dict[str, tuple[int, int]] = {}  # (of the values of the keys)
        self.key_places: dict[str, tuple[int, int]] = {}  # (of the keys)
        self.index = _Index(str(path))

    def muscles(self) -> Iterator[Muscle]:
        """The muscles of the document, read in one pass (see the class); one
        ``changed-while-read`` error, and no other, when the file was rewritten in
        place meanwhile (what was read may mix two versions)."""
        before = open_stamp(self.fh)
        try:
            yield from self._pass(before)
        except MuscleError:  # (a mistake of a mix of two versions is neither's)
            check_unchanged(self.fh, before, str(self.path))
            raise

    def _pass(self, before: FileStamp) -> Iterator[Muscle]:
        """:meth:`muscles`, the file's stamp ``before`` it was read."""
        try:
            yield from self._streamed()
        except _Whole:
            self.fh.seek(0)
            raw = self.fh.read()
            check_unchanged(self.fh, before, str(self.path))
            yield from _read_whole(self.path, self.ctx, raw, self.done, self.said)
            return
        check_unchanged(self.fh, before, str(self.path))
        for problem in _top_level(self.top, str(self.path)):
            line, column = (self.key_places if problem.code in AT_KEY
                            else self.places)[problem.field]
            self.ctx.report(problem._replace(line=line, column=column))
        for diagnostic in self.said:
            self.ctx.report(diagnostic)
        _keep_index((str(self.path), *_stamp(os.fstat(self.fh.fileno()))),
                    self.index.sorted())

    def _streamed(self) -> Iterator[Muscle]:
        """The muscles of the stream's pass (see :meth:`_pass`); the document's error
        where the stream finds one (see :meth:`_refuse`), ``_Whole`` where it is to
        be read whole."""
        try:
            try:
                stream = _Stream(self.fh)
                for key, value, start, end in _keys(stream, self.key_places):
                    if key is not None:
                        self.top[key] = [] if key == "muscles" else value
                        self.places[key] = stream.place(start)
                    else:
                        yield from self._record(stream, value, start, end)
            except _Broken:
                self._refuse(stream)
            except _Shape as shape:
                raise error(str(self.path), *shape.args) from None
        except _NotUtf8:  # (said as read whole: at the file's first such byte)
            raise file_not_text(self.fh, str(self.path)) or _Whole from None

    def _refuse(self, stream: _Stream) -> None:
        """Raise the ``bad-json`` error of a document the stream found broken (see
        :func:`_broken`), or ``_NotUtf8`` for a file with a byte that is not UTF-8 (its
        ``not-utf8`` error comes first); ``_Whole`` where json finds no mistake."""
        broken = _broken(stream, str(self.path))
        if broken is None:
            raise _Whole
        stream.check_rest()
        raise broken

    def _record(self, stream: _Stream, record: Any, start: int, end: int
                ) -> Iterator[Muscle]:
        """The muscle of the record at ``start`` to ``end`` of the stream's text, or its
        problems (at their places) kept to be said."""
        line, column = stream.place(start)
        self.index.add(record, stream.byte(start), line, column)
        self.ctx.mark, where = self.done, f"muscles[{self.done}]"
        self.done += 1
        try:
            muscle = canonical.from_canonical(record, path=str(self.path), field=where,
                                              place=_placer(stream, start, end),
                                              writer_lang=self.ctx.default_lang)
        except MuscleError as exc:
            places = canonical.JsonPlaces(stream.text[start:end])
            self.said += [d if d.line is not None else
                          d._replace(**_at(stream, start, places, d, where))
                          for d in [*exc.diagnostics, *self.ctx.lints(exc, where)]]
            return
        yield muscle


def _placer(stream: _Stream, start: int, end: int) -> Placer:
    """Where a value of the record at ``start`` to ``end`` of the stream's text is in
    the file, by the keys and indexes that lead to it in the record (its text taken
    and walked on the first asked, a problem)."""
    made: list[canonical.JsonPlaces] = []

    def place(steps: Steps, key: bool) -> tuple[int, int] | None:
        if not made:
            made.append(canonical.JsonPlaces(stream.text[start:end]))
        return _in_file(stream, start, made[0].find_steps(steps, key))

    return place


def _stamp(st: os.stat_result) -> tuple[int, int]:
    """(size, modification time in ns) of a file's status: what a kept index is of."""
    return st.st_size, st.st_mtime_ns


def _at(stream: _Stream, start: int, places: canonical.JsonPlaces, d: Diagnostic,
        where: str) -> dict[str, int | None]:
    """The line and column of the field of ``d`` in the record ``where``, whose text
    starts at ``start`` of the stream's text (of its key, for a problem of the key)."""
    field = d.field
    found = places.find(field[len(where):], d.code in AT_KEY) if field.startswith(where) \
        else None
    line, column = _in_file(stream, start, found) or (None, None)
    return {"line": line, "column": column}


def _in_file(stream: _Stream, start: int, found: tuple[int, int] | None
             ) -> tuple[int, int] | None:
    """A place ``found`` in a record whose text starts at ``start`` of the stream's
    text, as a place in the file."""
    if found is None:
        return None
    line, column = stream.place(start)
    if found[0] == 1:
        return line, column + found[1] - 1
    return line + found[0] - 1, found[1]


class _Index:
    """Where each record of a JSON document starts (byte offset, line, column), and
    which record each slug is (by the slug's hash, as JSON Lines keeps its slugs: 40
    bytes a record, not the document's text and a dict of its slugs). Made by the
    reader's pass (:meth:`add` of each record, then :meth:`sorted`), or by
    :meth:`of_file`'s own where the file was not read in this process."""

    def __init__(self, path: str) -> None:
        self._path = path
        self.offsets, self.lines, self.columns = array("Q"), array("L"), array("L")
        self._hashes, self._numbers = array("q"), array("L")
        self._last: tuple[int, _Stream, int, canonical.JsonPlaces] | None = None

    @classmethod
    def of_file(cls, path: str) -> _Index:
        """The index of the file at ``path``, from a pass over it."""
        index = cls(path)
        with open(path, "rb") as fh:
            stream = _Stream(fh)
            for key, record, start, _ in _keys(stream):
                if key is None:
                    index.add(record, stream.byte(start), *stream.place(start))
        return index.sorted()

    def add(self, record: Any, offset: int, line: int, column: int) -> None:
        """Add the next record, which starts at byte ``offset``, ``line`` and ``column``."""
        slug = _slug_of(record)
        if slug is not None:
            self._hashes.append(hash(slug))
            self._numbers.append(len(self.offsets))
        self.offsets.append(offset)
        self.lines.append(line)
        self.columns.append(column)

    def sorted(self) -> _Index:
        """This index, its slugs' hashes sorted to be looked up (once all are added)."""
        hashes, numbers = self._hashes, self._numbers
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("q", (hashes[i] for i in order))
        self._numbers = array("L", (numbers[i] for i in order))
        return self

    def get(self, slug: str) -> int | None:
        """The number of the one record whose slug is ``slug`` (None for none, or a
        slug of more than one record: which of them a diagnostic means is not known)."""
        key = hash(slug)
        low = bisect_left(self._hashes, key)
        found = list(self._numbers[low:bisect_right(self._hashes, key, low)])
        if len(found) > 1:  # (a slug twice, or two slugs of one hash)
            found = [n for n in found if _slug_of(self.record(n)[0]) == slug]
        return found[0] if len(found) == 1 else None

    def record(self, mark: int) -> tuple[Any, _Stream, int, int]:
        """The record ``mark`` read again, its bytes alone (up to where the next
        starts): it, the stream it is in and where its text starts and ends there.
        ``IndexError`` for no such record, ``_Whole`` for a file changed since."""
        offsets = self.offsets
        size = offsets[mark + 1] - offsets[mark] if mark + 1 < len(offsets) else None
        with open(self._path, "rb") as fh:
            fh.seek(offsets[mark])
            stream = _Stream(fh, self.lines[mark], self.columns[mark], size)
            value, start, end = stream.value()
        return value, stream, start, end

    def places(self, mark: int) -> tuple[_Stream, int, canonical.JsonPlaces]:
        """The stream the record ``mark`` was read again in, where its text starts
        there, and the walker of that text; the last record's kept (a lint's warnings
        about one muscle come one after another): see :meth:`record`."""
        if self._last is None or self._last[0] != mark:
            _, stream, start, end = self.record(mark)
            self._last = (mark, stream, start, canonical.JsonPlaces(stream.text[start:end]))
        return self._last[1:]


def _slug_of(record: Any) -> str | None:
    """The slug of a record, None when it has none."""
    slug = record.get("slug") if isinstance(record, dict) else None
    return slug if isinstance(slug, str) else None


#: The index of the last file asked about or read, by (path, size, mtime_ns): lints ask
#: many times.
_KEPT: dict[tuple[str, int, int], _Index] = {}


def _keep_index(key: tuple[str, int, int], index: _Index) -> None:
    """Keep ``index``, of the file ``key`` names as it is now, in place of the last."""
    _KEPT.clear()
    _KEPT[key] = index


def _index_of(path: Path) -> _Index | None:
    """The :class:`_Index` of the file at ``path`` as it is now (the one its reading
    kept, else from a pass over it); None when it cannot be read or the stream cannot
    take it (see :func:`_whole_place`)."""
    try:
        key = (str(path), *_stamp(os.stat(path)))
        if key not in _KEPT:
            _keep_index(key, _Index.of_file(key[0]))
        return _KEPT[key]
    except (OSError, _Whole):
        return None


def _record_place(path: Path, index: _Index, mark: int, rest: str, key: bool = False
                  ) -> tuple[int, int] | None:
    """Where ``rest`` (``.origin``) of the record ``mark`` is in the file (with ``key``,
    the key that names it)."""
    try:
        stream, start, places = index.places(mark)
    except (OSError, IndexError, _Whole):  # (changed since it was read)
        return None
    return _in_file(stream, start, places.find(rest, key))


def _whole_place(path: Path, mark: int | None, named: tuple[str, str], key: bool = False
                 ) -> tuple[int, int] | None:
    """Where the field ``named`` (slug, rest) of the record ``mark`` (None: of the
    slug) is (with ``key``, the key that names it), in a document the stream cannot
    take (a key of its own twice): read whole, as before."""
    found = _read_again(path)
    if found is None:
        return None
    places, slugs = found
    at = slugs.get(named[0]) if mark is None else mark
    return None if at is None else places.find(f"muscles[{at}]{named[1]}", key)


def _top_level(data: dict, path: str) -> list[Diagnostic]:
    """Errors of the document's own keys, in order: a key not ``$schema`` or ``muscles``
    (its data would be lost without a word, as a record's unknown key is not), saying
    the one it may be a typo of (``muscle``: did you mean muscles?), and a ``$schema``
    that is not text, as the canonical schema says."""
    problems = []
    for key, value in data.items():
        if key not in _DOCUMENT_KEYS:
            hint = meant.hint(key, _DOCUMENT_KEYS, ' (it holds "$schema" and "muscles")')
            problems.append(Diagnostic(path, None, None, key, "unknown-key",
                                       f"unknown key {key!r} in a JSON document of "
                                       f"muscles{hint}"))
        elif key == "$schema" and not isinstance(value, str):
            problems.append(Diagnostic(path, None, None, key, "wrong-type",
                                       "must be text (the address of the schema)"))
    return problems


_DOCUMENT_KEYS = ("$schema", "muscles")


@lru_cache(maxsize=1)  # (the document of the last file asked about: lints ask many times)
def _read_again(path: Path) -> tuple[canonical.JsonPlaces, dict[str, int | None]] | None:
    """:func:`_document` of the file at ``path`` as it is now; None when it cannot be
    read or is no JSON now (changed since the run read it)."""
    try:
        st = os.stat(path)
        return _document(str(path), st.st_size, st.st_mtime_ns)
    except (OSError, ValueError, MuscleError):
        return None


def _document(path: str, size: int, mtime_ns: int) -> tuple[canonical.JsonPlaces,
                                                             dict[str, int | None]]:
    """The places of a JSON document's fields, and each slug's record number (None for a
    slug of more than one record: which of them a diagnostic means is not known)."""
    text = decode_utf8(Path(path).read_bytes(), path)
    data = canonical.loads(text)
    records = data.get("muscles") if isinstance(data, dict) else None  # (changed since)
    index: dict[str, int | None] = {}
    for i, record in enumerate(records if isinstance(records, list) else ()):
        if isinstance(record, dict) and isinstance(record.get("slug"), str):
            index[record["slug"]] = None if record["slug"] in index else i
    return canonical.JsonPlaces(text), index
