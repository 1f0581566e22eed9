"""Anki decks (``.apkg``): one note per muscle, built with genanki, updatable in place.

Identity is stable, so importing a regenerated deck updates the notes already in a
collection (keeping their review history) instead of adding duplicates: the note GUID
comes from the slug, the note-type and deck IDs from their names. Anki only takes the
new text of a note whose modification time is newer than its own, so each note's time
is its source file's mtime (or ``SOURCE_DATE_EPOCH`` when set). Nothing else in the
package depends on the clock: same input, byte-identical ``.apkg``.

The reader gives back slug, title, latin and exercises; origin, insertion and functions
are written in one language only and the focus image is generated, so they are lossy.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import itertools
import json
import lzma
import os
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from converter.atomic import atomic_file, output_name
from converter.authoring import is_blank, muscle_from_front_matter
from converter.diagnostics import (
    KEPT_BYTE,
    Diagnostic,
    MuscleError,
    agreeing,
    counted,
    error,
    kept_byte_message,
    kept_bytes_shown,
    not_at,
)
from converter.model import LocalizedText, Muscle, base_language, language_code
from converter.registry import (
    Format,
    FormatOption,
    ReadContext,
    Source,
    WriteContext,
    spelling,
)
from converter.safety import BadJson, escape, load_json
from converter.slug import STAND_IN_SLUG, is_slug, not_a_slug
from converter.sqlitewait import Connection

if TYPE_CHECKING:  # (the drawing is imported when a deck is written, not at start)
    from converter.bodymap import Bounds, DotWording, Extent, Outline

NOTETYPE_NAME = "muscle-convert muscle"
DEFAULT_DECK = "Muscles"
MEDIA_PREFIX = "muscle-convert-"
#: The note type's fields, in order (the first one is the sort field).
FIELD_NAMES = ("Name", "Latin", "Origin", "Insertion", "Functions", "Exercises", "Image",
               "Slug", "Lang")
#: Packages never hold more than this much uncompressed collection (zip bomb guard).
MAX_COLLECTION_BYTES = 512 * 1024 * 1024
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_COLLECTIONS = ("collection.anki21", "collection.anki2")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
#: Where Anki's editor starts a line: a ``<div>`` (or ``<p>``) of its own.
_BLOCK = re.compile(r"<(?:div|p)\b[^>]*>", re.IGNORECASE)
#: An empty line as Anki's editor writes it: a block holding only a line break.
_EMPTY_LINE = re.compile(r"<(div|p)\b([^>]*)>\s*<br\s*/?>\s*</\1\s*>", re.IGNORECASE)
#: A tag of a list's structure (its name kept): a list's or an item's start or end.
_STRUCTURE = re.compile(r"<(/?(?:ul|ol|li))\b[^>]*>", re.IGNORECASE)

# Card labels live in the CSS (chosen by the card's ``lang``), so one note type serves
# every language and switching ``--lang`` updates notes instead of conflicting.
_LABELS = {
    "en": {"details": "Origin, insertion and functions?", "origin": "Origin",
           "insertion": "Insertion", "functions": "Functions", "exercises": "Exercises",
           "which": "Which muscle is highlighted?", "latin": "Which muscle is this?"},
    "da": {"details": "Udspring, hæfte og funktioner?", "origin": "Udspring",
           "insertion": "Hæfte", "functions": "Funktioner", "exercises": "Øvelser",
           "which": "Hvilken muskel er fremhævet?", "latin": "Hvilken muskel er det?"},
}

_CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  font-size: 20px; line-height: 1.45; color: #1f2328; background-color: #fbfaf7;
  text-align: center; margin: 0; padding: 18px 14px;
  overflow-wrap: anywhere;
}
.muscle { max-width: 38em; margin: 0 auto; }
.prompt { font-size: 1.5em; font-weight: 650; margin: .3em 0 .1em; }
.latin { font-style: italic; color: #57606a; }
.prompt.latin { color: inherit; }
.question { font-size: .85em; color: #57606a; margin-bottom: .6em; }
hr#answer { border: 0; border-top: 1px solid #d0d7de; margin: 1em 0; }
.details { text-align: left; }
.details h3 {
  font-size: .7em; font-weight: 600; text-transform: uppercase; letter-spacing: .07em;
  color: #59636e; margin: 1.3em 0 .3em;
}
.details ol, .details ul { padding-left: 1.4em; margin: 0; }
.details li { margin: .3em 0; }
.extended { display: block; font-size: .8em; color: #57606a; }
.lang-fallback {
  font-size: .65em; color: #9a6700; border: 1px solid currentColor; border-radius: .3em;
  padding: 0 .3em; margin-left: .3em; vertical-align: middle; white-space: nowrap;
}
.figure img {
  max-width: 100%; max-height: 62vh; height: auto; background: #ffffff;
  border-radius: 10px; box-shadow: 0 1px 4px rgba(0, 0, 0, .15);
}
@media (max-width: 480px) {
  .card { font-size: 17px; padding: 12px 8px; }
  .prompt { font-size: 1.35em; }
}
.card.nightMode, .card.night_mode, .night_mode .card, .nightMode .card {
  color: #e6edf3; background-color: #1c2128;
}
.nightMode .latin, .nightMode .question, .nightMode .extended,
.night_mode .latin, .night_mode .question, .night_mode .extended { color: #9ea7b3; }
.nightMode .prompt.latin, .night_mode .prompt.latin { color: inherit; }
.nightMode .details h3, .night_mode .details h3 { color: #8b949e; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #444c56; }
.nightMode .lang-fallback, .night_mode .lang-fallback { color: #d29922; }
.nightMode .figure img, .night_mode .figure img { box-shadow: none; opacity: .92; }
"""

