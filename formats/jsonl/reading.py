"""A JSON Lines file read line by line: each line's record, its problems said."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

from converter import canonical
from converter.diagnostics import KEPT_BYTE, Diagnostic, MuscleError, decode_utf8
from converter.model import Muscle
from converter.registry import ReadContext
from converter.safety import BadJson
from converter.unmarked import decode_text, wide_codec

from .listing import _Walked, records, walked
from .lookahead import _Lines, _Span
from .mistakes import (
    _array,
    _bad_json,
    _Comma,
    _empty,
    _one_line,
    _records,
    _report_span,
    _unread,
    _without_comma,
)
from .placing import _mark, _Placed, _placer, _record_name, _report
from .undecoded import _check_undecoded, _ListedBytes


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
            span = _one_line(kept) or lines.span(kept)
            records = _records(span)
            array = walked(lines, kept) if span is None else None
            if array is not None:  # (a JSON array of records past the bounds: each read)
                place += yield from _streamed(lines, array, kept, place, path, ctx, comma)
            elif span is None:
                _check_undecoded(raw, number, place, path, ctx, comma)
            elif records:  # (a JSON array of records: each read)
                yield from _array_read(span, records, raw, place, number, path, ctx, comma)
                place += len(records) - 1
            else:
                _report_span(span, raw, number, path, ctx)
                comma.said(number + span.taken, span.comma)
            continue
        if not line.strip():
            continue
        place += 1
        listed = _one_line(line)
        if listed is not None and not listed.value:  # (an empty JSON array)
            ctx.report(_empty(listed, number, path))
            comma.said(number, listed.comma)
            continue
        if listed is not None:  # (a JSON array of records on one line: each read)
            yield from _array_read(listed, listed.value, raw, place, number, path, ctx, comma)
            place += len(listed.value) - 1
            continue
        try:
            record = canonical.loads(line)
        except BadJson as exc:
            unended = _without_comma(line)
            if unended is None:
                span = lines.span(line)
                records = _records(span)
                array = walked(lines, line) if span is None else None
                if array is not None:  # (a JSON array of records past the bounds)
                    place += yield from _streamed(lines, array, line, place, path, ctx, comma)
                elif span is None:
                    ctx.report(_bad_json(exc, line, number, path))
                elif records:  # (a JSON array of records: each read)
                    yield from _array_read(span, records, raw, place, number, path, ctx,
                                           comma)
                    place += len(records) - 1
                else:
                    _report_span(span, raw, number, path, ctx)
                    comma.said(number + span.taken, span.comma)
                continue
            record, line = unended
            comma.said(number, len(line) + 1)
        yield from _muscles([record], place, _Placed(line, number), path, ctx)


def _array_read(span: _Span, records: list[dict], raw: bytes, place: int, number: int,
                path: Path, ctx: ReadContext, comma: _Comma) -> Iterator[Muscle]:
    """The muscles of the JSON array of ``records`` (``span``) that starts on the line
    ``number`` (its bytes ``raw``), the file's from its ``place``-th on: its one
    ``bad-json`` error said, and the problems of each record (one that holds a byte
    that is not UTF-8 left out, as a line that holds one)."""
    ctx.report(_array(span, len(records), number, path))
    comma.said(number + span.taken, span.comma)
    yield from _muscles(records, place, _Placed(span.text, number), path, ctx,
                        listed=_ListedBytes(span.text, raw, number, path), array=True)


def _streamed(lines: _Lines, array: _Walked, line: str, place: int, path: Path,
              ctx: ReadContext, comma: _Comma) -> Generator[Muscle, None, int]:
    """The muscles of the JSON array of records (``array``, walked) that the current
    line of ``lines`` (``line``) opens, past the bounds of :meth:`_Lines.span`, read a
    record at a time, the file's from its ``place``-th on: said as one that is within
    them; how many items it has, less one."""
    number = lines.number
    span = _Span(array.last - number, line, None, array.comma)
    ctx.report(_array(span, array.count, number, path, array.records))
    comma.said(array.last, array.comma)
    nth, last = 0, 0  # (which of the records read that start on its line it is)
    for at, item in enumerate(records(lines, array)):
        if item.record and item.value is None:  # (past the bounds: not read)
            ctx.report(_unread(item.number, item.last, item.column, path))
            continue
        if not item.record:  # (an item that is no record: one error)
            where = _record_name(item.value, place + at)
            ctx.report(Diagnostic(str(path), item.number, item.column + 1, where,
                                  "wrong-type",
                                  _not_a_record(item.value, at, where, array.records)))
            continue
        nth, last = nth + 1 if item.number == last else 0, item.number
        text = f"[\n{item.text}\n]"  # (a list of one, its lines the file's)
        placed = _Placed(text, item.number - 1, indent=item.column)
        yield from _muscles([item.value], place + at, placed, path, ctx,
                            listed=_ListedBytes(text, b"[", item.number - 1, path,
                                                lead=(item.column, item.lead)), nth=nth)
    return array.count - 1


def _muscles(records: list[Any], place: int, placed: _Placed, path: Path,
             ctx: ReadContext, listed: _ListedBytes | None = None, nth: int = 0,
             array: bool = False) -> Iterator[Muscle]:
    """The muscles of ``records``, the file's from its ``place``-th on: the text
    ``placed`` finds, or with ``listed`` the items of the list it is (those holding a
    byte that is not UTF-8 said by it, and left out); the problems of each said (with
    ``array``, ``records`` are the items of a JSON array: one that is no object is
    named by its index there). Each is marked with its line and which of the records
    that start there it is (the first, of ``records``, the ``nth``)."""
    last = 0
    kept = sum(isinstance(each, dict) for each in records) if array else 0
    for at, record in enumerate(records):
        where = _record_name(record, place + at)
        item = None if listed is None else at
        number = placed.number if item is None else \
            (placed.find("", False, item) or (placed.number, 0))[0]
        nth = (nth + 1 if number == last else 0) if at else nth
        last = number
        ctx.mark = _mark(number, nth)
        if array and not isinstance(record, dict):  # (an item of a mixed array: one error)
            line, column = placed.find("", False, at) or (number, None)
            ctx.report(Diagnostic(str(path), line, column, where, "wrong-type",
                                  _not_a_record(record, at, where, kept)))
            continue
        if listed is not None and listed.left_out(record, at, where, placed, ctx):
            continue
        try:
            yield canonical.from_canonical(record, path=str(path), field=where,
                                           place=_placer(placed, item),
                                           writer_lang=ctx.default_lang)
        except MuscleError as exc:
            _report(exc, where, placed, number, ctx, item=item)


def _not_a_record(item: Any, at: int, where: str, records: int) -> str:
    """The ``wrong-type`` message of ``item``, the ``at``-th of a JSON array of
    ``records`` records and other values, which is no record (named ``where``): its one
    error, the first byte in it that is not UTF-8 said there too."""
    read = "record is" if records == 1 else "records are"
    kept = next((KEPT_BYTE.search(text) for _, text in canonical.kept_byte_texts(item, where)),
                None)
    byte = f"; it holds a byte that is not UTF-8, 0x{ord(kept[0]) - 0xdc00:02x}" if kept \
        else ""
    return (f"a muscle must be an object, and item {at} of the JSON array is none (the "
            f"array's {read} read{byte})")


def _unit_rest(fh: IO[bytes], raw: bytes) -> bytes:
    """The bytes after the line ``raw`` just read from ``fh`` that end its last unit of
    four (none kept read): a line of UTF-16 or UTF-32 little-endian, read to its line
    feed's byte, leaves that letter's NULs to the next line."""
    at = fh.tell()
    rest = fh.read(-len(raw) % 4)
    fh.seek(at)
    return rest
