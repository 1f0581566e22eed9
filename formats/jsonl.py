"""JSON Lines: one canonical muscle per line, written as it goes (lossless, streaming)."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from converter import canonical
from converter.atomic import atomic_file
from converter.diagnostics import Diagnostic, MuscleError, decode_utf8, wide_encoding
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext
from converter.safety import BadJson
from converter.slug import MAX_SLUG_LENGTH, is_slug


class JsonlFormat(canonical.LineRecords, Format):
    name = "jsonl"
    description = "JSON Lines, one muscle per line in input order (streams)"
    extensions = (".jsonl", ".ndjson")
    validates = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        place = -1  # (the record's among the file's records, from 0)
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                try:
                    line = decode_utf8(raw, str(path), number)
                except MuscleError as exc:  # (not UTF-8)
                    ctx.report(exc.diagnostics[0])
                    if number == 1 and wide_encoding(raw):  # (all of it: said once)
                        return
                    place += 1
                    continue
                if not line.strip():
                    continue
                place += 1
                try:
                    record = canonical.loads(line)
                except BadJson as exc:  # (past the line's end: at its end)
                    column = exc.column if (exc.line or 1) == 1 else \
                        len(line.rstrip("\r\n")) + 1
                    ctx.report(Diagnostic(str(path), number, column, "", "bad-json",
                                          f"is not valid JSON: {exc}"))
                    continue
                where = _record_name(record, place)
                ctx.mark = number
                try:
                    yield canonical.from_canonical(record, path=str(path), field=where)
                except MuscleError as exc:
                    places = canonical.JsonPlaces(line)  # on a problem only
                    for d in [*exc.diagnostics, *ctx.lints(exc, where)]:
                        _, column = places.find(d.field.removeprefix(where)) or (None, None)
                        ctx.report(d._replace(line=number, column=column))

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where ``muscles[<slug>]...`` (as lints name a muscle's field) is: its line,
        and the column in it."""
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
        place = canonical.JsonPlaces(line).find(named[1].removeprefix("."))
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
def _lines(path: str, size: int, mtime_ns: int) -> dict[str, tuple[int, int] | None]:
    """slug -> (line number, byte offset) of its line in the file (None for a slug of
    more than one line: which of them a diagnostic means is not known)."""
    found: dict[str, tuple[int, int] | None] = {}
    offset = 0
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                slug = json.loads(raw).get("slug")
            except (ValueError, AttributeError, RecursionError):  # (no JSON object)
                slug = None
            if isinstance(slug, str):
                found[slug] = None if slug in found else (number, offset)
            offset += len(raw)
    return found