#: Every card's content: MathJax (Anki's, for \( \) and \[ \]) leaves it alone, so a
#: text's TeX is shown as written, never typeset (\href would make a link of it).
#: MathJax 3 skips the class tex2jax_ignore; version 4, mathjax_ignore.
_MUSCLE = '<div class="muscle tex2jax_ignore mathjax_ignore" lang="{{Lang}}">'
_NAME = '<div class="prompt">{{Name}}</div>{{#Latin}}<div class="latin">{{Latin}}</div>{{/Latin}}'
_DETAILS = "".join(
    f'{{{{#{field}}}}}<h3 class="label-{label}"></h3>{{{{{field}}}}}{{{{/{field}}}}}'
    for field, label in (("Origin", "origin"), ("Insertion", "insertion"),
                         ("Functions", "functions"), ("Exercises", "exercises")))
#: When the note type's templates or CSS last changed (Unix time): the note type's time
#: is never older, so a collection that imported an older deck takes them (Anki keeps
#: its note type unless the one imported is newer). Move it on with every change.
TEMPLATES_CHANGED = 1_796_486_400  # 2026-12-05: the MathJax guard
_TEMPLATES = (
    {"name": "Name → origin, insertion, functions",
     "qfmt": f'{_MUSCLE}<div class="prompt">{{{{Name}}}}</div>'
             '<div class="question label-details"></div></div>',
     "afmt": f'{_MUSCLE}{_NAME}<hr id="answer"><div class="details">{_DETAILS}</div>'
             '{{#Image}}<div class="figure">{{Image}}</div>{{/Image}}</div>'},
    {"name": "Focus image → name",
     "qfmt": f'{{{{#Image}}}}{_MUSCLE}<div class="question label-which"></div>'
             '<div class="figure">{{Image}}</div></div>{{/Image}}',
     "afmt": f'{{{{FrontSide}}}}<hr id="answer">{_MUSCLE}{_NAME}</div>'},
    {"name": "Latin → name",
     "qfmt": f'{{{{#Latin}}}}{_MUSCLE}<div class="question label-latin"></div>'
             '<div class="prompt latin">{{Latin}}</div></div>{{/Latin}}',
     "afmt": f'{{{{FrontSide}}}}<hr id="answer">{_MUSCLE}'
             '<div class="prompt">{{Name}}</div></div>'},
)


