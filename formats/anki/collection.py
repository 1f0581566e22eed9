"""The collection's notes of a muscle note type, by their note type's fields (a field
renamed in Anki found by its place)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from converter.coords import SHOWN
from converter.diagnostics import (
    Diagnostic,
    MuscleError,
    agreeing,
    counted,
    error,
    kept_bytes_shown,
)
from converter.registry import ReadContext
from converter.safety import BadJson, load_json

from .apkg import _NEWER, _collection, _opened
from .fields import _typed_text
from .notetype import FIELD_NAMES, NOTETYPE_NAME, stable_id

#: A note type's id -> (its name, its field names in order).
_NoteTypes = dict[int, tuple[str, list[str]]]


def _note_types(conn: sqlite3.Connection) -> _NoteTypes:
    """Every note type of the collection (old JSON schema or new tables)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'table'")}
    if "fields" in tables:
        types: _NoteTypes = {int(ntid): (str(name), []) for ntid, name in conn.execute(
            "SELECT id, name FROM notetypes")} if "notetypes" in tables else {}
        for ntid, _, name in conn.execute("SELECT ntid, ord, name FROM fields "
                                          "ORDER BY ntid, ord"):
            types.setdefault(int(ntid), (str(ntid), []))[1].append(name)
        return types
    row = conn.execute("SELECT models FROM col").fetchone()
    if row is None:
        raise ValueError("its col table has no row (the collection's settings and note "
                         "types)")
    (models,) = row
    try:
        return _model_types(load_json(models or "{}"))
    except BadJson as exc:
        raise ValueError(f"its note types (col.models) are not valid JSON: {exc}") from None


def _model_types(models: Any) -> _NoteTypes:
    """The note types of the old schema's ``col.models`` JSON; ValueError when it does
    not have that shape."""
    if not isinstance(models, dict):
        raise ValueError("its note types (col.models) are not a JSON object")
    types: _NoteTypes = {}
    for mid, model in models.items():
        flds = model.get("flds", []) if isinstance(model, dict) else None
        if not isinstance(flds, list) or not all(isinstance(f, dict) for f in flds):
            raise ValueError(f"note type {mid!r} in col.models has no list of fields")
        ordered = sorted(flds, key=lambda f: f.get("ord", 0))
        types[int(mid)] = (str(model.get("name", mid)), [f.get("name", "") for f in ordered])
    return types


def _note_rows(path: Path, collection: bytes, ctx: ReadContext) -> list[Note]:
    """Every note of a muscle note type (see :func:`_muscle_fields`) as (its type's
    field names, ours for those renamed in Anki, its fields' HTML, or what they are
    when they are no text: :func:`_note_values`, and its time). A field renamed
    is a warning naming it; a field read that cannot be found (moved and renamed, or
    deleted) is a warning too: what it held is not read. A note whose note type the
    collection does not have is a ``bad-note`` error (:func:`_report_typeless`); those
    of other note types are counted in a warning (:func:`_report_others`)."""
    try:
        conn = _opened(collection)
        try:
            types = _note_types(conn)
            # (as bytes: a note's text that is not UTF-8 is its own error, not the deck's)
            rows = conn.execute("SELECT id, mid, typeof(flds), CAST(flds AS BLOB), mod "
                                "FROM notes ORDER BY id").fetchall()
        finally:
            conn.close()
    except (sqlite3.DatabaseError, TypeError, ValueError) as exc:
        raise error(str(path), "bad-apkg", f"holds an unreadable Anki collection: {exc}"
                    ) from None
    found = {mid: (name, fields, _muscle_fields(mid, name, fields))
             for mid, (name, fields) in types.items()}
    ours = {mid: got for mid, got in found.items() if {"Name", "Slug"} <= set(got[2])}
    if not ours:
        mine = [got for mid, got in found.items()
                if mid == stable_id(NOTETYPE_NAME) or got[0] == NOTETYPE_NAME]
        if mine:  # (ours, by its id or name, with a field gone)
            name, _, read = mine[0]
            lacking = " or ".join(f for f in ("Name", "Slug") if f not in read)
            raise error(str(path), "not-a-muscle-deck",
                        f"its note type {name!r} (muscle-convert's) has no field {lacking}, "
                        "which was renamed and moved in Anki, or deleted: its notes cannot "
                        "be read; give the note type its field back (Anki: Tools > Manage "
                        "Note Types > Fields)")
        raise error(str(path), "not-a-muscle-deck",
                    "has no note type with Name and Slug fields (not written by "
                    "muscle-convert)")
    used = {mid for _, mid, *_ in rows}
    for mid, (name, fields, read) in sorted(ours.items()):
        if mid in used:
            _report_fields(str(path), name, fields, read, ctx)
    _report_typeless(str(path), [row for row in rows if isinstance(row[1], int)
                                 and row[1] not in types], ctx)
    _report_others(str(path), Counter(types[mid][0] for _, mid, *_ in rows if isinstance(
        mid, int) and mid in types and mid not in ours), ctx)
    return [_note(ours, mid, mod, kind, flds) for _, mid, kind, flds, mod in rows
            if mid in ours or not isinstance(mid, int)]


#: How many note types the warning of notes of other note types names.
_TYPES_NAMED = 10


def _report_others(path: str, others: Counter[str], ctx: ReadContext) -> None:
    """One ``other-note-types`` warning counting the notes that are ignored as of other
    note types than the muscle ones, ``others`` (note type name -> notes), by note
    type, most first (up to :data:`_TYPES_NAMED` of them)."""
    if not others:
        return
    ranked = sorted(others.items(), key=lambda item: (-item[1], item[0]))
    named = [f"{name!r} ({count})" for name, count in ranked[:_TYPES_NAMED]]
    if len(ranked) > _TYPES_NAMED:
        named.append(f"and {counted(len(ranked) - _TYPES_NAMED, 'other note types')}")
    ctx.report(Diagnostic(path, None, None, "", "other-note-types",
                          f"{counted(others.total(), 'notes')} of "
                          f"{agreeing(len(others), 'another note type', 'other note types')}"
                          f" ignored (not muscle notes): {', '.join(named)}", "warning"))


