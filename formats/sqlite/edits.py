"""Rows edited by hand: a muscle whose content hash says unchanged, but whose rows in the
database are not what its record makes (a text, a BLOB put in a column with sqlite3, a
row added or deleted), is written again, so the database holds what a fresh write holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from .names import _kept_text
from .rows import _child_rows

#: The columns of ``muscles`` a record gives (after its hash), of the muscles ``IN (...)``.
_MUSCLES = ("SELECT slug, title, latin, image, image_focus, body, extra FROM muscles "
            "WHERE slug IN ({})")
#: A muscle's rows of each table of :data:`~.statements._CHILD_TABLES`, in its order and
#: with its columns (as :func:`~.rows._child_rows` makes them); those of a table whose
#: key orders them as a record does, in that order (compared as lists, not sets). A column
#: of integers is read as :data:`_INTEGER` reads it, so that a REAL 1.0 (put in a table made
#: again without types) is not the 1 it equals, to Python as to SQLite.
_CHILD_ROWS = (
    "SELECT muscle, field, language, text FROM texts WHERE muscle IN ({})",
    "SELECT muscle, {position}, part, language, text FROM functions WHERE muscle IN ({})",
    "SELECT muscle, {position}, name FROM exercises WHERE muscle IN ({}) ORDER BY 1, 2",
    "SELECT muscle, {position} FROM regions WHERE muscle IN ({}) ORDER BY 1, 2",
    "SELECT muscle, {region}, {position}, x, y FROM points WHERE muscle IN ({}) "
    "ORDER BY 1, 2, 3",
)
#: A column of integers as :func:`_differing` reads it: an integer as it is, any other
#: value (a REAL, a text, a BLOB, NULL) as SQL writes it, a text no integer equals.
_INTEGER = "iif(typeof({0}) = 'integer', {0}, quote({0}))"
#: Which of ``muscles`` and :data:`_CHILD_ROWS` come in a record's order.
_ORDERED = (False, False, False, True, True, True)
#: How sqlite3 says a text of the database is not UTF-8.
_UNDECODABLE = "Could not decode to UTF-8"


def _edited(conn: sqlite3.Connection, unchanged: Mapping[str, list[Any]]) -> set[str]:
    """Of ``unchanged`` (slug -> :func:`~.rows.row` of a muscle whose content hash is
    the database's, at most :data:`~.loading.BATCH`), the slugs whose rows differ from
    what that row makes: in a value, a text or a BLOB or a number for another (the
    number 5 for the text ``'5'``), or by a row more or less. A text that is not UTF-8 is
    compared with its bytes kept."""
    if not unchanged:
        return set()
    try:
        return _differing(conn, unchanged)
    except sqlite3.OperationalError as exc:
        if not str(exc).startswith(_UNDECODABLE):
            raise
    before, conn.text_factory = conn.text_factory, _kept_text
    try:
        return _differing(conn, unchanged)
    finally:
        conn.text_factory = before


def _differing(conn: sqlite3.Connection, unchanged: Mapping[str, list[Any]]) -> set[str]:
    """:func:`_edited`, the database's texts read as ``conn`` reads them."""
    slugs = list(unchanged)
    marks = ",".join("?" * len(slugs))
    found: dict[str, list[list[tuple[Any, ...]]]] = {
        slug: [[] for _ in range(len(_CHILD_ROWS) + 1)] for slug in slugs}
    for i, query in enumerate((_MUSCLES, *_CHILD_ROWS)):
        statement = query.format(marks, position=_INTEGER.format("position"),
                                 region=_INTEGER.format("region"))
        for row in conn.execute(statement, slugs):
            if (held := found.get(row[0])) is not None:
                held[i].append(row)
    return {slug for slug, values in unchanged.items()
            if not all(held == made if ordered else _same(held, made)
                       for held, made, ordered in zip(
                           found[slug], _expected(slug, values), _ORDERED, strict=True))}


def _expected(slug: str, values: list[Any]) -> list[list[tuple[Any, ...]]]:
    """The rows a fresh write makes of the muscle ``slug`` of the record ``values``, as
    :func:`_differing` reads them."""
    _, title, latin, image, image_focus, body, extra, texts, functions, exercises, \
        regions = values
    return [[(slug, title, latin, image, image_focus, body, extra)],
            *_child_rows(slug, texts, functions, exercises, regions)]


def _same(held: list[tuple[Any, ...]], made: list[tuple[Any, ...]]) -> bool:
    """Whether the rows ``held`` are the rows ``made`` (each once, as a record makes
    them), in any order: as many, and the same."""
    return len(held) == len(made) and set(held) == set(made)
