"""JSON Lines: one canonical muscle per line, written as it goes (lossless, streaming)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from converter import canonical
from converter.atomic import atomic_file
from converter.diagnostics import Diagnostic, MuscleError
from converter.model import Muscle
from converter.registry import Format, ReadContext, WriteContext
from converter.safety import BadJson


class JsonlFormat(canonical.LineRecords, Format):
    name = "jsonl"
    description = "JSON Lines, one muscle per line in input order (streams)"
    extensions = (".jsonl", ".ndjson")

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                    if not line.strip():
                        continue
                    record = canonical.loads(line)
                except UnicodeDecodeError as exc:
                    ctx.report(Diagnostic(str(path), number, None, "", "bad-json",
                                          f"is not UTF-8 (byte {exc.start} of the line)"))
                    continue
                except BadJson as exc:  # (past the line's end: at its end)
                    column = exc.column if (exc.line or 1) == 1 else \
                        len(line.rstrip("\r\n")) + 1
                    ctx.report(Diagnostic(str(path), number, column, "", "bad-json",
                                          f"is not valid JSON: {exc}"))
                    continue
                where = f"line {number}"
                try:
                    yield canonical.from_canonical(record, path=str(path), field=where)
                except MuscleError as exc:
                    places = canonical.JsonPlaces(line)  # on a problem only
                    for d in exc.diagnostics:
                        _, column = places.find(d.field.removeprefix(where)) or (None, None)
                        ctx.report(d._replace(line=number, column=column))

    def write_records(self, records: Iterable[tuple[str, str]], out: Path,
                      ctx: WriteContext) -> str:
        count = 0
        with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
            for _, record in records:
                fh.write(record)
                fh.write("\n")
                count += 1
        return canonical.written(count, out)
