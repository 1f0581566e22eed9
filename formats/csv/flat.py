"""Reading the flat sheet: its header parsed, a muscle from each row, each problem
at its row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converter.authoring import muscle_from_front_matter
from converter.canonical import named_record
from converter.diagnostics import KEPT_BYTE, Diagnostic, MuscleError, error, kept_bytes_shown
from converter.model import Muscle, is_language_code
from converter.registry import Place, ReadContext
from converter.slug import STAND_IN_SLUG, is_slug, not_a_slug

from .cells import decode_items, restore
from .csvio import _NotUtf8Row, load_csv, ragged_row
from .layout import _GROUPS, FLAT_LAYOUT, FLAT_REQUIRED, PACKAGE_DESCRIPTOR, TABLES, columns
from .package import _Stamps

#: Where a field path's first step ends (``function`` of ``function[0].short.da``).
_FIELD_STEP = re.compile(r"[.\[]")


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
    table = load_csv(path)
    header, rows, split = table.header, table.rows, table.split
    sheet = _FlatSheet.parse(path, header, ctx)
    if stamp is not None:
        _SHEETS.clear()
        _SHEETS[str(path), stamp] = sheet.lines(header, rows)
    for bad in table.not_utf8:  # (its muscle is left out, as a row with any other error)
        column = (restore(header[bad.cell]) or "") if bad.cell < len(header) else ""
        ctx.report(bad.problem._replace(field=column))
        _beside_not_utf8(sheet, header, bad, split, ctx)
    for line, cells in rows:
        try:
            _fits(sheet, header, line, cells, split)
            ctx.mark = line
            yield sheet.muscle(cells)
        except MuscleError as exc:
            _report_row([*exc.diagnostics, *ctx.lints(exc)], line, ctx)


def _fits(sheet: _FlatSheet, header: list[str], line: int, cells: list[str],
          split: frozenset[int]) -> None:
    """A ``bad-row`` error when the row at ``line`` has not as many cells as the
    ``header`` (its cells would be read as others); ``split``: the lines of the rows
    that hold a lone CR outside quotes (see :func:`ragged_row`)."""
    if len(cells) != len(header):
        raise error(str(sheet.path), "bad-row", ragged_row(cells, header, line, split),
                    line=line)


def _report_row(found: Iterable[Diagnostic], line: int, ctx: ReadContext) -> None:
    """Say the diagnostics ``found`` of the row at ``line``."""
    for d in found:
        ctx.report(Diagnostic(d.path, line, d.column, d.field, d.code, d.message, d.severity))


def _beside_not_utf8(sheet: _FlatSheet, header: list[str], bad: _NotUtf8Row,
                     split: frozenset[int], ctx: ReadContext) -> None:
    """Say the other problems of a row left out for a byte that is not UTF-8, and the
    lints of its valid fields: the row is checked with each such byte U+FFFD (made for
    such a row only); a cell holding one has no other problem of its own."""
    held = {i for i, cell in enumerate(bad.cells) if KEPT_BYTE.search(cell)}
    cells = [kept_bytes_shown(cell) if i in held else cell
             for i, cell in enumerate(bad.cells)]
    try:
        _fits(sheet, header, bad.line, cells, split)
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
            table = load_csv(path)
            known = _FlatSheet.parse(path, table.header, ReadContext()).lines(
                table.header, table.rows)
            _SHEETS.clear()
            _SHEETS[str(path), stamp] = known
    except (OSError, MuscleError):
        return {}
    return known