def _label_css() -> str:
    rules = []
    for lang, labels in _LABELS.items():
        scope = ".muscle" if lang == "en" else f".muscle:lang({lang})"
        rules += [f'{scope} .label-{key}::before {{ content: "{text}"; }}'
                  for key, text in labels.items()]
    return "\n".join(rules) + "\n"


def stable_id(name: str) -> int:
    """A deterministic Anki id for a note type or deck name (in 2**30 .. 2**31 - 1)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(slug: str) -> str:
    """The note GUID of a muscle: derived from its slug only, so it never changes."""
    import genanki

    return str(genanki.guid_for("muscle-convert", slug))


#: The longest media file name (in bytes, UTF-8) Anki keeps whole: its media code
#: (rslib's ``MAX_MEDIA_FILENAME_LENGTH``) cuts a longer one on import, to 119 bytes.
MAX_MEDIA_NAME_BYTES = 120
#: Hex digits of the slug's digest in the name of a focus image whose slug is too long.
_NAME_DIGEST = 16


def media_name(slug: str) -> str:
    """File name of a muscle's focus image inside the deck's media:
    ``muscle-convert-<slug>.svg``, or, when that is longer than Anki keeps whole, the
    slug cut and a digest of the whole slug after ``_`` (never in a slug, so no other
    slug's name): stable for a slug, and another for every other slug."""
    name = f"{MEDIA_PREFIX}{slug}.svg"
    if len(name.encode("utf-8")) <= MAX_MEDIA_NAME_BYTES:
        return name
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:_NAME_DIGEST]
    room = MAX_MEDIA_NAME_BYTES - len(f"{MEDIA_PREFIX}_{digest}.svg")
    cut = slug.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{MEDIA_PREFIX}{cut}_{digest}.svg"


# --- field HTML ----------------------------------------------------------------------

def _text(value: str) -> str:
    """Text as field HTML: escaped, line breaks as ``<br>``, and ``[`` as ``&#91;`` so
    Anki never takes a text's ``[sound:...]``, ``[latex]`` or ``[anki:tts]`` for media
    to play or render. Spaces and line breaks that end the text are character
    references (``&#32;``, ``&#10;``): what Anki's editor leaves at a field's end, a
    ``<br>``, a space or ``&nbsp;``, is no text (see :func:`_typed_text`), but a text's
    own end is."""
    body = value.rstrip()
    end = "".join(f"&#{ord(c)};" for c in value[len(body):])
    return escape(body).replace("[", "&#91;").replace("\n", "<br>") + end


def _lines(value: str) -> str:
    """Field HTML -> its text with its character references kept (``&amp;``): a
    ``<div>`` or ``<p>`` that Anki's editor makes of a new line, and ``<br>``, is a line
    break, and other tags are gone."""
    value = _EMPTY_LINE.sub(r"<\1\2></\1>", value)  # (one line, not two)
    lines = _BLOCK.sub("\n", _BREAK.sub("\n", value))
    if lines != value and _BLOCK.match(value):
        lines = lines[1:]  # (a field that starts with a block starts with its text)
    return _TAG.sub("", lines)


def _untext(value: str) -> str:
    """Field HTML -> plain text, exactly (the inverse of :func:`_text`, forgiving of
    edits: see :func:`_lines`)."""
    return html.unescape(_lines(value))


_NBSP = "&nbsp;"


def _blank_end(text: str) -> int:
    """Where the white space at the end of ``text`` (field HTML with its references
    kept) starts: spaces, line breaks and ``&nbsp;`` (a writer's ``&#32;`` is text)."""
    end = len(text)
    while end:
        if text[end - 1].isspace():
            end -= 1
        elif text.endswith(_NBSP, 0, end):
            end -= len(_NBSP)
        else:
            break
    return end


