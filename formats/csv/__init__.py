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
of a comma file. A cell longer than a spreadsheet keeps (:data:`EXCEL_CELL`,
:data:`LIBREOFFICE_CELL`) is written whole, with a ``cell-too-long`` warning.

Both are written with the stdlib :mod:`csv` module (UTF-8, ``\\n`` line ends, rows
sorted by slug and position), so the bytes depend only on the muscles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from converter.atomic import output_name
from converter.canonical import named_record
from converter.diagnostics import MuscleError, counted, error
from converter.model import Muscle
from converter.registry import Format, FormatOption, Place, ReadContext, WriteContext, spelling

from .cells import decode_items, encode_items, neutralise, restore
from .csvio import CsvTable, load_csv, write_rows
from .datapackage import _resources
from .flat import flat_places, read_flat
from .layout import (
    FLAT_CARRIES,
    FLAT_LAYOUT,
    FORMULA_PREFIX_KEY,
    PACKAGE_DESCRIPTOR,
    SEPARATORS,
    TABLES,
    columns,
)
from .package import package_places, read_package
from .writing import (
    EXCEL_CELL,
    LIBREOFFICE_CELL,
    PYTHON_CSV_FIELD,
    _sorted_unique,
    separator,
    write_flat,
    write_package,
)

__all__ = ["EXCEL_CELL", "FLAT_CARRIES", "FLAT_LAYOUT", "FORMULA_PREFIX_KEY", "LIBREOFFICE_CELL",
           "PACKAGE_DESCRIPTOR", "PYTHON_CSV_FIELD", "SEPARATORS", "TABLES", "CsvFormat",
           "CsvTable", "columns",
           "decode_items", "encode_items", "flat_places", "load_csv", "neutralise",
           "package_places", "read_flat",
           "read_package", "restore", "separator", "write_flat", "write_package",
           "write_rows"]


class CsvFormat(Format):
    name = "csv"
    description = ("Frictionless data package of CSV tables (lossless); --flat: one "
                   "spreadsheet row per muscle")
    extensions = (".csv",)
    validates = True
    directory_marker = PACKAGE_DESCRIPTOR
    variants: ClassVar[dict[str, frozenset[str]]] = {"flat": FLAT_CARRIES}
    #: What a caller may name the flat sheet (a CSV file, not an .xlsx workbook): for
    #: Excel, with its byte order mark; for any spreadsheet.
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {
        "excel": ("flat", "excel"), "xlsx": ("flat", "excel"), "spreadsheet": ("flat",)}
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
            write_flat(ordered, out, excel=excel, separator=separator(ctx.options), ctx=ctx)
            return (f"wrote {counted(len(ordered), 'muscles')} to {output_name(out)} (flat "
                    "sheet, without body and extra)")
        count = write_package(muscles, out, ctx)
        return f"wrote {counted(count, 'muscles')} to {out}/{PACKAGE_DESCRIPTOR} (data package)"
