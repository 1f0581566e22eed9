"""Writing the data package (streamed, in slug order) and the flat sheet."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from converter.atomic import atomic_file, output_is_stdout, output_name
from converter.atomic_folder import atomic_directory, safe_child
from converter.canonical import extra_json
from converter.diagnostics import error, printable
from converter.model import Muscle, number_text
from converter.registry import WriteContext, spelling
from converter.spool import SortedSpool, sorted_unique

from .cells import encode_items, neutralise, to_cell
from .csvio import write_rows
from .layout import (
    _GROUPS,
    FLAT_LAYOUT,
    PACKAGE_DESCRIPTOR,
    SEPARATORS,
    TABLES,
    columns,
    descriptor,
)


def _coords(muscle: Muscle) -> list[str]:
    return [r.coords for r in muscle.regions]


def _duplicate(out: Path, slug: str) -> None:
    raise error(output_name(out), "duplicate-slug", f"slug {slug!r} occurs twice",
                stream=output_is_stdout(out))


def _sorted_unique(muscles: Iterable[Muscle], out: Path) -> list[Muscle]:
    """``muscles`` by slug; a slug twice is ``duplicate-slug``."""
    return sorted_unique(muscles, lambda m: m.slug, lambda slug: _duplicate(out, slug))


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


def write_package(muscles: Iterable[Muscle], out: Path, ctx: WriteContext | None = None
                  ) -> int:
    """Write the data package directory atomically; return how many muscles it holds.
    A cell longer than Python's csv module reads by default is written whole, with a
    ``cell-too-long`` warning to ``ctx`` (:func:`_warn_if_too_long_to_read`).

    Streams: each muscle's rows are parked on disk as they come and copied into the
    tables in slug order, so memory holds only the slugs."""
    with SortedSpool(TABLES) as spool:
        for muscle in muscles:
            tables = _muscle_rows(muscle)
            if ctx is not None:
                _warn_if_too_long_to_read(muscle.slug, tables, out, ctx)
            spool.add(muscle.slug, **{name: _csv_text(rows) for name, rows in tables.items()})
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


#: The longest cell Python's csv module reads by default (``csv.field_size_limit()``,
#: in characters), and the longest line DuckDB's ``read_csv`` reads by default
#: (``max_line_size``, in bytes).
PYTHON_CSV_FIELD, DUCKDB_LINE = 131_072, 2_097_152


def _warn_if_too_long_to_read(slug: str, tables: dict[str, list[list[str]]], out: Path,
                              ctx: WriteContext) -> None:
    """A ``cell-too-long`` warning about each cell of the muscle ``slug``'s rows
    (``tables``) longer than Python's csv module reads by default: one such cell fails
    ``csv.reader`` on its table (``field larger than field limit``)."""
    for name, rows in tables.items():
        for row in rows:
            for column, cell in zip(columns(name), row, strict=True):
                if len(cell) > PYTHON_CSV_FIELD:
                    ctx.report(ctx.muscle_diagnostic(
                        slug, _package_field(name, column, row), str(out), "cell-too-long",
                        f"the data package's {name}.csv {column} cell holds "
                        f"{len(cell):,} characters, more than Python's csv module reads "
                        f"by default ({PYTHON_CSV_FIELD:,}; raise csv.field_size_limit() "
                        f"to read it), and DuckDB's read_csv reads no line over "
                        f"{DUCKDB_LINE:,} bytes unless max_line_size is raised: the "
                        "package has it whole (frictionless and pandas read it)",
                        "warning"))


def _package_field(table: str, column: str, row: list[str]) -> str:
    """The field a package table's ``column`` holds in ``row`` (as front matter names
    it: ``origin.da``, ``function[0].extended.en``, ``exercises[2]``)."""
    if table == "texts":
        return f"{row[1]}.{row[2]}"
    if table == "functions":
        return f"function[{row[1]}].{row[2]}.{row[3]}"
    if table == "exercises":
        return f"exercises[{row[1]}]"
    if table == "regions":
        return f"coords[{row[1]}]"
    return column


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


def write_flat(muscles: list[Muscle], out: Path, *, excel: bool, separator: str = ",",
               ctx: WriteContext | None = None) -> None:
    """Write the flat sheet atomically (with a UTF-8 BOM when ``excel``), its cells
    separated by ``separator`` (one of :data:`SEPARATORS`; no ``sep=`` line: Excel
    ignores the BOM of a file that has one); a cell longer than a spreadsheet keeps is
    written whole, with a ``cell-too-long`` warning to ``ctx`` (:func:`_warn_if_long`)."""
    header = flat_header(muscles)
    rows = [[neutralise(_flat_cell(m, column)) for column in header] for m in muscles]
    with atomic_file(out, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        write_rows(fh, [[neutralise(c) for c in header], *rows], quote_all=True,
                   delimiter=separator)
    if ctx is not None:
        for muscle, row in zip(muscles, rows, strict=True):
            for column, cell in zip(header, row, strict=True):
                _warn_if_long(muscle.slug, column, cell, out, ctx)


#: The characters a cell holds (in UTF-16 code units, as both count them): Excel's, and
#: LibreOffice's, whose CSV import cuts a longer cell there.
EXCEL_CELL, LIBREOFFICE_CELL = 32_767, 65_535


def _warn_if_long(slug: str, column: str, cell: str, out: Path, ctx: WriteContext) -> None:
    """A ``cell-too-long`` warning about the muscle ``slug``'s field in ``column`` when
    its ``cell`` (as written) is longer than Excel keeps."""
    if 2 * len(cell) <= EXCEL_CELL:  # (at most two code units a character)
        return
    length = len(cell.encode("utf_16_le")) // 2
    if length <= EXCEL_CELL:
        return
    over = (f"more than a cell keeps in Excel ({EXCEL_CELL:,}) or LibreOffice "
            f"({LIBREOFFICE_CELL:,}): the sheet has it whole, but a spreadsheet"
            if length > LIBREOFFICE_CELL else
            f"more than the {EXCEL_CELL:,} a cell of Excel keeps (LibreOffice keeps "
            f"{LIBREOFFICE_CELL:,}): the sheet has it whole, but Excel")
    ctx.report(ctx.muscle_diagnostic(
        slug, _field(column), str(out), "cell-too-long",
        f"the flat sheet's {column} cell holds {length:,} characters, {over} cuts it on "
        "opening, and a sheet it saves again lacks the rest", "warning"))


def _field(column: str) -> str:
    """The field a flat-sheet column holds (``origin_da``: ``origin.da``); ``function``
    for a function column, whose cell holds every function's text in one language."""
    for prefix, group in _GROUPS.items():
        if column.startswith(prefix):
            return "function" if prefix.startswith("function") else \
                f"{group}.{column.removeprefix(prefix)}"
    return column


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