def _typed_text(value: str) -> str:
    """A text field's HTML as plain text, as :func:`_untext`, without what Anki's editor
    leaves at the end of a line (a ``<br>``, a space or ``&nbsp;``): a field holding
    only those is empty, as in Anki."""
    text = _lines(value)
    return html.unescape(text[:_blank_end(text)])


def _localized(text: LocalizedText, lang: str, prefer: str) -> str:
    """Text in ``lang`` (or a variant of it: ``da`` for ``da-DK``), else in ``prefer``
    (the default language) or another language present, marked as such."""
    picked = text.pick(lang, prefer)
    if picked is None:
        return ""
    got, value = picked
    if base_language(got) == base_language(lang):
        return _text(value)
    code = escape(got)
    return (f'<span lang="{code}" dir="auto">{_text(value)}</span>'
            f'<span class="lang-fallback">({code})</span>')


def _functions(muscle: Muscle, lang: str, prefer: str) -> str:
    items = []
    for function in muscle.functions:
        extended = _localized(function.extended, lang, prefer)
        more = f'<span class="extended">{extended}</span>' if extended else ""
        short = _localized(function.short, lang, prefer)
        items.append(f'<li><span class="short">{short}</span>{more}</li>')
    return f'<ol class="functions">{_LINES.join(items)}</ol>' if items else ""


#: Between list items: a line each (as HTML, no difference), so that genanki's check of
#: a field's tags, which reads to the end of a line for each tag, is not quadratic in a
#: muscle's functions or exercises.
_LINES = "\n"


def _exercises(exercises: tuple[str, ...]) -> str:
    items = _LINES.join(f"<li>{_text(e)}</li>" for e in exercises)
    return f'<ul class="exercises">{items}</ul>' if items else ""


def note_fields(muscle: Muscle, lang: str, image: str | None, prefer: str = "en"
                ) -> list[str]:
    """The note's field HTML, in :data:`FIELD_NAMES` order; every text is escaped. A
    text missing in ``lang`` is taken in ``prefer`` (the default language), else in
    another language there is. A Latin name that shows nothing (:func:`is_blank`) is an
    empty field, so that no card asks it over a blank prompt."""
    latin = muscle.latin
    return [
        _text(muscle.title),
        "" if latin is None or is_blank(latin) else _text(latin),
        _localized(muscle.origin, lang, prefer),
        _localized(muscle.insertion, lang, prefer),
        _functions(muscle, lang, prefer),
        _exercises(muscle.exercises),
        f'<img src="{escape(image)}" alt="">' if image else "",
        escape(muscle.slug),
        escape(lang),
    ]


# --- options and times -----------------------------------------------------------------

def _deck_name(value: Any) -> str:
    """The deck's name, each part stripped; a ``bad-deck`` error of the option as the
    caller names it (:func:`~converter.registry.spelling`) for one Anki cannot take."""
    if any(ord(c) < 32 or ord(c) == 127 for c in str(value)):
        raise error(spelling().option("deck"), "bad-deck", f"deck name {value!r} holds a "
                    "control character (Anki would drop it, and the deck would not be "
                    "found again)")
    parts = [part.strip() for part in str(value).split("::")]
    if not all(parts):
        raise error(spelling().option("deck"), "bad-deck", f"deck name {value!r} has an "
                    "empty part "
                    '(use names such as "Anatomi::Muskler")')
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
    """Each note's modification time: ``SOURCE_DATE_EPOCH`` when set, else its source
    file's mtime; 0 (with a warning) when neither is known. A note with a focus image
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
        ctx.report(Diagnostic(str(out), None, None, "", "no-source-time",
                              f"{counted(unknown, 'notes')} without a source file time: "
                              "time 0, so re-importing will not update "
                              f"{agreeing(unknown, 'it', 'them')} in Anki; set "
                              "SOURCE_DATE_EPOCH", "warning"))
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


# --- writing -----------------------------------------------------------------------------

class _Kept(NamedTuple):
    """What the deck keeps of a muscle until every one is read (not the muscle: its
    texts are the most of it): its note's fields and, when it has regions, what its
    focus image draws of it and each region's extent (to tell one under a pixel)."""

    slug: str
    fields: list[str]
    shape: Outline | None
    bounds: Bounds | None
    extents: tuple[Extent, ...]


