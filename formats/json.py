"""One JSON document ``{"$schema": ..., "muscles": [...]}``, sorted by slug (lossless)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from converter import canonical
from converter.atomic import atomic_file
from converter.diagnostics import Diagnostic, MuscleError, decode_utf8, error
from converter.model import Muscle
from converter.registry import Format, Place, ReadContext, WriteContext
from converter.safety import BadJson, keys_twice
from converter.spool import SortedSpool


class JsonFormat(canonical.LineRecords, Format):
    name = "json"
    description = "one JSON document of all muscles, sorted by slug"
    extensions = (".json",)
    validates = True

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        text = decode_utf8(path.read_bytes(), str(path))
        try:
            data = canonical.loads(text)
        except BadJson as exc:
            raise error(str(path), "bad-json", f"is not valid JSON: {exc}", line=exc.line,
                        column=exc.column) from None
        if not isinstance(data, dict) or not isinstance(data.get("muscles"), list):
            raise error(str(path), "bad-json", 'expected an object with a "muscles" list')
        twice = keys_twice(data)
        if twice:  # ("muscles" twice: which list was meant?)
            line, column = canonical.JsonPlaces(text).find(twice[0]) or (None, None)
            raise error(str(path), "duplicate-key", f"duplicate key {twice[0]!r}",
                        twice[0], line=line, column=column)
        places: canonical.JsonPlaces | None = None  # made on the first problem only
        for problem in _top_level(data, str(path)):
            places = places or canonical.JsonPlaces(text)
            line, column = places.find(problem.field) or (None, None)
            ctx.report(problem._replace(line=line, column=column))
        for i, record in enumerate(data["muscles"]):
            ctx.mark = i
            try:
                yield canonical.from_canonical(record, path=str(path), field=f"muscles[{i}]")
            except MuscleError as exc:
                places = places or canonical.JsonPlaces(text)
                for diagnostic in [*exc.diagnostics, *ctx.lints(exc, f"muscles[{i}]")]:
                    line, column = places.find(diagnostic.field) or (None, None)
                    ctx.report(diagnostic._replace(line=line, column=column))

    def locate(self, path: Path, field: str) -> tuple[int, int] | None:
        """Where ``muscles[<slug>]...`` (as lints name a muscle's field) is."""
        named = canonical.named_record(field)
        found = None if named is None else _read_again(path)
        if found is None:
            return None
        places, index = found
        at = index.get(named[0])
        return None if at is None else places.find(f"muscles[{at}]{named[1]}")

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the record ``mark`` of the list (its
        place in it, from 0): the line and column of the field's value, found by walking
        the text again."""
        named = canonical.named_record(field)
        found = None if named is None else _read_again(path)
        if found is None:
            return None
        at = found[0].find(f"muscles[{mark}]{named[1]}")
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


def _top_level(data: dict, path: str) -> list[Diagnostic]:
    """Errors of the document's own keys, in order: a key not ``$schema`` or ``muscles``
    (its data would be lost without a word, as a record's unknown key is not), and a
    ``$schema`` that is not text, as the canonical schema says."""
    problems = []
    for key, value in data.items():
        if key not in _DOCUMENT_KEYS:
            problems.append(Diagnostic(path, None, None, key, "unknown-key",
                                       f"unknown key {key!r} in a JSON document of muscles "
                                       '(it holds "$schema" and "muscles")'))
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
