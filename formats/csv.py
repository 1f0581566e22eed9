"""CSV: a Frictionless Tabular Data Package (lossless) or one flat sheet (lossy).

Package (the default): ``DIR/datapackage.json`` and one CSV per table (muscles, texts,
functions, exercises, regions) with Table Schema types, primary and foreign keys, so
``frictionless validate DIR/datapackage.json`` checks it. Every table declares
``missingValues: ["\\N"]``: ``\\N`` is null (``latin``, ``image`` and ``image_focus``
only) and an empty cell is a real empty string; a real text made of backslashes and
an ``N`` gets one more backslash. Every cell is quoted, and text cells are neutralised
against CSV injection as in the flat sheet (a leading ``'`` before ``= + - @``, tab,
carriage return or ``'``), and the descriptor says so (:data:`FORMULA_PREFIX_KEY`): a
package without that key, made by hand or by an older version, is read as written.

Flat sheet (``--flat``): one row per muscle for spreadsheets; see :data:`FLAT_LAYOUT`.
List cells (functions, exercises, coords) hold one item per line; in an item a
backslash is ``\\\\``, a line break ``\\n``, a carriage return ``\\r``; an empty line
means "no text in this language" and ``\\e`` alone means the empty text. Every cell is
neutralised against CSV injection (OWASP): a cell that is empty text or starts with
``= + - @``, tab, carriage return or ``'`` gets one leading ``'``, which the reader
strips again, and so does a text a spreadsheet would take for a number or date; an
empty cell means "absent". As OWASP also asks, every cell of the
sheet is wrapped in double quotes, so a ``;`` or ``,`` in a text never starts a new
cell in a spreadsheet that splits on another separator and reads the quotes. Its cells
are separated by ``,``, or by ``;`` or a tab (``separator``, :data:`SEPARATORS`): a
spreadsheet that splits on ``;`` alone (Excel in Danish, German, French) reads no quotes
of a comma file.

Both are written with the stdlib :mod:`csv` module (UTF-8, ``\\n`` line ends, rows
sorted by slug and position), so the bytes depend only on the muscles.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, NamedTuple

from converter.atomic import atomic_file, output_name
from converter.atomic_folder import atomic_directory, safe_child
from converter.authoring import (
    Problem,
    body_problem,
    muscle_from_front_matter,
    too_deep,
    without_reserved,
)
from converter.canonical import JsonPlaces, extra_json, load_extra, named_record
from converter.coords import SHOWN
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    KeptBytes,
    MuscleError,
    check_unchanged,
    counted,
    decode_utf8,
    error,
    kept_bytes_shown,
    open_stamp,
    printable,
)
from converter.drafts import problems as marker_problems
from converter.model import Muscle, is_language_code, number_text
from converter.registry import (
    Format,
    FormatOption,
    Place,
    ReadContext,
    WriteContext,
    spelling,
)
from converter.safety import MAX_DEPTH, BadJson, keys_twice, load_json
from converter.slug import STAND_IN_SLUG, is_slug, not_a_slug
from converter.spool import SortedSpool
from converter.unmarked import decode_text

PACKAGE_DESCRIPTOR = "datapackage.json"
#: The package's missing-value marker (as in PostgreSQL's COPY).
NULL = "\\N"
#: Fields the flat sheet carries: reading it back gives ``muscle.project(FLAT_CARRIES)``.
FLAT_CARRIES: frozenset[str] = frozenset({
    "slug", "title", "latin", "origin", "insertion", "functions", "exercises", "image",
    "image_focus", "regions"})
#: The flat sheet's columns; ``<lang>`` stands for one column per language used in
#: that field anywhere in the sheet, in sorted order.
FLAT_LAYOUT: tuple[str, ...] = (
    "slug", "title", "latin", "origin_<lang>", "insertion_<lang>", "function_short_<lang>",
    "function_extended_<lang>", "exercises", "image", "image_focus", "coords")
#: The columns a hand-made sheet must have; the others may be left out.
FLAT_REQUIRED = ("slug", "title")
#: Leading characters a spreadsheet may run as a formula, plus the marker itself.
INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
SAFE_PREFIX = "'"
#: The first letters of the months' names and abbreviations, as LibreOffice's locales
#: of these languages write them; any letters may follow ("ene" is also "enero").
_MONTHS = {
    "en": "jan feb mar apr may jun jul aug sep oct nov dec",
    "de": "jan feb mär apr mai jun jul aug sep okt nov dez",
    "fr": "jan fév mar avr mai juin juil aoû sep oct nov déc",
    "da": "jan feb mar apr maj jun jul aug sep okt nov dec",
    "sv": "jan feb mar apr maj jun jul aug sep okt nov dec",
    "nb": "jan feb mar apr mai jun jul aug sep okt nov des",
    "nl": "jan feb maa mrt apr mei jun jul aug sep okt nov dec",
    "es": "ene feb mar abr may jun jul ago sep oct nov dic",
    "it": "gen feb mar apr mag giu lug ago set ott nov dic",
    "pt": "jan fev mar abr mai jun jul ago set out nov dez",
}
#: Currency signs and words a spreadsheet of these languages takes before a number (a
#: "." may follow a word: Danish "kr. 5"): $ en-US, € de/es/fr/it/nl/pt, £ en-GB,
#: kr da/sv/nb, R$ pt-BR.
_CURRENCIES = ("$", "€", "£", "kr", "r$")
#: Texts a spreadsheet reads as a number, date, time or truth value: a digit first (after
#: spaces, "(", a currency of :data:`_CURRENCIES`, a sign or a decimal mark, "." or ","
#: as Danish and German spreadsheets write ",5"); a truth value in English or in the
#: language of a Danish, Norwegian, Swedish, German, Dutch, French, Spanish, Italian or
#: Portuguese spreadsheet (LibreOffice: " TRUE" and "falsk" in Danish, "WAHR" in German),
#: spaces around it or not; or a month of :data:`_MONTHS`, then a digit ("Jan 1",
#: "March 2001", "Jan-2001", "ene 1" in Spanish, "mei 1" in Dutch are dates to LibreOffice).
_NUMBER_LIKE = re.compile(
    r"\s*\(?\s*(?i:(?:" + "|".join(map(re.escape, _CURRENCIES)) + r")\.?\s*)?[-.,]?\d"
    r"|(?i:\s*(?:true|false|sand|falsk|sann|usann|sant|falskt|wahr|falsch|waar|onwaar|vrai"
    r"|faux|verdadero|verdadeiro|falso|vero)\s*\Z)"
    r"|(?i:\s*(?:" + "|".join(sorted({m for ms in _MONTHS.values() for m in ms.split()}))
    + r")[^\W\d_]*\.?[\s\-/.,]+\d)")
#: The descriptor key that says the package's text cells are neutralised (its value is
#: the prefix): readers of the tables alone see the prefix, this reader removes it.
FORMULA_PREFIX_KEY = "x-formula-prefix"
EMPTY_ITEM = "\\e"
#: What may separate the flat sheet's cells (``separator``), the first the default.
SEPARATORS = (",", ";", "\t")

_NULL_LIKE = re.compile(r"\\+N")
_INTEGER = re.compile(r"-?[0-9]+")  # (ASCII digits: int() takes any script's)
_NUMBER = re.compile(r"(-?)[0-9]+(?:\.[0-9]+)?")
_ITEM_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r"}
_FIELD_LIMIT = 2**31 - 1
#: Where a field path's first step ends (``function`` of ``function[0].short.da``).
_FIELD_STEP = re.compile(r"[.\[]")
#: A line feed without a carriage return before it.
_BARE_LF = re.compile("(?<!\r)\n")
_LANGUAGE = "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
#: Every option stated: frictionless guesses an option left out from the cells (so text
#: such as ", 'soleus'," made it skip the spaces that start a cell).
_DIALECT = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n",
            "quoteChar": '"', "skipInitialSpace": False}
#: The package's text columns (written with :func:`to_cell`, neutralised).
_TEXT_CELLS = frozenset({"title", "latin", "image", "image_focus", "body", "text", "name"})
_GROUPS = {"origin_": "origin", "insertion_": "insertion", "function_short_": "short",
           "function_extended_": "extended"}


# --------------------------------------------------------------------------- tables

def _col(name: str, type_: str, description: str, *, required: bool = True,
         **constraints: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "description": description,
            "constraints": {"required": required, **constraints}}


_SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"
_SLUG = _col("slug", "string", "the muscle (muscles.slug)", pattern=_SLUG_PATTERN)
_POSITION = _col("position", "integer", "0-based position in the list", minimum=0)
_LANG = _col("language", "string", "language code such as da or en", pattern=_LANGUAGE)

#: name -> (description, fields, primary key); every table but muscles refers to muscles.
TABLES: dict[str, tuple[str, tuple[dict[str, Any], ...], tuple[str, ...]]] = {
    "muscles": ("one row per muscle", (
        _col("slug", "string", "stable identity of the muscle", pattern=_SLUG_PATTERN),
        _col("title", "string", "display title"),
        _col("latin", "string", "Latin name (\\N: none)", required=False),
        _col("image", "string", "image URL or path (\\N: none)", required=False),
        _col("image_focus", "string", "focus image URL or path (\\N: none)", required=False),
        _col("body", "string", "Markdown body"),
        _col("extra", "object", "other front-matter keys as a JSON object"),
    ), ("slug",)),
    "texts": ("origin and insertion, one row per language", (
        _SLUG,
        _col("field", "string", "origin or insertion", enum=["origin", "insertion"]),
        _LANG,
        _col("text", "string", "the text"),
    ), ("slug", "field", "language")),
    "functions": ("functions: short statement and explanation, one row per language", (
        _SLUG, _POSITION,
        _col("part", "string", "short or extended", enum=["short", "extended"]),
        _LANG,
        _col("text", "string", "the text"),
    ), ("slug", "position", "part", "language")),
    "exercises": ("exercises in order", (
        _SLUG, _POSITION,
        _col("name", "string", "the exercise"),
    ), ("slug", "position")),
    "regions": ("body-diagram polygons, one row per point", (
        _SLUG,
        _col("region", "integer", "0-based polygon number", minimum=0),
        _col("point", "integer", "0-based point number in the polygon", minimum=0),
        _col("x", "number", "x coordinate, exactly as written", minimum=0),
        _col("y", "number", "y coordinate, exactly as written", minimum=0),
    ), ("slug", "region", "point")),
}


def columns(table: str) -> tuple[str, ...]:
    """The column names of a package table, in file order."""
    return tuple(f["name"] for f in TABLES[table][1])


def descriptor() -> dict[str, Any]:
    """The ``datapackage.json`` of every package this format writes."""
    resources = []
    for name, (description, fields, key) in TABLES.items():
        schema: dict[str, Any] = {"fields": list(fields), "missingValues": [NULL],
                                  "primaryKey": list(key)}
        if name != "muscles":
            schema["foreignKeys"] = [{"fields": ["slug"],
                                      "reference": {"resource": "muscles", "fields": ["slug"]}}]
        resources.append({"name": name, "path": f"{name}.csv", "description": description,
                          "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "dialect": _DIALECT,
                          "schema": schema})
    return {"profile": "tabular-data-package", "name": "muscles", "title": "Muscles",
            "description": "Muscle anatomy content written by muscle-convert.",
            "resources": resources, FORMULA_PREFIX_KEY: SAFE_PREFIX}


# --------------------------------------------------------------------------- cells

def to_cell(value: str | None) -> str:
    """A package text cell: ``None`` -> ``\\N``; a text that looks like the marker gets
    one more leading backslash; a text a spreadsheet could run as a formula (or that
    starts with the prefix) gets a leading ``'``."""
    if value is None:
        return NULL
    if _NULL_LIKE.fullmatch(value):
        return "\\" + value
    return SAFE_PREFIX + value if value.startswith(INJECTION_STARTS) else value


