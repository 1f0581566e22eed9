"""JSON Lines: one canonical muscle per line, written as it goes (lossless, streaming).

Modules: reading (a file's lines, one record each), lookahead (a record that goes
on over lines: where it ends), listing (a JSON array of records past lookahead's
bounds, a record at a time), mistakes (its ``bad-json`` errors, a JSON array's and
records ended by a comma), undecoded (a line that is not UTF-8), placing (where a
record's values are, for its diagnostics), slugs (a slug's line, for lints), writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from converter import canonical
from converter.diagnostics import MuscleError, check_unchanged, open_stamp
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext

from .placing import _unmark
from .reading import _lines_read
from .slugs import record_at, record_of
from .writing import write_lines

__all__ = ["JsonlFormat"]


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
            record = record_of(str(path), named[0])
        except (OSError, ValueError, MuscleError):  # (not UTF-8: said where read)
            return None
        return None if record is None else record.find(named[1], key)

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the record marked ``mark`` (the
        line it starts on, and which of the records that start there it is: see
        :func:`.placing._mark`): the line and column of the field's value."""
        named = canonical.named_record(field)
        if named is None:
            return None
        number, nth = _unmark(mark)
        try:
            record = record_at(str(path), number, named[0], nth)
        except (OSError, IndexError, ValueError, MuscleError):  # (changed since read)
            record = None
        if record is None:
            return Place(str(path), number, None, field)
        return Place(str(path), *record.find(named[1]), field)

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        return write_lines(records, out)
