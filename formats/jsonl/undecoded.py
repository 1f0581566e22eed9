"""A line holding a byte that is not UTF-8: its ``not-utf8`` errors, placed at the
texts that hold such a byte, and the other problems of its record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from converter import canonical
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    KeptLine,
    MuscleError,
    decode_utf8,
    kept_bytes_shown,
    not_at,
)
from converter.registry import ReadContext
from converter.safety import BadJson

from .mistakes import _bad_json, _Comma, _without_comma
from .placing import _Placed, _placer, _record_name, _report, _unmark


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


class _ListedBytes:
    """The bytes that are not UTF-8 in a JSON array of records written over lines (its
    ``text``, from the line ``number``, whose bytes are ``raw``): a record that holds
    one is left out, as a line that holds one, with a ``not-utf8`` error at each of its
    texts that holds one, named by its field, and its other problems and lints, checked
    with each such byte U+FFFD. ``lead``: the characters and bytes of the file before
    the start of its second line, not in ``text`` (a record of one :mod:`.listing`
    walked, after others on its line)."""

    def __init__(self, text: str, raw: bytes, number: int, path: Path,
                 lead: tuple[int, int] = (0, 0)) -> None:
        self._lines = text.split("\n")
        self._raw, self._number, self._path, self._lead = raw, number, path, lead
        value = text.rstrip(" \t\r\n").removesuffix(",")  # (a comma after it: read so)
        self._shown = canonical.loads(kept_bytes_shown(value)) if KEPT_BYTE.search(text) \
            else None

    def left_out(self, record: Any, item: int, where: str, placed: _Placed,
                 ctx: ReadContext) -> bool:
        """Whether ``record``, the ``item``-th of the array (named ``where``, its places
        as ``placed`` finds them), holds such a byte: then its problems are said."""
        texts = [] if self._shown is None else list(canonical.kept_byte_texts(record, where))
        if not texts:
            return False
        undecoded = [self._at(field, where, placed, item) for field, _ in texts]
        for diagnostic in undecoded:
            ctx.report(diagnostic)
        fields = [field for field, _ in texts if field != where]
        try:
            muscle = canonical.from_canonical(self._shown[item], path=str(self._path),
                                              field=where, place=_placer(placed, item),
                                              writer_lang=ctx.default_lang)
        except MuscleError as exc:
            failure = MuscleError(not_at(exc.diagnostics, fields), exc.partial)
        else:
            failure = MuscleError([], muscle)
        number = _unmark(ctx.mark)[0] if ctx.mark else self._number
        _report(failure, where, placed, number, ctx, undecoded, item=item)
        return True

    def _at(self, field: str, where: str, placed: _Placed, item: int) -> Diagnostic:
        """The ``not-utf8`` error of ``field`` (a text holding such a byte): at its first
        such byte, found from where the nearest part of it is (a key: its map)."""
        found, name = None, field
        while found is None and name != where:
            found = placed.find(name.removeprefix(where), False, item)
            name = _parent(name)
        line, column = found or placed.find("", False, item) or (self._number, 1)
        at, start = line - self._number, column - 1
        if at == 1:  # (its columns are the file's: counted from the text's start)
            start = max(start - self._lead[0], 0)
        while at + 1 < len(self._lines) and not KEPT_BYTE.search(self._lines[at], start):
            at, start = at + 1, 0
        text = self._lines[at]
        raw = self._raw.split(b"\n")[0] if at == 0 else text.encode("utf-8", "surrogateescape")
        return KeptLine(text, raw, str(self._path), self._number + at,
                        lead=self._lead[1] if at == 1 else 0).at(start)._replace(field=field)
