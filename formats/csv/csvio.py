"""CSV files read and written with the csv module: what spreadsheets and editors add
on saving undone, a row holding a byte that is not UTF-8 left out for the caller."""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    KeptBytes,
    MuscleError,
    check_unchanged,
    decode_utf8,
    error,
    open_stamp,
)
from converter.unmarked import decode_text

_FIELD_LIMIT = 2**31 - 1
#: A line feed without a carriage return before it.
_BARE_LF = re.compile("(?<!\r)\n")


def write_rows(fh: IO[str], rows: Iterable[Sequence[str]], *, quote_all: bool = False,
               delimiter: str = ",") -> None:
    """Write rows with the csv module: minimal quoting (every cell quoted with
    ``quote_all``), cells separated by ``delimiter`` and ``\\n`` line ends. A row with a
    carriage return is quoted in full, because Python 3.11 leaves a lone CR unquoted
    when the line terminator is ``\\n``."""
    plain = csv.writer(fh, lineterminator="\n", delimiter=delimiter)
    quoted = csv.writer(fh, lineterminator="\n", delimiter=delimiter, quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if quote_all or any("\r" in cell for cell in row) else plain).writerow(row)


class _NotUtf8Row(NamedTuple):
    """A row of a CSV file that holds a byte that is not UTF-8: its line, its cells
    (the byte kept as :data:`~converter.diagnostics.KEPT_BYTE`), which of them holds
    it first, and the ``not-utf8`` error at that byte (its field for the reader to
    name)."""

    line: int
    cells: list[str]
    cell: int
    problem: Diagnostic


def _read_whole(path: Path) -> bytes:
    """The bytes of a file of a sheet or package; ``changed-while-read`` when it was
    rewritten in place while read (what was read may mix two versions)."""
    with open(path, "rb") as fh:
        before = open_stamp(fh)
        data = fh.read()
        check_unchanged(fh, before, str(path))
    return data


