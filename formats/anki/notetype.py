"""The note type: its fields, card templates and CSS; the stable ids of note types,
decks and notes, and the focus images' media names."""

from __future__ import annotations

import hashlib

NOTETYPE_NAME = "muscle-convert muscle"
DEFAULT_DECK = "Muscles"
#: Anki's own deck, which every collection has: its id, and its name, which Anki matches
#: in any case (``default`` is that deck too).
ANKI_DECK_ID = 1
ANKI_DECK = "Default"
MEDIA_PREFIX = "muscle-convert-"
#: The note type's fields, in order (the first one is the sort field).
FIELD_NAMES = ("Name", "Latin", "Origin", "Insertion", "Functions", "Exercises", "Image",
               "Slug", "Lang")
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


def deck_id(name: str) -> int:
    """The id of the deck ``name``: Anki's own deck's for :data:`ANKI_DECK` (a second
    deck of that name in the package is renamed ``Default_`` when Anki opens it, at
    random, and the cards land there), else :func:`stable_id` of it."""
    return ANKI_DECK_ID if name == ANKI_DECK else stable_id(f"muscle-convert deck {name}")


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
