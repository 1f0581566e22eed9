"""The ``bad-json`` errors: of a line, of a record over lines, of a JSON array of
records, and of records that end with a comma."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from converter import canonical
from converter.diagnostics import KEPT_BYTE, Diagnostic, KeptLine
from converter.registry import ReadContext
from converter.safety import BadJson

from . import lookahead
from .lookahead import _space, _Span


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


def _records(span: _Span | None) -> list[Any] | None:
    """The items of ``span`` where it is a JSON array of objects (a JSON export, or
    ``jq .`` of one), or of objects and other values (each an error of its own where
    it is: ``[{...}, 5]``), on one line (:func:`_one_line`) or over lines, as the walk
    of one past :mod:`.lookahead`'s bounds reads it; None for any other."""
    value = None if span is None else span.value
    if not value or not isinstance(value, list):
        return None
    return value if any(isinstance(record, dict) for record in value) else None


def _one_line(line: str) -> _Span | None:
    """The JSON array of records that ``line`` is all of (``[{...},{...}]``, a comma
    after it or not: a JSON export written on one line), as :func:`_records` reads a
    span, or the empty one (``[]``, which holds none); None for a line that is no such
    array."""
    start = _space(line)
    if line[start:start + 1] != "[":
        return None
    text = line.rstrip(" \t\n\r")
    comma = len(text) if text.endswith(",") else 0
    try:
        value = canonical.loads(text[:-1] if comma else text)
    except BadJson:
        return None
    span = _Span(0, line, None, comma, value=value)
    return span if value == [] or _records(span) else None


def _array(span: _Span, count: int, number: int, path: Path,
           records: int | None = None) -> Diagnostic:
    """The ``bad-json`` error of a JSON array of ``count`` items, records or not
    (``span``; walked past :mod:`.lookahead`'s bounds, its value None: ``records`` of
    them records), that starts on the line ``number``: at its bracket, saying how to
    make it JSON Lines."""
    lines = f"it spans lines {number}-{number + span.taken}" if span.taken else \
        f"it is all on line {number}"
    if records is None:
        records = sum(isinstance(item, dict) for item in span.value)
    one = records == 1
    if records == count:  # (one: the record in brackets, a single record's export)
        what, read = ("1 record, not the record itself", "it is") if one else (
            f"{count} records, not one record per line", "they are")
    else:
        what = f"{count} items, {'1 of them a record' if one else f'{records} of them records'}" \
            ", not one record per line"
        read = "its record is" if one else "its records are"
    each, them = ("it", "it") if one else ("each", "them")
    return Diagnostic(str(path), number, _space(span.text) + 1, "", "bad-json",
                      f"is not valid JSON Lines: the list starting here ({lines}) "
                      f"is a JSON array of {what}; {read} read as if {each} were on a "
                      f"line of its own (write {them} so with jq -c '.[]')")


def _empty(span: _Span, number: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of the line ``number`` that is an empty JSON array
    (``span``): at its bracket."""
    return Diagnostic(str(path), number, _space(span.text) + 1, "", "bad-json",
                      "is not valid JSON Lines: this line is an empty JSON array, which "
                      "holds no muscle; each line must be one record, a JSON object "
                      "(leave the line out)")


def _unread(number: int, last: int, column: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of a record of a JSON array (:mod:`.listing`) that starts
    at the line ``number`` (its ``{`` at the index ``column``) and ends on ``last``,
    past :mod:`.lookahead`'s bounds: not read."""
    chars = lookahead._AHEAD_CHARS
    size = f"{chars >> 20} MiB" if chars % (1 << 20) == 0 else f"{chars:,} characters"
    bounds = f"{lookahead._AHEAD_LINES:,} lines or {size}"
    return Diagnostic(str(path), number, column + 1, "", "bad-json",
                      f"is not valid JSON Lines: the record starting here spans lines "
                      f"{number}-{last}, more than a record written over lines is read "
                      f"({bounds}), so it is not read, and the array's other records are; "
                      "write each record on one line (as jq -c '.[]' does) to have it "
                      "read")


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


def _bad_json(exc: BadJson, line: str, number: int, path: Path) -> Diagnostic:
    """The ``bad-json`` error of the line ``number`` (past the line's end: at its end)."""
    column = exc.column if (exc.line or 1) == 1 else len(line.rstrip("\r\n")) + 1
    return Diagnostic(str(path), number, column, "", "bad-json", f"is not valid JSON: {exc}")