def _report_typeless(path: str, rows: list[tuple[Any, ...]], ctx: ReadContext) -> None:
    """A ``bad-note`` error for each note of ``rows`` (id, note type id, fields' type,
    fields and time), whose note type id names no note type of the collection: a damaged
    collection (Anki's Check Database gives such notes a new note type, their field
    names lost). Named by its id (``nid:`` in Anki's browser) and its first field, or
    what its fields are when they are no text (binary data, NULL)."""
    for nid, mid, kind, flds, *_ in rows:
        values = _note_values(kind, flds)
        if isinstance(values, str):
            fields = f"its fields are {_NOT_TEXT.get(kind, kind)}, not text"
        else:
            first = _typed_text(kept_bytes_shown(values[0]))
            shown = first if len(first) <= SHOWN else f"{first[:SHOWN]}..."
            fields = f"its first field is {shown!r}"
        ctx.report(Diagnostic(path, None, None, f"notes[id {nid}]", "bad-note",
                              f"has note type id {mid} (notes.mid), which is no note type "
                              "of the collection, so damaged (Anki's Tools > Check "
                              f"Database gives such a note a new note type); {fields}; "
                              "the note is left out"))


#: What a note's fields (``notes.flds``) that are not text are, by SQLite's type.
_NOT_TEXT = {"blob": "binary data", "null": "empty (NULL)", "integer": "a number",
             "real": "a number"}
#: What a note type id (``notes.mid``) that is no integer is, by its Python type.
_NOT_ID = {bytes: "binary data", str: "text", float: "a fraction", type(None): "empty (NULL)"}


#: A note as the reader takes it: its field names, its values (or what they are when
#: they are no text) and its modification time (``notes.mod``; None when no integer).
Note = tuple[list[str], list[str] | str, int | None]


def _note(ours: dict[int, tuple[str, list[str], list[str]]], mid: Any, mod: Any, kind: str,
          flds: Any) -> Note:
    """A note's field names (by its note type ``mid``), values (see
    :func:`_note_values`) and time ``mod`` (None when no integer); a note type id that
    is no integer (a damaged collection: it names no note type) is said instead of the
    values."""
    time = mod if isinstance(mod, int) else None
    if not isinstance(mid, int):
        return [], (f"has a note type id (notes.mid) that is "
                    f"{_NOT_ID.get(type(mid), 'no integer')}, not a number"), time
    return ours[mid][2], _note_values(kind, flds), time


def _note_values(kind: str, flds: Any) -> list[str] | str:
    """The fields of a note, whose ``notes.flds`` is of SQLite's type ``kind``; when
    that is not text (a damaged or hand-edited collection), what they are instead."""
    if kind == "text":  # (a byte that is not UTF-8 kept: see _undecoded)
        return str(flds, "utf-8", "surrogateescape").split("\x1f")
    return f"has fields that are {_NOT_TEXT.get(kind, kind)}, not text"


def _muscle_fields(mid: int, name: str, fields: list[str]) -> list[str]:
    """The field names of a note type as the reader takes them. In a note type of
    ours (by its id or name, or its fields Name and Slug) a field renamed in Anki is
    ours again, found by its place, unless a field of ours was moved (then places tell
    nothing)."""
    if not (mid == stable_id(NOTETYPE_NAME) or name == NOTETYPE_NAME
            or {"Name", "Slug"} <= set(fields)):
        return fields
    if any(FIELD_NAMES.index(f) != place for place, f in enumerate(fields)
           if f in FIELD_NAMES):
        return fields
    return [FIELD_NAMES[place] if f not in FIELD_NAMES and place < len(FIELD_NAMES) else f
            for place, f in enumerate(fields)]


def _report_fields(path: str, name: str, fields: list[str], read: list[str],
                   ctx: ReadContext) -> None:
    """Warn of the fields of the note type ``name`` that were renamed in Anki and are
    read by their place (``read``: what the reader takes them for), and of those it
    reads that it cannot find."""
    for field, taken in zip(fields, read, strict=True):
        if field != taken and taken in ("Name", "Slug", *_READ_FIELDS):
            ctx.report(Diagnostic(
                path, None, None, "", "missing-field",
                f"note type {name!r} has no field {taken}: its field {field!r}, in "
                f"{taken}'s place, is read as {taken} (renamed in Anki?)", "warning"))
    lacking = [f for f in _READ_FIELDS if f not in read]
    if lacking:
        ctx.report(Diagnostic(
            path, None, None, "", "missing-field",
            f"note type {name!r} has no field {' or '.join(lacking)} (renamed in "
            f"Anki?): its notes are read without {'them' if len(lacking) > 1 else 'it'}",
            "warning"))


#: The fields the reader reads besides Name and Slug.
_READ_FIELDS = ("Latin", "Exercises")


def _notes(path: Path, ctx: ReadContext) -> list[Note]:
    """The muscle notes of the package at ``path`` (see :func:`_note_rows`); its
    collection's bytes are let go once they are read."""
    collection, newer = _collection(path)
    try:
        return _note_rows(path, collection, ctx)
    except MuscleError as exc:  # Anki's stub beside a collection it cannot read
        if newer and exc.diagnostics[0].code == "not-a-muscle-deck":
            raise error(str(path), "unsupported-apkg", _NEWER) from None
        raise