def from_cell(cell: str) -> str | None:
    """Inverse of :func:`to_cell` for a cell whose ``'`` prefix is already removed
    (see :func:`_table`)."""
    if cell == NULL:
        return None
    return cell[1:] if _NULL_LIKE.fullmatch(cell) else cell


def neutralise(value: str | None) -> str:
    """A flat-sheet cell: ``None`` -> empty; the empty text, texts a spreadsheet could
    run as a formula (or that start with the marker) and texts it would take for a
    number, date or truth value (and write back changed: ``007`` as 7, a coords list as
    one large number) get a leading ``'``, which keeps them text there."""
    if value is None:
        return ""
    if value == "" or value.startswith(INJECTION_STARTS) or _NUMBER_LIKE.match(value):
        return SAFE_PREFIX + value
    return value


def restore(cell: str) -> str | None:
    """Inverse of :func:`neutralise`: strips exactly one leading ``'``."""
    if cell == "":
        return None
    return cell[1:] if cell.startswith(SAFE_PREFIX) else cell


def encode_items(items: Sequence[str | None]) -> str | None:
    """A list as one cell text, one item per line (``None`` items as empty lines);
    ``None`` when no item is present."""
    if all(item is None for item in items):
        return None
    return "\n".join("" if item is None else _escape(item) for item in items)


def decode_items(text: str | None) -> list[str | None]:
    """Inverse of :func:`encode_items` (unknown escapes are kept as written)."""
    if not text:
        return []
    return [None if line == "" else _unescape(line) for line in text.split("\n")]


def _escape(item: str) -> str:
    if item == "":
        return EMPTY_ITEM
    return item.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(line: str) -> str:
    if line == EMPTY_ITEM:
        return ""
    return _ITEM_ESCAPE.sub(lambda m: _UNESCAPES.get(m[1], m[0]), line)


def _coords(muscle: Muscle) -> list[str]:
    return [r.coords for r in muscle.regions]


# --------------------------------------------------------------------------- csv i/o

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


