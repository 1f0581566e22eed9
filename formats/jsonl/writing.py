"""The writer: each muscle's canonical record on a line of its own, in input order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from converter import canonical
from converter.atomic import atomic_file


def write_lines(records: Iterable[tuple[str, str]], out: Path) -> str:
    """Write the texts of ``records`` ((slug, text) pairs) to ``out``, one a line, as
    they come (the file replaced whole once all are written); what was written."""
    count = 0
    with atomic_file(out, "w", encoding="utf-8", newline="\n") as fh:
        for _, record in records:
            fh.write(record)
            fh.write("\n")
            count += 1
    return canonical.written(count, out)
