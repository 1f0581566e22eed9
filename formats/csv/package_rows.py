"""A package table's rows: read as (line, row), those that do not fit its header or
hold a byte that is not UTF-8 reported and left out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from converter.diagnostics import KEPT_BYTE, Diagnostic, error, kept_bytes_shown

from .csvio import _NotUtf8Row, load_csv, ragged_row
from .datapackage import _Delimiter
from .layout import columns

#: The package's text columns (written with :func:`to_cell`, neutralised).
_TEXT_CELLS = frozenset({"title", "latin", "image", "image_focus", "body", "text", "name"})


class _Shown(NamedTuple):
    """A row of muscles.csv left out for a byte that is not UTF-8 in a cell other than
    its slug: its line, its row with each such byte U+FFFD (made for such a row only),
    and the columns that hold one (they have no other problem of their own)."""

    line: int
    row: dict[str, str]
    held: frozenset[str]


def _table(path: Path, name: str, report: Callable[[Diagnostic], None], prefix: str = "",
           shown: list[_Shown] | None = None, declared: _Delimiter | None = None
           ) -> tuple[list[tuple[int, dict[str, str]]], set[str]]:
    """The rows of a package table as (line, row), its text cells without the formula
    ``prefix`` the descriptor declares, and the slugs of the rows it leaves out, each
    reported: one that does not fit the header (``bad-row``) or holds a byte that is
    not UTF-8 (``not-utf8``); their muscles are left out, the others read. Such a row
    of a known slug that fits the header joins ``shown`` (when given), to be checked.
    Cells separated otherwise than ``declared`` are read as found, and reported."""
    table = load_csv(path)
    header = table.header
    mismatch = declared.differs(path, table.delimiter) if declared is not None else None
    if mismatch is not None:
        report(mismatch)
    while header and header[-1] == "":  # (a spreadsheet names no column past the header's
        header = header[:-1]            # end that a longer row holds: that row is ragged)
    expected = columns(name)
    if sorted(header) != sorted(expected):
        raise error(str(path), "bad-header", f"columns must be {', '.join(expected)}; "
                    f"found {', '.join(header)}", line=1)
    out, left_out, slug_at = [], set(), header.index("slug")
    for bad in table.not_utf8:
        report(_not_utf8_row(bad, header, slug_at, left_out))
        cells = _fitted(bad.cells, header)
        if shown is not None and len(cells) == len(header) and not KEPT_BYTE.search(
                cells[slug_at]):
            held = frozenset(c for c, cell in zip(header, cells, strict=True)
                             if KEPT_BYTE.search(cell))
            row = _row(header, [kept_bytes_shown(cell) for cell in cells], prefix)
            shown.append(_Shown(bad.line, row, held))
    for line, cells in table.rows:
        cells = _fitted(cells, header)
        if len(cells) != len(header):
            report(Diagnostic(str(path), line, None, "", "bad-row", ragged_row(
                cells, header, line, table.split) + "; its muscle is left out"))
            left_out.add(cells[slug_at] if slug_at < len(cells) else "")
            continue
        out.append((line, _row(header, cells, prefix)))
    return out, left_out


def _fitted(cells: list[str], header: list[str]) -> list[str]:
    """``cells`` without the empty cells past the ``header``'s end."""
    if len(cells) > len(header) and not any(cells[len(header):]):
        return cells[:len(header)]
    return cells


def _row(header: list[str], cells: list[str], prefix: str) -> dict[str, str]:
    """The row of ``cells`` by column, its text cells without the formula ``prefix``."""
    row = dict(zip(header, cells, strict=True))
    if prefix:
        for column in _TEXT_CELLS.intersection(row):
            if row[column].startswith(prefix):
                row[column] = row[column][len(prefix):]
    return row


def _not_utf8_row(bad: _NotUtf8Row, header: list[str], slug_at: int,
                  left_out: set[str]) -> Diagnostic:
    """The error of a package row that holds a byte that is not UTF-8, named by its
    column; its slug joins ``left_out`` (when the byte is not in the slug itself)."""
    slug = bad.cells[slug_at] if slug_at < len(bad.cells) else ""
    if KEPT_BYTE.search(slug):
        lost = "; the row is left out, and which muscle it belongs to is not known"
    else:
        left_out.add(slug)
        lost = "; its muscle is left out"
    column = header[bad.cell] if bad.cell < len(header) else ""
    return bad.problem._replace(field=column, message=bad.problem.message + lost)