def _kept(muscle: Muscle, lang: str, prefer: str) -> _Kept:
    """What the deck keeps of ``muscle`` (see :class:`_Kept`)."""
    from converter.bodymap import bounds, extent, outline

    image = media_name(muscle.slug) if muscle.regions else None
    return _Kept(muscle.slug, note_fields(muscle, lang, image, prefer),
                 outline(muscle) if muscle.regions else None, bounds(muscle),
                 tuple(map(extent, muscle.regions)))


def _card_dot() -> DotWording:
    """How a ``region-under-a-pixel`` warning of a deck words a region under a pixel of
    its card's focus image."""
    from converter.bodymap import FOCUS_OUTLINE, DotWording

    return DotWording("the focus image on its card", f"the card shows it as a {{shape}} of its "
                      f"{FOCUS_OUTLINE:g}-pixel outline, hard to see")


def _focus_images(items: list[_Kept], ctx: WriteContext, out: Path) -> Mapping[str, str]:
    """slug -> standalone SVG highlighting the muscle, for every muscle with regions,
    each drawn when asked for (:class:`~converter.bodymap.FocusImages`); each region
    under a pixel of its image as drawn is a ``region-under-a-pixel`` warning."""
    drawn = [item.shape for item in items if item.shape is not None]
    if not drawn:
        return {}
    from converter.bodymap import FocusImages, report_extent_dots, viewbox_around

    viewbox = viewbox_around(item.bounds for item in items)
    report_extent_dots(((item.slug, item.extents) for item in items), viewbox, ctx, out,
                       _card_dot())
    return FocusImages(drawn, len(items), viewbox)


def _model() -> Any:
    import genanki

    return genanki.Model(
        stable_id(NOTETYPE_NAME), NOTETYPE_NAME,
        fields=[{"name": name} for name in FIELD_NAMES],
        templates=[dict(t) for t in _TEMPLATES],
        css=_CSS + _label_css(), sort_field_index=0)


def _build_collection(items: list[_Kept], times: Mapping[str, int], deck_name: str,
                      drawing: str) -> tuple[bytes, int]:
    """The SQLite collection, built with genanki, each note with its time and the
    ``drawing`` (:func:`drawing_digest`) noted in its configuration, and its card count.
    Each note is made and written in turn, its fields let go and taken out of ``items``
    (empty after). It is built in memory (its sorting too), in no file: a full
    temporary folder is no reason to fail, and a killed run leaves nothing behind."""
    import genanki

    model = _model()
    deck = genanki.Deck(stable_id(f"muscle-convert deck {deck_name}"), deck_name,
                        description="Muscles generated by muscle-convert.")
    deck.add_model(model)
    newest = max(times.values(), default=0)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        cursor = conn.cursor()
        ids = itertools.count(max(newest, 1) * 1000)
        # (the note type's time: SOURCE_DATE_EPOCH sets every time; each note's and
        # card's own is its note's)
        typed = newest if source_date_epoch() is not None else max(newest, TEMPLATES_CHANGED)
        genanki.Package(deck).write_to_db(cursor, typed, ids)  # (the deck: no note yet)
        for item in _drained(items):
            note = genanki.Note(model=model, fields=item.fields, guid=note_guid(item.slug))
            note.write_to_db(cursor, times[item.slug], deck.deck_id, ids)
        conn.execute("UPDATE col SET conf = json_set(conf, ?, ?)", (f"$.{DRAWING_KEY}",
                                                                    drawing))
        conn.commit()
        conn.execute("VACUUM")
        (cards,) = conn.execute("SELECT count(*) FROM cards").fetchone()
        return conn.serialize(), int(cards)
    finally:
        conn.close()


