"""How the SQLite format's diagnostics name a database's values, rows and tables
(a byte that is not UTF-8 shown as U+FFFD, ``NULL`` as SQL writes it)."""

from __future__ import annotations

from typing import Any

from converter.diagnostics import KEPT_BYTE, counted, kept_bytes_shown


def _one(count: int, one: str, many: str) -> str:
    """``one`` or ``many``, as ``count`` asks."""
    return one if count == 1 else many


def _named(value: Any) -> str:
    """``value`` as a diagnostic names it (``'soleus'``), a byte that is not UTF-8 shown
    as U+FFFD; ``NULL`` for None and a BLOB as ``x'00'``, as SQL writes them."""
    if value is None or isinstance(value, bytes):
        return _shown(value)
    return repr(_shown(value)) if isinstance(value, str) else repr(value)


#: How many tables a message names before it counts the rest.
_TABLES_NAMED = 5


def _kept_text(raw: bytes) -> str:
    """A text of the database, a byte that is not UTF-8 kept (as ``KEPT_BYTE``)."""
    return str(raw, "utf-8", "surrogateescape")


def _shown(text: Any) -> str:
    """``text`` as a diagnostic may show it: a byte kept as not UTF-8 is U+FFFD; None
    (a slug made NULL by hand) is ``NULL``, and a BLOB ``x'00'``, as SQL writes them."""
    if isinstance(text, str) and KEPT_BYTE.search(text):
        return kept_bytes_shown(text)
    if isinstance(text, bytes):
        return f"x'{text.hex()}'"
    return "NULL" if text is None else str(text)


def _row(table: str, slug: Any, **key: Any) -> str:
    """A row of ``table`` as a diagnostic names it, by its key, so that the user can
    look it up: ``points[muscle 'soleus', region 0, position 'a']`` (a BLOB as SQL
    writes it, ``x'00'``)."""
    shown = ", ".join(f"{column} {_named(value)}" for column, value in
                      (("muscle", slug), *key.items()))
    return f"{table}[{shown}]"


def _stored(value: Any) -> str:
    """A value of a column that holds text, when it is not text, as SQLite has it."""
    if isinstance(value, bytes):
        return f"a BLOB of {counted(len(value), 'bytes')}"
    return "NULL" if value is None else f"the number {value!r}"
