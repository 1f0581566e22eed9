"""The deck's options (deck name, language) and its notes' modification times, which
tell Anki to take a note's new text."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from converter.atomic import output_is_stdout, output_name
from converter.diagnostics import Diagnostic, MuscleError, agreeing, counted, error
from converter.model import language_code
from converter.registry import Source, WriteContext, spelling

from .apkg import _collection, _opened
from .notetype import ANKI_DECK, note_guid


def _deck_name(value: Any) -> str:
    """The deck's name, each part stripped, and Default in any case (Anki's own deck,
    whose name Anki matches so) as Anki names it, alone or as the parent of subdecks
    (``DEFAULT::Muskler`` lands in ``Default::Muskler``); a ``bad-deck`` error of the
    option as the caller names it (:func:`~converter.registry.spelling`) for one Anki
    cannot take."""
    if any(ord(c) < 32 or ord(c) == 127 for c in str(value)):
        raise error(spelling().option("deck"), "bad-deck", f"deck name {value!r} holds a "
                    "control character (Anki would drop it, and the deck would not be "
                    "found again)")
    parts = [part.strip() for part in str(value).split("::")]
    if not all(parts):
        raise error(spelling().option("deck"), "bad-deck", f"deck name {value!r} has an "
                    "empty part "
                    '(use names such as "Anatomi::Muskler")')
    if parts[0].casefold() == ANKI_DECK.casefold():
        parts[0] = ANKI_DECK
    return "::".join(parts)


def _lang(value: Any) -> str:
    """``--lang``, a language code in any case, as the model holds it
    (:func:`~converter.model.language_code`: ``PT-BR`` is ``pt-BR``)."""
    code = language_code(value)
    if code is None:
        raise error(spelling().option("lang"), "bad-language", f"{value!r} is not a "
                    "language code such as da or en")
    return code


#: The latest time a note may have: the last second of the year 9999 (the card and note
#: ids, a thousand per second of the newest time, stay far inside SQLite's integers).
LATEST_TIME = 253_402_300_799


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, None when unset; malformed values (and times
    after :data:`LATEST_TIME`) are an error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    if not (raw.strip().isascii() and raw.strip().isdigit()) or int(raw.strip()) > LATEST_TIME:
        raise error("SOURCE_DATE_EPOCH", "bad-source-date-epoch",
                    f"{raw!r} is not a number of seconds since 1970 (up to the year 9999)")
    return int(raw.strip())


def note_times(slugs: list[str], ctx: WriteContext, out: Path,
               drawn: AbstractSet[str] = frozenset()) -> dict[str, int]:
    """Each note's modification time: ``SOURCE_DATE_EPOCH`` when set, else its source's
    time (its file's mtime; a note read from a deck, that note's time there); 0 (with a
    warning) when neither is known. A note with a focus image
    (its slug in ``drawn``) is no older than :func:`drawing_time`: its image shows
    every muscle, so another file's change is its change too."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dict.fromkeys(slugs, epoch)
    times, unknown = {}, 0
    for slug in slugs:
        source = ctx.sources.get(slug)
        unknown += source is None
        times[slug] = _clamped(source.mtime) if source is not None else 0
    if unknown:
        ctx.report(Diagnostic(output_name(out), None, None, "", "no-source-time",
                              f"{counted(unknown, 'notes')} without a source file time: "
                              "time 0, so re-importing will not update "
                              f"{agreeing(unknown, 'it', 'them')} in Anki; set "
                              "SOURCE_DATE_EPOCH", "warning", stream=output_is_stdout(out)))
    if drawn:
        newest = drawing_time(ctx.sources[slug] for slug in slugs if slug in ctx.sources)
        ctx.outside_inputs = True  # (the folders' times: a file added beside a source)
        times.update({slug: max(times[slug], newest) for slug in drawn})
    return times


#: Where a deck notes its :func:`drawing_digest` (a key of the collection's
#: configuration, which Anki does not import).
DRAWING_KEY = "muscleConvertDrawing"


def drawing_digest(images: Mapping[str, str]) -> str:
    """A digest of every focus image (by slug): what a deck's drawing was."""
    digest = hashlib.sha256()
    for slug in sorted(images):
        digest.update(f"{slug}\0{images[slug]}\0".encode())
    return digest.hexdigest()[:32]


def _after_last_drawing(times: dict[str, int], images: Mapping[str, str], drawing: str,
                        deck: tuple[str | None, dict[str, int]]) -> None:
    """Keep the notes with a focus image no older than in the ``deck`` written last (its
    drawing digest and note times, :func:`_previous_deck`); when its drawing differs (a
    muscle deleted anywhere, which no file's time shows), make them newer than every
    note of it, so Anki takes the new images."""
    last, previous = deck
    if last is None:
        return
    newest = max(previous.values(), default=0)
    for slug in images:
        before = previous.get(note_guid(slug), 0)
        times[slug] = min(LATEST_TIME, max(times[slug], before,
                                           newest + 1 if last != drawing else 0))


def _previous_deck(out: Path) -> tuple[str | None, dict[str, int]]:
    """The drawing digest of the deck at ``out`` and its notes' times by GUID; (None,
    {}) when there is none of ours (no file, another program's, an older version's)."""
    if not out.is_file():
        return None, {}
    try:
        conn = _opened(_collection(out)[0])
        try:
            (conf,) = conn.execute("SELECT conf FROM col").fetchone()
            times = {guid: mod for guid, mod in conn.execute(
                "SELECT guid, mod FROM notes") if isinstance(mod, int)}
        finally:
            conn.close()
        last = json.loads(conf).get(DRAWING_KEY)
    except (MuscleError, sqlite3.Error, ValueError, TypeError, AttributeError, OSError):
        return None, {}
    return (last, times) if isinstance(last, str) else (None, {})


def _clamped(mtime: float) -> int:
    """A file's time as a note time (a file may claim any time, even before 1970)."""
    return min(max(0, int(mtime)), LATEST_TIME)


def drawing_time(sources: Iterable[Source]) -> int:
    """When the focus images last changed, at the latest: the newest time of the
    ``sources`` and of the folders holding them, up to the one holding them all (a file
    or folder deleted or renamed there changes its folder's time). Every image is fitted
    to all muscles and draws the others faintly, so any of them may change it."""
    newest, folders = 0, set()
    for source in sources:
        newest = max(newest, _clamped(source.mtime))
        folders.add(os.path.abspath(os.path.dirname(source.path) or os.curdir))
    if folders:  # (and the folders between them: a folder removed below one of them)
        top = os.path.commonpath(folders)
        for folder in list(folders):
            while folder != top and os.path.dirname(folder) != folder:
                folder = os.path.dirname(folder)
                folders.add(folder)
    for folder in sorted(folders):
        with contextlib.suppress(OSError):
            newest = max(newest, _clamped(os.stat(folder).st_mtime))
    return newest
