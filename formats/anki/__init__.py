"""Anki decks (``.apkg``): one note per muscle, built with genanki, updatable in place.

Identity is stable, so importing a regenerated deck updates the notes already in a
collection (keeping their review history) instead of adding duplicates: the note GUID
comes from the slug, the note-type and deck IDs from their names (Default, in any
case, is Anki's own deck, id 1). Anki only takes the
new text of a note whose modification time is newer than its own, so each note's time
is its source file's mtime, or a note read from a deck that note's time there (or
``SOURCE_DATE_EPOCH`` when set). Nothing else in the
package depends on the clock: same input, byte-identical ``.apkg``.

The reader gives back slug, title, latin and exercises (as Anki normalised them, to NFC,
in a deck it exported); origin, insertion and functions
are written in one language only and the focus image is generated, so they are lossy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from converter.atomic import output_name
from converter.authoring import is_blank
from converter.diagnostics import Diagnostic, counted
from converter.model import Muscle
from converter.registry import Format, FormatOption, ReadContext, WriteContext

from .collection import _notes
from .fields import note_fields
from .notes import _note_field, _note_muscle
from .notetype import (
    DEFAULT_DECK,
    FIELD_NAMES,
    MAX_MEDIA_NAME_BYTES,
    NOTETYPE_NAME,
    media_name,
    note_guid,
    stable_id,
)
from .times import (
    LATEST_TIME,
    _after_last_drawing,
    _deck_name,
    _lang,
    _previous_deck,
    drawing_digest,
    drawing_time,
    note_times,
    source_date_epoch,
)
from .writing import _build_collection, _focus_images, _unique, _write_package

__all__ = ["DEFAULT_DECK", "FIELD_NAMES", "LATEST_TIME", "MAX_MEDIA_NAME_BYTES",
           "NOTETYPE_NAME", "AnkiFormat", "drawing_digest", "drawing_time", "media_name",
           "note_fields", "note_guid", "note_times", "source_date_epoch", "stable_id"]


class AnkiFormat(Format):
    name = "anki"
    description = "Anki deck (.apkg), one note per muscle; re-import updates notes"
    extensions = (".apkg",)
    validates = True
    carries = frozenset({"slug", "title", "latin", "exercises"})
    options = (
        FormatOption("deck", f'Anki deck name, "::" for subdecks (default {DEFAULT_DECK})',
                     default=DEFAULT_DECK, metavar="NAME"),
        FormatOption("lang", "language of texts (default en)", default="en",
                     metavar="LANG"),
    )

    def projected(self, muscle: Muscle, variant: str | None = None) -> Muscle:
        """The fields carried, less what a deck cannot tell apart: an empty Latin field
        is no Latin name, so one that shows nothing (:func:`is_blank`, written empty so
        that no card asks it) comes back as None; an empty or blank list item is no
        exercise (Anki's editor leaves ``<li><br></li>``), so none comes back."""
        kept = super().projected(muscle, variant)
        latin = None if kept.latin is None or is_blank(kept.latin) else kept.latin
        return replace(kept, latin=latin,
                       exercises=tuple(e for e in kept.exercises if e.strip()))

    def read(self, path: Path, ctx: ReadContext) -> Iterator[Muscle]:
        muscles: dict[str, tuple[Muscle, int | None]] = {}
        for number, (names, values, time) in enumerate(_notes(path, ctx)):
            if isinstance(values, str):  # (notes.flds is no text, or notes.mid no id)
                ctx.report(Diagnostic(str(path), None, None, f"notes[{number}]", "bad-note",
                                      f"{values}; the note is left out"))
                continue
            if len(values) != len(names):  # (its fields would be read as others)
                ctx.report(Diagnostic(str(path), None, None, f"notes[{number}]", "bad-note",
                                      f"has {counted(len(values), 'fields')}, its note "
                                      f"type {len(names)}; the note is left out"))
                continue
            muscle = _note_muscle(dict(zip(names, values, strict=True)), number,
                                  str(path), ctx)
            if muscle is None:
                continue
            if muscle.slug in muscles:  # (named by place: the slug names both)
                ctx.report(Diagnostic(str(path), None, None, f"notes[{number}].Slug",
                                      "duplicate-slug", f"slug {muscle.slug!r} is used "
                                      "by more than one note"))
                continue
            muscles[muscle.slug] = muscle, time
        for slug in sorted(muscles):
            muscle, ctx.time = muscles[slug]  # (its note's time: the time it is written)
            yield muscle

    def field_name(self, field: str) -> str:
        return _note_field(field)

    def check_options(self, options: Mapping[str, Any]) -> None:
        ctx = WriteContext(options=dict(options))  # its defaults, as write() reads them
        _deck_name(ctx.option("deck", DEFAULT_DECK))
        _lang(ctx.option("lang", "en"))
        source_date_epoch()

    def write(self, muscles: Iterable[Muscle], out: Path, ctx: WriteContext) -> str:
        deck_name = _deck_name(ctx.option("deck", DEFAULT_DECK))
        lang = _lang(ctx.option("lang", "en"))
        items = _unique(muscles, out, lang, str(ctx.option("default_lang", "en")))
        images = _focus_images(items, ctx, out)
        drawing = drawing_digest(images)
        previous = _previous_deck(out) if images and source_date_epoch() is None else None
        # (a deck of these very images at ``out``: no folder's time can make them newer,
        # so a deck written among its sources, which changes their folder's time, is
        # the same the next time)
        redrawn = previous is None or previous[0] != drawing
        times = note_times([item.slug for item in items], ctx, out,
                           images.keys() if redrawn else ())
        if previous is not None:
            ctx.outside_inputs = True  # (the times of the deck written last)
            _after_last_drawing(times, images, drawing, previous)
        if images:
            from converter.bodymap import report_faint_limit

            report_faint_limit(len(items), sum(item.shape.points for item in items
                                               if item.shape is not None), ctx, out)
        notes = len(items)
        collection, cards = _build_collection(items, times, deck_name, drawing)
        _write_package(out, collection, images)
        return (f"wrote {counted(notes, 'notes')} ({counted(cards, 'cards')}, "
                f"{counted(len(images), 'images')}) "
                f"to deck {deck_name!r} in {output_name(out)}")
