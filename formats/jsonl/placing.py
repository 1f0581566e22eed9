"""Where a record's values are in the file (line, column), for its diagnostics, and
how they name it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from converter import canonical
from converter.authoring import AT_KEY, Placer, Steps
from converter.diagnostics import Diagnostic, MuscleError
from converter.registry import ReadContext
from converter.slug import MAX_SLUG_LENGTH, is_slug

#: A record's mark (:attr:`~converter.registry.ReadContext.mark`): the line it starts on,
#: and above :data:`_NTH` which of the records that start on that line it is, from 0
#: (records of a JSON array share lines: ``jq -c`` writes it all on one).
_NTH = 1 << 32


def _mark(number: int, nth: int) -> int:
    """The mark of the ``nth`` record (from 0) that starts on the line ``number``."""
    return number + nth * _NTH


def _unmark(mark: int) -> tuple[int, int]:
    """The line and the ``nth`` of a record's :func:`_mark`."""
    nth, number = divmod(mark, _NTH)
    return number, nth


class _Placed:
    """Where the values of a record are in the file: in ``text``, valid JSON that starts
    on the line ``number``, the record itself or, by ``item``, an item of the list it is
    (walked on the first place asked, once for all its items). ``indent``: the columns
    of the file before the start of the text's second line (a record of a line of many,
    wrapped in a list of one by :mod:`.reading`), not copied into it."""

    def __init__(self, text: str, number: int, indent: int = 0) -> None:
        self._text, self.number, self._indent = text, number, indent
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
        if found is None:
            return None
        return self.number + found[0] - 1, found[1] + (self._indent if found[0] == 2 else 0)


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


def _record_name(record: Any, place: int) -> str:
    """How a record's own problems name it: ``muscles[<slug>]``, as the lints name its
    muscle, or by its ``place`` among the file's records (``muscles[3]``, from 0, as
    JSON names them) when its slug is not one (its line is in the diagnostic)."""
    slug = record.get("slug") if isinstance(record, dict) else None
    if isinstance(slug, str) and is_slug(slug) and len(slug) <= MAX_SLUG_LENGTH:
        return f"muscles[{slug}]"
    return f"muscles[{place}]"