class CsvTable(NamedTuple):
    """A CSV file as :func:`load_csv` reads it (a tuple too, in this order)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # ((the line it starts on, its cells), ...)
    not_utf8: list[_NotUtf8Row]  # (the rows left out: each holds a byte not UTF-8)
    delimiter: str  # (the separator found)
    split: frozenset[int]  # (the lines of the rows holding a lone CR outside quotes)


def load_csv(path: Path) -> CsvTable:
    """The header, the rows, the rows left out, the separator found and the lines of
    the rows that hold a lone CR outside quotes of a UTF-8 CSV file (BOM allowed), as
    a :class:`CsvTable`; each row carries the line it starts on. A row that holds a
    byte that is not UTF-8 is left out, to be reported by the caller, who knows what it
    loses; the others are read (a header that holds one is an error: no column could be
    told). What spreadsheets and editors add on saving is undone:

    * a file with no bare LF (all CRLF, as ``unix2dos`` or git's ``autocrlf`` write it,
      or CR) is read with ``\n`` line ends, inside quoted cells too, as the Markdown
      reader reads such a file (the writer only ends lines with ``\n``); where CRLFs
      end the rows, a lone CR is no line end but text, as where LFs end them;
    * a file with a bare LF whose rows end with a lone CR (Mac Excel's "CSV
      (Macintosh)": an LF inside a quoted cell alone) is read with CR, LF and CRLF each a
      line end (and a line of its rows' numbers), its cells as written; any other with
      a bare LF (its rows end in LF) keeps a lone CR inside a cell, quoted or not, as
      text, not a line. Which of CR and LF ends the rows where both are outside quoted
      cells (a Mac table whose header ends in CRLF): see :func:`_read_rows`;
    * ``;`` or tab between cells (Danish Excel, a copied range) is read as ``,``;
    * rows of empty cells are left out, like blank lines, and so are unnamed columns
      at the end that hold nothing and empty cells past the header's end."""
    raw = _read_whole(path)
    try:
        text, kept = decode_text(raw, str(path)), False
    except MuscleError:  # (a byte that is not UTF-8: only the rows holding one are lost)
        text, kept = decode_text(raw, str(path), keep=True), True
    delimiter = _delimiter(text)
    crlf_read = "\r" in text and not _BARE_LF.search(text)
    if crlf_read:
        text = text.replace("\r\n", "\n")
    old = csv.field_size_limit(_FIELD_LIMIT)
    try:
        rows, text, split = _read_rows(text, delimiter, crlf_read=crlf_read and "\r" in text)
    except _BadCsv as bad:
        raise error(str(path), "bad-csv", f"is not valid CSV: {_csv_problem(bad.problem)}",
                    line=bad.line) from None
    finally:
        csv.field_size_limit(old)
    if not rows:
        raise error(str(path), "empty-csv", "has no header row")
    header, rows = _without_empty_end(rows[0][1], rows[1:])
    if not kept:
        return CsvTable(header, rows, [], delimiter, split)
    if any(KEPT_BYTE.search(cell) for cell in header):
        decode_utf8(raw, str(path))  # (raises the error at the byte)
    good, bad = _without_kept_bytes(rows, KeptBytes(text, str(path)))
    return CsvTable(header, good, bad, delimiter, split)


def ragged_row(cells: list[str], header: list[str], line: int, split: frozenset[int]
               ) -> str:
    """What is wrong with the row of ``cells`` at ``line`` that has not as many cells as
    the ``header``, for a ``bad-row`` error: with a hint when it holds a lone CR outside
    quotes (its line in ``split``, from :func:`load_csv`), which was maybe meant to end
    a row."""
    said = f"has {len(cells)} cells, the header {len(header)}"
    if line in split:
        said += ("; a CR inside a cell is text in a file whose rows end in LF or CRLF: "
                 "if a row was meant to end at it, end that row as the others end")
    return said


def _without_kept_bytes(rows: list[tuple[int, list[str]]], kept: KeptBytes
                        ) -> tuple[list[tuple[int, list[str]]], list[_NotUtf8Row]]:
    """The rows that hold no byte that is not UTF-8, and those that do."""
    good, bad = [], []
    for line, cells in rows:
        cell = next((i for i, text in enumerate(cells) if KEPT_BYTE.search(text)), None)
        if cell is None:
            good.append((line, cells))
        else:
            bad.append(_NotUtf8Row(line, cells, cell, kept.first(line)))
    return good, bad


class _BadCsv(Exception):
    """The csv module's error ``problem`` at the row starting at ``line``."""

    def __init__(self, problem: csv.Error, line: int) -> None:
        super().__init__(problem, line)
        self.problem, self.line = problem, line


def _rows(text: str, delimiter: str, *, every_end: bool = False
          ) -> list[tuple[int, list[str]]]:
    """[(line, cells), ...] of the rows of ``text`` that hold text, each with the line it
    starts on: lines end at ``\n`` (CRLF included), or with ``every_end`` at CR, LF or
    CRLF, as rows do outside quoted cells; :class:`_BadCsv` when it is not valid CSV."""
    rows: list[tuple[int, list[str]]] = []
    line = 1
    reader = csv.reader(io.StringIO(text, newline="" if every_end else "\n"), strict=True,
                        delimiter=delimiter)
    try:
        for row in reader:
            if any(row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _BadCsv(exc, line) from None
    return rows


def _rows_unless_at_cr(text: str, delimiter: str
                       ) -> list[tuple[int, list[str]]] | _BadCsv:
    """The rows of ``text`` (:func:`_rows`), or the csv module's error where a lone CR
    outside quotes ended its reading (any other is raised)."""
    try:
        return _rows(text, delimiter)
    except _BadCsv as bad:
        if not str(bad.problem).startswith(_CR_ENDS_ROW):
            raise
        return bad


def _read_rows(text: str, delimiter: str, *, crlf_read: bool = False
               ) -> tuple[list[tuple[int, list[str]]], str, frozenset[int]]:
    """The rows of ``text`` (see :func:`_rows`) and the text with its lines ending in
    ``\n`` as they were counted. A lone CR outside quoted cells ends a row where no LF
    does (each is inside a quoted cell: a Mac table), or where both do and the text so
    read has fewer rows of another width than the header's than with the CRs read as
    text (a Mac table whose header or some rows end in CRLF); on a tie, where the CRs
    outside quotes outnumber the LFs. Else it is the cell's text, as one inside a quoted
    cell is; but one that ends the header line, where LFs end rows too, ends the header
    either way (no column's name holds a line break: a header retyped in a Mac editor
    over a table whose rows end in LF or CRLF). Third, the lines of the rows that hold
    a lone CR outside quotes, read as text (:func:`_split_rows`). ``crlf_read``: the
    text had no bare LF and its CRLFs are LFs now, and where CRs end rows each is an
    LF, inside quoted cells too."""
    tried = None  # (the csv module's reading, that a lone CR outside quotes ended)
    if not crlf_read:
        read = _rows_unless_at_cr(text, delimiter)
        if not isinstance(read, _BadCsv):
            return read, text, frozenset()
        tried = read
    crs, lfs = _row_ends(text, delimiter)
    header_cr = _header_cr(text, delimiter) if crs and lfs else -1
    if header_cr >= 0:  # (no column's name holds a line break: the header ends at it)
        text = f"{text[:header_cr]}\n{text[header_cr + 1:]}"
        crs, lfs, tried = crs - 1, lfs + 1, None
    if not lfs:
        return _cr_ends_rows(text, delimiter, crlf_read)
    if not crs:
        return _cr_is_text(text, delimiter, tried)
    readings = [lambda t, d: _cr_is_text(t, d, tried),
                lambda t, d: _cr_ends_rows(t, d, crlf_read)]
    if crs > lfs:
        readings.reverse()
    best, bad = None, []
    for reading in readings:
        try:
            found = reading(text, delimiter)
        except _BadCsv as problem:
            bad.append(problem)
            continue
        misfits = _misfits(found[0])
        if best is None or misfits < best[0]:
            best = misfits, found
        if not misfits:
            break  # (no reading fits better, and a tie goes to the first)
    if best is None:
        raise bad[0]
    return best[1]


def _cr_ends_rows(text: str, delimiter: str, crlf_read: bool
                  ) -> tuple[list[tuple[int, list[str]]], str, frozenset[int]]:
    """The rows of ``text`` with CR, LF and CRLF each a line end; with ``crlf_read``
    each CR is made an LF, else the cells keep their line breaks as written."""
    if crlf_read:
        text = text.replace("\r", "\n")
        return _rows(text, delimiter), text, frozenset()
    return _rows(text, delimiter, every_end=True), _LONE_CR.sub("\n", text), frozenset()


def _cr_is_text(text: str, delimiter: str, tried: _BadCsv | None = None
                ) -> tuple[list[tuple[int, list[str]]], str, frozenset[int]]:
    """The rows of ``text`` with its lines ending at LF, a lone CR inside a cell, quoted
    or not, the cell's text (where the csv module would end the row at it), and the
    lines of the rows holding such a CR outside quotes. ``tried``: the csv module's
    reading of ``text`` already failed so, at a CR (not read again)."""
    problem = _rows_unless_at_cr(text, delimiter) if tried is None else tried
    if not isinstance(problem, _BadCsv):
        return problem, text, frozenset()
    used = set(text)
    stand_in = next((chr(c) for c in range(0xE000, 0x110000) if chr(c) not in used), None)
    if stand_in is None:  # (the text holds every character from U+E000 on: none is free)
        raise problem
    rows = _rows(_LONE_CR.sub(stand_in, text), delimiter)
    return ([(line, [cell.replace(stand_in, "\r") for cell in cells]) for line, cells
             in rows], text, _split_rows(text, delimiter, [line for line, _ in rows]))


def _split_rows(text: str, delimiter: str, starts: list[int]) -> frozenset[int]:
    """The lines, of ``starts`` (the lines the rows of ``text`` start on, in order), of
    the rows that hold a lone CR outside every quoted cell, in a table whose rows end
    in LF: where the csv module would have ended a row."""
    opens = f"(?:\\A|(?<=[{re.escape(delimiter)}\n]))"
    quoted_or_cr = re.compile(f'{opens}"[^"]*(?:""[^"]*)*(?:"|\\Z)|\r(?!\n)')
    held: set[int] = set()
    line, counted = 1, 0
    for found in quoted_or_cr.finditer(text):
        if found.group() == "\r":
            line += text.count("\n", counted, found.start())
            counted = found.start()
            held.add(starts[bisect_right(starts, line) - 1])
    return frozenset(held)


def _misfits(rows: list[tuple[int, list[str]]]) -> int:
    """How many rows after the first (the header) have not as many cells as it, empty
    cells past its end left out."""
    if not rows:
        return 0
    header, rest = _without_empty_end(rows[0][1], rows[1:])
    return sum(len(cells) != len(header) for _, cells in rest)


def _row_ends(text: str, delimiter: str) -> tuple[int, int]:
    """(lone CRs, LFs alone or after a CR) of ``text`` outside every quoted cell, as
    those that end a row are."""
    crs = lfs = 0
    for found in _quoted_or_end(delimiter).finditer(text):
        crs += found.group("cr") is not None
        lfs += found.group("lf") is not None
    return crs, lfs


def _header_cr(text: str, delimiter: str) -> int:
    """Where the lone CR is that ends the header line of ``text`` (its first line that
    holds more than separators and quotes), outside quoted cells; -1 where none does."""
    start = 0
    for found in _quoted_or_end(delimiter).finditer(text):
        if found.group("cr") is None and found.group("lf") is None:
            continue
        if text[start:found.start()].strip(delimiter + '"'):
            return found.start() if found.group("cr") is not None else -1
        start = found.end()
    return -1


def _quoted_or_end(delimiter: str) -> re.Pattern[str]:
    """A quoted cell (one that starts with a quote, to its closing quote or the end of
    the text), a lone CR (group ``cr``) or an LF (group ``lf``): the first of them from
    where a search starts."""
    opens = f"(?:\\A|(?<=[{re.escape(delimiter)}\r\n]))"
    return re.compile(f'{opens}"[^"]*(?:""[^"]*)*(?:"|\\Z)|(?P<cr>\r(?!\n))|(?P<lf>\n)')


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's error ``exc`` as said to a user: with what to do about it, and
    without Python's advice to a programmer on how to open the file."""
    text = str(exc)
    if text.startswith(_CR_ENDS_ROW):
        text = _CR_ENDS_ROW
    return text + next((hint for found, hint in _CSV_HINTS if found in text), "")


#: The start of the csv module's error at a line end inside an unquoted cell (after it,
#: Python's advice on how to open the file, which differs between versions).
_CR_ENDS_ROW = "new-line character seen in unquoted field"
#: A carriage return that no line feed follows.
_LONE_CR = re.compile("\r(?!\n)")

#: What to do about the csv module's errors (part of its message, the hint).
_CSV_HINTS = (
    ("expected after '\"'", ": text follows a closing quote in this row (a quote inside "
     "a quoted cell is written twice: \"\")"),
    ("unexpected end of data", ": a quote opened in this row is never closed"),
    (_CR_ENDS_ROW, ": a cell with a line break in it is written in quotes (\"...\")"),
)


def _delimiter(text: str) -> str:
    """The separator of the header line (the first that is not blank, as the header is
    the first row that is not empty): ``,``, or ``;`` or tab when the header has one of
    those and no comma (no column name holds any of them)."""
    header = next((line for line in _lines(text) if line.strip(" ")), "")
    if "," not in header:
        for other in ";\t":
            if other in header:
                return other
    return ","


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (split at CR, LF or CRLF), one at a time."""
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start:end.start()]
        start = end.end()
    if start < len(text):
        yield text[start:]


#: A line end: CRLF, CR or LF.
_LINE_END = re.compile("\r\n?|\n")


def _without_empty_end(header: list[str], rows: list[tuple[int, list[str]]]
                       ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Drop the unnamed columns at the end of the header that no row has text in, and
    the empty cells of a row past the header's end."""
    width = len(header)
    while width and header[width - 1] == "" and not any(
            len(cells) >= width and cells[width - 1] for _, cells in rows):
        width -= 1
    return header[:width], [(line, cells[:width] if len(cells) > width
                             and not any(cells[width:]) else cells) for line, cells in rows]