def _drained(items: list[_Kept]) -> Iterator[_Kept]:
    """The items of ``items`` in order, each taken out of it as it is given (so let go
    once the next is asked for)."""
    items.reverse()
    while items:
        yield items.pop()


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _write_package(out: Path, collection: bytes, images: Mapping[str, str]) -> None:
    """Zip the collection and media (sorted by name, fixed dates) into ``out`` atomically."""
    slugs = {media_name(slug): slug for slug in images}  # (each image drawn as zipped)
    media = {str(i): name for i, name in enumerate(sorted(slugs))}
    with atomic_file(out, "wb") as fh, zipfile.ZipFile(fh, "w") as archive:
        _zip_entry(archive, "collection.anki2", collection)
        _zip_entry(archive, "media", json.dumps(media, sort_keys=False).encode("utf-8"))
        for index, name in media.items():
            _zip_entry(archive, index, images[slugs[name]].encode("utf-8"))


def _unique(muscles: Iterable[Muscle], out: Path, lang: str, prefer: str) -> list[_Kept]:
    """What the deck keeps of each muscle (:func:`_kept`), by slug; a slug twice is an
    error."""
    items = sorted((_kept(m, lang, prefer) for m in muscles), key=lambda item: item.slug)
    for a, b in itertools.pairwise(items):
        if a.slug == b.slug:
            raise error(str(out), "duplicate-slug", f"two muscles share the slug {a.slug!r}; "
                        "their notes would have the same identity in Anki")
    return items


# --- reading -----------------------------------------------------------------------------

_NEWER = ("was exported in Anki's newer package format; export it again with \"Support "
          'older Anki versions" ticked')


