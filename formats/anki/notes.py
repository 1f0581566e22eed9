"""A note's fields as a muscle, its problems named by the note's fields
(``notes[soleus].Latin``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from converter.authoring import muscle_from_front_matter
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    MuscleError,
    kept_byte_message,
    kept_bytes_shown,
    not_at,
)
from converter.model import Muscle
from converter.registry import ReadContext
from converter.slug import STAND_IN_SLUG, is_slug, not_a_slug

from .collection import _READ_FIELDS
from .fields import _blank_end, _lines, _typed_text, _unescape, _untext

#: A tag of a list's structure (its name kept): a list's or an item's start or end.
_STRUCTURE = re.compile(r"<(/?(?:ul|ol|li))\b[^>]*>", re.IGNORECASE)
#: The model's fields as the note type names them, for diagnostics.
_NOTE_FIELDS = {"slug": "Slug", "title": "Name", "latin": "Latin", "exercises": "Exercises"}
_LEADING_NAME = re.compile(r"[a-z_]+")


def _note_field(field: str) -> str:
    """A model field path as the note names it: ``title`` -> ``Name``,
    ``exercises[2]`` -> ``Exercises[2]``."""
    name = _LEADING_NAME.match(field)
    if name is None or name[0] not in _NOTE_FIELDS:
        return field
    return _NOTE_FIELDS[name[0]] + field[name.end():]


def _exercise_list(value: str) -> list[str]:
    """The Exercises field's list items, nested ones too (Tab in Anki's editor), and
    the lines of text typed outside them (in Anki's editor, a line of its own), in the
    order shown. An item's text up to its own list is one exercise, maybe of several
    lines. A blank item or line is no exercise (Anki's editor leaves ``<li><br></li>``
    where Enter was pressed once too often)."""
    parts = _STRUCTURE.split(value)  # text, tag name, text, ...
    exercises = []
    for i in range(0, len(parts), 2):
        if i and parts[i - 1].lower() == "li":  # an item's own text
            exercises.append(_typed_text(parts[i]))
        else:
            exercises += [_unescape(line[:_blank_end(line)])
                          for line in _lines(parts[i]).split("\n")]
    return [exercise for exercise in exercises if exercise.strip()]


def muscle_from_note(note: Mapping[str, str], path: str) -> Muscle:
    """The carried fields of one note as a validated :class:`Muscle`. The Slug field
    holds the slug the writer stored: one that is not a slug (``../x``, ``Navn``) is
    a ``bad-slug`` diagnostic, never normalised into another name, said with the
    note's other problems and beside the muscle of its valid fields, whose lints are
    said too (:attr:`MuscleError.partial`)."""
    slug = _untext(note.get("Slug", ""))
    latin = _typed_text(note.get("Latin", ""))
    data = {"slug": slug, "title": _typed_text(note.get("Name", "")), "latin": latin or None,
            "exercises": _exercise_list(note.get("Exercises", ""))}
    if is_slug(slug):
        return muscle_from_front_matter(data, path=path, slug_hint=slug)
    bad = Diagnostic(path, None, None, "Slug", "bad-slug", not_a_slug(slug))
    try:  # (its other fields checked with a stand-in slug, which no lint looks at)
        muscle = muscle_from_front_matter({**data, "slug": STAND_IN_SLUG}, path=path,
                                          slug_hint=STAND_IN_SLUG)
    except MuscleError as exc:
        raise MuscleError([bad, *exc.diagnostics], exc.partial) from None
    raise MuscleError(bad, muscle)



def _note_label(note: Mapping[str, str], number: int) -> str:
    """How diagnostics name a note: ``notes[<slug>]`` by its Slug field (what Anki's
    browser finds: ``Slug:soleus``), ``notes[<n>]`` (its place among the muscle notes,
    oldest first) when that is no slug."""
    slug = _untext(note.get("Slug", ""))
    return f"notes[{slug}]" if is_slug(slug) else f"notes[{number}]"


def _note_place(note: Mapping[str, str], number: int, diagnostic: Diagnostic) -> str:
    """Where in ``note`` the ``diagnostic`` of its muscle is (``notes[soleus].Latin``);
    one of the whole muscle, too many values, at Exercises: no other field holds many."""
    field = _note_field(diagnostic.field)
    if not field and diagnostic.code == "too-large":
        field = "Exercises"
    label = _note_label(note, number)
    return f"{label}.{field}" if field else label


def _undecoded(note: Mapping[str, str], number: int, path: str) -> list[Diagnostic]:
    """A ``not-utf8`` error for each field read of ``note`` that holds a byte that is
    not UTF-8 (kept as :data:`KEPT_BYTE`): the note is left out, its other problems said
    (:func:`_note_muscle`)."""
    return [Diagnostic(path, None, None, f"{_note_label(note, number)}.{field}", "not-utf8",
                       kept_byte_message(note[field]))
            for field in ("Slug", "Name", *_READ_FIELDS)
            if field in note and KEPT_BYTE.search(note[field])]


def _note_muscle(note: dict[str, str], number: int, path: str,
                 ctx: ReadContext) -> Muscle | None:
    """The muscle of ``note``, the ``number``-th muscle note; None when it has errors,
    said with the lints of its valid fields. A note with a field that is not UTF-8 is
    checked with that field's bad bytes as U+FFFD (for such a note only), its other
    problems said beside the ``not-utf8`` error; that field has none of its own."""
    undecoded = _undecoded(note, number, path)
    try:
        muscle = muscle_from_note(_shown_note(note) if undecoded else note, path)
    except MuscleError as exc:
        failure = exc
    else:
        if not undecoded:
            return muscle
        failure = MuscleError([], muscle)
    found = [Diagnostic(d.path, None, None, _note_place(note, number, d), d.code, d.message,
                        d.severity) for d in [*failure.diagnostics, *ctx.lints(failure)]]
    for diagnostic in [*undecoded, *not_at(found, (d.field for d in undecoded))]:
        ctx.report(diagnostic)
    return None


def _shown_note(note: Mapping[str, str]) -> dict[str, str]:
    """``note`` with each byte kept as not UTF-8 in its fields U+FFFD."""
    return {name: kept_bytes_shown(value) for name, value in note.items()}
