"""A line holding a byte that is not UTF-8: its ``not-utf8`` errors, placed at the
texts that hold such a byte, and the other problems of its record."""

from __future__ import annotations

from pathlib import Path

from converter import canonical
from converter.diagnostics import (
    KEPT_BYTE,
    KeptLine,
    MuscleError,
    decode_utf8,
    kept_bytes_shown,
    not_at,
)
from converter.registry import ReadContext
from converter.safety import BadJson

from .mistakes import _bad_json, _Comma, _without_comma
from .placing import _Placed, _record_name, _report


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