def load_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[_NotUtf8Row],
                                   str]:
    """(header, [(line, cells), ...], rows left out, the separator found) of a UTF-8 CSV
    file (BOM allowed); each row carries the line it starts on. A row that holds a byte
    that is not UTF-8
    is left out, to be reported by the caller, who knows what it loses; the others are
    read (a header that holds one is an error: no column could be told). What
    spreadsheets and editors add on saving is undone:

    * a file with no bare LF (all CRLF, as ``unix2dos`` or git's ``autocrlf`` write it,
      or CR) is read with ``\n`` line ends, inside quoted cells too, as the Markdown
      reader reads such a file (the writer only ends lines with ``\n``);
    * ``;`` or tab between cells (Danish Excel, a copied range) is read as ``,``;
    * rows of empty cells are left out, like blank lines, and so are unnamed columns
      at the end that hold nothing and empty cells past the header's end."""
    old = csv.field_size_limit(_FIELD_LIMIT)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    raw = _read_whole(path)
    try:
        text, kept = decode_text(raw, str(path)), False
    except MuscleError:  # (a byte that is not UTF-8: only the rows holding one are lost)
        text, kept = decode_text(raw, str(path), keep=True), True
    try:
        if "\r" in text and not _BARE_LF.search(text):
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        delimiter = _delimiter(text)
        reader = csv.reader(io.StringIO(text), strict=True, delimiter=delimiter)
        for row in reader:
            if any(row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        hint = next((hint for found, hint in _CSV_HINTS if found in str(exc)), "")
        raise error(str(path), "bad-csv", f"is not valid CSV: {exc}{hint}",
                    line=line) from None
    finally:
        csv.field_size_limit(old)
    if not rows:
        raise error(str(path), "empty-csv", "has no header row")
    header, rows = _without_empty_end(rows[0][1], rows[1:])
    if not kept:
        return header, rows, [], delimiter
    if any(KEPT_BYTE.search(cell) for cell in header):
        decode_utf8(raw, str(path))  # (raises the error at the byte)
    return header, *_without_kept_bytes(rows, KeptBytes(text, str(path))), delimiter


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


#: What to do about the csv module's errors (part of its message, the hint).
_CSV_HINTS = (
    ("expected after '\"'", ": text follows a closing quote in this row (a quote inside "
     "a quoted cell is written twice: \"\")"),
    ("unexpected end of data", ": a quote opened in this row is never closed"),
)


def _delimiter(text: str) -> str:
    """The separator of the header line (the first that is not blank, as the header is
    the first row that is not empty): ``,``, or ``;`` or tab when the header has one of
    those and no comma (no column name holds any of them)."""
    header = next((line for line in _lines(text) if line.strip(" \r")), "")
    if "," not in header:
        for other in ";\t":
            if other in header:
                return other
    return ","


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` (split at ``\n``), one at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        yield text[start:end]
        start = end + 1


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


def _duplicate(out: Path, slug: str) -> None:
    raise error(str(out), "duplicate-slug", f"slug {slug!r} occurs twice")


def _sorted_unique(muscles: Iterable[Muscle], out: Path) -> list[Muscle]:
    ordered = sorted(muscles, key=lambda m: m.slug)
    for before, after in itertools.pairwise(ordered):
        if before.slug == after.slug:
            _duplicate(out, after.slug)
    return ordered


# --------------------------------------------------------------------------- package

def _muscle_rows(m: Muscle) -> dict[str, list[list[str]]]:
    """One muscle's rows in every table (cells as text), in position order."""
    rows: dict[str, list[list[str]]] = {name: [] for name in TABLES}
    rows["muscles"].append([m.slug, to_cell(m.title), to_cell(m.latin), to_cell(m.image),
                            to_cell(m.image_focus), to_cell(m.body),
                            extra_json(m.extra, (",", ":"))])
    for name in ("origin", "insertion"):
        rows["texts"] += [[m.slug, name, lang, to_cell(text)]
                          for lang, text in getattr(m, name).items()]
    for pos, function in enumerate(m.functions):
        for part in ("short", "extended"):
            rows["functions"] += [[m.slug, str(pos), part, lang, to_cell(text)]
                                  for lang, text in getattr(function, part).items()]
    rows["exercises"] += [[m.slug, str(pos), to_cell(name)]
                          for pos, name in enumerate(m.exercises)]
    rows["regions"] += [[m.slug, str(r), str(p), number_text(x), number_text(y)]
                        for r, region in enumerate(m.regions)
                        for p, (x, y) in enumerate(region.points)]
    return rows


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    write_rows(buffer, rows, quote_all=True)
    return buffer.getvalue()


def write_package(muscles: Iterable[Muscle], out: Path) -> int:
    """Write the data package directory atomically; return how many muscles it holds.

    Streams: each muscle's rows are parked on disk as they come and copied into the
    tables in slug order, so memory holds only the slugs."""
    with SortedSpool(TABLES) as spool:
        for muscle in muscles:
            spool.add(muscle.slug, **{name: _csv_text(rows)
                                      for name, rows in _muscle_rows(muscle).items()})
        spool.check_unique(lambda slug: _duplicate(out, slug))
        with atomic_directory(out) as tmp:
            for name in TABLES:
                with safe_child(tmp, f"{name}.csv").open("w", encoding="utf-8",
                                                        newline="") as fh:
                    write_rows(fh, [list(columns(name))], quote_all=True)
                    fh.writelines(spool.sorted(name))
            text = json.dumps(descriptor(), ensure_ascii=False, indent=2, sort_keys=True)
            safe_child(tmp, PACKAGE_DESCRIPTOR).write_text(text + "\n", encoding="utf-8")
        return len(spool)


class _RowProblem(Exception):
    """A bad cell in a package table: (column, code, message)."""

    def __init__(self, column: str, code: str, message: str) -> None:
        super().__init__(message)
        self.column, self.code, self.message = column, code, message


@dataclass
class _Draft:
    """One muscle gathered from the package's tables before validation."""

    line: int
    row: dict[str, str]
    texts: dict[str, dict[str, str | None]] = field(
        default_factory=lambda: {"origin": {}, "insertion": {}})
    functions: dict[int, dict[str, dict[str, str | None]]] = field(default_factory=dict)
    exercises: dict[int, str | None] = field(default_factory=dict)
    points: dict[int, dict[int, str]] = field(default_factory=dict)
    #: Where its values came from: field path (``origin.da``, ``function[0].short.en``;
    #: a table's name for its first row) -> (table, line).
    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: The fields (as :attr:`places` names them) a bad row of another table left
    #: incomplete (:func:`_lost`), or a byte that is not UTF-8 in its own row made
    #: unknown: the muscle is left out, its other problems said.
    lost: tuple[str, ...] = ()

    def rows(self) -> _Rows:
        """Where its values are in the package."""
        return _Rows(self.line, self.places, {
            name: sorted(items) for name, items in (
                ("function", self.functions), ("exercises", self.exercises),
                ("coords", self.points))})


@dataclass(frozen=True)
class _Rows:
    """Where one muscle's values are in a package: the line of its row of muscles, the
    rows that gave the others (:attr:`_Draft.places`) and the positions the rows gave
    its functions, exercises and polygons (``function`` -> [0, 5])."""

    line: int
    places: dict[str, tuple[str, int]]
    positions: dict[str, list[int]]

    def place(self, field: str) -> tuple[str, int] | None:
        """(table, line) of the row that gave ``field`` (or the part of it that a row
        gave), None for the muscles row's own fields."""
        field = self.by_position(field)
        while field:
            if field in self.places:
                return self.places[field]
            field = field.rpartition(".")[0] if "." in field else field.rpartition("[")[0]
        return None

    def by_position(self, field: str) -> str:
        """``field`` as the rows name it: the model's ``function[1]`` is the function
        of the second position given (``5``, when the rows give 0 and 5)."""
        for name, positions in self.positions.items():
            if field.startswith(f"{name}["):
                index, _, rest = field[len(name) + 1:].partition("]")
                if index.isdigit() and int(index) < len(positions):
                    return f"{name}[{positions[int(index)]}]{rest}"
        return field


def _integer(row: dict[str, str], name: str) -> int:
    """The number in column ``name`` (a position: 0 or more, as the descriptor says)."""
    cell = row[name]
    if not _INTEGER.fullmatch(cell):
        raise _RowProblem(name, "not-integer", f"{cell!r} is not a whole number")
    if int(cell) < 0:
        raise _RowProblem(name, "bad-value", f"{cell!r} is negative: {name} counts from 0")
    return int(cell)


def _once(store: dict, key: Any, value: Any, what: str) -> None:
    if key in store:
        raise _RowProblem(what, "duplicate-key", f"{what} {key!r} occurs twice")
    store[key] = value


def _add_text(draft: _Draft, row: dict[str, str]) -> None:
    if row["field"] not in draft.texts:
        raise _RowProblem("field", "bad-value", f"{row['field']!r} is not origin or insertion")
    _once(draft.texts[row["field"]], row["language"], from_cell(row["text"]), "language")


def _add_function(draft: _Draft, row: dict[str, str]) -> None:
    function = draft.functions.setdefault(_integer(row, "position"),
                                          {"short": {}, "extended": {}})
    if row["part"] not in function:
        raise _RowProblem("part", "bad-value", f"{row['part']!r} is not short or extended")
    _once(function[row["part"]], row["language"], from_cell(row["text"]), "language")


def _add_exercise(draft: _Draft, row: dict[str, str]) -> None:
    _once(draft.exercises, _integer(row, "position"), from_cell(row["name"]), "position")


def _add_point(draft: _Draft, row: dict[str, str]) -> None:
    for axis in ("x", "y"):
        number = _NUMBER.fullmatch(row[axis])
        if not number:
            raise _RowProblem(axis, "coords-not-number",
                              f"{row[axis]!r} is not a non-negative plain number")
        if number[1]:  # as in a coords string, -0 and -0.0 too
            raise _RowProblem(axis, "coords-negative", f"negative coordinate {row[axis]}")
    region = draft.points.setdefault(_integer(row, "region"), {})
    _once(region, _integer(row, "point"), f"{row['x']},{row['y']}", "point")


_ADDERS = {"texts": _add_text, "functions": _add_function, "exercises": _add_exercise,
           "regions": _add_point}
#: The field path a row of each child table gives (for diagnostics found later).
_GIVES = {"texts": "{field}.{language}", "functions": "function[{position}].{part}.{language}",
          "exercises": "exercises[{position}]", "regions": "coords[{region}]"}


#: The fields a row of each child table may give, all of which a row that is of no
#: shape (``bad-row``, ``not-utf8``) may have been meant for.
_TABLE_FIELDS = {"texts": ("origin", "insertion"), "functions": ("function",),
                 "exercises": ("exercises",), "regions": ("coords",)}
#: The column that says which item of its field a row of each child table is of, and
#: that item (as :attr:`_Draft.places` names it).
_ITEM = {"texts": ("field", "{field}"), "functions": ("position", "function[{position}]"),
         "exercises": ("position", "exercises[{position}]"),
         "regions": ("region", "coords[{region}]")}


def _lost(name: str, row: dict[str, str]) -> tuple[str, ...]:
    """The fields a bad row of the child table ``name`` left incomplete: its item (a
    polygon short of the point), or every field of its table when it names none."""
    column, item = _ITEM[name]
    if name == "texts":
        return (item.format(**row),) if row[column] in _TABLE_FIELDS[name] else (
            _TABLE_FIELDS[name])
    try:
        _integer(row, column)
    except _RowProblem:
        return _TABLE_FIELDS[name]
    return (item.format(**row),)


def _not_lost(found: list[Diagnostic], draft: _Draft) -> list[Diagnostic]:
    """The diagnostics of ``found`` but those at, inside or holding a field a bad row
    left incomplete (:attr:`_Draft.lost`): of a value the package does not hold."""
    rows = draft.rows()

    def near(named: str) -> bool:
        return any(named == lost or named.startswith((f"{lost}.", f"{lost}["))
                   or lost.startswith((f"{named}.", f"{named}[")) for lost in draft.lost)

    return [d for d in found if not (d.field and near(rows.by_position(d.field)))]


def _in_order(items: dict[int, Any]) -> list[Any]:
    """The items by position: positions give the order, not a count (a row deleted in a
    spreadsheet just removes its item), as in SQLite."""
    return [items[i] for i in sorted(items)]


def _extra(cell: str) -> dict[str, Any]:
    text = from_cell(cell)
    try:
        value = load_extra(text) if text is not None else None
    except BadJson as exc:
        where = f" (line {exc.line}, column {exc.column} of the cell)" if exc.line else ""
        raise _RowProblem("extra", "bad-json", f"is not valid JSON: {exc}{where}") from None
    if not isinstance(value, dict):
        raise _RowProblem("extra", "wrong-type", "must be a JSON object")
    twice = keys_twice(value)
    if twice:
        raise _RowProblem("extra", "duplicate-key", f"duplicate key {twice[0]!r}")
    return value


def _front(draft: _Draft) -> tuple[dict[str, Any], str, list[Problem],
                                   tuple[_RowProblem, ...]]:
    """The draft in the authors' layout (for the shared validator), its body, the
    keys of its ``extra`` named like a field, left out of it (a ``reserved-key``
    problem each), and the problems of its ``extra`` and ``body`` cells that are of no
    shape a muscle holds (an ``extra`` of ``{}``, a body of ``""`` in their stead, so
    that the muscle's other problems are found too)."""
    row = draft.row
    shapes: tuple[_RowProblem, ...] = ()  # (none: nothing made)
    try:
        extra, reserved = without_reserved(_extra(row["extra"]))
    except _RowProblem as problem:
        (extra, reserved), shapes = ({}, []), (problem,)
    body = from_cell(row["body"])
    if body is None:
        body, shapes = "", (*shapes, _RowProblem("body", "missing-field",
                                                  "is required (use an empty cell)"))
    front = {
        "slug": row["slug"], "title": from_cell(row["title"]), "latin": from_cell(row["latin"]),
        "origin": draft.texts["origin"], "insertion": draft.texts["insertion"],
        "function": _in_order(draft.functions),
        "exercises": _in_order(draft.exercises),
        "image": from_cell(row["image"]), "image_focus": from_cell(row["image_focus"]),
        "coords": [",".join(_in_order(points))
                   for points in _in_order(draft.points)],
        **extra,
    }
    return front, body, reserved, shapes


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
    header, rows, not_utf8, found = load_csv(path)
    mismatch = declared.differs(path, found) if declared is not None else None
    if mismatch is not None:
        report(mismatch)
    while header and header[-1] == "":  # (a spreadsheet names no column past the header's
        header = header[:-1]            # end that a longer row holds: that row is ragged)
    expected = columns(name)
    if sorted(header) != sorted(expected):
        raise error(str(path), "bad-header", f"columns must be {', '.join(expected)}; "
                    f"found {', '.join(header)}", line=1)
    out, left_out, slug_at = [], set(), header.index("slug")
    for bad in not_utf8:
        report(_not_utf8_row(bad, header, slug_at, left_out))
        cells = _fitted(bad.cells, header)
        if shown is not None and len(cells) == len(header) and not KEPT_BYTE.search(
                cells[slug_at]):
            held = frozenset(c for c, cell in zip(header, cells, strict=True)
                             if KEPT_BYTE.search(cell))
            row = _row(header, [kept_bytes_shown(cell) for cell in cells], prefix)
            shown.append(_Shown(bad.line, row, held))
    for line, cells in rows:
        cells = _fitted(cells, header)
        if len(cells) != len(header):
            report(Diagnostic(str(path), line, None, "", "bad-row", f"has {len(cells)} "
                              f"cells, the header {len(header)}; its muscle is left out"))
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


def _too_deep_at(data: Any) -> tuple[str, ...] | None:
    """Where the descriptor ``data`` nests more than :data:`MAX_DEPTH` levels (its own
    object the first): the key whose value does, () for the whole; None: nowhere."""
    if isinstance(data, dict):
        return next(((key,) for key, value in data.items()
                     if too_deep(value, MAX_DEPTH - 1)), None)
    return () if too_deep(data, MAX_DEPTH) else None


def _field(steps: Sequence[str | int]) -> str:
    """The field that the keys and indexes ``steps`` name (``resources[2].dialect``)."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps).lstrip(".")


class _Delimiter(NamedTuple):
    """The cell separator a table's resource declares, and where: the descriptor, the
    steps to its key there, the descriptor's places."""

    value: str
    descriptor: Path
    steps: tuple[str | int, ...]
    places: JsonPlaces

    def differs(self, table: Path, found: str) -> Diagnostic | None:
        """The ``delimiter-mismatch`` warning at the declaration when the cells of
        ``table`` are separated by ``found``, not as declared (read as found: a
        spreadsheet may save a table so); None when they are as declared."""
        if found == self.value:
            return None
        line, column = self.places.find_steps(self.steps) or (None, None)
        return Diagnostic(
            str(self.descriptor), line, column, _field(self.steps), "delimiter-mismatch",
            f"{table.name} separates its cells with {_shown(found)}, not {_shown(self.value)}"
            f" as declared: it is read as found, but frictionless splits it on "
            f"{_shown(self.value)}; declare the one used, \"delimiter\": {json.dumps(found)}",
            "warning")


class _Package(NamedTuple):
    """What a package's descriptor declares that the reader reads: table name -> CSV
    file, the formula prefix ("" for none) and table name -> the cell separator its
    resource declares (a table that declares none, frictionless guesses)."""

    files: dict[str, Path]
    prefix: str
    delimiters: dict[str, _Delimiter]


def _resources(path: Path) -> _Package:
    """What the descriptor at ``path`` declares (files must lie beside it)."""
    raw = _read_whole(path)
    try:
        text = decode_text(raw, str(path))
        data = load_json(text, read_deep=True)  # (however deep: too-deep, at its key)
    except BadJson as exc:
        what = ("is not valid JSON" if path.name == PACKAGE_DESCRIPTOR else
                "is neither a .csv sheet nor a data package descriptor (not JSON)")
        raise error(str(path), "bad-json", f"{what}: {exc}", line=exc.line,
                    column=exc.column) from None
    places = JsonPlaces(text)  # (it walks the text on the first problem only)
    twice = keys_twice(data)
    if twice:  # (at its last value, as the json format says it)
        raise error(str(path), "duplicate-key", f"duplicate key {twice[0]!r}", twice[0],
                    *(places.find(twice[0]) or (None, None)))
    deep = _too_deep_at(data)
    if deep is not None:
        raise error(str(path), "too-deep", f"is nested deeper than {MAX_DEPTH} levels "
                    "(counting the descriptor's own object)", _field(deep),
                    *(places.find_steps(deep) or (None, None)))
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):  # (at the list, else the object or the value)
        raise error(str(path), "bad-package", 'expected an object with a "resources" list',
                    "resources" if isinstance(data, dict) else "",
                    *(places.find_steps(("resources",)) or (None, None)))

    def bad(message: str, *steps: str | int) -> MuscleError:
        line, column = places.find_steps(steps) or (None, None)
        return error(str(path), "bad-package", message, _field(steps), line, column)

    found: dict[str, int] = {}  # name -> its resource's place in the list
    for at, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        if isinstance(name, str) and found.setdefault(name, at) != at:
            raise bad(f"resource name {name!r} given twice (first in resources[{found[name]}])",
                      "resources", at, "name")
    files, delimiters = {}, {}
    for name in TABLES:
        if name not in found:
            raise bad(f"no resource named {name!r}: the package needs one for each of its "
                      f"tables ({', '.join(TABLES)})", "resources")
        where = resources[found[name]].get("path")
        if not isinstance(where, str) or "/" in where or "\\" in where or where in ("", ".", ".."):
            raise bad(f"resource {name!r} needs a CSV file name beside the descriptor",
                      "resources", found[name], "path")
        unread = _unread(resources[found[name]])
        if unread is not None:
            raise bad(unread[1], "resources", found[name], *unread[0])
        declared = _declared_delimiter(resources[found[name]])
        if declared is not None:
            delimiters[name] = _Delimiter(declared[0], path,
                                          ("resources", found[name], *declared[1]), places)
        files[name] = path.parent / where
        if not files[name].is_file():
            raise error(str(files[name]), "missing-table", f"table {name!r} is missing")
    prefix = data.get(FORMULA_PREFIX_KEY, "")
    if prefix not in ("", SAFE_PREFIX):  # (another would cut every text it starts)
        raise bad(f"{_shown(prefix)} is not the prefix muscle-convert writes "
                  f"({SAFE_PREFIX!r}): give that, or leave the key out for none",
                  FORMULA_PREFIX_KEY)
    return _Package(files, prefix, delimiters)


#: What the reader reads of a table's dialect (Frictionless), each key's values: cells
#: separated by any of these (:func:`_delimiter`), and any line end.
_DIALECT_READ: dict[str, tuple[Any, ...]] = {
    "delimiter": (",", ";", "\t"), "quoteChar": ('"',), "doubleQuote": (True,),
    "header": (True,), "lineTerminator": ("\n", "\r\n", "\r"), "skipInitialSpace": (False,)}


#: The endings frictionless takes for a compressed table's (``muscles.csv.gz``).
_COMPRESSED = ("zip", "gz", "bz2", "xz")
_Unread = tuple[tuple[str, ...], str]


def _unread(resource: dict[str, Any]) -> _Unread | None:
    """The first key of a table's ``resource`` that declares what the reader does not
    read as declared (compression, another encoding, dialect or missing value), as (its
    steps, the message); None when there is none."""
    path, compression = str(resource.get("path")), resource.get("compression")
    if compression or Path(path).suffix[1:].lower() in _COMPRESSED:  # (as frictionless)
        return ("compression",) if compression else ("path",), (
            f"{_shown(compression or path)} is not read: the tables are read uncompressed "
            "(decompress the table and give the .csv file it holds as path"
            f"{', leaving compression out' if compression else ''})")
    encoding = resource.get("encoding", "utf-8")
    try:
        utf8 = isinstance(encoding, str) and codecs.lookup(encoding).name in (
            "utf-8", "utf-8-sig")
    except (LookupError, ValueError):
        utf8 = False
    if not utf8:
        return ("encoding",), (f"{_shown(encoding)} is not read: the tables are read as "
                               'UTF-8 (save the table as UTF-8, then give "utf-8")')
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        return ("dialect",), f"{_shown(dialect)} is not read: give the dialect as an object"
    unread = _unread_dialect(dialect, ("dialect",))
    if unread is not None:
        return unread
    schema = resource.get("schema")
    if not isinstance(schema, dict) or "missingValues" not in schema:
        # (frictionless's default, [""], reads an empty cell as none and \N as text)
        return ("schema",) if isinstance(schema, dict) else (), (
            f"{'the schema' if isinstance(schema, dict) else 'the table'} declares no "
            'missingValues, so frictionless reads an empty cell as missing and \\N as '
            "text, where the reader reads \\N as missing and an empty cell as an empty "
            'text: declare "missingValues": ["\\\\N"] in the schema')
    missing = schema["missingValues"]
    if missing != [NULL]:
        return ("schema", "missingValues"), (
            f"{_shown(missing)} is not read: a cell of \\N is the tables' one missing "
            'value (an empty cell is an empty text): give ["\\\\N"]')
    return None


def _unread_dialect(dialect: dict[str, Any], steps: tuple[str, ...]) -> _Unread | None:
    """The first key of a table's ``dialect`` (at ``steps``), or of its ``csv`` object,
    where frictionless 5 writes the keys but ``header``, that declares what the reader
    does not read, as (its steps, the message); None when there is none."""
    nested = steps[-1] == "csv"
    names = [name for name in _DIALECT_READ if not (nested and name == "header")]
    for key, value in dialect.items():
        if key == "csv" and not nested:
            if not isinstance(value, dict):
                return (*steps, key), (f"{_shown(value)} is not read: give csv as an "
                                       "object of the dialect's keys")
            unread = _unread_dialect(value, (*steps, key))
            if unread is not None:
                return unread
        elif key not in names:
            also = "" if nested else ", or those but header in csv (as frictionless 5 writes)"
            return (*steps, key), (f"this key is not read: a table's {_field(steps)} may "
                                   f"give only {', '.join(names)}{also}")
        elif not any(type(value) is type(one) and value == one
                     for one in _DIALECT_READ[key]):
            return (*steps, key), (f"{_shown(value)} is not read: {key} may be "
                                   f"{' or '.join(_shown(one) for one in _DIALECT_READ[key])}")
    return None


def _declared_delimiter(resource: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The cell separator a table's ``resource`` declares (one :func:`_unread` found
    read) and the steps to it there, as frictionless reads it: its dialect's
    ``delimiter``, else its dialect's ``csv.delimiter``, else a tab for ``"format":
    "tsv"``; None for none (frictionless guesses it)."""
    dialect = resource.get("dialect", {})
    nested = dialect.get("csv", {})
    if "delimiter" in dialect:
        return dialect["delimiter"], ("dialect", "delimiter")
    if "delimiter" in nested:
        return nested["delimiter"], ("dialect", "csv", "delimiter")
    return ("\t", ("format",)) if resource.get("format") == "tsv" else None


def _shown(value: Any) -> str:
    """A value of the descriptor as a message names it: text as Python shows it
    (its start, if long), else its kind."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN else f"{value[:SHOWN]}...")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        listed = json.dumps(value, ensure_ascii=False)
        return listed if len(listed) <= SHOWN else f"{listed[:SHOWN]}..."
    return "a list" if isinstance(value, list) else (
        "an object" if isinstance(value, dict) else "a number")


def read_package(path: Path, ctx: ReadContext) -> Iterator[Muscle]:
    """Yield the muscles of the package described at ``path``, sorted by slug (where
    their values are kept for :func:`package_places`)."""
    try:
        stamps = _stamps(path)  # (before reading: a table changed since is read again)
    except OSError:
        stamps = None
    files, drafts, bad = _gather(path, ctx.report)
    if stamps is not None:
        _remember(path, stamps, files, drafts)
    for slug, draft in sorted(drafts.items()):
        if slug in bad and not draft.lost:  # (one with a bad row is left out, but its
            continue                          # other problems are said: _build)
        muscle = _build(draft, files, ctx)
        if muscle is not None:
            yield muscle


def _gather(path: Path, report_to: Callable[[Diagnostic], None]
            ) -> tuple[dict[str, Path], dict[str, _Draft], set[str]]:
    """The tables of the package described at ``path``, the draft of each muscle (by
    slug, with the rows that gave its values) and the slugs of those left out, whose
    problems went to ``report_to``."""
    files, prefix, delimiters = _resources(path)
    drafts: dict[str, _Draft] = {}

    def report(name: str, line: int | None, problem: _RowProblem) -> None:
        report_to(Diagnostic(str(files[name]), line, None, problem.column, problem.code,
                             problem.message))

    shown: list[_Shown] = []
    rows, bad = _table(files["muscles"], "muscles", report_to, prefix, shown,
                       delimiters.get("muscles"))
    gone = set(bad)  # (its muscles row left out: no muscle to check)
    for line, row in rows:
        slug = row["slug"]
        if not is_slug(slug):
            report("muscles", line, _RowProblem("slug", "bad-slug", not_a_slug(slug)))
            bad.add(slug)  # (its rows in the other tables name it: no unknown-slug)
        elif slug in drafts:
            report("muscles", line, _RowProblem("slug", "duplicate-key", f"{slug!r} twice"))
            bad.add(slug)
            gone.add(slug)
        else:
            drafts[slug] = _Draft(line, row)
    _checked_beside_not_utf8(shown, drafts, gone)
    for name, add in _ADDERS.items():
        rows, ragged = _table(files[name], name, report_to, prefix,
                              declared=delimiters.get(name))
        bad |= ragged
        for slug in ragged.intersection(drafts) - gone:  # (which field, not known)
            drafts[slug].lost += _TABLE_FIELDS[name]
        unknown: dict[str, list[int | None]] = {}  # slug -> lines of its rows
        for line, row in rows:
            draft = drafts.get(row["slug"])
            if draft is None:
                if row["slug"] not in bad:  # (its muscles row was left out: said there)
                    unknown.setdefault(row["slug"], []).append(line)
                continue
            try:
                add(draft, row)
            except _RowProblem as problem:
                report(name, line, problem)
                bad.add(row["slug"])
                if row["slug"] not in gone:
                    draft.lost += _lost(name, row)
                continue
            draft.places.setdefault(name, (name, line))
            gives = _GIVES[name].format(**row)
            # (what it gives, and its item, origin or coords[1]: the first row of it)
            draft.places.setdefault(gives, (name, line))
            draft.places.setdefault(gives.split(".", 1)[0], (name, line))
        for slug, lines in unknown.items():  # (once a table: a muscle has many rows)
            more = f" ({len(lines)} rows name it; this is the first)" if len(lines) > 1 else ""
            report(name, lines[0], _RowProblem("slug", "unknown-slug",
                                               f"no muscle {slug!r} in muscles{more}"))
    return files, drafts, bad


def _checked_beside_not_utf8(shown: list[_Shown], drafts: dict[str, _Draft],
                             gone: set[str]) -> None:
    """A draft of each row of muscles.csv left out for a byte that is not UTF-8
    (``shown``), of a slug no other row gives, so that its other problems and the lints
    of its valid fields are said (:func:`_build`); the columns holding such a byte are
    :attr:`_Draft.lost` (an ``extra`` holding one is read as none)."""
    given = Counter(row["slug"] for _, row, _ in shown)
    for line, row, held in shown:
        slug = row["slug"]
        if not is_slug(slug) or slug in drafts or given[slug] > 1:
            continue
        fields = tuple(sorted(held - {"extra"})) or ("extra",)
        drafts[slug] = _Draft(line, {**row, "extra": "{}"} if "extra" in held else row,
                              lost=fields)
        gone.discard(slug)


def package_places(path: Path) -> Callable[[str], Place | None]:
    """Where a diagnostic about a field (``muscles[<slug>].origin.da``) of the package
    at ``path`` (its folder or descriptor) belongs: the row of the table that gave the
    value (its muscle's row of ``muscles.csv`` for the muscle's own fields), the field
    named as the reader's own problems there are (``origin.da``); None when not known."""
    descriptor = path / PACKAGE_DESCRIPTOR if path.is_dir() else path
    try:
        files, rows = _package(descriptor)
    except (OSError, MuscleError):  # (the reader says what is wrong with it)
        return lambda _: None

    def place(field: str) -> Place | None:
        named = named_record(field)
        where = rows.get(named[0]) if named else None
        if named is None or where is None:
            return None
        rest = named[1].removeprefix(".")
        table, line = where.place(rest) or ("muscles", where.line)
        return Place(str(files[table]), line, None, rest)

    return place


_Stamps = tuple[tuple[str, int, int], ...]
#: The last package read or asked about: (descriptor, :func:`_stamps`) -> its tables
#: and where each muscle's values are (one package at a time: lints ask per field).
_KNOWN: dict[tuple[str, _Stamps], tuple[dict[str, Path], dict[str, _Rows]]] = {}


def _stamps(descriptor: Path) -> _Stamps:
    """(path, size, mtime) of a package's descriptor and the files beside it."""
    found = []
    for file in sorted({descriptor, *descriptor.parent.iterdir()}):
        st = file.stat()
        found.append((str(file), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _remember(descriptor: Path, stamps: _Stamps, files: dict[str, Path],
              drafts: dict[str, _Draft]) -> None:
    _KNOWN.clear()
    _KNOWN[str(descriptor), stamps] = files, {s: d.rows() for s, d in drafts.items()}


def _package(descriptor: Path) -> tuple[dict[str, Path], dict[str, _Rows]]:
    """The tables of the package at ``descriptor`` and where each muscle's values are
    in them, as its files are now (read again when one changed)."""
    stamps = _stamps(descriptor)
    known = _KNOWN.get((str(descriptor), stamps))
    if known is None:
        files, drafts, _ = _gather(descriptor, lambda _: None)
        _remember(descriptor, stamps, files, drafts)
        known = _KNOWN[str(descriptor), stamps]
    return known


def _build(draft: _Draft, files: dict[str, Path], ctx: ReadContext) -> Muscle | None:
    """The muscle of a draft, or None with its problems reported, each at the row of
    the table that gave the value (problems inside ``extra`` named ``extra.<key>``, a
    draft marker's among them: :func:`converter.drafts.problems`)."""
    muscles = str(files["muscles"])
    front, body, reserved, shapes = _front(draft)
    said = body_problem(body)  # (the row's body, not a key body of its extra)
    bad_body = [] if said is None else [
        Diagnostic(muscles, None, None, "body", "control-character", said)]
    try:
        muscle = muscle_from_front_matter(front, path=muscles, slug_hint=draft.row["slug"],
                                          body=body, check_body=False,
                                          writer_lang=ctx.default_lang)
    except MuscleError as exc:
        failure, found = exc, exc.diagnostics
    else:  # (a draft marker checked here, not after the reader: at its row)
        found = [Diagnostic(muscles, None, None, key, code, message)
                 for key, code, message in marker_problems(muscle.extra)]
        if not found and not bad_body and not reserved and not shapes and not draft.lost:
            return muscle
        failure = MuscleError([], muscle)
    found = [*(Diagnostic(muscles, None, None, problem.column, problem.code,
                          problem.message) for problem in shapes), *found, *bad_body]
    found += ctx.lints(failure, errors=found)  # (its valid fields', in the same run)
    if draft.lost:
        found = _not_lost(found, draft)
    for field_path, code, message in reserved:  # (at the muscle's row, as named)
        ctx.report(Diagnostic(muscles, draft.line, None, field_path, code, message))
    try:
        extra = sorted(without_reserved(_extra(draft.row["extra"]))[0], key=len,
                       reverse=True)
    except _RowProblem:  # (the problem found)
        extra = []
    for d in found:
        if not any(d is b for b in bad_body) and any(
                d.field == k or d.field.startswith((k + ".", k + "[")) for k in extra):
            table, line, d = "muscles", draft.line, d._replace(field=f"extra.{d.field}")
        else:
            table, line = draft.rows().place(d.field) or ("muscles", draft.line)
        ctx.report(d._replace(path=str(files[table]), line=line, column=None))
    return None


# --------------------------------------------------------------------------- flat sheet

def _languages(muscles: list[Muscle], group: str) -> list[str]:
    found: set[str] = set()
    for m in muscles:
        if group in ("origin", "insertion"):
            found.update(getattr(m, group))
        else:
            for function in m.functions:
                found.update(getattr(function, group))
    return sorted(found)


def flat_header(muscles: list[Muscle]) -> list[str]:
    """The flat sheet's header for these muscles (:data:`FLAT_LAYOUT` expanded)."""
    header = []
    for column in FLAT_LAYOUT:
        if column.endswith("<lang>"):
            prefix = column.removesuffix("<lang>")
            header += [prefix + lang for lang in _languages(muscles, _GROUPS[prefix])]
        else:
            header.append(column)
    return header


def _flat_cell(muscle: Muscle, column: str) -> str | None:
    for prefix, group in _GROUPS.items():
        if column.startswith(prefix):
            lang = column.removeprefix(prefix)
            if group in ("origin", "insertion"):
                return getattr(muscle, group).get(lang)
            return encode_items([getattr(f, group).get(lang) for f in muscle.functions])
    if column == "exercises":
        return encode_items(muscle.exercises)
    if column == "coords":
        return encode_items(_coords(muscle))
    return getattr(muscle, column)


def write_flat(muscles: list[Muscle], out: Path, *, excel: bool, separator: str = ",") -> None:
    """Write the flat sheet atomically (with a UTF-8 BOM when ``excel``), its cells
    separated by ``separator`` (one of :data:`SEPARATORS`; no ``sep=`` line: Excel
    ignores the BOM of a file that has one)."""
    header = flat_header(muscles)
    rows = [[neutralise(_flat_cell(m, column)) for column in header] for m in muscles]
    with atomic_file(out, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        write_rows(fh, [[neutralise(c) for c in header], *rows], quote_all=True,
                   delimiter=separator)


def separator(options: Mapping[str, Any]) -> str:
    """The flat sheet's separator that ``options`` give (``,`` when none); one that is
    not of :data:`SEPARATORS` is a ``bad-option`` error of the option as the caller
    names it (:func:`~converter.registry.spelling`)."""
    value = options.get("separator")
    if value is None:
        return SEPARATORS[0]
    if value not in SEPARATORS:
        named = spelling()
        typed = f"; a tab is typed {named.typed('separator', chr(9))}" if value == "\\t" \
            else ""
        raise error(named.option("separator"), "bad-option",
                    f"'{printable(str(value))}' cannot separate the flat sheet's cells: "
                    f"give ',' (the default), ';' or a tab{typed}")
    return str(value)


@dataclass
class _FlatSheet:
    """A flat sheet's header, parsed: where each column is."""

    path: Path
    index: dict[str, int]
    groups: dict[str, list[tuple[str, int]]]
    #: The run's ``--default-lang``, which ``too-large`` counts a row's values by.
    writer_lang: str = "en"

    @classmethod
    def parse(cls, path: Path, header: list[str], ctx: ReadContext) -> _FlatSheet:
        names = [restore(cell) or "" for cell in header]
        table = next((t for t in TABLES if sorted(names) == sorted(columns(t))), None)
        if table is not None:  # (read as a sheet, it would lose what the others hold)
            where = (f"read the package's folder or its {PACKAGE_DESCRIPTOR}"
                     if (path.parent / PACKAGE_DESCRIPTOR).is_file() else
                     f"its {PACKAGE_DESCRIPTOR}, which describes the tables, is missing")
            raise error(str(path), "bad-header", f"is the {table} table of a data package, "
                        f"not a flat sheet: {where}", line=1)
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise error(str(path), "bad-header", f"duplicate columns {duplicates}", line=1)
        fixed = [c for c in FLAT_LAYOUT if not c.endswith("<lang>")]
        missing = [c for c in FLAT_REQUIRED if c not in names]
        if missing:
            raise error(str(path), "bad-header", f"missing columns {missing}", line=1)
        groups: dict[str, list[tuple[str, int]]] = {g: [] for g in _GROUPS.values()}
        for i, name in enumerate(names):
            prefix = next((p for p in _GROUPS if name.startswith(p)), None)
            if prefix is not None:
                lang = name.removeprefix(prefix)
                if not is_language_code(lang):  # (once here, not once per row)
                    raise error(str(path), "bad-header", f"column {name!r} does not end in "
                                "a language code such as da or en", line=1, column=i + 1)
                groups[_GROUPS[prefix]].append((lang, i))
            elif name not in fixed:
                ctx.report(Diagnostic(str(path), 1, i + 1, name, "unknown-column",
                                      f"column {name!r} is not read", "warning"))
        return cls(path, {n: i for i, n in enumerate(names)}, groups, ctx.default_lang)

    def lines(self, header: list[str], rows: list[tuple[int, list[str]]]
              ) -> dict[str, int | None]:
        """The line each slug's row starts on, of the ``rows`` that fit the ``header``
        (None for a slug of more than one row)."""
        found: dict[str, int | None] = {}
        at = self.index["slug"]
        for line, cells in rows:
            slug = restore(cells[at]) if len(cells) == len(header) else None
            if slug is not None:
                found[slug] = None if slug in found else line
        return found

    def muscle(self, cells: list[str]) -> Muscle:
        """The muscle of one row, or :class:`MuscleError` with all its problems: a slug
        that is not one (never made into one) and function columns that list different
        numbers of functions are said with the row's others (checked with a stand-in
        slug, and no functions), as in the other readers."""
        shapes: tuple[Diagnostic, ...] = ()  # (none: nothing made)
        try:
            front = self.front(cells)
        except MuscleError as exc:  # (function-count: the row checked without functions)
            front, shapes = self.front(cells, functions=False), tuple(exc.diagnostics)
        slug = front["slug"]
        if isinstance(slug, str) and not is_slug(slug):
            shapes = (Diagnostic(str(self.path), None, self.index["slug"] + 1, "slug",
                                 "bad-slug", not_a_slug(slug)), *shapes)
            front["slug"] = STAND_IN_SLUG
        try:
            muscle = muscle_from_front_matter(front, path=str(self.path), slug_hint="",
                                              locate=self.cell, writer_lang=self.writer_lang)
        except MuscleError as exc:
            raise MuscleError([*shapes, *exc.diagnostics], exc.partial) from None
        if shapes:
            raise MuscleError(list(shapes), muscle)
        return muscle

    def columns(self, field: str) -> set[int]:
        """The columns (from 0) that hold ``field`` or a part of it: a text's in one
        language, else every column of its name (``origin``: each ``origin_<lang>``;
        ``function[1]``: each function column); none for the row as a whole."""
        column = self.cell(field)[1]
        if column is not None:
            return {column - 1}
        name = _FIELD_STEP.split(field, maxsplit=1)[0]
        groups = ("short", "extended") if name == "function" else (name,)
        held = {i for group in groups for _, i in self.groups.get(group, ())}
        return held | ({self.index[name]} if name in self.index else set())

    def cell(self, field: str) -> tuple[int | None, int | None]:
        """(None, the column's number) of a text in one language (``origin.pt-br``,
        ``function[0].short.da``): the column that holds it, its row's line being the
        reader's to give; (None, None) for another field."""
        head, _, lang = field.rpartition(".")
        group = head.rpartition("].")[2] if head.startswith("function[") else head
        at = dict(self.groups.get(group, ())).get(lang)
        return None, None if at is None else at + 1

    def front(self, cells: list[str], *, functions: bool = True) -> dict[str, Any]:
        """One row in the authors' layout, for the shared validator (without its
        functions when not ``functions``)."""
        def get(name: str) -> str | None:  # (a column left out: nothing)
            return restore(cells[self.index[name]]) if name in self.index else None

        def texts(group: str) -> dict[str, str]:
            pairs = ((lang, restore(cells[i])) for lang, i in self.groups[group])
            return {lang: text for lang, text in pairs if text is not None}

        return {"slug": get("slug"), "title": get("title"), "latin": get("latin"),
                "origin": texts("origin"), "insertion": texts("insertion"),
                "function": self.functions(cells) if functions else [],
                "exercises": decode_items(get("exercises")), "image": get("image"),
                "image_focus": get("image_focus"), "coords": decode_items(get("coords"))}

    def functions(self, cells: list[str]) -> list[dict[str, dict[str, str]]]:
        """The functions of one row, rebuilt from the per-language list cells."""
        items = {(part, lang): decode_items(restore(cells[i]))
                 for part in ("short", "extended") for lang, i in self.groups[part]}
        counts = {len(v) for v in items.values() if v}
        if len(counts) > 1:
            raise MuscleError(Diagnostic(str(self.path), None, None, "function",
                                         "function-count", "the function columns list "
                                         f"different numbers of functions {sorted(counts)}"))
        return [{part: {lang: texts[k] for (p, lang), texts in items.items()
                        if p == part and texts and texts[k] is not None}
                 for part in ("short", "extended")} for k in range(max(counts, default=0))]



def read_flat(path: Path, ctx: ReadContext) -> Iterator[Muscle]:
    """Yield the muscles of a flat sheet, in row order (where their rows are kept for
    :func:`flat_places`)."""
    try:
        stamp = _sheet_stamp(path)  # (before reading: a sheet changed since is read again)
    except OSError:
        stamp = None
    header, rows, not_utf8, _ = load_csv(path)
    sheet = _FlatSheet.parse(path, header, ctx)
    if stamp is not None:
        _SHEETS.clear()
        _SHEETS[str(path), stamp] = sheet.lines(header, rows)
    for bad in not_utf8:  # (its muscle is left out, as a row with any other error)
        column = (restore(header[bad.cell]) or "") if bad.cell < len(header) else ""
        ctx.report(bad.problem._replace(field=column))
        _beside_not_utf8(sheet, header, bad, ctx)
    for line, cells in rows:
        try:
            _fits(sheet, header, line, cells)
            ctx.mark = line
            yield sheet.muscle(cells)
        except MuscleError as exc:
            _report_row([*exc.diagnostics, *ctx.lints(exc)], line, ctx)


def _fits(sheet: _FlatSheet, header: list[str], line: int, cells: list[str]) -> None:
    """A ``bad-row`` error when the row at ``line`` has not as many cells as the
    ``header`` (its cells would be read as others)."""
    if len(cells) != len(header):
        raise error(str(sheet.path), "bad-row", f"has {len(cells)} cells, the header "
                    f"{len(header)}", line=line)


def _report_row(found: Iterable[Diagnostic], line: int, ctx: ReadContext) -> None:
    """Say the diagnostics ``found`` of the row at ``line``."""
    for d in found:
        ctx.report(Diagnostic(d.path, line, d.column, d.field, d.code, d.message, d.severity))


def _beside_not_utf8(sheet: _FlatSheet, header: list[str], bad: _NotUtf8Row,
                     ctx: ReadContext) -> None:
    """Say the other problems of a row left out for a byte that is not UTF-8, and the
    lints of its valid fields: the row is checked with each such byte U+FFFD (made for
    such a row only); a cell holding one has no other problem of its own."""
    held = {i for i, cell in enumerate(bad.cells) if KEPT_BYTE.search(cell)}
    cells = [kept_bytes_shown(cell) if i in held else cell
             for i, cell in enumerate(bad.cells)]
    try:
        _fits(sheet, header, bad.line, cells)
        failure = MuscleError([], sheet.muscle(cells))
    except MuscleError as exc:
        failure = exc
    _report_row((d for d in [*failure.diagnostics, *ctx.lints(failure)]
                 if not held & sheet.columns(d.field)), bad.line, ctx)


def flat_places(path: Path) -> Callable[[str], Place | None]:
    """Where a diagnostic about a field (``muscles[<slug>].origin.da``) of the flat sheet
    at ``path`` belongs: the line its muscle's row starts on (a quoted cell may hold
    line breaks), the field named as the reader's own problems there are
    (``origin.da``); None when not known, as for a slug of more than one row (which of
    them is meant is not known). The sheet is looked at on the first field asked."""
    lines: dict[str, int | None] | None = None

    def place(field: str) -> Place | None:
        nonlocal lines
        named = named_record(field)
        if named is None:
            return None
        if lines is None:
            lines = _sheet_lines(path)
        line = lines.get(named[0])
        return None if line is None else Place(str(path), line, None,
                                               named[1].removeprefix("."))

    return place


#: The last flat sheet read or asked about: (path, :func:`_sheet_stamp`) -> the line
#: of each slug's row (one sheet at a time: lints ask per field).
_SHEETS: dict[tuple[str, _Stamps], dict[str, int | None]] = {}


def _sheet_stamp(path: Path) -> _Stamps:
    """(path, size, mtime) of a flat sheet."""
    st = path.stat()
    return ((str(path), st.st_size, st.st_mtime_ns),)


def _sheet_lines(path: Path) -> dict[str, int | None]:
    """The line of each slug's row of the flat sheet at ``path``, as it is now (read
    again when it changed); empty when it cannot be read (the reader says why)."""
    try:
        stamp = _sheet_stamp(path)
        known = _SHEETS.get((str(path), stamp))
        if known is None:
            header, rows, _, _ = load_csv(path)
            known = _FlatSheet.parse(path, header, ReadContext()).lines(header, rows)
            _SHEETS.clear()
            _SHEETS[str(path), stamp] = known
    except (OSError, MuscleError):
        return {}
    return known


# --------------------------------------------------------------------------- the format

class CsvFormat(Format):
    name = "csv"
    description = ("Frictionless data package of CSV tables (lossless); --flat: one "
                   "spreadsheet row per muscle")
    extensions = (".csv",)
    validates = True
    directory_marker = PACKAGE_DESCRIPTOR
    variants: ClassVar[dict[str, frozenset[str]]] = {"flat": FLAT_CARRIES}
    options = (
        FormatOption("flat", "one row per muscle for spreadsheets (lossy)", is_flag=True,
                     default=False),
        FormatOption("excel", "with --flat: add a UTF-8 BOM for Excel", is_flag=True,
                     default=False, needs="flat"),
        FormatOption("separator", "with --flat: what separates cells: , (default), ; "
                     "(Excel in Danish, German, French, ...) or a tab", metavar="CHAR",
                     needs="flat"),
    )

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        if path.is_dir():
            descriptor_path = path / PACKAGE_DESCRIPTOR
            if not descriptor_path.is_file():
                raise error(str(path), "not-a-package", f"has no {PACKAGE_DESCRIPTOR}")
            return read_package(descriptor_path, ctx)
        if path.name.lower().endswith(".csv"):
            return read_flat(path, ctx)
        return read_package(path, ctx)

    def places(self, path: Path) -> Callable[[str], Place | None]:
        if not path.is_dir() and path.name.lower().endswith(".csv"):
            return flat_places(path)
        return package_places(path)

    def marked_place(self, path: Path, mark: int, field: str) -> Place | None:
        """``field`` (``muscles[<slug>].slug``) of the flat sheet's row that starts on
        line ``mark`` (a package's reader marks no rows: its tables refuse a slug
        given twice)."""
        named = named_record(field)
        if named is None or path.is_dir() or not path.name.lower().endswith(".csv"):
            return None
        return Place(str(path), mark, None, named[1].removeprefix("."))

    def writes_directory(self, options: Mapping[str, Any]) -> bool:
        return not options.get("flat")

    def companions(self, path: Path) -> list[Path]:
        """A package's descriptor and tables (named by its folder or its descriptor): the
        files its descriptor names, whatever their ending, and the .csv files beside it."""
        folder = path if path.is_dir() else path.parent
        descriptor = path if path.is_file() and path.suffix.lower() == ".json" else \
            folder / PACKAGE_DESCRIPTOR
        if not descriptor.is_file() or path.suffix.lower() == ".csv":
            return []
        try:
            named = set(_resources(descriptor).files.values())
        except (MuscleError, OSError):  # (the reader says what is wrong with it)
            named = set()
        return sorted(named | {descriptor} | {
            p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".json")})

    def check_options(self, options: Mapping[str, Any]) -> None:
        """``excel`` and ``separator`` without ``flat``, or a separator that is none, are
        ``bad-option``, each option named as the caller gives it (``--separator``, or
        ``separator``; ``--flat``, or ``flat=True``)."""
        named = spelling()
        for name in ("excel", "separator"):
            if options.get(name) not in (None, False) and not options.get("flat"):
                raise error(named.option(name), "bad-option",
                            f"applies only with {named.given('flat')}")
        separator(options)

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> str:
        self.check_options(ctx.options)
        flat, excel = bool(ctx.option("flat", False)), bool(ctx.option("excel", False))
        if flat:  # the header needs every muscle's languages: one list in memory
            ordered = _sorted_unique(muscles, out)
            write_flat(ordered, out, excel=excel, separator=separator(ctx.options))
            return (f"wrote {counted(len(ordered), 'muscles')} to {output_name(out)} (flat "
                    "sheet, without body and extra)")
        count = write_package(muscles, out)
        return f"wrote {counted(count, 'muscles')} to {out}/{PACKAGE_DESCRIPTOR} (data package)"