def _collection(path: Path) -> tuple[bytes, bool]:
    """The package's collection (its database's bytes), and whether the package also
    holds one in Anki's newer format (then the old one may be a stub)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            found = next((n for n in _COLLECTIONS if n in names), None)
            newer = "collection.anki21b" in names
            if found is None:
                raise error(str(path), "unsupported-apkg",
                            _NEWER if newer else "holds no Anki collection")
            info = archive.getinfo(found)
            if info.file_size > MAX_COLLECTION_BYTES:
                raise error(str(path), "file-too-large", "its collection is over "
                            f"{MAX_COLLECTION_BYTES} bytes uncompressed")
            unusual = _unusual_entry(info)
            if unusual:
                raise error(str(path), "bad-apkg", f"is not a readable .apkg: {unusual}")
            return archive.read(found), newer
    except _UNREADABLE_ZIP as exc:
        raise error(str(path), "bad-apkg", f"is not a readable .apkg (zip) file: {exc}"
                    ) from None


#: What reading a damaged zip file raises: a bad CRC or header, a damaged deflate,
#: bzip2 or LZMA stream (zlib's error, an end too soon).
_UNREADABLE_ZIP = (zipfile.BadZipFile, OSError, zlib.error, EOFError, lzma.LZMAError)
#: The compression methods Python's zipfile reads.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
            zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}


def _unusual_entry(info: zipfile.ZipInfo) -> str | None:
    """Why the zip entry ``info`` cannot be read here, before reading it: encrypted (a
    password is needed), or packed with a compression method zipfile does not read."""
    if info.flag_bits & 0x1:
        return f"its {info.filename} is encrypted"
    if info.compress_type not in _METHODS:
        return (f"its {info.filename} is packed with compression method "
                f"{info.compress_type}, which is not read here (only "
                f"{', '.join(_METHODS.values())})")
    return None


#: Where a database's header says it is in WAL mode (bytes 18 and 19, both 2).
_WAL = slice(18, 20)


def _opened(collection: bytes) -> sqlite3.Connection:
    """A read-only connection to the database whose bytes are ``collection``, held in
    memory (its sorting too): reading a deck writes no file, so a full temporary folder
    is no reason to refuse it, and a killed run leaves nothing behind. A database in WAL
    mode is read as one with a rollback journal (the package holds no WAL file, and
    SQLite opens no WAL in memory)."""
    if collection[_WAL] == b"\x02\x02":
        collection = collection[:_WAL.start] + b"\x01\x01" + collection[_WAL.stop:]
    conn = sqlite3.connect(":memory:", factory=Connection)  # (a damaged schema: its error)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        if collection:  # (an empty file is an empty database; SQLite takes no 0 bytes)
            conn.deserialize(collection)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


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


def _note_rows(path: Path, collection: bytes, ctx: ReadContext
               ) -> list[tuple[list[str], list[str] | str]]:
    """Every note of a muscle note type (see :func:`_muscle_fields`) as (its type's
    field names, ours for those renamed in Anki, and its fields' HTML, or what they are
    when they are no text: :func:`_note_values`). A field renamed
    is a warning naming it; a field read that cannot be found (moved and renamed, or
    deleted) is a warning too: what it held is not read."""
    try:
        conn = _opened(collection)
        try:
            types = _note_types(conn)
            # (as bytes: a note's text that is not UTF-8 is its own error, not the deck's)
            rows = conn.execute("SELECT mid, typeof(flds), CAST(flds AS BLOB) FROM notes "
                                "ORDER BY id").fetchall()
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
    used = {mid for mid, _, _ in rows}
    for mid, (name, fields, read) in sorted(ours.items()):
        if mid in used:
            _report_fields(str(path), name, fields, read, ctx)
    return [_note(ours, mid, kind, flds) for mid, kind, flds in rows
            if mid in ours or not isinstance(mid, int)]


#: What a note's fields (``notes.flds``) that are not text are, by SQLite's type.
_NOT_TEXT = {"blob": "binary data", "null": "empty (NULL)", "integer": "a number",
             "real": "a number"}
#: What a note type id (``notes.mid``) that is no integer is, by its Python type.
_NOT_ID = {bytes: "binary data", str: "text", float: "a fraction", type(None): "empty (NULL)"}


def _note(ours: dict[int, tuple[str, list[str], list[str]]], mid: Any, kind: str,
          flds: Any) -> tuple[list[str], list[str] | str]:
    """A note's field names (by its note type ``mid``) and values (see
    :func:`_note_values`); a note type id that is no integer (a damaged collection: it
    names no note type) is said instead of the values."""
    if not isinstance(mid, int):
        return [], (f"has a note type id (notes.mid) that is "
                    f"{_NOT_ID.get(type(mid), 'no integer')}, not a number")
    return ours[mid][2], _note_values(kind, flds)


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
            exercises += [html.unescape(line[:_blank_end(line)])
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


def _notes(path: Path, ctx: ReadContext) -> list[tuple[list[str], list[str] | str]]:
    """The muscle notes of the package at ``path`` (see :func:`_note_rows`); its
    collection's bytes are let go once they are read."""
    collection, newer = _collection(path)
    try:
        return _note_rows(path, collection, ctx)
    except MuscleError as exc:  # Anki's stub beside a collection it cannot read
        if newer and exc.diagnostics[0].code == "not-a-muscle-deck":
            raise error(str(path), "unsupported-apkg", _NEWER) from None
        raise


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
        muscles: dict[str, Muscle] = {}
        for number, (names, values) in enumerate(_notes(path, ctx)):
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
            muscles[muscle.slug] = muscle
        yield from (muscles[slug] for slug in sorted(muscles))

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
